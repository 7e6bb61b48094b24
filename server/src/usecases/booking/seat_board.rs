//! The held and sold seats of each performance, at most a quarter of a second old. Holds and
//! sales made by this server update it at once; other servers' show within that time. Seat
//! maps polling by the hundred and most refused holds are answered from here. Every change
//! made here is announced (`SeatChanges`) so that live seat maps, on every server, follow.
use crate::ports::{BookingRepo, Clock, RepoResult, SeatChanges};
use app::domain::PerformanceId;
use app::dto::{LiveState, SeatStatus};
use moka::ops::compute::Op;
use moka::sync::Cache;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How stale the states may be before storage is read again.
const MAX_AGE_MS: i64 = 250;

/// The seat states of one performance, and the live view built from them once.
#[derive(Debug, Default)]
pub struct SeatStates {
    /// When they were read from storage (local updates keep this age).
    loaded_ms: i64,
    pub claims: HashMap<i64, SeatStatus>,
    pub live: OnceLock<LiveState>,
    /// The live view as JSON: 200 seat maps polling get the same bytes.
    pub live_json: OnceLock<Arc<[u8]>>,
}

impl SeatStates {
    pub fn status(&self, seat_id: i64) -> SeatStatus {
        self.claims
            .get(&seat_id)
            .copied()
            .unwrap_or(SeatStatus::Free)
    }

    pub fn is_free(&self, seat_id: i64) -> bool {
        !self.claims.contains_key(&seat_id)
    }

    /// A copy with `seat_ids` in `status`. A seat known as sold stays sold: a refused hold
    /// learns that a seat is taken, not that it is merely held.
    fn with(&self, seat_ids: &[i64], status: SeatStatus) -> SeatStates {
        let mut claims = self.claims.clone();
        for id in seat_ids {
            match claims.get(id) {
                Some(SeatStatus::Sold) if status == SeatStatus::Held => {}
                _ => {
                    claims.insert(*id, status);
                }
            }
        }
        SeatStates {
            loaded_ms: self.loaded_ms,
            claims,
            ..Default::default()
        }
    }
}

pub struct SeatBoard {
    repo: Arc<dyn BookingRepo>,
    clock: Arc<dyn Clock>,
    changes: Arc<dyn SeatChanges>,
    states: Cache<i64, Arc<SeatStates>>,
}

impl SeatBoard {
    pub fn new(
        repo: Arc<dyn BookingRepo>,
        clock: Arc<dyn Clock>,
        changes: Arc<dyn SeatChanges>,
    ) -> SeatBoard {
        SeatBoard {
            repo,
            clock,
            changes,
            states: Cache::builder()
                .max_capacity(10_000)
                .time_to_idle(Duration::from_secs(60))
                .build(),
        }
    }

    pub async fn states(&self, performance: PerformanceId) -> RepoResult<Arc<SeatStates>> {
        let now_ms = self.clock.now_ms();
        if let Some(s) = self.states.get(&performance.0) {
            if now_ms - s.loaded_ms < MAX_AGE_MS {
                return Ok(s);
            }
        }
        let fresh = Arc::new(SeatStates {
            loaded_ms: now_ms,
            claims: self
                .repo
                .seat_claims(performance, now_ms.div_euclid(1000))
                .await?
                .into_iter()
                .collect(),
            ..Default::default()
        });
        self.states.insert(performance.0, fresh.clone());
        Ok(fresh)
    }

    /// Seats this server just held or sold (or learnt were taken).
    pub fn mark(&self, performance: PerformanceId, seat_ids: &[i64], status: SeatStatus) {
        self.states
            .entry(performance.0)
            .and_compute_with(|entry| match entry {
                Some(e) => Op::Put(Arc::new(e.into_value().with(seat_ids, status))),
                None => Op::Nop,
            });
        self.changes.announce(performance);
    }

    /// Forgets a performance's states after a change made in storage (a release, an expiry, a
    /// cancelled ticket): the next reader loads them again.
    pub fn forget(&self, performance: PerformanceId) {
        self.reload(performance);
        self.changes.announce(performance);
    }

    /// A change without seats (general-admission places held or sold).
    pub fn touched(&self, performance: PerformanceId) {
        self.changes.announce(performance);
    }

    /// Reads a performance's states from storage next time, without announcing anything
    /// (another server made and announced the change).
    pub fn reload(&self, performance: PerformanceId) {
        self.states.invalidate(&performance.0);
    }
}

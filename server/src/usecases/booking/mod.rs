//! Holds: seats (or general-admission places) kept for a buyer while they check out.
mod blocks;
mod in_flight;
mod seat_board;
#[cfg(test)]
mod tests;

pub use seat_board::{SeatBoard, SeatStates};

use crate::ports::{
    BookingRepo, ClientLimit, Clock, HallPlan, HoldRefusal, HoldStatus, NewHold, PerformanceRules,
    Release,
};
use crate::usecases::catalogue::CatalogueCache;
use crate::usecases::memory::{HoldFacts, Recent};
use crate::usecases::{ids, Settings};
use app::domain::hold::{self, seconds_left};
use app::domain::sale_window::{check_at_counter, check_on_sale, CounterFacts, SaleFacts};
use app::domain::seating::{best_adjacent, best_focus};
use app::domain::selection::{check_quantity, check_selection};
use app::domain::{ClientKey, HoldId, PerformanceId};
use app::dto::{HoldRequest, HoldView, SeatStatus, Ts};
use app::ports::{Booking, Failure, HoldError, ReleaseError};
use async_trait::async_trait;
use in_flight::InFlight;
use std::collections::HashSet;
use std::sync::Arc;

pub struct BookingService {
    repo: Arc<dyn BookingRepo>,
    cache: Arc<CatalogueCache>,
    board: Arc<SeatBoard>,
    memory: Arc<Recent>,
    in_flight: InFlight,
    clock: Arc<dyn Clock>,
    settings: Settings,
}

/// Why a hold's facts could not be had (for the next step of a purchase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldLookup {
    Unknown,
    Consumed,
    /// Released or expired.
    Gone,
}

impl BookingService {
    pub fn new(
        repo: Arc<dyn BookingRepo>,
        cache: Arc<CatalogueCache>,
        board: Arc<SeatBoard>,
        memory: Arc<Recent>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> BookingService {
        BookingService {
            repo,
            cache,
            board,
            memory,
            in_flight: InFlight::default(),
            clock,
            settings,
        }
    }

    /// Keeps a hold until `until` at least (a payment on a provider's page outlasting it);
    /// false if it is no longer active. Its remembered facts carry the old deadline: forgotten.
    pub async fn extend_hold(&self, hold: &HoldId, until: i64) -> Result<bool, Failure> {
        let kept = self.repo.extend_hold(hold, self.clock.now(), until).await?;
        self.memory.forget_hold(hold);
        Ok(kept)
    }

    /// A hold's fixed facts: from this server's memory when it placed the hold, else read.
    pub async fn hold_facts(
        &self,
        id: &HoldId,
    ) -> Result<Result<Arc<HoldFacts>, HoldLookup>, Failure> {
        if let Some(facts) = self.memory.hold(id) {
            return Ok(Ok(facts));
        }
        let Some(hold) = self.repo.hold(id).await? else {
            return Ok(Err(HoldLookup::Unknown));
        };
        Ok(match hold.status {
            HoldStatus::Active => Ok(Arc::new(HoldFacts {
                performance: hold.performance,
                seat_ids: hold.seat_ids,
                quantity: hold.quantity,
                expires_at: hold.expires_at,
            })),
            HoldStatus::Consumed => Err(HoldLookup::Consumed),
            HoldStatus::Released | HoldStatus::Expired => Err(HoldLookup::Gone),
        })
    }

    /// Frees what expired holds kept (the background sweep). Returns how many expired.
    pub async fn expire_holds(&self) -> Result<u64, Failure> {
        self.repo.expire_holds(self.clock.now()).await
    }

    /// A hold just placed: remembered for its order, and shown to the buyer.
    fn placed(&self, hold: NewHold, seat_ids: Vec<i64>, quantity: i64) -> HoldView {
        let mut sorted = seat_ids.clone();
        sorted.sort_unstable();
        self.memory.remember_hold(
            hold.id.clone(),
            HoldFacts {
                performance: hold.performance,
                seat_ids: sorted,
                quantity,
                expires_at: hold.expires_at,
            },
        );
        HoldView {
            id: hold.id.to_string(),
            performance_id: hold.performance.0,
            seat_ids,
            quantity,
            expires_at: Ts(hold.expires_at),
            seconds_left: seconds_left(hold.expires_at, hold.now),
        }
    }

    async fn plan(&self, perf: &PerformanceRules) -> Result<Arc<HallPlan>, HoldError> {
        self.cache
            .plan(perf.hall_id, perf.seatmap_version)
            .await?
            .ok_or(HoldError::PerformanceNotFound(perf.id))
    }

    async fn hold_chosen_seats(
        &self,
        perf: &PerformanceRules,
        hold: NewHold,
        seat_ids: Vec<i64>,
        limits: Limits,
    ) -> Result<HoldView, HoldError> {
        check_selection(&seat_ids, limits.max_seats)?;
        let plan = self.plan(perf).await?;
        check_seats(&plan, &seat_ids, limits.blocked_ok)?;
        // Seats visibly taken are refused without queueing behind the writers (the storage's
        // claim stays the guarantee).
        let states = self.board.states(hold.performance).await?;
        let visible: Vec<i64> = seat_ids
            .iter()
            .copied()
            .filter(|id| !states.is_free(*id))
            .collect();
        if !visible.is_empty() {
            return Err(HoldError::SeatsTaken(visible));
        }
        let _in_flight = self
            .in_flight
            .claim(perf.id, &seat_ids)
            .map_err(HoldError::SeatsTaken)?;
        match self.repo.hold_seats(&hold, &seat_ids).await? {
            Ok(()) => {
                self.board
                    .mark(hold.performance, &seat_ids, SeatStatus::Held);
                let n = seat_ids.len() as i64;
                Ok(self.placed(hold, seat_ids, n))
            }
            Err(HoldRefusal::SeatsTaken(taken)) => {
                self.board.mark(hold.performance, &taken, SeatStatus::Held);
                Err(HoldError::SeatsTaken(taken))
            }
            Err(refusal) => Err(refused(refusal, hold.now)),
        }
    }

    async fn hold_best_seats(
        &self,
        perf: &PerformanceRules,
        hold: NewHold,
        quantity: i64,
        limits: Limits,
    ) -> Result<HoldView, HoldError> {
        check_quantity(quantity, limits.max_seats)?;
        let plan = self.plan(perf).await?;
        let focus = best_focus(
            (plan.stage.x, plan.stage.y, plan.stage.w, plan.stage.h),
            plan.height,
        );
        let n = quantity as usize;
        let sold_out = || HoldError::NoAdjacentSeats { quantity };
        // First from the seat states in memory, keeping clear of seats other requests of this
        // server are claiming right now: under a rush, buyers pressing "best seats" together
        // get different seats without queueing for the storage twice.
        let states = self.board.states(hold.performance).await?;
        let chosen = self.in_flight.claim_chosen(perf.id, |in_flight| {
            best_adjacent(
                &plan.positions,
                |id| states.is_free(id) && !in_flight(id),
                n,
                focus,
            )
        });
        match chosen {
            Some((seats, _in_flight)) => match self.repo.hold_seats(&hold, &seats).await? {
                Ok(()) => {
                    self.board.mark(hold.performance, &seats, SeatStatus::Held);
                    return Ok(self.placed(hold, seats, quantity));
                }
                // The view was behind (another server, an expiry): ask the storage below.
                Err(HoldRefusal::SeatsTaken(taken)) => {
                    self.board.mark(hold.performance, &taken, SeatStatus::Held)
                }
                Err(HoldRefusal::SoldOut { .. }) => {}
                Err(refusal) => return Err(refused(refusal, hold.now)),
            },
            // Nothing that size free even counting seats in flight: sold out as far as the
            // seat states (a quarter of a second old at most) can tell.
            None if best_adjacent(&plan.positions, |id| states.is_free(id), n, focus).is_none() => {
                return Err(sold_out());
            }
            None => {}
        }
        // Choose and claim under the write lock, from what the storage says.
        let hold = NewHold {
            id: ids::hold_id(),
            ..hold
        };
        let positions = plan.clone();
        let choose = Box::new(move |taken: &HashSet<i64>| {
            best_adjacent(&positions.positions, |id| !taken.contains(&id), n, focus)
        });
        match self.repo.hold_best_seats(&hold, choose).await? {
            Ok(seats) => {
                self.board.mark(hold.performance, &seats, SeatStatus::Held);
                Ok(self.placed(hold, seats, quantity))
            }
            Err(HoldRefusal::SoldOut { .. } | HoldRefusal::SeatsTaken(_)) => Err(sold_out()),
            Err(refusal) => Err(refused(refusal, hold.now)),
        }
    }

    async fn hold_places(
        &self,
        hold: NewHold,
        quantity: i64,
        limits: Limits,
    ) -> Result<HoldView, HoldError> {
        check_quantity(quantity, limits.max_seats)?;
        match self.repo.hold_places(&hold, quantity).await? {
            Ok(()) => {
                self.board.touched(hold.performance);
                Ok(self.placed(hold, Vec::new(), quantity))
            }
            Err(refusal) => Err(refused(refusal, hold.now)),
        }
    }
}

impl BookingService {
    /// Seats chosen, the best ones for a quantity, or general-admission places.
    async fn hold_what(
        &self,
        perf: &PerformanceRules,
        hold: NewHold,
        request: HoldRequest,
        limits: Limits,
    ) -> Result<HoldView, HoldError> {
        match (request.seat_ids, request.quantity, perf.seated) {
            (Some(_), Some(_), _) => Err(HoldError::SeatsAndQuantity),
            (None, None, _) => Err(HoldError::NothingRequested),
            (Some(_), None, false) => Err(HoldError::QuantityExpected),
            (Some(seat_ids), None, true) => {
                self.hold_chosen_seats(perf, hold, seat_ids, limits).await
            }
            (None, Some(quantity), true) => {
                self.hold_best_seats(perf, hold, quantity, limits).await
            }
            (None, Some(quantity), false) => self.hold_places(hold, quantity, limits).await,
        }
    }

    /// A hold placed by the box office: the counter's sale rule (until half an hour after the
    /// start, box-office performances, unpublished ones too), no per-client cap, up to
    /// `COUNTER_MAX_SEATS`, blocked seats when a supervisor says so.
    pub async fn hold_at_counter(
        &self,
        request: HoldRequest,
        how: CounterHold,
    ) -> Result<HoldView, HoldError> {
        let now = self.clock.now();
        let perf = self
            .cache
            .rules(PerformanceId(request.performance_id))
            .await?
            .ok_or(HoldError::PerformanceNotFound(request.performance_id))?;
        let facts = CounterFacts {
            cancelled: perf.cancelled,
            sold_at_counter: perf.sold_at_counter,
            starts: perf.starts_at,
        };
        check_at_counter(&facts, now).map_err(HoldError::SaleClosed)?;
        let hold = NewHold {
            id: ids::hold_id(),
            performance: PerformanceId(perf.id),
            now,
            expires_at: how.expires_at.max(now + 60),
            limit: None,
        };
        let limits = Limits {
            max_seats: COUNTER_MAX_SEATS,
            blocked_ok: how.blocked_ok,
        };
        self.hold_what(&perf, hold, request, limits).await
    }
}

/// The buyer's reading of the storage's refusal.
fn refused(refusal: HoldRefusal, now: i64) -> HoldError {
    match refusal {
        HoldRefusal::SeatsTaken(taken) => HoldError::SeatsTaken(taken),
        HoldRefusal::SoldOut { remaining } => HoldError::SoldOut { remaining },
        HoldRefusal::TooManyHeld {
            held,
            cap,
            frees_at,
        } => HoldError::TooManyHeld {
            held,
            cap,
            retry_after: seconds_left(frees_at, now).max(1),
        },
    }
}

/// How much one hold may take, and whether blocked seats may be among it.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_seats: i64,
    blocked_ok: bool,
}

use app::box_office::COUNTER_MAX_SEATS;

/// What the box office holds seats for: until when, and whether a blocked seat may be sold (a
/// supervisor's call: house seats released on the night).
#[derive(Debug, Clone, Copy)]
pub struct CounterHold {
    pub expires_at: i64,
    pub blocked_ok: bool,
}

/// An explicit selection must name seats of the hall's plan that are on sale (blocked ones
/// too when `blocked_ok`).
fn check_seats(plan: &HallPlan, seat_ids: &[i64], blocked_ok: bool) -> Result<(), HoldError> {
    let unknown: Vec<i64> = seat_ids
        .iter()
        .copied()
        .filter(|id| plan.seat(*id).is_none())
        .collect();
    if !unknown.is_empty() {
        return Err(HoldError::UnknownSeats(unknown));
    }
    let blocked: Vec<i64> = seat_ids
        .iter()
        .copied()
        .filter(|id| !blocked_ok && plan.seat(*id).is_some_and(|s| s.blocked))
        .collect();
    if !blocked.is_empty() {
        return Err(HoldError::SeatsNotOnSale(blocked));
    }
    Ok(())
}

#[async_trait]
impl Booking for BookingService {
    async fn hold_for(
        &self,
        client: Option<ClientKey>,
        request: HoldRequest,
    ) -> Result<HoldView, HoldError> {
        let now = self.clock.now();
        let perf = self
            .cache
            .rules(PerformanceId(request.performance_id))
            .await?
            .ok_or(HoldError::PerformanceNotFound(request.performance_id))?;
        let facts = SaleFacts {
            cancelled: perf.cancelled,
            published: perf.published,
            sold_online: perf.sold_online,
            opens: perf.sale_opens_at,
            closes: perf.sale_closes_at,
            starts: perf.starts_at,
        };
        check_on_sale(&facts, now).map_err(HoldError::SaleClosed)?;
        let hold = NewHold {
            id: ids::hold_id(),
            performance: PerformanceId(perf.id),
            now,
            expires_at: hold::expires_at(now, perf.hold_seconds, self.settings.hold_cap_seconds),
            limit: self
                .settings
                .hold_caps
                .zip(client)
                .map(|(caps, client)| ClientLimit {
                    client,
                    cap: caps.cap_for(perf.capacity, perf.max_seats_per_order),
                }),
        };
        let limits = Limits {
            max_seats: perf.max_seats_per_order,
            blocked_ok: false,
        };
        self.hold_what(&perf, hold, request, limits).await
    }

    async fn release_hold(&self, hold_id: &str) -> Result<(), ReleaseError> {
        let id = HoldId::parse(hold_id).ok_or(ReleaseError::HoldNotFound)?;
        self.memory.forget_hold(&id);
        match self.repo.release_hold(&id).await? {
            Release::Released { performance } => {
                self.board.forget(performance);
                Ok(())
            }
            Release::AlreadyFree => Ok(()),
            Release::Paid => Err(ReleaseError::AlreadyPaid),
            Release::Unknown => Err(ReleaseError::HoldNotFound),
        }
    }
}

use super::RepoResult;
use app::domain::{ClientKey, HoldId, PerformanceId};
use app::dto::SeatStatus;
use async_trait::async_trait;
use std::collections::HashSet;

/// Holds: seat claims (numbered seats) and place counts (general admission). The storage is
/// the last word on races: two holds can never claim one seat.
#[async_trait]
pub trait BookingRepo: Send + Sync + 'static {
    /// The held (unexpired) and sold seats of a performance; every other seat is free unless
    /// the plan blocks it.
    async fn seat_claims(
        &self,
        performance: PerformanceId,
        now: i64,
    ) -> RepoResult<Vec<(i64, SeatStatus)>>;
    /// Claims every seat or none. A seat whose claim has expired counts as free.
    async fn hold_seats(
        &self,
        hold: &NewHold,
        seat_ids: &[i64],
    ) -> RepoResult<Result<(), HoldRefusal>>;
    /// Claims the seats `choose` picks from what is taken at that moment, choosing and
    /// claiming under the write lock, so that buyers asking for the best seats together never
    /// collide. `SoldOut` when `choose` finds nothing.
    async fn hold_best_seats(
        &self,
        hold: &NewHold,
        choose: SeatChooser,
    ) -> RepoResult<Result<Vec<i64>, HoldRefusal>>;
    /// Keeps seats off one performance's sale, with a reason: claims that never expire, owned
    /// by a hold of their own, written with the audit record. All or none: `SeatsTaken` names
    /// seats already held, sold or blocked.
    async fn block_seats(&self, block: &SeatBlock) -> RepoResult<Result<(), HoldRefusal>>;
    /// Puts blocked seats of a performance back on sale (with the audit record); answers those
    /// that were blocked.
    async fn release_blocks(&self, release: &BlockRelease) -> RepoResult<Vec<i64>>;
    /// A performance's blocked seats (this performance's blocks, not the plan's) and why.
    async fn seat_blocks(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<(i64, app::domain::plan::BlockReason)>>;
    /// Takes `quantity` general-admission places, never beyond the capacity.
    async fn hold_places(
        &self,
        hold: &NewHold,
        quantity: i64,
    ) -> RepoResult<Result<(), HoldRefusal>>;
    async fn hold(&self, id: &HoldId) -> RepoResult<Option<HoldRow>>;
    /// Gives a hold's seats or places back, and cancels its unpaid order.
    async fn release_hold(&self, id: &HoldId) -> RepoResult<Release>;
    /// Frees what expired holds kept (claims, places, their unpaid orders). Returns how many.
    async fn expire_holds(&self, now: i64) -> RepoResult<u64>;
    /// Keeps an active hold (and its seats) until `until` at least, for a payment that runs
    /// longer than the hold would (PayFiP's idOp lives 15 minutes). False if it is not active
    /// (or already ran out at `now`).
    async fn extend_hold(&self, id: &HoldId, now: i64, until: i64) -> RepoResult<bool>;
}

/// Picks seats given the taken ones.
pub type SeatChooser = Box<dyn FnOnce(&HashSet<i64>) -> Option<Vec<i64>> + Send>;

/// A hold about to be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHold {
    pub id: HoldId,
    pub performance: PerformanceId,
    pub now: i64,
    pub expires_at: i64,
    /// Whose hold it is, when what one client may hold is capped (online buyers). Every hold
    /// op counts the client's active holds of the performance in the same transaction as
    /// the claim, so concurrent requests of one client cannot pass the cap together.
    pub limit: Option<ClientLimit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientLimit {
    pub client: ClientKey,
    /// Seats or places the client may hold of the performance at once.
    pub cap: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldRefusal {
    /// Held or sold by someone else.
    SeatsTaken(Vec<i64>),
    SoldOut {
        remaining: i64,
    },
    /// The client already holds `held` of its `cap`; the first of its holds ends at `frees_at`.
    TooManyHeld {
        held: i64,
        cap: i64,
        frees_at: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// Its seats or places are back on sale.
    Released {
        performance: PerformanceId,
    },
    /// Released or expired before: nothing to do.
    AlreadyFree,
    /// It became tickets.
    Paid,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldStatus {
    Active,
    Released,
    Expired,
    Consumed,
}

impl HoldStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldStatus::Active => "active",
            HoldStatus::Released => "released",
            HoldStatus::Expired => "expired",
            HoldStatus::Consumed => "consumed",
        }
    }
    pub fn parse(s: &str) -> Option<HoldStatus> {
        Some(match s {
            "active" => HoldStatus::Active,
            "released" => HoldStatus::Released,
            "expired" => HoldStatus::Expired,
            "consumed" => HoldStatus::Consumed,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRow {
    pub id: HoldId,
    pub performance: PerformanceId,
    pub quantity: i64,
    pub status: HoldStatus,
    pub expires_at: i64,
    /// Sorted.
    pub seat_ids: Vec<i64>,
}

/// Seats blocked on one performance.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatBlock {
    pub hold: HoldId,
    pub performance: PerformanceId,
    pub seat_ids: Vec<i64>,
    pub reason: app::domain::plan::BlockReason,
    pub now: i64,
    pub audit: super::AuditRecord,
}

/// Blocked seats of one performance put back on sale.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockRelease {
    pub performance: PerformanceId,
    pub seat_ids: Vec<i64>,
    pub audit: super::AuditRecord,
}

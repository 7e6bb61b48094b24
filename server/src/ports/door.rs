use super::{RepoResult, TicketStatus};
use app::domain::{PerformanceId, TicketNumber};
use app::door::{FirstAdmission, ScanConflict, ZoneCount};
use app::dto::SeatLabel;
use async_trait::async_trait;

/// Door accesses, the tickets as the door sees them, admissions and check-in counts.
#[async_trait]
pub trait DoorRepo: Send + Sync + 'static {
    async fn create_door_token(&self, token: &NewDoorToken) -> RepoResult<i64>;
    async fn door_token_by_hash(&self, token_hash: &str) -> RepoResult<Option<DoorTokenRow>>;
    async fn door_tokens(&self) -> RepoResult<Vec<DoorTokenRow>>;
    /// False when unknown or revoked before.
    async fn revoke_door_token(&self, id: i64, now: i64) -> RepoResult<bool>;

    async fn ticket_by_uid(&self, uid: i64) -> RepoResult<Option<DoorTicketRow>>;
    async fn ticket_by_number(&self, number: &TicketNumber) -> RepoResult<Option<DoorTicketRow>>;
    /// Tickets of a performance whose holder name contains `query.name`, or whose order
    /// reference or number (within any series) is the one given. At most 50.
    async fn search_attendees(
        &self,
        performance: PerformanceId,
        query: &AttendeeQuery,
    ) -> RepoResult<Vec<DoorTicketRow>>;
    async fn performance_tickets(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<DoorTicketRow>>;
    /// Uids of the tickets admitted (standing admissions).
    async fn admitted_uids(&self, performance: PerformanceId) -> RepoResult<Vec<i64>>;
    async fn standing_admission(&self, ticket_id: i64) -> RepoResult<Option<FirstAdmission>>;

    /// Admits a ticket once: concurrent scans race on the storage's one-standing-admission
    /// rule; the same nonce again, from the same door access, finds its admission (and is
    /// refused once that admission was undone). A refused offline scan by another device is
    /// kept as a conflict.
    async fn admit(&self, admission: &NewAdmission) -> RepoResult<Admission>;
    /// Undoes a standing admission; false when there is none with that id.
    async fn undo_admission(&self, admission_id: i64, token_id: i64, now: i64) -> RepoResult<bool>;
    async fn admission_performance(&self, admission_id: i64) -> RepoResult<Option<i64>>;
    async fn checkin_by_zone(&self, performance: PerformanceId) -> RepoResult<Vec<ZoneCount>>;
    async fn scan_conflicts(&self, performance: PerformanceId) -> RepoResult<Vec<ScanConflictRow>>;
    /// Cancels a valid ticket (it keeps its number) and frees its seat or place. Returns its
    /// performance, or `None` when it was not valid.
    async fn cancel_ticket(&self, ticket_id: i64, now: i64) -> RepoResult<Option<PerformanceId>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDoorToken {
    pub token_hash: String,
    pub label: String,
    pub supervisor: bool,
    pub now: i64,
    pub expires_at: i64,
    pub performance_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorTokenRow {
    pub id: i64,
    pub label: String,
    pub supervisor: bool,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub performance_ids: Vec<i64>,
}

/// A ticket with what the door checks and shows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct DoorTicketRow {
    pub id: i64,
    pub uid: i64,
    pub code: String,
    pub status: TicketStatus,
    pub order_paid: bool,
    pub order_reference: String,
    pub number: TicketNumber,
    pub performance_id: i64,
    pub title: String,
    pub starts_at: i64,
    pub seat: Option<SeatLabel>,
    pub tariff_code: String,
    pub tariff_label: String,
    pub proof_required: bool,
    pub holder_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeQuery {
    /// Lower case, without SQL wildcards.
    pub name: String,
    /// Upper case.
    pub reference: String,
    pub number: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdmission {
    pub ticket_id: i64,
    pub performance: PerformanceId,
    pub token_id: i64,
    pub device: String,
    pub scanned_at: i64,
    pub now: i64,
    pub offline: bool,
    pub nonce: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Admission {
    /// Admitted now (or this very scan was recorded before: a retry with the same nonce).
    Admitted { id: i64 },
    /// Another scan admitted the ticket first.
    AlreadyUsed { first: FirstAdmission },
    /// This door access used the nonce before, for another ticket or for an admission since
    /// undone: a retry must not admit again.
    NonceReused,
}

/// A conflict as stored; the use case prints the ticket number.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanConflictRow {
    pub number: TicketNumber,
    pub conflict: ScanConflict,
}

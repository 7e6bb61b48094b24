use super::Failure;
use crate::door::*;
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use async_trait::async_trait;

/// Door control. Every call carries the door token (`Authorization: Bearer …` on the API); a
/// token reaches only its own performances.
#[async_trait]
pub trait DoorControl: Send + Sync + 'static {
    async fn access(&self, token: &str) -> Result<DoorAccess, DoorError>;
    async fn scan(&self, token: &str, request: ScanRequest) -> Result<ScanResult, DoorError>;
    /// Supervisor tokens only.
    async fn undo(&self, token: &str, admission_id: i64) -> Result<ScanResult, DoorError>;
    async fn checkin(&self, token: &str, performance_id: i64) -> Result<CheckinReport, DoorError>;
    async fn attendees(
        &self,
        token: &str,
        performance_id: i64,
        query: &str,
    ) -> Result<Vec<Attendee>, DoorError>;
    async fn offline_data(
        &self,
        token: &str,
        performance_id: i64,
    ) -> Result<OfflineData, DoorError>;
    /// A door access for a logged-in staff member (role door or admin): their supervisor flag,
    /// their name in the audit trail.
    async fn open_door(
        &self,
        actor: &crate::staff::Actor,
        request: &crate::staff::DoorAccessRequest,
    ) -> Result<crate::staff::DoorAccessGranted, DoorError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DoorError {
    #[error("door token invalid or expired")]
    Unauthorized,
    #[error("the door access does not cover this performance")]
    NotThisPerformance,
    #[error("supervisor access required")]
    NotSupervisor,
    #[error("this staff role does not control the door")]
    RoleForbidden,
    #[error("nonce missing or too long")]
    InvalidNonce,
    #[error("neither a code nor a ticket number")]
    NothingToScan,
    #[error("nonce already used for another ticket")]
    NonceReused,
    #[error("admission not found")]
    AdmissionNotFound,
    #[error("admission already undone")]
    AlreadyUndone,
    #[error("search needs two characters")]
    QueryTooShort,
    #[error("no performance for the access")]
    NoPerformances,
    #[error("validity out of range")]
    InvalidValidity,
    #[error("performance {0} not found")]
    PerformanceNotFound(i64),
    #[error("invalid ticket number {0:?}")]
    InvalidTicketNumber(String),
    #[error("ticket not found")]
    TicketNotFound,
    #[error("ticket already cancelled")]
    TicketAlreadyCancelled,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for DoorError {
    fn code(&self) -> ErrorCode {
        use DoorError::*;
        match self {
            Unauthorized => ErrorCode::Unauthorized,
            NotThisPerformance | NotSupervisor | RoleForbidden => ErrorCode::Forbidden,
            InvalidNonce
            | NothingToScan
            | QueryTooShort
            | NoPerformances
            | InvalidValidity
            | InvalidTicketNumber(_) => ErrorCode::Validation,
            NonceReused | AlreadyUndone | TicketAlreadyCancelled => ErrorCode::Conflict,
            AdmissionNotFound | PerformanceNotFound(_) | TicketNotFound => ErrorCode::NotFound,
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use DoorError::*;
        match self {
            Unauthorized => Message::new("error-door-unauthorized"),
            NotThisPerformance => Message::new("error-door-forbidden"),
            NotSupervisor => Message::new("error-door-not-supervisor"),
            RoleForbidden => Message::new("error-staff-forbidden"),
            InvalidNonce => Message::new("error-nonce-invalid"),
            NothingToScan => Message::new("error-scan-empty"),
            NonceReused => Message::new("error-nonce-reused"),
            AdmissionNotFound => Message::new("error-admission-not-found"),
            AlreadyUndone => Message::new("error-admission-undone"),
            QueryTooShort => Message::new("error-search-too-short"),
            NoPerformances => Message::new("error-access-no-performance"),
            InvalidValidity => Message::new("error-access-hours"),
            PerformanceNotFound(id) => Message::new("error-performance-not-found").int("id", *id),
            InvalidTicketNumber(n) => Message::new("error-ticket-number-invalid").text("number", n),
            TicketNotFound => Message::new("error-ticket-not-found"),
            TicketAlreadyCancelled => Message::new("error-ticket-already-cancelled"),
            Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            DoorError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

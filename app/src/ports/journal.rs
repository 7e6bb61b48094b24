use super::Failure;
use crate::box_office::{CashCountRequest, CloseRequest, ClosureReport, JournalCheck};
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use crate::staff::Actor;
use async_trait::async_trait;

/// The box office's cash journal: closures (Z reports), cash counts, its verification and its
/// signed archives. Closing and archiving are a supervisor's acts.
#[async_trait]
pub trait CashJournal: Send + Sync + 'static {
    async fn close(
        &self,
        actor: &Actor,
        request: &CloseRequest,
    ) -> Result<ClosureReport, JournalError>;
    /// An X reading: the running totals of a period not closed yet (the one running now when
    /// `date` is absent), written nowhere. Any box office agent.
    async fn reading(
        &self,
        actor: &Actor,
        request: &CloseRequest,
    ) -> Result<ClosureReport, JournalError>;
    /// Every closure, newest first.
    async fn closures(&self, actor: &Actor) -> Result<Vec<ClosureReport>, JournalError>;
    /// A closed period's Z report as a PDF (`2026-12-06`, `2026-12`, `2026`).
    async fn closure_pdf(&self, actor: &Actor, period: &str) -> Result<Vec<u8>, JournalError>;
    async fn count_cash(
        &self,
        actor: &Actor,
        request: &CashCountRequest,
    ) -> Result<(), JournalError>;
    /// Reads both journals whole and says whether every link holds.
    async fn check(&self, actor: &Actor) -> Result<JournalCheck, JournalError>;
    /// A closed period's entries as a JSON Lines archive, and its detached signature.
    async fn archive(&self, actor: &Actor, period: &str) -> Result<SignedArchive, JournalError>;
}

/// An archive and what signs it (`signature` is a small JSON document: key id, algorithm,
/// SHA-256 of the archive, Ed25519 signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedArchive {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JournalError {
    #[error("not allowed for this role")]
    Forbidden,
    #[error("a supervisor's act")]
    SupervisorOnly,
    #[error("invalid period {0:?}")]
    InvalidPeriod(String),
    #[error("period {0} is not over")]
    NotOver(String),
    #[error("period {0} is closed already")]
    AlreadyClosed(String),
    #[error("period {0} is not closed")]
    NotClosed(String),
    #[error("invalid cash count")]
    InvalidCount,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for JournalError {
    fn code(&self) -> ErrorCode {
        use JournalError::*;
        match self {
            Forbidden | SupervisorOnly => ErrorCode::Forbidden,
            InvalidPeriod(_) | NotOver(_) | InvalidCount => ErrorCode::Validation,
            AlreadyClosed(_) | NotClosed(_) => ErrorCode::Conflict,
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use JournalError::*;
        match self {
            Forbidden => Message::new("error-staff-forbidden"),
            SupervisorOnly => Message::new("error-supervisor-only"),
            InvalidPeriod(p) => Message::new("error-period-invalid").text("period", p),
            NotOver(p) => Message::new("error-period-not-over").text("period", p),
            AlreadyClosed(p) => Message::new("error-period-closed").text("period", p),
            NotClosed(p) => Message::new("error-period-not-closed").text("period", p),
            InvalidCount => Message::new("error-cash-count"),
            Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            JournalError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

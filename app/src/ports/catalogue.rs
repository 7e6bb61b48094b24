use super::Failure;
use crate::dto::{LiveState, PerformanceSummary, ProgrammeQuery, SeatMap, ShowDetail};
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use async_trait::async_trait;
use std::sync::Arc;

/// The public programme and seat maps.
#[async_trait]
pub trait Catalogue: Send + Sync + 'static {
    async fn programme(
        &self,
        query: ProgrammeQuery,
    ) -> Result<Vec<PerformanceSummary>, CatalogueError>;
    async fn show(&self, show_id: i64) -> Result<ShowDetail, CatalogueError>;
    /// A poster by its served name (`42-0123456789abcdef.jpg`); an old name is not found.
    async fn poster(&self, file: &str) -> Result<PosterFile, CatalogueError>;
    async fn seatmap(&self, performance_id: i64) -> Result<SeatMap, CatalogueError>;
    async fn live_state(&self, performance_id: i64) -> Result<LiveState, CatalogueError>;
    /// The live state as JSON, serialised once per change (200 polling seat maps share it).
    async fn live_json(&self, performance_id: i64) -> Result<Arc<[u8]>, CatalogueError>;
}

/// A poster's bytes as served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosterFile {
    pub format: crate::domain::poster::PosterFormat,
    pub bytes: Arc<[u8]>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogueError {
    #[error("performance {0} not found")]
    PerformanceNotFound(i64),
    #[error("show {0} not found")]
    ShowNotFound(i64),
    #[error("invalid date {0:?}")]
    InvalidDate(String),
    #[error("invalid kind {0:?}")]
    InvalidKind(String),
    #[error("no poster {0:?}")]
    PosterNotFound(String),
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for CatalogueError {
    fn code(&self) -> ErrorCode {
        match self {
            CatalogueError::PerformanceNotFound(_)
            | CatalogueError::ShowNotFound(_)
            | CatalogueError::PosterNotFound(_) => ErrorCode::NotFound,
            CatalogueError::InvalidDate(_) => ErrorCode::Validation,
            CatalogueError::InvalidKind(_) => ErrorCode::BadRequest,
            CatalogueError::Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        match self {
            CatalogueError::PerformanceNotFound(id) => {
                Message::new("error-performance-not-found").int("id", *id)
            }
            CatalogueError::ShowNotFound(_) => Message::new("error-show-not-found"),
            CatalogueError::InvalidDate(v) => Message::new("error-invalid-date").text("value", v),
            CatalogueError::InvalidKind(v) => Message::new("error-invalid-kind").text("value", v),
            CatalogueError::PosterNotFound(_) => Message::new("error-poster-not-found"),
            CatalogueError::Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            CatalogueError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

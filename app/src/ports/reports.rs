use super::{CatalogueError, Failure};
use crate::box_office::{SalesReport, Statement};
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use crate::staff::Actor;
use async_trait::async_trait;

/// Reports for the box office and the cultural services: the statement of a performance.
#[async_trait]
pub trait Reports: Send + Sync + 'static {
    async fn statement(&self, actor: &Actor, performance_id: i64)
        -> Result<Statement, ReportError>;
    async fn statement_pdf(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<Vec<u8>, ReportError>;
    async fn statement_csv(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<String, ReportError>;
    /// Sales over Paris days `from` to `to` (both included, `YYYY-MM-DD`, a year at most).
    async fn sales(&self, actor: &Actor, from: &str, to: &str) -> Result<SalesReport, ReportError>;
    /// The orders paid over Paris days `from` to `to`, a page at a time (`after`: the cursor
    /// the page before gave; `limit`: 1000 at most).
    async fn orders_page(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
        after: Option<&str>,
        limit: Option<i64>,
    ) -> Result<crate::domain::export::OrdersPage, ReportError>;
    /// The heat map of a performance's hall (its seat map) over Paris days `from` to `to`.
    async fn heatmap(
        &self,
        actor: &Actor,
        performance_id: i64,
        from: &str,
        to: &str,
    ) -> Result<crate::domain::heatmap::HeatMap, ReportError>;
    /// A performance's paid tickets, cancelled ones too, with who came in.
    async fn attendees(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<Vec<crate::domain::export::AttendeeLine>, ReportError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    #[error("not allowed for this role")]
    Forbidden,
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error("invalid period {0:?}")]
    InvalidPeriod(String),
    #[error("invalid export cursor {0:?}")]
    InvalidCursor(String),
    #[error("rendering failed: {0}")]
    Render(String),
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for ReportError {
    fn code(&self) -> ErrorCode {
        match self {
            ReportError::Forbidden => ErrorCode::Forbidden,
            ReportError::InvalidPeriod(_) | ReportError::InvalidCursor(_) => ErrorCode::Validation,
            ReportError::Catalogue(e) => e.code(),
            ReportError::Render(_) => ErrorCode::Internal,
            ReportError::Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        match self {
            ReportError::Forbidden => Message::new("error-staff-forbidden"),
            ReportError::InvalidPeriod(p) => Message::new("error-report-period").text("period", p),
            ReportError::InvalidCursor(_) => Message::new("error-export-cursor"),
            ReportError::Catalogue(e) => e.message(),
            ReportError::Render(_) => Message::new("error-internal"),
            ReportError::Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            ReportError::Failure(f) => Some(f),
            ReportError::Catalogue(e) => e.failure(),
            _ => None,
        }
    }
}

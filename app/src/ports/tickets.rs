use super::Failure;
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use crate::ticket_code::PublicKeyInfo;
use async_trait::async_trait;

/// The tickets of a paid order: PDF and the QR code for phones.
#[async_trait]
pub trait Tickets: Send + Sync + 'static {
    /// One PDF with every ticket of the order, or only `ticket_id`, laid out for A4 or a
    /// ticket printer's roll.
    async fn tickets_pdf(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: Option<i64>,
        layout: crate::dto::TicketLayout,
    ) -> Result<Vec<u8>, TicketsError>;
    /// The QR code of one ticket as SVG, to show on a phone at the door.
    async fn ticket_qr_svg(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: i64,
    ) -> Result<String, TicketsError>;
    /// The order's performance as a calendar event (RFC 5545), to add to one's agenda.
    async fn calendar(&self, order_id: &str, token: &str) -> Result<String, TicketsError>;
    /// The keys that verify ticket codes (scanners download them).
    fn public_keys(&self) -> Vec<PublicKeyInfo>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TicketsError {
    #[error("order not found")]
    OrderNotFound,
    #[error("order not paid")]
    NotPaid,
    #[error("ticket not found")]
    TicketNotFound,
    #[error("rendering failed: {0}")]
    Render(String),
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for TicketsError {
    fn code(&self) -> ErrorCode {
        match self {
            TicketsError::OrderNotFound | TicketsError::TicketNotFound => ErrorCode::NotFound,
            TicketsError::NotPaid => ErrorCode::Conflict,
            TicketsError::Render(_) => ErrorCode::Internal,
            TicketsError::Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        match self {
            TicketsError::OrderNotFound => Message::new("error-order-not-found"),
            TicketsError::NotPaid => Message::new("error-tickets-not-paid"),
            TicketsError::TicketNotFound => Message::new("error-ticket-not-found"),
            TicketsError::Render(_) => Message::new("error-pdf"),
            TicketsError::Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            TicketsError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

use super::Failure;
use crate::dto::{FindOrdersRequest, MailQueued, MailStatusView};
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use crate::staff::Actor;
use async_trait::async_trait;

/// Mails a buyer or the box office asks for: the tickets again, the links of one's orders.
/// They go through the outbox like every mail; each address receives only a few an hour.
#[async_trait]
pub trait OrderMails: Send + Sync + 'static {
    /// The order's tickets mailed again to its buyer (from the order page: the link's token).
    async fn resend(&self, order_id: &str, token: &str) -> Result<MailQueued, ResendError>;
    /// The same from the box office, to the order's address or to one the buyer corrects.
    async fn resend_for_staff(
        &self,
        actor: &Actor,
        order_id: &str,
        to: Option<&str>,
    ) -> Result<MailQueued, ResendError>;
    /// "Retrouver ma commande": the links of the orders of an address, or of a reference, are
    /// mailed to the buyer's address. The answer is the same whether anything was found or
    /// not, so it tells nobody who bought what.
    async fn find_my_orders(&self, request: &FindOrdersRequest) -> Result<(), FindOrdersError>;
    /// The outbox as admins see it: waiting, sent, and failing mails with their error.
    async fn mail_status(&self, actor: &Actor) -> Result<MailStatusView, ResendError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResendError {
    #[error("not allowed for this role")]
    Forbidden,
    /// Also when the token does not match.
    #[error("order not found")]
    OrderNotFound,
    #[error("the order is not paid")]
    NotPaid,
    /// Every ticket of the order was cancelled.
    #[error("no valid ticket left")]
    NoValidTickets,
    #[error("the order has no e-mail address")]
    NoAddress,
    #[error("invalid e-mail")]
    InvalidEmail,
    #[error("mailed too often lately")]
    TooOften { retry_after: i64 },
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for ResendError {
    fn code(&self) -> ErrorCode {
        use ResendError::*;
        match self {
            Forbidden => ErrorCode::Forbidden,
            OrderNotFound => ErrorCode::NotFound,
            NotPaid | NoValidTickets => ErrorCode::Conflict,
            NoAddress | InvalidEmail => ErrorCode::Validation,
            TooOften { .. } => ErrorCode::RateLimited,
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use ResendError::*;
        match self {
            Forbidden => Message::new("error-staff-forbidden"),
            OrderNotFound => Message::new("error-order-not-found"),
            NotPaid => Message::new("error-resend-not-paid"),
            NoValidTickets => Message::new("error-resend-no-tickets"),
            NoAddress => Message::new("error-resend-no-address"),
            InvalidEmail => Message::new("error-email-invalid"),
            TooOften { .. } => Message::new("error-resend-too-often"),
            Failure(f) => f.message(),
        }
    }
    fn retry_after(&self) -> Option<i64> {
        match self {
            ResendError::TooOften { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            ResendError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FindOrdersError {
    /// Neither an e-mail address nor an order reference.
    #[error("neither an e-mail address nor an order reference")]
    Invalid,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for FindOrdersError {
    fn code(&self) -> ErrorCode {
        match self {
            FindOrdersError::Invalid => ErrorCode::Validation,
            FindOrdersError::Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        match self {
            FindOrdersError::Invalid => Message::new("error-find-orders-invalid"),
            FindOrdersError::Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            FindOrdersError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

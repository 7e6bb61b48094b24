use super::Failure;
use crate::box_office::{AfterSale, CancelRequest, OrderFile, OrderSummary, RefundRequest};
use crate::domain::after_sale::RefundProblem;
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use crate::staff::Actor;
use async_trait::async_trait;

/// After a sale (box office staff and admins): cancelling tickets and giving money back,
/// journaled and audited.
#[async_trait]
pub trait AfterSales: Send + Sync + 'static {
    /// Orders by ticket number, scanned code, e-mail, reference or name; newest first, 50 at
    /// most.
    async fn search(&self, actor: &Actor, query: &str)
        -> Result<Vec<OrderSummary>, AfterSaleError>;
    async fn file(&self, actor: &Actor, order_id: &str) -> Result<OrderFile, AfterSaleError>;
    async fn cancel(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &CancelRequest,
    ) -> Result<AfterSale, AfterSaleError>;
    async fn refund(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &RefundRequest,
    ) -> Result<AfterSale, AfterSaleError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AfterSaleError {
    #[error("not allowed for this role")]
    Forbidden,
    #[error("order not found")]
    OrderNotFound,
    #[error("the order is not paid")]
    NotPaid,
    #[error("a reason is needed")]
    InvalidReason,
    #[error("invalid cash desk name")]
    InvalidDesk,
    #[error("tickets not of this order: {0:?}")]
    UnknownTickets(Vec<i64>),
    #[error("tickets already cancelled: {0:?}")]
    AlreadyCancelled(Vec<String>),
    #[error("invalid search")]
    InvalidQuery,
    #[error("no ticket left to cancel")]
    NothingToCancel,
    #[error(transparent)]
    Refund(#[from] RefundProblem),
    #[error("changed meanwhile")]
    Changed,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for AfterSaleError {
    fn code(&self) -> ErrorCode {
        use AfterSaleError::*;
        match self {
            Forbidden | Refund(RefundProblem::SupervisorAbove(_)) => ErrorCode::Forbidden,
            OrderNotFound => ErrorCode::NotFound,
            NotPaid | AlreadyCancelled(_) | NothingToCancel | Changed => ErrorCode::Conflict,
            InvalidReason | InvalidDesk | InvalidQuery | UnknownTickets(_) | Refund(_) => {
                ErrorCode::Validation
            }
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use AfterSaleError::*;
        match self {
            Forbidden => Message::new("error-staff-forbidden"),
            OrderNotFound => Message::new("error-order-not-found"),
            NotPaid => Message::new("error-after-sale-not-paid"),
            InvalidReason => Message::new("error-after-sale-reason"),
            InvalidDesk => Message::new("error-counter-desk"),
            UnknownTickets(ids) => Message::new("error-after-sale-unknown-tickets").text(
                "ids",
                &ids.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            AlreadyCancelled(numbers) => Message::new("error-after-sale-already-cancelled")
                .text("numbers", &numbers.join(", ")),
            NothingToCancel => Message::new("error-after-sale-nothing"),
            InvalidQuery => Message::new("error-order-search"),
            Changed => Message::new("error-after-sale-changed"),
            Refund(RefundProblem::NotPositive) => Message::new("error-refund-amount"),
            Refund(RefundProblem::FreeMethod) => Message::new("error-refund-free"),
            Refund(RefundProblem::MoreThanPaid { asked, refundable }) => {
                Message::new("error-refund-too-much")
                    .money("asked", asked.0)
                    .money("refundable", refundable.0)
            }
            Refund(RefundProblem::SupervisorAbove(limit)) => {
                Message::new("error-refund-supervisor").money("limit", limit.0)
            }
            Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            AfterSaleError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

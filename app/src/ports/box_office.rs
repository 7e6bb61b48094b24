use super::{Failure, HoldError, OrderError, PaymentError};
use crate::box_office::*;
use crate::domain::after_sale::RefundProblem;
use crate::domain::counter::PaymentProblem;
use crate::domain::exchange::ExchangeProblem;
use crate::dto::OrderView;
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use crate::staff::Actor;
use async_trait::async_trait;

/// The box office: selling at the counter (paid at once, or kept to be paid later). Box office
/// staff and admins; blocked seats only for a supervisor.
#[async_trait]
pub trait BoxOffice: Send + Sync + 'static {
    async fn sell(
        &self,
        actor: &Actor,
        request: &CounterSaleRequest,
    ) -> Result<CounterSale, CounterError>;
    /// Seats kept for a buyer who pays at the counter later ("à régler au guichet").
    async fn reserve(
        &self,
        actor: &Actor,
        request: &CounterReservationRequest,
    ) -> Result<OrderView, CounterError>;
    /// The performances of a Paris day (`YYYY-MM-DD`) the counter may sell, by start.
    async fn performances(
        &self,
        actor: &Actor,
        day: &str,
    ) -> Result<Vec<CounterPerformance>, CounterError>;
    /// A reservation paid (or any order awaiting payment, paid at the counter).
    async fn pay_at_counter(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &CounterPaymentRequest,
    ) -> Result<CounterSale, CounterError>;
    /// Seats kept off one performance's sale, with a reason (all or none: a held, sold or
    /// blocked seat refuses the lot).
    async fn block_seats(
        &self,
        actor: &Actor,
        performance_id: i64,
        request: &BlockRequest,
    ) -> Result<SeatBlocks, CounterError>;
    /// Blocked seats of a performance back on sale.
    async fn release_seats(
        &self,
        actor: &Actor,
        performance_id: i64,
        request: &ReleaseRequest,
    ) -> Result<SeatBlocks, CounterError>;
    async fn seat_blocks(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<SeatBlocks, CounterError>;
    /// Tickets of a paid order given back for others of the same show, in one transaction:
    /// the new order is issued, the old tickets cancelled, the difference settled.
    async fn exchange(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &ExchangeRequest,
    ) -> Result<Exchanged, ExchangeError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExchangeError {
    /// Choosing and selling the new tickets.
    #[error(transparent)]
    Counter(#[from] CounterError),
    /// Finding the order and the tickets given back.
    #[error(transparent)]
    AfterSale(#[from] super::AfterSaleError),
    #[error(transparent)]
    Balance(#[from] ExchangeProblem),
    #[error("performance {0} is not of the same show")]
    OtherShow(i64),
    #[error("name the tickets given back")]
    NoTickets,
}

impl UserFacing for ExchangeError {
    fn code(&self) -> ErrorCode {
        use ExchangeError::*;
        match self {
            Counter(e) => e.code(),
            AfterSale(e) => e.code(),
            Balance(ExchangeProblem::Refund(RefundProblem::SupervisorAbove(_))) => {
                ErrorCode::Forbidden
            }
            Balance(_) | NoTickets => ErrorCode::Validation,
            OtherShow(_) => ErrorCode::Conflict,
        }
    }
    fn message(&self) -> Message {
        use ExchangeError::*;
        match self {
            Counter(e) => e.message(),
            AfterSale(e) => e.message(),
            Balance(ExchangeProblem::Payments(p)) => CounterError::Payments(p.clone()).message(),
            Balance(ExchangeProblem::Refund(r)) => super::AfterSaleError::Refund(*r).message(),
            Balance(ExchangeProblem::MethodMissing) => Message::new("error-exchange-method"),
            Balance(ExchangeProblem::NothingToPay) => Message::new("error-exchange-nothing-to-pay"),
            OtherShow(id) => Message::new("error-exchange-other-show").text("id", &id.to_string()),
            NoTickets => Message::new("error-exchange-no-tickets"),
        }
    }
    fn seat_ids(&self) -> Vec<i64> {
        match self {
            ExchangeError::Counter(e) => e.seat_ids(),
            _ => Vec::new(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            ExchangeError::Counter(e) => e.failure(),
            ExchangeError::AfterSale(e) => e.failure(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CounterError {
    #[error("not allowed for this role")]
    Forbidden,
    #[error("invalid cash desk name")]
    InvalidDesk,
    #[error("invalid buyer name")]
    InvalidName,
    #[error("invalid e-mail")]
    InvalidEmail,
    #[error("reservation time out of range")]
    InvalidHoldTime,
    #[error("order not found")]
    OrderNotFound,
    #[error("invalid date {0:?}")]
    InvalidDate(String),
    #[error(transparent)]
    Hold(#[from] HoldError),
    #[error(transparent)]
    Order(#[from] OrderError),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Payments(#[from] PaymentProblem),
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for CounterError {
    fn code(&self) -> ErrorCode {
        use CounterError::*;
        match self {
            Forbidden => ErrorCode::Forbidden,
            InvalidDesk | InvalidName | InvalidEmail | InvalidHoldTime | InvalidDate(_)
            | Payments(_) => ErrorCode::Validation,
            OrderNotFound => ErrorCode::NotFound,
            Hold(e) => e.code(),
            Order(e) => e.code(),
            Payment(e) => e.code(),
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use CounterError::*;
        use PaymentProblem as P;
        match self {
            Forbidden => Message::new("error-staff-forbidden"),
            InvalidDesk => Message::new("error-counter-desk"),
            InvalidName => Message::new("error-name-invalid"),
            InvalidEmail => Message::new("error-email-invalid"),
            InvalidHoldTime => Message::new("error-counter-hold-time"),
            OrderNotFound => Message::new("error-order-not-found"),
            InvalidDate(d) => Message::new("error-invalid-date").text("value", d),
            Hold(e) => e.message(),
            Order(e) => e.message(),
            Payment(e) => e.message(),
            Payments(P::Missing { total }) => {
                Message::new("error-counter-no-payment").money("total", *total)
            }
            Payments(P::DoNotAddUp { paid, total }) => Message::new("error-counter-not-adding-up")
                .money("paid", *paid)
                .money("total", *total),
            Payments(P::NotPositive) => Message::new("error-counter-amount"),
            Payments(P::TenderedNotCash) => Message::new("error-counter-tendered-not-cash"),
            Payments(P::TenderedTooLittle { tendered, amount }) => {
                Message::new("error-counter-tendered-too-little")
                    .money("tendered", *tendered)
                    .money("amount", *amount)
            }
            Payments(P::TwoCashLines) => Message::new("error-counter-two-cash"),
            Payments(P::FreeWithoutReason) => Message::new("error-counter-free-reason"),
            Payments(P::FreeWithAmount) => Message::new("error-counter-free-amount"),
            Payments(P::PaidForNothing) => Message::new("error-counter-paid-for-nothing"),
            Failure(f) => f.message(),
        }
    }
    fn seat_ids(&self) -> Vec<i64> {
        match self {
            CounterError::Hold(e) => e.seat_ids(),
            _ => Vec::new(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            CounterError::Failure(f) => Some(f),
            CounterError::Hold(e) => e.failure(),
            CounterError::Order(e) => e.failure(),
            CounterError::Payment(e) => e.failure(),
            _ => None,
        }
    }
}

impl From<Failure> for ExchangeError {
    fn from(f: Failure) -> ExchangeError {
        ExchangeError::Counter(CounterError::Failure(f))
    }
}

impl From<HoldError> for ExchangeError {
    fn from(e: HoldError) -> ExchangeError {
        ExchangeError::Counter(CounterError::Hold(e))
    }
}

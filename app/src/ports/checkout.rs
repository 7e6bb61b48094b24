use super::Failure;
use crate::domain::basket::BasketError;
use crate::domain::pricing::PricingError;
use crate::dto::{OrderRequest, OrderView, PaymentOutcome, PaymentProvider, PaymentReply};
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use async_trait::async_trait;

/// Orders and payments. Every call on an existing order carries its link token: whoever does
/// not have it cannot see, pay or download the order, through any adapter.
#[async_trait]
pub trait Checkout: Send + Sync + 'static {
    async fn create_order(&self, request: OrderRequest) -> Result<OrderView, OrderError>;
    /// Starts a payment attempt: settled at once (the sandbox), or a page of the provider to
    /// send the buyer to. Approving an already paid order returns it unchanged.
    async fn pay(
        &self,
        order_id: &str,
        token: &str,
        outcome: PaymentOutcome,
    ) -> Result<PaymentReply, PaymentError>;
    /// The order; while a provider's result is awaited, the provider is asked first.
    async fn order(&self, order_id: &str, token: &str) -> Result<OrderView, OrderAccessError>;
    /// A provider says it has news of a payment it knows as `provider_ref` (PayFiP's
    /// notification, the buyer's return): it is asked what happened, and the payment settled
    /// accordingly — once, however often the news comes. The order's link (id, token) when
    /// the payment is one of ours.
    async fn payment_news(
        &self,
        provider_ref: &str,
    ) -> Result<Option<(String, String)>, PaymentError>;
    /// Asks the provider about attempts still pending after `older_than` seconds (their
    /// notification never came) and settles them; attempts the provider no longer knows are
    /// closed as abandoned. How many attempts were finished.
    async fn poll_pending_payments(&self, older_than: i64) -> Result<usize, Failure>;
    /// True when the sandbox payment provider is active (the UI must say so).
    fn payments_sandbox(&self) -> bool;
    fn payment_provider(&self) -> PaymentProvider;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OrderError {
    #[error("hold not found")]
    HoldNotFound,
    #[error("hold expired")]
    HoldExpired,
    #[error("hold already paid")]
    HoldAlreadyPaid,
    #[error("buyer name missing")]
    NameMissing,
    #[error("buyer name invalid")]
    NameInvalid,
    #[error("invalid e-mail")]
    InvalidEmail,
    #[error(transparent)]
    Basket(#[from] BasketError),
    #[error(transparent)]
    Pricing(#[from] PricingError),
    #[error("tariff {tariff:?}: only {left} left")]
    TariffQuota { tariff: String, left: i64 },
    #[error("no free order reference after several draws")]
    NoReference,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for OrderError {
    fn code(&self) -> ErrorCode {
        use OrderError::*;
        match self {
            HoldNotFound => ErrorCode::NotFound,
            HoldExpired => ErrorCode::HoldExpired,
            HoldAlreadyPaid | TariffQuota { .. } => ErrorCode::Conflict,
            NameMissing | NameInvalid | InvalidEmail | Basket(_) | Pricing(_) => {
                ErrorCode::Validation
            }
            NoReference => ErrorCode::Internal,
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use OrderError::*;
        match self {
            HoldNotFound => Message::new("error-hold-not-found"),
            TariffQuota { tariff, left } => Message::new("error-tariff-quota")
                .text("tariff", tariff)
                .int("left", *left),
            HoldExpired => Message::new("error-hold-expired"),
            HoldAlreadyPaid => Message::new("error-hold-already-paid"),
            NameMissing => Message::new("error-name-missing"),
            NameInvalid => Message::new("error-name-invalid"),
            InvalidEmail => Message::new("error-email-invalid"),
            Basket(BasketError::Empty) => Message::new("error-no-tickets"),
            Basket(BasketError::SeatsMismatch) => Message::new("error-tickets-seats-mismatch"),
            Basket(BasketError::QuantityMismatch { expected }) => {
                Message::new("error-tickets-quantity-mismatch").int("expected", *expected)
            }
            Pricing(PricingError::TariffNotOffered {
                tariff,
                seat_id: Some(seat),
            }) => Message::new("error-tariff-not-offered-seat")
                .text("tariff", tariff)
                .int("seat", *seat),
            Pricing(PricingError::TariffNotOffered {
                tariff,
                seat_id: None,
            }) => Message::new("error-tariff-not-offered").text("tariff", tariff),
            NoReference => Message::new("error-no-reference"),
            Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            OrderError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PaymentError {
    /// Also when the token does not match: the order's existence is not revealed.
    #[error("order not found")]
    OrderNotFound,
    #[error("order already paid")]
    AlreadyPaid,
    #[error("order cancelled")]
    Cancelled,
    #[error("the hold ran out, the seats were released")]
    SeatsReleased,
    /// The provider took the money but the order could no longer be honoured (its hold ran
    /// out, it was cancelled): a refund is on record for staff.
    #[error("approved too late: refund recorded")]
    TooLate,
    #[error("no payment provider is configured")]
    NotConfigured,
    /// What the settlement depended on changed meanwhile (an exchange's old tickets).
    #[error("changed meanwhile")]
    Changed,
    #[error("payment provider failure: {0}")]
    Provider(String),
    /// The provider does not take this payment (an amount or an address outside its rules).
    #[error("payment not accepted by the provider: {0}")]
    NotAccepted(String),
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for PaymentError {
    fn code(&self) -> ErrorCode {
        use PaymentError::*;
        match self {
            OrderNotFound => ErrorCode::NotFound,
            AlreadyPaid | Cancelled | Changed => ErrorCode::Conflict,
            SeatsReleased | TooLate => ErrorCode::HoldExpired,
            NotConfigured | Provider(_) => ErrorCode::Unavailable,
            NotAccepted(_) => ErrorCode::Validation,
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use PaymentError::*;
        match self {
            OrderNotFound => Message::new("error-order-not-found"),
            AlreadyPaid => Message::new("error-order-already-paid"),
            Cancelled => Message::new("error-order-cancelled"),
            SeatsReleased => Message::new("error-seats-released"),
            TooLate => Message::new("error-payment-too-late"),
            NotConfigured => Message::new("error-payments-not-configured"),
            Changed => Message::new("error-after-sale-changed"),
            Provider(_) => Message::new("error-payment-provider"),
            NotAccepted(_) => Message::new("error-payment-not-accepted"),
            Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            PaymentError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OrderAccessError {
    /// Unknown order, or a token that does not match.
    #[error("order not found")]
    NotFound,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for OrderAccessError {
    fn code(&self) -> ErrorCode {
        match self {
            OrderAccessError::NotFound => ErrorCode::NotFound,
            OrderAccessError::Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        match self {
            OrderAccessError::NotFound => Message::new("error-order-not-found"),
            OrderAccessError::Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            OrderAccessError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

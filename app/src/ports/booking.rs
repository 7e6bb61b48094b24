use super::Failure;
use crate::domain::sale_window::SaleRefusal;
use crate::domain::selection::SelectionError;
use crate::domain::ClientKey;
use crate::dto::{HoldRequest, HoldView};
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use async_trait::async_trait;

/// Holding seats (or general-admission places) for a buyer while they check out.
#[async_trait]
pub trait Booking: Send + Sync + 'static {
    /// A hold placed for an online buyer: what `client` may hold at once is capped
    /// (`domain::hold_cap`). `None`: nobody's to count (the CLI, staff tools, tests).
    async fn hold_for(
        &self,
        client: Option<ClientKey>,
        request: HoldRequest,
    ) -> Result<HoldView, HoldError>;
    /// A hold not counted against any client.
    async fn create_hold(&self, request: HoldRequest) -> Result<HoldView, HoldError> {
        self.hold_for(None, request).await
    }
    /// Gives the seats back. Releasing twice is harmless.
    async fn release_hold(&self, hold_id: &str) -> Result<(), ReleaseError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HoldError {
    #[error("performance {0} not found")]
    PerformanceNotFound(i64),
    #[error("not on sale: {0:?}")]
    SaleClosed(SaleRefusal),
    #[error("both seats and a quantity were given")]
    SeatsAndQuantity,
    #[error("neither seats nor a quantity were given")]
    NothingRequested,
    #[error("general admission takes a quantity")]
    QuantityExpected,
    #[error(transparent)]
    Selection(#[from] SelectionError),
    #[error("unknown seats {0:?}")]
    UnknownSeats(Vec<i64>),
    #[error("seats not on sale {0:?}")]
    SeatsNotOnSale(Vec<i64>),
    #[error("seats taken {0:?}")]
    SeatsTaken(Vec<i64>),
    #[error("no {quantity} adjacent seats left")]
    NoAdjacentSeats { quantity: i64 },
    #[error("sold out ({remaining} left)")]
    SoldOut { remaining: i64 },
    /// The client holds all it may of this performance; some frees in `retry_after` seconds.
    #[error("already holding {held} of {cap}")]
    TooManyHeld {
        held: i64,
        cap: i64,
        retry_after: i64,
    },
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for HoldError {
    fn code(&self) -> ErrorCode {
        use HoldError::*;
        match self {
            PerformanceNotFound(_) => ErrorCode::NotFound,
            SaleClosed(_) => ErrorCode::SaleClosed,
            SeatsAndQuantity | NothingRequested | QuantityExpected | Selection(_)
            | UnknownSeats(_) | SeatsNotOnSale(_) => ErrorCode::Validation,
            SeatsTaken(_) => ErrorCode::SeatsTaken,
            NoAdjacentSeats { .. } | SoldOut { .. } => ErrorCode::SoldOut,
            TooManyHeld { .. } => ErrorCode::TooManyHeld,
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use HoldError::*;
        match self {
            PerformanceNotFound(id) => Message::new("error-performance-not-found").int("id", *id),
            SaleClosed(refusal) => sale_refusal(*refusal),
            SeatsAndQuantity => Message::new("error-hold-seats-and-quantity"),
            NothingRequested => Message::new("error-hold-nothing"),
            QuantityExpected => Message::new("error-hold-quantity-expected"),
            Selection(SelectionError::Empty) => Message::new("error-selection-empty"),
            Selection(SelectionError::Duplicate(_)) => Message::new("error-selection-duplicate"),
            Selection(SelectionError::TooMany { max }) => {
                Message::new("error-selection-too-many").int("max", *max)
            }
            UnknownSeats(ids) => Message::new("error-seats-unknown").text("seats", join(ids)),
            SeatsNotOnSale(_) => Message::new("error-seats-not-on-sale"),
            SeatsTaken(ids) => Message::new("error-seats-taken").int("count", ids.len() as i64),
            NoAdjacentSeats { quantity } => {
                Message::new("error-no-adjacent-seats").int("quantity", *quantity)
            }
            SoldOut { remaining } if *remaining <= 0 => Message::new("error-sold-out"),
            SoldOut { remaining } => Message::new("error-places-left").int("remaining", *remaining),
            TooManyHeld { held, cap, .. } => Message::new("error-too-many-held")
                .int("held", *held)
                .int("cap", *cap),
            Failure(f) => f.message(),
        }
    }
    fn seat_ids(&self) -> Vec<i64> {
        match self {
            HoldError::UnknownSeats(ids)
            | HoldError::SeatsNotOnSale(ids)
            | HoldError::SeatsTaken(ids)
            | HoldError::Selection(SelectionError::Duplicate(ids)) => ids.clone(),
            _ => Vec::new(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            HoldError::Failure(f) => Some(f),
            _ => None,
        }
    }
    fn retry_after(&self) -> Option<i64> {
        match self {
            HoldError::TooManyHeld { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

/// What the buyer reads when a performance is not on sale.
pub fn sale_refusal(refusal: SaleRefusal) -> Message {
    match refusal {
        SaleRefusal::Cancelled => Message::new("error-sale-cancelled"),
        SaleRefusal::Unpublished => Message::new("error-sale-unpublished"),
        SaleRefusal::CounterOnly => Message::new("error-sale-counter-only"),
        SaleRefusal::OnlineOnly => Message::new("error-sale-online-only"),
        SaleRefusal::NotYetOpen(opens) => {
            Message::new("error-sale-not-open").datetime("opens", opens)
        }
        SaleRefusal::Closed => Message::new("error-sale-closed"),
    }
}

fn join(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReleaseError {
    #[error("hold not found")]
    HoldNotFound,
    #[error("the hold was paid")]
    AlreadyPaid,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for ReleaseError {
    fn code(&self) -> ErrorCode {
        match self {
            ReleaseError::HoldNotFound => ErrorCode::NotFound,
            ReleaseError::AlreadyPaid => ErrorCode::Conflict,
            ReleaseError::Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        match self {
            ReleaseError::HoldNotFound => Message::new("error-hold-not-found"),
            ReleaseError::AlreadyPaid => Message::new("error-hold-paid-release"),
            ReleaseError::Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            ReleaseError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

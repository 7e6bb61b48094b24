//! The one error type that crosses the wire: JSON API bodies (`{error, message}`) and server
//! functions use it alike. Use cases return their own error enums (`crate::ports`), each
//! `UserFacing`; `to_wire` turns one into the wire form in the reader's language, and
//! `ErrorCode::http_status` gives its status: the single mapping for REST and server functions.
use crate::i18n::Message;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Malformed request (bad JSON, wrong types).
    BadRequest,
    /// Well-formed but breaks a rule (invalid e-mail, empty selection, unknown tariff…).
    Validation,
    NotFound,
    /// Some requested seats are held or sold by someone else.
    SeatsTaken,
    /// Not enough general-admission places left.
    SoldOut,
    /// The hold ran out before checkout or payment.
    HoldExpired,
    /// Online sale is not open for this performance.
    SaleClosed,
    /// Any other state conflict (order already paid, hold already used…).
    Conflict,
    /// Payment refused by the provider.
    PaymentDeclined,
    Unauthorized,
    Forbidden,
    /// The request body is larger than the server takes.
    PayloadTooLarge,
    /// The client already holds all it may of a performance (`retry_after`: when some frees).
    TooManyHeld,
    /// Too many requests of one kind from one client in a short time (`retry_after`).
    RateLimited,
    /// Transient: network failure seen by the browser, database busy.
    Unavailable,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[error("{message}")]
pub struct AppError {
    pub error: ErrorCode,
    pub message: String,
    /// For `seats_taken`: the seats that could not be had.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seat_ids: Vec<i64>,
    /// Seconds after which trying again may work (also sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<i64>,
}

/// An error a user may see: its code, its message by key, the seats it is about.
pub trait UserFacing: std::error::Error {
    fn code(&self) -> ErrorCode;
    fn message(&self) -> Message;
    fn seat_ids(&self) -> Vec<i64> {
        Vec::new()
    }
    /// Seconds after which the same request may succeed.
    fn retry_after(&self) -> Option<i64> {
        None
    }
    /// The machine failure behind it, if any (logged, never shown).
    fn failure(&self) -> Option<&Failure> {
        None
    }
}

/// A failure that is nobody's fault but the machine's: storage down, a bug. Every use-case
/// error can carry one; it is logged where it is mapped to HTTP and shown as a generic message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// Transient (database busy or unreachable): retrying may work.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl UserFacing for Failure {
    fn code(&self) -> ErrorCode {
        match self {
            Failure::Unavailable(_) => ErrorCode::Unavailable,
            Failure::Internal(_) => ErrorCode::Internal,
        }
    }
    fn message(&self) -> Message {
        match self {
            Failure::Unavailable(_) => Message::new("error-unavailable"),
            Failure::Internal(_) => Message::new("error-internal"),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        Some(self)
    }
}

#[cfg(feature = "ssr")]
impl ErrorCode {
    pub fn http_status(self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            ErrorCode::BadRequest => S::BAD_REQUEST,
            ErrorCode::Validation | ErrorCode::SaleClosed => S::UNPROCESSABLE_ENTITY,
            ErrorCode::NotFound => S::NOT_FOUND,
            ErrorCode::SeatsTaken
            | ErrorCode::SoldOut
            | ErrorCode::HoldExpired
            | ErrorCode::Conflict => S::CONFLICT,
            ErrorCode::PaymentDeclined => S::PAYMENT_REQUIRED,
            ErrorCode::Unauthorized => S::UNAUTHORIZED,
            ErrorCode::Forbidden => S::FORBIDDEN,
            ErrorCode::PayloadTooLarge => S::PAYLOAD_TOO_LARGE,
            ErrorCode::TooManyHeld | ErrorCode::RateLimited => S::TOO_MANY_REQUESTS,
            ErrorCode::Unavailable => S::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => S::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The wire form of a use-case error, in `lang`. Machine failures are logged here, once.
#[cfg(feature = "ssr")]
pub fn to_wire(err: &dyn UserFacing, lang: crate::i18n::Lang) -> AppError {
    if let Some(failure) = err.failure() {
        tracing::error!(error = %failure, "request failed");
    }
    AppError {
        error: err.code(),
        message: crate::i18n::catalog::render(lang, &err.message()),
        seat_ids: err.seat_ids(),
        retry_after: err.retry_after(),
    }
}

/// A wire error from a message key (adapters' own refusals: malformed JSON, unknown route).
#[cfg(feature = "ssr")]
pub fn wire(code: ErrorCode, message: &Message, lang: crate::i18n::Lang) -> AppError {
    AppError::new(code, crate::i18n::catalog::render(lang, message))
}

impl AppError {
    pub fn new(error: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            error,
            message: message.into(),
            seat_ids: Vec::new(),
            retry_after: None,
        }
    }
    pub fn validation(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::Validation, message)
    }
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::Conflict, message)
    }
    pub fn internal(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::Internal, message)
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(m) => {
                AppError::new(ErrorCode::Unavailable, format!("Réseau indisponible : {m}"))
            }
            E::Args(m) | E::MissingArg(m) => AppError::new(ErrorCode::BadRequest, m),
            other => AppError::internal(other.to_string()),
        }
    }
}

//! The one error type that crosses the wire: JSON API bodies (`{error, message}`) and server
//! functions use it alike. `server::http_error` maps `ErrorCode` to HTTP status codes, once.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Transient: network failure seen by the browser, database busy.
    Unavailable,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub error: ErrorCode,
    pub message: String,
    /// For `seats_taken`: the seats that could not be had.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seat_ids: Vec<i64>,
}

impl AppError {
    pub fn new(error: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            error,
            message: message.into(),
            seat_ids: Vec::new(),
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
    pub fn seats_taken(seat_ids: Vec<i64>) -> AppError {
        let message = if seat_ids.len() == 1 {
            "Cette place vient d'être prise par quelqu'un d'autre.".to_string()
        } else {
            format!(
                "{} places viennent d'être prises par quelqu'un d'autre.",
                seat_ids.len()
            )
        };
        AppError {
            error: ErrorCode::SeatsTaken,
            message,
            seat_ids,
        }
    }
}

impl From<crate::domain::rules::SelectionError> for AppError {
    fn from(e: crate::domain::rules::SelectionError) -> AppError {
        AppError::validation(e.to_string())
    }
}

impl From<crate::domain::email::InvalidEmail> for AppError {
    fn from(_: crate::domain::email::InvalidEmail) -> AppError {
        AppError::validation("Adresse e-mail invalide.")
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

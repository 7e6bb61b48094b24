//! The single mapping from application errors to HTTP: status code + JSON `{error, message}`.
use app::error::{AppError, ErrorCode};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::Validation | ErrorCode::SaleClosed => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::SeatsTaken
        | ErrorCode::SoldOut
        | ErrorCode::HoldExpired
        | ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::PaymentDeclined => StatusCode::PAYMENT_REQUIRED,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (status_of(self.0.error), Json(self.0)).into_response()
    }
}

pub fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError(AppError::new(ErrorCode::BadRequest, message))
}

//! Errors on the JSON API: the use case's error in the reader's language, with the status its
//! code maps to (`ErrorCode::http_status`, shared with server functions).
use app::error::{to_wire, wire, AppError, ErrorCode, UserFacing};
use app::i18n::{Lang, Message};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub struct ApiError(pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = self.0.retry_after;
        let mut res = (self.0.error.http_status(), Json(self.0)).into_response();
        if let Some(v) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

/// Maps a use case's error for a reader of `lang`: `.map_err(fail(lang))`.
pub fn fail<E: UserFacing>(lang: Lang) -> impl FnOnce(E) -> ApiError {
    move |e| ApiError(to_wire(&e, lang))
}

/// The API's own refusals (malformed request, unknown route), by message key.
pub fn refuse(code: ErrorCode, message: Message, lang: Lang) -> ApiError {
    ApiError(wire(code, &message, lang))
}

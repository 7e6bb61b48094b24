//! Extractors whose rejections are `{error, message}` JSON in the reader's language.
use super::error::{refuse, ApiError};
use app::error::ErrorCode;
use app::i18n::{Lang, Message};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::{header, request::Parts, HeaderMap};
use axum::Json;
use serde::de::DeserializeOwned;

pub fn lang_of(headers: &HeaderMap) -> Lang {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    Lang::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE))
}

/// The reader's language (`lang` cookie, then `Accept-Language`).
pub struct ReqLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ReqLang(lang_of(&parts.headers)))
    }
}

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(req.headers());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(refuse(
                    ErrorCode::PayloadTooLarge,
                    Message::new("error-payload-too-large"),
                    lang,
                ))
            }
            Err(rejection) => Err(refuse(
                ErrorCode::BadRequest,
                Message::new("error-bad-json").text("detail", rejection.body_text()),
                lang,
            )),
        }
    }
}

/// Path parameters.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(ApiPath(v)),
            Err(rejection) => Err(refuse(
                ErrorCode::BadRequest,
                Message::new("error-bad-path").text("detail", rejection.body_text()),
                lang_of(&parts.headers),
            )),
        }
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => Err(refuse(
                ErrorCode::BadRequest,
                Message::new("error-bad-query").text("detail", rejection.body_text()),
                lang_of(&parts.headers),
            )),
        }
    }
}

/// The door token of `Authorization: Bearer <token>` (empty when absent: the use case refuses it).
pub struct DoorToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for DoorToken {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Ok(DoorToken(
            value
                .strip_prefix("Bearer ")
                .unwrap_or_default()
                .trim()
                .to_string(),
        ))
    }
}

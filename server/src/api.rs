//! The versioned JSON API (`/api/v1`), documented in docs/api.md. Handlers only translate HTTP
//! to the `Ticketing` port and back.
use crate::door::DoorService;
use crate::http_error::{bad_request, ApiError};
use crate::service::GuichetService;
use app::door::*;
use app::dto::*;
use app::ports::DoorControl;
use app::ports::Ticketing;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::sync::Arc;

type Svc = State<Arc<GuichetService>>;
type ApiResult<T> = Result<T, ApiError>;

/// JSON body whose rejections come back as `{error: "bad_request", message}`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(bad_request(format!(
                "Requête JSON invalide : {}",
                rejection.body_text()
            ))),
        }
    }
}

/// Path parameters with JSON rejections.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(ApiPath(v)),
            Err(rejection) => Err(bad_request(format!(
                "Paramètre d'adresse invalide : {}",
                rejection.body_text()
            ))),
        }
    }
}

/// Query string with JSON rejections.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => Err(bad_request(format!(
                "Paramètres invalides : {}",
                rejection.body_text()
            ))),
        }
    }
}

/// The door token of `Authorization: Bearer <token>` (empty when absent: the service refuses it).
pub struct DoorToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for DoorToken {
    type Rejection = ApiError;
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

pub fn door_router<S: Clone + Send + Sync + 'static>(door: Arc<DoorService>) -> Router<S> {
    Router::new()
        .route("/scan", post(scan))
        .route("/scan/{id}/undo", post(undo))
        .route("/door/me", get(door_me))
        .route("/performances/{id}/checkin", get(checkin))
        .route("/performances/{id}/attendees", get(attendees))
        .route("/performances/{id}/offline", get(offline))
        .with_state(door)
}

type Door = State<Arc<DoorService>>;

async fn scan(
    State(door): Door,
    DoorToken(t): DoorToken,
    ApiJson(req): ApiJson<ScanRequest>,
) -> ApiResult<Json<ScanResult>> {
    Ok(Json(door.scan(&t, req).await?))
}

async fn undo(
    State(door): Door,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ScanResult>> {
    Ok(Json(door.undo(&t, id).await?))
}

async fn door_me(State(door): Door, DoorToken(t): DoorToken) -> ApiResult<Json<DoorAccess>> {
    Ok(Json(door.access(&t).await?))
}

async fn checkin(
    State(door): Door,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CheckinReport>> {
    Ok(Json(door.checkin(&t, id).await?))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
}

async fn attendees(
    State(door): Door,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> ApiResult<Json<Vec<Attendee>>> {
    Ok(Json(
        door.attendees(&t, id, p.q.as_deref().unwrap_or_default())
            .await?,
    ))
}

async fn offline(
    State(door): Door,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OfflineData>> {
    Ok(Json(door.offline_data(&t, id).await?))
}

pub fn router<S: Clone + Send + Sync + 'static>(svc: Arc<GuichetService>) -> Router<S> {
    Router::new()
        .route("/performances", get(programme))
        .route("/performances/{id}", get(performance))
        .route("/performances/{id}/seatmap", get(seatmap))
        .route("/performances/{id}/live", get(live))
        .route("/shows/{id}", get(show))
        .route("/holds", post(create_hold))
        .route("/holds/{id}", delete(release_hold))
        .route("/orders", post(create_order))
        .route("/orders/{id}", get(order))
        .route("/orders/{id}/payment", post(pay))
        .route("/orders/{id}/tickets.pdf", get(all_tickets_pdf))
        .route("/orders/{id}/tickets/{file}", get(one_ticket_file))
        .route("/keys", get(keys))
        .with_state(svc)
}

#[derive(Deserialize)]
struct ProgrammeParams {
    date: Option<String>,
    kind: Option<String>,
}

async fn programme(
    State(svc): Svc,
    ApiQuery(p): ApiQuery<ProgrammeParams>,
) -> ApiResult<Json<Vec<PerformanceSummary>>> {
    let kind = match p.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(ShowKind::parse(k).ok_or_else(|| {
            bad_request("kind doit valoir « cinema » ou « theatre ».".to_string())
        })?),
    };
    Ok(Json(
        svc.programme(ProgrammeQuery { date: p.date, kind }).await?,
    ))
}

async fn performance(
    State(svc): Svc,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PerformanceSummary>> {
    Ok(Json(svc.seatmap(id).await?.performance))
}

async fn seatmap(State(svc): Svc, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<SeatMap>> {
    Ok(Json(svc.seatmap(id).await?))
}

async fn live(State(svc): Svc, ApiPath(id): ApiPath<i64>) -> ApiResult<impl IntoResponse> {
    let json = svc.live_json(id).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        axum::body::Bytes::from_owner(json),
    ))
}

async fn show(State(svc): Svc, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<ShowDetail>> {
    Ok(Json(svc.show(id).await?))
}

async fn create_hold(
    State(svc): Svc,
    ApiJson(req): ApiJson<HoldRequest>,
) -> ApiResult<(StatusCode, Json<HoldView>)> {
    Ok((StatusCode::CREATED, Json(svc.create_hold(req).await?)))
}

async fn release_hold(State(svc): Svc, ApiPath(id): ApiPath<String>) -> ApiResult<StatusCode> {
    svc.release_hold(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn create_order(
    State(svc): Svc,
    ApiJson(req): ApiJson<OrderRequest>,
) -> ApiResult<(StatusCode, Json<OrderView>)> {
    Ok((StatusCode::CREATED, Json(svc.create_order(req).await?)))
}

#[derive(Deserialize)]
struct TokenParam {
    token: Option<String>,
}

async fn order(
    State(svc): Svc,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenParam>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        svc.order(&id, q.token.as_deref().unwrap_or_default())
            .await?,
    ))
}

async fn pay(
    State(svc): Svc,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PaymentRequest>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(svc.pay(&id, req.outcome).await?))
}

fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

async fn all_tickets_pdf(
    State(svc): Svc,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenParam>,
) -> ApiResult<Response> {
    let bytes = svc
        .tickets_pdf(&id, q.token.as_deref().unwrap_or_default(), None)
        .await?;
    Ok(pdf_response(bytes, "billets.pdf"))
}

async fn one_ticket_file(
    State(svc): Svc,
    ApiPath((id, file)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<TokenParam>,
) -> ApiResult<Response> {
    let missing = || ApiError(app::AppError::not_found("Billet introuvable."));
    let token = q.token.as_deref().unwrap_or_default();
    let (stem, ext) = file.rsplit_once('.').ok_or_else(missing)?;
    let ticket_id: i64 = stem.parse().map_err(|_| missing())?;
    match ext {
        "pdf" => {
            let bytes = svc.tickets_pdf(&id, token, Some(ticket_id)).await?;
            Ok(pdf_response(bytes, &format!("billet-{ticket_id}.pdf")))
        }
        "svg" => {
            let svg = svc.ticket_qr_svg(&id, token, ticket_id).await?;
            Ok((
                [
                    (header::CONTENT_TYPE, "image/svg+xml"),
                    (header::CACHE_CONTROL, "private, no-store"),
                ],
                svg,
            )
                .into_response())
        }
        _ => Err(missing()),
    }
}

async fn keys(State(svc): Svc) -> Json<Vec<app::ticket_code::PublicKeyInfo>> {
    Json(svc.public_keys())
}

//! The versioned JSON API (`/api/v1`), documented in docs/api.md. Handlers translate HTTP to
//! the inbound ports (the same ones server functions call) and back.
use super::error::{fail, refuse, ApiError};
use super::extract::{ApiJson, ApiPath, ApiQuery, DoorToken, ReqLang};
use app::door::*;
use app::dto::*;
use app::error::ErrorCode;
use app::i18n::Message;
use app::ports::{CatalogueError, Services};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;

type Svc = State<Services>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(
    services: Services,
    feed: std::sync::Arc<crate::usecases::catalogue::LiveFeed>,
) -> Router<S> {
    Router::new()
        .route(
            "/performances/{id}/events",
            get(super::events::seat_events).with_state(super::events::Events::new(feed)),
        )
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
        .route("/scan", post(scan))
        .route("/scan/{id}/undo", post(undo))
        .route("/door/me", get(door_me))
        .route("/performances/{id}/checkin", get(checkin))
        .route("/performances/{id}/attendees", get(attendees))
        .route("/performances/{id}/offline", get(offline))
        .fallback(unknown)
        .with_state(services)
}

async fn unknown(ReqLang(lang): ReqLang) -> ApiError {
    refuse(
        ErrorCode::NotFound,
        Message::new("error-unknown-endpoint"),
        lang,
    )
}

#[derive(Deserialize)]
struct ProgrammeParams {
    date: Option<String>,
    kind: Option<String>,
}

async fn programme(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiQuery(p): ApiQuery<ProgrammeParams>,
) -> ApiResult<Json<Vec<PerformanceSummary>>> {
    let kind = match p.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(
            ShowKind::parse(k)
                .ok_or_else(|| fail(lang)(CatalogueError::InvalidKind(k.to_string())))?,
        ),
    };
    let query = ProgrammeQuery { date: p.date, kind };
    Ok(Json(
        svc.catalogue.programme(query).await.map_err(fail(lang))?,
    ))
}

async fn performance(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PerformanceSummary>> {
    Ok(Json(
        svc.catalogue
            .seatmap(id)
            .await
            .map_err(fail(lang))?
            .performance,
    ))
}

async fn seatmap(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SeatMap>> {
    Ok(Json(svc.catalogue.seatmap(id).await.map_err(fail(lang))?))
}

async fn live(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<impl IntoResponse> {
    let json = svc.catalogue.live_json(id).await.map_err(fail(lang))?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        axum::body::Bytes::from_owner(json),
    ))
}

async fn show(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ShowDetail>> {
    Ok(Json(svc.catalogue.show(id).await.map_err(fail(lang))?))
}

async fn create_hold(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    client: Option<axum::Extension<app::domain::ClientKey>>,
    ApiJson(req): ApiJson<HoldRequest>,
) -> ApiResult<(StatusCode, Json<HoldView>)> {
    let client = client.map(|axum::Extension(c)| c);
    let hold = svc
        .booking
        .hold_for(client, req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(hold)))
}

async fn release_hold(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    svc.booking.release_hold(&id).await.map_err(fail(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn create_order(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<OrderRequest>,
) -> ApiResult<(StatusCode, Json<OrderView>)> {
    let order = svc.checkout.create_order(req).await.map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(order)))
}

#[derive(Deserialize)]
struct TokenParam {
    token: Option<String>,
}

async fn order(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenParam>,
) -> ApiResult<Json<OrderView>> {
    let token = q.token.as_deref().unwrap_or_default();
    Ok(Json(
        svc.checkout.order(&id, token).await.map_err(fail(lang))?,
    ))
}

async fn pay(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PaymentRequest>,
) -> ApiResult<Json<OrderView>> {
    let paid = svc.checkout.pay(&id, &req.token, req.outcome).await;
    Ok(Json(paid.map_err(fail(lang))?))
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
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenParam>,
) -> ApiResult<Response> {
    let token = q.token.as_deref().unwrap_or_default();
    let bytes = svc
        .tickets
        .tickets_pdf(&id, token, None)
        .await
        .map_err(fail(lang))?;
    Ok(pdf_response(bytes, "billets.pdf"))
}

/// `/orders/{id}/tickets/{ticket}.pdf` or `.svg` (the QR code).
async fn one_ticket_file(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath((id, file)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<TokenParam>,
) -> ApiResult<Response> {
    let missing = || fail(lang)(app::ports::TicketsError::TicketNotFound);
    let token = q.token.as_deref().unwrap_or_default();
    let (stem, ext) = file.rsplit_once('.').ok_or_else(missing)?;
    let ticket_id: i64 = stem.parse().map_err(|_| missing())?;
    match ext {
        "pdf" => {
            let bytes = svc
                .tickets
                .tickets_pdf(&id, token, Some(ticket_id))
                .await
                .map_err(fail(lang))?;
            Ok(pdf_response(bytes, &format!("billet-{ticket_id}.pdf")))
        }
        "svg" => {
            let svg = svc
                .tickets
                .ticket_qr_svg(&id, token, ticket_id)
                .await
                .map_err(fail(lang))?;
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
    Json(svc.tickets.public_keys())
}

// --- Door control: every route takes the door token as `Authorization: Bearer …`.

async fn scan(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
    ApiJson(req): ApiJson<ScanRequest>,
) -> ApiResult<Json<ScanResult>> {
    Ok(Json(svc.door.scan(&t, req).await.map_err(fail(lang))?))
}

async fn undo(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ScanResult>> {
    Ok(Json(svc.door.undo(&t, id).await.map_err(fail(lang))?))
}

async fn door_me(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
) -> ApiResult<Json<DoorAccess>> {
    Ok(Json(svc.door.access(&t).await.map_err(fail(lang))?))
}

async fn checkin(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CheckinReport>> {
    Ok(Json(svc.door.checkin(&t, id).await.map_err(fail(lang))?))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
}

async fn attendees(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> ApiResult<Json<Vec<Attendee>>> {
    let q = p.q.as_deref().unwrap_or_default();
    Ok(Json(
        svc.door.attendees(&t, id, q).await.map_err(fail(lang))?,
    ))
}

async fn offline(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OfflineData>> {
    Ok(Json(
        svc.door.offline_data(&t, id).await.map_err(fail(lang))?,
    ))
}

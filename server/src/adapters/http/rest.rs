//! The versioned JSON API (`/api/v1`), documented in docs/api.md and, route by route, by the
//! `#[utoipa::path]` of each handler (`/api/v1/openapi.json`). Handlers translate HTTP to the
//! inbound ports (the same ones server functions call) and back.
use super::error::{fail, refuse, ApiError};
use super::extract::{ApiJson, ApiPath, ApiQuery, DoorToken, ReqLang};
use super::openapi::err;
use app::door::*;
use app::dto::*;
use app::error::ErrorCode;
use app::i18n::Message;
use app::ports::{CatalogueError, Services};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

type Svc = State<Services>;
type ApiResult<T> = Result<T, ApiError>;

/// Public and door routes. Each is registered with `routes!`, which takes its path from the
/// handler's `#[utoipa::path]`: what is served is what is documented.
pub fn router<S: Clone + Send + Sync + 'static>(
    services: Services,
    feed: std::sync::Arc<crate::usecases::catalogue::LiveFeed>,
) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(super::events::seat_events).with_state(super::events::Events::new(feed)))
        .routes(routes!(programme))
        .routes(routes!(performance))
        .routes(routes!(seatmap))
        .routes(routes!(live))
        .routes(routes!(show))
        .routes(routes!(create_hold))
        .routes(routes!(release_hold))
        .routes(routes!(create_order))
        .routes(routes!(order))
        .routes(routes!(pay))
        .routes(routes!(all_tickets_pdf))
        .routes(routes!(one_ticket_file))
        .routes(routes!(order_calendar))
        .routes(routes!(keys))
        .routes(routes!(scan))
        .routes(routes!(undo))
        .routes(routes!(door_me))
        .routes(routes!(checkin))
        .routes(routes!(attendees))
        .routes(routes!(offline))
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ProgrammeParams {
    /// One Paris calendar day, `YYYY-MM-DD` (the next two months when absent).
    date: Option<String>,
    #[param(value_type = Option<ShowKind>)]
    kind: Option<String>,
}

/// Upcoming performances, sorted by time
#[utoipa::path(
    get,
    path = "/performances",
    tag = "catalogue",
    params(ProgrammeParams),
    responses(
        (status = 200, description = "The performances on the programme.",
            body = Vec<PerformanceSummary>),
        err::BadRequest,
        err::Unprocessable,
    )
)]
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

/// One performance
#[utoipa::path(
    get,
    path = "/performances/{id}",
    tag = "catalogue",
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "The performance.", body = PerformanceSummary),
        err::BadRequest,
        err::NotFound,
    )
)]
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

/// A performance's seat map and the status of every seat
#[utoipa::path(
    get,
    path = "/performances/{id}/seatmap",
    tag = "catalogue",
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "Geometry, prices and live status.", body = SeatMap),
        err::BadRequest,
        err::NotFound,
    )
)]
async fn seatmap(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SeatMap>> {
    Ok(Json(svc.catalogue.seatmap(id).await.map_err(fail(lang))?))
}

/// The seats that are not free, and the places left
#[utoipa::path(
    get,
    path = "/performances/{id}/live",
    tag = "catalogue",
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "The live seat states.", body = LiveState),
        err::BadRequest,
        err::NotFound,
    )
)]
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

/// A show and its performances
#[utoipa::path(
    get,
    path = "/shows/{id}",
    tag = "catalogue",
    params(("id" = i64, Path, description = "Show id")),
    responses(
        (status = 200, description = "The show.", body = ShowDetail),
        err::BadRequest,
        err::NotFound,
    )
)]
async fn show(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ShowDetail>> {
    Ok(Json(svc.catalogue.show(id).await.map_err(fail(lang))?))
}

/// Hold seats
///
/// Given seats (`seat_ids`), or a `quantity`: general admission, or the best adjacent seats of
/// a seated performance.
#[utoipa::path(
    post,
    path = "/holds",
    tag = "buying",
    request_body = HoldRequest,
    responses(
        (status = 201, description = "The seats are held until `expires_at`.", body = HoldView),
        err::BadRequest,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
        err::TooManyRequests,
    )
)]
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

/// Give held seats back
///
/// Releasing twice is fine.
#[utoipa::path(
    delete,
    path = "/holds/{id}",
    tag = "buying",
    params(("id" = String, Path, description = "Hold id")),
    responses(
        (status = 204, description = "Released."),
        err::NotFound,
        err::Conflict,
    )
)]
async fn release_hold(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    svc.booking.release_hold(&id).await.map_err(fail(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Order the held seats
///
/// One ticket per held seat (general admission: per place held). Prices are the stored ones.
#[utoipa::path(
    post,
    path = "/orders",
    tag = "buying",
    request_body = OrderRequest,
    responses(
        (status = 201, body = OrderView,
            description = "The order, awaiting payment; `token` is the secret of its link."),
        err::BadRequest,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
        err::TooManyRequests,
    )
)]
async fn create_order(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<OrderRequest>,
) -> ApiResult<(StatusCode, Json<OrderView>)> {
    let order = svc.checkout.create_order(req).await.map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(order)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TokenParam {
    /// The order's token (the secret of its link); without it the order is not found.
    token: Option<String>,
    /// PDFs: `a4` (default) or `roll` (80 mm, for a ticket printer).
    #[param(inline)]
    format: Option<app::dto::TicketLayout>,
}

/// An order, with its tickets once paid
#[utoipa::path(
    get,
    path = "/orders/{id}",
    tag = "buying",
    params(("id" = String, Path, description = "Order id"), TokenParam),
    responses(
        (status = 200, description = "The order.", body = OrderView),
        err::NotFound,
        err::TooManyRequests,
    )
)]
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

/// Pay an order
///
/// With the sandbox provider, `outcome` says what the payment does (200 with the order).
/// With PayFiP, the answer is `202 {"status": "pending", "redirect_url"}`: send the buyer to
/// that page; the order (`GET /orders/{id}`) shows the result once PayFiP has it. Approving a
/// paid order again returns it unchanged (idempotent).
#[utoipa::path(
    post,
    path = "/orders/{id}/payment",
    tag = "buying",
    params(("id" = String, Path, description = "Order id")),
    request_body = PaymentRequest,
    responses(
        (status = 200, description = "The order after the payment attempt.", body = OrderView),
        (status = 202, description = "Started on the provider's page.", body = PaymentPending),
        err::BadRequest,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::TooManyRequests,
    )
)]
async fn pay(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PaymentRequest>,
) -> ApiResult<Response> {
    let reply = svc.checkout.pay(&id, &req.token, req.outcome).await;
    Ok(match reply.map_err(fail(lang))? {
        PaymentReply::Done(order) => Json(order).into_response(),
        PaymentReply::Redirect { redirect_url, .. } => (
            StatusCode::ACCEPTED,
            Json(PaymentPending {
                status: "pending".into(),
                redirect_url,
            }),
        )
            .into_response(),
    })
}

fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    private_file(
        bytes,
        "application/pdf",
        format!("inline; filename=\"{filename}\""),
    )
}

/// A file of one buyer's order: never kept by a shared cache.
fn private_file(body: impl Into<Body>, content_type: &str, disposition: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body.into(),
    )
        .into_response()
}

/// Every ticket of a paid order, one PDF page each
#[utoipa::path(
    get,
    path = "/orders/{id}/tickets.pdf",
    tag = "tickets",
    params(("id" = String, Path, description = "Order id"), TokenParam),
    responses(
        (status = 200, description = "The tickets.", content_type = "application/pdf"),
        err::NotFound,
        err::Conflict,
        err::TooManyRequests,
    )
)]
async fn all_tickets_pdf(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenParam>,
) -> ApiResult<Response> {
    let token = q.token.as_deref().unwrap_or_default();
    let bytes = svc
        .tickets
        .tickets_pdf(&id, token, None, q.format.unwrap_or_default())
        .await
        .map_err(fail(lang))?;
    Ok(pdf_response(bytes, "billets.pdf"))
}

/// The order's performance as a calendar event (`.ics`, RFC 5545), to add to one's agenda
#[utoipa::path(
    get,
    path = "/orders/{id}/calendar.ics",
    tag = "tickets",
    params(("id" = String, Path, description = "Order id"), TokenParam),
    responses(
        (status = 200, description = "One event, in UTC.", content_type = "text/calendar"),
        err::NotFound,
        err::Conflict,
        err::TooManyRequests,
    )
)]
async fn order_calendar(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<TokenParam>,
) -> ApiResult<Response> {
    let token = q.token.as_deref().unwrap_or_default();
    let ics = svc.tickets.calendar(&id, token).await.map_err(fail(lang))?;
    Ok(private_file(
        ics,
        "text/calendar; charset=utf-8",
        "attachment; filename=\"seance.ics\"".to_string(),
    ))
}

/// One ticket of a paid order: `{ticket_id}.pdf`, or `{ticket_id}.svg` for its QR code
#[utoipa::path(
    get,
    path = "/orders/{id}/tickets/{file}",
    tag = "tickets",
    params(
        ("id" = String, Path, description = "Order id"),
        ("file" = String, Path, description = "`<ticket id>.pdf` or `<ticket id>.svg`",
            example = "57.pdf"),
        TokenParam,
    ),
    responses(
        (status = 200, description = "The ticket, or its QR code.", content(
            ("application/pdf"),
            ("image/svg+xml"),
        )),
        err::NotFound,
        err::Conflict,
        err::TooManyRequests,
    )
)]
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
                .tickets_pdf(&id, token, Some(ticket_id), q.format.unwrap_or_default())
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

/// The public keys that verify ticket codes
#[utoipa::path(
    get,
    path = "/keys",
    tag = "tickets",
    responses((
        status = 200,
        description = "Ed25519 public keys by id.",
        body = Vec<app::ticket_code::PublicKeyInfo>
    ))
)]
async fn keys(State(svc): Svc) -> Json<Vec<app::ticket_code::PublicKeyInfo>> {
    Json(svc.tickets.public_keys())
}

// --- Door control: every route takes the door token as `Authorization: Bearer …`.

/// Admit a ticket
///
/// By its scanned `code`, or a `ticket_number` typed in. A retried request with the same `nonce`
/// gets the first answer.
#[utoipa::path(
    post,
    path = "/scan",
    tag = "door",
    security(("door_token" = [])),
    request_body = ScanRequest,
    responses(
        (status = 200, body = ScanResult,
            description = "What the door says: `status` is `valid` only for an admission."),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
        err::TooManyRequests,
    )
)]
async fn scan(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
    ApiJson(req): ApiJson<ScanRequest>,
) -> ApiResult<Json<ScanResult>> {
    Ok(Json(svc.door.scan(&t, req).await.map_err(fail(lang))?))
}

/// Cancel an admission (supervisor accesses)
#[utoipa::path(
    post,
    path = "/scan/{id}/undo",
    tag = "door",
    security(("door_token" = [])),
    params(("id" = i64, Path, description = "Admission id (`admission_id` of the scan)")),
    responses(
        (status = 200, description = "The ticket can be scanned again.", body = ScanResult),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::TooManyRequests,
    )
)]
async fn undo(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ScanResult>> {
    Ok(Json(svc.door.undo(&t, id).await.map_err(fail(lang))?))
}

/// What the door token gives access to
#[utoipa::path(
    get,
    path = "/door/me",
    tag = "door",
    security(("door_token" = [])),
    responses(
        (status = 200, description = "The door access.", body = DoorAccess),
        err::Unauthorized,
    )
)]
async fn door_me(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
) -> ApiResult<Json<DoorAccess>> {
    Ok(Json(svc.door.access(&t).await.map_err(fail(lang))?))
}

/// Admissions of a performance, by zone, and the offline conflicts
#[utoipa::path(
    get,
    path = "/performances/{id}/checkin",
    tag = "door",
    security(("door_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "The check-in report.", body = CheckinReport),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn checkin(
    State(svc): Svc,
    ReqLang(lang): ReqLang,
    DoorToken(t): DoorToken,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CheckinReport>> {
    Ok(Json(svc.door.checkin(&t, id).await.map_err(fail(lang))?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchParams {
    /// A holder's name (two characters at least), an order reference or a ticket number.
    q: Option<String>,
}

/// Find attendees of a performance
#[utoipa::path(
    get,
    path = "/performances/{id}/attendees",
    tag = "door",
    security(("door_token" = [])),
    params(("id" = i64, Path, description = "Performance id"), SearchParams),
    responses(
        (status = 200, description = "The matching tickets and their admissions.",
            body = Vec<Attendee>),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Unprocessable,
    )
)]
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

/// What a scanner keeps to admit without network
#[utoipa::path(
    get,
    path = "/performances/{id}/offline",
    tag = "door",
    security(("door_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "Tickets, keys, revocations and admissions.",
            body = OfflineData),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
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

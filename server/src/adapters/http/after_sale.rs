//! After a sale in the JSON API (box office staff and admins): cancel tickets, give money back.
use super::error::{fail, ApiError};
use super::extract::{ApiJson, ApiPath, ApiQuery, ReqLang};
use super::openapi::err;
use super::staff::{Staff, StaffState};
use app::box_office::*;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type St = State<StaffState>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(state: StaffState) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(search))
        .routes(routes!(file))
        .routes(routes!(cancel))
        .routes(routes!(refund))
        .routes(routes!(exchange))
        .with_state(state)
}

/// Cancel an order or some of its tickets (box office)
///
/// With a reason. The tickets keep their numbers, recorded as cancelled; the door answers
/// `cancelled` at once; their seats are on sale again. Journaled (a cancellation entry) and
/// audited. Money goes back with a refund.
#[utoipa::path(
    post,
    path = "/orders/{id}/cancel",
    operation_id = "cancel_order",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = String, Path, description = "Order id")),
    request_body = CancelRequest,
    responses(
        (status = 200, description = "Cancelled.", body = AfterSale),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn cancel(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<CancelRequest>,
) -> ApiResult<Json<AfterSale>> {
    Ok(Json(
        st.services
            .after_sales
            .cancel(&actor, &id, &request)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Give money back (box office; a supervisor above 50 €)
///
/// By a means (cash, card, cheque, pass Culture, voucher), never more than was paid and not
/// given back yet; with `ticket_ids`, those tickets are cancelled with it. Journaled (a refund
/// entry: the day's Z report deducts it) and audited.
#[utoipa::path(
    post,
    path = "/orders/{id}/refunds",
    operation_id = "refund_order",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = String, Path, description = "Order id")),
    request_body = RefundRequest,
    responses(
        (status = 201, description = "Refunded.", body = AfterSale),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn refund(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<RefundRequest>,
) -> ApiResult<(axum::http::StatusCode, Json<AfterSale>)> {
    let done = st
        .services
        .after_sales
        .refund(&actor, &id, &request)
        .await
        .map_err(fail(lang))?;
    Ok((axum::http::StatusCode::CREATED, Json(done)))
}

/// Exchange tickets for others of the same show (box office)
///
/// Other seats of the same performance, or another performance of the show. The tickets given
/// back are credited at what they were sold for; the difference is paid (`payments`, as at a
/// sale: 422 when they do not add up) or given back (`difference_method`; a supervisor above
/// 50 €). One transaction: the new order is issued, the old tickets cancelled (the door
/// answers `cancelled`), their seats back on sale. Journaled (an exchange entry) and audited.
#[utoipa::path(
    post,
    path = "/orders/{id}/exchange",
    operation_id = "exchange_tickets",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = String, Path, description = "Order id")),
    request_body = ExchangeRequest,
    responses(
        (status = 201, description = "Exchanged: the new order.", body = Exchanged),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn exchange(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<ExchangeRequest>,
) -> ApiResult<(axum::http::StatusCode, Json<Exchanged>)> {
    let done = st
        .services
        .box_office
        .exchange(&actor, &id, &request)
        .await
        .map_err(fail(lang))?;
    Ok((axum::http::StatusCode::CREATED, Json(done)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchParams {
    /// A ticket number (`TM-PLEIN-000017`), a scanned ticket code, an e-mail, an order
    /// reference or a part of the buyer's name.
    q: String,
}

/// Find orders (box office)
///
/// By ticket number, scanned code, e-mail, reference or name; newest first, 50 at most.
#[utoipa::path(
    get,
    path = "/box-office/orders",
    operation_id = "search_orders",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(SearchParams),
    responses(
        (status = 200, description = "Newest first.", body = Vec<OrderSummary>),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Unprocessable,
    )
)]
async fn search(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> ApiResult<Json<Vec<OrderSummary>>> {
    Ok(Json(
        st.services
            .after_sales
            .search(&actor, &q.q)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Open an order (box office)
///
/// Its tickets with their status, its payments and refunds at the counter, what is left to
/// refund.
#[utoipa::path(
    get,
    path = "/box-office/orders/{id}",
    operation_id = "order_file",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = String, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order.", body = OrderFile),
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn file(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OrderFile>> {
    Ok(Json(
        st.services
            .after_sales
            .file(&actor, &id)
            .await
            .map_err(fail(lang))?,
    ))
}

//! The box office in the JSON API (box office staff and admins): counter sales, reservations
//! to pay at the counter, and their payment.
use super::error::{fail, ApiError};
use super::extract::{ApiJson, ApiPath, ApiQuery, ReqLang};
use super::openapi::err;
use super::staff::{Staff, StaffState};
use app::box_office::*;
use app::dto::OrderView;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type St = State<StaffState>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(state: StaffState) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(performances))
        .routes(routes!(sell))
        .routes(routes!(reserve))
        .routes(routes!(pay))
        .routes(routes!(blocks, block))
        .routes(routes!(release))
        .with_state(state)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DayParams {
    /// Paris calendar day, `YYYY-MM-DD`.
    date: String,
}

/// The performances of a day, for the counter (box office)
///
/// Published or not, with the places left and whether the counter may sell them now; cancelled
/// ones are not listed.
#[utoipa::path(
    get,
    path = "/box-office/performances",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(DayParams),
    responses(
        (status = 200, description = "By start.", body = Vec<CounterPerformance>),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Unprocessable,
    )
)]
async fn performances(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(q): ApiQuery<DayParams>,
) -> ApiResult<Json<Vec<CounterPerformance>>> {
    Ok(Json(
        st.services
            .box_office
            .performances(&actor, &q.date)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Sell at the counter (box office)
///
/// Seats (`seat_ids`) or a quantity (general admission, or the N best seats) with a tariff
/// each, and payments by means that add up to the total (cash may be tendered above its share:
/// the change is answered). A walk-in needs neither name nor e-mail; an invitation (0 €) is paid
/// `free` with a `reason`; a blocked seat is sold by a supervisor only. Answers the paid order
/// with its tickets. The counter sells until half an hour after the start, performances sold
/// at the box office only, and unpublished ones.
#[utoipa::path(
    post,
    path = "/box-office/sales",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = CounterSaleRequest,
    responses(
        (status = 201, description = "Sold and paid.", body = CounterSale),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn sell(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(request): ApiJson<CounterSaleRequest>,
) -> ApiResult<(StatusCode, Json<CounterSale>)> {
    let sold = st
        .services
        .box_office
        .sell(&actor, &request)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(sold)))
}

/// Keep seats to be paid at the counter (box office)
///
/// "À régler au guichet": the seats are kept for the buyer (a name at least) for
/// `hold_minutes` (15 minutes to 7 days; 2 days by default), never past 30 minutes before the
/// start; then they go back on sale. Answers the order awaiting payment.
#[utoipa::path(
    post,
    path = "/box-office/reservations",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = CounterReservationRequest,
    responses(
        (status = 201, description = "Kept, awaiting payment.", body = OrderView),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn reserve(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(request): ApiJson<CounterReservationRequest>,
) -> ApiResult<(StatusCode, Json<OrderView>)> {
    let kept = st
        .services
        .box_office
        .reserve(&actor, &request)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(kept)))
}

/// Pay an order at the counter (box office)
///
/// A reservation (or any order awaiting payment), paid by means that add up to its total.
#[utoipa::path(
    post,
    path = "/box-office/orders/{id}/payments",
    operation_id = "pay_at_counter",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = String, Path, description = "Order id")),
    request_body = CounterPaymentRequest,
    responses(
        (status = 200, description = "Paid.", body = CounterSale),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn pay(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<CounterPaymentRequest>,
) -> ApiResult<Json<CounterSale>> {
    Ok(Json(
        st.services
            .box_office
            .pay_at_counter(&actor, &id, &request)
            .await
            .map_err(fail(lang))?,
    ))
}

/// A performance's blocked seats (box office)
///
/// The seats this performance keeps off its sale, and why (the plan's own blocked seats are
/// on the seat map).
#[utoipa::path(
    get,
    path = "/box-office/performances/{id}/blocks",
    operation_id = "seat_blocks",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "Blocked seats.", body = SeatBlocks),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Unprocessable,
    )
)]
async fn blocks(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SeatBlocks>> {
    Ok(Json(
        st.services
            .box_office
            .seat_blocks(&actor, id)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Block seats of a performance (box office)
///
/// House seats, press, technical, other: the seats leave this performance's sale at once (the
/// live maps show them blocked) until released. All or none: a seat held, sold or blocked
/// already refuses the lot (409, `seat_ids` names them). Audited.
#[utoipa::path(
    post,
    path = "/box-office/performances/{id}/blocks",
    operation_id = "block_seats",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    request_body = BlockRequest,
    responses(
        (status = 201, description = "Blocked.", body = SeatBlocks),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn block(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<BlockRequest>,
) -> ApiResult<(StatusCode, Json<SeatBlocks>)> {
    let done = st
        .services
        .box_office
        .block_seats(&actor, id, &request)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// Release blocked seats of a performance (box office)
///
/// The seats go back on sale; `changed` names those that were blocked. Audited.
#[utoipa::path(
    post,
    path = "/box-office/performances/{id}/blocks/release",
    operation_id = "release_seats",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    request_body = ReleaseRequest,
    responses(
        (status = 200, description = "Released.", body = SeatBlocks),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn release(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<ReleaseRequest>,
) -> ApiResult<Json<SeatBlocks>> {
    Ok(Json(
        st.services
            .box_office
            .release_seats(&actor, id, &request)
            .await
            .map_err(fail(lang))?,
    ))
}

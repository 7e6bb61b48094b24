//! Mails asked for, in the JSON API: a buyer's tickets again (with the order's token, or by the
//! box office), "retrouver ma commande", and the outbox's state for admins.
use super::error::{fail, ApiError};
use super::extract::{ApiJson, ApiPath, ReqLang};
use super::openapi::err;
use super::staff::{Staff, StaffState};
use app::dto::*;
use app::i18n::Message;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type St = State<StaffState>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(state: StaffState) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(resend))
        .routes(routes!(find_orders))
        .routes(routes!(resend_by_staff))
        .routes(routes!(mail_status))
        .with_state(state)
}

/// Send an order's tickets again
///
/// To the address given at purchase, with the tickets' PDF: queued at once, sent within
/// seconds (or when the mail server is back). An address receives at most 3 such mails an
/// hour (`429` with `retry_after` beyond).
#[utoipa::path(
    post,
    path = "/orders/{id}/resend",
    operation_id = "resend_tickets",
    tag = "buying",
    params(("id" = String, Path, description = "Order id")),
    request_body = OrderTokenRequest,
    responses(
        (status = 202, description = "Queued.", body = MailQueued),
        err::BadRequest,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
        err::TooManyRequests,
    )
)]
async fn resend(
    State(st): St,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<OrderTokenRequest>,
) -> ApiResult<(StatusCode, Json<MailQueued>)> {
    let queued = st
        .services
        .mails
        .resend(&id, &req.token)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
}

/// Find my orders ("retrouver ma commande")
///
/// Given the address used at purchase or an order reference, the links of the matching paid
/// orders are mailed to the buyer's address. The answer is the same `202` whether or not
/// anything matched, so it tells nobody who bought what; an address receives at most 2 such
/// mails a day (counted apart from the resends it asks for).
#[utoipa::path(
    post,
    path = "/orders/lookup",
    operation_id = "find_orders",
    tag = "buying",
    request_body = FindOrdersRequest,
    responses(
        (status = 202, description = "Mailed if anything matched.", body = FindOrdersAccepted),
        err::BadRequest,
        err::PayloadTooLarge,
        err::Unprocessable,
        err::TooManyRequests,
    )
)]
async fn find_orders(
    State(st): St,
    ReqLang(lang): ReqLang,
    ApiJson(mut req): ApiJson<FindOrdersRequest>,
) -> ApiResult<(StatusCode, Json<FindOrdersAccepted>)> {
    req.lang.get_or_insert_with(|| lang.code().to_string());
    st.services
        .mails
        .find_my_orders(&req)
        .await
        .map_err(fail(lang))?;
    let message = app::i18n::catalog::render(lang, &Message::new("find-orders-accepted"));
    Ok((
        StatusCode::ACCEPTED,
        Json(FindOrdersAccepted {
            status: "accepted".into(),
            message,
        }),
    ))
}

/// Send an order's tickets again (box office)
///
/// To the order's address, or to `to` when the buyer corrects it; not bounded per hour.
#[utoipa::path(
    post,
    path = "/box-office/orders/{id}/resend",
    operation_id = "resend_tickets_by_staff",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = String, Path, description = "Order id")),
    request_body = ResendRequest,
    responses(
        (status = 202, description = "Queued.", body = MailQueued),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn resend_by_staff(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ResendRequest>,
) -> ApiResult<(StatusCode, Json<MailQueued>)> {
    let queued = st
        .services
        .mails
        .resend_for_staff(&actor, &id, req.to.as_deref())
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
}

/// The e-mail outbox (admins)
///
/// How many mails wait and went, and the failing ones with their last error (they are tried
/// again with backoff).
#[utoipa::path(
    get,
    path = "/admin/mail",
    operation_id = "mail_status",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "The outbox.", body = MailStatusView),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn mail_status(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<MailStatusView>> {
    Ok(Json(
        st.services
            .mails
            .mail_status(&actor)
            .await
            .map_err(fail(lang))?,
    ))
}

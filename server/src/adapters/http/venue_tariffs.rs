//! A venue's tariff catalogue in the JSON API (admins): which of the town's tariffs it sells,
//! under which labels, with which proof and words on who qualifies.
use super::error::{fail, ApiError};
use super::extract::{ApiJson, ApiPath, ReqLang};
use super::openapi::err;
use super::staff::{Staff, StaffState};
use app::admin::{NewVenueTariff, VenueTariff, VenueTariffPatch};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type St = State<StaffState>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(state: StaffState) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(list, add))
        .routes(routes!(change))
        .with_state(state)
}

/// A venue's tariff catalogue (admins)
///
/// In its order, including the tariffs it no longer offers (`active: false`).
#[utoipa::path(
    get,
    path = "/admin/venues/{id}/tariffs",
    operation_id = "list_venue_tariffs",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Venue id")),
    responses(
        (status = 200, description = "The catalogue.", body = Vec<VenueTariff>),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn list(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<VenueTariff>>> {
    Ok(Json(
        st.services
            .programme
            .venue_tariffs(&actor, id)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Add a tariff to a venue's catalogue (admins)
///
/// One of the town's codes, or a new one (`family` then gives its CNC family).
#[utoipa::path(
    post,
    path = "/admin/venues/{id}/tariffs",
    operation_id = "create_venue_tariff",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Venue id")),
    request_body = NewVenueTariff,
    responses(
        (status = 201, description = "Added.", body = VenueTariff),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn add(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<NewVenueTariff>,
) -> ApiResult<(StatusCode, Json<VenueTariff>)> {
    let added = st
        .services
        .programme
        .add_venue_tariff(&actor, id, &request)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Change a tariff of a venue's catalogue (admins)
///
/// Labels, proof, who qualifies, and whether the venue offers it (`active`); the code never
/// changes. Performances already priced keep their prices.
#[utoipa::path(
    patch,
    path = "/admin/venues/{id}/tariffs/{code}",
    operation_id = "change_venue_tariff",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(
        ("id" = i64, Path, description = "Venue id"),
        ("code" = String, Path, description = "Tariff code"),
    ),
    request_body = VenueTariffPatch,
    responses(
        (status = 200, description = "The tariff as changed.", body = VenueTariff),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn change(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath((id, code)): ApiPath<(i64, String)>,
    ApiJson(patch): ApiJson<VenueTariffPatch>,
) -> ApiResult<Json<VenueTariff>> {
    Ok(Json(
        st.services
            .programme
            .change_venue_tariff(&actor, id, &code, &patch)
            .await
            .map_err(fail(lang))?,
    ))
}

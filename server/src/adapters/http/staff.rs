//! Staff routes of the JSON API: login/logout/me, account and token management, the audit
//! log, door accesses for logged-in door staff, the programme (halls, shows, performances). Who is asking comes from the session cookie
//! or an API token (`Authorization: Bearer gst_…`); what they may do is the use cases' call.
use super::error::{fail, ApiError};
use super::extract::{lang_of, ApiJson, ApiPath, ApiQuery, ReqLang};
use super::openapi::err;
use app::admin::*;
use app::ports::{AuthError, OpenedSession, ProgrammeError, Services};
use app::staff::cookies::{credential, session_secret, set_cookie};
use app::staff::*;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

#[derive(Clone)]
pub struct StaffState {
    pub services: Services,
    /// `Secure` cookies when the public site is https.
    pub secure: bool,
}

impl FromRef<StaffState> for Services {
    fn from_ref(s: &StaffState) -> Services {
        s.services.clone()
    }
}

type St = State<StaffState>;

/// Request bodies of hall plans may be this large.
pub const PLAN_LIMIT: usize = 4 * 1024 * 1024;
type ApiResult<T> = Result<T, ApiError>;

/// Staff routes, registered with `routes!` (the path is the handler's `#[utoipa::path]`).
pub fn router<S: Clone + Send + Sync + 'static>(
    services: Services,
    secure: bool,
) -> OpenApiRouter<S> {
    // A plan is larger than other requests: a 5,000-seat pretix plan is under 1 MiB.
    let plan_limit = || axum::extract::DefaultBodyLimit::max(PLAN_LIMIT);
    OpenApiRouter::default()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(list_staff, create_staff))
        .routes(routes!(change_staff))
        .routes(routes!(reset_password))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(audit))
        .routes(routes!(open_door))
        .routes(routes!(halls))
        .routes(routes!(hall_plan, replace_seatmap).layer(plan_limit()))
        .routes(routes!(venues, create_venue))
        .routes(routes!(create_hall).layer(plan_limit()))
        .routes(routes!(tariffs, create_tariff))
        .routes(routes!(change_tariff))
        .routes(routes!(create_show))
        .routes(routes!(create_performances))
        .routes(routes!(performances_of_day))
        .routes(routes!(change_performance))
        .routes(routes!(cancel_performance))
        .routes(routes!(performance_buyers))
        .routes(routes!(refunds_due))
        .with_state(StaffState { services, secure })
}

/// A response that opens `session` in the browser.
fn with_session(session: OpenedSession, secure: bool) -> Response {
    let mut res = Json(WhoAmI {
        staff: session.staff,
    })
    .into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(&session.secret, session.max_age, secure),
    );
    res
}

/// The staff member behind a request; 401 without a valid credential.
pub struct Staff(pub Actor);

impl<S> FromRequestParts<S> for Staff
where
    S: Send + Sync,
    Services: FromRef<S>,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let credential = credential(&parts.headers).ok_or(AuthError::NotAuthenticated);
        let credential = credential.map_err(fail(lang))?;
        let services = Services::from_ref(state);
        let actor = services
            .auth
            .authenticate(&credential)
            .await
            .map_err(fail(lang))?;
        Ok(Staff(actor))
    }
}

/// Log in
///
/// Opens a session: the cookie replaces one the browser had. Whatever was wrong, a failed
/// login says only "Identifiants incorrects."; five failures from one address wait 15 minutes.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "staff",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in.", body = WhoAmI,
            headers(("set-cookie" = String, description = "The session cookie `guichet_staff`."))),
        err::BadRequest,
        err::Unauthorized,
        err::PayloadTooLarge,
        err::TooManyRequests,
    )
)]
async fn login(
    State(st): St,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let previous = session_secret(&headers);
    let session = st
        .services
        .auth
        .login(&req.email, &req.password, previous.as_deref())
        .await
        .map_err(fail(lang))?;
    Ok(with_session(session, st.secure))
}

/// Log out
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 204, description = "The session ended; the cookie is cleared.",
            headers(("set-cookie" = String, description = "The session cookie `guichet_staff`."))),
        err::Unauthorized,
    )
)]
async fn logout(
    State(st): St,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Staff(_): Staff,
) -> ApiResult<Response> {
    if let Some(secret) = session_secret(&headers) {
        st.services.auth.logout(&secret).await.map_err(fail(lang))?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, set_cookie("", 0, st.secure));
    Ok(res)
}

/// Who is asking
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "The staff member behind the credential.", body = WhoAmI),
        err::Unauthorized,
    )
)]
async fn me(Staff(actor): Staff, ReqLang(lang): ReqLang) -> ApiResult<Json<WhoAmI>> {
    let staff = actor
        .staff
        .ok_or(AuthError::NotAuthenticated)
        .map_err(fail(lang))?;
    Ok(Json(WhoAmI { staff }))
}

/// Change one's own password (session only)
///
/// Every other session of the account ends; an API token is refused (403).
#[utoipa::path(
    post,
    path = "/auth/password",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Changed; a new session cookie.", body = WhoAmI,
            headers(("set-cookie" = String, description = "The session cookie `guichet_staff`."))),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn change_password(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(change): ApiJson<PasswordChange>,
) -> ApiResult<Response> {
    let session = st
        .services
        .auth
        .change_password(&actor, &change)
        .await
        .map_err(fail(lang))?;
    Ok(with_session(session, st.secure))
}

/// Staff accounts (admins)
#[utoipa::path(
    get,
    path = "/admin/staff",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "Every account.", body = Vec<StaffMember>),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn list_staff(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<StaffMember>>> {
    Ok(Json(
        st.services.staff.staff(&actor).await.map_err(fail(lang))?,
    ))
}

/// Create an account (admins)
///
/// Without `password`, one is generated and answered this once.
#[utoipa::path(
    post,
    path = "/admin/staff",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = NewStaffRequest,
    responses(
        (status = 201, description = "Created.", body = StaffWithPassword),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn create_staff(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(req): ApiJson<NewStaffRequest>,
) -> ApiResult<(StatusCode, Json<StaffWithPassword>)> {
    let created = st
        .services
        .staff
        .create_staff(&actor, &req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change an account: name, role, supervisor, disabled (admins)
#[utoipa::path(
    patch,
    path = "/admin/staff/{id}",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Staff id")),
    request_body = StaffChange,
    responses(
        (status = 200, description = "The account as changed.", body = StaffMember),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn change_staff(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<StaffChange>,
) -> ApiResult<Json<StaffMember>> {
    Ok(Json(
        st.services
            .staff
            .change_staff(&actor, id, &change)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Reset an account's password (admins)
///
/// Without `password`, one is generated and answered this once. The account's sessions end.
#[utoipa::path(
    post,
    path = "/admin/staff/{id}/password",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Staff id")),
    request_body = PasswordReset,
    responses(
        (status = 200, description = "Reset.", body = StaffWithPassword),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn reset_password(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(reset): ApiJson<PasswordReset>,
) -> ApiResult<Json<StaffWithPassword>> {
    Ok(Json(
        st.services
            .staff
            .reset_password(&actor, id, &reset)
            .await
            .map_err(fail(lang))?,
    ))
}

/// API tokens (admins)
#[utoipa::path(
    get,
    path = "/admin/tokens",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "Every token, revoked ones included.",
            body = Vec<ApiTokenInfo>),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn list_tokens(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<ApiTokenInfo>>> {
    Ok(Json(
        st.services.staff.tokens(&actor).await.map_err(fail(lang))?,
    ))
}

/// Create an API token for an account (admins)
///
/// The token is answered this once; only its hash is kept.
#[utoipa::path(
    post,
    path = "/admin/tokens",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = NewApiTokenRequest,
    responses(
        (status = 201, description = "Created.", body = ApiTokenCreated),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn create_token(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(req): ApiJson<NewApiTokenRequest>,
) -> ApiResult<(StatusCode, Json<ApiTokenCreated>)> {
    let created = st
        .services
        .staff
        .create_token(&actor, &req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revoke an API token (admins)
#[utoipa::path(
    delete,
    path = "/admin/tokens/{id}",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked."),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn revoke_token(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    st.services
        .staff
        .revoke_token(&actor, id)
        .await
        .map_err(fail(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditParams {
    /// Entries before this id (the next page).
    before: Option<i64>,
    /// 100 when absent.
    limit: Option<i64>,
}

/// The audit log, newest first (admins)
#[utoipa::path(
    get,
    path = "/admin/audit",
    tag = "staff",
    security(("staff_session" = []), ("staff_token" = [])),
    params(AuditParams),
    responses(
        (status = 200, description = "Entries.", body = Vec<AuditEntry>),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn audit(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    Ok(Json(
        st.services
            .staff
            .audit(&actor, p.before, p.limit.unwrap_or(100))
            .await
            .map_err(fail(lang))?,
    ))
}

/// Open a door access in one's own name (door staff, admins)
#[utoipa::path(
    post,
    path = "/door/accesses",
    tag = "door",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = DoorAccessRequest,
    responses(
        (status = 201, description = "The door token, for the door routes.",
            body = DoorAccessGranted),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn open_door(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(req): ApiJson<DoorAccessRequest>,
) -> ApiResult<(StatusCode, Json<DoorAccessGranted>)> {
    let granted = st
        .services
        .door
        .open_door(&actor, &req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(granted)))
}

/// Halls, with their current seat map (admins)
#[utoipa::path(
    get,
    path = "/admin/halls",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "Every hall.", body = Vec<HallSummary>),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn halls(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<HallSummary>>> {
    Ok(Json(
        st.services
            .programme
            .halls(&actor)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Create a show (admins)
#[utoipa::path(
    post,
    path = "/admin/shows",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = NewShowRequest,
    responses(
        (status = 201, description = "Created.", body = ShowCreated),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn create_show(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(req): ApiJson<NewShowRequest>,
) -> ApiResult<(StatusCode, Json<ShowCreated>)> {
    let created = st
        .services
        .programme
        .create_show(&actor, &req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Create performances of a show, listed or recurring (admins)
///
/// Written whole or not at all: a start the hall already has is a 409 and creates nothing.
#[utoipa::path(
    post,
    path = "/admin/shows/{id}/performances",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Show id")),
    request_body = PerformancesRequest,
    responses(
        (status = 201, description = "The performances created.", body = Vec<PerformanceAdmin>),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn create_performances(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(show_id): ApiPath<i64>,
    ApiJson(req): ApiJson<PerformancesRequest>,
) -> ApiResult<(StatusCode, Json<Vec<PerformanceAdmin>>)> {
    let created = st
        .services
        .programme
        .create_performances(&actor, show_id, &req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The tariff catalogue (admins)
#[utoipa::path(
    get,
    path = "/admin/tariffs",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "Tariffs in order.", body = Vec<TariffAdmin>),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn tariffs(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<TariffAdmin>>> {
    Ok(Json(
        st.services
            .programme
            .tariffs(&actor)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Add a tariff to the catalogue (admins)
#[utoipa::path(
    post,
    path = "/admin/tariffs",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = NewTariffRequest,
    responses(
        (status = 201, description = "Added at the end.", body = TariffAdmin),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn create_tariff(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(req): ApiJson<NewTariffRequest>,
) -> ApiResult<(StatusCode, Json<TariffAdmin>)> {
    let created = st
        .services
        .programme
        .create_tariff(&actor, &req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change a tariff's labels, family or proof (admins)
#[utoipa::path(
    patch,
    path = "/admin/tariffs/{code}",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("code" = String, Path, description = "Tariff code")),
    request_body = TariffPatch,
    responses(
        (status = 200, description = "The tariff as changed.", body = TariffAdmin),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn change_tariff(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
    ApiJson(patch): ApiJson<TariffPatch>,
) -> ApiResult<Json<TariffAdmin>> {
    Ok(Json(
        st.services
            .programme
            .change_tariff(&actor, &code, &patch)
            .await
            .map_err(fail(lang))?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DayParams {
    /// Paris calendar day, `YYYY-MM-DD`.
    date: String,
}

/// Every performance of a Paris day, published or not, cancelled or not (admins)
#[utoipa::path(
    get,
    path = "/admin/performances",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(DayParams),
    responses(
        (status = 200, description = "The day's performances.", body = Vec<PerformanceLine>),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Unprocessable,
    )
)]
async fn performances_of_day(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(p): ApiQuery<DayParams>,
) -> ApiResult<Json<Vec<PerformanceLine>>> {
    Ok(Json(
        st.services
            .programme
            .performances_of_day(&actor, &p.date)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Cancel a performance (admins)
///
/// In one transaction: off the programme and the sale, holds released, unpaid orders
/// cancelled, paid ones marked to refund and their tickets cancelled.
#[utoipa::path(
    post,
    path = "/admin/performances/{id}/cancel",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "What the cancellation did.", body = PerformanceCancelled),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
    )
)]
async fn cancel_performance(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PerformanceCancelled>> {
    Ok(Json(
        st.services
            .programme
            .cancel_performance(&actor, id)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Money to give back, oldest first (admins, box office)
#[utoipa::path(
    get,
    path = "/admin/refunds",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "Refunds owed.", body = Vec<RefundDue>),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn refunds_due(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<RefundDue>>> {
    Ok(Json(
        st.services
            .programme
            .refunds_due(&actor)
            .await
            .map_err(fail(lang))?,
    ))
}

/// The paid orders of a performance and their buyers (admins, box office)
#[utoipa::path(
    get,
    path = "/admin/performances/{id}/buyers",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "Paid orders.", body = Vec<PerformanceBuyer>),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn performance_buyers(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<PerformanceBuyer>>> {
    Ok(Json(
        st.services
            .programme
            .performance_buyers(&actor, id)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Change a performance: publication, sale window, hold time, seats per order, online sale (admins)
#[utoipa::path(
    patch,
    path = "/admin/performances/{id}",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    request_body = PerformancePatch,
    responses(
        (status = 200, description = "The performance as changed.", body = PerformanceAdmin),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn change_performance(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<PerformancePatch>,
) -> ApiResult<Json<PerformanceAdmin>> {
    Ok(Json(
        st.services
            .programme
            .change_performance(&actor, id, &patch)
            .await
            .map_err(fail(lang))?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SeatmapParams {
    /// A version the hall had (the current one when absent).
    version: Option<i64>,
}

/// Header naming the seat-map version a response carries (the body is the plan itself, so
/// that an export imports back as it is).
pub const SEATMAP_VERSION: &str = "guichet-seatmap-version";

/// A hall's seat plan in Guichet's format, importable as is (admins)
#[utoipa::path(
    get,
    path = "/admin/halls/{id}/seatmap",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Hall id"), SeatmapParams),
    responses(
        (status = 200, description = "The plan (docs/seatmap.md).", body = app::domain::plan::Plan,
            headers(("guichet-seatmap-version" = i64, description = "The version answered."))),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn hall_plan(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<SeatmapParams>,
) -> ApiResult<Response> {
    let found = st
        .services
        .programme
        .hall_plan(&actor, id, p.version)
        .await
        .map_err(fail(lang))?;
    let mut res = Json(found.plan).into_response();
    res.headers_mut()
        .insert(SEATMAP_VERSION, header::HeaderValue::from(found.version));
    Ok(res)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct UploadParams {
    /// `pretix` for a pretix seating plan; Guichet's format otherwise.
    format: Option<String>,
    /// The version the plan was edited from: refused if another admin saved since.
    base: Option<i64>,
}

/// Save a hall's next seat-map version (admins)
///
/// Used by performances created from now on; those already created keep theirs. Bodies up to
/// 4 MiB.
#[utoipa::path(
    put,
    path = "/admin/halls/{id}/seatmap",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Hall id"), UploadParams),
    request_body(
        content = Object,
        content_type = "application/json",
        description = "A plan: Guichet's format (the `Plan` schema, docs/seatmap.md), or a pretix \
                       seating plan as pretix exports it with `format=pretix`."
    ),
    responses(
        (status = 200, description = "The version saved.", body = SeatmapSaved),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn replace_seatmap(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<UploadParams>,
    body: axum::body::Bytes,
) -> ApiResult<Json<SeatmapSaved>> {
    let upload = match p.format.as_deref() {
        None | Some("guichet") => SeatmapUpload::Guichet(body.to_vec()),
        Some("pretix") => SeatmapUpload::Pretix(body.to_vec()),
        Some(other) => {
            return Err(fail(lang)(ProgrammeError::UnknownFormat(other.to_string())));
        }
    };
    Ok(Json(
        st.services
            .programme
            .replace_seatmap(&actor, id, p.base, &upload)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Venues (admins)
#[utoipa::path(
    get,
    path = "/admin/venues",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "Every venue.", body = Vec<VenueSummary>),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn venues(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<VenueSummary>>> {
    Ok(Json(
        st.services
            .programme
            .venues(&actor)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Create a venue (admins)
#[utoipa::path(
    post,
    path = "/admin/venues",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = NewVenueRequest,
    responses(
        (status = 201, description = "Created.", body = VenueCreated),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn create_venue(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(req): ApiJson<NewVenueRequest>,
) -> ApiResult<(StatusCode, Json<VenueCreated>)> {
    let created = st
        .services
        .programme
        .create_venue(&actor, &req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Create a hall in a venue, with its plan (admins)
///
/// One plan source, none for general admission; a bad plan is a 422 with every problem
/// located, and nothing stored. Bodies up to 4 MiB.
#[utoipa::path(
    post,
    path = "/admin/venues/{id}/halls",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Venue id")),
    request_body = NewHallRequest,
    responses(
        (status = 201, description = "Created.", body = HallCreated),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn create_hall(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(venue_id): ApiPath<i64>,
    ApiJson(req): ApiJson<NewHallRequest>,
) -> ApiResult<(StatusCode, Json<HallCreated>)> {
    let created = st
        .services
        .programme
        .create_hall(&actor, venue_id, &req)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(created)))
}

//! Staff routes of the JSON API: login/logout/me, account and token management, the audit
//! log, door accesses for logged-in door staff, the programme (halls, shows, performances). Who is asking comes from the session cookie
//! or an API token (`Authorization: Bearer gst_…`); what they may do is the use cases' call.
use super::error::{fail, ApiError};
use super::extract::{lang_of, ApiJson, ApiPath, ApiQuery, ReqLang};
use app::admin::*;
use app::ports::{AuthError, OpenedSession, ProgrammeError, Services};
use app::staff::cookies::{credential, session_secret, set_cookie};
use app::staff::*;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;

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

pub fn router<S: Clone + Send + Sync + 'static>(services: Services, secure: bool) -> Router<S> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/auth/password", post(change_password))
        .route("/admin/staff", get(list_staff).post(create_staff))
        .route("/admin/staff/{id}", patch(change_staff))
        .route("/admin/staff/{id}/password", post(reset_password))
        .route("/admin/tokens", get(list_tokens).post(create_token))
        .route("/admin/tokens/{id}", delete(revoke_token))
        .route("/admin/audit", get(audit))
        .route("/door/accesses", post(open_door))
        .route("/admin/halls", get(halls))
        .route(
            "/admin/halls/{id}/seatmap",
            get(hall_plan)
                .put(replace_seatmap)
                .layer(axum::extract::DefaultBodyLimit::max(PLAN_LIMIT)),
        )
        .route("/admin/venues", get(venues).post(create_venue))
        // A plan is larger than other requests: a 5,000-seat pretix plan is under 1 MiB.
        .route(
            "/admin/venues/{id}/halls",
            post(create_hall).layer(axum::extract::DefaultBodyLimit::max(PLAN_LIMIT)),
        )
        .route("/admin/tariffs", get(tariffs).post(create_tariff))
        .route("/admin/tariffs/{code}", patch(change_tariff))
        .route("/admin/shows", post(create_show))
        .route("/admin/shows/{id}/performances", post(create_performances))
        .route("/admin/performances", get(performances_of_day))
        .route("/admin/performances/{id}", patch(change_performance))
        .route("/admin/performances/{id}/cancel", post(cancel_performance))
        .route("/admin/performances/{id}/buyers", get(performance_buyers))
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

async fn me(Staff(actor): Staff, ReqLang(lang): ReqLang) -> ApiResult<Json<WhoAmI>> {
    let staff = actor
        .staff
        .ok_or(AuthError::NotAuthenticated)
        .map_err(fail(lang))?;
    Ok(Json(WhoAmI { staff }))
}

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

async fn list_staff(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<StaffMember>>> {
    Ok(Json(
        st.services.staff.staff(&actor).await.map_err(fail(lang))?,
    ))
}

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

async fn list_tokens(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<ApiTokenInfo>>> {
    Ok(Json(
        st.services.staff.tokens(&actor).await.map_err(fail(lang))?,
    ))
}

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

#[derive(Deserialize)]
struct AuditParams {
    before: Option<i64>,
    limit: Option<i64>,
}

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

#[derive(Deserialize)]
struct DayParams {
    /// Paris calendar day, `YYYY-MM-DD`.
    date: String,
}

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

#[derive(Deserialize)]
struct SeatmapParams {
    version: Option<i64>,
}

/// Header naming the seat-map version a response carries (the body is the plan itself, so
/// that an export imports back as it is).
pub const SEATMAP_VERSION: &str = "guichet-seatmap-version";

/// `GET /admin/halls/{id}/seatmap[?version=N]`: the plan in Guichet's format.
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

#[derive(Deserialize)]
struct UploadParams {
    /// `pretix` for a pretix seating plan; Guichet's format otherwise.
    format: Option<String>,
    /// The version the plan was edited from: refused if another admin saved since.
    base: Option<i64>,
}

/// `PUT /admin/halls/{id}/seatmap[?format=pretix][&base=N]`: a new seat-map version.
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

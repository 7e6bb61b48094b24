//! The cash journal in the JSON API: closures (Z reports), cash counts, the verification of
//! the journals and the signed archives of closed periods. Reading is for box office staff;
//! closing and archiving are a supervisor's acts (checked in the use case).
use super::error::{fail, ApiError};
use super::extract::{ApiJson, ApiPath, ApiQuery, ReqLang};
use super::openapi::err;
use super::staff::{Staff, StaffState};
use app::box_office::*;
use app::ports::SignedArchive;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type St = State<StaffState>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(state: StaffState) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(close, closures))
        .routes(routes!(count_cash))
        .routes(routes!(check))
        .routes(routes!(reading))
        .routes(routes!(archive))
        .routes(routes!(closure_pdf))
        .routes(routes!(signature))
        .with_state(state)
}

/// Close a day, a month or a year (box office supervisor)
///
/// Writes the period's Z report into the journal, chained like any entry: totals by means,
/// tariff and VAT rate, tickets sold and taken back, the perpetual grand total, and each
/// desk's cash (float + cash in, against what was counted). Only an ended period, once.
/// Ended periods are also closed by themselves at night.
#[utoipa::path(
    post,
    path = "/box-office/closures",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = CloseRequest,
    responses(
        (status = 201, description = "Closed.", body = ClosureReport),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn close(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(request): ApiJson<CloseRequest>,
) -> ApiResult<(StatusCode, Json<ClosureReport>)> {
    let report = st
        .services
        .journal
        .close(&actor, &request)
        .await
        .map_err(fail(lang))?;
    Ok((StatusCode::CREATED, Json(report)))
}

/// The Z reports (box office)
///
/// Every closure of the journal, newest first.
#[utoipa::path(
    get,
    path = "/box-office/closures",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "Newest first.", body = Vec<ClosureReport>),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn closures(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<ClosureReport>>> {
    Ok(Json(
        st.services
            .journal
            .closures(&actor)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Record a desk's cash count (box office)
///
/// The float the drawer opened with and the cash counted at the end of the day; the day's Z
/// report compares them with the cash taken. A later count of the same desk and day replaces
/// it until the day is closed.
#[utoipa::path(
    post,
    path = "/box-office/cash-counts",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    request_body = CashCountRequest,
    responses(
        (status = 204, description = "Recorded."),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn count_cash(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiJson(request): ApiJson<CashCountRequest>,
) -> ApiResult<StatusCode> {
    st.services
        .journal
        .count_cash(&actor, &request)
        .await
        .map_err(fail(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ReadingParams {
    /// `day` (default), `month` or `year`.
    period: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the period running now when absent.
    date: Option<String>,
}

/// An X reading (box office)
///
/// The running totals of a period not closed yet — today's by default — in the shape of a Z
/// report (`seq` 0, no hash), written nowhere: what the till should hold now.
#[utoipa::path(
    get,
    path = "/box-office/journal/reading",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(ReadingParams),
    responses(
        (status = 200, description = "The running totals.", body = ClosureReport),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Unprocessable,
    )
)]
async fn reading(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(q): ApiQuery<ReadingParams>,
) -> ApiResult<Json<ClosureReport>> {
    let request = CloseRequest {
        period: q.period.unwrap_or_else(|| "day".into()),
        date: q.date,
    };
    Ok(Json(
        st.services
            .journal
            .reading(&actor, &request)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Verify the journals (box office)
///
/// Reads the cash journal and the technical journal whole and checks every link of their
/// chains; names the first broken entry when one was changed, removed or moved.
#[utoipa::path(
    get,
    path = "/box-office/journal/check",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "What the verification found.", body = JournalCheck),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn check(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<JournalCheck>> {
    Ok(Json(
        st.services
            .journal
            .check(&actor)
            .await
            .map_err(fail(lang))?,
    ))
}

async fn signed(
    st: &StaffState,
    lang: app::i18n::Lang,
    actor: &app::staff::Actor,
    period: &str,
) -> ApiResult<SignedArchive> {
    st.services
        .journal
        .archive(actor, period)
        .await
        .map_err(fail(lang))
}

/// A Z report as a PDF (box office)
///
/// The closed period's totals by means, tariff and VAT rate, each desk's cash, and the
/// closure's place in the journal (sequence number and hash), to print or file.
#[utoipa::path(
    get,
    path = "/box-office/closures/{period}/report.pdf",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("period" = String, Path, description = "`YYYY-MM-DD`, `YYYY-MM` or `YYYY`")),
    responses(
        (status = 200, description = "The Z report.", content_type = "application/pdf", body = Vec<u8>),
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::Unprocessable,
    )
)]
async fn closure_pdf(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(period): ApiPath<String>,
) -> ApiResult<Response> {
    let pdf = st
        .services
        .journal
        .closure_pdf(&actor, &period)
        .await
        .map_err(fail(lang))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"z-{}.pdf\"", period.trim()),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        pdf,
    )
        .into_response())
}

/// A closed period's archive (box office supervisor)
///
/// JSON Lines: a header (the head of the entry before, the period), then the period's entries
/// up to and with its closure. `guichet journal verify FILE` checks it offline.
#[utoipa::path(
    get,
    path = "/box-office/journal/archives/{period}",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("period" = String, Path, description = "`YYYY-MM-DD`, `YYYY-MM` or `YYYY`")),
    responses(
        (status = 200, description = "The archive.", content_type = "application/x-ndjson", body = String),
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::Unprocessable,
    )
)]
async fn archive(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(period): ApiPath<String>,
) -> ApiResult<Response> {
    let a = signed(&st, lang, &actor, &period).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", a.file_name),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        a.bytes,
    )
        .into_response())
}

/// A closed period archive's detached signature (box office supervisor)
///
/// `{archive, sha256, algorithm: "ed25519", key_id, signature}`: the tickets' signing key over
/// the archive's digest; the same period always gives the same archive and signature.
#[utoipa::path(
    get,
    path = "/box-office/journal/archives/{period}/signature",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("period" = String, Path, description = "`YYYY-MM-DD`, `YYYY-MM` or `YYYY`")),
    responses(
        (status = 200, description = "The signature document.", content_type = "application/json", body = Object),
        err::Unauthorized,
        err::Forbidden,
        err::Conflict,
        err::Unprocessable,
    )
)]
async fn signature(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(period): ApiPath<String>,
) -> ApiResult<Response> {
    let a = signed(&st, lang, &actor, &period).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.sig\"", a.file_name),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        a.signature,
    )
        .into_response())
}

//! Reports in the JSON API (box office staff and admins): a performance's statement as JSON,
//! CSV or PDF.
use super::error::{fail, ApiError};
use super::extract::ApiQuery;
use super::extract::{ApiPath, ReqLang};
use super::openapi::err;
use super::staff::{Staff, StaffState};
use app::box_office::{SalesReport, Statement};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type St = State<StaffState>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(state: StaffState) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(statement))
        .routes(routes!(statement_file))
        .routes(routes!(sales))
        .with_state(state)
}

/// A performance's statement (box office)
///
/// The relevé de recettes: per tariff its ticket series, the first and last numbers used, the
/// tickets issued and cancelled and the receipts; per sale channel; the house by category
/// (free, held, sold, blocked); the totals.
#[utoipa::path(
    get,
    path = "/box-office/performances/{id}/statement",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "The statement.", body = Statement),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn statement(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Statement>> {
    Ok(Json(
        st.services
            .reports
            .statement(&actor, id)
            .await
            .map_err(fail(lang))?,
    ))
}

/// A performance's statement as a file (box office)
///
/// `statement.pdf` (A4, to file or sign) or `statement.csv` (`;`-separated, decimal commas,
/// UTF-8 with a byte order mark for spreadsheets).
#[utoipa::path(
    get,
    path = "/box-office/performances/{id}/{file}",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(
        ("id" = i64, Path, description = "Performance id"),
        ("file" = String, Path, description = "`statement.pdf` or `statement.csv`"),
    ),
    responses(
        (status = 200, description = "The statement.", content(("application/pdf"), ("text/csv"))),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn statement_file(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath((id, file)): ApiPath<(i64, String)>,
) -> ApiResult<Response> {
    let reports = &st.services.reports;
    let name = format!("releve-seance-{id}");
    match file.as_str() {
        "statement.pdf" => {
            let pdf = reports
                .statement_pdf(&actor, id)
                .await
                .map_err(fail(lang))?;
            Ok((
                [
                    (header::CONTENT_TYPE, "application/pdf".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("inline; filename=\"{name}.pdf\""),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                pdf,
            )
                .into_response())
        }
        "statement.csv" => {
            let csv = reports
                .statement_csv(&actor, id)
                .await
                .map_err(fail(lang))?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}.csv\""),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                format!("\u{feff}{csv}"),
            )
                .into_response())
        }
        _ => Err(fail(lang)(app::ports::ReportError::Catalogue(
            app::ports::CatalogueError::PerformanceNotFound(id),
        ))),
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PeriodParams {
    /// First Paris day, `YYYY-MM-DD`.
    from: String,
    /// Last Paris day, included; a year after `from` at most.
    to: String,
}

/// Sales over a period (box office)
///
/// Paid tickets not cancelled, by the Paris day their order was paid and by channel (online,
/// box office); the ten shows that sold most; the occupancy of the performances sold.
#[utoipa::path(
    get,
    path = "/box-office/reports/sales",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(PeriodParams),
    responses(
        (status = 200, description = "The report.", body = SalesReport),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Unprocessable,
    )
)]
async fn sales(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> ApiResult<Json<SalesReport>> {
    Ok(Json(
        st.services
            .reports
            .sales(&actor, &q.from, &q.to)
            .await
            .map_err(fail(lang))?,
    ))
}

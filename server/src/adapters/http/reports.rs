//! Reports in the JSON API (box office staff and admins): a performance's statement as JSON,
//! CSV or PDF.
use super::error::{fail, ApiError};
use super::extract::ApiQuery;
use super::extract::{ApiPath, ReqLang};
use super::openapi::err;
use super::staff::{Staff, StaffState};
use app::box_office::{SalesReport, Statement};
use app::domain::export;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type St = State<StaffState>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(state: StaffState) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(statement))
        .routes(routes!(statement_file))
        .routes(routes!(sales))
        .routes(routes!(heatmap))
        .routes(routes!(orders_page))
        .routes(routes!(orders_csv))
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
/// UTF-8 with a byte order mark for spreadsheets); `attendees.csv`: its paid tickets,
/// cancelled ones too, with who came in.
#[utoipa::path(
    get,
    path = "/box-office/performances/{id}/{file}",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(
        ("id" = i64, Path, description = "Performance id"),
        ("file" = String, Path, description = "`statement.pdf`, `statement.csv` or `attendees.csv`"),
    ),
    responses(
        (status = 200, description = "The file.", content(("application/pdf"), ("text/csv"))),
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
        "attendees.csv" => {
            let lines = reports.attendees(&actor, id).await.map_err(fail(lang))?;
            let mut csv = String::from(export::BOM);
            csv.push_str(export::ATTENDEES_HEADER);
            for l in &lines {
                csv.push_str(&export::attendee_row(l));
            }
            Ok(csv_response(&format!("spectateurs-seance-{id}.csv"), csv))
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

fn csv_response(file_name: &str, body: impl Into<axum::body::Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body.into(),
    )
        .into_response()
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ExportParams {
    /// First Paris day, `YYYY-MM-DD`.
    from: String,
    /// Last Paris day, included; a year after `from` at most.
    to: String,
    /// The `next` cursor of the page before; the first page without.
    #[serde(default)]
    after: Option<String>,
    /// Rows per page, 1000 at most (the default).
    #[serde(default)]
    limit: Option<i64>,
}

/// The orders paid over a period, a page at a time (box office)
///
/// By payment time; `total` says how many there are in all, `next` where the next page
/// starts (none after the last), so that a screen can show an export's progress.
#[utoipa::path(
    get,
    path = "/box-office/exports/orders",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(ExportParams),
    responses(
        (status = 200, description = "A page of orders.", body = export::OrdersPage),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Unprocessable,
    )
)]
async fn orders_page(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> ApiResult<Json<export::OrdersPage>> {
    Ok(Json(
        st.services
            .reports
            .orders_page(&actor, &q.from, &q.to, q.after.as_deref(), q.limit)
            .await
            .map_err(fail(lang))?,
    ))
}

/// The orders paid over a period as CSV (box office)
///
/// The whole period, streamed a page at a time (`;`-separated, decimal commas, UTF-8 with a
/// byte order mark); `X-Total-Count` says how many orders it holds.
#[utoipa::path(
    get,
    path = "/box-office/exports/orders.csv",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(PeriodParams),
    responses(
        (status = 200, description = "The orders.", content_type = "text/csv"),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::Unprocessable,
    )
)]
async fn orders_csv(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> ApiResult<Response> {
    let reports = st.services.reports.clone();
    // The first page answers the errors (period, role) before anything is sent.
    let first = reports
        .orders_page(&actor, &q.from, &q.to, None, None)
        .await
        .map_err(fail(lang))?;
    let total = first.total;
    let mut head = String::from(export::BOM);
    head.push_str(export::ORDERS_HEADER);
    // Each later page is read when the client has taken the one before.
    let pages = futures::stream::unfold(Some(first), move |page| {
        let (reports, actor, from, to) =
            (reports.clone(), actor.clone(), q.from.clone(), q.to.clone());
        async move {
            let page = page?;
            let chunk: String = page.rows.iter().map(export::order_row).collect();
            let next = match page.next {
                None => None,
                Some(cursor) => match reports
                    .orders_page(&actor, &from, &to, Some(&cursor), None)
                    .await
                {
                    Ok(p) => Some(p),
                    Err(e) => {
                        tracing::warn!(error = %e, "orders export cut short");
                        return Some((Err(std::io::Error::other(e.to_string())), None));
                    }
                },
            };
            Some((Ok::<_, std::io::Error>(chunk), next))
        }
    });
    let body = futures::stream::once(async move { Ok(head) }).chain(pages);
    let mut res = csv_response("commandes.csv", axum::body::Body::from_stream(body));
    res.headers_mut()
        .insert("x-total-count", header::HeaderValue::from(total));
    Ok(res)
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct HeatParams {
    /// A performance of the hall: its seat map is the one drawn.
    performance_id: i64,
    /// First Paris day, `YYYY-MM-DD`.
    from: String,
    /// Last Paris day, included; a year after `from` at most.
    to: String,
}

/// The occupancy heat map of a hall over a period (box office)
///
/// For each seat of the performance's seat map, in how many of the hall's performances of the
/// period (cancelled ones left out) it sold; places are matched by zone, row and number.
#[utoipa::path(
    get,
    path = "/box-office/reports/heatmap",
    tag = "box office",
    security(("staff_session" = []), ("staff_token" = [])),
    params(HeatParams),
    responses(
        (status = 200, description = "The heat map.", body = app::domain::heatmap::HeatMap),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Unprocessable,
    )
)]
async fn heatmap(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiQuery(q): ApiQuery<HeatParams>,
) -> ApiResult<Json<app::domain::heatmap::HeatMap>> {
    Ok(Json(
        st.services
            .reports
            .heatmap(&actor, q.performance_id, &q.from, &q.to)
            .await
            .map_err(fail(lang))?,
    ))
}

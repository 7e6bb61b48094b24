//! Shows in the back office (list, edit, poster upload) and the public poster files.
use super::error::{fail, ApiError};
use super::extract::{ApiJson, ApiPath, ReqLang};
use super::openapi::err;
use super::staff::{Staff, StaffState};
use app::admin::{ShowAdmin, ShowPatch};
use app::domain::poster::{PosterProblem, MAX_POSTER_BYTES};
use app::ports::{ProgrammeError, Services};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

type St = State<StaffState>;
type ApiResult<T> = Result<T, ApiError>;

pub fn router<S: Clone + Send + Sync + 'static>(state: StaffState) -> OpenApiRouter<S> {
    OpenApiRouter::default()
        .routes(routes!(list))
        .routes(routes!(change))
        .routes(
            routes!(put_poster, remove_poster)
                // The use case judges the size; the body may be just over it to be told so.
                .layer(axum::extract::DefaultBodyLimit::max(MAX_POSTER_BYTES + 1)),
        )
        .with_state(state)
}

/// List the shows (admins)
///
/// Every show by title, with its poster and how many performances are still to come.
#[utoipa::path(
    get,
    path = "/admin/shows",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    responses(
        (status = 200, description = "The shows.", body = Vec<ShowAdmin>),
        err::Unauthorized,
        err::Forbidden,
    )
)]
async fn list(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
) -> ApiResult<Json<Vec<ShowAdmin>>> {
    Ok(Json(
        st.services
            .programme
            .shows(&actor)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Edit a show (admins)
///
/// The fields given change, under the rules of a new show; the kind does not. An empty film
/// field clears it.
#[utoipa::path(
    patch,
    path = "/admin/shows/{id}",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Show id")),
    request_body = ShowPatch,
    responses(
        (status = 200, description = "The show as it now is.", body = ShowAdmin),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::Conflict,
        err::Unprocessable,
    )
)]
async fn change(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<ShowPatch>,
) -> ApiResult<Json<ShowAdmin>> {
    Ok(Json(
        st.services
            .programme
            .change_show(&actor, id, &patch)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Give a show its poster (admins)
///
/// The body is the image itself, JPEG, PNG or WebP, 100 to 6,000 pixels a side, 3 MiB at most;
/// the bytes decide, not the `Content-Type`. The poster is served at `poster.url`, a new URL for
/// each new poster.
#[utoipa::path(
    put,
    path = "/admin/shows/{id}/poster",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Show id")),
    request_body(content = Vec<u8>, content_type = "image/*", description = "The image file."),
    responses(
        (status = 200, description = "The show with its poster.", body = ShowAdmin),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
        err::PayloadTooLarge,
        err::Unprocessable,
    )
)]
async fn put_poster(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ShowAdmin>> {
    let bytes = body.map_err(|rejection| {
        let problem = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            PosterProblem::TooLarge {
                bytes: MAX_POSTER_BYTES + 1,
            }
        } else {
            PosterProblem::Empty
        };
        fail(lang)(ProgrammeError::Poster(problem))
    })?;
    Ok(Json(
        st.services
            .programme
            .set_poster(&actor, id, &bytes)
            .await
            .map_err(fail(lang))?,
    ))
}

/// Remove a show's poster (admins)
#[utoipa::path(
    delete,
    path = "/admin/shows/{id}/poster",
    tag = "programme",
    security(("staff_session" = []), ("staff_token" = [])),
    params(("id" = i64, Path, description = "Show id")),
    responses(
        (status = 200, description = "The show without a poster.", body = ShowAdmin),
        err::BadRequest,
        err::Unauthorized,
        err::Forbidden,
        err::NotFound,
    )
)]
async fn remove_poster(
    State(st): St,
    ReqLang(lang): ReqLang,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ShowAdmin>> {
    Ok(Json(
        st.services
            .programme
            .remove_poster(&actor, id)
            .await
            .map_err(fail(lang))?,
    ))
}

/// `GET /affiches/{file}`: a poster, kept by browsers and proxies for a year (its name changes
/// with its bytes).
pub async fn poster_file(
    State(services): State<Services>,
    ReqLang(lang): ReqLang,
    ApiPath(file): ApiPath<String>,
) -> ApiResult<Response> {
    let poster = services.catalogue.poster(&file).await.map_err(fail(lang))?;
    let mut res = poster.bytes.to_vec().into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(poster.format.mime()),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(res)
}

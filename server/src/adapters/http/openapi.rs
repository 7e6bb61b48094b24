//! The OpenAPI 3.1 document of the JSON API, served at `GET /api/v1/openapi.json`.
//!
//! The API routers register every route with `utoipa_axum`'s `routes!`, which takes the path
//! and method from the handler's `#[utoipa::path]`: a route cannot be served without being in
//! the document, and its schemas are the request and response types themselves (`app`'s DTOs,
//! which derive `ToSchema` under the `ssr` feature). What is here is what no handler says: the
//! title, the security schemes, the shared error answers.
use app::error::AppError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, OnceLock};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    Components, ContentBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder, Ref, RefOr,
    ResponseBuilder, Tag,
};
use utoipa::{PartialSchema, ToSchema};

/// The staff session cookie (`POST /auth/login` sets it).
pub const STAFF_SESSION: &str = "staff_session";
/// A staff API token, `Authorization: Bearer gst_…`.
pub const STAFF_TOKEN: &str = "staff_token";
/// A door access's token, `Authorization: Bearer …`.
pub const DOOR_TOKEN: &str = "door_token";

/// Error answers. Each is a reusable response (`#/components/responses/<name>`) whose body is
/// the `AppError` schema; a route lists those it can give after its success:
/// `responses((status = 200, body = …), err::NotFound, err::Conflict)`.
pub mod err {
    use std::collections::BTreeMap;
    use utoipa::openapi::{response::Response, Ref, RefOr};

    macro_rules! error_responses {
        ($($(#[$doc:meta])* $name:ident = $status:literal, $description:literal;)*) => {
            $(
                $(#[$doc])*
                pub struct $name;

                impl utoipa::IntoResponses for $name {
                    fn responses() -> BTreeMap<String, RefOr<Response>> {
                        let answer = Ref::from_response_name(stringify!($name));
                        BTreeMap::from([($status.to_string(), answer.into())])
                    }
                }
            )*

            /// (name, status, description) of every error answer, for the components.
            pub(super) const ALL: &[(&str, u16, &str)] =
                &[$((stringify!($name), $status, $description)),*];
        };
    }

    error_responses! {
        BadRequest = 400, "`bad_request`: malformed JSON, wrong types, a bad path or query \
            parameter.";
        /// Staff routes without a valid credential; door routes without a valid door token.
        Unauthorized = 401, "`unauthorized`: no session cookie or token, or one that ended \
            (logged out, timed out, revoked, account disabled, door access expired); a failed \
            login.";
        Forbidden = 403, "`forbidden`: the role or the door access does not allow it; a \
            state-changing request made by another site.";
        NotFound = 404, "`not_found`: no such performance, show, hold, order (or a wrong order \
            token), ticket, account…";
        Conflict = 409, "`seats_taken` (`seat_ids` names them), `sold_out`, `hold_expired` or \
            `conflict` (the state does not allow it: already paid, cancelled, taken…).";
        PayloadTooLarge = 413, "`payload_too_large`: the body is over 64 KiB (4 MiB for hall \
            plans).";
        Unprocessable = 422, "`validation` (well-formed but breaks a rule; `seat_ids` names \
            unknown or blocked seats) or `sale_closed` (online sale not open).";
        /// Rate limits and the hold cap; also the login throttle.
        TooManyRequests = 429, "`too_many_held` or `rate_limited`: `retry_after` and the \
            `Retry-After` header say when to try again.";
        Internal = 500, "`internal`: a failure on the server's side (logged).";
        Unavailable = 503, "`unavailable`: the server is overloaded (`retry_after`), the storage \
            or the payment provider is unavailable. A request that outlived the server's timeout \
            gets a 503 without a body.";
    }
}

/// The document before the routes add their paths and schemas.
pub fn base() -> OpenApi {
    let info = InfoBuilder::new()
        .title("Guichet")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "API JSON de la billetterie Guichet : programme, places, commandes et billets, \
             contrôle d'accès, comptes du personnel, programmation.\n\n\
             Guichet's JSON API: the programme, seat holds, orders and tickets, door control, \
             staff accounts and programming. Times are RFC 3339 in UTC, money is integer euro \
             cents. Errors are `{error, message}` (`AppError`), the message in the reader's \
             language: the `lang` cookie (`fr` or `en`), else `Accept-Language`, else French. \
             Paths are the full request paths (`/api/v1/…`). Details: docs/api.md.",
        ))
        .license(Some(
            LicenseBuilder::new()
                .name("AGPL-3.0-or-later")
                .identifier(Some("AGPL-3.0-or-later"))
                .build(),
        ))
        .build();
    let mut components = Components::new();
    // The error body and what it refers to (`ErrorCode`): no route names them itself.
    let mut schemas = vec![(AppError::name().into_owned(), AppError::schema())];
    AppError::schemas(&mut schemas);
    components.schemas.extend(schemas);
    for (name, _, description) in err::ALL {
        let mut answer = ResponseBuilder::new().description(*description).content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(AppError::name())))
                .build(),
        );
        if matches!(*name, "TooManyRequests" | "Unavailable") {
            answer = answer.header(
                "retry-after",
                utoipa::openapi::HeaderBuilder::new()
                    .schema(i64::schema())
                    .description(Some("Seconds to wait before trying again."))
                    .build(),
            );
        }
        components
            .responses
            .insert((*name).into(), answer.build().into());
    }
    components.security_schemes.insert(
        STAFF_SESSION.into(),
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            app::staff::cookies::SESSION_COOKIE,
            "The staff session, set by `POST /api/v1/auth/login` (`HttpOnly`, `SameSite=Lax`).",
        ))),
    );
    components.security_schemes.insert(
        STAFF_TOKEN.into(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("gst_…")
                .description(Some(
                    "A staff API token (`guichet staff token create`, or `POST \
                     /api/v1/admin/tokens`), acting with its account's role.",
                ))
                .build(),
        ),
    );
    components.security_schemes.insert(
        DOOR_TOKEN.into(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "A door access's token (`guichet door create`, or `POST \
                     /api/v1/door/accesses`): the door routes only, for its performances.",
                ))
                .build(),
        ),
    );
    let tag = |name: &str, description: &str| {
        let mut tag = Tag::new(name);
        tag.description = Some(description.into());
        tag
    };
    OpenApiBuilder::new()
        .info(info)
        .components(Some(components))
        .tags(Some([
            tag("catalogue", "The programme and the seat maps, live."),
            tag("buying", "Holds, orders, payments."),
            tag(
                "tickets",
                "Tickets of a paid order, and the keys that verify them.",
            ),
            tag("door", "Door control, with a door token."),
            tag("staff", "Staff login, accounts, API tokens, the audit log."),
            tag(
                "programme",
                "Venues, halls, tariffs, shows and performances (back office).",
            ),
            tag("meta", "This document."),
        ]))
        .build()
}

/// What every route can answer besides what it lists, from the layers in front of all of
/// them: 503 when the server sheds load; 403 for a state-changing request another site's page
/// made (`guard::same_origin_only`); 500 for those that reach a use case (the ones that list
/// an error of their own).
pub fn finish(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let reads = [&mut item.get, &mut item.head, &mut item.options];
        for operation in reads.into_iter().flatten() {
            add_shared_errors(operation, false);
        }
        let writes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in writes.into_iter().flatten() {
            add_shared_errors(operation, true);
        }
    }
}

fn add_shared_errors(operation: &mut Operation, changes_state: bool) {
    let responses = &mut operation.responses.responses;
    let reaches_a_use_case = responses.keys().any(|status| status.starts_with('4'));
    let mut add = |status: u16, name: &str| {
        responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
    };
    add(503, "Unavailable");
    if changes_state {
        add(403, "Forbidden");
    }
    if reaches_a_use_case {
        add(500, "Internal");
    }
}

/// The serialised document. It is complete only once every route is registered, this one
/// included, so the route gets an empty cell that `http::api` fills right after.
pub type Document = Arc<OnceLock<Bytes>>;

/// The OpenAPI document of the JSON API
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    responses((
        status = 200,
        description = "This document (OpenAPI 3.1).",
        content_type = "application/json",
        body = Object
    ))
)]
pub async fn document(State(doc): State<Document>) -> Response {
    match doc.get() {
        Some(json) => ([(header::CONTENT_TYPE, "application/json")], json.clone()).into_response(),
        // Not reached: the cell is filled before the server starts.
        None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

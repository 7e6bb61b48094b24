//! The HTTP adapter: the JSON API under `/api/v1`, the server functions under `/sf`, the
//! Leptos pages and static files — all reaching the use cases through `app::ports::Services`.
pub mod after_sale;
pub mod assets;
pub mod box_office;
pub mod client;
pub mod error;
pub mod events;
pub mod extract;
pub mod guard;
pub mod journal;
pub mod mail;
pub mod openapi;
pub mod payfip;
pub mod rate;
pub mod reports;
pub mod rest;
pub mod serve;
pub mod shows;
pub mod staff;
pub mod venue_tariffs;

use crate::usecases::catalogue::LiveFeed;
use crate::usecases::integrity::IntegrityService;
use app::ports::Services;
use app::{shell, App};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes, ResponseOptions};
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};

/// `/health`: 200 "ok" while the database serves reads and writes; 503 otherwise, so that a
/// load balancer stops sending buyers to a server whose storage writer died.
async fn health(integrity: Arc<IntegrityService>) -> Response {
    match integrity.health().await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            let body = app::error::wire(
                app::error::ErrorCode::Unavailable,
                &app::i18n::Message::new("error-unavailable"),
                app::i18n::Lang::Fr,
            );
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(body),
            )
                .into_response()
        }
    }
}

/// What the router puts in front of every route.
#[derive(Clone)]
pub struct Edge {
    pub policy: guard::Policy,
    pub limiter: Arc<rate::Limiter>,
    pub proxies: Arc<client::TrustedProxies>,
    /// Requests served at once; beyond, new ones are answered 503 at once (`GUICHET_MAX_IN_FLIGHT`).
    pub max_in_flight: usize,
    /// Requests still running after this are answered 503 (a stuck storage must not pile up
    /// connections).
    pub request_timeout: std::time::Duration,
}

/// The answer to a request shed under overload: come back in a second.
async fn overloaded(err: tower::BoxError) -> Response {
    if !err.is::<tower::load_shed::error::Overloaded>() {
        tracing::error!(error = %err, "request failed in the overload layers");
    }
    let mut body = app::error::wire(
        app::error::ErrorCode::Unavailable,
        &app::i18n::Message::new("error-overloaded"),
        app::i18n::Lang::Fr,
    );
    body.retry_after = Some(1);
    error::ApiError(body).into_response()
}

/// The JSON API under `/api/v1`, and its OpenAPI document: both come from the same `routes!`
/// registrations, and the document's paths are the full request paths (`/api/v1/…`).
pub fn api(
    services: Services,
    live: Arc<LiveFeed>,
    https: bool,
) -> (Router, utoipa::openapi::OpenApi) {
    let document = openapi::Document::default();
    // The JSON API answers an oversized body with its own 413 `{error, message}`; everything
    // else (server functions, forms) is cut at the same size by the layer in `router`.
    let api = staff::router(services.clone(), https)
        .merge(shows::router(staff::StaffState {
            services: services.clone(),
            secure: https,
        }))
        .merge(venue_tariffs::router(staff::StaffState {
            services: services.clone(),
            secure: https,
        }))
        .merge(box_office::router(staff::StaffState {
            services: services.clone(),
            secure: https,
        }))
        .merge(journal::router(staff::StaffState {
            services: services.clone(),
            secure: https,
        }))
        .merge(after_sale::router(staff::StaffState {
            services: services.clone(),
            secure: https,
        }))
        .merge(reports::router(staff::StaffState {
            services: services.clone(),
            secure: https,
        }))
        .merge(mail::router(staff::StaffState {
            services: services.clone(),
            secure: https,
        }))
        .merge(rest::router(services, live))
        .routes(utoipa_axum::routes!(openapi::document).with_state(document.clone()))
        .layer(DefaultBodyLimit::max(guard::BODY_LIMIT));
    let (router, mut doc) = OpenApiRouter::with_openapi(openapi::base())
        .nest("/api/v1", api)
        .split_for_parts();
    openapi::finish(&mut doc);
    // Built once here; the route answers these bytes.
    match serde_json::to_vec(&doc) {
        Ok(json) => {
            let _ = document.set(json.into());
        }
        Err(e) => tracing::error!(error = %e, "the OpenAPI document does not serialise"),
    }
    (router, doc)
}

/// The whole site, and the JSON API's OpenAPI document.
pub fn router(
    services: Services,
    integrity: Arc<IntegrityService>,
    live: Arc<LiveFeed>,
    options: LeptosOptions,
    edge: Edge,
) -> (Router, utoipa::openapi::OpenApi) {
    let policy = edge.policy;
    let context = {
        let services = services.clone();
        let cookies = app::staff::cookies::CookiePolicy {
            secure: policy.https,
        };
        move || {
            provide_context(services.clone());
            provide_context(cookies);
            // A page: its CSP allows the inline scripts Leptos marked with this render's nonce.
            let nonce = leptos::nonce::use_nonce();
            if let (Some(nonce), Some(res)) = (nonce, use_context::<ResponseOptions>()) {
                if let Ok(csp) = HeaderValue::from_str(&guard::page_csp(&nonce)) {
                    res.insert_header(header::CONTENT_SECURITY_POLICY, csp);
                }
            }
        }
    };
    let routes = generate_route_list(App);
    let (api, document) = api(services.clone(), live, policy.https);
    let payfip = payfip::router(services.clone());
    let pkg = assets::pkg(&options.site_root);
    let pages = Router::<LeptosOptions>::new()
        .merge(pkg)
        .route("/health", get(move || health(integrity.clone())))
        .route(
            "/affiches/{file}",
            get(shows::poster_file).with_state(services),
        )
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .layer(RequestBodyLimitLayer::new(guard::BODY_LIMIT))
        .with_state(options);
    // Outermost last: headers on every answer, cross-site refusal, then who is asking, then
    // how often they may, then room to serve them: past `max_in_flight` requests at once a new
    // one is refused at once (503 + Retry-After) rather than queued, so that neither memory
    // nor the storage writer's queue grows without bound under a rush.
    let site = api
        .merge(payfip)
        .merge(pages)
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::error_handling::HandleErrorLayer::new(overloaded))
                .layer(tower::load_shed::LoadShedLayer::new())
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                    edge.max_in_flight.max(1),
                ))
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    edge.request_timeout,
                )),
        )
        .layer(axum::middleware::from_fn_with_state(
            edge.limiter,
            rate::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            edge.proxies,
            client::client_address,
        ))
        .layer(axum::middleware::from_fn_with_state(
            policy.clone(),
            guard::same_origin_only,
        ))
        .layer(axum::middleware::from_fn_with_state(
            policy,
            guard::security_headers,
        ))
        .layer(assets::compression());
    (site, document)
}

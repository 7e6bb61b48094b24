//! The HTTP adapter: the JSON API under `/api/v1`, the server functions under `/sf`, the
//! Leptos pages and static files — all reaching the use cases through `app::ports::Services`.
pub mod error;
pub mod extract;
pub mod guard;
pub mod rest;

use app::ports::Services;
use app::{shell, App};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes, ResponseOptions};
use tower_http::limit::RequestBodyLimitLayer;

pub fn router(services: Services, options: LeptosOptions, policy: guard::Policy) -> Router {
    let context = {
        let services = services.clone();
        move || {
            provide_context(services.clone());
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
    // The JSON API answers an oversized body with its own 413 `{error, message}`; everything
    // else (server functions, forms) is cut at the same size by the layer below.
    let api = rest::router(services).layer(DefaultBodyLimit::max(guard::BODY_LIMIT));
    let pages = Router::<LeptosOptions>::new()
        .route("/health", get(|| async { "ok" }))
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .layer(RequestBodyLimitLayer::new(guard::BODY_LIMIT))
        .with_state(options);
    Router::new()
        .nest("/api/v1", api)
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            policy.clone(),
            guard::same_origin_only,
        ))
        .layer(axum::middleware::from_fn_with_state(
            policy,
            guard::security_headers,
        ))
}

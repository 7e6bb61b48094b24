//! The HTTP adapter: the JSON API under `/api/v1`, the server functions under `/sf`, the
//! Leptos pages and static files — all reaching the use cases through `app::ports::Services`.
pub mod error;
pub mod extract;
pub mod rest;

use app::ports::Services;
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};

pub fn router(services: Services, options: LeptosOptions) -> Router {
    let context = {
        let services = services.clone();
        move || provide_context(services.clone())
    };
    let routes = generate_route_list(App);
    Router::<LeptosOptions>::new()
        .nest("/api/v1", rest::router(services))
        .route("/health", get(|| async { "ok" }))
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(options)
}

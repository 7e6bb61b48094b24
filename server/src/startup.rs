//! Builds the application (storage, keys, services, router) and serves it. Tests use the same
//! path with port 0 (zero2prod's `spawn_app` pattern).
use crate::config::Config;
use crate::door::DoorService;
use crate::http_error::ApiError;
use crate::pdf::TicketRenderer;
use crate::service::{now, GuichetService};
use crate::signing::TicketSigner;
use crate::storage::Store;
use crate::{api, payments};
use anyhow::Context;
use app::ports::{DoorControl, Ticketing};
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

pub struct Application {
    listener: TcpListener,
    router: Router,
    service: Arc<GuichetService>,
}

impl Application {
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        let store = Store::connect(&config.database_url)
            .await
            .context("connecting to the database")?;
        store.migrate().await.context("running migrations")?;
        let signer = Arc::new(TicketSigner::load_or_create(&config.keys_file, now())?);
        let pdf = Arc::new(TicketRenderer::new().context("loading the ticket font")?);
        let service = Arc::new(GuichetService::new(
            store,
            signer,
            payments::from_setting(config.payments.as_deref()),
            pdf,
            config.hold_seconds_override,
        ));
        let options = LeptosOptions::builder()
            .output_name("guichet")
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(config.site_addr)
            .env(Env::PROD)
            .build();
        let router = router(service.clone(), options);
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("binding {}", config.site_addr))?;
        Ok(Application {
            listener,
            router,
            service,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn service(&self) -> Arc<GuichetService> {
        self.service.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let sweeper = tokio::spawn(sweep_expired_holds(self.service.clone()));
        let result = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        sweeper.abort();
        result
    }
}

pub fn router(service: Arc<GuichetService>, options: LeptosOptions) -> Router {
    let door = Arc::new(DoorService::new(service.clone()));
    let ticketing: Arc<dyn Ticketing> = service.clone();
    let door_control: Arc<dyn DoorControl> = door.clone();
    let context = move || {
        provide_context(ticketing.clone());
        provide_context(door_control.clone());
    };
    let routes = generate_route_list(App);
    let api = api::router(service)
        .merge(api::door_router(door))
        .fallback(|| async { ApiError(app::AppError::not_found("Point d'accès inconnu.")) });
    Router::<LeptosOptions>::new()
        .nest("/api/v1", api)
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

/// Expired holds free their seats lazily on the next hold; this sweep also frees them for the
/// seat map and the availability counts within a few seconds.
async fn sweep_expired_holds(service: Arc<GuichetService>) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        if let Err(e) = service.store().expire_all_holds(now()).await {
            tracing::warn!(error = %e, "hold sweep failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

//! The composition root: storage, keys, payments and renderer wired into the use cases, the
//! HTTP adapter on top, and the background sweep. Tests use the same path with port 0
//! (zero2prod's `spawn_app` pattern).
use crate::adapters::http;
use crate::adapters::payments;
use crate::adapters::pdf::{PdfRenderer, TicketDocuments};
use crate::adapters::signing::KeyringSigner;
use crate::adapters::storage::Storage;
use crate::config::Config;
use crate::ports::{Clock, SystemClock};
use crate::usecases::journal::JournalService;
use crate::usecases::{Outbound, Settings, UseCases};
use anyhow::Context;
use app::domain::journal::TechKind;
use leptos::config::{Env, LeptosOptions};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// The use cases over real adapters (the web server and the CLI share them).
pub async fn use_cases(config: &Config) -> anyhow::Result<(UseCases, Storage)> {
    let storage = Storage::connect(&config.database_url)
        .await
        .context("opening the database")?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let signer = Arc::new(KeyringSigner::load_or_create(
        &config.keys_file,
        clock.now(),
    )?);
    reload_keys_on_sighup(signer.clone());
    let pdf = Arc::new(PdfRenderer::new().context("loading the ticket fonts")?);
    let out = Outbound {
        catalogue: storage.catalogue.clone(),
        booking: storage.booking.clone(),
        orders: storage.orders.clone(),
        door: storage.door.clone(),
        setup: storage.setup.clone(),
        integrity: storage.integrity.clone(),
        staff: storage.staff.clone(),
        programme: storage.programme.clone(),
        journal: storage.journal.clone(),
        changes: storage.changes.clone(),
        clock,
        payments: payments::from_setting(&config.payments, &config.public_url),
        signer,
        renderer: Arc::new(TicketDocuments(pdf.clone())),
        mail_renderer: Arc::new(
            crate::adapters::pdf::BackgroundDocuments::start(pdf)
                .context("starting the mail renderer")?,
        ),
        passwords: Arc::new(crate::adapters::passwords::Argon2Hasher),
        outbox: storage.outbox.clone(),
        mailer: crate::adapters::mail::from_config(&config.mail)?,
        public_url: config.public_url.clone(),
    };
    let settings = Settings {
        hold_cap_seconds: config.hold_seconds_override,
        hold_caps: config.limits.hold_caps,
        feed: Default::default(),
        staff: Default::default(),
        mail: crate::usecases::mail::MailSettings {
            retry_base_seconds: config.mail.retry_base_seconds,
            ..Default::default()
        },
    };
    Ok((UseCases::new(out, settings), storage))
}

pub struct Application {
    listener: TcpListener,
    header_read_timeout: Duration,
    router: axum::Router,
    /// The JSON API's OpenAPI document, as `/api/v1/openapi.json` serves it.
    openapi: utoipa::openapi::OpenApi,
    use_cases: UseCases,
    limiter: Arc<http::rate::Limiter>,
    /// Whether this server sends the outbox's mail (`GUICHET_MAIL_SENDER`).
    sends_mail: bool,
}

impl Application {
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        config.check()?;
        let (use_cases, _storage) = use_cases(config).await?;
        let options = LeptosOptions::builder()
            .output_name("guichet")
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(config.site_addr)
            .env(Env::PROD)
            .hash_files(built_with_hashed_names())
            .build();
        let policy = http::guard::Policy::new(&config.public_url);
        let limiter = Arc::new(http::rate::Limiter::new(&config.limits.rates));
        let edge = http::Edge {
            policy,
            limiter: limiter.clone(),
            proxies: Arc::new(config.limits.trusted_proxies.clone()),
            max_in_flight: config.limits.max_in_flight,
            request_timeout: config.limits.request_timeout,
        };
        let (router, openapi) = http::router(
            use_cases.services(),
            use_cases.integrity.clone(),
            use_cases.live.clone(),
            options,
            edge,
        );
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("binding {}", config.site_addr))?;
        Ok(Application {
            listener,
            header_read_timeout: config.limits.header_read_timeout,
            router,
            openapi,
            use_cases,
            limiter,
            sends_mail: config.mail.send,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn openapi(&self) -> &utoipa::openapi::OpenApi {
        &self.openapi
    }

    pub fn use_cases(&self) -> UseCases {
        self.use_cases.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let journal = self.use_cases.journal.clone();
        let version = format!("guichet {} démarré", env!("CARGO_PKG_VERSION"));
        if let Err(e) = journal.event(TechKind::Startup, &version).await {
            tracing::error!(error = %e, "the start-up could not be written to the technical journal");
        }
        let sweeper = tokio::spawn(sweep_expired_holds(self.use_cases.clone()));
        let closer = tokio::spawn(close_ended_periods(journal.clone()));
        let poller = tokio::spawn(poll_pending_payments(self.use_cases.clone()));
        let mailer = self
            .sends_mail
            .then(|| tokio::spawn(send_mail(self.use_cases.clone())));
        let limiter = self.limiter.clone();
        let forget = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                limiter.forget_idle();
            }
        });
        let result = http::serve::serve(
            self.listener,
            self.router,
            self.header_read_timeout,
            shutdown_signal(),
        )
        .await;
        sweeper.abort();
        closer.abort();
        poller.abort();
        if let Some(mailer) = mailer {
            mailer.abort();
        }
        forget.abort();
        if let Err(e) = journal.event(TechKind::Shutdown, "arrêt demandé").await {
            tracing::error!(error = %e, "the shutdown could not be written to the technical journal");
        }
        result
    }
}

/// A release build names its wasm, script and stylesheet after their content and lists the
/// names in `hash.txt` beside the binary (cargo-leptos `hash-files`); the pages then link those
/// names, which browsers may keep for a year.
fn built_with_hashed_names() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|file| file.is_file())
}

/// Expired holds free their seats lazily when someone wants them; this sweep also frees them
/// for the seat maps and the availability counts within a few seconds.
async fn sweep_expired_holds(use_cases: UseCases) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        if let Err(e) = use_cases.booking.expire_holds().await {
            tracing::warn!(error = %e, "hold sweep failed");
        }
    }
}

/// A provider's notification can be lost: attempts still pending a minute after they started
/// are asked about every 30 seconds (and closed once past the provider's deadline).
async fn poll_pending_payments(use_cases: UseCases) {
    use app::ports::Checkout;
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    loop {
        tick.tick().await;
        match use_cases.checkout.poll_pending_payments(60).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(attempts = n, "pending payments settled by polling"),
            Err(e) => tracing::warn!(error = %e, "payment poll failed"),
        }
    }
}

/// The outbox's mails go out within seconds of their order; failures wait their backoff.
async fn send_mail(use_cases: UseCases) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        if let Err(e) = use_cases.mail.send_due().await {
            tracing::warn!(error = %e, "e-mail sender failed");
        }
    }
}

/// Days, months and years close by themselves once over (a box office that forgot its Z
/// report still has one); a supervisor's closure, earlier, wins. Every ten minutes.
async fn close_ended_periods(journal: Arc<JournalService>) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        match journal.close_ended().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(periods = n, "cash journal: ended periods closed"),
            Err(e) => tracing::warn!(error = %e, "cash journal: closing ended periods failed"),
        }
    }
}

/// `kill -HUP` makes the server read its keyring again (after `guichet keys rotate|retire`).
fn reload_keys_on_sighup(signer: Arc<KeyringSigner>) {
    #[cfg(unix)]
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        handle.spawn(async move {
            use tokio::signal::unix::{signal, SignalKind};
            let Ok(mut hup) = signal(SignalKind::hangup()) else {
                return;
            };
            while hup.recv().await.is_some() {
                match signer.reload() {
                    Ok(()) => {
                        tracing::info!(keys = signer.public_keys().len(), "signing keys reloaded")
                    }
                    Err(e) => tracing::error!(error = %e, "signing keys not reloaded"),
                }
            }
        });
    }
    #[cfg(not(unix))]
    let _ = signer;
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

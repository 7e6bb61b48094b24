//! `guichet`: the Guichet server and its administration commands.
use anyhow::Context;
use clap::{Parser, Subcommand};
use server::config::Config;
use server::service::now;
use server::signing::TicketSigner;
use server::startup::Application;
use server::storage::Store;

/// Guichet — billetterie du cinéma et du théâtre municipaux.
///
/// Configuration comes from the environment or a `.env` file: DATABASE_URL (default
/// sqlite://data/guichet.db), LEPTOS_SITE_ADDR (127.0.0.1:3000), LEPTOS_SITE_ROOT (target/site),
/// GUICHET_PUBLIC_URL, GUICHET_KEYS_FILE (data/keys.json), GUICHET_PAYMENTS (sandbox|none),
/// GUICHET_HOLD_SECONDS (caps hold duration, for tests), RUST_LOG.
#[derive(Parser)]
#[command(name = "guichet", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (default): migrates, then serves the site and the JSON API.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Seed the demo programme (idempotent: adds only what is missing).
    Demo,
    /// Signing keys for ticket codes.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Add a new signing key; tickets signed with older keys stay valid.
    Rotate,
    /// Print the public keys (base64), as scanners receive them.
    Show,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(&config).await?;
            tracing::info!(
                "Guichet listening on http://{}:{} (payments: {})",
                config.site_addr.ip(),
                app.port(),
                config.payments.as_deref().unwrap_or("none")
            );
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let store = Store::connect(&config.database_url).await?;
            store.migrate().await?;
            println!("Migrations applied to {}", redact(&config.database_url));
        }
        Command::Demo => {
            let store = Store::connect(&config.database_url).await?;
            store.migrate().await?;
            let summary = server::demo::seed(&store, now())
                .await
                .context("seeding the demo programme")?;
            println!(
                "Demo programme ready: {} performances over the next two weeks.",
                summary.performances
            );
        }
        Command::Keys { action } => match action {
            KeysAction::Rotate => {
                TicketSigner::load_or_create(&config.keys_file, now())?;
                let id = TicketSigner::rotate(&config.keys_file, now())?;
                println!(
                    "New signing key {id} added to {}",
                    config.keys_file.display()
                );
            }
            KeysAction::Show => {
                let signer = TicketSigner::load_or_create(&config.keys_file, now())?;
                println!("{}", serde_json::to_string_pretty(&signer.public_keys())?);
            }
        },
    }
    Ok(())
}

/// Hides a password in a database URL before printing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***@{}", &url[..s], &url[at + 1..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

//! `guichet`: the Guichet server and its administration commands.
use anyhow::Context;
use clap::{Parser, Subcommand};
use server::adapters::signing::KeyringSigner;
use server::adapters::storage::Storage;
use server::config::Config;
use server::ports::{Clock, SystemClock};
use server::startup::{use_cases, Application};

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
    /// Check the sales' invariants (no seat sold twice, every paid order with its tickets,
    /// unbroken numbering…); exits with status 1 and names what is wrong if anything is.
    Check,
    /// Write a consistent copy of the database to FILE while it keeps serving (SQLite:
    /// VACUUM INTO; PostgreSQL: pg_dump). Never overwrites a file.
    Backup { file: std::path::PathBuf },
    /// Restore a backup made by `guichet backup` into the (new, empty) DATABASE_URL.
    Restore { file: std::path::PathBuf },
    /// Door accesses for the phone scanner (door staff are not administrators).
    Door {
        #[command(subcommand)]
        action: DoorAction,
    },
    /// Staff accounts and API tokens (admins manage them in the back office too).
    Staff {
        #[command(subcommand)]
        action: StaffAction,
    },
    /// Ticket administration.
    Tickets {
        #[command(subcommand)]
        action: TicketAction,
    },
    /// Signing keys for ticket codes.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// The box office's cash journal (NF525-style: chained entries, closures, archives).
    Journal {
        #[command(subcommand)]
        action: JournalAction,
    },
    /// The e-mail outbox.
    Mail {
        #[command(subcommand)]
        action: MailAction,
    },
    /// Tools for a developer's machine.
    Dev {
        #[command(subcommand)]
        action: DevAction,
    },
}

#[derive(Subcommand)]
enum MailAction {
    /// Mails waiting and sent, and the failing ones with their last error; exits 1 if any
    /// is failing.
    Status,
    /// Sends what is due now (the server does it every two seconds).
    Send,
}

#[derive(Subcommand)]
enum DevAction {
    /// A local PayFiP (same SOAP contract, a payment page): run it, then start Guichet with
    /// GUICHET_PAYMENTS=payfip GUICHET_PAYFIP_NUMCLI=123456
    /// GUICHET_PAYFIP_SOAP_URL=http://ADDR/tpa/services/securite
    /// GUICHET_PAYFIP_PAGE_URL=http://ADDR/tpa/paiementws.web
    PayfipStandin {
        #[arg(long, default_value = "127.0.0.1:3010")]
        addr: std::net::SocketAddr,
    },
}

#[derive(Subcommand)]
enum JournalAction {
    /// Verify the journals in the database, or an archive FILE (and its signature,
    /// FILE.sig when present or --signature); exits with status 1 and names the first broken
    /// entry.
    Verify {
        file: Option<std::path::PathBuf>,
        #[arg(long)]
        signature: Option<std::path::PathBuf>,
    },
    /// Close the periods that have ended and are not closed yet (the server does it at night).
    CloseEnded,
    /// Write the signed archive of a closed period (YYYY-MM-DD, YYYY-MM or YYYY) into DIR:
    /// journal-PERIOD.jsonl and journal-PERIOD.jsonl.sig.
    Archive {
        period: String,
        #[arg(long, default_value = ".")]
        dir: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum DoorAction {
    /// Create a door access; prints the token and the pairing link to open on the phone.
    Create {
        /// Performance ids, comma-separated.
        #[arg(long, value_delimiter = ',', required_unless_present = "day")]
        performance: Vec<i64>,
        /// Every performance of that day (Europe/Paris), YYYY-MM-DD.
        #[arg(long)]
        day: Option<String>,
        /// Validity, in hours (1–72).
        #[arg(long, default_value_t = 6)]
        hours: i64,
        /// May undo admissions.
        #[arg(long)]
        supervisor: bool,
        /// Shown in audit trails, e.g. "Entrée principale".
        #[arg(long, default_value = "Contrôle")]
        label: String,
    },
    /// List door accesses.
    List,
    /// Revoke a door access at once.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum StaffAction {
    /// Create an account. The password is read from standard input when it is piped
    /// (`read -rs P; echo "$P" | guichet staff create …`); at a terminal one is generated and
    /// printed once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, box_office or door.
        #[arg(long)]
        role: String,
        /// May undo admissions, refund, close the till.
        #[arg(long)]
        supervisor: bool,
    },
    /// List accounts.
    List,
    /// Disable an account: its sessions end, its API tokens stop working.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Set a new password (read from standard input when piped, else generated and printed
    /// once); every session of the account ends.
    Password {
        #[arg(long)]
        email: String,
    },
    /// API tokens for scripts (`Authorization: Bearer …`), acting with their account's role.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a token for an account; prints it once (only its hash is kept).
    Create {
        #[arg(long)]
        email: String,
        /// What it is for, e.g. "Import de la saison".
        #[arg(long)]
        name: String,
    },
    /// List tokens.
    List,
    /// Revoke a token at once.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum TicketAction {
    /// Cancel a ticket by its number (e.g. TM-PLEIN-000042): kept in the series as cancelled,
    /// refused at the door, seat back on sale.
    Cancel { number: String },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Add a new signing key; tickets signed with older keys stay valid. Then `kill -HUP` the
    /// servers (or restart them) so that they sign with it.
    Rotate,
    /// Retire a key that leaked: tickets it signed no longer verify (re-issue them). Then
    /// `kill -HUP` the servers.
    Retire { id: u8 },
    /// Print the public keys (base64), as scanners receive them.
    Show,
}

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_start(http_worker_priority)
        .build()?
        .block_on(run())
}

/// The runtime's workers (HTTP, pages, reads) run a notch below the main thread, where the
/// storage writer and its SQLite connection thread start: under a rush of page views and
/// refused holds, a purchase that can go on gets the CPU first. `GUICHET_WORKER_NICE` (0–19,
/// default 5) sets the gap; lowering one's own priority needs no privilege.
fn http_worker_priority() {
    #[cfg(target_os = "linux")]
    {
        let nice = std::env::var("GUICHET_WORKER_NICE")
            .ok()
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(5)
            .clamp(0, 19);
        // SAFETY: setpriority only reads its integer arguments; on Linux, `who = 0` with
        // PRIO_PROCESS names the calling thread.
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, 0, nice);
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    // The stand-in needs none of Guichet's configuration.
    if let Some(Command::Dev {
        action: DevAction::PayfipStandin { addr },
    }) = &cli.command
    {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!("PayFiP stand-in on http://{addr} (SOAP at /tpa/services/securite, page at /tpa/paiementws.web)");
        server::adapters::payfip::standin::Standin::new()
            .serve(listener)
            .await?;
        return Ok(());
    }
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        // Served above, before the configuration is read.
        Command::Dev { .. } => {}
        Command::Serve => {
            let app = Application::build(&config).await?;
            tracing::info!(
                "Guichet listening on http://{}:{} (payments: {})",
                config.site_addr.ip(),
                app.port(),
                config.payments.name()
            );
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            Storage::connect(&config.database_url).await?.close().await;
            println!("Migrations applied to {}", redact(&config.database_url));
        }
        Command::Demo => {
            let (uc, storage) = use_cases(&config).await?;
            let summary = server::demo::seed(&uc.setup, SystemClock.now())
                .await
                .context("seeding the demo programme")?;
            let staff = server::demo::seed_staff(uc.staff.as_ref())
                .await
                .map_err(cli_error)?;
            storage.close().await;
            if staff > 0 {
                println!("Demo staff accounts created: {staff} (see README).");
            }
            println!(
                "Demo programme ready: {} performances over the next two weeks.",
                summary.performances
            );
        }
        Command::Check => {
            let (uc, storage) = use_cases(&config).await?;
            let problems = uc.integrity.check().await?;
            storage.close().await;
            if problems.is_empty() {
                println!("Integrity check: no problem found.");
            } else {
                for p in &problems {
                    println!("{}: {}", p.kind.label(), p.detail);
                }
                eprintln!("Integrity check: {} problem(s) found.", problems.len());
                std::process::exit(1);
            }
        }
        Command::Backup { file } => {
            server::adapters::storage::backup::backup(&config.database_url, &file).await?;
            println!(
                "Backup of {} written to {}",
                redact(&config.database_url),
                file.display()
            );
        }
        Command::Restore { file } => {
            server::adapters::storage::backup::restore(&config.database_url, &file).await?;
            println!(
                "{} restored into {}",
                file.display(),
                redact(&config.database_url)
            );
        }
        Command::Door { action } => {
            let (uc, storage) = use_cases(&config).await?;
            let door = &uc.door;
            match action {
                DoorAction::Create {
                    performance,
                    day,
                    hours,
                    supervisor,
                    label,
                } => {
                    let mut ids = performance;
                    if let Some(day) = day {
                        let of_day = door
                            .performances_of_day(&day)
                            .await?
                            .context("--day expects YYYY-MM-DD")?;
                        ids.extend(of_day);
                    }
                    let (id, token) = door
                        .create_access(&ids, hours, supervisor, &label)
                        .await
                        .map_err(cli_error)?;
                    println!(
                        "Door access {id} for performances {ids:?}, valid {hours} h{}",
                        if supervisor { ", supervisor" } else { "" }
                    );
                    println!("token: {token}");
                    println!(
                        "pairing link: {}/scan#token={token}",
                        config.public_url.trim_end_matches('/')
                    );
                }
                DoorAction::List => {
                    for a in door.accesses().await? {
                        let t = a.row;
                        println!(
                            "{:>4}  {:<8} {:<20} supervisor={:<5} performances={:?} expires={}",
                            t.id,
                            a.state,
                            t.label,
                            t.supervisor,
                            t.performance_ids,
                            app::domain::paris::datetime_fr(t.expires_at)
                        );
                    }
                }
                DoorAction::Revoke { id } => {
                    if door.revoke_access(id).await? {
                        println!("Door access {id} revoked.");
                    } else {
                        anyhow::bail!("door access {id} not found or already revoked");
                    }
                }
            }
            storage.close().await;
        }
        Command::Staff { action } => {
            let (uc, storage) = use_cases(&config).await?;
            let result = staff_command(&uc, action).await;
            storage.close().await;
            result?;
        }
        Command::Tickets { action } => {
            let (uc, storage) = use_cases(&config).await?;
            match action {
                TicketAction::Cancel { number } => {
                    let t = uc.door.cancel_ticket(&number).await.map_err(cli_error)?;
                    println!(
                        "Ticket {} ({}, {}) cancelled.",
                        t.number, t.holder_name, t.seat_label
                    );
                }
            }
            storage.close().await;
        }
        Command::Journal { action } => journal_command(&config, action).await?,
        Command::Mail { action } => {
            let (uc, storage) = use_cases(&config).await?;
            let result = match action {
                MailAction::Send => uc.mail.send_due().await.map(|n| {
                    println!("{n} e-mail(s) sent.");
                    true
                }),
                MailAction::Status => uc.mail.status().await.map(|s| {
                    println!(
                        "{} waiting, {} sent, {} failing",
                        s.waiting,
                        s.sent,
                        s.failing.len()
                    );
                    for m in &s.failing {
                        println!(
                            "  #{} {} order {} to {} — {} attempt(s), last error: {}",
                            m.id,
                            m.mail.kind(),
                            m.order.as_ref().map_or("-", |o| o.as_str()),
                            m.recipient,
                            m.attempts,
                            m.last_error.as_deref().unwrap_or_default()
                        );
                    }
                    s.failing.is_empty()
                }),
            };
            storage.close().await;
            if !result.map_err(cli_error)? {
                std::process::exit(1);
            }
        }
        Command::Keys { action } => match action {
            KeysAction::Rotate => {
                let now = SystemClock.now();
                KeyringSigner::load_or_create(&config.keys_file, now)?;
                let id = KeyringSigner::rotate(&config.keys_file, now)?;
                println!(
                    "New signing key {id} added to {}",
                    config.keys_file.display()
                );
            }
            KeysAction::Retire { id } => {
                KeyringSigner::retire(&config.keys_file, id, SystemClock.now())?;
                println!(
                    "Key {id} retired in {}; send SIGHUP to the servers to apply it.",
                    config.keys_file.display()
                );
            }
            KeysAction::Show => {
                let signer = KeyringSigner::load_or_create(&config.keys_file, SystemClock.now())?;
                println!("{}", serde_json::to_string_pretty(&signer.public_keys())?);
            }
        },
    }
    Ok(())
}

async fn journal_command(config: &Config, action: JournalAction) -> anyhow::Result<()> {
    use app::ports::CashJournal;
    let (uc, storage) = use_cases(config).await?;
    let outcome = match action {
        JournalAction::Verify {
            file: Some(file),
            signature,
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let sig_path = signature.or_else(|| {
                let mut p = file.clone().into_os_string();
                p.push(".sig");
                let p = std::path::PathBuf::from(p);
                p.exists().then_some(p)
            });
            let sig = match &sig_path {
                Some(p) => Some(
                    std::fs::read_to_string(p)
                        .with_context(|| format!("reading {}", p.display()))?,
                ),
                None => None,
            };
            match uc.journal.check_archive(&bytes, sig.as_deref()) {
                Ok(summary) => {
                    let signed = if sig.is_some() {
                        ", signature valide"
                    } else {
                        ", sans signature"
                    };
                    println!("{} : {summary}{signed}.", file.display());
                    Ok(())
                }
                Err(broken) => Err(format!("{} : {broken}", file.display())),
            }
        }
        JournalAction::Verify { file: None, .. } => {
            let check = uc.journal.verify().await?;
            match check.broken {
                None => {
                    println!(
                        "Journal vérifié : {} écriture(s) dont {} clôture(s), {} événement(s) technique(s).",
                        check.entries, check.closures, check.events
                    );
                    Ok(())
                }
                Some(b) => Err(b),
            }
        }
        JournalAction::CloseEnded => {
            let n = uc.journal.close_ended().await.map_err(cli_error)?;
            println!("{n} période(s) clôturée(s).");
            Ok(())
        }
        JournalAction::Archive { period, dir } => {
            let a = uc
                .journal
                .archive(&app::staff::Actor::console(), &period)
                .await
                .map_err(cli_error)?;
            let path = dir.join(&a.file_name);
            std::fs::write(&path, &a.bytes)
                .with_context(|| format!("writing {}", path.display()))?;
            let sig = dir.join(format!("{}.sig", a.file_name));
            std::fs::write(&sig, &a.signature)
                .with_context(|| format!("writing {}", sig.display()))?;
            println!("{} et {} écrits.", path.display(), sig.display());
            Ok(())
        }
    };
    storage.close().await;
    if let Err(broken) = outcome {
        eprintln!("Journal : ÉCHEC — {broken}");
        std::process::exit(1);
    }
    Ok(())
}

/// A password piped on standard input (one line), or `None` at a terminal (then generated).
fn piped_password() -> anyhow::Result<Option<String>> {
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\n', '\r']);
    anyhow::ensure!(!line.is_empty(), "no password on standard input");
    Ok(Some(line.to_string()))
}

async fn staff_command(uc: &server::usecases::UseCases, action: StaffAction) -> anyhow::Result<()> {
    use app::ports::StaffAdmin;
    use app::staff::*;
    let console = Actor::console();
    let staff = &uc.staff;
    let print_generated = |p: Option<String>| {
        if let Some(p) = p {
            println!("password (shown once): {p}");
        }
    };
    match action {
        StaffAction::Create {
            email,
            name,
            role,
            supervisor,
        } => {
            let request = NewStaffRequest {
                email,
                name,
                role,
                supervisor,
                password: piped_password()?,
            };
            let created = staff
                .create_staff(&console, &request)
                .await
                .map_err(cli_error)?;
            let s = &created.staff;
            println!(
                "Staff account {} created: {} <{}>, role {}{}",
                s.id,
                s.name,
                s.email,
                s.role.as_str(),
                if s.supervisor { ", supervisor" } else { "" }
            );
            print_generated(created.generated_password);
        }
        StaffAction::List => {
            for s in staff.staff(&console).await.map_err(cli_error)? {
                println!(
                    "{:>4}  {:<32} {:<24} {:<10} supervisor={:<5} {}",
                    s.id,
                    s.email,
                    s.name,
                    s.role.as_str(),
                    s.supervisor,
                    if s.disabled { "disabled" } else { "active" }
                );
            }
        }
        StaffAction::Disable { email } => {
            let s = staff
                .staff_by_email(&console, &email)
                .await
                .map_err(cli_error)?;
            let change = StaffChange {
                disabled: Some(true),
                ..StaffChange::default()
            };
            staff
                .change_staff(&console, s.id, &change)
                .await
                .map_err(cli_error)?;
            println!("Staff account {} disabled.", s.email);
        }
        StaffAction::Enable { email } => {
            let s = staff
                .staff_by_email(&console, &email)
                .await
                .map_err(cli_error)?;
            let change = StaffChange {
                disabled: Some(false),
                ..StaffChange::default()
            };
            staff
                .change_staff(&console, s.id, &change)
                .await
                .map_err(cli_error)?;
            println!("Staff account {} enabled.", s.email);
        }
        StaffAction::Password { email } => {
            let s = staff
                .staff_by_email(&console, &email)
                .await
                .map_err(cli_error)?;
            let reset = PasswordReset {
                password: piped_password()?,
            };
            let done = staff
                .reset_password(&console, s.id, &reset)
                .await
                .map_err(cli_error)?;
            println!("Password of {} changed; its sessions ended.", s.email);
            print_generated(done.generated_password);
        }
        StaffAction::Token { action } => match action {
            TokenAction::Create { email, name } => {
                let s = staff
                    .staff_by_email(&console, &email)
                    .await
                    .map_err(cli_error)?;
                let request = NewApiTokenRequest {
                    staff_id: s.id,
                    name,
                };
                let created = staff
                    .create_token(&console, &request)
                    .await
                    .map_err(cli_error)?;
                println!(
                    "API token {} for {} ({}), role {}",
                    created.info.id,
                    s.email,
                    created.info.name,
                    s.role.as_str()
                );
                println!("token (shown once): {}", created.token);
            }
            TokenAction::List => {
                for t in staff.tokens(&console).await.map_err(cli_error)? {
                    println!(
                        "{:>4}  {:<32} {:<28} {}",
                        t.id,
                        t.staff_email,
                        t.name,
                        if t.revoked_at.is_some() {
                            "revoked"
                        } else {
                            "active"
                        }
                    );
                }
            }
            TokenAction::Revoke { id } => {
                staff.revoke_token(&console, id).await.map_err(cli_error)?;
                println!("API token {id} revoked.");
            }
        },
    }
    Ok(())
}

/// A use case's refusal, as the administrator reads it (French, like the CLI's audience).
fn cli_error(e: impl app::error::UserFacing) -> anyhow::Error {
    anyhow::anyhow!(app::error::to_wire(&e, app::i18n::Lang::Fr).message)
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

//! Test harness: a real server on a random port, on SQLite or PostgreSQL (zero2prod's spawn_app).
use serde_json::{json, Value};
use server::config::{Config, Limits};
use server::ports::*;
use server::startup::Application;
use server::usecases::UseCases;
use std::collections::HashMap;
use std::sync::Mutex;

pub fn now() -> i64 {
    SystemClock.now()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The server's use cases, for set-up and counts (requests go through HTTP).
    pub uc: UseCases,
    /// The OpenAPI document the server built its JSON API router with.
    pub openapi: Value,
    pub dir: std::path::PathBuf,
    /// Order id → link token, as a buyer's browser keeps it (`order` records, `pay` sends).
    tokens: Mutex<HashMap<String, String>>,
    /// PostgreSQL: (server URL, database name), dropped with the test.
    pg_database: Option<(String, String)>,
}

fn unique() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// PostgreSQL tests run when TEST_DATABASE_URL is set; CI sets it, so there a missing URL fails.
pub fn postgres_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok() => panic!("TEST_DATABASE_URL must be set in CI"),
        _ => None,
    }
}

pub async fn fresh_postgres_database(base: &str, name: &str) -> String {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .expect("connect to TEST_DATABASE_URL");
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    let (prefix, _) = base
        .rsplit_once('/')
        .expect("database URL ends with /dbname");
    format!("{prefix}/{name}")
}

/// Drops a test database (connections to it are cut).
pub async fn drop_postgres_database(base: &str, name: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base).await?;
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    sqlx::Executor::execute(&mut conn, sql.as_str()).await?;
    Ok(())
}

pub struct Options {
    pub hold_seconds: Option<i64>,
    /// Per-client limits; off unless a test sets them (tests play many buyers from one address).
    pub limits: Limits,
    /// Payments through PayFiP at this base URL (a stand-in) instead of the sandbox.
    pub payfip: Option<String>,
    /// E-mail through this SMTP server (else `.eml` files in the test's folder).
    pub smtp: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            hold_seconds: None,
            limits: Limits::off(),
            payfip: None,
            smtp: None,
        }
    }
}

pub async fn spawn_app(db: Db) -> Option<TestApp> {
    spawn_app_with(db, Options::default()).await
}

impl TestApp {
    /// Another app server on this test's PostgreSQL database (several servers behave as one).
    pub async fn second_server(&self) -> TestApp {
        assert!(self.pg_database.is_some(), "a PostgreSQL test app");
        // The database stays this app's to drop.
        let db = NewDb {
            url: self.database_url(),
            pg: None,
        };
        self.server_on(db).await
    }
}

/// A new, empty database for this test (dropped with the server started on it).
pub struct NewDb {
    pub url: String,
    pg: Option<(String, String)>,
}

impl TestApp {
    pub async fn new_database(&self) -> NewDb {
        match &self.pg_database {
            None => NewDb {
                url: format!("sqlite://{}/restored-{}.db", self.dir.display(), unique()),
                pg: None,
            },
            Some((base, _)) => {
                let name = format!("guichet_test_{}", unique());
                let url = fresh_postgres_database(base, &name).await;
                NewDb {
                    url,
                    pg: Some((base.clone(), name)),
                }
            }
        }
    }

    /// A `guichet` command on another database, with this app's keys.
    pub fn guichet_on(&self, database_url: &str, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(args)
            .env("DATABASE_URL", database_url)
            .env("GUICHET_KEYS_FILE", self.dir.join("keys.json"))
            .env("RUST_LOG", "warn")
            .output()
            .expect("run guichet")
    }

    /// An app server on `db`, with this app's signing keys (servers of one deployment share
    /// them).
    pub async fn server_on(&self, db: NewDb) -> TestApp {
        let dir = std::env::temp_dir().join(format!("guichet-test-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(self.dir.join("keys.json"), dir.join("keys.json")).unwrap();
        let (uc, address, openapi) = serve(db.url, &dir, Options::default()).await;
        TestApp {
            address,
            client: reqwest::Client::new(),
            uc,
            openapi,
            dir,
            tokens: Mutex::default(),
            pg_database: db.pg,
        }
    }
}

/// Builds and starts an app server on `database_url`; returns its use cases, address and
/// OpenAPI document.
async fn serve(
    database_url: String,
    dir: &std::path::Path,
    options: Options,
) -> (UseCases, String, Value) {
    // PayFiP calls the server back at its public URL: the port is chosen before it starts.
    let (site_addr, public_url, payments) = match &options.payfip {
        None => (
            "127.0.0.1:0".parse().unwrap(),
            "http://127.0.0.1".to_string(),
            server::config::Payments::Sandbox,
        ),
        Some(standin) => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            use server::adapters::payfip::{fields, PayfipSettings};
            (
                std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                format!("http://127.0.0.1:{port}"),
                server::config::Payments::Payfip(PayfipSettings {
                    numcli: fields::Numcli::parse("123456").unwrap(),
                    saisie: fields::Saisie::Test,
                    soap_url: format!("{standin}/tpa/services/securite"),
                    page_url: format!("{standin}/tpa/paiementws.web"),
                }),
            )
        }
    };
    let config = Config {
        database_url,
        site_addr,
        site_root: dir.join("site").display().to_string(),
        public_url,
        keys_file: dir.join("keys.json"),
        payments,
        hold_seconds_override: options.hold_seconds,
        sandbox_in_production: false,
        limits: options.limits,
        mail: server::config::MailConfig {
            smtp_url: options.smtp.clone(),
            from: "billetterie@guichet.test".into(),
            dir: dir.join("mail"),
            // Retried at once: the tests stop and start the SMTP server.
            retry_base_seconds: 0,
            // The tests send (`uc.mail.send_due`) when they choose: no background sender
            // racing them for the outbox.
            send: false,
        },
    };
    let app = Application::build(&config).await.expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let uc = app.use_cases();
    let openapi = serde_json::to_value(app.openapi()).expect("the OpenAPI document serialises");
    tokio::spawn(app.run_until_stopped());
    (uc, address, openapi)
}

/// The servers' warnings and errors go to the test's captured output: a failing test shows
/// what its server logged (`TEST_LOG=debug` for more).
fn log_to_test_output() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    });
}

pub async fn spawn_app_with(db: Db, options: Options) -> Option<TestApp> {
    log_to_test_output();
    let dir = std::env::temp_dir().join(format!("guichet-test-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut pg_database = None;
    let database_url = match db {
        Db::Sqlite => format!("sqlite://{}/guichet.db", dir.display()),
        Db::Postgres => {
            let base = postgres_url()?;
            let name = format!("guichet_test_{}", unique());
            let url = fresh_postgres_database(&base, &name).await;
            pg_database = Some((base, name));
            url
        }
    };
    let (uc, address, openapi) = serve(database_url, &dir, options).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(200)
        .build()
        .unwrap();
    Some(TestApp {
        address,
        client,
        uc,
        openapi,
        dir,
        tokens: Mutex::default(),
        pg_database,
    })
}

/// Runs a test body on SQLite, and on PostgreSQL when available (with `Options` when given).
#[macro_export]
macro_rules! both_databases {
    ($name:ident, $body:ident, $options:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app_with($crate::helpers::Db::Sqlite, $options)
                    .await
                    .unwrap();
                $body(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(
                not(postgres_tests),
                ignore = "TEST_DATABASE_URL not set at build time"
            )]
            async fn postgres() {
                let app = $crate::helpers::spawn_app_with($crate::helpers::Db::Postgres, $options)
                    .await
                    .expect("TEST_DATABASE_URL must be set to run the PostgreSQL variants");
                $body(app).await;
            }
        }
    };
    ($name:ident, $body:ident) => {
        $crate::both_databases!($name, $body, $crate::helpers::Options::default());
    };
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        // Test databases do not pile up on the shared PostgreSQL server. Drop runs inside the
        // test's runtime, so the drop gets a thread and a runtime of its own.
        if let Some((base, name)) = self.pg_database.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                rt.block_on(drop_postgres_database(&base, &name))
                    .map_err(std::io::Error::other)
            })
            .join();
        }
    }
}

pub struct Resp {
    pub status: u16,
    pub body: Value,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Resp {
        let r = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request");
        Resp {
            status: r.status().as_u16(),
            body: r.json().await.unwrap_or(Value::Null),
        }
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        let r = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request");
        Resp {
            status: r.status().as_u16(),
            body: r.json().await.unwrap_or(Value::Null),
        }
    }

    pub async fn post_raw(&self, path: &str, body: &str) -> Resp {
        let r = self
            .client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request");
        Resp {
            status: r.status().as_u16(),
            body: r.json().await.unwrap_or(Value::Null),
        }
    }

    pub async fn delete(&self, path: &str) -> u16 {
        self.client
            .delete(self.url(path))
            .send()
            .await
            .expect("request")
            .status()
            .as_u16()
    }

    pub async fn hold(&self, performance_id: i64, seat_ids: &[i64]) -> Resp {
        self.post(
            "/api/v1/holds",
            &json!({"performance_id": performance_id, "seat_ids": seat_ids}),
        )
        .await
    }

    pub async fn hold_quantity(&self, performance_id: i64, quantity: i64) -> Resp {
        self.post(
            "/api/v1/holds",
            &json!({"performance_id": performance_id, "quantity": quantity}),
        )
        .await
    }

    pub async fn order(&self, hold_id: &str, tickets: Value) -> Resp {
        let r = self
            .post(
                "/api/v1/orders",
                &json!({"hold_id": hold_id, "buyer": {"name": "Marie Curie", "email": "marie@exemple.fr"}, "tickets": tickets}),
            )
            .await;
        if let (Some(id), Some(token)) = (r.body["id"].as_str(), r.body["token"].as_str()) {
            self.tokens.lock().unwrap().insert(id.into(), token.into());
        }
        r
    }

    /// Pays with the order's link token, as the order page does.
    pub async fn pay(&self, order_id: &str, outcome: &str) -> Resp {
        let token = self
            .tokens
            .lock()
            .unwrap()
            .get(order_id)
            .cloned()
            .unwrap_or_default();
        self.post(
            &format!("/api/v1/orders/{order_id}/payment"),
            &json!({"outcome": outcome, "token": token}),
        )
        .await
    }

    /// The link token `order` recorded (a buyer carrying it to another server).
    pub fn token_of(&self, order_id: &str) -> String {
        self.tokens
            .lock()
            .unwrap()
            .get(order_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Keeps a link token learnt elsewhere.
    pub fn remember_token(&self, order_id: &str, token: &str) {
        self.tokens
            .lock()
            .unwrap()
            .insert(order_id.into(), token.into());
    }

    /// Follows a performance's live seat states (Server-Sent Events).
    pub async fn follow(&self, performance_id: i64) -> Events {
        let response = self
            .client
            .get(self.url(&format!("/api/v1/performances/{performance_id}/events")))
            .send()
            .await
            .expect("events request");
        Events {
            response,
            buffer: String::new(),
        }
    }

    /// The database URL this test app serves.
    pub fn database_url(&self) -> String {
        match &self.pg_database {
            Some((base, name)) => {
                let (prefix, _) = base
                    .rsplit_once('/')
                    .expect("database URL ends with /dbname");
                format!("{prefix}/{name}")
            }
            None => format!("sqlite://{}/guichet.db", self.dir.display()),
        }
    }

    /// Runs a `guichet` command on this app's database and keys.
    pub fn guichet(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(args)
            .env("DATABASE_URL", self.database_url())
            .env("GUICHET_KEYS_FILE", self.dir.join("keys.json"))
            .env("RUST_LOG", "warn")
            .output()
            .expect("run guichet")
    }

    /// Runs SQL behind the server's back; the database's refusal, if any.
    pub async fn try_sql(&self, statement: &str) -> Result<(), String> {
        use sqlx::Connection;
        let url = self.database_url();
        let done = if url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::Executor::execute(&mut c, statement).await.map(|_| ())
        } else {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::Executor::execute(&mut c, statement).await.map(|_| ())
        };
        done.map_err(|e| e.to_string())
    }

    /// Runs SQL on the database directly, behind the server's back (to break things).
    pub async fn sql(&self, statement: &str) {
        use sqlx::Connection;
        let url = self.database_url();
        if url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::Executor::execute(&mut c, statement).await.unwrap();
        } else {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::Executor::execute(&mut c, statement).await.unwrap();
        }
    }

    /// Every payment attempt as (order id, outcome), oldest first.
    pub async fn payment_outcomes(&self) -> Vec<(String, String)> {
        let attempts = self.payment_attempts().await;
        attempts
            .into_iter()
            .map(|(o, outcome, ..)| (o, outcome))
            .collect()
    }

    /// Every payment attempt as (order id, outcome, provider's id, provider's answer), oldest
    /// first.
    pub async fn payment_attempts(&self) -> Vec<(String, String, Option<String>, Option<String>)> {
        use sqlx::Connection;
        let url = self.database_url();
        let q = "SELECT order_id, outcome, provider_ref, provider_answer FROM payments ORDER BY id";
        if url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query_as(q).fetch_all(&mut c).await.unwrap()
        } else {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query_as(q).fetch_all(&mut c).await.unwrap()
        }
    }

    pub async fn sales_counts(&self) -> SalesCounts {
        self.uc.setup.sales_counts().await.unwrap()
    }

    /// Hold → order (plein tarif) → approved payment. Returns the paid order.
    pub async fn buy(&self, performance_id: i64, seat_ids: &[i64]) -> Value {
        let hold = self.hold(performance_id, seat_ids).await;
        assert_eq!(hold.status, 201, "{}", hold.body);
        let tickets: Vec<Value> = seat_ids
            .iter()
            .map(|s| json!({"seat_id": s, "tariff": "plein"}))
            .collect();
        let order = self
            .order(hold.body["id"].as_str().unwrap(), json!(tickets))
            .await;
        assert_eq!(order.status, 201, "{}", order.body);
        let paid = self
            .pay(order.body["id"].as_str().unwrap(), "approve")
            .await;
        assert_eq!(paid.status, 200, "{}", paid.body);
        paid.body
    }

    pub async fn seatmap(&self, performance_id: i64) -> Value {
        let r = self
            .get(&format!("/api/v1/performances/{performance_id}/seatmap"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
    }

    pub async fn seat_status(&self, performance_id: i64, seat_id: i64) -> String {
        let map = self.seatmap(performance_id).await;
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == seat_id)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// A small test venue: `seats` numbered seats in one row (or general admission with `capacity`).
pub struct Fixture {
    pub performance_id: i64,
    pub seat_ids: Vec<i64>,
}

pub struct FixtureSpec {
    pub seated: bool,
    pub seats: i64,
    pub capacity: i64,
    pub max_per_order: i64,
    pub sale_open: bool,
    pub blocked: Vec<i64>,
    /// The show's title: fixtures of one title are performances of one show.
    pub show: &'static str,
}

impl Default for FixtureSpec {
    fn default() -> Self {
        FixtureSpec {
            seated: true,
            seats: 20,
            capacity: 0,
            max_per_order: 6,
            sale_open: true,
            blocked: Vec::new(),
            show: "Spectacle de test",
        }
    }
}

pub async fn fixture(app: &TestApp, spec: FixtureSpec) -> Fixture {
    let now = now();
    let hall = format!("Salle {}", unique());
    let seats = (1..=spec.seats)
        .filter(|_| spec.seated)
        .map(|n| NewSeat {
            zone: "Parterre".into(),
            category: 1,
            row: "A".into(),
            number: n,
            x: n * 20,
            y: 50,
            accessible: false,
            companion: false,
            restricted_view: false,
            blocked: spec.blocked.contains(&n),
            block_reason: spec
                .blocked
                .contains(&n)
                .then_some(app::domain::plan::BlockReason::Technical),
        })
        .collect();
    let starts_at = now + 7 * 86_400 + (rand::random::<u32>() % 100_000) as i64;
    let category = spec.seated.then_some(1);
    let price = |tariff: &str, cents| NewPrice {
        category,
        tariff: tariff.into(),
        cents,
    };
    let batch = CatalogueBatch {
        tariffs: server::demo::tariffs(),
        venues: vec![NewVenue {
            code: "TST".into(),
            name: "Salle des fêtes".into(),
            operator_name: "Ville de Test — Salle des fêtes".into(),
            address: "1 rue du Test".into(),
            kind: app::dto::ShowKind::Theatre,
            halls: vec![NewHall {
                name: hall.clone(),
                width: 1000,
                height: 200,
                stage: (0, 0, 1000, 20),
                stage_label: "Scène".into(),
                zones: vec!["Parterre".into()],
                categories: vec![NewCategory {
                    number: 1,
                    label: "Catégorie 1".into(),
                    color: "#123456".into(),
                }],
                seats,
            }],
        }],
        shows: vec![NewShow {
            title: spec.show.into(),
            kind: app::dto::ShowKind::Theatre,
            duration_min: 90,
            description: "Un test.".into(),
            age_rating: "Tout public".into(),
        }],
        performances: vec![NewPerformance {
            venue_code: "TST".into(),
            hall,
            show_title: spec.show.into(),
            show_kind: app::dto::ShowKind::Theatre,
            starts_at,
            sale_opens_at: if spec.sale_open {
                now - 86_400
            } else {
                now + 86_400
            },
            sale_closes_at: starts_at,
            hold_seconds: 900,
            max_seats_per_order: spec.max_per_order,
            seated: spec.seated,
            capacity: spec.capacity,
            prices: vec![
                price("plein", 2000),
                price("reduit", 1500),
                price("enfant", 0),
            ],
        }],
    };
    let performance_id = app.uc.setup.apply(&batch).await.unwrap().performance_ids[0];
    let seat_ids = if spec.seated {
        let map = app.seatmap(performance_id).await;
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    } else {
        Vec::new()
    };
    Fixture {
        performance_id,
        seat_ids,
    }
}

/// A Server-Sent Events stream as a browser's `EventSource` reads it.
pub struct Events {
    pub response: reqwest::Response,
    buffer: String,
}

impl Events {
    /// The next `seats` event's data, or `None` if none comes within `within`.
    pub async fn next_seats(&mut self, within: std::time::Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                let mut name = "message";
                let mut data = String::new();
                for line in event.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if name == "seats" {
                    return Some(serde_json::from_str(&data).expect("seats data is JSON"));
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// Waits for a `seats` event in which `seat` has `status` (`held`, `sold`, or `free` when
    /// it is not listed).
    pub async fn until_seat(
        &mut self,
        seat: i64,
        status: &str,
        within: std::time::Duration,
    ) -> Option<std::time::Duration> {
        let started = std::time::Instant::now();
        loop {
            let left = within.checked_sub(started.elapsed())?;
            let live = self.next_seats(left).await?;
            let now = live["taken"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t[0] == seat)
                .map(|t| t[1].as_str().unwrap().to_string())
                .unwrap_or_else(|| "free".into());
            if now == status {
                return Some(started.elapsed());
            }
        }
    }
}

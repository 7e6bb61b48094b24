//! What the load benchmarks share: the release server as a child process on 127.0.0.1, and its
//! resource use read from /proc.
#![allow(dead_code)]
use server::adapters::storage::Storage;
use server::ports::{CatalogueBatch, Clock, NewHall, NewShow, NewVenue, SystemClock};
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the load benchmarks are asked to run on: `--database sqlite|postgres` and
/// `--servers N` (several app servers need PostgreSQL).
#[derive(Debug, Clone)]
pub struct Setup {
    pub postgres: bool,
    pub servers: usize,
}

impl Setup {
    /// From the command line (`cargo bench … -- --database postgres --servers 2`); PostgreSQL is
    /// at `BENCH_DATABASE_URL`, else `TEST_DATABASE_URL`, else the local server.
    pub fn from_args() -> Setup {
        let args: Vec<String> = std::env::args().collect();
        let value = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
                .cloned()
                .or_else(|| {
                    let prefix = format!("{flag}=");
                    args.iter()
                        .find_map(|a| a.strip_prefix(&prefix).map(String::from))
                })
        };
        let postgres = match value("--database").as_deref() {
            None | Some("sqlite") => false,
            Some("postgres") | Some("postgresql") => true,
            Some(other) => panic!("--database {other}: expected sqlite or postgres"),
        };
        let servers = value("--servers")
            .map(|n| n.parse().expect("--servers N"))
            .unwrap_or(1usize)
            .max(1);
        assert!(
            postgres || servers == 1,
            "several app servers share a PostgreSQL database: add --database postgres"
        );
        Setup { postgres, servers }
    }

    pub fn describe(&self) -> String {
        format!(
            "{}, {} app server{}",
            if self.postgres {
                "PostgreSQL"
            } else {
                "SQLite"
            },
            self.servers,
            if self.servers > 1 { "s" } else { "" }
        )
    }
}

/// A fresh database for one run, removed afterwards.
pub struct BenchDb {
    pub url: String,
    dir: std::path::PathBuf,
    pg: Option<(String, String)>,
}

impl BenchDb {
    pub async fn create(setup: &Setup, name: &str) -> BenchDb {
        let dir = std::env::temp_dir().join(format!("guichet-{name}-{}", rand::random::<u32>()));
        std::fs::create_dir_all(&dir).unwrap();
        if !setup.postgres {
            return BenchDb {
                url: format!("sqlite://{}/{name}.db", dir.display()),
                dir,
                pg: None,
            };
        }
        use sqlx::Connection;
        let base = std::env::var("BENCH_DATABASE_URL")
            .or_else(|_| std::env::var("TEST_DATABASE_URL"))
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let db = format!("guichet_bench_{}", rand::random::<u32>());
        let mut conn = sqlx::PgConnection::connect(&base)
            .await
            .expect("connect to PostgreSQL (BENCH_DATABASE_URL)");
        sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {db}").as_str())
            .await
            .expect("create the bench database");
        let (prefix, _) = base.rsplit_once('/').expect("URL ends with /dbname");
        BenchDb {
            url: format!("{prefix}/{db}"),
            dir,
            pg: Some((base, db)),
        }
    }

    /// Where the run keeps its files (keys).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub async fn drop_database(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((base, db)) = &self.pg {
            use sqlx::Connection;
            if let Ok(mut conn) = sqlx::PgConnection::connect(base).await {
                let sql = format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)");
                let _ = sqlx::Executor::execute(&mut conn, sql.as_str()).await;
            }
        }
    }
}

/// CPU time of every PostgreSQL backend process so far, in seconds (0 when none is visible).
pub fn postgres_cpu_seconds() -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim_end() == "postgres")
        })
        .filter_map(cpu_seconds_of)
        .sum()
}

pub fn now() -> i64 {
    SystemClock.now()
}

/// Applies a catalogue batch to the database at `db` (migrating it first); returns the
/// performance ids.
pub async fn apply(db: &str, batch: CatalogueBatch) -> Vec<i64> {
    let storage = Storage::connect(db).await.expect("open the bench database");
    let ids = storage
        .setup
        .apply(&batch)
        .await
        .expect("seed")
        .performance_ids;
    storage.close().await;
    ids
}

pub fn venue(code: &str, hall: NewHall) -> NewVenue {
    NewVenue {
        code: code.into(),
        name: "Salle de test".into(),
        operator_name: "Ville de Test".into(),
        address: "1 rue du Test".into(),
        kind: app::dto::ShowKind::Theatre,
        halls: vec![hall],
    }
}

pub fn show(title: &str) -> NewShow {
    NewShow {
        title: title.into(),
        kind: app::dto::ShowKind::Theatre,
        duration_min: 120,
        description: "Benchmark.".into(),
        age_rating: "Tout public".into(),
    }
}

pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/api/v1`
    pub base: String,
}

impl Server {
    /// Starts `guichet serve` on a free port with the sandbox payments and waits until it answers.
    pub async fn start(database_url: &str, keys_file: &Path, client: &reqwest::Client) -> Server {
        Server::start_with(database_url, keys_file, client, &[]).await
    }

    /// With more environment (`env` is set last, so it overrides).
    pub async fn start_with(
        database_url: &str,
        keys_file: &Path,
        client: &reqwest::Client,
        env: &[(&str, &str)],
    ) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("GUICHET_KEYS_FILE", keys_file)
            // Confirmations go out as files beside the keys (no SMTP in a bench).
            .env(
                "GUICHET_MAIL_DIR",
                std::path::Path::new(keys_file).with_file_name("mail"),
            )
            .env("GUICHET_PAYMENTS", "sandbox")
            // Hundreds of buyers from 127.0.0.1: per-client limits are set by each bench.
            .env("GUICHET_HOLD_SHARE", "off")
            .env("GUICHET_RATE_LIMITS", "off")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .spawn()
            .expect("start guichet");
        let base = format!("http://127.0.0.1:{port}/api/v1");
        for _ in 0..200 {
            if client.get(format!("{base}/keys")).send().await.is_ok() {
                return Server { child, base };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start");
    }

    fn proc_status(&self) -> Option<String> {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()
    }

    /// Peak resident memory (VmHWM), in MB.
    pub fn peak_rss_mb(&self) -> Option<f64> {
        let status = self.proc_status()?;
        let kib: f64 = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()?;
        Some(kib / 1024.0)
    }

    /// User + system CPU time so far, in seconds.
    pub fn cpu_seconds(&self) -> Option<f64> {
        cpu_seconds_of(self.child.id())
    }
}

/// User + system CPU time of a process so far, in seconds (clock ticks of 1/100 s).
pub fn cpu_seconds_of(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One keep-alive HTTP/1.1 connection, as a browser tab keeps: cheaper per request than a pooled
/// client, so the load generator leaves more of the shared CPU to the server.
pub struct Conn {
    addr: String,
    /// Plays a client at this address behind a trusted proxy (`X-Forwarded-For`).
    pub forwarded_for: Option<String>,
    sender: Option<hyper::client::conn::http1::SendRequest<http_body_util::Full<bytes::Bytes>>>,
}

impl Conn {
    /// `base`: "http://127.0.0.1:PORT".
    pub fn new(base: &str) -> Conn {
        Conn {
            addr: base.trim_start_matches("http://").to_string(),
            forwarded_for: None,
            sender: None,
        }
    }

    async fn sender(
        &mut self,
    ) -> std::io::Result<
        &mut hyper::client::conn::http1::SendRequest<http_body_util::Full<bytes::Bytes>>,
    > {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = tokio::net::TcpStream::connect(&self.addr).await?;
            stream.set_nodelay(true)?;
            let (sender, conn) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                    .await
                    .map_err(std::io::Error::other)?;
            tokio::spawn(conn);
            self.sender = Some(sender);
        }
        Ok(self.sender.as_mut().expect("just connected"))
    }

    /// Sends a request (a JSON body when given) and returns the status and body.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> std::io::Result<(u16, bytes::Bytes)> {
        use http_body_util::BodyExt;
        let host = self.addr.clone();
        let forwarded_for = self.forwarded_for.clone();
        let sender = self.sender().await?;
        sender.ready().await.map_err(std::io::Error::other)?;
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", host);
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        if let Some(ip) = &forwarded_for {
            request = request.header("x-forwarded-for", ip.as_str());
        }
        let request = request
            .body(http_body_util::Full::new(bytes::Bytes::from(
                body.unwrap_or_default(),
            )))
            .map_err(std::io::Error::other)?;
        let response = sender
            .send_request(request)
            .await
            .map_err(std::io::Error::other)?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(std::io::Error::other)?
            .to_bytes();
        Ok((status, body))
    }
}

/// Lowers the calling thread's priority: the load generators run below the server so that, on
/// the two shared cores, they take only the CPU the server leaves (buyers' and door staff's
/// phones would not compete with it at all). `nice` from 0 to 19.
pub fn lower_priority(nice: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments; `who = 0` is the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, nice.clamp(0, 19));
    }
}

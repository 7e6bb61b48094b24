//! Idle connections benchmark: `cargo bench -p server --bench idle`.
//!
//! Starts the release `guichet` with the demo programme, times IDLE_REQUESTS (300) home-page
//! requests one after another on a kept-alive connection, then opens IDLE_CONNECTIONS (800)
//! connections that send half a request and then nothing (slow-loris clients), and times the
//! home page again while they hang — within the header-read timeout (10 s), before the server
//! cuts them. Prints p50/p99/max of both, and how many idle connections the server had cut by
//! the end (it should cut them all after the timeout).
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod common;
use common::env_or;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn time_home(conn: &mut common::Conn, n: usize) -> Vec<Duration> {
    let mut lat = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let (status, _) = conn.send("GET", "/", None).await.expect("home page");
        assert_eq!(status, 200);
        lat.push(t.elapsed());
    }
    lat.sort();
    lat
}

fn report(label: &str, lat: &[Duration]) {
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
    println!(
        "{label:<28} n={} p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        lat.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
}

async fn run() {
    let requests: usize = env_or("IDLE_REQUESTS", 300);
    let idle: usize = env_or("IDLE_CONNECTIONS", 800);
    let dir = std::env::temp_dir().join(format!("guichet-idle-{}", rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}/idle.db", dir.display());
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("demo")
        .env("DATABASE_URL", &db)
        .env("GUICHET_KEYS_FILE", dir.join("keys.json"))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(seeded.status.success());
    let client = reqwest::Client::new();
    let server = common::Server::start(&db, &dir.join("keys.json"), &client).await;
    let origin = server.base.trim_end_matches("/api/v1").to_string();
    let addr = origin.trim_start_matches("http://").to_string();
    println!("Idle connections benchmark: home page with {idle} half-open connections, SQLite");
    let mut conn = common::Conn::new(&origin);
    time_home(&mut conn, 20).await; // warm-up
    report(
        "home page, no idle client",
        &time_home(&mut conn, requests).await,
    );

    let mut hanging = Vec::with_capacity(idle);
    let opened = Instant::now();
    for _ in 0..idle {
        match tokio::net::TcpStream::connect(&addr).await {
            Ok(mut s) => {
                let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
                hanging.push(s);
            }
            Err(e) => {
                println!("  connect failed after {}: {e}", hanging.len());
                break;
            }
        }
    }
    println!(
        "  {} idle connections opened in {:.2} s",
        hanging.len(),
        opened.elapsed().as_secs_f64()
    );
    report(
        &format!("home page, {} idle", hanging.len()),
        &time_home(&mut conn, requests).await,
    );
    if let Some(rss) = server.peak_rss_mb() {
        println!("server peak RSS: {rss:.1} MB");
    }
    // Past the header-read timeout every hanging connection has been closed by the server.
    tokio::time::sleep(Duration::from_secs(11).saturating_sub(opened.elapsed())).await;
    let mut cut = 0;
    for s in &mut hanging {
        let mut buf = [0u8; 256];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(20), s.read(&mut buf)).await {
            // 0: closed; anything else: the server answered (408) before closing.
            let _ = n;
            cut += 1;
        }
    }
    println!(
        "idle connections cut by the server after 11 s: {cut} of {}",
        hanging.len()
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

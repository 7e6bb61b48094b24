//! Door scanning benchmark: `cargo bench -p server --bench scan [-- --database postgres
//! --servers 2]`.
//!
//! Sells SCAN_TICKETS (default 20,000) general-admission tickets through the service layer into
//! a fresh SQLite (or PostgreSQL) database, starts the release `guichet` binary on 127.0.0.1
//! (one or more, the door phones spread over them), then admits every
//! ticket once through `POST /api/v1/scan` from 16 concurrent clients (bounded: 60 s). Prints
//! scans/s, p50/p99 latency, the statuses seen (all must be `valid`) and the server's peak RSS.
use app::dto::{Buyer, HoldRequest, OrderRequest, PaymentOutcome, TicketRequest};
use app::ports::{Booking, Checkout};
use serde_json::{json, Value};
use server::ports::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

const CONCURRENCY: usize = 16;
const TIME_LIMIT: Duration = Duration::from_secs(60);

fn main() {
    let tickets: usize = common::env_or("SCAN_TICKETS", 20_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        // The door phones below the server's priority, as the on-sale buyers (SCAN_NICE=0 to
        // let them compete for the two cores); the server is started from the main thread.
        .on_thread_start(|| common::lower_priority(common::env_or("SCAN_NICE", 10)))
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(tickets));
}

async fn run(count: usize) {
    let setup = common::Setup::from_args();
    let database = common::BenchDb::create(&setup, "scan").await;
    let db = database.url.clone();
    let keys = database.dir().join("keys.json");

    let t = Instant::now();
    let (performance_id, codes, token) = sell(&db, &keys, count).await;
    println!(
        "sold {} tickets in {:.1} s",
        codes.len(),
        t.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY * 2)
        .build()
        .unwrap();
    let mut servers = Vec::new();
    for _ in 0..setup.servers {
        servers.push(common::Server::start(&db, &keys, &client).await);
    }

    let codes = Arc::new(codes);
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let statuses = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..CONCURRENCY {
        let (client, base, token, codes, next, latencies, statuses) = (
            client.clone(),
            servers[w % servers.len()].base.clone(),
            token.clone(),
            codes.clone(),
            next.clone(),
            latencies.clone(),
            statuses.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut local = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= codes.len() || started.elapsed() > TIME_LIMIT {
                    break;
                }
                let t = Instant::now();
                let r = client
                    .post(format!("{base}/scan"))
                    .bearer_auth(&token)
                    .json(&json!({"code": codes[i], "performance_id": performance_id, "nonce": format!("w{w}-{i}"), "device": format!("bench-{w}")}))
                    .send()
                    .await;
                let status = match r {
                    Ok(r) => r.json::<Value>().await.ok().and_then(|v| v["status"].as_str().map(str::to_string)).unwrap_or("error".into()),
                    Err(_) => "error".into(),
                };
                local.push(t.elapsed());
                *statuses.lock().unwrap().entry(status).or_default() += 1;
            }
            latencies.lock().unwrap().extend(local);
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rss: Option<Vec<f64>> = servers.iter().map(|s| s.peak_rss_mb()).collect();
    drop(servers);

    let mut lat = std::mem::take(&mut *latencies.lock().unwrap());
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
    println!(
        "Scan benchmark: {} scans, concurrency {CONCURRENCY}, {}",
        lat.len(),
        setup.describe()
    );
    println!("scans/s:   {:.0}", lat.len() as f64 / elapsed);
    println!(
        "latency:   p50 {:.2} ms   p99 {:.2} ms   max {:.2} ms",
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    println!("statuses:  {:?}", statuses.lock().unwrap());
    if let Some(mb) = rss {
        let each: Vec<String> = mb.iter().map(|m| format!("{m:.1}")).collect();
        println!("server peak RSS: {} MB", each.join(" + "));
    }
    database.drop_database().await;
    let valid = statuses.lock().unwrap().get("valid").copied().unwrap_or(0);
    assert_eq!(valid, lat.len(), "every ticket is admitted exactly once");
}

/// Sells `count` tickets through the use cases (10 per order) and creates a door access.
async fn sell(db: &str, keys: &std::path::Path, count: usize) -> (i64, Vec<String>, String) {
    let now = common::now();
    let hall = NewHall {
        name: "Grande halle".into(),
        width: 100,
        height: 100,
        stage: (0, 0, 100, 10),
        stage_label: "Scène".into(),
        zones: Vec::new(),
        categories: Vec::new(),
        seats: Vec::new(),
    };
    let show = common::show("Concert");
    let batch = CatalogueBatch {
        tariffs: server::demo::tariffs(),
        venues: vec![common::venue("SCN", hall)],
        performances: vec![NewPerformance {
            venue_code: "SCN".into(),
            hall: "Grande halle".into(),
            show_title: show.title.clone(),
            show_kind: show.kind,
            starts_at: now + 86_400,
            sale_opens_at: now - 60,
            sale_closes_at: now + 86_400,
            hold_seconds: 900,
            max_seats_per_order: 10,
            seated: false,
            capacity: count as i64,
            prices: vec![NewPrice {
                category: None,
                tariff: "plein".into(),
                cents: 1500,
            }],
        }],
        shows: vec![show],
    };
    let config = server::config::Config {
        database_url: db.to_string(),
        site_addr: "127.0.0.1:0".parse().unwrap(),
        site_root: String::new(),
        public_url: "http://127.0.0.1".into(),
        keys_file: keys.to_path_buf(),
        payments: server::config::Payments::Sandbox,
        mail: server::config::MailConfig {
            dir: keys.with_file_name("mail"),
            ..Default::default()
        },
        hold_seconds_override: None,
        sandbox_in_production: false,
        limits: server::config::Limits::off(),
    };
    let (uc, storage) = server::startup::use_cases(&config).await.unwrap();
    let performance_id = uc.setup.apply(&batch).await.unwrap().performance_ids[0];
    let mut codes = Vec::with_capacity(count);
    while codes.len() < count {
        let n = (count - codes.len()).min(10) as i64;
        let hold = uc
            .booking
            .create_hold(HoldRequest {
                performance_id,
                seat_ids: None,
                quantity: Some(n),
            })
            .await
            .unwrap();
        let order = uc
            .checkout
            .create_order(OrderRequest {
                hold_id: hold.id,
                buyer: Buyer {
                    name: "Public".into(),
                    email: "public@exemple.fr".into(),
                },
                tickets: (0..n)
                    .map(|_| TicketRequest {
                        seat_id: None,
                        tariff: "plein".into(),
                    })
                    .collect(),
                lang: None,
            })
            .await
            .unwrap();
        let paid = uc
            .checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(app::dto::PaymentReply::into_order)
            .unwrap();
        codes.extend(paid.tickets.into_iter().map(|t| t.code));
    }
    let (_, token) = uc
        .door
        .create_access(&[performance_id], 4, false, "Bench")
        .await
        .unwrap();
    storage.close().await;
    (performance_id, codes, token)
}

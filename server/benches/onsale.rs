//! On-sale load benchmark: `cargo bench -p server --bench onsale [-- --database postgres
//! --servers 2]`.
//!
//! Starts the release `guichet` binary on 127.0.0.1 with a fresh SQLite database (or a fresh
//! PostgreSQL database served by one or more app servers, buyers spread over them), creates
//! 500-seat performances, and lets 200 concurrent buyers fight for the best seats, as the seat-map
//! page lets them: half choose 1–4 adjacent seats among the best free ones on the live map
//! (refreshed every second and after each refusal), half press "Meilleures places" for 1–4
//! seats (asking for fewer when no such block is left). Each places the order and pays in the
//! sandbox, until the house is full. Buyers act at once, with no pause after a refusal (a
//! capacity test); ONSALE_THINK_MS adds one. Bounded: at most ONSALE_ROUNDS houses (default 70, over 10 s of selling)
//! and 120 s. Prints confirmed orders/s, p50/p99 per step, conflicts, oversold seats (must be 0),
//! the server's CPU and peak RSS, and the load generator's own CPU (it shares the two cores).
//!
//! Per-client limits are off (every buyer comes from 127.0.0.1) unless ONSALE_LIMITS=1: then
//! each buyer plays its own address behind a trusted proxy, the hold cap is the default and
//! the rate limits are raised to machine-speed buyers (holds/orders/payments 600/min). With
//! ONSALE_ABUSERS=N (implies the limits), N more clients try to hold every seat and never pay;
//! compare honest confirmed orders/s with a run without them.
//!
//! Confirmations are mailed as `.eml` files by each server's sender while the sale goes on; the
//! bench then prints how many were out when the last house sold out and how long the outbox
//! took to drain. ONSALE_MAIL=off starts the servers with GUICHET_MAIL_SENDER=off (mail only
//! queued), to compare orders/s with and without the sender.
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::Value;
use server::ports::*;
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::env_or;

const SEATS_PER_ROW: i64 = 25;
const ROWS: i64 = 20; // 500 seats
const TIME_LIMIT: Duration = Duration::from_secs(120);

#[derive(Default)]
struct Stats {
    latencies: Mutex<BTreeMap<&'static str, Vec<Duration>>>,
    conflicts: AtomicU64,
    /// Seats abusive clients hold in the current house.
    abuser_held: AtomicU64,
    /// Their refused hold requests (429).
    abuser_refused: AtomicU64,
    /// "No N seats side by side left" answers to best-seat buyers.
    sold_out: AtomicU64,
    confirmed: AtomicU64,
    seats_sold: AtomicU64,
    errors: AtomicU64,
    /// Seats of every confirmed order of the current house.
    sold: Mutex<Vec<i64>>,
}

impl Stats {
    fn record(&self, step: &'static str, d: Duration) {
        self.latencies
            .lock()
            .unwrap()
            .entry(step)
            .or_default()
            .push(d);
    }
}

#[derive(Clone)]
struct SeatPos {
    id: i64,
    row: String,
    x: i64,
}

/// Every block of 1–4 adjacent seats, best first (front rows, centre), as people looking at the
/// same map see them. Computed once per house so the load generator leaves the CPU to the server.
struct Blocks {
    by_size: Vec<Vec<Vec<i64>>>,
}

impl Blocks {
    fn new(seats: &[SeatPos]) -> Blocks {
        let mut rows: BTreeMap<&str, Vec<&SeatPos>> = BTreeMap::new();
        for s in seats {
            rows.entry(s.row.as_str()).or_default().push(s);
        }
        let centre = SEATS_PER_ROW * 20 / 2;
        let by_size = (0..=4usize)
            .map(|n| {
                if n == 0 {
                    return Vec::new();
                }
                let mut blocks: Vec<(i64, Vec<i64>)> = Vec::new();
                for (r, row) in rows.values_mut().enumerate() {
                    row.sort_by_key(|s| s.x);
                    for w in row.windows(n) {
                        let cx = w.iter().map(|s| s.x).sum::<i64>() / n as i64;
                        blocks.push((
                            (cx - centre).abs() + 40 * r as i64,
                            w.iter().map(|s| s.id).collect(),
                        ));
                    }
                }
                blocks.sort_by_key(|(score, _)| *score);
                blocks.into_iter().map(|(_, ids)| ids).collect()
            })
            .collect();
        Blocks { by_size }
    }
}

#[derive(serde::Deserialize)]
struct Live {
    available: i64,
    taken: Vec<(i64, serde::de::IgnoredAny)>,
}

fn main() {
    // 70 houses: over 10 s of selling, so that warm-up does not make the figure.
    let rounds: usize = env_or("ONSALE_ROUNDS", 70);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        // Buyers below the server's priority (see `lower_priority`); the server is started
        // from the main thread, which keeps the normal priority.
        .on_thread_start(|| common::lower_priority(env_or("ONSALE_NICE", 10)))
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(rounds));
}

async fn run(rounds: usize) {
    let setup = common::Setup::from_args();
    let database = common::BenchDb::create(&setup, "onsale").await;
    let db = database.url.clone();
    let dir = database.dir().to_path_buf();
    let performances = common::apply(&db, programme(rounds)).await;

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(buyers() + 16)
        .build()
        .unwrap();
    let share = app::domain::hold_cap::HoldCaps::default()
        .share_percent
        .to_string();
    let limits: Vec<(&str, &str)> = if limits_on() {
        vec![
            ("GUICHET_TRUSTED_PROXIES", "127.0.0.1"),
            ("GUICHET_HOLD_SHARE", share.as_str()),
            (
                "GUICHET_RATE_LIMITS",
                "holds=600/min,orders=600/min,payments=600/min",
            ),
        ]
    } else {
        Vec::new()
    };
    let mut limits = limits;
    if !mail_on() {
        limits.push(("GUICHET_MAIL_SENDER", "off"));
    }
    let mut servers = Vec::new();
    for _ in 0..setup.servers {
        servers
            .push(common::Server::start_with(&db, &dir.join("keys.json"), &client, &limits).await);
    }
    // The map, the checks and the abusers go to the first server; buyers are spread over all.
    let base = servers[0].base.clone();
    let postgres_cpu_before = common::postgres_cpu_seconds();

    println!(
        "On-sale benchmark: {} concurrent buyers ({}% best seats, {}% on the map), {} seats per house, {rounds} houses, {}, per-client limits {}, {} abusive clients",
        buyers(),
        best_share(),
        100 - best_share().min(100),
        ROWS * SEATS_PER_ROW,
        setup.describe(),
        if limits_on() { "on" } else { "off" },
        abusers()
    );
    let stats = Arc::new(Stats::default());
    let started = Instant::now();
    let mut oversold_total = 0;
    // Each buyer keeps its connection from one house to the next, as an open tab does.
    let origins: Vec<String> = servers
        .iter()
        .map(|s| s.base.trim_end_matches("/api/v1").to_string())
        .collect();
    let mut conns: Vec<common::Conn> = (0..buyers())
        .map(|i| {
            let mut conn = common::Conn::new(&origins[i % origins.len()]);
            if limits_on() {
                conn.forwarded_for = Some(format!("10.1.{}.{}", i / 250, i % 250 + 1));
            }
            conn
        })
        .collect();
    // Open them before the sale (200 connections in the same millisecond overflow the listen
    // queue and wait a second for a SYN retry; visitors do not arrive like that).
    for conn in &mut conns {
        let _ = conn.send("GET", "/api/v1/keys", None).await;
    }
    // Time spent selling (the checks between houses are left out).
    let mut selling = Duration::ZERO;
    for (round, perf) in performances.iter().enumerate() {
        let t = Instant::now();
        let before = stats.confirmed.load(Ordering::Relaxed);
        let seats_before = stats.seats_sold.load(Ordering::Relaxed);
        conns = play_house(&client, &base, *perf, &stats, started, conns).await;
        let sold_in = t.elapsed();
        selling += sold_in;
        let oversold = check_house(&client, &base, *perf, &stats).await;
        oversold_total += oversold;
        let orders = stats.confirmed.load(Ordering::Relaxed) - before;
        let abused = stats.abuser_held.swap(0, Ordering::Relaxed);
        let sold_here = stats.seats_sold.load(Ordering::Relaxed) - seats_before;
        println!(
            "  house {}: {orders} orders in {:.2} s ({:.0} orders/s), oversold seats: {oversold}{}",
            round + 1,
            sold_in.as_secs_f64(),
            orders as f64 / sold_in.as_secs_f64(),
            if abusers() > 0 {
                format!(
                    ", abusers hold {abused} seats, honest buyers bought {sold_here}, unsold and unheld {}",
                    ROWS * SEATS_PER_ROW - abused as i64 - sold_here as i64
                )
            } else {
                String::new()
            }
        );
        if started.elapsed() > TIME_LIMIT {
            println!("  time limit reached");
            break;
        }
    }
    let elapsed = selling.as_secs_f64();
    let rss: Option<Vec<f64>> = servers.iter().map(|s| s.peak_rss_mb()).collect();
    let cpu: Option<f64> = servers.iter().map(|s| s.cpu_seconds()).sum();
    let postgres_cpu = common::postgres_cpu_seconds() - postgres_cpu_before;
    let own_cpu = common::cpu_seconds_of(std::process::id());
    let mail = if mail_on() {
        Some(drain_outbox(&db).await)
    } else {
        None
    };
    drop(servers);

    let confirmed = stats.confirmed.load(Ordering::Relaxed);
    println!(
        "confirmed orders:   {confirmed} ({} seats)",
        stats.seats_sold.load(Ordering::Relaxed)
    );
    println!("selling time:       {elapsed:.1} s");
    println!("confirmed orders/s: {:.0}", confirmed as f64 / elapsed);
    println!(
        "hold conflicts:     {}",
        stats.conflicts.load(Ordering::Relaxed)
    );
    println!(
        "best-seat refusals: {} (no block that size left)",
        stats.sold_out.load(Ordering::Relaxed)
    );
    println!(
        "unexpected errors:  {}",
        stats.errors.load(Ordering::Relaxed)
    );
    println!("oversold seats:     {oversold_total}");
    if abusers() > 0 {
        println!(
            "abusers' refusals:  {} (429: cap reached or too fast)",
            stats.abuser_refused.load(Ordering::Relaxed)
        );
    }
    for (step, mut lat) in std::mem::take(&mut *stats.latencies.lock().unwrap()) {
        lat.sort();
        let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
        println!(
            "  {step:<8} n={:<6} p50 {:>7.2} ms   p99 {:>7.2} ms",
            lat.len(),
            pct(0.50),
            pct(0.99)
        );
    }
    if let Some(cpu) = cpu {
        println!(
            "server CPU:         {cpu:.2} s ({:.2} ms per confirmed order)",
            cpu * 1000.0 / confirmed.max(1) as f64
        );
    }
    if setup.postgres {
        println!(
            "PostgreSQL CPU:     {postgres_cpu:.2} s ({:.2} ms per confirmed order)",
            postgres_cpu * 1000.0 / confirmed.max(1) as f64
        );
    }
    if let Some(cpu) = own_cpu {
        println!("load generator CPU: {cpu:.2} s (same two cores)");
    }
    match rss {
        Some(mb) => println!(
            "server peak RSS:    {} MB",
            mb.iter()
                .map(|m| format!("{m:.1}"))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        None => println!("server peak RSS:    unavailable"),
    }
    match mail {
        Some(m) => println!(
            "e-mail:             {} sent by the end of the sale, {} waiting; outbox {}",
            m.sent_at_end,
            m.waiting_at_end,
            match m.drained_after {
                Some(d) => format!("drained {:.1} s after the last house", d.as_secs_f64()),
                None => "NOT drained within 120 s".into(),
            }
        ),
        None => println!("e-mail:             sender off (GUICHET_MAIL_SENDER=off)"),
    }
    database.drop_database().await;
    assert_eq!(oversold_total, 0, "seats were sold twice");
}

async fn play_house(
    client: &reqwest::Client,
    base: &str,
    perf: i64,
    stats: &Arc<Stats>,
    started: Instant,
    conns: Vec<common::Conn>,
) -> Vec<common::Conn> {
    let map: Value = client
        .get(format!("{base}/performances/{perf}/seatmap"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seats: Arc<Vec<SeatPos>> = Arc::new(
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| SeatPos {
                id: s["id"].as_i64().unwrap(),
                row: s["row"].as_str().unwrap().into(),
                x: s["x"].as_i64().unwrap(),
            })
            .collect(),
    );
    let blocks = Arc::new(Blocks::new(&seats));
    let full = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for conn in conns {
        let (stats, seats, blocks, full) =
            (stats.clone(), seats.clone(), blocks.clone(), full.clone());
        let mut buyer = Buyer {
            conn,
            perf,
            best: rand::thread_rng().gen_range(0..100) < best_share(),
            taken: HashSet::new(),
            refreshed: None,
        };
        tasks.push(tokio::spawn(async move {
            while !full.load(Ordering::Relaxed) && started.elapsed() < TIME_LIMIT {
                buyer.buy_once(&seats, &blocks, &stats, &full).await;
            }
            buyer.conn
        }));
    }
    // Abusive clients: hold all they can, as fast as they can, and never pay.
    let abusers: Vec<_> = (0..abusers())
        .map(|k| {
            let (stats, full, origin) = (
                stats.clone(),
                full.clone(),
                base.trim_end_matches("/api/v1").to_string(),
            );
            tokio::spawn(async move {
                let mut conn = common::Conn::new(&origin);
                conn.forwarded_for = Some(format!("10.9.0.{}", k + 1));
                let body = serde_json::to_vec(&BestBody {
                    performance_id: perf,
                    quantity: 4,
                })
                .unwrap();
                while !full.load(Ordering::Relaxed) && started.elapsed() < TIME_LIMIT {
                    match conn.send("POST", "/api/v1/holds", Some(body.clone())).await {
                        Ok((201, body)) => {
                            if let Ok(held) = serde_json::from_slice::<Held>(&body) {
                                stats
                                    .abuser_held
                                    .fetch_add(held.seat_ids.len() as u64, Ordering::Relaxed);
                            }
                        }
                        Ok((429, _)) => {
                            stats.abuser_refused.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                        _ => tokio::time::sleep(Duration::from_millis(10)).await,
                    }
                }
            })
        })
        .collect();
    let mut conns = Vec::new();
    for t in tasks {
        if let Ok(conn) = t.await {
            conns.push(conn);
        }
    }
    for a in abusers {
        let _ = a.await;
    }
    conns
}

/// One buyer: a browser tab with its own connection, and its view of the house, refreshed from
/// the live seat states about once a second and after each refusal, and updated by what the
/// server answers.
struct Buyer {
    conn: common::Conn,
    perf: i64,
    /// Presses "Meilleures places" instead of choosing on the map.
    best: bool,
    taken: HashSet<i64>,
    refreshed: Option<Instant>,
}

#[derive(serde::Serialize)]
struct HoldBody<'a> {
    performance_id: i64,
    seat_ids: &'a [i64],
}

#[derive(serde::Serialize)]
struct BestBody {
    performance_id: i64,
    quantity: i64,
}

#[derive(serde::Deserialize)]
struct Created {
    id: String,
    token: String,
}

#[derive(serde::Deserialize)]
struct Held {
    id: String,
    seat_ids: Vec<i64>,
}

#[derive(serde::Deserialize)]
struct Refusal {
    error: String,
    #[serde(default)]
    seat_ids: Vec<i64>,
}

/// What a buyer asks to hold.
enum Want<'a> {
    Seats(&'a [i64]),
    Best(i64),
}

#[derive(serde::Serialize)]
struct OrderBody<'a> {
    hold_id: &'a str,
    buyer: BuyerBody,
    tickets: Vec<TicketBody>,
}

#[derive(serde::Serialize)]
struct BuyerBody {
    name: &'static str,
    email: &'static str,
}

#[derive(serde::Serialize)]
struct TicketBody {
    seat_id: i64,
    tariff: &'static str,
}

enum Outcome {
    Bought(Vec<i64>),
    /// Some of the chosen seats were taken first (named).
    Taken(Vec<i64>),
    /// No such block of seats left.
    SoldOut,
    Failed,
}

impl Buyer {
    async fn refresh(&mut self, stats: &Stats, full: &AtomicBool) -> bool {
        let t = Instant::now();
        let path = format!("/api/v1/performances/{}/live", self.perf);
        let live = match self.conn.send("GET", &path, None).await {
            Ok((200, body)) => serde_json::from_slice::<Live>(&body).ok(),
            _ => None,
        };
        let Some(live) = live else {
            stats.errors.fetch_add(1, Ordering::Relaxed);
            return false;
        };
        stats.record("live", t.elapsed());
        if live.available == 0 {
            full.store(true, Ordering::Relaxed);
            return false;
        }
        self.taken = live.taken.into_iter().map(|(id, _)| id).collect();
        self.refreshed = Some(Instant::now());
        true
    }

    async fn buy_once(
        &mut self,
        seats: &[SeatPos],
        blocks: &Blocks,
        stats: &Stats,
        full: &AtomicBool,
    ) {
        if self
            .refreshed
            .is_none_or(|r| r.elapsed() > Duration::from_secs(1))
            && !self.refresh(stats, full).await
        {
            return;
        }
        let wanted = rand::thread_rng().gen_range(1..=4usize);
        if self.best {
            // The server picks; with no `wanted` seats side by side left, ask for fewer.
            for n in (1..=wanted as i64).rev() {
                match self.checkout(Want::Best(n), stats).await {
                    Outcome::SoldOut => continue,
                    Outcome::Bought(ids) | Outcome::Taken(ids) => {
                        self.taken.extend(ids);
                        return;
                    }
                    Outcome::Failed => return,
                }
            }
            // Nothing free: the map will say whether the house is full.
            self.refreshed = None;
            return;
        }
        let pick = match pick_seats(blocks, &self.taken, wanted) {
            Some(p) => p,
            // No block of that size left: take any single free seat.
            None => match seats
                .iter()
                .filter(|s| !self.taken.contains(&s.id))
                .collect::<Vec<_>>()
                .choose(&mut rand::thread_rng())
            {
                Some(one) => vec![one.id],
                None => {
                    // Our view says full: look again.
                    self.refreshed = None;
                    return;
                }
            },
        };
        match self.checkout(Want::Seats(&pick), stats).await {
            Outcome::Bought(_) | Outcome::Failed | Outcome::SoldOut => self.taken.extend(&pick),
            // Refused: look at the map again and choose again, after ONSALE_THINK_MS if set.
            Outcome::Taken(ids) => {
                self.taken.extend(ids);
                self.refreshed = None;
                let think = think_ms();
                if think > 0 {
                    let think = rand::thread_rng().gen_range(think / 2..=think * 3 / 2);
                    tokio::time::sleep(Duration::from_millis(think)).await;
                }
            }
        }
    }

    async fn post(
        &mut self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> Option<(u16, bytes::Bytes)> {
        let body = serde_json::to_vec(body).ok()?;
        self.conn.send("POST", path, Some(body)).await.ok()
    }

    async fn checkout(&mut self, want: Want<'_>, stats: &Stats) -> Outcome {
        let t = Instant::now();
        let sent = match want {
            Want::Seats(seat_ids) => {
                let body = HoldBody {
                    performance_id: self.perf,
                    seat_ids,
                };
                self.post("/api/v1/holds", &body).await
            }
            Want::Best(quantity) => {
                let body = BestBody {
                    performance_id: self.perf,
                    quantity,
                };
                self.post("/api/v1/holds", &body).await
            }
        };
        let Some((status, body)) = sent else {
            stats.errors.fetch_add(1, Ordering::Relaxed);
            return Outcome::Failed;
        };
        stats.record("hold", t.elapsed());
        let (hold_id, pick) = match status {
            201 => match serde_json::from_slice::<Held>(&body) {
                Ok(held) => (held.id, held.seat_ids),
                Err(_) => {
                    stats.errors.fetch_add(1, Ordering::Relaxed);
                    return Outcome::Failed;
                }
            },
            409 => {
                let Ok(refusal) = serde_json::from_slice::<Refusal>(&body) else {
                    stats.errors.fetch_add(1, Ordering::Relaxed);
                    return Outcome::Failed;
                };
                if refusal.error == "sold_out" {
                    stats.sold_out.fetch_add(1, Ordering::Relaxed);
                    return Outcome::SoldOut;
                }
                stats.conflicts.fetch_add(1, Ordering::Relaxed);
                return Outcome::Taken(refusal.seat_ids);
            }
            _ => {
                stats.errors.fetch_add(1, Ordering::Relaxed);
                return Outcome::Failed;
            }
        };
        let pick = pick.as_slice();
        let tariffs = ["plein", "reduit", "moins26", "enfant"];
        let order = OrderBody {
            hold_id: &hold_id,
            buyer: BuyerBody {
                name: "Public Charge",
                email: "charge@exemple.fr",
            },
            tickets: pick
                .iter()
                .map(|s| TicketBody {
                    seat_id: *s,
                    tariff: tariffs
                        .choose(&mut rand::thread_rng())
                        .copied()
                        .unwrap_or("plein"),
                })
                .collect(),
        };
        let t = Instant::now();
        let order_id = match self.post("/api/v1/orders", &order).await {
            Some((201, body)) => serde_json::from_slice::<Created>(&body).ok(),
            _ => None,
        };
        let Some(Created {
            id: order_id,
            token,
        }) = order_id
        else {
            stats.errors.fetch_add(1, Ordering::Relaxed);
            return Outcome::Failed;
        };
        stats.record("order", t.elapsed());
        let t = Instant::now();
        let path = format!("/api/v1/orders/{order_id}/payment");
        let approve = serde_json::json!({"outcome": "approve", "token": token});
        match self.post(&path, &approve).await {
            Some((200, _)) => {
                stats.record("pay", t.elapsed());
                stats.confirmed.fetch_add(1, Ordering::Relaxed);
                stats
                    .seats_sold
                    .fetch_add(pick.len() as u64, Ordering::Relaxed);
                stats.sold.lock().unwrap().extend(pick);
                Outcome::Bought(pick.to_vec())
            }
            _ => {
                stats.errors.fetch_add(1, Ordering::Relaxed);
                Outcome::Failed
            }
        }
    }
}

/// Buyers want the best seats (front rows, centre), as people looking at the same map do.
fn pick_seats(blocks: &Blocks, taken: &HashSet<i64>, n: usize) -> Option<Vec<i64>> {
    let free: Vec<&Vec<i64>> = blocks.by_size[n]
        .iter()
        .filter(|b| b.iter().all(|id| !taken.contains(id)))
        .collect();
    // Everyone aims at the front and centre, each picking among the best quarter of what is
    // left (ONSALE_TOPK=n narrows that to the n best blocks for a harsher fight).
    let keep = env_or("ONSALE_TOPK", (free.len() / 4).max(10)).min(free.len());
    free[..keep]
        .choose(&mut rand::thread_rng())
        .map(|ids| (*ids).clone())
}

/// Oversold seats: seats that two confirmed orders both got, plus any difference between what
/// buyers were confirmed and what the seat map shows as sold.
async fn check_house(client: &reqwest::Client, base: &str, perf: i64, stats: &Stats) -> u64 {
    let confirmed: Vec<i64> = std::mem::take(&mut *stats.sold.lock().unwrap());
    let distinct: HashSet<i64> = confirmed.iter().copied().collect();
    // The seat map may lag the last sales by its cache's quarter of a second.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let map: Value = client
        .get(format!("{base}/performances/{perf}/seatmap"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sold_on_map = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "sold")
        .count();
    let duplicates = confirmed.len() - distinct.len();
    (duplicates + sold_on_map.abs_diff(distinct.len())) as u64
}

/// One 500-seat hall (rows A–T of 25, one price category) and `rounds` performances in it.
fn programme(rounds: usize) -> CatalogueBatch {
    let now = common::now();
    let mut seats = Vec::new();
    for r in 0..ROWS {
        for n in 1..=SEATS_PER_ROW {
            seats.push(NewSeat {
                zone: "Orchestre".into(),
                category: 1,
                row: ((b'A' + r as u8) as char).to_string(),
                number: n,
                x: 20 + n * 20,
                y: 60 + r * 20,
                accessible: false,
                companion: false,
                restricted_view: false,
                blocked: false,
                block_reason: None,
            });
        }
    }
    let hall = NewHall {
        name: "Grande salle".into(),
        width: SEATS_PER_ROW * 20 + 40,
        height: ROWS * 20 + 80,
        stage: (20, 10, SEATS_PER_ROW * 20, 30),
        stage_label: "Scène".into(),
        zones: vec!["Orchestre".into()],
        categories: vec![NewCategory {
            number: 1,
            label: "Catégorie 1".into(),
            color: "#123456".into(),
        }],
        seats,
    };
    let show = common::show("Le grand soir");
    let performances = (0..rounds as i64)
        .map(|i| {
            let starts_at = now + 86_400 * (i + 1);
            NewPerformance {
                venue_code: "BEN".into(),
                hall: hall.name.clone(),
                show_title: show.title.clone(),
                show_kind: show.kind,
                starts_at,
                sale_opens_at: now - 60,
                sale_closes_at: starts_at,
                hold_seconds: 900,
                max_seats_per_order: 4,
                seated: true,
                capacity: 0,
                prices: ["plein", "reduit", "moins26", "enfant"]
                    .iter()
                    .zip([2400, 1800, 1200, 800])
                    .map(|(t, cents)| NewPrice {
                        category: Some(1),
                        tariff: t.to_string(),
                        cents,
                    })
                    .collect(),
            }
        })
        .collect();
    CatalogueBatch {
        tariffs: server::demo::tariffs(),
        venues: vec![common::venue("BEN", hall)],
        shows: vec![show],
        performances,
    }
}

fn buyers() -> usize {
    env_or("ONSALE_BUYERS", 200)
}

/// Share of buyers (in %) who press "Meilleures places" rather than choose on the map.
fn best_share() -> u32 {
    env_or("ONSALE_BEST", 50)
}

/// Mean pause after a refusal, in ms (0: choose again at once, as a capacity test does).
fn abusers() -> usize {
    env_or("ONSALE_ABUSERS", 0)
}

fn mail_on() -> bool {
    std::env::var("ONSALE_MAIL").as_deref() != Ok("off")
}

struct MailDrain {
    sent_at_end: i64,
    waiting_at_end: i64,
    drained_after: Option<Duration>,
}

/// `(waiting, sent)` as `guichet mail status` counts them.
fn outbox_counts(db: &str) -> (i64, i64) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["mail", "status"])
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .output()
        .expect("guichet mail status");
    let text = String::from_utf8_lossy(&out.stdout);
    // "N waiting, M sent, K failing"
    let number = |label: &str| {
        text.split(',')
            .find(|p| p.trim().ends_with(label))
            .and_then(|p| p.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {label} count in {text:?}"))
    };
    (number("waiting"), number("sent"))
}

/// Watches the outbox from the end of the sale until no mail waits (120 s at most).
async fn drain_outbox(db: &str) -> MailDrain {
    let end = Instant::now();
    let (waiting_at_end, sent_at_end) = outbox_counts(db);
    let mut drained_after = (waiting_at_end == 0).then(|| end.elapsed());
    while drained_after.is_none() && end.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        if outbox_counts(db).0 == 0 {
            drained_after = Some(end.elapsed());
        }
    }
    MailDrain {
        sent_at_end,
        waiting_at_end,
        drained_after,
    }
}

fn limits_on() -> bool {
    abusers() > 0 || env_or("ONSALE_LIMITS", 0) == 1
}

fn think_ms() -> u64 {
    env_or("ONSALE_THINK_MS", 0)
}

//! Box office benchmark: `cargo bench -p server --bench counter [-- --database postgres]`.
//!
//! Against the release `guichet` on a fresh database with the demo programme, an agent's API
//! token sells a whole theatre performance (the Grande salle, 452 seats) at the counter, two
//! seats at a time paid in cash, and downloads each sale's A4 tickets PDF: p50 / p99 of the
//! sale, and of the sale with its PDF ready. Then the end-of-performance statement of that
//! full house as JSON, CSV and PDF (p50 / p99 of COUNTER_STATEMENTS, 50). Targets (issue 10):
//! a counter sale with its PDF < 50 ms; the statement of a 450-seat show < 200 ms.
use serde_json::{json, Value};
use std::time::{Duration, Instant};

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

fn report(label: &str, mut lat: Vec<Duration>) {
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
    println!(
        "{label:<52} p50 {:>7.2} ms  p99 {:>7.2} ms  (n = {})",
        pct(0.5),
        pct(0.99),
        lat.len()
    );
}

async fn run() {
    let setup = common::Setup::from_args();
    let statements: usize = env_or("COUNTER_STATEMENTS", 50);
    println!("box office, {}", setup.describe());
    let database = common::BenchDb::create(&setup, "counter").await;
    let db = database.url.clone();
    let keys = database.dir().join("keys.json");
    let guichet = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(args)
            .env("DATABASE_URL", &db)
            .env("GUICHET_KEYS_FILE", &keys)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "guichet {args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    guichet(&["demo"]);
    let out = guichet(&[
        "staff",
        "token",
        "create",
        "--email",
        "guichet@guichet.test",
        "--name",
        "bench",
    ]);
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix("token (shown once): "))
        .expect("token")
        .to_string();
    let client = reqwest::Client::new();
    let server = common::Server::start(&db, &keys, &client).await;
    let get = |path: String| {
        client
            .get(format!("{}{path}", server.base))
            .bearer_auth(&token)
    };

    // A Grande salle performance the counter sells, over the demo's two weeks.
    let mut found = None;
    for day in 0..14 {
        let date = app::domain::paris::day_key(common::now() + day * 86_400);
        let list: Value = get(format!("/box-office/performances?date={date}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        found = list.as_array().unwrap().iter().find_map(|p| {
            (p["hall"] == "Grande salle" && p["on_sale"] == true).then(|| p["id"].as_i64().unwrap())
        });
        if found.is_some() {
            break;
        }
    }
    let perf = found.expect("a Grande salle performance on sale");
    let map: Value = get(format!("/performances/{perf}/seatmap"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Each category's first tariff and its price.
    let price: std::collections::HashMap<i64, (String, i64)> = map["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let t = &c["tariffs"][0];
            (
                c["id"].as_i64().unwrap(),
                (
                    t["code"].as_str().unwrap().to_string(),
                    t["price_cents"].as_i64().unwrap(),
                ),
            )
        })
        .collect();
    let seats: Vec<(i64, i64)> = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "free")
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                s["category_id"].as_i64().unwrap(),
            )
        })
        .collect();
    println!("performance {perf}: {} free seats", seats.len());

    let (mut sale, mut with_pdf) = (Vec::new(), Vec::new());
    for pair in seats.chunks(2) {
        let tickets: Vec<Value> = pair
            .iter()
            .map(|(id, cat)| json!({"seat_id": id, "tariff": price[cat].0}))
            .collect();
        let total: i64 = pair.iter().map(|(_, cat)| price[cat].1).sum();
        let body = json!({"performance_id": perf, "seat_ids": pair.iter().map(|p| p.0).collect::<Vec<_>>(),
                          "tickets": tickets, "desk": "bench",
                          "payments": [{"method": "cash", "amount_cents": total, "tendered_cents": total + 500}]});
        let t = Instant::now();
        let r = client
            .post(format!("{}/box-office/sales", server.base))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let sold: Value = r.json().await.unwrap();
        sale.push(t.elapsed());
        let (id, order_token) = (
            sold["order"]["id"].as_str().unwrap(),
            sold["order"]["token"].as_str().unwrap(),
        );
        let pdf = client
            .get(format!(
                "{}/orders/{id}/tickets.pdf?token={order_token}",
                server.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200);
        let _ = pdf.bytes().await.unwrap();
        with_pdf.push(t.elapsed());
    }
    report("counter sale, 2 seats in cash", sale);
    report("counter sale + its A4 tickets PDF ready", with_pdf);

    for (label, file) in [
        ("statement of the full house, JSON", "statement"),
        ("statement of the full house, CSV", "statement.csv"),
        ("statement of the full house, PDF", "statement.pdf"),
    ] {
        let mut lat = Vec::new();
        for _ in 0..statements {
            let t = Instant::now();
            let r = get(format!("/box-office/performances/{perf}/{file}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let _ = r.bytes().await.unwrap();
            lat.push(t.elapsed());
        }
        report(label, lat);
    }
    if let Some(rss) = server.peak_rss_mb() {
        println!("server peak RSS {rss:.0} MB");
    }
    drop(server);
    database.drop_database().await;
}

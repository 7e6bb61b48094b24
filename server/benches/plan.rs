//! Seat-plan benchmark: `cargo bench -p server --bench plan [-- --database postgres]`.
//!
//! Prints, for a 5,000-seat hall (50 rows × 100 seats): the generator, the plan checks and the
//! pretix import as plain functions (median of PLAN_RUNS, 20); then against the release
//! `guichet` on a fresh database: the whole import through `POST /admin/venues/{id}/halls`
//! (parse, check, store; median of 5 halls), and the server's render of that hall's seat map —
//! the JSON `GET /performances/{id}/seatmap` and the page `/seances/{id}` (p50 / p99 of
//! PLAN_REQUESTS, 200, one after another). Targets (issue 9): render < 20 ms, import < 1 s.
use app::domain::plan::generator::*;
use app::domain::plan::pretix;
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

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// A pretix plan of `rows` × `per_row` seats, as pretix's editor exports it.
fn pretix_plan(rows: usize, per_row: usize) -> Value {
    let rows: Vec<Value> = (0..rows)
        .map(|r| {
            let seats: Vec<Value> = (0..per_row)
                .map(|s| {
                    json!({"seat_guid": format!("r{r}-s{s}"), "seat_number": (s + 1).to_string(),
                           "uuid": format!("u{r}-{s}"), "radius": 10, "start_direction": null,
                           "position": {"x": s as f64 * 25.0, "y": 0.0},
                           "category": if r < 25 { "Parterre" } else { "Fond" }})
                })
                .collect();
            json!({"row_number": (r + 1).to_string(), "position": {"x": 0, "y": r as f64 * 30.0}, "seats": seats})
        })
        .collect();
    json!({"name": "Bench", "categories": [{"name": "Parterre"}, {"name": "Fond"}],
           "size": {"width": per_row * 25 + 100, "height": rows.len() * 30 + 150},
           "zones": [{"name": "Salle", "position": {"x": 50, "y": 100}, "rows": rows}]})
}

fn report(label: &str, mut lat: Vec<Duration>) {
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
    println!(
        "{label:<44} p50 {:>7.2} ms  p99 {:>7.2} ms",
        pct(0.5),
        pct(0.99)
    );
}

async fn run() {
    let setup = common::Setup::from_args();
    let runs: usize = env_or("PLAN_RUNS", 20);
    let requests: usize = env_or("PLAN_REQUESTS", 200);
    println!("seat plans, 5,000 seats, {}", setup.describe());

    let spec = GeneratorSpec {
        levels: vec![LevelSpec {
            zone: "Orchestre".into(),
            rows: 50,
            seats_per_row: 100,
            row_seats: Vec::new(),
            row_labels: RowLabels::Letters,
            skip_i_o: true,
            numbering: Numbering::OddEvenFromCentre,
            aisles: vec![25, 75],
            stagger: true,
            curve: 40,
            category: None,
            category_from_row: vec![RowCategory {
                row: 26,
                category: "Catégorie 2".into(),
            }],
        }],
        stage: StageSide::Top,
        stage_label: "Scène".into(),
    };
    let plan = spec.plan().expect("generated");
    assert!(plan.problems().is_empty());
    let pretix_json = pretix_plan(50, 100).to_string();
    println!(
        "{:<44} {:>7.2} ms",
        "generator (median)",
        timed(runs, || spec.plan())
    );
    println!(
        "{:<44} {:>7.2} ms",
        "plan checks (median)",
        timed(runs, || plan.problems())
    );
    println!(
        "{:<44} {:>7.2} ms  ({} KB)",
        "pretix import: parse + checks (median)",
        timed(runs, || pretix::import(&pretix_json)),
        pretix_json.len() / 1024
    );

    let database = common::BenchDb::create(&setup, "plan").await;
    let db = database.url.clone();
    let keys = database.dir().join("keys.json");
    let guichet = |args: &[&str], input: Option<&str>| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(args)
            .env("DATABASE_URL", &db)
            .env("GUICHET_KEYS_FILE", &keys)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.unwrap_or("").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "guichet {args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    guichet(&["demo"], None); // the tariffs
    guichet(
        &[
            "staff",
            "create",
            "--email",
            "bench@ville.fr",
            "--name",
            "Bench",
            "--role",
            "admin",
        ],
        Some("mot-de-passe-du-bench\n"),
    );
    let out = guichet(
        &[
            "staff",
            "token",
            "create",
            "--email",
            "bench@ville.fr",
            "--name",
            "bench",
        ],
        None,
    );
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix("token (shown once): "))
        .expect("token")
        .to_string();
    let client = reqwest::Client::new();
    let server = common::Server::start(&db, &keys, &client).await;
    let api = |method: reqwest::Method, path: &str| {
        client
            .request(method, format!("{}{path}", server.base))
            .bearer_auth(&token)
    };
    let venue: Value = api(reqwest::Method::POST, "/admin/venues")
        .json(&json!({"code": "BN", "name": "Bench", "operator_name": "Ville", "address": "", "kind": "theatre"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let venue_id = venue["id"].as_i64().expect("venue");
    let mut imports = Vec::new();
    let mut hall_id = 0;
    for i in 0..5 {
        let body = format!("{{\"name\": \"Salle {i}\", \"pretix\": {pretix_json}}}");
        let t = Instant::now();
        let r = api(
            reqwest::Method::POST,
            &format!("/admin/venues/{venue_id}/halls"),
        )
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
        imports.push(t.elapsed());
        assert_eq!(r.status(), 201);
        let created: Value = r.json().await.unwrap();
        assert_eq!(created["seats"], 5000);
        hall_id = created["id"].as_i64().unwrap();
    }
    println!(
        "{:<44} {:>7.2} ms",
        "import through the API, 5,000 seats (median)",
        median(imports)
    );

    let show: Value = api(reqwest::Method::POST, "/admin/shows")
        .json(&json!({"title": "Bench", "kind": "theatre", "duration_min": 90}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let starts = chrono::DateTime::from_timestamp(common::now() + 30 * 86_400, 0)
        .unwrap()
        .to_rfc3339();
    let perf: Value = api(
        reqwest::Method::POST,
        &format!("/admin/shows/{}/performances", show["id"]),
    )
    .json(
        &json!({"hall_id": hall_id, "starts_at": [starts], "published": true,
                      "prices": {"Parterre": {"plein": 2000}, "Fond": {"plein": 1500}}}),
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let perf_id = perf[0]["id"].as_i64().expect("performance");
    let site = server.base.trim_end_matches("/api/v1").to_string();
    let mut conn = common::Conn::new(&site);
    for (label, path) in [
        (
            "seat map JSON, 5,000 seats",
            format!("/api/v1/performances/{perf_id}/seatmap"),
        ),
        (
            "seat map page (SSR HTML), 5,000 seats",
            format!("/seances/{perf_id}"),
        ),
    ] {
        let mut lat = Vec::with_capacity(requests);
        let mut bytes = 0;
        for _ in 0..requests {
            let t = Instant::now();
            let (status, body) = conn.send("GET", &path, None).await.expect("request");
            lat.push(t.elapsed());
            assert_eq!(status, 200);
            bytes = body.len();
        }
        report(&format!("{label} ({} KB)", bytes / 1024), lat);
    }
    drop(server);
    database.drop_database().await;
}

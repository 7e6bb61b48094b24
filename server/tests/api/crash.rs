//! `kill -9` during an on-sale: after a restart every order that was answered "paid" is still
//! paid with its tickets, and the integrity check finds nothing wrong.
use serde_json::{json, Value};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Site {
    dir: std::path::PathBuf,
    db: String,
}

impl Site {
    fn guichet(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_guichet"));
        c.env("DATABASE_URL", &self.db)
            .env("GUICHET_KEYS_FILE", self.dir.join("keys.json"))
            .env("GUICHET_MAIL_DIR", self.dir.join("mail"))
            .env("LEPTOS_SITE_ROOT", self.dir.join("site"))
            .env("GUICHET_PAYMENTS", "sandbox")
            .env("GUICHET_HOLD_SHARE", "off")
            .env("GUICHET_RATE_LIMITS", "off")
            .env("RUST_LOG", "error");
        c
    }

    async fn serve(&self, client: &reqwest::Client) -> (Child, String) {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = self
            .guichet()
            .arg("serve")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..200 {
            if client.get(format!("{base}/health")).send().await.is_ok() {
                return (child, base);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start");
    }
}

async fn post_json(client: &reqwest::Client, url: String, body: Value) -> Option<Value> {
    client
        .post(url)
        .json(&body)
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()
}

async fn get_json(client: &reqwest::Client, url: String) -> Value {
    client.get(url).send().await.unwrap().json().await.unwrap()
}

async fn buy(
    client: &reqwest::Client,
    base: &str,
    perf: i64,
    seat: i64,
) -> Option<(String, String)> {
    let hold = post_json(
        client,
        format!("{base}/api/v1/holds"),
        json!({"performance_id": perf, "seat_ids": [seat]}),
    )
    .await?;

    let order = post_json(
        client,
        format!("{base}/api/v1/orders"),
        json!({"hold_id": hold["id"].as_str()?, "buyer": {"name": "Marie Curie", "email": "marie@exemple.fr"},
               "tickets": [{"seat_id": seat, "tariff": "plein"}]}),
    )
    .await?;
    let (id, token) = (
        order["id"].as_str()?.to_string(),
        order["token"].as_str()?.to_string(),
    );
    let paid = post_json(
        client,
        format!("{base}/api/v1/orders/{id}/payment"),
        json!({"outcome": "approve", "token": token}),
    )
    .await?;
    (paid["status"] == "paid").then_some((id, token))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkill_during_an_on_sale_loses_no_paid_order() {
    let dir = std::env::temp_dir().join(format!("guichet-crash-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}/guichet.db", dir.display());
    sigkill_during_an_on_sale(dir, db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL not set at build time"
)]
async fn a_sigkill_during_an_on_sale_loses_no_paid_order_on_postgres() {
    let base = crate::helpers::postgres_url().expect("TEST_DATABASE_URL");
    let name = format!("guichet_crash_{:016x}", rand::random::<u64>());
    let db = crate::helpers::fresh_postgres_database(&base, &name).await;
    let dir = std::env::temp_dir().join(format!("guichet-crash-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    sigkill_during_an_on_sale(dir, db).await;
    let _ = crate::helpers::drop_postgres_database(&base, &name).await;
}

async fn sigkill_during_an_on_sale(dir: std::path::PathBuf, db: String) {
    let site = Site {
        db,
        dir: dir.clone(),
    };
    assert!(site
        .guichet()
        .arg("demo")
        .output()
        .unwrap()
        .status
        .success());
    let client = reqwest::Client::new();
    let (mut server, base) = site.serve(&client).await;

    // The demo's largest seated performance on sale, and its free seats.
    let programme = get_json(&client, format!("{base}/api/v1/performances")).await;
    let perf = programme
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["seated"] == true && p["sale"] == "open")
        .max_by_key(|p| p["available"].as_i64())
        .expect("a seated performance on sale")["id"]
        .as_i64()
        .unwrap();
    let map = get_json(
        &client,
        format!("{base}/api/v1/performances/{perf}/seatmap"),
    )
    .await;
    let seats: Vec<i64> = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "free")
        .map(|s| s["id"].as_i64().unwrap())
        .collect();

    // 16 buyers, each through its own seats, until the server is killed under them.
    let paid = Arc::new(Mutex::new(Vec::new()));
    let killed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let buyers: Vec<_> = (0..16)
        .map(|k| {
            let (client, base, paid, killed) =
                (client.clone(), base.clone(), paid.clone(), killed.clone());
            let mine: Vec<i64> = seats.iter().copied().skip(k).step_by(16).collect();
            tokio::spawn(async move {
                for seat in mine {
                    match buy(&client, &base, perf, seat).await {
                        Some(order) => paid.lock().unwrap().push(order),
                        None if killed.load(std::sync::atomic::Ordering::SeqCst) => return,
                        None => {}
                    }
                }
            })
        })
        .collect();
    // Well into the sale (however slow this machine is today), and with purchases in flight.
    let started = Instant::now();
    while paid.lock().unwrap().len() < 8 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    killed.store(true, std::sync::atomic::Ordering::SeqCst);
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    for b in buyers {
        let _ = b.await;
    }
    let paid = paid.lock().unwrap().clone();
    assert!(paid.len() >= 8, "the sale was running: {} paid", paid.len());

    let check = site.guichet().arg("check").output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let (mut server, base) = site.serve(&client).await;
    for (id, token) in &paid {
        let order = get_json(&client, format!("{base}/api/v1/orders/{id}?token={token}")).await;
        assert_eq!(order["status"], "paid", "{order}");
        assert_eq!(order["tickets"].as_array().map(Vec::len), Some(1));
        let pdf = client
            .get(format!(
                "{base}/api/v1/orders/{id}/tickets.pdf?token={token}"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200);
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

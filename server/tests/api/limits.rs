//! Per-client limits: what one client may hold at once, how often it may ask, and who the
//! client is behind a trusted reverse proxy.
use crate::both_databases;
use crate::helpers::*;
use serde_json::{json, Value};
use server::adapters::http::client::TrustedProxies;
use server::adapters::http::rate::RateLimits;
use server::config::Limits;
use std::sync::Arc;

/// Limits as a test states them; requests "from" an address come through a trusted proxy
/// on 127.0.0.1 with `X-Forwarded-For`.
fn limits(share: Option<i64>, rates: &str) -> Limits {
    Limits {
        hold_caps: share.map(|share_percent| app::domain::hold_cap::HoldCaps { share_percent }),
        rates: RateLimits::parse(rates).unwrap(),
        trusted_proxies: TrustedProxies::parse("127.0.0.1").unwrap(),
        ..Limits::off()
    }
}

fn with(limits: Limits) -> Options {
    Options {
        limits,
        ..Options::default()
    }
}

async fn app_with(db: Db, limits: Limits) -> Option<TestApp> {
    spawn_app_with(db, with(limits)).await
}

struct Answer {
    status: u16,
    retry_after: Option<i64>,
    body: Value,
}

impl TestApp {
    async fn post_from(&self, from: Option<&str>, path: &str, body: &Value) -> Answer {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(ip) = from {
            req = req.header("x-forwarded-for", ip);
        }
        answer(req.send().await.expect("request")).await
    }

    async fn hold_from(&self, from: &str, body: Value) -> Answer {
        self.post_from(Some(from), "/api/v1/holds", &body).await
    }
}

async fn answer(r: reqwest::Response) -> Answer {
    Answer {
        status: r.status().as_u16(),
        retry_after: r
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok()),
        body: r.json().await.unwrap_or(Value::Null),
    }
}

async fn a_client_holds_at_most_its_share(app: TestApp) {
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 40,
            ..Default::default()
        },
    )
    .await;
    let (perf, s) = (f.performance_id, &f.seat_ids);
    let a = "198.51.100.1";
    let first = app
        .hold_from(a, json!({"performance_id": perf, "seat_ids": &s[0..4]}))
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    // 10 % of 40 seats is 4, less than an order (6): this client may hold 6.
    let more = app
        .hold_from(a, json!({"performance_id": perf, "quantity": 3}))
        .await;
    assert_eq!(more.status, 429, "{}", more.body);
    assert_eq!(more.body["error"], "too_many_held");
    let message = more.body["message"].as_str().unwrap();
    assert!(message.contains("au plus 6"), "{message}");
    let wait = more.retry_after.expect("Retry-After");
    assert!(wait > 0 && wait <= first.body["seconds_left"].as_i64().unwrap());
    assert_eq!(more.body["retry_after"], wait);
    // Two more fit.
    let two = app
        .hold_from(a, json!({"performance_id": perf, "seat_ids": &s[4..6]}))
        .await;
    assert_eq!(two.status, 201, "{}", two.body);
    // The refused request held nothing; others have their own share, the proxy too.
    assert_eq!(app.seat_status(perf, s[6]).await, "free");
    let b = app
        .hold_from(
            "198.51.100.2",
            json!({"performance_id": perf, "quantity": 6}),
        )
        .await;
    assert_eq!(b.status, 201, "{}", b.body);
    let proxy = app.hold(perf, &s[34..40]).await;
    assert_eq!(proxy.status, 201, "{}", proxy.body);
    // Releasing makes room at once.
    let id = first.body["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/holds/{id}")).await, 204);
    let again = app
        .hold_from(a, json!({"performance_id": perf, "quantity": 4}))
        .await;
    assert_eq!(again.status, 201, "{}", again.body);
}

both_databases!(
    share,
    a_client_holds_at_most_its_share,
    with(limits(Some(10), "off"))
);

/// One client firing many holds at once cannot pass its cap between the count and the claim.
async fn concurrent_holds_of_one_client_stay_under_its_cap(app: TestApp) {
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 60,
            ..Default::default()
        },
    )
    .await;
    let app = Arc::new(app);
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                app.hold_from(
                    "198.51.100.7",
                    json!({"performance_id": f.performance_id, "quantity": 2}),
                )
                .await
                .status
            })
        })
        .collect();
    let mut held = 0;
    for t in tasks {
        match t.await.unwrap() {
            201 => held += 2,
            429 => {}
            other => panic!("unexpected {other}"),
        }
    }
    // 10 % of 60 is 6.
    assert_eq!(held, 6, "the client holds exactly its cap");
    let map = app.seatmap(f.performance_id).await;
    let taken = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] != "free")
        .count();
    assert_eq!(taken, 6);
}

both_databases!(
    concurrent_share,
    concurrent_holds_of_one_client_stay_under_its_cap,
    with(limits(Some(10), "off"))
);

#[tokio::test]
async fn forwarded_for_counts_only_behind_a_trusted_proxy() {
    let untrusted = Limits {
        trusted_proxies: TrustedProxies::default(),
        ..limits(Some(10), "off")
    };
    let app = app_with(Db::Sqlite, untrusted).await.unwrap();
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 40,
            ..Default::default()
        },
    )
    .await;
    let perf = f.performance_id;
    let first = app
        .hold_from(
            "198.51.100.1",
            json!({"performance_id": perf, "quantity": 6}),
        )
        .await;
    assert_eq!(first.status, 201);
    // A made-up header does not make another client.
    let second = app
        .hold_from(
            "198.51.100.2",
            json!({"performance_id": perf, "quantity": 1}),
        )
        .await;
    assert_eq!(second.status, 429, "{}", second.body);
}

#[tokio::test]
async fn holds_are_rate_limited_per_client_across_api_and_server_functions() {
    let app = app_with(Db::Sqlite, limits(None, "holds=3/min"))
        .await
        .unwrap();
    let f = fixture(&app, FixtureSpec::default()).await;
    let body = json!({"performance_id": f.performance_id, "quantity": 1});
    for _ in 0..3 {
        let r = app.hold_from("198.51.100.1", body.clone()).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let limited = app.hold_from("198.51.100.1", body.clone()).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert_eq!(limited.body["error"], "rate_limited");
    let wait = limited.retry_after.expect("Retry-After");
    assert!((1..=20).contains(&wait), "{wait}");
    // The UI's server function shares the bucket, and answers in English when asked.
    let sf = app
        .client
        .post(app.url("/sf/hold"))
        .header("x-forwarded-for", "198.51.100.1")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", "lang=en")
        .body(format!(
            "request[performance_id]={}&request[quantity]=1",
            f.performance_id
        ))
        .send()
        .await
        .unwrap();
    let sf = answer(sf).await;
    assert_eq!(sf.status, 429);
    assert_eq!(
        sf.body["message"],
        "Too many requests in a short time; please try again in a few seconds."
    );
    // Another client is not slowed down; reads are not limited.
    assert_eq!(app.hold_from("198.51.100.2", body).await.status, 201);
    for _ in 0..10 {
        assert_eq!(
            app.get(&format!("/api/v1/performances/{}/live", f.performance_id))
                .await
                .status,
            200
        );
    }
}

#[tokio::test]
async fn orders_payments_and_look_ups_are_rate_limited() {
    let app = app_with(
        Db::Sqlite,
        limits(None, "orders=1/min,payments=1/min,lookups=2/min"),
    )
    .await
    .unwrap();
    let f = fixture(&app, FixtureSpec::default()).await;
    let hold = app.hold(f.performance_id, &f.seat_ids[0..1]).await;
    let tickets = json!([{"seat_id": f.seat_ids[0], "tariff": "plein"}]);
    let order = app
        .order(hold.body["id"].as_str().unwrap(), tickets.clone())
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let second = app.order(hold.body["id"].as_str().unwrap(), tickets).await;
    assert_eq!(second.status, 429, "{}", second.body);
    let id = order.body["id"].as_str().unwrap();
    assert_eq!(app.pay(id, "approve").await.status, 200);
    assert_eq!(app.pay(id, "approve").await.status, 429);
    let token = order.body["token"].as_str().unwrap();
    let look = format!("/api/v1/orders/{id}?token={token}");
    assert_eq!(app.get(&look).await.status, 200);
    assert_eq!(app.get(&look).await.status, 200);
    assert_eq!(app.get(&look).await.status, 429);
}

#[tokio::test]
async fn scans_are_rate_limited_per_door_token() {
    let app = app_with(Db::Sqlite, limits(None, "scans=2/min"))
        .await
        .unwrap();
    let scan = |token: &'static str| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url("/api/v1/scan"))
                .bearer_auth(token)
                .json(&json!({"code": "x", "performance_id": 1, "nonce": "n", "device": "d"}))
                .send()
                .await
                .unwrap();
            answer(r).await
        }
    };
    assert_eq!(scan("door-a").await.status, 401);
    assert_eq!(scan("door-a").await.status, 401);
    let limited = scan("door-a").await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.retry_after.is_some());
    // Another door of the same venue (same address) scans on.
    assert_eq!(scan("door-b").await.status, 401);
    // The scanner page's server function counts under its token too.
    let sf = app
        .client
        .post(app.url("/sf/door_scan"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("token=door-a&request[code]=x")
        .send()
        .await
        .unwrap();
    assert_eq!(sf.status().as_u16(), 429);
}

/// With the shipped defaults, a race for one seat still has exactly one winner; the losers
/// hear 409 (taken) or 429 (slow down).
async fn a_race_under_default_limits_has_one_winner(app: TestApp) {
    let app = Arc::new(app);
    let f = fixture(&app, FixtureSpec::default()).await;
    let wanted = vec![f.seat_ids[9], f.seat_ids[10]];
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (app, wanted) = (app.clone(), wanted.clone());
            tokio::spawn(async move { app.hold(f.performance_id, &wanted).await })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            201 => won += 1,
            409 => assert_eq!(r.body["error"], "seats_taken"),
            429 => assert!(["rate_limited", "too_many_held"]
                .contains(&r.body["error"].as_str().unwrap_or_default())),
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert_eq!(won, 1);
}

both_databases!(
    default_race,
    a_race_under_default_limits_has_one_winner,
    with(Limits::defaults())
);

/// The seat-map page holds through `/sf/hold`: the same cap applies to it, with the same
/// answer (the client address reaches the server function).
#[tokio::test]
async fn the_ui_server_function_is_capped_too() {
    let app = app_with(Db::Sqlite, limits(Some(10), "off")).await.unwrap();
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 40,
            ..Default::default()
        },
    )
    .await;
    let sf_hold = |quantity: i64| {
        app.client
            .post(app.url("/sf/hold"))
            .header("x-forwarded-for", "198.51.100.9")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "request[performance_id]={}&request[quantity]={quantity}",
                f.performance_id
            ))
            .send()
    };
    let first = answer(sf_hold(6).await.unwrap()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let over = answer(sf_hold(1).await.unwrap()).await;
    assert_eq!(over.status, 429, "{}", over.body);
    assert_eq!(over.body["error"], "too_many_held");
    assert!(
        over.retry_after.is_some_and(|s| s > 0),
        "Retry-After on the server function too"
    );
}

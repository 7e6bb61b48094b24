//! Security headers, refusal of cross-site requests, body limits, and the production guard.
use crate::both_databases;
use crate::helpers::*;
use serde_json::json;

async fn headers_cross_site_and_limits(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;

    // Pages: a CSP whose script nonce is the one on the page's inline scripts.
    let page = app.client.get(app.url("/")).send().await.unwrap();
    let h = page.headers().clone();
    let status = page.status();
    let html = page.text().await.unwrap();
    assert_eq!(status, 200, "{html}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(
        h.get("strict-transport-security").is_none(),
        "plain http: no HSTS"
    );
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the inline scripts carry the nonce"
    );
    // The API: the strictest policy.
    let api = app
        .client
        .get(app.url("/api/v1/keys"))
        .send()
        .await
        .unwrap();
    assert!(api.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));

    // A form posted from another site creates nothing.
    let form = format!(
        "request[performance_id]={}&request[seat_ids][0]={}",
        f.performance_id, f.seat_ids[0]
    );
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let r = app
            .client
            .post(app.url("/sf/hold"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header(name, value)
            .body(form.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{name}: {value}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "forbidden");
        let api = app
            .client
            .post(app.url("/api/v1/holds"))
            .header(name, value)
            .json(&json!({"performance_id": f.performance_id, "seat_ids": [f.seat_ids[0]]}))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 403);
    }
    assert_eq!(app.sales_counts().await.holds, 0);
    // The site's own pages (same origin) and API clients (no Origin) are served.
    let own = app
        .client
        .post(app.url("/sf/hold"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", app.address.clone())
        .header("sec-fetch-site", "same-origin")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    let hold = own.json::<serde_json::Value>().await.unwrap();
    let order = app
        .order(
            hold["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[0], "tariff": "plein"}]),
        )
        .await;
    assert_eq!(order.status, 201);

    // An order's JSON is never cached.
    let (id, token) = (
        order.body["id"].as_str().unwrap(),
        order.body["token"].as_str().unwrap(),
    );
    let r = app
        .client
        .get(app.url(&format!("/api/v1/orders/{id}?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");

    // Oversized bodies: 413, with the API's JSON error.
    let big = format!(
        "{{\"performance_id\": 1, \"padding\": \"{}\"}}",
        "x".repeat(100_000)
    );
    let r = app.post_raw("/api/v1/holds", &big).await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.body["error"], "payload_too_large");
    let sf = app
        .client
        .post(app.url("/sf/hold"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("x".repeat(100_000))
        .send()
        .await
        .unwrap();
    assert_eq!(sf.status(), 413);
}
both_databases!(guard, headers_cross_site_and_limits);

#[tokio::test]
async fn the_sandbox_does_not_start_on_an_https_site() {
    let dir = std::env::temp_dir().join(format!("guichet-guard-{}", rand::random::<u64>()));
    let config = server::config::Config {
        database_url: format!("sqlite://{}/g.db", dir.display()),
        site_addr: "127.0.0.1:0".parse().unwrap(),
        site_root: String::new(),
        public_url: "https://billetterie.exemple.fr".into(),
        keys_file: dir.join("keys.json"),
        payments: server::config::Payments::Sandbox,
        mail: Default::default(),
        hold_seconds_override: None,
        sandbox_in_production: false,
        limits: server::config::Limits::defaults(),
    };
    let refused = server::startup::Application::build(&config).await;
    let message = refused.err().expect("refused").to_string();
    assert!(message.contains("GUICHET_PAYMENTS"), "{message}");
    let allowed = server::config::Config {
        sandbox_in_production: true,
        ..config
    };
    let app = server::startup::Application::build(&allowed)
        .await
        .expect("explicitly allowed");
    drop(app);
    let _ = std::fs::remove_dir_all(dir);
}

async fn the_order_page_keeps_its_token_out_of_the_query(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let paid = app.buy(f.performance_id, &f.seat_ids[..1]).await;
    let (id, token, reference) = (
        paid["id"].as_str().unwrap(),
        paid["token"].as_str().unwrap(),
        paid["reference"].as_str().unwrap(),
    );
    for path in [
        format!("/commandes/{id}/{token}"),
        format!("/commandes/{id}?token={token}"),
    ] {
        let r = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store");
        assert!(r.text().await.unwrap().contains(reference), "{path}");
    }
    let wrong = app
        .client
        .get(app.url(&format!("/commandes/{id}/{}", "0".repeat(48))))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 404);
}
both_databases!(order_page, the_order_page_keeps_its_token_out_of_the_query);

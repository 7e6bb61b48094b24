//! The scanner endpoint and the door access rules.
use crate::both_databases;
use crate::helpers::*;
use serde_json::{json, Value};
use std::sync::Arc;

struct Door {
    perf: Fixture,
    token: String,
    supervisor: String,
    codes: Vec<String>,
    numbers: Vec<String>,
    order: Value,
}

/// A performance with a paid order of three tickets, a door access and a supervisor access.
async fn setup(app: &TestApp) -> Door {
    let perf = fixture(app, FixtureSpec::default()).await;
    let order = app.buy(perf.performance_id, &perf.seat_ids[..3]).await;
    let door = &app.uc.door;
    let (_, token) = door
        .create_access(&[perf.performance_id], 4, false, "Entrée principale")
        .await
        .unwrap();
    let (_, supervisor) = door
        .create_access(&[perf.performance_id], 4, true, "Régie")
        .await
        .unwrap();
    let tickets = order["tickets"].as_array().unwrap();
    Door {
        codes: tickets
            .iter()
            .map(|t| t["code"].as_str().unwrap().to_string())
            .collect(),
        numbers: tickets
            .iter()
            .map(|t| t["number"].as_str().unwrap().to_string())
            .collect(),
        perf,
        token,
        supervisor,
        order,
    }
}

fn nonce() -> String {
    format!("{:016x}", rand::random::<u64>())
}

impl TestApp {
    async fn door(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Resp {
        let mut req = match method {
            "GET" => self.client.get(self.url(path)),
            _ => self.client.post(self.url(path)),
        };
        if !token.is_empty() {
            req = req.bearer_auth(token);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        Resp {
            status: r.status().as_u16(),
            body: r.json().await.unwrap_or(Value::Null),
        }
    }

    async fn scan(&self, token: &str, performance_id: i64, code: &str) -> Resp {
        self.door("POST", "/api/v1/scan", token, Some(json!({"code": code, "performance_id": performance_id, "nonce": nonce(), "device": "téléphone 1"})))
            .await
    }
}

async fn valid_then_already_used(app: TestApp) {
    let d = setup(&app).await;
    let first = app.scan(&d.token, d.perf.performance_id, &d.codes[0]).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["status"], "valid");
    assert!(first.body["admission_id"].is_i64());
    let t = &first.body["ticket"];
    assert_eq!(t["number"], d.numbers[0]);
    assert_eq!(t["holder_name"], "Marie Curie");
    assert_eq!(t["seat_label"], "Parterre, rang A, place 1");
    assert_eq!(t["tariff_label"], "Plein tarif");
    assert_eq!(t["order_reference"], d.order["reference"]);

    let again = app.scan(&d.token, d.perf.performance_id, &d.codes[0]).await;
    assert_eq!(again.body["status"], "already_used");
    assert_eq!(
        again.body["first_admission"]["device"], "téléphone 1",
        "names the device that let it in"
    );
    assert!(again.body["first_admission"]["at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));

    let report = app
        .door(
            "GET",
            &format!("/api/v1/performances/{}/checkin", d.perf.performance_id),
            &d.token,
            None,
        )
        .await;
    assert_eq!(report.status, 200);
    assert_eq!(report.body["admitted"], 1);
    assert_eq!(report.body["expected"], 3);
    assert_eq!(report.body["zones"][0]["zone"], "Parterre");
}
both_databases!(valid_then_used, valid_then_already_used);

async fn fifty_devices_one_admission(app: TestApp) {
    let d = setup(&app).await;
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (app, token, code, perf) = (
            app.clone(),
            d.token.clone(),
            d.codes[1].clone(),
            d.perf.performance_id,
        );
        tasks.push(tokio::spawn(
            async move { app.scan(&token, perf, &code).await },
        ));
    }
    let mut valid = 0;
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
        match r.body["status"].as_str().unwrap() {
            "valid" => valid += 1,
            "already_used" => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(
        valid, 1,
        "exactly one of 50 concurrent scans admits the ticket"
    );
}
both_databases!(concurrent_scans, fifty_devices_one_admission);

async fn retried_nonce_gets_first_answer(app: TestApp) {
    let d = setup(&app).await;
    let body = json!({"code": d.codes[0], "performance_id": d.perf.performance_id, "nonce": "retry-1", "device": "A"});
    let first = app
        .door("POST", "/api/v1/scan", &d.token, Some(body.clone()))
        .await;
    let retry = app.door("POST", "/api/v1/scan", &d.token, Some(body)).await;
    assert_eq!(first.body["status"], "valid");
    assert_eq!(
        retry.body["status"], "valid",
        "a retry is not 'already used'"
    );
    assert_eq!(retry.body["admission_id"], first.body["admission_id"]);
    let reused = app
        .door("POST", "/api/v1/scan", &d.token, Some(json!({"code": d.codes[1], "performance_id": d.perf.performance_id, "nonce": "retry-1"})))
        .await;
    assert_eq!(reused.status, 409);
    // The same nonce from another door access is another scan.
    let other = app
        .door("POST", "/api/v1/scan", &d.supervisor, Some(json!({"code": d.codes[1], "performance_id": d.perf.performance_id, "nonce": "retry-1"})))
        .await;
    assert_eq!(other.body["status"], "valid", "{}", other.body);
    // Once undone, replaying the scan does not admit again.
    let id = other.body["admission_id"].as_i64().unwrap();
    let undone = app
        .door(
            "POST",
            &format!("/api/v1/scan/{id}/undo"),
            &d.supervisor,
            None,
        )
        .await;
    assert_eq!(undone.status, 200, "{}", undone.body);
    let replay = app
        .door("POST", "/api/v1/scan", &d.supervisor, Some(json!({"code": d.codes[1], "performance_id": d.perf.performance_id, "nonce": "retry-1"})))
        .await;
    assert_eq!(replay.status, 409, "{}", replay.body);
    assert_eq!(replay.body["error"], "conflict");
}
both_databases!(nonce_retry, retried_nonce_gets_first_answer);

async fn garbage_codes_are_invalid(app: TestApp) {
    let d = setup(&app).await;
    let code = &d.codes[0];
    let mut tampered = code.clone();
    tampered.replace_range(40..41, if &code[40..41] == "A" { "B" } else { "A" });
    // Same payload signed with another key.
    let other = {
        use ed25519_dalek::{Signer, SigningKey};
        let (claims, payload, _) = app::ticket_code::parse_unverified(code).unwrap();
        let sk = SigningKey::from_bytes(&[9; 32]);
        assert_eq!(claims.key_id, 1);
        app::ticket_code::assemble(
            &payload,
            &sk.sign(&app::ticket_code::signing_message(&payload))
                .to_bytes(),
        )
    };
    for (bad, why) in [
        (tampered, "tampered"),
        (code[..100].to_string(), "truncated"),
        (other, "re-signed with another key"),
        (String::new(), "empty"),
        ("A".repeat(10_000), "10 KB"),
        ("' OR 1=1 --".to_string(), "injection"),
    ] {
        let r = app.scan(&d.token, d.perf.performance_id, &bad).await;
        assert_eq!(r.status, 200, "{why}: {}", r.body);
        assert_eq!(r.body["status"], "invalid", "{why}");
        assert!(
            r.body["ticket"].is_null(),
            "{why}: nothing about any ticket leaks"
        );
    }
    let none = app
        .door(
            "POST",
            "/api/v1/scan",
            &d.token,
            Some(json!({"performance_id": d.perf.performance_id, "nonce": nonce()})),
        )
        .await;
    assert_eq!(none.status, 422);
    let no_nonce = app
        .door(
            "POST",
            "/api/v1/scan",
            &d.token,
            Some(json!({"performance_id": d.perf.performance_id, "code": code, "nonce": ""})),
        )
        .await;
    assert_eq!(no_nonce.status, 422);
    assert_eq!(
        app.scan(&d.token, d.perf.performance_id, code).await.body["status"],
        "valid",
        "the genuine code still works"
    );
}
both_databases!(invalid_codes, garbage_codes_are_invalid);

async fn wrong_performance_and_cancelled(app: TestApp) {
    let d = setup(&app).await;
    let other = fixture(&app, FixtureSpec::default()).await;
    let other_order = app.buy(other.performance_id, &other.seat_ids[..1]).await;
    let door = &app.uc.door;
    let (_, both) = door
        .create_access(
            &[d.perf.performance_id, other.performance_id],
            2,
            false,
            "Hall",
        )
        .await
        .unwrap();
    let r = app
        .scan(
            &both,
            d.perf.performance_id,
            other_order["tickets"][0]["code"].as_str().unwrap(),
        )
        .await;
    assert_eq!(r.body["status"], "wrong_performance");
    assert_eq!(
        r.body["ticket_performance"]["id"], other.performance_id,
        "names the right performance"
    );

    let cancelled = door.cancel_ticket(&d.numbers[2]).await.unwrap();
    assert_eq!(cancelled.number, d.numbers[2]);
    let r = app.scan(&d.token, d.perf.performance_id, &d.codes[2]).await;
    assert_eq!(r.body["status"], "cancelled");
    assert_eq!(
        app.seat_status(d.perf.performance_id, d.perf.seat_ids[2])
            .await,
        "free",
        "the seat is on sale again"
    );
    let offline = app
        .door(
            "GET",
            &format!("/api/v1/performances/{}/offline", d.perf.performance_id),
            &d.token,
            None,
        )
        .await;
    assert_eq!(offline.status, 200);
    assert_eq!(offline.body["revoked"].as_array().unwrap().len(), 1);
    assert_eq!(
        offline.body["tickets"].as_array().unwrap().len(),
        3,
        "cancelled tickets keep their number"
    );
    assert_eq!(offline.body["keys"][0]["algorithm"], "ed25519");
}
both_databases!(wrong_perf_cancelled, wrong_performance_and_cancelled);

async fn door_token_reaches_only_its_performances(app: TestApp) {
    let d = setup(&app).await;
    let other = fixture(&app, FixtureSpec::default()).await;
    let p = d.perf.performance_id;
    assert_eq!(app.scan("", p, &d.codes[0]).await.status, 401);
    assert_eq!(app.scan("not-a-token", p, &d.codes[0]).await.status, 401);
    for path in [
        format!("/api/v1/performances/{}/checkin", other.performance_id),
        format!(
            "/api/v1/performances/{}/attendees?q=Marie",
            other.performance_id
        ),
        format!("/api/v1/performances/{}/offline", other.performance_id),
    ] {
        assert_eq!(
            app.door("GET", &path, &d.token, None).await.status,
            403,
            "{path}"
        );
    }
    assert_eq!(
        app.scan(&d.token, other.performance_id, &d.codes[0])
            .await
            .status,
        403
    );
    let me = app.door("GET", "/api/v1/door/me", &d.token, None).await;
    assert_eq!(me.body["performances"].as_array().unwrap().len(), 1);
    assert_eq!(me.body["supervisor"], false);

    // Undo: supervisors only; then the ticket can be admitted again.
    let admitted = app.scan(&d.token, p, &d.codes[0]).await;
    let id = admitted.body["admission_id"].as_i64().unwrap();
    assert_eq!(
        app.door("POST", &format!("/api/v1/scan/{id}/undo"), &d.token, None)
            .await
            .status,
        403
    );
    assert_eq!(
        app.door(
            "POST",
            &format!("/api/v1/scan/{id}/undo"),
            &d.supervisor,
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.door(
            "POST",
            &format!("/api/v1/scan/{id}/undo"),
            &d.supervisor,
            None
        )
        .await
        .status,
        409
    );
    assert_eq!(
        app.scan(&d.token, p, &d.codes[0]).await.body["status"],
        "valid"
    );

    // A revoked access stops working.
    let door = &app.uc.door;
    let (rid, revoked) = door.create_access(&[p], 1, false, "Perdu").await.unwrap();
    assert!(door.revoke_access(rid).await.unwrap());
    assert_eq!(app.scan(&revoked, p, &d.codes[1]).await.status, 401);

    // A number typed for another performance says nothing about its buyer.
    let theirs = app.buy(other.performance_id, &other.seat_ids[..1]).await;
    let number = theirs["tickets"][0]["number"].as_str().unwrap();
    let leak = app
        .door(
            "POST",
            "/api/v1/scan",
            &d.token,
            Some(json!({"ticket_number": number, "performance_id": p, "nonce": nonce()})),
        )
        .await;
    assert_eq!(leak.status, 200);
    assert_eq!(leak.body["status"], "wrong_performance");
    assert!(
        leak.body["ticket"].is_null() && leak.body["ticket_performance"].is_null(),
        "{}",
        leak.body
    );
    // Undo asks who before looking anything up.
    assert_eq!(
        app.door("POST", "/api/v1/scan/999999/undo", "not-a-token", None)
            .await
            .status,
        401
    );
}
both_databases!(token_scope, door_token_reaches_only_its_performances);

/// Two app servers on one PostgreSQL: a door access revoked through one stops working on the
/// other within a second, although the other had it in its cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL not set at build time"
)]
async fn revocation_reaches_every_server_within_a_second() {
    let a = spawn_app(Db::Postgres).await.expect("TEST_DATABASE_URL");
    let b = a.second_server().await;
    let d = setup(&a).await;
    let p = d.perf.performance_id;
    let (id, token) =
        a.uc.door
            .create_access(&[p], 1, false, "Porte B")
            .await
            .unwrap();
    assert_eq!(b.scan(&token, p, &d.codes[0]).await.body["status"], "valid");
    assert!(a.uc.door.revoke_access(id).await.unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(b.scan(&token, p, &d.codes[1]).await.status, 401);
}

async fn manual_entry_search_and_offline_sync(app: TestApp) {
    let d = setup(&app).await;
    let p = d.perf.performance_id;
    let manual = app
        .door("POST", "/api/v1/scan", &d.token, Some(json!({"ticket_number": d.numbers[1].to_lowercase(), "performance_id": p, "nonce": nonce()})))
        .await;
    assert_eq!(manual.body["status"], "valid", "{}", manual.body);
    let unknown = app
        .door(
            "POST",
            "/api/v1/scan",
            &d.token,
            Some(
                json!({"ticket_number": "TST-PLEIN-999999", "performance_id": p, "nonce": nonce()}),
            ),
        )
        .await;
    assert_eq!(unknown.body["status"], "invalid");

    let by_name = app
        .door(
            "GET",
            &format!("/api/v1/performances/{p}/attendees?q=curie"),
            &d.token,
            None,
        )
        .await;
    assert_eq!(by_name.body.as_array().unwrap().len(), 3);
    let reference = d.order["reference"].as_str().unwrap();
    let by_ref = app
        .door(
            "GET",
            &format!("/api/v1/performances/{p}/attendees?q={reference}"),
            &d.token,
            None,
        )
        .await;
    assert_eq!(by_ref.body.as_array().unwrap().len(), 3);
    assert!(
        by_ref
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["admitted"]["device"].is_string()),
        "shows who is already in"
    );
    assert_eq!(
        app.door(
            "GET",
            &format!("/api/v1/performances/{p}/attendees?q=x"),
            &d.token,
            None
        )
        .await
        .status,
        422
    );

    // Two phones let the same ticket in while offline, then sync: one admission, one conflict.
    let at = |secs: i64| app::dto::Ts(now() - secs);
    let a = json!({"code": d.codes[0], "performance_id": p, "nonce": nonce(), "device": "phone-A", "offline": true, "scanned_at": at(120)});
    let b = json!({"code": d.codes[0], "performance_id": p, "nonce": nonce(), "device": "phone-B", "offline": true, "scanned_at": at(90)});
    assert_eq!(
        app.door("POST", "/api/v1/scan", &d.token, Some(a))
            .await
            .body["status"],
        "valid"
    );
    let second = app.door("POST", "/api/v1/scan", &d.token, Some(b)).await;
    assert_eq!(second.body["status"], "already_used");
    assert_eq!(second.body["first_admission"]["device"], "phone-A");
    let report = app
        .door(
            "GET",
            &format!("/api/v1/performances/{p}/checkin"),
            &d.token,
            None,
        )
        .await;
    let conflicts = report.body["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{}", report.body);
    assert_eq!(conflicts[0]["device"], "phone-B");
    assert_eq!(conflicts[0]["first_device"], "phone-A");
    assert_eq!(report.body["admitted"], 2);
}
both_databases!(manual_and_offline, manual_entry_search_and_offline_sync);

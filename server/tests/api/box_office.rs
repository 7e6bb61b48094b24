//! Counter sales through the JSON API, on both engines: two walk-in seats in cash with change,
//! split payments that must add up (nothing sold otherwise), an invitation with its reason, a
//! reservation paid later; what the tickets and the seat map say afterwards.
use crate::both_databases;
use crate::helpers::*;
use crate::staff::{account, send, session};
use serde_json::{json, Value};

fn seat_status(map: &Value, id: i64) -> String {
    map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()["status"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn counter_sales(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "caisse@ville.fr", "box_office").await;
    account(&app, "porte@ville.fr", "door").await;
    let agent = session(&app, "caisse@ville.fr").await;
    let (a, b) = (f.seat_ids[0], f.seat_ids[1]);
    let sale = |seats: &[i64], tariffs: &[&str], payments: Value| {
        json!({"performance_id": f.performance_id, "seat_ids": seats,
               "tickets": seats.iter().zip(tariffs).map(|(s, t)| json!({"seat_id": s, "tariff": t})).collect::<Vec<_>>(),
               "payments": payments, "desk": "guichet-1"})
    };

    // The counter lists the day's performances with what is left.
    let map = app.seatmap(f.performance_id).await;
    let starts =
        chrono::DateTime::parse_from_rfc3339(map["performance"]["starts_at"].as_str().unwrap())
            .unwrap()
            .timestamp();
    let day = app::domain::paris::day_key(starts);
    let listed = send(
        &app,
        "GET",
        &format!("/api/v1/box-office/performances?date={day}"),
        None,
        &agent,
    )
    .await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    let mine = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == f.performance_id)
        .unwrap()
        .clone();
    assert_eq!(
        (mine["on_sale"].clone(), mine["available"].clone()),
        (json!(true), json!(20))
    );
    let bad_day = send(
        &app,
        "GET",
        "/api/v1/box-office/performances?date=demain",
        None,
        &agent,
    )
    .await;
    assert_eq!(bad_day.status, 422);

    // Two walk-in seats, 40 € handed 50 € in cash: 10 € back.
    let sold = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&sale(
            &[a, b],
            &["plein", "plein"],
            json!([{"method": "cash", "amount_cents": 4000, "tendered_cents": 5000}]),
        )),
        &agent,
    )
    .await;
    assert_eq!(sold.status, 201, "{:?}", sold.body);
    assert_eq!(sold.body["change_due_cents"], 1000);
    assert_eq!(sold.body["desk"], "guichet-1");
    assert_eq!(sold.body["agent"], "Agent box_office");
    let order = &sold.body["order"];
    assert_eq!(order["status"], "paid");
    assert_eq!(order["tickets"].as_array().unwrap().len(), 2);
    assert!(order["tickets"][0]["number"]
        .as_str()
        .unwrap()
        .contains("-PLEIN-"));
    // The tickets print from the order's link, like any other order.
    let pdf = app
        .client
        .get(app.url(&format!(
            "/api/v1/orders/{}/tickets.pdf?token={}",
            order["id"].as_str().unwrap(),
            order["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let map = app.seatmap(f.performance_id).await;
    assert_eq!(
        (seat_status(&map, a), seat_status(&map, b)),
        ("sold".into(), "sold".into())
    );

    // Split payments must add up; otherwise nothing is sold and the seats stay free.
    let c = f.seat_ids[2];
    let short = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&sale(&[c], &["plein"], json!([{"method": "pass_culture", "amount_cents": 1000}, {"method": "card", "amount_cents": 500}]))),
        &agent,
    )
    .await;
    assert_eq!(
        (short.status, short.body["error"].as_str()),
        (422, Some("validation"))
    );
    assert_eq!(
        short.body["message"],
        "Les paiements (15\u{a0}€) ne font pas le total (20\u{a0}€)."
    );
    assert_eq!(seat_status(&app.seatmap(f.performance_id).await, c), "free");
    let tendered = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&sale(
            &[c],
            &["plein"],
            json!([{"method": "card", "amount_cents": 2000, "tendered_cents": 5000}]),
        )),
        &agent,
    )
    .await;
    assert_eq!(tendered.status, 422);
    let split = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&sale(&[c], &["plein"], json!([{"method": "pass_culture", "amount_cents": 1500}, {"method": "card", "amount_cents": 500}]))),
        &agent,
    )
    .await;
    assert_eq!(split.status, 201, "{:?}", split.body);
    assert_eq!(split.body["payments"].as_array().unwrap().len(), 2);

    // A seat sold twice: the second sale is refused, nothing paid.
    let again = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&sale(
            &[a],
            &["plein"],
            json!([{"method": "cash", "amount_cents": 2000}]),
        )),
        &agent,
    )
    .await;
    assert_eq!(
        (again.status, again.body["error"].as_str()),
        (409, Some("seats_taken"))
    );

    // An invitation: free, with its reason.
    let d = f.seat_ids[3];
    let mut free = sale(&[d], &["plein"], json!([]));
    free["tickets"][0]["tariff"] = json!("enfant");
    let refused = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&free),
        &agent,
    )
    .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert_eq!(
        refused.body["message"],
        "Une invitation gratuite demande un motif."
    );
    free["reason"] = json!("Invitation presse");
    let invited = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&free),
        &agent,
    )
    .await;
    assert_eq!(invited.status, 201, "{:?}", invited.body);
    assert_eq!(invited.body["order"]["total_cents"], 0);

    // A reservation, paid later by cheque.
    let e = f.seat_ids[4];
    let kept = send(
        &app,
        "POST",
        "/api/v1/box-office/reservations",
        Some(&json!({"performance_id": f.performance_id, "seat_ids": [e],
                     "tickets": [{"seat_id": e, "tariff": "reduit"}],
                     "buyer": {"name": "Jeanne Moreau", "email": "jeanne@exemple.fr"}, "hold_minutes": 120})),
        &agent,
    )
    .await;
    assert_eq!(kept.status, 201, "{:?}", kept.body);
    assert_eq!(kept.body["status"], "awaiting_payment");
    assert_eq!(seat_status(&app.seatmap(f.performance_id).await, e), "held");
    let id = kept.body["id"].as_str().unwrap();
    let paid = send(
        &app,
        "POST",
        &format!("/api/v1/box-office/orders/{id}/payments"),
        Some(&json!({"payments": [{"method": "cheque", "amount_cents": 1500}]})),
        &agent,
    )
    .await;
    assert_eq!(paid.status, 200, "{:?}", paid.body);
    assert_eq!(paid.body["order"]["status"], "paid");
    let twice = send(
        &app,
        "POST",
        &format!("/api/v1/box-office/orders/{id}/payments"),
        Some(&json!({"payments": [{"method": "cheque", "amount_cents": 1500}]})),
        &agent,
    )
    .await;
    assert_eq!(twice.status, 409);

    // Door staff do not sell; bad input is a 4xx.
    let door = session(&app, "porte@ville.fr").await;
    let g = f.seat_ids[5];
    let forbidden = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&sale(
            &[g],
            &["plein"],
            json!([{"method": "cash", "amount_cents": 2000}]),
        )),
        &door,
    )
    .await;
    assert_eq!(forbidden.status, 403);
    let unknown_method = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(&sale(
            &[g],
            &["plein"],
            json!([{"method": "bitcoin", "amount_cents": 2000}]),
        )),
        &agent,
    )
    .await;
    assert_eq!(unknown_method.status, 400);
    assert_eq!(seat_status(&app.seatmap(f.performance_id).await, g), "free");
}
both_databases!(the_box_office_sells_at_the_counter, counter_sales);

/// Seats blocked for one performance: off the sale at once (online, at the counter, for the
/// best-seat choice), shown blocked on the live map, counted blocked on the statement; all or
/// none; released back on sale.
async fn blocked_seats(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let s = &f.seat_ids;
    crate::staff::account(&app, "caisse@ville.fr", "box_office").await;
    let agent = crate::staff::session(&app, "caisse@ville.fr").await;
    let blocks = format!(
        "/api/v1/box-office/performances/{}/blocks",
        f.performance_id
    );
    let block = |seats: Vec<i64>, reason: &str| json!({"seat_ids": seats, "reason": reason});
    let done = crate::staff::send(
        &app,
        "POST",
        &blocks,
        Some(&block(vec![s[0], s[1]], "house")),
        &agent,
    )
    .await;
    assert_eq!(done.status, 201, "{:?}", done.body);
    assert_eq!(done.body["blocked"].as_array().unwrap().len(), 2);
    assert_eq!(done.body["blocked"][0]["reason"], "house");
    let map = app.seatmap(f.performance_id).await;
    let status = |map: &serde_json::Value, id: i64| {
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(&map, s[0]), "blocked");
    // Nobody takes them: a buyer, the counter.
    let hold = app.hold(f.performance_id, &[s[0]]).await;
    assert_eq!(hold.status, 409, "{:?}", hold.body);
    let sale = crate::staff::send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(
            &json!({"performance_id": f.performance_id, "seat_ids": [s[1]],
                     "tickets": [{"seat_id": s[1], "tariff": "plein"}],
                     "payments": [{"method": "cash", "amount_cents": 2000}]}),
        ),
        &agent,
    )
    .await;
    assert_eq!(sale.status, 409, "{:?}", sale.body);
    // All or none: one seat blocked already refuses the lot.
    let again = crate::staff::send(
        &app,
        "POST",
        &blocks,
        Some(&block(vec![s[1], s[2]], "press")),
        &agent,
    )
    .await;
    assert_eq!(again.status, 409, "{:?}", again.body);
    assert_eq!(again.body["seat_ids"], json!([s[1]]));
    let map = app.seatmap(f.performance_id).await;
    assert_eq!(status(&map, s[2]), "free");
    let bad = crate::staff::send(
        &app,
        "POST",
        &blocks,
        Some(&block(vec![s[3]], "mayor")),
        &agent,
    )
    .await;
    assert!(
        [400, 422].contains(&bad.status),
        "{} {:?}",
        bad.status,
        bad.body
    );
    // The statement counts them blocked.
    let st = crate::staff::send(
        &app,
        "GET",
        &format!(
            "/api/v1/box-office/performances/{}/statement",
            f.performance_id
        ),
        None,
        &agent,
    )
    .await;
    assert_eq!(st.body["seats"][0]["blocked"], 2, "{:?}", st.body["seats"]);
    // Released: back on sale; a seat that was not blocked is not "released".
    let released = crate::staff::send(
        &app,
        "POST",
        &format!("{blocks}/release"),
        Some(&json!({"seat_ids": [s[0], s[5]]})),
        &agent,
    )
    .await;
    assert_eq!(released.status, 200, "{:?}", released.body);
    assert_eq!(released.body["changed"], json!([s[0]]));
    let listed = crate::staff::send(&app, "GET", &blocks, None, &agent).await;
    assert_eq!(listed.body["blocked"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["blocked"][0]["seat_id"], s[1]);
    let hold = app.hold(f.performance_id, &[s[0]]).await;
    assert_eq!(hold.status, 201, "{:?}", hold.body);
}
both_databases!(blocks, blocked_seats);

/// Exports: the orders of a period a page at a time (a total and a cursor, for a progress
/// bar) and as one streamed CSV; a performance's attendees as CSV with who came in.
async fn exports(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let mut refs = Vec::new();
    for seats in [&f.seat_ids[0..1], &f.seat_ids[1..3], &f.seat_ids[3..4]] {
        let o = app.buy(f.performance_id, seats).await;
        refs.push(o["reference"].as_str().unwrap().to_string());
    }
    account(&app, "caisse@ville.fr", "box_office").await;
    let agent = session(&app, "caisse@ville.fr").await;
    let today = app::domain::paris::day_key(now());
    let base = format!("/api/v1/box-office/exports/orders?from={today}&to={today}&limit=2");
    let first = send(&app, "GET", &base, None, &agent).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(first.body["total"], 3);
    assert_eq!(first.body["rows"].as_array().unwrap().len(), 2);
    let next = first.body["next"].as_str().unwrap().to_string();
    let second = send(&app, "GET", &format!("{base}&after={next}"), None, &agent).await;
    assert_eq!(second.status, 200, "{:?}", second.body);
    assert_eq!(second.body["rows"].as_array().unwrap().len(), 1);
    assert!(second.body["next"].is_null());
    let mut seen: Vec<String> = first.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second.body["rows"].as_array().unwrap())
        .map(|r| r["reference"].as_str().unwrap().to_string())
        .collect();
    seen.sort();
    refs.sort();
    assert_eq!(seen, refs, "every order once");
    let bad = send(&app, "GET", &format!("{base}&after=x'--"), None, &agent).await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);

    let csv = app
        .client
        .get(app.url(&format!(
            "/api/v1/box-office/exports/orders.csv?from={today}&to={today}"
        )))
        .header("cookie", crate::journal::cookie(&agent))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["x-total-count"], "3");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("\u{feff}Référence;"), "{text}");
    assert_eq!(text.lines().count(), 4, "{text}");
    for r in &refs {
        assert!(text.contains(&format!("{r};")), "{r} in {text}");
    }

    let attendees = app
        .client
        .get(app.url(&format!(
            "/api/v1/box-office/performances/{}/attendees.csv",
            f.performance_id
        )))
        .header("cookie", crate::journal::cookie(&agent))
        .send()
        .await
        .unwrap();
    assert_eq!(attendees.status(), 200);
    let text = attendees.text().await.unwrap();
    assert_eq!(text.lines().count(), 5, "a header and four tickets: {text}");
    assert!(
        text.contains(";valide;non;Parterre, rang A, place 1;"),
        "{text}"
    );
}
both_databases!(export, exports);

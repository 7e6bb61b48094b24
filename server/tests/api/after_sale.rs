//! After a sale, through the JSON API on both engines: a box office agent cancels one ticket
//! of an online order (the door answers `cancelled` at once, the seat is on sale again), gives
//! its price back, and cannot give back more than was paid; the journal holds both acts.
use crate::both_databases;
use crate::helpers::*;
use crate::staff::{account, send, session};
use serde_json::json;

async fn cancel_and_refund(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let order = app.buy(f.performance_id, &f.seat_ids[..2]).await;
    let id = order["id"].as_str().unwrap().to_string();
    let ticket = &order["tickets"][0];
    let price = ticket["price_cents"].as_i64().unwrap();
    let total = order["total_cents"].as_i64().unwrap();
    account(&app, "caisse@ville.fr", "box_office").await;
    let agent = session(&app, "caisse@ville.fr").await;
    let (_, door_token) = app
        .uc
        .door
        .create_access(&[f.performance_id], 4, false, "Entrée")
        .await
        .unwrap();

    let bad = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{id}/cancel"),
        Some(&json!({"ticket_ids": [ticket["id"]], "reason": ""})),
        &agent,
    )
    .await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    assert_eq!(bad.body["error"], "validation");
    let done = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{id}/cancel"),
        Some(
            &json!({"ticket_ids": [ticket["id"]], "reason": "erreur de date", "desk": "guichet-1"}),
        ),
        &agent,
    )
    .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert_eq!(done.body["cancelled"], json!([ticket["number"]]));
    assert_eq!(done.body["order"]["tickets"][0]["status"], "cancelled");
    let again = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{id}/cancel"),
        Some(&json!({"ticket_ids": [ticket["id"]], "reason": "encore"})),
        &agent,
    )
    .await;
    assert_eq!(again.status, 409, "{:?}", again.body);

    // The door refuses it at once; its seat is on sale again.
    let scan = app
        .client
        .post(app.url("/api/v1/scan"))
        .bearer_auth(&door_token)
        .json(
            &json!({"code": ticket["code"], "performance_id": f.performance_id,
                      "nonce": "after-sale-1", "device": "téléphone"}),
        )
        .send()
        .await
        .unwrap();
    let scan: serde_json::Value = scan.json().await.unwrap();
    assert_eq!(scan["status"], "cancelled", "{scan:?}");
    let map = app.seatmap(f.performance_id).await;
    let seat = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == f.seat_ids[0])
        .unwrap();
    assert_eq!(seat["status"], "free", "{seat:?}");

    // Money back: never more than was paid.
    let too_much = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{id}/refunds"),
        Some(&json!({"amount_cents": total + 1, "method": "cash"})),
        &agent,
    )
    .await;
    assert_eq!(too_much.status, 422, "{:?}", too_much.body);
    assert!(too_much.body["message"]
        .as_str()
        .unwrap()
        .contains("remboursable"));
    let refunded = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{id}/refunds"),
        Some(&json!({"amount_cents": price, "method": "card", "reason": "erreur de date"})),
        &agent,
    )
    .await;
    assert_eq!(refunded.status, 201, "{:?}", refunded.body);
    assert_eq!(refunded.body["refunded_cents"], price);
    assert_eq!(refunded.body["refundable_cents"], total - price);

    // The agent finds the order by a scanned code, a ticket number or the buyer's name, and
    // opens it: the refund is on its file.
    let second = &order["tickets"][1];
    for q in [
        second["code"].as_str().unwrap().to_string(),
        second["number"].as_str().unwrap().to_string(),
        order["buyer"]["name"].as_str().unwrap().to_lowercase(),
    ] {
        let mut url = reqwest::Url::parse("http://x/api/v1/box-office/orders").unwrap();
        url.query_pairs_mut().append_pair("q", &q);
        let path = format!("{}?{}", url.path(), url.query().unwrap());
        let found = send(&app, "GET", &path, None, &agent).await;
        assert_eq!(found.status, 200, "{q}: {:?}", found.body);
        assert!(
            found
                .body
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["id"] == id.as_str()),
            "{q}: {:?}",
            found.body
        );
    }
    let file = send(
        &app,
        "GET",
        &format!("/api/v1/box-office/orders/{id}"),
        None,
        &agent,
    )
    .await;
    assert_eq!(file.status, 200, "{:?}", file.body);
    assert_eq!(file.body["payments"][0]["amount_cents"], -price);
    assert_eq!(file.body["refundable_cents"], total - price);

    let check = send(
        &app,
        "GET",
        "/api/v1/box-office/journal/check",
        None,
        &agent,
    )
    .await;
    assert_eq!(check.body["ok"], true, "{:?}", check.body);
    assert_eq!(
        check.body["entries"], 3,
        "the online sale, a cancellation and a refund"
    );
    // Today's X reading: the refund by card, one ticket taken back.
    let x = send(
        &app,
        "GET",
        "/api/v1/box-office/journal/reading",
        None,
        &agent,
    )
    .await;
    assert_eq!(x.status, 200, "{:?}", x.body);
    assert_eq!(x.body["totals_by_method"]["card"], -price, "{:?}", x.body);
    assert_eq!(x.body["totals_by_method"]["online"], total, "{:?}", x.body);
    assert_eq!(x.body["tickets_cancelled"], 1, "{:?}", x.body);
    assert_eq!(x.body["seq"], 0, "written nowhere");
    // The performance's statement: two tickets issued, one cancelled, one's receipts.
    let st = send(
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
    assert_eq!(st.status, 200, "{:?}", st.body);
    assert_eq!(st.body["totals"]["issued"], 2, "{:?}", st.body);
    assert_eq!(st.body["totals"]["cancelled"], 1);
    assert_eq!(st.body["totals"]["receipts_cents"], total - price);
    assert_eq!(st.body["channels"][0]["channel"], "online");
    for (file, kind, start) in [
        ("statement.pdf", "application/pdf", &b"%PDF-"[..]),
        (
            "statement.csv",
            "text/csv; charset=utf-8",
            "\u{feff}Relevé".as_bytes(),
        ),
    ] {
        let res = app
            .client
            .get(app.url(&format!(
                "/api/v1/box-office/performances/{}/{file}",
                f.performance_id
            )))
            .header("cookie", crate::journal::cookie(&agent))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{file}");
        assert_eq!(res.headers()["content-type"], kind);
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with(start), "{file}");
    }
    // Today's sales: the ticket left, online.
    let today = app::domain::paris::day_key(now());
    let report = send(
        &app,
        "GET",
        &format!("/api/v1/box-office/reports/sales?from={today}&to={today}"),
        None,
        &agent,
    )
    .await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(
        report.body["days"][0]["online_tickets"], 1,
        "{:?}",
        report.body
    );
    assert_eq!(report.body["occupancy"][0]["sold"], 1);
    let bad = send(
        &app,
        "GET",
        &format!("/api/v1/box-office/reports/sales?from={today}&to=hier"),
        None,
        &agent,
    )
    .await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    // `guichet check` still finds the sales sound.
    let sound = app.guichet(&["check"]);
    assert!(
        sound.status.success(),
        "{}",
        String::from_utf8_lossy(&sound.stdout)
    );
}
both_databases!(cancel_refund, cancel_and_refund);

/// Two desks refund the whole of one order at the same moment: one refund goes through, the
/// other is refused, and never more than was paid is given back.
async fn racing_refunds(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let order = app.buy(f.performance_id, &f.seat_ids[..2]).await;
    let id = order["id"].as_str().unwrap().to_string();
    let total = order["total_cents"].as_i64().unwrap();
    account(&app, "caisse1@ville.fr", "box_office").await;
    account(&app, "caisse2@ville.fr", "box_office").await;
    let (a, b) = (
        session(&app, "caisse1@ville.fr").await,
        session(&app, "caisse2@ville.fr").await,
    );
    let body = json!({"amount_cents": total.min(5000), "method": "cash"});
    let path = format!("/api/v1/orders/{id}/refunds");
    let (one, two) = tokio::join!(
        send(&app, "POST", &path, Some(&body), &a),
        send(&app, "POST", &path, Some(&body), &b)
    );
    let mut statuses = [one.status, two.status];
    statuses.sort_unstable();
    if total.min(5000) * 2 <= total {
        // Both fit in what was paid: both go through.
        assert_eq!(statuses, [201, 201]);
    } else {
        assert_eq!(statuses[0], 201, "{:?} {:?}", one.body, two.body);
        assert!(
            [409, 422].contains(&statuses[1]),
            "{:?} {:?}",
            one.body,
            two.body
        );
    }
    let file = send(
        &app,
        "GET",
        &format!("/api/v1/box-office/orders/{id}"),
        None,
        &a,
    )
    .await;
    assert!(
        file.body["refunded_cents"].as_i64().unwrap() <= total,
        "{:?}",
        file.body
    );
    assert!(file.body["refundable_cents"].as_i64().unwrap() >= 0);
}
both_databases!(refund_race, racing_refunds);

/// Exchanges at the counter: a seat for a cheaper one of the same performance (the difference
/// given back), a ticket for another date of the show (even), then a dearer one (the difference
/// paid in cash, with change). A taken seat, payments that do not add up and another show are
/// refused with nothing written; the door refuses the tickets given back; the journal holds
/// one exchange entry per exchange and the old order has nothing left to give back.
async fn exchanges(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let later = fixture(&app, FixtureSpec::default()).await;
    let other = fixture(
        &app,
        FixtureSpec {
            show: "Un autre spectacle",
            ..Default::default()
        },
    )
    .await;
    let order = app.buy(f.performance_id, &f.seat_ids[..2]).await;
    let id = order["id"].as_str().unwrap().to_string();
    let (first, second) = (&order["tickets"][0], &order["tickets"][1]);
    assert_eq!(order["total_cents"], 4000, "two plein seats");
    account(&app, "caisse@ville.fr", "box_office").await;
    let agent = session(&app, "caisse@ville.fr").await;
    let path = format!("/api/v1/orders/{id}/exchange");
    let post = |body: serde_json::Value| {
        let (app, agent, path) = (&app, &agent, path.clone());
        async move { send(app, "POST", &path, Some(&body), agent).await }
    };

    // A seat already sold: refused, nothing written.
    let taken = post(
        json!({"ticket_ids": [first["id"]], "seat_ids": [f.seat_ids[1]],
                            "tickets": [{"seat_id": f.seat_ids[1], "tariff": "plein"}],
                            "reason": "mieux placé"}),
    )
    .await;
    assert_eq!(taken.status, 409, "{:?}", taken.body);
    // Cheaper: say how the difference goes back.
    let cheaper = json!({"ticket_ids": [first["id"]], "seat_ids": [f.seat_ids[5]],
                         "tickets": [{"seat_id": f.seat_ids[5], "tariff": "reduit"}],
                         "reason": "tarif réduit oublié"});
    let no_means = post(cheaper.clone()).await;
    assert_eq!(no_means.status, 422, "{:?}", no_means.body);
    assert!(no_means.body["message"]
        .as_str()
        .unwrap()
        .contains("différence"));
    let mut with_means = cheaper.clone();
    with_means["difference_method"] = json!("cash");
    let moved = post(with_means).await;
    assert_eq!(moved.status, 201, "{:?}", moved.body);
    assert_eq!(moved.body["credit_cents"], 1500);
    assert_eq!(moved.body["difference_cents"], -500);
    assert_eq!(moved.body["cancelled"], json!([first["number"]]));
    assert_eq!(moved.body["order"]["status"], "paid");
    let reduced = moved.body["order"].clone();
    assert_eq!(reduced["tickets"][0]["tariff"], "reduit");
    let map = app.seatmap(f.performance_id).await;
    let status = |id: i64| {
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(f.seat_ids[0]), "free");
    assert_eq!(status(f.seat_ids[5]), "sold");
    // The ticket given back is refused at the door.
    let (_, door_token) = app
        .uc
        .door
        .create_access(&[f.performance_id], 4, false, "Entrée")
        .await
        .unwrap();
    let scan: serde_json::Value = app
        .client
        .post(app.url("/api/v1/scan"))
        .bearer_auth(&door_token)
        .json(
            &json!({"code": first["code"], "performance_id": f.performance_id,
                      "nonce": "exchange-1", "device": "téléphone"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(scan["status"], "cancelled", "{scan:?}");

    // Another show: refused.
    let elsewhere = post(
        json!({"ticket_ids": [second["id"]], "performance_id": other.performance_id,
                                "seat_ids": [other.seat_ids[0]],
                                "tickets": [{"seat_id": other.seat_ids[0], "tariff": "plein"}],
                                "reason": "autre spectacle"}),
    )
    .await;
    assert_eq!(elsewhere.status, 409, "{:?}", elsewhere.body);
    // Another date of the same show, same price: nothing to pay, and no payment may be given.
    let even = json!({"ticket_ids": [second["id"]], "performance_id": later.performance_id,
                      "seat_ids": [later.seat_ids[0]],
                      "tickets": [{"seat_id": later.seat_ids[0], "tariff": "plein"}],
                      "reason": "autre date"});
    let mut paying = even.clone();
    paying["payments"] = json!([{"method": "cash", "amount_cents": 100}]);
    let refused = post(paying).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let dated = post(even).await;
    assert_eq!(dated.status, 201, "{:?}", dated.body);
    assert_eq!(dated.body["difference_cents"], 0);
    assert_eq!(dated.body["credit_cents"], 2000);

    // The old order has nothing left to give back.
    let file = send(
        &app,
        "GET",
        &format!("/api/v1/box-office/orders/{id}"),
        None,
        &agent,
    )
    .await;
    assert_eq!(file.body["refundable_cents"], 0, "{:?}", file.body);
    assert_eq!(file.body["exchanges"].as_array().unwrap().len(), 2);
    assert_eq!(file.body["exchanges"][0]["direction"], "out");
    let nothing = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{id}/refunds"),
        Some(&json!({"amount_cents": 1, "method": "cash"})),
        &agent,
    )
    .await;
    assert_eq!(nothing.status, 422, "{:?}", nothing.body);

    // Dearer: the reduced ticket for a plein seat of the later date, 5 € more in cash.
    let reduced_id = reduced["id"].as_str().unwrap();
    let dearer = |payments: serde_json::Value| {
        json!({"ticket_ids": [reduced["tickets"][0]["id"]], "performance_id": later.performance_id,
               "seat_ids": [later.seat_ids[1]],
               "tickets": [{"seat_id": later.seat_ids[1], "tariff": "plein"}],
               "payments": payments, "reason": "plein tarif", "desk": "guichet-2"})
    };
    let short = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{reduced_id}/exchange"),
        Some(&dearer(json!([{"method": "cash", "amount_cents": 300}]))),
        &agent,
    )
    .await;
    assert_eq!(short.status, 422, "{:?}", short.body);
    let paid = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{reduced_id}/exchange"),
        Some(&dearer(
            json!([{"method": "cash", "amount_cents": 500, "tendered_cents": 1000}]),
        )),
        &agent,
    )
    .await;
    assert_eq!(paid.status, 201, "{:?}", paid.body);
    assert_eq!(paid.body["difference_cents"], 500);
    assert_eq!(paid.body["change_due_cents"], 500);
    assert_eq!(paid.body["order"]["total_cents"], 2000);
    // What the refused attempts held is on sale again.
    let later_map = app.seatmap(later.performance_id).await;
    let sold: Vec<_> = later_map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] != "free")
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(sold, vec![later.seat_ids[0], later.seat_ids[1]]);

    let check = send(
        &app,
        "GET",
        "/api/v1/box-office/journal/check",
        None,
        &agent,
    )
    .await;
    assert_eq!(check.body["ok"], true, "{:?}", check.body);
    assert_eq!(
        check.body["entries"], 4,
        "the online sale, then one entry per exchange"
    );
    let x = send(
        &app,
        "GET",
        "/api/v1/box-office/journal/reading",
        None,
        &agent,
    )
    .await;
    assert_eq!(x.body["totals_by_method"]["cash"], 0, "{:?}", x.body);
    let sound = app.guichet(&["check"]);
    assert!(
        sound.status.success(),
        "{}",
        String::from_utf8_lossy(&sound.stdout)
    );
}
both_databases!(exchange, exchanges);

/// Two desks exchange the same ticket at the same moment: one exchange goes through, the
/// other is refused with nothing written — its new seat is on sale again and the journal holds
/// one exchange.
async fn racing_exchanges(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let order = app.buy(f.performance_id, &f.seat_ids[..1]).await;
    let id = order["id"].as_str().unwrap().to_string();
    let ticket = order["tickets"][0]["id"].clone();
    account(&app, "caisse1@ville.fr", "box_office").await;
    account(&app, "caisse2@ville.fr", "box_office").await;
    let (a, b) = (
        session(&app, "caisse1@ville.fr").await,
        session(&app, "caisse2@ville.fr").await,
    );
    let to = |seat: i64| {
        json!({"ticket_ids": [ticket], "seat_ids": [seat],
               "tickets": [{"seat_id": seat, "tariff": "plein"}], "reason": "autre place"})
    };
    let path = format!("/api/v1/orders/{id}/exchange");
    let (body_a, body_b) = (to(f.seat_ids[4]), to(f.seat_ids[5]));
    let (one, two) = tokio::join!(
        send(&app, "POST", &path, Some(&body_a), &a),
        send(&app, "POST", &path, Some(&body_b), &b)
    );
    let mut statuses = [one.status, two.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "{:?} {:?}", one.body, two.body);
    let (won, lost) = if one.status == 201 {
        (f.seat_ids[4], f.seat_ids[5])
    } else {
        (f.seat_ids[5], f.seat_ids[4])
    };
    let map = app.seatmap(f.performance_id).await;
    let status = |seat: i64| {
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == seat)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(won), "sold");
    assert_eq!(status(lost), "free");
    assert_eq!(status(f.seat_ids[0]), "free");
    let check = send(&app, "GET", "/api/v1/box-office/journal/check", None, &a).await;
    assert_eq!(check.body["ok"], true, "{:?}", check.body);
    assert_eq!(check.body["entries"], 2, "the online sale and one exchange");
}
both_databases!(exchange_race, racing_exchanges);

use crate::both_databases;
use crate::helpers::*;
use serde_json::json;

async fn order_validation_and_server_side_total(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let (a, b) = (f.seat_ids[0], f.seat_ids[1]);
    let hold = app.hold(f.performance_id, &[a, b]).await;
    let hold_id = hold.body["id"].as_str().unwrap().to_string();
    let good_tickets = json!([{"seat_id": a, "tariff": "plein"}, {"seat_id": b, "tariff": "reduit", "price_cents": 1}]);
    let order_with = |name: &str, email: &str, tickets: serde_json::Value| json!({"hold_id": hold_id, "buyer": {"name": name, "email": email}, "tickets": tickets});
    let cases = [
        (
            order_with("Marie", "pas-un-email", good_tickets.clone()),
            422,
            "invalid e-mail",
        ),
        (
            order_with("   ", "marie@exemple.fr", good_tickets.clone()),
            422,
            "empty name",
        ),
        (
            order_with("Marie", "marie@exemple.fr", json!([])),
            422,
            "no tickets",
        ),
        (
            order_with(
                "Marie",
                "marie@exemple.fr",
                json!([{"seat_id": a, "tariff": "plein"}]),
            ),
            422,
            "a held seat without ticket",
        ),
        (
            order_with(
                "Marie",
                "marie@exemple.fr",
                json!([{"seat_id": a, "tariff": "plein"}, {"seat_id": f.seat_ids[5], "tariff": "plein"}]),
            ),
            422,
            "a seat not in the hold",
        ),
        (
            order_with(
                "Marie",
                "marie@exemple.fr",
                json!([{"seat_id": a, "tariff": "plein"}, {"seat_id": b, "tariff": "vip"}]),
            ),
            422,
            "unknown tariff",
        ),
        (
            json!({"hold_id": "nope", "buyer": {"name": "M", "email": "m@exemple.fr"}, "tickets": good_tickets}),
            404,
            "unknown hold",
        ),
        (json!({"hold_id": hold_id}), 400, "missing fields"),
    ];
    for (body, status, why) in cases {
        let r = app.post("/api/v1/orders", &body).await;
        assert_eq!(r.status, status, "{why}: {}", r.body);
        assert!(r.body["message"].is_string(), "{why}");
    }
    assert_eq!(
        app.sales_counts().await.orders,
        0,
        "refused orders write nothing"
    );

    let r = app
        .post(
            "/api/v1/orders",
            &order_with("Marie Curie", "Marie@Exemple.FR", good_tickets),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["status"], "awaiting_payment");
    assert_eq!(
        r.body["total_cents"], 3500,
        "2000 + 1500 from stored prices, whatever the client sent"
    );
    assert_eq!(r.body["buyer"]["email"], "Marie@exemple.fr");
    assert!(r.body["token"].as_str().unwrap().len() >= 32);
    assert_eq!(r.body["lines"][1]["proof_required"], true);
    let counts = app.sales_counts().await;
    assert_eq!(
        (counts.orders, counts.order_items, counts.tickets),
        (1, 2, 0)
    );
}
both_databases!(order_validation, order_validation_and_server_side_total);

async fn payment_outcomes(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let hold = app.hold(f.performance_id, &[f.seat_ids[0]]).await;
    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[0], "tariff": "plein"}]),
        )
        .await;
    let id = order.body["id"].as_str().unwrap();
    let token = order.body["token"].as_str().unwrap();

    let declined = app.pay(id, "decline").await;
    assert_eq!(declined.status, 200);
    assert_eq!(declined.body["status"], "awaiting_payment");
    assert_eq!(declined.body["last_payment"], "declined");
    assert_eq!(declined.body["tickets"], json!([]));
    assert_eq!(
        app.seat_status(f.performance_id, f.seat_ids[0]).await,
        "held",
        "a decline keeps the hold for a retry"
    );

    let paid = app.pay(id, "approve").await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    assert_eq!(paid.body["status"], "paid");
    assert_eq!(paid.body["tickets"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.seat_status(f.performance_id, f.seat_ids[0]).await,
        "sold"
    );

    let again = app.pay(id, "approve").await;
    assert_eq!(again.status, 200);
    assert_eq!(
        again.body["tickets"], paid.body["tickets"],
        "confirming twice issues tickets once"
    );
    assert_eq!(app.sales_counts().await.tickets, 1);
    assert_eq!(app.pay(id, "decline").await.status, 409);
    assert_eq!(app.pay("unknown", "approve").await.status, 404);
    assert_eq!(
        app.post(
            &format!("/api/v1/orders/{id}/payment"),
            &json!({"outcome": "maybe"})
        )
        .await
        .status,
        400
    );

    // A paid hold cannot be released: its seats stay sold.
    let paid_hold = paid.body["hold_id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/holds/{paid_hold}")).await, 409);
    assert_eq!(
        app.seat_status(f.performance_id, f.seat_ids[0]).await,
        "sold"
    );

    // The order link needs its token.
    assert_eq!(
        app.get(&format!("/api/v1/orders/{id}?token={token}"))
            .await
            .status,
        200
    );
    let wrong = app.get(&format!("/api/v1/orders/{id}?token=guess")).await;
    assert_eq!(wrong.status, 404);
    assert_eq!(app.get(&format!("/api/v1/orders/{id}")).await.status, 404);

    // Abandoning gives the seats back at once.
    let hold = app.hold(f.performance_id, &[f.seat_ids[1]]).await;
    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[1], "tariff": "plein"}]),
        )
        .await;
    let abandoned = app.pay(order.body["id"].as_str().unwrap(), "abandon").await;
    assert_eq!(abandoned.body["status"], "cancelled");
    assert_eq!(
        app.seat_status(f.performance_id, f.seat_ids[1]).await,
        "free"
    );
    assert_eq!(
        app.pay(order.body["id"].as_str().unwrap(), "approve")
            .await
            .status,
        409
    );
}
both_databases!(payments, payment_outcomes);

/// The buyer goes back and changes tariffs: the first order is cancelled and cannot be paid;
/// the confirmation answered by the payment reads exactly as the order page does later.
async fn replaced_order_and_confirmation(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let seats = &f.seat_ids[..2];
    let hold = app.hold(f.performance_id, seats).await;
    let hold_id = hold.body["id"].as_str().unwrap();
    let first = app
        .order(
            hold_id,
            json!([{"seat_id": seats[0], "tariff": "plein"}, {"seat_id": seats[1], "tariff": "plein"}]),
        )
        .await;
    let second = app
        .order(
            hold_id,
            json!([{"seat_id": seats[0], "tariff": "plein"}, {"seat_id": seats[1], "tariff": "reduit"}]),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.body);
    let first_id = first.body["id"].as_str().unwrap();
    let refused = app.pay(first_id, "approve").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(refused.body["error"], "conflict");

    let id = second.body["id"].as_str().unwrap();
    let paid = app.pay(id, "approve").await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    assert_eq!(paid.body["status"], "paid");
    assert_eq!(paid.body["total_cents"], second.body["total_cents"]);
    let token = second.body["token"].as_str().unwrap();
    let page = app.get(&format!("/api/v1/orders/{id}?token={token}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body, paid.body, "the confirmation is the order page");
    let tickets = paid.body["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 2);
    assert_ne!(tickets[0]["number"], tickets[1]["number"]);
    assert_eq!(app.sales_counts().await.tickets, 2);
    assert_eq!(
        app.get(&format!(
            "/api/v1/orders/{first_id}?token={}",
            first.body["token"].as_str().unwrap()
        ))
        .await
        .body["status"],
        "cancelled"
    );
}
both_databases!(replaced_order, replaced_order_and_confirmation);

async fn paying_after_expiry_issues_nothing(db: Db) {
    // Two seconds, not one: holds expire on whole seconds, and a hold taken at x.999 s with one
    // second to live is gone before a loaded machine answers the order.
    let Some(app) = spawn_app_with(
        db,
        Options {
            hold_seconds: Some(2),
            ..Options::default()
        },
    )
    .await
    else {
        return;
    };
    let f = fixture(&app, FixtureSpec::default()).await;
    let hold = app.hold(f.performance_id, &[f.seat_ids[0]]).await;
    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[0], "tariff": "plein"}]),
        )
        .await;
    assert_eq!(order.status, 201);
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    let late = app.pay(order.body["id"].as_str().unwrap(), "approve").await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert_eq!(late.body["error"], "hold_expired");
    let counts = app.sales_counts().await;
    assert_eq!(
        (counts.tickets, counts.payments),
        (0, 0),
        "no ticket, no payment recorded"
    );
    assert_eq!(
        app.seat_status(f.performance_id, f.seat_ids[0]).await,
        "free"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paying_after_expiry_sqlite() {
    paying_after_expiry_issues_nothing(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL not set at build time"
)]
async fn paying_after_expiry_postgres() {
    paying_after_expiry_issues_nothing(Db::Postgres).await;
}

async fn paying_needs_the_order_token(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let hold = app.hold(f.performance_id, &[f.seat_ids[0]]).await;
    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[0], "tariff": "plein"}]),
        )
        .await;
    let id = order.body["id"].as_str().unwrap();
    let path = format!("/api/v1/orders/{id}/payment");
    let without = app.post(&path, &json!({"outcome": "approve"})).await;
    assert_eq!(without.status, 404, "{}", without.body);
    assert_eq!(without.body["error"], "not_found");
    let wrong = app
        .post(
            &path,
            &json!({"outcome": "approve", "token": "0".repeat(48)}),
        )
        .await;
    assert_eq!(wrong.status, 404);
    assert_eq!(app.sales_counts().await.tickets, 0, "nothing was issued");
    assert_eq!(
        app.pay(id, "approve").await.status,
        200,
        "with the token it pays"
    );
}
both_databases!(payment_token, paying_needs_the_order_token);

async fn attempts_are_recorded_and_late_money_is_refunded(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let paid = app.buy(f.performance_id, &f.seat_ids[..1]).await;
    let hold = app.hold(f.performance_id, &[f.seat_ids[1]]).await;
    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[1], "tariff": "plein"}]),
        )
        .await;
    let id = order.body["id"].as_str().unwrap();
    // Another server's sweeper expires the hold between this server's check and the settlement.
    let hold_id = hold.body["id"].as_str().unwrap();
    app.sql(&format!(
        "UPDATE holds SET status = 'expired' WHERE id = '{hold_id}'"
    ))
    .await;
    let late = app.pay(id, "approve").await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert_eq!(late.body["error"], "hold_expired");
    let recorded = app.payment_outcomes().await;
    assert_eq!(
        recorded,
        vec![
            (
                paid["id"].as_str().unwrap().to_string(),
                "approved".to_string()
            ),
            (id.to_string(), "refund_needed".to_string()),
        ]
    );
    // The box office sees the money to give back; nobody else.
    let anonymous = app
        .client
        .get(app.url("/api/v1/admin/refunds"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    crate::staff::account(&app, "caisse@ville.fr", "box_office").await;
    let counter = crate::staff::session(&app, "caisse@ville.fr").await;
    let due = crate::staff::send(&app, "GET", "/api/v1/admin/refunds", None, &counter).await;
    assert_eq!(due.status, 200, "{:?}", due.body);
    let due = due.body.as_array().unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0]["order_id"], id);
    assert_eq!(due[0]["reason"], "paid_too_late");
    assert_eq!(due[0]["amount_cents"], order.body["total_cents"]);
    assert_eq!(due[0]["performance_id"], f.performance_id);
    assert!(due[0]["since"].as_str().unwrap().ends_with('Z'));
}
both_databases!(
    payment_attempts,
    attempts_are_recorded_and_late_money_is_refunded
);

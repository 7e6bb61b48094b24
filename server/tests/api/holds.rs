use crate::both_databases;
use crate::helpers::*;
use serde_json::json;

async fn hold_then_conflict_then_release(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let (a, b, c) = (f.seat_ids[0], f.seat_ids[1], f.seat_ids[2]);
    let first = app.hold(f.performance_id, &[a, b]).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert!(first.body["expires_at"].as_str().is_some());
    assert_eq!(first.body["seconds_left"], 900);
    assert_eq!(app.seat_status(f.performance_id, a).await, "held");

    let second = app.hold(f.performance_id, &[b, c]).await;
    assert_eq!(second.status, 409);
    assert_eq!(second.body["error"], "seats_taken");
    assert_eq!(
        second.body["seat_ids"],
        json!([b]),
        "names exactly the seat already taken"
    );
    assert_eq!(
        app.seat_status(f.performance_id, c).await,
        "free",
        "a refused hold leaves nothing behind"
    );

    let id = first.body["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/holds/{id}")).await, 204);
    assert_eq!(
        app.delete(&format!("/api/v1/holds/{id}")).await,
        204,
        "releasing twice is harmless"
    );
    assert_eq!(app.delete("/api/v1/holds/nope").await, 404);
    assert_eq!(app.seat_status(f.performance_id, a).await, "free");
    assert_eq!(app.hold(f.performance_id, &[b, c]).await.status, 201);
}
both_databases!(hold_conflict_release, hold_then_conflict_then_release);

async fn hold_validation(app: TestApp) {
    let f = fixture(
        &app,
        FixtureSpec {
            blocked: vec![3],
            max_per_order: 4,
            ..Default::default()
        },
    )
    .await;
    let other = fixture(&app, FixtureSpec::default()).await;
    let closed = fixture(
        &app,
        FixtureSpec {
            sale_open: false,
            ..Default::default()
        },
    )
    .await;
    let p = f.performance_id;
    let s = &f.seat_ids;
    let cases = [
        (
            json!({"performance_id": p, "seat_ids": []}),
            422,
            "empty selection",
        ),
        (
            json!({"performance_id": p, "seat_ids": [s[0], s[0]]}),
            422,
            "duplicate ids",
        ),
        (
            json!({"performance_id": p, "seat_ids": &s[5..10]}),
            422,
            "more than max per order",
        ),
        (
            json!({"performance_id": p, "seat_ids": [987654321]}),
            422,
            "unknown seat id",
        ),
        (
            json!({"performance_id": p, "seat_ids": [other.seat_ids[0]]}),
            422,
            "seat of another performance's hall",
        ),
        (
            json!({"performance_id": p, "seat_ids": [s[2]]}),
            422,
            "blocked seat",
        ),
        (
            json!({"performance_id": p, "seat_ids": [s[0]], "quantity": 1}),
            422,
            "both seats and quantity",
        ),
        (json!({"performance_id": p}), 422, "nothing requested"),
        (
            json!({"performance_id": closed.performance_id, "seat_ids": [closed.seat_ids[0]]}),
            422,
            "sale not open",
        ),
        (
            json!({"performance_id": 424242, "seat_ids": [1]}),
            404,
            "unknown performance",
        ),
        (
            json!({"performance_id": "one", "seat_ids": [1]}),
            400,
            "wrong type",
        ),
    ];
    for (body, status, why) in cases {
        let r = app.post("/api/v1/holds", &body).await;
        assert_eq!(r.status, status, "{why}: {}", r.body);
        assert!(
            r.body["error"].is_string() && r.body["message"].is_string(),
            "{why}: JSON error body"
        );
    }
    let bad_json = app.post_raw("/api/v1/holds", "{not json").await;
    assert_eq!(bad_json.status, 400);
    assert_eq!(bad_json.body["error"], "bad_request");
    let blocked = app
        .post(
            "/api/v1/holds",
            &json!({"performance_id": p, "seat_ids": [s[2]]}),
        )
        .await;
    assert_eq!(blocked.body["seat_ids"], json!([s[2]]));
    // None of the refused requests left a hold behind.
    assert_eq!(app.sales_counts().await.seat_claims, 0);
}
both_databases!(validation, hold_validation);

async fn best_available_and_general_admission(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let r = app.hold_quantity(f.performance_id, 3).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let ids: Vec<i64> = r.body["seat_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    let pos: Vec<usize> = ids
        .iter()
        .map(|id| f.seat_ids.iter().position(|s| s == id).unwrap())
        .collect();
    assert!(
        pos.windows(2).all(|w| w[1] == w[0] + 1),
        "side by side: {pos:?}"
    );

    let ga = fixture(
        &app,
        FixtureSpec {
            seated: false,
            capacity: 5,
            ..Default::default()
        },
    )
    .await;
    let first = app.hold_quantity(ga.performance_id, 4).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let too_many = app.hold_quantity(ga.performance_id, 2).await;
    assert_eq!(too_many.status, 409);
    assert_eq!(too_many.body["error"], "sold_out");
    assert!(too_many.body["message"]
        .as_str()
        .unwrap()
        .contains("1 place"));
    let seats_on_ga = app.hold(ga.performance_id, &[1]).await;
    assert_eq!(seats_on_ga.status, 422);
    let id = first.body["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/holds/{id}")).await, 204);
    assert_eq!(
        app.hold_quantity(ga.performance_id, 5).await.status,
        201,
        "released places are on sale again"
    );
}
both_databases!(best_available, best_available_and_general_admission);

async fn expired_hold_frees_seats(db: Db) {
    let Some(app) = spawn_app_with(
        db,
        Options {
            hold_seconds: Some(1),
            ..Options::default()
        },
    )
    .await
    else {
        return;
    };
    let f = fixture(&app, FixtureSpec::default()).await;
    let ga = fixture(
        &app,
        FixtureSpec {
            seated: false,
            capacity: 2,
            ..Default::default()
        },
    )
    .await;
    let hold = app.hold(f.performance_id, &[f.seat_ids[0]]).await;
    assert_eq!(hold.status, 201);
    let ga_hold = app.hold_quantity(ga.performance_id, 2).await;
    assert_eq!(ga_hold.status, 201);
    assert_eq!(app.hold_quantity(ga.performance_id, 1).await.status, 409);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;

    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[0], "tariff": "plein"}]),
        )
        .await;
    assert_eq!(order.status, 409);
    assert_eq!(order.body["error"], "hold_expired");
    assert_eq!(
        app.seat_status(f.performance_id, f.seat_ids[0]).await,
        "free"
    );
    assert_eq!(
        app.hold(f.performance_id, &[f.seat_ids[0]]).await.status,
        201,
        "someone else can take it"
    );
    assert_eq!(
        app.hold_quantity(ga.performance_id, 2).await.status,
        201,
        "expired places are back on sale"
    );
    assert_eq!(app.sales_counts().await.orders, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_hold_sqlite() {
    expired_hold_frees_seats(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL not set at build time"
)]
async fn expired_hold_postgres() {
    expired_hold_frees_seats(Db::Postgres).await;
}

//! Live seat maps by push: `GET /api/v1/performances/{id}/events`.
use crate::both_databases;
use crate::helpers::*;
use std::time::Duration;

const SECOND: Duration = Duration::from_secs(1);

async fn seat_changes_are_pushed_to_followers(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let p = f.performance_id;
    let mut map = app.follow(p).await;
    assert_eq!(map.response.status(), 200);
    assert_eq!(map.response.headers()["content-type"], "text/event-stream");
    assert_eq!(map.response.headers()["cache-control"], "no-store");
    let first = map
        .next_seats(SECOND)
        .await
        .expect("the current state first");
    assert_eq!(first["performance_id"], p);
    assert_eq!(first["available"], 20);

    let hold = app.hold(p, &[f.seat_ids[3]]).await;
    assert_eq!(hold.status, 201);
    map.until_seat(f.seat_ids[3], "held", SECOND)
        .await
        .expect("the hold shows within a second");
    assert_eq!(
        app.delete(&format!(
            "/api/v1/holds/{}",
            hold.body["id"].as_str().unwrap()
        ))
        .await,
        204
    );
    map.until_seat(f.seat_ids[3], "free", SECOND)
        .await
        .expect("the release shows within a second");
    app.buy(p, &[f.seat_ids[5]]).await;
    map.until_seat(f.seat_ids[5], "sold", SECOND)
        .await
        .expect("the sale shows within a second");
}
both_databases!(pushed, seat_changes_are_pushed_to_followers);

async fn expired_holds_are_pushed(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let p = f.performance_id;
    assert_eq!(app.hold(p, &[f.seat_ids[0]]).await.status, 201);
    let mut map = app.follow(p).await;
    map.until_seat(f.seat_ids[0], "held", SECOND).await.unwrap();
    // Holds last 1 s here; the feed reads followed maps again every 2 s.
    map.until_seat(f.seat_ids[0], "free", Duration::from_secs(5))
        .await
        .expect("the expiry is pushed");
}
both_databases!(
    expiry,
    expired_holds_are_pushed,
    Options {
        hold_seconds: Some(1),
        ..Options::default()
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_performance_is_a_json_404() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let r = app.get("/api/v1/performances/999999/events").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["error"], "not_found");
    let bad = app.get("/api/v1/performances/abc/events").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_open_streams_without_end() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let f = fixture(&app, FixtureSpec::default()).await;
    let mut open = Vec::new();
    for _ in 0..32 {
        let s = app.follow(f.performance_id).await;
        assert_eq!(s.response.status(), 200);
        open.push(s);
    }
    let refused = app
        .get(&format!("/api/v1/performances/{}/events", f.performance_id))
        .await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.body["error"], "rate_limited");
    // A closed stream gives its place back.
    drop(open.pop());
    let mut again = None;
    for _ in 0..50 {
        let s = app.follow(f.performance_id).await;
        if s.response.status() == 200 {
            again = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(again.is_some(), "a stream is accepted again");
}

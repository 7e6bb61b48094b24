//! `guichet backup` of a selling database, `guichet restore` into a new one: a server on the
//! restored database answers exactly as the original did, and the integrity check passes.
use crate::both_databases;
use crate::helpers::*;

async fn a_backup_restores_to_the_same_state(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let perf = f.performance_id;
    let first = app.buy(perf, &f.seat_ids[0..2]).await;
    let second = app.buy(perf, &f.seat_ids[5..6]).await;
    // An unpaid hold is part of the state too.
    assert_eq!(app.hold(perf, &f.seat_ids[10..12]).await.status, 201);

    let file = app.dir.join("guichet.backup");
    let out = app.guichet(&["backup", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Never over an existing file.
    let again = app.guichet(&["backup", file.to_str().unwrap()]);
    assert!(!again.status.success());

    let db = app.new_database().await;
    let restore = app.guichet_on(&db.url, &["restore", file.to_str().unwrap()]);
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    // Never into a database that has data.
    let twice = app.guichet_on(&db.url, &["restore", file.to_str().unwrap()]);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("not empty"));

    let check = app.guichet_on(&db.url, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let restored = app.server_on(db).await;
    for order in [&first, &second] {
        let path = format!(
            "/api/v1/orders/{}?token={}",
            order["id"].as_str().unwrap(),
            order["token"].as_str().unwrap()
        );
        let (a, b) = (app.get(&path).await, restored.get(&path).await);
        assert_eq!(b.status, 200);
        assert_eq!(a.body, b.body, "the order reads the same");
        let pdf = format!(
            "/api/v1/orders/{}/tickets.pdf?token={}",
            order["id"].as_str().unwrap(),
            order["token"].as_str().unwrap()
        );
        let r = restored
            .client
            .get(restored.url(&pdf))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    assert_eq!(app.seatmap(perf).await, restored.seatmap(perf).await);
    assert_eq!(app.sales_counts().await, restored.sales_counts().await);
}
both_databases!(backup_restore, a_backup_restores_to_the_same_state);

//! `guichet check` on a real database: silent on sound sales, names what a crash or a hand
//! edit broke, and exits non-zero; `/health` answers while the database does.
use crate::both_databases;
use crate::helpers::*;

async fn check_finds_broken_invariants(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let order = app.buy(f.performance_id, &f.seat_ids[..2]).await;
    assert_eq!(
        app.client
            .get(app.url("/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let sound = app.guichet(&["check"]);
    assert!(
        sound.status.success(),
        "{}",
        String::from_utf8_lossy(&sound.stdout)
    );

    // Break the database by hand, as a crash or a careless edit would.
    let id = order["tickets"][1]["id"].as_i64().unwrap();
    app.sql(&format!("DELETE FROM tickets WHERE id = {id}"))
        .await;
    let broken = app.guichet(&["check"]);
    let out = String::from_utf8_lossy(&broken.stdout).to_string();
    assert_eq!(broken.status.code(), Some(1), "{out}");
    assert!(out.contains("paid order without all its tickets"), "{out}");
    assert!(out.contains("gap in a ticket series"), "{out}");
    assert!(out.contains("seat sold without a ticket"), "{out}");
}
both_databases!(check, check_finds_broken_invariants);

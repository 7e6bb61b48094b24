//! Payments landing in a hold's last second while the expiry sweep runs, 100 times: no
//! deadlock (PostgreSQL: one lock order, the sweep skips locked holds), every payment answered
//! paid or hold_expired, and what was answered is what the database says.
use crate::helpers::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

async fn payments_race_the_sweep_at_the_expiry_edge(db: Db) {
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
    let app = Arc::new(app);
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 100,
            ..Default::default()
        },
    )
    .await;
    let (mut paid, mut expired, mut skipped) = (Vec::new(), 0, 0);
    for round in 0..5 {
        let mut orders = Vec::new();
        for &seat in &f.seat_ids[round * 20..round * 20 + 20] {
            let hold = app.hold(f.performance_id, &[seat]).await;
            assert_eq!(hold.status, 201, "{}", hold.body);
            let order = app
                .order(
                    hold.body["id"].as_str().unwrap(),
                    json!([{"seat_id": seat, "tariff": "plein"}]),
                )
                .await;
            if order.status == 409 && order.body["error"] == "hold_expired" {
                // Placed in the last milliseconds of a second: gone before its order.
                skipped += 1;
                continue;
            }
            assert_eq!(order.status, 201, "{}", order.body);
            orders.push(order.body["id"].as_str().unwrap().to_string());
        }
        // The sweep, as fast as it goes, across the whole second in which the holds end.
        let sweeper = {
            let app = app.clone();
            tokio::spawn(async move {
                let until = std::time::Instant::now() + Duration::from_millis(1600);
                let mut sweeps = 0;
                while std::time::Instant::now() < until {
                    app.uc
                        .booking
                        .expire_holds()
                        .await
                        .expect("the sweep never fails");
                    sweeps += 1;
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                sweeps
            })
        };
        let payers: Vec<_> = orders
            .into_iter()
            .enumerate()
            .map(|(i, id)| {
                let app = app.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(75 * i as u64)).await;
                    let r = app.pay(&id, "approve").await;
                    (id, r.status, r.body)
                })
            })
            .collect();
        for p in payers {
            let (id, status, body) = p.await.unwrap();
            match status {
                200 => {
                    assert_eq!(body["status"], "paid");
                    paid.push(id);
                }
                409 => {
                    assert_eq!(body["error"], "hold_expired", "{body}");
                    expired += 1;
                }
                other => panic!("payment answered {other}: {body}"),
            }
        }
        assert!(sweeper.await.unwrap() > 10);
    }
    assert_eq!(paid.len() + expired + skipped, 100);
    assert!(skipped < 20);
    assert!(
        !paid.is_empty() && expired > 0,
        "the races straddled the expiry: {} paid, {expired} expired",
        paid.len()
    );
    let counts = app.sales_counts().await;
    assert_eq!(
        counts.tickets as usize,
        paid.len(),
        "one ticket per paid order, none for the others"
    );
    let check = app.guichet(&["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    for id in &paid {
        let outcomes: Vec<String> = app
            .payment_outcomes()
            .await
            .into_iter()
            .filter(|(o, _)| o == id)
            .map(|(_, outcome)| outcome)
            .collect();
        assert_eq!(outcomes, vec!["approved".to_string()]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_edge_sqlite() {
    payments_race_the_sweep_at_the_expiry_edge(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL not set at build time"
)]
async fn expiry_edge_postgres() {
    payments_race_the_sweep_at_the_expiry_edge(Db::Postgres).await;
}

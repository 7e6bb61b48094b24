//! Many buyers at once, through the HTTP API: the database decides, nobody is sold a seat twice.
use crate::both_databases;
use crate::helpers::*;
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;

async fn same_seats_one_winner(app: TestApp) {
    let app = Arc::new(app);
    let f = fixture(&app, FixtureSpec::default()).await;
    let wanted = vec![f.seat_ids[9], f.seat_ids[10]];
    let mut tasks = Vec::new();
    for _ in 0..120 {
        let (app, wanted) = (app.clone(), wanted.clone());
        tasks.push(tokio::spawn(async move {
            app.hold(f.performance_id, &wanted).await
        }));
    }
    let mut won = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            201 => won += 1,
            409 => assert_eq!(r.body["error"], "seats_taken"),
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert_eq!(
        won, 1,
        "exactly one of 120 concurrent buyers holds the seats"
    );
}
both_databases!(same_seats, same_seats_one_winner);

async fn full_checkout_race(app: TestApp) {
    let app = Arc::new(app);
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 30,
            ..Default::default()
        },
    )
    .await;
    let seats = Arc::new(f.seat_ids.clone());
    let mut tasks = Vec::new();
    for i in 0..150usize {
        let (app, seats) = (app.clone(), seats.clone());
        tasks.push(tokio::spawn(async move {
            // Everyone wants two neighbouring seats near the middle of the row.
            let start = 10 + (i * 7) % 9;
            let pair = [seats[start], seats[start + 1]];
            let hold = app.hold(f.performance_id, &pair).await;
            if hold.status != 201 {
                assert_eq!(hold.status, 409, "{}", hold.body);
                return Vec::new();
            }
            let tickets = json!([{"seat_id": pair[0], "tariff": "plein"}, {"seat_id": pair[1], "tariff": "reduit"}]);
            let order = app.order(hold.body["id"].as_str().unwrap(), tickets).await;
            assert_eq!(order.status, 201, "{}", order.body);
            let paid = app.pay(order.body["id"].as_str().unwrap(), "approve").await;
            assert_eq!(paid.status, 200, "{}", paid.body);
            pair.to_vec()
        }));
    }
    let mut sold = Vec::new();
    for t in tasks {
        sold.extend(t.await.unwrap());
    }
    let distinct: HashSet<i64> = sold.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        sold.len(),
        "a seat was sold twice: {sold:?}"
    );
    assert!(!sold.is_empty());
    let map = app.seatmap(f.performance_id).await;
    let sold_on_map = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "sold")
        .count();
    assert_eq!(sold_on_map, sold.len());
    assert_eq!(app.sales_counts().await.tickets as usize, sold.len());
}
both_databases!(checkout_race, full_checkout_race);

async fn general_admission_never_oversold(app: TestApp) {
    let app = Arc::new(app);
    let f = fixture(
        &app,
        FixtureSpec {
            seated: false,
            capacity: 50,
            ..Default::default()
        },
    )
    .await;
    let mut tasks = Vec::new();
    for i in 0..120i64 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let quantity = 1 + i % 3;
            let hold = app.hold_quantity(f.performance_id, quantity).await;
            if hold.status != 201 {
                assert_eq!(hold.status, 409, "{}", hold.body);
                assert_eq!(hold.body["error"], "sold_out");
                return 0;
            }
            let tickets: Vec<_> = (0..quantity).map(|_| json!({"tariff": "plein"})).collect();
            let order = app
                .order(hold.body["id"].as_str().unwrap(), json!(tickets))
                .await;
            assert_eq!(order.status, 201, "{}", order.body);
            assert_eq!(
                app.pay(order.body["id"].as_str().unwrap(), "approve")
                    .await
                    .status,
                200
            );
            quantity
        }));
    }
    let mut sold = 0;
    for t in tasks {
        sold += t.await.unwrap();
    }
    assert!(sold <= 50, "oversold: {sold}");
    assert!(sold >= 48, "the house should (nearly) fill: {sold}");
    let perf = app
        .get(&format!("/api/v1/performances/{}", f.performance_id))
        .await;
    assert_eq!(perf.body["available"], 50 - sold);
    assert_eq!(app.sales_counts().await.tickets, sold);
}
both_databases!(general_admission_race, general_admission_never_oversold);

/// 100 buyers press "best seats" for two places at the same moment: each gets two adjacent
/// free seats or a clear "sold out" — never a seat twice, never a "try again" refusal.
async fn best_seats_race(app: TestApp) {
    let app = Arc::new(app);
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 40,
            ..Default::default()
        },
    )
    .await;
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let hold = app.hold_quantity(f.performance_id, 2).await;
            match hold.status {
                201 => {
                    let ids: Vec<i64> = hold.body["seat_ids"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_i64().unwrap())
                        .collect();
                    assert_eq!(ids.len(), 2);
                    ids
                }
                _ => {
                    assert_eq!(hold.status, 409, "{}", hold.body);
                    assert_eq!(hold.body["error"], "sold_out", "{}", hold.body);
                    Vec::new()
                }
            }
        }));
    }
    let mut held = Vec::new();
    for t in tasks {
        held.extend(t.await.unwrap());
    }
    let distinct: std::collections::HashSet<i64> = held.iter().copied().collect();
    assert_eq!(distinct.len(), held.len(), "a seat was held twice");
    // Centred pairs may leave a lone seat here and there, not more.
    assert!(
        held.len() >= 36,
        "the row should (nearly) fill: {}",
        held.len()
    );
}
both_databases!(best_seats_race_test, best_seats_race);

/// Best-seat choosers, buyers of chosen seats and payments at once: a chooser locks the
/// performance while payments issue tickets that reference it. Every request ends in a
/// purchase or a refusal, never a 5xx (on PostgreSQL this was a deadlock until the chooser's
/// lock let foreign-key checks pass, then a chooser finding its free seat claimed under it
/// until buyers of chosen seats waited for choosers).
async fn best_seats_while_others_pay(app: TestApp) {
    let app = Arc::new(app);
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 120,
            max_per_order: 4,
            ..Default::default()
        },
    )
    .await;
    let seat_ids = Arc::new(f.seat_ids.clone());
    let mut tasks = Vec::new();
    for i in 0..80usize {
        let (app, seat_ids) = (app.clone(), seat_ids.clone());
        tasks.push(tokio::spawn(async move {
            let mut bought = Vec::new();
            for round in 0..3usize {
                let n = 1 + ((i + round) % 3) as i64;
                // Half choose on the map, half ask for the best seats.
                let hold = if i % 2 == 1 {
                    let a = (i * 7 + round * 13) % 118;
                    app.hold(f.performance_id, &[seat_ids[a], seat_ids[a + 1]])
                        .await
                } else {
                    app.hold_quantity(f.performance_id, n).await
                };
                if hold.status != 201 {
                    assert_eq!(hold.status, 409, "{}", hold.body);
                    continue;
                }
                let seats: Vec<i64> = hold.body["seat_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_i64().unwrap())
                    .collect();
                // Mixed tariffs, in either order: ticket series are taken per tariff.
                let tickets: Vec<serde_json::Value> = seats
                    .iter()
                    .enumerate()
                    .map(|(k, s)| {
                        let tariff = if (k + i) % 2 == 0 { "plein" } else { "reduit" };
                        json!({"seat_id": s, "tariff": tariff})
                    })
                    .collect();
                let order = app
                    .order(hold.body["id"].as_str().unwrap(), json!(tickets))
                    .await;
                assert_eq!(order.status, 201, "{}", order.body);
                let paid = app.pay(order.body["id"].as_str().unwrap(), "approve").await;
                assert_eq!(paid.status, 200, "{}", paid.body);
                bought.extend(seats);
            }
            bought
        }));
    }
    let mut sold = Vec::new();
    for t in tasks {
        sold.extend(t.await.unwrap());
    }
    let distinct: HashSet<i64> = sold.iter().copied().collect();
    assert_eq!(distinct.len(), sold.len(), "a seat was sold twice");
    assert!(
        sold.len() >= 100,
        "the house (nearly) sold out: {}",
        sold.len()
    );
}
both_databases!(
    best_seats_while_others_pay_test,
    best_seats_while_others_pay
);

/// Forty buyers each ask for one "enfant" ticket when three are left under the quota: exactly
/// three orders are made, the others are told none is left.
async fn quota_race(app: TestApp) {
    let app = Arc::new(app);
    let f = fixture(
        &app,
        FixtureSpec {
            seats: 40,
            ..Default::default()
        },
    )
    .await;
    app.sql(&format!(
        "INSERT INTO tariff_quotas (performance_id, tariff_code, max_tickets) VALUES ({}, 'enfant', 3)",
        f.performance_id
    ))
    .await;
    // Every buyer holds a seat first, then all ask for the "enfant" tariff at once.
    let mut holds = Vec::new();
    for seat in &f.seat_ids[..40] {
        let hold = app.hold(f.performance_id, &[*seat]).await;
        assert_eq!(hold.status, 201, "{}", hold.body);
        holds.push((hold.body["id"].as_str().unwrap().to_string(), *seat));
    }
    let mut tasks = Vec::new();
    for (hold, seat) in holds {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            app.order(&hold, json!([{"seat_id": seat, "tariff": "enfant"}]))
                .await
        }));
    }
    let mut made = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            201 => made += 1,
            409 => assert!(
                r.body["message"].as_str().unwrap().contains("au tarif"),
                "{}",
                r.body
            ),
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert_eq!(made, 3, "the quota's last three places, and no more");
}
both_databases!(tariff_quota_race, quota_race);

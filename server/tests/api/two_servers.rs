//! Two `guichet serve` on one PostgreSQL behave as one: races across them have one winner, an
//! order made on one is paid on the other and its tickets downloaded from the first, and a
//! seat held through one shows on the other's live map within a second.
use crate::helpers::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL not set at build time"
)]
async fn two_servers_on_one_postgres_behave_as_one() {
    let a = Arc::new(spawn_app(Db::Postgres).await.expect("TEST_DATABASE_URL"));
    let b = Arc::new(a.second_server().await);
    let f = fixture(&a, FixtureSpec::default()).await;
    let p = f.performance_id;

    // A map served by B sees a hold made through A within a second.
    let mut map_b = b.follow(p).await;
    map_b
        .next_seats(Duration::from_secs(1))
        .await
        .expect("first state");
    let hold = a.hold(p, &[f.seat_ids[0]]).await;
    assert_eq!(hold.status, 201);
    let seen = map_b
        .until_seat(f.seat_ids[0], "held", Duration::from_secs(1))
        .await
        .expect("a hold through A shows on B's map within a second");
    println!("seen on B after {seen:?}");

    // 100 buyers split across both servers race for the same two seats: one winner.
    let wanted = [f.seat_ids[9], f.seat_ids[10]];
    let mut tasks = Vec::new();
    for i in 0..100 {
        let server = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move { server.hold(p, &wanted).await }));
    }
    let mut won = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            201 => won += 1,
            409 => assert_eq!(r.body["error"], "seats_taken", "{}", r.body),
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert_eq!(won, 1);

    // Ordered on A, paid on B, tickets from A.
    let tickets = json!([{"seat_id": f.seat_ids[0], "tariff": "plein"}]);
    let order = a.order(hold.body["id"].as_str().unwrap(), tickets).await;
    assert_eq!(order.status, 201, "{}", order.body);
    let id = order.body["id"].as_str().unwrap();
    let token = a.token_of(id);
    b.remember_token(id, &token);
    let paid = b.pay(id, "approve").await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    assert_eq!(paid.body["status"], "paid");
    map_b
        .until_seat(f.seat_ids[0], "sold", Duration::from_secs(1))
        .await
        .expect("the sale shows on B's map");
    let pdf = a
        .client
        .get(a.url(&format!("/api/v1/orders/{id}/tickets.pdf?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let on_a = a.get(&format!("/api/v1/orders/{id}?token={token}")).await;
    assert_eq!(on_a.body["status"], "paid");
}

/// The `.eml` files a server wrote (its own folder).
fn mail_files(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(app.dir.join("mail"))
        .map(|d| {
            d.filter_map(|f| Some(f.ok()?.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL not set at build time"
)]
async fn two_servers_send_each_mail_once() {
    let a = Arc::new(spawn_app(Db::Postgres).await.expect("TEST_DATABASE_URL"));
    let b = Arc::new(a.second_server().await);
    let f = fixture(&a, FixtureSpec::default()).await;
    // Orders bought through both servers.
    let mut references = Vec::new();
    for (i, seat) in f.seat_ids.iter().take(12).enumerate() {
        let server = if i % 2 == 0 { &a } else { &b };
        let order = server.buy(f.performance_id, &[*seat]).await;
        references.push(order["reference"].as_str().unwrap().to_string());
    }
    // Both senders drain the outbox at the same time, a few rounds each.
    let (sa, sb) = tokio::join!(
        async {
            let mut n = 0;
            for _ in 0..3 {
                n += a.uc.mail.send_due().await.unwrap();
            }
            n
        },
        async {
            let mut n = 0;
            for _ in 0..3 {
                n += b.uc.mail.send_due().await.unwrap();
            }
            n
        }
    );
    assert_eq!(sa + sb, 12, "A sent {sa}, B sent {sb}");
    let mut files = mail_files(&a);
    files.extend(mail_files(&b));
    assert_eq!(files.len(), 12, "no mail written twice: {files:?}");
    for r in &references {
        assert_eq!(
            files
                .iter()
                .filter(|f| f.ends_with(&format!("-{r}.eml")))
                .count(),
            1,
            "{r}: one mail"
        );
    }
    let status = a.uc.mail.status().await.unwrap();
    assert_eq!((status.waiting, status.sent), (0, 12));
}

use crate::both_databases;
use crate::helpers::*;
use app::ticket_code::{Keyring, PublicKeyInfo};
use serde_json::json;

async fn numbering_is_unbroken_per_tariff(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let first = app
        .buy(f.performance_id, &[f.seat_ids[0], f.seat_ids[1]])
        .await;
    let numbers: Vec<&str> = first["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["TST-PLEIN-000001", "TST-PLEIN-000002"]);

    // An abandoned order and an expired payment take no number.
    let hold = app.hold(f.performance_id, &[f.seat_ids[2]]).await;
    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[2], "tariff": "plein"}]),
        )
        .await;
    app.pay(order.body["id"].as_str().unwrap(), "abandon").await;

    let hold = app
        .hold(f.performance_id, &[f.seat_ids[3], f.seat_ids[4]])
        .await;
    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[3], "tariff": "reduit"}, {"seat_id": f.seat_ids[4], "tariff": "plein"}]),
        )
        .await;
    let paid = app
        .pay(order.body["id"].as_str().unwrap(), "approve")
        .await
        .body;
    let numbers: Vec<&str> = paid["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["TST-REDUIT-000001", "TST-PLEIN-000003"]);
}
both_databases!(numbering, numbering_is_unbroken_per_tariff);

async fn ticket_codes_verify_with_published_keys(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let order = app.buy(f.performance_id, &[f.seat_ids[0]]).await;
    let keys: Vec<PublicKeyInfo> =
        serde_json::from_value(app.get("/api/v1/keys").await.body).unwrap();
    assert_eq!(keys.len(), 1);
    let ring = Keyring::from_published(&keys);
    let code = order["tickets"][0]["code"].as_str().unwrap();
    let claims = ring
        .verify(code)
        .expect("the printed code verifies offline");
    assert_eq!(claims.performance_id as i64, f.performance_id);
    let mut forged = code.to_string();
    forged.replace_range(20..21, if &code[20..21] == "A" { "B" } else { "A" });
    assert!(ring.verify(&forged).is_err());
}
both_databases!(codes, ticket_codes_verify_with_published_keys);

async fn pdf_downloads(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let order = app
        .buy(f.performance_id, &[f.seat_ids[0], f.seat_ids[1]])
        .await;
    let (id, token) = (
        order["id"].as_str().unwrap(),
        order["token"].as_str().unwrap(),
    );
    let all = app
        .client
        .get(app.url(&format!("/api/v1/orders/{id}/tickets.pdf?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(all.status(), 200);
    assert_eq!(all.headers()["content-type"], "application/pdf");
    let bytes = all.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let ticket_id = order["tickets"][1]["id"].as_i64().unwrap();
    let one = app
        .client
        .get(app.url(&format!(
            "/api/v1/orders/{id}/tickets/{ticket_id}.pdf?token={token}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), 200);
    assert!(
        one.bytes().await.unwrap().len() < bytes.len(),
        "one ticket is smaller than two"
    );

    let svg = app
        .client
        .get(app.url(&format!(
            "/api/v1/orders/{id}/tickets/{ticket_id}.svg?token={token}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    let svg_wrong = app
        .get(&format!(
            "/api/v1/orders/{id}/tickets/{ticket_id}.svg?token=nope"
        ))
        .await;
    assert_eq!(svg_wrong.status, 404);

    // The performance for one's agenda.
    let ics = app
        .client
        .get(app.url(&format!("/api/v1/orders/{id}/calendar.ics?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(ics.status(), 200);
    assert_eq!(
        ics.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let ics = ics.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains("SUMMARY:Spectacle de test\r\n"), "{ics}");
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains(&format!("/commandes/{id}/{token}")),
        "{ics}"
    );
    assert_eq!(
        app.get(&format!("/api/v1/orders/{id}/calendar.ics?token=nope"))
            .await
            .status,
        404
    );

    let wrong = app
        .get(&format!("/api/v1/orders/{id}/tickets.pdf?token=nope"))
        .await;
    assert_eq!(wrong.status, 404);
    assert_eq!(wrong.body["error"], "not_found");
    assert_eq!(
        app.get(&format!(
            "/api/v1/orders/{id}/tickets/999999.pdf?token={token}"
        ))
        .await
        .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/orders/{id}/tickets/abc?token={token}"))
            .await
            .status,
        404
    );

    let hold = app.hold(f.performance_id, &[f.seat_ids[5]]).await;
    let unpaid = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[5], "tariff": "plein"}]),
        )
        .await;
    let (uid, utoken) = (
        unpaid.body["id"].as_str().unwrap(),
        unpaid.body["token"].as_str().unwrap(),
    );
    assert_eq!(
        app.get(&format!("/api/v1/orders/{uid}/tickets.pdf?token={utoken}"))
            .await
            .status,
        409
    );
}
both_databases!(pdf, pdf_downloads);

//! Each venue's tariff catalogue through the admin API: a new venue starts with the usual five;
//! a venue's labels, proof and words on who qualifies are what its buyers see and its tickets
//! print; a tariff it no longer offers cannot price its performances; a tariff it adds can.
use crate::both_databases;
use crate::helpers::*;
use crate::programme::future;
use crate::staff::{account, send, session};
use serde_json::{json, Value};

async fn venue_catalogues(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "regie@ville.fr", "admin").await;
    account(&app, "caisse@ville.fr", "box_office").await;
    let admin = session(&app, "regie@ville.fr").await;
    let halls = send(&app, "GET", "/api/v1/admin/halls", None, &admin).await;
    let hall = halls.body[0].clone();
    let (hall_id, venue_id) = (
        hall["id"].as_i64().unwrap(),
        hall["venue_id"].as_i64().unwrap(),
    );

    // A new venue: the usual five.
    let other = send(
        &app,
        "POST",
        "/api/v1/admin/venues",
        Some(&json!({"code": "REG", "name": "Le Régent", "operator_name": "Ville", "address": "", "kind": "cinema"})),
        &admin,
    )
    .await;
    assert_eq!(other.status, 201, "{:?}", other.body);
    let other_id = other.body["id"].as_i64().unwrap();
    let path = |v: i64| format!("/api/v1/admin/venues/{v}/tariffs");
    let codes = |body: &Value| -> Vec<String> {
        body.as_array()
            .unwrap()
            .iter()
            .map(|t| t["code"].as_str().unwrap().to_string())
            .collect()
    };
    let theirs = send(&app, "GET", &path(other_id), None, &admin).await;
    assert_eq!(theirs.status, 200);
    assert_eq!(
        codes(&theirs.body),
        ["plein", "reduit", "moins26", "enfant", "invitation"]
    );
    assert_eq!(theirs.body[4]["family"], "gratuit");
    let counter = session(&app, "caisse@ville.fr").await;
    assert_eq!(
        send(&app, "GET", &path(venue_id), None, &counter)
            .await
            .status,
        403
    );
    assert_eq!(
        send(&app, "GET", &path(999_999), None, &admin).await.status,
        404
    );

    // The fixture's venue words its reduced tariff and says who qualifies; stops "enfant";
    // adds "abonne".
    let changed = send(
        &app,
        "PATCH",
        &format!("{}/reduit", path(venue_id)),
        Some(&json!({"label_fr": "Réduit (étudiants)", "eligibility_fr": "Étudiants, sur présentation de la carte."})),
        &admin,
    )
    .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let off = send(
        &app,
        "PATCH",
        &format!("{}/enfant", path(venue_id)),
        Some(&json!({"active": false})),
        &admin,
    )
    .await;
    assert_eq!(
        (off.status, off.body["active"].clone()),
        (200, json!(false))
    );
    let bad = send(
        &app,
        "PATCH",
        &format!("{}/vip", path(venue_id)),
        Some(&json!({"active": false})),
        &admin,
    )
    .await;
    assert_eq!(bad.status, 422);
    let added = send(
        &app,
        "POST",
        &path(venue_id),
        Some(&json!({"code": "abonne", "label_fr": "Abonné", "label_en": "Subscriber", "proof_required": true})),
        &admin,
    )
    .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let again = send(
        &app,
        "POST",
        &path(venue_id),
        Some(&json!({"code": "abonne", "label_fr": "Encore"})),
        &admin,
    )
    .await;
    assert_eq!(
        (again.status, again.body["error"].as_str()),
        (409, Some("conflict"))
    );
    let bad_code = send(
        &app,
        "POST",
        &path(venue_id),
        Some(&json!({"code": "Abonné!", "label_fr": "X"})),
        &admin,
    )
    .await;
    assert_eq!(bad_code.status, 422);

    // Pricing: "enfant" is refused, "abonne" priced.
    let show = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Le Cid", "kind": "theatre", "duration_min": 150})),
        &admin,
    )
    .await;
    let show_id = show.body["id"].as_i64().unwrap();
    let perf = |prices: Value| json!({"hall_id": hall_id, "starts_at": [future(40, 0)], "published": true, "prices": {"Catégorie 1": prices}});
    let refused = send(
        &app,
        "POST",
        &format!("/api/v1/admin/shows/{show_id}/performances"),
        Some(&perf(json!({"plein": 2000, "enfant": 800}))),
        &admin,
    )
    .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert_eq!(
        refused.body["message"],
        "Le tarif « enfant » n’est pas au catalogue de ce lieu (ou n’y est plus proposé)."
    );
    let created = send(
        &app,
        "POST",
        &format!("/api/v1/admin/shows/{show_id}/performances"),
        Some(&perf(
            json!({"plein": 2000, "reduit": 1500, "abonne": 1200}),
        )),
        &admin,
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let perf_id = created.body[0]["id"].as_i64().unwrap();

    // Buyers read the venue's words; the ticket prints them and is numbered in the new series.
    let map = app.seatmap(perf_id).await;
    let offered = map["categories"][0]["tariffs"].as_array().unwrap().clone();
    let reduit = offered.iter().find(|t| t["code"] == "reduit").unwrap();
    assert_eq!(reduit["label"], "Réduit (étudiants)");
    assert_eq!(
        reduit["eligibility"],
        "Étudiants, sur présentation de la carte."
    );
    let abonne = offered.iter().find(|t| t["code"] == "abonne").unwrap();
    assert_eq!(
        (abonne["label"].clone(), abonne["proof_required"].clone()),
        (json!("Abonné"), json!(true))
    );
    let seat = map["seats"][0]["id"].as_i64().unwrap();
    let hold = app.hold(perf_id, &[seat]).await;
    assert_eq!(hold.status, 201, "{}", hold.body);
    let order = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": seat, "tariff": "abonne"}]),
        )
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let paid = app.pay(order.body["id"].as_str().unwrap(), "approve").await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    let ticket = paid.body["tickets"][0].clone();
    assert!(
        ticket["number"]
            .as_str()
            .unwrap()
            .contains("-ABONNE-000001"),
        "{ticket}"
    );
    assert_eq!(ticket["tariff_label"], "Abonné", "{ticket}");

    // The other venue is as it was.
    let theirs = send(&app, "GET", &path(other_id), None, &admin).await;
    let reduit = theirs
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "reduit")
        .unwrap()
        .clone();
    assert_eq!(
        (reduit["label_fr"].clone(), reduit["eligibility_fr"].clone()),
        (json!("Tarif réduit"), json!(""))
    );
    assert!(!codes(&theirs.body).contains(&"abonne".to_string()));
    let _ = f;
}
both_databases!(each_venue_has_its_tariff_catalogue, venue_catalogues);

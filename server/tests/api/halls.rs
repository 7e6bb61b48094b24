//! Venues and halls through the admin API: a generated hall, a pretix plan imported, a plan
//! exported and imported again, a town's own hall put on sale; bad plans refused, located.
use crate::both_databases;
use crate::helpers::*;
use crate::programme::future;
use crate::staff::{account, send, session, Answer, Credential};
use serde_json::{json, Value};

/// A pretix seating plan of `rows` × `per_row` seats, as pretix's editor exports it.
pub fn pretix_plan(rows: usize, per_row: usize) -> Value {
    let rows: Vec<Value> = (0..rows)
        .map(|r| {
            let seats: Vec<Value> = (0..per_row)
                .map(|s| {
                    json!({
                        "seat_guid": format!("z1-r{r}-s{s}"),
                        "seat_number": (s + 1).to_string(),
                        "uuid": format!("u-{r}-{s}"),
                        "position": {"x": s as f64 * 25.0, "y": 0.0},
                        "category": if r < 5 { "Parterre" } else { "Fond" },
                        "radius": 10,
                        "start_direction": null
                    })
                })
                .collect();
            json!({"row_number": (r + 1).to_string(), "row_label": null, "seat_label": null,
                   "position": {"x": 0, "y": r as f64 * 30.0}, "seats": seats,
                   "row_number_position": "both"})
        })
        .collect();
    json!({
        "name": "Salle polyvalente",
        "categories": [{"name": "Parterre", "color": "#d81b60"}, {"name": "Fond", "color": "#1e88e5"}],
        "size": {"width": per_row * 25 + 100, "height": rows.len() * 30 + 150},
        "zones": [{"name": "Salle", "zone_id": "z1", "uuid": "zz", "position": {"x": 50, "y": 100},
                   "rows": rows, "areas": []}]
    })
}

async fn town_halls(app: TestApp) {
    fixture(&app, FixtureSpec::default()).await; // the tariffs
    account(&app, "regie@ville.fr", "admin").await;
    let admin = session(&app, "regie@ville.fr").await;
    let venue = send(
        &app,
        "POST",
        "/api/v1/admin/venues",
        Some(&json!({"code": "SP", "name": "Salle polyvalente", "operator_name": "Ville de Test", "address": "Place de la Mairie", "kind": "theatre"})),
        &admin,
    )
    .await;
    assert_eq!(venue.status, 201, "{:?}", venue.body);
    let venue_id = venue.body["id"].as_i64().unwrap();

    // Generated: 30 rows, French numbering, I and O skipped.
    let generated = send(
        &app,
        "POST",
        &format!("/api/v1/admin/venues/{venue_id}/halls"),
        Some(&json!({"name": "Grande salle", "generator": {
            "levels": [{"zone": "Orchestre", "rows": 30, "seats_per_row": 20, "numbering": "odd_even_from_centre",
                        "skip_i_o": true, "category_from_row": [{"row": 21, "category": "Catégorie 2"}]}]
        }})),
        &admin,
    )
    .await;
    assert_eq!(generated.status, 201, "{:?}", generated.body);
    assert_eq!(generated.body["seats"], 600);
    assert_eq!(
        generated.body["categories"],
        json!(["Catégorie 1", "Catégorie 2"])
    );
    let hall_id = generated.body["id"].as_i64().unwrap();

    // pretix: 5,000 seats (a body far over the usual 64 KiB).
    let big = pretix_plan(50, 100);
    let imported = send(
        &app,
        "POST",
        &format!("/api/v1/admin/venues/{venue_id}/halls"),
        Some(&json!({"name": "Salle pretix", "pretix": big})),
        &admin,
    )
    .await;
    assert_eq!(imported.status, 201, "{:?}", imported.body);
    assert_eq!(imported.body["seats"], 5000);

    // Exported, then imported as another hall: the same plan.
    let exported = send(
        &app,
        "GET",
        &format!("/api/v1/admin/halls/{hall_id}/seatmap"),
        None,
        &admin,
    )
    .await;
    assert_eq!(exported.status, 200);
    assert_eq!(exported.body["seats"].as_array().unwrap().len(), 600);
    let copy = send(
        &app,
        "POST",
        &format!("/api/v1/admin/venues/{venue_id}/halls"),
        Some(&json!({"name": "Copie", "plan": exported.body})),
        &admin,
    )
    .await;
    assert_eq!(copy.status, 201, "{:?}", copy.body);
    let copy_id = copy.body["id"].as_i64().unwrap();
    let again = send(
        &app,
        "GET",
        &format!("/api/v1/admin/halls/{copy_id}/seatmap"),
        None,
        &admin,
    )
    .await;
    assert_eq!(again.body, exported.body);

    // Invalid plans: refused whole, each problem located, nothing stored.
    let mut broken = pretix_plan(3, 4);
    broken["zones"][0]["rows"][1]["seats"][2]["seat_guid"] = json!("z1-r1-s1");
    broken["zones"][0]["rows"][2]["seats"][0]["category"] = json!("Loge");
    let refused = send(
        &app,
        "POST",
        &format!("/api/v1/admin/venues/{venue_id}/halls"),
        Some(&json!({"name": "Cassée", "pretix": broken})),
        &admin,
    )
    .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let message = refused.body["message"].as_str().unwrap();
    assert!(message.starts_with("Plan refusé (2 problème(s)) : zone Salle, rang 2, place 3 : identifiant en double ; zone Salle, rang 3, place 1 : catégorie inconnue « Loge »"), "{message}");
    let halls = send(&app, "GET", "/api/v1/admin/halls", None, &admin).await;
    assert!(!halls.body.to_string().contains("Cassée"));
    let taken = send(
        &app,
        "POST",
        &format!("/api/v1/admin/venues/{venue_id}/halls"),
        Some(&json!({"name": "Grande salle"})),
        &admin,
    )
    .await;
    assert_eq!(taken.status, 409);

    // The town's own hall on sale: a show, a published performance, a spectator buys.
    let show = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Cyrano", "kind": "theatre", "duration_min": 150})),
        &admin,
    )
    .await;
    let show_id = show.body["id"].as_i64().unwrap();
    let perf = send(
        &app,
        "POST",
        &format!("/api/v1/admin/shows/{show_id}/performances"),
        Some(&json!({"hall_id": hall_id, "starts_at": [future(20, 0)], "published": true,
                     "prices": {"Catégorie 1": {"plein": 2400, "reduit": 1800}, "Catégorie 2": {"plein": 1600, "invitation": 0}}})),
        &admin,
    )
    .await;
    assert_eq!(perf.status, 201, "{:?}", perf.body);
    let perf_id = perf.body[0]["id"].as_i64().unwrap();
    let map = app.seatmap(perf_id).await;
    assert_eq!(map["seats"].as_array().unwrap().len(), 600);
    let a1 = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["row"] == "A" && s["number"] == 1)
        .unwrap();
    let bought = app.buy(perf_id, &[a1["id"].as_i64().unwrap()]).await;
    assert_eq!(bought["status"], "paid");
    assert_eq!(
        bought["tickets"][0]["number"].as_str().unwrap(),
        "SP-PLEIN-000001",
        "numbered in the new venue's series"
    );
}
both_databases!(a_town_builds_its_halls_and_sells_in_them, town_halls);

/// The raw answer of a plan upload (the body is a plan file, not a request object).
async fn put_plan(
    app: &TestApp,
    hall_id: i64,
    query: &str,
    body: Vec<u8>,
    who: &Credential,
) -> Answer {
    let mut req = app
        .client
        .put(app.url(&format!("/api/v1/admin/halls/{hall_id}/seatmap{query}")))
        .header("content-type", "application/json")
        .body(body);
    if let Credential::Cookie(c) = who {
        req = req.header("cookie", format!("guichet_staff={c}"));
    }
    let r = req.send().await.expect("request");
    Answer {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.json().await.unwrap_or(Value::Null),
    }
}

async fn seatmap_versions(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "regie@ville.fr", "admin").await;
    account(&app, "caisse@ville.fr", "box_office").await;
    let admin = session(&app, "regie@ville.fr").await;
    let map = app.seatmap(f.performance_id).await;
    let hall_id = map["performance"]["hall_id"].as_i64().unwrap();
    let sold = f.seat_ids[0];
    let bought = app.buy(f.performance_id, &[sold]).await;
    assert_eq!(bought["status"], "paid");
    let held = app.hold(f.performance_id, &[f.seat_ids[1]]).await;
    assert_eq!(held.status, 201);

    let current = send(
        &app,
        "GET",
        &format!("/api/v1/admin/halls/{hall_id}/seatmap"),
        None,
        &admin,
    )
    .await;
    assert_eq!(current.status, 200);
    assert_eq!(current.headers["guichet-seatmap-version"], "1");
    let seats = current.body["seats"].as_array().unwrap().len();
    // The edited plan loses its first seats (the sold and held ones among them).
    let mut plan = current.body.clone();
    plan["seats"].as_array_mut().unwrap().drain(0..2);
    let plan = serde_json::to_vec(&plan).unwrap();

    let refused = put_plan(
        &app,
        hall_id,
        "",
        plan.clone(),
        &session(&app, "caisse@ville.fr").await,
    )
    .await;
    assert_eq!(refused.status, 403);
    let saved = put_plan(&app, hall_id, "?base=1", plan.clone(), &admin).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(saved.body["version"], 2);
    assert_eq!(saved.body["seats"], seats as i64 - 2);
    let stale = put_plan(&app, hall_id, "?base=1", plan.clone(), &admin).await;
    assert_eq!(stale.status, 409, "{:?}", stale.body);
    assert_eq!(stale.body["error"], "conflict");

    // The performance on sale keeps version 1: the sold seat sold, the held one held.
    let after = app.seatmap(f.performance_id).await;
    let mut expected = map["seats"].as_array().unwrap().clone();
    for seat in expected.iter_mut() {
        if seat["id"] == sold {
            seat["status"] = json!("sold");
        } else if seat["id"] == f.seat_ids[1] {
            seat["status"] = json!("held");
        }
    }
    assert_eq!(after["seats"], Value::Array(expected));

    // Bad uploads are refused whole and located; the version stays.
    let junk = put_plan(&app, hall_id, "", b"{pas du json".to_vec(), &admin).await;
    assert_eq!(junk.status, 422, "{:?}", junk.body);
    assert!(junk.body["message"]
        .as_str()
        .unwrap()
        .contains("fichier illisible"));
    let format = put_plan(&app, hall_id, "?format=xls", plan.clone(), &admin).await;
    assert_eq!(format.status, 422);
    let mut broken = pretix_plan(3, 4);
    broken["zones"][0]["rows"][1]["seats"][2]["seat_guid"] = json!("z1-r1-s1");
    let dup = put_plan(
        &app,
        hall_id,
        "?format=pretix",
        serde_json::to_vec(&broken).unwrap(),
        &admin,
    )
    .await;
    assert_eq!(dup.status, 422);
    assert!(dup.body["message"]
        .as_str()
        .unwrap()
        .contains("identifiant en double"));

    // A pretix plan becomes version 3; new performances are put on sale with it.
    let pretix = put_plan(
        &app,
        hall_id,
        "?format=pretix",
        serde_json::to_vec(&pretix_plan(3, 4)).unwrap(),
        &admin,
    )
    .await;
    assert_eq!(pretix.status, 200, "{:?}", pretix.body);
    assert_eq!(pretix.body["version"], 3);
    assert_eq!(pretix.body["categories"], json!(["Parterre", "Fond"]));
    let v1 = send(
        &app,
        "GET",
        &format!("/api/v1/admin/halls/{hall_id}/seatmap?version=1"),
        None,
        &admin,
    )
    .await;
    assert_eq!(v1.headers["guichet-seatmap-version"], "1");
    assert_eq!(v1.body["seats"].as_array().unwrap().len(), seats);
    let none = send(
        &app,
        "GET",
        &format!("/api/v1/admin/halls/{hall_id}/seatmap?version=99"),
        None,
        &admin,
    )
    .await;
    assert_eq!(none.status, 404);
    let show = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Tartuffe", "kind": "theatre", "duration_min": 120})),
        &admin,
    )
    .await;
    let show_id = show.body["id"].as_i64().unwrap();
    // Its three rows are all "Parterre": "Fond" has no seat in this version to price.
    let unused = send(
        &app,
        "POST",
        &format!("/api/v1/admin/shows/{show_id}/performances"),
        Some(
            &json!({"hall_id": hall_id, "starts_at": [future(21, 0)], "published": true,
                     "prices": {"Parterre": {"plein": 2000}, "Fond": {"plein": 1500}}}),
        ),
        &admin,
    )
    .await;
    assert_eq!(unused.status, 422, "{:?}", unused.body);
    let perf = send(
        &app,
        "POST",
        &format!("/api/v1/admin/shows/{show_id}/performances"),
        Some(
            &json!({"hall_id": hall_id, "starts_at": [future(21, 0)], "published": true,
                     "prices": {"Parterre": {"plein": 2000}}}),
        ),
        &admin,
    )
    .await;
    assert_eq!(perf.status, 201, "{:?}", perf.body);
    let new_map = app.seatmap(perf.body[0]["id"].as_i64().unwrap()).await;
    assert_eq!(new_map["seats"].as_array().unwrap().len(), 12);
    let halls = send(&app, "GET", "/api/v1/admin/halls", None, &admin).await;
    let listed = halls
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == hall_id)
        .unwrap()
        .clone();
    assert_eq!(listed["seats"], 12);
    let audit = send(&app, "GET", "/api/v1/admin/audit?limit=50", None, &admin).await;
    assert_eq!(
        audit
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["action"] == "hall.seatmap")
            .count(),
        2
    );
}
both_databases!(
    a_hall_gets_new_seatmap_versions_without_moving_sold_seats,
    seatmap_versions
);

/// The editor's blocks: a seat kept for the house keeps its reason through a new version, is
/// never on sale in performances of that version, and a reason without a block is refused.
async fn block_reasons(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "regie@ville.fr", "admin").await;
    let admin = session(&app, "regie@ville.fr").await;
    let map = app.seatmap(f.performance_id).await;
    let hall_id = map["performance"]["hall_id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/halls/{hall_id}/seatmap");
    let mut plan = send(&app, "GET", &path, None, &admin).await.body;
    let label = |s: &Value| format!("{}{}", s["row"].as_str().unwrap(), s["number"]);
    let kept = label(&plan["seats"][3]);
    plan["seats"][3]["blocked"] = json!(true);
    plan["seats"][3]["block_reason"] = json!("house");

    let mut wrong = plan.clone();
    wrong["seats"][4]["block_reason"] = json!("press");
    let refused = put_plan(
        &app,
        hall_id,
        "",
        serde_json::to_vec(&wrong).unwrap(),
        &admin,
    )
    .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert!(refused.body["message"]
        .as_str()
        .unwrap()
        .contains("motif de blocage sur une place en vente"));
    let mut unknown = plan.clone();
    unknown["seats"][4]["block_reason"] = json!("vip");
    let refused = put_plan(
        &app,
        hall_id,
        "",
        serde_json::to_vec(&unknown).unwrap(),
        &admin,
    )
    .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);

    let saved = put_plan(
        &app,
        hall_id,
        "?base=1",
        serde_json::to_vec(&plan).unwrap(),
        &admin,
    )
    .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    let again = send(&app, "GET", &path, None, &admin).await.body;
    let seat = again["seats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| label(s) == kept)
        .unwrap()
        .clone();
    assert_eq!(
        (seat["blocked"].clone(), seat["block_reason"].clone()),
        (json!(true), json!("house"))
    );
    let reasons = again["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["block_reason"].is_null())
        .count();
    assert_eq!(reasons, 1);
    // Exported, imported: unchanged.
    assert_eq!(again["seats"], plan["seats"]);
}
both_databases!(blocked_seats_keep_their_reason, block_reasons);

//! Venues and halls through the admin API: a generated hall, a pretix plan imported, a plan
//! exported and imported again, a town's own hall put on sale; bad plans refused, located.
use crate::both_databases;
use crate::helpers::*;
use crate::programme::future;
use crate::staff::{account, send, session};
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

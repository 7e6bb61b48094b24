use crate::both_databases;
use crate::helpers::*;

async fn programme_lists_demo_performances(app: TestApp) {
    server::demo::seed(&app.uc.setup, now()).await.unwrap();
    let all = app.get("/api/v1/performances").await;
    assert_eq!(all.status, 200);
    let list = all.body.as_array().unwrap();
    assert!(
        list.len() >= 60,
        "two weeks of demo performances, got {}",
        list.len()
    );
    let theatre = list
        .iter()
        .find(|p| p["hall"] == "Grande salle")
        .expect("a theatre performance");
    assert_eq!(theatre["kind"], "theatre");
    assert_eq!(theatre["seated"], true);
    assert_eq!(
        theatre["available"], 450,
        "452 seats minus the 2 of the technical desk"
    );
    assert!(theatre["starts_at"].as_str().unwrap().ends_with('Z'));
    let ga = list
        .iter()
        .find(|p| p["hall"] == "Salle 2")
        .expect("a placement-libre screening");
    assert_eq!(ga["seated"], false);
    assert_eq!(ga["available"], 90);

    let cinema = app.get("/api/v1/performances?kind=cinema").await;
    assert!(cinema
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["kind"] == "cinema"));
    let bad_kind = app.get("/api/v1/performances?kind=opera").await;
    assert_eq!(bad_kind.status, 400);
    assert_eq!(bad_kind.body["error"], "bad_request");
    let bad_date = app.get("/api/v1/performances?date=demain").await;
    assert_eq!(bad_date.status, 422);
    assert!(bad_date.body["message"]
        .as_str()
        .unwrap()
        .contains("Date invalide"));

    // Seeding again changes nothing.
    server::demo::seed(&app.uc.setup, now()).await.unwrap();
    assert_eq!(
        app.get("/api/v1/performances")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        list.len()
    );
}
both_databases!(programme, programme_lists_demo_performances);

async fn seatmap_shape_and_errors(app: TestApp) {
    let f = fixture(
        &app,
        FixtureSpec {
            blocked: vec![5],
            ..Default::default()
        },
    )
    .await;
    let map = app.seatmap(f.performance_id).await;
    let seats = map["seats"].as_array().unwrap();
    assert_eq!(seats.len(), 20);
    let s = &seats[0];
    for key in [
        "id",
        "status",
        "zone",
        "row",
        "number",
        "category",
        "accessible",
        "companion",
        "restricted_view",
        "x",
        "y",
    ] {
        assert!(s.get(key).is_some(), "seat has {key}");
    }
    assert_eq!(seats[4]["status"], "blocked");
    assert_eq!(seats[0]["status"], "free");
    let tariffs = map["categories"][0]["tariffs"].as_array().unwrap();
    assert_eq!(tariffs[0]["code"], "plein");
    assert_eq!(tariffs[0]["price_cents"], 2000);
    assert_eq!(map["performance"]["available"], 19);

    let missing = app.get("/api/v1/performances/999999/seatmap").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["error"], "not_found");
    let garbage = app.get("/api/v1/performances/abc/seatmap").await;
    assert_eq!(garbage.status, 400);
    assert_eq!(garbage.body["error"], "bad_request");
    let unknown = app.get("/api/v1/nothing-here").await;
    assert_eq!(unknown.status, 404);
}
both_databases!(seatmap, seatmap_shape_and_errors);

//! The programme through the admin API: a show, its performances (recurring, priced), prepared
//! unpublished then published and sold; bad requests answered 4xx with nothing written.
use crate::both_databases;
use crate::helpers::*;
use crate::staff::{account, send, session, Credential};
use serde_json::{json, Value};

/// An RFC 3339 instant `days` days and `hours` hours from now, on the hour.
pub fn future(days: i64, hours: i64) -> String {
    let t = (now() / 3600 + days * 24 + hours) * 3600;
    chrono::DateTime::from_timestamp(t, 0).unwrap().to_rfc3339()
}

fn paris_day(rfc3339: &str) -> String {
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp();
    app::domain::paris::day_key(t)
}

async fn season(app: TestApp) {
    fixture(&app, FixtureSpec::default()).await;
    account(&app, "regie@ville.fr", "admin").await;
    let admin = session(&app, "regie@ville.fr").await;
    let halls = send(&app, "GET", "/api/v1/admin/halls", None, &admin).await;
    assert_eq!(halls.status, 200);
    let hall = &halls.body[0];
    assert_eq!(hall["categories"], json!(["Catégorie 1"]));
    let hall_id = hall["id"].as_i64().unwrap();

    let show = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Le Misanthrope", "kind": "theatre", "duration_min": 130, "age_rating": "Tous publics"})),
        &admin,
    )
    .await;
    assert_eq!(show.status, 201, "{:?}", show.body);
    let show_id = show.body["id"].as_i64().unwrap();

    let from = future(30, 0);
    let day = paris_day(&from);
    let to = paris_day(&future(33, 0));
    let created = send(
        &app,
        "POST",
        &format!("/api/v1/admin/shows/{show_id}/performances"),
        Some(&json!({
            "hall_id": hall_id,
            "recurrence": {"from": day, "to": to, "weekdays": ["mon","tue","wed","thu","fri","sat","sun"], "times": ["20:30"]},
            "prices": {"Catégorie 1": {"plein": 2200, "reduit": 1600}},
            "published": false,
            "max_seats_per_order": 6
        })),
        &admin,
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let perfs = created.body.as_array().unwrap().clone();
    assert_eq!(perfs.len(), 4);
    let first = perfs[0]["id"].as_i64().unwrap();

    // Prepared: not listed, not sold.
    let listed = |body: &Value| {
        body.as_array()
            .unwrap()
            .iter()
            .any(|p| p["show_id"] == show_id)
    };
    let programme = app.get(&format!("/api/v1/performances?date={day}")).await;
    assert!(!listed(&programme.body));
    let refused = app.hold_quantity(first, 2).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert_eq!(
        refused.body["message"],
        "Cette séance n’est pas encore en vente."
    );

    let published = send(
        &app,
        "PATCH",
        &format!("/api/v1/admin/performances/{first}"),
        Some(&json!({"published": true})),
        &admin,
    )
    .await;
    assert_eq!(published.status, 200, "{:?}", published.body);
    let programme = app.get(&format!("/api/v1/performances?date={day}")).await;
    assert!(
        listed(&programme.body),
        "published: in the programme at once"
    );
    let map = app.seatmap(first).await;
    let seat = map["seats"][0]["id"].as_i64().unwrap();
    let bought = app.buy(first, &[seat]).await;
    assert_eq!(bought["status"], "paid", "{bought:?}");

    // Bad requests: a 4xx that says what is wrong, and nothing written.
    let bad = |body: Value| {
        let admin = admin.clone();
        let app = &app;
        async move {
            send(
                app,
                "POST",
                &format!("/api/v1/admin/shows/{show_id}/performances"),
                Some(&body),
                &admin,
            )
            .await
        }
    };
    let tariff = bad(json!({"hall_id": hall_id, "starts_at": [future(40, 0)], "prices": {"Catégorie 1": {"vip": 5000}}})).await;
    assert_eq!(
        (tariff.status, tariff.body["error"].as_str()),
        (422, Some("validation"))
    );
    assert_eq!(
        tariff.body["message"],
        "Le tarif « vip » n’est pas au catalogue de ce lieu (ou n’y est plus proposé)."
    );
    let taken = perfs[1]["starts_at"].clone();
    let clash = bad(json!({"hall_id": hall_id, "starts_at": [future(41, 0), taken], "prices": {"Catégorie 1": {"plein": 2200}}})).await;
    assert_eq!(clash.status, 409, "{:?}", clash.body);
    let unknown_field =
        bad(json!({"hall_id": hall_id, "starts": [future(40, 0)], "prices": {}})).await;
    assert_eq!(unknown_field.status, 400);
    let past = bad(json!({"hall_id": hall_id, "starts_at": ["2020-01-01T20:00:00+01:00"], "prices": {"Catégorie 1": {"plein": 1}}})).await;
    assert_eq!(past.status, 422);
    let after = app
        .get(&format!(
            "/api/v1/performances?date={}",
            paris_day(&future(41, 0))
        ))
        .await;
    assert!(!listed(&after.body));
    let show_page = app.get(&format!("/api/v1/shows/{show_id}")).await;
    assert_eq!(
        show_page.body["performances"].as_array().unwrap().len(),
        1,
        "one published of four; the clash wrote none"
    );

    // Not for box office or door staff; audited for admins.
    account(&app, "caisse@ville.fr", "box_office").await;
    let caisse = session(&app, "caisse@ville.fr").await;
    let no = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "X", "kind": "cinema", "duration_min": 90})),
        &caisse,
    )
    .await;
    assert_eq!(no.status, 403);
    let audit = send(&app, "GET", "/api/v1/admin/audit", None, &admin).await;
    let actions: Vec<&str> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in ["show.create", "performance.create", "performance.update"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    let _ = Credential::None;
}
both_databases!(
    a_season_is_prepared_published_and_sold_through_the_admin_api,
    season
);

async fn films_and_concerts(app: TestApp) {
    account(&app, "regie@ville.fr", "admin").await;
    let admin = session(&app, "regie@ville.fr").await;
    let film = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Cléo de 5 à 7", "kind": "cinema", "duration_min": 90,
                     "visa": "24 591", "distributor": "Ciné-Tamaris", "version": "VF", "three_d": false})),
        &admin,
    )
    .await;
    assert_eq!(film.status, 201, "{:?}", film.body);
    assert_eq!(
        film.body["film"],
        json!({"visa": "24591", "distributor": "Ciné-Tamaris", "version": "VF", "three_d": false})
    );
    let public = app.get(&format!("/api/v1/shows/{}", film.body["id"])).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.body["film"]["visa"], "24591");
    let concert = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Concert du Nouvel An", "kind": "concert", "duration_min": 120})),
        &admin,
    )
    .await;
    assert_eq!(concert.status, 201, "{:?}", concert.body);
    assert_eq!(concert.body["kind"], "concert");
    assert_eq!(concert.body["film"], Value::Null);
    let public = app
        .get(&format!("/api/v1/shows/{}", concert.body["id"]))
        .await;
    assert_eq!(
        (public.body["kind"].clone(), public.body["film"].clone()),
        (json!("concert"), Value::Null)
    );
    for (body, message) in [
        (
            json!({"title": "Le Cid", "kind": "theatre", "duration_min": 120, "visa": "1"}),
            "ne concernent que les films",
        ),
        (
            json!({"title": "X", "kind": "cinema", "duration_min": 90, "visa": "n/a"}),
            "des chiffres seulement",
        ),
        (
            json!({"title": "X", "kind": "cinema", "duration_min": 90, "version": "VFQ"}),
            "VF, VOST ou VO",
        ),
    ] {
        let refused = send(&app, "POST", "/api/v1/admin/shows", Some(&body), &admin).await;
        assert_eq!(refused.status, 422, "{body}");
        assert!(
            refused.body["message"].as_str().unwrap().contains(message),
            "{:?}",
            refused.body
        );
    }
}
both_databases!(
    films_carry_their_report_fields_and_concerts_are_shows,
    films_and_concerts
);

async fn cancellation(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "regie@ville.fr", "admin").await;
    account(&app, "caisse@ville.fr", "box_office").await;
    let admin = session(&app, "regie@ville.fr").await;
    let counter = session(&app, "caisse@ville.fr").await;
    let paid = app.buy(f.performance_id, &f.seat_ids[..2]).await;
    let hold = app.hold(f.performance_id, &[f.seat_ids[2]]).await;
    let unpaid = app
        .order(
            hold.body["id"].as_str().unwrap(),
            json!([{"seat_id": f.seat_ids[2], "tariff": "plein"}]),
        )
        .await;
    assert_eq!(unpaid.status, 201);
    let held = app.hold(f.performance_id, &[f.seat_ids[3]]).await;
    assert_eq!(held.status, 201);

    let path = format!("/api/v1/admin/performances/{}/cancel", f.performance_id);
    let refused = send(&app, "POST", &path, None, &counter).await;
    assert_eq!(refused.status, 403);
    let done = send(&app, "POST", &path, None, &admin).await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert_eq!(done.body["performance"]["cancelled"], true);
    assert_eq!(done.body["unpaid_cancelled"], 1);
    let to_refund = done.body["to_refund"].as_array().unwrap();
    assert_eq!(to_refund.len(), 1);
    assert_eq!(to_refund[0]["order_id"], paid["id"]);
    assert_eq!(to_refund[0]["name"], "Marie Curie");
    assert_eq!(to_refund[0]["email"], "marie@exemple.fr");
    assert_eq!(
        (
            to_refund[0]["tickets"].clone(),
            to_refund[0]["refund_due"].clone()
        ),
        (json!(2), json!(true))
    );
    let again = send(&app, "POST", &path, None, &admin).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.body["error"], "conflict");

    // The box office sees whom to refund.
    let buyers = send(
        &app,
        "GET",
        &format!("/api/v1/admin/performances/{}/buyers", f.performance_id),
        None,
        &counter,
    )
    .await;
    assert_eq!(buyers.status, 200);
    assert_eq!(buyers.body, Value::Array(to_refund.clone()));
    let due = send(&app, "GET", "/api/v1/admin/refunds", None, &counter).await;
    assert_eq!(due.status, 200);
    assert_eq!(due.body.as_array().unwrap().len(), 1, "{:?}", due.body);
    assert_eq!(due.body[0]["order_id"], paid["id"]);
    assert_eq!(due.body[0]["reason"], "performance_cancelled");
    assert_eq!(due.body[0]["email"], "marie@exemple.fr");
    // Off sale: new holds refused, the held and sold seats free, the tickets cancelled.
    let hold = app.hold(f.performance_id, &[f.seat_ids[5]]).await;
    assert_eq!(hold.status, 422, "{}", hold.body);
    assert_eq!(hold.body["message"], "Cette séance est annulée.");
    let map = app.seatmap(f.performance_id).await;
    assert!(map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["status"] == "free" || s["status"] == "blocked"));
    let order = app
        .get(&format!(
            "/api/v1/orders/{}?token={}",
            paid["id"].as_str().unwrap(),
            paid["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(order.status, 200, "{}", order.body);
    assert!(
        order.body["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] == "cancelled"),
        "{}",
        order.body
    );
    let unpaid_now = app
        .get(&format!(
            "/api/v1/orders/{}?token={}",
            unpaid.body["id"].as_str().unwrap(),
            unpaid.body["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(unpaid_now.body["status"], "cancelled");
    let check = app.guichet(&["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // The day's list in the back office still shows it, as cancelled.
    let day = paris_day(map["performance"]["starts_at"].as_str().unwrap());
    let listed = send(
        &app,
        "GET",
        &format!("/api/v1/admin/performances?date={day}"),
        None,
        &admin,
    )
    .await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    let line = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == f.performance_id)
        .unwrap()
        .clone();
    assert_eq!(
        (line["cancelled"].clone(), line["sold"].clone()),
        (json!(true), json!(0))
    );
    let bad_day = send(
        &app,
        "GET",
        "/api/v1/admin/performances?date=2026-13-40",
        None,
        &admin,
    )
    .await;
    assert_eq!(bad_day.status, 422);
    let missing = send(
        &app,
        "POST",
        "/api/v1/admin/performances/999999/cancel",
        None,
        &admin,
    )
    .await;
    assert_eq!(missing.status, 404);
}
both_databases!(
    a_cancelled_performance_lists_its_buyers_to_refund,
    cancellation
);

async fn quotas_and_channels(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "regie@ville.fr", "admin").await;
    let admin = session(&app, "regie@ville.fr").await;
    let map = app.seatmap(f.performance_id).await;
    let hall_id = map["performance"]["hall_id"].as_i64().unwrap();
    let halls = send(&app, "GET", "/api/v1/admin/halls", None, &admin).await;
    let hall = halls
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == hall_id)
        .unwrap()
        .clone();
    let prices: serde_json::Map<String, Value> = hall["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c.as_str().unwrap().to_string(),
                json!({"plein": 2000, "enfant": 800}),
            )
        })
        .collect();
    let show = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Pierre et le Loup", "kind": "concert", "duration_min": 40})),
        &admin,
    )
    .await;
    let show_id = show.body["id"].as_i64().unwrap();
    let create = |starts: String, extra: Value| {
        let mut body =
            json!({"hall_id": hall_id, "starts_at": [starts], "published": true, "prices": prices});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let path = format!("/api/v1/admin/shows/{show_id}/performances");
    for (extra, message) in [
        (json!({"quotas": {"gratuit_vip": 3}}), "gratuit_vip"),
        (json!({"quotas": {"enfant": -1}}), "enfant"),
        (json!({"channels": ["guichet"]}), "guichet"),
        (json!({"channels": []}), "au moins un canal"),
    ] {
        let refused = send(
            &app,
            "POST",
            &path,
            Some(&create(future(30, 0), extra.clone())),
            &admin,
        )
        .await;
        assert_eq!(refused.status, 422, "{extra}: {:?}", refused.body);
        assert!(
            refused.body["message"].as_str().unwrap().contains(message),
            "{:?}",
            refused.body
        );
    }
    let perf = send(
        &app,
        "POST",
        &path,
        Some(&create(future(30, 0), json!({"quotas": {"enfant": 2}}))),
        &admin,
    )
    .await;
    assert_eq!(perf.status, 201, "{:?}", perf.body);
    let perf_id = perf.body[0]["id"].as_i64().unwrap();
    let seats: Vec<i64> = app.seatmap(perf_id).await["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "free")
        .map(|s| s["id"].as_i64().unwrap())
        .collect();

    // Two "enfant" places: the first order takes one, the second asks for two and is told one is left.
    let order = |seats: Vec<i64>, tariffs: Vec<&'static str>| {
        let app = &app;
        async move {
            let hold = app.hold(perf_id, &seats).await;
            assert_eq!(hold.status, 201, "{}", hold.body);
            let tickets: Vec<Value> = seats
                .iter()
                .zip(tariffs)
                .map(|(s, t)| json!({"seat_id": s, "tariff": t}))
                .collect();
            app.order(hold.body["id"].as_str().unwrap(), json!(tickets))
                .await
        }
    };
    let first = order(vec![seats[0], seats[1]], vec!["enfant", "plein"]).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = order(vec![seats[2], seats[3]], vec!["enfant", "enfant"]).await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert!(
        second.body["message"]
            .as_str()
            .unwrap()
            .starts_with("Il ne reste que 1 place(s) au tarif"),
        "{}",
        second.body
    );
    let third = order(vec![seats[4]], vec!["enfant"]).await;
    assert_eq!(third.status, 201, "{}", third.body);
    let fourth = order(vec![seats[5]], vec!["enfant"]).await;
    assert_eq!(fourth.status, 409, "{}", fourth.body);
    let full_price = order(vec![seats[6]], vec!["plein"]).await;
    assert_eq!(full_price.status, 201, "other tariffs still sell");

    // Box office only: listed, not sold online; opened online later by a PATCH.
    let counter = send(
        &app,
        "POST",
        &path,
        Some(&create(future(31, 0), json!({"channels": ["box_office"]}))),
        &admin,
    )
    .await;
    assert_eq!(counter.status, 201, "{:?}", counter.body);
    assert_eq!(counter.body[0]["sold_online"], false);
    let counter_id = counter.body[0]["id"].as_i64().unwrap();
    let refused = app.hold_quantity(counter_id, 1).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        refused.body["message"],
        "Cette séance est vendue à la billetterie seulement."
    );
    let opened = send(
        &app,
        "PATCH",
        &format!("/api/v1/admin/performances/{counter_id}"),
        Some(&json!({"sold_online": true})),
        &admin,
    )
    .await;
    assert_eq!(opened.status, 200, "{:?}", opened.body);
    assert_eq!(opened.body["sold_online"], true);
    assert_eq!(app.hold_quantity(counter_id, 1).await.status, 201);
}
both_databases!(tariff_quotas_and_sale_channels_hold, quotas_and_channels);

async fn tariff_catalogue(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "regie@ville.fr", "admin").await;
    let admin = session(&app, "regie@ville.fr").await;
    let listed = send(&app, "GET", "/api/v1/admin/tariffs", None, &admin).await;
    assert_eq!(listed.status, 200);
    let codes: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    for usual in ["plein", "reduit", "moins26", "enfant", "invitation"] {
        assert!(codes.contains(&usual), "{codes:?}");
    }
    let created = send(&app, "POST", "/api/v1/admin/tariffs",
        Some(&json!({"code": "Etudiant", "label_fr": "Étudiant", "label_en": "Student", "proof_required": true})), &admin).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["code"], "etudiant");
    assert_eq!(created.body["family"], "autre");
    let taken = send(
        &app,
        "POST",
        "/api/v1/admin/tariffs",
        Some(&json!({"code": "etudiant", "label_fr": "Encore"})),
        &admin,
    )
    .await;
    assert_eq!(taken.status, 409);
    for body in [
        json!({"code": "é", "label_fr": "X"}),
        json!({"code": "abc", "label_fr": "X", "family": "reduit"}),
    ] {
        let refused = send(&app, "POST", "/api/v1/admin/tariffs", Some(&body), &admin).await;
        assert_eq!(refused.status, 422, "{body}");
    }
    let changed = send(
        &app,
        "PATCH",
        "/api/v1/admin/tariffs/reduit",
        Some(&json!({"label_fr": "Tarif réduit (demandeurs d'emploi)", "proof_required": true})),
        &admin,
    )
    .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(
        changed.body["label_fr"],
        "Tarif réduit (demandeurs d'emploi)"
    );
    let missing = send(
        &app,
        "PATCH",
        "/api/v1/admin/tariffs/nope",
        Some(&json!({"proof_required": true})),
        &admin,
    )
    .await;
    assert_eq!(missing.status, 404);

    // The new tariff prices a performance; the seat map offers it with its proof flag.
    let map = app.seatmap(f.performance_id).await;
    let hall_id = map["performance"]["hall_id"].as_i64().unwrap();
    let halls = send(&app, "GET", "/api/v1/admin/halls", None, &admin).await;
    let hall = halls
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == hall_id)
        .unwrap()
        .clone();
    let prices: serde_json::Map<String, Value> = hall["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c.as_str().unwrap().to_string(),
                json!({"plein": 2000, "etudiant": 1000}),
            )
        })
        .collect();
    let show = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Les Fourberies de Scapin", "kind": "theatre", "duration_min": 100})),
        &admin,
    )
    .await;
    let request = json!({"hall_id": hall_id, "starts_at": [future(40, 0)], "published": true, "prices": prices});
    let path = format!("/api/v1/admin/shows/{}/performances", show.body["id"]);
    // A town's code is priced in a venue once the venue offers it.
    let refused = send(&app, "POST", &path, Some(&request), &admin).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let offered = send(
        &app,
        "POST",
        &format!("/api/v1/admin/venues/{}/tariffs", hall["venue_id"]),
        Some(&json!({"code": "etudiant", "label_fr": "Étudiant", "proof_required": true})),
        &admin,
    )
    .await;
    assert_eq!(offered.status, 201, "{:?}", offered.body);
    let perf = send(&app, "POST", &path, Some(&request), &admin).await;
    assert_eq!(perf.status, 201, "{:?}", perf.body);
    let map = app.seatmap(perf.body[0]["id"].as_i64().unwrap()).await;
    let tariffs = map["categories"][0]["tariffs"].as_array().unwrap();
    let student = tariffs.iter().find(|t| t["code"] == "etudiant").unwrap();
    assert_eq!(
        (student["label"].clone(), student["proof_required"].clone()),
        (json!("Étudiant"), json!(true))
    );
    let audit = send(&app, "GET", "/api/v1/admin/audit?limit=50", None, &admin).await;
    let acts: Vec<&str> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert!(
        acts.contains(&"tariff.create") && acts.contains(&"tariff.update"),
        "{acts:?}"
    );
}
both_databases!(admins_keep_the_tariff_catalogue, tariff_catalogue);

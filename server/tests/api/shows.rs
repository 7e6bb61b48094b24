//! Shows after creation: the back office lists and edits them and gives them a poster, which the
//! public show page names and the site serves with a year-long cache.
use crate::both_databases;
use crate::helpers::*;
use crate::staff::{account, send, session, Credential};
use serde_json::json;

/// A PNG header of the given size (what the server reads the format and size from).
fn png(width: u32, height: u32, salt: u8) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    b.extend_from_slice(&13u32.to_be_bytes());
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, salt]);
    b
}

async fn upload(
    app: &TestApp,
    show_id: i64,
    bytes: Vec<u8>,
    who: &Credential,
) -> (u16, serde_json::Value) {
    let mut req = app
        .client
        .put(app.url(&format!("/api/v1/admin/shows/{show_id}/poster")))
        // What the browser claims does not count: the bytes do.
        .header("content-type", "image/jpeg")
        .body(bytes);
    if let Credential::Cookie(c) = who {
        req = req.header("cookie", format!("guichet_staff={c}"));
    }
    let r = req.send().await.expect("upload");
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

async fn shows_and_posters(app: TestApp) {
    fixture(&app, FixtureSpec::default()).await;
    account(&app, "regie@ville.fr", "admin").await;
    account(&app, "caisse@ville.fr", "box_office").await;
    let admin = session(&app, "regie@ville.fr").await;
    let counter = session(&app, "caisse@ville.fr").await;
    let created = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Paris, Texas", "kind": "cinema", "duration_min": 145, "version": "VOST"})),
        &admin,
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();

    let listed = send(&app, "GET", "/api/v1/admin/shows", None, &admin).await;
    assert_eq!(listed.status, 200);
    let mine = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(mine["title"], "Paris, Texas");
    assert_eq!(mine["coming_performances"], 0);
    assert_eq!(mine["poster"], serde_json::Value::Null);
    assert_eq!(
        send(&app, "GET", "/api/v1/admin/shows", None, &counter)
            .await
            .status,
        403
    );

    // Edited: a wrong duration is refused with nothing changed, a right one is kept.
    let path = format!("/api/v1/admin/shows/{id}");
    let bad = send(
        &app,
        "PATCH",
        &path,
        Some(&json!({"duration_min": 0})),
        &admin,
    )
    .await;
    assert_eq!(
        (bad.status, bad.body["error"].as_str()),
        (422, Some("validation"))
    );
    let unknown = send(
        &app,
        "PATCH",
        &path,
        Some(&json!({"colour": "red"})),
        &admin,
    )
    .await;
    assert_eq!(unknown.status, 400);
    let ok = send(
        &app,
        "PATCH",
        &path,
        Some(&json!({"duration_min": 147, "distributor": "Argos Films"})),
        &admin,
    )
    .await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(ok.body["duration_min"], 147);
    assert_eq!(ok.body["film"]["distributor"], "Argos Films");
    assert_eq!(ok.body["film"]["version"], "VOST");

    // A poster: read from the bytes, served with a year-long cache, named on the public show.
    let first = png(800, 1200, 1);
    let (status, body) = upload(&app, id, first.clone(), &admin).await;
    assert_eq!(status, 200, "{body:?}");
    let url = body["poster"]["url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("/affiches/{id}-")) && url.ends_with(".png"),
        "{url}"
    );
    assert_eq!(
        (
            body["poster"]["width"].as_i64(),
            body["poster"]["height"].as_i64()
        ),
        (Some(800), Some(1200))
    );
    let served = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(
        served.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(served.bytes().await.unwrap().as_ref(), first.as_slice());
    let public = app.get(&format!("/api/v1/shows/{id}")).await;
    assert_eq!(public.body["poster"]["url"], url.as_str());

    // Refusals: not an image (whatever the Content-Type said), too small, too large, another
    // role, an unknown show. The poster stays the first.
    let (status, body) = upload(&app, id, b"%PDF-1.7 not a poster".to_vec(), &admin).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("validation")));
    assert_eq!(
        body["message"],
        "L’affiche doit être une image JPEG, PNG ou WebP."
    );
    let (status, body) = upload(&app, id, png(40, 60, 2), &admin).await;
    assert_eq!(status, 422);
    assert!(
        body["message"].as_str().unwrap().contains("40 × 60"),
        "{body:?}"
    );
    let mut huge = png(800, 1200, 3);
    huge.resize(app::domain::poster::MAX_POSTER_BYTES + 10, 0);
    let (status, body) = upload(&app, id, huge, &admin).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (413, Some("payload_too_large")),
        "{body:?}"
    );
    assert_eq!(upload(&app, id, png(800, 1200, 4), &counter).await.0, 403);
    assert_eq!(
        upload(&app, id, png(800, 1200, 4), &Credential::None)
            .await
            .0,
        401
    );
    assert_eq!(
        upload(&app, 999_999, png(800, 1200, 4), &admin).await.0,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/shows/{id}")).await.body["poster"]["url"],
        url.as_str()
    );

    // A new poster is a new URL; the old one is gone (404 JSON), as are names that are not a
    // poster's.
    let (status, body) = upload(&app, id, png(600, 900, 5), &admin).await;
    assert_eq!(status, 200);
    assert_ne!(body["poster"]["url"], url.as_str());
    let old = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(old.status(), 404);
    for bad in [
        "/affiches/..%2Fkeys.json",
        "/affiches/1-0000000000000000.svg",
    ] {
        assert_eq!(
            app.client.get(app.url(bad)).send().await.unwrap().status(),
            404,
            "{bad}"
        );
    }
    let removed = send(
        &app,
        "DELETE",
        &format!("/api/v1/admin/shows/{id}/poster"),
        None,
        &admin,
    )
    .await;
    assert_eq!(removed.status, 200);
    assert_eq!(removed.body["poster"], serde_json::Value::Null);
    let audit = send(&app, "GET", "/api/v1/admin/audit", None, &admin).await;
    let actions: Vec<&str> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    for action in ["show.update", "show.poster", "show.poster_removed"] {
        assert!(actions.contains(&action), "{actions:?}");
    }
}
both_databases!(shows, shows_and_posters);

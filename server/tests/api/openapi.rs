//! The OpenAPI document (`GET /api/v1/openapi.json`) and the router agree both ways: the
//! document served is the one the router was built with (every route is registered through
//! `routes!`, from its `#[utoipa::path]`), and every documented operation is answered by a
//! handler — not by the API's `unknown endpoint` fallback, nor with 405 — while the methods it
//! does not document are 405. The document is written to `<target>/tmp/openapi.json`, where
//! `scripts/check-openapi.sh` validates it.
use crate::helpers::*;
use serde_json::Value;
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// `/api/v1/orders/{id}/tickets/{file}` → a path of that shape that names nothing.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|part| match part {
            "{file}" => "999999.pdf",
            "{code}" => "no_such_tariff",
            p if p.starts_with('{') => "999999",
            p => p,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `path` (no query) is an instance of `template`.
pub fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
}

/// Every documented (method, path), methods upper-case.
pub fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                all.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    all
}

/// The documented operations open to staff credentials.
pub fn staff_operations(doc: &Value) -> Vec<(String, String)> {
    operations(doc)
        .into_iter()
        .filter(|(method, path)| {
            doc["paths"][path][method.to_lowercase()]["security"]
                .as_array()
                .is_some_and(|reqs| reqs.iter().any(|r| r.get("staff_session").is_some()))
        })
        .collect()
}

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

async fn answer(app: &TestApp, method: &str, path: &str) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let r = app
        .client
        .request(method, app.url(path))
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    // The live-seat stream would not end: its status line says enough.
    let body = if r
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"))
    {
        Value::Null
    } else {
        r.json().await.unwrap_or(Value::Null)
    };
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_describes_every_route_and_only_them() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let res = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let doc: Value = res.json().await.unwrap();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi.json");
    std::fs::write(&out, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Guichet");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        doc, app.openapi,
        "the document served is the one the router was built with"
    );

    // Document → router: each operation reaches a handler. Router → document: every route is
    // registered from its `#[utoipa::path]`, and the methods a path does not document are 405.
    let (status, unknown) = answer(&app, "GET", "/api/v1/no-such-endpoint").await;
    assert_eq!(status, 404);
    assert_eq!(unknown["error"], "not_found");
    let operations = operations(&doc);
    assert!(operations.len() >= 50, "{} operations", operations.len());
    // Client generators name their methods after `operationId`: each must be unique.
    let mut ids = std::collections::HashMap::new();
    for (method, path) in &operations {
        let id = doc["paths"][path][method.to_lowercase()]["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"))
            .to_string();
        if let Some(other) = ids.insert(id.clone(), format!("{method} {path}")) {
            panic!("operationId {id} is used by {other} and {method} {path}");
        }
    }
    for (method, path) in &operations {
        assert!(path.starts_with("/api/v1/"), "{path}");
        let (status, body) = answer(&app, method, &concrete(path)).await;
        assert!(
            status != 405 && body != unknown,
            "{method} {path} is documented but not routed: {status} {body}"
        );
    }
    let paths: BTreeSet<&String> = operations.iter().map(|(_, p)| p).collect();
    for path in paths {
        for method in METHODS.map(str::to_uppercase) {
            if !operations.contains(&(method.clone(), path.clone())) {
                let (status, _) = answer(&app, &method, &concrete(path)).await;
                assert_eq!(status, 405, "{method} {path} is routed but not documented");
            }
        }
    }
    for (method, path) in [
        ("GET", "/api/v1/openapi.json"),
        ("POST", "/api/v1/holds"),
        ("GET", "/api/v1/orders/{id}"),
        ("GET", "/api/v1/performances/{id}/events"),
        ("PUT", "/api/v1/admin/halls/{id}/seatmap"),
        ("POST", "/api/v1/scan"),
    ] {
        assert!(
            operations.contains(&(method.into(), path.into())),
            "{method} {path} missing"
        );
    }

    // Every reference resolves, and every error answer is the error body.
    let mut all_refs = Vec::new();
    refs(&doc, &mut all_refs);
    for r in &all_refs {
        let pointer = r.strip_prefix('#').expect("a local reference");
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
    assert!(all_refs.contains(&"#/components/schemas/AppError"));
    let responses = doc["components"]["responses"].as_object().unwrap();
    for (name, response) in responses {
        assert_eq!(
            response["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/AppError",
            "{name}"
        );
    }
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    for (method, path) in &operations {
        let op = &doc["paths"][path][method.to_lowercase()];
        let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
        assert!(
            statuses.iter().any(|s| s.starts_with('2')),
            "{method} {path}: no success answer"
        );
        for status in statuses.iter().filter(|s| !s.starts_with('2')) {
            let r = op["responses"][status.as_str()]["$ref"]
                .as_str()
                .unwrap_or("");
            assert!(
                r.starts_with("#/components/responses/"),
                "{method} {path} {status} is not an error answer: {r}"
            );
        }
        assert!(statuses.contains(&&"503".to_string()), "{method} {path}");
        // Who may call it.
        let security: Vec<&str> = op["security"]
            .as_array()
            .map(|reqs| {
                reqs.iter()
                    .flat_map(|r| r.as_object().unwrap().keys().map(String::as_str))
                    .collect()
            })
            .unwrap_or_default();
        for name in &security {
            assert!(schemes.contains_key(*name), "{method} {path}: {name}");
        }
        let staff = (path.starts_with("/api/v1/admin/")
            || path.starts_with("/api/v1/auth/")
            || path.starts_with("/api/v1/box-office/"))
            && path != "/api/v1/auth/login"
            || path == "/api/v1/door/accesses"
            // After a sale: the box office's acts on a buyer's order.
            || path.starts_with("/api/v1/orders/")
                && (path.ends_with("/cancel")
                    || path.ends_with("/refunds")
                    || path.ends_with("/exchange"));
        let door = !staff
            && (path.starts_with("/api/v1/scan")
                || path == "/api/v1/door/me"
                || ["checkin", "attendees", "offline"]
                    .iter()
                    .any(|p| path.ends_with(p)));
        let expected: &[&str] = match (staff, door) {
            (true, _) => &["staff_session", "staff_token"],
            (_, true) => &["door_token"],
            _ => &[],
        };
        assert_eq!(security, expected, "{method} {path}");
        if !expected.is_empty() {
            assert!(statuses.contains(&&"401".to_string()), "{method} {path}");
        }
    }

    // The shapes are the handlers' own types.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "AppError",
        "ErrorCode",
        "HoldRequest",
        "HoldView",
        "OrderRequest",
        "OrderView",
        "PaymentRequest",
        "SeatMap",
        "LiveState",
        "ScanRequest",
        "ScanResult",
        "StaffMember",
        "PerformancesRequest",
        "Plan",
        "Ts",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    let error = &schemas["AppError"];
    assert_eq!(error["required"], serde_json::json!(["error", "message"]));
    assert!(error["properties"]["seat_ids"].is_object());
    assert!(error["properties"]["retry_after"].is_object());
    let codes = schemas["ErrorCode"]["enum"].as_array().unwrap();
    assert!(codes.contains(&"seats_taken".into()) && codes.contains(&"rate_limited".into()));
    assert_eq!(
        doc["paths"]["/api/v1/holds"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"]["$ref"],
        "#/components/schemas/HoldRequest"
    );
    assert_eq!(
        doc["paths"]["/api/v1/orders/{id}"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["$ref"],
        "#/components/schemas/OrderView"
    );
    assert!(
        doc["paths"]["/api/v1/orders/{id}/tickets.pdf"]["get"]["responses"]["200"]["content"]
            ["application/pdf"]
            .is_object()
    );
    assert!(
        doc["paths"]["/api/v1/performances/{id}/events"]["get"]["responses"]["200"]["content"]
            ["text/event-stream"]
            .is_object()
    );
}

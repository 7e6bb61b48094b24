//! Staff accounts over HTTP: login, sessions in cookies, API tokens, the authorization matrix
//! of every staff route, login throttling, and the `guichet staff` commands.
use crate::both_databases;
use crate::helpers::*;
use app::ports::StaffAdmin;
use app::staff::{Actor, NewStaffRequest, StaffChange};
use serde_json::{json, Value};
use server::config::Limits;

pub const PW: &str = "rideau-rouge-2026";

pub async fn account(app: &TestApp, email: &str, role: &str) -> i64 {
    app.uc
        .staff
        .create_staff(
            &Actor::console(),
            &NewStaffRequest {
                email: email.into(),
                name: format!("Agent {role}"),
                role: role.into(),
                supervisor: false,
                password: Some(PW.into()),
            },
        )
        .await
        .unwrap()
        .staff
        .id
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

/// A request with a credential: `cookie` (a session) or `bearer`.
pub async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    body: Option<&Value>,
    credential: &Credential,
) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = app.client.request(method, app.url(path));
    req = match credential {
        Credential::None => req,
        Credential::Cookie(c) => req.header("cookie", format!("guichet_staff={c}")),
        Credential::Bearer(t) => req.bearer_auth(t),
    };
    if let Some(b) = body {
        req = req.json(b);
    }
    let r = req.send().await.expect("request");
    Answer {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.json().await.unwrap_or(Value::Null),
    }
}

#[derive(Clone, Debug)]
pub enum Credential {
    None,
    Cookie(String),
    Bearer(String),
}

/// The session secret a login answered with.
fn session_of(a: &Answer) -> String {
    let cookie = a.headers["set-cookie"].to_str().unwrap();
    let (pair, _) = cookie.split_once(';').unwrap();
    pair.strip_prefix("guichet_staff=").unwrap().to_string()
}

async fn login(app: &TestApp, email: &str, password: &str) -> Answer {
    send(
        app,
        "POST",
        "/api/v1/auth/login",
        Some(&json!({"email": email, "password": password})),
        &Credential::None,
    )
    .await
}

pub async fn session(app: &TestApp, email: &str) -> Credential {
    let a = login(app, email, PW).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    Credential::Cookie(session_of(&a))
}

async fn login_then_logout(app: TestApp) {
    account(&app, "admin@ville.fr", "admin").await;
    let wrong = login(&app, "admin@ville.fr", "pas-le-bon-mot").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body["error"], "unauthorized");
    assert_eq!(wrong.body["message"], "Identifiants incorrects.");
    let unknown = login(&app, "personne@ville.fr", PW).await;
    assert_eq!((unknown.status, &unknown.body), (401, &wrong.body));

    let ok = login(&app, "Admin@Ville.fr", PW).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["staff"]["email"], "admin@ville.fr");
    assert_eq!(ok.body["staff"]["role"], "admin");
    let set_cookie = ok.headers["set-cookie"].to_str().unwrap().to_string();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "http deployments cannot use Secure cookies"
    );
    assert_eq!(ok.headers["cache-control"], "no-store");
    let me = Credential::Cookie(session_of(&ok));
    let who = send(&app, "GET", "/api/v1/auth/me", None, &me).await;
    assert_eq!(who.status, 200);
    assert_eq!(who.body["staff"]["name"], "Agent admin");

    // A second login from the same browser replaces its session.
    let again = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("cookie", format!("guichet_staff={}", session_of(&ok)))
        .json(&json!({"email": "admin@ville.fr", "password": PW}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(
        send(&app, "GET", "/api/v1/auth/me", None, &me).await.status,
        401
    );
    let fresh = {
        let c = again.headers()["set-cookie"].to_str().unwrap();
        Credential::Cookie(c.split_once(';').unwrap().0["guichet_staff=".len()..].to_string())
    };
    let out = send(&app, "POST", "/api/v1/auth/logout", None, &fresh).await;
    assert_eq!(out.status, 204);
    assert!(out.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let after = send(&app, "GET", "/api/v1/auth/me", None, &fresh).await;
    assert_eq!(after.status, 401);
    assert_eq!(after.body["error"], "unauthorized");
}
both_databases!(
    a_login_opens_a_session_and_a_logout_ends_it,
    login_then_logout
);

/// Who asks, in the matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Door,
    BoxOffice,
    Admin,
    AdminToken,
    Disabled,
    RevokedToken,
}

async fn authorization_matrix(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let admin_id = account(&app, "admin@ville.fr", "admin").await;
    account(&app, "porte@ville.fr", "door").await;
    account(&app, "caisse@ville.fr", "box_office").await;
    let gone = account(&app, "parti@ville.fr", "box_office").await;
    let spare = account(&app, "spare@ville.fr", "door").await;
    let admin = session(&app, "admin@ville.fr").await;
    let disabled = session(&app, "parti@ville.fr").await;
    let disable = send(
        &app,
        "PATCH",
        &format!("/api/v1/admin/staff/{gone}"),
        Some(&json!({"disabled": true})),
        &admin,
    )
    .await;
    assert_eq!(disable.status, 200, "{:?}", disable.body);
    let token_for = |name: &'static str| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let t = send(
                app,
                "POST",
                "/api/v1/admin/tokens",
                Some(&json!({"staff_id": admin_id, "name": name})),
                &admin,
            )
            .await;
            assert_eq!(t.status, 201, "{:?}", t.body);
            (
                t.body["token"].as_str().unwrap().to_string(),
                t.body["id"].as_i64().unwrap(),
            )
        }
    };
    let (admin_token, _) = token_for("Import").await;
    let (revoked, revoked_id) = token_for("Ancien import").await;
    let gone_token = send(
        &app,
        "DELETE",
        &format!("/api/v1/admin/tokens/{revoked_id}"),
        None,
        &admin,
    )
    .await;
    assert_eq!(gone_token.status, 204);
    let show = send(
        &app,
        "POST",
        "/api/v1/admin/shows",
        Some(&json!({"title": "Matrice", "kind": "cinema", "duration_min": 100})),
        &admin,
    )
    .await;
    assert_eq!(show.status, 201, "{:?}", show.body);
    let show_id = show.body["id"].as_i64().unwrap();
    let halls = send(&app, "GET", "/api/v1/admin/halls", None, &admin).await;
    let hall_id = halls.body[0]["id"].as_i64().unwrap();
    let venue_id = halls.body[0]["venue_id"].as_i64().unwrap();

    // The hall's plan as it is, uploaded again as a new version by each admin.
    let plan = send(
        &app,
        "GET",
        &format!("/api/v1/admin/halls/{hall_id}/seatmap"),
        None,
        &admin,
    )
    .await
    .body;
    let all = [
        Who::Anonymous,
        Who::Door,
        Who::BoxOffice,
        Who::Admin,
        Who::AdminToken,
        Who::Disabled,
        Who::RevokedToken,
    ];
    let mut n = 0;
    for who in all {
        let credential = match who {
            Who::Anonymous => Credential::None,
            Who::Door => session(&app, "porte@ville.fr").await,
            Who::BoxOffice => session(&app, "caisse@ville.fr").await,
            Who::Admin => session(&app, "admin@ville.fr").await,
            Who::AdminToken => Credential::Bearer(admin_token.clone()),
            Who::Disabled => disabled.clone(),
            Who::RevokedToken => Credential::Bearer(revoked.clone()),
        };
        // A token to revoke in this row (created by the test's admin session).
        let (_, victim) = token_for("À révoquer").await;
        n += 1;
        // A performance to cancel in this row.
        let doomed = send(
            &app,
            "POST",
            &format!("/api/v1/admin/shows/{show_id}/performances"),
            Some(&json!({
                "hall_id": hall_id,
                "starts_at": [crate::programme::future(120 + n, 0)],
                "prices": {"Catégorie 1": {"plein": 900}}
            })),
            &admin,
        )
        .await;
        assert_eq!(doomed.status, 201, "{:?}", doomed.body);
        let doomed = doomed.body[0]["id"].as_i64().unwrap();
        // (method, path, body, what an admin gets, what door staff get, what box office gets)
        let routes: Vec<(&str, String, Option<Value>, u16, u16, u16)> = vec![
            ("GET", "/api/v1/auth/me".into(), None, 200, 200, 200),
            (
                "POST",
                "/api/v1/auth/password".into(),
                Some(json!({"current": "pas-le-bon", "new": "nouveau-mot-de-passe"})),
                422,
                422,
                422,
            ),
            ("GET", "/api/v1/admin/staff".into(), None, 200, 403, 403),
            (
                "POST",
                "/api/v1/admin/staff".into(),
                Some(
                    json!({"email": format!("nouveau{n}@ville.fr"), "name": "Nouveau", "role": "door"}),
                ),
                201,
                403,
                403,
            ),
            (
                "PATCH",
                format!("/api/v1/admin/staff/{spare}"),
                Some(json!({"name": format!("Renommé {n}")})),
                200,
                403,
                403,
            ),
            (
                "POST",
                format!("/api/v1/admin/staff/{spare}/password"),
                Some(json!({})),
                200,
                403,
                403,
            ),
            ("GET", "/api/v1/admin/tokens".into(), None, 200, 403, 403),
            (
                "POST",
                "/api/v1/admin/tokens".into(),
                Some(json!({"staff_id": spare, "name": "Script"})),
                201,
                403,
                403,
            ),
            (
                "DELETE",
                format!("/api/v1/admin/tokens/{victim}"),
                None,
                204,
                403,
                403,
            ),
            ("GET", "/api/v1/admin/audit".into(), None, 200, 403, 403),
            ("GET", "/api/v1/admin/halls".into(), None, 200, 403, 403),
            ("GET", "/api/v1/admin/venues".into(), None, 200, 403, 403),
            (
                "GET",
                format!("/api/v1/admin/halls/{hall_id}/seatmap"),
                None,
                200,
                403,
                403,
            ),
            (
                "PUT",
                format!("/api/v1/admin/halls/{hall_id}/seatmap"),
                Some(plan.clone()),
                200,
                403,
                403,
            ),
            (
                "POST",
                "/api/v1/admin/venues".into(),
                Some(
                    json!({"code": format!("V{n}"), "name": "Lieu", "operator_name": "Ville", "address": "", "kind": "cinema"}),
                ),
                201,
                403,
                403,
            ),
            (
                "POST",
                format!("/api/v1/admin/venues/{venue_id}/halls"),
                Some(json!({"name": format!("Salle {n}")})),
                201,
                403,
                403,
            ),
            ("GET", "/api/v1/admin/tariffs".into(), None, 200, 403, 403),
            (
                "GET",
                format!("/api/v1/admin/venues/{venue_id}/tariffs"),
                None,
                200,
                403,
                403,
            ),
            (
                "POST",
                format!("/api/v1/admin/venues/{venue_id}/tariffs"),
                Some(json!({"code": format!("essai{n}"), "label_fr": "Essai"})),
                201,
                403,
                403,
            ),
            (
                "PATCH",
                format!("/api/v1/admin/venues/{venue_id}/tariffs/plein"),
                Some(json!({"label_fr": format!("Plein tarif {n}")})),
                200,
                403,
                403,
            ),
            (
                "GET",
                "/api/v1/admin/performances?date=2026-12-24".into(),
                None,
                200,
                403,
                403,
            ),
            (
                "POST",
                "/api/v1/admin/tariffs".into(),
                Some(json!({"code": format!("tarif{n}"), "label_fr": format!("Tarif {n}")})),
                201,
                403,
                403,
            ),
            (
                "PATCH",
                "/api/v1/admin/tariffs/plein".into(),
                Some(json!({"label_en": format!("Full price {n}")})),
                200,
                403,
                403,
            ),
            (
                "POST",
                "/api/v1/admin/shows".into(),
                Some(json!({"title": format!("Film {n}"), "kind": "cinema", "duration_min": 90})),
                201,
                403,
                403,
            ),
            (
                "POST",
                format!("/api/v1/admin/shows/{show_id}/performances"),
                Some(json!({
                    "hall_id": hall_id,
                    "starts_at": [crate::programme::future(60 + n, 0)],
                    "prices": {"Catégorie 1": {"plein": 900}}
                })),
                201,
                403,
                403,
            ),
            (
                "PATCH",
                format!("/api/v1/admin/performances/{}", f.performance_id),
                Some(json!({"max_seats_per_order": 5})),
                200,
                403,
                403,
            ),
            (
                "POST",
                format!("/api/v1/admin/performances/{doomed}/cancel"),
                None,
                200,
                403,
                403,
            ),
            (
                "GET",
                format!("/api/v1/admin/performances/{}/buyers", f.performance_id),
                None,
                200,
                403,
                200,
            ),
            ("GET", "/api/v1/admin/refunds".into(), None, 200, 403, 200),
            (
                "GET",
                format!(
                    "/api/v1/box-office/performances?date={}",
                    app::domain::paris::day_key(now())
                ),
                None,
                200,
                403,
                200,
            ),
            (
                "POST",
                "/api/v1/box-office/sales".into(),
                Some(
                    json!({"performance_id": f.performance_id, "seat_ids": [f.seat_ids[n as usize]],
                            "tickets": [{"seat_id": f.seat_ids[n as usize], "tariff": "plein"}],
                            "payments": [{"method": "card", "amount_cents": 2000}]}),
                ),
                201,
                403,
                201,
            ),
            (
                "POST",
                "/api/v1/box-office/reservations".into(),
                Some(
                    json!({"performance_id": f.performance_id, "seat_ids": [f.seat_ids[10 + n as usize]],
                            "tickets": [{"seat_id": f.seat_ids[10 + n as usize], "tariff": "plein"}],
                            "buyer": {"name": "Jeanne Moreau"}}),
                ),
                201,
                403,
                201,
            ),
            // The role is checked before the order is looked for: an unknown order is 404
            // for those who may sell.
            (
                "POST",
                "/api/v1/box-office/orders/inconnue/payments".into(),
                Some(json!({"payments": [{"method": "cash", "amount_cents": 2000}]})),
                404,
                403,
                404,
            ),
            // Closing and archiving are a supervisor's acts: no account here is one (the
            // journal tests close and archive as one).
            (
                "POST",
                "/api/v1/box-office/closures".into(),
                Some(json!({"period": "day"})),
                403,
                403,
                403,
            ),
            (
                "GET",
                "/api/v1/box-office/closures".into(),
                None,
                200,
                403,
                200,
            ),
            (
                "POST",
                "/api/v1/box-office/cash-counts".into(),
                Some(
                    json!({"desk": format!("guichet-{n}"), "opening_float_cents": 0, "counted_cents": 0}),
                ),
                204,
                403,
                204,
            ),
            (
                "GET",
                "/api/v1/box-office/journal/check".into(),
                None,
                200,
                403,
                200,
            ),
            (
                "GET",
                "/api/v1/box-office/journal/reading".into(),
                None,
                200,
                403,
                200,
            ),
            (
                "GET",
                "/api/v1/box-office/journal/archives/2026".into(),
                None,
                403,
                403,
                403,
            ),
            (
                "GET",
                "/api/v1/box-office/journal/archives/2026/signature".into(),
                None,
                403,
                403,
                403,
            ),
            (
                "GET",
                "/api/v1/box-office/orders?q=Dupont".into(),
                None,
                200,
                403,
                200,
            ),
            (
                "GET",
                "/api/v1/box-office/orders/inconnue".into(),
                None,
                404,
                403,
                404,
            ),
            (
                "POST",
                "/api/v1/box-office/orders/inconnue/resend".into(),
                Some(json!({})),
                404,
                403,
                404,
            ),
            ("GET", "/api/v1/admin/mail".into(), None, 200, 403, 403),
            // The role is checked before the order is looked for.
            (
                "POST",
                "/api/v1/orders/inconnue/cancel".into(),
                Some(json!({"reason": "erreur"})),
                404,
                403,
                404,
            ),
            (
                "POST",
                "/api/v1/orders/inconnue/refunds".into(),
                Some(json!({"amount_cents": 100, "method": "cash"})),
                404,
                403,
                404,
            ),
            (
                "POST",
                "/api/v1/orders/inconnue/exchange".into(),
                Some(json!({"ticket_ids": [1], "tickets": [], "reason": "autre date"})),
                404,
                403,
                404,
            ),
            (
                "GET",
                format!(
                    "/api/v1/box-office/performances/{}/statement",
                    f.performance_id
                ),
                None,
                200,
                403,
                200,
            ),
            (
                "GET",
                "/api/v1/box-office/exports/orders?from=2026-01-01&to=2026-01-31".into(),
                None,
                200,
                403,
                200,
            ),
            (
                "GET",
                "/api/v1/box-office/exports/orders.csv?from=2026-01-01&to=2026-01-31".into(),
                None,
                200,
                403,
                200,
            ),
            (
                "GET",
                format!(
                    "/api/v1/box-office/reports/heatmap?performance_id={}&from=2026-01-01&to=2026-01-31",
                    f.performance_id
                ),
                None,
                200,
                403,
                200,
            ),
            (
                "GET",
                "/api/v1/box-office/closures/hier/report.pdf".into(),
                None,
                422,
                403,
                422,
            ),
            (
                "GET",
                format!(
                    "/api/v1/box-office/performances/{}/blocks",
                    f.performance_id
                ),
                None,
                200,
                403,
                200,
            ),
            // Releasing what is not blocked changes nothing: the route answers all the same.
            (
                "POST",
                format!(
                    "/api/v1/box-office/performances/{}/blocks/release",
                    f.performance_id
                ),
                Some(json!({"seat_ids": [f.seat_ids[0]]})),
                200,
                403,
                200,
            ),
            // The role is checked before the seats.
            (
                "POST",
                format!(
                    "/api/v1/box-office/performances/{}/blocks",
                    f.performance_id
                ),
                Some(json!({"seat_ids": [], "reason": "house"})),
                422,
                403,
                422,
            ),
            (
                "GET",
                format!(
                    "/api/v1/box-office/performances/{}/statement.csv",
                    f.performance_id
                ),
                None,
                200,
                403,
                200,
            ),
            (
                "GET",
                "/api/v1/box-office/reports/sales?from=2026-12-01&to=2026-12-31".into(),
                None,
                200,
                403,
                200,
            ),
            ("GET", "/api/v1/admin/shows".into(), None, 200, 403, 403),
            (
                "PATCH",
                format!("/api/v1/admin/shows/{show_id}"),
                Some(json!({"description": format!("Texte {n}")})),
                200,
                403,
                403,
            ),
            // The role is checked before the bytes: an admin's JSON body is judged (not an
            // image: 422), the others are refused first.
            (
                "PUT",
                format!("/api/v1/admin/shows/{show_id}/poster"),
                Some(json!({})),
                422,
                403,
                403,
            ),
            (
                "DELETE",
                format!("/api/v1/admin/shows/{show_id}/poster"),
                None,
                200,
                403,
                403,
            ),
            (
                "POST",
                "/api/v1/door/accesses".into(),
                Some(json!({"performance_ids": [f.performance_id]})),
                201,
                201,
                403,
            ),
            ("POST", "/api/v1/auth/logout".into(), None, 204, 204, 204),
        ];
        if who == Who::Anonymous {
            // The matrix covers every staff route the API documents (and so serves).
            for (method, template) in crate::openapi::staff_operations(&app.openapi) {
                assert!(
                    routes.iter().any(|(m, path, ..)| {
                        let path = path.split('?').next().unwrap_or_default();
                        *m == method && crate::openapi::matches_template(&template, path)
                    }),
                    "{method} {template} is not in the matrix"
                );
            }
        }
        for (method, path, body, as_admin, as_door, as_box_office) in routes {
            let expected = match who {
                Who::Anonymous | Who::Disabled | Who::RevokedToken => 401,
                Who::Admin => as_admin,
                // A script's token cannot change its account's password.
                Who::AdminToken if path.ends_with("/auth/password") => 403,
                Who::AdminToken => as_admin,
                Who::Door => as_door,
                Who::BoxOffice => as_box_office,
            };
            let a = send(&app, method, &path, body.as_ref(), &credential).await;
            assert_eq!(a.status, expected, "{who:?} {method} {path}: {:?}", a.body);
            if a.status >= 400 {
                let code = a.body["error"].as_str().unwrap_or_default();
                assert!(
                    ["unauthorized", "forbidden", "validation", "not_found"].contains(&code),
                    "{who:?} {method} {path}: {:?}",
                    a.body
                );
                assert!(a.body["message"].as_str().is_some_and(|m| !m.is_empty()));
            }
        }
    }

    // Mutating requests made by another site are refused, session or not.
    let evil = app
        .client
        .post(app.url("/api/v1/admin/staff"))
        .header(
            "cookie",
            match &admin {
                Credential::Cookie(c) => format!("guichet_staff={c}"),
                _ => unreachable!(),
            },
        )
        .header("origin", "https://evil.example")
        .json(&json!({"email": "pirate@ville.fr", "name": "Pirate", "role": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let listed = send(&app, "GET", "/api/v1/admin/staff", None, &admin).await;
    assert!(
        !listed.body.to_string().contains("pirate@"),
        "nothing was created"
    );
    // The audit log names who did what.
    let audit = send(&app, "GET", "/api/v1/admin/audit?limit=500", None, &admin).await;
    let actions: Vec<&str> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "staff.create",
        "staff.update",
        "staff.password_reset",
        "token.create",
        "token.revoke",
        "door.open",
        "auth.login",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
}
both_databases!(
    every_staff_route_answers_each_kind_of_caller,
    authorization_matrix
);

async fn door_staff_get_a_door_access(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "porte@ville.fr", "door").await;
    let me = session(&app, "porte@ville.fr").await;
    let granted = send(
        &app,
        "POST",
        "/api/v1/door/accesses",
        Some(&json!({"performance_ids": [f.performance_id], "hours": 4})),
        &me,
    )
    .await;
    assert_eq!(granted.status, 201, "{:?}", granted.body);
    assert_eq!(granted.headers["cache-control"], "no-store");
    let token = granted.body["token"].as_str().unwrap().to_string();
    let door = send(
        &app,
        "GET",
        "/api/v1/door/me",
        None,
        &Credential::Bearer(token),
    )
    .await;
    assert_eq!(door.status, 200, "{:?}", door.body);
    assert_eq!(door.body["label"], "Agent door");
    assert_eq!(door.body["performances"][0]["id"], f.performance_id);
    let bad = send(
        &app,
        "POST",
        "/api/v1/door/accesses",
        Some(&json!({"performance_ids": [f.performance_id], "hours": 100})),
        &me,
    )
    .await;
    assert_eq!(bad.status, 422);
    let none = send(
        &app,
        "POST",
        "/api/v1/door/accesses",
        Some(&json!({"performance_ids": []})),
        &me,
    )
    .await;
    assert_eq!(none.status, 422);
}
both_databases!(
    door_staff_log_in_and_open_the_door,
    door_staff_get_a_door_access
);

#[tokio::test]
async fn failed_logins_are_throttled_per_address_and_per_client() {
    // Per address (any client): the sixth attempt waits, even with the right password.
    let app = spawn_app(Db::Sqlite).await.unwrap();
    account(&app, "caisse@ville.fr", "box_office").await;
    for _ in 0..5 {
        assert_eq!(
            login(&app, "caisse@ville.fr", "mauvais-mot-de-passe")
                .await
                .status,
            401
        );
    }
    let locked = login(&app, "caisse@ville.fr", PW).await;
    assert_eq!(locked.status, 429);
    assert_eq!(locked.body["error"], "rate_limited");
    let wait: i64 = locked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 800 && wait <= 900, "{wait}");
    assert!(locked.body["message"].as_str().unwrap().contains("15 min"));

    // Per client (any address), through the edge's limiter.
    let limits = Limits {
        rates: server::adapters::http::rate::RateLimits::parse("logins=3/min").unwrap(),
        ..Limits::off()
    };
    let app = spawn_app_with(
        Db::Sqlite,
        Options {
            limits,
            ..Options::default()
        },
    )
    .await
    .unwrap();
    account(&app, "admin@ville.fr", "admin").await;
    for i in 0..3 {
        assert_eq!(login(&app, &format!("x{i}@ville.fr"), PW).await.status, 401);
    }
    let limited = login(&app, "admin@ville.fr", PW).await;
    assert_eq!(limited.status, 429);
    assert!(limited.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn a_role_change_or_a_disabled_account_applies_to_open_sessions_at_once() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    account(&app, "admin@ville.fr", "admin").await;
    let agent = account(&app, "caisse@ville.fr", "box_office").await;
    let s = session(&app, "caisse@ville.fr").await;
    assert_eq!(
        send(&app, "GET", "/api/v1/admin/staff", None, &s)
            .await
            .status,
        403
    );
    let promote = StaffChange {
        role: Some("admin".into()),
        ..StaffChange::default()
    };
    app.uc
        .staff
        .change_staff(&Actor::console(), agent, &promote)
        .await
        .unwrap();
    assert_eq!(
        send(&app, "GET", "/api/v1/admin/staff", None, &s)
            .await
            .status,
        200
    );
    let admin = session(&app, "admin@ville.fr").await;
    let last = send(
        &app,
        "PATCH",
        &format!("/api/v1/admin/staff/{agent}"),
        Some(&json!({"disabled": true})),
        &admin,
    )
    .await;
    assert_eq!(last.status, 200);
    assert_eq!(
        send(&app, "GET", "/api/v1/auth/me", None, &s).await.status,
        401
    );
    // Bad input is a 4xx with a message, never a 500.
    for (body, status) in [
        (json!({"role": "root"}), 422),
        (json!({"name": ""}), 422),
        (json!({"rôle": "door"}), 400),
    ] {
        let a = send(
            &app,
            "PATCH",
            &format!("/api/v1/admin/staff/{agent}"),
            Some(&body),
            &admin,
        )
        .await;
        assert_eq!(a.status, status, "{body}: {:?}", a.body);
    }
    let missing = send(
        &app,
        "PATCH",
        "/api/v1/admin/staff/99999",
        Some(&json!({"name": "X"})),
        &admin,
    )
    .await;
    assert_eq!(missing.status, 404);
    let me = app
        .uc
        .staff
        .staff_by_email(&Actor::console(), "admin@ville.fr")
        .await
        .unwrap();
    let alone = send(
        &app,
        "PATCH",
        &format!("/api/v1/admin/staff/{}", me.id),
        Some(&json!({"role": "door"})),
        &admin,
    )
    .await;
    assert_eq!(
        alone.status, 409,
        "the last admin keeps the role: {:?}",
        alone.body
    );
}

/// `guichet …` with `input` on standard input.
fn guichet_with_input(app: &TestApp, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(args)
        .env("DATABASE_URL", app.database_url())
        .env("GUICHET_KEYS_FILE", app.dir.join("keys.json"))
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run guichet");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

async fn staff_commands(app: TestApp) {
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let created = guichet_with_input(
        &app,
        &[
            "staff",
            "create",
            "--email",
            "Regie@Ville.fr",
            "--name",
            "Régie culturelle",
            "--role",
            "admin",
            "--supervisor",
        ],
        &format!("{PW}\n"),
    );
    assert!(created.status.success(), "{}", text(&created));
    assert!(
        text(&created).contains("regie@ville.fr"),
        "{}",
        text(&created)
    );
    let ok = login(&app, "regie@ville.fr", PW).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["staff"]["supervisor"], true);
    let weak = guichet_with_input(
        &app,
        &[
            "staff",
            "create",
            "--email",
            "b@ville.fr",
            "--name",
            "B",
            "--role",
            "door",
        ],
        "court\n",
    );
    assert!(!weak.status.success());
    assert!(
        text(&weak).contains("au moins 10 caractères"),
        "{}",
        text(&weak)
    );
    let role = guichet_with_input(
        &app,
        &[
            "staff",
            "create",
            "--email",
            "c@ville.fr",
            "--name",
            "C",
            "--role",
            "root",
        ],
        "un-bon-mot-de-passe\n",
    );
    assert!(!role.status.success());
    assert!(text(&role).contains("Rôle inconnu"), "{}", text(&role));

    let token = app.guichet(&[
        "staff",
        "token",
        "create",
        "--email",
        "regie@ville.fr",
        "--name",
        "Import de la saison",
    ]);
    assert!(token.status.success(), "{}", text(&token));
    let out = text(&token);
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("token (shown once): "))
        .expect("the token is printed")
        .to_string();
    let listed = send(
        &app,
        "GET",
        "/api/v1/admin/staff",
        None,
        &Credential::Bearer(secret.clone()),
    )
    .await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body[0]["email"], "regie@ville.fr");
    let tokens = text(&app.guichet(&["staff", "token", "list"]));
    assert!(
        tokens.contains("Import de la saison") && !tokens.contains(&secret),
        "{tokens}"
    );
    let revoke = app.guichet(&["staff", "token", "revoke", "1"]);
    assert!(revoke.status.success(), "{}", text(&revoke));
    assert_eq!(
        send(
            &app,
            "GET",
            "/api/v1/auth/me",
            None,
            &Credential::Bearer(secret)
        )
        .await
        .status,
        401
    );

    let door = guichet_with_input(
        &app,
        &[
            "staff",
            "create",
            "--email",
            "porte@ville.fr",
            "--name",
            "Porte",
            "--role",
            "door",
        ],
        "mot-de-passe-porte\n",
    );
    assert!(door.status.success());
    let reset = guichet_with_input(
        &app,
        &["staff", "password", "--email", "porte@ville.fr"],
        "nouveau-mot-de-passe\n",
    );
    assert!(reset.status.success(), "{}", text(&reset));
    assert_eq!(
        login(&app, "porte@ville.fr", "nouveau-mot-de-passe")
            .await
            .status,
        200
    );
    let disable = app.guichet(&["staff", "disable", "--email", "porte@ville.fr"]);
    assert!(disable.status.success(), "{}", text(&disable));
    assert_eq!(
        login(&app, "porte@ville.fr", "nouveau-mot-de-passe")
            .await
            .status,
        401
    );
    let list = text(&app.guichet(&["staff", "list"]));
    assert!(
        list.contains("porte@ville.fr") && list.contains("disabled"),
        "{list}"
    );
    let last = app.guichet(&["staff", "disable", "--email", "regie@ville.fr"]);
    assert!(!last.status.success(), "the last admin stays");
    assert!(
        text(&last).contains("au moins un administrateur"),
        "{}",
        text(&last)
    );
}
both_databases!(
    the_staff_commands_manage_accounts_and_tokens,
    staff_commands
);

async fn audit_is_append_only(app: TestApp) {
    account(&app, "admin@ville.fr", "admin").await;
    for statement in [
        "UPDATE audit_log SET actor = 'personne'",
        "DELETE FROM audit_log",
    ] {
        let refused = app.try_sql(statement).await.unwrap_err();
        assert!(refused.contains("append-only"), "{statement}: {refused}");
    }
    let admin = session(&app, "admin@ville.fr").await;
    let audit = send(&app, "GET", "/api/v1/admin/audit", None, &admin).await;
    assert_eq!(audit.body[1]["action"], "staff.create");
    assert_eq!(audit.body[1]["actor"], "console");
}
both_databases!(
    the_audit_log_cannot_be_changed_behind_the_servers_back,
    audit_is_append_only
);

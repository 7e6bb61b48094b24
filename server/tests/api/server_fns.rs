//! Server functions (`/sf/…`, what the UI calls) answer like the JSON API: a domain error is a
//! 4xx with `{error, message}`, in the reader's language.
use crate::both_databases;
use crate::helpers::*;

impl TestApp {
    /// A server function call as the browser makes it (URL-encoded arguments).
    async fn sf(&self, endpoint: &str, form: &str, lang: Option<&str>) -> Resp {
        let mut req = self
            .client
            .post(self.url(&format!("/sf/{endpoint}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(form.to_string());
        if let Some(lang) = lang {
            req = req.header("cookie", format!("lang={lang}"));
        }
        let r = req.send().await.expect("request");
        Resp {
            status: r.status().as_u16(),
            body: r.json().await.unwrap_or(serde_json::Value::Null),
        }
    }
}

async fn domain_errors_are_4xx_in_the_readers_language(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    let seat = f.seat_ids[0];
    let form = format!(
        "request[performance_id]={}&request[seat_ids][0]={seat}",
        f.performance_id
    );
    let first = app.sf("hold", &form, None).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["seat_ids"][0], seat);

    let taken = app.sf("hold", &form, None).await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    assert_eq!(taken.body["error"], "seats_taken");
    assert_eq!(taken.body["seat_ids"][0], seat);
    let fr = taken.body["message"].as_str().unwrap();
    assert!(fr.contains("prise par quelqu’un d’autre"), "{fr}");

    let en = app.sf("hold", &form, Some("en")).await;
    assert_eq!(en.status, 409);
    assert_eq!(
        en.body["message"],
        "This seat has just been taken by someone else."
    );

    let unknown = app
        .sf("get_order", "order_id=nope&token=nope", Some("en"))
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert_eq!(unknown.body["error"], "not_found");
    assert_eq!(unknown.body["message"], "Order not found.");

    // The JSON API speaks the same language, by cookie or Accept-Language.
    let r = app
        .client
        .get(app.url("/api/v1/performances/987654/seatmap"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["message"], "Performance 987654 not found.");
}
both_databases!(
    server_fn_errors,
    domain_errors_are_4xx_in_the_readers_language
);

//! The cash journal through the JSON API and the CLI, on both engines: a counter sale is an
//! entry; a desk's cash count; closures by a supervisor only, of ended periods only, once;
//! the Z reports listed; the journal verified; a closed period's signed archive downloaded and
//! checked offline by `guichet journal verify`; and a journal changed behind the server's back
//! (triggers dropped, a row altered, then one deleted) named at its first broken entry.
use crate::both_databases;
use crate::helpers::*;
use crate::staff::{account, send, session, Credential, PW};
use app::ports::StaffAdmin;
use app::staff::{Actor, NewStaffRequest};
use serde_json::{json, Value};

pub fn cookie(c: &Credential) -> String {
    match c {
        Credential::Cookie(c) => format!("guichet_staff={c}"),
        _ => unreachable!("a session"),
    }
}

async fn download(app: &TestApp, path: &str, who: &Credential) -> (u16, String, Vec<u8>) {
    let res = app
        .client
        .get(app.url(path))
        .header("cookie", cookie(who))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, res.bytes().await.unwrap().to_vec())
}

async fn journal_flow(app: TestApp) {
    let f = fixture(&app, FixtureSpec::default()).await;
    account(&app, "caisse@ville.fr", "box_office").await;
    app.uc
        .staff
        .create_staff(
            &Actor::console(),
            &NewStaffRequest {
                email: "chef@ville.fr".into(),
                name: "Chef de caisse".into(),
                role: "box_office".into(),
                supervisor: true,
                password: Some(PW.into()),
            },
        )
        .await
        .unwrap();
    let agent = session(&app, "caisse@ville.fr").await;
    let chief = session(&app, "chef@ville.fr").await;
    let seat = f.seat_ids[0];
    let sold = send(
        &app,
        "POST",
        "/api/v1/box-office/sales",
        Some(
            &json!({"performance_id": f.performance_id, "seat_ids": [seat],
                     "tickets": [{"seat_id": seat, "tariff": "plein"}],
                     "payments": [{"method": "cash", "amount_cents": 2000}], "desk": "guichet-1"}),
        ),
        &agent,
    )
    .await;
    assert_eq!(sold.status, 201, "{:?}", sold.body);
    let today = app::domain::paris::day_key(now());
    let yesterday = app::domain::paris::day_key(now() - 86_400);

    // The desk's drawer: a count is checked, then recorded.
    let bad = send(
        &app,
        "POST",
        "/api/v1/box-office/cash-counts",
        Some(&json!({"desk": "guichet-1", "opening_float_cents": -1, "counted_cents": 0})),
        &agent,
    )
    .await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    assert_eq!(bad.body["error"], "validation");
    let counted = send(
        &app,
        "POST",
        "/api/v1/box-office/cash-counts",
        Some(&json!({"desk": "guichet-1", "opening_float_cents": 5000, "counted_cents": 7000})),
        &agent,
    )
    .await;
    assert_eq!(counted.status, 204, "{:?}", counted.body);

    // Closing is a supervisor's act, of an ended period, once.
    let close = |body: Value, who: &Credential| {
        let who = who.clone();
        let app = &app;
        async move {
            send(
                app,
                "POST",
                "/api/v1/box-office/closures",
                Some(&body),
                &who,
            )
            .await
        }
    };
    let refused = close(json!({"period": "day"}), &agent).await;
    assert_eq!(refused.status, 403, "{:?}", refused.body);
    assert_eq!(refused.body["error"], "forbidden");
    let early = close(json!({"period": "day", "date": today}), &chief).await;
    assert_eq!(early.status, 422, "{:?}", early.body);
    assert!(early.body["message"].as_str().unwrap().contains(&today));
    let nonsense = close(json!({"period": "week"}), &chief).await;
    assert_eq!(nonsense.status, 422, "{:?}", nonsense.body);
    let z = close(json!({"period": "day"}), &chief).await;
    assert_eq!(z.status, 201, "{:?}", z.body);
    assert_eq!(z.body["period"], yesterday);
    assert_eq!(
        z.body["period_total_cents"], 0,
        "today's sale is not yesterday's"
    );
    let again = close(json!({"period": "day", "date": yesterday}), &chief).await;
    assert_eq!(again.status, 409, "{:?}", again.body);
    assert_eq!(again.body["error"], "conflict");

    let listed = send(&app, "GET", "/api/v1/box-office/closures", None, &agent).await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    assert_eq!(listed.body[0]["period"], yesterday);
    // The Z report prints as a PDF, for any agent; a day not closed has none.
    let (status, kind, pdf) = download(
        &app,
        &format!("/api/v1/box-office/closures/{yesterday}/report.pdf"),
        &agent,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(kind, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let (status, _, _) = download(
        &app,
        &format!("/api/v1/box-office/closures/{today}/report.pdf"),
        &agent,
    )
    .await;
    assert_eq!(status, 409);
    let check = send(
        &app,
        "GET",
        "/api/v1/box-office/journal/check",
        None,
        &agent,
    )
    .await;
    assert_eq!(check.status, 200, "{:?}", check.body);
    assert_eq!(
        (
            &check.body["ok"],
            &check.body["entries"],
            &check.body["closures"]
        ),
        (&json!(true), &json!(2), &json!(1)),
        "{:?}",
        check.body
    );
    assert!(
        check.body["events"].as_i64().unwrap() >= 1,
        "the start-up at least"
    );

    // The closed day's archive and its signature, checked offline.
    let path = format!("/api/v1/box-office/journal/archives/{yesterday}");
    let (status, _, _) = download(&app, &path, &agent).await;
    assert_eq!(status, 403, "a supervisor's act");
    let (status, _, _) = download(
        &app,
        &format!("/api/v1/box-office/journal/archives/{today}"),
        &chief,
    )
    .await;
    assert_eq!(status, 409, "today is not closed");
    let (status, kind, archive) = download(&app, &path, &chief).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "application/x-ndjson");
    let (status, _, signature) = download(&app, &format!("{path}/signature"), &chief).await;
    assert_eq!(status, 200);
    let sig: Value = serde_json::from_slice(&signature).unwrap();
    assert_eq!(sig["algorithm"], "ed25519");
    let (_, _, again) = download(&app, &path, &chief).await;
    assert_eq!(archive, again, "the same period gives the same archive");

    let file = app.dir.join(format!("journal-{yesterday}.jsonl"));
    std::fs::write(&file, &archive).unwrap();
    std::fs::write(
        app.dir.join(format!("journal-{yesterday}.jsonl.sig")),
        &signature,
    )
    .unwrap();
    let ok = app.guichet(&["journal", "verify", file.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&ok.stdout).to_string();
    assert!(
        ok.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(out.contains("signature valide"), "{out}");
    let text = String::from_utf8(archive.clone()).unwrap();
    assert!(
        text.contains("guichet-1"),
        "the sale is in the archive: {text}"
    );
    std::fs::write(&file, text.replacen("guichet-1", "guichet-9", 1)).unwrap();
    let tampered = app.guichet(&["journal", "verify", file.to_str().unwrap()]);
    assert_eq!(tampered.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&tampered.stderr).contains("n° 1"),
        "{}",
        String::from_utf8_lossy(&tampered.stderr)
    );

    // The database refuses changes; with its triggers dropped, the chain still tells.
    assert!(app
        .try_sql("UPDATE journal_entries SET total_cents = 0 WHERE seq = 1")
        .await
        .is_err());
    assert!(app
        .try_sql("DELETE FROM journal_entries WHERE seq = 1")
        .await
        .is_err());
    let sqlite = app.database_url().starts_with("sqlite:");
    if sqlite {
        app.sql("DROP TRIGGER journal_entries_no_update").await;
        app.sql("DROP TRIGGER journal_entries_no_delete").await;
    } else {
        app.sql("ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_append_only")
            .await;
    }
    app.sql(
        "UPDATE journal_entries SET entry = replace(entry, 'guichet-1', 'guichet-9') WHERE seq = 1",
    )
    .await;
    let check = send(
        &app,
        "GET",
        "/api/v1/box-office/journal/check",
        None,
        &agent,
    )
    .await;
    assert_eq!(check.body["ok"], false, "{:?}", check.body);
    let broken = check.body["broken"].as_str().unwrap();
    assert!(broken.starts_with("Écriture n° 1 "), "{broken}");
    let cli = app.guichet(&["journal", "verify"]);
    assert_eq!(cli.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&cli.stderr).contains("Écriture n° 1 "));

    app.sql("DELETE FROM journal_entries WHERE seq = 1").await;
    let check = send(
        &app,
        "GET",
        "/api/v1/box-office/journal/check",
        None,
        &agent,
    )
    .await;
    assert_eq!(check.body["ok"], false, "{:?}", check.body);
    let broken = check.body["broken"].as_str().unwrap();
    assert!(broken.starts_with("Écriture n° 2 "), "{broken}");
    assert!(broken.contains("manquante"), "{broken}");
}
both_databases!(journal, journal_flow);

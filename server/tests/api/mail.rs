//! E-mail against a real SMTP server process (Python's aiosmtpd, installed by
//! `scripts/setup.sh --tests` in tools/smtp-venv): the confirmation arrives as a MIME message
//! with its French subject, the tickets' PDF (whose QR codes decode to the order's tickets) and
//! the calendar invitation; with the SMTP server down during the purchase, it arrives once the
//! server is back, once. Then, on both engines, the mails people ask for through the API
//! (tickets again, "retrouver ma commande") and those an after-sale act sends.
use crate::both_databases;
use crate::helpers::*;
use crate::staff::{account, send, session};
use mail_parser::MimeHeaders;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

fn python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/smtp-venv/bin/python");
    if venv.is_file() {
        return Some(venv);
    }
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("python3"))
}

/// An SMTP server writing what it receives to a maildir.
struct Smtp {
    child: Child,
}

impl Smtp {
    async fn start(python: &Path, port: u16, maildir: &Path) -> Smtp {
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .spawn()
            .expect("start aiosmtpd");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Smtp { child }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn received(maildir: &Path) -> Vec<Vec<u8>> {
    let Ok(files) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    files
        .filter_map(|f| std::fs::read(f.ok()?.path()).ok())
        .collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_confirmation_reaches_a_real_smtp_server_even_after_an_outage() {
    let Some(python) = python() else {
        assert!(
            std::env::var("CI").is_err(),
            "aiosmtpd is needed in CI (scripts/setup.sh --tests)"
        );
        eprintln!("skipped: aiosmtpd not installed (scripts/setup.sh --tests installs it)");
        return;
    };
    let port = free_port();
    let options = Options {
        smtp: Some(format!("smtp://127.0.0.1:{port}")),
        ..Options::default()
    };
    let app = spawn_app_with(Db::Sqlite, options).await.unwrap();
    let maildir = app.dir.join("maildir");
    let f = fixture(&app, FixtureSpec::default()).await;

    // A purchase while the SMTP server is down: the mail waits.
    let first = app.buy(f.performance_id, &f.seat_ids[0..2]).await;
    assert_eq!(app.uc.mail.send_due().await.unwrap(), 0);
    let status = app.uc.mail.status().await.unwrap();
    assert_eq!((status.waiting, status.failing.len()), (1, 1));

    // Back up: it goes, once, with the next purchase's.
    let smtp = Smtp::start(&python, port, &maildir).await;
    let second = app.buy(f.performance_id, &f.seat_ids[2..3]).await;
    let mut sent = 0;
    for _ in 0..20 {
        sent += app.uc.mail.send_due().await.unwrap();
        if sent >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(sent, 2);
    assert_eq!(app.uc.mail.send_due().await.unwrap(), 0);
    let mails = received(&maildir);
    assert_eq!(mails.len(), 2, "each confirmation once");
    drop(smtp);

    for order in [&first, &second] {
        let reference = order["reference"].as_str().unwrap();
        let raw = mails
            .iter()
            .find(|m| String::from_utf8_lossy(m).contains(&format!("billets-{reference}.pdf")))
            .expect("the order's mail");
        let message = mail_parser::MessageParser::default()
            .parse(raw)
            .expect("MIME");
        let subject = message.subject().unwrap();
        assert!(
            subject.starts_with("Vos billets – Spectacle de test – "),
            "{subject}"
        );
        assert_eq!(
            message.to().unwrap().first().unwrap().address().unwrap(),
            "marie@exemple.fr"
        );
        assert!(message.message_id().unwrap().ends_with("@guichet.test"));
        assert!(message.date().is_some());
        let text = message.body_text(0).unwrap();
        assert!(text.contains(reference));
        for t in order["tickets"].as_array().unwrap() {
            assert!(text.contains(t["number"].as_str().unwrap()));
        }
        let attachments: Vec<_> = message.attachments().collect();
        assert_eq!(attachments.len(), 2);
        let pdf = attachments
            .iter()
            .find(|a| a.is_content_type("application", "pdf"))
            .expect("the PDF");
        assert!(pdf.contents().starts_with(b"%PDF-"));
        // The attached tickets scan: their QR codes are the order's tickets, in order.
        let scratch = app.dir.join(format!("qr-{reference}"));
        std::fs::create_dir_all(&scratch).unwrap();
        let codes = crate::pdf_support::decode_all_qr(&scratch, pdf.contents());
        let expected: Vec<&str> = order["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, expected);
        let ics = attachments
            .iter()
            .find(|a| a.is_content_type("text", "calendar"))
            .expect("the invitation");
        let ics = String::from_utf8_lossy(ics.contents());
        assert!(
            ics.contains("BEGIN:VEVENT") && ics.contains("DTSTART:"),
            "{ics}"
        );
    }
}

/// The `.eml` files the server wrote (no SMTP in these tests), parsed, oldest first.
fn mails_in(dir: &Path) -> Vec<(String, String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|f| Some(f.ok()?.path())).collect())
        .unwrap_or_default();
    // Message ids start with the outbox id: guichet-<id>-…
    files.sort_by_key(|f| {
        f.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.split('-').nth(1))
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0)
    });
    files
        .iter()
        .map(|f| {
            let raw = std::fs::read(f).unwrap();
            let m = mail_parser::MessageParser::default()
                .parse(&raw)
                .expect("MIME");
            (
                m.to()
                    .unwrap()
                    .first()
                    .unwrap()
                    .address()
                    .unwrap()
                    .to_string(),
                m.subject().unwrap().to_string(),
                m.body_text(0).unwrap().to_string(),
            )
        })
        .collect()
}

async fn asked_and_after_sale_mails(app: TestApp) {
    let dir = app.dir.join("mail");
    let f = fixture(&app, FixtureSpec::default()).await;
    let order = app.buy(f.performance_id, &f.seat_ids[0..2]).await;
    let id = order["id"].as_str().unwrap();
    let token = order["token"].as_str().unwrap();
    app.uc.mail.send_due().await.unwrap();
    assert_eq!(mails_in(&dir).len(), 1, "the confirmation");

    // Tickets again from the order page: 202, to the buyer's address.
    let again = app
        .post(
            &format!("/api/v1/orders/{id}/resend"),
            &json!({"token": token}),
        )
        .await;
    assert_eq!(again.status, 202, "{}", again.body);
    assert_eq!(
        again.body,
        json!({"status": "queued", "to": "marie@exemple.fr"})
    );
    let forged = app
        .post(
            &format!("/api/v1/orders/{id}/resend"),
            &json!({"token": "nope"}),
        )
        .await;
    assert_eq!(forged.status, 404);
    assert_eq!(forged.body["error"], "not_found");

    // "Retrouver ma commande": the same answer for a known and an unknown address.
    let known = app
        .post(
            "/api/v1/orders/lookup",
            &json!({"query": "Marie@Exemple.fr"}),
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/orders/lookup",
            &json!({"query": "personne@exemple.fr"}),
        )
        .await;
    assert_eq!(known.status, 202, "{}", known.body);
    assert_eq!(unknown.status, 202);
    assert_eq!(known.body, unknown.body);
    assert_eq!(known.body["status"], "accepted");
    let bad = app
        .post("/api/v1/orders/lookup", &json!({"query": "Dupont"}))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.body["error"], "validation");

    // A box office agent cancels one ticket: the buyer is told.
    account(&app, "caisse@ville.fr", "box_office").await;
    let agent = session(&app, "caisse@ville.fr").await;
    let cancelled = &order["tickets"][0];
    let done = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{id}/cancel"),
        Some(&json!({"ticket_ids": [cancelled["id"]], "reason": "erreur de date", "desk": "guichet-1"})),
        &agent,
    )
    .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    // And sends the tickets to the address the buyer corrects.
    let corrected = send(
        &app,
        "POST",
        &format!("/api/v1/box-office/orders/{id}/resend"),
        Some(&json!({"to": "marie.curie@exemple.fr"})),
        &agent,
    )
    .await;
    assert_eq!(corrected.status, 202, "{:?}", corrected.body);
    assert_eq!(corrected.body["to"], "marie.curie@exemple.fr");

    app.uc.mail.send_due().await.unwrap();
    let mails = mails_in(&dir);
    assert_eq!(mails.len(), 5, "{mails:#?}");
    let (to, subject, text) = &mails[1];
    assert_eq!(to, "marie@exemple.fr");
    assert!(
        subject.starts_with("Vos billets (nouvel envoi) – "),
        "{subject}"
    );
    assert!(text.contains(order["tickets"][1]["number"].as_str().unwrap()));
    // The look-up's link opens the order.
    let (to, subject, text) = &mails[2];
    assert_eq!(to, "marie@exemple.fr");
    assert_eq!(subject, "Vos commandes – liens d’accès");
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/commandes/"))
        .expect("a link");
    let path = &link[link.find("/commandes/").unwrap()..];
    let opened = app.get(path).await;
    assert_eq!(opened.status, 200);
    assert!(path.ends_with(&format!("{id}/{token}")), "{path}");
    let (_, subject, text) = &mails[3];
    assert!(subject.starts_with("Billets annulés – "), "{subject}");
    assert!(text.contains(cancelled["number"].as_str().unwrap()));
    let (to, _, text) = &mails[4];
    assert_eq!(to, "marie.curie@exemple.fr");
    assert!(
        !text.contains(cancelled["number"].as_str().unwrap()),
        "only valid tickets"
    );

    // The buyer asked once (the look-up counts apart); twice more, then no more this hour.
    for _ in 0..2 {
        let again = app
            .post(
                &format!("/api/v1/orders/{id}/resend"),
                &json!({"token": token}),
            )
            .await;
        assert_eq!(again.status, 202, "{}", again.body);
    }
    let fourth = app
        .post(
            &format!("/api/v1/orders/{id}/resend"),
            &json!({"token": token}),
        )
        .await;
    assert_eq!(fourth.status, 429, "{}", fourth.body);
    assert_eq!(fourth.body["error"], "rate_limited");
    assert!(fourth.body["retry_after"].as_i64().unwrap() > 0);

    // The performance is cancelled: its buyer is told, from the cancellation's transaction.
    account(&app, "admin@ville.fr", "admin").await;
    let admin = session(&app, "admin@ville.fr").await;
    let cancelled = send(
        &app,
        "POST",
        &format!("/api/v1/admin/performances/{}/cancel", f.performance_id),
        None,
        &admin,
    )
    .await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    app.uc.mail.send_due().await.unwrap();
    let mails = mails_in(&dir);
    let (to, subject, text) = mails.last().unwrap();
    assert_eq!(to, "marie@exemple.fr");
    assert!(subject.starts_with("Séance annulée – "), "{subject}");
    assert!(text.contains(order["reference"].as_str().unwrap()));
}

both_databases!(asked_mails, asked_and_after_sale_mails);

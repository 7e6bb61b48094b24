//! E-mail against a real SMTP server process (Python's aiosmtpd, installed by
//! `scripts/setup.sh --tests` in tools/smtp-venv): the confirmation arrives as a MIME message
//! with its French subject, the tickets' PDF and the calendar invitation; with the SMTP server
//! down during the purchase, it arrives once the server is back, once.
use crate::helpers::*;
use mail_parser::MimeHeaders;
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

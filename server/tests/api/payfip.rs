//! PayFiP end to end: Guichet against the local stand-in, which speaks the treasury's SOAP
//! contract, shows its payment page, notifies and sends the buyer back — on both engines.
use crate::helpers::*;
use serde_json::{json, Value};
use server::adapters::payfip::soap;
use server::adapters::payfip::standin::{Behaviour, Notify, Standin};

struct Payfip {
    app: TestApp,
    standin: Standin,
    standin_url: String,
    fixture: Fixture,
    /// Follows no redirect: the test reads where the buyer is sent.
    browser: reqwest::Client,
}

async fn start(db: Db) -> Option<Payfip> {
    start_with(db, None).await
}

/// With holds capped to `hold_seconds` (to watch a payment outlive its hold).
async fn start_with(db: Db, hold_seconds: Option<i64>) -> Option<Payfip> {
    let standin = Standin::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let standin_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(standin.clone().serve(listener));
    let options = Options {
        payfip: Some(standin_url.clone()),
        hold_seconds,
        ..Options::default()
    };
    let app = spawn_app_with(db, options).await?;
    let fixture = fixture(&app, FixtureSpec::default()).await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Some(Payfip {
        app,
        standin,
        standin_url,
        fixture,
        browser,
    })
}

macro_rules! payfip_test {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $body(start(Db::Sqlite).await.unwrap()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(
                not(postgres_tests),
                ignore = "TEST_DATABASE_URL not set at build time"
            )]
            async fn postgres() {
                $body(start(Db::Postgres).await.expect("TEST_DATABASE_URL")).await;
            }
        }
    };
}

/// An order for `seats` seats of the fixture, awaiting payment: (id, token).
async fn order(p: &Payfip, seats: std::ops::Range<usize>) -> (String, String) {
    let ids = &p.fixture.seat_ids[seats];
    let hold = p.app.hold(p.fixture.performance_id, ids).await;
    assert_eq!(hold.status, 201, "{}", hold.body);
    let tickets: Vec<Value> = ids
        .iter()
        .map(|s| json!({"seat_id": s, "tariff": "plein"}))
        .collect();
    let order = p
        .app
        .order(hold.body["id"].as_str().unwrap(), json!(tickets))
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let id = order.body["id"].as_str().unwrap().to_string();
    let token = p.app.token_of(&id);
    (id, token)
}

/// Starts the PayFiP payment as the order page does: 202 and PayFiP's page; the idOp.
async fn start_payment(p: &Payfip, order_id: &str, token: &str) -> String {
    let r = p
        .app
        .post(
            &format!("/api/v1/orders/{order_id}/payment"),
            &json!({"token": token}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.body["status"], "pending");
    let url = r.body["redirect_url"].as_str().unwrap();
    let page = format!("{}/tpa/paiementws.web?idop=", p.standin_url);
    assert!(url.starts_with(&page), "{url}");
    url[page.len()..].to_string()
}

async fn read_order(p: &Payfip, id: &str, token: &str) -> Value {
    let r = p
        .app
        .get(&format!("/api/v1/orders/{id}?token={token}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// The buyer's browser following PayFiP's redirect back to Guichet: where it lands.
async fn come_back(p: &Payfip, return_url: &str) -> String {
    assert!(
        return_url.starts_with(&p.app.url("/payfip/retour?idop=")),
        "{return_url}"
    );
    let r = p.browser.get(return_url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

/// The whole round: PayFiP's page, the buyer's choice there, and back to Guichet.
async fn pay_on_page(p: &Payfip, order_id: &str, token: &str, resultrans: &str) -> String {
    let id_op = start_payment(p, order_id, token).await;
    let back = p.standin.choose(&id_op, resultrans).await.unwrap();
    come_back(p, &back).await;
    id_op
}

/// PayFiP's notification, as PayFiP posts it: the status Guichet answers.
async fn notify(p: &Payfip, id_op: &str) -> u16 {
    let r = p
        .browser
        .post(p.app.url("/payfip/notification"))
        .form(&[("idop", id_op)]);
    r.send().await.unwrap().status().as_u16()
}

async fn outcomes(p: &Payfip) -> Vec<String> {
    p.app
        .payment_attempts()
        .await
        .into_iter()
        .map(|a| a.1)
        .collect()
}

payfip_test!(
    card_payment_issues_the_tickets,
    card_payment_issues_the_tickets_
);
async fn card_payment_issues_the_tickets_(p: Payfip) {
    let (id, token) = order(&p, 0..2).await;
    let id_op = start_payment(&p, &id, &token).await;
    // PayFiP's page shows the amount and the order's reference.
    let page = p
        .browser
        .get(format!("{}/tpa/paiementws.web?idop={id_op}", p.standin_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let before = read_order(&p, &id, &token).await;
    assert!(
        page.contains(before["reference"].as_str().unwrap()),
        "{page}"
    );
    assert_eq!(before["status"], "awaiting_payment");
    assert_eq!(before["last_payment"], "pending");
    let back = p.standin.choose(&id_op, "P").await.unwrap();
    assert_eq!(
        come_back(&p, &back).await,
        format!("/commandes/{id}/{token}")
    );
    let paid = read_order(&p, &id, &token).await;
    assert_eq!(paid["status"], "paid", "{paid}");
    assert_eq!(paid["tickets"].as_array().unwrap().len(), 2);
    let pdf = p
        .app
        .client
        .get(
            p.app
                .url(&format!("/api/v1/orders/{id}/tickets.pdf?token={token}")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status().as_u16(), 200);
    // The attempt carries PayFiP's idOp and answer.
    let attempts = p.app.payment_attempts().await;
    assert_eq!(attempts.len(), 1);
    let (order_id, outcome, reference, answer) = &attempts[0];
    assert_eq!(
        (order_id.as_str(), outcome.as_str()),
        (id.as_str(), "approved")
    );
    assert_eq!(reference.as_deref(), Some(id_op.as_str()));
    assert!(
        answer.as_deref().unwrap().contains("resultrans=P"),
        "{answer:?}"
    );
}

/// A payment started on PayFiP's page keeps its seats past the hold it started on (the idOp
/// lives 15 minutes): paid after the hold's own end, it still issues the tickets.
mod a_payment_outlives_the_hold_it_started_on {
    use super::*;

    async fn body(p: Payfip) {
        let (id, token) = order(&p, 0..2).await;
        let id_op = start_payment(&p, &id, &token).await;
        // The hold was 2 s; the sweeper passes every 2 s.
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        let back = p.standin.choose(&id_op, "P").await.unwrap();
        come_back(&p, &back).await;
        let paid = read_order(&p, &id, &token).await;
        assert_eq!(paid["status"], "paid", "{paid}");
        assert_eq!(paid["tickets"].as_array().unwrap().len(), 2);
        assert_eq!(outcomes(&p).await, ["approved"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        body(start_with(Db::Sqlite, Some(2)).await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "TEST_DATABASE_URL not set at build time"
    )]
    async fn postgres() {
        body(
            start_with(Db::Postgres, Some(2))
                .await
                .expect("TEST_DATABASE_URL"),
        )
        .await;
    }
}

payfip_test!(direct_debit_pays_too, direct_debit_pays_too_);
async fn direct_debit_pays_too_(p: Payfip) {
    let (id, token) = order(&p, 0..1).await;
    pay_on_page(&p, &id, &token, "V").await;
    assert_eq!(read_order(&p, &id, &token).await["status"], "paid");
}

payfip_test!(
    refusals_leave_the_order_to_pay_again,
    refusals_leave_the_order_to_pay_again_
);
async fn refusals_leave_the_order_to_pay_again_(p: Payfip) {
    let (id, token) = order(&p, 0..1).await;
    let mut seen = Vec::new();
    for (result, expected) in [("R", "declined"), ("Z", "declined"), ("A", "abandoned")] {
        let id_op = start_payment(&p, &id, &token).await;
        assert!(!seen.contains(&id_op), "a new idOp for each attempt");
        seen.push(id_op.clone());
        let back = p.standin.choose(&id_op, result).await.unwrap();
        come_back(&p, &back).await;
        let o = read_order(&p, &id, &token).await;
        assert_eq!(o["status"], "awaiting_payment", "{result}: {o}");
        assert_eq!(o["last_payment"], expected, "{result}");
        assert!(o["tickets"].as_array().unwrap().is_empty());
    }
    pay_on_page(&p, &id, &token, "P").await;
    assert_eq!(read_order(&p, &id, &token).await["status"], "paid");
    assert_eq!(
        outcomes(&p).await,
        ["declined", "declined", "abandoned", "approved"]
    );
}

payfip_test!(
    result_not_known_yet_then_paid,
    result_not_known_yet_then_paid_
);
async fn result_not_known_yet_then_paid_(p: Payfip) {
    p.standin.set_behaviour(Behaviour {
        notify: Notify::Drop,
        p5_after_payment: 2,
    });
    let (id, token) = order(&p, 0..1).await;
    let id_op = start_payment(&p, &id, &token).await;
    let back = p.standin.choose(&id_op, "P").await.unwrap();
    // The return asks (P5), the order page asks (P5): still being checked.
    come_back(&p, &back).await;
    let waiting = read_order(&p, &id, &token).await;
    assert_eq!(waiting["status"], "awaiting_payment");
    assert_eq!(waiting["last_payment"], "pending");
    // The page asks again: PayFiP knows now.
    let paid = read_order(&p, &id, &token).await;
    assert_eq!(paid["status"], "paid", "{paid}");
    assert_eq!(outcomes(&p).await, ["approved"]);
}

payfip_test!(
    a_lost_notification_is_made_up_by_the_poller,
    a_lost_notification_is_made_up_by_the_poller_
);
async fn a_lost_notification_is_made_up_by_the_poller_(p: Payfip) {
    use app::ports::Checkout;
    p.standin.set_behaviour(Behaviour {
        notify: Notify::Drop,
        p5_after_payment: 0,
    });
    let (id, token) = order(&p, 0..2).await;
    let id_op = start_payment(&p, &id, &token).await;
    // Paid, but the buyer closed the tab and the notification never came.
    p.standin.choose(&id_op, "P").await.unwrap();
    assert_eq!(outcomes(&p).await, ["pending"]);
    assert_eq!(p.app.uc.checkout.poll_pending_payments(0).await.unwrap(), 1);
    assert_eq!(outcomes(&p).await, ["approved"]);
    assert_eq!(p.app.uc.checkout.poll_pending_payments(0).await.unwrap(), 0);
    let paid = read_order(&p, &id, &token).await;
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["tickets"].as_array().unwrap().len(), 2);
}

payfip_test!(
    news_twice_or_late_issue_the_tickets_once,
    news_twice_or_late_issue_the_tickets_once_
);
async fn news_twice_or_late_issue_the_tickets_once_(p: Payfip) {
    // Two notifications at once, then the buyer's return.
    p.standin.set_behaviour(Behaviour {
        notify: Notify::Twice,
        p5_after_payment: 0,
    });
    let (id, token) = order(&p, 0..2).await;
    let id_op = pay_on_page(&p, &id, &token, "P").await;
    let first = read_order(&p, &id, &token).await;
    assert_eq!(first["tickets"].as_array().unwrap().len(), 2);
    // The buyer back before the notification, which comes later.
    p.standin.set_behaviour(Behaviour {
        notify: Notify::AfterMs(300),
        p5_after_payment: 0,
    });
    let (id2, token2) = order(&p, 2..3).await;
    pay_on_page(&p, &id2, &token2, "P").await;
    assert_eq!(read_order(&p, &id2, &token2).await["status"], "paid");
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    // And the same notification replayed by hand.
    assert_eq!(notify(&p, &id_op).await, 200);
    assert_eq!(
        read_order(&p, &id, &token).await["tickets"],
        first["tickets"]
    );
    assert_eq!(
        read_order(&p, &id2, &token2).await["tickets"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        outcomes(&p).await,
        ["approved", "approved"],
        "no refund, no second issue"
    );
    assert_eq!(p.app.sales_counts().await.tickets, 3);
}

payfip_test!(
    a_forged_notification_marks_nothing_paid,
    a_forged_notification_marks_nothing_paid_
);
async fn a_forged_notification_marks_nothing_paid_(p: Payfip) {
    let (id, token) = order(&p, 0..1).await;
    let id_op = start_payment(&p, &id, &token).await;
    // From another site, for a real but unpaid idOp, and for an invented one.
    for idop in [id_op.as_str(), "0f0e0d0c-0b0a-0908-0706-050403020100"] {
        let r = p
            .browser
            .post(p.app.url("/payfip/notification"))
            .header("origin", "https://evil.example")
            .header("sec-fetch-site", "cross-site")
            .form(&[("idop", idop)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{idop}");
    }
    assert_eq!(notify(&p, "<x>").await, 400);
    // A return for an unknown idOp goes home.
    let home = p
        .browser
        .get(
            p.app
                .url("/payfip/retour?idop=0f0e0d0c-0b0a-0908-0706-050403020100"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(home.headers()["location"], "/");
    let o = read_order(&p, &id, &token).await;
    assert_eq!(o["status"], "awaiting_payment");
    assert!(o["tickets"].as_array().unwrap().is_empty());
    assert_eq!(outcomes(&p).await, ["pending"]);
    // Purged by PayFiP (P1) before its deadline: the attempt stays open for the poller.
    p.app
        .client
        .post(format!("{}/standin/purge", p.standin_url))
        .send()
        .await
        .unwrap();
    assert_eq!(read_order(&p, &id, &token).await["last_payment"], "pending");
}

payfip_test!(
    the_api_refuses_what_payfip_would,
    the_api_refuses_what_payfip_would_
);
async fn the_api_refuses_what_payfip_would_(p: Payfip) {
    let (id, _) = order(&p, 0..1).await;
    // Without the order's token: not found, and PayFiP is never called.
    let r = p
        .app
        .post(
            &format!("/api/v1/orders/{id}/payment"),
            &json!({"token": "x"}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let requests: Vec<String> = p
        .app
        .client
        .get(format!("{}/standin/requests", p.standin_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(requests.is_empty());
}

/// What Guichet sends, and what the stand-in answers, is valid against the treasury's XSD.
#[tokio::test]
async fn soap_bodies_follow_the_wsdl_schema() {
    let Some(xmllint) = which("xmllint") else {
        assert!(
            std::env::var("CI").is_err(),
            "xmllint (libxml2-utils) is needed in CI"
        );
        eprintln!("skipped: xmllint not installed (scripts/setup.sh --tests installs it)");
        return;
    };
    let p = start(Db::Sqlite).await.unwrap();
    let (id, token) = order(&p, 0..1).await;
    let id_op = start_payment(&p, &id, &token).await;
    p.standin.choose(&id_op, "P").await.unwrap();
    let requests: Vec<String> = p
        .app
        .client
        .get(format!("{}/standin/requests", p.standin_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        requests.len() >= 2,
        "a creation and a detail request: {requests:?}"
    );
    let mut bodies: Vec<String> = requests
        .iter()
        .map(|r| soap::body_of(r).expect("a SOAP body").to_string())
        .collect();
    // The stand-in's answers are the contract's too.
    bodies.push(
        soap::body_of(&soap::create_response(&id_op))
            .unwrap()
            .to_string(),
    );
    let fields = [
        ("dattrans", "31122026"),
        ("exer", "2026"),
        ("resultrans", "P"),
    ];
    bodies.push(
        soap::body_of(&soap::detail_response(&fields))
            .unwrap()
            .to_string(),
    );
    // The schema's imports resolve from its own folder.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/payfip");
    let validate = |body: &str| {
        let file = p.app.dir.join("body.xml");
        std::fs::write(&file, body).unwrap();
        std::process::Command::new(&xmllint)
            .current_dir(&dir)
            .args(["--noout", "--schema", "PaiementSecuriseService_schema1.xsd"])
            .arg(&file)
            .output()
            .unwrap()
    };
    for body in bodies {
        let out = validate(&body);
        let why = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{body}\n{why}");
    }
    // A body out of the schema's order is caught (the check checks).
    let wrong = "<pai:creerPaiementSecurise xmlns:pai=\"http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService\"><arg0><mel>a@b.fr</mel><exer>2026</exer></arg0></pai:creerPaiementSecurise>";
    assert!(!validate(wrong).status.success());
}

fn which(tool: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(tool))
            .find(|p| p.is_file())
    })
}

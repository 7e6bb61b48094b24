//! The outbox and its sender over the fakes, with the fake clock.
use super::backoff;
use crate::ports::Clock;
use crate::usecases::fakes::*;
use crate::usecases::Settings;
use app::dto::*;
use app::ports::Checkout;
use std::sync::Arc;

async fn paid_order(w: &World, seats: usize) -> OrderView {
    let order = placed_order(w, seats).await;
    w.uc.checkout
        .pay(&order.id, &order.token, PaymentOutcome::Approve)
        .await
        .map(PaymentReply::into_order)
        .unwrap()
}

fn world_with_mailer() -> (World, Arc<FakeMailer>) {
    let mailer = Arc::new(FakeMailer::default());
    let m = mailer.clone();
    let w = world_adjusted(Settings::default(), move |_, out| out.mailer = m);
    (w, mailer)
}

#[tokio::test]
async fn the_confirmation_is_queued_with_the_tickets_and_sent_once() {
    let (w, mailer) = world_with_mailer();
    let order = paid_order(&w, 2).await;
    let queued = w.store.outbox();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].recipient, "ana@exemple.fr");
    assert_eq!(w.uc.mail.send_due().await.unwrap(), 1);
    assert_eq!(w.uc.mail.send_due().await.unwrap(), 0, "sent once");
    let sent = mailer.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    let mail = &sent[0];
    assert_eq!(mail.to, "ana@exemple.fr");
    assert!(
        mail.subject.starts_with("Vos billets – "),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains(&order.reference));
    assert!(mail
        .text
        .contains(&format!("/commandes/{}/{}", order.id, order.token)));
    let kinds: Vec<&str> = mail
        .attachments
        .iter()
        .map(|a| a.content_type.as_str())
        .collect();
    assert_eq!(kinds[0], "application/pdf");
    assert!(kinds[1].starts_with("text/calendar"));
    let ics = String::from_utf8(mail.attachments[1].bytes.clone()).unwrap();
    assert!(ics.contains("BEGIN:VEVENT"));
    for t in &order.tickets {
        assert!(mail.text.contains(&t.number), "{}", t.number);
    }
}

#[tokio::test]
async fn mail_waits_out_an_outage_and_goes_once_it_is_over() {
    let (w, mailer) = world_with_mailer();
    *mailer.down.lock().unwrap() = true;
    paid_order(&w, 1).await;
    assert_eq!(w.uc.mail.send_due().await.unwrap(), 0);
    let status = w.uc.mail.status().await.unwrap();
    assert_eq!((status.waiting, status.sent), (1, 0));
    assert_eq!(status.failing.len(), 1, "failures are visible");
    assert!(status.failing[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("connection refused"));
    // Not before its backoff, whatever the server does.
    *mailer.down.lock().unwrap() = false;
    assert_eq!(w.uc.mail.send_due().await.unwrap(), 0);
    w.clock.advance(31);
    assert_eq!(w.uc.mail.send_due().await.unwrap(), 1);
    assert_eq!(mailer.sent.lock().unwrap().len(), 1);
    let status = w.uc.mail.status().await.unwrap();
    assert_eq!(
        (status.waiting, status.sent, status.failing.len()),
        (0, 1, 0)
    );
}

#[tokio::test]
async fn a_sender_that_died_mid_send_leaves_the_mail_to_another() {
    let (w, mailer) = world_with_mailer();
    paid_order(&w, 1).await;
    // Claimed by a sender that then crashed: nobody else takes it during its lease…
    let now = w.clock.now();
    let claimed = crate::ports::OutboxRepo::claim_due_mails(&*w.store, now, now + 120, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(w.uc.mail.send_due().await.unwrap(), 0);
    // …and after it, the mail goes.
    w.clock.advance(121);
    assert_eq!(w.uc.mail.send_due().await.unwrap(), 1);
    assert_eq!(mailer.sent.lock().unwrap().len(), 1);
}

#[test]
fn retries_back_off_to_a_ceiling() {
    assert_eq!(backoff(1, 30, 300), 30);
    assert_eq!(backoff(2, 30, 300), 60);
    assert_eq!(backoff(4, 30, 300), 240);
    assert_eq!(backoff(5, 30, 300), 300);
    assert_eq!(backoff(60, 30, 300), 300);
}

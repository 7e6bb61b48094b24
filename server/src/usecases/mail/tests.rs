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

fn staff(role: app::domain::Role) -> app::staff::Actor {
    app::staff::Actor {
        staff: Some(app::staff::StaffMember {
            id: 7,
            email: "caisse@ville.fr".into(),
            name: "Camille Caisse".into(),
            role,
            supervisor: true,
            disabled: false,
        }),
        via: app::staff::Via::Session,
    }
}

/// What went out, oldest first (by outbox id: a batch is sent a few at a time).
async fn drain(w: &World, mailer: &FakeMailer) -> Vec<crate::ports::OutgoingMail> {
    w.uc.mail.send_due().await.unwrap();
    let mut sent = std::mem::take(&mut *mailer.sent.lock().unwrap());
    sent.sort_by_key(|m| {
        m.id.split('-')
            .nth(1)
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0)
    });
    sent
}

#[tokio::test]
async fn tickets_sent_again_from_the_order_page_with_their_pdf() {
    use app::ports::{OrderMails, ResendError};
    let (w, mailer) = world_with_mailer();
    let order = paid_order(&w, 2).await;
    drain(&w, &mailer).await;
    let queued =
        w.uc.mail_requests
            .resend(&order.id, &order.token)
            .await
            .unwrap();
    assert_eq!(queued.to, "ana@exemple.fr");
    let sent = drain(&w, &mailer).await;
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].subject.starts_with("Vos billets (nouvel envoi) – "),
        "{}",
        sent[0].subject
    );
    assert_eq!(sent[0].attachments[0].content_type, "application/pdf");
    for t in &order.tickets {
        assert!(sent[0].text.contains(&t.number));
    }
    // Without the token, nothing is said about the order.
    assert_eq!(
        w.uc.mail_requests.resend(&order.id, "nope").await,
        Err(ResendError::OrderNotFound)
    );
    // An unpaid order has nothing to send.
    let unpaid = placed_order(&w, 1).await;
    assert_eq!(
        w.uc.mail_requests.resend(&unpaid.id, &unpaid.token).await,
        Err(ResendError::NotPaid)
    );
}

#[tokio::test]
async fn each_kind_of_asked_mail_is_bounded_apart() {
    use app::domain::mail_request::{LOOKUPS, RESENDS};
    use app::ports::{OrderMails, ResendError};
    let (w, mailer) = world_with_mailer();
    let order = paid_order(&w, 1).await;
    drain(&w, &mailer).await;
    // Anyone may type the buyer's address: a few look-ups a day go out, the rest silently not.
    let lookup = FindOrdersRequest {
        query: "ANA@exemple.fr".into(),
        lang: None,
    };
    for _ in 0..LOOKUPS + 2 {
        w.uc.mail_requests.find_my_orders(&lookup).await.unwrap();
    }
    assert_eq!(drain(&w, &mailer).await.len(), LOOKUPS as usize);
    // They do not use up the resends the buyer asks with the order's link.
    for _ in 0..RESENDS {
        w.uc.mail_requests
            .resend(&order.id, &order.token)
            .await
            .unwrap();
    }
    assert!(matches!(
        w.uc.mail_requests.resend(&order.id, &order.token).await,
        Err(ResendError::TooOften { .. })
    ));
    assert_eq!(drain(&w, &mailer).await.len(), RESENDS as usize);
    // The box office has the buyer in front of it: not bounded.
    let queued =
        w.uc.mail_requests
            .resend_for_staff(&staff(app::domain::Role::BoxOffice), &order.id, None)
            .await
            .unwrap();
    assert_eq!(queued.to, "ana@exemple.fr");
    // An hour later the buyer may ask again; look-ups wait for the next day.
    w.clock.advance(3601);
    w.uc.mail_requests
        .resend(&order.id, &order.token)
        .await
        .unwrap();
    w.uc.mail_requests.find_my_orders(&lookup).await.unwrap();
    let sent = drain(&w, &mailer).await;
    assert_eq!(sent.len(), 2, "the box office's and the resend");
    w.clock.advance(24 * 3600);
    w.uc.mail_requests.find_my_orders(&lookup).await.unwrap();
    assert_eq!(drain(&w, &mailer).await.len(), 1);
}

#[tokio::test]
async fn the_box_office_sends_to_a_corrected_address() {
    use app::ports::{OrderMails, ResendError};
    let (w, mailer) = world_with_mailer();
    let order = paid_order(&w, 1).await;
    drain(&w, &mailer).await;
    let box_office = staff(app::domain::Role::BoxOffice);
    let queued =
        w.uc.mail_requests
            .resend_for_staff(&box_office, &order.id, Some(" ana.lopes@exemple.fr "))
            .await
            .unwrap();
    assert_eq!(queued.to, "ana.lopes@exemple.fr");
    let sent = drain(&w, &mailer).await;
    assert_eq!(sent[0].to, "ana.lopes@exemple.fr");
    assert_eq!(
        w.uc.mail_requests
            .resend_for_staff(&box_office, &order.id, Some("pas une adresse"))
            .await,
        Err(ResendError::InvalidEmail)
    );
    assert_eq!(
        w.uc.mail_requests
            .resend_for_staff(&staff(app::domain::Role::Door), &order.id, None)
            .await,
        Err(ResendError::Forbidden)
    );
}

#[tokio::test]
async fn find_my_orders_mails_the_links_to_the_buyer_only() {
    use app::ports::{FindOrdersError, OrderMails};
    let (w, mailer) = world_with_mailer();
    let first = paid_order(&w, 1).await;
    let second = paid_order(&w, 1).await;
    drain(&w, &mailer).await;
    let ask = |query: &str| FindOrdersRequest {
        query: query.into(),
        lang: Some("en".into()),
    };
    // By address: one mail with both orders' links, in the asker's language.
    w.uc.mail_requests
        .find_my_orders(&ask(" Ana@Exemple.fr "))
        .await
        .unwrap();
    let sent = drain(&w, &mailer).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "ana@exemple.fr");
    assert_eq!(sent[0].subject, "Your orders – access links");
    for o in [&first, &second] {
        assert!(sent[0]
            .text
            .contains(&format!("/commandes/{}/{}", o.id, o.token)));
        assert!(sent[0].text.contains(&o.reference));
    }
    assert!(sent[0].attachments.is_empty());
    // By reference (as typed, lower case): to the buyer's address, that order only.
    let typed = second.reference.to_lowercase();
    w.uc.mail_requests
        .find_my_orders(&ask(&typed))
        .await
        .unwrap();
    let sent = drain(&w, &mailer).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "ana@exemple.fr");
    assert!(sent[0].text.contains(&second.token));
    assert!(!sent[0].text.contains(&first.token));
    // Unknown: the same answer, and nothing goes out.
    w.uc.mail_requests
        .find_my_orders(&ask("personne@exemple.fr"))
        .await
        .unwrap();
    w.uc.mail_requests
        .find_my_orders(&ask("ZZZZ2222"))
        .await
        .unwrap();
    assert!(drain(&w, &mailer).await.is_empty());
    // An unpaid order is not listed.
    let unpaid = placed_order(&w, 1).await;
    w.uc.mail_requests
        .find_my_orders(&ask(&unpaid.reference))
        .await
        .unwrap();
    assert!(drain(&w, &mailer).await.is_empty());
    assert_eq!(
        w.uc.mail_requests.find_my_orders(&ask("Dupont")).await,
        Err(FindOrdersError::Invalid)
    );
}

#[tokio::test]
async fn cancellations_and_refunds_are_mailed_with_the_act() {
    use app::box_office::{CancelRequest, RefundRequest};
    use app::domain::counter::PaymentMethod;
    use app::ports::AfterSales;
    let (w, mailer) = world_with_mailer();
    let order = paid_order(&w, 3).await;
    drain(&w, &mailer).await;
    let agent = staff(app::domain::Role::BoxOffice);
    let first = &order.tickets[0];
    w.uc.after_sales
        .cancel(
            &agent,
            &order.id,
            &CancelRequest {
                ticket_ids: Some(vec![first.id]),
                reason: "erreur de date".into(),
                desk: Some("guichet-1".into()),
            },
        )
        .await
        .unwrap();
    let second = &order.tickets[1];
    w.uc.after_sales
        .refund(
            &agent,
            &order.id,
            &RefundRequest {
                amount_cents: 1250,
                method: PaymentMethod::Cash,
                ticket_ids: Some(vec![second.id]),
                reason: None,
                desk: Some("guichet-1".into()),
            },
        )
        .await
        .unwrap();
    let sent = drain(&w, &mailer).await;
    assert_eq!(sent.len(), 2);
    let cancelled = &sent[0];
    assert!(
        cancelled.subject.starts_with("Billets annulés – "),
        "{}",
        cancelled.subject
    );
    assert!(cancelled.text.contains(&first.number));
    assert!(!cancelled.text.contains(&second.number));
    assert!(cancelled
        .text
        .contains("Vos autres billets restent valables."));
    assert!(cancelled.attachments.is_empty());
    let refund = &sent[1];
    assert_eq!(
        refund.subject,
        format!("Remboursement – commande {}", order.reference)
    );
    assert!(refund.text.contains("12,50"), "{}", refund.text);
    assert!(refund.text.contains(&second.number));
    // A resend now carries the one ticket left.
    app::ports::OrderMails::resend(&*w.uc.mail_requests, &order.id, &order.token)
        .await
        .unwrap();
    let sent = drain(&w, &mailer).await;
    assert!(sent[0].text.contains(&order.tickets[2].number));
    assert!(!sent[0].text.contains(&first.number));
}

#[tokio::test]
async fn a_cancelled_performance_is_mailed_to_its_buyers() {
    use app::ports::ProgrammeAdmin;
    let (w, mailer) = world_with_mailer();
    let order = paid_order(&w, 2).await;
    drain(&w, &mailer).await;
    w.uc.programme
        .cancel_performance(&staff(app::domain::Role::Admin), order.performance.id)
        .await
        .unwrap();
    let sent = drain(&w, &mailer).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "ana@exemple.fr");
    assert!(
        sent[0].subject.starts_with("Séance annulée – "),
        "{}",
        sent[0].subject
    );
    assert!(sent[0].text.contains(&order.reference));
}

use crate::ports::TicketLayout;
use crate::usecases::fakes::*;
use app::dto::*;
use app::ports::{Booking, Checkout, Tickets, TicketsError};

async fn order(w: &World, perf: i64, seat_ids: &[i64], pay: bool) -> OrderView {
    let req = HoldRequest {
        performance_id: perf,
        seat_ids: Some(seat_ids.to_vec()),
        quantity: None,
    };
    let hold = w.uc.booking.create_hold(req).await.unwrap();
    let order =
        w.uc.checkout
            .create_order(OrderRequest {
                hold_id: hold.id,
                buyer: Buyer {
                    name: "Jean Valjean".into(),
                    email: "jean@exemple.fr".into(),
                },
                tickets: seat_ids
                    .iter()
                    .map(|s| TicketRequest {
                        seat_id: Some(*s),
                        tariff: "plein".into(),
                    })
                    .collect(),
                lang: None,
            })
            .await
            .unwrap();
    if !pay {
        return order;
    }
    w.uc.checkout
        .pay(&order.id, &order.token, PaymentOutcome::Approve)
        .await
        .map(PaymentReply::into_order)
        .unwrap()
}

#[tokio::test]
async fn a_paid_order_downloads_all_or_one_ticket() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let paid = order(&w, perf, &s[0..2], true).await;
    let all =
        w.uc.tickets
            .tickets_pdf(&paid.id, &paid.token, None, TicketLayout::A4)
            .await
            .unwrap();
    assert_eq!(
        String::from_utf8(all).unwrap(),
        "PDF TST-PLEIN-000001 TST-PLEIN-000002"
    );
    let one =
        w.uc.tickets
            .tickets_pdf(
                &paid.id,
                &paid.token,
                Some(paid.tickets[1].id),
                TicketLayout::A4,
            )
            .await
            .unwrap();
    assert_eq!(String::from_utf8(one).unwrap(), "PDF TST-PLEIN-000002");
    assert_eq!(
        w.uc.tickets
            .tickets_pdf(&paid.id, &paid.token, Some(-1), TicketLayout::A4)
            .await,
        Err(TicketsError::TicketNotFound)
    );
    let svg =
        w.uc.tickets
            .ticket_qr_svg(&paid.id, &paid.token, paid.tickets[0].id)
            .await
            .unwrap();
    assert_eq!(svg, format!("<svg>{}</svg>", paid.tickets[0].code));
}

#[tokio::test]
async fn tickets_need_the_token_and_a_paid_order() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let unpaid = order(&w, perf, &s[0..1], false).await;
    assert_eq!(
        w.uc.tickets
            .tickets_pdf(&unpaid.id, &unpaid.token, None, TicketLayout::A4)
            .await,
        Err(TicketsError::NotPaid)
    );
    let paid = order(&w, perf, &s[1..2], true).await;
    assert_eq!(
        w.uc.tickets
            .tickets_pdf(&paid.id, "faux", None, TicketLayout::A4)
            .await,
        Err(TicketsError::OrderNotFound)
    );
    assert_eq!(
        w.uc.tickets
            .ticket_qr_svg(&paid.id, "", paid.tickets[0].id)
            .await,
        Err(TicketsError::OrderNotFound)
    );
    assert_eq!(w.uc.tickets.public_keys().len(), 1);
}

/// The fake renderer, counting its renderings.
#[derive(Default)]
struct Counting(std::sync::atomic::AtomicUsize);

#[async_trait::async_trait]
impl crate::ports::TicketRenderer for Counting {
    async fn pdf(
        &self,
        tickets: Vec<crate::ports::TicketDoc>,
        layout: TicketLayout,
    ) -> Result<Vec<u8>, String> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        FakeRenderer.pdf(tickets, layout).await
    }
    fn qr_svg(&self, code: &str) -> Result<String, String> {
        FakeRenderer.qr_svg(code)
    }
    async fn statement_pdf(
        &self,
        statement: app::box_office::Statement,
    ) -> Result<Vec<u8>, String> {
        FakeRenderer.statement_pdf(statement).await
    }
    async fn closure_pdf(
        &self,
        closure: app::box_office::ClosureReport,
    ) -> Result<Vec<u8>, String> {
        FakeRenderer.closure_pdf(closure).await
    }
}

#[tokio::test]
async fn a_paid_orders_pdf_is_rendered_once_and_still_needs_the_token() {
    let renderer = std::sync::Arc::new(Counting::default());
    let w = world_adjusted(crate::usecases::Settings::default(), |_, out| {
        out.renderer = renderer.clone()
    });
    let renders = || renderer.0.load(std::sync::atomic::Ordering::SeqCst);
    let (perf, s) = venue(&w, Spec::default()).await;
    let paid = order(&w, perf, &s[0..2], true).await;
    let first =
        w.uc.tickets
            .tickets_pdf(&paid.id, &paid.token, None, TicketLayout::A4)
            .await
            .unwrap();
    let again =
        w.uc.tickets
            .tickets_pdf(&paid.id, &paid.token, None, TicketLayout::A4)
            .await
            .unwrap();
    assert_eq!(first, again);
    assert_eq!(renders(), 1, "the second download is the kept PDF");
    // One ticket is another document.
    let one =
        w.uc.tickets
            .tickets_pdf(
                &paid.id,
                &paid.token,
                Some(paid.tickets[1].id),
                TicketLayout::A4,
            )
            .await
            .unwrap();
    assert_eq!(String::from_utf8(one).unwrap(), "PDF TST-PLEIN-000002");
    assert_eq!(renders(), 2);
    // A kept PDF is still only for the token's holder.
    assert_eq!(
        w.uc.tickets
            .tickets_pdf(&paid.id, "faux", None, TicketLayout::A4)
            .await,
        Err(TicketsError::OrderNotFound)
    );
    // Another order is rendered for itself.
    let other = order(&w, perf, &s[2..3], true).await;
    let theirs =
        w.uc.tickets
            .tickets_pdf(&other.id, &other.token, None, TicketLayout::A4)
            .await
            .unwrap();
    assert_eq!(String::from_utf8(theirs).unwrap(), "PDF TST-PLEIN-000003");
    assert_eq!(renders(), 3);
    // The ticket printer's roll is another document.
    let roll =
        w.uc.tickets
            .tickets_pdf(&other.id, &other.token, None, TicketLayout::Roll)
            .await
            .unwrap();
    assert_eq!(String::from_utf8(roll).unwrap(), "ROLL TST-PLEIN-000003");
    assert_eq!(renders(), 4);
    // A cancelled ticket is no longer printed, kept PDF or not.
    w.uc.door.cancel_ticket("TST-PLEIN-000001").await.unwrap();
    let left =
        w.uc.tickets
            .tickets_pdf(&paid.id, &paid.token, None, TicketLayout::A4)
            .await
            .unwrap();
    assert_eq!(String::from_utf8(left).unwrap(), "PDF TST-PLEIN-000002");
}

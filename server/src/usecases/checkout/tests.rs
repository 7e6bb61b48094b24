use crate::adapters::payments::NoPayments;
use crate::usecases::fakes::*;
use crate::usecases::Settings;
use app::domain::basket::BasketError;
use app::domain::pricing::PricingError;
use app::dto::*;
use app::ports::{Booking, Catalogue, Checkout, OrderAccessError, OrderError, PaymentError};
use std::sync::Arc;

async fn hold(w: &World, perf: i64, seat_ids: &[i64]) -> HoldView {
    let req = HoldRequest {
        performance_id: perf,
        seat_ids: Some(seat_ids.to_vec()),
        quantity: None,
    };
    w.uc.booking.create_hold(req).await.unwrap()
}

fn order_for(hold: &HoldView, tariffs: &[&str]) -> OrderRequest {
    OrderRequest {
        hold_id: hold.id.clone(),
        buyer: Buyer {
            name: "  Marie   Curie ".into(),
            email: "Marie@Exemple.FR".into(),
        },
        tickets: hold
            .seat_ids
            .iter()
            .zip(tariffs)
            .map(|(s, t)| TicketRequest {
                seat_id: Some(*s),
                tariff: t.to_string(),
            })
            .collect(),
        lang: Some("en".into()),
    }
}

#[tokio::test]
async fn an_order_is_priced_from_the_grid() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..3]).await;
    let order =
        w.uc.checkout
            .create_order(order_for(&h, &["plein", "reduit", "enfant"]))
            .await
            .unwrap();
    assert_eq!(order.total_cents, 2000 + 1500);
    assert_eq!(order.status, OrderStatus::AwaitingPayment);
    assert_eq!(order.buyer.name, "Marie Curie");
    assert_eq!(order.buyer.email, "Marie@exemple.fr");
    assert!(order.lines[1].proof_required);
    assert_eq!(order.lines[0].seat.as_ref().unwrap().row, "A");
}

#[tokio::test]
async fn orders_that_break_a_rule_are_refused() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..2]).await;
    let c = &w.uc.checkout;
    let mut r = order_for(&h, &["plein", "inconnu"]);
    assert_eq!(
        c.create_order(r.clone()).await,
        Err(PricingError::TariffNotOffered {
            tariff: "inconnu".into(),
            seat_id: Some(s[1])
        }
        .into())
    );
    r = order_for(&h, &["plein"]);
    assert_eq!(
        c.create_order(r).await,
        Err(BasketError::SeatsMismatch.into())
    );
    r = order_for(&h, &["plein", "plein"]);
    r.buyer.email = "pas-une-adresse".into();
    assert_eq!(
        c.create_order(r.clone()).await,
        Err(OrderError::InvalidEmail)
    );
    r.buyer.email = "a@b.fr".into();
    r.buyer.name = "   ".into();
    assert_eq!(
        c.create_order(r.clone()).await,
        Err(OrderError::NameMissing)
    );
    r.buyer.name = "x".repeat(121);
    assert_eq!(
        c.create_order(r.clone()).await,
        Err(OrderError::NameInvalid)
    );
    r.hold_id = "0123456789abcdef0123456789abcdef".into();
    r.buyer.name = "Marie".into();
    assert_eq!(c.create_order(r).await, Err(OrderError::HoldNotFound));
    assert_eq!(
        w.uc.setup.sales_counts().await.unwrap().orders,
        0,
        "nothing half-written"
    );
}

#[tokio::test]
async fn paying_issues_numbered_tickets_once() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..3]).await;
    let order =
        w.uc.checkout
            .create_order(order_for(&h, &["plein", "reduit", "plein"]))
            .await
            .unwrap();
    let paid =
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order)
            .unwrap();
    assert_eq!(paid.status, OrderStatus::Paid);
    let numbers: Vec<&str> = paid.tickets.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["TST-PLEIN-000001", "TST-REDUIT-000001", "TST-PLEIN-000002"]
    );
    // The confirmation built from what was in hand equals the order read back.
    let read = w.uc.checkout.order(&order.id, &order.token).await.unwrap();
    assert_eq!(read, paid);
    // A second approval is idempotent.
    let again =
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order)
            .unwrap();
    assert_eq!(again.tickets, paid.tickets);
    assert_eq!(w.uc.setup.sales_counts().await.unwrap().tickets, 3);
    // The cash journal has the sale once, paid online, its lines by tariff.
    let journal = w.store.journal();
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].total_cents, paid.total_cents);
    assert_eq!(
        journal[0].payments[0].method,
        app::domain::journal::PaymentMethod::Online
    );
    assert_eq!(journal[0].lines.len(), 2);
    // Sold seats show as sold.
    let live = w.uc.catalogue.live_state(perf).await.unwrap();
    assert!(live.taken.iter().all(|(_, st)| *st == SeatStatus::Sold));
    // The next order continues the series.
    let h2 = hold(&w, perf, &s[3..4]).await;
    let o2 =
        w.uc.checkout
            .create_order(order_for(&h2, &["plein"]))
            .await
            .unwrap();
    let p2 =
        w.uc.checkout
            .pay(&o2.id, &o2.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order)
            .unwrap();
    assert_eq!(p2.tickets[0].number, "TST-PLEIN-000003");
}

#[tokio::test]
async fn without_the_order_token_nothing_is_paid_or_shown() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..1]).await;
    let order =
        w.uc.checkout
            .create_order(order_for(&h, &["plein"]))
            .await
            .unwrap();
    for token in ["", "wrong", &order.token[1..]] {
        assert_eq!(
            w.uc.checkout
                .pay(&order.id, token, PaymentOutcome::Approve)
                .await
                .map(PaymentReply::into_order),
            Err(PaymentError::OrderNotFound),
            "token {token:?}"
        );
        assert_eq!(
            w.uc.checkout.order(&order.id, token).await,
            Err(OrderAccessError::NotFound)
        );
    }
    assert_eq!(w.uc.setup.sales_counts().await.unwrap().tickets, 0);
    assert_eq!(
        w.uc.checkout
            .pay("not-an-id", &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order),
        Err(PaymentError::OrderNotFound)
    );
}

#[tokio::test]
async fn declined_and_abandoned_payments() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..1]).await;
    let order =
        w.uc.checkout
            .create_order(order_for(&h, &["plein"]))
            .await
            .unwrap();
    let declined =
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Decline)
            .await
            .map(PaymentReply::into_order)
            .unwrap();
    assert_eq!(declined.status, OrderStatus::AwaitingPayment);
    assert_eq!(declined.last_payment.as_deref(), Some("declined"));
    let abandoned =
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Abandon)
            .await
            .map(PaymentReply::into_order)
            .unwrap();
    assert_eq!(abandoned.status, OrderStatus::Cancelled);
    // The seat is on sale again at once.
    assert!(w
        .uc
        .catalogue
        .live_state(perf)
        .await
        .unwrap()
        .taken
        .is_empty());
    assert_eq!(
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order),
        Err(PaymentError::Cancelled)
    );
    let keys: Vec<String> = w
        .store
        .payments()
        .into_iter()
        .map(|p| p.attempt_key)
        .collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1], "one idempotency key per attempt");
}

#[tokio::test]
async fn a_hold_that_ran_out_cannot_be_ordered_or_paid() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..1]).await;
    let order =
        w.uc.checkout
            .create_order(order_for(&h, &["plein"]))
            .await
            .unwrap();
    w.clock.advance(900);
    assert_eq!(
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order),
        Err(PaymentError::SeatsReleased)
    );
    assert_eq!(
        w.uc.checkout
            .order(&order.id, &order.token)
            .await
            .unwrap()
            .status,
        OrderStatus::Expired
    );
    assert_eq!(
        w.uc.checkout.create_order(order_for(&h, &["plein"])).await,
        Err(OrderError::HoldExpired)
    );
    assert_eq!(w.uc.setup.sales_counts().await.unwrap().tickets, 0);
}

#[tokio::test]
async fn a_replaced_order_cannot_be_paid() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..1]).await;
    let first =
        w.uc.checkout
            .create_order(order_for(&h, &["plein"]))
            .await
            .unwrap();
    let second =
        w.uc.checkout
            .create_order(order_for(&h, &["reduit"]))
            .await
            .unwrap();
    assert_eq!(
        w.uc.checkout
            .pay(&first.id, &first.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order),
        Err(PaymentError::Cancelled)
    );
    let paid =
        w.uc.checkout
            .pay(&second.id, &second.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order)
            .unwrap();
    assert_eq!(paid.total_cents, 1500);
    assert_eq!(
        w.uc.checkout.create_order(order_for(&h, &["plein"])).await,
        Err(OrderError::HoldAlreadyPaid)
    );
}

#[tokio::test]
async fn general_admission_orders_count_places() {
    let w = world();
    let (perf, _) = venue(
        &w,
        Spec {
            seats: 0,
            capacity: 10,
            ..Spec::default()
        },
    )
    .await;
    let req = HoldRequest {
        performance_id: perf,
        seat_ids: None,
        quantity: Some(2),
    };
    let h = w.uc.booking.create_hold(req).await.unwrap();
    let mut r = order_for(&h, &[]);
    r.tickets = vec![TicketRequest {
        seat_id: None,
        tariff: "plein".into(),
    }];
    assert_eq!(
        w.uc.checkout.create_order(r.clone()).await,
        Err(BasketError::QuantityMismatch { expected: 2 }.into())
    );
    r.tickets.push(TicketRequest {
        seat_id: None,
        tariff: "enfant".into(),
    });
    let order = w.uc.checkout.create_order(r).await.unwrap();
    let paid =
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order)
            .unwrap();
    assert_eq!(paid.total_cents, 2000);
    assert!(paid.tickets.iter().all(|t| t.seat.is_none()));
}

#[tokio::test]
async fn without_a_payment_provider_orders_wait() {
    let w = world_with(Arc::new(NoPayments), Settings::default());
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..1]).await;
    let order =
        w.uc.checkout
            .create_order(order_for(&h, &["plein"]))
            .await
            .unwrap();
    assert!(!w.uc.checkout.payments_sandbox());
    assert_eq!(
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order),
        Err(PaymentError::NotConfigured)
    );
}

/// A provider that looks at the storage when it is called: the attempt must be there already.
struct Witness(std::sync::Arc<MemoryStore>, std::sync::Mutex<Vec<String>>);

#[async_trait::async_trait]
impl crate::ports::PaymentGateway for Witness {
    fn id(&self) -> &'static str {
        "witness"
    }
    fn is_sandbox(&self) -> bool {
        true
    }
    async fn start(
        &self,
        attempt: &crate::ports::PaymentAttempt,
    ) -> Result<crate::ports::PaymentStart, crate::ports::GatewayError> {
        let recorded = self.0.payments().iter().any(|p| {
            p.attempt_key == attempt.idempotency_key
                && p.outcome == crate::ports::PaymentOutcomeRecord::Pending
        });
        self.1.lock().unwrap().push(format!("{recorded}"));
        Ok(crate::ports::PaymentStart::Completed(
            crate::ports::ChargeResult::Approved,
        ))
    }
    async fn result(
        &self,
        _: &str,
    ) -> Result<crate::ports::ProviderAnswer, crate::ports::GatewayError> {
        Err(crate::ports::GatewayError::NotConfigured)
    }
}

#[tokio::test]
async fn the_attempt_is_on_record_before_the_provider_is_called() {
    let mut witness = None;
    let w = world_adjusted(Settings::default(), |store, out| {
        let provider = std::sync::Arc::new(Witness(store.clone(), Default::default()));
        out.payments = provider.clone();
        witness = Some(provider);
    });
    let witness = witness.unwrap();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..1]).await;
    let order =
        w.uc.checkout
            .create_order(order_for(&h, &["plein"]))
            .await
            .unwrap();
    w.uc.checkout
        .pay(&order.id, &order.token, PaymentOutcome::Approve)
        .await
        .map(PaymentReply::into_order)
        .unwrap();
    assert_eq!(*witness.1.lock().unwrap(), ["true"]);
    let outcomes: Vec<&str> = w
        .store
        .payments()
        .iter()
        .map(|p| p.outcome.as_str())
        .collect();
    assert_eq!(
        outcomes,
        ["approved"],
        "the attempt, finished — not a second row"
    );
}

#[tokio::test]
async fn money_taken_for_a_lost_hold_is_recorded_for_a_refund() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h = hold(&w, perf, &s[0..1]).await;
    let order =
        w.uc.checkout
            .create_order(order_for(&h, &["plein"]))
            .await
            .unwrap();
    // The hold ran out on another server after this one checked it, before the settlement.
    w.store.expire_hold_elsewhere(&h.id);
    assert_eq!(
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order),
        Err(PaymentError::TooLate)
    );
    let outcomes: Vec<&str> = w
        .store
        .payments()
        .iter()
        .map(|p| p.outcome.as_str())
        .collect();
    assert_eq!(outcomes, ["refund_needed"]);
    assert_eq!(w.uc.setup.sales_counts().await.unwrap().tickets, 0);
}

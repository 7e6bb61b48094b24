//! The redirected-payment flow over the fakes, with a scripted provider and the fake clock.
use super::ATTEMPT_LIFETIME;
use crate::ports::*;
use crate::usecases::fakes::*;
use crate::usecases::Settings;
use app::domain::Cents;
use app::dto::*;
use app::ports::{Checkout, PaymentError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A provider that redirects, and answers what the test scripted for each payment.
#[derive(Default)]
struct Scripted {
    started: Mutex<Vec<(String, PaymentAttempt)>>,
    states: Mutex<HashMap<String, ChargeState>>,
    /// Charged another amount than asked (never seen; the money must not vanish).
    charged: Mutex<Option<Cents>>,
    refuse_start: Mutex<bool>,
    asked: Mutex<usize>,
}

impl Scripted {
    fn set(&self, reference: &str, state: ChargeState) {
        self.states.lock().unwrap().insert(reference.into(), state);
    }
}

#[async_trait::async_trait]
impl PaymentGateway for Scripted {
    fn id(&self) -> &'static str {
        "payfip"
    }
    fn is_sandbox(&self) -> bool {
        false
    }
    async fn start(&self, attempt: &PaymentAttempt) -> Result<PaymentStart, GatewayError> {
        if *self.refuse_start.lock().unwrap() {
            return Err(GatewayError::NotAccepted("amount".into()));
        }
        let mut started = self.started.lock().unwrap();
        let reference = format!("op-{:08}", started.len());
        started.push((reference.clone(), attempt.clone()));
        Ok(PaymentStart::Redirect {
            url: format!("https://pay.example/page?idop={reference}"),
            provider_ref: reference,
        })
    }
    async fn result(&self, reference: &str) -> Result<ProviderAnswer, GatewayError> {
        *self.asked.lock().unwrap() += 1;
        let attempt = self
            .started
            .lock()
            .unwrap()
            .iter()
            .find(|(r, _)| r == reference)
            .map(|(_, a)| a.clone());
        let Some(attempt) = attempt else {
            return Ok(ProviderAnswer {
                state: ChargeState::Unknown,
                amount: None,
                reference: None,
                summary: "fault P1".into(),
            });
        };
        let state = self
            .states
            .lock()
            .unwrap()
            .get(reference)
            .copied()
            .unwrap_or(ChargeState::NotYet);
        Ok(ProviderAnswer {
            state,
            amount: Some(self.charged.lock().unwrap().unwrap_or(attempt.amount)),
            reference: Some(attempt.order_reference.clone()),
            summary: format!("{state:?}"),
        })
    }
}

async fn world_and_order(seats: usize) -> (World, Arc<Scripted>, OrderView) {
    let provider = Arc::new(Scripted::default());
    let w = world_with(provider.clone(), Settings::default());
    let order = placed_order(&w, seats).await;
    (w, provider, order)
}

/// Starts the payment: the provider's id of it.
async fn redirect(w: &World, order: &OrderView) -> String {
    match w
        .uc
        .checkout
        .pay(&order.id, &order.token, PaymentOutcome::Approve)
        .await
    {
        Ok(PaymentReply::Redirect {
            redirect_url,
            order,
        }) => {
            assert_eq!(order.last_payment.as_deref(), Some("pending"));
            redirect_url.split("idop=").nth(1).unwrap().to_string()
        }
        other => panic!("expected a redirect, got {other:?}"),
    }
}

fn outcomes(w: &World) -> Vec<&'static str> {
    w.store
        .payments()
        .iter()
        .map(|p| p.outcome.as_str())
        .collect()
}

#[tokio::test]
async fn a_redirected_payment_settles_once_however_often_the_news_comes() {
    let (w, provider, order) = world_and_order(2).await;
    let reference = redirect(&w, &order).await;
    // What PayFiP shows: the order's reference, amount and e-mail, and what it is for.
    let attempt = provider.started.lock().unwrap()[0].1.clone();
    assert_eq!(attempt.order_reference, order.reference);
    assert_eq!(attempt.amount, Cents(order.total_cents));
    assert!(
        attempt.description.starts_with(&order.performance.title),
        "{}",
        attempt.description
    );
    // The hold outlives PayFiP's 15 minutes.
    let view = w.uc.checkout.order(&order.id, &order.token).await.unwrap();
    assert!(view.expires_at.0 >= w.clock.now() + ATTEMPT_LIFETIME - 1);
    assert_eq!(view.last_payment.as_deref(), Some("pending"));
    provider.set(&reference, ChargeState::Known(ChargeResult::Approved));
    for _ in 0..3 {
        let link = w.uc.checkout.payment_news(&reference).await.unwrap();
        assert_eq!(link, Some((order.id.clone(), order.token.clone())));
    }
    assert_eq!(w.uc.checkout.poll_pending_payments(0).await.unwrap(), 0);
    let paid = w.uc.checkout.order(&order.id, &order.token).await.unwrap();
    assert_eq!(paid.status, OrderStatus::Paid);
    assert_eq!(paid.tickets.len(), 2);
    assert_eq!(outcomes(&w), ["approved"]);
    // Asked once: a settled attempt is not asked about again.
    assert_eq!(
        *provider.asked.lock().unwrap(),
        2,
        "the order read and the first news"
    );
}

#[tokio::test]
async fn news_of_a_payment_that_is_not_ours_does_nothing() {
    let (w, provider, order) = world_and_order(1).await;
    redirect(&w, &order).await;
    assert_eq!(w.uc.checkout.payment_news("op-forged").await.unwrap(), None);
    assert_eq!(*provider.asked.lock().unwrap(), 0);
    assert_eq!(outcomes(&w), ["pending"]);
}

#[tokio::test]
async fn the_poller_settles_what_no_notification_told() {
    let (w, provider, order) = world_and_order(1).await;
    let reference = redirect(&w, &order).await;
    // Not yet a minute old: the poller leaves it to the notification.
    assert_eq!(w.uc.checkout.poll_pending_payments(60).await.unwrap(), 0);
    assert_eq!(*provider.asked.lock().unwrap(), 0);
    provider.set(&reference, ChargeState::Known(ChargeResult::Approved));
    w.clock.advance(61);
    assert_eq!(w.uc.checkout.poll_pending_payments(60).await.unwrap(), 1);
    assert_eq!(outcomes(&w), ["approved"]);
}

#[tokio::test]
async fn a_refusal_leaves_the_seats_held_for_another_try() {
    let (w, provider, order) = world_and_order(1).await;
    let first = redirect(&w, &order).await;
    provider.set(&first, ChargeState::Known(ChargeResult::Declined));
    w.uc.checkout.payment_news(&first).await.unwrap();
    let second = redirect(&w, &order).await;
    assert_ne!(first, second);
    provider.set(&second, ChargeState::Known(ChargeResult::Abandoned));
    w.uc.checkout.payment_news(&second).await.unwrap();
    let third = redirect(&w, &order).await;
    provider.set(&third, ChargeState::Known(ChargeResult::Approved));
    w.uc.checkout.payment_news(&third).await.unwrap();
    assert_eq!(outcomes(&w), ["declined", "abandoned", "approved"]);
}

#[tokio::test]
async fn attempts_past_the_providers_deadline_are_closed() {
    let (w, provider, order) = world_and_order(1).await;
    let open = redirect(&w, &order).await;
    let unknown = redirect(&w, &order).await;
    provider.set(&unknown, ChargeState::Unknown);
    w.clock.advance(10 * 60);
    assert_eq!(w.uc.checkout.poll_pending_payments(0).await.unwrap(), 0);
    assert_eq!(outcomes(&w), ["pending", "pending"]);
    w.clock.advance(11 * 60);
    assert_eq!(w.uc.checkout.poll_pending_payments(0).await.unwrap(), 2);
    assert_eq!(outcomes(&w), ["abandoned", "abandoned"]);
    let _ = open;
}

#[tokio::test]
async fn a_payment_made_after_the_seats_went_is_a_refund_to_make() {
    let (w, provider, order) = world_and_order(1).await;
    let reference = redirect(&w, &order).await;
    w.clock.advance(ATTEMPT_LIFETIME + 60);
    w.uc.booking.expire_holds().await.unwrap();
    provider.set(&reference, ChargeState::Known(ChargeResult::Approved));
    w.uc.checkout.payment_news(&reference).await.unwrap();
    assert_eq!(outcomes(&w), ["refund_needed"]);
    let o = w.uc.checkout.order(&order.id, &order.token).await.unwrap();
    assert_eq!(o.status, OrderStatus::Expired);
    assert!(o.tickets.is_empty());
}

#[tokio::test]
async fn a_charge_of_another_amount_is_not_honoured() {
    let (w, provider, order) = world_and_order(1).await;
    let reference = redirect(&w, &order).await;
    *provider.charged.lock().unwrap() = Some(Cents(1));
    provider.set(&reference, ChargeState::Known(ChargeResult::Approved));
    w.uc.checkout.payment_news(&reference).await.unwrap();
    assert_eq!(outcomes(&w), ["refund_needed"]);
    let o = w.uc.checkout.order(&order.id, &order.token).await.unwrap();
    assert_eq!(o.status, OrderStatus::AwaitingPayment);
}

#[tokio::test]
async fn a_payment_the_provider_would_refuse_is_told_to_the_buyer() {
    let (w, provider, order) = world_and_order(1).await;
    *provider.refuse_start.lock().unwrap() = true;
    let refused =
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await;
    assert!(
        matches!(refused, Err(PaymentError::NotAccepted(_))),
        "{refused:?}"
    );
    assert_eq!(outcomes(&w), ["declined"]);
}

//! Payments finished on a provider's page (PayFiP). The provider's notification and the buyer's
//! return only say "ask me about idOp X"; the answer to `result` is the one trusted, and the
//! settlement issues the tickets once however many times the news comes. A poller asks about
//! attempts whose notification never came.
#[cfg(test)]
mod tests;

use super::CheckoutService;
use crate::ports::*;
use app::ports::{Failure, PaymentError};

/// How long a redirected attempt may stay open: PayFiP's idOp lives 15 minutes, and the buyer
/// may still be on its page at the end of them. The hold is kept that long too.
pub const ATTEMPT_LIFETIME: i64 = 20 * 60;

/// Attempts the poller looks at in one pass.
const POLL_BATCH: i64 = 100;

/// What became of an attempt once its provider was asked.
enum Asked {
    /// The provider has not decided (or could not be reached): still pending.
    Open,
    Finished,
}

impl CheckoutService {
    /// What the buyer pays for, in words the provider shows (the show and its date).
    pub(super) async fn description(
        &self,
        performance: app::domain::PerformanceId,
    ) -> Result<String, Failure> {
        let perf = self.rules(performance).await?;
        let when = app::domain::paris::local(perf.starts_at).format("%d/%m/%Y %Hh%M");
        Ok(format!("{} {when}", perf.title))
    }

    /// A payment started on the provider's page: the attempt carries the provider's id, and
    /// the hold outlives the provider's own deadline, so that a payment made at the page's last
    /// minute still finds its seats.
    pub(super) async fn redirected(
        &self,
        order: &OrderRow,
        attempt: &PaymentAttempt,
        provider_ref: &str,
    ) -> Result<(), PaymentError> {
        self.orders
            .attach_provider_ref(&attempt.idempotency_key, provider_ref)
            .await?;
        let now = self.clock.now();
        self.booking
            .extend_hold(&order.hold, now + ATTEMPT_LIFETIME)
            .await?;
        Ok(())
    }

    /// The order's pending attempts asked about; the order read again if one finished.
    pub(super) async fn check_pending(&self, order: &OrderRow) -> Option<OrderRow> {
        let attempts = self
            .orders
            .payment_attempts(&AttemptQuery::PendingOfOrder(order.id.clone()))
            .await
            .ok()?;
        let mut finished = false;
        for attempt in attempts
            .into_iter()
            .filter(|a| a.provider == self.payments.id())
        {
            match self.ask(&attempt).await {
                Ok(Asked::Finished) => finished = true,
                Ok(Asked::Open) => {}
                // The page shows the order as it is; the poller tries again.
                Err(e) => tracing::warn!(error = %e, order = %order.id, "payment check failed"),
            }
        }
        if !finished {
            return None;
        }
        self.orders.order(&order.id).await.ok().flatten()
    }

    pub(super) async fn news(
        &self,
        provider_ref: &str,
    ) -> Result<Option<(String, String)>, PaymentError> {
        let found = self
            .orders
            .payment_attempts(&AttemptQuery::ByRef {
                provider: self.payments.id().to_string(),
                provider_ref: provider_ref.to_string(),
            })
            .await?;
        // Not one of ours (a forged or stale notification): nothing to ask, nothing to do.
        let Some(attempt) = found.into_iter().next() else {
            return Ok(None);
        };
        if attempt.outcome == PaymentOutcomeRecord::Pending {
            // The link is answered even if the provider cannot say yet: the order page waits
            // for the result, and the poller asks again.
            if let Err(e) = self.ask(&attempt).await {
                tracing::warn!(error = %e, attempt = %attempt.attempt_key, "payment news not settled yet");
            }
        }
        let order = self.orders.order(&attempt.order).await?;
        Ok(order.map(|o| (o.id.to_string(), o.token.to_string())))
    }

    pub(super) async fn poll(&self, older_than: i64) -> Result<usize, Failure> {
        if !self.payments.configured() || self.payments.is_sandbox() {
            return Ok(0);
        }
        let now = self.clock.now();
        let attempts = self
            .orders
            .payment_attempts(&AttemptQuery::PendingSince {
                provider: self.payments.id().to_string(),
                before: now - older_than,
                limit: POLL_BATCH,
            })
            .await?;
        let mut finished = 0;
        for attempt in attempts {
            match self.ask(&attempt).await {
                Ok(Asked::Finished) => finished += 1,
                Ok(Asked::Open) => {}
                Err(e) => {
                    tracing::warn!(error = %e, attempt = %attempt.attempt_key, "payment poll failed")
                }
            }
        }
        Ok(finished)
    }

    /// Asks the provider about a pending attempt and settles it by the answer.
    async fn ask(&self, attempt: &AttemptRow) -> Result<Asked, PaymentError> {
        let now = self.clock.now();
        let expired = now - attempt.created_at > ATTEMPT_LIFETIME;
        let Some(provider_ref) = attempt.provider_ref.as_deref() else {
            // Recorded, then the provider never answered the start (a crash, an outage): after
            // the provider's own deadline nobody can pay it any more.
            if expired {
                self.close(attempt, PaymentOutcomeRecord::Abandoned, "never started")
                    .await?;
                return Ok(Asked::Finished);
            }
            return Ok(Asked::Open);
        };
        let answer = match self.payments.result(provider_ref).await {
            Ok(answer) => answer,
            Err(GatewayError::NotConfigured) => return Err(PaymentError::NotConfigured),
            Err(GatewayError::Unavailable(why) | GatewayError::NotAccepted(why)) => {
                return Err(PaymentError::Provider(why))
            }
        };
        self.orders
            .note_provider_answer(&attempt.attempt_key, &answer.summary)
            .await?;
        let result = match answer.state {
            ChargeState::Known(result) => result,
            ChargeState::NotYet | ChargeState::Unknown if expired => {
                // Past the provider's deadline without a payment: closed.
                self.close(attempt, PaymentOutcomeRecord::Abandoned, &answer.summary)
                    .await?;
                return Ok(Asked::Finished);
            }
            ChargeState::NotYet | ChargeState::Unknown => return Ok(Asked::Open),
        };
        match result {
            ChargeResult::Approved => {
                let Some(order) = self.orders.order(&attempt.order).await? else {
                    return Err(Failure::Internal(format!(
                        "order {} of a payment is missing",
                        attempt.order
                    ))
                    .into());
                };
                let payment = PaymentRecord {
                    order: order.id.clone(),
                    provider: self.payments.id(),
                    attempt_key: attempt.attempt_key.clone(),
                    outcome: PaymentOutcomeRecord::Approved,
                    amount: attempt.amount,
                    now,
                };
                // The provider charged something else than this order (never seen, but the
                // money is real): staff refund it; nothing is issued.
                let mismatch = answer.amount.is_some_and(|a| a != attempt.amount)
                    || answer
                        .reference
                        .as_deref()
                        .is_some_and(|r| r != order.reference);
                if mismatch {
                    tracing::error!(attempt = %attempt.attempt_key, answer = %answer.summary,
                        "the provider's payment does not match its order: refund needed");
                    self.close(attempt, PaymentOutcomeRecord::RefundNeeded, &answer.summary)
                        .await?;
                    return Ok(Asked::Finished);
                }
                match self.issue_online(order, None, payment).await {
                    // Too late: the refund is on record for staff (the refunds to make).
                    Ok(_) | Err(PaymentError::TooLate) => Ok(Asked::Finished),
                    Err(e) => Err(e),
                }
            }
            // The buyer may try again while the seats are held.
            ChargeResult::Declined | ChargeResult::Abandoned => {
                let outcome = if result == ChargeResult::Declined {
                    PaymentOutcomeRecord::Declined
                } else {
                    PaymentOutcomeRecord::Abandoned
                };
                self.close(attempt, outcome, &answer.summary).await?;
                Ok(Asked::Finished)
            }
        }
    }

    async fn close(
        &self,
        attempt: &AttemptRow,
        outcome: PaymentOutcomeRecord,
        why: &str,
    ) -> Result<(), Failure> {
        tracing::info!(attempt = %attempt.attempt_key, order = %attempt.order, outcome = outcome.as_str(), why, "payment attempt closed");
        self.orders
            .finish_payment(&attempt.attempt_key, outcome, self.clock.now())
            .await
    }
}

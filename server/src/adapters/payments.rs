//! Payment gateways: the sandbox (demos and tests, `GUICHET_PAYMENTS=sandbox`), none, and
//! PayFiP (`GUICHET_PAYMENTS=payfip`, in `crate::adapters::payfip`).
use crate::adapters::payfip::PayfipGateway;
use crate::config::Payments;
use crate::ports::{
    ChargeResult, GatewayError, PaymentAttempt, PaymentGateway, PaymentStart, ProviderAnswer,
};
use app::dto::PaymentOutcome;
use async_trait::async_trait;
use std::sync::Arc;

/// Does what the buyer picked on its page; no money moves.
pub struct Sandbox;

#[async_trait]
impl PaymentGateway for Sandbox {
    fn id(&self) -> &'static str {
        "sandbox"
    }
    fn is_sandbox(&self) -> bool {
        true
    }
    async fn start(&self, attempt: &PaymentAttempt) -> Result<PaymentStart, GatewayError> {
        Ok(PaymentStart::Completed(match attempt.requested {
            PaymentOutcome::Approve => ChargeResult::Approved,
            PaymentOutcome::Decline => ChargeResult::Declined,
            PaymentOutcome::Abandon => ChargeResult::Abandoned,
        }))
    }
    async fn result(&self, _provider_ref: &str) -> Result<ProviderAnswer, GatewayError> {
        // The sandbox never redirects, so it has no payment to look up.
        Err(GatewayError::NotConfigured)
    }
}

/// No provider configured: orders can be placed (and paid at the box office) but not online.
pub struct NoPayments;

#[async_trait]
impl PaymentGateway for NoPayments {
    fn id(&self) -> &'static str {
        "none"
    }
    fn is_sandbox(&self) -> bool {
        false
    }
    fn configured(&self) -> bool {
        false
    }
    async fn start(&self, _attempt: &PaymentAttempt) -> Result<PaymentStart, GatewayError> {
        Err(GatewayError::NotConfigured)
    }
    async fn result(&self, _provider_ref: &str) -> Result<ProviderAnswer, GatewayError> {
        Err(GatewayError::NotConfigured)
    }
}

pub fn from_setting(setting: &Payments, public_url: &str) -> Arc<dyn PaymentGateway> {
    match setting {
        Payments::Sandbox => Arc::new(Sandbox),
        Payments::Payfip(settings) => Arc::new(PayfipGateway::new(settings.clone(), public_url)),
        Payments::None => Arc::new(NoPayments),
    }
}

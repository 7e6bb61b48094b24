//! Payment gateways. The sandbox exists for demos and tests and is enabled only by
//! `GUICHET_PAYMENTS=sandbox`; PayFiP comes next (see the port in `crate::ports::payment`).
use crate::ports::{ChargeResult, GatewayError, PaymentAttempt, PaymentGateway, PaymentStart};
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
    async fn result(&self, _provider_ref: &str) -> Result<Option<ChargeResult>, GatewayError> {
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
    async fn result(&self, _provider_ref: &str) -> Result<Option<ChargeResult>, GatewayError> {
        Err(GatewayError::NotConfigured)
    }
}

pub fn from_setting(setting: Option<&str>) -> Arc<dyn PaymentGateway> {
    match setting {
        Some("sandbox") => Arc::new(Sandbox),
        _ => Arc::new(NoPayments),
    }
}

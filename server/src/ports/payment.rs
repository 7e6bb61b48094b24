use app::domain::{Cents, OrderId};
use app::dto::PaymentOutcome;
use async_trait::async_trait;

/// A payment provider. A real one (PayFiP, a card acquirer) starts a payment and answers with
/// a page to send the buyer to, the result arriving later; the sandbox answers at once with the
/// outcome the buyer picked. Each attempt carries its own idempotency key.
#[async_trait]
pub trait PaymentGateway: Send + Sync + 'static {
    /// Recorded with every payment ("sandbox", "payfip").
    fn id(&self) -> &'static str;
    /// The UI must say that no money moves.
    fn is_sandbox(&self) -> bool;
    /// False when no provider is set up: no attempt is even recorded.
    fn configured(&self) -> bool {
        true
    }
    async fn start(&self, attempt: &PaymentAttempt) -> Result<PaymentStart, GatewayError>;
    /// The result of a started payment, `None` while it is not known yet.
    async fn result(&self, provider_ref: &str) -> Result<Option<ChargeResult>, GatewayError>;
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentAttempt {
    pub idempotency_key: String,
    pub order: OrderId,
    pub order_reference: String,
    pub amount: Cents,
    pub buyer_email: String,
    /// What the buyer chose on the sandbox's page; real providers ignore it.
    pub requested: PaymentOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentStart {
    /// The provider decided at once.
    Completed(ChargeResult),
    /// Send the buyer to `url`; the result comes later, asked with `provider_ref`.
    Redirect { url: String, provider_ref: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeResult {
    Approved,
    Declined,
    Abandoned,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    #[error("no payment provider is configured")]
    NotConfigured,
    #[error("payment provider unreachable: {0}")]
    Unavailable(String),
}

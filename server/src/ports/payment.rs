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
    /// What the provider says now of a payment it redirected the buyer for. Its notifications
    /// and the buyer's return say only "ask me": this answer is the one to trust.
    async fn result(&self, provider_ref: &str) -> Result<ProviderAnswer, GatewayError>;
}

/// A provider's answer on a started payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderAnswer {
    pub state: ChargeState,
    /// The amount and reference the provider charged, when it says (checked against ours).
    pub amount: Option<Cents>,
    pub reference: Option<String>,
    /// The answer as the provider gave it, kept with the attempt (staff, disputes).
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeState {
    Known(ChargeResult),
    /// Still on the provider's page, or not told yet (PayFiP's P5).
    NotYet,
    /// The provider does not know this payment (PayFiP's P1: expired or purged).
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentAttempt {
    pub idempotency_key: String,
    pub order: OrderId,
    pub order_reference: String,
    pub amount: Cents,
    pub buyer_email: String,
    /// What is paid for, in words (the show and its date).
    pub description: String,
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
    /// The provider would refuse this payment as it is (an amount or an address it does not
    /// take): the buyer must be told, not the provider retried.
    #[error("payment not accepted by the provider: {0}")]
    NotAccepted(String),
}

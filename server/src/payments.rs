//! Payment providers. Real ones (PayFiP, card acquirers) come later; the sandbox exists for
//! demos and tests and is enabled only by `GUICHET_PAYMENTS=sandbox`.
use app::dto::PaymentOutcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeResult {
    Approved,
    Declined,
    Abandoned,
}

impl ChargeResult {
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeResult::Approved => "approved",
            ChargeResult::Declined => "declined",
            ChargeResult::Abandoned => "abandoned",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("aucun moyen de paiement n'est configuré")]
    NotConfigured,
}

pub trait PaymentProvider: Send + Sync {
    fn id(&self) -> &'static str;
    fn is_sandbox(&self) -> bool;
    /// Charges `amount_cents`. The sandbox does what the buyer asked for.
    fn charge(
        &self,
        amount_cents: i64,
        requested: PaymentOutcome,
    ) -> Result<ChargeResult, PaymentError>;
}

pub struct SandboxProvider;

impl PaymentProvider for SandboxProvider {
    fn id(&self) -> &'static str {
        "sandbox"
    }
    fn is_sandbox(&self) -> bool {
        true
    }
    fn charge(
        &self,
        _amount_cents: i64,
        requested: PaymentOutcome,
    ) -> Result<ChargeResult, PaymentError> {
        Ok(match requested {
            PaymentOutcome::Approve => ChargeResult::Approved,
            PaymentOutcome::Decline => ChargeResult::Declined,
            PaymentOutcome::Abandon => ChargeResult::Abandoned,
        })
    }
}

/// Used when no provider is configured: orders can be placed but never paid online.
pub struct NoProvider;

impl PaymentProvider for NoProvider {
    fn id(&self) -> &'static str {
        "none"
    }
    fn is_sandbox(&self) -> bool {
        false
    }
    fn charge(
        &self,
        _amount_cents: i64,
        _requested: PaymentOutcome,
    ) -> Result<ChargeResult, PaymentError> {
        Err(PaymentError::NotConfigured)
    }
}

pub fn from_setting(setting: Option<&str>) -> Box<dyn PaymentProvider> {
    match setting {
        Some("sandbox") => Box::new(SandboxProvider),
        _ => Box::new(NoProvider),
    }
}

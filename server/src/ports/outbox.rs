use super::RepoResult;
use app::domain::OrderId;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// E-mails waiting to go out. They are written in the transaction that makes them due (the
/// tickets' issue, a cancellation, a refund), so a crash or an SMTP outage loses none; a sender
/// takes them from here.
#[async_trait]
pub trait OutboxRepo: Send + Sync + 'static {
    /// Queues a mail asked for on its own (tickets sent again, "retrouver ma commande").
    async fn queue_mail(&self, mail: &NewMail, now: i64) -> RepoResult<()>;
    /// How many mails of an asked-for kind were queued for `recipient` (any case) since
    /// `since`: what bounds how often anyone can make Guichet write to an address.
    async fn asked_mails_since(&self, recipient: &str, kind: Asked, since: i64) -> RepoResult<i64>;
    /// Up to `limit` mails due at `now`, each counted as one more attempt and put off until
    /// `lease_until`, so that no other app server takes it meanwhile.
    async fn claim_due_mails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> RepoResult<Vec<OutboxRow>>;
    /// These mails went out (marked together: one write per batch, not per mail).
    async fn mails_sent(&self, ids: &[i64], now: i64) -> RepoResult<()>;
    /// The attempt failed: tried again at `next_attempt_at`.
    async fn mail_failed(&self, id: i64, error: &str, next_attempt_at: i64) -> RepoResult<()>;
    async fn mail_status(&self) -> RepoResult<MailStatus>;
}

/// The kinds of mail someone asks for, each bounded apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Resend,
    Lookup,
}

impl Asked {
    /// The outbox's `kind`.
    pub fn kind(self) -> &'static str {
        match self {
            Asked::Resend => "resend",
            Asked::Lookup => "lookup",
        }
    }
}

/// What a mail is for, with what it says beyond the order's own data. Stored as the outbox
/// row's `kind` and JSON `payload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mail {
    /// The order's confirmation with its tickets: once per order.
    Confirmation,
    /// The tickets again, asked by the buyer (order page) or the box office.
    Resend,
    /// Tickets of the order cancelled (their numbers).
    Cancellation { tickets: Vec<String> },
    /// Money given back, with the tickets it took back.
    Refund {
        amount_cents: i64,
        tickets: Vec<String>,
    },
    /// The performance itself was cancelled: its tickets are void, a refund is due.
    PerformanceCancelled,
    /// "Retrouver ma commande": the links of the recipient's orders, in `lang`.
    Lookup { orders: Vec<String>, lang: String },
}

impl Mail {
    pub fn kind(&self) -> &'static str {
        match self {
            Mail::Confirmation => "confirmation",
            Mail::Resend => "resend",
            Mail::Cancellation { .. } => "cancellation",
            Mail::Refund { .. } => "refund",
            Mail::PerformanceCancelled => "performance_cancelled",
            Mail::Lookup { .. } => "lookup",
        }
    }

    pub fn payload(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| format!("{{\"kind\":\"{}\"}}", self.kind()))
    }

    pub fn from_payload(payload: &str) -> Option<Mail> {
        serde_json::from_str(payload).ok()
    }
}

/// A mail to queue: with a settlement or an after-sale act (its order), or on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub mail: Mail,
    /// The order it is about; `None` for a look-up, which may list several.
    pub order: Option<OrderId>,
    pub recipient: String,
}

/// A cancelled performance's mails: one per paid buyer who gave an address.
pub fn performance_cancelled_mails(buyers: &[super::BuyerRow]) -> Vec<NewMail> {
    buyers
        .iter()
        .filter(|b| !b.email.trim().is_empty())
        .map(|b| NewMail {
            mail: Mail::PerformanceCancelled,
            order: Some(OrderId::from_trusted(b.order_id.clone())),
            recipient: b.email.clone(),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub mail: Mail,
    pub order: Option<OrderId>,
    pub recipient: String,
    /// Attempts made, this one included once claimed.
    pub attempts: i64,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailStatus {
    pub waiting: i64,
    pub sent: i64,
    /// Unsent mails whose last attempt failed, oldest first.
    pub failing: Vec<OutboxRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_name_their_kind() {
        let mails = [
            Mail::Confirmation,
            Mail::Resend,
            Mail::Cancellation {
                tickets: vec!["A1".into()],
            },
            Mail::Refund {
                amount_cents: 1250,
                tickets: vec![],
            },
            Mail::PerformanceCancelled,
            Mail::Lookup {
                orders: vec!["o1".into(), "o2".into()],
                lang: "en".into(),
            },
        ];
        for m in mails {
            let p = m.payload();
            assert!(p.contains(&format!("\"kind\":\"{}\"", m.kind())), "{p}");
            assert_eq!(Mail::from_payload(&p), Some(m));
        }
        assert_eq!(Mail::from_payload("{\"kind\":\"nope\"}"), None);
    }
}

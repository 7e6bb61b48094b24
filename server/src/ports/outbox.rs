use super::RepoResult;
use app::domain::OrderId;
use async_trait::async_trait;

/// E-mails waiting to go out. They are written in the transaction that makes them due (the
/// tickets' issue), so a crash or an SMTP outage loses none; a sender takes them from here.
#[async_trait]
pub trait OutboxRepo: Send + Sync + 'static {
    /// Up to `limit` mails due at `now`, each counted as one more attempt and put off until
    /// `lease_until`, so that no other app server takes it meanwhile.
    async fn claim_due_mails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> RepoResult<Vec<OutboxRow>>;
    async fn mail_sent(&self, id: i64, now: i64) -> RepoResult<()>;
    /// The attempt failed: tried again at `next_attempt_at`.
    async fn mail_failed(&self, id: i64, error: &str, next_attempt_at: i64) -> RepoResult<()>;
    async fn mail_status(&self) -> RepoResult<MailStatus>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// The order's confirmation, with its tickets.
    Confirmation,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Confirmation => "confirmation",
        }
    }
    pub fn parse(s: &str) -> Option<MailKind> {
        (s == "confirmation").then_some(MailKind::Confirmation)
    }
}

/// A mail to queue with a settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub kind: MailKind,
    pub recipient: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: MailKind,
    pub order: OrderId,
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

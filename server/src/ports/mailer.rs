use async_trait::async_trait;

/// Delivers an e-mail (SMTP, or a folder on a machine without one).
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// Unique and stable across retries: the Message-ID's left part (a client that gets the
    /// message twice after a crash shows it once).
    pub id: String,
    pub to: String,
    /// The sender's display name (the venue).
    pub from_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// Try again later (server down, mailbox busy).
    #[error("temporary: {0}")]
    Temporary(String),
    /// Will never go (an address the server refuses).
    #[error("permanent: {0}")]
    Permanent(String),
}

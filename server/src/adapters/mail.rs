//! E-mail delivery: SMTP with lettre (`GUICHET_SMTP_URL`, `smtp://user:pass@host:587` with
//! STARTTLS, `smtps://…` for TLS), or, without SMTP, a folder of `.eml` files that a developer
//! opens in any mail client. lettre builds the MIME message: UTF-8 subjects encoded, a proper
//! Date and Message-ID, text and HTML alternatives, attachments with their content types.
use crate::ports::{MailError, Mailer, OutgoingMail};
use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// The mailer the configuration asks for: SMTP, else a folder of `.eml` files.
pub fn from_config(
    config: &crate::config::MailConfig,
) -> anyhow::Result<std::sync::Arc<dyn Mailer>> {
    let from: Address = config
        .from
        .parse()
        .map_err(|e| anyhow::anyhow!("GUICHET_MAIL_FROM {:?}: {e}", config.from))?;
    Ok(match &config.smtp_url {
        Some(url) => std::sync::Arc::new(
            SmtpMailer::new(url, from).map_err(|e| anyhow::anyhow!("GUICHET_SMTP_URL: {e}"))?,
        ),
        None => std::sync::Arc::new(FolderMailer::new(config.dir.clone(), from)),
    })
}

/// Builds the message as it leaves Guichet.
pub fn message(from: &Address, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Address = mail
        .to
        .parse()
        .map_err(|e| MailError::Permanent(format!("address {:?}: {e}", mail.to)))?;
    let body = MultiPart::alternative()
        .singlepart(SinglePart::plain(mail.text.clone()))
        .singlepart(SinglePart::html(mail.html.clone()));
    let mut mixed = MultiPart::mixed().multipart(body);
    for a in &mail.attachments {
        let kind = ContentType::parse(&a.content_type)
            .map_err(|e| MailError::Permanent(format!("content type {}: {e}", a.content_type)))?;
        mixed = mixed.singlepart(Attachment::new(a.filename.clone()).body(a.bytes.clone(), kind));
    }
    Message::builder()
        .from(Mailbox::new(Some(mail.from_name.clone()), from.clone()))
        .to(Mailbox::new(None, to))
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@{}>", mail.id, from.domain())))
        .date_now()
        .multipart(mixed)
        .map_err(|e| MailError::Permanent(format!("message: {e}")))
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Address,
}

impl SmtpMailer {
    pub fn new(url: &str, from: Address) -> Result<SmtpMailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| e.to_string())?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(SmtpMailer { transport, from })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = message(&self.from, mail)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Temporary(e.to_string())),
        }
    }
}

/// No SMTP server: each message is written to `dir` as an `.eml` file.
pub struct FolderMailer {
    dir: PathBuf,
    from: Address,
}

impl FolderMailer {
    pub fn new(dir: PathBuf, from: Address) -> FolderMailer {
        FolderMailer { dir, from }
    }
}

#[async_trait]
impl Mailer for FolderMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let bytes = message(&self.from, mail)?.formatted();
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| MailError::Temporary(format!("{}: {e}", self.dir.display())))?;
        let file = self.dir.join(format!("{}.eml", mail.id));
        tokio::fs::write(&file, bytes)
            .await
            .map_err(|e| MailError::Temporary(format!("{}: {e}", file.display())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::Attachment as File;

    #[test]
    fn the_default_configuration_gives_a_mailer() {
        assert!(from_config(&crate::config::MailConfig::default()).is_ok());
        let bad = crate::config::MailConfig {
            from: "not an address".into(),
            ..Default::default()
        };
        assert!(from_config(&bad).is_err());
    }

    #[test]
    fn the_message_is_mime_with_an_encoded_subject_and_its_attachments() {
        let from: Address = "billetterie@ville.fr".parse().unwrap();
        let mail = OutgoingMail {
            id: "guichet-1-K7F39Q2X".into(),
            to: "ana@exemple.fr".into(),
            from_name: "Théâtre municipal".into(),
            subject: "Vos billets – Concert du Nouvel An".into(),
            text: "Bonjour".into(),
            html: "<p>Bonjour</p>".into(),
            attachments: vec![File {
                filename: "billets-K7F39Q2X.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.7".to_vec(),
            }],
        };
        let raw = String::from_utf8(message(&from, &mail).unwrap().formatted()).unwrap();
        // Non-ASCII words encoded (RFC 2047), the rest readable as is.
        assert!(raw.contains("Subject: Vos billets =?utf-8?b?"), "{raw}");
        assert!(raw.contains("Message-ID: <guichet-1-K7F39Q2X@ville.fr>"));
        assert!(raw.contains("Date: "));
        assert!(raw.contains("Content-Type: application/pdf"));
        assert!(raw.contains("filename=\"billets-K7F39Q2X.pdf\""));
        assert!(raw.contains("multipart/alternative"));
        let bad = OutgoingMail {
            to: "not an address".into(),
            ..mail
        };
        assert!(matches!(message(&from, &bad), Err(MailError::Permanent(_))));
    }
}

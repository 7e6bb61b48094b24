//! The outbox and a mailer in memory.
use super::MemoryStore;
use crate::ports::*;
use async_trait::async_trait;
use std::sync::Mutex;

/// A queued mail and when it may next be tried.
#[derive(Debug, Clone)]
pub(super) struct Queued {
    pub row: OutboxRow,
    pub next_attempt_at: i64,
}

impl MemoryStore {
    /// Every mail ever queued, oldest first.
    pub fn outbox(&self) -> Vec<OutboxRow> {
        let s = self.state.lock().expect("state");
        s.outbox.iter().map(|q| q.row.clone()).collect()
    }
}

pub(super) fn enqueue(outbox: &mut Vec<Queued>, mail: &NewMail, now: i64) {
    // A confirmation once per order (the unique index of the engines).
    if mail.mail == Mail::Confirmation
        && outbox
            .iter()
            .any(|q| q.row.order == mail.order && q.row.mail == Mail::Confirmation)
    {
        return;
    }
    let id = outbox.len() as i64 + 1;
    outbox.push(Queued {
        row: OutboxRow {
            id,
            mail: mail.mail.clone(),
            order: mail.order.clone(),
            recipient: mail.recipient.clone(),
            attempts: 0,
            created_at: now,
            sent_at: None,
            last_error: None,
        },
        next_attempt_at: now,
    });
}

#[async_trait]
impl OutboxRepo for MemoryStore {
    async fn queue_mail(&self, mail: &NewMail, now: i64) -> RepoResult<()> {
        let mut s = self.state()?;
        enqueue(&mut s.outbox, mail, now);
        Ok(())
    }

    async fn asked_mails_since(&self, recipient: &str, kind: Asked, since: i64) -> RepoResult<i64> {
        let s = self.state()?;
        Ok(s.outbox
            .iter()
            .filter(|q| {
                q.row.mail.kind() == kind.kind()
                    && q.row.recipient.eq_ignore_ascii_case(recipient)
                    && q.row.created_at >= since
            })
            .count() as i64)
    }

    async fn claim_due_mails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> RepoResult<Vec<OutboxRow>> {
        let mut s = self.state()?;
        let mut claimed = Vec::new();
        for q in s
            .outbox
            .iter_mut()
            .filter(|q| q.row.sent_at.is_none() && q.next_attempt_at <= now)
            .take(limit as usize)
        {
            q.row.attempts += 1;
            q.next_attempt_at = lease_until;
            claimed.push(q.row.clone());
        }
        Ok(claimed)
    }

    async fn mails_sent(&self, ids: &[i64], now: i64) -> RepoResult<()> {
        let mut s = self.state()?;
        for q in s.outbox.iter_mut().filter(|q| ids.contains(&q.row.id)) {
            q.row.sent_at = Some(now);
            q.row.last_error = None;
        }
        Ok(())
    }

    async fn mail_failed(&self, id: i64, error: &str, next_attempt_at: i64) -> RepoResult<()> {
        let mut s = self.state()?;
        if let Some(q) = s
            .outbox
            .iter_mut()
            .find(|q| q.row.id == id && q.row.sent_at.is_none())
        {
            q.row.last_error = Some(error.into());
            q.next_attempt_at = next_attempt_at;
        }
        Ok(())
    }

    async fn mail_status(&self) -> RepoResult<MailStatus> {
        let s = self.state()?;
        let waiting = s.outbox.iter().filter(|q| q.row.sent_at.is_none()).count() as i64;
        Ok(MailStatus {
            waiting,
            sent: s.outbox.len() as i64 - waiting,
            failing: s
                .outbox
                .iter()
                .filter(|q| q.row.sent_at.is_none() && q.row.last_error.is_some())
                .map(|q| q.row.clone())
                .collect(),
        })
    }
}

/// Keeps what it is asked to send; refuses (as a server that is down would) while `down`.
#[derive(Default)]
pub struct FakeMailer {
    pub sent: Mutex<Vec<OutgoingMail>>,
    pub down: Mutex<bool>,
}

#[async_trait]
impl Mailer for FakeMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        if *self.down.lock().expect("down") {
            return Err(MailError::Temporary("connection refused".into()));
        }
        self.sent.lock().expect("sent").push(mail.clone());
        Ok(())
    }
}

//! E-mails that are never lost: queued in the transaction that makes them due (see
//! `Settle::mail`), then sent from the outbox by a background sender, with retries and backoff.
//! A crash between the commit and the send, or an SMTP outage, only delays them.
pub mod compose;
pub mod ics;
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::catalogue::CatalogueCache;
use crate::usecases::tickets::TicketsService;
use app::dto::TicketLayout;
use app::i18n::Lang;
use app::ports::Failure;
use std::sync::Arc;

/// Mails taken in one pass.
const BATCH: i64 = 50;
/// How long a claimed mail is another server's to send (then it may be taken again).
const LEASE: i64 = 120;

/// Seconds before the next attempt after `attempts` failed ones: 30 s doubling, at most
/// `max` (an SMTP server back after an hour gets its mail within that).
pub fn backoff(attempts: i64, base: i64, max: i64) -> i64 {
    let exp = attempts.clamp(1, 16) - 1;
    base.saturating_mul(1 << exp).min(max)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailSettings {
    pub retry_base_seconds: i64,
    pub retry_max_seconds: i64,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            retry_base_seconds: 30,
            retry_max_seconds: 300,
        }
    }
}

pub struct MailService {
    outbox: Arc<dyn OutboxRepo>,
    orders: Arc<dyn OrderRepo>,
    cache: Arc<CatalogueCache>,
    tickets: Arc<TicketsService>,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    public_url: String,
    settings: MailSettings,
}

impl MailService {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        outbox: Arc<dyn OutboxRepo>,
        orders: Arc<dyn OrderRepo>,
        cache: Arc<CatalogueCache>,
        tickets: Arc<TicketsService>,
        mailer: Arc<dyn Mailer>,
        clock: Arc<dyn Clock>,
        public_url: String,
        settings: MailSettings,
    ) -> MailService {
        MailService {
            outbox,
            orders,
            cache,
            tickets,
            mailer,
            clock,
            public_url: public_url.trim_end_matches('/').to_string(),
            settings,
        }
    }

    /// Sends what is due, batch after batch until none is left; how many went out.
    pub async fn send_due(&self) -> Result<usize, Failure> {
        let mut sent = 0;
        loop {
            let now = self.clock.now();
            let due = self.outbox.claim_due_mails(now, now + LEASE, BATCH).await?;
            let full = due.len() as i64 == BATCH;
            let went = self.send_batch(due).await?;
            sent += went;
            // A batch that all failed (the server is down) waits for the next round.
            if !full || went == 0 {
                return Ok(sent);
            }
        }
    }

    async fn send_batch(&self, due: Vec<OutboxRow>) -> Result<usize, Failure> {
        let mut sent = 0;
        for mail in due {
            let outcome = match self.compose(&mail).await {
                Ok(message) => self.mailer.send(&message).await,
                Err(e) => Err(MailError::Temporary(e.to_string())),
            };
            match outcome {
                Ok(()) => {
                    self.outbox.mail_sent(mail.id, self.clock.now()).await?;
                    sent += 1;
                }
                Err(e) => {
                    let wait = backoff(
                        mail.attempts,
                        self.settings.retry_base_seconds,
                        self.settings.retry_max_seconds,
                    );
                    tracing::warn!(mail = mail.id, attempts = mail.attempts, error = %e, "e-mail not sent");
                    self.outbox
                        .mail_failed(mail.id, &e.to_string(), self.clock.now() + wait)
                        .await?;
                }
            }
        }
        Ok(sent)
    }

    pub async fn status(&self) -> Result<MailStatus, Failure> {
        self.outbox.mail_status().await
    }

    async fn compose(&self, mail: &OutboxRow) -> Result<OutgoingMail, Failure> {
        let MailKind::Confirmation = mail.kind;
        let order = self.orders.order(&mail.order).await?.ok_or_else(|| {
            Failure::Internal(format!("order {} of a mail is missing", mail.order))
        })?;
        let perf = self
            .cache
            .rules(order.performance)
            .await?
            .ok_or_else(|| Failure::Internal("performance of an order is missing".into()))?;
        let lang = Lang::parse(&order.lang);
        let tickets: Vec<TicketRow> = self
            .orders
            .order_tickets(&order.id)
            .await?
            .into_iter()
            .filter(|t| t.status == TicketStatus::Valid)
            .collect();
        let pdf = self
            .tickets
            .render(&order, &perf, tickets.clone(), TicketLayout::A4)
            .await
            .map_err(|e| Failure::Internal(format!("tickets PDF: {e}")))?;
        let order_url = format!("{}/commandes/{}/{}", self.public_url, order.id, order.token);
        let sender = if perf.venue.is_empty() {
            perf.operator_name.clone()
        } else {
            perf.venue.clone()
        };
        let place = [
            perf.hall.as_str(),
            perf.venue.as_str(),
            perf.venue_address.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
        let lines = tickets
            .iter()
            .map(|t| compose::Line {
                number: t.number.to_string(),
                place: t
                    .seat
                    .as_ref()
                    .map(|s| lang.seat_label(s))
                    .unwrap_or_else(|| lang.pick("Placement libre", "Unreserved seating").into()),
                tariff: t.tariff_label.clone(),
                price_cents: t.price.0,
            })
            .collect();
        let composed = compose::confirmation(&compose::Confirmation {
            lang,
            buyer: &order.buyer_name,
            reference: &order.reference,
            order_url: &order_url,
            title: &perf.title,
            starts_at: perf.starts_at,
            place: &place,
            lines,
            total_cents: order.total.0,
            sender: &sender,
        });
        let uid = format!("{}-{}@guichet", order.reference, perf.id);
        let description = format!("{} {}", lang.pick("Commande", "Order"), order.reference);
        let calendar = ics::invitation(&ics::Event {
            uid: &uid,
            starts_at: perf.starts_at,
            ends_at: perf.starts_at + perf.duration_min.max(60) * 60,
            summary: &perf.title,
            location: &place,
            description: &description,
            url: &order_url,
            stamp: self.clock.now(),
        });
        Ok(OutgoingMail {
            id: format!("guichet-{}-{}", mail.id, order.reference),
            to: mail.recipient.clone(),
            from_name: sender,
            subject: composed.subject,
            text: composed.text,
            html: composed.html,
            attachments: vec![
                Attachment {
                    filename: format!("billets-{}.pdf", order.reference),
                    content_type: "application/pdf".into(),
                    bytes: pdf,
                },
                Attachment {
                    filename: "seance.ics".into(),
                    content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                    bytes: calendar.into_bytes(),
                },
            ],
        })
    }
}

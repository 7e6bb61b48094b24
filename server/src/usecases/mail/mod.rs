//! E-mails that are never lost: queued in the transaction that makes them due (see
//! `Settle::mail`), then sent from the outbox by a background sender, with retries and backoff.
//! A crash between the commit and the send, or an SMTP outage, only delays them.
pub mod compose;
pub mod ics;
pub mod requests;
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::catalogue::CatalogueCache;
use app::domain::OrderId;
use app::dto::TicketLayout;
use app::i18n::Lang;
use app::ports::Failure;
use std::sync::Arc;

/// Mails taken in one pass.
const BATCH: i64 = 50;
/// How long a claimed mail is another server's to send (then it may be taken again).
const LEASE: i64 = 120;
/// Mails composed and handed to the mailer at once.
const SENDING_AT_ONCE: usize = 4;

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
    /// Renders the attached tickets at low priority (not cached: each is mailed once).
    renderer: Arc<dyn TicketRenderer>,
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
        renderer: Arc<dyn TicketRenderer>,
        mailer: Arc<dyn Mailer>,
        clock: Arc<dyn Clock>,
        public_url: String,
        settings: MailSettings,
    ) -> MailService {
        MailService {
            outbox,
            orders,
            cache,
            renderer,
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
        // A few at a time (an SMTP exchange is mostly waiting; lettre pools the connections),
        // each group marked sent as soon as it is out: a crash or a lost lease sends again at
        // most the group in flight, with the same Message-ID (mail clients show it once).
        for group in due.chunks(SENDING_AT_ONCE) {
            let outcomes = futures::future::join_all(group.iter().map(|mail| async move {
                match self.compose(mail).await {
                    Ok(message) => self.mailer.send(&message).await,
                    Err(e) => Err(MailError::Temporary(e.to_string())),
                }
            }))
            .await;
            let mut out = Vec::new();
            for (mail, outcome) in group.iter().zip(outcomes) {
                match outcome {
                    Ok(()) => out.push(mail.id),
                    Err(e) => self.failed(mail, &e).await,
                }
            }
            if !out.is_empty() {
                self.outbox.mails_sent(&out, self.clock.now()).await?;
                sent += out.len();
            }
        }
        Ok(sent)
    }

    /// Puts a mail off by its backoff. A failure to record that is only logged: the lease
    /// brings the mail back anyway, and the mails of the batch that went out must still be
    /// marked.
    async fn failed(&self, mail: &OutboxRow, e: &MailError) {
        let wait = backoff(
            mail.attempts,
            self.settings.retry_base_seconds,
            self.settings.retry_max_seconds,
        );
        tracing::warn!(mail = mail.id, attempts = mail.attempts, error = %e, "e-mail not sent");
        if let Err(f) = self
            .outbox
            .mail_failed(mail.id, &e.to_string(), self.clock.now() + wait)
            .await
        {
            tracing::error!(mail = mail.id, error = %f, "e-mail failure not recorded");
        }
    }

    pub async fn status(&self) -> Result<MailStatus, Failure> {
        self.outbox.mail_status().await
    }

    async fn compose(&self, mail: &OutboxRow) -> Result<OutgoingMail, Failure> {
        match &mail.mail {
            Mail::Lookup { orders, lang } => {
                self.compose_lookup(mail, orders, Lang::parse(lang)).await
            }
            _ => self.compose_order(mail).await,
        }
    }

    fn order_url(&self, order: &OrderRow) -> String {
        order_url(&self.public_url, order)
    }

    async fn rules(&self, order: &OrderRow) -> Result<Arc<PerformanceRules>, Failure> {
        self.cache
            .rules(order.performance)
            .await?
            .ok_or_else(|| Failure::Internal("performance of an order is missing".into()))
    }

    /// A mail about one order: its tickets (sent, sent again), some of them cancelled, a
    /// refund, its performance cancelled.
    async fn compose_order(&self, mail: &OutboxRow) -> Result<OutgoingMail, Failure> {
        let id = mail
            .order
            .as_ref()
            .ok_or_else(|| Failure::Internal(format!("mail {} names no order", mail.id)))?;
        let order = self
            .orders
            .order(id)
            .await?
            .ok_or_else(|| Failure::Internal(format!("order {id} of a mail is missing")))?;
        let perf = self.rules(&order).await?;
        let lang = Lang::parse(&order.lang);
        let all = self.orders.order_tickets(&order.id).await?;
        let valid: Vec<TicketRow> = all
            .iter()
            .filter(|t| t.status == TicketStatus::Valid)
            .cloned()
            .collect();
        let order_url = self.order_url(&order);
        let sender = sender_of(&perf);
        let place = ics::place_of(&perf);
        let line = |t: &TicketRow| compose::Line {
            number: t.number.to_string(),
            place: t
                .seat
                .as_ref()
                .map(|s| lang.seat_label(s))
                .unwrap_or_else(|| lang.pick("Placement libre", "Unreserved seating").into()),
            tariff: t.tariff_label.clone(),
            price_cents: t.price.0,
        };
        let named = |numbers: &[String]| -> Vec<compose::Line> {
            all.iter()
                .filter(|t| numbers.contains(&t.number.to_string()))
                .map(line)
                .collect()
        };
        let lines = match &mail.mail {
            Mail::Confirmation | Mail::Resend => valid.iter().map(line).collect(),
            Mail::Cancellation { tickets } | Mail::Refund { tickets, .. } => named(tickets),
            Mail::PerformanceCancelled | Mail::Lookup { .. } => Vec::new(),
        };
        let facts = compose::OrderFacts {
            lang,
            buyer: &order.buyer_name,
            reference: &order.reference,
            order_url: &order_url,
            event: compose::Event {
                title: &perf.title,
                starts_at: perf.starts_at,
                place: &place,
            },
            lines,
            total_cents: order.total.0,
            sender: &sender,
        };
        let (composed, tickets_attached) = match &mail.mail {
            Mail::Confirmation => (compose::confirmation(&facts), true),
            Mail::Resend => (compose::resend(&facts), true),
            Mail::Cancellation { .. } => (compose::cancellation(&facts, valid.len()), false),
            Mail::Refund { amount_cents, .. } => (compose::refund(&facts, *amount_cents), false),
            Mail::PerformanceCancelled | Mail::Lookup { .. } => {
                (compose::performance_cancelled(&facts), false)
            }
        };
        let mut attachments = Vec::new();
        if tickets_attached && !valid.is_empty() {
            let pdf = self
                .renderer
                .pdf(
                    crate::usecases::tickets::documents(&order, &perf, valid),
                    TicketLayout::A4,
                )
                .await
                .map_err(|e| Failure::Internal(format!("tickets PDF: {e}")))?;
            let calendar = ics::for_order(&order, &perf, &order_url, self.clock.now());
            attachments.push(Attachment {
                filename: format!("billets-{}.pdf", order.reference),
                content_type: "application/pdf".into(),
                bytes: pdf,
            });
            attachments.push(Attachment {
                filename: "seance.ics".into(),
                content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                bytes: calendar.into_bytes(),
            });
        }
        Ok(OutgoingMail {
            id: format!("guichet-{}-{}", mail.id, order.reference),
            to: mail.recipient.clone(),
            from_name: sender,
            subject: composed.subject,
            text: composed.text,
            html: composed.html,
            attachments,
        })
    }

    /// "Retrouver ma commande": the orders' links, as they are now.
    async fn compose_lookup(
        &self,
        mail: &OutboxRow,
        ids: &[String],
        lang: Lang,
    ) -> Result<OutgoingMail, Failure> {
        let mut found = Vec::new();
        let mut sender = None;
        for id in ids.iter().filter_map(|i| OrderId::parse(i)) {
            let Some(order) = self.orders.order(&id).await? else {
                continue;
            };
            let perf = self.rules(&order).await?;
            sender.get_or_insert_with(|| sender_of(&perf));
            found.push(compose::FoundOrder {
                reference: order.reference.clone(),
                title: perf.title.clone(),
                starts_at: perf.starts_at,
                url: self.order_url(&order),
            });
        }
        let sender = sender.unwrap_or_else(|| "Guichet".into());
        let composed = compose::lookup(lang, &found, &sender);
        Ok(OutgoingMail {
            id: format!("guichet-{}-lookup", mail.id),
            to: mail.recipient.clone(),
            from_name: sender,
            subject: composed.subject,
            text: composed.text,
            html: composed.html,
            attachments: Vec::new(),
        })
    }
}

/// An order's page, as mails and calendar invitations link it.
pub(crate) fn order_url(public_url: &str, order: &OrderRow) -> String {
    format!("{public_url}/commandes/{}/{}", order.id, order.token)
}

/// The venue signs its mails (the operator when the venue has no name).
fn sender_of(perf: &PerformanceRules) -> String {
    if perf.venue.is_empty() {
        perf.operator_name.clone()
    } else {
        perf.venue.clone()
    }
}

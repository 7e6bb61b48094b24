//! Mails asked for: a buyer's tickets again (order page, box office) and "retrouver ma
//! commande". Each is queued in the outbox and sent like any other; an address receives only a
//! few of each kind (`domain::mail_request`), counted in the outbox so that every app server
//! sees the same count.
use crate::ports::*;
use crate::usecases::checkout::CheckoutService;
use app::domain::mail_request::{
    may_send, LookupKey, LOOKUPS, LOOKUP_WINDOW, RESENDS, RESEND_WINDOW,
};
use app::domain::order_search::OrderQuery;
use app::domain::{Email, OrderId, Permission};
use app::dto::{FindOrdersRequest, MailQueued, MailStatusView, OrderStatus, OutboxMailView, Ts};
use app::i18n::Lang;
use app::ports::{FindOrdersError, OrderMails, ResendError};
use app::staff::Actor;
use async_trait::async_trait;
use std::sync::Arc;

/// Orders listed in one look-up mail at most (the newest).
const LOOKUP_ORDERS: i64 = 20;

pub struct MailRequests {
    orders: Arc<dyn OrderRepo>,
    outbox: Arc<dyn OutboxRepo>,
    checkout: Arc<CheckoutService>,
    clock: Arc<dyn Clock>,
}

impl MailRequests {
    pub fn new(
        orders: Arc<dyn OrderRepo>,
        outbox: Arc<dyn OutboxRepo>,
        checkout: Arc<CheckoutService>,
        clock: Arc<dyn Clock>,
    ) -> MailRequests {
        MailRequests {
            orders,
            outbox,
            checkout,
            clock,
        }
    }

    /// Whether `recipient` may receive one more mail of this kind now.
    async fn may_ask(&self, recipient: &str, kind: Asked) -> Result<bool, Failure> {
        let (max, window) = match kind {
            Asked::Resend => (RESENDS, RESEND_WINDOW),
            Asked::Lookup => (LOOKUPS, LOOKUP_WINDOW),
        };
        let since = self.clock.now() - window;
        let sent = self
            .outbox
            .asked_mails_since(recipient, kind, since)
            .await?;
        Ok(may_send(sent, max))
    }

    /// Queues the tickets of a paid order for `to`.
    async fn queue_resend(
        &self,
        order: &OrderRow,
        to: Email,
        bounded: bool,
    ) -> Result<MailQueued, ResendError> {
        if order.status != OrderStatus::Paid {
            return Err(ResendError::NotPaid);
        }
        let tickets = self.orders.order_tickets(&order.id).await?;
        if !tickets.iter().any(|t| t.status == TicketStatus::Valid) {
            return Err(ResendError::NoValidTickets);
        }
        if bounded && !self.may_ask(to.as_str(), Asked::Resend).await? {
            return Err(ResendError::TooOften {
                retry_after: RESEND_WINDOW,
            });
        }
        self.outbox
            .queue_mail(
                &NewMail {
                    mail: Mail::Resend,
                    order: Some(order.id.clone()),
                    recipient: to.as_str().to_string(),
                },
                self.clock.now(),
            )
            .await?;
        Ok(MailQueued {
            status: "queued".into(),
            to: to.as_str().to_string(),
        })
    }
}

#[async_trait]
impl OrderMails for MailRequests {
    async fn resend(&self, order_id: &str, token: &str) -> Result<MailQueued, ResendError> {
        let order = self
            .checkout
            .authorised(order_id, token)
            .await?
            .ok_or(ResendError::OrderNotFound)?;
        let to = Email::parse(&order.buyer_email).map_err(|_| ResendError::NoAddress)?;
        self.queue_resend(&order, to, true).await
    }

    async fn resend_for_staff(
        &self,
        actor: &Actor,
        order_id: &str,
        to: Option<&str>,
    ) -> Result<MailQueued, ResendError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(ResendError::Forbidden);
        }
        let id = OrderId::parse(order_id).ok_or(ResendError::OrderNotFound)?;
        let order = self
            .orders
            .order(&id)
            .await?
            .ok_or(ResendError::OrderNotFound)?;
        let to = match to.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Email::parse(t).map_err(|_| ResendError::InvalidEmail)?,
            None => Email::parse(&order.buyer_email).map_err(|_| ResendError::NoAddress)?,
        };
        // The agent has the buyer in front of them: no hourly bound.
        self.queue_resend(&order, to, false).await
    }

    async fn find_my_orders(&self, request: &FindOrdersRequest) -> Result<(), FindOrdersError> {
        let key = LookupKey::parse(&request.query).ok_or(FindOrdersError::Invalid)?;
        let query = match &key {
            LookupKey::Email(e) => OrderQuery::Email(e.as_str().to_lowercase()),
            LookupKey::Reference(r) => OrderQuery::Reference(r.clone()),
        };
        let paid: Vec<_> = self
            .orders
            .search_orders(&query, LOOKUP_ORDERS)
            .await?
            .into_iter()
            .filter(|o| o.status == OrderStatus::Paid)
            .collect();
        // The address the links go to is always the buyer's own, never the one who asks.
        let Some(recipient) = paid.iter().find_map(|o| Email::parse(&o.buyer_email).ok()) else {
            tracing::info!("order look-up: nothing found");
            return Ok(());
        };
        let orders: Vec<String> = paid
            .into_iter()
            .filter(|o| o.buyer_email.eq_ignore_ascii_case(recipient.as_str()))
            .map(|o| o.id)
            .collect();
        if !self.may_ask(recipient.as_str(), Asked::Lookup).await? {
            tracing::info!("order look-up: address already sent its links today");
            return Ok(());
        }
        let lang = Lang::parse(request.lang.as_deref().unwrap_or("fr"));
        self.outbox
            .queue_mail(
                &NewMail {
                    mail: Mail::Lookup {
                        orders,
                        lang: lang.code().to_string(),
                    },
                    order: None,
                    recipient: recipient.as_str().to_string(),
                },
                self.clock.now(),
            )
            .await?;
        Ok(())
    }

    async fn mail_status(&self, actor: &Actor) -> Result<MailStatusView, ResendError> {
        if !actor.may(Permission::ManageStaff) {
            return Err(ResendError::Forbidden);
        }
        let status = self.outbox.mail_status().await?;
        Ok(MailStatusView {
            waiting: status.waiting,
            sent: status.sent,
            failing: status
                .failing
                .into_iter()
                .map(|m| OutboxMailView {
                    id: m.id,
                    kind: m.mail.kind().to_string(),
                    order_id: m.order.map(|o| o.as_str().to_string()),
                    recipient: m.recipient,
                    attempts: m.attempts,
                    created_at: Ts(m.created_at),
                    last_error: m.last_error,
                })
                .collect(),
        })
    }
}

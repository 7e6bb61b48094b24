//! The tickets of a paid order: one PDF (a page per ticket) and each ticket's QR code.
#[cfg(test)]
mod tests;

use crate::ports::{OrderRepo, OrderRow, TicketDoc, TicketRenderer, TicketSigner};
use crate::usecases::catalogue::CatalogueCache;
use app::domain::OrderId;
use app::dto::{OrderStatus, SeatLabel, ShowKind};
use app::ports::{Failure, Tickets, TicketsError};
use app::ticket_code::PublicKeyInfo;
use async_trait::async_trait;
use std::sync::Arc;
use subtle::ConstantTimeEq;

pub struct TicketsService {
    orders: Arc<dyn OrderRepo>,
    cache: Arc<CatalogueCache>,
    renderer: Arc<dyn TicketRenderer>,
    signer: Arc<dyn TicketSigner>,
}

impl TicketsService {
    pub fn new(
        orders: Arc<dyn OrderRepo>,
        cache: Arc<CatalogueCache>,
        renderer: Arc<dyn TicketRenderer>,
        signer: Arc<dyn TicketSigner>,
    ) -> TicketsService {
        TicketsService {
            orders,
            cache,
            renderer,
            signer,
        }
    }

    /// A paid order, only for whoever holds its link token.
    async fn paid_order(&self, order_id: &str, token: &str) -> Result<OrderRow, TicketsError> {
        let id = OrderId::parse(order_id).ok_or(TicketsError::OrderNotFound)?;
        let order = self
            .orders
            .order(&id)
            .await?
            .filter(|o| bool::from(o.token.as_str().as_bytes().ct_eq(token.trim().as_bytes())))
            .ok_or(TicketsError::OrderNotFound)?;
        if order.status != OrderStatus::Paid {
            return Err(TicketsError::NotPaid);
        }
        Ok(order)
    }
}

#[async_trait]
impl Tickets for TicketsService {
    async fn tickets_pdf(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: Option<i64>,
    ) -> Result<Vec<u8>, TicketsError> {
        let order = self.paid_order(order_id, token).await?;
        let perf =
            self.cache.rules(order.performance).await?.ok_or_else(|| {
                Failure::Internal("performance of a paid order is missing".into())
            })?;
        let docs: Vec<TicketDoc> = self
            .orders
            .order_tickets(&order.id)
            .await?
            .into_iter()
            .filter(|t| ticket_id.is_none_or(|id| t.id == id))
            .map(|t| TicketDoc {
                operator: perf.operator_name.clone(),
                venue: perf.venue.clone(),
                venue_address: perf.venue_address.clone(),
                hall: perf.hall.clone(),
                title: perf.title.clone(),
                kind_label: match perf.kind {
                    ShowKind::Cinema => "Cinéma".into(),
                    ShowKind::Theatre => "Théâtre".into(),
                },
                starts_at: perf.starts_at,
                seat: t.seat.as_ref().map(SeatLabel::fr),
                category: t.category.map(|c| format!("Catégorie {c}")),
                tariff_label: t.tariff_label,
                price_cents: t.price.0,
                proof_required: t.proof_required,
                order_reference: order.reference.clone(),
                number: t.number.to_string(),
                holder_name: t.holder_name,
                code: t.code,
            })
            .collect();
        if docs.is_empty() {
            return Err(TicketsError::TicketNotFound);
        }
        self.renderer.pdf(docs).await.map_err(TicketsError::Render)
    }

    async fn ticket_qr_svg(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: i64,
    ) -> Result<String, TicketsError> {
        let order = self.paid_order(order_id, token).await?;
        let ticket = self
            .orders
            .order_tickets(&order.id)
            .await?
            .into_iter()
            .find(|t| t.id == ticket_id)
            .ok_or(TicketsError::TicketNotFound)?;
        self.renderer
            .qr_svg(&ticket.code)
            .map_err(TicketsError::Render)
    }

    fn public_keys(&self) -> Vec<PublicKeyInfo> {
        self.signer.public_keys()
    }
}

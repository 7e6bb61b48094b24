//! The tickets of a paid order: one PDF (a page per ticket) and each ticket's QR code. A paid
//! order's PDF is rendered once and kept: buyers download it again and again (the order page,
//! the e-mail, the phone at the door), and a rush of downloads after an on-sale must not cost
//! a rendering each.
#[cfg(test)]
mod tests;

use crate::ports::{
    Clock, OrderRepo, OrderRow, PerformanceRules, TicketDoc, TicketLayout, TicketRenderer,
    TicketRow, TicketSigner, TicketStatus,
};
use crate::usecases::catalogue::CatalogueCache;
use app::domain::OrderId;
use app::dto::{OrderStatus, SeatLabel};
use app::ports::{Failure, Tickets, TicketsError};
use app::ticket_code::PublicKeyInfo;
use async_trait::async_trait;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;

/// Rendered PDFs kept, in bytes (a ticket page is ~30 KB: some 2,000 orders).
const PDF_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// A kept PDF is rendered again after this (a corrected performance shows on new downloads
/// at once anyway: its facts are part of the key).
const PDF_CACHE_TTL: Duration = Duration::from_secs(3600);

/// Which document: the order, the ticket (or all), and what the pages print of the
/// performance (so that an edited performance is rendered anew).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PdfKey {
    order: String,
    /// The tickets printed (a cancelled ticket is no longer printed).
    tickets: Vec<i64>,
    facts: u64,
    layout: TicketLayout,
}

pub struct TicketsService {
    orders: Arc<dyn OrderRepo>,
    cache: Arc<CatalogueCache>,
    renderer: Arc<dyn TicketRenderer>,
    signer: Arc<dyn TicketSigner>,
    clock: Arc<dyn Clock>,
    /// Absolute links (the invitation's link back to the order).
    public_url: String,
    pdfs: moka::sync::Cache<PdfKey, Arc<[u8]>>,
}

impl TicketsService {
    pub fn new(
        orders: Arc<dyn OrderRepo>,
        cache: Arc<CatalogueCache>,
        renderer: Arc<dyn TicketRenderer>,
        signer: Arc<dyn TicketSigner>,
        clock: Arc<dyn Clock>,
        public_url: &str,
    ) -> TicketsService {
        TicketsService {
            orders,
            cache,
            renderer,
            signer,
            clock,
            public_url: public_url.trim_end_matches('/').to_string(),
            pdfs: moka::sync::Cache::builder()
                .weigher(|_, pdf: &Arc<[u8]>| u32::try_from(pdf.len()).unwrap_or(u32::MAX))
                .max_capacity(PDF_CACHE_BYTES)
                .time_to_live(PDF_CACHE_TTL)
                .build(),
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

/// What a ticket prints of its performance, as one number.
fn printed_facts(perf: &PerformanceRules) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        &perf.operator_name,
        &perf.venue,
        &perf.venue_address,
        &perf.hall,
        &perf.title,
        perf.kind,
        perf.starts_at,
    )
        .hash(&mut h);
    h.finish()
}

impl TicketsService {
    /// An order's tickets as one PDF (cached by what is printed: a buyer downloads again).
    async fn render(
        &self,
        order: &OrderRow,
        perf: &PerformanceRules,
        tickets: Vec<TicketRow>,
        layout: TicketLayout,
    ) -> Result<Vec<u8>, TicketsError> {
        let key = PdfKey {
            order: order.id.to_string(),
            tickets: tickets.iter().map(|t| t.id).collect(),
            facts: printed_facts(perf),
            layout,
        };
        if let Some(pdf) = self.pdfs.get(&key) {
            return Ok(pdf.to_vec());
        }
        let docs = documents(order, perf, tickets);
        if docs.is_empty() {
            return Err(TicketsError::TicketNotFound);
        }
        let pdf = self
            .renderer
            .pdf(docs, layout)
            .await
            .map_err(TicketsError::Render)?;
        self.pdfs.insert(key, pdf.as_slice().into());
        Ok(pdf)
    }
}

/// What each ticket page prints, from the order, its performance and its tickets.
pub(crate) fn documents(
    order: &OrderRow,
    perf: &PerformanceRules,
    tickets: Vec<TicketRow>,
) -> Vec<TicketDoc> {
    tickets
        .into_iter()
        .map(|t| TicketDoc {
            operator: perf.operator_name.clone(),
            venue: perf.venue.clone(),
            venue_address: perf.venue_address.clone(),
            hall: perf.hall.clone(),
            title: perf.title.clone(),
            kind_label: app::i18n::Lang::Fr.kind(perf.kind).into(),
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
        .collect()
}

#[async_trait]
impl Tickets for TicketsService {
    async fn tickets_pdf(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: Option<i64>,
        layout: TicketLayout,
    ) -> Result<Vec<u8>, TicketsError> {
        let order = self.paid_order(order_id, token).await?;
        let perf =
            self.cache.rules(order.performance).await?.ok_or_else(|| {
                Failure::Internal("performance of a paid order is missing".into())
            })?;
        // Cancelled tickets are not printed; the key names the ones that are.
        let tickets: Vec<TicketRow> = self
            .orders
            .order_tickets(&order.id)
            .await?
            .into_iter()
            .filter(|t| ticket_id.is_none_or(|id| t.id == id))
            .filter(|t| t.status == TicketStatus::Valid)
            .collect();
        self.render(&order, &perf, tickets, layout).await
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

    async fn calendar(&self, order_id: &str, token: &str) -> Result<String, TicketsError> {
        let order = self.paid_order(order_id, token).await?;
        let perf =
            self.cache.rules(order.performance).await?.ok_or_else(|| {
                Failure::Internal("performance of a paid order is missing".into())
            })?;
        let url = crate::usecases::mail::order_url(&self.public_url, &order);
        Ok(crate::usecases::mail::ics::for_order(
            &order,
            &perf,
            &url,
            self.clock.now(),
        ))
    }

    fn public_keys(&self) -> Vec<PublicKeyInfo> {
        self.signer.public_keys()
    }
}

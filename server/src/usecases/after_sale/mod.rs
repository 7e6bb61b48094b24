//! After a sale: tickets cancelled (whole orders or some tickets) and money given back. Each
//! act is one storage transaction with its cash-journal entries (a cancellation takes tickets
//! back; a refund gives money back, with the tickets it takes back when it is exactly their
//! price) and its audit record. The door refuses a cancelled ticket at once; its seat is on
//! sale again and the live seat maps hear of it.
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::booking::SeatBoard;
use crate::usecases::box_office::entries;
use crate::usecases::checkout::CheckoutService;
use app::box_office::{
    AfterSale, CancelRequest, CounterPaymentView, ExchangeLink, OrderFile, OrderSummary,
    RefundRequest,
};
use app::domain::after_sale::{check_refund, reason};
use app::domain::journal::{Draft, EntryKind};
use app::domain::order_search::OrderQuery;
use app::domain::{Cents, OrderId, Permission};
use app::dto::OrderStatus;
use app::dto::Ts;
use app::ports::{AfterSaleError, AfterSales};
use app::staff::Actor;
use async_trait::async_trait;
use std::sync::Arc;

pub struct AfterSaleService {
    orders: Arc<dyn OrderRepo>,
    checkout: Arc<CheckoutService>,
    board: Arc<SeatBoard>,
    clock: Arc<dyn Clock>,
}

/// An order as the after-sale acts find it (and the exchange, at the box office).
pub(crate) struct Found {
    pub order: OrderRow,
    pub tickets: Vec<TicketRow>,
    pub paid: Cents,
    /// Refunds, and the credit exchanges moved to other orders.
    pub refunded: Cents,
}

/// A paid order with its tickets and what it gave back.
pub(crate) async fn find_paid(
    orders: &dyn OrderRepo,
    order_id: &str,
) -> Result<Found, AfterSaleError> {
    let id = OrderId::parse(order_id).ok_or(AfterSaleError::OrderNotFound)?;
    let order = orders
        .order(&id)
        .await?
        .ok_or(AfterSaleError::OrderNotFound)?;
    if order.status != OrderStatus::Paid {
        return Err(AfterSaleError::NotPaid);
    }
    let tickets = orders.order_tickets(&id).await?;
    let refunded = given_back(&orders.order_payments(&id).await?)
        + credit_out(&orders.order_exchanges(&id).await?, &id);
    Ok(Found {
        paid: order.total,
        refunded: Cents(refunded),
        order,
        tickets,
    })
}

/// The credit an order's exchanges moved to other orders, in cents.
fn credit_out(exchanges: &[ExchangeRow], id: &OrderId) -> i64 {
    exchanges
        .iter()
        .filter(|x| x.from_order == id.as_str())
        .map(|x| x.credit.0)
        .sum()
}

/// The buyer's mail about an after-sale act, when they gave an address (queued with the act).
fn buyer_mail(order: &OrderRow, mail: Mail) -> Option<NewMail> {
    app::domain::Email::parse(&order.buyer_email)
        .ok()
        .map(|e| NewMail {
            mail,
            order: Some(order.id.clone()),
            recipient: e.as_str().to_string(),
        })
}

fn desk(raw: Option<&str>) -> Result<String, AfterSaleError> {
    app::domain::counter::desk_name(raw).ok_or(AfterSaleError::InvalidDesk)
}

/// What an order's counter payments gave back (its refunds, negative amounts), in cents.
fn given_back(payments: &[CounterPaymentRow]) -> i64 {
    -payments
        .iter()
        .filter(|p| p.amount.0 < 0)
        .map(|p| p.amount.0)
        .sum::<i64>()
}

/// The tickets as journal lines (taken back: negative quantities).
pub(crate) fn lines_of(tickets: &[&TicketRow]) -> Vec<app::domain::journal::Line> {
    let items: Vec<OrderItemRow> = tickets
        .iter()
        .map(|t| OrderItemRow {
            seat_id: None,
            seat: t.seat.clone(),
            category: t.category,
            tariff_code: t.tariff_code.clone(),
            tariff_label: t.tariff_label.clone(),
            proof_required: t.proof_required,
            price: t.price,
        })
        .collect();
    entries::lines(&items, -1)
}

impl AfterSaleService {
    pub fn new(
        orders: Arc<dyn OrderRepo>,
        checkout: Arc<CheckoutService>,
        board: Arc<SeatBoard>,
        clock: Arc<dyn Clock>,
    ) -> AfterSaleService {
        AfterSaleService {
            orders,
            checkout,
            board,
            clock,
        }
    }

    async fn find(&self, actor: &Actor, order_id: &str) -> Result<Found, AfterSaleError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(AfterSaleError::Forbidden);
        }
        find_paid(self.orders.as_ref(), order_id).await
    }

    /// The tickets a request names (all the valid ones when it names none).
    pub(crate) fn chosen<'a>(
        found: &'a Found,
        ids: Option<&[i64]>,
        all_when_none: bool,
    ) -> Result<Vec<&'a TicketRow>, AfterSaleError> {
        let valid = |t: &&TicketRow| t.status == TicketStatus::Valid;
        match ids {
            None | Some([]) if all_when_none => {
                let all: Vec<_> = found.tickets.iter().filter(valid).collect();
                if all.is_empty() {
                    return Err(AfterSaleError::NothingToCancel);
                }
                Ok(all)
            }
            None | Some([]) => Ok(Vec::new()),
            Some(ids) => {
                let mut ids = ids.to_vec();
                ids.sort_unstable();
                ids.dedup();
                let unknown: Vec<i64> = ids
                    .iter()
                    .copied()
                    .filter(|id| !found.tickets.iter().any(|t| t.id == *id))
                    .collect();
                if !unknown.is_empty() {
                    return Err(AfterSaleError::UnknownTickets(unknown));
                }
                let chosen: Vec<&TicketRow> = found
                    .tickets
                    .iter()
                    .filter(|t| ids.contains(&t.id))
                    .collect();
                let gone: Vec<String> = chosen
                    .iter()
                    .filter(|t| !valid(t))
                    .map(|t| t.number.to_string())
                    .collect();
                if !gone.is_empty() {
                    return Err(AfterSaleError::AlreadyCancelled(gone));
                }
                Ok(chosen)
            }
        }
    }

    async fn apply(
        &self,
        found: &Found,
        take: TakeBack,
        cancelled: &[&TicketRow],
    ) -> Result<AfterSale, AfterSaleError> {
        match self.orders.take_back(&take).await? {
            TakenBack::Done => {}
            TakenBack::TicketGone | TakenBack::OverRefunded => return Err(AfterSaleError::Changed),
        }
        if !cancelled.is_empty() {
            self.board.forget(found.order.performance);
        }
        let refunded = found.refunded.0 - take.refund.as_ref().map_or(0, |r| r.amount.0);
        let order = self
            .orders
            .order(&found.order.id)
            .await?
            .ok_or(AfterSaleError::OrderNotFound)?;
        Ok(AfterSale {
            order: self.checkout.order_view(order).await?,
            cancelled: cancelled.iter().map(|t| t.number.to_string()).collect(),
            paid_cents: found.paid.0,
            refunded_cents: refunded,
            refundable_cents: (found.paid.0 - refunded).max(0),
        })
    }
}

/// Orders a search lists at most.
const SEARCH_LIMIT: i64 = 50;

#[async_trait]
impl AfterSales for AfterSaleService {
    async fn search(
        &self,
        actor: &Actor,
        query: &str,
    ) -> Result<Vec<OrderSummary>, AfterSaleError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(AfterSaleError::Forbidden);
        }
        let q = OrderQuery::parse(query).ok_or(AfterSaleError::InvalidQuery)?;
        Ok(self
            .orders
            .search_orders(&q, SEARCH_LIMIT)
            .await?
            .into_iter()
            .map(|r| OrderSummary {
                id: r.id,
                reference: r.reference,
                status: r.status,
                channel: r.channel,
                buyer_name: r.buyer_name,
                buyer_email: r.buyer_email,
                total_cents: r.total.0,
                performance_id: r.performance_id,
                show_title: r.show_title,
                starts_at: Ts(r.starts_at),
                created_at: Ts(r.created_at),
                valid_tickets: r.valid_tickets,
            })
            .collect())
    }

    async fn file(&self, actor: &Actor, order_id: &str) -> Result<OrderFile, AfterSaleError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(AfterSaleError::Forbidden);
        }
        let id = OrderId::parse(order_id).ok_or(AfterSaleError::OrderNotFound)?;
        let order = self
            .orders
            .order(&id)
            .await?
            .ok_or(AfterSaleError::OrderNotFound)?;
        let channel = self
            .orders
            .order_channel(&id)
            .await?
            .unwrap_or_else(|| "online".into());
        let recorded = self.orders.order_payments(&id).await?;
        let exchanges = self.orders.order_exchanges(&id).await?;
        let refunded = given_back(&recorded) + credit_out(&exchanges, &id);
        let payments: Vec<CounterPaymentView> = recorded
            .into_iter()
            .map(|p| CounterPaymentView {
                method: p.method,
                amount_cents: p.amount.0,
                desk: p.desk,
                reason: p.reason,
            })
            .collect();
        let paid = if order.status == OrderStatus::Paid {
            order.total.0
        } else {
            0
        };
        Ok(OrderFile {
            order: self.checkout.order_view(order).await?,
            channel,
            payments,
            paid_cents: paid,
            refunded_cents: refunded,
            refundable_cents: (paid - refunded).max(0),
            exchanges: exchanges
                .into_iter()
                .map(|x| {
                    let out = x.from_order == id.as_str();
                    ExchangeLink {
                        direction: if out { "out" } else { "in" }.into(),
                        other_order_id: if out { x.to_order } else { x.from_order },
                        other_reference: if out {
                            x.to_reference
                        } else {
                            x.from_reference
                        },
                        credit_cents: x.credit.0,
                        at: Ts(x.at),
                    }
                })
                .collect(),
        })
    }

    async fn cancel(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &CancelRequest,
    ) -> Result<AfterSale, AfterSaleError> {
        let found = self.find(actor, order_id).await?;
        let why = reason(&request.reason).ok_or(AfterSaleError::InvalidReason)?;
        let desk = desk(request.desk.as_deref())?;
        let tickets = Self::chosen(&found, request.ticket_ids.as_deref(), true)?;
        let now = self.clock.now();
        let mut draft = Draft::new(
            EntryKind::Cancellation,
            now,
            &desk,
            &actor.agent(),
            &found.order.reference,
        );
        for l in lines_of(&tickets) {
            draft = draft.line(l);
        }
        let numbers: Vec<String> = tickets.iter().map(|t| t.number.to_string()).collect();
        let take = TakeBack {
            order: found.order.id.clone(),
            ticket_ids: tickets.iter().map(|t| t.id).collect(),
            refund: None,
            refund_cap: found.paid,
            journal: vec![draft],
            audit: AuditRecord::new(
                now,
                actor,
                "order.cancel",
                found.order.reference.clone(),
                serde_json::json!({"tickets": numbers, "reason": why, "desk": desk}),
            ),
            at: now,
            mail: buyer_mail(
                &found.order,
                Mail::Cancellation {
                    tickets: numbers.clone(),
                },
            ),
        };
        self.apply(&found, take, &tickets).await
    }

    async fn refund(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &RefundRequest,
    ) -> Result<AfterSale, AfterSaleError> {
        let found = self.find(actor, order_id).await?;
        let amount = Cents(request.amount_cents);
        check_refund(
            amount,
            request.method,
            found.paid,
            found.refunded,
            actor.supervisor(),
        )?;
        let why = match request.reason.as_deref() {
            None => String::new(),
            Some(r) if r.trim().is_empty() => String::new(),
            Some(r) => reason(r).ok_or(AfterSaleError::InvalidReason)?,
        };
        let desk = desk(request.desk.as_deref())?;
        let tickets = Self::chosen(&found, request.ticket_ids.as_deref(), false)?;
        let now = self.clock.now();
        let agent = actor.agent();
        let reference = &found.order.reference;
        // Tickets taken back for exactly their price: one refund entry with their lines.
        // Otherwise a cancellation entry for the tickets, and a refund of money alone.
        let price: i64 = tickets.iter().map(|t| t.price.0).sum();
        let mut journal = Vec::new();
        let mut refund = Draft::new(EntryKind::Refund, now, &desk, &agent, reference);
        if !tickets.is_empty() && price == amount.0 {
            for l in lines_of(&tickets) {
                refund = refund.line(l);
            }
        } else if !tickets.is_empty() {
            let mut cancel = Draft::new(EntryKind::Cancellation, now, &desk, &agent, reference);
            for l in lines_of(&tickets) {
                cancel = cancel.line(l);
            }
            journal.push(cancel);
        }
        journal.push(refund.pay(request.method.into(), Cents(-amount.0)));
        let numbers: Vec<String> = tickets.iter().map(|t| t.number.to_string()).collect();
        let take = TakeBack {
            order: found.order.id.clone(),
            ticket_ids: tickets.iter().map(|t| t.id).collect(),
            refund: Some(CounterPaymentRow {
                method: request.method,
                amount: Cents(-amount.0),
                tendered: None,
                change: Cents(0),
                reason: (!why.is_empty()).then(|| why.clone()),
                agent_id: actor.staff_id(),
                desk: desk.clone(),
            }),
            refund_cap: found.paid,
            journal,
            audit: AuditRecord::new(
                now,
                actor,
                "order.refund",
                reference.clone(),
                serde_json::json!({"amount_cents": amount.0, "method": request.method.code(),
                                   "tickets": numbers, "reason": why, "desk": desk}),
            ),
            at: now,
            mail: buyer_mail(
                &found.order,
                Mail::Refund {
                    amount_cents: amount.0,
                    tickets: numbers.clone(),
                },
            ),
        };
        self.apply(&found, take, &tickets).await
    }
}

//! An exchange at the counter: the new tickets are held and ordered like a counter sale, then
//! issued in one storage transaction with the old tickets taken back, the credit moved and the
//! difference settled — so a refused step writes nothing. The cash journal gets one exchange
//! entry: the tickets going out and coming in, and the difference by means.
use super::{agent, counter_rows, desk, BoxOfficeService, SALE_HOLD_SECONDS};
use crate::ports::*;
use crate::usecases::after_sale::{find_paid, lines_of, AfterSaleService};
use crate::usecases::box_office::entries;
use app::box_office::{ExchangeRequest, Exchanged};
use app::domain::after_sale::reason;
use app::domain::exchange::{balance, Difference};
use app::domain::journal::{Draft, EntryKind};
use app::domain::{Cents, Email, PerformanceId};
use app::ports::{AfterSaleError, ExchangeError, HoldError};
use app::staff::Actor;

impl BoxOfficeService {
    pub(super) async fn exchange_tickets(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &ExchangeRequest,
    ) -> Result<Exchanged, ExchangeError> {
        let who = agent(actor)?;
        if request.ticket_ids.is_empty() {
            return Err(ExchangeError::NoTickets);
        }
        let why = reason(&request.reason).ok_or(AfterSaleError::InvalidReason)?;
        let desk = desk(request.desk.as_deref())?;
        let found = find_paid(self.orders.as_ref(), order_id).await?;
        let old: Vec<&TicketRow> =
            AfterSaleService::chosen(&found, Some(&request.ticket_ids), false)?;
        // The same show: the order's performance, or another of its show.
        let from = self
            .cache
            .rules(found.order.performance)
            .await?
            .ok_or(HoldError::PerformanceNotFound(found.order.performance.0))?;
        let target = request.performance_id.unwrap_or(found.order.performance.0);
        if target != from.id {
            let to = self
                .cache
                .rules(PerformanceId(target))
                .await?
                .ok_or(HoldError::PerformanceNotFound(target))?;
            if to.show_id != from.show_id {
                return Err(ExchangeError::OtherShow(target));
            }
        }
        // The buyer stays the same; a walk-in's order has no e-mail.
        let email = Email::parse(&found.order.buyer_email).ok();
        let now = self.clock.now();
        let (order, items) = self
            .hold_and_order(
                actor,
                &who,
                &desk,
                target,
                request.seat_ids.clone(),
                request.quantity,
                &request.tickets,
                (found.order.buyer_name.clone(), email),
                now + SALE_HOLD_SECONDS,
            )
            .await?;
        let hold = order.hold.to_string();
        let given_back = Cents(old.iter().map(|t| t.price.0).sum());
        let done = match balance(
            given_back,
            order.total,
            found.paid,
            found.refunded,
            &request.payments,
            request.difference_method,
            who.supervisor,
        ) {
            Ok(b) => {
                self.settle_exchange(actor, &who, &desk, &why, &found, &old, order, items, b)
                    .await
            }
            Err(e) => Err(e.into()),
        };
        if done.is_err() {
            // Nothing was written: the new seats go back on sale at once.
            self.give_back(&hold).await;
        }
        done
    }

    #[allow(clippy::too_many_arguments)]
    async fn settle_exchange(
        &self,
        actor: &Actor,
        who: &super::Agent,
        desk: &str,
        why: &str,
        found: &crate::usecases::after_sale::Found,
        old: &[&TicketRow],
        order: OrderRow,
        items: Vec<OrderItemRow>,
        b: app::domain::exchange::Balance,
    ) -> Result<Exchanged, ExchangeError> {
        let now = self.clock.now();
        let reference = order.reference.clone();
        // One exchange entry: tickets out and in, the difference by means.
        let mut entry = Draft::new(EntryKind::Exchange, now, desk, &who.email, &reference);
        for l in lines_of(old) {
            entry = entry.line(l);
        }
        for l in entries::lines(&items, 1) {
            entry = entry.line(l);
        }
        let mut counter = Vec::new();
        let mut refund = None;
        let mut change = 0;
        match &b.difference {
            Difference::Even => {}
            Difference::Collect(settled) => {
                change = settled.change_cents;
                for l in &settled.lines {
                    entry = entry.pay(l.method.into(), Cents(l.amount_cents));
                }
                counter = counter_rows(settled, None, who.id, desk);
            }
            Difference::GiveBack(amount, method) => {
                entry = entry.pay((*method).into(), Cents(-amount.0));
                refund = Some(CounterPaymentRow {
                    method: *method,
                    amount: Cents(-amount.0),
                    tendered: None,
                    change: Cents(0),
                    reason: Some(why.to_string()),
                    agent_id: who.id,
                    desk: desk.to_string(),
                });
            }
        }
        let numbers: Vec<String> = old.iter().map(|t| t.number.to_string()).collect();
        let take = TakeBack {
            order: found.order.id.clone(),
            ticket_ids: old.iter().map(|t| t.id).collect(),
            refund,
            refund_cap: found.paid,
            journal: Vec::new(),
            audit: AuditRecord::new(
                now,
                actor,
                "order.exchange",
                found.order.reference.clone(),
                serde_json::json!({
                    "tickets": numbers, "to_order": reference, "reason": why, "desk": desk,
                    "credit_cents": b.credit.0, "difference_cents": b.difference_cents(),
                }),
            ),
            at: now,
            // The new order's confirmation tells the buyer.
            mail: None,
        };
        let approved = self.counter_attempt(&order, now).await?;
        let from_performance = found.order.performance;
        let view = self
            .checkout
            .issue(
                order,
                items,
                approved,
                counter,
                Some(entry),
                Some(ExchangeOut {
                    take,
                    credit: b.credit,
                    agent_id: who.id,
                    desk: desk.to_string(),
                }),
            )
            .await
            .map_err(app::ports::CounterError::from)?;
        // The old seats are on sale again.
        self.checkout.seats_freed(from_performance);
        Ok(Exchanged {
            order: view,
            from_order: found.order.reference.clone(),
            cancelled: numbers,
            credit_cents: b.credit.0,
            difference_cents: b.difference_cents(),
            change_due_cents: change,
        })
    }
}

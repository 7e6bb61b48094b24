//! The box office: a sale at the counter is a hold (the counter's rules: no per-client cap,
//! blocked seats for a supervisor), an order priced from the grid like any other, and a
//! settlement whose payments, checked to add up, are recorded by means with the agent and the
//! cash desk. A reservation stops after the order; it is paid later, the same way.
pub mod entries;
mod exchange;
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::booking::{BookingService, CounterHold};
use crate::usecases::catalogue::CatalogueCache;
use crate::usecases::checkout::{CheckoutService, Placing};
use crate::usecases::ids;
use app::box_office::*;
use app::domain::counter::{settle, PaymentLine, PaymentMethod, Settled};
use app::domain::sale_window::{check_at_counter, CounterFacts};
use app::domain::{paris, Cents, Email, OrderId, PerformanceId, Permission};
use app::dto::{HoldRequest, OrderStatus, OrderView, TicketRequest, Ts};
use app::ports::{BoxOffice, CounterError, ExchangeError, HoldError, OrderError};
use app::staff::Actor;
use async_trait::async_trait;
use std::sync::Arc;

/// A counter sale's seats are kept this long while the agent completes it.
const SALE_HOLD_SECONDS: i64 = 10 * 60;
/// Reservations: kept this long by default, within these bounds.
const RESERVATION_DEFAULT_MINUTES: i64 = 2 * 24 * 60;
const RESERVATION_MINUTES: std::ops::RangeInclusive<i64> = 15..=7 * 24 * 60;
/// A reservation ends at the latest this long before the start (the seats go back on sale).
const RESERVATION_ENDS_BEFORE_START: i64 = 30 * 60;
/// Recorded as the provider of counter payments.
const COUNTER_PROVIDER: &str = "guichet";

pub struct BoxOfficeService {
    booking: Arc<BookingService>,
    checkout: Arc<CheckoutService>,
    orders: Arc<dyn OrderRepo>,
    catalogue: Arc<dyn CatalogueRepo>,
    cache: Arc<CatalogueCache>,
    clock: Arc<dyn Clock>,
}

/// Who sells: the agent's id, name and e-mail (the journal's), or the console.
struct Agent {
    id: Option<i64>,
    name: String,
    email: String,
    supervisor: bool,
}

fn agent(actor: &Actor) -> Result<Agent, CounterError> {
    if !actor.may(Permission::SellAtCounter) {
        return Err(CounterError::Forbidden);
    }
    Ok(Agent {
        id: actor.staff_id(),
        name: actor
            .staff
            .as_ref()
            .map_or_else(|| "console".to_string(), |s| s.name.clone()),
        email: actor.agent(),
        supervisor: actor.supervisor(),
    })
}

/// A cash desk's name: 1 to 40 characters, no control characters; `guichet` when not said.
fn desk(raw: Option<&str>) -> Result<String, CounterError> {
    app::domain::counter::desk_name(raw).ok_or(CounterError::InvalidDesk)
}

/// The buyer as the agent typed them: both optional; a given e-mail must be one.
fn buyer(b: Option<&CounterBuyer>) -> Result<(String, Option<Email>), CounterError> {
    let name = b
        .and_then(|b| b.name.as_deref())
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.chars().count() > 120 || name.chars().any(char::is_control) {
        return Err(CounterError::InvalidName);
    }
    let email = match b.and_then(|b| b.email.as_deref()).map(str::trim) {
        None | Some("") => None,
        Some(e) => Some(Email::parse(e).map_err(|_| CounterError::InvalidEmail)?),
    };
    Ok((name, email))
}

/// The tickets for the seats held: as given when they name seats; in order on the seats the
/// hold chose ("N best seats") or for general-admission places.
fn tickets_for(held_seats: &[i64], given: &[CounterTicket]) -> Vec<TicketRequest> {
    let chosen_by_us = !held_seats.is_empty() && given.iter().all(|t| t.seat_id.is_none());
    given
        .iter()
        .enumerate()
        .map(|(i, t)| TicketRequest {
            seat_id: if chosen_by_us {
                held_seats.get(i).copied()
            } else {
                t.seat_id
            },
            tariff: t.tariff.clone(),
        })
        .collect()
}

/// Settled payments as the counter records them, by means: cash with the change given, an
/// invitation with why it is free.
fn counter_rows(
    settled: &Settled,
    free_reason: Option<&str>,
    agent_id: Option<i64>,
    desk: &str,
) -> Vec<CounterPaymentRow> {
    settled
        .lines
        .iter()
        .map(|l| CounterPaymentRow {
            method: l.method,
            amount: Cents(l.amount_cents),
            tendered: l.tendered_cents.map(Cents),
            change: Cents(if l.method == PaymentMethod::Cash {
                settled.change_cents
            } else {
                0
            }),
            reason: (l.method == PaymentMethod::Free)
                .then(|| free_reason.map(str::to_string))
                .flatten(),
            agent_id,
            desk: desk.to_string(),
        })
        .collect()
}

impl BoxOfficeService {
    /// The counter's payment attempt, on record (pending) before the settlement that approves
    /// it; answered as approved, for the settlement.
    async fn counter_attempt(&self, order: &OrderRow, now: i64) -> Result<PaymentRecord, Failure> {
        let record = PaymentRecord {
            order: order.id.clone(),
            provider: COUNTER_PROVIDER,
            attempt_key: ids::attempt_key(),
            outcome: PaymentOutcomeRecord::Pending,
            amount: order.total,
            now,
        };
        self.orders.start_payment(&record).await?;
        Ok(PaymentRecord {
            outcome: PaymentOutcomeRecord::Approved,
            ..record
        })
    }

    pub fn new(
        booking: Arc<BookingService>,
        checkout: Arc<CheckoutService>,
        orders: Arc<dyn OrderRepo>,
        catalogue: Arc<dyn CatalogueRepo>,
        cache: Arc<CatalogueCache>,
        clock: Arc<dyn Clock>,
    ) -> BoxOfficeService {
        BoxOfficeService {
            booking,
            checkout,
            orders,
            catalogue,
            cache,
            clock,
        }
    }

    /// Holds at the counter and places the order; the hold is given back if the order cannot
    /// be placed.
    async fn hold_and_order(
        &self,
        actor: &Actor,
        who: &Agent,
        desk: &str,
        performance_id: i64,
        seat_ids: Option<Vec<i64>>,
        quantity: Option<i64>,
        given: &[CounterTicket],
        buyer: (String, Option<Email>),
        expires_at: i64,
    ) -> Result<(OrderRow, Vec<OrderItemRow>), CounterError> {
        // A supervisor sells seats blocked for this performance: their block goes first.
        if let (true, Some(seats)) = (who.supervisor, seat_ids.as_ref()) {
            self.booking
                .release_to_sell(actor, performance_id, seats)
                .await?;
        }
        let hold = self
            .booking
            .hold_at_counter(
                HoldRequest {
                    performance_id,
                    seat_ids,
                    quantity,
                },
                CounterHold {
                    expires_at,
                    blocked_ok: who.supervisor,
                },
            )
            .await?;
        let tickets = tickets_for(&hold.seat_ids, given);
        let hold_id = app::domain::HoldId::parse(&hold.id).ok_or(OrderError::HoldNotFound)?;
        let placed = self
            .checkout
            .place_order(Placing {
                hold_id,
                buyer_name: buyer.0,
                buyer_email: buyer.1,
                lang: "fr".into(),
                tickets: &tickets,
                origin: SaleOrigin::Counter {
                    agent_id: who.id,
                    desk: desk.to_string(),
                },
            })
            .await;
        match placed {
            Ok(placed) => Ok(placed),
            Err(e) => {
                self.give_back(&hold.id).await;
                Err(e.into())
            }
        }
    }

    /// Gives a hold's seats back (its unpaid order is cancelled with it).
    async fn give_back(&self, hold_id: &str) {
        use app::ports::Booking;
        if let Err(e) = self.booking.release_hold(hold_id).await {
            tracing::warn!(error = %e, hold = hold_id, "a counter hold could not be given back; it expires by itself");
        }
    }

    /// Settles an order at the counter: payments checked against its total, recorded by means.
    async fn settle_at_counter(
        &self,
        who: &Agent,
        desk: String,
        order: OrderRow,
        items: Vec<OrderItemRow>,
        payments: &[PaymentLine],
        reason: Option<&str>,
    ) -> Result<CounterSale, CounterError> {
        let settled = settle(order.total.0, payments, reason)?;
        let now = self.clock.now();
        let approved = self.counter_attempt(&order, now).await?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let counter = counter_rows(&settled, reason, who.id, &desk);
        let entry = entries::sale(
            now,
            &desk,
            &who.email,
            &order.reference,
            &items,
            &settled.lines,
        );
        let view = self
            .checkout
            .issue(order, items, approved, counter, Some(entry), None)
            .await?;
        Ok(CounterSale {
            order: view,
            payments: settled.lines,
            change_due_cents: settled.change_cents,
            desk,
            agent: who.name.clone(),
        })
    }
}

#[async_trait]
impl BoxOffice for BoxOfficeService {
    async fn block_seats(
        &self,
        actor: &Actor,
        performance_id: i64,
        request: &BlockRequest,
    ) -> Result<SeatBlocks, CounterError> {
        agent(actor)?;
        Ok(self
            .booking
            .block_seats(actor, performance_id, request)
            .await?)
    }

    async fn release_seats(
        &self,
        actor: &Actor,
        performance_id: i64,
        request: &ReleaseRequest,
    ) -> Result<SeatBlocks, CounterError> {
        agent(actor)?;
        Ok(self
            .booking
            .release_seats(actor, performance_id, request)
            .await?)
    }

    async fn seat_blocks(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<SeatBlocks, CounterError> {
        agent(actor)?;
        Ok(self.booking.seat_blocks(performance_id).await?)
    }

    async fn exchange(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &ExchangeRequest,
    ) -> Result<Exchanged, ExchangeError> {
        self.exchange_tickets(actor, order_id, request).await
    }

    async fn sell(
        &self,
        actor: &Actor,
        request: &CounterSaleRequest,
    ) -> Result<CounterSale, CounterError> {
        let who = agent(actor)?;
        let desk = desk(request.desk.as_deref())?;
        let buyer = buyer(request.buyer.as_ref())?;
        let now = self.clock.now();
        let (order, items) = self
            .hold_and_order(
                actor,
                &who,
                &desk,
                request.performance_id,
                request.seat_ids.clone(),
                request.quantity,
                &request.tickets,
                buyer,
                now + SALE_HOLD_SECONDS,
            )
            .await?;
        let hold = order.hold.to_string();
        match self
            .settle_at_counter(
                &who,
                desk,
                order,
                items,
                &request.payments,
                request.reason.as_deref(),
            )
            .await
        {
            Ok(sale) => Ok(sale),
            // Payments that do not add up: the seats go back at once, nothing is sold.
            Err(e) => {
                self.give_back(&hold).await;
                Err(e)
            }
        }
    }

    async fn reserve(
        &self,
        actor: &Actor,
        request: &CounterReservationRequest,
    ) -> Result<OrderView, CounterError> {
        let who = agent(actor)?;
        let desk = desk(request.desk.as_deref())?;
        let (name, email) = buyer(Some(&request.buyer))?;
        if name.is_empty() {
            return Err(CounterError::InvalidName);
        }
        let minutes = request.hold_minutes.unwrap_or(RESERVATION_DEFAULT_MINUTES);
        if !RESERVATION_MINUTES.contains(&minutes) {
            return Err(CounterError::InvalidHoldTime);
        }
        let perf = self
            .cache
            .rules(PerformanceId(request.performance_id))
            .await?
            .ok_or(HoldError::PerformanceNotFound(request.performance_id))?;
        let now = self.clock.now();
        let until = (now + minutes * 60).min(perf.starts_at - RESERVATION_ENDS_BEFORE_START);
        if until <= now {
            return Err(CounterError::InvalidHoldTime);
        }
        let (order, items) = self
            .hold_and_order(
                actor,
                &who,
                &desk,
                request.performance_id,
                request.seat_ids.clone(),
                request.quantity,
                &request.tickets,
                (name, email),
                until,
            )
            .await?;
        let placed = self.checkout.view_of_order(order, items).await?;
        Ok(placed)
    }

    async fn performances(
        &self,
        actor: &Actor,
        day: &str,
    ) -> Result<Vec<CounterPerformance>, CounterError> {
        agent(actor)?;
        let date = paris::parse_day(day).ok_or_else(|| CounterError::InvalidDate(day.into()))?;
        let (from, until) = paris::day_bounds(date);
        let now = self.clock.now();
        let mut out = Vec::new();
        for id in self.catalogue.performances_between(from, until).await? {
            let Some(row) = self.catalogue.performance(now, PerformanceId(id)).await? else {
                continue;
            };
            let r = &row.rules;
            let facts = CounterFacts {
                cancelled: r.cancelled,
                sold_at_counter: r.sold_at_counter,
                starts: r.starts_at,
            };
            out.push(CounterPerformance {
                id: r.id,
                title: r.title.clone(),
                starts_at: Ts(r.starts_at),
                venue: r.venue.clone(),
                hall: r.hall.clone(),
                seated: r.seated,
                capacity: r.capacity,
                available: row.available(),
                published: r.published,
                on_sale: check_at_counter(&facts, now).is_ok(),
            });
        }
        Ok(out)
    }

    async fn pay_at_counter(
        &self,
        actor: &Actor,
        order_id: &str,
        request: &CounterPaymentRequest,
    ) -> Result<CounterSale, CounterError> {
        let who = agent(actor)?;
        let desk = desk(request.desk.as_deref())?;
        let id = OrderId::parse(order_id).ok_or(CounterError::OrderNotFound)?;
        let order = self
            .orders
            .order(&id)
            .await?
            .ok_or(CounterError::OrderNotFound)?;
        match order.status {
            OrderStatus::AwaitingPayment => {}
            OrderStatus::Paid => return Err(app::ports::PaymentError::AlreadyPaid.into()),
            OrderStatus::Cancelled => return Err(app::ports::PaymentError::Cancelled.into()),
            OrderStatus::Expired => return Err(app::ports::PaymentError::SeatsReleased.into()),
        }
        let items = self.orders.order_items(&id).await?;
        self.settle_at_counter(
            &who,
            desk,
            order,
            items,
            &request.payments,
            request.reason.as_deref(),
        )
        .await
    }
}

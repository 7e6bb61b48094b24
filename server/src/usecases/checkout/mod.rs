//! Orders and payments: the buyer's details and tariffs priced from the stored grid, then the
//! payment, which issues the tickets exactly once.
mod provider;
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::booking::{BookingService, HoldLookup, SeatBoard};
use crate::usecases::catalogue::CatalogueCache;
use crate::usecases::ids;
use crate::usecases::memory::Recent;
use app::domain::basket::check_tickets_match_hold;
use app::domain::hold::hold_expired;
use app::domain::pricing::{tariff_for, total};
use app::domain::{Cents, Email, OrderId, PerformanceId, TicketNumber};
use app::dto::*;
use app::i18n::Lang;
use app::ports::{Booking, Checkout, Failure, OrderAccessError, OrderError, PaymentError};
use app::ticket_code::TicketClaims;
use async_trait::async_trait;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// An order about to be placed on a hold.
pub(crate) struct Placing<'a> {
    pub hold_id: app::domain::HoldId,
    pub buyer_name: String,
    pub buyer_email: Option<Email>,
    pub lang: String,
    pub tickets: &'a [TicketRequest],
    pub origin: SaleOrigin,
}

pub struct CheckoutService {
    orders: Arc<dyn OrderRepo>,
    booking: Arc<BookingService>,
    cache: Arc<CatalogueCache>,
    board: Arc<SeatBoard>,
    memory: Arc<Recent>,
    payments: Arc<dyn PaymentGateway>,
    signer: Arc<dyn TicketSigner>,
    clock: Arc<dyn Clock>,
}

/// How many references are drawn before giving up (a collision is one in a trillion).
const REFERENCE_DRAWS: usize = 3;

impl CheckoutService {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        orders: Arc<dyn OrderRepo>,
        booking: Arc<BookingService>,
        cache: Arc<CatalogueCache>,
        board: Arc<SeatBoard>,
        memory: Arc<Recent>,
        payments: Arc<dyn PaymentGateway>,
        signer: Arc<dyn TicketSigner>,
        clock: Arc<dyn Clock>,
    ) -> CheckoutService {
        CheckoutService {
            orders,
            booking,
            cache,
            board,
            memory,
            payments,
            signer,
            clock,
        }
    }

    async fn rules(&self, id: PerformanceId) -> Result<Arc<PerformanceRules>, Failure> {
        self.cache
            .rules(id)
            .await?
            .ok_or_else(|| Failure::Internal(format!("performance {id} of an order is missing")))
    }

    /// The order only for whoever holds its link token (compared in constant time).
    pub(crate) async fn authorised(
        &self,
        order_id: &str,
        token: &str,
    ) -> Result<Option<OrderRow>, Failure> {
        let Some(id) = OrderId::parse(order_id) else {
            return Ok(None);
        };
        Ok(self
            .orders
            .order(&id)
            .await?
            .filter(|o| bool::from(o.token.as_str().as_bytes().ct_eq(token.trim().as_bytes()))))
    }

    pub(crate) async fn order_view(&self, order: OrderRow) -> Result<OrderView, Failure> {
        let items = self.orders.order_items(&order.id).await?;
        let tickets = self
            .orders
            .order_tickets(&order.id)
            .await?
            .into_iter()
            .map(|t| TicketView {
                id: t.id,
                number: t.number.to_string(),
                seat: t.seat,
                tariff: t.tariff_code,
                tariff_label: t.tariff_label,
                price_cents: t.price.0,
                holder_name: t.holder_name,
                status: t.status.as_str().to_string(),
                code: t.code,
            })
            .collect();
        self.view_of(order, items, tickets).await
    }

    async fn view_of(
        &self,
        o: OrderRow,
        items: Vec<OrderItemRow>,
        tickets: Vec<TicketView>,
    ) -> Result<OrderView, Failure> {
        let perf = self.rules(o.performance).await?;
        let lines = items
            .into_iter()
            .map(|i| OrderLine {
                seat_id: i.seat_id,
                seat: i.seat,
                tariff: i.tariff_code,
                tariff_label: i.tariff_label,
                price_cents: i.price.0,
                proof_required: i.proof_required,
            })
            .collect();
        // An unpaid order whose hold ran out reads as expired even before the sweeper passes.
        let status = if o.status == OrderStatus::AwaitingPayment
            && hold_expired(o.expires_at, self.clock.now())
        {
            OrderStatus::Expired
        } else {
            o.status
        };
        Ok(OrderView {
            id: o.id.to_string(),
            token: o.token.to_string(),
            reference: o.reference,
            status,
            total_cents: o.total.0,
            buyer: Buyer {
                name: o.buyer_name,
                email: o.buyer_email,
            },
            performance: perf.info(),
            hold_id: o.hold.to_string(),
            expires_at: Ts(o.expires_at),
            lines,
            tickets,
            last_payment: o.last_payment,
        })
    }

    /// Seats of a performance were freed outside a hold (an exchange's old seats): the live
    /// seat maps hear of it.
    pub(crate) fn seats_freed(&self, performance: PerformanceId) {
        self.board.forget(performance);
    }

    /// Approved payment: issues the tickets and answers with the paid order, built from what
    /// is in hand (nothing to read back). A counter sale's payments by means go with it.
    pub(crate) async fn issue(
        &self,
        order: OrderRow,
        items: Vec<OrderItemRow>,
        payment: PaymentRecord,
        counter: Vec<CounterPaymentRow>,
        journal: Option<app::domain::journal::Draft>,
        exchange: Option<ExchangeOut>,
    ) -> Result<OrderView, PaymentError> {
        let perf = self.rules(order.performance).await?;
        let tickets: Vec<NewTicket> = items
            .iter()
            .map(|i| {
                let uid = ids::uid();
                let (key_id, code) = self.signer.sign(TicketClaims {
                    key_id: 0,
                    performance_id: order.performance.0 as u32,
                    ticket_id: uid as u64,
                });
                NewTicket {
                    uid,
                    seat_id: i.seat_id,
                    tariff_code: i.tariff_code.clone(),
                    price: i.price,
                    code,
                    key_id,
                }
            })
            .collect();
        let settlement = self
            .orders
            .settle(&Settle {
                order: order.id.clone(),
                hold: order.hold.clone(),
                performance: order.performance,
                venue_id: perf.venue_id,
                buyer_name: order.buyer_name.clone(),
                payment,
                tickets: tickets.clone(),
                counter,
                journal,
                exchange,
                mail: Email::parse(&order.buyer_email).ok().map(|e| NewMail {
                    mail: Mail::Confirmation,
                    order: Some(order.id.clone()),
                    recipient: e.as_str().to_string(),
                }),
            })
            .await?;
        self.memory.forget_hold(&order.hold);
        let issued = match settlement {
            Settlement::Issued(issued) => issued,
            Settlement::AlreadyPaid => {
                let fresh = self.orders.order(&order.id).await?.unwrap_or(order);
                return Ok(self.order_view(fresh).await?);
            }
            // The provider took the money; storage recorded a refund to make.
            Settlement::HoldExpired => {
                self.board.forget(order.performance);
                return Err(PaymentError::TooLate);
            }
            Settlement::NotPayable(_) => return Err(PaymentError::TooLate),
            // Nothing was written; the counter gives the new seats back.
            Settlement::ExchangeRefused(_) => return Err(PaymentError::Changed),
        };
        let seats: Vec<i64> = items.iter().filter_map(|i| i.seat_id).collect();
        self.board.mark(order.performance, &seats, SeatStatus::Sold);
        let views = items
            .iter()
            .zip(issued)
            .zip(tickets)
            .map(|((i, t), new)| TicketView {
                id: t.id,
                number: TicketNumber::new(&perf.venue_code, &i.tariff_code, t.number).to_string(),
                seat: i.seat.clone(),
                tariff: i.tariff_code.clone(),
                tariff_label: i.tariff_label.clone(),
                price_cents: i.price.0,
                holder_name: order.buyer_name.clone(),
                status: TicketStatus::Valid.as_str().into(),
                code: new.code,
            })
            .collect();
        let paid = OrderRow {
            status: OrderStatus::Paid,
            last_payment: Some(PaymentOutcomeRecord::Approved.as_str().into()),
            ..order
        };
        Ok(self.view_of(paid, items, views).await?)
    }

    /// An approved online payment (at once, or told later by the provider): the tickets, and
    /// the sale in the cash journal, paid by the provider.
    pub(crate) async fn issue_online(
        &self,
        order: OrderRow,
        items: Option<Vec<OrderItemRow>>,
        payment: PaymentRecord,
    ) -> Result<OrderView, PaymentError> {
        let items = match items {
            Some(items) => items,
            None => self.orders.order_items(&order.id).await?,
        };
        let entry = crate::usecases::box_office::entries::online_sale(
            payment.now,
            &order.reference,
            &items,
        );
        self.issue(order, items, payment, Vec::new(), Some(entry), None)
            .await
    }

    /// An order as the buyer (or the agent) reads it, before payment.
    pub(crate) async fn view_of_order(
        &self,
        order: OrderRow,
        items: Vec<OrderItemRow>,
    ) -> Result<OrderView, Failure> {
        self.view_of(order, items, Vec::new()).await
    }

    /// An order on a hold, priced from the grid, awaiting payment (online: the buyer's next
    /// step; at the counter: paid at once, or later for a reservation).
    pub(crate) async fn place_order(
        &self,
        p: Placing<'_>,
    ) -> Result<(OrderRow, Vec<OrderItemRow>), OrderError> {
        let now = self.clock.now();
        let hold = match self.booking.hold_facts(&p.hold_id).await? {
            Ok(facts) => facts,
            Err(HoldLookup::Unknown) => return Err(OrderError::HoldNotFound),
            Err(HoldLookup::Consumed) => return Err(OrderError::HoldAlreadyPaid),
            Err(HoldLookup::Gone) => return Err(OrderError::HoldExpired),
        };
        if hold_expired(hold.expires_at, now) {
            return Err(OrderError::HoldExpired);
        }
        let perf = self.rules(hold.performance).await?;
        let requested: Vec<Option<i64>> = p.tickets.iter().map(|t| t.seat_id).collect();
        check_tickets_match_hold(perf.seated, &hold.seat_ids, hold.quantity, &requested)?;
        let lines = self.lines(&perf, p.tickets).await?;
        let items: Vec<NewItem> = lines
            .iter()
            .map(|l| NewItem {
                seat_id: l.seat_id,
                tariff_code: l.tariff_code.clone(),
                price: l.price,
            })
            .collect();
        let total = total(items.iter().map(|i| i.price));
        for _ in 0..REFERENCE_DRAWS {
            let order = NewOrder {
                id: ids::order_id(),
                reference: ids::reference(),
                token: ids::order_token(),
                hold: p.hold_id.clone(),
                performance: hold.performance,
                buyer_name: p.buyer_name.clone(),
                buyer_email: p.buyer_email.clone(),
                total,
                lang: p.lang.clone(),
                items: items.clone(),
                origin: p.origin.clone(),
            };
            match self.orders.create_order(&order, now).await? {
                OrderCreation::Created => {
                    let row = OrderRow {
                        id: order.id,
                        reference: order.reference,
                        token: order.token,
                        hold: order.hold,
                        performance: order.performance,
                        buyer_name: order.buyer_name,
                        buyer_email: order
                            .buyer_email
                            .map(|e| e.as_str().to_string())
                            .unwrap_or_default(),
                        total,
                        status: OrderStatus::AwaitingPayment,
                        lang: order.lang,
                        expires_at: hold.expires_at,
                        last_payment: None,
                    };
                    self.memory.remember_order(&row, &lines);
                    return Ok((row, lines));
                }
                OrderCreation::ReferenceTaken => continue,
                OrderCreation::HoldConsumed => return Err(OrderError::HoldAlreadyPaid),
                OrderCreation::HoldGone => return Err(OrderError::HoldExpired),
                OrderCreation::HoldUnknown => return Err(OrderError::HoldNotFound),
                OrderCreation::QuotaReached { tariff, left } => {
                    let label = lines
                        .iter()
                        .find(|l| l.tariff_code == tariff)
                        .map_or(tariff.clone(), |l| l.tariff_label.clone());
                    return Err(OrderError::TariffQuota {
                        tariff: label,
                        left,
                    });
                }
            }
        }
        Err(OrderError::NoReference)
    }

    /// The lines of an order as they will read on the confirmation, priced from the grid.
    pub(crate) async fn lines(
        &self,
        perf: &PerformanceRules,
        tickets: &[TicketRequest],
    ) -> Result<Vec<OrderItemRow>, OrderError> {
        let grid = self.cache.grid(PerformanceId(perf.id)).await?;
        let plan = if perf.seated {
            self.cache.plan(perf.hall_id, perf.seatmap_version).await?
        } else {
            None
        };
        tickets
            .iter()
            .map(|t| {
                let seat = t
                    .seat_id
                    .and_then(|id| plan.as_ref().and_then(|p| p.seat(id)));
                let tariff = tariff_for(&grid, seat.map(|s| s.category_id), t.seat_id, &t.tariff)?;
                Ok(OrderItemRow {
                    seat_id: t.seat_id,
                    seat: seat.map(|s| SeatLabel {
                        zone: s.zone.clone(),
                        row: s.row.clone(),
                        number: s.number,
                    }),
                    category: seat.map(|s| s.category),
                    tariff_code: tariff.code.clone(),
                    tariff_label: tariff.label.clone(),
                    proof_required: tariff.proof_required,
                    price: Cents(tariff.price_cents),
                })
            })
            .collect()
    }
}

/// The refusal for an order in a status that cannot be paid.
fn unpayable(status: OrderStatus) -> PaymentError {
    match status {
        OrderStatus::Paid => PaymentError::AlreadyPaid,
        OrderStatus::Cancelled => PaymentError::Cancelled,
        OrderStatus::Expired | OrderStatus::AwaitingPayment => PaymentError::SeatsReleased,
    }
}

/// The buyer's name, spaces folded: 1 to 120 characters, no control characters.
fn parse_name(raw: &str) -> Result<String, OrderError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(OrderError::NameMissing);
    }
    if name.chars().count() > 120 || name.chars().any(char::is_control) {
        return Err(OrderError::NameInvalid);
    }
    Ok(name)
}

#[async_trait]
impl Checkout for CheckoutService {
    async fn create_order(&self, request: OrderRequest) -> Result<OrderView, OrderError> {
        let hold_id =
            app::domain::HoldId::parse(&request.hold_id).ok_or(OrderError::HoldNotFound)?;
        let name = parse_name(&request.buyer.name)?;
        let email = Email::parse(&request.buyer.email).map_err(|_| OrderError::InvalidEmail)?;
        let lang = request
            .lang
            .as_deref()
            .map(Lang::parse)
            .unwrap_or_default()
            .code()
            .to_string();
        let (row, lines) = self
            .place_order(Placing {
                hold_id,
                buyer_name: name,
                buyer_email: Some(email),
                lang,
                tickets: &request.tickets,
                origin: SaleOrigin::Online,
            })
            .await?;
        Ok(self.view_of(row, lines, Vec::new()).await?)
    }

    async fn pay(
        &self,
        order_id: &str,
        token: &str,
        outcome: PaymentOutcome,
    ) -> Result<PaymentReply, PaymentError> {
        let now = self.clock.now();
        let id = OrderId::parse(order_id).ok_or(PaymentError::OrderNotFound)?;
        // An order this server just created needs no reading back: the settlement itself
        // checks, in its transaction, that it is still payable.
        let remembered = self.memory.order(&id).filter(|f| {
            bool::from(
                f.order
                    .token
                    .as_str()
                    .as_bytes()
                    .ct_eq(token.trim().as_bytes()),
            )
        });
        let (order, items) = match remembered {
            Some(facts) if outcome == PaymentOutcome::Approve => {
                (facts.order.clone(), Some(facts.items.clone()))
            }
            _ => {
                let order = self
                    .authorised(order_id, token)
                    .await?
                    .ok_or(PaymentError::OrderNotFound)?;
                match order.status {
                    OrderStatus::Paid if outcome == PaymentOutcome::Approve => {
                        return Ok(PaymentReply::Done(self.order_view(order).await?))
                    }
                    OrderStatus::AwaitingPayment => {}
                    other => return Err(unpayable(other)),
                }
                (order, None)
            }
        };
        if hold_expired(order.expires_at, now) {
            return Err(PaymentError::SeatsReleased);
        }
        if !self.payments.configured() {
            return Err(PaymentError::NotConfigured);
        }
        let attempt = PaymentAttempt {
            idempotency_key: ids::attempt_key(),
            order: order.id.clone(),
            order_reference: order.reference.clone(),
            amount: order.total,
            buyer_email: order.buyer_email.clone(),
            description: self.description(order.performance).await?,
            requested: outcome,
        };
        let record = |outcome| PaymentRecord {
            order: order.id.clone(),
            provider: self.payments.id(),
            attempt_key: attempt.idempotency_key.clone(),
            outcome,
            amount: order.total,
            now,
        };
        // On record before the provider hears of it: a crash from here on leaves a pending
        // attempt with its key, to reconcile with the provider, never a charge nobody knows of.
        self.orders
            .start_payment(&record(PaymentOutcomeRecord::Pending))
            .await?;
        let result = match self.payments.start(&attempt).await {
            Ok(PaymentStart::Completed(result)) => result,
            // Redirecting providers (PayFiP): the result comes through `payment_news`.
            Ok(PaymentStart::Redirect { url, provider_ref }) => {
                self.redirected(&order, &attempt, &provider_ref).await?;
                let fresh = self.orders.order(&order.id).await?.unwrap_or(order);
                return Ok(PaymentReply::Redirect {
                    redirect_url: url,
                    order: self.order_view(fresh).await?,
                });
            }
            Err(GatewayError::NotConfigured) => return Err(PaymentError::NotConfigured),
            // The attempt stays pending: whether money moved is for the provider to say.
            Err(GatewayError::Unavailable(why)) => return Err(PaymentError::Provider(why)),
            // Nothing was started: the attempt is closed, the buyer told why.
            Err(GatewayError::NotAccepted(why)) => {
                self.orders
                    .finish_payment(
                        &attempt.idempotency_key,
                        PaymentOutcomeRecord::Declined,
                        now,
                    )
                    .await?;
                return Err(PaymentError::NotAccepted(why));
            }
        };
        let outcome = match result {
            ChargeResult::Approved => {
                let payment = record(PaymentOutcomeRecord::Approved);
                return self
                    .issue_online(order, items, payment)
                    .await
                    .map(PaymentReply::Done);
            }
            ChargeResult::Declined => PaymentOutcomeRecord::Declined,
            ChargeResult::Abandoned => PaymentOutcomeRecord::Abandoned,
        };
        self.orders
            .finish_payment(&attempt.idempotency_key, outcome, now)
            .await?;
        // The buyer gave up: the seats go back on sale at once.
        if outcome == PaymentOutcomeRecord::Abandoned {
            match self.booking.release_hold(order.hold.as_str()).await {
                Ok(()) | Err(app::ports::ReleaseError::HoldNotFound) => {}
                Err(app::ports::ReleaseError::AlreadyPaid) => {
                    return Err(PaymentError::AlreadyPaid)
                }
                Err(app::ports::ReleaseError::Failure(f)) => return Err(f.into()),
            }
        }
        let fresh = self.orders.order(&order.id).await?.unwrap_or(order);
        Ok(PaymentReply::Done(self.order_view(fresh).await?))
    }

    async fn order(&self, order_id: &str, token: &str) -> Result<OrderView, OrderAccessError> {
        let order = self
            .authorised(order_id, token)
            .await?
            .ok_or(OrderAccessError::NotFound)?;
        // The buyer is back from the provider's page, or waits on the order page: ask.
        if order.status == OrderStatus::AwaitingPayment
            && order.last_payment.as_deref() == Some(PaymentOutcomeRecord::Pending.as_str())
        {
            if let Some(fresh) = self.check_pending(&order).await {
                return Ok(self.order_view(fresh).await?);
            }
        }
        Ok(self.order_view(order).await?)
    }

    async fn payment_news(
        &self,
        provider_ref: &str,
    ) -> Result<Option<(String, String)>, PaymentError> {
        self.news(provider_ref).await
    }

    async fn poll_pending_payments(&self, older_than: i64) -> Result<usize, Failure> {
        self.poll(older_than).await
    }

    fn payments_sandbox(&self) -> bool {
        self.payments.is_sandbox()
    }

    fn payment_provider(&self) -> PaymentProvider {
        match (self.payments.configured(), self.payments.is_sandbox()) {
            (false, _) => PaymentProvider::None,
            (true, true) => PaymentProvider::Sandbox,
            (true, false) => PaymentProvider::Payfip,
        }
    }
}

use super::RepoResult;
use app::domain::{Cents, Email, HoldId, OrderId, OrderToken, PerformanceId, TicketNumber};
use app::dto::{OrderStatus, SeatLabel};
use async_trait::async_trait;

/// Orders, payments and the tickets they issue.
#[async_trait]
pub trait OrderRepo: Send + Sync + 'static {
    /// Records an order for an active, unexpired hold; an earlier unpaid order on the same hold
    /// is cancelled (the buyer went back and changed tariffs).
    async fn create_order(&self, order: &NewOrder, now: i64) -> RepoResult<OrderCreation>;
    async fn order(&self, id: &OrderId) -> RepoResult<Option<OrderRow>>;
    async fn order_items(&self, id: &OrderId) -> RepoResult<Vec<OrderItemRow>>;
    /// Records a payment attempt as pending, before the provider is asked anything: whatever
    /// happens next, the attempt and its idempotency key are on record.
    async fn start_payment(&self, payment: &PaymentRecord) -> RepoResult<()>;
    /// Finishes a pending attempt that issues nothing (declined, abandoned).
    async fn finish_payment(
        &self,
        attempt_key: &str,
        outcome: PaymentOutcomeRecord,
        now: i64,
    ) -> RepoResult<()>;
    /// Attaches the provider's id of a started attempt (PayFiP's idOp), for its notification,
    /// the buyer's return and the poller to find it by.
    async fn attach_provider_ref(&self, attempt_key: &str, provider_ref: &str) -> RepoResult<()>;
    /// Keeps what the provider last answered on an attempt (staff, disputes).
    async fn note_provider_answer(&self, attempt_key: &str, answer: &str) -> RepoResult<()>;
    /// Payment attempts, oldest first.
    async fn payment_attempts(&self, find: &AttemptQuery) -> RepoResult<Vec<AttemptRow>>;
    /// An approved payment: marks the order paid, turns the hold's claims into sales and issues
    /// the tickets with the next numbers of their venue/tariff series — all or nothing. Only if
    /// the order awaits payment and its hold still holds every seat; otherwise the attempt is
    /// finished as `RefundNeeded` (the money was taken for nothing), in the same transaction.
    async fn settle(&self, settle: &Settle) -> RepoResult<Settlement>;
    async fn order_tickets(&self, id: &OrderId) -> RepoResult<Vec<TicketRow>>;
    /// A counter order's payments by means, refunds (negative) included, oldest first.
    async fn order_payments(&self, id: &OrderId) -> RepoResult<Vec<CounterPaymentRow>>;
    /// After a sale: tickets cancelled (their seats on sale again) and/or money given back,
    /// with the journal entries and the audit record — all or nothing. `TicketGone` when a
    /// ticket is not (or no longer) a valid ticket of the order; `OverRefunded` when the order's
    /// refunds would pass `refund_cap` (two agents refunding at once).
    async fn take_back(&self, take: &TakeBack) -> RepoResult<TakenBack>;
    /// Exchanges from or to an order, oldest first.
    async fn order_exchanges(&self, id: &OrderId) -> RepoResult<Vec<ExchangeRow>>;
    /// Orders matching a box office search, newest first.
    async fn search_orders(
        &self,
        query: &app::domain::order_search::OrderQuery,
        limit: i64,
    ) -> RepoResult<Vec<OrderSummaryRow>>;
    /// `online` or `box_office`.
    async fn order_channel(&self, id: &OrderId) -> RepoResult<Option<String>>;
    /// Valid tickets whose order was paid in `[from, until)`, by payment time (sales reports).
    async fn paid_tickets_between(
        &self,
        from: i64,
        until: i64,
    ) -> RepoResult<Vec<app::domain::sales_report::PaidTicket>>;
    /// Orders paid in `[from, until)`, by payment time then id, after `after`; `limit` at most.
    async fn export_orders(
        &self,
        from: i64,
        until: i64,
        after: Option<&app::domain::export::Cursor>,
        limit: i64,
    ) -> RepoResult<Vec<app::domain::export::OrderLine>>;
    /// Over the seated performances of a hall starting in `[from, until)` (not cancelled):
    /// how many there were, and per place (zone id, row, number) how many times it sold.
    async fn seat_sales_in_hall(
        &self,
        hall_id: i64,
        from: i64,
        until: i64,
    ) -> RepoResult<(i64, Vec<((i64, String, i64), i64)>)>;
    /// How many orders were paid in `[from, until)`.
    async fn count_paid_orders(&self, from: i64, until: i64) -> RepoResult<i64>;
    /// Every ticket of a performance with its sale channel (statements), cancelled ones too.
    async fn performance_sales(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<app::domain::statement::SoldTicket>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSummaryRow {
    pub id: String,
    pub reference: String,
    pub status: OrderStatus,
    pub channel: String,
    pub buyer_name: String,
    pub buyer_email: String,
    pub total: Cents,
    pub performance_id: i64,
    pub show_title: String,
    pub starts_at: i64,
    pub created_at: i64,
    pub valid_tickets: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TakeBack {
    pub order: OrderId,
    pub ticket_ids: Vec<i64>,
    /// A refund: a negative amount.
    pub refund: Option<CounterPaymentRow>,
    pub refund_cap: Cents,
    pub journal: Vec<app::domain::journal::Draft>,
    pub audit: super::AuditRecord,
    pub at: i64,
    /// The buyer's mail about it, queued in the same transaction.
    pub mail: Option<super::NewMail>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakenBack {
    Done,
    TicketGone,
    OverRefunded,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub id: OrderId,
    pub reference: String,
    pub token: OrderToken,
    pub hold: HoldId,
    pub performance: PerformanceId,
    pub buyer_name: String,
    /// A walk-in at the counter may give none.
    pub buyer_email: Option<Email>,
    pub total: Cents,
    pub lang: String,
    pub items: Vec<NewItem>,
    pub origin: SaleOrigin,
}

/// Who sold an order: the web site, or an agent at a cash desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaleOrigin {
    Online,
    /// `agent_id` is `None` for the console (CLI).
    Counter {
        agent_id: Option<i64>,
        desk: String,
    },
}

/// One means of payment of a counter sale (a refund is a negative amount).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterPaymentRow {
    pub method: app::domain::counter::PaymentMethod,
    pub amount: Cents,
    pub tendered: Option<Cents>,
    pub change: Cents,
    /// Why a free sale is free.
    pub reason: Option<String>,
    pub agent_id: Option<i64>,
    pub desk: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    pub seat_id: Option<i64>,
    pub tariff_code: String,
    pub price: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderCreation {
    Created,
    /// The hold is paid already.
    HoldConsumed,
    /// The hold expired or was released.
    HoldGone,
    HoldUnknown,
    /// The drawn reference exists: draw another.
    ReferenceTaken,
    /// A tariff of the order has a quota on this performance, with only `left` places left.
    QuotaReached {
        tariff: String,
        left: i64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    pub id: OrderId,
    pub reference: String,
    pub token: OrderToken,
    pub hold: HoldId,
    pub performance: PerformanceId,
    pub buyer_name: String,
    pub buyer_email: String,
    pub total: Cents,
    pub status: OrderStatus,
    pub lang: String,
    /// Its hold's end.
    pub expires_at: i64,
    /// The last payment attempt's outcome ("approved", "declined", "abandoned").
    pub last_payment: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderItemRow {
    pub seat_id: Option<i64>,
    pub seat: Option<SeatLabel>,
    pub category: Option<i64>,
    pub tariff_code: String,
    pub tariff_label: String,
    pub proof_required: bool,
    pub price: Cents,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOutcomeRecord {
    /// Recorded before the provider is called.
    Pending,
    Approved,
    Declined,
    Abandoned,
    /// The provider took the money but the order could not be honoured (its hold ran out,
    /// it was paid or cancelled meanwhile): staff must refund it.
    RefundNeeded,
}

impl PaymentOutcomeRecord {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentOutcomeRecord::Pending => "pending",
            PaymentOutcomeRecord::Approved => "approved",
            PaymentOutcomeRecord::Declined => "declined",
            PaymentOutcomeRecord::Abandoned => "abandoned",
            PaymentOutcomeRecord::RefundNeeded => "refund_needed",
        }
    }
}

/// Which payment attempts to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptQuery {
    /// The attempt a provider knows by this id.
    ByRef {
        provider: String,
        provider_ref: String,
    },
    /// An order's attempts still waiting for their provider.
    PendingOfOrder(OrderId),
    /// A provider's attempts still pending that started at `before` or earlier (the poller's).
    PendingSince {
        provider: String,
        before: i64,
        limit: i64,
    },
}

/// A payment attempt as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRow {
    pub order: OrderId,
    pub attempt_key: String,
    pub provider: String,
    pub provider_ref: Option<String>,
    pub outcome: PaymentOutcomeRecord,
    pub amount: Cents,
    pub created_at: i64,
}

impl PaymentOutcomeRecord {
    pub fn parse(s: &str) -> Option<PaymentOutcomeRecord> {
        use PaymentOutcomeRecord::*;
        [Pending, Approved, Declined, Abandoned, RefundNeeded]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRecord {
    pub order: OrderId,
    pub provider: &'static str,
    /// One per attempt, passed to the provider too.
    pub attempt_key: String,
    pub outcome: PaymentOutcomeRecord,
    pub amount: Cents,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settle {
    pub order: OrderId,
    pub hold: HoldId,
    pub performance: PerformanceId,
    pub venue_id: i64,
    pub buyer_name: String,
    /// The attempt (started before the provider was called) this settlement finishes.
    pub payment: PaymentRecord,
    /// One per order item, in item order.
    pub tickets: Vec<NewTicket>,
    /// A counter sale's payments by means, written with the settlement (empty online).
    pub counter: Vec<CounterPaymentRow>,
    /// A counter sale's cash-journal entry, appended in the settlement's transaction.
    pub journal: Option<app::domain::journal::Draft>,
    /// An exchange: the tickets given back, taken back in the same transaction.
    pub exchange: Option<ExchangeOut>,
    /// The confirmation to e-mail, queued in the same transaction (never lost).
    pub mail: Option<super::NewMail>,
}

/// The old side of an exchange: its tickets taken back (with the difference given back, if
/// any), and the credit moved to the new order. Recorded before the take-back, so that what the
/// old order can still give back counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeOut {
    pub take: TakeBack,
    pub credit: Cents,
    pub agent_id: Option<i64>,
    pub desk: String,
}

/// An exchange between two orders, as their history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRow {
    pub from_order: String,
    pub from_reference: String,
    pub to_order: String,
    pub to_reference: String,
    pub credit: Cents,
    pub at: i64,
}

/// A ticket to issue; its number is taken by the storage, inside the settlement.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTicket {
    /// Random public id, carried in the signed code.
    pub uid: i64,
    pub seat_id: Option<i64>,
    pub tariff_code: String,
    pub price: Cents,
    pub code: String,
    pub key_id: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Settlement {
    /// Tickets issued now, in the order they were given.
    Issued(Vec<IssuedTicket>),
    /// Paid before: nothing changed (idempotent confirmation).
    AlreadyPaid,
    /// The hold ran out (or lost a seat) first; the order is now expired.
    HoldExpired,
    /// Cancelled or expired.
    NotPayable(OrderStatus),
    /// An exchange whose old tickets changed meanwhile: nothing was written.
    ExchangeRefused(TakenBack),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedTicket {
    pub id: i64,
    pub number: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketStatus {
    Valid,
    Cancelled,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Valid => "valid",
            TicketStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<TicketStatus> {
        match s {
            "valid" => Some(TicketStatus::Valid),
            "cancelled" => Some(TicketStatus::Cancelled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TicketRow {
    pub id: i64,
    pub uid: i64,
    pub number: TicketNumber,
    pub seat: Option<SeatLabel>,
    pub category: Option<i64>,
    pub tariff_code: String,
    pub tariff_label: String,
    pub proof_required: bool,
    pub price: Cents,
    pub holder_name: String,
    pub status: TicketStatus,
    pub code: String,
}

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
    /// An approved payment: marks the order paid, turns the hold's claims into sales and issues
    /// the tickets with the next numbers of their venue/tariff series — all or nothing. Only if
    /// the order awaits payment and its hold still holds every seat; otherwise the attempt is
    /// finished as `RefundNeeded` (the money was taken for nothing), in the same transaction.
    async fn settle(&self, settle: &Settle) -> RepoResult<Settlement>;
    async fn order_tickets(&self, id: &OrderId) -> RepoResult<Vec<TicketRow>>;
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub id: OrderId,
    pub reference: String,
    pub token: OrderToken,
    pub hold: HoldId,
    pub performance: PerformanceId,
    pub buyer_name: String,
    pub buyer_email: Email,
    pub total: Cents,
    pub lang: String,
    pub items: Vec<NewItem>,
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

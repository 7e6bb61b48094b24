//! The box office's shapes: a counter sale (seats or places, a tariff each, payments by means),
//! a reservation to pay at the counter later, and what the agent gets back (the paid order, the
//! change to give).
use crate::domain::counter::PaymentLine;
use crate::dto::OrderView;
use serde::{Deserialize, Serialize};

/// Seats or places the box office may take in one sale (a school group), whatever the
/// performance's limit per online order.
pub const COUNTER_MAX_SEATS: i64 = 200;

/// A ticket of a counter sale: its seat (numbered seats chosen on the map), and its tariff.
/// For "N best seats" or general admission, no seat: tariffs in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CounterTicket {
    #[serde(default)]
    pub seat_id: Option<i64>,
    pub tariff: String,
}

/// The buyer, if they say who they are (a walk-in needs neither).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CounterBuyer {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// `POST /box-office/sales`: seats (`seat_ids`) or a quantity (general admission, or the N
/// best seats), a ticket each, payments adding up to the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CounterSaleRequest {
    pub performance_id: i64,
    #[serde(default)]
    pub seat_ids: Option<Vec<i64>>,
    #[serde(default)]
    pub quantity: Option<i64>,
    pub tickets: Vec<CounterTicket>,
    #[serde(default)]
    pub payments: Vec<PaymentLine>,
    #[serde(default)]
    pub buyer: Option<CounterBuyer>,
    /// The cash desk ("guichet-1"); `guichet` when absent.
    #[serde(default)]
    pub desk: Option<String>,
    /// Why an invitation is free.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /box-office/reservations`: seats kept for a buyer who pays at the counter later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CounterReservationRequest {
    pub performance_id: i64,
    #[serde(default)]
    pub seat_ids: Option<Vec<i64>>,
    #[serde(default)]
    pub quantity: Option<i64>,
    pub tickets: Vec<CounterTicket>,
    /// Who it is kept for: a name at least.
    pub buyer: CounterBuyer,
    /// Kept this long (15 minutes to 7 days; 2 days by default), never past 30 minutes before
    /// the start.
    #[serde(default)]
    pub hold_minutes: Option<i64>,
    #[serde(default)]
    pub desk: Option<String>,
}

/// `POST /box-office/orders/{id}/payments`: a reservation paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CounterPaymentRequest {
    pub payments: Vec<PaymentLine>,
    #[serde(default)]
    pub desk: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A counter sale done: the paid order with its tickets, how it was paid, the change to give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CounterSale {
    pub order: OrderView,
    pub payments: Vec<PaymentLine>,
    pub change_due_cents: i64,
    pub desk: String,
    /// The agent's name.
    pub agent: String,
}

/// A performance as the counter lists it: published or not, with what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CounterPerformance {
    pub id: i64,
    pub title: String,
    pub starts_at: crate::dto::Ts,
    pub venue: String,
    pub hall: String,
    pub seated: bool,
    pub capacity: i64,
    /// Places still free (not held, not sold, not blocked).
    pub available: i64,
    pub published: bool,
    /// The box office may sell it now (sold at the counter, not cancelled, not over).
    pub on_sale: bool,
}

/// `POST /box-office/closures`: close a day, a month or a year (a Z report). Without `date`,
/// the last one that has ended (yesterday, last month, last year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// `day`, `month` or `year`.
    pub period: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (Europe/Paris).
    #[serde(default)]
    pub date: Option<String>,
}

/// A count of money per tariff: tickets and cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CountAndCents {
    pub count: i64,
    pub cents: i64,
}

/// VAT at one rate: the base (excluding VAT) and the VAT, in cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VatAmounts {
    pub base_cents: i64,
    pub vat_cents: i64,
}

/// A desk's cash at closing: the float, plus the period's cash in, against what was counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeskCash {
    pub desk: String,
    pub opening_float_cents: i64,
    pub expected_cents: i64,
    pub counted_cents: i64,
    /// Counted − expected: negative when cash is missing.
    pub difference_cents: i64,
}

/// A Z report: a closed day, month or year of the cash journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClosureReport {
    /// `2026-12-06`, `2026-12` or `2026`.
    pub period: String,
    pub from: crate::dto::Ts,
    pub until: crate::dto::Ts,
    pub closed_at: crate::dto::Ts,
    /// The closure's own entry in the journal (its seq and hash).
    pub seq: i64,
    pub hash: String,
    pub entries: i64,
    /// Money by means (cash, card, cheque, pass_culture, voucher, free), refunds deducted.
    pub totals_by_method: std::collections::BTreeMap<String, i64>,
    pub totals_by_tariff: std::collections::BTreeMap<String, CountAndCents>,
    /// By VAT rate in basis points ("550" = 5.5 %).
    pub totals_by_vat_rate: std::collections::BTreeMap<String, VatAmounts>,
    pub tickets_sold: i64,
    pub tickets_cancelled: i64,
    pub period_total_cents: i64,
    /// The perpetual grand total when closing.
    pub cumulative_total_cents: i64,
    pub cash: Vec<DeskCash>,
}

/// `POST /box-office/cash-counts`: what a desk counted at the end of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CashCountRequest {
    pub desk: String,
    /// `YYYY-MM-DD` (Paris); today when absent.
    #[serde(default)]
    pub day: Option<String>,
    pub opening_float_cents: i64,
    pub counted_cents: i64,
}

/// What a verification of the journals found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JournalCheck {
    pub ok: bool,
    /// Entries of the cash journal read.
    pub entries: i64,
    pub closures: i64,
    /// Events of the technical journal read.
    pub events: i64,
    /// The first broken entry, named ("Écriture n° 42 : …"), when not ok.
    #[serde(default)]
    pub broken: Option<String>,
}

/// `POST /orders/{id}/cancel`: the whole order (no `ticket_ids`) or some of its tickets. The
/// tickets keep their numbers, recorded as cancelled; the door refuses them at once; their
/// seats are on sale again. Money is given back by a refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    #[serde(default)]
    pub ticket_ids: Option<Vec<i64>>,
    pub reason: String,
    #[serde(default)]
    pub desk: Option<String>,
}

/// `POST /orders/{id}/refunds`: money given back by a means (never more than was paid; a
/// supervisor above 50 €). With `ticket_ids`, those tickets are cancelled with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    pub amount_cents: i64,
    pub method: crate::domain::counter::PaymentMethod,
    #[serde(default)]
    pub ticket_ids: Option<Vec<i64>>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub desk: Option<String>,
}

/// `POST /box-office/performances/{id}/blocks`: seats kept off this performance's sale, with
/// why (house seats, press, technical, other). All or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BlockRequest {
    pub seat_ids: Vec<i64>,
    pub reason: crate::domain::plan::BlockReason,
}

/// `POST /box-office/performances/{id}/blocks/release`: blocked seats back on sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    pub seat_ids: Vec<i64>,
}

/// A seat this performance keeps off its sale (the plan's own blocked seats are on the map).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BlockedSeat {
    pub seat_id: i64,
    /// "Parterre, rang C, place 12".
    pub seat: String,
    pub reason: crate::domain::plan::BlockReason,
}

/// A performance's own blocked seats, after a block or a release: what changed, and all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeatBlocks {
    pub performance_id: i64,
    /// Seats this act blocked or released.
    pub changed: Vec<i64>,
    pub blocked: Vec<BlockedSeat>,
}

/// `POST /orders/{id}/exchange`: tickets of the order (`ticket_ids`) given back for new ones of
/// the same show — other seats of the same performance, or another performance
/// (`performance_id`). The new tickets are chosen as at a sale (`seat_ids` or `quantity`, a
/// tariff each). What the old tickets were sold for is credited; the difference is paid with
/// `payments` (as at a sale: cash with what was tendered) or wholly by `difference_method`, or
/// given back by `difference_method`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeRequest {
    pub ticket_ids: Vec<i64>,
    /// The performance of the new tickets; the order's own when absent.
    #[serde(default)]
    pub performance_id: Option<i64>,
    #[serde(default)]
    pub seat_ids: Option<Vec<i64>>,
    #[serde(default)]
    pub quantity: Option<i64>,
    pub tickets: Vec<CounterTicket>,
    #[serde(default)]
    pub payments: Vec<PaymentLine>,
    #[serde(default)]
    pub difference_method: Option<crate::domain::counter::PaymentMethod>,
    pub reason: String,
    #[serde(default)]
    pub desk: Option<String>,
}

/// An exchange done: the new order (paid, its tickets ready to print), the tickets taken back
/// from the old one, and how the difference was settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Exchanged {
    pub order: OrderView,
    /// The order the tickets came from.
    pub from_order: String,
    /// Numbers of the tickets taken back.
    pub cancelled: Vec<String>,
    pub credit_cents: i64,
    /// Collected (> 0) or given back (< 0).
    pub difference_cents: i64,
    pub change_due_cents: i64,
}

/// An order after a cancellation or a refund: its tickets with their status, and its money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AfterSale {
    pub order: crate::dto::OrderView,
    /// Numbers of the tickets this act cancelled.
    pub cancelled: Vec<String>,
    pub paid_cents: i64,
    pub refunded_cents: i64,
    pub refundable_cents: i64,
}

/// An order found by the box office's search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: String,
    pub reference: String,
    pub status: crate::dto::OrderStatus,
    /// `online` or `box_office`.
    pub channel: String,
    pub buyer_name: String,
    pub buyer_email: String,
    pub total_cents: i64,
    pub performance_id: i64,
    pub show_title: String,
    pub starts_at: crate::dto::Ts,
    pub created_at: crate::dto::Ts,
    /// Tickets not cancelled.
    pub valid_tickets: i64,
}

/// A payment or a refund (negative) recorded at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CounterPaymentView {
    pub method: crate::domain::counter::PaymentMethod,
    pub amount_cents: i64,
    pub desk: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// An order as the box office opens it: tickets with their status, payments and refunds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderFile {
    pub order: crate::dto::OrderView,
    pub channel: String,
    pub payments: Vec<CounterPaymentView>,
    pub paid_cents: i64,
    pub refunded_cents: i64,
    pub refundable_cents: i64,
    /// Exchanges from or to this order, oldest first.
    #[serde(default)]
    pub exchanges: Vec<ExchangeLink>,
}

/// An exchange as an order's history shows it: the other order, and the credit moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExchangeLink {
    /// `out`: this order's tickets were exchanged for the other's; `in`: this order came
    /// from the other.
    pub direction: String,
    pub other_order_id: String,
    pub other_reference: String,
    pub credit_cents: i64,
    pub at: crate::dto::Ts,
}

/// One tariff of a performance's statement: its series, the numbers used, the tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TariffLine {
    pub tariff: String,
    pub label: String,
    /// "TM-PLEIN": the printed numbers' prefix.
    pub series: String,
    pub first_number: i64,
    pub last_number: i64,
    /// Tickets issued, cancelled ones included (their numbers are used).
    pub issued: i64,
    pub cancelled: i64,
    /// Of the tickets not cancelled.
    pub receipts_cents: i64,
}

/// Tickets and receipts of one sale channel (`online`, `box_office`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelLine {
    pub channel: String,
    pub tickets: i64,
    pub receipts_cents: i64,
}

/// The house by category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeatCount {
    pub category: String,
    pub free: i64,
    pub held: i64,
    pub sold: i64,
    pub blocked: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatementTotals {
    pub issued: i64,
    pub cancelled: i64,
    pub receipts_cents: i64,
    /// Tickets at 0 €.
    pub invitations: i64,
}

/// The statement of a performance (relevé / bordereau de recettes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Statement {
    pub performance_id: i64,
    pub title: String,
    pub starts_at: crate::dto::Ts,
    pub venue: String,
    pub hall: String,
    pub capacity: i64,
    pub tariffs: Vec<TariffLine>,
    pub channels: Vec<ChannelLine>,
    pub seats: Vec<SeatCount>,
    pub totals: StatementTotals,
    pub generated_at: crate::dto::Ts,
}

/// One Paris day of a sales report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DaySales {
    pub day: String,
    pub online_tickets: i64,
    pub online_cents: i64,
    pub box_office_tickets: i64,
    pub box_office_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShowSales {
    pub title: String,
    pub tickets: i64,
    pub receipts_cents: i64,
}

/// A performance's house: places sold of its capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Occupancy {
    pub performance_id: i64,
    pub title: String,
    pub starts_at: crate::dto::Ts,
    pub capacity: i64,
    pub sold: i64,
    /// Tenths of a percent: 500 is 50.0 %.
    pub permille: i64,
}

/// Sales over a period of Paris days (`from` to `to`, both included): paid tickets not
/// cancelled, by the day their order was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SalesReport {
    pub from: String,
    pub to: String,
    pub days: Vec<DaySales>,
    pub tickets: i64,
    pub receipts_cents: i64,
    pub top_shows: Vec<ShowSales>,
    /// The performances those tickets are for, by start.
    pub occupancy: Vec<Occupancy>,
}

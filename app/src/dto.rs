//! Data shapes shared by the JSON API, server functions and the UI.
use crate::domain::sale_window::SaleState;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(test)]
pub(crate) mod fixtures;
mod packed;
pub use packed::PackedSeatMap;

/// A UTC instant (Unix seconds) that travels as an RFC 3339 string ("2026-12-05T19:30:00Z").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(
    feature = "ssr",
    derive(utoipa::ToSchema),
    schema(
        value_type = String,
        format = DateTime,
        description = "An instant, RFC 3339 in UTC (`2026-12-05T19:30:00Z`). Requests may also \
                       send one with an offset, or Unix seconds.",
        examples("2026-12-05T19:30:00Z")
    )
)]
pub struct Ts(pub i64);

impl Ts {
    pub fn rfc3339(self) -> String {
        chrono::DateTime::<chrono::Utc>::from_timestamp(self.0, 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    }
}

impl Serialize for Ts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Ts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ts, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Str(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(i) => Ok(Ts(i)),
            Raw::Str(s) => chrono::DateTime::parse_from_rfc3339(&s)
                .map(|d| Ts(d.timestamp()))
                .map_err(serde::de::Error::custom),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ShowKind {
    Cinema,
    Theatre,
    Concert,
    Other,
}

impl ShowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ShowKind::Cinema => "cinema",
            ShowKind::Theatre => "theatre",
            ShowKind::Concert => "concert",
            ShowKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<ShowKind> {
        match s {
            "cinema" => Some(ShowKind::Cinema),
            "theatre" => Some(ShowKind::Theatre),
            "concert" => Some(ShowKind::Concert),
            "other" => Some(ShowKind::Other),
            _ => None,
        }
    }
    /// What a venue can be (a venue's own kind is cinema or theatre; it may put on any show).
    pub fn is_venue_kind(self) -> bool {
        matches!(self, ShowKind::Cinema | ShowKind::Theatre)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PerformanceSummary {
    pub id: i64,
    pub show_id: i64,
    pub title: String,
    pub kind: ShowKind,
    pub starts_at: Ts,
    pub duration_min: i64,
    pub age_rating: String,
    pub venue: String,
    pub venue_id: i64,
    pub hall: String,
    pub hall_id: i64,
    pub seated: bool,
    pub capacity: i64,
    /// Places still on sale (free, not held, not sold, not blocked).
    pub available: i64,
    pub sale: SaleState,
    pub min_price_cents: i64,
}

/// A performance as an order or a ticket refers to it (no live counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PerformanceInfo {
    pub id: i64,
    pub show_id: i64,
    pub title: String,
    pub kind: ShowKind,
    pub starts_at: Ts,
    pub duration_min: i64,
    pub age_rating: String,
    pub venue: String,
    pub venue_id: i64,
    pub hall: String,
    pub hall_id: i64,
    pub seated: bool,
}

/// Where a show's poster is served, and its size (so pages reserve its room before it loads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PosterRef {
    /// `/affiches/{show}-{digest}.{jpg|png|webp}`: a new poster is a new URL.
    pub url: String,
    pub width: i64,
    pub height: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShowDetail {
    pub id: i64,
    pub title: String,
    pub kind: ShowKind,
    pub duration_min: i64,
    pub description: String,
    pub age_rating: String,
    /// Films only: visa, distributor, version, 3D.
    #[serde(default)]
    pub film: Option<crate::domain::film::Film>,
    #[serde(default)]
    pub poster: Option<PosterRef>,
    pub performances: Vec<PerformanceSummary>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeQuery {
    /// Paris calendar day, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub kind: Option<ShowKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SeatStatus {
    Free,
    Held,
    Sold,
    Blocked,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Tariff {
    pub code: String,
    pub label: String,
    pub label_en: String,
    pub price_cents: i64,
    pub proof_required: bool,
    /// Who qualifies, in French and English (the venue's words; empty when not said).
    #[serde(default)]
    pub eligibility: String,
    #[serde(default)]
    pub eligibility_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: i64,
    pub number: i64,
    pub label: String,
    pub color: String,
    pub tariffs: Vec<Tariff>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Zone {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stage {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Seat {
    pub id: i64,
    pub zone_id: i64,
    pub zone: String,
    pub row: String,
    pub number: i64,
    pub x: i64,
    pub y: i64,
    pub category_id: i64,
    pub category: i64,
    pub accessible: bool,
    pub companion: bool,
    pub restricted_view: bool,
    pub status: SeatStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeatMap {
    pub performance: PerformanceSummary,
    pub hold_seconds: i64,
    pub max_seats_per_order: i64,
    pub width: i64,
    pub height: i64,
    pub stage: Stage,
    pub zones: Vec<Zone>,
    pub categories: Vec<Category>,
    pub seats: Vec<Seat>,
    /// General admission: the tariffs on sale (seated performances price by category instead).
    pub tariffs: Vec<Tariff>,
}

/// What the performance page polls to follow other buyers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveState {
    pub performance_id: i64,
    pub available: i64,
    /// Seats that are not free (held, sold or blocked); every other seat is free.
    pub taken: Vec<(i64, SeatStatus)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HoldRequest {
    pub performance_id: i64,
    #[serde(default)]
    pub seat_ids: Option<Vec<i64>>,
    #[serde(default)]
    pub quantity: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HoldView {
    pub id: String,
    pub performance_id: i64,
    pub seat_ids: Vec<i64>,
    pub quantity: i64,
    pub expires_at: Ts,
    pub seconds_left: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Buyer {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketRequest {
    #[serde(default)]
    pub seat_id: Option<i64>,
    pub tariff: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderRequest {
    pub hold_id: String,
    pub buyer: Buyer,
    pub tickets: Vec<TicketRequest>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// How tickets are printed: A4 pages (at home, at the office), or 80 mm roll pages for the box
/// office's ticket printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketLayout {
    #[default]
    A4,
    Roll,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    AwaitingPayment,
    Paid,
    Expired,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Expired => "expired",
            OrderStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<OrderStatus> {
        match s {
            "awaiting_payment" => Some(OrderStatus::AwaitingPayment),
            "paid" => Some(OrderStatus::Paid),
            "expired" => Some(OrderStatus::Expired),
            "cancelled" => Some(OrderStatus::Cancelled),
            _ => None,
        }
    }
}

/// What the sandbox's buyer picks; real providers ignore it (their page decides).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentOutcome {
    #[default]
    Approve,
    Decline,
    Abandon,
}

/// `POST /api/v1/orders/{id}/payment`: the order link's token proves the caller owns the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PaymentRequest {
    /// The sandbox only: what the payment does (default `approve`).
    #[serde(default)]
    pub outcome: PaymentOutcome,
    /// Missing or wrong: the order is "not found", as for any other request on it.
    #[serde(default)]
    pub token: String,
}

/// Where a ticket lets its holder sit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeatLabel {
    pub zone: String,
    pub row: String,
    pub number: i64,
}

impl SeatLabel {
    /// "Balcon, rang C, place 12"
    pub fn fr(&self) -> String {
        format!("{}, rang {}, place {}", self.zone, self.row, self.number)
    }
    pub fn en(&self) -> String {
        format!("{}, row {}, seat {}", self.zone, self.row, self.number)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub seat_id: Option<i64>,
    pub seat: Option<SeatLabel>,
    pub tariff: String,
    pub tariff_label: String,
    pub price_cents: i64,
    pub proof_required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketView {
    pub id: i64,
    /// Printed number: venue, tariff series and position ("TM-PLEIN-000042").
    pub number: String,
    pub seat: Option<SeatLabel>,
    pub tariff: String,
    pub tariff_label: String,
    pub price_cents: i64,
    pub holder_name: String,
    pub status: String,
    pub code: String,
}

/// A payment started: decided at once (the sandbox), or to finish on the provider's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PaymentReply {
    /// The order as it now stands (paid, or still awaiting payment after a refusal).
    Done(OrderView),
    /// Send the buyer to `redirect_url` (PayFiP's page); the order page shows the result.
    Redirect {
        redirect_url: String,
        order: OrderView,
    },
}

impl PaymentReply {
    pub fn into_order(self) -> OrderView {
        match self {
            PaymentReply::Done(o) | PaymentReply::Redirect { order: o, .. } => o,
        }
    }
}

/// `202` to `POST /api/v1/orders/{id}/payment` with a redirecting provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PaymentPending {
    /// Always `pending`: the result comes from the provider; read the order to learn it.
    pub status: String,
    /// The provider's payment page to send the buyer to.
    pub redirect_url: String,
}

/// A mail asked for is queued (it leaves within seconds, or when the mail server is back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailQueued {
    /// Always `queued`.
    pub status: String,
    /// The address it goes to.
    pub to: String,
}

/// `POST /api/v1/orders/{id}/resend`: the order link's token proves the caller owns the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderTokenRequest {
    #[serde(default)]
    pub token: String,
}

/// "Retrouver ma commande": the address given at purchase, or an order reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FindOrdersRequest {
    pub query: String,
    /// `fr` (default) or `en`: the language of the mail.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The same `202` whether or not an order was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FindOrdersAccepted {
    /// Always `accepted`.
    pub status: String,
    pub message: String,
}

/// A box office resend: to the order's address, or to `to` when the buyer corrects it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResendRequest {
    #[serde(default)]
    pub to: Option<String>,
}

/// One mail of the outbox, as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OutboxMailView {
    pub id: i64,
    /// `confirmation`, `resend`, `cancellation`, `refund`, `performance_cancelled`, `lookup`.
    pub kind: String,
    pub order_id: Option<String>,
    pub recipient: String,
    pub attempts: i64,
    pub created_at: Ts,
    pub last_error: Option<String>,
}

/// The outbox: how many mails wait and went, and those failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailStatusView {
    pub waiting: i64,
    pub sent: i64,
    pub failing: Vec<OutboxMailView>,
}

/// How this site takes payments online (the UI words its payment step after it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentProvider {
    /// At the box office only.
    #[default]
    None,
    /// The test provider: no money moves.
    Sandbox,
    /// The public treasury's PayFiP (card or direct debit).
    Payfip,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderView {
    pub id: String,
    pub token: String,
    pub reference: String,
    pub status: OrderStatus,
    pub total_cents: i64,
    pub buyer: Buyer,
    pub performance: PerformanceInfo,
    pub hold_id: String,
    pub expires_at: Ts,
    pub lines: Vec<OrderLine>,
    pub tickets: Vec<TicketView>,
    /// The last payment attempt's outcome, if any ("pending" while a provider's page is
    /// open or its result is being checked, "approved", "declined", "abandoned").
    pub last_payment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_travel_as_rfc3339() {
        let json = serde_json::to_string(&Ts(1_796_499_000)).unwrap();
        assert_eq!(json, "\"2026-12-05T19:30:00Z\"");
        assert_eq!(
            serde_json::from_str::<Ts>(&json).unwrap(),
            Ts(1_796_499_000)
        );
        assert_eq!(
            serde_json::from_str::<Ts>("1796499000").unwrap(),
            Ts(1_796_499_000)
        );
        assert_eq!(
            serde_json::from_str::<Ts>("\"2026-12-05T20:30:00+01:00\"").unwrap(),
            Ts(1_796_499_000)
        );
    }

    #[test]
    fn hold_request_accepts_either_form() {
        let r: HoldRequest =
            serde_json::from_str(r#"{"performance_id":1,"seat_ids":[3,4]}"#).unwrap();
        assert_eq!(r.seat_ids, Some(vec![3, 4]));
        let r: HoldRequest = serde_json::from_str(r#"{"performance_id":1,"quantity":2}"#).unwrap();
        assert_eq!(r.quantity, Some(2));
    }
}

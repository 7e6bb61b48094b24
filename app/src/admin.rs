//! The back office's programme shapes: halls as admins pick them, shows, performances one by
//! one or recurring, with their prices.
use crate::domain::plan::generator::GeneratorSpec;
use crate::domain::plan::Plan;
use crate::domain::recurrence::RecurrenceSpec;
use crate::dto::{ShowKind, Ts};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HallSummary {
    pub id: i64,
    pub venue_id: i64,
    pub venue: String,
    pub name: String,
    /// Numbered seats; 0 for a general-admission hall.
    pub seats: i64,
    /// Price category labels, the keys of a performance's `prices`.
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewShowRequest {
    pub title: String,
    /// `cinema`, `theatre`, `concert` or `other`.
    pub kind: String,
    pub duration_min: i64,
    #[serde(default)]
    pub description: String,
    /// e.g. "Tous publics", "12+".
    #[serde(default)]
    pub age_rating: String,
    /// Films only: the visa d'exploitation number (digits).
    #[serde(default)]
    pub visa: Option<String>,
    /// Films only.
    #[serde(default)]
    pub distributor: Option<String>,
    /// Films only: `VF`, `VOST` or `VO`.
    #[serde(default)]
    pub version: Option<String>,
    /// Films only.
    #[serde(default)]
    pub three_d: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShowCreated {
    pub id: i64,
    pub title: String,
    pub kind: ShowKind,
    pub duration_min: i64,
    pub description: String,
    pub age_rating: String,
    pub film: Option<crate::domain::film::Film>,
}

/// A show as the back office lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShowAdmin {
    pub id: i64,
    pub title: String,
    pub kind: ShowKind,
    pub duration_min: i64,
    pub description: String,
    pub age_rating: String,
    pub film: Option<crate::domain::film::Film>,
    pub poster: Option<crate::dto::PosterRef>,
    /// Performances still to come, not cancelled (published or not).
    pub coming_performances: i64,
}

/// `PATCH /admin/shows/{id}`: what is given changes (the kind does not: a film's report fields
/// would lose their meaning). Film fields: an empty string clears one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShowPatch {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub duration_min: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub age_rating: Option<String>,
    #[serde(default)]
    pub visa: Option<String>,
    #[serde(default)]
    pub distributor: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub three_d: Option<bool>,
}

/// `POST /admin/shows/{id}/performances`: start times listed, or a recurrence (or both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PerformancesRequest {
    pub hall_id: i64,
    /// RFC 3339 instants.
    #[serde(default)]
    pub starts_at: Vec<String>,
    #[serde(default)]
    pub recurrence: Option<RecurrenceSpec>,
    /// Category label (general admission: any one label) → tariff code → euro cents.
    pub prices: BTreeMap<String, BTreeMap<String, i64>>,
    #[serde(default)]
    pub published: bool,
    /// RFC 3339; online sale opens now when absent.
    #[serde(default)]
    pub sale_opens_at: Option<String>,
    /// Online sale closes this long before the start (0: at the start).
    #[serde(default)]
    pub sale_closes_minutes_before: Option<i64>,
    /// How long a buyer's seats are held (5–60 min, 15 by default).
    #[serde(default)]
    pub hold_minutes: Option<i64>,
    /// 1–50, 10 by default.
    #[serde(default)]
    pub max_seats_per_order: Option<i64>,
    /// Places of a general-admission hall (required there).
    #[serde(default)]
    pub capacity: Option<i64>,
    /// Tariff code → most tickets sold at that tariff (e.g. `{"enfant": 20}`).
    #[serde(default)]
    pub quotas: BTreeMap<String, i64>,
    /// Who sells it: `online`, `box_office` (both by default).
    #[serde(default)]
    pub channels: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PerformanceAdmin {
    pub id: i64,
    pub show_id: i64,
    pub hall_id: i64,
    pub starts_at: Ts,
    pub sale_opens_at: Ts,
    pub sale_closes_at: Ts,
    pub hold_minutes: i64,
    pub max_seats_per_order: i64,
    pub published: bool,
    pub cancelled: bool,
    /// On sale on the web site (otherwise at the box office only).
    pub sold_online: bool,
}

/// A paid order of a performance: whom the box office calls, or refunds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PerformanceBuyer {
    pub order_id: String,
    pub reference: String,
    pub name: String,
    pub email: String,
    pub total_cents: i64,
    pub tickets: i64,
    /// The performance was cancelled: this order is to be refunded.
    pub refund_due: bool,
}

/// Why the town owes a buyer money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundReason {
    /// The provider took the money after the seats' hold had ended: no tickets were issued.
    PaidTooLate,
    /// The performance was cancelled after the order was paid.
    PerformanceCancelled,
}

/// `GET /admin/refunds`: money to give back, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RefundDue {
    pub order_id: String,
    pub reference: String,
    pub name: String,
    pub email: String,
    pub amount_cents: i64,
    pub reason: RefundReason,
    pub performance_id: i64,
    pub show_title: String,
    pub starts_at: Ts,
    /// When the money was taken (paid too late) or the order paid.
    pub since: Ts,
}

/// `POST /admin/performances/{id}/cancel`: what the cancellation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PerformanceCancelled {
    pub performance: PerformanceAdmin,
    /// Paid orders, now to refund; their buyers to tell.
    pub to_refund: Vec<PerformanceBuyer>,
    /// Orders that were awaiting payment, now cancelled.
    pub unpaid_cancelled: i64,
}

/// `PATCH /admin/performances/{id}`: what changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PerformancePatch {
    #[serde(default)]
    pub published: Option<bool>,
    #[serde(default)]
    pub sale_opens_at: Option<String>,
    #[serde(default)]
    pub sale_closes_at: Option<String>,
    #[serde(default)]
    pub hold_minutes: Option<i64>,
    #[serde(default)]
    pub max_seats_per_order: Option<i64>,
    /// Sold on the web site too (`false`: at the box office only).
    #[serde(default)]
    pub sold_online: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewVenueRequest {
    /// Printed in ticket numbers (`TM-PLEIN-000042`): 2 to 6 capital letters or digits.
    pub code: String,
    pub name: String,
    /// "Nom de l'exploitant", printed on every ticket.
    pub operator_name: String,
    pub address: String,
    /// `cinema` or `theatre`.
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VenueSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VenueCreated {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// `POST /admin/venues/{id}/halls`: a name and one plan — generated, in Guichet's format, or
/// a pretix seating plan as pretix exports it; none for a general-admission hall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewHallRequest {
    pub name: String,
    #[serde(default)]
    pub generator: Option<GeneratorSpec>,
    #[serde(default)]
    pub plan: Option<Plan>,
    #[serde(default)]
    pub pretix: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HallCreated {
    pub id: i64,
    pub venue_id: i64,
    pub name: String,
    pub seats: i64,
    pub categories: Vec<String>,
}

/// `PUT /admin/halls/{id}/seatmap`: the hall's next seat-map version, in Guichet's format or
/// a pretix seating plan as pretix exports it.
#[derive(Debug, Clone, PartialEq)]
pub enum SeatmapUpload {
    Guichet(Vec<u8>),
    Pretix(Vec<u8>),
}

/// A seat-map version saved: what new performances of the hall will be put on sale with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeatmapSaved {
    pub hall_id: i64,
    pub version: i64,
    pub seats: i64,
    pub categories: Vec<String>,
}

/// One version of a hall's seat map, as exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionedPlan {
    pub version: i64,
    /// The hall's current version (new performances are put on sale with it).
    pub current: i64,
    pub plan: Plan,
}

/// A tariff of the catalogue, as admins see and edit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TariffAdmin {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
    pub family: crate::domain::tariff::TariffFamily,
    /// The buyer shows a proof at the door (student card, age).
    pub proof_required: bool,
    pub position: i64,
}

/// A tariff of a venue's catalogue, as admins see and edit it: the town's code and CNC family,
/// the venue's labels, proof flag, who qualifies, and whether the venue sells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VenueTariff {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
    pub family: crate::domain::tariff::TariffFamily,
    pub proof_required: bool,
    /// Who qualifies ("étudiants, demandeurs d'emploi…"), shown to buyers.
    pub eligibility_fr: String,
    pub eligibility_en: String,
    /// Offered for this venue's new performances.
    pub active: bool,
    pub position: i64,
}

/// `POST /admin/venues/{id}/tariffs`: a tariff the venue sells — one of the town's codes, or a
/// new code (then `family` says its CNC family).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewVenueTariff {
    pub code: String,
    pub label_fr: String,
    #[serde(default)]
    pub label_en: Option<String>,
    /// For a new code: `autre` when absent.
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub proof_required: bool,
    #[serde(default)]
    pub eligibility_fr: Option<String>,
    #[serde(default)]
    pub eligibility_en: Option<String>,
}

/// `PATCH /admin/venues/{id}/tariffs/{code}`: what changes (the code never does).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VenueTariffPatch {
    #[serde(default)]
    pub label_fr: Option<String>,
    #[serde(default)]
    pub label_en: Option<String>,
    #[serde(default)]
    pub proof_required: Option<bool>,
    #[serde(default)]
    pub eligibility_fr: Option<String>,
    #[serde(default)]
    pub eligibility_en: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// `POST /admin/tariffs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTariffRequest {
    pub code: String,
    pub label_fr: String,
    /// The French label when absent.
    #[serde(default)]
    pub label_en: Option<String>,
    /// `autre` when absent.
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub proof_required: bool,
}

/// `PATCH /admin/tariffs/{code}`: what changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TariffPatch {
    #[serde(default)]
    pub label_fr: Option<String>,
    #[serde(default)]
    pub label_en: Option<String>,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub proof_required: Option<bool>,
}

/// A performance of one day as the back office lists it, published or not, cancelled or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PerformanceLine {
    pub id: i64,
    pub show_id: i64,
    pub title: String,
    pub venue: String,
    pub hall: String,
    pub starts_at: Ts,
    pub published: bool,
    pub cancelled: bool,
    pub sold_online: bool,
    /// Valid tickets.
    pub sold: i64,
}

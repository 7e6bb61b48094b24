use super::{AuditRecord, RepoResult};
use app::dto::ShowKind;
use async_trait::async_trait;

/// The back office's writes to the programme: shows, performances with their price grids,
/// performance settings. Each act is stored with its audit record, in one transaction.
/// (Reads of halls' categories, shows and performance rules go through `CatalogueRepo`.)
#[async_trait]
pub trait ProgrammeRepo: Send + Sync + 'static {
    async fn halls(&self) -> RepoResult<Vec<HallRow>>;
    async fn venues(&self) -> RepoResult<Vec<VenueRow>>;
    /// `None` when the code is taken.
    async fn create_venue(
        &self,
        venue: &NewVenueRow,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>>;
    /// The hall with its zones, categories and seats, in one transaction; `None` when the
    /// venue has a hall of that name.
    async fn create_hall(
        &self,
        venue_id: i64,
        hall: &super::NewHall,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>>;
    /// Saves `plan` as the hall's next seat-map version and makes it current (zones found by
    /// name, categories by number with their label and colour updated, new seat rows; the
    /// seats of earlier versions stay as they were, with their sales). `None` when the current
    /// version is no longer `base`: another admin saved first.
    async fn add_seatmap_version(
        &self,
        hall_id: i64,
        base: i64,
        plan: &super::NewHall,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>>;
    async fn tariff_codes(&self) -> RepoResult<Vec<String>>;
    async fn tariffs(&self) -> RepoResult<Vec<super::NewTariff>>;
    /// False when the code is taken.
    async fn create_tariff(
        &self,
        tariff: &super::NewTariff,
        audit: &AuditRecord,
    ) -> RepoResult<bool>;
    /// Labels, family, proof flag of the tariff `tariff.code`; false when there is none.
    async fn update_tariff(
        &self,
        tariff: &super::NewTariff,
        audit: &AuditRecord,
    ) -> RepoResult<bool>;
    /// A venue's catalogue in its order, inactive tariffs too (the family is the code's).
    async fn venue_tariffs(&self, venue_id: i64) -> RepoResult<Vec<VenueTariffRow>>;
    /// Adds a tariff to the venue's catalogue — and the code to the town's first when
    /// `new_code` — in one transaction; false when the venue has it already.
    async fn add_venue_tariff(
        &self,
        venue_id: i64,
        row: &VenueTariffRow,
        new_code: Option<&super::NewTariff>,
        audit: &AuditRecord,
    ) -> RepoResult<bool>;
    /// Labels, proof, who qualifies and whether it is offered; false when the venue has no
    /// such tariff.
    async fn update_venue_tariff(
        &self,
        venue_id: i64,
        row: &VenueTariffRow,
        audit: &AuditRecord,
    ) -> RepoResult<bool>;
    /// `None` when a show of that title and kind exists.
    async fn create_show(&self, show: &NewShowRow, audit: &AuditRecord) -> RepoResult<Option<i64>>;
    /// Every show by title, with how many performances are still to come at `now`.
    async fn shows(&self, now: i64) -> RepoResult<Vec<(crate::ports::ShowRow, i64)>>;
    async fn update_show(
        &self,
        id: i64,
        show: &NewShowRow,
        audit: &AuditRecord,
    ) -> RepoResult<ShowWrite>;
    /// Replaces the show's poster (or removes it with `None`).
    async fn set_poster(
        &self,
        show_id: i64,
        poster: Option<&PosterRow>,
        audit: &AuditRecord,
    ) -> RepoResult<ShowWrite>;
    /// All or none: a start the hall already has stops the whole batch.
    async fn create_performances(
        &self,
        rows: &[NewPerformanceRow],
        audit: &AuditRecord,
    ) -> RepoResult<PerformancesWritten>;
    /// Cancels the performance in one transaction: it leaves the programme and the sale,
    /// active holds are released, unpaid orders cancelled, paid ones marked for refund, their
    /// tickets cancelled (kept in their series), its seats freed; each paid buyer with an
    /// e-mail address gets `Mail::PerformanceCancelled`, queued in the same transaction.
    async fn cancel_performance(
        &self,
        id: i64,
        now: i64,
        audit: &AuditRecord,
    ) -> RepoResult<Cancellation>;
    /// Every performance starting in `[from, until)`, cancelled ones too, by start.
    async fn performance_ids_between(&self, from: i64, until: i64) -> RepoResult<Vec<i64>>;
    /// Money to give back: payments taken too late (`refund_needed`) and paid orders of
    /// cancelled performances, oldest first.
    async fn refunds_due(&self) -> RepoResult<Vec<RefundRow>>;
    /// The performance's paid orders (refunded or to refund), oldest first.
    async fn performance_buyers(&self, id: i64) -> RepoResult<Vec<BuyerRow>>;
    /// False when there is no such performance.
    async fn update_performance(
        &self,
        settings: &PerformanceSettings,
        audit: &AuditRecord,
    ) -> RepoResult<bool>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HallRow {
    pub id: i64,
    pub venue_id: i64,
    pub venue: String,
    pub name: String,
    /// Seats of the current seat-map version (0: general admission).
    pub seats: i64,
    /// The current seat-map version: what new performances are put on sale with.
    pub version: i64,
}

/// A tariff of a venue's catalogue as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueTariffRow {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
    /// The code's CNC family (the town's, not the venue's).
    pub family: String,
    pub proof_required: bool,
    pub eligibility_fr: String,
    pub eligibility_en: String,
    pub active: bool,
    pub position: i64,
}

/// How a write to a show ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowWrite {
    Saved,
    NotFound,
    /// Another show has this title and kind.
    Taken,
}

/// A poster as stored: served as `file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosterRow {
    pub file: String,
    pub format: app::domain::poster::PosterFormat,
    pub width: i64,
    pub height: i64,
    pub bytes: Vec<u8>,
    pub uploaded_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShowRow {
    pub title: String,
    pub kind: ShowKind,
    pub duration_min: i64,
    pub description: String,
    pub age_rating: String,
    /// Films only.
    pub film: Option<app::domain::film::Film>,
}

/// A show's film columns as both engines store them: empty text for what is unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilmColumns {
    pub visa: String,
    pub distributor: String,
    pub version: String,
    pub three_d: bool,
}

impl FilmColumns {
    pub fn of(show: &NewShowRow) -> FilmColumns {
        show.film
            .as_ref()
            .map(|f| FilmColumns {
                visa: f
                    .visa
                    .as_ref()
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
                distributor: f.distributor.clone(),
                version: f
                    .version
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
                three_d: f.three_d,
            })
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerformanceRow {
    pub show_id: i64,
    pub hall_id: i64,
    pub starts_at: i64,
    pub sale_opens_at: i64,
    pub sale_closes_at: i64,
    pub hold_seconds: i64,
    pub max_seats_per_order: i64,
    pub seated: bool,
    pub capacity: i64,
    pub published: bool,
    pub seatmap_version: i64,
    pub prices: Vec<PriceRow>,
    /// Tariff code → most tickets at that tariff.
    pub quotas: Vec<(String, i64)>,
    pub sold_online: bool,
    pub sold_at_counter: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow {
    /// `None` for general admission.
    pub category_id: Option<i64>,
    pub tariff: String,
    pub cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PerformancesWritten {
    Created(Vec<i64>),
    /// The hall has a performance at this instant already; nothing was written.
    Clash(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerformanceSettings {
    pub id: i64,
    pub published: bool,
    pub sale_opens_at: i64,
    pub sale_closes_at: i64,
    pub hold_seconds: i64,
    pub max_seats_per_order: i64,
    pub sold_online: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cancellation {
    NotFound,
    AlreadyCancelled,
    /// The orders now to refund, and how many unpaid orders were cancelled.
    Done {
        to_refund: Vec<BuyerRow>,
        unpaid_cancelled: i64,
    },
}

/// A paid order of a performance, as the box office calls or refunds its buyer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyerRow {
    pub order_id: String,
    pub reference: String,
    pub name: String,
    pub email: String,
    pub total_cents: i64,
    pub tickets: i64,
    pub refund_due: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRow {
    pub order_id: String,
    pub reference: String,
    pub name: String,
    pub email: String,
    pub amount_cents: i64,
    /// The payment was taken after the hold ended (otherwise: the performance was cancelled).
    pub paid_too_late: bool,
    pub performance_id: i64,
    pub show_title: String,
    pub starts_at: i64,
    pub since: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueRow {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVenueRow {
    pub code: String,
    pub name: String,
    pub operator_name: String,
    pub address: String,
    pub kind: ShowKind,
}

use super::RepoResult;
use app::dto::ShowKind;
use async_trait::async_trait;

/// Putting a programme in place: venues with their halls and seat plans, tariffs, shows and
/// performances with their price grids — one batch, one transaction, idempotent (everything is
/// keyed on its natural key: venue code, hall name, show title and kind, hall and start time).
/// Used by the demo seeder and the tests; the back office will add finer operations.
#[async_trait]
pub trait SetupRepo: Send + Sync + 'static {
    async fn apply(&self, batch: &CatalogueBatch) -> RepoResult<AppliedBatch>;
    /// Row counts of the sales tables (diagnostics and tests).
    async fn sales_counts(&self) -> RepoResult<SalesCounts>;
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogueBatch {
    pub tariffs: Vec<NewTariff>,
    pub venues: Vec<NewVenue>,
    pub shows: Vec<NewShow>,
    pub performances: Vec<NewPerformance>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewTariff {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
    /// CNC family (D212-71): gratuit, scolaire, illimite, autre.
    pub family: String,
    pub proof_required: bool,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewVenue {
    pub code: String,
    pub name: String,
    pub operator_name: String,
    pub address: String,
    pub kind: ShowKind,
    pub halls: Vec<NewHall>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewHall {
    pub name: String,
    pub width: i64,
    pub height: i64,
    /// x, y, width, height.
    pub stage: (i64, i64, i64, i64),
    pub stage_label: String,
    /// In order.
    pub zones: Vec<String>,
    pub categories: Vec<NewCategory>,
    /// Inserted only if the hall has no seats yet.
    pub seats: Vec<NewSeat>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCategory {
    pub number: i64,
    pub label: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewSeat {
    /// A zone name of the hall.
    pub zone: String,
    /// A category number of the hall.
    pub category: i64,
    pub row: String,
    pub number: i64,
    pub x: i64,
    pub y: i64,
    pub accessible: bool,
    pub companion: bool,
    pub restricted_view: bool,
    pub blocked: bool,
    pub block_reason: Option<app::domain::plan::BlockReason>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewShow {
    pub title: String,
    pub kind: ShowKind,
    pub duration_min: i64,
    pub description: String,
    pub age_rating: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPerformance {
    pub venue_code: String,
    pub hall: String,
    pub show_title: String,
    pub show_kind: ShowKind,
    pub starts_at: i64,
    pub sale_opens_at: i64,
    pub sale_closes_at: i64,
    pub hold_seconds: i64,
    pub max_seats_per_order: i64,
    pub seated: bool,
    /// General admission capacity; seated performances count the hall's seats.
    pub capacity: i64,
    pub prices: Vec<NewPrice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPrice {
    /// A category number of the hall; `None` for general admission.
    pub category: Option<i64>,
    pub tariff: String,
    pub cents: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppliedBatch {
    /// The id of each performance of the batch, in batch order (new or already there).
    pub performance_ids: Vec<i64>,
    /// How many of them were created now.
    pub created: usize,
}

/// Row counts of the sales tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SalesCounts {
    pub holds: i64,
    pub seat_claims: i64,
    pub orders: i64,
    pub order_items: i64,
    pub payments: i64,
    pub tickets: i64,
}

use super::RepoResult;
use app::domain::pricing::GridCell;
use app::domain::sale_window::sale_state;
use app::domain::seating::SeatPos;
use app::domain::PerformanceId;
use app::dto::{PerformanceInfo, PerformanceSummary, ShowKind, Stage, Ts, Zone};
use async_trait::async_trait;
use std::collections::HashMap;

/// The programme and what sales need to know about a performance.
#[async_trait]
pub trait CatalogueRepo: Send + Sync + 'static {
    /// Performances starting in `[from, until)`, published and not cancelled, of one kind or all, with their
    /// live counts at `now`.
    async fn programme(
        &self,
        now: i64,
        from: i64,
        until: i64,
        kind: Option<ShowKind>,
    ) -> RepoResult<Vec<PerformanceRow>>;
    async fn performances_of_show(
        &self,
        now: i64,
        show_id: i64,
        from: i64,
    ) -> RepoResult<Vec<PerformanceRow>>;
    async fn performance(&self, now: i64, id: PerformanceId) -> RepoResult<Option<PerformanceRow>>;
    async fn performance_rules(&self, id: PerformanceId) -> RepoResult<Option<PerformanceRules>>;
    async fn show(&self, id: i64) -> RepoResult<Option<ShowRow>>;
    /// The poster the show has now under `file`: `(format, bytes)`.
    async fn poster(&self, show_id: i64, file: &str) -> RepoResult<Option<(String, Vec<u8>)>>;
    /// One version of a hall's seat map (a performance keeps the version it was put on sale with).
    async fn hall_plan(&self, hall_id: i64, version: i64) -> RepoResult<Option<HallPlan>>;
    /// Every price category the hall has had, in any version.
    async fn categories(&self, hall_id: i64) -> RepoResult<Vec<CategoryRow>>;
    async fn price_grid(&self, performance: PerformanceId) -> RepoResult<Vec<GridCell>>;
    /// Performances (not cancelled) starting in `[from, until)`, e.g. one Paris day.
    async fn performances_between(&self, from: i64, until: i64) -> RepoResult<Vec<i64>>;
}

/// What does not change while a performance is on sale: its rules and what orders and tickets
/// print about it.
#[derive(Debug, Clone, PartialEq)]
pub struct PerformanceRules {
    pub id: i64,
    pub show_id: i64,
    pub title: String,
    pub kind: ShowKind,
    pub duration_min: i64,
    pub age_rating: String,
    pub venue: String,
    pub venue_id: i64,
    pub venue_code: String,
    pub operator_name: String,
    pub venue_address: String,
    pub hall: String,
    pub hall_id: i64,
    pub seated: bool,
    pub capacity: i64,
    pub starts_at: i64,
    pub sale_opens_at: i64,
    pub sale_closes_at: i64,
    pub hold_seconds: i64,
    pub max_seats_per_order: i64,
    pub cancelled: bool,
    /// Listed and sold only once published.
    pub published: bool,
    /// The hall's seat-map version this performance sells.
    pub seatmap_version: i64,
    /// Sold on the web site and the API (otherwise at the box office only).
    pub sold_online: bool,
    /// Sold at the box office.
    pub sold_at_counter: bool,
}

impl PerformanceRules {
    pub fn info(&self) -> PerformanceInfo {
        PerformanceInfo {
            id: self.id,
            show_id: self.show_id,
            title: self.title.clone(),
            kind: self.kind,
            starts_at: Ts(self.starts_at),
            duration_min: self.duration_min,
            age_rating: self.age_rating.clone(),
            venue: self.venue.clone(),
            venue_id: self.venue_id,
            hall: self.hall.clone(),
            hall_id: self.hall_id,
            seated: self.seated,
        }
    }
}

/// A performance with the counts its availability is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct PerformanceRow {
    pub rules: PerformanceRules,
    /// Seated: unexpired claims (held or sold seats).
    pub claimed: i64,
    /// Seated: seats of the plan never sold.
    pub blocked: i64,
    /// General admission: valid tickets and places in active holds.
    pub sold: i64,
    pub held: i64,
    pub min_price_cents: Option<i64>,
}

impl PerformanceRow {
    pub fn available(&self) -> i64 {
        let taken = if self.rules.seated {
            self.claimed + self.blocked
        } else {
            self.sold + self.held
        };
        (self.rules.capacity - taken).max(0)
    }

    pub fn summary(&self, now: i64) -> PerformanceSummary {
        let r = &self.rules;
        let info = r.info();
        PerformanceSummary {
            id: info.id,
            show_id: info.show_id,
            title: info.title,
            kind: info.kind,
            starts_at: info.starts_at,
            duration_min: info.duration_min,
            age_rating: info.age_rating,
            venue: info.venue,
            venue_id: info.venue_id,
            hall: info.hall,
            hall_id: info.hall_id,
            seated: info.seated,
            capacity: r.capacity,
            available: self.available(),
            sale: if r.published {
                sale_state(now, r.sale_opens_at, r.sale_closes_at, r.starts_at)
            } else {
                app::domain::sale_window::SaleState::NotYetOpen
            },
            min_price_cents: self.min_price_cents.unwrap_or(0),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShowRow {
    pub id: i64,
    pub title: String,
    pub kind: ShowKind,
    pub duration_min: i64,
    pub description: String,
    pub age_rating: String,
    /// Films: the fields cinema reports need (`None` for other kinds).
    pub film: Option<app::domain::film::Film>,
    pub poster: Option<app::dto::PosterRef>,
}

/// A seat of a hall's plan, as the sale rules need it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatInfo {
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
    pub blocked: bool,
    pub block_reason: Option<app::domain::plan::BlockReason>,
}

/// A hall's seat plan, indexed once when loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct HallPlan {
    pub hall_id: i64,
    pub width: i64,
    pub height: i64,
    pub stage: Stage,
    pub zones: Vec<Zone>,
    pub seats: Vec<SeatInfo>,
    /// Seat id → position in `seats`.
    index: HashMap<i64, usize>,
    /// The seats on sale (not blocked), as the best-seat choice reads them.
    pub positions: Vec<SeatPos>,
}

impl HallPlan {
    pub fn new(
        hall_id: i64,
        width: i64,
        height: i64,
        stage: Stage,
        zones: Vec<Zone>,
        seats: Vec<SeatInfo>,
    ) -> HallPlan {
        let index = seats.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let positions = seats
            .iter()
            .filter(|s| !s.blocked)
            .map(|s| SeatPos {
                id: s.id,
                zone_id: s.zone_id,
                row: s.row.clone(),
                x: s.x,
                y: s.y,
            })
            .collect();
        HallPlan {
            hall_id,
            width,
            height,
            stage,
            zones,
            seats,
            index,
            positions,
        }
    }

    pub fn seat(&self, id: i64) -> Option<&SeatInfo> {
        self.index.get(&id).map(|i| &self.seats[*i])
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRow {
    pub id: i64,
    pub number: i64,
    pub label: String,
    pub color: String,
}

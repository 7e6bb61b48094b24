//! The public programme, show pages, seat maps and the live seat states buyers follow.
mod cache;
mod live_feed;
#[cfg(test)]
mod tests;

pub use cache::CatalogueCache;
pub use live_feed::{FeedSettings, Follower, LiveFeed};

use crate::ports::{CatalogueRepo, CategoryRow, Clock, HallPlan, PerformanceRules};
use crate::usecases::booking::{SeatBoard, SeatStates};
use crate::usecases::Settings;
use app::domain::pricing::GridCell;
use app::domain::{hold, paris, poster, PerformanceId};
use app::dto::*;
use app::ports::{Catalogue, CatalogueError, PosterFile};
use async_trait::async_trait;
use moka::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

/// How stale the programme and the seat maps' fixed parts may be: a second, like the live
/// view (a quarter of a second) — the pages everyone loads at 10:00 cost one read a second,
/// not one each. Seat states on a seat map are always the live ones.
const PAGE_DATA_TTL: Duration = Duration::from_secs(1);

fn page_data<K, V>() -> Cache<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Cache::builder()
        .max_capacity(1_000)
        .time_to_live(PAGE_DATA_TTL)
        .build()
}

/// A programme question: the Paris day (none: the coming weeks) and the kind of show.
type ProgrammeKey = (Option<String>, Option<ShowKind>);

pub struct CatalogueService {
    repo: Arc<dyn CatalogueRepo>,
    cache: Arc<CatalogueCache>,
    board: Arc<SeatBoard>,
    clock: Arc<dyn Clock>,
    settings: Settings,
    programmes: Cache<ProgrammeKey, Arc<Vec<PerformanceSummary>>>,
    seatmaps: Cache<i64, Arc<SeatMap>>,
}

impl CatalogueService {
    pub fn new(
        repo: Arc<dyn CatalogueRepo>,
        cache: Arc<CatalogueCache>,
        board: Arc<SeatBoard>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> CatalogueService {
        CatalogueService {
            repo,
            cache,
            board,
            clock,
            settings,
            programmes: page_data(),
            seatmaps: page_data(),
        }
    }

    /// After a programme edit: this server lists afresh at once (the others within the
    /// second page data is kept).
    pub fn forget_listings(&self) {
        self.programmes.invalidate_all();
        self.seatmaps.invalidate_all();
    }

    async fn rules(&self, id: i64) -> Result<Arc<PerformanceRules>, CatalogueError> {
        self.cache
            .rules(PerformanceId(id))
            .await?
            .ok_or(CatalogueError::PerformanceNotFound(id))
    }

    async fn plan(&self, rules: &PerformanceRules) -> Result<Arc<HallPlan>, CatalogueError> {
        self.cache
            .plan(rules.hall_id, rules.seatmap_version)
            .await?
            .ok_or(CatalogueError::PerformanceNotFound(rules.id))
    }

    /// A seat map as it is kept for a second: geometry, categories, prices, blocked seats;
    /// every other seat free (`seatmap` puts the seat states of now on it).
    async fn seatmap_fixed_parts(&self, performance_id: i64) -> Result<SeatMap, CatalogueError> {
        let now = self.clock.now();
        let id = PerformanceId(performance_id);
        let perf = self
            .repo
            .performance(now, id)
            .await?
            .ok_or(CatalogueError::PerformanceNotFound(performance_id))?;
        let rules = &perf.rules;
        let plan = self.plan(rules).await?;
        let categories = self.repo.categories(rules.hall_id).await?;
        let grid = self.repo.price_grid(id).await?;
        let seats = if rules.seated {
            plan.seats
                .iter()
                .map(|s| Seat {
                    id: s.id,
                    zone_id: s.zone_id,
                    zone: s.zone.clone(),
                    row: s.row.clone(),
                    number: s.number,
                    x: s.x,
                    y: s.y,
                    category_id: s.category_id,
                    category: s.category,
                    accessible: s.accessible,
                    companion: s.companion,
                    restricted_view: s.restricted_view,
                    status: if s.blocked {
                        SeatStatus::Blocked
                    } else {
                        SeatStatus::Free
                    },
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(SeatMap {
            hold_seconds: hold::duration(rules.hold_seconds, self.settings.hold_cap_seconds),
            max_seats_per_order: rules.max_seats_per_order,
            width: plan.width,
            height: plan.height,
            stage: plan.stage.clone(),
            zones: plan.zones.clone(),
            categories: categories_with_tariffs(&categories, &grid),
            seats,
            tariffs: grid
                .iter()
                .filter(|p| p.category_id.is_none())
                .map(|p| p.tariff.clone())
                .collect(),
            performance: perf.summary(now),
        })
    }

    /// Seated performances: the seats that are not free, built once per change of the states.
    async fn seated_live(
        &self,
        perf: &PerformanceRules,
        states: &SeatStates,
    ) -> Result<LiveState, CatalogueError> {
        if let Some(live) = states.live.get() {
            return Ok(live.clone());
        }
        let plan = self.plan(perf).await?;
        Ok(states
            .live
            .get_or_init(|| live_view(perf, &plan, states))
            .clone())
    }
}

/// Held, sold and blocked seats, by id; what is left is free.
fn live_view(perf: &PerformanceRules, plan: &HallPlan, states: &SeatStates) -> LiveState {
    let mut taken: Vec<(i64, SeatStatus)> = states.claims.iter().map(|(k, v)| (*k, *v)).collect();
    taken.extend(
        plan.seats
            .iter()
            .filter(|s| s.blocked)
            .map(|s| (s.id, SeatStatus::Blocked)),
    );
    taken.sort_unstable_by_key(|(id, _)| *id);
    LiveState {
        performance_id: perf.id,
        available: (perf.capacity - taken.len() as i64).max(0),
        taken,
    }
}

/// The categories of a seat map with the tariffs their seats are sold at.
fn categories_with_tariffs(categories: &[CategoryRow], grid: &[GridCell]) -> Vec<Category> {
    categories
        .iter()
        .map(|c| Category {
            id: c.id,
            number: c.number,
            label: c.label.clone(),
            color: c.color.clone(),
            tariffs: grid
                .iter()
                .filter(|p| p.category_id == Some(c.id))
                .map(|p| p.tariff.clone())
                .collect(),
        })
        .collect()
}

/// What the programme lists by default: from an hour ago to two months ahead.
const PROGRAMME_AHEAD: i64 = 62 * 86_400;

#[async_trait]
impl Catalogue for CatalogueService {
    async fn programme(
        &self,
        query: ProgrammeQuery,
    ) -> Result<Vec<PerformanceSummary>, CatalogueError> {
        let key = (query.date.filter(|d| !d.is_empty()), query.kind);
        if let Some(listed) = self.programmes.get(&key) {
            return Ok(listed.as_ref().clone());
        }
        let now = self.clock.now();
        let (from, until) = match key.0.as_deref() {
            Some(d) => {
                let day = paris::parse_day(d)
                    .ok_or_else(|| CatalogueError::InvalidDate(d.to_string()))?;
                let (a, b) = paris::day_bounds(day);
                // Today: performances that started up to six hours ago are still listed.
                (a.max(now - 6 * 3600), b)
            }
            None => (now - 3600, now + PROGRAMME_AHEAD),
        };
        let rows = self.repo.programme(now, from, until, query.kind).await?;
        let listed: Vec<PerformanceSummary> = rows.iter().map(|r| r.summary(now)).collect();
        self.programmes.insert(key, Arc::new(listed.clone()));
        Ok(listed)
    }

    async fn show(&self, show_id: i64) -> Result<ShowDetail, CatalogueError> {
        let now = self.clock.now();
        let show = self
            .repo
            .show(show_id)
            .await?
            .ok_or(CatalogueError::ShowNotFound(show_id))?;
        let performances = self
            .repo
            .performances_of_show(now, show_id, now - 3600)
            .await?
            .iter()
            .map(|r| r.summary(now))
            .collect();
        Ok(ShowDetail {
            id: show.id,
            title: show.title,
            kind: show.kind,
            duration_min: show.duration_min,
            description: show.description,
            age_rating: show.age_rating,
            film: show.film,
            poster: show.poster,
            performances,
        })
    }

    async fn poster(&self, file: &str) -> Result<PosterFile, CatalogueError> {
        let missing = || CatalogueError::PosterNotFound(file.to_string());
        let (show_id, format) = poster::parse_file_name(file).ok_or_else(missing)?;
        let (stored, bytes) = self.repo.poster(show_id, file).await?.ok_or_else(missing)?;
        // The name says the format; the stored row must agree (it always does: one writer).
        if stored != format.code() {
            return Err(missing());
        }
        Ok(PosterFile {
            format,
            bytes: bytes.into(),
        })
    }

    async fn seatmap(&self, performance_id: i64) -> Result<SeatMap, CatalogueError> {
        let kept = match self.seatmaps.get(&performance_id) {
            Some(kept) => kept,
            None => {
                let built = Arc::new(self.seatmap_fixed_parts(performance_id).await?);
                self.seatmaps.insert(performance_id, built.clone());
                built
            }
        };
        // The kept map with the seat states of now.
        let mut map = kept.as_ref().clone();
        if map.performance.seated {
            let id = PerformanceId(performance_id);
            let states = self.board.states(id).await?;
            for seat in &mut map.seats {
                if seat.status != SeatStatus::Blocked {
                    seat.status = states.status(seat.id);
                }
            }
            let perf = self.rules(performance_id).await?;
            map.performance.available = self.seated_live(&perf, &states).await?.available;
        }
        Ok(map)
    }

    async fn live_state(&self, performance_id: i64) -> Result<LiveState, CatalogueError> {
        let perf = self.rules(performance_id).await?;
        if !perf.seated {
            let now = self.clock.now();
            let row = self
                .repo
                .performance(now, PerformanceId(performance_id))
                .await?
                .ok_or(CatalogueError::PerformanceNotFound(performance_id))?;
            return Ok(LiveState {
                performance_id,
                available: row.available(),
                taken: Vec::new(),
            });
        }
        let states = self.board.states(PerformanceId(performance_id)).await?;
        self.seated_live(&perf, &states).await
    }

    async fn live_json(&self, performance_id: i64) -> Result<Arc<[u8]>, CatalogueError> {
        let perf = self.rules(performance_id).await?;
        let json =
            |live: &LiveState| -> Arc<[u8]> { serde_json::to_vec(live).unwrap_or_default().into() };
        if !perf.seated {
            return Ok(json(&self.live_state(performance_id).await?));
        }
        let states = self.board.states(PerformanceId(performance_id)).await?;
        if let Some(bytes) = states.live_json.get() {
            return Ok(bytes.clone());
        }
        let live = self.seated_live(&perf, &states).await?;
        Ok(states.live_json.get_or_init(|| json(&live)).clone())
    }
}

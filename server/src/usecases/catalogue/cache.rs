//! Read-through cache of what sales read on every step and administration rarely changes:
//! hall plans, performance rules, price grids.
use crate::ports::{CatalogueRepo, HallPlan, PerformanceRules, RepoResult};
use app::domain::pricing::GridCell;
use app::domain::PerformanceId;
use moka::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

pub struct CatalogueCache {
    repo: Arc<dyn CatalogueRepo>,
    /// By hall and version: a version never changes once written (a performance keeps its own).
    plans: Cache<(i64, i64), Arc<HallPlan>>,
    /// Rules and prices: a few seconds, so an edit shows quickly on every server.
    rules: Cache<i64, Arc<PerformanceRules>>,
    grids: Cache<i64, Arc<Vec<GridCell>>>,
}

impl CatalogueCache {
    pub fn new(repo: Arc<dyn CatalogueRepo>) -> CatalogueCache {
        CatalogueCache {
            repo,
            plans: Cache::builder()
                .max_capacity(1_000)
                .time_to_live(Duration::from_secs(3600))
                .build(),
            rules: short_lived(),
            grids: short_lived(),
        }
    }

    pub async fn plan(&self, hall_id: i64, version: i64) -> RepoResult<Option<Arc<HallPlan>>> {
        let key = (hall_id, version);
        if let Some(p) = self.plans.get(&key) {
            return Ok(Some(p));
        }
        let Some(plan) = self.repo.hall_plan(hall_id, version).await? else {
            return Ok(None);
        };
        let plan = Arc::new(plan);
        self.plans.insert(key, plan.clone());
        Ok(Some(plan))
    }

    pub async fn rules(&self, id: PerformanceId) -> RepoResult<Option<Arc<PerformanceRules>>> {
        if let Some(r) = self.rules.get(&id.0) {
            return Ok(Some(r));
        }
        let Some(rules) = self.repo.performance_rules(id).await? else {
            return Ok(None);
        };
        let rules = Arc::new(rules);
        self.rules.insert(id.0, rules.clone());
        Ok(Some(rules))
    }

    /// Forgets what an edit changed, so that this server applies it at once (the others within
    /// the few seconds rules are kept).
    pub fn forget_performance(&self, id: PerformanceId) {
        self.rules.invalidate(&id.0);
        self.grids.invalidate(&id.0);
    }

    /// After a show edit (its title is in every performance's rules).
    pub fn forget_all_rules(&self) {
        self.rules.invalidate_all();
    }

    /// After a venue's tariff edit (labels and proof print from the grids).
    pub fn forget_all_grids(&self) {
        self.grids.invalidate_all();
    }

    pub async fn grid(&self, id: PerformanceId) -> RepoResult<Arc<Vec<GridCell>>> {
        if let Some(g) = self.grids.get(&id.0) {
            return Ok(g);
        }
        let grid = Arc::new(self.repo.price_grid(id).await?);
        self.grids.insert(id.0, grid.clone());
        Ok(grid)
    }
}

fn short_lived<V: Clone + Send + Sync + 'static>() -> Cache<i64, V> {
    Cache::builder()
        .max_capacity(10_000)
        .time_to_live(Duration::from_secs(5))
        .build()
}

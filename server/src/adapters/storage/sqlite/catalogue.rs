//! Reads of the programme and seat plans.
use super::SqliteStore;
use crate::adapters::storage::rows::reads;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::pricing::GridCell;
use app::domain::PerformanceId;
use app::dto::ShowKind;
use async_trait::async_trait;

#[derive(sqlx::FromRow)]
pub(super) struct RulesRow {
    id: i64,
    show_id: i64,
    title: String,
    kind: String,
    duration_min: i64,
    age_rating: String,
    venue: String,
    venue_id: i64,
    venue_code: String,
    operator_name: String,
    address: String,
    hall: String,
    hall_id: i64,
    seated: bool,
    capacity: i64,
    starts_at: i64,
    sale_opens_at: i64,
    sale_closes_at: i64,
    hold_seconds: i64,
    max_seats_per_order: i64,
    cancelled: bool,
    published: bool,
    seatmap_version: i64,
    sold_online: bool,
    sold_at_counter: bool,
}

impl From<RulesRow> for PerformanceRules {
    fn from(r: RulesRow) -> PerformanceRules {
        PerformanceRules {
            id: r.id,
            show_id: r.show_id,
            title: r.title,
            kind: ShowKind::parse(&r.kind).unwrap_or(ShowKind::Theatre),
            duration_min: r.duration_min,
            age_rating: r.age_rating,
            venue: r.venue,
            venue_id: r.venue_id,
            venue_code: r.venue_code,
            operator_name: r.operator_name,
            venue_address: r.address,
            hall: r.hall,
            hall_id: r.hall_id,
            seated: r.seated,
            capacity: r.capacity,
            starts_at: r.starts_at,
            sale_opens_at: r.sale_opens_at,
            sale_closes_at: r.sale_closes_at,
            hold_seconds: r.hold_seconds,
            max_seats_per_order: r.max_seats_per_order,
            cancelled: r.cancelled,
            published: r.published,
            seatmap_version: r.seatmap_version,
            sold_online: r.sold_online,
            sold_at_counter: r.sold_at_counter,
        }
    }
}

#[derive(sqlx::FromRow)]
struct PerformanceCountsRow {
    #[sqlx(flatten)]
    rules: RulesRow,
    claimed: i64,
    blocked: i64,
    sold: i64,
    held: i64,
    min_price: Option<i64>,
}

impl From<PerformanceCountsRow> for PerformanceRow {
    fn from(r: PerformanceCountsRow) -> PerformanceRow {
        PerformanceRow {
            rules: r.rules.into(),
            claimed: r.claimed,
            blocked: r.blocked,
            sold: r.sold,
            held: r.held,
            min_price_cents: r.min_price,
        }
    }
}

pub(super) const RULES_SELECT: &str = "
SELECT p.id, p.show_id, s.title, s.kind, s.duration_min, s.age_rating, v.name AS venue, v.id AS venue_id,
       v.code AS venue_code, v.operator_name, v.address, h.name AS hall, h.id AS hall_id, p.seated,
       p.capacity, p.starts_at, p.sale_opens_at, p.sale_closes_at, p.hold_seconds,
       p.max_seats_per_order, p.cancelled, p.published, p.seatmap_version, p.sold_online,
       p.sold_at_counter";
pub(super) const RULES_FROM: &str = "
  FROM performances p
  JOIN shows s ON s.id = p.show_id
  JOIN halls h ON h.id = p.hall_id
  JOIN venues v ON v.id = h.venue_id";

/// The rules' columns plus the counts; `?1` is "now" in every query that uses it.
fn with_counts(filter: &str) -> String {
    format!(
        "{RULES_SELECT},
       (SELECT COUNT(*) FROM seat_claims c
         WHERE c.performance_id = p.id AND (c.expires_at IS NULL OR c.expires_at > ?1)) AS claimed,
       (SELECT COUNT(*) FROM seats st WHERE st.hall_id = p.hall_id AND st.version = p.seatmap_version AND st.blocked = 1) AS blocked,
       (SELECT COUNT(*) FROM tickets t WHERE t.performance_id = p.id AND t.status = 'valid') AS sold,
       (SELECT COALESCE(SUM(hd.quantity), 0) FROM holds hd
         WHERE hd.performance_id = p.id AND hd.status = 'active' AND hd.expires_at > ?1) AS held,
       (SELECT MIN(pr.price_cents) FROM prices pr WHERE pr.performance_id = p.id) AS min_price
       {RULES_FROM} {filter}"
    )
}

#[async_trait]
impl CatalogueRepo for SqliteStore {
    async fn programme(
        &self,
        now: i64,
        from: i64,
        until: i64,
        kind: Option<ShowKind>,
    ) -> RepoResult<Vec<PerformanceRow>> {
        let sql = with_counts(
            "WHERE p.cancelled = 0 AND p.published = 1 AND p.starts_at >= ?2 AND p.starts_at < ?3 AND (?4 = '' OR s.kind = ?4)
             ORDER BY p.starts_at, p.id LIMIT 1000",
        );
        let rows: Vec<PerformanceCountsRow> = sqlx::query_as(&sql)
            .bind(now)
            .bind(from)
            .bind(until)
            .bind(kind.map(ShowKind::as_str).unwrap_or(""))
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn performances_of_show(
        &self,
        now: i64,
        show_id: i64,
        from: i64,
    ) -> RepoResult<Vec<PerformanceRow>> {
        let sql = with_counts(
            "WHERE p.show_id = ?2 AND p.cancelled = 0 AND p.published = 1 AND p.starts_at >= ?3 ORDER BY p.starts_at",
        );
        let rows: Vec<PerformanceCountsRow> = sqlx::query_as(&sql)
            .bind(now)
            .bind(show_id)
            .bind(from)
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn performance(&self, now: i64, id: PerformanceId) -> RepoResult<Option<PerformanceRow>> {
        let row: Option<PerformanceCountsRow> = sqlx::query_as(&with_counts("WHERE p.id = ?2"))
            .bind(now)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .or_fail()?;
        Ok(row.map(Into::into))
    }

    async fn performance_rules(&self, id: PerformanceId) -> RepoResult<Option<PerformanceRules>> {
        let sql = format!("{RULES_SELECT} {RULES_FROM} WHERE p.id = ?1");
        let row: Option<RulesRow> = sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .or_fail()?;
        Ok(row.map(Into::into))
    }

    async fn show(&self, id: i64) -> RepoResult<Option<ShowRow>> {
        reads::show(&self.pool, id).await
    }

    async fn poster(&self, show_id: i64, file: &str) -> RepoResult<Option<(String, Vec<u8>)>> {
        reads::poster(&self.pool, show_id, file).await
    }

    async fn hall_plan(&self, hall_id: i64, version: i64) -> RepoResult<Option<HallPlan>> {
        reads::plan(&self.pool, hall_id, version).await
    }

    async fn categories(&self, hall_id: i64) -> RepoResult<Vec<CategoryRow>> {
        reads::categories(&self.pool, hall_id).await
    }

    async fn price_grid(&self, performance: PerformanceId) -> RepoResult<Vec<GridCell>> {
        reads::grid(&self.pool, performance.0).await
    }

    async fn performances_between(&self, from: i64, until: i64) -> RepoResult<Vec<i64>> {
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM performances WHERE starts_at >= ?1 AND starts_at < ?2 AND cancelled = 0 ORDER BY starts_at",
        )
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }
}

//! Read side: programme, performances, seat maps, live seat states.
use super::{RowExt, Store, StoreError, StoreResult};
use app::domain::rules::sale_state;
use app::dto::{Category, PerformanceSummary, SeatStatus, ShowKind, Stage, Tariff, Ts, Zone};
use sqlx::any::AnyRow;

/// A performance with the counts its availability is computed from.
#[derive(Debug, Clone)]
pub struct PerformanceRow {
    pub rules: PerformanceRules,
    claimed: i64,
    blocked: i64,
    sold: i64,
    held: i64,
    min_price: Option<i64>,
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
            sale: sale_state(now, r.sale_opens_at, r.sale_closes_at, r.starts_at),
            min_price_cents: self.min_price.unwrap_or(0),
        }
    }

    fn from_row(r: &AnyRow) -> StoreResult<PerformanceRow> {
        Ok(PerformanceRow {
            rules: PerformanceRules::from_row(r)?,
            claimed: r.i("claimed")?,
            blocked: r.i("blocked")?,
            sold: r.i("sold")?,
            held: r.i("held")?,
            min_price: r.oi("min_price")?,
        })
    }
}

/// Columns of `PerformanceRules` and the joins they need.
const RULES_SELECT: &str = "
SELECT p.id, p.show_id, s.title, s.kind, s.duration_min, s.age_rating, v.name AS venue, v.id AS venue_id,
       v.code AS venue_code, v.operator_name, v.address, h.name AS hall, h.id AS hall_id, p.seated,
       p.capacity, p.starts_at, p.sale_opens_at, p.sale_closes_at, p.hold_seconds,
       p.max_seats_per_order, p.cancelled";
const RULES_FROM: &str = "
  FROM performances p
  JOIN shows s ON s.id = p.show_id
  JOIN halls h ON h.id = p.hall_id
  JOIN venues v ON v.id = h.venue_id";

/// The rules' columns plus the counts; `$1` is "now" in every query that uses it.
fn performance_select() -> String {
    format!(
        "{RULES_SELECT},
       (SELECT COUNT(*) FROM seat_claims c
         WHERE c.performance_id = p.id AND (c.expires_at IS NULL OR c.expires_at > $1)) AS claimed,
       (SELECT COUNT(*) FROM seats st WHERE st.hall_id = p.hall_id AND st.blocked = 1) AS blocked,
       (SELECT COUNT(*) FROM tickets t WHERE t.performance_id = p.id AND t.status = 'valid') AS sold,
       (SELECT CAST(COALESCE(SUM(hd.quantity), 0) AS BIGINT) FROM holds hd
         WHERE hd.performance_id = p.id AND hd.status = 'active' AND hd.expires_at > $1) AS held,
       (SELECT MIN(pr.price_cents) FROM prices pr WHERE pr.performance_id = p.id) AS min_price
       {RULES_FROM}"
    )
}

/// A seat of a hall's plan, as the sale rules need it (cached by the service).
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct HallPlan {
    pub hall_id: i64,
    pub width: i64,
    pub height: i64,
    pub stage: Stage,
    pub zones: Vec<Zone>,
    pub seats: Vec<SeatInfo>,
    /// Seat id → position in `seats`.
    index: std::collections::HashMap<i64, usize>,
    /// The seats on sale (not blocked), as the best-seat choice reads them.
    pub positions: Vec<app::domain::seating::SeatPos>,
}

impl HallPlan {
    pub fn seat(&self, id: i64) -> Option<&SeatInfo> {
        self.index.get(&id).map(|i| &self.seats[*i])
    }
}

/// One cell of a performance's price grid.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceRow {
    pub category_id: Option<i64>,
    pub tariff: Tariff,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRow {
    pub id: i64,
    pub number: i64,
    pub label: String,
    pub color: String,
}

impl Store {
    pub async fn programme(
        &self,
        now: i64,
        from: i64,
        until: i64,
        kind: Option<ShowKind>,
    ) -> StoreResult<Vec<PerformanceRow>> {
        let sql = format!(
            "{}
             WHERE p.cancelled = 0 AND p.starts_at >= $2 AND p.starts_at < $3 AND ($4 = '' OR s.kind = $4)
             ORDER BY p.starts_at, p.id LIMIT 1000",
            performance_select()
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(from)
            .bind(until)
            .bind(kind.map(ShowKind::as_str).unwrap_or(""))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(PerformanceRow::from_row).collect()
    }

    pub async fn performances_of_show(
        &self,
        now: i64,
        show_id: i64,
        from: i64,
    ) -> StoreResult<Vec<PerformanceRow>> {
        let sql = format!(
            "{} WHERE p.show_id = $2 AND p.cancelled = 0 AND p.starts_at >= $3 ORDER BY p.starts_at",
            performance_select()
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(show_id)
            .bind(from)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(PerformanceRow::from_row).collect()
    }

    pub async fn performance(&self, now: i64, id: i64) -> StoreResult<PerformanceRow> {
        let sql = format!("{} WHERE p.id = $2", performance_select());
        let row = sqlx::query(&sql)
            .bind(now)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("performance"))?;
        PerformanceRow::from_row(&row)
    }

    /// (title, kind, duration, description, age rating)
    pub async fn show(&self, id: i64) -> StoreResult<(String, ShowKind, i64, String, String)> {
        let r = sqlx::query(
            "SELECT title, kind, duration_min, description, age_rating FROM shows WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound("show"))?;
        Ok((
            r.s("title")?,
            ShowKind::parse(&r.s("kind")?).unwrap_or(ShowKind::Theatre),
            r.i("duration_min")?,
            r.s("description")?,
            r.s("age_rating")?,
        ))
    }

    pub async fn hall_plan(&self, hall_id: i64) -> StoreResult<HallPlan> {
        let h = sqlx::query("SELECT width, height, stage_x, stage_y, stage_w, stage_h, stage_label FROM halls WHERE id = $1")
            .bind(hall_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("hall"))?;
        let zones = sqlx::query("SELECT id, name FROM zones WHERE hall_id = $1 ORDER BY position")
            .bind(hall_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(Zone {
                    id: r.i("id")?,
                    name: r.s("name")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let seats = sqlx::query(
            "SELECT st.id, st.zone_id, z.name AS zone, st.row_label, st.number, st.x, st.y, st.category_id,
                    c.number AS category, st.accessible, st.companion, st.restricted_view, st.blocked
               FROM seats st JOIN zones z ON z.id = st.zone_id JOIN categories c ON c.id = st.category_id
              WHERE st.hall_id = $1 ORDER BY z.position, st.y, st.x",
        )
        .bind(hall_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(SeatInfo {
                id: r.i("id")?,
                zone_id: r.i("zone_id")?,
                zone: r.s("zone")?,
                row: r.s("row_label")?,
                number: r.i("number")?,
                x: r.i("x")?,
                y: r.i("y")?,
                category_id: r.i("category_id")?,
                category: r.i("category")?,
                accessible: r.b("accessible")?,
                companion: r.b("companion")?,
                restricted_view: r.b("restricted_view")?,
                blocked: r.b("blocked")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let index = seats.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let positions = seats
            .iter()
            .filter(|s| !s.blocked)
            .map(|s| app::domain::seating::SeatPos {
                id: s.id,
                zone_id: s.zone_id,
                row: s.row.clone(),
                x: s.x,
                y: s.y,
            })
            .collect();
        Ok(HallPlan {
            hall_id,
            width: h.i("width")?,
            height: h.i("height")?,
            stage: Stage {
                x: h.i("stage_x")?,
                y: h.i("stage_y")?,
                w: h.i("stage_w")?,
                h: h.i("stage_h")?,
                label: h.s("stage_label")?,
            },
            zones,
            index,
            positions,
            seats,
        })
    }

    pub async fn categories(&self, hall_id: i64) -> StoreResult<Vec<CategoryRow>> {
        sqlx::query(
            "SELECT id, number, label, color FROM categories WHERE hall_id = $1 ORDER BY number",
        )
        .bind(hall_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(CategoryRow {
                id: r.i("id")?,
                number: r.i("number")?,
                label: r.s("label")?,
                color: r.s("color")?,
            })
        })
        .collect()
    }

    pub async fn price_grid(&self, performance_id: i64) -> StoreResult<Vec<PriceRow>> {
        sqlx::query(
            "SELECT pr.category_id, t.code, t.label_fr, t.label_en, t.proof_required, pr.price_cents
               FROM prices pr JOIN tariffs t ON t.code = pr.tariff_code
              WHERE pr.performance_id = $1 ORDER BY t.position, pr.category_id",
        )
        .bind(performance_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(PriceRow {
                category_id: r.oi("category_id")?,
                tariff: Tariff {
                    code: r.s("code")?,
                    label: r.s("label_fr")?,
                    label_en: r.s("label_en")?,
                    price_cents: r.i("price_cents")?,
                    proof_required: r.b("proof_required")?,
                },
            })
        })
        .collect()
    }

    /// Seats of a performance that are held (unexpired) or sold; every other seat is free
    /// unless the plan blocks it. Aggregated into one row: the SQLite driver hands rows over one
    /// by one between threads, and a full house is 500 rows.
    pub async fn seat_claims(
        &self,
        performance_id: i64,
        now: i64,
    ) -> StoreResult<Vec<(i64, SeatStatus)>> {
        let row = sqlx::query(&claims_query(self.backend()))
            .bind(performance_id)
            .bind(now)
            .fetch_one(self.pool())
            .await?;
        let packed: Option<String> = sqlx::Row::try_get(&row, "claims")?;
        Ok(packed.as_deref().map(parse_claims).unwrap_or_default())
    }
}

/// The held and sold seats of performance `$1` at time `$2`, packed in one row (one value per
/// seat would cost a row hand-off each with the SQLite driver).
pub(super) fn claims_query(backend: super::Backend) -> String {
    let aggregate = match backend {
        super::Backend::Sqlite => "group_concat(CAST(seat_id AS TEXT) || (CASE WHEN expires_at IS NULL THEN 's' ELSE 'h' END), ',')",
        super::Backend::Postgres => "string_agg(CAST(seat_id AS TEXT) || (CASE WHEN expires_at IS NULL THEN 's' ELSE 'h' END), ',')",
    };
    format!(
        "SELECT {aggregate} AS claims FROM seat_claims
          WHERE performance_id = $1 AND (expires_at IS NULL OR expires_at > $2)"
    )
}

/// Reads "12s,13h,40s" (seat id, then s = sold / h = held).
pub(super) fn parse_claims(packed: &str) -> Vec<(i64, SeatStatus)> {
    packed
        .split(',')
        .filter_map(|item| {
            let (id, kind) = item.split_at(item.len().checked_sub(1)?);
            let status = if kind == "s" {
                SeatStatus::Sold
            } else {
                SeatStatus::Held
            };
            Some((id.parse().ok()?, status))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_claims() {
        assert_eq!(
            parse_claims("12s,13h"),
            vec![(12, SeatStatus::Sold), (13, SeatStatus::Held)]
        );
        assert_eq!(parse_claims(""), vec![]);
    }
}

/// Builds the category list of a seat map from the grid.
pub fn categories_with_tariffs(categories: &[CategoryRow], grid: &[PriceRow]) -> Vec<Category> {
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

/// Row counts of the sales tables (diagnostics and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SalesCounts {
    pub holds: i64,
    pub seat_claims: i64,
    pub orders: i64,
    pub order_items: i64,
    pub payments: i64,
    pub tickets: i64,
}

impl Store {
    pub async fn sales_counts(&self) -> StoreResult<SalesCounts> {
        let r = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM holds) AS holds, (SELECT COUNT(*) FROM seat_claims) AS seat_claims,
                    (SELECT COUNT(*) FROM orders) AS orders, (SELECT COUNT(*) FROM order_items) AS order_items,
                    (SELECT COUNT(*) FROM payments) AS payments, (SELECT COUNT(*) FROM tickets) AS tickets",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(SalesCounts {
            holds: r.i("holds")?,
            seat_claims: r.i("seat_claims")?,
            orders: r.i("orders")?,
            order_items: r.i("order_items")?,
            payments: r.i("payments")?,
            tickets: r.i("tickets")?,
        })
    }
}

/// What does not change while a performance is on sale: its rules and what orders and tickets
/// print about it. One read, no counting; the service caches it briefly.
#[derive(Debug, Clone)]
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
}

impl PerformanceRules {
    pub fn info(&self) -> app::dto::PerformanceInfo {
        app::dto::PerformanceInfo {
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

impl Store {
    pub async fn performance_rules(&self, id: i64) -> StoreResult<PerformanceRules> {
        let sql = format!("{RULES_SELECT} {RULES_FROM} WHERE p.id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("performance"))?;
        PerformanceRules::from_row(&r)
    }
}

impl PerformanceRules {
    fn from_row(r: &AnyRow) -> StoreResult<PerformanceRules> {
        Ok(PerformanceRules {
            id: r.i("id")?,
            show_id: r.i("show_id")?,
            title: r.s("title")?,
            kind: ShowKind::parse(&r.s("kind")?).unwrap_or(ShowKind::Theatre),
            duration_min: r.i("duration_min")?,
            age_rating: r.s("age_rating")?,
            venue: r.s("venue")?,
            venue_id: r.i("venue_id")?,
            venue_code: r.s("venue_code")?,
            operator_name: r.s("operator_name")?,
            venue_address: r.s("address")?,
            hall: r.s("hall")?,
            hall_id: r.i("hall_id")?,
            seated: r.b("seated")?,
            capacity: r.i("capacity")?,
            starts_at: r.i("starts_at")?,
            sale_opens_at: r.i("sale_opens_at")?,
            sale_closes_at: r.i("sale_closes_at")?,
            hold_seconds: r.i("hold_seconds")?,
            max_seats_per_order: r.i("max_seats_per_order")?,
            cancelled: r.b("cancelled")?,
        })
    }
}

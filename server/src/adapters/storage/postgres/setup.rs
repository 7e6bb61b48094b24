//! Catalogue batches and diagnostics on PostgreSQL.
use super::{at, PgStore};
use crate::adapters::storage::rows::sql;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use async_trait::async_trait;
use sqlx::PgConnection;

/// Puts a hall of `venue` in place: the hall, and its plan as version 1 if it has none yet.
/// Answers the hall's id.
pub(super) async fn put_hall(
    c: &mut PgConnection,
    venue: i64,
    h: &NewHall,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO halls (venue_id, name, width, height, stage_x, stage_y, stage_w, stage_h, stage_label)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (venue_id, name) DO NOTHING",
    )
    .bind(venue)
    .bind(&h.name)
    .bind(h.width)
    .bind(h.height)
    .bind(h.stage.0)
    .bind(h.stage.1)
    .bind(h.stage.2)
    .bind(h.stage.3)
    .bind(&h.stage_label)
    .execute(&mut *c)
    .await?;
    let hall: i64 = sqlx::query_scalar("SELECT id FROM halls WHERE venue_id = $1 AND name = $2")
        .bind(venue)
        .bind(&h.name)
        .fetch_one(&mut *c)
        .await?;
    let versions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM seatmap_versions WHERE hall_id = $1")
            .bind(hall)
            .fetch_one(&mut *c)
            .await?;
    if versions == 0 {
        put_seatmap(c, hall, 1, h).await?;
    }
    Ok(hall)
}

/// Writes `h` as version `version` of the hall's seat map and makes it current: zones found by
/// name, categories by number (label and colour follow the plan), new seat rows.
pub(super) async fn put_seatmap(
    c: &mut PgConnection,
    hall: i64,
    version: i64,
    h: &NewHall,
) -> Result<(), sqlx::Error> {
    for (i, z) in h.zones.iter().enumerate() {
        sqlx::query(
            "INSERT INTO zones (hall_id, name, position) VALUES ($1, $2, $3) ON CONFLICT (hall_id, name) DO NOTHING",
        )
        .bind(hall)
        .bind(z)
        .bind(i as i64 + 1)
        .execute(&mut *c)
        .await?;
    }
    for cat in &h.categories {
        sqlx::query(
            "INSERT INTO categories (hall_id, number, label, color) VALUES ($1, $2, $3, $4)
             ON CONFLICT (hall_id, number) DO UPDATE SET label = excluded.label, color = excluded.color",
        )
        .bind(hall)
        .bind(cat.number)
        .bind(&cat.label)
        .bind(&cat.color)
        .execute(&mut *c)
        .await?;
    }
    if !h.seats.is_empty() {
        // One statement for the whole plan (a 5,000-seat hall in one round trip).
        let col = |f: fn(&NewSeat) -> i64| h.seats.iter().map(f).collect::<Vec<i64>>();
        let flag = |f: fn(&NewSeat) -> bool| h.seats.iter().map(f).collect::<Vec<bool>>();
        let zones: Vec<String> = h.seats.iter().map(|s| s.zone.clone()).collect();
        let rows: Vec<String> = h.seats.iter().map(|s| s.row.clone()).collect();
        sqlx::query(
            "INSERT INTO seats (hall_id, version, zone_id, category_id, row_label, number, x, y,
                                accessible, companion, restricted_view, blocked, block_reason)
             SELECT $1, $12, z.id, k.id, s.row_label, s.number, s.x, s.y, s.accessible, s.companion,
                    s.restricted_view, s.blocked, s.block_reason
               FROM UNNEST($2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
                           $8::boolean[], $9::boolean[], $10::boolean[], $11::boolean[], $13::text[])
                    AS s(zone, category, row_label, number, x, y, accessible, companion, restricted_view, blocked,
                         block_reason)
               JOIN zones z ON z.hall_id = $1 AND z.name = s.zone
               JOIN categories k ON k.hall_id = $1 AND k.number = s.category",
        )
        .bind(hall)
        .bind(zones)
        .bind(col(|s| s.category))
        .bind(rows)
        .bind(col(|s| s.number))
        .bind(col(|s| s.x))
        .bind(col(|s| s.y))
        .bind(flag(|s| s.accessible))
        .bind(flag(|s| s.companion))
        .bind(flag(|s| s.restricted_view))
        .bind(flag(|s| s.blocked))
        .bind(version)
        .bind(
            h.seats
                .iter()
                .map(|s| s.block_reason.map(|r| r.code()))
                .collect::<Vec<Option<&str>>>(),
        )
        .execute(&mut *c)
        .await?;
    }
    sqlx::query(
        "INSERT INTO seatmap_versions (hall_id, version, width, height, stage_x, stage_y, stage_w, stage_h, stage_label)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(hall)
    .bind(version)
    .bind(h.width)
    .bind(h.height)
    .bind(h.stage.0)
    .bind(h.stage.1)
    .bind(h.stage.2)
    .bind(h.stage.3)
    .bind(&h.stage_label)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "UPDATE halls SET seatmap_version = $2, width = $3, height = $4, stage_x = $5, stage_y = $6,
                          stage_w = $7, stage_h = $8, stage_label = $9 WHERE id = $1",
    )
    .bind(hall)
    .bind(version)
    .bind(h.width)
    .bind(h.height)
    .bind(h.stage.0)
    .bind(h.stage.1)
    .bind(h.stage.2)
    .bind(h.stage.3)
    .bind(&h.stage_label)
    .execute(&mut *c)
    .await?;
    Ok(())
}

async fn apply(c: &mut PgConnection, b: &CatalogueBatch) -> Result<AppliedBatch, sqlx::Error> {
    for t in &b.tariffs {
        sqlx::query(
            "INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING",
        )
        .bind(&t.code)
        .bind(&t.label_fr)
        .bind(&t.label_en)
        .bind(&t.family)
        .bind(t.proof_required)
        .bind(t.position)
        .execute(&mut *c)
        .await?;
    }
    for v in &b.venues {
        sqlx::query(
            "INSERT INTO venues (code, name, operator_name, address, kind) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(&v.code)
        .bind(&v.name)
        .bind(&v.operator_name)
        .bind(&v.address)
        .bind(v.kind.as_str())
        .execute(&mut *c)
        .await?;
        let venue: i64 = sqlx::query_scalar("SELECT id FROM venues WHERE code = $1")
            .bind(&v.code)
            .fetch_one(&mut *c)
            .await?;
        // The venue sells the batch's tariffs (the demo's, a test's).
        for t in &b.tariffs {
            sqlx::query(crate::adapters::storage::rows::sql::SEED_VENUE_TARIFF)
                .bind(venue)
                .bind(&t.code)
                .execute(&mut *c)
                .await?;
        }
        for h in &v.halls {
            put_hall(c, venue, h).await?;
        }
    }
    for s in &b.shows {
        sqlx::query(
            "INSERT INTO shows (title, kind, duration_min, description, age_rating) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (title, kind) DO NOTHING",
        )
        .bind(&s.title)
        .bind(s.kind.as_str())
        .bind(s.duration_min)
        .bind(&s.description)
        .bind(&s.age_rating)
        .execute(&mut *c)
        .await?;
    }
    let mut applied = AppliedBatch::default();
    for p in &b.performances {
        let hall: i64 = sqlx::query_scalar(
            "SELECT h.id FROM halls h JOIN venues v ON v.id = h.venue_id WHERE v.code = $1 AND h.name = $2",
        )
        .bind(&p.venue_code)
        .bind(&p.hall)
        .fetch_one(&mut *c)
        .await?;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM performances WHERE hall_id = $1 AND starts_at = $2")
                .bind(hall)
                .bind(at(p.starts_at))
                .fetch_optional(&mut *c)
                .await?;
        if let Some(id) = existing {
            applied.performance_ids.push(id);
            continue;
        }
        let show: i64 = sqlx::query_scalar("SELECT id FROM shows WHERE title = $1 AND kind = $2")
            .bind(&p.show_title)
            .bind(p.show_kind.as_str())
            .fetch_one(&mut *c)
            .await?;
        let capacity = if p.seated {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM seats s JOIN halls h ON h.id = s.hall_id
                  WHERE s.hall_id = $1 AND s.version = h.seatmap_version",
            )
            .bind(hall)
            .fetch_one(&mut *c)
            .await?
        } else {
            p.capacity
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO performances (show_id, hall_id, starts_at, sale_opens_at, sale_closes_at, hold_seconds,
                                       max_seats_per_order, seated, capacity, seatmap_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT seatmap_version FROM halls WHERE id = $2))
             RETURNING id",
        )
        .bind(show)
        .bind(hall)
        .bind(at(p.starts_at))
        .bind(at(p.sale_opens_at))
        .bind(at(p.sale_closes_at))
        .bind(p.hold_seconds)
        .bind(p.max_seats_per_order)
        .bind(p.seated)
        .bind(capacity)
        .fetch_one(&mut *c)
        .await?;
        for price in &p.prices {
            sqlx::query(
                "INSERT INTO prices (performance_id, category_id, tariff_code, price_cents)
                 VALUES ($1, (SELECT id FROM categories WHERE hall_id = $2 AND number = $3), $4, $5)",
            )
            .bind(id)
            .bind(hall)
            .bind(price.category)
            .bind(&price.tariff)
            .bind(price.cents)
            .execute(&mut *c)
            .await?;
        }
        applied.performance_ids.push(id);
        applied.created += 1;
    }
    Ok(applied)
}

#[async_trait]
impl SetupRepo for PgStore {
    async fn apply(&self, batch: &CatalogueBatch) -> RepoResult<AppliedBatch> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let applied = apply(&mut tx, batch).await.or_fail()?;
        tx.commit().await.or_fail()?;
        Ok(applied)
    }

    async fn sales_counts(&self) -> RepoResult<SalesCounts> {
        let (holds, seat_claims, orders, order_items, payments, tickets) =
            sqlx::query_as(sql::SALES_COUNTS)
                .fetch_one(&self.pool)
                .await
                .or_fail()?;
        Ok(SalesCounts {
            holds,
            seat_claims,
            orders,
            order_items,
            payments,
            tickets,
        })
    }
}

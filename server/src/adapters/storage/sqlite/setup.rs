//! Catalogue batches and diagnostics on SQLite.
use super::SqliteStore;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};

fn id_of(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> rusqlite::Result<i64> {
    conn.prepare_cached(sql)?.query_row(args, |r| r.get(0))
}

/// Puts a hall of `venue` in place: the hall, and its plan as version 1 if it has none yet.
/// Answers the hall's id.
pub(super) fn put_hall(conn: &Connection, venue: i64, h: &NewHall) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO halls (venue_id, name, width, height, stage_x, stage_y, stage_w, stage_h, stage_label)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (venue_id, name) DO NOTHING",
    )?
    .execute(params![venue, h.name, h.width, h.height, h.stage.0, h.stage.1, h.stage.2, h.stage.3, h.stage_label])?;
    let hall = id_of(
        conn,
        "SELECT id FROM halls WHERE venue_id = ?1 AND name = ?2",
        params![venue, h.name],
    )?;
    let versions = id_of(
        conn,
        "SELECT COUNT(*) FROM seatmap_versions WHERE hall_id = ?1",
        params![hall],
    )?;
    if versions == 0 {
        put_seatmap(conn, hall, 1, h)?;
    }
    Ok(hall)
}

/// Writes `h` as version `version` of the hall's seat map and makes it current: zones found by
/// name, categories by number (label and colour follow the plan), new seat rows.
pub(super) fn put_seatmap(
    conn: &Connection,
    hall: i64,
    version: i64,
    h: &NewHall,
) -> rusqlite::Result<()> {
    for (i, z) in h.zones.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO zones (hall_id, name, position) VALUES (?1, ?2, ?3) ON CONFLICT (hall_id, name) DO NOTHING",
        )?
        .execute(params![hall, z, i as i64 + 1])?;
    }
    for c in &h.categories {
        conn.prepare_cached(
            "INSERT INTO categories (hall_id, number, label, color) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (hall_id, number) DO UPDATE SET label = excluded.label, color = excluded.color",
        )?
        .execute(params![hall, c.number, c.label, c.color])?;
    }
    for s in &h.seats {
        let zone = id_of(
            conn,
            "SELECT id FROM zones WHERE hall_id = ?1 AND name = ?2",
            params![hall, s.zone],
        )?;
        let category = id_of(
            conn,
            "SELECT id FROM categories WHERE hall_id = ?1 AND number = ?2",
            params![hall, s.category],
        )?;
        conn.prepare_cached(
            "INSERT INTO seats (hall_id, version, zone_id, category_id, row_label, number, x, y,
                                accessible, companion, restricted_view, blocked, block_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            hall,
            version,
            zone,
            category,
            s.row,
            s.number,
            s.x,
            s.y,
            s.accessible,
            s.companion,
            s.restricted_view,
            s.blocked,
            s.block_reason.map(|r| r.code())
        ])?;
    }
    conn.prepare_cached(
        "INSERT INTO seatmap_versions (hall_id, version, width, height, stage_x, stage_y, stage_w, stage_h, stage_label)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![hall, version, h.width, h.height, h.stage.0, h.stage.1, h.stage.2, h.stage.3, h.stage_label])?;
    conn.prepare_cached(
        "UPDATE halls SET seatmap_version = ?2, width = ?3, height = ?4, stage_x = ?5, stage_y = ?6,
                          stage_w = ?7, stage_h = ?8, stage_label = ?9 WHERE id = ?1",
    )?
    .execute(params![hall, version, h.width, h.height, h.stage.0, h.stage.1, h.stage.2, h.stage.3, h.stage_label])?;
    Ok(())
}

fn apply(conn: &Connection, b: &CatalogueBatch) -> rusqlite::Result<AppliedBatch> {
    for t in &b.tariffs {
        conn.prepare_cached(
            "INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO NOTHING",
        )?
        .execute(params![
            t.code,
            t.label_fr,
            t.label_en,
            t.family,
            t.proof_required,
            t.position
        ])?;
    }
    for v in &b.venues {
        conn.prepare_cached(
            "INSERT INTO venues (code, name, operator_name, address, kind) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (code) DO NOTHING",
        )?
        .execute(params![v.code, v.name, v.operator_name, v.address, v.kind.as_str()])?;
        let venue = id_of(
            conn,
            "SELECT id FROM venues WHERE code = ?1",
            params![v.code],
        )?;
        // The venue sells the batch's tariffs (the demo's, a test's).
        for t in &b.tariffs {
            conn.prepare_cached(crate::adapters::storage::rows::sql::SEED_VENUE_TARIFF)?
                .execute(params![venue, t.code])?;
        }
        for h in &v.halls {
            put_hall(conn, venue, h)?;
        }
    }
    for s in &b.shows {
        conn.prepare_cached(
            "INSERT INTO shows (title, kind, duration_min, description, age_rating) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (title, kind) DO NOTHING",
        )?
        .execute(params![s.title, s.kind.as_str(), s.duration_min, s.description, s.age_rating])?;
    }
    let mut applied = AppliedBatch::default();
    for p in &b.performances {
        let hall = id_of(
            conn,
            "SELECT h.id FROM halls h JOIN venues v ON v.id = h.venue_id WHERE v.code = ?1 AND h.name = ?2",
            params![p.venue_code, p.hall],
        )?;
        let existing: Option<i64> = conn
            .prepare_cached("SELECT id FROM performances WHERE hall_id = ?1 AND starts_at = ?2")?
            .query_row(params![hall, p.starts_at], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            applied.performance_ids.push(id);
            continue;
        }
        let show = id_of(
            conn,
            "SELECT id FROM shows WHERE title = ?1 AND kind = ?2",
            params![p.show_title, p.show_kind.as_str()],
        )?;
        let capacity = if p.seated {
            id_of(
                conn,
                "SELECT COUNT(*) FROM seats s JOIN halls h ON h.id = s.hall_id
                  WHERE s.hall_id = ?1 AND s.version = h.seatmap_version",
                params![hall],
            )?
        } else {
            p.capacity
        };
        let id = id_of(
            conn,
            "INSERT INTO performances (show_id, hall_id, starts_at, sale_opens_at, sale_closes_at, hold_seconds,
                                       max_seats_per_order, seated, capacity, seatmap_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT seatmap_version FROM halls WHERE id = ?2))
             RETURNING id",
            params![
                show, hall, p.starts_at, p.sale_opens_at, p.sale_closes_at, p.hold_seconds,
                p.max_seats_per_order, p.seated, capacity
            ],
        )?;
        for price in &p.prices {
            let category = match price.category {
                Some(n) => Some(id_of(
                    conn,
                    "SELECT id FROM categories WHERE hall_id = ?1 AND number = ?2",
                    params![hall, n],
                )?),
                None => None,
            };
            conn.prepare_cached(
                "INSERT INTO prices (performance_id, category_id, tariff_code, price_cents) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, category, price.tariff, price.cents])?;
        }
        applied.performance_ids.push(id);
        applied.created += 1;
    }
    Ok(applied)
}

#[async_trait]
impl SetupRepo for SqliteStore {
    async fn apply(&self, batch: &CatalogueBatch) -> RepoResult<AppliedBatch> {
        let batch = batch.clone();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let applied = apply(&tx, &batch)?;
                tx.commit()?;
                Ok(applied)
            })
            .await
    }

    async fn sales_counts(&self) -> RepoResult<SalesCounts> {
        let (holds, seat_claims, orders, order_items, payments, tickets) =
            sqlx::query_as(crate::adapters::storage::rows::sql::SALES_COUNTS)
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

//! The back office's programme writes on SQLite (the writer thread), each with its audit row.
use super::setup::{put_hall, put_seatmap};
use super::staff::write_audit;
use super::SqliteStore;
use crate::adapters::storage::rows::{
    buyer_row, reads, refund_row, sql, BuyerFields, RefundFields,
};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

fn buyers(conn: &rusqlite::Connection, id: i64) -> rusqlite::Result<Vec<BuyerRow>> {
    let mut stmt = conn.prepare_cached(sql::BUYERS)?;
    let rows = stmt.query_map(params![id], |r| {
        Ok(buyer_row((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        )))
    })?;
    rows.collect()
}

#[async_trait]
impl ProgrammeRepo for SqliteStore {
    async fn halls(&self) -> RepoResult<Vec<HallRow>> {
        let rows: Vec<(i64, i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT h.id, v.id, v.name, h.name,
                    (SELECT COUNT(*) FROM seats s WHERE s.hall_id = h.id AND s.version = h.seatmap_version),
                    h.seatmap_version
               FROM halls h JOIN venues v ON v.id = h.venue_id ORDER BY v.name, h.name",
        )
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|(id, venue_id, venue, name, seats, version)| HallRow {
                id,
                venue_id,
                venue,
                name,
                seats,
                version,
            })
            .collect())
    }

    async fn venues(&self) -> RepoResult<Vec<VenueRow>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, code, name FROM venues ORDER BY name")
                .fetch_all(&self.pool)
                .await
                .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name)| VenueRow { id, code, name })
            .collect())
    }

    async fn create_venue(&self, v: &NewVenueRow, audit: &AuditRecord) -> RepoResult<Option<i64>> {
        let (v, audit) = (v.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let id = tx
                    .prepare_cached(
                        "INSERT INTO venues (code, name, operator_name, address, kind) VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (code) DO NOTHING RETURNING id",
                    )?
                    .query_row(
                        params![v.code, v.name, v.operator_name, v.address, v.kind.as_str()],
                        |r| r.get::<_, i64>(0),
                    )
                    .optional()?;
                let Some(id) = id else {
                    return Ok(None);
                };
                for code in app::domain::tariff::USUAL_CODES {
                    tx.prepare_cached(sql::SEED_VENUE_TARIFF)?
                        .execute(params![id, code])?;
                }
                let mut audit = audit;
                audit.subject = format!("venue:{id}");
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(Some(id))
            })
            .await
    }

    async fn create_hall(
        &self,
        venue_id: i64,
        hall: &NewHall,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>> {
        let (hall, audit) = (hall.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let taken: i64 = tx
                    .prepare_cached("SELECT COUNT(*) FROM halls WHERE venue_id = ?1 AND name = ?2")?
                    .query_row(params![venue_id, hall.name], |r| r.get(0))?;
                if taken > 0 {
                    return Ok(None);
                }
                let id = put_hall(&tx, venue_id, &hall)?;
                let mut audit = audit;
                audit.subject = format!("hall:{id}");
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(Some(id))
            })
            .await
    }

    async fn add_seatmap_version(
        &self,
        hall_id: i64,
        base: i64,
        plan: &NewHall,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>> {
        let (plan, audit) = (plan.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let current: Option<i64> = tx
                    .prepare_cached("SELECT seatmap_version FROM halls WHERE id = ?1")?
                    .query_row(params![hall_id], |r| r.get(0))
                    .optional()?;
                if current != Some(base) {
                    return Ok(None);
                }
                let version = base + 1;
                put_seatmap(&tx, hall_id, version, &plan)?;
                let mut audit = audit;
                audit.detail["version"] = serde_json::json!(version);
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(Some(version))
            })
            .await
    }

    async fn tariffs(&self) -> RepoResult<Vec<NewTariff>> {
        reads::tariffs(&self.pool).await
    }

    async fn venue_tariffs(&self, venue_id: i64) -> RepoResult<Vec<VenueTariffRow>> {
        reads::venue_tariffs(&self.pool, venue_id).await
    }

    async fn add_venue_tariff(
        &self,
        venue_id: i64,
        row: &VenueTariffRow,
        new_code: Option<&NewTariff>,
        audit: &AuditRecord,
    ) -> RepoResult<bool> {
        let (row, new_code, audit) = (row.clone(), new_code.cloned(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                if let Some(t) = new_code {
                    tx.prepare_cached(
                        "INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO NOTHING",
                    )?
                    .execute(params![t.code, t.label_fr, t.label_en, t.family, t.proof_required, t.position])?;
                }
                let n = tx
                    .prepare_cached(
                        "INSERT INTO venue_tariffs (venue_id, tariff_code, label_fr, label_en, proof_required,
                                                    eligibility_fr, eligibility_en, active, position)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                         ON CONFLICT (venue_id, tariff_code) DO NOTHING",
                    )?
                    .execute(params![
                        venue_id,
                        row.code,
                        row.label_fr,
                        row.label_en,
                        row.proof_required,
                        row.eligibility_fr,
                        row.eligibility_en,
                        row.active,
                        row.position
                    ])?;
                if n == 1 {
                    write_audit(&tx, &audit)?;
                    tx.commit()?;
                }
                Ok(n == 1)
            })
            .await
    }

    async fn update_venue_tariff(
        &self,
        venue_id: i64,
        row: &VenueTariffRow,
        audit: &AuditRecord,
    ) -> RepoResult<bool> {
        let (row, audit) = (row.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let n = tx
                    .prepare_cached(
                        "UPDATE venue_tariffs SET label_fr = ?3, label_en = ?4, proof_required = ?5,
                                eligibility_fr = ?6, eligibility_en = ?7, active = ?8
                          WHERE venue_id = ?1 AND tariff_code = ?2",
                    )?
                    .execute(params![
                        venue_id,
                        row.code,
                        row.label_fr,
                        row.label_en,
                        row.proof_required,
                        row.eligibility_fr,
                        row.eligibility_en,
                        row.active
                    ])?;
                if n == 1 {
                    write_audit(&tx, &audit)?;
                    tx.commit()?;
                }
                Ok(n == 1)
            })
            .await
    }

    async fn create_tariff(&self, t: &NewTariff, audit: &AuditRecord) -> RepoResult<bool> {
        let (t, audit) = (t.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let n = tx
                    .prepare_cached(
                        "INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO NOTHING",
                    )?
                    .execute(params![t.code, t.label_fr, t.label_en, t.family, t.proof_required, t.position])?;
                if n == 1 {
                    write_audit(&tx, &audit)?;
                }
                tx.commit()?;
                Ok(n == 1)
            })
            .await
    }

    async fn update_tariff(&self, t: &NewTariff, audit: &AuditRecord) -> RepoResult<bool> {
        let (t, audit) = (t.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let n = tx
                    .prepare_cached(
                        "UPDATE tariffs SET label_fr = ?2, label_en = ?3, family = ?4, proof_required = ?5
                          WHERE code = ?1",
                    )?
                    .execute(params![t.code, t.label_fr, t.label_en, t.family, t.proof_required])?;
                if n == 1 {
                    write_audit(&tx, &audit)?;
                }
                tx.commit()?;
                Ok(n == 1)
            })
            .await
    }

    async fn tariff_codes(&self) -> RepoResult<Vec<String>> {
        sqlx::query_scalar("SELECT code FROM tariffs ORDER BY position")
            .fetch_all(&self.pool)
            .await
            .or_fail()
    }

    async fn create_show(&self, s: &NewShowRow, audit: &AuditRecord) -> RepoResult<Option<i64>> {
        let (s, audit) = (s.clone(), audit.clone());
        let film = FilmColumns::of(&s);
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let id = tx
                    .prepare_cached(
                        "INSERT INTO shows (title, kind, duration_min, description, age_rating, visa,
                                            distributor, version, is_3d)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                         ON CONFLICT (title, kind) DO NOTHING RETURNING id",
                    )?
                    .query_row(
                        params![
                            s.title,
                            s.kind.as_str(),
                            s.duration_min,
                            s.description,
                            s.age_rating,
                            film.visa,
                            film.distributor,
                            film.version,
                            film.three_d
                        ],
                        |r| r.get::<_, i64>(0),
                    )
                    .optional()?;
                let Some(id) = id else {
                    return Ok(None);
                };
                let mut audit = audit;
                audit.subject = format!("show:{id}");
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(Some(id))
            })
            .await
    }

    async fn shows(&self, now: i64) -> RepoResult<Vec<(ShowRow, i64)>> {
        let shows = reads::shows(&self.pool).await?;
        let counts: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT show_id, COUNT(*) FROM performances
              WHERE starts_at >= ?1 AND cancelled = 0 GROUP BY show_id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        let counts: std::collections::HashMap<i64, i64> = counts.into_iter().collect();
        Ok(shows
            .into_iter()
            .map(|s| {
                let n = counts.get(&s.id).copied().unwrap_or(0);
                (s, n)
            })
            .collect())
    }

    async fn update_show(
        &self,
        id: i64,
        s: &NewShowRow,
        audit: &AuditRecord,
    ) -> RepoResult<ShowWrite> {
        let (s, audit) = (s.clone(), audit.clone());
        let film = FilmColumns::of(&s);
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let taken: Option<i64> = tx
                    .prepare_cached("SELECT id FROM shows WHERE title = ?1 AND kind = ?2 AND id <> ?3")?
                    .query_row(params![s.title, s.kind.as_str(), id], |r| r.get(0))
                    .optional()?;
                if taken.is_some() {
                    return Ok(ShowWrite::Taken);
                }
                let changed = tx.prepare_cached(
                    "UPDATE shows SET title = ?2, duration_min = ?3, description = ?4, age_rating = ?5,
                            visa = ?6, distributor = ?7, version = ?8, is_3d = ?9
                      WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    s.title,
                    s.duration_min,
                    s.description,
                    s.age_rating,
                    film.visa,
                    film.distributor,
                    film.version,
                    film.three_d
                ])?;
                if changed == 0 {
                    return Ok(ShowWrite::NotFound);
                }
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(ShowWrite::Saved)
            })
            .await
    }

    async fn set_poster(
        &self,
        show_id: i64,
        poster: Option<&PosterRow>,
        audit: &AuditRecord,
    ) -> RepoResult<ShowWrite> {
        let (poster, audit) = (poster.cloned(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let exists: Option<i64> = tx
                    .prepare_cached("SELECT id FROM shows WHERE id = ?1")?
                    .query_row(params![show_id], |r| r.get(0))
                    .optional()?;
                if exists.is_none() {
                    return Ok(ShowWrite::NotFound);
                }
                tx.prepare_cached("DELETE FROM show_posters WHERE show_id = ?1")?
                    .execute(params![show_id])?;
                if let Some(p) = poster {
                    tx.prepare_cached(
                        "INSERT INTO show_posters (show_id, file, format, width, height, bytes, uploaded_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![
                        show_id,
                        p.file,
                        p.format.code(),
                        p.width,
                        p.height,
                        p.bytes,
                        p.uploaded_at
                    ])?;
                }
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(ShowWrite::Saved)
            })
            .await
    }

    async fn create_performances(
        &self,
        rows: &[NewPerformanceRow],
        audit: &AuditRecord,
    ) -> RepoResult<PerformancesWritten> {
        let (rows, audit) = (rows.to_vec(), audit.clone());
        self.writer
            .run(move |conn| {
                // Dropped without a commit (a clash), the savepoint takes every insert back.
                let tx = conn.savepoint()?;
                let mut ids = Vec::with_capacity(rows.len());
                for p in &rows {
                    let id = tx
                        .prepare_cached(
                            "INSERT INTO performances (show_id, hall_id, starts_at, sale_opens_at, sale_closes_at,
                                                       hold_seconds, max_seats_per_order, seated, capacity, published,
                                                       seatmap_version, sold_online, sold_at_counter)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                             ON CONFLICT (hall_id, starts_at) DO NOTHING RETURNING id",
                        )?
                        .query_row(
                            params![
                                p.show_id,
                                p.hall_id,
                                p.starts_at,
                                p.sale_opens_at,
                                p.sale_closes_at,
                                p.hold_seconds,
                                p.max_seats_per_order,
                                p.seated,
                                p.capacity,
                                p.published,
                                p.seatmap_version,
                                p.sold_online,
                                p.sold_at_counter
                            ],
                            |r| r.get::<_, i64>(0),
                        )
                    .optional()?;
                    let Some(id) = id else {
                        return Ok(PerformancesWritten::Clash(p.starts_at));
                    };
                    for price in &p.prices {
                        tx.prepare_cached(
                            "INSERT INTO prices (performance_id, category_id, tariff_code, price_cents)
                             VALUES (?1, ?2, ?3, ?4)",
                        )?
                        .execute(params![id, price.category_id, price.tariff, price.cents])?;
                    }
                    for (tariff, max) in &p.quotas {
                        tx.prepare_cached(
                            "INSERT INTO tariff_quotas (performance_id, tariff_code, max_tickets) VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![id, tariff, max])?;
                    }
                    ids.push(id);
                }
                let mut audit = audit;
                audit.detail["performance_ids"] = serde_json::json!(ids);
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(PerformancesWritten::Created(ids))
            })
            .await
    }

    async fn cancel_performance(
        &self,
        id: i64,
        now: i64,
        audit: &AuditRecord,
    ) -> RepoResult<Cancellation> {
        let audit = audit.clone();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let cancelled: Option<bool> = tx
                    .prepare_cached("SELECT cancelled FROM performances WHERE id = ?1")?
                    .query_row(params![id], |r| r.get(0))
                    .optional()?;
                match cancelled {
                    None => return Ok(Cancellation::NotFound),
                    Some(true) => return Ok(Cancellation::AlreadyCancelled),
                    Some(false) => {}
                }
                for sql in [
                    "UPDATE performances SET cancelled = 1, ga_taken = 0 WHERE id = ?1",
                    "UPDATE holds SET status = 'released' WHERE performance_id = ?1 AND status = 'active'",
                    "DELETE FROM seat_claims WHERE performance_id = ?1",
                    "UPDATE orders SET refund_due = 1 WHERE performance_id = ?1 AND status = 'paid'",
                ] {
                    tx.prepare_cached(sql)?.execute(params![id])?;
                }
                let unpaid = tx
                    .prepare_cached(
                        "UPDATE orders SET status = 'cancelled' WHERE performance_id = ?1 AND status = 'awaiting_payment'",
                    )?
                    .execute(params![id])?;
                tx.prepare_cached(
                    "UPDATE tickets SET status = 'cancelled', cancelled_at = ?2 WHERE performance_id = ?1 AND status = 'valid'",
                )?
                .execute(params![id, now])?;
                let to_refund = buyers(&tx, id)?;
                for mail in performance_cancelled_mails(&to_refund) {
                    super::outbox::enqueue(&tx, &mail, now)?;
                }
                let mut audit = audit;
                audit.detail["to_refund"] = serde_json::json!(to_refund.len());
                audit.detail["unpaid_cancelled"] = serde_json::json!(unpaid);
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(Cancellation::Done {
                    to_refund,
                    unpaid_cancelled: unpaid as i64,
                })
            })
            .await
    }

    async fn performance_ids_between(&self, from: i64, until: i64) -> RepoResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT id FROM performances WHERE starts_at >= ?1 AND starts_at < ?2 ORDER BY starts_at, id",
        )
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_fail()
    }

    async fn refunds_due(&self) -> RepoResult<Vec<RefundRow>> {
        let rows: Vec<RefundFields<i64>> = sqlx::query_as(sql::REFUNDS_DUE)
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(|r| refund_row(r, |t| t)).collect())
    }

    async fn performance_buyers(&self, id: i64) -> RepoResult<Vec<BuyerRow>> {
        let rows: Vec<BuyerFields> = sqlx::query_as(sql::BUYERS)
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(buyer_row).collect())
    }

    async fn update_performance(
        &self,
        s: &PerformanceSettings,
        audit: &AuditRecord,
    ) -> RepoResult<bool> {
        let (s, audit) = (s.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let n = tx
                    .prepare_cached(
                        "UPDATE performances SET published = ?2, sale_opens_at = ?3, sale_closes_at = ?4,
                                hold_seconds = ?5, max_seats_per_order = ?6, sold_online = ?7 WHERE id = ?1",
                    )?
                    .execute(params![
                        s.id,
                        s.published,
                        s.sale_opens_at,
                        s.sale_closes_at,
                        s.hold_seconds,
                        s.max_seats_per_order,
                        s.sold_online
                    ])?;
                if n == 1 {
                    write_audit(&tx, &audit)?;
                }
                tx.commit()?;
                Ok(n == 1)
            })
            .await
    }
}

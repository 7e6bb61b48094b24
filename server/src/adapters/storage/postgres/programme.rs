//! The back office's programme writes on PostgreSQL, each with its audit row.
use super::setup::{put_hall, put_seatmap};
use super::staff::write_audit;
use super::{at, secs, PgStore};
use crate::adapters::storage::rows::{
    buyer_row, reads, refund_row, sql, BuyerFields, RefundFields,
};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
impl ProgrammeRepo for PgStore {
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
        let mut tx = self.pool.begin().await.or_fail()?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO venues (code, name, operator_name, address, kind) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO NOTHING RETURNING id",
        )
        .bind(&v.code)
        .bind(&v.name)
        .bind(&v.operator_name)
        .bind(&v.address)
        .bind(v.kind.as_str())
        .fetch_optional(&mut *tx)
        .await
        .or_fail()?;
        if let Some(id) = id {
            for code in app::domain::tariff::USUAL_CODES {
                sqlx::query(sql::SEED_VENUE_TARIFF)
                    .bind(id)
                    .bind(code)
                    .execute(&mut *tx)
                    .await
                    .or_fail()?;
            }
            let mut audit = audit.clone();
            audit.subject = format!("venue:{id}");
            write_audit(&mut tx, &audit).await?;
            tx.commit().await.or_fail()?;
        }
        Ok(id)
    }

    async fn create_hall(
        &self,
        venue_id: i64,
        hall: &NewHall,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>> {
        let mut tx = self.pool.begin().await.or_fail()?;
        // Two admins creating the same hall at once: the venue row serialises them.
        sqlx::query("SELECT id FROM venues WHERE id = $1 FOR NO KEY UPDATE")
            .bind(venue_id)
            .execute(&mut *tx)
            .await
            .or_fail()?;
        let taken: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM halls WHERE venue_id = $1 AND name = $2")
                .bind(venue_id)
                .bind(&hall.name)
                .fetch_one(&mut *tx)
                .await
                .or_fail()?;
        if taken > 0 {
            return Ok(None);
        }
        let id = put_hall(&mut tx, venue_id, hall).await.or_fail()?;
        let mut audit = audit.clone();
        audit.subject = format!("hall:{id}");
        write_audit(&mut tx, &audit).await?;
        tx.commit().await.or_fail()?;
        Ok(Some(id))
    }

    async fn add_seatmap_version(
        &self,
        hall_id: i64,
        base: i64,
        plan: &NewHall,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>> {
        let mut tx = self.pool.begin().await.or_fail()?;
        // Two admins saving at once: the hall row serialises them, the second finds a newer base.
        let current: Option<i64> =
            sqlx::query_scalar("SELECT seatmap_version FROM halls WHERE id = $1 FOR NO KEY UPDATE")
                .bind(hall_id)
                .fetch_optional(&mut *tx)
                .await
                .or_fail()?;
        if current != Some(base) {
            return Ok(None);
        }
        let version = base + 1;
        put_seatmap(&mut tx, hall_id, version, plan)
            .await
            .or_fail()?;
        let mut audit = audit.clone();
        audit.detail["version"] = serde_json::json!(version);
        write_audit(&mut tx, &audit).await?;
        tx.commit().await.or_fail()?;
        Ok(Some(version))
    }

    async fn tariffs(&self) -> RepoResult<Vec<NewTariff>> {
        reads::tariffs(&self.pool).await
    }

    async fn create_tariff(&self, t: &NewTariff, audit: &AuditRecord) -> RepoResult<bool> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let n = sqlx::query(
            "INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING",
        )
        .bind(&t.code)
        .bind(&t.label_fr)
        .bind(&t.label_en)
        .bind(&t.family)
        .bind(t.proof_required)
        .bind(t.position)
        .execute(&mut *tx)
        .await
        .or_fail()?
        .rows_affected();
        if n == 1 {
            write_audit(&mut tx, audit).await?;
        }
        tx.commit().await.or_fail()?;
        Ok(n == 1)
    }

    async fn update_tariff(&self, t: &NewTariff, audit: &AuditRecord) -> RepoResult<bool> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let n = sqlx::query(
            "UPDATE tariffs SET label_fr = $2, label_en = $3, family = $4, proof_required = $5 WHERE code = $1",
        )
        .bind(&t.code)
        .bind(&t.label_fr)
        .bind(&t.label_en)
        .bind(&t.family)
        .bind(t.proof_required)
        .execute(&mut *tx)
        .await
        .or_fail()?
        .rows_affected();
        if n == 1 {
            write_audit(&mut tx, audit).await?;
        }
        tx.commit().await.or_fail()?;
        Ok(n == 1)
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
        let mut tx = self.pool.begin().await.or_fail()?;
        if let Some(t) = new_code {
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
            .execute(&mut *tx)
            .await
            .or_fail()?;
        }
        let n = sqlx::query(
            "INSERT INTO venue_tariffs (venue_id, tariff_code, label_fr, label_en, proof_required,
                                        eligibility_fr, eligibility_en, active, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (venue_id, tariff_code) DO NOTHING",
        )
        .bind(venue_id)
        .bind(&row.code)
        .bind(&row.label_fr)
        .bind(&row.label_en)
        .bind(row.proof_required)
        .bind(&row.eligibility_fr)
        .bind(&row.eligibility_en)
        .bind(row.active)
        .bind(row.position)
        .execute(&mut *tx)
        .await
        .or_fail()?
        .rows_affected();
        if n == 1 {
            write_audit(&mut tx, audit).await?;
            tx.commit().await.or_fail()?;
        }
        Ok(n == 1)
    }

    async fn update_venue_tariff(
        &self,
        venue_id: i64,
        row: &VenueTariffRow,
        audit: &AuditRecord,
    ) -> RepoResult<bool> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let n = sqlx::query(
            "UPDATE venue_tariffs SET label_fr = $3, label_en = $4, proof_required = $5,
                    eligibility_fr = $6, eligibility_en = $7, active = $8
              WHERE venue_id = $1 AND tariff_code = $2",
        )
        .bind(venue_id)
        .bind(&row.code)
        .bind(&row.label_fr)
        .bind(&row.label_en)
        .bind(row.proof_required)
        .bind(&row.eligibility_fr)
        .bind(&row.eligibility_en)
        .bind(row.active)
        .execute(&mut *tx)
        .await
        .or_fail()?
        .rows_affected();
        if n == 1 {
            write_audit(&mut tx, audit).await?;
            tx.commit().await.or_fail()?;
        }
        Ok(n == 1)
    }

    async fn tariff_codes(&self) -> RepoResult<Vec<String>> {
        sqlx::query_scalar("SELECT code FROM tariffs ORDER BY position")
            .fetch_all(&self.pool)
            .await
            .or_fail()
    }

    async fn create_show(&self, s: &NewShowRow, audit: &AuditRecord) -> RepoResult<Option<i64>> {
        let film = FilmColumns::of(s);
        let mut tx = self.pool.begin().await.or_fail()?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO shows (title, kind, duration_min, description, age_rating, visa, distributor,
                                version, is_3d)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (title, kind) DO NOTHING RETURNING id",
        )
        .bind(&s.title)
        .bind(s.kind.as_str())
        .bind(s.duration_min)
        .bind(&s.description)
        .bind(&s.age_rating)
        .bind(&film.visa)
        .bind(&film.distributor)
        .bind(&film.version)
        .bind(film.three_d)
        .fetch_optional(&mut *tx)
        .await
        .or_fail()?;
        if let Some(id) = id {
            let mut audit = audit.clone();
            audit.subject = format!("show:{id}");
            write_audit(&mut tx, &audit).await?;
            tx.commit().await.or_fail()?;
        }
        Ok(id)
    }

    async fn shows(&self, now: i64) -> RepoResult<Vec<(ShowRow, i64)>> {
        let shows = reads::shows(&self.pool).await?;
        let counts: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT show_id, COUNT(*) FROM performances
              WHERE starts_at >= $1 AND NOT cancelled GROUP BY show_id",
        )
        .bind(at(now))
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
        let film = FilmColumns::of(s);
        let mut tx = self.pool.begin().await.or_fail()?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM shows WHERE title = $1 AND kind = $2 AND id <> $3")
                .bind(&s.title)
                .bind(s.kind.as_str())
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .or_fail()?;
        if taken.is_some() {
            return Ok(ShowWrite::Taken);
        }
        let changed = sqlx::query(
            "UPDATE shows SET title = $2, duration_min = $3, description = $4, age_rating = $5,
                    visa = $6, distributor = $7, version = $8, is_3d = $9
              WHERE id = $1",
        )
        .bind(id)
        .bind(&s.title)
        .bind(s.duration_min)
        .bind(&s.description)
        .bind(&s.age_rating)
        .bind(&film.visa)
        .bind(&film.distributor)
        .bind(&film.version)
        .bind(film.three_d)
        .execute(&mut *tx)
        .await;
        // Two admins renaming two shows to one title at once: the unique index decides.
        let changed = match changed {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Ok(ShowWrite::Taken)
            }
            other => other.or_fail()?.rows_affected(),
        };
        if changed == 0 {
            return Ok(ShowWrite::NotFound);
        }
        write_audit(&mut tx, audit).await?;
        tx.commit().await.or_fail()?;
        Ok(ShowWrite::Saved)
    }

    async fn set_poster(
        &self,
        show_id: i64,
        poster: Option<&PosterRow>,
        audit: &AuditRecord,
    ) -> RepoResult<ShowWrite> {
        let mut tx = self.pool.begin().await.or_fail()?;
        // Locks the show: two uploads for one show take turns.
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM shows WHERE id = $1 FOR UPDATE")
                .bind(show_id)
                .fetch_optional(&mut *tx)
                .await
                .or_fail()?;
        if exists.is_none() {
            return Ok(ShowWrite::NotFound);
        }
        sqlx::query("DELETE FROM show_posters WHERE show_id = $1")
            .bind(show_id)
            .execute(&mut *tx)
            .await
            .or_fail()?;
        if let Some(p) = poster {
            sqlx::query(
                "INSERT INTO show_posters (show_id, file, format, width, height, bytes, uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(show_id)
            .bind(&p.file)
            .bind(p.format.code())
            .bind(p.width)
            .bind(p.height)
            .bind(&p.bytes)
            .bind(at(p.uploaded_at))
            .execute(&mut *tx)
            .await
            .or_fail()?;
        }
        write_audit(&mut tx, audit).await?;
        tx.commit().await.or_fail()?;
        Ok(ShowWrite::Saved)
    }

    async fn create_performances(
        &self,
        rows: &[NewPerformanceRow],
        audit: &AuditRecord,
    ) -> RepoResult<PerformancesWritten> {
        // Dropped without a commit (a clash), the transaction takes every insert back.
        let mut tx = self.pool.begin().await.or_fail()?;
        let mut ids = Vec::with_capacity(rows.len());
        for p in rows {
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO performances (show_id, hall_id, starts_at, sale_opens_at, sale_closes_at,
                                           hold_seconds, max_seats_per_order, seated, capacity, published,
                                           seatmap_version, sold_online, sold_at_counter)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (hall_id, starts_at) DO NOTHING RETURNING id",
            )
            .bind(p.show_id)
            .bind(p.hall_id)
            .bind(at(p.starts_at))
            .bind(at(p.sale_opens_at))
            .bind(at(p.sale_closes_at))
            .bind(p.hold_seconds)
            .bind(p.max_seats_per_order)
            .bind(p.seated)
            .bind(p.capacity)
            .bind(p.published)
            .bind(p.seatmap_version)
            .bind(p.sold_online)
            .bind(p.sold_at_counter)
            .fetch_optional(&mut *tx)
            .await;
            // ON CONFLICT … DO NOTHING: a start the hall has answers no row.
            let Some(id) = inserted.or_fail()? else {
                return Ok(PerformancesWritten::Clash(p.starts_at));
            };
            for price in &p.prices {
                sqlx::query(
                    "INSERT INTO prices (performance_id, category_id, tariff_code, price_cents)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(price.category_id)
                .bind(&price.tariff)
                .bind(price.cents)
                .execute(&mut *tx)
                .await
                .or_fail()?;
            }
            for (tariff, max) in &p.quotas {
                sqlx::query(
                    "INSERT INTO tariff_quotas (performance_id, tariff_code, max_tickets) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(tariff)
                .bind(max)
                .execute(&mut *tx)
                .await
                .or_fail()?;
            }
            ids.push(id);
        }
        let mut audit = audit.clone();
        audit.detail["performance_ids"] = serde_json::json!(ids);
        write_audit(&mut tx, &audit).await?;
        tx.commit().await.or_fail()?;
        Ok(PerformancesWritten::Created(ids))
    }

    async fn cancel_performance(
        &self,
        id: i64,
        now: i64,
        audit: &AuditRecord,
    ) -> RepoResult<Cancellation> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let cancelled: Option<bool> =
            sqlx::query_scalar("SELECT cancelled FROM performances WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .or_fail()?;
        match cancelled {
            None => return Ok(Cancellation::NotFound),
            Some(true) => return Ok(Cancellation::AlreadyCancelled),
            Some(false) => {}
        }
        // Orders before holds: the order in which settling a payment locks them.
        let unpaid = sqlx::query(
            "UPDATE orders SET status = 'cancelled' WHERE performance_id = $1 AND status = 'awaiting_payment'",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .or_fail()?
        .rows_affected();
        for sql in [
            "UPDATE orders SET refund_due = TRUE WHERE performance_id = $1 AND status = 'paid'",
            "UPDATE holds SET status = 'released' WHERE performance_id = $1 AND status = 'active'",
            "DELETE FROM seat_claims WHERE performance_id = $1",
            "UPDATE performances SET cancelled = TRUE, ga_taken = 0 WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(id)
                .execute(&mut *tx)
                .await
                .or_fail()?;
        }
        sqlx::query(
            "UPDATE tickets SET status = 'cancelled', cancelled_at = $2 WHERE performance_id = $1 AND status = 'valid'",
        )
        .bind(id)
        .bind(at(now))
        .execute(&mut *tx)
        .await
        .or_fail()?;
        let rows: Vec<BuyerFields> = sqlx::query_as(sql::BUYERS)
            .bind(id)
            .fetch_all(&mut *tx)
            .await
            .or_fail()?;
        let to_refund: Vec<BuyerRow> = rows.into_iter().map(buyer_row).collect();
        for mail in performance_cancelled_mails(&to_refund) {
            super::outbox::enqueue(&mut tx, &mail, now)
                .await
                .or_fail()?;
        }
        let mut audit = audit.clone();
        audit.detail["to_refund"] = serde_json::json!(to_refund.len());
        audit.detail["unpaid_cancelled"] = serde_json::json!(unpaid);
        write_audit(&mut tx, &audit).await?;
        tx.commit().await.or_fail()?;
        Ok(Cancellation::Done {
            to_refund,
            unpaid_cancelled: unpaid as i64,
        })
    }

    async fn performance_ids_between(&self, from: i64, until: i64) -> RepoResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT id FROM performances WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id",
        )
        .bind(at(from))
        .bind(at(until))
        .fetch_all(&self.pool)
        .await
        .or_fail()
    }

    async fn refunds_due(&self) -> RepoResult<Vec<RefundRow>> {
        let rows: Vec<RefundFields<DateTime<Utc>>> = sqlx::query_as(sql::REFUNDS_DUE)
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(|r| refund_row(r, secs)).collect())
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
        let mut tx = self.pool.begin().await.or_fail()?;
        let done = sqlx::query(
            "UPDATE performances SET published = $2, sale_opens_at = $3, sale_closes_at = $4,
                    hold_seconds = $5, max_seats_per_order = $6, sold_online = $7 WHERE id = $1",
        )
        .bind(s.id)
        .bind(s.published)
        .bind(at(s.sale_opens_at))
        .bind(at(s.sale_closes_at))
        .bind(s.hold_seconds)
        .bind(s.max_seats_per_order)
        .bind(s.sold_online)
        .execute(&mut *tx)
        .await
        .or_fail()?;
        let updated = done.rows_affected() == 1;
        if updated {
            write_audit(&mut tx, audit).await?;
        }
        tx.commit().await.or_fail()?;
        Ok(updated)
    }
}

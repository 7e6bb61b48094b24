//! The back office's programme writes on PostgreSQL, each with its audit row.
use super::setup::{put_hall, put_seatmap};
use super::staff::write_audit;
use super::{at, PgStore};
use crate::adapters::storage::rows::{buyer_row, reads, sql, BuyerFields};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use async_trait::async_trait;

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

//! Holds on PostgreSQL. The seat_claims primary key decides between servers racing for a seat:
//! the first insert wins, the others find the row and are refused.
use super::{at, secs, PgStore};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::{HoldId, PerformanceId};
use app::dto::SeatStatus;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, Transaction};
use std::collections::HashSet;

/// Held, sold and blocked seats of performance `$1` at `$2` as (seat, sold?, blocked?).
const CLAIMS: &str = "SELECT seat_id, expires_at IS NULL, block_reason IS NOT NULL FROM seat_claims
                       WHERE performance_id = $1 AND (expires_at IS NULL OR expires_at > $2)";

async fn insert_hold(
    c: &mut PgConnection,
    hold: &NewHold,
    quantity: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO holds (id, performance_id, quantity, status, created_at, expires_at, client)
         VALUES ($1, $2, $3, 'active', $4, $5, $6)",
    )
    .bind(hold.id.as_str())
    .bind(hold.performance.0)
    .bind(quantity)
    .bind(at(hold.now))
    .bind(at(hold.expires_at))
    .bind(hold.limit.as_ref().map(|l| l.client.as_str()))
    .execute(c)
    .await?;
    Ok(())
}

/// Serialises the hold's client's hold requests for the rest of the transaction (two app
/// servers included), so that its concurrent requests are counted one after another. Taken
/// first, before any row lock: one advisory lock per transaction cannot close a cycle.
async fn lock_client(c: &mut PgConnection, hold: &NewHold) -> Result<(), sqlx::Error> {
    if let Some(limit) = &hold.limit {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(limit.client.as_str())
            .execute(c)
            .await?;
    }
    Ok(())
}

/// The refusal when the hold's client may not hold `asking` more of the performance (after
/// `lock_client`).
async fn over_cap(
    c: &mut PgConnection,
    hold: &NewHold,
    asking: i64,
) -> Result<Option<HoldRefusal>, sqlx::Error> {
    let Some(limit) = &hold.limit else {
        return Ok(None);
    };
    let (held, frees_at): (i64, Option<DateTime<Utc>>) = sqlx::query_as(
        "SELECT COALESCE(SUM(quantity), 0)::bigint, MIN(expires_at) FROM holds
          WHERE client = $1 AND performance_id = $2 AND status = 'active' AND expires_at > $3",
    )
    .bind(limit.client.as_str())
    .bind(hold.performance.0)
    .bind(at(hold.now))
    .fetch_one(c)
    .await?;
    Ok(app::domain::hold_cap::check(held, asking, limit.cap)
        .err()
        .map(|e| HoldRefusal::TooManyHeld {
            held: e.held,
            cap: e.cap,
            frees_at: frees_at.map(secs).unwrap_or(hold.now),
        }))
}

/// Inserts the hold and claims the seats that are free (or whose claim expired); returns the
/// seats claimed. Fewer than asked means someone else has the others: the caller rolls back.
async fn claim(
    c: &mut PgConnection,
    hold: &NewHold,
    seat_ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    insert_hold(c, hold, seat_ids.len() as i64).await?;
    sqlx::query_scalar(
        "INSERT INTO seat_claims (performance_id, seat_id, hold_id, expires_at)
         SELECT $1, s, $2, $3 FROM UNNEST($4::bigint[]) AS s
         ON CONFLICT (performance_id, seat_id) DO UPDATE
            SET hold_id = excluded.hold_id, expires_at = excluded.expires_at
          WHERE seat_claims.expires_at IS NOT NULL AND seat_claims.expires_at <= $5
         RETURNING seat_id",
    )
    .bind(hold.performance.0)
    .bind(hold.id.as_str())
    .bind(at(hold.expires_at))
    .bind(seat_ids)
    .bind(at(hold.now))
    .fetch_all(c)
    .await
}

/// Frees what expired holds kept, for one performance or all, skipping holds another
/// transaction is working on (they are the next sweep's).
pub(super) async fn expire(
    tx: &mut Transaction<'_, Postgres>,
    performance: Option<i64>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let perf = performance.unwrap_or(0);
    let expired: Vec<(String, i64, i64)> = sqlx::query_as(
        "UPDATE holds SET status = 'expired'
          WHERE id IN (SELECT id FROM holds
                        WHERE status = 'active' AND expires_at <= $1 AND ($2 = 0 OR performance_id = $2)
                        FOR NO KEY UPDATE SKIP LOCKED)
          RETURNING id, performance_id, quantity",
    )
    .bind(at(now))
    .bind(perf)
    .fetch_all(&mut **tx)
    .await?;
    for (hold, performance_id, quantity) in &expired {
        sqlx::query(
            "UPDATE performances SET ga_taken = ga_taken - $2 WHERE id = $1 AND NOT seated",
        )
        .bind(performance_id)
        .bind(quantity)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "UPDATE orders SET status = 'expired' WHERE hold_id = $1 AND status = 'awaiting_payment'",
        )
        .bind(hold)
        .execute(&mut **tx)
        .await?;
        sqlx::query("DELETE FROM seat_claims WHERE hold_id = $1 AND expires_at IS NOT NULL")
            .bind(hold)
            .execute(&mut **tx)
            .await?;
    }
    Ok(expired.len() as u64)
}

#[async_trait]
impl BookingRepo for PgStore {
    async fn seat_claims(
        &self,
        performance: PerformanceId,
        now: i64,
    ) -> RepoResult<Vec<(i64, SeatStatus)>> {
        let rows: Vec<(i64, bool, bool)> = sqlx::query_as(CLAIMS)
            .bind(performance.0)
            .bind(at(now))
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|(id, sold, blocked)| {
                let status = match (blocked, sold) {
                    (true, _) => SeatStatus::Blocked,
                    (false, true) => SeatStatus::Sold,
                    (false, false) => SeatStatus::Held,
                };
                (id, status)
            })
            .collect())
    }

    async fn block_seats(&self, block: &SeatBlock) -> RepoResult<Result<(), HoldRefusal>> {
        let mut tx = self.pool.begin().await.or_fail()?;
        // Like a buyer of chosen seats: never under a best-seat chooser's feet.
        sqlx::query("SELECT id FROM performances WHERE id = $1 FOR SHARE")
            .bind(block.performance.0)
            .execute(&mut *tx)
            .await
            .or_fail()?;
        // The block's own hold, settled at once (like a paid one): nothing expires it.
        sqlx::query(
            "INSERT INTO holds (id, performance_id, quantity, status, created_at, expires_at, client)
             VALUES ($1, $2, $3, 'consumed', $4, $4, NULL)",
        )
        .bind(block.hold.as_str())
        .bind(block.performance.0)
        .bind(block.seat_ids.len() as i64)
        .bind(at(block.now))
        .execute(&mut *tx)
        .await
        .or_fail()?;
        let claimed: Vec<i64> = sqlx::query_scalar(
            "INSERT INTO seat_claims (performance_id, seat_id, hold_id, expires_at, block_reason)
             SELECT $1, s, $2, NULL, $3 FROM UNNEST($4::bigint[]) AS s
             ON CONFLICT (performance_id, seat_id) DO UPDATE
                SET hold_id = excluded.hold_id, expires_at = NULL, block_reason = excluded.block_reason
              WHERE seat_claims.expires_at IS NOT NULL AND seat_claims.expires_at <= $5
             RETURNING seat_id",
        )
        .bind(block.performance.0)
        .bind(block.hold.as_str())
        .bind(block.reason.code())
        .bind(&block.seat_ids)
        .bind(at(block.now))
        .fetch_all(&mut *tx)
        .await
        .or_fail()?;
        if claimed.len() != block.seat_ids.len() {
            tx.rollback().await.or_fail()?;
            let mut taken: Vec<i64> = block
                .seat_ids
                .iter()
                .copied()
                .filter(|s| !claimed.contains(s))
                .collect();
            taken.sort_unstable();
            return Ok(Err(HoldRefusal::SeatsTaken(taken)));
        }
        super::staff::write_audit(&mut tx, &block.audit).await?;
        tx.commit().await.or_fail()?;
        Ok(Ok(()))
    }

    async fn release_blocks(&self, release: &BlockRelease) -> RepoResult<Vec<i64>> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let mut released: Vec<i64> = sqlx::query_scalar(
            "DELETE FROM seat_claims
              WHERE performance_id = $1 AND block_reason IS NOT NULL AND seat_id = ANY($2)
              RETURNING seat_id",
        )
        .bind(release.performance.0)
        .bind(&release.seat_ids)
        .fetch_all(&mut *tx)
        .await
        .or_fail()?;
        released.sort_unstable();
        if !released.is_empty() {
            super::staff::write_audit(&mut tx, &release.audit).await?;
        }
        tx.commit().await.or_fail()?;
        Ok(released)
    }

    async fn seat_blocks(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<(i64, app::domain::plan::BlockReason)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seat_id, block_reason FROM seat_claims
              WHERE performance_id = $1 AND block_reason IS NOT NULL ORDER BY seat_id",
        )
        .bind(performance.0)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, r)| Some((id, app::domain::plan::BlockReason::parse(&r)?)))
            .collect())
    }

    async fn hold_seats(
        &self,
        hold: &NewHold,
        seat_ids: &[i64],
    ) -> RepoResult<Result<(), HoldRefusal>> {
        let mut tx = self.pool.begin().await.or_fail()?;
        lock_client(&mut tx, hold).await.or_fail()?;
        // Shared among buyers of chosen seats, exclusive of a best-seat chooser (which must not
        // see a seat free and then find it claimed under it).
        sqlx::query("SELECT id FROM performances WHERE id = $1 FOR SHARE")
            .bind(hold.performance.0)
            .execute(&mut *tx)
            .await
            .or_fail()?;
        if let Some(refusal) = over_cap(&mut tx, hold, seat_ids.len() as i64)
            .await
            .or_fail()?
        {
            tx.rollback().await.or_fail()?;
            return Ok(Err(refusal));
        }
        let claimed = claim(&mut tx, hold, seat_ids).await.or_fail()?;
        if claimed.len() == seat_ids.len() {
            tx.commit().await.or_fail()?;
            return Ok(Ok(()));
        }
        tx.rollback().await.or_fail()?;
        let got: HashSet<i64> = claimed.into_iter().collect();
        let mut taken: Vec<i64> = sqlx::query_scalar(
            "SELECT seat_id FROM seat_claims
              WHERE performance_id = $1 AND seat_id = ANY($2) AND (expires_at IS NULL OR expires_at > $3)",
        )
        .bind(hold.performance.0)
        .bind(seat_ids)
        .bind(at(hold.now))
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        if taken.is_empty() {
            // Two transactions crossed and the other rolled back too: name what we missed.
            taken = seat_ids
                .iter()
                .copied()
                .filter(|s| !got.contains(s))
                .collect();
        }
        taken.sort_unstable();
        Ok(Err(HoldRefusal::SeatsTaken(taken)))
    }

    async fn hold_best_seats(
        &self,
        hold: &NewHold,
        choose: SeatChooser,
    ) -> RepoResult<Result<Vec<i64>, HoldRefusal>> {
        let mut tx = self.pool.begin().await.or_fail()?;
        lock_client(&mut tx, hold).await.or_fail()?;
        // Buyers of the same performance choose one after another, and buyers of chosen seats
        // (`FOR SHARE` in `hold_seats`) wait meanwhile. `NO KEY UPDATE`, not `UPDATE`: tickets
        // reference the performance, and a payment's foreign-key check (`KEY SHARE`) must not
        // wait behind a chooser — a payment holding its ticket series and waiting here, while
        // the chooser waited for that payment's seat claims, was a deadlock (found by the
        // two-server on-sale benchmark).
        sqlx::query("SELECT id FROM performances WHERE id = $1 FOR NO KEY UPDATE")
            .bind(hold.performance.0)
            .execute(&mut *tx)
            .await
            .or_fail()?;
        let taken: HashSet<i64> = sqlx::query_as::<_, (i64, bool, bool)>(CLAIMS)
            .bind(hold.performance.0)
            .bind(at(hold.now))
            .fetch_all(&mut *tx)
            .await
            .or_fail()?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        let Some(seats) = choose(&taken) else {
            tx.rollback().await.or_fail()?;
            return Ok(Err(HoldRefusal::SoldOut { remaining: 0 }));
        };
        if let Some(refusal) = over_cap(&mut tx, hold, seats.len() as i64)
            .await
            .or_fail()?
        {
            tx.rollback().await.or_fail()?;
            return Ok(Err(refusal));
        }
        let claimed = claim(&mut tx, hold, &seats).await.or_fail()?;
        if claimed.len() != seats.len() {
            tx.rollback().await.or_fail()?;
            return Err(app::ports::Failure::Internal(
                "a free seat could not be held".into(),
            ));
        }
        tx.commit().await.or_fail()?;
        Ok(Ok(seats))
    }

    async fn hold_places(
        &self,
        hold: &NewHold,
        quantity: i64,
    ) -> RepoResult<Result<(), HoldRefusal>> {
        let mut tx = self.pool.begin().await.or_fail()?;
        lock_client(&mut tx, hold).await.or_fail()?;
        expire(&mut tx, Some(hold.performance.0), hold.now)
            .await
            .or_fail()?;
        if let Some(refusal) = over_cap(&mut tx, hold, quantity).await.or_fail()? {
            tx.commit().await.or_fail()?;
            return Ok(Err(refusal));
        }
        // Atomic conditional increment: concurrent buyers can never pass the capacity.
        let took = sqlx::query(
            "UPDATE performances SET ga_taken = ga_taken + $2 WHERE id = $1 AND ga_taken + $2 <= capacity",
        )
        .bind(hold.performance.0)
        .bind(quantity)
        .execute(&mut *tx)
        .await
        .or_fail()?
        .rows_affected();
        if took == 0 {
            let remaining: i64 =
                sqlx::query_scalar("SELECT capacity - ga_taken FROM performances WHERE id = $1")
                    .bind(hold.performance.0)
                    .fetch_one(&mut *tx)
                    .await
                    .or_fail()?;
            tx.commit().await.or_fail()?;
            return Ok(Err(HoldRefusal::SoldOut { remaining }));
        }
        insert_hold(&mut tx, hold, quantity).await.or_fail()?;
        tx.commit().await.or_fail()?;
        Ok(Ok(()))
    }

    async fn hold(&self, id: &HoldId) -> RepoResult<Option<HoldRow>> {
        let rows: Vec<(i64, i64, String, DateTime<Utc>, Option<i64>)> = sqlx::query_as(
            "SELECT h.performance_id, h.quantity, h.status, h.expires_at, c.seat_id
               FROM holds h LEFT JOIN seat_claims c ON c.hold_id = h.id
              WHERE h.id = $1 ORDER BY c.seat_id",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        let Some((performance, quantity, status, expires_at, _)) = rows.first().cloned() else {
            return Ok(None);
        };
        Ok(Some(HoldRow {
            id: id.clone(),
            performance: PerformanceId(performance),
            quantity,
            status: HoldStatus::parse(&status).unwrap_or(HoldStatus::Expired),
            expires_at: secs(expires_at),
            seat_ids: rows.iter().filter_map(|r| r.4).collect(),
        }))
    }

    async fn release_hold(&self, id: &HoldId) -> RepoResult<Release> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let released: Option<(i64, i64)> = sqlx::query_as(
            "UPDATE holds SET status = 'released' WHERE id = $1 AND status = 'active'
             RETURNING performance_id, quantity",
        )
        .bind(id.as_str())
        .fetch_optional(&mut *tx)
        .await
        .or_fail()?;
        let Some((performance, quantity)) = released else {
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM holds WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&mut *tx)
                    .await
                    .or_fail()?;
            tx.rollback().await.or_fail()?;
            return Ok(match status.as_deref().and_then(HoldStatus::parse) {
                None => Release::Unknown,
                Some(HoldStatus::Consumed) => Release::Paid,
                Some(_) => Release::AlreadyFree,
            });
        };
        sqlx::query(
            "UPDATE performances SET ga_taken = ga_taken - $2 WHERE id = $1 AND NOT seated",
        )
        .bind(performance)
        .bind(quantity)
        .execute(&mut *tx)
        .await
        .or_fail()?;
        sqlx::query("DELETE FROM seat_claims WHERE hold_id = $1 AND expires_at IS NOT NULL")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .or_fail()?;
        sqlx::query(
            "UPDATE orders SET status = 'cancelled' WHERE hold_id = $1 AND status = 'awaiting_payment'",
        )
        .bind(id.as_str())
        .execute(&mut *tx)
        .await
        .or_fail()?;
        tx.commit().await.or_fail()?;
        Ok(Release::Released {
            performance: PerformanceId(performance),
        })
    }

    async fn expire_holds(&self, now: i64) -> RepoResult<u64> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let n = expire(&mut tx, None, now).await.or_fail()?;
        // Claims of expired holds the sweep above could not lock are freed with their hold.
        tx.commit().await.or_fail()?;
        Ok(n)
    }

    async fn extend_hold(&self, id: &HoldId, now: i64, until: i64) -> RepoResult<bool> {
        let mut tx = self.pool.begin().await.or_fail()?;
        // The hold's row first, as every step on a hold locks it.
        let active: Option<DateTime<Utc>> = sqlx::query_scalar(
            "SELECT expires_at FROM holds WHERE id = $1 AND status = 'active' AND expires_at > $2
             FOR NO KEY UPDATE",
        )
        .bind(id.as_str())
        .bind(at(now))
        .fetch_optional(&mut *tx)
        .await
        .or_fail()?;
        let Some(expires_at) = active else {
            return Ok(false);
        };
        if secs(expires_at) < until {
            sqlx::query("UPDATE holds SET expires_at = $2 WHERE id = $1")
                .bind(id.as_str())
                .bind(at(until))
                .execute(&mut *tx)
                .await
                .or_fail()?;
            sqlx::query(
                "UPDATE seat_claims SET expires_at = $2
                  WHERE hold_id = $1 AND expires_at IS NOT NULL AND expires_at < $2",
            )
            .bind(id.as_str())
            .bind(at(until))
            .execute(&mut *tx)
            .await
            .or_fail()?;
        }
        tx.commit().await.or_fail()?;
        Ok(true)
    }
}

//! Holds on SQLite. Every write runs on the writer thread, so a step can read, decide and write
//! without another writer in between: all or nothing, without retries.
use super::writer::Writer;
use super::{placeholders, SqliteStore};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::{HoldId, PerformanceId};
use app::dto::SeatStatus;
use async_trait::async_trait;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use std::collections::HashSet;

/// The held, sold and blocked seats of performance `?1` at time `?2`, packed in one row
/// ("12s,13h,14b"):
/// the sqlx SQLite driver hands rows over one by one between threads, and a full house is
/// 500 rows.
const CLAIMS: &str = "SELECT group_concat(seat_id || (CASE WHEN block_reason IS NOT NULL THEN 'b'
                                                       WHEN expires_at IS NULL THEN 's' ELSE 'h' END), ',')
                        FROM seat_claims WHERE performance_id = ?1 AND (expires_at IS NULL OR expires_at > ?2)";

pub(super) fn parse_claims(packed: &str) -> Vec<(i64, SeatStatus)> {
    packed
        .split(',')
        .filter_map(|item| {
            let (id, kind) = item.split_at(item.len().checked_sub(1)?);
            let status = match kind {
                "s" => SeatStatus::Sold,
                "b" => SeatStatus::Blocked,
                _ => SeatStatus::Held,
            };
            Some((id.parse().ok()?, status))
        })
        .collect()
}

/// The seats of `seat_ids` that are held (unexpired) or sold.
fn taken(
    conn: &Connection,
    performance: i64,
    seat_ids: &[i64],
    now: i64,
) -> rusqlite::Result<Vec<i64>> {
    let sql = format!(
        "SELECT seat_id FROM seat_claims
          WHERE performance_id = ?1 AND (expires_at IS NULL OR expires_at > ?2) AND seat_id IN ({})",
        placeholders(3, seat_ids.len())
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let args = [performance, now]
        .into_iter()
        .chain(seat_ids.iter().copied());
    let rows = stmt.query_map(params_from_iter(args), |r| r.get(0))?;
    rows.collect()
}

fn insert_hold(conn: &Connection, hold: &NewHold, quantity: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO holds (id, performance_id, quantity, status, created_at, expires_at, client)
         VALUES (?1, ?2, ?3, 'active', ?4, ?5, ?6)",
    )?
    .execute(params![
        hold.id.as_str(),
        hold.performance.0,
        quantity,
        hold.now,
        hold.expires_at,
        hold.limit.as_ref().map(|l| l.client.as_str()),
    ])?;
    Ok(())
}

/// The refusal when the hold's client may not hold `asking` more of the performance. Runs on
/// the writer thread, so nothing of the client's can land between the count and the claim.
fn over_cap(
    conn: &Connection,
    hold: &NewHold,
    asking: i64,
) -> rusqlite::Result<Option<HoldRefusal>> {
    let Some(limit) = &hold.limit else {
        return Ok(None);
    };
    let (held, frees_at): (i64, Option<i64>) = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(quantity), 0), MIN(expires_at) FROM holds
              WHERE client = ?1 AND performance_id = ?2 AND status = 'active' AND expires_at > ?3",
        )?
        .query_row(
            params![limit.client.as_str(), hold.performance.0, hold.now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
    Ok(app::domain::hold_cap::check(held, asking, limit.cap)
        .err()
        .map(|e| HoldRefusal::TooManyHeld {
            held: e.held,
            cap: e.cap,
            frees_at: frees_at.unwrap_or(hold.now),
        }))
}

/// Claims free seats for a new hold (an expired claim is taken over). The caller checked that
/// none is taken.
fn claim(conn: &Connection, hold: &NewHold, seat_ids: &[i64]) -> rusqlite::Result<()> {
    insert_hold(conn, hold, seat_ids.len() as i64)?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO seat_claims (performance_id, seat_id, hold_id, expires_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (performance_id, seat_id) DO UPDATE SET hold_id = excluded.hold_id, expires_at = excluded.expires_at",
    )?;
    for seat in seat_ids {
        stmt.execute(params![
            hold.performance.0,
            seat,
            hold.id.as_str(),
            hold.expires_at
        ])?;
    }
    Ok(())
}

/// Frees what expired holds kept, for one performance or all: their claims, their places, and
/// the orders still waiting for payment on them.
pub(super) fn expire(
    conn: &Connection,
    performance: Option<i64>,
    now: i64,
) -> rusqlite::Result<u64> {
    let perf = performance.unwrap_or(0);
    let expired: Vec<(String, i64, i64)> = conn
        .prepare_cached(
            "UPDATE holds SET status = 'expired'
              WHERE status = 'active' AND expires_at <= ?1 AND (?2 = 0 OR performance_id = ?2)
              RETURNING id, performance_id, quantity",
        )?
        .query_map(params![now, perf], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (hold, performance_id, quantity) in &expired {
        // Only general-admission performances count places.
        conn.prepare_cached(
            "UPDATE performances SET ga_taken = ga_taken - ?2 WHERE id = ?1 AND seated = 0",
        )?
        .execute(params![performance_id, quantity])?;
        conn.prepare_cached(
            "UPDATE orders SET status = 'expired' WHERE hold_id = ?1 AND status = 'awaiting_payment'",
        )?
        .execute(params![hold])?;
    }
    conn.prepare_cached(
        "DELETE FROM seat_claims
          WHERE expires_at IS NOT NULL AND expires_at <= ?1 AND (?2 = 0 OR performance_id = ?2)",
    )?
    .execute(params![now, perf])?;
    Ok(expired.len() as u64)
}

impl SqliteStore {
    fn writer(&self) -> &Writer {
        &self.writer
    }
}

#[async_trait]
impl BookingRepo for SqliteStore {
    async fn seat_claims(
        &self,
        performance: PerformanceId,
        now: i64,
    ) -> RepoResult<Vec<(i64, SeatStatus)>> {
        let packed: Option<String> = sqlx::query_scalar(CLAIMS)
            .bind(performance.0)
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .or_fail()?;
        Ok(packed.as_deref().map(parse_claims).unwrap_or_default())
    }

    async fn block_seats(&self, block: &SeatBlock) -> RepoResult<Result<(), HoldRefusal>> {
        let block = block.clone();
        self.writer()
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let perf = block.performance.0;
                let taken = taken(&tx, perf, &block.seat_ids, block.now)?;
                if !taken.is_empty() {
                    return Ok(Err(HoldRefusal::SeatsTaken(taken)));
                }
                // The block's own hold, settled at once (like a paid one): nothing expires it.
                tx.prepare_cached(
                    "INSERT INTO holds (id, performance_id, quantity, status, created_at, expires_at, client)
                     VALUES (?1, ?2, ?3, 'consumed', ?4, ?4, NULL)",
                )?
                .execute(params![
                    block.hold.as_str(),
                    perf,
                    block.seat_ids.len() as i64,
                    block.now
                ])?;
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO seat_claims (performance_id, seat_id, hold_id, expires_at, block_reason)
                     VALUES (?1, ?2, ?3, NULL, ?4)
                     ON CONFLICT (performance_id, seat_id) DO UPDATE
                        SET hold_id = excluded.hold_id, expires_at = NULL, block_reason = excluded.block_reason",
                )?;
                for seat in &block.seat_ids {
                    stmt.execute(params![perf, seat, block.hold.as_str(), block.reason.code()])?;
                }
                drop(stmt);
                super::staff::write_audit(&tx, &block.audit)?;
                tx.commit()?;
                Ok(Ok(()))
            })
            .await
    }

    async fn release_blocks(&self, release: &BlockRelease) -> RepoResult<Vec<i64>> {
        let release = release.clone();
        self.writer()
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let sql = format!(
                    "DELETE FROM seat_claims
                      WHERE performance_id = ?1 AND block_reason IS NOT NULL AND seat_id IN ({})
                      RETURNING seat_id",
                    placeholders(2, release.seat_ids.len())
                );
                let mut released: Vec<i64> = {
                    let mut stmt = tx.prepare(&sql)?;
                    let args = std::iter::once(release.performance.0)
                        .chain(release.seat_ids.iter().copied());
                    let rows = stmt.query_map(params_from_iter(args), |r| r.get(0))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                released.sort_unstable();
                if !released.is_empty() {
                    super::staff::write_audit(&tx, &release.audit)?;
                }
                tx.commit()?;
                Ok(released)
            })
            .await
    }

    async fn seat_blocks(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<(i64, app::domain::plan::BlockReason)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seat_id, block_reason FROM seat_claims
              WHERE performance_id = ?1 AND block_reason IS NOT NULL ORDER BY seat_id",
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
        let (hold, seat_ids) = (hold.clone(), seat_ids.to_vec());
        self.writer()
            .run(move |conn| {
                let tx = conn.savepoint()?;
                if let Some(refusal) = over_cap(&tx, &hold, seat_ids.len() as i64)? {
                    return Ok(Err(refusal));
                }
                let taken = taken(&tx, hold.performance.0, &seat_ids, hold.now)?;
                if !taken.is_empty() {
                    return Ok(Err(HoldRefusal::SeatsTaken(taken)));
                }
                claim(&tx, &hold, &seat_ids)?;
                tx.commit()?;
                Ok(Ok(()))
            })
            .await
    }

    async fn hold_best_seats(
        &self,
        hold: &NewHold,
        choose: SeatChooser,
    ) -> RepoResult<Result<Vec<i64>, HoldRefusal>> {
        let hold = hold.clone();
        self.writer()
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let packed: Option<String> = tx
                    .prepare_cached(CLAIMS)?
                    .query_row(params![hold.performance.0, hold.now], |r| r.get(0))?;
                let taken: HashSet<i64> = packed
                    .as_deref()
                    .map(parse_claims)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
                let Some(seats) = choose(&taken) else {
                    return Ok(Err(HoldRefusal::SoldOut { remaining: 0 }));
                };
                if let Some(refusal) = over_cap(&tx, &hold, seats.len() as i64)? {
                    return Ok(Err(refusal));
                }
                claim(&tx, &hold, &seats)?;
                tx.commit()?;
                Ok(Ok(seats))
            })
            .await
    }

    async fn hold_places(
        &self,
        hold: &NewHold,
        quantity: i64,
    ) -> RepoResult<Result<(), HoldRefusal>> {
        let hold = hold.clone();
        self.writer()
            .run(move |conn| {
                let tx = conn.savepoint()?;
                expire(&tx, Some(hold.performance.0), hold.now)?;
                if let Some(refusal) = over_cap(&tx, &hold, quantity)? {
                    tx.commit()?;
                    return Ok(Err(refusal));
                }
                let took = tx
                    .prepare_cached(
                        "UPDATE performances SET ga_taken = ga_taken + ?2 WHERE id = ?1 AND ga_taken + ?2 <= capacity",
                    )?
                    .execute(params![hold.performance.0, quantity])?;
                if took == 0 {
                    let remaining: i64 = tx
                        .prepare_cached("SELECT capacity - ga_taken FROM performances WHERE id = ?1")?
                        .query_row(params![hold.performance.0], |r| r.get(0))?;
                    // Expiring others' holds is kept: it was due anyway.
                    tx.commit()?;
                    return Ok(Err(HoldRefusal::SoldOut { remaining }));
                }
                insert_hold(&tx, &hold, quantity)?;
                tx.commit()?;
                Ok(Ok(()))
            })
            .await
    }

    async fn hold(&self, id: &HoldId) -> RepoResult<Option<HoldRow>> {
        // One row per claimed seat (one row with no seat for general admission).
        let rows: Vec<(i64, i64, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT h.performance_id, h.quantity, h.status, h.expires_at, c.seat_id
               FROM holds h LEFT JOIN seat_claims c ON c.hold_id = h.id
              WHERE h.id = ?1 ORDER BY c.seat_id",
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
            expires_at,
            seat_ids: rows.iter().filter_map(|r| r.4).collect(),
        }))
    }

    async fn release_hold(&self, id: &HoldId) -> RepoResult<Release> {
        let id = id.clone();
        self.writer()
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let released: Option<(i64, i64)> = tx
                    .prepare_cached(
                        "UPDATE holds SET status = 'released' WHERE id = ?1 AND status = 'active'
                         RETURNING performance_id, quantity",
                    )?
                    .query_row(params![id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                let Some((performance, quantity)) = released else {
                    let status: Option<String> = tx
                        .prepare_cached("SELECT status FROM holds WHERE id = ?1")?
                        .query_row(params![id.as_str()], |r| r.get(0))
                        .optional()?;
                    return Ok(match status.as_deref().and_then(HoldStatus::parse) {
                        None => Release::Unknown,
                        Some(HoldStatus::Consumed) => Release::Paid,
                        Some(_) => Release::AlreadyFree,
                    });
                };
                tx.prepare_cached(
                    "UPDATE performances SET ga_taken = ga_taken - ?2 WHERE id = ?1 AND seated = 0",
                )?
                .execute(params![performance, quantity])?;
                tx.prepare_cached("DELETE FROM seat_claims WHERE hold_id = ?1 AND expires_at IS NOT NULL")?
                    .execute(params![id.as_str()])?;
                tx.prepare_cached(
                    "UPDATE orders SET status = 'cancelled' WHERE hold_id = ?1 AND status = 'awaiting_payment'",
                )?
                .execute(params![id.as_str()])?;
                tx.commit()?;
                Ok(Release::Released {
                    performance: PerformanceId(performance),
                })
            })
            .await
    }

    async fn expire_holds(&self, now: i64) -> RepoResult<u64> {
        self.writer()
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let n = expire(&tx, None, now)?;
                tx.commit()?;
                Ok(n)
            })
            .await
    }

    async fn extend_hold(&self, id: &HoldId, now: i64, until: i64) -> RepoResult<bool> {
        let id = id.as_str().to_string();
        self.writer()
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let n = tx
                    .prepare_cached(
                        "UPDATE holds SET expires_at = ?3
                          WHERE id = ?1 AND status = 'active' AND expires_at > ?2 AND expires_at < ?3",
                    )?
                    .execute(params![id, now, until])?;
                if n > 0 {
                    tx.prepare_cached(
                        "UPDATE seat_claims SET expires_at = ?2
                          WHERE hold_id = ?1 AND expires_at IS NOT NULL AND expires_at < ?2",
                    )?
                    .execute(params![id, until])?;
                }
                let active: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM holds WHERE id = ?1 AND status = 'active' AND expires_at > ?2)",
                    )?
                    .query_row(params![id, now], |r| r.get(0))?;
                tx.commit()?;
                Ok(active)
            })
            .await
    }
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

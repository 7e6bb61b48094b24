//! The journals on PostgreSQL: every append takes the journal's advisory lock first, so the
//! app servers append one entry at a time, each chained to the last one stored.
use super::PgStore;
use crate::adapters::storage::journal::{
    next_entry, next_event, read_entry, write_entry, write_event,
};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::journal::{CashCounted, Draft, Entry, TechEvent, TechKind};
use async_trait::async_trait;
use sqlx::PgConnection;

/// Serialises appends to the journals across app servers (held until the transaction ends).
const JOURNAL_LOCK: i64 = 0x4755_4943_4845_54; // "GUICHET"

fn refused(why: String) -> sqlx::Error {
    sqlx::Error::Protocol(why)
}

async fn lock(c: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(JOURNAL_LOCK)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Appends a technical event in the caller's transaction.
pub(super) async fn append_event(
    c: &mut PgConnection,
    at: i64,
    kind: TechKind,
    detail: &str,
) -> Result<TechEvent, sqlx::Error> {
    lock(c).await?;
    let last: Option<String> =
        sqlx::query_scalar("SELECT event FROM tech_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *c)
            .await?;
    let event = next_event(last.as_deref(), at, kind, detail).map_err(refused)?;
    sqlx::query("INSERT INTO tech_events (seq, at, kind, hash, event) VALUES ($1, $2, $3, $4, $5)")
        .bind(event.seq)
        .bind(event.at)
        .bind(event.kind.as_str())
        .bind(&event.hash)
        .bind(write_event(&event).map_err(refused)?)
        .execute(&mut *c)
        .await?;
    Ok(event)
}

/// Appends a journal entry in the caller's transaction (a settlement's, or its own).
pub(super) async fn append_entry(c: &mut PgConnection, draft: Draft) -> Result<Entry, sqlx::Error> {
    lock(c).await?;
    let last: Option<String> =
        sqlx::query_scalar("SELECT entry FROM journal_entries ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *c)
            .await?;
    let at = draft.at;
    let (entry, jump) = next_entry(last.as_deref(), draft).map_err(refused)?;
    if let Some(why) = jump {
        append_event(c, at, TechKind::ClockJump, &why).await?;
    }
    sqlx::query(
        "INSERT INTO journal_entries (seq, at, kind, desk, order_ref, total_cents, hash, entry)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.seq)
    .bind(entry.at)
    .bind(entry.kind.as_str())
    .bind(&entry.desk)
    .bind(&entry.order_ref)
    .bind(entry.total_cents)
    .bind(&entry.hash)
    .bind(write_entry(&entry).map_err(refused)?)
    .execute(&mut *c)
    .await?;
    Ok(entry)
}

fn entries(rows: Vec<(i64, String)>) -> Vec<Result<Entry, i64>> {
    rows.into_iter()
        .map(|(seq, json)| read_entry(&json).map_err(|_| seq))
        .collect()
}

#[async_trait]
impl JournalRepo for PgStore {
    async fn append(&self, draft: Draft) -> RepoResult<Entry> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let entry = append_entry(&mut tx, draft).await.or_fail()?;
        tx.commit().await.or_fail()?;
        Ok(entry)
    }

    async fn entries_between(&self, from: i64, until: i64) -> RepoResult<Vec<Entry>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, entry FROM journal_entries WHERE at >= $1 AND at < $2 ORDER BY seq",
        )
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        entries(rows)
            .into_iter()
            .map(|e| {
                e.map_err(|seq| Failure::Internal(format!("journal entry {seq} does not read")))
            })
            .collect()
    }

    async fn entries_after(&self, after: i64, limit: i64) -> RepoResult<Vec<Result<Entry, i64>>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, entry FROM journal_entries WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(entries(rows))
    }

    async fn entry_by_ref(&self, order_ref: &str) -> RepoResult<Option<Entry>> {
        let row: Option<String> = sqlx::query_scalar(
            "SELECT entry FROM journal_entries WHERE order_ref = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(order_ref)
        .fetch_optional(&self.pool)
        .await
        .or_fail()?;
        row.map(|json| read_entry(&json).map_err(Failure::Internal))
            .transpose()
    }

    async fn last_entry(&self) -> RepoResult<Option<Entry>> {
        let row: Option<String> =
            sqlx::query_scalar("SELECT entry FROM journal_entries ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await
                .or_fail()?;
        row.map(|json| read_entry(&json).map_err(Failure::Internal))
            .transpose()
    }

    async fn record_cash_count(
        &self,
        day: &str,
        count: &CashCounted,
        agent: &str,
        at: i64,
    ) -> RepoResult<()> {
        sqlx::query(
            "INSERT INTO cash_counts (day, desk, opening_float_cents, counted_cents, agent, at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (day, desk) DO UPDATE SET opening_float_cents = excluded.opening_float_cents,
                 counted_cents = excluded.counted_cents, agent = excluded.agent, at = excluded.at",
        )
        .bind(day)
        .bind(&count.desk)
        .bind(count.opening_float_cents)
        .bind(count.counted_cents)
        .bind(agent)
        .bind(at)
        .execute(&self.pool)
        .await
        .or_fail()?;
        Ok(())
    }

    async fn cash_counts(&self, day: &str) -> RepoResult<Vec<CashCounted>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT desk, opening_float_cents, counted_cents FROM cash_counts WHERE day = $1 ORDER BY desk",
        )
        .bind(day)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|(desk, opening_float_cents, counted_cents)| CashCounted {
                desk,
                opening_float_cents,
                counted_cents,
            })
            .collect())
    }

    async fn append_tech(&self, at: i64, kind: TechKind, detail: &str) -> RepoResult<TechEvent> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let event = append_event(&mut tx, at, kind, detail).await.or_fail()?;
        tx.commit().await.or_fail()?;
        Ok(event)
    }

    async fn tech_after(&self, after: i64, limit: i64) -> RepoResult<Vec<Result<TechEvent, i64>>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, event FROM tech_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|(seq, json)| serde_json::from_str(&json).map_err(|_| seq))
            .collect())
    }
}

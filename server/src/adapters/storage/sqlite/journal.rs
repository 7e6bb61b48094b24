//! The journals on SQLite: appended on the writer thread, so one entry at a time, each chained
//! to the last one stored.
use super::SqliteStore;
use crate::adapters::storage::journal::{
    next_entry, next_event, read_entry, write_entry, write_event,
};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::journal::{CashCounted, Draft, Entry, TechEvent, TechKind};
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};

fn refused(why: String) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(why.into())
}

/// Appends a technical event in the caller's transaction.
pub(super) fn append_event(
    conn: &Connection,
    at: i64,
    kind: TechKind,
    detail: &str,
) -> rusqlite::Result<TechEvent> {
    let last: Option<String> = conn
        .prepare_cached("SELECT event FROM tech_events ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let event = next_event(last.as_deref(), at, kind, detail).map_err(refused)?;
    conn.prepare_cached(
        "INSERT INTO tech_events (seq, at, kind, hash, event) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        event.seq,
        event.at,
        event.kind.as_str(),
        event.hash,
        write_event(&event).map_err(refused)?
    ])?;
    Ok(event)
}

/// Appends a journal entry in the caller's transaction (a settlement's, or its own).
pub(super) fn append_entry(conn: &Connection, draft: Draft) -> rusqlite::Result<Entry> {
    let last: Option<String> = conn
        .prepare_cached("SELECT entry FROM journal_entries ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let at = draft.at;
    let (entry, jump) = next_entry(last.as_deref(), draft).map_err(refused)?;
    if let Some(why) = jump {
        append_event(conn, at, TechKind::ClockJump, &why)?;
    }
    conn.prepare_cached(
        "INSERT INTO journal_entries (seq, at, kind, desk, order_ref, total_cents, hash, entry)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        entry.seq,
        entry.at,
        entry.kind.as_str(),
        entry.desk,
        entry.order_ref,
        entry.total_cents,
        entry.hash,
        write_entry(&entry).map_err(refused)?
    ])?;
    Ok(entry)
}

fn entries(rows: Vec<(i64, String)>) -> Vec<Result<Entry, i64>> {
    rows.into_iter()
        .map(|(seq, json)| read_entry(&json).map_err(|_| seq))
        .collect()
}

#[async_trait]
impl JournalRepo for SqliteStore {
    async fn append(&self, draft: Draft) -> RepoResult<Entry> {
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let entry = append_entry(&tx, draft)?;
                tx.commit()?;
                Ok(entry)
            })
            .await
    }

    async fn entries_between(&self, from: i64, until: i64) -> RepoResult<Vec<Entry>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, entry FROM journal_entries WHERE at >= ?1 AND at < ?2 ORDER BY seq",
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
            "SELECT seq, entry FROM journal_entries WHERE seq > ?1 ORDER BY seq LIMIT ?2",
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
            "SELECT entry FROM journal_entries WHERE order_ref = ?1 ORDER BY seq DESC LIMIT 1",
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
        let (day, count, agent) = (day.to_string(), count.clone(), agent.to_string());
        self.writer
            .run(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO cash_counts (day, desk, opening_float_cents, counted_cents, agent, at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (day, desk) DO UPDATE SET opening_float_cents = excluded.opening_float_cents,
                         counted_cents = excluded.counted_cents, agent = excluded.agent, at = excluded.at",
                )?
                .execute(params![
                    day,
                    count.desk,
                    count.opening_float_cents,
                    count.counted_cents,
                    agent,
                    at
                ])?;
                Ok(())
            })
            .await
    }

    async fn cash_counts(&self, day: &str) -> RepoResult<Vec<CashCounted>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT desk, opening_float_cents, counted_cents FROM cash_counts WHERE day = ?1 ORDER BY desk",
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
        let detail = detail.to_string();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let event = append_event(&tx, at, kind, &detail)?;
                tx.commit()?;
                Ok(event)
            })
            .await
    }

    async fn tech_after(&self, after: i64, limit: i64) -> RepoResult<Vec<Result<TechEvent, i64>>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, event FROM tech_events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
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

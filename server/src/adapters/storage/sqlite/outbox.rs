//! The e-mail outbox on SQLite.
use super::SqliteStore;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::OrderId;
use async_trait::async_trait;
use rusqlite::{params, Connection};

/// Queues a mail inside the settlement's transaction (once per order and kind).
pub(super) fn enqueue(
    conn: &Connection,
    order: &OrderId,
    mail: &NewMail,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO mail_outbox (kind, order_id, recipient, created_at, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (order_id, kind) DO NOTHING",
    )?
    .execute(params![
        mail.kind.as_str(),
        order.as_str(),
        mail.recipient,
        now
    ])?;
    Ok(())
}

type Row = (
    i64,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<String>,
);

fn row(r: Row) -> Option<OutboxRow> {
    Some(OutboxRow {
        id: r.0,
        kind: MailKind::parse(&r.1)?,
        order: OrderId::from_trusted(r.2),
        recipient: r.3,
        attempts: r.4,
        created_at: r.5,
        sent_at: r.6,
        last_error: r.7,
    })
}

const COLUMNS: &str = "id, kind, order_id, recipient, attempts, created_at, sent_at, last_error";

#[async_trait]
impl OutboxRepo for SqliteStore {
    async fn claim_due_mails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> RepoResult<Vec<OutboxRow>> {
        self.writer
            .run(move |conn| {
                let mut stmt = conn.prepare_cached(&format!(
                    "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?2
                      WHERE id IN (SELECT id FROM mail_outbox
                                    WHERE sent_at IS NULL AND next_attempt_at <= ?1
                                    ORDER BY next_attempt_at, id LIMIT ?3)
                      RETURNING {COLUMNS}"
                ))?;
                let rows = stmt.query_map(params![now, lease_until, limit], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                })?;
                let mut out: Vec<OutboxRow> = Vec::new();
                for r in rows {
                    out.extend(row(r?));
                }
                out.sort_by_key(|m| m.id);
                Ok(out)
            })
            .await
    }

    async fn mail_sent(&self, id: i64, now: i64) -> RepoResult<()> {
        self.writer
            .run(move |conn| {
                conn.prepare_cached(
                    "UPDATE mail_outbox SET sent_at = ?2, last_error = NULL WHERE id = ?1",
                )?
                .execute(params![id, now])
                .map(|_| ())
            })
            .await
    }

    async fn mail_failed(&self, id: i64, error: &str, next_attempt_at: i64) -> RepoResult<()> {
        let error = error.to_string();
        self.writer
            .run(move |conn| {
                conn.prepare_cached(
                    "UPDATE mail_outbox SET last_error = ?2, next_attempt_at = ?3
                      WHERE id = ?1 AND sent_at IS NULL",
                )?
                .execute(params![id, error, next_attempt_at])
                .map(|_| ())
            })
            .await
    }

    async fn mail_status(&self) -> RepoResult<MailStatus> {
        let (waiting, sent): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(sent_at IS NULL), 0), COALESCE(SUM(sent_at IS NOT NULL), 0)
               FROM mail_outbox",
        )
        .fetch_one(&self.pool)
        .await
        .or_fail()?;
        let failing: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM mail_outbox
              WHERE sent_at IS NULL AND last_error IS NOT NULL ORDER BY id LIMIT 100"
        ))
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(MailStatus {
            waiting,
            sent,
            failing: failing.into_iter().filter_map(row).collect(),
        })
    }
}

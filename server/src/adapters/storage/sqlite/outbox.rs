//! The e-mail outbox on SQLite.
use super::SqliteStore;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::OrderId;
use async_trait::async_trait;
use rusqlite::{params, Connection};

/// Queues a mail inside the transaction that makes it due (a confirmation once per order).
pub(super) fn enqueue(conn: &Connection, mail: &NewMail, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO mail_outbox (kind, payload, order_id, recipient, created_at, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        mail.mail.kind(),
        mail.mail.payload(),
        mail.order.as_ref().map(|o| o.as_str()),
        mail.recipient,
        now
    ])?;
    Ok(())
}

type Row = (
    i64,
    String,
    Option<String>,
    String,
    i64,
    i64,
    Option<i64>,
    Option<String>,
);

fn row(r: Row) -> Option<OutboxRow> {
    Some(OutboxRow {
        id: r.0,
        mail: Mail::from_payload(&r.1)?,
        order: r.2.map(OrderId::from_trusted),
        recipient: r.3,
        attempts: r.4,
        created_at: r.5,
        sent_at: r.6,
        last_error: r.7,
    })
}

const COLUMNS: &str = "id, payload, order_id, recipient, attempts, created_at, sent_at, last_error";

#[async_trait]
impl OutboxRepo for SqliteStore {
    async fn queue_mail(&self, mail: &NewMail, now: i64) -> RepoResult<()> {
        let mail = mail.clone();
        self.writer.run(move |conn| enqueue(conn, &mail, now)).await
    }

    async fn asked_mails_since(&self, recipient: &str, kind: Asked, since: i64) -> RepoResult<i64> {
        // The kind as a literal (from the enum): the partial index applies.
        sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM mail_outbox
              WHERE lower(recipient) = lower(?1) AND kind = '{}' AND created_at >= ?2",
            kind.kind()
        ))
        .bind(recipient)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .or_fail()
    }

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

    async fn mails_sent(&self, ids: &[i64], now: i64) -> RepoResult<()> {
        let ids = ids.to_vec();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                {
                    let mut stmt = tx.prepare_cached(
                        "UPDATE mail_outbox SET sent_at = ?2, last_error = NULL WHERE id = ?1",
                    )?;
                    for id in &ids {
                        stmt.execute(params![id, now])?;
                    }
                }
                tx.commit()
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

//! The e-mail outbox on PostgreSQL: app servers claim due mails with `SKIP LOCKED`, so each mail
//! goes out from one of them.
use super::{at, secs, PgStore};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::OrderId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Queues a mail inside the transaction that makes it due (a confirmation once per order).
pub(super) async fn enqueue(
    c: &mut PgConnection,
    mail: &NewMail,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_outbox (kind, payload, order_id, recipient, created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING",
    )
    .bind(mail.mail.kind())
    .bind(mail.mail.payload())
    .bind(mail.order.as_ref().map(|o| o.as_str()))
    .bind(&mail.recipient)
    .bind(at(now))
    .execute(c)
    .await?;
    Ok(())
}

type Row = (
    i64,
    String,
    Option<String>,
    String,
    i32,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<String>,
);

fn row(r: Row) -> Option<OutboxRow> {
    Some(OutboxRow {
        id: r.0,
        mail: Mail::from_payload(&r.1)?,
        order: r.2.map(OrderId::from_trusted),
        recipient: r.3,
        attempts: r.4.into(),
        created_at: secs(r.5),
        sent_at: r.6.map(secs),
        last_error: r.7,
    })
}

const COLUMNS: &str = "id, payload, order_id, recipient, attempts, created_at, sent_at, last_error";

#[async_trait]
impl OutboxRepo for PgStore {
    async fn queue_mail(&self, mail: &NewMail, now: i64) -> RepoResult<()> {
        let mut c = self.pool.acquire().await.or_fail()?;
        enqueue(&mut c, mail, now).await.or_fail()
    }

    async fn asked_mails_since(&self, recipient: &str, kind: Asked, since: i64) -> RepoResult<i64> {
        // The kind as a literal (from the enum): the partial index applies.
        sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM mail_outbox
              WHERE lower(recipient) = lower($1) AND kind = '{}' AND created_at >= $2",
            kind.kind()
        ))
        .bind(recipient)
        .bind(at(since))
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
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $2
              WHERE id IN (SELECT id FROM mail_outbox
                            WHERE sent_at IS NULL AND next_attempt_at <= $1
                            ORDER BY next_attempt_at, id LIMIT $3
                            FOR UPDATE SKIP LOCKED)
              RETURNING {COLUMNS}"
        ))
        .bind(at(now))
        .bind(at(lease_until))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        let mut out: Vec<OutboxRow> = rows.into_iter().filter_map(row).collect();
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    async fn mails_sent(&self, ids: &[i64], now: i64) -> RepoResult<()> {
        sqlx::query("UPDATE mail_outbox SET sent_at = $2, last_error = NULL WHERE id = ANY($1)")
            .bind(ids)
            .bind(at(now))
            .execute(&self.pool)
            .await
            .or_fail()?;
        Ok(())
    }

    async fn mail_failed(&self, id: i64, error: &str, next_attempt_at: i64) -> RepoResult<()> {
        sqlx::query(
            "UPDATE mail_outbox SET last_error = $2, next_attempt_at = $3
              WHERE id = $1 AND sent_at IS NULL",
        )
        .bind(id)
        .bind(error)
        .bind(at(next_attempt_at))
        .execute(&self.pool)
        .await
        .or_fail()?;
        Ok(())
    }

    async fn mail_status(&self) -> RepoResult<MailStatus> {
        let (waiting, sent): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE sent_at IS NULL), COUNT(*) FILTER (WHERE sent_at IS NOT NULL)
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

//! Staff accounts, sessions, API tokens, failed logins and the audit log on PostgreSQL; each
//! admin act with its audit row in one transaction.
use super::{at, secs, PgStore};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::Role;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

const STAFF_SELECT: &str =
    "SELECT id, email, name, role, supervisor, disabled, password_hash, created_at FROM staff";
const TOKEN_SELECT: &str = "SELECT t.id, t.staff_id, s.email AS staff_email, t.name, t.created_at,
        t.last_used_at, t.revoked_at FROM api_tokens t JOIN staff s ON s.id = t.staff_id";

#[derive(sqlx::FromRow)]
struct StaffDbRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    supervisor: bool,
    disabled: bool,
    password_hash: String,
    created_at: DateTime<Utc>,
}

impl From<StaffDbRow> for StaffRow {
    fn from(r: StaffDbRow) -> StaffRow {
        StaffRow {
            id: r.id,
            email: r.email,
            name: r.name,
            // The column's CHECK admits only the three roles; anything else reads as the
            // least privileged.
            role: Role::parse(&r.role).unwrap_or(Role::Door),
            supervisor: r.supervisor,
            disabled: r.disabled,
            password_hash: r.password_hash,
            created_at: secs(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct TokenDbRow {
    id: i64,
    staff_id: i64,
    staff_email: String,
    name: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenDbRow> for ApiTokenRow {
    fn from(r: TokenDbRow) -> ApiTokenRow {
        ApiTokenRow {
            id: r.id,
            staff_id: r.staff_id,
            staff_email: r.staff_email,
            name: r.name,
            created_at: secs(r.created_at),
            last_used_at: r.last_used_at.map(secs),
            revoked_at: r.revoked_at.map(secs),
        }
    }
}

#[derive(sqlx::FromRow)]
struct AuditDbRow {
    id: i64,
    at: DateTime<Utc>,
    staff_id: Option<i64>,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

pub(super) async fn write_audit(conn: &mut PgConnection, a: &AuditRecord) -> RepoResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, staff_id, actor, action, subject, detail)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
    )
    .bind(at(a.at))
    .bind(a.staff_id)
    .bind(&a.actor)
    .bind(a.action)
    .bind(&a.subject)
    .bind(a.detail.to_string())
    .execute(conn)
    .await
    .or_fail()?;
    Ok(())
}

#[async_trait]
impl StaffRepo for PgStore {
    async fn create_staff(&self, s: &NewStaffRow, audit: &AuditRecord) -> RepoResult<Option<i64>> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO staff (email, name, role, supervisor, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(&s.email)
        .bind(&s.name)
        .bind(s.role.as_str())
        .bind(s.supervisor)
        .bind(&s.password_hash)
        .bind(at(s.now))
        .fetch_optional(&mut *tx)
        .await
        .or_fail()?;
        if id.is_some() {
            write_audit(&mut tx, audit).await?;
            tx.commit().await.or_fail()?;
        }
        Ok(id)
    }

    async fn staff_by_email(&self, email: &str) -> RepoResult<Option<StaffRow>> {
        let row: Option<StaffDbRow> = sqlx::query_as(&format!("{STAFF_SELECT} WHERE email = $1"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .or_fail()?;
        Ok(row.map(Into::into))
    }

    async fn staff_by_id(&self, id: i64) -> RepoResult<Option<StaffRow>> {
        let row: Option<StaffDbRow> = sqlx::query_as(&format!("{STAFF_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_fail()?;
        Ok(row.map(Into::into))
    }

    async fn all_staff(&self) -> RepoResult<Vec<StaffRow>> {
        let rows: Vec<StaffDbRow> = sqlx::query_as(&format!("{STAFF_SELECT} ORDER BY name, id"))
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn update_staff(&self, s: &StaffRow, audit: &AuditRecord) -> RepoResult<()> {
        let mut tx = self.pool.begin().await.or_fail()?;
        sqlx::query(
            "UPDATE staff SET name = $2, role = $3, supervisor = $4, disabled = $5 WHERE id = $1",
        )
        .bind(s.id)
        .bind(&s.name)
        .bind(s.role.as_str())
        .bind(s.supervisor)
        .bind(s.disabled)
        .execute(&mut *tx)
        .await
        .or_fail()?;
        if s.disabled {
            sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
                .bind(s.id)
                .execute(&mut *tx)
                .await
                .or_fail()?;
        }
        write_audit(&mut tx, audit).await?;
        tx.commit().await.or_fail()
    }

    async fn set_password(&self, id: i64, hash: &str, audit: &AuditRecord) -> RepoResult<()> {
        let mut tx = self.pool.begin().await.or_fail()?;
        sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .execute(&mut *tx)
            .await
            .or_fail()?;
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .or_fail()?;
        write_audit(&mut tx, audit).await?;
        tx.commit().await.or_fail()
    }

    async fn login_failures(&self, email: &str, since: i64) -> RepoResult<Vec<i64>> {
        let rows: Vec<DateTime<Utc>> =
            sqlx::query_scalar("SELECT at FROM login_failures WHERE email = $1 AND at > $2")
                .bind(email)
                .bind(at(since))
                .fetch_all(&self.pool)
                .await
                .or_fail()?;
        Ok(rows.into_iter().map(secs).collect())
    }

    async fn record_login_failure(&self, email: &str, when: i64, forget: i64) -> RepoResult<()> {
        let mut tx = self.pool.begin().await.or_fail()?;
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(at(forget))
            .execute(&mut *tx)
            .await
            .or_fail()?;
        sqlx::query("INSERT INTO login_failures (email, at) VALUES ($1, $2)")
            .bind(email)
            .bind(at(when))
            .execute(&mut *tx)
            .await
            .or_fail()?;
        tx.commit().await.or_fail()
    }

    async fn clear_login_failures(&self, email: &str) -> RepoResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(email)
            .execute(&self.pool)
            .await
            .or_fail()?;
        Ok(())
    }

    async fn create_session(&self, s: &NewSession, replaces: Option<&str>) -> RepoResult<()> {
        let mut tx = self.pool.begin().await.or_fail()?;
        if let Some(old) = replaces {
            sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
                .bind(old)
                .execute(&mut *tx)
                .await
                .or_fail()?;
        }
        // The account's sessions past their absolute timeout go with each login.
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1 AND expires_at <= $2")
            .bind(s.staff_id)
            .bind(at(s.now))
            .execute(&mut *tx)
            .await
            .or_fail()?;
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(&s.hash)
        .bind(s.staff_id)
        .bind(at(s.now))
        .bind(at(s.expires_at))
        .execute(&mut *tx)
        .await
        .or_fail()?;
        tx.commit().await.or_fail()
    }

    async fn session(&self, hash: &str) -> RepoResult<Option<SessionRow>> {
        type Row = (i64, DateTime<Utc>, DateTime<Utc>, DateTime<Utc>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT staff_id, created_at, last_seen_at, expires_at FROM staff_sessions WHERE token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .or_fail()?;
        Ok(row.map(|(staff_id, created, seen, expires)| SessionRow {
            staff_id,
            created_at: secs(created),
            last_seen_at: secs(seen),
            expires_at: secs(expires),
        }))
    }

    async fn touch_session(&self, hash: &str, now: i64) -> RepoResult<()> {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(hash)
            .bind(at(now))
            .execute(&self.pool)
            .await
            .or_fail()?;
        Ok(())
    }

    async fn end_session(&self, hash: &str) -> RepoResult<bool> {
        let done = sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(hash)
            .execute(&self.pool)
            .await
            .or_fail()?;
        Ok(done.rows_affected() > 0)
    }

    async fn create_api_token(&self, t: &NewApiToken, audit: &AuditRecord) -> RepoResult<i64> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, staff_id, name, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&t.hash)
        .bind(t.staff_id)
        .bind(&t.name)
        .bind(at(t.now))
        .fetch_one(&mut *tx)
        .await
        .or_fail()?;
        write_audit(&mut tx, audit).await?;
        tx.commit().await.or_fail()?;
        Ok(id)
    }

    async fn api_token_by_hash(&self, hash: &str) -> RepoResult<Option<ApiTokenRow>> {
        let row: Option<TokenDbRow> =
            sqlx::query_as(&format!("{TOKEN_SELECT} WHERE t.token_hash = $1"))
                .bind(hash)
                .fetch_optional(&self.pool)
                .await
                .or_fail()?;
        Ok(row.map(Into::into))
    }

    async fn api_tokens(&self) -> RepoResult<Vec<ApiTokenRow>> {
        let rows: Vec<TokenDbRow> = sqlx::query_as(&format!("{TOKEN_SELECT} ORDER BY t.id"))
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn touch_api_token(&self, id: i64, now: i64) -> RepoResult<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(at(now))
            .execute(&self.pool)
            .await
            .or_fail()?;
        Ok(())
    }

    async fn revoke_api_token(&self, id: i64, now: i64, audit: &AuditRecord) -> RepoResult<bool> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(at(now))
        .execute(&mut *tx)
        .await
        .or_fail()?;
        let revoked = done.rows_affected() == 1;
        if revoked {
            write_audit(&mut tx, audit).await?;
        }
        tx.commit().await.or_fail()?;
        Ok(revoked)
    }

    async fn record_audit(&self, audit: &AuditRecord) -> RepoResult<()> {
        let mut conn = self.pool.acquire().await.or_fail()?;
        write_audit(&mut conn, audit).await
    }

    async fn audit_log(&self, before: Option<i64>, limit: i64) -> RepoResult<Vec<AuditRow>> {
        let rows: Vec<AuditDbRow> = sqlx::query_as(
            "SELECT id, at, staff_id, actor, action, subject, detail::text AS detail FROM audit_log
              WHERE $1::bigint IS NULL OR id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|r| AuditRow {
                id: r.id,
                at: secs(r.at),
                staff_id: r.staff_id,
                actor: r.actor,
                action: r.action,
                subject: r.subject,
                detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
            })
            .collect())
    }
}

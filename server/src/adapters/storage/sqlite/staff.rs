//! Staff accounts, sessions, API tokens, failed logins and the audit log on SQLite: reads on
//! the pool, writes on the writer thread, each admin act with its audit row in one job.
use super::SqliteStore;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::Role;
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};

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
    created_at: i64,
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
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct TokenDbRow {
    id: i64,
    staff_id: i64,
    staff_email: String,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<TokenDbRow> for ApiTokenRow {
    fn from(r: TokenDbRow) -> ApiTokenRow {
        ApiTokenRow {
            id: r.id,
            staff_id: r.staff_id,
            staff_email: r.staff_email,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct AuditDbRow {
    id: i64,
    at: i64,
    staff_id: Option<i64>,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

pub(super) fn write_audit(conn: &Connection, a: &AuditRecord) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, staff_id, actor, action, subject, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        a.at,
        a.staff_id,
        a.actor,
        a.action,
        a.subject,
        a.detail.to_string()
    ])?;
    Ok(())
}

#[async_trait]
impl StaffRepo for SqliteStore {
    async fn create_staff(&self, s: &NewStaffRow, audit: &AuditRecord) -> RepoResult<Option<i64>> {
        let (s, audit) = (s.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let id = tx
                    .prepare_cached(
                        "INSERT INTO staff (email, name, role, supervisor, password_hash, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (email) DO NOTHING RETURNING id",
                    )?
                    .query_row(
                        params![s.email, s.name, s.role.as_str(), s.supervisor, s.password_hash, s.now],
                        |r| r.get::<_, i64>(0),
                    )
                    .optional()?;
                let Some(id) = id else {
                    return Ok(None);
                };
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(Some(id))
            })
            .await
    }

    async fn staff_by_email(&self, email: &str) -> RepoResult<Option<StaffRow>> {
        let row: Option<StaffDbRow> = sqlx::query_as(&format!("{STAFF_SELECT} WHERE email = ?1"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .or_fail()?;
        Ok(row.map(Into::into))
    }

    async fn staff_by_id(&self, id: i64) -> RepoResult<Option<StaffRow>> {
        let row: Option<StaffDbRow> = sqlx::query_as(&format!("{STAFF_SELECT} WHERE id = ?1"))
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
        let (s, audit) = (s.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                tx.prepare_cached(
                    "UPDATE staff SET name = ?2, role = ?3, supervisor = ?4, disabled = ?5 WHERE id = ?1",
                )?
                .execute(params![s.id, s.name, s.role.as_str(), s.supervisor, s.disabled])?;
                if s.disabled {
                    tx.prepare_cached("DELETE FROM staff_sessions WHERE staff_id = ?1")?
                        .execute(params![s.id])?;
                }
                write_audit(&tx, &audit)?;
                tx.commit()
            })
            .await
    }

    async fn set_password(&self, id: i64, hash: &str, audit: &AuditRecord) -> RepoResult<()> {
        let (hash, audit) = (hash.to_string(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                tx.prepare_cached("UPDATE staff SET password_hash = ?2 WHERE id = ?1")?
                    .execute(params![id, hash])?;
                tx.prepare_cached("DELETE FROM staff_sessions WHERE staff_id = ?1")?
                    .execute(params![id])?;
                write_audit(&tx, &audit)?;
                tx.commit()
            })
            .await
    }

    async fn login_failures(&self, email: &str, since: i64) -> RepoResult<Vec<i64>> {
        sqlx::query_scalar("SELECT at FROM login_failures WHERE email = ?1 AND at > ?2")
            .bind(email)
            .bind(since)
            .fetch_all(&self.pool)
            .await
            .or_fail()
    }

    async fn record_login_failure(&self, email: &str, at: i64, forget: i64) -> RepoResult<()> {
        let email = email.to_string();
        self.writer
            .run(move |conn| {
                conn.prepare_cached("DELETE FROM login_failures WHERE at <= ?1")?
                    .execute(params![forget])?;
                conn.prepare_cached("INSERT INTO login_failures (email, at) VALUES (?1, ?2)")?
                    .execute(params![email, at])?;
                Ok(())
            })
            .await
    }

    async fn clear_login_failures(&self, email: &str) -> RepoResult<()> {
        let email = email.to_string();
        self.writer
            .run(move |conn| {
                conn.prepare_cached("DELETE FROM login_failures WHERE email = ?1")?
                    .execute(params![email])
                    .map(|_| ())
            })
            .await
    }

    async fn create_session(&self, s: &NewSession, replaces: Option<&str>) -> RepoResult<()> {
        let (s, replaces) = (s.clone(), replaces.map(str::to_string));
        self.writer
            .run(move |conn| {
                if let Some(old) = replaces {
                    conn.prepare_cached("DELETE FROM staff_sessions WHERE token_hash = ?1")?
                        .execute(params![old])?;
                }
                // The account's sessions past their absolute timeout go with each login.
                conn.prepare_cached(
                    "DELETE FROM staff_sessions WHERE staff_id = ?1 AND expires_at <= ?2",
                )?
                .execute(params![s.staff_id, s.now])?;
                conn.prepare_cached(
                    "INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at)
                     VALUES (?1, ?2, ?3, ?3, ?4)",
                )?
                .execute(params![s.hash, s.staff_id, s.now, s.expires_at])?;
                Ok(())
            })
            .await
    }

    async fn session(&self, hash: &str) -> RepoResult<Option<SessionRow>> {
        let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT staff_id, created_at, last_seen_at, expires_at FROM staff_sessions WHERE token_hash = ?1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .or_fail()?;
        Ok(row.map(
            |(staff_id, created_at, last_seen_at, expires_at)| SessionRow {
                staff_id,
                created_at,
                last_seen_at,
                expires_at,
            },
        ))
    }

    async fn touch_session(&self, hash: &str, now: i64) -> RepoResult<()> {
        let hash = hash.to_string();
        self.writer
            .run(move |conn| {
                conn.prepare_cached(
                    "UPDATE staff_sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
                )?
                .execute(params![hash, now])
                .map(|_| ())
            })
            .await
    }

    async fn end_session(&self, hash: &str) -> RepoResult<bool> {
        let hash = hash.to_string();
        self.writer
            .run(move |conn| {
                conn.prepare_cached("DELETE FROM staff_sessions WHERE token_hash = ?1")?
                    .execute(params![hash])
                    .map(|n| n > 0)
            })
            .await
    }

    async fn create_api_token(&self, t: &NewApiToken, audit: &AuditRecord) -> RepoResult<i64> {
        let (t, audit) = (t.clone(), audit.clone());
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let id: i64 = tx
                    .prepare_cached(
                        "INSERT INTO api_tokens (token_hash, staff_id, name, created_at)
                         VALUES (?1, ?2, ?3, ?4) RETURNING id",
                    )?
                    .query_row(params![t.hash, t.staff_id, t.name, t.now], |r| r.get(0))?;
                write_audit(&tx, &audit)?;
                tx.commit()?;
                Ok(id)
            })
            .await
    }

    async fn api_token_by_hash(&self, hash: &str) -> RepoResult<Option<ApiTokenRow>> {
        let row: Option<TokenDbRow> =
            sqlx::query_as(&format!("{TOKEN_SELECT} WHERE t.token_hash = ?1"))
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
        self.writer
            .run(move |conn| {
                conn.prepare_cached("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1")?
                    .execute(params![id, now])
                    .map(|_| ())
            })
            .await
    }

    async fn revoke_api_token(&self, id: i64, now: i64, audit: &AuditRecord) -> RepoResult<bool> {
        let audit = audit.clone();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let n = tx
                    .prepare_cached(
                        "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                    )?
                    .execute(params![id, now])?;
                if n == 1 {
                    write_audit(&tx, &audit)?;
                }
                tx.commit()?;
                Ok(n == 1)
            })
            .await
    }

    async fn record_audit(&self, audit: &AuditRecord) -> RepoResult<()> {
        let audit = audit.clone();
        self.writer.run(move |conn| write_audit(conn, &audit)).await
    }

    async fn audit_log(&self, before: Option<i64>, limit: i64) -> RepoResult<Vec<AuditRow>> {
        let rows: Vec<AuditDbRow> = sqlx::query_as(
            "SELECT id, at, staff_id, actor, action, subject, detail FROM audit_log
              WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2",
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
                at: r.at,
                staff_id: r.staff_id,
                actor: r.actor,
                action: r.action,
                subject: r.subject,
                detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
            })
            .collect())
    }
}

use super::RepoResult;
use app::domain::Role;
use async_trait::async_trait;

/// Staff accounts, their sessions and API tokens, failed logins, and the audit log. Every
/// write that is an admin act takes its audit record and stores both in one transaction.
#[async_trait]
pub trait StaffRepo: Send + Sync + 'static {
    /// `None` when the e-mail address is taken.
    async fn create_staff(
        &self,
        staff: &NewStaffRow,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>>;
    /// By e-mail address, lower case.
    async fn staff_by_email(&self, email: &str) -> RepoResult<Option<StaffRow>>;
    async fn staff_by_id(&self, id: i64) -> RepoResult<Option<StaffRow>>;
    async fn all_staff(&self) -> RepoResult<Vec<StaffRow>>;
    /// Writes name, role, supervisor flag and disabled state; a disabled account's sessions
    /// end.
    async fn update_staff(&self, staff: &StaffRow, audit: &AuditRecord) -> RepoResult<()>;
    /// Sets the password hash and ends every session of the account.
    async fn set_password(&self, staff_id: i64, hash: &str, audit: &AuditRecord) -> RepoResult<()>;

    /// Instants of the failed logins of `email` since `since`.
    async fn login_failures(&self, email: &str, since: i64) -> RepoResult<Vec<i64>>;
    /// Records one, forgetting every failure (of any address) older than `forget_before`.
    async fn record_login_failure(
        &self,
        email: &str,
        at: i64,
        forget_before: i64,
    ) -> RepoResult<()>;
    async fn clear_login_failures(&self, email: &str) -> RepoResult<()>;

    /// Opens a session, ending `replaces` (its secret's hash) if given.
    async fn create_session(&self, session: &NewSession, replaces: Option<&str>) -> RepoResult<()>;
    async fn session(&self, hash: &str) -> RepoResult<Option<SessionRow>>;
    async fn touch_session(&self, hash: &str, now: i64) -> RepoResult<()>;
    /// False when there was none.
    async fn end_session(&self, hash: &str) -> RepoResult<bool>;

    async fn create_api_token(&self, token: &NewApiToken, audit: &AuditRecord) -> RepoResult<i64>;
    async fn api_token_by_hash(&self, hash: &str) -> RepoResult<Option<ApiTokenRow>>;
    async fn api_tokens(&self) -> RepoResult<Vec<ApiTokenRow>>;
    async fn touch_api_token(&self, id: i64, now: i64) -> RepoResult<()>;
    /// False when unknown or revoked before.
    async fn revoke_api_token(&self, id: i64, now: i64, audit: &AuditRecord) -> RepoResult<bool>;

    /// An act recorded on its own (its effect lives in another repository).
    async fn record_audit(&self, audit: &AuditRecord) -> RepoResult<()>;
    /// Newest first, ids below `before` when given.
    async fn audit_log(&self, before: Option<i64>, limit: i64) -> RepoResult<Vec<AuditRow>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaffRow {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub supervisor: bool,
    pub password_hash: String,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub supervisor: bool,
    pub disabled: bool,
    pub password_hash: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 of the cookie's secret.
    pub hash: String,
    pub staff_id: i64,
    pub now: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub staff_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The absolute timeout.
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiToken {
    pub hash: String,
    pub staff_id: i64,
    pub name: String,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRow {
    pub id: i64,
    pub staff_id: i64,
    pub staff_email: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Who did what to what, when; `detail` is JSON (before/after, or the act's facts).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub at: i64,
    pub staff_id: Option<i64>,
    pub actor: String,
    pub action: &'static str,
    pub subject: String,
    pub detail: serde_json::Value,
}

impl AuditRecord {
    /// `actor` did `action` to `subject` at `at`.
    pub fn new(
        at: i64,
        actor: &app::staff::Actor,
        action: &'static str,
        subject: impl Into<String>,
        detail: serde_json::Value,
    ) -> AuditRecord {
        AuditRecord {
            at,
            staff_id: actor.staff_id(),
            actor: actor.label(),
            action,
            subject: subject.into(),
            detail,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub staff_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

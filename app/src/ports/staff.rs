use super::Failure;
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use crate::staff::*;
use async_trait::async_trait;

/// What a staff request presents: a session cookie (pages) or an API token (scripts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Session(String),
    ApiToken(String),
}

/// A session opened by a login: its secret (the cookie's value) and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedSession {
    pub secret: String,
    /// Seconds the cookie may live (the session's absolute timeout).
    pub max_age: i64,
    pub staff: StaffMember,
}

/// Logging in and out, and who a credential is.
#[async_trait]
pub trait StaffAuth: Send + Sync + 'static {
    /// Opens a session; `previous` (a session cookie the browser still had) is ended, so a
    /// session id never outlives a login.
    async fn login(
        &self,
        email: &str,
        password: &str,
        previous: Option<&str>,
    ) -> Result<OpenedSession, AuthError>;
    async fn logout(&self, session: &str) -> Result<(), AuthError>;
    async fn authenticate(&self, credential: &Credential) -> Result<Actor, AuthError>;
    /// Changes one's own password; every session of the account ends and a new one opens.
    async fn change_password(
        &self,
        actor: &Actor,
        change: &PasswordChange,
    ) -> Result<OpenedSession, StaffError>;
}

/// Staff accounts, API tokens and the audit log: admins' work (the console's too).
#[async_trait]
pub trait StaffAdmin: Send + Sync + 'static {
    async fn staff(&self, actor: &Actor) -> Result<Vec<StaffMember>, StaffError>;
    async fn create_staff(
        &self,
        actor: &Actor,
        request: &NewStaffRequest,
    ) -> Result<StaffWithPassword, StaffError>;
    async fn change_staff(
        &self,
        actor: &Actor,
        id: i64,
        change: &StaffChange,
    ) -> Result<StaffMember, StaffError>;
    async fn reset_password(
        &self,
        actor: &Actor,
        id: i64,
        reset: &PasswordReset,
    ) -> Result<StaffWithPassword, StaffError>;
    async fn staff_by_email(&self, actor: &Actor, email: &str) -> Result<StaffMember, StaffError>;
    async fn tokens(&self, actor: &Actor) -> Result<Vec<ApiTokenInfo>, StaffError>;
    async fn create_token(
        &self,
        actor: &Actor,
        request: &NewApiTokenRequest,
    ) -> Result<ApiTokenCreated, StaffError>;
    async fn revoke_token(&self, actor: &Actor, id: i64) -> Result<(), StaffError>;
    /// Newest first; `before`: an entry id, to page back.
    async fn audit(
        &self,
        actor: &Actor,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StaffError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AuthError {
    /// Unknown e-mail, wrong password or disabled account: one answer for all three.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("too many failed logins; retry in {0} s")]
    TooManyAttempts(i64),
    /// No credential, or one that ended (logged out, timed out, revoked, account disabled).
    #[error("not authenticated")]
    NotAuthenticated,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for AuthError {
    fn code(&self) -> ErrorCode {
        match self {
            AuthError::InvalidCredentials | AuthError::NotAuthenticated => ErrorCode::Unauthorized,
            AuthError::TooManyAttempts(_) => ErrorCode::RateLimited,
            AuthError::Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        match self {
            AuthError::InvalidCredentials => Message::new("error-login-invalid"),
            AuthError::TooManyAttempts(s) => {
                Message::new("error-login-throttled").int("minutes", (s + 59) / 60)
            }
            AuthError::NotAuthenticated => Message::new("error-not-authenticated"),
            AuthError::Failure(f) => f.message(),
        }
    }
    fn retry_after(&self) -> Option<i64> {
        match self {
            AuthError::TooManyAttempts(s) => Some(*s),
            _ => None,
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            AuthError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StaffError {
    #[error("not allowed for this role")]
    Forbidden,
    #[error("invalid e-mail {0:?}")]
    InvalidEmail(String),
    #[error("name empty or too long")]
    InvalidName,
    #[error("unknown role {0:?}")]
    UnknownRole(String),
    #[error("weak password: {0}")]
    WeakPassword(crate::domain::password::WeakPassword),
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("e-mail already used by another account")]
    EmailTaken,
    #[error("staff member not found")]
    NotFound,
    #[error("the last active administrator cannot be disabled or lose the role")]
    LastAdmin,
    #[error("API token not found")]
    TokenNotFound,
    #[error("token name empty or too long")]
    InvalidTokenName,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for StaffError {
    fn code(&self) -> ErrorCode {
        use StaffError::*;
        match self {
            Forbidden => ErrorCode::Forbidden,
            InvalidEmail(_) | InvalidName | UnknownRole(_) | WeakPassword(_) | InvalidTokenName
            | WrongPassword => ErrorCode::Validation,
            EmailTaken | LastAdmin => ErrorCode::Conflict,
            NotFound | TokenNotFound => ErrorCode::NotFound,
            Failure(f) => f.code(),
        }
    }
    fn message(&self) -> Message {
        use crate::domain::password::{WeakPassword as W, MAX_CHARS, MIN_CHARS};
        use StaffError::*;
        match self {
            Forbidden => Message::new("error-staff-forbidden"),
            InvalidEmail(e) => Message::new("error-email-invalid").text("email", e),
            InvalidName => Message::new("error-staff-name"),
            UnknownRole(r) => Message::new("error-staff-role").text("role", r),
            WeakPassword(W::TooShort) => {
                Message::new("error-password-short").int("min", MIN_CHARS as i64)
            }
            WeakPassword(W::TooLong) => {
                Message::new("error-password-long").int("max", MAX_CHARS as i64)
            }
            WeakPassword(W::Repeated) => Message::new("error-password-repeated"),
            WrongPassword => Message::new("error-password-wrong"),
            EmailTaken => Message::new("error-staff-email-taken"),
            NotFound => Message::new("error-staff-not-found"),
            LastAdmin => Message::new("error-staff-last-admin"),
            TokenNotFound => Message::new("error-token-not-found"),
            InvalidTokenName => Message::new("error-token-name"),
            Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            StaffError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

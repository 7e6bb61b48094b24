//! Staff accounts: logging in (Argon2id behind the `PasswordHasher` port, failed logins
//! throttled per address), sessions with idle and absolute timeouts, API tokens for scripts,
//! account management by admins, and the audit log of their acts. Every act takes an
//! `Actor` and asks the role table (`domain::staff`) whether it may.
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::secrets::{hash_secret, new_password, new_secret};
use app::domain::login_throttle::LoginThrottle;
use app::domain::{Email, Password, Permission, Role};
use app::dto::Ts;
use app::ports::{AuthError, Credential, OpenedSession, StaffAdmin, StaffAuth, StaffError};
use app::staff::*;
use async_trait::async_trait;
use serde_json::json;
use std::sync::Arc;

/// How long sessions live, and how failed logins are throttled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffSettings {
    /// A session unused this long (seconds) ends.
    pub idle: i64,
    /// A session ends this long after its login, used or not.
    pub absolute: i64,
    pub throttle: LoginThrottle,
}

impl Default for StaffSettings {
    /// A box-office shift: a lunch break does not log the agent out, the next day does.
    fn default() -> StaffSettings {
        StaffSettings {
            idle: 2 * 3600,
            absolute: 12 * 3600,
            throttle: LoginThrottle::default(),
        }
    }
}

/// Last-seen instants are written at most this often (a staff page polls).
const TOUCH_EVERY: i64 = 60;
pub use app::staff::API_TOKEN_PREFIX;

pub struct StaffService {
    repo: Arc<dyn StaffRepo>,
    passwords: Arc<dyn PasswordHasher>,
    clock: Arc<dyn Clock>,
    settings: StaffSettings,
    /// Verified when the e-mail is unknown, so that the answer takes as long as for a known
    /// account with a wrong password.
    decoy: tokio::sync::OnceCell<String>,
}

fn member(s: &StaffRow) -> StaffMember {
    StaffMember {
        id: s.id,
        email: s.email.clone(),
        name: s.name.clone(),
        role: s.role,
        supervisor: s.supervisor,
        disabled: s.disabled,
    }
}

fn token_info(t: &ApiTokenRow) -> ApiTokenInfo {
    ApiTokenInfo {
        id: t.id,
        name: t.name.clone(),
        staff_id: t.staff_id,
        staff_email: t.staff_email.clone(),
        created_at: Ts(t.created_at),
        last_used_at: t.last_used_at.map(Ts),
        revoked_at: t.revoked_at.map(Ts),
    }
}

/// What the audit log keeps of an account (never its password).
fn facts(s: &StaffRow) -> serde_json::Value {
    json!({"name": s.name, "role": s.role, "supervisor": s.supervisor, "disabled": s.disabled})
}

fn parse_name(raw: &str, err: StaffError) -> Result<String, StaffError> {
    app::domain::name::parse_name(raw, app::domain::name::MAX_NAME_CHARS).ok_or(err)
}

fn parse_role(raw: &str) -> Result<Role, StaffError> {
    Role::parse(raw).ok_or_else(|| StaffError::UnknownRole(raw.to_string()))
}

/// The given password, or a generated one (returned so that it can be shown once).
fn password_or_generated(given: Option<&str>) -> Result<(Password, Option<String>), StaffError> {
    match given {
        Some(raw) => Ok((
            Password::parse(raw).map_err(StaffError::WeakPassword)?,
            None,
        )),
        None => {
            let generated = new_password();
            let password = Password::parse(&generated).map_err(StaffError::WeakPassword)?;
            Ok((password, Some(generated)))
        }
    }
}

impl StaffService {
    pub fn new(
        repo: Arc<dyn StaffRepo>,
        passwords: Arc<dyn PasswordHasher>,
        clock: Arc<dyn Clock>,
        settings: StaffSettings,
    ) -> StaffService {
        StaffService {
            repo,
            passwords,
            clock,
            settings,
            decoy: tokio::sync::OnceCell::new(),
        }
    }

    fn record(
        &self,
        actor: &Actor,
        action: &'static str,
        subject: &str,
        detail: serde_json::Value,
    ) -> AuditRecord {
        AuditRecord::new(self.clock.now(), actor, action, subject, detail)
    }

    fn require(actor: &Actor, permission: Permission) -> Result<(), StaffError> {
        if actor.may(permission) {
            Ok(())
        } else {
            Err(StaffError::Forbidden)
        }
    }

    async fn decoy_hash(&self) -> Result<&String, app::ports::Failure> {
        self.decoy
            .get_or_try_init(|| async {
                let p = Password::parse(&new_password())
                    .map_err(|e| app::ports::Failure::Internal(e.to_string()))?;
                self.passwords.hash(&p).await
            })
            .await
    }

    async fn open_session(
        &self,
        staff: &StaffRow,
        replaces: Option<&str>,
    ) -> Result<OpenedSession, app::ports::Failure> {
        let secret = new_secret(32);
        let now = self.clock.now();
        self.repo
            .create_session(
                &NewSession {
                    hash: hash_secret(&secret),
                    staff_id: staff.id,
                    now,
                    expires_at: now + self.settings.absolute,
                },
                replaces.map(hash_secret).as_deref(),
            )
            .await?;
        Ok(OpenedSession {
            secret,
            max_age: self.settings.absolute,
            staff: member(staff),
        })
    }

    async fn account(&self, id: i64) -> Result<StaffRow, StaffError> {
        self.repo.staff_by_id(id).await?.ok_or(StaffError::NotFound)
    }

    /// Whether the account is the only enabled admin left.
    async fn is_last_admin(&self, s: &StaffRow) -> Result<bool, StaffError> {
        if s.role != Role::Admin || s.disabled {
            return Ok(false);
        }
        let others = self
            .repo
            .all_staff()
            .await?
            .into_iter()
            .filter(|o| o.id != s.id && o.role == Role::Admin && !o.disabled)
            .count();
        Ok(others == 0)
    }

    async fn active_staff(&self, id: i64) -> Result<Option<StaffRow>, AuthError> {
        Ok(self.repo.staff_by_id(id).await?.filter(|s| !s.disabled))
    }
}

#[async_trait]
impl StaffAuth for StaffService {
    async fn login(
        &self,
        email: &str,
        password: &str,
        previous: Option<&str>,
    ) -> Result<OpenedSession, AuthError> {
        let key = email.trim().to_lowercase();
        // Absurd input costs neither a hash nor a row.
        if key.is_empty()
            || key.len() > 254
            || password.len() > 4 * app::domain::password::MAX_CHARS
        {
            return Err(AuthError::InvalidCredentials);
        }
        let now = self.clock.now();
        let throttle = self.settings.throttle;
        let failures = self.repo.login_failures(&key, throttle.since(now)).await?;
        if let Some(wait) = throttle.wait(&failures, now) {
            return Err(AuthError::TooManyAttempts(wait));
        }
        let staff = self.repo.staff_by_email(&key).await?;
        let right = match &staff {
            Some(s) => self.passwords.verify(password, &s.password_hash).await,
            None => {
                let decoy = self.decoy_hash().await?;
                let _ = self.passwords.verify(password, decoy).await;
                false
            }
        };
        let Some(staff) = staff.filter(|s| right && !s.disabled) else {
            self.repo
                .record_login_failure(&key, now, throttle.since(now))
                .await?;
            return Err(AuthError::InvalidCredentials);
        };
        if !failures.is_empty() {
            self.repo.clear_login_failures(&key).await?;
        }
        let opened = self.open_session(&staff, previous).await?;
        let actor = Actor {
            staff: Some(member(&staff)),
            via: Via::Session,
        };
        self.repo
            .record_audit(&self.record(&actor, "auth.login", &staff.email, json!({})))
            .await?;
        Ok(opened)
    }

    async fn logout(&self, session: &str) -> Result<(), AuthError> {
        if session.len() <= 200 {
            self.repo.end_session(&hash_secret(session)).await?;
        }
        Ok(())
    }

    async fn authenticate(&self, credential: &Credential) -> Result<Actor, AuthError> {
        let now = self.clock.now();
        match credential {
            Credential::Session(secret) => {
                if secret.is_empty() || secret.len() > 200 {
                    return Err(AuthError::NotAuthenticated);
                }
                let hash = hash_secret(secret);
                let session = self
                    .repo
                    .session(&hash)
                    .await?
                    .ok_or(AuthError::NotAuthenticated)?;
                if now >= session.expires_at || now - session.last_seen_at >= self.settings.idle {
                    self.repo.end_session(&hash).await?;
                    return Err(AuthError::NotAuthenticated);
                }
                let staff = self
                    .active_staff(session.staff_id)
                    .await?
                    .ok_or(AuthError::NotAuthenticated)?;
                if now - session.last_seen_at >= TOUCH_EVERY {
                    self.repo.touch_session(&hash, now).await?;
                }
                Ok(Actor {
                    staff: Some(member(&staff)),
                    via: Via::Session,
                })
            }
            Credential::ApiToken(secret) => {
                if !secret.starts_with(API_TOKEN_PREFIX) || secret.len() > 200 {
                    return Err(AuthError::NotAuthenticated);
                }
                let token = self
                    .repo
                    .api_token_by_hash(&hash_secret(secret))
                    .await?
                    .filter(|t| t.revoked_at.is_none())
                    .ok_or(AuthError::NotAuthenticated)?;
                let staff = self
                    .active_staff(token.staff_id)
                    .await?
                    .ok_or(AuthError::NotAuthenticated)?;
                if token.last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY) {
                    self.repo.touch_api_token(token.id, now).await?;
                }
                Ok(Actor {
                    staff: Some(member(&staff)),
                    via: Via::ApiToken(token.id),
                })
            }
        }
    }

    async fn change_password(
        &self,
        actor: &Actor,
        change: &PasswordChange,
    ) -> Result<OpenedSession, StaffError> {
        // A password is changed by its owner, logged in: not by a script's token.
        let (Some(me), Via::Session) = (&actor.staff, &actor.via) else {
            return Err(StaffError::Forbidden);
        };
        let staff = self.account(me.id).await?;
        if !self
            .passwords
            .verify(&change.current, &staff.password_hash)
            .await
        {
            return Err(StaffError::WrongPassword);
        }
        let password = Password::parse(&change.new).map_err(StaffError::WeakPassword)?;
        let hash = self.passwords.hash(&password).await?;
        let audit = self.record(actor, "staff.password_change", &staff.email, json!({}));
        self.repo.set_password(staff.id, &hash, &audit).await?;
        Ok(self.open_session(&staff, None).await?)
    }
}

#[async_trait]
impl StaffAdmin for StaffService {
    async fn staff(&self, actor: &Actor) -> Result<Vec<StaffMember>, StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        Ok(self.repo.all_staff().await?.iter().map(member).collect())
    }

    async fn create_staff(
        &self,
        actor: &Actor,
        request: &NewStaffRequest,
    ) -> Result<StaffWithPassword, StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        let email = Email::parse(&request.email)
            .map_err(|_| StaffError::InvalidEmail(request.email.clone()))?
            .as_str()
            .to_lowercase();
        let name = parse_name(&request.name, StaffError::InvalidName)?;
        let role = parse_role(&request.role)?;
        let (password, generated) = password_or_generated(request.password.as_deref())?;
        let row = NewStaffRow {
            email: email.clone(),
            name,
            role,
            supervisor: request.supervisor,
            password_hash: self.passwords.hash(&password).await?,
            now: self.clock.now(),
        };
        let audit = self.record(
            actor,
            "staff.create",
            &email,
            json!({"after": {"name": row.name, "role": role, "supervisor": row.supervisor, "disabled": false}}),
        );
        let id = self
            .repo
            .create_staff(&row, &audit)
            .await?
            .ok_or(StaffError::EmailTaken)?;
        Ok(StaffWithPassword {
            staff: member(&self.account(id).await?),
            generated_password: generated,
        })
    }

    async fn change_staff(
        &self,
        actor: &Actor,
        id: i64,
        change: &StaffChange,
    ) -> Result<StaffMember, StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        let before = self.account(id).await?;
        let mut after = before.clone();
        if let Some(name) = &change.name {
            after.name = parse_name(name, StaffError::InvalidName)?;
        }
        if let Some(role) = &change.role {
            after.role = parse_role(role)?;
        }
        if let Some(supervisor) = change.supervisor {
            after.supervisor = supervisor;
        }
        if let Some(disabled) = change.disabled {
            after.disabled = disabled;
        }
        if after == before {
            return Ok(member(&before));
        }
        let stays_admin = after.role == Role::Admin && !after.disabled;
        if !stays_admin && self.is_last_admin(&before).await? {
            return Err(StaffError::LastAdmin);
        }
        let audit = self.record(
            actor,
            "staff.update",
            &before.email,
            json!({"before": facts(&before), "after": facts(&after)}),
        );
        self.repo.update_staff(&after, &audit).await?;
        Ok(member(&after))
    }

    async fn reset_password(
        &self,
        actor: &Actor,
        id: i64,
        reset: &PasswordReset,
    ) -> Result<StaffWithPassword, StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        let staff = self.account(id).await?;
        let (password, generated) = password_or_generated(reset.password.as_deref())?;
        let hash = self.passwords.hash(&password).await?;
        let audit = self.record(actor, "staff.password_reset", &staff.email, json!({}));
        self.repo.set_password(staff.id, &hash, &audit).await?;
        Ok(StaffWithPassword {
            staff: member(&staff),
            generated_password: generated,
        })
    }

    async fn staff_by_email(&self, actor: &Actor, email: &str) -> Result<StaffMember, StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        let key = email.trim().to_lowercase();
        Ok(member(
            &self
                .repo
                .staff_by_email(&key)
                .await?
                .ok_or(StaffError::NotFound)?,
        ))
    }

    async fn tokens(&self, actor: &Actor) -> Result<Vec<ApiTokenInfo>, StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        Ok(self
            .repo
            .api_tokens()
            .await?
            .iter()
            .map(token_info)
            .collect())
    }

    async fn create_token(
        &self,
        actor: &Actor,
        request: &NewApiTokenRequest,
    ) -> Result<ApiTokenCreated, StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        let name = parse_name(&request.name, StaffError::InvalidTokenName)?;
        let staff = self.account(request.staff_id).await?;
        if staff.disabled {
            return Err(StaffError::NotFound);
        }
        let token = format!("{API_TOKEN_PREFIX}{}", new_secret(32));
        let audit = self.record(actor, "token.create", &staff.email, json!({"name": name}));
        let id = self
            .repo
            .create_api_token(
                &NewApiToken {
                    hash: hash_secret(&token),
                    staff_id: staff.id,
                    name: name.clone(),
                    now: self.clock.now(),
                },
                &audit,
            )
            .await?;
        Ok(ApiTokenCreated {
            token,
            info: ApiTokenInfo {
                id,
                name,
                staff_id: staff.id,
                staff_email: staff.email,
                created_at: Ts(audit.at),
                last_used_at: None,
                revoked_at: None,
            },
        })
    }

    async fn revoke_token(&self, actor: &Actor, id: i64) -> Result<(), StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        let token = self
            .repo
            .api_tokens()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StaffError::TokenNotFound)?;
        let audit = self.record(
            actor,
            "token.revoke",
            &token.staff_email,
            json!({"id": id, "name": token.name}),
        );
        if self.repo.revoke_api_token(id, audit.at, &audit).await? {
            Ok(())
        } else {
            Err(StaffError::TokenNotFound)
        }
    }

    async fn audit(
        &self,
        actor: &Actor,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StaffError> {
        Self::require(actor, Permission::ManageStaff)?;
        Ok(self
            .repo
            .audit_log(before, limit.clamp(1, 500))
            .await?
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: Ts(r.at),
                staff_id: r.staff_id,
                actor: r.actor,
                action: r.action,
                subject: r.subject,
                detail: r.detail,
            })
            .collect())
    }
}

//! Staff accounts, sessions, tokens and the audit log in memory; a password "hasher" that
//! only marks its input (the real one is slow on purpose).
use crate::ports::*;
use app::domain::Password;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
struct State {
    staff: Vec<StaffRow>,
    sessions: HashMap<String, SessionRow>,
    failures: Vec<(String, i64)>,
    tokens: Vec<(String, ApiTokenRow)>,
    audit: Vec<AuditRow>,
}

#[derive(Default)]
pub struct MemoryStaff {
    state: Mutex<State>,
}

impl State {
    fn audit(&mut self, a: &AuditRecord) {
        let id = self.audit.len() as i64 + 1;
        self.audit.push(AuditRow {
            id,
            at: a.at,
            staff_id: a.staff_id,
            actor: a.actor.clone(),
            action: a.action.to_string(),
            subject: a.subject.clone(),
            detail: a.detail.clone(),
        });
    }
}

impl MemoryStaff {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn sessions_of(&self, staff_id: i64) -> usize {
        self.state()
            .sessions
            .values()
            .filter(|s| s.staff_id == staff_id)
            .count()
    }

    pub fn stored_failures(&self) -> usize {
        self.state().failures.len()
    }
}

#[async_trait]
impl StaffRepo for MemoryStaff {
    async fn create_staff(&self, s: &NewStaffRow, audit: &AuditRecord) -> RepoResult<Option<i64>> {
        let mut st = self.state();
        if st.staff.iter().any(|o| o.email == s.email) {
            return Ok(None);
        }
        let id = st.staff.len() as i64 + 1;
        st.staff.push(StaffRow {
            id,
            email: s.email.clone(),
            name: s.name.clone(),
            role: s.role,
            supervisor: s.supervisor,
            disabled: false,
            password_hash: s.password_hash.clone(),
            created_at: s.now,
        });
        st.audit(audit);
        Ok(Some(id))
    }

    async fn staff_by_email(&self, email: &str) -> RepoResult<Option<StaffRow>> {
        Ok(self
            .state()
            .staff
            .iter()
            .find(|s| s.email == email)
            .cloned())
    }

    async fn staff_by_id(&self, id: i64) -> RepoResult<Option<StaffRow>> {
        Ok(self.state().staff.iter().find(|s| s.id == id).cloned())
    }

    async fn all_staff(&self) -> RepoResult<Vec<StaffRow>> {
        Ok(self.state().staff.clone())
    }

    async fn update_staff(&self, s: &StaffRow, audit: &AuditRecord) -> RepoResult<()> {
        let mut st = self.state();
        if let Some(row) = st.staff.iter_mut().find(|o| o.id == s.id) {
            row.name = s.name.clone();
            row.role = s.role;
            row.supervisor = s.supervisor;
            row.disabled = s.disabled;
        }
        if s.disabled {
            st.sessions.retain(|_, x| x.staff_id != s.id);
        }
        st.audit(audit);
        Ok(())
    }

    async fn set_password(&self, id: i64, hash: &str, audit: &AuditRecord) -> RepoResult<()> {
        let mut st = self.state();
        if let Some(row) = st.staff.iter_mut().find(|o| o.id == id) {
            row.password_hash = hash.to_string();
        }
        st.sessions.retain(|_, x| x.staff_id != id);
        st.audit(audit);
        Ok(())
    }

    async fn login_failures(&self, email: &str, since: i64) -> RepoResult<Vec<i64>> {
        Ok(self
            .state()
            .failures
            .iter()
            .filter(|(e, at)| e == email && *at > since)
            .map(|(_, at)| *at)
            .collect())
    }

    async fn record_login_failure(&self, email: &str, at: i64, forget: i64) -> RepoResult<()> {
        let mut st = self.state();
        st.failures.retain(|(_, t)| *t > forget);
        st.failures.push((email.to_string(), at));
        Ok(())
    }

    async fn clear_login_failures(&self, email: &str) -> RepoResult<()> {
        self.state().failures.retain(|(e, _)| e != email);
        Ok(())
    }

    async fn create_session(&self, s: &NewSession, replaces: Option<&str>) -> RepoResult<()> {
        let mut st = self.state();
        if let Some(old) = replaces {
            st.sessions.remove(old);
        }
        st.sessions.retain(|_, x| x.expires_at > s.now);
        st.sessions.insert(
            s.hash.clone(),
            SessionRow {
                staff_id: s.staff_id,
                created_at: s.now,
                last_seen_at: s.now,
                expires_at: s.expires_at,
            },
        );
        Ok(())
    }

    async fn session(&self, hash: &str) -> RepoResult<Option<SessionRow>> {
        Ok(self.state().sessions.get(hash).cloned())
    }

    async fn touch_session(&self, hash: &str, now: i64) -> RepoResult<()> {
        if let Some(s) = self.state().sessions.get_mut(hash) {
            s.last_seen_at = now;
        }
        Ok(())
    }

    async fn end_session(&self, hash: &str) -> RepoResult<bool> {
        Ok(self.state().sessions.remove(hash).is_some())
    }

    async fn create_api_token(&self, t: &NewApiToken, audit: &AuditRecord) -> RepoResult<i64> {
        let mut st = self.state();
        let id = st.tokens.len() as i64 + 1;
        let email = st
            .staff
            .iter()
            .find(|s| s.id == t.staff_id)
            .map(|s| s.email.clone())
            .unwrap_or_default();
        st.tokens.push((
            t.hash.clone(),
            ApiTokenRow {
                id,
                staff_id: t.staff_id,
                staff_email: email,
                name: t.name.clone(),
                created_at: t.now,
                last_used_at: None,
                revoked_at: None,
            },
        ));
        st.audit(audit);
        Ok(id)
    }

    async fn api_token_by_hash(&self, hash: &str) -> RepoResult<Option<ApiTokenRow>> {
        Ok(self
            .state()
            .tokens
            .iter()
            .find(|(h, _)| h == hash)
            .map(|(_, t)| t.clone()))
    }

    async fn api_tokens(&self) -> RepoResult<Vec<ApiTokenRow>> {
        Ok(self.state().tokens.iter().map(|(_, t)| t.clone()).collect())
    }

    async fn touch_api_token(&self, id: i64, now: i64) -> RepoResult<()> {
        if let Some((_, t)) = self.state().tokens.iter_mut().find(|(_, t)| t.id == id) {
            t.last_used_at = Some(now);
        }
        Ok(())
    }

    async fn revoke_api_token(&self, id: i64, now: i64, audit: &AuditRecord) -> RepoResult<bool> {
        let mut st = self.state();
        let Some((_, t)) = st
            .tokens
            .iter_mut()
            .find(|(_, t)| t.id == id && t.revoked_at.is_none())
        else {
            return Ok(false);
        };
        t.revoked_at = Some(now);
        st.audit(audit);
        Ok(true)
    }

    async fn record_audit(&self, audit: &AuditRecord) -> RepoResult<()> {
        self.state().audit(audit);
        Ok(())
    }

    async fn audit_log(&self, before: Option<i64>, limit: i64) -> RepoResult<Vec<AuditRow>> {
        Ok(self
            .state()
            .audit
            .iter()
            .rev()
            .filter(|a| before.is_none_or(|b| a.id < b))
            .take(limit as usize)
            .cloned()
            .collect())
    }
}

/// "Hashes" by marking the password: the rules around hashing are under test, not Argon2.
pub struct FakeHasher;

#[async_trait]
impl PasswordHasher for FakeHasher {
    async fn hash(&self, password: &Password) -> Result<String, app::ports::Failure> {
        Ok(format!("fake${}", password.expose()))
    }
    async fn verify(&self, password: &str, hash: &str) -> bool {
        hash.strip_prefix("fake$") == Some(password)
    }
}

//! Staff accounts as the API and the staff pages see them: who is acting, the login and
//! account-management shapes, API tokens, the audit log.
use crate::domain::{Permission, Role};
use crate::dto::Ts;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// May do sensitive acts: undo an admission, refund, close the till.
    pub supervisor: bool,
    #[serde(default)]
    pub disabled: bool,
}

/// How an actor proved who they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Via {
    /// The server's own command line (whoever may run it owns the database).
    Console,
    Session,
    ApiToken(i64),
}

/// Who does a staff act; every staff use case takes one and asks it what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `None` for the console.
    pub staff: Option<StaffMember>,
    pub via: Via,
}

impl Actor {
    pub fn console() -> Actor {
        Actor {
            staff: None,
            via: Via::Console,
        }
    }

    pub fn role(&self) -> Role {
        self.staff.as_ref().map_or(Role::Admin, |s| s.role)
    }

    pub fn supervisor(&self) -> bool {
        self.staff.as_ref().is_none_or(|s| s.supervisor)
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.role().may(permission)
    }

    pub fn staff_id(&self) -> Option<i64> {
        self.staff.as_ref().map(|s| s.id)
    }

    /// As the audit log names them.
    pub fn label(&self) -> String {
        match &self.staff {
            Some(s) => format!("{} <{}>", s.name, s.email),
            None => "console".into(),
        }
    }

    /// Who an act is written under in the cash journal: the staff member's e-mail, or the
    /// console.
    pub fn agent(&self) -> String {
        self.staff
            .as_ref()
            .map_or_else(|| "console".to_string(), |s| s.email.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /auth/login` and `GET /auth/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WhoAmI {
    pub staff: StaffMember,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewStaffRequest {
    pub email: String,
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub supervisor: bool,
    /// Generated (and answered once) when absent.
    #[serde(default)]
    pub password: Option<String>,
}

/// A created account, or a reset password: a generated password is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffWithPassword {
    pub staff: StaffMember,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_password: Option<String>,
}

/// `PATCH /admin/staff/{id}`: what changes; the rest stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub supervisor: Option<bool>,
    #[serde(default)]
    pub disabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    /// Generated when absent.
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewApiTokenRequest {
    /// The account the token acts as.
    pub staff_id: i64,
    /// What it is for, e.g. "Import de la saison".
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub staff_id: i64,
    pub staff_email: String,
    pub created_at: Ts,
    #[serde(default)]
    pub last_used_at: Option<Ts>,
    #[serde(default)]
    pub revoked_at: Option<Ts>,
}

/// The token itself is shown once, here; only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiTokenCreated {
    pub token: String,
    #[serde(flatten)]
    pub info: ApiTokenInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: Ts,
    /// `None` for the console.
    pub staff_id: Option<i64>,
    pub actor: String,
    /// e.g. `staff.create`, `token.revoke`, `door.open`.
    pub action: String,
    /// What it was done to, e.g. `staff:3`.
    pub subject: String,
    /// Before/after or the facts of the act.
    pub detail: serde_json::Value,
}

/// `POST /door/accesses`: a logged-in door staff member's access for chosen performances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DoorAccessRequest {
    pub performance_ids: Vec<i64>,
    /// Validity (1–72 h), 6 by default.
    #[serde(default)]
    pub hours: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DoorAccessGranted {
    /// For `Authorization: Bearer …` on the door routes (kept by the scanner page).
    pub token: String,
    pub access: crate::door::DoorAccess,
}

/// API tokens start with this, so that secret scanners and readers recognise them.
pub const API_TOKEN_PREFIX: &str = "gst_";

/// The staff session cookie and the credentials of a request, for the JSON API and the
/// server functions alike.
#[cfg(feature = "ssr")]
pub mod cookies {
    use super::API_TOKEN_PREFIX;
    use crate::ports::Credential;
    use http::{header, HeaderMap, HeaderValue};

    pub const SESSION_COOKIE: &str = "guichet_staff";

    /// Whether cookies are `Secure` (the public site is https); in Leptos context.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct CookiePolicy {
        pub secure: bool,
    }

    /// The secret of the session cookie a request carries.
    pub fn session_secret(headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|c| c.name() == SESSION_COOKIE)
            .map(|c| c.value().to_string())
    }

    /// What a request presents: a staff API token first, else the session cookie.
    pub fn credential(headers: &HeaderMap) -> Option<Credential> {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match bearer {
            Some(token) if token.starts_with(API_TOKEN_PREFIX) => {
                Some(Credential::ApiToken(token.to_string()))
            }
            // Another bearer (a door token) is no staff credential, whatever cookie comes along.
            Some(_) => None,
            None => session_secret(headers).map(Credential::Session),
        }
    }

    /// `Set-Cookie` opening a session (or, with `max_age` 0, ending it in the browser).
    pub fn set_cookie(secret: &str, max_age: i64, secure: bool) -> HeaderValue {
        let c = cookie::Cookie::build((SESSION_COOKIE, secret.to_string()))
            .http_only(true)
            .same_site(cookie::SameSite::Lax)
            .secure(secure)
            .path("/")
            .max_age(cookie::time::Duration::seconds(max_age))
            .build();
        HeaderValue::from_str(&c.to_string()).unwrap_or(HeaderValue::from_static(""))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.append(*k, HeaderValue::from_str(v).unwrap());
            }
            h
        }

        #[test]
        fn credentials_come_from_a_staff_token_or_the_session_cookie() {
            let c = headers(&[("cookie", "lang=fr; guichet_staff=abc; other=1")]);
            assert_eq!(credential(&c), Some(Credential::Session("abc".into())));
            let t = headers(&[
                ("authorization", "Bearer gst_xyz"),
                ("cookie", "guichet_staff=abc"),
            ]);
            assert_eq!(credential(&t), Some(Credential::ApiToken("gst_xyz".into())));
            let door = headers(&[
                ("authorization", "Bearer door-token"),
                ("cookie", "guichet_staff=abc"),
            ]);
            assert_eq!(credential(&door), None);
            assert_eq!(credential(&headers(&[("cookie", "lang=en")])), None);
        }

        #[test]
        fn the_session_cookie_is_http_only_and_same_site() {
            let v = set_cookie("s3cr3t", 43_200, true);
            let v = v.to_str().unwrap();
            for part in [
                "guichet_staff=s3cr3t",
                "HttpOnly",
                "SameSite=Lax",
                "Secure",
                "Path=/",
                "Max-Age=43200",
            ] {
                assert!(v.contains(part), "{v} lacks {part}");
            }
            assert!(!set_cookie("x", 1, false)
                .to_str()
                .unwrap()
                .contains("Secure"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role, supervisor: bool) -> StaffMember {
        StaffMember {
            id: 7,
            email: "jeanne@ville.fr".into(),
            name: "Jeanne".into(),
            role,
            supervisor,
            disabled: false,
        }
    }

    #[test]
    fn actors() {
        let console = Actor::console();
        assert!(console.may(Permission::ManageStaff) && console.supervisor());
        assert_eq!(console.label(), "console");
        let door = Actor {
            staff: Some(member(Role::Door, false)),
            via: Via::Session,
        };
        assert!(!door.may(Permission::ManageStaff));
        assert!(door.may(Permission::ControlDoor));
        assert_eq!(door.label(), "Jeanne <jeanne@ville.fr>");
        assert_eq!(door.staff_id(), Some(7));
    }

    #[test]
    fn unknown_fields_in_a_change_are_refused() {
        assert!(serde_json::from_str::<StaffChange>(r#"{"role":"door"}"#).is_ok());
        assert!(serde_json::from_str::<StaffChange>(r#"{"rôle":"door"}"#).is_err());
    }
}

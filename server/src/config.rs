//! Configuration from the environment (and a `.env` file, loaded by `main`).
use crate::adapters::http::client::TrustedProxies;
use crate::adapters::http::rate::RateLimits;
use crate::adapters::payfip::fields::{Numcli, Saisie};
use crate::adapters::payfip::PayfipSettings;
use app::domain::hold_cap::HoldCaps;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub public_url: String,
    pub keys_file: PathBuf,
    /// `GUICHET_PAYMENTS`: the payment provider (none, the sandbox, PayFiP).
    pub payments: Payments,
    /// Caps every hold's duration (seconds); used by tests to watch holds expire.
    pub hold_seconds_override: Option<i64>,
    /// `GUICHET_SANDBOX_IN_PRODUCTION=yes`: the sandbox is wanted even on an https site.
    pub sandbox_in_production: bool,
    pub limits: Limits,
    pub mail: MailConfig,
}

/// Where e-mail goes: `GUICHET_SMTP_URL`, else `.eml` files in `GUICHET_MAIL_DIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailConfig {
    pub smtp_url: Option<String>,
    /// `GUICHET_MAIL_FROM`: the sender's address (the venue's name is its display name).
    pub from: String,
    pub dir: PathBuf,
    /// The first retry's delay (doubling up to 5 minutes); tests shorten it.
    pub retry_base_seconds: i64,
    /// `GUICHET_MAIL_SENDER=off`: this server queues mail but leaves sending it to the other
    /// servers (or to `guichet mail send`).
    pub send: bool,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: None,
            from: "billetterie@localhost".into(),
            dir: PathBuf::from("data/mail"),
            retry_base_seconds: 30,
            send: true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Payments {
    /// Orders are paid at the box office only.
    #[default]
    None,
    /// The test provider: the buyer picks the outcome, no money moves.
    Sandbox,
    Payfip(PayfipSettings),
}

impl Payments {
    pub fn name(&self) -> &'static str {
        match self {
            Payments::None => "none",
            Payments::Sandbox => "sandbox",
            Payments::Payfip(_) => "payfip",
        }
    }
}

/// What one client may do (see docs/configuration in the README).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// `GUICHET_HOLD_SHARE`: percent of a performance one client may hold at once (default
    /// 2, never less than one full order), or `off`.
    pub hold_caps: Option<HoldCaps>,
    /// `GUICHET_RATE_LIMITS`: `off`, or changes to the defaults (`holds=30/min,scans=off`).
    pub rates: RateLimits,
    /// `GUICHET_TRUSTED_PROXIES`: reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
    /// `GUICHET_MAX_IN_FLIGHT`: requests served at once before new ones are shed with 503.
    pub max_in_flight: usize,
    /// How long a client may take to send a request's headers (slow-loris clients are cut).
    pub header_read_timeout: std::time::Duration,
    /// Requests running longer are answered 503.
    pub request_timeout: std::time::Duration,
}

/// Enough for hundreds of buyers at once on two cores; each waits a few milliseconds at most.
pub const MAX_IN_FLIGHT: usize = 512;
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

impl Limits {
    pub fn defaults() -> Limits {
        Limits {
            hold_caps: Some(HoldCaps::default()),
            rates: RateLimits::defaults(),
            trusted_proxies: TrustedProxies::default(),
            max_in_flight: MAX_IN_FLIGHT,
            header_read_timeout: HEADER_READ_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
        }
    }

    /// No per-client limit (tests and benchmarks that play many buyers from one address).
    pub fn off() -> Limits {
        Limits {
            hold_caps: None,
            rates: RateLimits::off(),
            trusted_proxies: TrustedProxies::default(),
            max_in_flight: MAX_IN_FLIGHT,
            header_read_timeout: HEADER_READ_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("invalid value for {name}: {value:?}")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let site_addr_raw = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let site_addr = site_addr_raw.parse().map_err(|_| ConfigError {
            name: "LEPTOS_SITE_ADDR",
            value: site_addr_raw.clone(),
        })?;
        let hold_seconds_override = match var("GUICHET_HOLD_SECONDS") {
            Some(v) => Some(
                v.parse::<i64>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or(ConfigError {
                        name: "GUICHET_HOLD_SECONDS",
                        value: v,
                    })?,
            ),
            None => None,
        };
        let bad = |name: &'static str, value: &str| ConfigError {
            name,
            value: value.to_string(),
        };
        let hold_caps = match var("GUICHET_HOLD_SHARE") {
            None => Some(HoldCaps::default()),
            Some(v) if v.trim() == "off" => None,
            Some(v) => Some(HoldCaps {
                share_percent: v
                    .trim()
                    .trim_end_matches('%')
                    .parse()
                    .ok()
                    .filter(|p| (1..=100).contains(p))
                    .ok_or_else(|| bad("GUICHET_HOLD_SHARE", &v))?,
            }),
        };
        let rates = match var("GUICHET_RATE_LIMITS") {
            None => RateLimits::defaults(),
            Some(v) => RateLimits::parse(&v).ok_or_else(|| bad("GUICHET_RATE_LIMITS", &v))?,
        };
        let trusted_proxies = match var("GUICHET_TRUSTED_PROXIES") {
            None => TrustedProxies::default(),
            Some(v) => {
                TrustedProxies::parse(&v).ok_or_else(|| bad("GUICHET_TRUSTED_PROXIES", &v))?
            }
        };
        let max_in_flight = match var("GUICHET_MAX_IN_FLIGHT") {
            None => MAX_IN_FLIGHT,
            Some(v) => v
                .trim()
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| bad("GUICHET_MAX_IN_FLIGHT", &v))?,
        };
        let payments = match var("GUICHET_PAYMENTS").as_deref().map(str::trim) {
            None | Some("none") => Payments::None,
            Some("sandbox") => Payments::Sandbox,
            Some("payfip") => {
                let numcli = var("GUICHET_PAYFIP_NUMCLI").unwrap_or_default();
                let saisie = var("GUICHET_PAYFIP_SAISIE").unwrap_or_else(|| "T".into());
                Payments::Payfip(PayfipSettings {
                    numcli: Numcli::parse(&numcli)
                        .map_err(|_| bad("GUICHET_PAYFIP_NUMCLI", &numcli))?,
                    saisie: Saisie::parse(&saisie)
                        .ok_or_else(|| bad("GUICHET_PAYFIP_SAISIE", &saisie))?,
                    soap_url: var("GUICHET_PAYFIP_SOAP_URL")
                        .unwrap_or_else(|| crate::adapters::payfip::SOAP_URL.into()),
                    page_url: var("GUICHET_PAYFIP_PAGE_URL")
                        .unwrap_or_else(|| crate::adapters::payfip::PAGE_URL.into()),
                })
            }
            Some(other) => return Err(bad("GUICHET_PAYMENTS", other)),
        };
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/guichet.db".into()),
            public_url: var("GUICHET_PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}")),
            site_addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            keys_file: var("GUICHET_KEYS_FILE")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("data/keys.json")),
            payments,
            hold_seconds_override,
            sandbox_in_production: var("GUICHET_SANDBOX_IN_PRODUCTION").as_deref() == Some("yes"),
            mail: MailConfig {
                smtp_url: var("GUICHET_SMTP_URL"),
                from: var("GUICHET_MAIL_FROM").unwrap_or_else(|| MailConfig::default().from),
                dir: var("GUICHET_MAIL_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| MailConfig::default().dir),
                retry_base_seconds: MailConfig::default().retry_base_seconds,
                send: match var("GUICHET_MAIL_SENDER").as_deref() {
                    None | Some("on") => true,
                    Some("off") => false,
                    Some(other) => return Err(bad("GUICHET_MAIL_SENDER", other)),
                },
            },
            limits: Limits {
                hold_caps,
                rates,
                trusted_proxies,
                max_in_flight,
                header_read_timeout: HEADER_READ_TIMEOUT,
                request_timeout: REQUEST_TIMEOUT,
            },
        })
    }

    /// The public site is served over https (a real deployment).
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Settings that must not go to production as they are: a forgotten sandbox setting on a
    /// public https site would give tickets away.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.https() && self.payments == Payments::Sandbox && !self.sandbox_in_production {
            return Err(ConfigError {
                name: "GUICHET_PAYMENTS",
                value: "sandbox on an https site (set GUICHET_SANDBOX_IN_PRODUCTION=yes if that is really wanted)".into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(public_url: &str, payments: Option<&str>, allowed: bool) -> Config {
        Config {
            database_url: "sqlite://x.db".into(),
            site_addr: "127.0.0.1:0".parse().unwrap(),
            site_root: String::new(),
            public_url: public_url.into(),
            keys_file: "k.json".into(),
            payments: match payments {
                Some("sandbox") => Payments::Sandbox,
                _ => Payments::None,
            },
            hold_seconds_override: None,
            sandbox_in_production: allowed,
            limits: Limits::defaults(),
            mail: MailConfig::default(),
        }
    }

    #[test]
    fn the_sandbox_does_not_reach_production_by_accident() {
        assert!(
            config("https://billetterie.ville.fr", Some("sandbox"), false)
                .check()
                .is_err()
        );
        assert!(
            config("https://billetterie.ville.fr", Some("sandbox"), true)
                .check()
                .is_ok()
        );
        assert!(config("https://billetterie.ville.fr", None, false)
            .check()
            .is_ok());
        assert!(config("http://127.0.0.1:3000", Some("sandbox"), false)
            .check()
            .is_ok());
    }
}

//! Configuration from the environment (and a `.env` file, loaded by `main`).
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub public_url: String,
    pub keys_file: PathBuf,
    /// `sandbox` enables the test payment provider.
    pub payments: Option<String>,
    /// Caps every hold's duration (seconds); used by tests to watch holds expire.
    pub hold_seconds_override: Option<i64>,
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
        let payments = var("GUICHET_PAYMENTS");
        if let Some(p) = &payments {
            if p != "sandbox" && p != "none" {
                return Err(ConfigError {
                    name: "GUICHET_PAYMENTS",
                    value: p.clone(),
                });
            }
        }
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
        })
    }
}

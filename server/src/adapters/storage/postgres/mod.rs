//! PostgreSQL: one pool for several app servers. Writes are transactions that lock what they
//! decide on (`FOR NO KEY UPDATE`: foreign-key checks of other transactions pass), holds
//! before orders, so that concurrent servers never interleave a purchase step. Booleans are
//! `boolean`, instants `timestamptz` (converted to Unix seconds at this edge).
mod booking;
mod catalogue;
mod changes;
mod door;
mod integrity;
mod journal;
mod orders;
mod outbox;
mod programme;
mod setup;
mod staff;

use super::{Closer, ConnectError};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub async fn open(url: &str) -> Result<Arc<PgStore>, ConnectError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| ConnectError::Open(e.to_string()))?;
        MIGRATIONS
            .run(&pool)
            .await
            .map_err(|e| ConnectError::Migrate(e.to_string()))?;
        Ok(Arc::new(PgStore { pool }))
    }

    /// Seat changes through LISTEN/NOTIFY on this database.
    pub fn changes(&self) -> Arc<changes::PgChanges> {
        changes::PgChanges::new(self.pool.clone())
    }
}

#[async_trait::async_trait]
impl Closer for PgStore {
    async fn close(&self) {
        self.pool.close().await;
    }
}

/// Unix seconds as `timestamptz`.
fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip() {
        assert_eq!(secs(at(1_796_499_000)), 1_796_499_000);
        assert_eq!(at(0).to_rfc3339(), "1970-01-01T00:00:00+00:00");
    }
}

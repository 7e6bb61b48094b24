//! Storage: the only place with SQL. One `Store` over `sqlx::Any` serves SQLite (embedded default)
//! and PostgreSQL (several app servers); each engine has its own migrations folder, and the
//! queries stick to what both understand (`$n` placeholders, BIGINT/TEXT, `ON CONFLICT`,
//! `RETURNING`).
mod catalog;
mod door;
mod sales;
mod setup;

pub use catalog::*;
pub use door::*;
pub use sales::*;
pub use setup::*;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// A unique or check constraint refused the write (named when the engine says which).
    #[error("constraint violated: {0}")]
    Constraint(String),
    #[error("unsupported database URL {0:?} (expected sqlite: or postgres:)")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Db(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound("row"),
            sqlx::Error::Database(db) if db.is_unique_violation() || db.is_check_violation() => {
                StoreError::Constraint(db.constraint().unwrap_or(db.message()).to_string())
            }
            _ => StoreError::Db(e),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; queueing writers here, instead of letting them race
    /// for the file lock, avoids SQLITE_BUSY and keeps latency flat. PostgreSQL needs no gate.
    write_gate: Option<Arc<Mutex<()>>>,
}

/// A write transaction (holding the SQLite write gate when there is one).
pub struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
    _gate: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Connects (creating the SQLite file and its folder if needed); does not migrate.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let url = match backend {
            Backend::Sqlite => {
                ensure_sqlite_dir(url);
                if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                }
            }
            Backend::Postgres => url.to_string(),
        };
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            Backend::Sqlite => {
                options
                    .max_connections(4)
                    // A local file cannot drop a connection: skip the ping on every acquire
                    // (one more thread round trip per query with the SQLite driver).
                    .test_before_acquire(false)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers proceed while the single writer commits.
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => options.max_connections(16).connect(&url).await?,
        };
        let write_gate = (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Ok(Store {
            pool,
            backend,
            write_gate,
        })
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The SQLite write gate (nothing on PostgreSQL). A single autocommit statement needs only
    /// this, not a transaction.
    pub(crate) async fn write_lock(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.write_gate {
            Some(g) => Some(g.clone().lock_owned().await),
            None => None,
        }
    }

    pub(crate) async fn begin_write(&self) -> StoreResult<WriteTx> {
        let gate = self.write_lock().await;
        let tx = self.pool.begin().await?;
        Ok(WriteTx { tx, _gate: gate })
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

fn ensure_sqlite_dir(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
}

/// Typed column access: every column is BIGINT or TEXT, booleans are 0/1.
pub(crate) trait RowExt {
    fn i(&self, col: &str) -> StoreResult<i64>;
    fn oi(&self, col: &str) -> StoreResult<Option<i64>>;
    fn s(&self, col: &str) -> StoreResult<String>;
    fn b(&self, col: &str) -> StoreResult<bool> {
        Ok(self.i(col)? != 0)
    }
}

impl RowExt for AnyRow {
    fn i(&self, col: &str) -> StoreResult<i64> {
        Ok(sqlx::Row::try_get::<i64, _>(self, col)?)
    }
    fn oi(&self, col: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::Row::try_get::<Option<i64>, _>(self, col)?)
    }
    fn s(&self, col: &str) -> StoreResult<String> {
        Ok(sqlx::Row::try_get::<String, _>(self, col)?)
    }
}

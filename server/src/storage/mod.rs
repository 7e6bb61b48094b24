//! Storage: the only place with SQL. One `Store` over `sqlx::Any` serves SQLite (embedded default)
//! and PostgreSQL (several app servers); each engine has its own migrations folder, and the
//! queries stick to what both understand (`$n` placeholders, BIGINT/TEXT, `ON CONFLICT`,
//! `RETURNING`).
mod catalog;
mod door;
mod sales;
mod script;
mod setup;

pub use catalog::*;
pub use door::*;
pub use sales::*;
pub use setup::*;

use script::Writer;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

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
    #[error("cannot start the writer thread: {0}")]
    Thread(std::io::Error),
    #[error("the writer thread has stopped")]
    WriterGone,
    #[error("storage: {0}")]
    Unexpected(&'static str),
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
    /// Readers (and, on PostgreSQL, writers too).
    pool: AnyPool,
    /// Where writes go. SQLite allows one writer at a time: a pool of a single connection queues
    /// writers instead of letting them race for the file lock (no SQLITE_BUSY, flat latency),
    /// and that connection's page cache stays warm. On PostgreSQL, the same pool as readers.
    writes: AnyPool,
    backend: Backend,
    /// SQLite: the thread that runs the purchase transactions (see `script`).
    writer: Option<Writer>,
}

/// A write transaction.
pub struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
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
        Ok(match backend {
            Backend::Sqlite => {
                // The writer first: it creates the file and switches it to WAL before readers open it.
                let writes = sqlite_pool(options.clone(), 1, &url).await?;
                let pool = sqlite_pool(options, 4, &url).await?;
                Store {
                    pool,
                    writer: Some(Writer::start(writes.clone())?),
                    writes,
                    backend,
                }
            }
            Backend::Postgres => {
                let pool = options.max_connections(16).connect(&url).await?;
                Store {
                    writes: pool.clone(),
                    pool,
                    backend,
                    writer: None,
                }
            }
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
        self.writes.close().await;
    }

    pub(crate) async fn begin_write(&self) -> StoreResult<WriteTx> {
        let tx = self.writes.begin().await?;
        Ok(WriteTx { tx })
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

async fn sqlite_pool(options: AnyPoolOptions, size: u32, url: &str) -> StoreResult<AnyPool> {
    Ok(options
        .max_connections(size)
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
        .connect(url)
        .await?)
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

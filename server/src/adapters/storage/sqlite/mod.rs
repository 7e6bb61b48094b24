//! SQLite: readers on a small sqlx pool, every write on the writer thread (`writer`).
//! Booleans are 0/1 and instants Unix seconds, as SQLite stores them natively.
mod booking;
mod catalogue;
mod door;
mod integrity;
mod orders;
mod programme;
mod setup;
mod staff;
pub mod writer;

use super::{Closer, ConnectError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqlitePool};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use writer::Writer;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

pub struct SqliteStore {
    /// Readers only.
    pool: SqlitePool,
    writer: Writer,
}

impl SqliteStore {
    pub async fn open(url: &str) -> Result<Arc<SqliteStore>, ConnectError> {
        let path = file_of(url).ok_or_else(|| {
            ConnectError::Open(format!(
                "{url}: Guichet needs an SQLite file (not :memory:)"
            ))
        })?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| ConnectError::Open(e.to_string()))?;
        }
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| ConnectError::Open(e.to_string()))?
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // Migrations first, on a connection of their own (it creates the file and switches it
        // to WAL, which lets readers proceed while the writer commits).
        {
            let mut conn = sqlx::SqliteConnection::connect_with(
                &options
                    .clone()
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal),
            )
            .await
            .map_err(|e| ConnectError::Open(e.to_string()))?;
            MIGRATIONS
                .run(&mut conn)
                .await
                .map_err(|e| ConnectError::Migrate(e.to_string()))?;
            let _ = sqlx::Connection::close(conn).await;
        }
        let writer = Writer::start(&path).map_err(|e| ConnectError::Open(e.to_string()))?;
        // Readers cannot write: every write goes through the writer thread.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(10))
            // A local file cannot drop a connection: skip the ping on every acquire.
            .test_before_acquire(false)
            .connect_with(options.read_only(true))
            .await
            .map_err(|e| ConnectError::Open(e.to_string()))?;
        Ok(Arc::new(SqliteStore { pool, writer }))
    }
}

#[async_trait::async_trait]
impl Closer for SqliteStore {
    async fn close(&self) {
        self.pool.close().await;
    }
}

/// The file of `sqlite://path?options` (or `sqlite:path`).
pub(super) fn file_of(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Placeholders `?1, ?2, …` for `n` values starting at `first`.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_files() {
        assert_eq!(
            file_of("sqlite://data/g.db"),
            Some(PathBuf::from("data/g.db"))
        );
        assert_eq!(
            file_of("sqlite:///tmp/g.db?mode=rwc"),
            Some(PathBuf::from("/tmp/g.db"))
        );
        assert_eq!(file_of("sqlite::memory:"), None);
        assert_eq!(file_of("postgres://x"), None);
        assert_eq!(placeholders(3, 2), "?3, ?4");
    }

    #[tokio::test]
    async fn only_the_writer_can_write() {
        let dir = std::env::temp_dir().join(format!("guichet-ro-{}", rand::random::<u64>()));
        let url = format!("sqlite://{}/g.db", dir.display());
        let store = SqliteStore::open(&url).await.unwrap();
        let insert =
            "INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position)
                      VALUES ('x', 'x', 'x', 'autre', 0, 1)";
        assert!(
            sqlx::query(insert).execute(&store.pool).await.is_err(),
            "the readers' pool is read-only"
        );
        store
            .writer
            .run(move |c| c.execute(insert, []))
            .await
            .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tariffs WHERE code = 'x'")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(n, 1, "readers see the writer's commits");
        let _ = std::fs::remove_dir_all(dir);
    }
}

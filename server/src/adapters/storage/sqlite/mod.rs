//! SQLite: readers on a small sqlx pool, every write on the writer thread (`writer`).
//! Booleans are 0/1 and instants Unix seconds, as SQLite stores them natively.
mod booking;
mod catalogue;
mod door;
mod integrity;
mod journal;
mod orders;
mod outbox;
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

    /// The seat-map versions migration rebuilds `seats` and `shows`: a database with sales
    /// comes out of it with the same rows and its foreign keys still enforced.
    #[tokio::test]
    async fn versions_migration_keeps_sales() {
        let dir = std::env::temp_dir().join(format!("guichet-mig-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/g.db", dir.display());
        let options = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .foreign_keys(true)
            .create_if_missing(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        let before = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(
                MIGRATIONS
                    .migrations
                    .iter()
                    .filter(|m| m.version <= 9)
                    .cloned()
                    .collect(),
            ),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        before.run(&mut conn).await.unwrap();
        for sql in [
            "INSERT INTO venues (id, code, name, operator_name, address, kind) VALUES (1, 'TM', 'T', 'Ville', '', 'theatre')",
            "INSERT INTO halls (id, venue_id, name, width, height, stage_x, stage_y, stage_w, stage_h, stage_label) VALUES (1, 1, 'S', 500, 400, 0, 0, 500, 40, 'Scène')",
            "INSERT INTO zones (id, hall_id, name, position) VALUES (1, 1, 'Parterre', 1)",
            "INSERT INTO categories (id, hall_id, number, label, color) VALUES (1, 1, 1, 'Cat 1', '#000')",
            "INSERT INTO seats (id, hall_id, zone_id, category_id, row_label, number, x, y) VALUES (7, 1, 1, 1, 'A', 1, 10, 10), (8, 1, 1, 1, 'A', 2, 40, 10)",
            "INSERT INTO shows (id, title, kind, duration_min, description, age_rating) VALUES (1, 'Cyrano', 'theatre', 150, '', '')",
            "INSERT INTO performances (id, show_id, hall_id, starts_at, sale_opens_at, sale_closes_at, capacity) VALUES (1, 1, 1, 2000, 0, 1999, 2)",
            "INSERT INTO holds (id, performance_id, quantity, status, created_at, expires_at) VALUES ('h', 1, 1, 'consumed', 0, 900)",
            "INSERT INTO seat_claims (performance_id, seat_id, hold_id, expires_at) VALUES (1, 8, 'h', NULL)",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        let _ = sqlx::Connection::close(conn).await;

        let store = SqliteStore::open(&url).await.unwrap();
        let seats: Vec<(i64, i64, String)> =
            sqlx::query_as("SELECT id, version, row_label FROM seats ORDER BY id")
                .fetch_all(&store.pool)
                .await
                .unwrap();
        assert_eq!(seats, vec![(7, 1, "A".into()), (8, 1, "A".into())]);
        let claim: i64 = sqlx::query_scalar("SELECT seat_id FROM seat_claims")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(claim, 8);
        let version: (i64, i64) = sqlx::query_as(
            "SELECT h.seatmap_version, p.seatmap_version FROM halls h, performances p",
        )
        .fetch_one(&store.pool)
        .await
        .unwrap();
        assert_eq!(version, (1, 1));
        let problems: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&store.pool)
            .await
            .unwrap();
        assert!(problems.is_empty());
        // Foreign keys still hold, and the same seat can exist in a second version.
        let orphan = store
            .writer
            .run(|c| {
                c.execute(
                    "INSERT INTO seat_claims (performance_id, seat_id, hold_id) VALUES (1, 99, 'h')",
                    [],
                )
            })
            .await;
        assert!(orphan.is_err(), "a claim on no seat is refused");
        store
            .writer
            .run(|c| {
                c.execute(
                    "INSERT INTO seats (hall_id, version, zone_id, category_id, row_label, number, x, y)
                     VALUES (1, 2, 1, 1, 'A', 1, 10, 10)",
                    [],
                )
            })
            .await
            .unwrap();
        let _ = std::fs::remove_dir_all(dir);
    }
}

//! Storage adapters: one per engine, each implementing every repository port with its own
//! typed rows and SQL. SQLite (embedded, the default) sends every write through one writer
//! thread; PostgreSQL (several app servers) uses row locks. Migrations: `migrations/<engine>`.
pub mod backup;
mod journal;
pub mod postgres;
mod rows;
pub mod sqlite;

use crate::ports::*;
use app::ports::Failure;
use std::sync::Arc;

/// The repositories of one database.
#[derive(Clone)]
pub struct Storage {
    pub catalogue: Arc<dyn CatalogueRepo>,
    pub booking: Arc<dyn BookingRepo>,
    pub orders: Arc<dyn OrderRepo>,
    pub door: Arc<dyn DoorRepo>,
    pub setup: Arc<dyn SetupRepo>,
    pub integrity: Arc<dyn IntegrityRepo>,
    pub staff: Arc<dyn StaffRepo>,
    pub programme: Arc<dyn ProgrammeRepo>,
    pub journal: Arc<dyn JournalRepo>,
    pub outbox: Arc<dyn OutboxRepo>,
    /// Seat changes heard by every app server of this database.
    pub changes: Arc<dyn SeatChanges>,
    pub engine: Engine,
    closer: Arc<dyn Closer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[async_trait::async_trait]
trait Closer: Send + Sync {
    async fn close(&self);
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL {0:?} (expected sqlite: or postgres:)")]
    UnsupportedUrl(String),
    #[error("cannot open the database: {0}")]
    Open(String),
    #[error("migrations failed: {0}")]
    Migrate(String),
}

impl Storage {
    fn of<S>(store: Arc<S>, changes: Arc<dyn SeatChanges>, engine: Engine) -> Storage
    where
        S: CatalogueRepo
            + BookingRepo
            + OrderRepo
            + DoorRepo
            + SetupRepo
            + IntegrityRepo
            + StaffRepo
            + ProgrammeRepo
            + JournalRepo
            + OutboxRepo
            + Closer
            + 'static,
    {
        Storage {
            catalogue: store.clone(),
            booking: store.clone(),
            orders: store.clone(),
            door: store.clone(),
            setup: store.clone(),
            integrity: store.clone(),
            staff: store.clone(),
            programme: store.clone(),
            journal: store.clone(),
            outbox: store.clone(),
            changes,
            engine,
            closer: store,
        }
    }

    /// Opens the database of `url` (creating an SQLite file and its folder if needed) and
    /// brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Storage, ConnectError> {
        if url.starts_with("sqlite:") {
            // One app server owns an SQLite database: its changes need not leave the process.
            Ok(Storage::of(
                sqlite::SqliteStore::open(url).await?,
                Arc::new(crate::adapters::changes::LocalChanges::new()),
                Engine::Sqlite,
            ))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let store = postgres::PgStore::open(url).await?;
            let changes = Arc::new(store.changes());
            Ok(Storage::of(store, changes, Engine::Postgres))
        } else {
            Err(ConnectError::UnsupportedUrl(url.to_string()))
        }
    }

    pub async fn close(&self) {
        self.closer.close().await;
    }
}

/// How a sqlx call failed: transient when the database cannot be reached or is saturated, or
/// when PostgreSQL gave up a transaction to break a deadlock or a serialization conflict (its
/// work is rolled back; trying again works).
pub(crate) fn sqlx_failure(e: sqlx::Error) -> Failure {
    match &e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            Failure::Unavailable(e.to_string())
        }
        sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40P01" | "40001")) => {
            tracing::warn!(error = %e, "transaction rolled back by the database");
            Failure::Unavailable(e.to_string())
        }
        _ => Failure::Internal(e.to_string()),
    }
}

/// A unique constraint refused the write.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Where a failure-returning adapter call maps its sqlx errors.
pub(crate) trait SqlxResultExt<T> {
    fn or_fail(self) -> Result<T, Failure>;
}

impl<T> SqlxResultExt<T> for Result<T, sqlx::Error> {
    fn or_fail(self) -> Result<T, Failure> {
        self.map_err(sqlx_failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    /// A database error with a given SQLSTATE, as a driver would report it.
    #[derive(Debug)]
    struct Sqlstate(&'static str);

    impl std::fmt::Display for Sqlstate {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "SQLSTATE {}", self.0)
        }
    }

    impl std::error::Error for Sqlstate {}

    impl sqlx::error::DatabaseError for Sqlstate {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn failure_of(state: &'static str) -> Failure {
        sqlx_failure(sqlx::Error::Database(Box::new(Sqlstate(state))))
    }

    #[test]
    fn deadlocks_and_serialization_failures_are_transient() {
        // Rolled back by PostgreSQL: the buyer may try again (503), it is not a bug (500).
        assert!(matches!(failure_of("40P01"), Failure::Unavailable(_)));
        assert!(matches!(failure_of("40001"), Failure::Unavailable(_)));
        assert!(matches!(failure_of("23505"), Failure::Internal(_)));
        assert!(matches!(
            sqlx_failure(sqlx::Error::PoolTimedOut),
            Failure::Unavailable(_)
        ));
    }
}

//! Health and integrity on SQLite.
use super::SqliteStore;
use crate::adapters::storage::rows::reads;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::ports::Failure;
use async_trait::async_trait;
use std::time::Duration;

/// Longer than any write should wait in the queue when the server is healthy.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

#[async_trait]
impl IntegrityRepo for SqliteStore {
    async fn health(&self) -> RepoResult<()> {
        let unavailable =
            |what: &str| Failure::Unavailable(format!("{what} did not answer in time"));
        tokio::time::timeout(HEALTH_TIMEOUT, sqlx::query("SELECT 1").execute(&self.pool))
            .await
            .map_err(|_| unavailable("the readers"))?
            .or_fail()?;
        tokio::time::timeout(
            HEALTH_TIMEOUT,
            self.writer.run(|c| c.query_row("SELECT 1", [], |_| Ok(()))),
        )
        .await
        .map_err(|_| unavailable("the writer"))?
    }

    async fn problems(&self) -> RepoResult<Vec<Problem>> {
        reads::problems(&self.pool).await
    }
}

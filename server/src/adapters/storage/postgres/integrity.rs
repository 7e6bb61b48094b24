//! Health and integrity on PostgreSQL.
use super::PgStore;
use crate::adapters::storage::rows::reads;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::ports::Failure;
use async_trait::async_trait;
use std::time::Duration;

#[async_trait]
impl IntegrityRepo for PgStore {
    async fn health(&self) -> RepoResult<()> {
        tokio::time::timeout(
            Duration::from_secs(2),
            sqlx::query("SELECT 1").execute(&self.pool),
        )
        .await
        .map_err(|_| Failure::Unavailable("the database did not answer in time".into()))?
        .or_fail()?;
        Ok(())
    }

    async fn problems(&self) -> RepoResult<Vec<Problem>> {
        reads::problems(&self.pool).await
    }
}

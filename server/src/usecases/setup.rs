//! Putting a programme in place (the demo seeder, tests; the back office later).
use crate::ports::{AppliedBatch, CatalogueBatch, SalesCounts, SetupRepo};
use app::ports::Failure;
use std::sync::Arc;

pub struct SetupService {
    repo: Arc<dyn SetupRepo>,
}

impl SetupService {
    pub fn new(repo: Arc<dyn SetupRepo>) -> SetupService {
        SetupService { repo }
    }

    /// Applies the batch in one transaction; what exists already is kept as it is.
    pub async fn apply(&self, batch: &CatalogueBatch) -> Result<AppliedBatch, Failure> {
        self.repo.apply(batch).await
    }

    pub async fn sales_counts(&self) -> Result<SalesCounts, Failure> {
        self.repo.sales_counts().await
    }
}

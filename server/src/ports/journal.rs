use super::RepoResult;
use app::domain::journal::{CashCounted, Draft, Entry, TechEvent, TechKind};
use async_trait::async_trait;

/// The cash journal and the technical events journal: append-only, each entry chained to the
/// one before in the transaction that writes it (the storage computes the chain from its last
/// entry, so two writers can never fork it). Counter sales append their entry inside their
/// settlement (`Settle::journal`); refunds, cancellations and closures through `append`.
#[async_trait]
pub trait JournalRepo: Send + Sync + 'static {
    /// Appends the entry `draft` describes after the journal's last one. A draft dated before
    /// the last entry (a clock gone back) is written at the last entry's time, and the jump
    /// recorded in the technical journal, in the same transaction.
    async fn append(&self, draft: Draft) -> RepoResult<Entry>;
    /// Entries with `from <= at < until`, in seq order.
    async fn entries_between(&self, from: i64, until: i64) -> RepoResult<Vec<Entry>>;
    /// Up to `limit` entries after seq `after`, in seq order, as stored (a row that does not
    /// read as an entry is reported by its seq).
    async fn entries_after(&self, after: i64, limit: i64) -> RepoResult<Vec<Result<Entry, i64>>>;
    /// The entry of that reference (a closure's `Z-2026-12-06`), if any.
    async fn entry_by_ref(&self, order_ref: &str) -> RepoResult<Option<Entry>>;
    async fn last_entry(&self) -> RepoResult<Option<Entry>>;
    /// What a desk's cash was counted at for a Paris day (one count per day and desk; a new
    /// one replaces it until the day is closed).
    async fn record_cash_count(
        &self,
        day: &str,
        count: &CashCounted,
        agent: &str,
        at: i64,
    ) -> RepoResult<()>;
    async fn cash_counts(&self, day: &str) -> RepoResult<Vec<CashCounted>>;
    async fn append_tech(&self, at: i64, kind: TechKind, detail: &str) -> RepoResult<TechEvent>;
    async fn tech_after(&self, after: i64, limit: i64) -> RepoResult<Vec<Result<TechEvent, i64>>>;
}

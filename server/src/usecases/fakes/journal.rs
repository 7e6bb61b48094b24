//! The journals in memory: the same chaining as the storage adapters (a clock gone back is
//! written at the last entry's time), no persistence.
use super::MemoryStore;
use crate::ports::*;
use app::domain::journal::{
    CashCounted, Chain, Draft, Entry, Head, TechChain, TechEvent, TechKind,
};
use async_trait::async_trait;

impl MemoryStore {
    /// Appends to the in-memory journal (also used by the fake settlement).
    pub(super) fn journal_append(
        entries: &mut Vec<Entry>,
        events: &mut Vec<TechEvent>,
        mut draft: Draft,
    ) -> Result<Entry, Failure> {
        let head = entries.last().map(Head::of);
        if let Some(h) = &head {
            if draft.at < h.at {
                let event = TechChain::after(events.last()).append(
                    draft.at,
                    TechKind::ClockJump,
                    "horloge revenue en arrière",
                );
                events.push(event);
                draft.at = h.at;
            }
        }
        let entry = Chain::after(head)
            .append(draft)
            .map_err(|r| Failure::Internal(r.en()))?;
        entries.push(entry.clone());
        Ok(entry)
    }

    /// The whole journal (tests).
    pub fn journal(&self) -> Vec<Entry> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .journal
            .clone()
    }
}

#[async_trait]
impl JournalRepo for MemoryStore {
    async fn append(&self, draft: Draft) -> RepoResult<Entry> {
        let mut s = self.state()?;
        let s = &mut *s;
        MemoryStore::journal_append(&mut s.journal, &mut s.tech_events, draft)
    }

    async fn entries_between(&self, from: i64, until: i64) -> RepoResult<Vec<Entry>> {
        Ok(self
            .state()?
            .journal
            .iter()
            .filter(|e| from <= e.at && e.at < until)
            .cloned()
            .collect())
    }

    async fn entries_after(&self, after: i64, limit: i64) -> RepoResult<Vec<Result<Entry, i64>>> {
        Ok(self
            .state()?
            .journal
            .iter()
            .filter(|e| e.seq > after)
            .take(limit.max(0) as usize)
            .cloned()
            .map(Ok)
            .collect())
    }

    async fn entry_by_ref(&self, order_ref: &str) -> RepoResult<Option<Entry>> {
        Ok(self
            .state()?
            .journal
            .iter()
            .rev()
            .find(|e| e.order_ref == order_ref)
            .cloned())
    }

    async fn last_entry(&self) -> RepoResult<Option<Entry>> {
        Ok(self.state()?.journal.last().cloned())
    }

    async fn record_cash_count(
        &self,
        day: &str,
        count: &CashCounted,
        _agent: &str,
        _at: i64,
    ) -> RepoResult<()> {
        let mut s = self.state()?;
        s.cash_counts
            .retain(|(d, c)| !(d == day && c.desk == count.desk));
        s.cash_counts.push((day.to_string(), count.clone()));
        Ok(())
    }

    async fn cash_counts(&self, day: &str) -> RepoResult<Vec<CashCounted>> {
        let mut counts: Vec<CashCounted> = self
            .state()?
            .cash_counts
            .iter()
            .filter(|(d, _)| d == day)
            .map(|(_, c)| c.clone())
            .collect();
        counts.sort_by(|a, b| a.desk.cmp(&b.desk));
        Ok(counts)
    }

    async fn append_tech(&self, at: i64, kind: TechKind, detail: &str) -> RepoResult<TechEvent> {
        let mut s = self.state()?;
        let event = TechChain::after(s.tech_events.last()).append(at, kind, detail);
        s.tech_events.push(event.clone());
        Ok(event)
    }

    async fn tech_after(&self, after: i64, limit: i64) -> RepoResult<Vec<Result<TechEvent, i64>>> {
        Ok(self
            .state()?
            .tech_events
            .iter()
            .filter(|e| e.seq > after)
            .take(limit.max(0) as usize)
            .cloned()
            .map(Ok)
            .collect())
    }
}

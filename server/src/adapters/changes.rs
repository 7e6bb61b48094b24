//! Seat changes within one process: enough for SQLite, where one app server owns the
//! database. PostgreSQL's adapter (`storage::postgres::changes`) adds the other servers.
use crate::ports::{SeatChange, SeatChanges};
use app::domain::PerformanceId;
use tokio::sync::broadcast;

/// Room for announcements a listener has not read yet; past it the listener hears
/// `SeatChange::Unknown` (see `broadcast` lagging) and reads everything again.
pub const BACKLOG: usize = 1024;

pub struct LocalChanges {
    sender: broadcast::Sender<SeatChange>,
}

impl LocalChanges {
    pub fn new() -> LocalChanges {
        LocalChanges {
            sender: broadcast::channel(BACKLOG).0,
        }
    }

    /// For adapters that learn of changes from elsewhere.
    pub fn publish(&self, change: SeatChange) {
        // No receiver yet (nobody follows a seat map) is not an error.
        let _ = self.sender.send(change);
    }
}

impl Default for LocalChanges {
    fn default() -> Self {
        LocalChanges::new()
    }
}

impl SeatChanges for LocalChanges {
    fn announce(&self, performance: PerformanceId) {
        self.publish(SeatChange::Here(performance));
    }

    fn subscribe(&self) -> broadcast::Receiver<SeatChange> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn listeners_hear_announcements_made_after_they_subscribed() {
        let changes = LocalChanges::new();
        changes.announce(PerformanceId(1)); // nobody listening: dropped, no error
        let mut rx = changes.subscribe();
        changes.announce(PerformanceId(2));
        assert_eq!(
            rx.recv().await.ok(),
            Some(SeatChange::Here(PerformanceId(2)))
        );
    }
}

use app::domain::PerformanceId;
use tokio::sync::broadcast;

/// A change to the seats of a performance, as the live seat maps hear of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeatChange {
    /// Made through this app server (its seat board already knows).
    Here(PerformanceId),
    /// Made through another app server sharing the database.
    Elsewhere(PerformanceId),
    /// Announcements may have been missed (a lost connection, a lagging listener): every
    /// performance should be read again.
    Unknown,
}

/// Tells every app server that a performance's seats changed, so that their seat maps follow
/// within a second. Announcing is fire-and-forget: a lost announcement costs a map one refresh
/// period, never a seat (storage decides every claim).
pub trait SeatChanges: Send + Sync + 'static {
    fn announce(&self, performance: PerformanceId);
    /// Every announcement from now on, this server's included.
    fn subscribe(&self) -> broadcast::Receiver<SeatChange>;
}

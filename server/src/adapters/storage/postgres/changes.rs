//! Seat changes between app servers on one PostgreSQL: each server sends what it changed on
//! the `guichet_seats` channel (`pg_notify`, batched every 50 ms so that an on-sale costs a
//! few notifications a second, not one per seat) and listens to the others'. Its own changes
//! reach its own seat maps at once, without the round trip.
use crate::adapters::changes::LocalChanges;
use crate::ports::{SeatChange, SeatChanges};
use app::domain::PerformanceId;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

const CHANNEL: &str = "guichet_seats";
/// How long announcements gather before one notification carries them.
const BATCH: Duration = Duration::from_millis(50);
/// PostgreSQL refuses payloads from 8,000 bytes; stay well below.
const MAX_PAYLOAD: usize = 7_000;

pub struct PgChanges {
    pool: PgPool,
    /// Tells this server's notifications from the others'.
    origin: String,
    local: LocalChanges,
    pending: Mutex<BTreeSet<i64>>,
    wake: Notify,
    notifier: Once,
    listener: Once,
}

impl PgChanges {
    pub fn new(pool: PgPool) -> Arc<PgChanges> {
        Arc::new(PgChanges {
            pool,
            origin: format!("{:016x}", rand::random::<u64>()),
            local: LocalChanges::new(),
            pending: Mutex::new(BTreeSet::new()),
            wake: Notify::new(),
            notifier: Once::new(),
            listener: Once::new(),
        })
    }

    /// Starts a task once, if a runtime is there to run it (the CLI may announce from a
    /// blocking context; its changes then reach the other servers by their refresh tick).
    fn start(&self, once: &Once, task: impl FnOnce() -> tokio::task::JoinHandle<()>) {
        if tokio::runtime::Handle::try_current().is_ok() {
            once.call_once(|| {
                task();
            });
        }
    }
}

/// `origin id,id,…` — as many payloads as the ids need.
fn payloads(origin: &str, ids: &BTreeSet<i64>) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for id in ids {
        if current.len() > MAX_PAYLOAD {
            out.push(std::mem::take(&mut current));
        }
        if current.is_empty() {
            current.push_str(origin);
            current.push(' ');
        } else {
            current.push(',');
        }
        current.push_str(&id.to_string());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The performances of another server's payload; `None` for this server's own.
fn parse(payload: &str, own: &str) -> Option<Vec<PerformanceId>> {
    let (origin, ids) = payload.split_once(' ')?;
    if origin == own {
        return None;
    }
    Some(
        ids.split(',')
            .filter_map(|id| id.parse().ok())
            .map(PerformanceId)
            .collect(),
    )
}

async fn notify_loop(changes: Arc<PgChanges>) {
    loop {
        changes.wake.notified().await;
        tokio::time::sleep(BATCH).await;
        let ids = std::mem::take(&mut *changes.pending.lock().unwrap_or_else(|p| p.into_inner()));
        for payload in payloads(&changes.origin, &ids) {
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(&payload)
                .execute(&changes.pool)
                .await
            {
                // The other servers' maps catch up at their next refresh tick.
                tracing::warn!(error = %e, "announcing seat changes failed");
            }
        }
    }
}

async fn listen_loop(changes: Arc<PgChanges>) {
    let mut listener = loop {
        match PgListener::connect_with(&changes.pool).await {
            Ok(mut l) => match l.listen(CHANNEL).await {
                Ok(()) => break l,
                Err(e) => tracing::warn!(error = %e, "LISTEN failed"),
            },
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => tracing::warn!(error = %e, "seat-change listener cannot connect"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => {
                for id in parse(n.payload(), &changes.origin).unwrap_or_default() {
                    changes.local.publish(SeatChange::Elsewhere(id));
                }
            }
            // The connection dropped (it is opened again on the next call): what was said
            // meanwhile is lost, so every map reads its seats again.
            Ok(None) => changes.local.publish(SeatChange::Unknown),
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(error = %e, "seat-change listener failed");
                changes.local.publish(SeatChange::Unknown);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

impl SeatChanges for Arc<PgChanges> {
    fn announce(&self, performance: PerformanceId) {
        self.local.announce(performance);
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(performance.0);
        let me = self.clone();
        self.start(&self.notifier, move || tokio::spawn(notify_loop(me)));
        self.wake.notify_one();
    }

    fn subscribe(&self) -> broadcast::Receiver<SeatChange> {
        let receiver = self.local.subscribe();
        let me = self.clone();
        self.start(&self.listener, move || tokio::spawn(listen_loop(me)));
        receiver
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_carry_every_id_and_stay_under_the_limit() {
        let ids: BTreeSet<i64> = (1..3_000).collect();
        let all = payloads("abc", &ids);
        assert!(all.len() > 1);
        assert!(all.iter().all(|p| p.len() < 8_000));
        let back: BTreeSet<i64> = all
            .iter()
            .flat_map(|p| parse(p, "other").unwrap())
            .map(|p| p.0)
            .collect();
        assert_eq!(back, ids);
    }

    #[test]
    fn a_server_ignores_its_own_notifications() {
        assert_eq!(parse("abc 1,2", "abc"), None);
        assert_eq!(
            parse("abc 1,x,2", "def"),
            Some(vec![PerformanceId(1), PerformanceId(2)])
        );
        assert_eq!(parse("garbage", "def"), None);
        assert!(payloads("abc", &BTreeSet::new()).is_empty());
    }
}

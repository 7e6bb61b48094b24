//! Live seat maps by push. One dispatcher task per server follows the seat changes announced
//! by every server (`SeatChanges`), reads the live state of each followed performance at most
//! every `coalesce` (a rush of holds makes one message, not one per seat), and hands the same
//! bytes to every follower. Expiries announce nothing, so followed performances are also read
//! again every `refresh`. A follower's queue is short: one that does not keep up is dropped,
//! not buffered (its browser reconnects and starts from the current state).
use super::CatalogueService;
use crate::ports::{SeatChange, SeatChanges};
use crate::usecases::booking::SeatBoard;
use app::domain::PerformanceId;
use app::ports::{Catalogue, CatalogueError, Failure};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio::time::{Instant, MissedTickBehavior};

#[derive(Debug, Clone, Copy)]
pub struct FeedSettings {
    /// Messages a follower may leave unread before it is dropped.
    pub queue: usize,
    /// Changes gather this long before a message.
    pub coalesce: Duration,
    /// Followed performances are read again this often (expired holds).
    pub refresh: Duration,
    /// Followers one server keeps at once; beyond, new ones are refused (503).
    pub max_followers: usize,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings {
            queue: 8,
            coalesce: Duration::from_millis(100),
            refresh: Duration::from_secs(2),
            max_followers: 20_000,
        }
    }
}

/// Live states of one performance as JSON (`LiveState`), the current one first.
pub type Follower = mpsc::Receiver<Arc<[u8]>>;

struct Follow {
    performance: i64,
    current: Arc<[u8]>,
    sender: mpsc::Sender<Arc<[u8]>>,
}

pub struct LiveFeed {
    catalogue: Arc<CatalogueService>,
    board: Arc<SeatBoard>,
    changes: Arc<dyn SeatChanges>,
    settings: FeedSettings,
    followers: Arc<AtomicUsize>,
    dispatcher: OnceLock<mpsc::Sender<Follow>>,
}

impl LiveFeed {
    pub fn new(
        catalogue: Arc<CatalogueService>,
        board: Arc<SeatBoard>,
        changes: Arc<dyn SeatChanges>,
        settings: FeedSettings,
    ) -> LiveFeed {
        LiveFeed {
            catalogue,
            board,
            changes,
            settings,
            followers: Arc::new(AtomicUsize::new(0)),
            dispatcher: OnceLock::new(),
        }
    }

    /// How many followers this server has now.
    pub fn followers(&self) -> usize {
        self.followers.load(Ordering::Relaxed)
    }

    /// Follows a performance's live state: its current state at once, then every change.
    pub async fn follow(&self, performance_id: i64) -> Result<Follower, CatalogueError> {
        let current = self.catalogue.live_json(performance_id).await?;
        let reserved = self
            .followers
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.settings.max_followers).then_some(n + 1)
            });
        if reserved.is_err() {
            return Err(Failure::Unavailable("too many live seat maps".into()).into());
        }
        let (sender, receiver) = mpsc::channel(self.settings.queue.max(1));
        let _ = sender.try_send(current.clone());
        let follow = Follow {
            performance: performance_id,
            current,
            sender,
        };
        if self.dispatcher().send(follow).await.is_err() {
            self.followers.fetch_sub(1, Ordering::AcqRel);
            return Err(Failure::Internal("live feed stopped".into()).into());
        }
        Ok(receiver)
    }

    fn dispatcher(&self) -> &mpsc::Sender<Follow> {
        self.dispatcher.get_or_init(|| {
            let (sender, commands) = mpsc::channel(1024);
            let dispatch = Dispatch {
                catalogue: self.catalogue.clone(),
                board: self.board.clone(),
                settings: self.settings,
                followers: self.followers.clone(),
                watched: HashMap::new(),
            };
            tokio::spawn(dispatch.run(commands, self.changes.subscribe()));
            sender
        })
    }
}

struct Watched {
    followers: Vec<mpsc::Sender<Arc<[u8]>>>,
    last: Arc<[u8]>,
    dirty: bool,
}

struct Dispatch {
    catalogue: Arc<CatalogueService>,
    board: Arc<SeatBoard>,
    settings: FeedSettings,
    followers: Arc<AtomicUsize>,
    watched: HashMap<i64, Watched>,
}

impl Dispatch {
    async fn run(
        mut self,
        mut commands: mpsc::Receiver<Follow>,
        mut changes: broadcast::Receiver<SeatChange>,
    ) {
        let mut tick = tokio::time::interval(self.settings.coalesce);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut refreshed = Instant::now();
        let mut hearing = true;
        loop {
            tokio::select! {
                biased;
                follow = commands.recv() => match follow {
                    Some(f) => self.add(f),
                    None => return,
                },
                change = changes.recv(), if hearing => match change {
                    Ok(change) => self.heard(change),
                    Err(broadcast::error::RecvError::Lagged(_)) => self.heard(SeatChange::Unknown),
                    // Nobody announces any more: the refresh ticks carry on alone.
                    Err(broadcast::error::RecvError::Closed) => hearing = false,
                },
                _ = tick.tick() => {
                    let all = refreshed.elapsed() >= self.settings.refresh;
                    if all {
                        refreshed = Instant::now();
                    }
                    self.send(all).await;
                }
            }
        }
    }

    fn add(&mut self, f: Follow) {
        let watched = self
            .watched
            .entry(f.performance)
            .or_insert_with(|| Watched {
                followers: Vec::new(),
                last: f.current.clone(),
                dirty: false,
            });
        // The follower's first state may be older than what the others were sent…
        if watched.last != f.current && f.sender.try_send(watched.last.clone()).is_err() {
            return;
        }
        // …and a change may have landed between its first read and now, unannounced to it.
        watched.dirty = true;
        watched.followers.push(f.sender);
    }

    fn heard(&mut self, change: SeatChange) {
        match change {
            SeatChange::Here(p) => self.mark(p.0, false),
            SeatChange::Elsewhere(p) => self.mark(p.0, true),
            SeatChange::Unknown => {
                let ids: Vec<i64> = self.watched.keys().copied().collect();
                for id in ids {
                    self.mark(id, true);
                }
            }
        }
    }

    /// `elsewhere`: this server's seat board has not seen the change yet.
    fn mark(&mut self, id: i64, elsewhere: bool) {
        if let Some(w) = self.watched.get_mut(&id) {
            if elsewhere {
                self.board.reload(PerformanceId(id));
            }
            w.dirty = true;
        }
    }

    /// Reads what changed (or everything, every `refresh`) and hands it on.
    async fn send(&mut self, all: bool) {
        let mut gone = Vec::new();
        for (id, w) in self.watched.iter_mut() {
            if all || w.dirty {
                w.dirty = false;
                match self.catalogue.live_json(*id).await {
                    Ok(json) if json != w.last => {
                        w.last = json.clone();
                        w.followers.retain(|f| f.try_send(json.clone()).is_ok());
                    }
                    Ok(_) => {}
                    // Storage is away: keep the followers, try at the next tick.
                    Err(CatalogueError::Failure(_)) => w.dirty = true,
                    // The performance is gone: nothing more to follow.
                    Err(_) => w.followers.clear(),
                }
            }
            w.followers.retain(|f| !f.is_closed());
            if w.followers.is_empty() {
                gone.push(*id);
            }
        }
        for id in gone {
            self.watched.remove(&id);
        }
        // The count `follow` checks its cap against: the followers actually kept (it counts
        // new ones up at once; this corrects it for the dropped ones).
        let kept: usize = self.watched.values().map(|w| w.followers.len()).sum();
        self.followers.store(kept, Ordering::Release);
    }
}

#[cfg(test)]
mod tests;

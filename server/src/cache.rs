//! A small time-bounded cache for data that changes rarely or may lag a little (seat plans,
//! performance rules, price grids, seat states, door tokens).
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub struct TtlCache<K, V> {
    ttl: Duration,
    /// Bound on entries: the map is cleared past it (keys may come from untrusted input).
    max_entries: usize,
    map: RwLock<HashMap<K, (Instant, Arc<V>)>>,
}

impl<K: Hash + Eq + Clone, V> TtlCache<K, V> {
    pub fn new(ttl: Duration) -> TtlCache<K, V> {
        TtlCache::bounded(ttl, 10_000)
    }

    /// At most `max_entries`: the map is cleared when full.
    pub fn bounded(ttl: Duration, max_entries: usize) -> TtlCache<K, V> {
        TtlCache {
            ttl,
            max_entries,
            map: RwLock::default(),
        }
    }

    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        let map = self.map.read().ok()?;
        let (at, value) = map.get(key)?;
        (at.elapsed() < self.ttl).then(|| value.clone())
    }

    pub fn put(&self, key: K, value: Arc<V>) {
        if let Ok(mut map) = self.map.write() {
            if map.len() >= self.max_entries {
                map.clear();
            }
            map.insert(key, (Instant::now(), value));
        }
    }

    /// Replaces a cached value by `f(old)`, keeping its age; does nothing when absent.
    pub fn update(&self, key: &K, f: impl FnOnce(&V) -> V) {
        if let Ok(mut map) = self.map.write() {
            if let Some((at, old)) = map.get(key) {
                let entry = (*at, Arc::new(f(old)));
                map.insert(key.clone(), entry);
            }
        }
    }

    pub fn remove(&self, key: &K) {
        if let Ok(mut map) = self.map.write() {
            map.remove(key);
        }
    }

    pub fn clear(&self) {
        if let Ok(mut map) = self.map.write() {
            map.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_update_and_bound() {
        let c: TtlCache<i64, i64> = TtlCache::new(Duration::from_millis(30));
        c.put(1, Arc::new(10));
        assert_eq!(c.get(&1).as_deref(), Some(&10));
        c.update(&1, |v| v + 1);
        assert_eq!(c.get(&1).as_deref(), Some(&11));
        c.update(&2, |v| v + 1);
        assert_eq!(c.get(&2), None);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get(&1), None);
        c.remove(&1);
        let small: TtlCache<i64, i64> = TtlCache {
            ttl: Duration::from_secs(1),
            max_entries: 2,
            map: RwLock::default(),
        };
        for k in 0..3 {
            small.put(k, Arc::new(k));
        }
        assert_eq!(small.get(&2).as_deref(), Some(&2));
        assert_eq!(small.get(&0), None);
    }
}

use std::sync::atomic::{AtomicI64, Ordering};

/// The time, as every rule sees it: UTC Unix seconds, and milliseconds for cache freshness.
pub trait Clock: Send + Sync + 'static {
    fn now_ms(&self) -> i64;
    fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A clock the tests move by hand (no `sleep` in tests).
pub struct FakeClock(AtomicI64);

impl FakeClock {
    pub fn at(seconds: i64) -> FakeClock {
        FakeClock(AtomicI64::new(seconds * 1000))
    }
    pub fn advance_ms(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
    pub fn advance(&self, seconds: i64) {
        self.advance_ms(seconds * 1000);
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

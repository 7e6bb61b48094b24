//! How many wrong passwords an account name may be given: at most `max_failures` in any
//! `window`; past that, every attempt (even a right one) is refused until the oldest of
//! those failures leaves the window. Counted per e-mail address as typed, known or not, so
//! that the refusal does not tell whether an account exists.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub max_failures: usize,
    /// Seconds.
    pub window: i64,
}

impl Default for LoginThrottle {
    fn default() -> LoginThrottle {
        LoginThrottle {
            max_failures: 5,
            window: 15 * 60,
        }
    }
}

impl LoginThrottle {
    /// Failures older than this no longer count (and need not be kept).
    pub fn since(&self, now: i64) -> i64 {
        now - self.window
    }

    /// Seconds until an attempt may be made again, given the instants of recent failures;
    /// `None` when one may be made now.
    pub fn wait(&self, failures: &[i64], now: i64) -> Option<i64> {
        let mut recent: Vec<i64> = failures
            .iter()
            .copied()
            .filter(|t| *t > self.since(now))
            .collect();
        if recent.len() < self.max_failures {
            return None;
        }
        recent.sort_unstable();
        // The attempt is allowed again once only `max_failures - 1` are left in the window.
        let frees = recent[recent.len() - self.max_failures] + self.window;
        Some((frees - now).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_then_a_wait() {
        let t = LoginThrottle::default();
        let now = 10_000;
        let four = [now - 100, now - 80, now - 60, now - 40];
        assert_eq!(t.wait(&four, now), None);
        let five = [now - 100, now - 80, now - 60, now - 40, now - 20];
        // The oldest (100 s ago) leaves the 15-minute window in 800 s.
        assert_eq!(t.wait(&five, now), Some(800));
        assert_eq!(t.wait(&five, now + 800), None);
    }

    #[test]
    fn old_failures_do_not_count() {
        let t = LoginThrottle::default();
        let now = 10_000;
        let old = [now - 2000, now - 1900, now - 1800, now - 1700, now - 1600];
        assert_eq!(t.wait(&old, now), None);
        let mixed = [now - 2000, now - 50, now - 40, now - 30, now - 20, now - 10];
        assert_eq!(t.wait(&mixed, now), Some(850));
    }
}

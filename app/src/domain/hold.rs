//! Hold lifetime: how long seats stay reserved for a buyer, and when a hold has run out.
//! Every layer asks these functions (use cases, storage queries take their `now` and
//! `expires_at` from them, the UI's countdown), so the rule cannot differ between them.

/// How long a hold lasts: the performance's hold time, shortened by a configured cap (tests
/// and demos use a few seconds); always at least a second.
pub fn duration(hold_seconds: i64, cap: Option<i64>) -> i64 {
    let seconds = match cap {
        Some(cap) => hold_seconds.min(cap),
        None => hold_seconds,
    };
    seconds.max(1)
}

/// When a hold placed at `now` ends.
pub fn expires_at(now: i64, hold_seconds: i64, cap: Option<i64>) -> i64 {
    now + duration(hold_seconds, cap)
}

/// A hold lives until `expires_at`, exclusive.
pub fn hold_expired(expires_at: i64, now: i64) -> bool {
    now >= expires_at
}

/// Seconds left on a hold, never negative (drives the countdown).
pub fn seconds_left(expires_at: i64, now: i64) -> i64 {
    (expires_at - now).max(0)
}

/// "14 min 05 s" for a countdown (French typography: no-break spaces, no clock-like "14:05"
/// read as a time of day).
pub fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        return format!("{s}\u{a0}s");
    }
    format!("{}\u{a0}min\u{a0}{:02}\u{a0}s", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetime() {
        assert_eq!(expires_at(1000, 900, None), 1900);
        assert_eq!(expires_at(1000, 900, Some(2)), 1002);
        assert_eq!(expires_at(1000, 60, Some(900)), 1060);
        assert_eq!(
            expires_at(1000, 0, None),
            1001,
            "a hold always lasts a moment"
        );
    }

    #[test]
    fn expiry_and_countdown() {
        assert!(!hold_expired(100, 99));
        assert!(hold_expired(100, 100));
        assert_eq!(seconds_left(100, 40), 60);
        assert_eq!(seconds_left(100, 140), 0);
        assert_eq!(countdown(845), "14\u{a0}min\u{a0}05\u{a0}s");
        assert_eq!(countdown(42), "42\u{a0}s");
        assert_eq!(countdown(-3), "0\u{a0}s");
    }
}

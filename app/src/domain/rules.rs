//! Sale rules shared by the service layer and the UI: selection limits, sale windows, hold expiry.
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaleState {
    NotYetOpen,
    Open,
    Closed,
}

/// Online sale is open in `[opens, closes)` and never once the performance has started.
pub fn sale_state(now: i64, opens: i64, closes: i64, starts: i64) -> SaleState {
    if now < opens {
        SaleState::NotYetOpen
    } else if now >= closes || now >= starts {
        SaleState::Closed
    } else {
        SaleState::Open
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    #[error("aucune place sélectionnée")]
    Empty,
    #[error("la même place figure plusieurs fois")]
    Duplicate(Vec<i64>),
    #[error("au plus {max} places par commande")]
    TooMany { max: i64 },
}

/// A seat selection: at least one seat, no duplicates, within the per-order limit.
pub fn check_selection(seat_ids: &[i64], max_per_order: i64) -> Result<(), SelectionError> {
    if seat_ids.is_empty() {
        return Err(SelectionError::Empty);
    }
    let mut seen = HashSet::new();
    let mut dups: Vec<i64> = seat_ids
        .iter()
        .copied()
        .filter(|id| !seen.insert(*id))
        .collect();
    if !dups.is_empty() {
        dups.sort_unstable();
        dups.dedup();
        return Err(SelectionError::Duplicate(dups));
    }
    if seat_ids.len() as i64 > max_per_order {
        return Err(SelectionError::TooMany { max: max_per_order });
    }
    Ok(())
}

pub fn check_quantity(quantity: i64, max_per_order: i64) -> Result<(), SelectionError> {
    if quantity < 1 {
        return Err(SelectionError::Empty);
    }
    if quantity > max_per_order {
        return Err(SelectionError::TooMany { max: max_per_order });
    }
    Ok(())
}

/// A hold lives until `expires_at`, exclusive.
pub fn hold_expired(expires_at: i64, now: i64) -> bool {
    now >= expires_at
}

/// Seconds left on a hold, never negative (drives the countdown).
pub fn seconds_left(expires_at: i64, now: i64) -> i64 {
    (expires_at - now).max(0)
}

/// "14:05" for a countdown.
pub fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{:02}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sale_window() {
        assert_eq!(sale_state(5, 10, 100, 200), SaleState::NotYetOpen);
        assert_eq!(sale_state(10, 10, 100, 200), SaleState::Open);
        assert_eq!(sale_state(100, 10, 100, 200), SaleState::Closed);
        // Closing after the start still closes at the start.
        assert_eq!(sale_state(250, 10, 300, 250), SaleState::Closed);
    }

    #[test]
    fn selections() {
        assert_eq!(check_selection(&[], 4), Err(SelectionError::Empty));
        assert_eq!(
            check_selection(&[1, 2, 1, 3, 3], 10),
            Err(SelectionError::Duplicate(vec![1, 3]))
        );
        assert_eq!(
            check_selection(&[1, 2, 3, 4, 5], 4),
            Err(SelectionError::TooMany { max: 4 })
        );
        assert_eq!(check_selection(&[1, 2], 4), Ok(()));
        assert_eq!(check_quantity(0, 4), Err(SelectionError::Empty));
        assert_eq!(
            check_quantity(5, 4),
            Err(SelectionError::TooMany { max: 4 })
        );
    }

    #[test]
    fn expiry_and_countdown() {
        assert!(!hold_expired(100, 99));
        assert!(hold_expired(100, 100));
        assert_eq!(seconds_left(100, 40), 60);
        assert_eq!(seconds_left(100, 140), 0);
        assert_eq!(countdown(845), "14:05");
    }
}

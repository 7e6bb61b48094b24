//! Sale windows: when a performance can be bought online.
use serde::{Deserialize, Serialize};

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

/// Why a performance cannot be sold right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaleRefusal {
    Cancelled,
    /// Prepared in the back office, not published yet.
    Unpublished,
    /// Opens at this instant.
    NotYetOpen(i64),
    Closed,
}

/// The whole rule: a cancelled or unpublished performance is never on sale; otherwise its
/// window decides.
pub fn check_on_sale(
    cancelled: bool,
    published: bool,
    now: i64,
    opens: i64,
    closes: i64,
    starts: i64,
) -> Result<(), SaleRefusal> {
    if cancelled {
        return Err(SaleRefusal::Cancelled);
    }
    if !published {
        return Err(SaleRefusal::Unpublished);
    }
    match sale_state(now, opens, closes, starts) {
        SaleState::Open => Ok(()),
        SaleState::NotYetOpen => Err(SaleRefusal::NotYetOpen(opens)),
        SaleState::Closed => Err(SaleRefusal::Closed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_bounds() {
        assert_eq!(sale_state(5, 10, 100, 200), SaleState::NotYetOpen);
        assert_eq!(sale_state(10, 10, 100, 200), SaleState::Open);
        assert_eq!(sale_state(99, 10, 100, 200), SaleState::Open);
        assert_eq!(sale_state(100, 10, 100, 200), SaleState::Closed);
        // Closing after the start still closes at the start.
        assert_eq!(sale_state(250, 10, 300, 250), SaleState::Closed);
    }

    #[test]
    fn cancelled_is_never_on_sale() {
        assert_eq!(
            check_on_sale(true, true, 50, 10, 100, 200),
            Err(SaleRefusal::Cancelled)
        );
        assert_eq!(check_on_sale(false, true, 50, 10, 100, 200), Ok(()));
        assert_eq!(
            check_on_sale(false, true, 5, 10, 100, 200),
            Err(SaleRefusal::NotYetOpen(10))
        );
        assert_eq!(
            check_on_sale(false, true, 150, 10, 100, 200),
            Err(SaleRefusal::Closed)
        );
        assert_eq!(
            check_on_sale(false, false, 50, 10, 100, 200),
            Err(SaleRefusal::Unpublished)
        );
    }
}

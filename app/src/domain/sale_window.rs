//! Sale windows: when a performance can be bought online.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// Sold at the box office only.
    CounterOnly,
    /// Sold online only (not at the box office).
    OnlineOnly,
    /// Opens at this instant.
    NotYetOpen(i64),
    Closed,
}

/// What decides whether a performance is on sale online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleFacts {
    pub cancelled: bool,
    pub published: bool,
    pub sold_online: bool,
    pub opens: i64,
    pub closes: i64,
    pub starts: i64,
}

/// The whole rule: a cancelled, unpublished or counter-only performance is never on sale
/// online; otherwise its window decides.
pub fn check_on_sale(f: &SaleFacts, now: i64) -> Result<(), SaleRefusal> {
    if f.cancelled {
        return Err(SaleRefusal::Cancelled);
    }
    if !f.published {
        return Err(SaleRefusal::Unpublished);
    }
    if !f.sold_online {
        return Err(SaleRefusal::CounterOnly);
    }
    match sale_state(now, f.opens, f.closes, f.starts) {
        SaleState::Open => Ok(()),
        SaleState::NotYetOpen => Err(SaleRefusal::NotYetOpen(f.opens)),
        SaleState::Closed => Err(SaleRefusal::Closed),
    }
}

/// The box office keeps selling until the curtain has been up this long (late comers).
pub const COUNTER_AFTER_START: i64 = 30 * 60;

/// What decides whether the box office may sell a performance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterFacts {
    pub cancelled: bool,
    pub sold_at_counter: bool,
    pub starts: i64,
}

/// The counter's rule: not cancelled, sold at the box office, and until half an hour after the
/// start. Unpublished performances may be sold there (a pre-sale to subscribers).
pub fn check_at_counter(f: &CounterFacts, now: i64) -> Result<(), SaleRefusal> {
    if f.cancelled {
        return Err(SaleRefusal::Cancelled);
    }
    if !f.sold_at_counter {
        return Err(SaleRefusal::OnlineOnly);
    }
    if now >= f.starts + COUNTER_AFTER_START {
        return Err(SaleRefusal::Closed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_sells_until_half_an_hour_after_the_start() {
        let f = CounterFacts {
            cancelled: false,
            sold_at_counter: true,
            starts: 10_000,
        };
        assert_eq!(check_at_counter(&f, 0), Ok(()));
        assert_eq!(check_at_counter(&f, 10_000 + 29 * 60), Ok(()));
        assert_eq!(
            check_at_counter(&f, 10_000 + 30 * 60),
            Err(SaleRefusal::Closed)
        );
        let online = CounterFacts {
            sold_at_counter: false,
            ..f
        };
        assert_eq!(check_at_counter(&online, 0), Err(SaleRefusal::OnlineOnly));
        let cancelled = CounterFacts {
            cancelled: true,
            ..f
        };
        assert_eq!(check_at_counter(&cancelled, 0), Err(SaleRefusal::Cancelled));
    }

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
    fn cancelled_unpublished_or_counter_only_is_never_on_sale_online() {
        let on = SaleFacts {
            cancelled: false,
            published: true,
            sold_online: true,
            opens: 10,
            closes: 100,
            starts: 200,
        };
        assert_eq!(check_on_sale(&on, 50), Ok(()));
        assert_eq!(
            check_on_sale(
                &SaleFacts {
                    cancelled: true,
                    ..on
                },
                50
            ),
            Err(SaleRefusal::Cancelled)
        );
        assert_eq!(check_on_sale(&on, 5), Err(SaleRefusal::NotYetOpen(10)));
        assert_eq!(check_on_sale(&on, 150), Err(SaleRefusal::Closed));
        assert_eq!(
            check_on_sale(
                &SaleFacts {
                    published: false,
                    ..on
                },
                50
            ),
            Err(SaleRefusal::Unpublished)
        );
        assert_eq!(
            check_on_sale(
                &SaleFacts {
                    sold_online: false,
                    ..on
                },
                50
            ),
            Err(SaleRefusal::CounterOnly)
        );
    }
}

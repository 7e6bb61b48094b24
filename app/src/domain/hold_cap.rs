//! How much of a house one client may hold at once: nobody can sit on a whole hall while others
//! wait. A client's unpaid holds on a performance may cover at most a share of its capacity,
//! never less than one full order (a family buying the most an order allows is never refused).

/// The configured caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldCaps {
    /// Percent of a performance's capacity one client may hold.
    pub share_percent: i64,
}

impl Default for HoldCaps {
    fn default() -> HoldCaps {
        // 2 % of the 452-seat theatre is 10 seats, about one full order: twenty scripted
        // clients still hold under half of a house, while two households behind one address
        // (a shared connection) can each buy an order of a larger hall.
        HoldCaps { share_percent: 2 }
    }
}

impl HoldCaps {
    /// The most one client may hold of a performance of `capacity` places.
    pub fn cap_for(&self, capacity: i64, max_per_order: i64) -> i64 {
        let share = (capacity.max(0) * self.share_percent.max(0) + 99) / 100;
        share.max(max_per_order).max(1)
    }
}

/// Holding `asking` more would take the client past its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapExceeded {
    pub held: i64,
    pub cap: i64,
}

/// `held`: what the client holds of the performance now (active, unexpired holds).
pub fn check(held: i64, asking: i64, cap: i64) -> Result<(), CapExceeded> {
    if held + asking > cap {
        Err(CapExceeded { held, cap })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_is_a_share_but_never_less_than_an_order() {
        let caps = HoldCaps::default();
        assert_eq!(caps.cap_for(452, 8), 10);
        assert_eq!(caps.cap_for(180, 8), 8);
        assert_eq!(caps.cap_for(2000, 8), 40);
        assert_eq!(HoldCaps { share_percent: 5 }.cap_for(180, 8), 9);
        assert_eq!(caps.cap_for(0, 0), 1);
        assert_eq!(HoldCaps { share_percent: 100 }.cap_for(180, 8), 180);
    }

    #[test]
    fn asking_beyond_the_cap_is_refused() {
        assert_eq!(check(0, 8, 9), Ok(()));
        assert_eq!(check(8, 1, 9), Ok(()));
        assert_eq!(check(8, 2, 9), Err(CapExceeded { held: 8, cap: 9 }));
        assert_eq!(check(0, 10, 9), Err(CapExceeded { held: 0, cap: 9 }));
    }
}

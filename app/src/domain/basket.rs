//! The tickets of an order must match its hold exactly: one ticket per held seat, or as many
//! unnumbered tickets as places held in general admission.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BasketError {
    #[error("no ticket requested")]
    Empty,
    #[error("the tickets do not match the held seats")]
    SeatsMismatch,
    #[error("general admission: {expected} unnumbered tickets expected")]
    QuantityMismatch { expected: i64 },
}

/// `requested`: the seat of each requested ticket (`None` for unnumbered ones).
/// `held_seats` is sorted.
pub fn check_tickets_match_hold(
    seated: bool,
    held_seats: &[i64],
    held_quantity: i64,
    requested: &[Option<i64>],
) -> Result<(), BasketError> {
    if requested.is_empty() {
        return Err(BasketError::Empty);
    }
    if seated {
        let mut seats: Vec<i64> = requested.iter().flatten().copied().collect();
        seats.sort_unstable();
        if seats.len() != requested.len() || seats != held_seats {
            return Err(BasketError::SeatsMismatch);
        }
    } else if requested.iter().any(Option::is_some) || requested.len() as i64 != held_quantity {
        return Err(BasketError::QuantityMismatch {
            expected: held_quantity,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seated_orders_name_each_held_seat_once() {
        assert_eq!(
            check_tickets_match_hold(true, &[3, 4], 2, &[Some(4), Some(3)]),
            Ok(())
        );
        assert_eq!(
            check_tickets_match_hold(true, &[3, 4], 2, &[Some(4)]),
            Err(BasketError::SeatsMismatch)
        );
        assert_eq!(
            check_tickets_match_hold(true, &[3, 4], 2, &[Some(4), Some(4)]),
            Err(BasketError::SeatsMismatch)
        );
        assert_eq!(
            check_tickets_match_hold(true, &[3, 4], 2, &[Some(3), None]),
            Err(BasketError::SeatsMismatch)
        );
        assert_eq!(
            check_tickets_match_hold(true, &[3], 1, &[]),
            Err(BasketError::Empty)
        );
    }

    #[test]
    fn general_admission_counts_places() {
        assert_eq!(
            check_tickets_match_hold(false, &[], 2, &[None, None]),
            Ok(())
        );
        assert_eq!(
            check_tickets_match_hold(false, &[], 2, &[None]),
            Err(BasketError::QuantityMismatch { expected: 2 })
        );
        assert_eq!(
            check_tickets_match_hold(false, &[], 1, &[Some(5)]),
            Err(BasketError::QuantityMismatch { expected: 1 })
        );
    }
}

//! What a buyer may ask to hold: at least one seat or place, no seat twice, within the
//! per-order limit.
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    #[error("no seat selected")]
    Empty,
    #[error("seats selected twice: {0:?}")]
    Duplicate(Vec<i64>),
    #[error("at most {max} seats per order")]
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

/// A number of places (general admission, or "best seats").
pub fn check_quantity(quantity: i64, max_per_order: i64) -> Result<(), SelectionError> {
    if quantity < 1 {
        return Err(SelectionError::Empty);
    }
    if quantity > max_per_order {
        return Err(SelectionError::TooMany { max: max_per_order });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn quantities() {
        assert_eq!(check_quantity(0, 4), Err(SelectionError::Empty));
        assert_eq!(check_quantity(-2, 4), Err(SelectionError::Empty));
        assert_eq!(
            check_quantity(5, 4),
            Err(SelectionError::TooMany { max: 4 })
        );
        assert_eq!(check_quantity(4, 4), Ok(()));
    }
}

//! Quotas per tariff: a performance may sell at most so many tickets at one tariff (20
//! "enfant", 10 "invitation"). Paid orders and unpaid ones still holding their seats count.

/// `Err(left)` when `asking` more tickets would pass `max`, given `taken` already.
pub fn check(max: i64, taken: i64, asking: i64) -> Result<(), i64> {
    let left = (max - taken).max(0);
    if asking > left {
        Err(left)
    } else {
        Ok(())
    }
}

/// How many tickets of each tariff an order asks for, tariffs in order.
pub fn counts<'a>(tariffs: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, i64)> {
    let mut out: std::collections::BTreeMap<&str, i64> = Default::default();
    for t in tariffs {
        *out.entry(t).or_default() += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_places_of_a_quota_go_and_no_more() {
        assert_eq!(check(20, 18, 2), Ok(()));
        assert_eq!(check(20, 18, 3), Err(2));
        assert_eq!(check(20, 20, 1), Err(0));
        // A quota lowered below what was sold leaves nothing, not a negative count.
        assert_eq!(check(5, 8, 1), Err(0));
        assert_eq!(check(0, 0, 0), Ok(()));
    }

    #[test]
    fn an_order_is_counted_by_tariff() {
        assert_eq!(
            counts(["plein", "enfant", "plein"]),
            vec![("enfant", 1), ("plein", 2)]
        );
    }
}

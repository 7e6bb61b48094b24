//! The basket's recap, line by line: places grouped by tariff and price ("2 × Plein 25 €,
//! 1 × Réduit 18 €"), and the total. The same arithmetic whether the places are seats being
//! chosen, places held, or counters of unreserved places.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecapLine {
    /// The tariff's code (the page names it in the reader's language).
    pub code: String,
    pub count: i64,
    pub unit_cents: i64,
}

impl RecapLine {
    pub fn subtotal_cents(&self) -> i64 {
        self.count * self.unit_cents
    }
}

/// Places as (tariff code, price), grouped in the order their tariffs first appear; one line
/// per tariff and price (one tariff can cost more in a better category).
pub fn recap<'a>(places: impl IntoIterator<Item = (&'a str, i64)>) -> Vec<RecapLine> {
    let mut lines: Vec<RecapLine> = Vec::new();
    for (code, cents) in places {
        match lines
            .iter_mut()
            .find(|l| l.code == code && l.unit_cents == cents)
        {
            Some(line) => line.count += 1,
            None => lines.push(RecapLine {
                code: code.to_string(),
                count: 1,
                unit_cents: cents,
            }),
        }
    }
    lines
}

pub fn total_cents(lines: &[RecapLine]) -> i64 {
    lines.iter().map(RecapLine::subtotal_cents).sum()
}

pub fn places(lines: &[RecapLine]) -> i64 {
    lines.iter().map(|l| l.count).sum()
}

/// One place per count: each tariff repeated as many times as it was counted, in order.
pub fn expand<'a, T>(tariffs: &'a [T], counts: &'a [i64]) -> impl Iterator<Item = &'a T> {
    tariffs
        .iter()
        .zip(counts)
        .flat_map(|(t, n)| std::iter::repeat_n(t, (*n).max(0) as usize))
}

/// Counters of unreserved places per tariff, after a press of "+" (`delta` 1) or "−" (-1) on
/// tariff `index`: never below zero, and no more than `max` places in all.
pub fn bump(counts: &[i64], index: usize, delta: i64, max: i64) -> Vec<i64> {
    let mut next = counts.to_vec();
    let Some(slot) = next.get_mut(index) else {
        return next;
    };
    let others: i64 = counts.iter().sum::<i64>() - counts[index];
    *slot = (*slot + delta).clamp(0, (max - others).max(0));
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_group_by_tariff_and_price() {
        let lines = recap([
            ("plein", 2500),
            ("reduit", 1800),
            ("plein", 2500),
            ("plein", 1800),
        ]);
        assert_eq!(
            lines,
            vec![
                RecapLine {
                    code: "plein".into(),
                    count: 2,
                    unit_cents: 2500
                },
                RecapLine {
                    code: "reduit".into(),
                    count: 1,
                    unit_cents: 1800
                },
                RecapLine {
                    code: "plein".into(),
                    count: 1,
                    unit_cents: 1800
                },
            ]
        );
        assert_eq!(lines[0].subtotal_cents(), 5000);
        assert_eq!(total_cents(&lines), 8600);
        assert_eq!(places(&lines), 4);
        assert!(recap([]).is_empty());
        assert_eq!(total_cents(&[]), 0);
    }

    #[test]
    fn counted_places_come_out_one_each() {
        let places: Vec<&&str> = expand(&["plein", "reduit", "enfant"], &[2, 0, 1]).collect();
        assert_eq!(places, [&"plein", &"plein", &"enfant"]);
        assert_eq!(expand(&["plein"], &[-1]).count(), 0);
        assert_eq!(expand(&["plein", "reduit"], &[1]).count(), 1);
    }

    #[test]
    fn counters_stay_between_zero_and_the_order_limit() {
        assert_eq!(bump(&[0, 0], 0, 1, 4), vec![1, 0]);
        assert_eq!(bump(&[0, 0], 1, -1, 4), vec![0, 0]);
        assert_eq!(bump(&[3, 1], 0, 1, 4), vec![3, 1]);
        assert_eq!(bump(&[3, 1], 1, -1, 4), vec![3, 0]);
        assert_eq!(bump(&[2, 0], 5, 1, 4), vec![2, 0]);
        // A limit lowered under what is counted (places sold meanwhile) only lets counts go
        // down.
        assert_eq!(bump(&[3, 2], 0, 1, 4), vec![2, 2]);
    }
}

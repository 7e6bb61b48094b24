//! Money is an integer number of euro cents; formatting follows French usage ("18,50 €").
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    pub fn is_free(self) -> bool {
        self.0 == 0
    }

    /// "18,50 €", "8 €" for whole euros, "gratuit" for zero.
    pub fn fr(self) -> String {
        if self.is_free() {
            return "gratuit".into();
        }
        self.amount_fr()
    }

    /// The amount even when zero ("0 €"), for totals.
    pub fn amount_fr(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (euros, cents) = (abs / 100, abs % 100);
        let euros = group_thousands(euros);
        if cents == 0 {
            format!("{sign}{euros}\u{a0}€")
        } else {
            format!("{sign}{euros},{cents:02}\u{a0}€")
        }
    }

    /// An amount as typed in a form: "22", "22,5", "22.50", "22,50 €". `None` for anything
    /// else (negative, more than two decimals, not a number).
    pub fn parse_euros(raw: &str) -> Option<Cents> {
        let s = raw.trim().trim_end_matches('€').trim().replace(',', ".");
        let (euros, cents) = match s.split_once('.') {
            Some((e, c))
                if !c.is_empty() && c.len() <= 2 && c.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (
                    e,
                    if c.len() == 1 {
                        format!("{c}0")
                    } else {
                        c.to_string()
                    },
                )
            }
            Some(_) => return None,
            None => (s.as_str(), "00".to_string()),
        };
        if euros.is_empty() || !euros.bytes().all(|b| b.is_ascii_digit()) || euros.len() > 7 {
            return None;
        }
        Some(Cents(
            euros.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok()?,
        ))
    }

    /// "€18.50" for the English interface.
    pub fn en(self) -> String {
        if self.is_free() {
            return "free".into();
        }
        format!("€{}.{:02}", self.0 / 100, (self.0 % 100).abs())
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.amount_fr())
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, rhs: Cents) -> Cents {
        Cents(self.0 + rhs.0)
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        Cents(iter.map(|c| c.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_format() {
        assert_eq!(Cents(1850).fr(), "18,50\u{a0}€");
        assert_eq!(Cents(800).fr(), "8\u{a0}€");
        assert_eq!(Cents(0).fr(), "gratuit");
        assert_eq!(Cents(0).amount_fr(), "0\u{a0}€");
        assert_eq!(Cents(123456).fr(), "1\u{202f}234,56\u{a0}€");
        assert_eq!(Cents(5).fr(), "0,05\u{a0}€");
    }

    #[test]
    fn english_format() {
        assert_eq!(Cents(1850).en(), "€18.50");
    }

    #[test]
    fn sums() {
        let total: Cents = [Cents(1800), Cents(1250)].into_iter().sum();
        assert_eq!(total, Cents(3050));
    }

    #[test]
    fn amounts_as_typed() {
        assert_eq!(Cents::parse_euros("22"), Some(Cents(2200)));
        assert_eq!(Cents::parse_euros("22,5"), Some(Cents(2250)));
        assert_eq!(Cents::parse_euros(" 22.05 € "), Some(Cents(2205)));
        for bad in ["", "-3", "2,505", "douze", "1e3", ",5"] {
            assert_eq!(Cents::parse_euros(bad), None, "{bad}");
        }
    }
}

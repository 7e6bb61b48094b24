//! Paying at the counter: the means of payment a box office takes, and the rules a sale's
//! payments follow — they add up to the total exactly, cash may be tendered above its share
//! (the change is given back), a free sale says why.
use serde::{Deserialize, Serialize};

/// How the buyer in front of the agent pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    /// On the external card terminal; Guichet records it.
    Card,
    Cheque,
    /// pass Culture (the national culture pass for young people).
    PassCulture,
    /// Chèque culture, gift voucher.
    Voucher,
    /// Invitations: nothing to pay, a reason to give.
    Free,
}

/// A cash desk's name as typed: 1 to 40 characters, no control characters; `guichet` when
/// none is given. `None` when it is not a name.
pub fn desk_name(raw: Option<&str>) -> Option<String> {
    match raw.map(str::trim) {
        None | Some("") => Some("guichet".to_string()),
        Some(d) if d.chars().count() <= 40 && !d.chars().any(char::is_control) => {
            Some(d.to_string())
        }
        Some(_) => None,
    }
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 6] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Cheque,
        PaymentMethod::PassCulture,
        PaymentMethod::Voucher,
        PaymentMethod::Free,
    ];
    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::PassCulture => "pass_culture",
            PaymentMethod::Voucher => "voucher",
            PaymentMethod::Free => "free",
        }
    }
    pub fn parse(code: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.code() == code)
    }
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            PaymentMethod::Cash => lang.pick("Espèces", "Cash"),
            PaymentMethod::Card => lang.pick("Carte bancaire (TPE)", "Card (terminal)"),
            PaymentMethod::Cheque => lang.pick("Chèque", "Cheque"),
            PaymentMethod::PassCulture => lang.pick("pass Culture", "pass Culture"),
            PaymentMethod::Voucher => lang.pick(
                "Chèque culture / bon cadeau",
                "Culture voucher / gift voucher",
            ),
            PaymentMethod::Free => lang.pick("Gratuit (invitation)", "Free (invitation)"),
        }
    }
}

/// One payment of a sale, as the agent types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentLine {
    pub method: PaymentMethod,
    pub amount_cents: i64,
    /// Cash only: what the buyer handed over (the change is what exceeds the amount).
    #[serde(default)]
    pub tendered_cents: Option<i64>,
}

/// The payments of a sale once checked: each line, and the change to give back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub lines: Vec<PaymentLine>,
    pub change_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentProblem {
    #[error("no payment for a sale of {total} cents")]
    Missing { total: i64 },
    #[error("payments of {paid} cents for a total of {total}")]
    DoNotAddUp { paid: i64, total: i64 },
    #[error("a payment amount is negative or zero")]
    NotPositive,
    #[error("only cash is tendered")]
    TenderedNotCash,
    #[error("{tendered} cents tendered for {amount} in cash")]
    TenderedTooLittle { tendered: i64, amount: i64 },
    #[error("more than one cash line")]
    TwoCashLines,
    #[error("a free sale needs a reason")]
    FreeWithoutReason,
    #[error("free is for a sale of nothing")]
    FreeWithAmount,
    #[error("a sale of nothing is paid by nothing")]
    PaidForNothing,
}

/// Checks a sale's payments against its total (cents): they add up exactly; every amount is
/// positive; cash alone is tendered, at least its amount, once; a sale of nothing is one `free`
/// line with a reason (an invitation), and `free` is for nothing else.
pub fn settle(
    total_cents: i64,
    lines: &[PaymentLine],
    free_reason: Option<&str>,
) -> Result<Settled, PaymentProblem> {
    if total_cents == 0 {
        let free_only = lines
            .iter()
            .all(|l| l.method == PaymentMethod::Free && l.amount_cents == 0);
        if !free_only {
            return Err(PaymentProblem::PaidForNothing);
        }
        if free_reason.map(str::trim).is_none_or(str::is_empty) {
            return Err(PaymentProblem::FreeWithoutReason);
        }
        return Ok(Settled {
            lines: vec![PaymentLine {
                method: PaymentMethod::Free,
                amount_cents: 0,
                tendered_cents: None,
            }],
            change_cents: 0,
        });
    }
    if lines.is_empty() {
        return Err(PaymentProblem::Missing { total: total_cents });
    }
    let mut change = 0;
    let mut cash_lines = 0;
    for l in lines {
        if l.method == PaymentMethod::Free {
            return Err(PaymentProblem::FreeWithAmount);
        }
        if l.amount_cents <= 0 {
            return Err(PaymentProblem::NotPositive);
        }
        match (l.method, l.tendered_cents) {
            (PaymentMethod::Cash, Some(t)) if t < l.amount_cents => {
                return Err(PaymentProblem::TenderedTooLittle {
                    tendered: t,
                    amount: l.amount_cents,
                })
            }
            (PaymentMethod::Cash, Some(t)) => change = t - l.amount_cents,
            (_, Some(_)) => return Err(PaymentProblem::TenderedNotCash),
            _ => {}
        }
        if l.method == PaymentMethod::Cash {
            cash_lines += 1;
        }
    }
    if cash_lines > 1 {
        return Err(PaymentProblem::TwoCashLines);
    }
    let paid: i64 = lines.iter().map(|l| l.amount_cents).sum();
    if paid != total_cents {
        return Err(PaymentProblem::DoNotAddUp {
            paid,
            total: total_cents,
        });
    }
    Ok(Settled {
        lines: lines.to_vec(),
        change_cents: change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentMethod::*;

    fn line(method: PaymentMethod, amount: i64, tendered: Option<i64>) -> PaymentLine {
        PaymentLine {
            method,
            amount_cents: amount,
            tendered_cents: tendered,
        }
    }

    #[test]
    fn cash_gives_change_and_split_payments_add_up() {
        let s = settle(3000, &[line(Cash, 3000, Some(5000))], None).unwrap();
        assert_eq!(s.change_cents, 2000);
        let s = settle(
            4600,
            &[
                line(PassCulture, 2300, None),
                line(Card, 1300, None),
                line(Cash, 1000, Some(1000)),
            ],
            None,
        )
        .unwrap();
        assert_eq!((s.lines.len(), s.change_cents), (3, 0));
        // Cash without a tendered amount: given exactly.
        assert_eq!(
            settle(900, &[line(Cash, 900, None)], None)
                .unwrap()
                .change_cents,
            0
        );
    }

    #[test]
    fn payments_that_do_not_fit_are_refused() {
        assert_eq!(
            settle(3000, &[line(Card, 2000, None)], None),
            Err(PaymentProblem::DoNotAddUp {
                paid: 2000,
                total: 3000
            })
        );
        assert_eq!(
            settle(
                3000,
                &[line(Card, 2000, None), line(Cheque, 1500, None)],
                None
            ),
            Err(PaymentProblem::DoNotAddUp {
                paid: 3500,
                total: 3000
            })
        );
        assert_eq!(
            settle(3000, &[], None),
            Err(PaymentProblem::Missing { total: 3000 })
        );
        assert_eq!(
            settle(3000, &[line(Cash, 3000, Some(2000))], None),
            Err(PaymentProblem::TenderedTooLittle {
                tendered: 2000,
                amount: 3000
            })
        );
        assert_eq!(
            settle(3000, &[line(Card, 3000, Some(5000))], None),
            Err(PaymentProblem::TenderedNotCash)
        );
        assert_eq!(
            settle(
                3000,
                &[line(Cash, 1000, None), line(Cash, 2000, None)],
                None
            ),
            Err(PaymentProblem::TwoCashLines)
        );
        assert_eq!(
            settle(
                3000,
                &[line(Card, 3500, None), line(Cash, -500, None)],
                None
            ),
            Err(PaymentProblem::NotPositive)
        );
        assert_eq!(
            settle(3000, &[line(Free, 3000, None)], Some("presse")),
            Err(PaymentProblem::FreeWithAmount)
        );
    }

    #[test]
    fn invitations_say_why() {
        assert_eq!(
            settle(0, &[line(Free, 0, None)], None),
            Err(PaymentProblem::FreeWithoutReason)
        );
        let s = settle(0, &[], Some("Invitation presse")).unwrap();
        assert_eq!(s.lines, [line(Free, 0, None)]);
        assert_eq!(
            settle(0, &[line(Cash, 500, None)], Some("x")),
            Err(PaymentProblem::PaidForNothing)
        );
    }

    #[test]
    fn methods_read_back_from_their_codes() {
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.code()), Some(m));
        }
        assert_eq!(PaymentMethod::parse("bitcoin"), None);
    }
}

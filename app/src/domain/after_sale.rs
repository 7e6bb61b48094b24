//! After a sale: what a cancellation and a refund must respect. A refund gives back money that
//! was paid and not given back yet, by a means money can go back through; above a threshold it
//! is a supervisor's act. A cancellation says why.
use crate::domain::counter::PaymentMethod;
use crate::domain::Cents;

/// Refunds above this need a supervisor (50 €: a couple's seats at the theatre).
pub const SUPERVISOR_ABOVE: Cents = Cents(5_000);
/// A reason is short free text, recorded in the audit log and the order's history.
pub const REASON_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefundProblem {
    #[error("a refund is of a positive amount")]
    NotPositive,
    #[error("{asked} asked, {refundable} refundable")]
    MoreThanPaid { asked: Cents, refundable: Cents },
    #[error("nothing goes back as an invitation")]
    FreeMethod,
    #[error("a supervisor's act above {0}")]
    SupervisorAbove(Cents),
}

/// Checks a refund of `amount` when `paid` was paid and `refunded` given back already.
pub fn check_refund(
    amount: Cents,
    method: PaymentMethod,
    paid: Cents,
    refunded: Cents,
    supervisor: bool,
) -> Result<(), RefundProblem> {
    if amount.0 <= 0 {
        return Err(RefundProblem::NotPositive);
    }
    if method == PaymentMethod::Free {
        return Err(RefundProblem::FreeMethod);
    }
    let refundable = Cents((paid.0 - refunded.0).max(0));
    if amount.0 > refundable.0 {
        return Err(RefundProblem::MoreThanPaid {
            asked: amount,
            refundable,
        });
    }
    if amount.0 > SUPERVISOR_ABOVE.0 && !supervisor {
        return Err(RefundProblem::SupervisorAbove(SUPERVISOR_ABOVE));
    }
    Ok(())
}

/// A reason as given: trimmed, 1 to `REASON_MAX_CHARS` characters, no control characters.
pub fn reason(raw: &str) -> Option<String> {
    let r = raw.trim();
    (!r.is_empty() && r.chars().count() <= REASON_MAX_CHARS && !r.chars().any(char::is_control))
        .then(|| r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentMethod::*;

    #[test]
    fn a_refund_never_gives_back_more_than_was_paid() {
        assert_eq!(
            check_refund(Cents(2000), Cash, Cents(4000), Cents(0), false),
            Ok(())
        );
        assert_eq!(
            check_refund(Cents(2000), Card, Cents(4000), Cents(2000), false),
            Ok(())
        );
        assert_eq!(
            check_refund(Cents(2001), Cash, Cents(4000), Cents(2000), false),
            Err(RefundProblem::MoreThanPaid {
                asked: Cents(2001),
                refundable: Cents(2000)
            })
        );
        assert_eq!(
            check_refund(Cents(0), Cash, Cents(4000), Cents(0), false),
            Err(RefundProblem::NotPositive)
        );
        assert_eq!(
            check_refund(Cents(100), Free, Cents(4000), Cents(0), false),
            Err(RefundProblem::FreeMethod)
        );
    }

    #[test]
    fn above_the_threshold_a_supervisor_refunds() {
        assert_eq!(
            check_refund(SUPERVISOR_ABOVE, Cash, Cents(9000), Cents(0), false),
            Ok(())
        );
        assert_eq!(
            check_refund(Cents(5001), Cash, Cents(9000), Cents(0), false),
            Err(RefundProblem::SupervisorAbove(SUPERVISOR_ABOVE))
        );
        assert_eq!(
            check_refund(Cents(5001), Cash, Cents(9000), Cents(0), true),
            Ok(())
        );
    }

    #[test]
    fn a_reason_is_short_text() {
        assert_eq!(
            reason("  spectateur malade "),
            Some("spectateur malade".into())
        );
        assert_eq!(reason("   "), None);
        assert_eq!(reason("a\u{7}b"), None);
        assert_eq!(reason(&"x".repeat(201)), None);
    }
}

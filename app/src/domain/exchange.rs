//! An exchange: tickets given back for others of the same show (another seat, another date).
//! What the tickets given back are worth becomes a credit on the new tickets, at most what is
//! still refundable on their order; the difference is collected by the usual means, or given
//! back by a means money can go back through (a supervisor's act above the refund threshold).
use crate::domain::after_sale::{check_refund, RefundProblem};
use crate::domain::counter::{settle, PaymentLine, PaymentMethod, PaymentProblem, Settled};
use crate::domain::Cents;

/// How the difference between the new tickets and the credit is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The new tickets cost exactly the credit.
    Even,
    /// The buyer pays the rest (the payments checked as at a sale; cash with its change).
    Collect(Settled),
    /// The buyer gets this much back by this means.
    GiveBack(Cents, PaymentMethod),
}

/// An exchange's money: the credit moved from the old order to the new one, and the difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    pub credit: Cents,
    pub difference: Difference,
}

impl Balance {
    /// Collected (> 0) or given back (< 0), in cents.
    pub fn difference_cents(&self) -> i64 {
        match &self.difference {
            Difference::Even => 0,
            Difference::Collect(s) => s.lines.iter().map(|l| l.amount_cents).sum(),
            Difference::GiveBack(c, _) => -c.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeProblem {
    #[error(transparent)]
    Payments(#[from] PaymentProblem),
    #[error(transparent)]
    Refund(#[from] RefundProblem),
    /// Say how the difference is paid or given back.
    #[error("a means for the difference is needed")]
    MethodMissing,
    /// Nothing to collect: no payment may be given.
    #[error("nothing to pay")]
    NothingToPay,
}

/// Balances an exchange of tickets worth `given_back` (prices as sold) for new tickets costing
/// `new_total`, on an order with `paid` paid and `refunded` given back or moved out already.
/// A difference to collect is paid by `payments` (checked as at a sale) or, when none are
/// given, wholly by `difference_method`; a difference to give back goes by `difference_method`.
pub fn balance(
    given_back: Cents,
    new_total: Cents,
    paid: Cents,
    refunded: Cents,
    payments: &[PaymentLine],
    difference_method: Option<PaymentMethod>,
    supervisor: bool,
) -> Result<Balance, ExchangeProblem> {
    let refundable = (paid.0 - refunded.0).max(0);
    let worth = given_back.0.min(refundable);
    let diff = new_total.0 - worth;
    if diff > 0 {
        let by_method;
        let payments = match (payments, difference_method) {
            ([], Some(method)) => {
                by_method = [PaymentLine {
                    method,
                    amount_cents: diff,
                    tendered_cents: None,
                }];
                &by_method[..]
            }
            ([], None) => return Err(ExchangeProblem::MethodMissing),
            (given, _) => given,
        };
        let settled = settle(diff, payments, None)?;
        return Ok(Balance {
            credit: Cents(worth),
            difference: Difference::Collect(settled),
        });
    }
    if !payments.is_empty() {
        return Err(ExchangeProblem::NothingToPay);
    }
    if diff == 0 {
        return Ok(Balance {
            credit: Cents(worth),
            difference: Difference::Even,
        });
    }
    let back = Cents(-diff);
    let method = difference_method.ok_or(ExchangeProblem::MethodMissing)?;
    // The credit moves first: what is left refundable is what the new tickets do not use.
    check_refund(
        back,
        method,
        paid,
        Cents(refunded.0 + new_total.0),
        supervisor,
    )?;
    Ok(Balance {
        credit: new_total,
        difference: Difference::GiveBack(back, method),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cash(amount: i64, tendered: Option<i64>) -> PaymentLine {
        PaymentLine {
            method: PaymentMethod::Cash,
            amount_cents: amount,
            tendered_cents: tendered,
        }
    }

    #[test]
    fn the_same_price_moves_the_whole_credit_and_nothing_is_paid() {
        let b = balance(
            Cents(1500),
            Cents(1500),
            Cents(3000),
            Cents(0),
            &[],
            None,
            false,
        )
        .unwrap();
        assert_eq!(b.credit, Cents(1500));
        assert_eq!(b.difference, Difference::Even);
        assert_eq!(b.difference_cents(), 0);
    }

    #[test]
    fn dearer_tickets_collect_the_difference_with_change() {
        let b = balance(
            Cents(1000),
            Cents(2500),
            Cents(1000),
            Cents(0),
            &[cash(1500, Some(2000))],
            None,
            false,
        )
        .unwrap();
        assert_eq!(b.credit, Cents(1000));
        match &b.difference {
            Difference::Collect(s) => assert_eq!(s.change_cents, 500),
            other => panic!("{other:?}"),
        }
        assert_eq!(b.difference_cents(), 1500);
    }

    #[test]
    fn payments_must_add_up_to_the_difference() {
        let e = balance(
            Cents(1000),
            Cents(2500),
            Cents(1000),
            Cents(0),
            &[cash(1000, None)],
            None,
            false,
        );
        assert!(matches!(e, Err(ExchangeProblem::Payments(_))), "{e:?}");
        let e = balance(
            Cents(1000),
            Cents(2500),
            Cents(1000),
            Cents(0),
            &[],
            None,
            false,
        );
        assert_eq!(e, Err(ExchangeProblem::MethodMissing));
        // No lines, a means: the whole difference by it.
        let b = balance(
            Cents(1000),
            Cents(2500),
            Cents(1000),
            Cents(0),
            &[],
            Some(PaymentMethod::Card),
            false,
        )
        .unwrap();
        assert_eq!(b.difference_cents(), 1500);
    }

    #[test]
    fn cheaper_tickets_give_the_difference_back_by_a_means_said() {
        let e = balance(
            Cents(2000),
            Cents(1500),
            Cents(2000),
            Cents(0),
            &[],
            None,
            false,
        );
        assert_eq!(e, Err(ExchangeProblem::MethodMissing));
        let b = balance(
            Cents(2000),
            Cents(1500),
            Cents(2000),
            Cents(0),
            &[],
            Some(PaymentMethod::Cash),
            false,
        )
        .unwrap();
        assert_eq!(b.credit, Cents(1500));
        assert_eq!(
            b.difference,
            Difference::GiveBack(Cents(500), PaymentMethod::Cash)
        );
        assert_eq!(b.difference_cents(), -500);
        let e = balance(
            Cents(2000),
            Cents(1500),
            Cents(2000),
            Cents(0),
            &[cash(100, None)],
            Some(PaymentMethod::Cash),
            false,
        );
        assert_eq!(e, Err(ExchangeProblem::NothingToPay));
    }

    #[test]
    fn the_credit_is_never_more_than_is_still_refundable() {
        // 20 € paid, 15 € refunded already: the 20 € ticket is worth 5 € now.
        let b = balance(
            Cents(2000),
            Cents(2000),
            Cents(2000),
            Cents(1500),
            &[cash(1500, None)],
            None,
            false,
        )
        .unwrap();
        assert_eq!(b.credit, Cents(500));
        assert_eq!(b.difference_cents(), 1500);
    }

    #[test]
    fn a_large_difference_given_back_is_a_supervisors_act() {
        let e = balance(
            Cents(9000),
            Cents(1000),
            Cents(9000),
            Cents(0),
            &[],
            Some(PaymentMethod::Card),
            false,
        );
        assert!(
            matches!(
                e,
                Err(ExchangeProblem::Refund(RefundProblem::SupervisorAbove(_)))
            ),
            "{e:?}"
        );
        assert!(balance(
            Cents(9000),
            Cents(1000),
            Cents(9000),
            Cents(0),
            &[],
            Some(PaymentMethod::Card),
            true
        )
        .is_ok());
        let e = balance(
            Cents(2000),
            Cents(0),
            Cents(2000),
            Cents(0),
            &[],
            Some(PaymentMethod::Free),
            true,
        );
        assert_eq!(e, Err(ExchangeProblem::Refund(RefundProblem::FreeMethod)));
    }
}

//! What the box office writes to the cash journal: its sales, refunds and cancellations as
//! entries of tariff lines (with their VAT) and payments by means.
use crate::ports::OrderItemRow;
use app::domain::counter::PaymentLine;
use app::domain::journal::{Draft, EntryKind, Line, SHOW_RATE_BP};
use app::domain::Cents;
use std::collections::BTreeMap;

/// The tickets as journal lines: one line per tariff and price, `sign` = 1 for tickets issued,
/// −1 for tickets taken back. Every ticket carries the live-show and cinema VAT rate (5.5 %).
pub fn lines(items: &[OrderItemRow], sign: i64) -> Vec<Line> {
    let mut grouped: BTreeMap<(String, i64), (String, i64)> = BTreeMap::new();
    for i in items {
        let e = grouped
            .entry((i.tariff_code.clone(), i.price.0))
            .or_insert_with(|| (i.tariff_label.clone(), 0));
        e.1 += 1;
    }
    grouped
        .into_iter()
        .map(|((tariff, price), (label, n))| {
            Line::new(&tariff, &label, sign * n, Cents(price), SHOW_RATE_BP)
        })
        .collect()
}

/// A counter sale: its tickets and the payments (cash at its share, not what was handed over).
pub fn sale(
    at: i64,
    desk: &str,
    agent: &str,
    reference: &str,
    items: &[OrderItemRow],
    payments: &[PaymentLine],
) -> Draft {
    let mut draft = Draft::new(EntryKind::Sale, at, desk, agent, reference);
    for l in lines(items, 1) {
        draft = draft.line(l);
    }
    for p in payments {
        draft = draft.pay(p.method.into(), Cents(p.amount_cents));
    }
    draft
}

/// The desk and the agent an online sale is journaled with.
pub const ONLINE_DESK: &str = "en ligne";
pub const ONLINE_AGENT: &str = "site";

/// An online sale: its tickets, paid in full through the payment provider.
pub fn online_sale(at: i64, reference: &str, items: &[OrderItemRow]) -> Draft {
    let mut draft = Draft::new(EntryKind::Sale, at, ONLINE_DESK, ONLINE_AGENT, reference);
    let mut total = 0;
    for l in lines(items, 1) {
        total += l.quantity * l.unit_price_cents;
        draft = draft.line(l);
    }
    let method = if total == 0 {
        app::domain::journal::PaymentMethod::Free
    } else {
        app::domain::journal::PaymentMethod::Online
    };
    draft.pay(method, Cents(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::counter::PaymentMethod;
    use app::domain::journal::Chain;

    fn item(tariff: &str, price: i64) -> OrderItemRow {
        OrderItemRow {
            seat_id: None,
            seat: None,
            category: None,
            tariff_code: tariff.into(),
            tariff_label: tariff.to_uppercase(),
            proof_required: false,
            price: Cents(price),
        }
    }

    #[test]
    fn a_counter_sale_is_one_line_per_tariff_and_price_with_its_vat() {
        let items = [
            item("plein", 2000),
            item("plein", 2000),
            item("reduit", 1500),
        ];
        let payments = [
            PaymentLine {
                method: PaymentMethod::Cash,
                amount_cents: 4000,
                tendered_cents: Some(5000),
            },
            PaymentLine {
                method: PaymentMethod::Card,
                amount_cents: 1500,
                tendered_cents: None,
            },
        ];
        let draft = sale(
            100,
            "guichet-1",
            "caisse@ville.fr",
            "AB12CD",
            &items,
            &payments,
        );
        let entry = Chain::new().append(draft).expect("a valid sale entry");
        assert_eq!(entry.total_cents, 5500);
        assert_eq!(entry.lines.len(), 2);
        assert_eq!(
            (entry.lines[0].tariff.as_str(), entry.lines[0].quantity),
            ("plein", 2)
        );
        // 5.5 % included in 40.00 €: 2.09 €.
        assert_eq!(entry.lines[0].vat_cents, 209);
        assert_eq!(entry.payments.len(), 2);
        assert_eq!(entry.payments[0].amount_cents, 4000);
    }
}

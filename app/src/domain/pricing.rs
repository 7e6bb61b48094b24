//! Pricing: what each ticket costs, read from the performance's price grid (price category ×
//! tariff; general admission uses no category). The browser's running totals and the server's
//! order total both come from here.
use super::money::Cents;
use crate::dto::Tariff;

/// One cell of a performance's price grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    /// `None` for general admission.
    pub category_id: Option<i64>,
    pub tariff: Tariff,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("tariff {tariff:?} is not offered for seat {seat_id:?}")]
    TariffNotOffered {
        tariff: String,
        seat_id: Option<i64>,
    },
}

/// The tariff a ticket is sold at: the grid cell of its seat's category (none for general
/// admission) and the chosen tariff code.
pub fn tariff_for<'a>(
    grid: &'a [GridCell],
    category_id: Option<i64>,
    seat_id: Option<i64>,
    tariff_code: &str,
) -> Result<&'a Tariff, PricingError> {
    grid.iter()
        .find(|c| c.category_id == category_id && c.tariff.code == tariff_code)
        .map(|c| &c.tariff)
        .ok_or_else(|| PricingError::TariffNotOffered {
            tariff: tariff_code.to_string(),
            seat_id,
        })
}

/// The sum of the prices.
pub fn total(prices: impl IntoIterator<Item = Cents>) -> Cents {
    prices.into_iter().sum()
}

/// The cheapest price on the grid (the programme's "à partir de"), zero for an empty grid.
pub fn min_price(grid: &[GridCell]) -> Cents {
    grid.iter()
        .map(|c| Cents(c.tariff.price_cents))
        .min()
        .unwrap_or(Cents::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(category_id: Option<i64>, code: &str, cents: i64) -> GridCell {
        GridCell {
            category_id,
            tariff: Tariff {
                code: code.into(),
                label: code.into(),
                label_en: code.into(),
                price_cents: cents,
                proof_required: code != "plein",
                eligibility: String::new(),
                eligibility_en: String::new(),
            },
        }
    }

    fn grid() -> Vec<GridCell> {
        vec![
            cell(Some(1), "plein", 2400),
            cell(Some(1), "reduit", 1800),
            cell(Some(2), "plein", 1600),
            cell(None, "plein", 700),
        ]
    }

    #[test]
    fn each_seat_is_priced_by_its_category() {
        let g = grid();
        assert_eq!(
            tariff_for(&g, Some(1), Some(10), "reduit")
                .unwrap()
                .price_cents,
            1800
        );
        assert_eq!(
            tariff_for(&g, Some(2), Some(11), "plein")
                .unwrap()
                .price_cents,
            1600
        );
        assert_eq!(
            tariff_for(&g, None, None, "plein").unwrap().price_cents,
            700
        );
    }

    #[test]
    fn a_tariff_missing_from_the_category_is_refused() {
        let g = grid();
        assert_eq!(
            tariff_for(&g, Some(2), Some(11), "reduit"),
            Err(PricingError::TariffNotOffered {
                tariff: "reduit".into(),
                seat_id: Some(11)
            })
        );
        assert!(tariff_for(&g, None, None, "reduit").is_err());
    }

    #[test]
    fn totals_and_cheapest() {
        assert_eq!(total([Cents(2400), Cents(1800)]), Cents(4200));
        assert_eq!(total([]), Cents::ZERO);
        assert_eq!(min_price(&grid()), Cents(700));
        assert_eq!(min_price(&[]), Cents::ZERO);
    }
}

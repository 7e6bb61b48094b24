//! VAT included in a ticket price (prices are TTC, all taxes included).
//!
//! Cinema tickets and live shows (theatre, concerts, dance, circus…) are taxed at 5.5 % in
//! metropolitan France (BOI-TVA-LIQ-30-20-40). A lower rate, 2.1 %, applies to the first
//! 140 performances of some newly created works (CGI art. 281 quater; check with the tax office
//! before using it). So the rate is a parameter of each line, in basis points, never a constant
//! of the code.

/// 5.5 %, the usual rate of cinema and live-show tickets.
pub const SHOW_RATE_BP: i64 = 550;

/// Rates are 0 to 100 %.
pub const MAX_RATE_BP: i64 = 10_000;

/// The VAT contained in a TTC amount at `rate_bp` basis points (550 = 5.5 %):
/// `total × rate / (10 000 + rate)`, rounded half away from zero, so a refund's VAT is exactly
/// the opposite of the sale's. A rate outside 0–10 000 is taken as its nearest bound (the
/// journal's checks refuse such lines before it gets here).
pub fn vat_of(total_ttc_cents: i64, rate_bp: i64) -> i64 {
    let rate = i128::from(rate_bp.clamp(0, MAX_RATE_BP));
    let num = i128::from(total_ttc_cents) * rate;
    let den = 10_000 + rate;
    let q = (2 * num.abs() + den) / (2 * den);
    // |q| ≤ |total|: it fits.
    let q = q as i64;
    if num < 0 {
        -q
    } else {
        q
    }
}

/// The amount without VAT (hors taxes) of a TTC amount.
pub fn base_of(total_ttc_cents: i64, rate_bp: i64) -> i64 {
    total_ttc_cents - vat_of(total_ttc_cents, rate_bp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_rates() {
        // 10.00 € TTC at 5.5 %: 1000 × 550 / 10550 = 52.13 → 0.52 €.
        assert_eq!(vat_of(1000, SHOW_RATE_BP), 52);
        assert_eq!(base_of(1000, SHOW_RATE_BP), 948);
        // 18.50 € at 5.5 %: 96.45… → 96.
        assert_eq!(vat_of(1850, 550), 96);
        // 2.1 %: 1000 × 210 / 10210 = 20.57 → 21.
        assert_eq!(vat_of(1000, 210), 21);
        // 20 %: 1000 × 2000 / 12000 = 166.67 → 167.
        assert_eq!(vat_of(1000, 2000), 167);
        assert_eq!(vat_of(1200, 2000), 200);
        // 10 %: 11.00 € holds exactly 1.00 €.
        assert_eq!(vat_of(1100, 1000), 100);
    }

    #[test]
    fn zero_and_free() {
        assert_eq!(vat_of(0, 550), 0);
        assert_eq!(vat_of(1000, 0), 0);
        assert_eq!(vat_of(0, 0), 0);
    }

    #[test]
    fn halves_round_away_from_zero() {
        // 3 cents at 20 %: 3 × 2000 / 12000 = 0.5 exactly.
        assert_eq!(vat_of(3, 2000), 1);
        assert_eq!(vat_of(-3, 2000), -1);
        // 100 %: half of the price.
        assert_eq!(vat_of(1, 10_000), 1);
        assert_eq!(vat_of(-1, 10_000), -1);
        assert_eq!(vat_of(5, 10_000), 3);
        // Just under a half rounds down: 2 cents at 20 % = 0.33.
        assert_eq!(vat_of(2, 2000), 0);
    }

    #[test]
    fn refunds_mirror_sales() {
        for rate in [0, 210, 550, 1000, 2000, 10_000] {
            for total in (0..5000).step_by(7) {
                let v = vat_of(total, rate);
                assert_eq!(vat_of(-total, rate), -v, "{total} at {rate}");
                // Never more than the exact value by half a cent, never beyond the price.
                let exact = total as f64 * rate as f64 / (10_000.0 + rate as f64);
                assert!((v as f64 - exact).abs() <= 0.5 + 1e-9, "{total} at {rate}");
                assert!(v <= total);
            }
        }
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(vat_of(i64::MAX, 10_000), i64::MAX / 2 + 1);
        assert_eq!(vat_of(i64::MIN + 1, 10_000), -(i64::MAX / 2 + 1));
        // Out-of-range rates are clamped.
        assert_eq!(vat_of(1000, -5), 0);
        assert_eq!(vat_of(1000, 50_000), 500);
    }
}

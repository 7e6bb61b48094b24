//! The occupancy heat map: over a period, the share of a hall's performances in which each
//! seat was sold — for programming choices (which seats sell, which never do). Seats are
//! matched by their place (zone, row, number), so a plan's later versions keep their history.
use serde::{Deserialize, Serialize};

/// One seat of the hall's current plan and how often it sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HeatSeat {
    pub seat_id: i64,
    pub x: i64,
    pub y: i64,
    /// "Parterre, rang A, place 3".
    pub label: String,
    /// Performances in which it was sold.
    pub sold: i64,
    /// `sold` over the performances, in thousandths.
    pub permille: i64,
}

/// `GET /box-office/reports/heatmap`: a hall's seats over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HeatMap {
    pub hall_id: i64,
    pub hall: String,
    pub from: String,
    pub to: String,
    /// Seated performances of the hall over the period, cancelled ones left out.
    pub performances: i64,
    pub width: i64,
    pub height: i64,
    pub seats: Vec<HeatSeat>,
}

/// How often a seat sold, in thousandths of the performances (0 when there were none).
pub fn permille(sold: i64, performances: i64) -> i64 {
    if performances <= 0 {
        return 0;
    }
    (sold.clamp(0, performances) * 1000 + performances / 2) / performances
}

/// A colour from pale (never sold) to deep red (always sold), in five steps a legend can
/// name, so that neighbouring shares read apart.
pub fn colour(permille: i64) -> &'static str {
    match permille {
        i64::MIN..=0 => "#f1f1f1",
        1..=250 => "#fde0c5",
        251..=500 => "#facba6",
        501..=750 => "#f59e72",
        751..=950 => "#e4593a",
        _ => "#b71c1c",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_rounded_thousandths_and_never_over_one() {
        assert_eq!(permille(0, 0), 0);
        assert_eq!(permille(1, 3), 333);
        assert_eq!(permille(2, 3), 667);
        assert_eq!(permille(5, 4), 1000);
    }

    #[test]
    fn colours_rise_with_the_share() {
        assert_eq!(colour(0), "#f1f1f1");
        assert_ne!(colour(100), colour(600));
        assert_eq!(colour(1000), "#b71c1c");
    }
}

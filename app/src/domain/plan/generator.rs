//! The hall generator: levels of rows, each row's seats numbered left to right, right to left,
//! or the French way (odd numbers on the left of the centre aisle, even on the right, from the
//! centre outwards), with aisles, staggered or curved rows, the stage at the top or bottom.
use super::{Plan, PlanCategory, PlanSeat, PlanStage};
use crate::domain::palette;
use serde::{Deserialize, Serialize};

/// Seat pitch, row pitch, aisle width and margins, in map units.
const PITCH: i64 = 22;
const ROW_PITCH: i64 = 24;
const AISLE: i64 = 34;
const MARGIN: i64 = 40;
const STAGE_H: i64 = 40;
const STAGE_GAP: i64 = 60;
const LEVEL_GAP: i64 = 60;
pub const MAX_ROWS: u32 = 100;
pub const MAX_SEATS_PER_ROW: u32 = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GeneratorSpec {
    /// Front to back.
    pub levels: Vec<LevelSpec>,
    #[serde(default)]
    pub stage: StageSide,
    /// "Scène", "Écran".
    #[serde(default = "stage_label")]
    pub stage_label: String,
}

fn stage_label() -> String {
    "Scène".into()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StageSide {
    #[default]
    Top,
    Bottom,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowLabels {
    /// A, B, … Z, AA, AB…
    #[default]
    Letters,
    /// 1, 2, 3…
    Numbers,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Numbering {
    #[default]
    LeftToRight,
    RightToLeft,
    /// Odd on the left of the centre aisle, even on the right, 1 and 2 at the centre.
    OddEvenFromCentre,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// The zone's name ("Orchestre").
    pub zone: String,
    pub rows: u32,
    /// Seats of every row; `row_seats` gives them row by row instead (front first).
    #[serde(default)]
    pub seats_per_row: u32,
    #[serde(default)]
    pub row_seats: Vec<u32>,
    #[serde(default)]
    pub row_labels: RowLabels,
    /// Letters I and O are skipped (they read as 1 and 0).
    #[serde(default)]
    pub skip_i_o: bool,
    #[serde(default)]
    pub numbering: Numbering,
    /// Aisles after the n-th seat counted from the left (an odd/even level has its centre
    /// aisle already).
    #[serde(default)]
    pub aisles: Vec<u32>,
    /// Every other row shifted half a seat (seats between the heads in front).
    #[serde(default)]
    pub stagger: bool,
    /// How far back the row ends bend, in map units (0: straight rows).
    #[serde(default)]
    pub curve: i64,
    /// The category of the level's seats ("Catégorie 1" when absent)…
    #[serde(default)]
    pub category: Option<String>,
    /// …changed from a row on (1 = the front row), in order.
    #[serde(default)]
    pub category_from_row: Vec<RowCategory>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RowCategory {
    pub row: u32,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeneratorError {
    #[error("no level")]
    NoLevel,
    #[error("level {0:?}: 1 to {MAX_ROWS} rows, 1 to {MAX_SEATS_PER_ROW} seats a row")]
    Size(String),
}

/// The label of the `index`-th row (0-based).
pub fn row_label(index: u32, labels: RowLabels, skip_i_o: bool) -> String {
    match labels {
        RowLabels::Numbers => (index + 1).to_string(),
        RowLabels::Letters => {
            let alphabet: Vec<char> = ('A'..='Z')
                .filter(|c| !(skip_i_o && (*c == 'I' || *c == 'O')))
                .collect();
            let n = alphabet.len() as u32;
            // Bijective base n: A…Z, AA, AB…
            let mut i = index + 1;
            let mut out = Vec::new();
            while i > 0 {
                let r = (i - 1) % n;
                out.push(alphabet[r as usize]);
                i = (i - 1) / n;
            }
            out.iter().rev().collect()
        }
    }
}

/// Seat numbers of a row of `n` seats, left to right as seen from the house.
pub fn seat_numbers(n: u32, numbering: Numbering) -> Vec<i64> {
    let n = n as i64;
    match numbering {
        Numbering::LeftToRight => (1..=n).collect(),
        Numbering::RightToLeft => (1..=n).rev().collect(),
        Numbering::OddEvenFromCentre => {
            let left = (n + 1) / 2;
            let right = n / 2;
            let odd = (0..left).rev().map(|k| 2 * k + 1);
            let even = (0..right).map(|k| 2 * k + 2);
            odd.chain(even).collect()
        }
    }
}

impl GeneratorSpec {
    pub fn plan(&self) -> Result<Plan, GeneratorError> {
        if self.levels.is_empty() {
            return Err(GeneratorError::NoLevel);
        }
        // Rows laid out from the stage outwards; y flipped at the end for a bottom stage.
        let mut rows: Vec<(usize, u32, Vec<(i64, i64)>)> = Vec::new(); // (level, row index, (number, x))
        let mut widest = 0;
        for (li, level) in self.levels.iter().enumerate() {
            let counts: Vec<u32> = if level.row_seats.is_empty() {
                vec![level.seats_per_row; level.rows as usize]
            } else {
                level.row_seats.clone()
            };
            if counts.is_empty()
                || counts.len() > MAX_ROWS as usize
                || counts.iter().any(|c| *c == 0 || *c > MAX_SEATS_PER_ROW)
            {
                return Err(GeneratorError::Size(level.zone.clone()));
            }
            for (ri, count) in counts.iter().enumerate() {
                let numbers = seat_numbers(*count, level.numbering);
                let centre_gap = level.numbering == Numbering::OddEvenFromCentre;
                let left_count = (*count as usize).div_ceil(2);
                let mut x = 0;
                let mut placed = Vec::with_capacity(numbers.len());
                for (k, number) in numbers.into_iter().enumerate() {
                    if k > 0 {
                        x += PITCH;
                        let after = k as u32;
                        if level.aisles.contains(&after) || (centre_gap && k == left_count) {
                            x += AISLE;
                        }
                    }
                    placed.push((number, x));
                }
                widest = widest.max(x);
                rows.push((li, ri as u32, placed));
            }
        }
        let width = widest + 2 * MARGIN + PITCH;
        let centre = width / 2;
        let mut seats = Vec::new();
        let mut categories: Vec<String> = Vec::new();
        let mut y = MARGIN + STAGE_H + STAGE_GAP;
        let mut last_level = 0;
        for (li, ri, placed) in &rows {
            let level = &self.levels[*li];
            if *li != last_level {
                y += LEVEL_GAP;
                last_level = *li;
            }
            let row_width = placed.last().map(|(_, x)| *x).unwrap_or(0);
            let shift = if level.stagger && ri % 2 == 1 {
                PITCH / 2
            } else {
                0
            };
            let mut category = level
                .category
                .clone()
                .unwrap_or_else(|| "Catégorie 1".to_string());
            for rc in &level.category_from_row {
                if ri + 1 >= rc.row {
                    category = rc.category.clone();
                }
            }
            if !categories.contains(&category) {
                categories.push(category.clone());
            }
            let label = row_label(*ri, level.row_labels, level.skip_i_o);
            let half = (row_width / 2).max(1);
            for (number, x) in placed {
                let sx = centre - row_width / 2 + x + shift;
                // A parabola: the row ends sit `curve` units further from the stage.
                let d = sx - centre;
                let bend = level.curve * d * d / (half * half);
                seats.push(PlanSeat {
                    zone: level.zone.clone(),
                    category: category.clone(),
                    row: label.clone(),
                    number: *number,
                    x: sx,
                    y: y + bend,
                    accessible: false,
                    companion: false,
                    restricted_view: false,
                    blocked: false,
                    block_reason: None,
                });
            }
            y += ROW_PITCH;
        }
        let max_bend = self
            .levels
            .iter()
            .map(|l| l.curve.max(0))
            .max()
            .unwrap_or(0);
        let height = y + max_bend + MARGIN;
        let mut stage = PlanStage {
            x: MARGIN,
            y: MARGIN,
            w: width - 2 * MARGIN,
            h: STAGE_H,
            label: self.stage_label.trim().to_string(),
        };
        if self.stage == StageSide::Bottom {
            for s in &mut seats {
                s.y = height - s.y;
            }
            stage.y = height - MARGIN - STAGE_H;
        }
        let mut zones: Vec<String> = Vec::new();
        for l in &self.levels {
            if !zones.contains(&l.zone) {
                zones.push(l.zone.clone());
            }
        }
        Ok(Plan {
            width,
            height,
            stage,
            zones,
            categories: categories
                .into_iter()
                .enumerate()
                .map(|(i, label)| PlanCategory {
                    label,
                    color: palette::colour(i).to_string(),
                })
                .collect(),
            seats,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(zone: &str, rows: u32, seats: u32, numbering: Numbering) -> LevelSpec {
        LevelSpec {
            zone: zone.into(),
            rows,
            seats_per_row: seats,
            row_seats: Vec::new(),
            row_labels: RowLabels::Letters,
            skip_i_o: false,
            numbering,
            aisles: Vec::new(),
            stagger: false,
            curve: 0,
            category: None,
            category_from_row: Vec::new(),
        }
    }

    #[test]
    fn row_labels() {
        let l = |i, skip| row_label(i, RowLabels::Letters, skip);
        assert_eq!(
            [
                l(0, false),
                l(7, false),
                l(8, false),
                l(25, false),
                l(26, false)
            ],
            ["A", "H", "I", "Z", "AA"]
        );
        assert_eq!(
            [l(8, true), l(13, true), l(14, true)],
            ["J", "P", "Q"],
            "I and O skipped"
        );
        assert_eq!(row_label(9, RowLabels::Numbers, false), "10");
    }

    #[test]
    fn french_numbering_from_the_centre() {
        assert_eq!(
            seat_numbers(7, Numbering::OddEvenFromCentre),
            [7, 5, 3, 1, 2, 4, 6]
        );
        assert_eq!(seat_numbers(4, Numbering::RightToLeft), [4, 3, 2, 1]);
    }

    #[test]
    fn a_thirty_row_french_hall_has_exactly_the_expected_labels() {
        let spec = GeneratorSpec {
            levels: vec![LevelSpec {
                skip_i_o: true,
                category_from_row: vec![RowCategory {
                    row: 21,
                    category: "Catégorie 2".into(),
                }],
                ..level("Orchestre", 30, 20, Numbering::OddEvenFromCentre)
            }],
            stage: StageSide::Top,
            stage_label: "Scène".into(),
        };
        let plan = spec.plan().unwrap();
        assert_eq!(plan.seats.len(), 600);
        assert!(
            plan.problems().is_empty(),
            "{:?}",
            plan.problems().first().map(|p| p.fr())
        );
        let rows: Vec<String> =
            plan.seats
                .iter()
                .map(|s| s.row.clone())
                .fold(Vec::new(), |mut v, r| {
                    if v.last() != Some(&r) {
                        v.push(r);
                    }
                    v
                });
        let expected = "A B C D E F G H J K L M N P Q R S T U V W X Y Z AA AB AC AD AE AF";
        assert_eq!(rows.join(" "), expected);
        // Row A, left to right: 19 17 … 3 1 | 2 4 … 20, the centre aisle between 1 and 2.
        let a: Vec<&PlanSeat> = plan.seats.iter().filter(|s| s.row == "A").collect();
        let numbers: Vec<i64> = a.iter().map(|s| s.number).collect();
        assert_eq!(
            numbers,
            [19, 17, 15, 13, 11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]
        );
        let gap = |i: usize| a[i + 1].x - a[i].x;
        assert_eq!((gap(0), gap(9)), (PITCH, PITCH + AISLE));
        // Categories by row, in order; the back rows further from the stage.
        assert_eq!(
            plan.categories
                .iter()
                .map(|c| c.label.as_str())
                .collect::<Vec<_>>(),
            ["Catégorie 1", "Catégorie 2"]
        );
        // I and O skipped: the 20th row is V, the 21st W.
        let first = |row: &str| {
            plan.seats
                .iter()
                .find(|s| s.row == row && s.number == 1)
                .unwrap()
        };
        assert_eq!(first("V").category, "Catégorie 1");
        assert_eq!(first("W").category, "Catégorie 2");
        assert!(first("W").y > a[0].y);
        assert!(plan.stage.y < a[0].y);
    }

    #[test]
    fn levels_aisles_curves_and_a_bottom_stage() {
        let spec = GeneratorSpec {
            levels: vec![
                LevelSpec {
                    aisles: vec![4, 8],
                    curve: 30,
                    stagger: true,
                    ..level("Parterre", 5, 12, Numbering::LeftToRight)
                },
                LevelSpec {
                    row_seats: vec![10, 12],
                    row_labels: RowLabels::Numbers,
                    category: Some("Balcon".into()),
                    ..level("Balcon", 0, 0, Numbering::RightToLeft)
                },
            ],
            stage: StageSide::Bottom,
            stage_label: "Écran".into(),
        };
        let plan = spec.plan().unwrap();
        assert_eq!(plan.seats.len(), 5 * 12 + 22);
        assert!(
            plan.problems().is_empty(),
            "{:?}",
            plan.problems().first().map(|p| p.fr())
        );
        assert_eq!(plan.zones, ["Parterre", "Balcon"]);
        let a: Vec<&PlanSeat> = plan
            .seats
            .iter()
            .filter(|s| s.zone == "Parterre" && s.row == "A")
            .collect();
        assert_eq!(
            a[4].x - a[3].x,
            PITCH + AISLE,
            "an aisle after the 4th seat"
        );
        assert!(
            a[0].y < a[5].y,
            "curved: the ends are further from a bottom stage (smaller y)"
        );
        assert!(plan.stage.y > a[0].y, "the stage (screen) is at the bottom");
        let balcony_1: Vec<i64> = plan
            .seats
            .iter()
            .filter(|s| s.zone == "Balcon" && s.row == "1")
            .map(|s| s.number)
            .collect();
        assert_eq!(balcony_1, (1..=10).rev().collect::<Vec<_>>());
        assert!(GeneratorSpec {
            levels: vec![],
            ..spec.clone()
        }
        .plan()
        .is_err());
        assert!(GeneratorSpec {
            levels: vec![level("X", 0, 10, Numbering::LeftToRight)],
            ..spec
        }
        .plan()
        .is_err());
    }
}

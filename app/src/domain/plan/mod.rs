//! A hall's seat plan as the back office builds it — from the generator, from Guichet's own
//! JSON (docs/seatmap.md) or from a pretix seating plan — and the checks every plan passes
//! before it is stored: a bad plan is refused whole, each problem located ("zone Balcon,
//! rang C, place 14 : identifiant en double").
pub mod edit;
pub mod generator;
pub mod pretix;

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Seats closer than this (centre to centre, map units) are on top of each other.
pub const MIN_SEAT_DISTANCE: i64 = 8;
pub const MAX_SEATS: usize = 10_000;
pub const MAX_CANVAS: i64 = 20_000;

/// Guichet's seat-plan format (import, export, the generator's output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub width: i64,
    pub height: i64,
    pub stage: PlanStage,
    /// Levels or areas, front to back ("Orchestre", "Balcon").
    pub zones: Vec<String>,
    /// Price categories, in order ("Catégorie 1"…).
    pub categories: Vec<PlanCategory>,
    /// Empty for a general-admission hall.
    pub seats: Vec<PlanSeat>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanStage {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanCategory {
    pub label: String,
    /// CSS colour, `#rrggbb`.
    pub color: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanSeat {
    pub zone: String,
    pub category: String,
    pub row: String,
    pub number: i64,
    pub x: i64,
    pub y: i64,
    #[serde(default)]
    pub accessible: bool,
    #[serde(default)]
    pub companion: bool,
    #[serde(default)]
    pub restricted_view: bool,
    #[serde(default)]
    pub blocked: bool,
    /// Why a blocked seat is never sold (`null` for a seat on sale).
    #[serde(default)]
    pub block_reason: Option<BlockReason>,
}

/// Why a seat is kept off the sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum BlockReason {
    /// Places de la maison: kept for the venue's guests.
    House,
    /// Kept for the press.
    Press,
    /// The sound or light desk, a camera: not a seat that evening.
    Technical,
    Other,
}

impl BlockReason {
    pub const ALL: [BlockReason; 4] = [
        BlockReason::House,
        BlockReason::Press,
        BlockReason::Technical,
        BlockReason::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            BlockReason::House => "house",
            BlockReason::Press => "press",
            BlockReason::Technical => "technical",
            BlockReason::Other => "other",
        }
    }
    pub fn parse(code: &str) -> Option<BlockReason> {
        BlockReason::ALL.into_iter().find(|r| r.code() == code)
    }
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            BlockReason::House => lang.pick("places de la maison", "house seats"),
            BlockReason::Press => lang.pick("presse", "press"),
            BlockReason::Technical => {
                lang.pick("technique (régie, caméra)", "technical (desk, camera)")
            }
            BlockReason::Other => lang.pick("autre", "other"),
        }
    }
}

/// Where a problem is: as precise as known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    pub zone: Option<String>,
    pub row: Option<String>,
    pub seat: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    DuplicateSeat,
    /// On top of this other seat (its number).
    Overlaps(String),
    OutsideCanvas,
    UnknownZone,
    UnknownCategory(String),
    RowWithoutSeats,
    NotANumber,
    EmptyLabel,
    DuplicateZone,
    DuplicateCategory,
    CanvasSize,
    TooManySeats,
    NoCategory,
    /// A reason given for a seat that is on sale.
    ReasonWithoutBlock,
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub place: Place,
    pub problem: Problem,
}

impl Located {
    pub fn at(place: Place, problem: Problem) -> Located {
        Located { place, problem }
    }

    fn seat(s: &PlanSeat, problem: Problem) -> Located {
        Located::at(
            Place {
                zone: Some(s.zone.clone()),
                row: Some(s.row.clone()),
                seat: Some(s.number.to_string()),
            },
            problem,
        )
    }

    /// "zone Balcon, rang C, place 14 : identifiant en double"
    pub fn fr(&self) -> String {
        let mut at = Vec::new();
        if let Some(z) = &self.place.zone {
            at.push(format!("zone {z}"));
        }
        if let Some(r) = &self.place.row {
            at.push(format!("rang {r}"));
        }
        if let Some(s) = &self.place.seat {
            at.push(format!("place {s}"));
        }
        let what = match &self.problem {
            Problem::DuplicateSeat => "identifiant en double".to_string(),
            Problem::Overlaps(other) => format!("chevauche la place {other}"),
            Problem::OutsideCanvas => "hors du plan".into(),
            Problem::UnknownZone => "zone inconnue".into(),
            Problem::UnknownCategory(c) => format!("catégorie inconnue « {c} »"),
            Problem::RowWithoutSeats => "rang sans place".into(),
            Problem::NotANumber => "numéro de place non numérique".into(),
            Problem::EmptyLabel => "nom vide".into(),
            Problem::DuplicateZone => "zone en double".into(),
            Problem::DuplicateCategory => "catégorie en double".into(),
            Problem::CanvasSize => format!("taille du plan invalide (1 à {MAX_CANVAS})"),
            Problem::TooManySeats => format!("plus de {MAX_SEATS} places"),
            Problem::NoCategory => "aucune catégorie de prix".into(),
            Problem::ReasonWithoutBlock => "motif de blocage sur une place en vente".into(),
            Problem::Unreadable(e) => format!("fichier illisible : {e}"),
        };
        if at.is_empty() {
            what
        } else {
            format!("{} : {what}", at.join(", "))
        }
    }

    /// "zone Balcon, row C, seat 14: duplicate identifier"
    pub fn en(&self) -> String {
        let mut at = Vec::new();
        if let Some(z) = &self.place.zone {
            at.push(format!("zone {z}"));
        }
        if let Some(r) = &self.place.row {
            at.push(format!("row {r}"));
        }
        if let Some(s) = &self.place.seat {
            at.push(format!("seat {s}"));
        }
        let what = match &self.problem {
            Problem::DuplicateSeat => "duplicate identifier".to_string(),
            Problem::Overlaps(other) => format!("on top of seat {other}"),
            Problem::OutsideCanvas => "outside the plan".into(),
            Problem::UnknownZone => "unknown zone".into(),
            Problem::UnknownCategory(c) => format!("unknown category “{c}”"),
            Problem::RowWithoutSeats => "row without seats".into(),
            Problem::NotANumber => "seat number is not a number".into(),
            Problem::EmptyLabel => "empty name".into(),
            Problem::DuplicateZone => "duplicate zone".into(),
            Problem::DuplicateCategory => "duplicate category".into(),
            Problem::CanvasSize => format!("invalid plan size (1 to {MAX_CANVAS})"),
            Problem::TooManySeats => format!("more than {MAX_SEATS} seats"),
            Problem::NoCategory => "no price category".into(),
            Problem::ReasonWithoutBlock => "block reason on a seat on sale".into(),
            Problem::Unreadable(e) => format!("unreadable file: {e}"),
        };
        if at.is_empty() {
            what
        } else {
            format!("{}: {what}", at.join(", "))
        }
    }
}

fn zone_place(z: &str) -> Place {
    Place {
        zone: Some(z.to_string()),
        ..Place::default()
    }
}

impl Plan {
    /// Every problem of the plan (empty: it may be stored), in plan order.
    pub fn problems(&self) -> Vec<Located> {
        let mut out = Vec::new();
        if !(1..=MAX_CANVAS).contains(&self.width) || !(1..=MAX_CANVAS).contains(&self.height) {
            out.push(Located::at(Place::default(), Problem::CanvasSize));
        }
        if self.seats.len() > MAX_SEATS {
            out.push(Located::at(Place::default(), Problem::TooManySeats));
            return out;
        }
        let mut zones = HashSet::new();
        for z in &self.zones {
            if z.trim().is_empty() {
                out.push(Located::at(zone_place(z), Problem::EmptyLabel));
            } else if !zones.insert(z.as_str()) {
                out.push(Located::at(zone_place(z), Problem::DuplicateZone));
            }
        }
        let mut categories = HashSet::new();
        for c in &self.categories {
            if c.label.trim().is_empty() || !categories.insert(c.label.as_str()) {
                let problem = if c.label.trim().is_empty() {
                    Problem::EmptyLabel
                } else {
                    Problem::DuplicateCategory
                };
                out.push(Located::at(Place::default(), problem));
            }
        }
        if !self.seats.is_empty() && self.categories.is_empty() {
            out.push(Located::at(Place::default(), Problem::NoCategory));
        }
        let mut seen = HashSet::new();
        // Seats by grid cell of MIN_SEAT_DISTANCE: an overlap is within one cell around.
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        let cell = |v: i64| v.div_euclid(MIN_SEAT_DISTANCE);
        for (i, s) in self.seats.iter().enumerate() {
            if !zones.contains(s.zone.as_str()) {
                out.push(Located::seat(s, Problem::UnknownZone));
            }
            if !categories.contains(s.category.as_str()) {
                out.push(Located::seat(
                    s,
                    Problem::UnknownCategory(s.category.clone()),
                ));
            }
            if s.row.trim().is_empty() || s.row.chars().count() > 10 || s.number <= 0 {
                out.push(Located::seat(s, Problem::EmptyLabel));
            }
            if s.block_reason.is_some() && !s.blocked {
                out.push(Located::seat(s, Problem::ReasonWithoutBlock));
            }
            if !seen.insert((s.zone.as_str(), s.row.as_str(), s.number)) {
                out.push(Located::seat(s, Problem::DuplicateSeat));
            }
            if s.x < 0 || s.y < 0 || s.x > self.width || s.y > self.height {
                out.push(Located::seat(s, Problem::OutsideCanvas));
            }
            let (cx, cy) = (cell(s.x), cell(s.y));
            let near = (-1..=1)
                .flat_map(|dx| (-1..=1).map(move |dy| (cx + dx, cy + dy)))
                .filter_map(|c| cells.get(&c))
                .flatten()
                .find(|j| {
                    let o = &self.seats[**j];
                    let (dx, dy) = (o.x - s.x, o.y - s.y);
                    dx * dx + dy * dy < MIN_SEAT_DISTANCE * MIN_SEAT_DISTANCE
                });
            if let Some(j) = near {
                let o = &self.seats[*j];
                out.push(Located::seat(
                    s,
                    Problem::Overlaps(format!("{}{}", o.row, o.number)),
                ));
            }
            cells.entry((cx, cy)).or_default().push(i);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(zone: &str, row: &str, number: i64, x: i64, y: i64) -> PlanSeat {
        PlanSeat {
            zone: zone.into(),
            category: "Catégorie 1".into(),
            row: row.into(),
            number,
            x,
            y,
            accessible: false,
            companion: false,
            restricted_view: false,
            blocked: false,
            block_reason: None,
        }
    }

    fn plan(seats: Vec<PlanSeat>) -> Plan {
        Plan {
            width: 500,
            height: 300,
            stage: PlanStage {
                x: 0,
                y: 0,
                w: 500,
                h: 40,
                label: "Scène".into(),
            },
            zones: vec!["Orchestre".into(), "Balcon".into()],
            categories: vec![PlanCategory {
                label: "Catégorie 1".into(),
                color: "#1f6feb".into(),
            }],
            seats,
        }
    }

    #[test]
    fn a_sound_plan_has_no_problem() {
        let p = plan(vec![
            seat("Orchestre", "A", 1, 100, 100),
            seat("Orchestre", "A", 2, 122, 100),
        ]);
        assert!(p.problems().is_empty());
    }

    #[test]
    fn each_problem_is_located() {
        let mut s = seat("Balcon", "C", 14, 200, 200);
        let p = plan(vec![
            s.clone(),
            s.clone(),
            seat("Balcon", "C", 15, 203, 201),
            seat("Mezzanine", "A", 1, 400, 100),
            seat("Balcon", "D", 1, 900, 100),
            {
                s.category = "Loge".into();
                s.number = 20;
                s.x = 20;
                s
            },
        ]);
        let text: Vec<String> = p.problems().iter().map(|l| l.fr()).collect();
        assert_eq!(
            text,
            [
                "zone Balcon, rang C, place 14 : identifiant en double",
                "zone Balcon, rang C, place 14 : chevauche la place C14",
                "zone Balcon, rang C, place 15 : chevauche la place C14",
                "zone Mezzanine, rang A, place 1 : zone inconnue",
                "zone Balcon, rang D, place 1 : hors du plan",
                "zone Balcon, rang C, place 20 : catégorie inconnue « Loge »",
            ]
        );
        assert_eq!(
            p.problems()[0].en(),
            "zone Balcon, row C, seat 14: duplicate identifier"
        );
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;

    /// The example of docs/seatmap.md reads as a plan without problem, and the JSON Schema's
    /// fields are the format's.
    #[test]
    fn the_documented_format_is_the_one_read() {
        let doc = include_str!("../../../../docs/seatmap.md");
        let start = doc.find("```json\n{\n  \"width\"").expect("example") + 8;
        let end = start + doc[start..].find("```").expect("end of example");
        let plan: Plan = serde_json::from_str(&doc[start..end]).expect("the example parses");
        assert!(plan.problems().is_empty());
        assert_eq!(plan.seats.len(), 4);
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../../../docs/seatmap.schema.json")).unwrap();
        let exported = serde_json::to_value(&plan).unwrap();
        let keys = |v: &serde_json::Value| {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(keys(&schema["properties"]), keys(&exported));
        assert_eq!(
            keys(&schema["properties"]["seats"]["items"]["properties"]),
            keys(&exported["seats"][0])
        );
    }
}

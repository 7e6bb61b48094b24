//! Import of a pretix seating plan (pretix's published JSON schema: zones → rows → seats, each
//! seat with its `seat_guid` and category name; a seat's position is zone + row + seat
//! offsets). A venue leaving pretix keeps its plans; what Guichet cannot represent (a seat
//! number that is not a number) is reported, located, never guessed.
use super::{Located, Place, Plan, PlanCategory, PlanSeat, PlanStage, Problem};
use crate::domain::palette;
use serde::Deserialize;
use std::collections::HashSet;

#[derive(Debug, Deserialize)]
struct PretixPlan {
    #[serde(default)]
    name: String,
    zones: Vec<PretixZone>,
    categories: Vec<PretixCategory>,
    size: PretixSize,
}

#[derive(Debug, Deserialize)]
struct PretixSize {
    width: f64,
    height: f64,
}

#[derive(Debug, Deserialize)]
struct PretixCategory {
    name: String,
    #[serde(default)]
    color: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
struct Position {
    x: f64,
    y: f64,
}

#[derive(Debug, Deserialize)]
struct PretixZone {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    position: Position,
    #[serde(default)]
    rows: Vec<PretixRow>,
}

#[derive(Debug, Deserialize)]
struct PretixRow {
    row_number: String,
    #[serde(default)]
    row_label: Option<String>,
    #[serde(default)]
    position: Position,
    #[serde(default)]
    seats: Vec<PretixSeat>,
}

#[derive(Debug, Deserialize)]
struct PretixSeat {
    seat_guid: String,
    seat_number: String,
    position: Position,
    category: String,
}

/// The plan, or every problem found (located).
pub fn import(json: &str) -> Result<(String, Plan), Vec<Located>> {
    let raw: PretixPlan = serde_json::from_str(json).map_err(|e| {
        vec![Located::at(
            Place::default(),
            Problem::Unreadable(e.to_string()),
        )]
    })?;
    let mut problems = Vec::new();
    let categories: Vec<PlanCategory> = raw
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| PlanCategory {
            label: c.name.trim().to_string(),
            color: c
                .color
                .clone()
                .filter(|c| c.starts_with('#') && c.len() <= 9)
                .unwrap_or_else(|| palette::colour(i).to_string()),
        })
        .collect();
    let known: HashSet<&str> = raw.categories.iter().map(|c| c.name.as_str()).collect();
    let mut guids = HashSet::new();
    let mut zones = Vec::new();
    let mut seats = Vec::new();
    for (zi, zone) in raw.zones.iter().enumerate() {
        let name = zone
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("Zone {}", zi + 1));
        if !zones.contains(&name) {
            zones.push(name.clone());
        }
        for row in &zone.rows {
            let label = row
                .row_label
                .clone()
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| row.row_number.clone());
            let place = |seat: Option<&str>| Place {
                zone: Some(name.clone()),
                row: Some(label.clone()),
                seat: seat.map(str::to_string),
            };
            if row.seats.is_empty() {
                problems.push(Located::at(place(None), Problem::RowWithoutSeats));
            }
            for s in &row.seats {
                if !guids.insert(s.seat_guid.as_str()) {
                    problems.push(Located::at(
                        place(Some(&s.seat_number)),
                        Problem::DuplicateSeat,
                    ));
                    continue;
                }
                if !known.contains(s.category.as_str()) {
                    problems.push(Located::at(
                        place(Some(&s.seat_number)),
                        Problem::UnknownCategory(s.category.clone()),
                    ));
                    continue;
                }
                let Ok(number) = s.seat_number.trim().parse::<i64>() else {
                    problems.push(Located::at(
                        place(Some(&s.seat_number)),
                        Problem::NotANumber,
                    ));
                    continue;
                };
                let x = zone.position.x + row.position.x + s.position.x;
                let y = zone.position.y + row.position.y + s.position.y;
                seats.push(PlanSeat {
                    zone: name.clone(),
                    category: s.category.trim().to_string(),
                    row: label.clone(),
                    number,
                    x: x.round() as i64,
                    y: y.round() as i64,
                    accessible: false,
                    companion: false,
                    restricted_view: false,
                    blocked: false,
                    block_reason: None,
                });
            }
        }
    }
    let width = raw.size.width.round() as i64;
    let height = raw.size.height.round() as i64;
    let plan = Plan {
        width,
        height,
        // pretix draws the stage as a free shape; Guichet puts a band along the top.
        stage: PlanStage {
            x: 0,
            y: 0,
            w: width.max(1),
            h: (height / 20).clamp(10, 40),
            label: "Scène".into(),
        },
        zones,
        categories,
        seats,
    };
    problems.extend(plan.problems());
    if problems.is_empty() {
        Ok((raw.name, plan))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan as pretix's editor writes it (two zones, offsets at every level, UUIDs and
    /// fields Guichet does not use).
    const PLAN: &str = r##"{
      "name": "Salle des fêtes",
      "categories": [{"name": "Parterre", "color": "#d81b60"}, {"name": "Balcon", "color": "#1e88e5"}],
      "size": {"width": 600, "height": 400},
      "zones": [
        {"name": "Parterre", "zone_id": "z1", "uuid": "u1", "position": {"x": 100, "y": 100}, "areas": [],
         "rows": [
           {"row_number": "1", "row_label": "A", "seat_label": null, "uuid": "r1", "row_number_position": "start",
            "position": {"x": 0, "y": 0},
            "seats": [
              {"seat_guid": "p-a-1", "seat_number": "1", "uuid": "s1", "start_direction": null, "radius": 10, "position": {"x": 0, "y": 0}, "category": "Parterre"},
              {"seat_guid": "p-a-2", "seat_number": "2", "position": {"x": 25, "y": 0}, "category": "Parterre"},
              {"seat_guid": "p-a-3", "seat_number": "3", "position": {"x": 50, "y": 0}, "category": "Parterre"}
            ]},
           {"row_number": "2", "row_label": "B", "position": {"x": 12.5, "y": 30},
            "seats": [
              {"seat_guid": "p-b-1", "seat_number": "1", "position": {"x": 0, "y": 0}, "category": "Parterre"},
              {"seat_guid": "p-b-2", "seat_number": "2", "position": {"x": 25, "y": 0}, "category": "Parterre"}
            ]}
         ]},
        {"name": "Balcon", "position": {"x": 100, "y": 250},
         "rows": [
           {"row_number": "C", "position": {"x": 0, "y": 0},
            "seats": [
              {"seat_guid": "b-c-14", "seat_number": "14", "position": {"x": 0, "y": 0}, "category": "Balcon"},
              {"seat_guid": "b-c-15", "seat_number": "15", "position": {"x": 25, "y": 0}, "category": "Balcon"}
            ]}
         ]}
      ]
    }"##;

    #[test]
    fn a_pretix_plan_keeps_its_seats_where_they_were() {
        let (name, plan) = import(PLAN).unwrap();
        assert_eq!(name, "Salle des fêtes");
        assert_eq!(plan.zones, ["Parterre", "Balcon"]);
        assert_eq!(plan.seats.len(), 7);
        let b2 = plan
            .seats
            .iter()
            .find(|s| s.row == "B" && s.number == 2)
            .unwrap();
        // zone (100, 100) + row (12.5, 30) + seat (25, 0), rounded.
        assert_eq!((b2.x, b2.y), (138, 130));
        let c14 = plan.seats.iter().find(|s| s.row == "C").unwrap();
        assert_eq!(
            (c14.zone.as_str(), c14.category.as_str(), c14.number),
            ("Balcon", "Balcon", 14)
        );
        assert_eq!(plan.categories[0].color, "#d81b60");
    }

    #[test]
    fn an_invalid_plan_is_refused_with_each_problem_located() {
        let broken = PLAN
            .replace(r#""seat_guid": "b-c-15""#, r#""seat_guid": "b-c-14""#)
            .replace(r#""seat_number": "3", "position": {"x": 50"#, r#""seat_number": "3bis", "position": {"x": 50"#)
            .replace(r#""seat_guid": "p-b-2", "seat_number": "2", "position": {"x": 25, "y": 0}, "category": "Parterre""#,
                     r#""seat_guid": "p-b-2", "seat_number": "2", "position": {"x": 25, "y": 0}, "category": "Loge""#)
            .replace(r#""row_number": "C", "position": {"x": 0, "y": 0},"#, r#""row_number": "C", "position": {"x": 0, "y": 0}, "seats": []}, {"row_number": "D", "position": {"x": 0, "y": 0},"#);
        let problems: Vec<String> = import(&broken)
            .unwrap_err()
            .iter()
            .map(|p| p.fr())
            .collect();
        assert_eq!(
            problems,
            [
                "zone Parterre, rang A, place 3bis : numéro de place non numérique",
                "zone Parterre, rang B, place 2 : catégorie inconnue « Loge »",
                "zone Balcon, rang C : rang sans place",
                "zone Balcon, rang D, place 15 : identifiant en double",
            ]
        );
        let overlapping = PLAN.replace(
            r#""position": {"x": 25, "y": 0}, "category": "Balcon""#,
            r#""position": {"x": 3, "y": 2}, "category": "Balcon""#,
        );
        let problems: Vec<String> = import(&overlapping)
            .unwrap_err()
            .iter()
            .map(|p| p.fr())
            .collect();
        assert_eq!(
            problems,
            ["zone Balcon, rang C, place 15 : chevauche la place C14"]
        );
        assert!(matches!(
            import("{\"zones\": 3}").unwrap_err()[0].problem,
            Problem::Unreadable(_)
        ));
    }
}

//! What the seat-map editor does to a plan: choose seats (one, a rectangle, whole rows), then
//! change the chosen ones (category, flags, blocking with a reason, deletion, renumbering),
//! with an undo history. Plain functions over [`Plan`]: the editor in the browser calls them,
//! the tests below check them, and the server checks the result whole when it is saved.
use super::{BlockReason, Plan, PlanSeat};
use std::collections::{BTreeMap, BTreeSet};

/// Seats by their index in `plan.seats`.
pub type Selection = BTreeSet<usize>;

/// The seats whose centre lies in the rectangle (corners in any order, map units).
pub fn in_rect(plan: &Plan, a: (f64, f64), b: (f64, f64)) -> Selection {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    plan.seats
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let (x, y) = (s.x as f64, s.y as f64);
            x >= x0 && x <= x1 && y >= y0 && y <= y1
        })
        .map(|(i, _)| i)
        .collect()
}

/// Every seat of the rows (zone and row label) the selection touches.
pub fn whole_rows(plan: &Plan, selection: &Selection) -> Selection {
    let rows: BTreeSet<(&str, &str)> = selection
        .iter()
        .filter_map(|i| plan.seats.get(*i))
        .map(|s| (s.zone.as_str(), s.row.as_str()))
        .collect();
    plan.seats
        .iter()
        .enumerate()
        .filter(|(_, s)| rows.contains(&(s.zone.as_str(), s.row.as_str())))
        .map(|(i, _)| i)
        .collect()
}

/// A seat's marks the editor sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// A wheelchair space.
    Accessible,
    /// A companion's seat beside one.
    Companion,
    RestrictedView,
}

fn each(plan: &Plan, selection: &Selection, change: impl Fn(&mut PlanSeat)) -> Plan {
    let mut next = plan.clone();
    for i in selection {
        if let Some(s) = next.seats.get_mut(*i) {
            change(s);
        }
    }
    next
}

pub fn set_category(plan: &Plan, selection: &Selection, category: &str) -> Plan {
    each(plan, selection, |s| s.category = category.to_string())
}

pub fn set_flag(plan: &Plan, selection: &Selection, flag: Flag, on: bool) -> Plan {
    each(plan, selection, |s| match flag {
        Flag::Accessible => s.accessible = on,
        Flag::Companion => s.companion = on,
        Flag::RestrictedView => s.restricted_view = on,
    })
}

/// Blocks the seats for `reason`, or puts them back on sale with `None`.
pub fn block(plan: &Plan, selection: &Selection, reason: Option<BlockReason>) -> Plan {
    each(plan, selection, |s| {
        s.blocked = reason.is_some();
        s.block_reason = reason;
    })
}

pub fn delete(plan: &Plan, selection: &Selection) -> Plan {
    let mut next = plan.clone();
    next.seats = plan
        .seats
        .iter()
        .enumerate()
        .filter(|(i, _)| !selection.contains(i))
        .map(|(_, s)| s.clone())
        .collect();
    next
}

/// Which way numbers run along a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

/// Numbering of the chosen seats, row by row: the first number, the step (1, or 2 for French
/// odd/even sides), the way it runs, and optionally a new row label for them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renumbering {
    pub first: i64,
    pub step: i64,
    pub direction: Direction,
    pub row: Option<String>,
}

/// Numbers the chosen seats of each row in order along the row (by position); seats not chosen
/// keep their numbers. Clashes with them are for [`Plan::problems`] to report before saving.
pub fn renumber(plan: &Plan, selection: &Selection, how: &Renumbering) -> Plan {
    let mut rows: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for i in selection {
        if let Some(s) = plan.seats.get(*i) {
            rows.entry((s.zone.clone(), s.row.clone()))
                .or_default()
                .push(*i);
        }
    }
    let mut next = plan.clone();
    let step = how.step.max(1);
    let label = how.row.as_deref().map(str::trim).filter(|r| !r.is_empty());
    for seats in rows.values_mut() {
        seats.sort_by_key(|i| (plan.seats[*i].x, plan.seats[*i].y));
        if how.direction == Direction::RightToLeft {
            seats.reverse();
        }
        for (k, i) in seats.iter().enumerate() {
            let s = &mut next.seats[*i];
            s.number = how.first + step * k as i64;
            if let Some(l) = label {
                s.row = l.to_string();
            }
        }
    }
    next
}

/// Undo and redo over whole plans: a 5,000-seat plan is about half a megabyte, so a hundred
/// steps stay small, and undoing cannot go wrong the way inverse operations can.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    past: Vec<Plan>,
    future: Vec<Plan>,
}

/// Steps kept for undo.
pub const HISTORY_STEPS: usize = 100;

impl History {
    /// `next` replaces `current`, which becomes undoable; what was undone is forgotten.
    pub fn record(&mut self, current: &Plan, next: &Plan) -> bool {
        if current == next {
            return false;
        }
        self.past.push(current.clone());
        if self.past.len() > HISTORY_STEPS {
            self.past.remove(0);
        }
        self.future.clear();
        true
    }
    pub fn undo(&mut self, current: &Plan) -> Option<Plan> {
        let previous = self.past.pop()?;
        self.future.push(current.clone());
        Some(previous)
    }
    pub fn redo(&mut self, current: &Plan) -> Option<Plan> {
        let next = self.future.pop()?;
        self.past.push(current.clone());
        Some(next)
    }
    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::generator::{
        GeneratorSpec, LevelSpec, Numbering, RowLabels, StageSide,
    };

    /// Three rows of six seats, numbered 1–6 left to right.
    fn small() -> Plan {
        let spec = GeneratorSpec {
            levels: vec![LevelSpec {
                zone: "Salle".into(),
                rows: 3,
                seats_per_row: 6,
                row_seats: Vec::new(),
                row_labels: RowLabels::Letters,
                skip_i_o: false,
                numbering: Numbering::LeftToRight,
                aisles: Vec::new(),
                stagger: false,
                curve: 0,
                category: None,
                category_from_row: Vec::new(),
            }],
            stage: StageSide::Top,
            stage_label: "Scène".into(),
        };
        spec.plan().expect("a plan")
    }

    fn labels(plan: &Plan, sel: &Selection) -> Vec<String> {
        sel.iter()
            .map(|i| format!("{}{}", plan.seats[*i].row, plan.seats[*i].number))
            .collect()
    }

    #[test]
    fn seats_are_chosen_by_rectangle_and_by_row() {
        let p = small();
        let a = &p.seats[0];
        let b = p
            .seats
            .iter()
            .find(|s| s.row == "B" && s.number == 2)
            .unwrap();
        // Corners given backwards: the same rectangle.
        let sel = in_rect(
            &p,
            (b.x as f64 + 1.0, b.y as f64 + 1.0),
            (a.x as f64 - 1.0, a.y as f64 - 1.0),
        );
        assert_eq!(labels(&p, &sel), ["A1", "A2", "B1", "B2"]);
        let rows = whole_rows(&p, &sel);
        assert_eq!(rows.len(), 12);
        assert!(labels(&p, &rows)
            .iter()
            .all(|l| l.starts_with('A') || l.starts_with('B')));
        assert!(in_rect(&p, (-10.0, -10.0), (-1.0, -1.0)).is_empty());
    }

    #[test]
    fn changes_touch_the_chosen_seats_only() {
        let p = small();
        let sel: Selection = [0, 1].into();
        let q = set_category(&p, &sel, "Loge");
        assert_eq!(q.seats[0].category, "Loge");
        assert_eq!(q.seats[2].category, p.seats[2].category);
        let q = set_flag(&q, &[2].into(), Flag::Accessible, true);
        assert!(q.seats[2].accessible && !q.seats[3].accessible);
        let q = block(&q, &[3, 4].into(), Some(BlockReason::Press));
        assert!(q.seats[3].blocked && q.seats[4].blocked && !q.seats[5].blocked);
        assert_eq!(q.seats[3].block_reason, Some(BlockReason::Press));
        let q = block(&q, &[4].into(), None);
        assert!(!q.seats[4].blocked && q.seats[4].block_reason.is_none());
        let q = delete(&q, &[0, 17].into());
        assert_eq!(q.seats.len(), 16);
        assert_eq!(q.seats[0].number, 2);
    }

    #[test]
    fn renumbering_follows_the_row_both_ways_and_by_twos() {
        let p = small();
        let row_a: Selection = (0..6).collect();
        let q = renumber(
            &p,
            &row_a,
            &Renumbering {
                first: 1,
                step: 2,
                direction: Direction::RightToLeft,
                row: Some("AA".into()),
            },
        );
        let mut a: Vec<(i64, i64)> = q.seats[..6].iter().map(|s| (s.x, s.number)).collect();
        a.sort();
        assert_eq!(
            a.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
            [11, 9, 7, 5, 3, 1]
        );
        assert!(q.seats[..6].iter().all(|s| s.row == "AA"));
        assert!(q.problems().is_empty());
        // Numbers a neighbour already has are for the checks to report.
        let clash = renumber(
            &p,
            &[0].into(),
            &Renumbering {
                first: 2,
                step: 1,
                direction: Direction::LeftToRight,
                row: None,
            },
        );
        assert_eq!(clash.problems().len(), 1);
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let p0 = small();
        let mut h = History::default();
        assert!(!h.can_undo());
        let p1 = delete(&p0, &[0].into());
        assert!(h.record(&p0, &p1));
        let p2 = set_category(&p1, &[0].into(), "Loge");
        assert!(h.record(&p1, &p2));
        assert!(!h.record(&p2, &p2.clone()), "no change, no step");
        assert_eq!(h.undo(&p2), Some(p1.clone()));
        assert_eq!(h.undo(&p1), Some(p0.clone()));
        assert_eq!(h.undo(&p0), None);
        assert_eq!(h.redo(&p0), Some(p1.clone()));
        // A new change after an undo forgets what was undone.
        let p3 = block(&p1, &[1].into(), Some(BlockReason::House));
        assert!(h.record(&p1, &p3));
        assert!(!h.can_redo());
        for _ in 0..(HISTORY_STEPS + 20) {
            let before = p3.clone();
            h.record(&before, &delete(&before, &[0].into()));
        }
        let mut steps = 0;
        let mut cur = p3;
        while let Some(prev) = h.undo(&cur) {
            cur = prev;
            steps += 1;
        }
        assert_eq!(steps, HISTORY_STEPS);
    }
}

//! Seat-map geometry: keyboard navigation between seats and best-available adjacent seats.
use serde::{Deserialize, Serialize};

/// What navigation and seat picking need to know about a seat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatPos {
    pub id: i64,
    pub zone_id: i64,
    pub row: String,
    pub x: i64,
    pub y: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

/// The seat an arrow key moves to: the nearest seat lying in that direction, preferring seats
/// that stay aligned (same row for left/right, same column for up/down).
pub fn neighbour(seats: &[SeatPos], from: i64, dir: Direction) -> Option<i64> {
    let cur = seats.iter().find(|s| s.id == from)?;
    seats
        .iter()
        .filter(|s| s.id != from)
        .filter_map(|s| {
            let (dx, dy) = (s.x - cur.x, s.y - cur.y);
            let (along, across) = match dir {
                Direction::Right => (dx, dy),
                Direction::Left => (-dx, dy),
                Direction::Down => (dy, dx),
                Direction::Up => (-dy, dx),
            };
            // Must lie ahead, within a 60° cone (|across| <= 2 * along) or on the same line.
            (along > 0 && across.abs() <= 2 * along).then_some((along + 3 * across.abs(), s.id))
        })
        .min()
        .map(|(_, id)| id)
}

/// Where "best seats" aim: the centre of the house, a third of the way back from the stage
/// (`stage` = x, y, width, height; `height` is the hall's).
pub fn best_focus(stage: (i64, i64, i64, i64), height: i64) -> (i64, i64) {
    let (x, y, w, h) = stage;
    (x + w / 2, y + h + height / 3)
}

/// Picks `n` free seats side by side in one row, closest to the focus point (usually the centre
/// of the stage, a few rows back). Seats are side by side when they follow each other in the row
/// with no seat between them and a gap of at most 1.5 times the row's usual spacing.
pub fn best_adjacent(
    seats: &[SeatPos],
    is_free: impl Fn(i64) -> bool,
    n: usize,
    focus: (i64, i64),
) -> Option<Vec<i64>> {
    if n == 0 {
        return None;
    }
    let mut rows: std::collections::BTreeMap<(i64, &str), Vec<&SeatPos>> = Default::default();
    for s in seats {
        rows.entry((s.zone_id, s.row.as_str())).or_default().push(s);
    }
    let mut best: Option<(i64, Vec<i64>)> = None;
    for row in rows.values_mut() {
        if row.len() < n {
            continue;
        }
        row.sort_by_key(|s| s.x);
        let pitch = row
            .windows(2)
            .map(|w| w[1].x - w[0].x)
            .min()
            .unwrap_or(1)
            .max(1);
        for window in row.windows(n) {
            let side_by_side = window
                .windows(2)
                .all(|w| (w[1].x - w[0].x) * 2 <= pitch * 3);
            if !side_by_side || !window.iter().all(|s| is_free(s.id)) {
                continue;
            }
            let cx = window.iter().map(|s| s.x).sum::<i64>() / n as i64;
            let score = (cx - focus.0).abs() + 2 * (window[0].y - focus.1).abs();
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, window.iter().map(|s| s.id).collect()));
            }
        }
    }
    best.map(|(_, ids)| ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(id: i64, row: &str, x: i64, y: i64) -> SeatPos {
        SeatPos {
            id,
            zone_id: 1,
            row: row.into(),
            x,
            y,
        }
    }

    fn grid() -> Vec<SeatPos> {
        // Two rows of four seats, 10 units apart.
        vec![
            seat(1, "A", 0, 0),
            seat(2, "A", 10, 0),
            seat(3, "A", 20, 0),
            seat(4, "A", 30, 0),
            seat(5, "B", 0, 10),
            seat(6, "B", 10, 10),
            seat(7, "B", 20, 10),
            seat(8, "B", 30, 10),
        ]
    }

    #[test]
    fn arrows_move_along_rows_and_columns() {
        let g = grid();
        assert_eq!(neighbour(&g, 2, Direction::Right), Some(3));
        assert_eq!(neighbour(&g, 2, Direction::Left), Some(1));
        assert_eq!(neighbour(&g, 2, Direction::Down), Some(6));
        assert_eq!(neighbour(&g, 6, Direction::Up), Some(2));
        assert_eq!(neighbour(&g, 4, Direction::Right), None);
        assert_eq!(neighbour(&g, 1, Direction::Up), None);
        assert_eq!(neighbour(&g, 99, Direction::Up), None);
    }

    #[test]
    fn best_adjacent_prefers_centre_and_contiguity() {
        let g = grid();
        let all_free = |_| true;
        assert_eq!(best_adjacent(&g, all_free, 2, (15, 0)), Some(vec![2, 3]));
        // Seats 1 and 3 taken: row A has no two seats side by side left, row B has.
        let free = |id: i64| id != 3 && id != 1;
        assert_eq!(best_adjacent(&g, free, 2, (15, 0)), Some(vec![6, 7]));
        assert_eq!(best_adjacent(&g, all_free, 5, (15, 0)), None);
        assert_eq!(best_adjacent(&g, all_free, 0, (15, 0)), None);
    }

    #[test]
    fn focus_is_centred_a_third_back() {
        assert_eq!(best_focus((0, 0, 1000, 20), 300), (500, 120));
    }
}

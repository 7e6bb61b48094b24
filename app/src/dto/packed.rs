//! The seat map as the pages' server function carries it, and as the performance page embeds
//! it for hydration: each row of seats once, its seats as a flat list of numbers, instead of
//! an object per seat naming every field (about 18 bytes a seat instead of about 230; a phone
//! on a slow network downloads the map twice otherwise — as drawn, and as data). The REST API
//! keeps the readable `SeatMap`.
use super::{Seat, SeatMap, SeatStatus};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Packed", into = "Packed")]
pub struct PackedSeatMap(pub SeatMap);

/// Numbers per seat in `Row::s`.
const FIELDS: usize = 6;

#[derive(Serialize, Deserialize)]
struct Packed {
    /// Everything but the seats.
    m: SeatMap,
    r: Vec<Row>,
}

/// A run of seats of one row, in the map's order.
#[derive(Serialize, Deserialize)]
struct Row {
    /// Zone id; its name is in the map's zones.
    z: i64,
    r: String,
    /// The zone's name when the map's zones don't have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<String>,
    /// Per seat: id minus the previous seat's id, number, x, y, category (index in the map's
    /// categories, or -1 - its number when not there), flags (1 wheelchair, 2 companion,
    /// 4 restricted view) + 8 × status (free, held, sold, blocked).
    s: Vec<i64>,
}

fn status_code(s: SeatStatus) -> i64 {
    match s {
        SeatStatus::Free => 0,
        SeatStatus::Held => 1,
        SeatStatus::Sold => 2,
        SeatStatus::Blocked => 3,
    }
}

fn status_of(code: i64) -> SeatStatus {
    match code {
        0 => SeatStatus::Free,
        1 => SeatStatus::Held,
        2 => SeatStatus::Sold,
        _ => SeatStatus::Blocked,
    }
}

impl From<PackedSeatMap> for Packed {
    fn from(PackedSeatMap(mut map): PackedSeatMap) -> Packed {
        let seats = std::mem::take(&mut map.seats);
        let mut rows: Vec<Row> = Vec::new();
        let mut previous_id = 0;
        for seat in seats {
            let same_row = rows
                .last()
                .is_some_and(|r| r.z == seat.zone_id && r.r == seat.row);
            if !same_row {
                let known = map
                    .zones
                    .iter()
                    .any(|z| z.id == seat.zone_id && z.name == seat.zone);
                rows.push(Row {
                    z: seat.zone_id,
                    r: seat.row.clone(),
                    n: (!known).then(|| seat.zone.clone()),
                    s: Vec::new(),
                });
            }
            let category = map
                .categories
                .iter()
                .position(|c| c.id == seat.category_id && c.number == seat.category)
                .map(|i| i as i64)
                .unwrap_or(-1 - seat.category);
            let flags = i64::from(seat.accessible)
                | i64::from(seat.companion) << 1
                | i64::from(seat.restricted_view) << 2;
            if let Some(row) = rows.last_mut() {
                row.s.extend([
                    seat.id - previous_id,
                    seat.number,
                    seat.x,
                    seat.y,
                    category,
                    flags | status_code(seat.status) << 3,
                ]);
            }
            previous_id = seat.id;
        }
        Packed { m: map, r: rows }
    }
}

impl From<Packed> for PackedSeatMap {
    fn from(Packed { mut m, r }: Packed) -> PackedSeatMap {
        let mut seats = Vec::with_capacity(r.iter().map(|row| row.s.len() / FIELDS).sum());
        let mut id = 0;
        for row in r {
            let zone = row.n.clone().unwrap_or_else(|| {
                m.zones
                    .iter()
                    .find(|z| z.id == row.z)
                    .map(|z| z.name.clone())
                    .unwrap_or_default()
            });
            for s in row.s.chunks_exact(FIELDS) {
                id += s[0];
                let (category_id, category) = match usize::try_from(s[4]) {
                    Ok(i) => m
                        .categories
                        .get(i)
                        .map(|c| (c.id, c.number))
                        .unwrap_or_default(),
                    Err(_) => (0, -1 - s[4]),
                };
                seats.push(Seat {
                    id,
                    zone_id: row.z,
                    zone: zone.clone(),
                    row: row.r.clone(),
                    number: s[1],
                    x: s[2],
                    y: s[3],
                    category_id,
                    category,
                    accessible: s[5] & 1 != 0,
                    companion: s[5] & 2 != 0,
                    restricted_view: s[5] & 4 != 0,
                    status: status_of(s[5] >> 3),
                });
            }
        }
        m.seats = seats;
        PackedSeatMap(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::fixtures::seat_map;

    /// 300 seats over 15 rows, in every state, with each mark; and one seat whose zone and
    /// category the map does not list.
    fn map() -> SeatMap {
        let mut m = seat_map(300);
        for s in &mut m.seats {
            s.id += 1000;
            s.row = format!("R{}", s.number / 20);
        }
        m.seats[7].status = SeatStatus::Blocked;
        m.seats[8].status = SeatStatus::Held;
        let mut odd = m.seats[0].clone();
        odd.id = 5;
        odd.zone_id = 2;
        odd.zone = "Loge \"B\"".into();
        odd.category_id = 0;
        odd.category = 4;
        m.seats.push(odd);
        m
    }

    #[test]
    fn the_map_comes_back_as_it_went() {
        let m = map();
        let json = serde_json::to_string(&PackedSeatMap(m.clone())).expect("json");
        let back: PackedSeatMap = serde_json::from_str(&json).expect("parsed");
        assert_eq!(back.0, m);
    }

    #[test]
    fn a_seat_costs_a_few_numbers() {
        let m = map();
        let readable = serde_json::to_string(&m).expect("json").len();
        let packed = serde_json::to_string(&PackedSeatMap(m))
            .expect("json")
            .len();
        assert!(packed < 301 * 30, "{packed} bytes");
        assert!(packed * 5 < readable, "{packed} vs {readable}");
    }
}

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
    use crate::domain::sale_window::SaleState;
    use crate::dto::*;

    fn seat(id: i64, zone_id: i64, zone: &str, row: &str, number: i64, category_id: i64) -> Seat {
        Seat {
            id,
            zone_id,
            zone: zone.into(),
            row: row.into(),
            number,
            x: number * 30,
            y: 100,
            category_id,
            category: 1,
            accessible: false,
            companion: false,
            restricted_view: false,
            status: SeatStatus::Free,
        }
    }

    fn map() -> SeatMap {
        let mut seats: Vec<Seat> = (1..=300)
            .map(|i| seat(1000 + i, 1, "Orchestre", &format!("R{}", i / 20), i, 7))
            .collect();
        seats[3].accessible = true;
        seats[4].companion = true;
        seats[5].restricted_view = true;
        seats[6].status = SeatStatus::Sold;
        seats[7].status = SeatStatus::Blocked;
        seats[8].status = SeatStatus::Held;
        seats.push(seat(5, 2, "Loge \"B\"", "A", 1, 0));
        seats.last_mut().map(|s| s.category = 4);
        SeatMap {
            performance: PerformanceSummary {
                id: 1,
                show_id: 1,
                title: "T".into(),
                kind: ShowKind::Theatre,
                starts_at: Ts(0),
                duration_min: 90,
                age_rating: String::new(),
                venue: "V".into(),
                venue_id: 1,
                hall: "H".into(),
                hall_id: 1,
                seated: true,
                capacity: 301,
                available: 297,
                sale: SaleState::Open,
                min_price_cents: 1000,
            },
            hold_seconds: 900,
            max_seats_per_order: 10,
            width: 2000,
            height: 2000,
            stage: Stage {
                x: 0,
                y: 0,
                w: 100,
                h: 20,
                label: "Scène".into(),
            },
            zones: vec![Zone {
                id: 1,
                name: "Orchestre".into(),
            }],
            categories: vec![Category {
                id: 7,
                number: 1,
                label: "Catégorie 1".into(),
                color: "#117733".into(),
                tariffs: Vec::new(),
            }],
            seats,
            tariffs: Vec::new(),
        }
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

//! A seat map for the tests: `n` seats in row A of the Orchestre, 20 units apart, category 1
//! at 25 €; seat 2 a wheelchair place, 3 a companion seat, 4 restricted view, 5 sold.
use super::*;
use crate::domain::sale_window::SaleState;

pub fn seat_map(n: i64) -> SeatMap {
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
            capacity: n,
            available: n,
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
            color: "#1f6feb".into(),
            tariffs: vec![Tariff {
                code: "plein".into(),
                label: "Plein".into(),
                label_en: "Full".into(),
                price_cents: 2500,
                proof_required: false,
                eligibility: String::new(),
                eligibility_en: String::new(),
            }],
        }],
        seats: (1..=n)
            .map(|i| Seat {
                id: i,
                zone_id: 1,
                zone: "Orchestre".into(),
                row: "A".into(),
                number: i,
                x: 20 * i,
                y: 100,
                category_id: 7,
                category: 1,
                accessible: i == 2,
                companion: i == 3,
                restricted_view: i == 4,
                status: if i == 5 {
                    SeatStatus::Sold
                } else {
                    SeatStatus::Free
                },
            })
            .collect(),
        tariffs: Vec::new(),
    }
}

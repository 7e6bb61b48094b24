//! The demo programme: a municipal theatre (two levels, 450+ numbered seats) and a two-screen
//! cinema (one numbered, one "placement libre"), with two weeks of performances from today.
//! Seeding is idempotent: running it again only adds the performances that are missing.
use crate::storage::{CatalogTx, HallGeometry, NewPerformance, NewSeat, Store, StoreResult};
use app::domain::paris;
use chrono::{Datelike, Days};

pub const TARIFFS: [(&str, &str, &str, bool); 4] = [
    ("plein", "Plein tarif", "Full price", false),
    ("reduit", "Tarif réduit", "Concession", true),
    ("moins26", "Moins de 26 ans", "Under 26", true),
    (
        "enfant",
        "Enfant (moins de 14 ans)",
        "Child (under 14)",
        true,
    ),
];

/// Seat pitch and gaps of the demo plans, in map units.
const PITCH: i64 = 22;
const AISLE: i64 = 34;

/// The four usual tariffs (CNC family "autre"); idempotent.
pub async fn seed_tariffs(tx: &mut CatalogTx) -> StoreResult<()> {
    for (i, (code, fr, en, proof)) in TARIFFS.iter().enumerate() {
        tx.tariff(code, fr, en, "autre", *proof, i as i64).await?;
    }
    Ok(())
}

pub struct DemoSummary {
    pub performances: usize,
}

pub async fn seed(store: &Store, now: i64) -> StoreResult<DemoSummary> {
    let mut tx = store.catalog_tx().await?;
    seed_tariffs(&mut tx).await?;
    let theatre = theatre(&mut tx).await?;
    let (screen1, screen2) = cinema(&mut tx).await?;
    let shows = shows(&mut tx).await?;

    let today = paris::local(now).date();
    let mut count = 0;
    for d in 0..15u64 {
        let day = today + Days::new(d);
        let at = |h: u32, m: u32| paris::utc_from_ymd_hm(day.year(), day.month(), day.day(), h, m);
        let weekday = day.weekday().number_from_monday();
        // Theatre: Thursday to Saturday at 20:30, Sunday matinée at 16:00.
        let theatre_time = match weekday {
            4..=6 => Some(at(20, 30)),
            7 => Some(at(16, 0)),
            _ => None,
        };
        if let Some(starts_at) = theatre_time {
            let show = shows.theatre[(d as usize) % shows.theatre.len()];
            let prices = theatre
                .categories
                .iter()
                .zip([
                    [2400, 1800, 1200, 800],
                    [1900, 1500, 1000, 800],
                    [1400, 1100, 800, 600],
                ])
                .flat_map(|(cat, row)| {
                    TARIFFS
                        .iter()
                        .zip(row)
                        .map(move |((code, ..), p)| (Some(*cat), code.to_string(), p))
                })
                .collect();
            tx.performance(&NewPerformance {
                show_id: show,
                hall_id: theatre.hall_id,
                starts_at,
                sale_opens_at: now - 30 * 86_400,
                sale_closes_at: starts_at - 30 * 60,
                hold_seconds: 900,
                max_seats_per_order: 8,
                seated: true,
                capacity: 0,
                prices,
            })
            .await?;
            count += 1;
        }
        // Cinema: three screenings a day on each screen.
        for (slot, (h, m)) in [(14, 0), (18, 0), (20, 45)].into_iter().enumerate() {
            let film = shows.cinema[(d as usize + slot) % shows.cinema.len()];
            let cinema_prices = |cat: Option<i64>| {
                TARIFFS
                    .iter()
                    .zip([750, 600, 500, 450])
                    .map(|((code, ..), p)| (cat, code.to_string(), p))
                    .collect::<Vec<_>>()
            };
            let starts_at = at(h, m);
            tx.performance(&NewPerformance {
                show_id: film,
                hall_id: screen1.0,
                starts_at,
                sale_opens_at: now - 30 * 86_400,
                sale_closes_at: starts_at,
                hold_seconds: 900,
                max_seats_per_order: 10,
                seated: true,
                capacity: 0,
                prices: cinema_prices(Some(screen1.1)),
            })
            .await?;
            let film2 = shows.cinema[(d as usize + slot + 2) % shows.cinema.len()];
            let starts_at2 = at(h, m) + 30 * 60;
            tx.performance(&NewPerformance {
                show_id: film2,
                hall_id: screen2,
                starts_at: starts_at2,
                sale_opens_at: now - 30 * 86_400,
                sale_closes_at: starts_at2,
                hold_seconds: 900,
                max_seats_per_order: 10,
                seated: false,
                capacity: 90,
                prices: cinema_prices(None),
            })
            .await?;
            count += 2;
        }
    }
    tx.commit().await?;
    Ok(DemoSummary {
        performances: count,
    })
}

struct Theatre {
    hall_id: i64,
    categories: Vec<i64>,
}

/// French numbering from the centre aisle outwards: odd numbers côté jardin (left, seen from
/// the house), even numbers côté cour (right).
fn centre_numbered_row(seats_per_side: i64, centre_x: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for k in 0..seats_per_side {
        out.push((2 * k + 1, centre_x - AISLE / 2 - PITCH / 2 - k * PITCH));
        out.push((2 * k + 2, centre_x + AISLE / 2 + PITCH / 2 + k * PITCH));
    }
    out
}

async fn theatre(tx: &mut CatalogTx) -> StoreResult<Theatre> {
    let venue = tx
        .venue(
            "TM",
            "Théâtre municipal",
            "Ville de Saint-Aubin-sur-Loire — Théâtre municipal (régie municipale)",
            "2 place de la Mairie, 45000 Saint-Aubin-sur-Loire",
            "theatre",
        )
        .await?;
    let width = 2 * (11 * PITCH) + AISLE + 80;
    let centre = width / 2;
    let geometry = HallGeometry {
        width,
        height: 760,
        stage: (centre - 200, 10, 400, 50),
        stage_label: "Scène".into(),
    };
    let hall = tx.hall(venue, "Grande salle", &geometry).await?;
    let orchestre = tx.zone(hall, "Orchestre", 1).await?;
    let balcon = tx.zone(hall, "Balcon", 2).await?;
    let c1 = tx.category(hall, 1, "Catégorie 1", "#1f6f8b").await?;
    let c2 = tx.category(hall, 2, "Catégorie 2", "#c0572d").await?;
    let c3 = tx.category(hall, 3, "Catégorie 3", "#6b8e23").await?;

    let mut seats = Vec::new();
    // Orchestre: rows A–P, 10 seats each side of the centre aisle (320 places).
    for (r, row) in ('A'..='P').enumerate() {
        let y = 100 + r as i64 * PITCH;
        for (number, x) in centre_numbered_row(10, centre) {
            let category = if r < 8 && number <= 14 { c1 } else { c2 };
            let last_row = row == 'P';
            // Last row: wheelchair places at the ends (numbers 17–20) with companion seats beside them.
            let accessible = last_row && number >= 17;
            let companion =
                last_row && (number == 13 || number == 14 || number == 15 || number == 16);
            // Row P centre is the technical desk ("régie"): never sold.
            let blocked = last_row && number <= 2;
            seats.push(NewSeat {
                zone_id: orchestre,
                category_id: category,
                row: row.to_string(),
                number,
                x,
                y,
                accessible,
                companion,
                restricted_view: false,
                blocked,
            });
        }
    }
    // Balcon: rows A–F, 11 seats each side (132 places); the outer seats of rows E–F see part
    // of the stage only.
    for (r, row) in ('A'..='F').enumerate() {
        let y = 100 + 16 * PITCH + 80 + r as i64 * PITCH;
        for (number, x) in centre_numbered_row(11, centre) {
            seats.push(NewSeat {
                zone_id: balcon,
                category_id: if r < 2 { c2 } else { c3 },
                row: row.to_string(),
                number,
                x,
                y,
                accessible: false,
                companion: false,
                restricted_view: r >= 4 && number >= 19,
                blocked: false,
            });
        }
    }
    tx.seats(hall, &seats).await?;
    Ok(Theatre {
        hall_id: hall,
        categories: vec![c1, c2, c3],
    })
}

/// Returns ((numbered screen, its category), placement-libre screen).
async fn cinema(tx: &mut CatalogTx) -> StoreResult<((i64, i64), i64)> {
    let venue = tx
        .venue(
            "CR",
            "Cinéma Le Régent",
            "Ville de Saint-Aubin-sur-Loire — Cinéma Le Régent (régie municipale)",
            "14 rue du Port, 45000 Saint-Aubin-sur-Loire",
            "cinema",
        )
        .await?;
    let width = 15 * PITCH + AISLE + 80;
    let screen1 = tx
        .hall(
            venue,
            "Salle 1",
            &HallGeometry {
                width,
                height: 400,
                stage: (40, 10, width - 80, 24),
                stage_label: "Écran".into(),
            },
        )
        .await?;
    let salle = tx.zone(screen1, "Salle", 1).await?;
    let cat = tx.category(screen1, 1, "Tarif unique", "#1f6f8b").await?;
    let mut seats = Vec::new();
    // Rows A–L of 15 seats, numbered left to right as cinemas usually do (180 places).
    for (r, row) in ('A'..='L').enumerate() {
        for n in 1..=15i64 {
            let aisle = if n > 4 { AISLE } else { 0 };
            seats.push(NewSeat {
                zone_id: salle,
                category_id: cat,
                row: row.to_string(),
                number: n,
                x: 40 + PITCH / 2 + (n - 1) * PITCH + aisle,
                y: 70 + r as i64 * PITCH,
                accessible: row == 'A' && (n == 1 || n == 2),
                companion: row == 'A' && n == 3,
                restricted_view: false,
                blocked: false,
            });
        }
    }
    tx.seats(screen1, &seats).await?;
    let screen2 = tx
        .hall(
            venue,
            "Salle 2",
            &HallGeometry {
                width: 300,
                height: 200,
                stage: (20, 10, 260, 20),
                stage_label: "Écran".into(),
            },
        )
        .await?;
    Ok(((screen1, cat), screen2))
}

struct Shows {
    theatre: Vec<i64>,
    cinema: Vec<i64>,
}

async fn shows(tx: &mut CatalogTx) -> StoreResult<Shows> {
    let theatre = vec![
        tx.show("Le Misanthrope", "theatre", 150, "La comédie de Molière par la Compagnie du Grand Mail : Alceste, l'homme aux rubans verts, contre la politesse du monde.", "Tout public").await?,
        tx.show("Cyrano de Bergerac", "theatre", 165, "Le panache d'Edmond Rostand, en alexandrins et en costumes, par la troupe du Théâtre de l'Escabeau.", "Tout public").await?,
        tx.show("Les Fourberies de Scapin", "theatre", 95, "Molière pour petits et grands : masques, coups de bâton et sac de galère.", "Dès 8 ans").await?,
    ];
    let cinema = vec![
        tx.show(
            "Les Hirondelles de septembre",
            "cinema",
            104,
            "Chronique d'un village de Loire le temps d'une rentrée scolaire. VF.",
            "Tout public",
        )
        .await?,
        tx.show(
            "Nuit blanche à Lyon",
            "cinema",
            118,
            "Un thriller urbain sur les pentes de la Croix-Rousse. VF.",
            "Avertissement",
        )
        .await?,
        tx.show(
            "Le Phare des Glénan",
            "cinema",
            92,
            "Film d'animation : une gardienne de phare et son chat affrontent la tempête. VF.",
            "Dès 6 ans",
        )
        .await?,
        tx.show(
            "Sous le ciel de Tbilissi",
            "cinema",
            131,
            "Drame familial géorgien. VOSTFR.",
            "Tout public",
        )
        .await?,
    ];
    Ok(Shows { theatre, cinema })
}

//! The demo programme: a municipal theatre (two levels, 450+ numbered seats) and a two-screen
//! cinema (one numbered, one "placement libre"), with two weeks of performances from today.
//! Built as one catalogue batch; applying it again only adds the performances that are missing.
use crate::ports::*;
use crate::usecases::setup::SetupService;
use app::domain::plan::BlockReason;
use app::domain::{palette, paris};
use app::dto::ShowKind;
use app::ports::Failure;
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

/// The four usual tariffs (CNC family "autre").
pub fn tariffs() -> Vec<NewTariff> {
    TARIFFS
        .iter()
        .enumerate()
        .map(|(i, (code, fr, en, proof))| NewTariff {
            code: code.to_string(),
            label_fr: fr.to_string(),
            label_en: en.to_string(),
            family: "autre".into(),
            proof_required: *proof,
            position: i as i64,
        })
        .collect()
}

pub struct DemoSummary {
    pub performances: usize,
}

/// The demo's staff accounts (e-mail, name, role, supervisor, password), documented in the
/// README: a demo only — a town's own accounts come from `guichet staff create`.
pub const STAFF: [(&str, &str, &str, bool, &str); 3] = [
    (
        "admin@guichet.test",
        "Camille Administratrice",
        "admin",
        true,
        "demo-admin-2026",
    ),
    (
        "guichet@guichet.test",
        "Dominique Guichetier",
        "box_office",
        false,
        "demo-guichet-2026",
    ),
    (
        "controle@guichet.test",
        "Sacha Contrôleur",
        "door",
        false,
        "demo-controle-2026",
    ),
];

/// Creates the demo staff accounts that are missing; answers how many were created.
pub async fn seed_staff(
    staff: &dyn app::ports::StaffAdmin,
) -> Result<usize, app::ports::StaffError> {
    let console = app::staff::Actor::console();
    let mut created = 0;
    for (email, name, role, supervisor, password) in STAFF {
        let request = app::staff::NewStaffRequest {
            email: email.into(),
            name: name.into(),
            role: role.into(),
            supervisor,
            password: Some(password.into()),
        };
        match staff.create_staff(&console, &request).await {
            Ok(_) => created += 1,
            Err(app::ports::StaffError::EmailTaken) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(created)
}

pub async fn seed(setup: &SetupService, now: i64) -> Result<DemoSummary, Failure> {
    let applied = setup.apply(&programme(now)).await?;
    Ok(DemoSummary {
        performances: applied.performance_ids.len(),
    })
}

fn performance(
    venue: &str,
    hall: &str,
    show: &NewShow,
    starts_at: i64,
    now: i64,
    seated: bool,
    prices: Vec<NewPrice>,
) -> NewPerformance {
    NewPerformance {
        venue_code: venue.into(),
        hall: hall.into(),
        show_title: show.title.clone(),
        show_kind: show.kind,
        starts_at,
        sale_opens_at: now - 30 * 86_400,
        sale_closes_at: starts_at,
        hold_seconds: 900,
        max_seats_per_order: 10,
        seated,
        capacity: if seated { 0 } else { 90 },
        prices,
    }
}

/// The whole demo: venues, shows and two weeks of performances from `now`'s Paris day.
pub fn programme(now: i64) -> CatalogueBatch {
    let (theatre_shows, films) = shows();
    let mut performances = Vec::new();
    let today = paris::local(now).date();
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
            let show = &theatre_shows[(d as usize) % theatre_shows.len()];
            let prices = [1, 2, 3]
                .into_iter()
                .zip([
                    [2400, 1800, 1200, 800],
                    [1900, 1500, 1000, 800],
                    [1400, 1100, 800, 600],
                ])
                .flat_map(|(category, row)| {
                    TARIFFS
                        .iter()
                        .zip(row)
                        .map(move |((code, ..), cents)| NewPrice {
                            category: Some(category),
                            tariff: code.to_string(),
                            cents,
                        })
                })
                .collect();
            performances.push(NewPerformance {
                sale_closes_at: starts_at - 30 * 60,
                max_seats_per_order: 8,
                ..performance("TM", "Grande salle", show, starts_at, now, true, prices)
            });
        }
        // Cinema: three screenings a day on each screen.
        for (slot, (h, m)) in [(14, 0), (18, 0), (20, 45)].into_iter().enumerate() {
            let cinema_prices = |category: Option<i64>| {
                TARIFFS
                    .iter()
                    .zip([750, 600, 500, 450])
                    .map(|((code, ..), cents)| NewPrice {
                        category,
                        tariff: code.to_string(),
                        cents,
                    })
                    .collect::<Vec<_>>()
            };
            let film = &films[(d as usize + slot) % films.len()];
            performances.push(performance(
                "CR",
                "Salle 1",
                film,
                at(h, m),
                now,
                true,
                cinema_prices(Some(1)),
            ));
            let film2 = &films[(d as usize + slot + 2) % films.len()];
            let later = at(h, m) + 30 * 60;
            performances.push(performance(
                "CR",
                "Salle 2",
                film2,
                later,
                now,
                false,
                cinema_prices(None),
            ));
        }
    }
    CatalogueBatch {
        tariffs: tariffs(),
        venues: vec![theatre(), cinema()],
        shows: theatre_shows.into_iter().chain(films).collect(),
        performances,
    }
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

fn seat(zone: &str, category: i64, row: char, number: i64, x: i64, y: i64) -> NewSeat {
    NewSeat {
        zone: zone.into(),
        category,
        row: row.to_string(),
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

fn category(number: i64, label: &str, color: &str) -> NewCategory {
    NewCategory {
        number,
        label: label.into(),
        color: color.into(),
    }
}

fn theatre() -> NewVenue {
    let width = 2 * (11 * PITCH) + AISLE + 80;
    let centre = width / 2;
    let mut seats = Vec::new();
    // Orchestre: rows A–P, 10 seats each side of the centre aisle (320 places).
    for (r, row) in ('A'..='P').enumerate() {
        let y = 100 + r as i64 * PITCH;
        for (number, x) in centre_numbered_row(10, centre) {
            let category = if r < 8 && number <= 14 { 1 } else { 2 };
            let last_row = row == 'P';
            seats.push(NewSeat {
                // Last row: wheelchair places at the ends (17–20), companion seats beside them.
                accessible: last_row && number >= 17,
                companion: last_row && (13..=16).contains(&number),
                // Row P centre is the technical desk ("régie"): never sold.
                blocked: last_row && number <= 2,
                block_reason: (last_row && number <= 2).then_some(BlockReason::Technical),
                ..seat("Orchestre", category, row, number, x, y)
            });
        }
    }
    // Balcon: rows A–F, 11 seats each side (132 places); the outer seats of rows E–F see part
    // of the stage only.
    for (r, row) in ('A'..='F').enumerate() {
        let y = 100 + 16 * PITCH + 80 + r as i64 * PITCH;
        for (number, x) in centre_numbered_row(11, centre) {
            seats.push(NewSeat {
                restricted_view: r >= 4 && number >= 19,
                ..seat("Balcon", if r < 2 { 2 } else { 3 }, row, number, x, y)
            });
        }
    }
    NewVenue {
        code: "TM".into(),
        name: "Théâtre municipal".into(),
        operator_name: "Ville de Saint-Aubin-sur-Loire — Théâtre municipal (régie municipale)"
            .into(),
        address: "2 place de la Mairie, 45000 Saint-Aubin-sur-Loire".into(),
        kind: ShowKind::Theatre,
        halls: vec![NewHall {
            name: "Grande salle".into(),
            width,
            height: 760,
            stage: (centre - 200, 10, 400, 50),
            stage_label: "Scène".into(),
            zones: vec!["Orchestre".into(), "Balcon".into()],
            categories: vec![
                category(1, "Catégorie 1", palette::colour(0)),
                category(2, "Catégorie 2", palette::colour(1)),
                category(3, "Catégorie 3", palette::colour(2)),
            ],
            seats,
        }],
    }
}

fn cinema() -> NewVenue {
    let width = 15 * PITCH + AISLE + 80;
    let mut seats = Vec::new();
    // Rows A–L of 15 seats, numbered left to right as cinemas usually do (180 places).
    for (r, row) in ('A'..='L').enumerate() {
        for n in 1..=15i64 {
            let aisle = if n > 4 { AISLE } else { 0 };
            let x = 40 + PITCH / 2 + (n - 1) * PITCH + aisle;
            seats.push(NewSeat {
                accessible: row == 'A' && (n == 1 || n == 2),
                companion: row == 'A' && n == 3,
                ..seat("Salle", 1, row, n, x, 70 + r as i64 * PITCH)
            });
        }
    }
    NewVenue {
        code: "CR".into(),
        name: "Cinéma Le Régent".into(),
        operator_name: "Ville de Saint-Aubin-sur-Loire — Cinéma Le Régent (régie municipale)"
            .into(),
        address: "14 rue du Port, 45000 Saint-Aubin-sur-Loire".into(),
        kind: ShowKind::Cinema,
        halls: vec![
            NewHall {
                name: "Salle 1".into(),
                width,
                height: 400,
                stage: (40, 10, width - 80, 24),
                stage_label: "Écran".into(),
                zones: vec!["Salle".into()],
                categories: vec![category(1, "Tarif unique", "#1f6f8b")],
                seats,
            },
            NewHall {
                name: "Salle 2".into(),
                width: 300,
                height: 200,
                stage: (20, 10, 260, 20),
                stage_label: "Écran".into(),
                zones: Vec::new(),
                categories: Vec::new(),
                seats: Vec::new(),
            },
        ],
    }
}

fn show(title: &str, kind: ShowKind, duration_min: i64, description: &str, age: &str) -> NewShow {
    NewShow {
        title: title.into(),
        kind,
        duration_min,
        description: description.into(),
        age_rating: age.into(),
    }
}

/// (theatre shows, films)
fn shows() -> (Vec<NewShow>, Vec<NewShow>) {
    use ShowKind::{Cinema, Theatre};
    (
        vec![
            show("Le Misanthrope", Theatre, 150, "La comédie de Molière par la Compagnie du Grand Mail : Alceste, l'homme aux rubans verts, contre la politesse du monde.", "Tout public"),
            show("Cyrano de Bergerac", Theatre, 165, "Le panache d'Edmond Rostand, en alexandrins et en costumes, par la troupe du Théâtre de l'Escabeau.", "Tout public"),
            show("Les Fourberies de Scapin", Theatre, 95, "Molière pour petits et grands : masques, coups de bâton et sac de galère.", "Dès 8 ans"),
        ],
        vec![
            show("Les Hirondelles de septembre", Cinema, 104, "Chronique d'un village de Loire le temps d'une rentrée scolaire. VF.", "Tout public"),
            show("Nuit blanche à Lyon", Cinema, 118, "Un thriller urbain sur les pentes de la Croix-Rousse. VF.", "Avertissement"),
            show("Le Phare des Glénan", Cinema, 92, "Film d'animation : une gardienne de phare et son chat affrontent la tempête. VF.", "Dès 6 ans"),
            show("Sous le ciel de Tbilissi", Cinema, 131, "Drame familial géorgien. VOSTFR.", "Tout public"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theatre_has_452_seats_two_of_them_never_sold() {
        let venue = theatre();
        let seats = &venue.halls[0].seats;
        assert_eq!(seats.len(), 452);
        assert_eq!(seats.iter().filter(|s| s.blocked).count(), 2);
        assert_eq!(seats.iter().filter(|s| s.accessible).count(), 4);
        // French numbering: odd on one side of the centre aisle, even on the other.
        let row_a: Vec<&NewSeat> = seats
            .iter()
            .filter(|s| s.zone == "Orchestre" && s.row == "A")
            .collect();
        let centre = venue.halls[0].width / 2;
        assert!(row_a.iter().all(|s| (s.number % 2 == 1) == (s.x < centre)));
    }

    #[test]
    fn two_weeks_of_performances() {
        let now = 1_796_499_000; // a Saturday
        let p = programme(now);
        assert_eq!(
            p.performances
                .iter()
                .filter(|p| p.hall == "Salle 2")
                .count(),
            15 * 3
        );
        assert!(p
            .performances
            .iter()
            .all(|p| p.sale_closes_at <= p.starts_at));
        assert!(
            p.performances
                .iter()
                .filter(|p| p.venue_code == "TM")
                .count()
                >= 8
        );
    }
}

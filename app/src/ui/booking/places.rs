//! How seats are named to people: on the map, in the selection, at checkout and for screen
//! readers.
use crate::dto::{Category, Seat, SeatLabel, SeatMap, Tariff};
use crate::i18n::Lang;

/// "Balcon, rang C, place 12" / "Balcon, row C, seat 12".
pub fn seat_place(lang: Lang, seat: &Seat) -> String {
    lang.seat_label(&SeatLabel {
        zone: seat.zone.clone(),
        row: seat.row.clone(),
        number: seat.number,
    })
}

pub fn category_of<'a>(map: &'a SeatMap, seat: &Seat) -> Option<&'a Category> {
    map.categories
        .iter()
        .find(|c| c.id == seat.category_id)
        .or_else(|| map.categories.iter().find(|c| c.number == seat.category))
}

/// "Balcon, rang C, place 12, catégorie 2, 18 €" (+ wheelchair / companion / restricted view).
pub fn seat_aria_label(lang: Lang, map: &SeatMap, seat_id: i64) -> String {
    let Some(seat) = map.seats.iter().find(|s| s.id == seat_id) else {
        return String::new();
    };
    let category = category_of(map, seat);
    let number = category.map(|c| c.number).unwrap_or(seat.category);
    let mut label = format!(
        "{}, {} {}",
        seat_place(lang, seat),
        lang.pick("catégorie", "category"),
        number
    );
    if let Some(price) = category.and_then(|c| c.tariffs.first()) {
        label.push_str(", ");
        label.push_str(&lang.price(price.price_cents));
    }
    if seat.accessible {
        label.push_str(lang.pick(", place pour fauteuil roulant", ", wheelchair space"));
    }
    if seat.companion {
        label.push_str(lang.pick(", place accompagnateur", ", companion seat"));
    }
    if seat.restricted_view {
        label.push_str(lang.pick(", visibilité réduite", ", restricted view"));
    }
    // Plain spaces: screen readers don't need the typographic ones, and selectors stay simple.
    label.replace(['\u{a0}', '\u{202f}'], " ")
}

/// Who qualifies for a tariff (the venue's words) and the proof asked at the door: "Moins de
/// 26 ans – justificatif demandé à l’entrée". Empty for a tariff open to all.
pub fn tariff_conditions(lang: Lang, tariff: &Tariff) -> String {
    let who = match lang {
        Lang::En if !tariff.eligibility_en.trim().is_empty() => tariff.eligibility_en.trim(),
        _ => tariff.eligibility.trim(),
    };
    let proof = tariff.proof_required.then(|| {
        lang.pick(
            "justificatif demandé à l’entrée",
            "proof required at the door",
        )
    });
    [Some(who).filter(|w| !w.is_empty()), proof]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" – ")
}

//! Server-side rendering smoke tests: the pages render to HTML without a browser.
use super::booking::PerformanceView;
use super::programme::ProgrammeList;
use crate::domain::sale_window::SaleState;
use crate::dto::*;
use crate::i18n::Lang;
use leptos::prelude::*;

fn perf(id: i64, seated: bool, available: i64) -> PerformanceSummary {
    PerformanceSummary {
        id,
        show_id: 7,
        title: "Le Misanthrope".into(),
        kind: ShowKind::Theatre,
        starts_at: Ts(1_796_499_000),
        duration_min: 105,
        age_rating: "Tout public".into(),
        venue: "Théâtre municipal".into(),
        venue_id: 1,
        hall: "Grande salle".into(),
        hall_id: 1,
        seated,
        capacity: 4,
        available,
        sale: SaleState::Open,
        min_price_cents: 800,
    }
}

fn tariff(code: &str, price: i64) -> Tariff {
    Tariff {
        code: code.into(),
        label: code.into(),
        label_en: String::new(),
        price_cents: price,
        proof_required: code == "reduit",
        eligibility: String::new(),
        eligibility_en: String::new(),
    }
}

fn seat(id: i64, row: &str, number: i64, x: i64, status: SeatStatus) -> Seat {
    Seat {
        id,
        zone_id: 1,
        zone: "Balcon".into(),
        row: row.into(),
        number,
        x,
        y: 100,
        category_id: 2,
        category: 2,
        accessible: id == 2,
        companion: false,
        restricted_view: false,
        status,
    }
}

fn seatmap() -> SeatMap {
    SeatMap {
        performance: perf(3, true, 3),
        hold_seconds: 900,
        max_seats_per_order: 8,
        width: 300,
        height: 200,
        stage: Stage {
            x: 50,
            y: 10,
            w: 200,
            h: 30,
            label: "SCÈNE".into(),
        },
        zones: vec![Zone {
            id: 1,
            name: "Balcon".into(),
        }],
        categories: vec![Category {
            id: 2,
            number: 2,
            label: "Catégorie 2".into(),
            color: "#1f8d49".into(),
            tariffs: vec![tariff("plein", 1800), tariff("reduit", 1200)],
        }],
        seats: vec![
            seat(1, "C", 11, 100, SeatStatus::Free),
            seat(2, "C", 12, 130, SeatStatus::Free),
            seat(3, "C", 13, 160, SeatStatus::Sold),
            seat(4, "C", 14, 190, SeatStatus::Free),
        ],
        tariffs: vec![],
    }
}

fn render(lang: Lang, f: impl FnOnce() -> AnyView) -> String {
    let owner = Owner::new();
    owner.with(|| {
        leptos_meta::provide_meta_context();
        provide_context(RwSignal::new(lang));
        f().to_html()
    })
}

#[test]
fn the_server_draws_the_seat_map_as_shapes() {
    let html = render(Lang::Fr, || {
        view! { <PerformanceView map=seatmap()/> }.into_any()
    });
    // Four seats, the sold one looking taken, in their category's colour and texture; the
    // checkboxes and their names come with the wasm (`seat_markup` tests them).
    let seats = &html[html.find(r#"class="seats""#).expect("the seats' group")..];
    let seats = &seats[..seats.find("</g>").expect("its end")];
    assert_eq!(seats.matches("/>").count(), 4, "{seats}");
    assert_eq!(seats.matches(r#"class="cat2 t""#).count(), 1, "{seats}");
    assert!(!seats.contains("aria-label"), "{seats}");
    assert!(html.contains(":where(.cat2){fill:url(#cat-2)}"), "{html}");
    assert!(html.contains(r#"<pattern id="cat-2""#), "{html}");
    assert!(html.contains(r#"aria-label="Plan de la salle""#));
    assert!(html.contains("3 places restantes"));
    // Each bound seat is under a byte budget (the performance page's target: 120 a seat).
    assert!(seats.len() < 4 * 60, "{} bytes", seats.len());
}

#[test]
fn seat_map_renders_in_english() {
    let html = render(Lang::En, || {
        view! { <PerformanceView map=seatmap()/> }.into_any()
    });
    assert!(html.contains(r#"aria-label="Seating plan""#), "{html}");
    assert!(html.contains(">Key</h3>"), "{html}");
}

#[test]
fn general_admission_counts_places_per_tariff() {
    let mut map = seatmap();
    map.performance.seated = false;
    map.seats.clear();
    let mut reduced = tariff("reduit", 600);
    reduced.eligibility = "Moins de 26 ans, demandeurs d’emploi".into();
    reduced.proof_required = true;
    map.tariffs = vec![tariff("plein", 800), reduced];
    let html = render(Lang::Fr, move || {
        view! { <PerformanceView map/> }.into_any()
    });
    // A counter per tariff, its price and who qualifies shown before anything is chosen.
    assert_eq!(html.matches(r#"class="counter-row""#).count(), 2, "{html}");
    assert!(html.contains(r#"id="count-reduit""#), "{html}");
    assert!(html.contains("6\u{a0}€"), "{html}");
    assert!(
        html.contains("Moins de 26 ans, demandeurs d’emploi – justificatif demandé à l’entrée"),
        "{html}"
    );
    assert!(html.contains("Placement libre"));
    // The basket bar is there from the start, with the main action.
    assert!(html.contains(r#"class="basket-bar""#), "{html}");
    assert!(html.contains(r#"id="reserve-button""#), "{html}");
    assert!(html.contains("Aucune place (au plus"), "{html}");
}

#[test]
fn programme_groups_by_day() {
    let list = vec![perf(1, true, 0), perf(2, false, 12)];
    let html = render(Lang::Fr, move || view! { <ProgrammeList list/> }.into_any());
    assert!(html.contains("samedi 5 décembre 2026"), "{html}");
    assert_eq!(html.matches("<h2").count(), 1);
    assert!(html.contains("Complet"));
    assert!(html.contains("12 places restantes"));
    assert!(html.contains(r#"href="/seances/2""#));
    assert!(
        !html.contains(r#"href="/seances/1""#),
        "sold out: no booking link"
    );
    assert!(html.contains("dès 8"));
    println!("{html}");
}

#[test]
fn the_performance_page_says_when_how_long_and_how_much() {
    let mut map = seatmap();
    map.performance.title = "Le Misanthrope </script><b>".into();
    let html = render(Lang::Fr, || view! { <PerformanceView map=map/> }.into_any());
    assert!(html.contains("Durée\u{a0}: 1\u{a0}h\u{a0}45"), "{html}");
    assert!(html.contains("De 12 à 18\u{a0}€"), "{html}");
    // Search engines read the performance as a schema.org event with its prices.
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD");
    let body = &html[start + 35..];
    let body = &body[..body.find("</script>").expect("one script")];
    let data: serde_json::Value = serde_json::from_str(body).expect("valid JSON");
    assert_eq!(data["@type"], "TheaterEvent");
    assert_eq!(
        data["name"], "Le Misanthrope </script><b>",
        "escaped, not cut"
    );
    assert_eq!(data["startDate"], "2026-12-05T19:30:00Z");
    assert_eq!(data["endDate"], "2026-12-05T21:15:00Z");
    assert_eq!(data["offers"]["lowPrice"], "12.00");
    assert_eq!(data["offers"]["highPrice"], "18.00");
    assert_eq!(data["offers"]["availability"], "https://schema.org/InStock");
    let en = render(Lang::En, || {
        view! { <PerformanceView map=seatmap()/> }.into_any()
    });
    assert!(en.contains("Running time: 1 hr 45 min"), "{en}");
    assert!(en.contains("From €12.00 to €18.00"), "{en}");
}

//! The SVG seat map: a composite widget of checkboxes with a roving tabindex (arrow keys move,
//! Enter/Space toggle), and its legend.
use super::places::{category_of, seat_aria_label};
use super::state::Booking;
use crate::domain::seating::{neighbour, Direction, SeatPos};
use crate::dto::{Category, Seat, SeatStatus};
use crate::i18n::Lang;
use crate::ui::common::use_lang;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// "12 € à 25 €" / "€12.00 to €25.00", or one price.
fn price_range(lang: Lang, category: &Category) -> String {
    let min = category.tariffs.iter().map(|t| t.price_cents).min();
    let max = category.tariffs.iter().map(|t| t.price_cents).max();
    match (min, max) {
        (Some(a), Some(b)) if a != b => format!(
            "{} {} {}",
            lang.price(a),
            lang.pick("à", "to"),
            lang.price(b)
        ),
        (Some(a), _) => lang.price(a),
        _ => String::new(),
    }
}

fn category_name(lang: Lang, category: &Category) -> String {
    if category.label.trim().is_empty() {
        format!("{} {}", lang.pick("Catégorie", "Category"), category.number)
    } else {
        category.label.clone()
    }
}

fn status_class(status: SeatStatus) -> &'static str {
    match status {
        SeatStatus::Free => "free",
        SeatStatus::Held => "held",
        SeatStatus::Sold => "sold",
        SeatStatus::Blocked => "blocked",
    }
}

/// Dark or light ink for marks drawn over a category colour.
fn ink_for(color: &str) -> &'static str {
    let hex = color.trim().trim_start_matches('#');
    let parse = |s: &str| u8::from_str_radix(s, 16).ok().map(f64::from);
    let rgb = match hex.len() {
        6 => (parse(&hex[0..2]), parse(&hex[2..4]), parse(&hex[4..6])),
        3 => (
            parse(&hex[0..1].repeat(2)),
            parse(&hex[1..2].repeat(2)),
            parse(&hex[2..3].repeat(2)),
        ),
        _ => (None, None, None),
    };
    match rgb {
        (Some(r), Some(g), Some(b)) => {
            let luminance = 0.299 * r + 0.587 * g + 0.114 * b;
            if luminance > 150.0 {
                "#161616"
            } else {
                "#ffffff"
            }
        }
        _ => "#161616",
    }
}

fn safe_color(color: &str) -> String {
    let c = color.trim();
    let ok = c.starts_with('#')
        && (c.len() == 4 || c.len() == 7)
        && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if ok {
        c.to_string()
    } else {
        "#6a6af4".to_string()
    }
}

/// Seat spacing in map units: the smallest gap between neighbours in a row.
fn seat_pitch(seats: &[Seat]) -> f64 {
    let mut rows: BTreeMap<(i64, &str), Vec<i64>> = BTreeMap::new();
    for s in seats {
        rows.entry((s.zone_id, s.row.as_str()))
            .or_default()
            .push(s.x);
    }
    let mut pitch: Option<i64> = None;
    for xs in rows.values_mut() {
        xs.sort_unstable();
        for w in xs.windows(2) {
            let d = w[1] - w[0];
            if d > 0 && pitch.is_none_or(|p| d < p) {
                pitch = Some(d);
            }
        }
    }
    pitch.map(|p| p as f64).unwrap_or(30.0).max(4.0)
}

fn fmt(v: f64) -> String {
    format!("{:.1}", v)
}

#[component]
pub fn SeatMapView(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let map = booking.map;
    let (width, height, pitch) =
        map.with_value(|m| (m.width.max(1), m.height.max(1), seat_pitch(&m.seats)));
    let r = (pitch * 0.42).max(2.0);
    // Keep seats at least ~30 CSS px apart: the map scrolls horizontally on phones.
    let base_min_width = (width as f64 * 30.0 / pitch).clamp(280.0, 2400.0);
    let zoom = RwSignal::new(1.0_f64);
    let positions = StoredValue::new(map.with_value(|m| {
        m.seats
            .iter()
            .map(|s| SeatPos {
                id: s.id,
                zone_id: s.zone_id,
                row: s.row.clone(),
                x: s.x,
                y: s.y,
            })
            .collect::<Vec<_>>()
    }));
    // The one seat reachable with Tab: the first free seat in reading order.
    let first = map.with_value(|m| {
        let mut seats: Vec<&Seat> = m.seats.iter().collect();
        seats.sort_by_key(|s| (s.y, s.x));
        seats
            .iter()
            .find(|s| s.status == SeatStatus::Free)
            .or(seats.first())
            .map(|s| s.id)
            .unwrap_or(0)
    });
    let active = RwSignal::new(first);

    let stage = map.with_value(|m| m.stage.clone());
    let stage_font = (stage.h as f64 * 0.4).clamp(8.0, r * 2.2 + 6.0);
    let label_font = (r * 1.3).max(6.0);

    // Zone names above their seats; row names left of each row (right if no room).
    let (zone_labels, row_labels) = map.with_value(|m| {
        let mut zones: BTreeMap<i64, (String, i64, i64, i64)> = BTreeMap::new();
        let mut rows: BTreeMap<(i64, String), (i64, i64, i64)> = BTreeMap::new();
        for s in &m.seats {
            let z = zones
                .entry(s.zone_id)
                .or_insert((s.zone.clone(), s.x, s.x, s.y));
            z.1 = z.1.min(s.x);
            z.2 = z.2.max(s.x);
            z.3 = z.3.min(s.y);
            let row = rows
                .entry((s.zone_id, s.row.clone()))
                .or_insert((s.x, s.x, s.y));
            row.0 = row.0.min(s.x);
            row.1 = row.1.max(s.x);
            row.2 = s.y.min(row.2);
        }
        let zone_labels = zones
            .into_values()
            .map(|(name, min_x, max_x, min_y)| {
                let y = (min_y as f64 - r * 1.8).max(label_font);
                ((min_x + max_x) as f64 / 2.0, y, name)
            })
            .collect::<Vec<_>>();
        let row_labels = rows
            .into_iter()
            .filter_map(|((_, row), (min_x, max_x, y))| {
                let left = min_x as f64 - r * 1.9;
                let right = max_x as f64 + r * 1.9;
                if left - label_font >= 0.0 {
                    Some((left, y as f64, "end", row))
                } else if right + label_font <= width as f64 {
                    Some((right, y as f64, "start", row))
                } else {
                    None
                }
            })
            .collect::<Vec<_>>();
        (zone_labels, row_labels)
    });

    let seats = map.with_value(|m| {
        m.seats
            .iter()
            .map(|seat| {
                let color = category_of(m, seat)
                    .map(|c| safe_color(&c.color))
                    .unwrap_or_else(|| safe_color(""));
                view! { <SeatView seat=seat.clone() color r booking active positions/> }
            })
            .collect_view()
    });

    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    view! {
        <div class="seatmap-tools">
            <p id="seatmap-help" class="hint">
                {t(
                    "Touchez ou cliquez une place pour la choisir. Au clavier : flèches pour se déplacer, Entrée ou Espace pour choisir.",
                    "Tap or click a seat to choose it. Keyboard: arrow keys to move, Enter or Space to choose.",
                )}
            </p>
            <div class="zoom-buttons" role="group" aria-label=t("Taille du plan", "Map size")>
                <button
                    type="button"
                    class="button button-small button-secondary"
                    on:click=move |_| zoom.update(|z| *z = (*z - 0.5).max(1.0))
                    disabled=move || { zoom.get() <= 1.0 }
                >
                    "−"
                    <span class="sr-only">{t("Réduire le plan", "Zoom out")}</span>
                </button>
                <button
                    type="button"
                    class="button button-small button-secondary"
                    on:click=move |_| zoom.update(|z| *z = (*z + 0.5).min(3.0))
                    disabled=move || { zoom.get() >= 3.0 }
                >
                    "+"
                    <span class="sr-only">{t("Agrandir le plan", "Zoom in")}</span>
                </button>
            </div>
        </div>
        <div class="seatmap-scroll">
            <svg
                class="seatmap"
                xmlns="http://www.w3.org/2000/svg"
                viewBox=format!("0 0 {width} {height}")
                role="group"
                aria-label=t("Plan de la salle", "Seating plan")
                aria-describedby="seatmap-help"
                style=move || format!("min-width: {}px", (base_min_width * zoom.get()).round())
            >
                <defs>
                    <pattern id="seat-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
                        <rect width="6" height="6" fill="#d4d4d4"></rect>
                        <line x1="0" y1="0" x2="0" y2="6" stroke="#6b6b6b" stroke-width="2.5"></line>
                    </pattern>
                </defs>
                <g class="stage" aria-hidden="true">
                    <rect x=stage.x y=stage.y width=stage.w height=stage.h rx="6"></rect>
                    <text
                        x=fmt(stage.x as f64 + stage.w as f64 / 2.0)
                        y=fmt(stage.y as f64 + stage.h as f64 / 2.0)
                        text-anchor="middle"
                        dominant-baseline="central"
                        font-size=fmt(stage_font)
                    >
                        {if stage.label.trim().is_empty() { "SCÈNE / ÉCRAN".to_string() } else { stage.label.clone() }}
                    </text>
                </g>
                <g class="zone-labels" aria-hidden="true">
                    {zone_labels
                        .into_iter()
                        .map(|(x, y, name)| {
                            view! {
                                <text x=fmt(x) y=fmt(y) text-anchor="middle" font-size=fmt(label_font)>
                                    {name}
                                </text>
                            }
                        })
                        .collect_view()}
                </g>
                <g class="row-labels" aria-hidden="true">
                    {row_labels
                        .into_iter()
                        .map(|(x, y, anchor, row)| {
                            view! {
                                <text
                                    x=fmt(x)
                                    y=fmt(y)
                                    text-anchor=anchor
                                    dominant-baseline="central"
                                    font-size=fmt(label_font * 0.85)
                                >
                                    {row}
                                </text>
                            }
                        })
                        .collect_view()}
                </g>
                <g class="seats">{seats}</g>
            </svg>
        </div>
    }
    .into_any()
}

#[component]
fn SeatView(
    seat: Seat,
    color: String,
    r: f64,
    booking: Booking,
    active: RwSignal<i64>,
    positions: StoredValue<Vec<SeatPos>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = seat.id;
    let (cx, cy) = (seat.x as f64, seat.y as f64);
    let ink = ink_for(&color);
    let extra = format!(
        "{}{}{}",
        if seat.accessible {
            " seat-accessible"
        } else {
            ""
        },
        if seat.companion {
            " seat-companion"
        } else {
            ""
        },
        if seat.restricted_view {
            " seat-restricted"
        } else {
            ""
        },
    );
    let selected = move || booking.is_selected(id);
    let class = move || {
        let state = if selected() {
            "selected"
        } else {
            status_class(booking.status(id))
        };
        format!("seat {state}{extra}")
    };
    let disabled =
        move || !selected() && (booking.status(id) != SeatStatus::Free || !booking.sale_open);
    let label = move || {
        booking
            .map
            .with_value(|m| seat_aria_label(lang.get(), m, id))
    };

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let dir = match ev.key().as_str() {
            "ArrowLeft" | "Left" => Some(Direction::Left),
            "ArrowRight" | "Right" => Some(Direction::Right),
            "ArrowUp" | "Up" => Some(Direction::Up),
            "ArrowDown" | "Down" => Some(Direction::Down),
            " " | "Enter" | "Spacebar" => {
                ev.prevent_default();
                booking.toggle(id);
                return;
            }
            _ => None,
        };
        let Some(dir) = dir else { return };
        ev.prevent_default();
        if let Some(next) = positions.with_value(|p| neighbour(p, id, dir)) {
            active.set(next);
            #[cfg(feature = "hydrate")]
            crate::ui::common::focus_selector(&format!("[data-seat-id=\"{next}\"]"));
        }
    };

    let shape = if seat.accessible {
        view! {
            <rect
                class="seat-shape"
                x=fmt(cx - r)
                y=fmt(cy - r)
                width=fmt(2.0 * r)
                height=fmt(2.0 * r)
                rx=fmt(r * 0.3)
                fill=color.clone()
            ></rect>
        }
        .into_any()
    } else {
        view! { <circle class="seat-shape" cx=fmt(cx) cy=fmt(cy) r=fmt(r) fill=color.clone()></circle> }.into_any()
    };
    let mark = if seat.accessible {
        Some("♿")
    } else if seat.companion {
        Some("A")
    } else {
        None
    };
    let check = format!(
        "M{} {} L{} {} L{} {}",
        fmt(cx - 0.5 * r),
        fmt(cy),
        fmt(cx - 0.12 * r),
        fmt(cy + 0.4 * r),
        fmt(cx + 0.5 * r),
        fmt(cy - 0.42 * r)
    );
    let restricted = seat.restricted_view.then(|| {
        let d = format!(
            "M{} {} L{} {} L{} {} Z",
            fmt(cx + 0.25 * r),
            fmt(cy - 1.05 * r),
            fmt(cx + 1.05 * r),
            fmt(cy - 1.05 * r),
            fmt(cx + 1.05 * r),
            fmt(cy - 0.25 * r)
        );
        view! { <path class="seat-restricted-mark" d=d></path> }
    });

    view! {
        <g
            class=class
            data-seat-id=id
            role="checkbox"
            aria-checked=move || selected().to_string()
            aria-disabled=move || disabled().to_string()
            aria-label=label
            tabindex=move || if active.get() == id { "0" } else { "-1" }
            on:click=move |_| {
                active.set(id);
                booking.toggle(id);
            }
            on:focus=move |_| active.set(id)
            on:keydown=on_key
        >
            <circle class="seat-focus" cx=fmt(cx) cy=fmt(cy) r=fmt(r * 1.45)></circle>
            {shape}
            {mark
                .map(|m| {
                    view! {
                        <text
                            class="seat-mark"
                            x=fmt(cx)
                            y=fmt(cy)
                            text-anchor="middle"
                            dominant-baseline="central"
                            font-size=fmt(r * 1.2)
                            fill=ink
                        >
                            {m}
                        </text>
                    }
                })}
            {restricted}
            <path class="seat-check" d=check></path>
        </g>
    }
    .into_any()
}

/// Categories with their colour and prices, then what the marks mean.
#[component]
pub fn SeatLegend(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let categories = booking.map.with_value(|m| m.categories.clone());
    let (has_accessible, has_companion, has_restricted) = booking.map.with_value(|m| {
        (
            m.seats.iter().any(|s| s.accessible),
            m.seats.iter().any(|s| s.companion),
            m.seats.iter().any(|s| s.restricted_view),
        )
    });
    let swatch = |inner: AnyView| {
        view! {
            <svg class="swatch" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
                {inner}
            </svg>
        }
    };
    view! {
        <div class="legend" role="group" aria-labelledby="legend-title">
            <h3 id="legend-title" class="legend-title">{t("Légende", "Key")}</h3>
            <ul class="legend-list legend-categories">
                {categories
                    .into_iter()
                    .map(|c| {
                        let color = safe_color(&c.color);
                        let c2 = c.clone();
                        view! {
                            <li data-category=c.number>
                                {swatch(view! { <circle cx="10" cy="10" r="8" fill=color></circle> }.into_any())}
                                <span>
                                    {move || {
                                        let l = lang.get();
                                        let name = category_name(l, &c2);
                                        let range = price_range(l, &c2);
                                        if range.is_empty() { name } else { format!("{name} : {range}") }
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <ul class="legend-list legend-states">
                <li>
                    {swatch(view! { <circle cx="10" cy="10" r="8" class="legend-free"></circle> }.into_any())}
                    <span>{t("Libre (couleur de la catégorie)", "Available (category colour)")}</span>
                </li>
                <li>
                    {swatch(
                        view! {
                            <circle cx="10" cy="10" r="8" class="legend-selected"></circle>
                            <path class="legend-check" d="M6 10 L9 13.5 L14.5 6.5"></path>
                        }
                            .into_any(),
                    )}
                    <span>{t("Votre sélection", "Your selection")}</span>
                </li>
                <li>
                    {swatch(view! { <circle cx="10" cy="10" r="8" fill="url(#seat-hatch)" class="legend-taken"></circle> }.into_any())}
                    <span>{t("Indisponible (réservée, vendue ou bloquée)", "Unavailable (held, sold or blocked)")}</span>
                </li>
                {has_accessible
                    .then(|| {
                        view! {
                            <li>
                                {swatch(
                                    view! {
                                        <rect x="2" y="2" width="16" height="16" rx="4" class="legend-free"></rect>
                                        <text x="10" y="10" text-anchor="middle" dominant-baseline="central" font-size="12">"♿"</text>
                                    }
                                        .into_any(),
                                )}
                                <span>{t("Place pour fauteuil roulant", "Wheelchair space")}</span>
                            </li>
                        }
                    })}
                {has_companion
                    .then(|| {
                        view! {
                            <li>
                                {swatch(
                                    view! {
                                        <circle cx="10" cy="10" r="8" class="legend-free"></circle>
                                        <text x="10" y="10" text-anchor="middle" dominant-baseline="central" font-size="11">"A"</text>
                                    }
                                        .into_any(),
                                )}
                                <span>{t("Place accompagnateur", "Companion seat")}</span>
                            </li>
                        }
                    })}
                {has_restricted
                    .then(|| {
                        view! {
                            <li>
                                {swatch(
                                    view! {
                                        <circle cx="10" cy="10" r="7" class="legend-free"></circle>
                                        <path d="M12 1 L19 1 L19 8 Z" class="seat-restricted-mark"></path>
                                    }
                                        .into_any(),
                                )}
                                <span>{t("Visibilité réduite", "Restricted view")}</span>
                            </li>
                        }
                    })}
            </ul>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ink_contrasts_with_category_colour() {
        assert_eq!(ink_for("#ffffff"), "#161616");
        assert_eq!(ink_for("#000091"), "#ffffff");
        assert_eq!(ink_for("#fc0"), "#161616");
        assert_eq!(safe_color("red;x"), "#6a6af4");
        assert_eq!(safe_color("#AbC"), "#AbC");
    }
}

//! The SVG seat map: a composite widget of checkboxes with a roving tabindex (arrow keys move,
//! Enter/Space toggle), and its legend.
use super::pan_zoom::MapView;
use super::state::Booking;
use crate::domain::palette::TAKEN_GREY;
use crate::domain::seating::{neighbour, Direction, SeatPos};
use crate::dto::{Category, Seat, SeatStatus};
use crate::i18n::Lang;
use crate::ui::common::use_lang;
use crate::ui::seat_markup::{category_defs, check_path, marks_svg, seats_svg, SeatLook};
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap};

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
    // Opens on the whole hall; zooms to seats a fingertip apart.
    let view = MapView::new(pitch, width as f64);
    let zoom = view.zoom;
    view.install();
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
    // Where each seat is drawn, for the check marks and the focus ring.
    let centres: StoredValue<HashMap<i64, (f64, f64)>> = StoredValue::new(map.with_value(|m| {
        m.seats
            .iter()
            .map(|s| (s.id, (s.x as f64, s.y as f64)))
            .collect()
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
        // On both sides where there is room: zoomed in, one side is often off-screen.
        let row_labels = rows
            .into_iter()
            .flat_map(|((_, row), (min_x, max_x, y))| {
                let left = min_x as f64 - r * 1.9;
                let right = max_x as f64 + r * 1.9;
                let y = y as f64;
                [
                    (left - label_font >= 0.0).then(|| (left, y, "end", row.clone())),
                    (right + label_font <= width as f64).then(|| (right, y, "start", row)),
                ]
            })
            .flatten()
            .collect::<Vec<_>>();
        (zone_labels, row_labels)
    });

    // The seats as text, rendered once (server, or client-side navigation); afterwards only
    // the attributes of seats whose look changed are touched. The server sends shapes only
    // (`seats_svg_compact`); hydrating, the browser writes the checkboxes over them.
    let hydrating = Owner::current_shared_context().is_some_and(|c| c.during_hydration());
    let defs = map.with_value(category_defs);
    let seats_markup = map.with_value(|m| {
        if hydrating {
            return (String::new(), String::new());
        }
        // The states as they are now, read once (not a signal read per seat).
        let statuses = booking.live.statuses.get_untracked();
        let chosen = booking.pick.selection.get_untracked();
        let look = |id: i64, _: SeatStatus| {
            let status = statuses.get(&id).copied().unwrap_or(SeatStatus::Blocked);
            SeatLook::with_blocked(
                status,
                chosen.contains(&id),
                booking.sale_open,
                id == first,
                booking.allow_blocked,
            )
        };
        let seats = if cfg!(feature = "hydrate") {
            seats_svg(m, lang.get_untracked(), r, look)
        } else {
            crate::ui::seat_markup::seats_svg_compact(m, r)
        };
        (seats, marks_svg(m, r, look))
    });
    let seats_ref = NodeRef::<leptos::svg::G>::new();
    // In the browser, each change of states, choice or focus sets what changed.
    #[cfg(feature = "hydrate")]
    live_seats::follow(
        booking,
        seats_ref,
        r,
        move |id: i64| {
            let status = booking.status(id);
            SeatLook::with_blocked(
                status,
                booking.is_selected(id),
                booking.sale_open,
                active.get() == id,
                booking.allow_blocked,
            )
        },
        lang,
    );

    // Seats held by "Meilleures places" are brought into view.
    Effect::new(move |_| {
        if let Some(first) = booking
            .held
            .hold
            .with(|h| h.as_ref().and_then(|h| h.seat_ids.first().copied()))
        {
            view.show_seat(first);
        }
    });

    let on_click = move |ev: leptos::ev::MouseEvent| {
        if view.take_dragged() {
            return;
        }
        if let Some(id) = seat_of(&ev) {
            active.set(id);
            booking.toggle(id);
        }
    };
    let on_focus = move |ev: leptos::ev::FocusEvent| {
        if let Some(id) = seat_of(&ev) {
            active.set(id);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(id) = seat_of(&ev) else { return };
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
    // Check marks on the chosen seats (a handful), and the ring around the seat with focus.
    let checks = move || {
        booking.pick.selection.with(|sel| {
            sel.iter()
                .filter_map(|id| centres.with_value(|c| c.get(id).copied()))
                .map(|(x, y)| view! { <path class="seat-check" d=check_path(x, y, r)></path> })
                .collect_view()
        })
    };
    let ring =
        move || centres.with_value(|c| c.get(&active.get()).copied().unwrap_or((-100.0, -100.0)));

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
                    on:click=move |_| view.step(false)
                    disabled=move || { zoom.get() <= 1.0 }
                >
                    "−"
                    <span class="sr-only">{t("Réduire le plan", "Zoom out")}</span>
                </button>
                <button
                    type="button"
                    class="button button-small button-secondary"
                    on:click=move |_| view.step(true)
                    disabled=move || { zoom.get() >= view.max() - 1e-6 }
                >
                    "+"
                    <span class="sr-only">{t("Agrandir le plan", "Zoom in")}</span>
                </button>
            </div>
        </div>
        <style inner_html=defs.1></style>
        <div class="seatmap-scroll" node_ref=view.scroll>
            <svg
                class="seatmap"
                node_ref=view.svg
                xmlns="http://www.w3.org/2000/svg"
                viewBox=format!("0 0 {width} {height}")
                role="group"
                aria-label=t("Plan de la salle", "Seating plan")
                aria-describedby="seatmap-help"
            >
                <defs inner_html=format!(
                    r##"<pattern id="seat-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="{TAKEN_GREY}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6b6b6b" stroke-width="2.5"/></pattern>{}"##,
                    defs.0,
                )></defs>
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
                            // A tap on a zone's name zooms into it (a pointer shortcut; the
                            // keyboard moves seat by seat).
                            view! {
                                <text
                                    x=fmt(x)
                                    y=fmt(y)
                                    text-anchor="middle"
                                    font-size=fmt(label_font)
                                    on:click=move |_| view.focus_on(x, y)
                                >
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
                <circle
                    class="seat-focus-ring"
                    aria-hidden="true"
                    cx=move || fmt(ring().0)
                    cy=move || fmt(ring().1)
                    r=fmt(r * 1.45)
                ></circle>
                <g
                    class="seats"
                    node_ref=seats_ref
                    on:click=on_click
                    on:focusin=on_focus
                    on:keydown=on_key
                    inner_html=seats_markup.0
                ></g>
                <g class="seat-marks" aria-hidden="true" inner_html=seats_markup.1></g>
                <g class="seat-checks" aria-hidden="true">{checks}</g>
            </svg>
        </div>
    }
    .into_any()
}

/// The seat an event happened on (its element carries `data-seat-id`).
fn seat_of(ev: &leptos::ev::Event) -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let el: web_sys::Element = ev.target()?.dyn_into().ok()?;
        let seat = el.closest("[data-seat-id]").ok()??;
        seat.get_attribute("data-seat-id")?.parse().ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

/// In the browser: after every change of seat states, selection or focus, the attributes of
/// the seats whose look changed (and of their marks) are set; after a change of language, the
/// accessible names. Nothing else of the map is touched.
#[cfg(feature = "hydrate")]
mod live_seats {
    use super::*;
    use crate::ui::seat_markup::{aria_labels, seat_class};

    /// Seat id → (category number, wheelchair, companion, restricted view).
    type Marks = HashMap<i64, (i64, bool, bool, bool)>;
    use wasm_bindgen::JsCast;

    type Elements = HashMap<i64, (web_sys::Element, Vec<web_sys::Element>)>;

    /// Each seat's element and the marks drawn over it, found once.
    fn find(group: &web_sys::Element) -> Elements {
        let mut found = Elements::new();
        let children = group.children();
        for i in 0..children.length() {
            let Some(el) = children.item(i) else { continue };
            if let Some(id) = el
                .get_attribute("data-seat-id")
                .and_then(|v| v.parse().ok())
            {
                found.insert(id, (el, Vec::new()));
            }
        }
        if let Some(marks) = group.next_element_sibling() {
            let children = marks.children();
            for i in 0..children.length() {
                let Some(el) = children.item(i) else { continue };
                let id: Option<i64> = el
                    .get_attribute("data-mark-for")
                    .and_then(|v| v.parse().ok());
                if let Some(entry) = id.and_then(|id| found.get_mut(&id)) {
                    entry.1.push(el);
                }
            }
        }
        found
    }

    pub fn follow(
        booking: Booking,
        seats: NodeRef<leptos::svg::G>,
        r: f64,
        look: impl Fn(i64) -> SeatLook + Copy + 'static,
        lang: RwSignal<crate::i18n::Lang>,
    ) {
        let elements: StoredValue<Elements, LocalStorage> = StoredValue::new_local(HashMap::new());
        let shown: StoredValue<HashMap<i64, SeatLook>, LocalStorage> =
            StoredValue::new_local(HashMap::new());
        let flags: StoredValue<Marks> = StoredValue::new(booking.map.with_value(|m| {
            m.seats
                .iter()
                .map(|s| {
                    (
                        s.id,
                        (s.category, s.accessible, s.companion, s.restricted_view),
                    )
                })
                .collect()
        }));
        Effect::new(move |_| {
            let Some(group) = seats.get() else { return };
            let group: &web_sys::Element = group.unchecked_ref();
            if elements.with_value(HashMap::is_empty) {
                // The server drew shapes only: the checkboxes, with their names and states
                // as they are now, replace them.
                if group
                    .query_selector("[data-seat-id]")
                    .ok()
                    .flatten()
                    .is_none()
                {
                    let l = lang.get_untracked();
                    let markup = booking.map.with_value(|m| {
                        crate::ui::seat_markup::seats_svg(m, l, r, |id, _| look(id))
                    });
                    group.set_inner_html(&markup);
                }
                elements.set_value(find(group));
            }
            elements.with_value(|els| {
                shown.update_value(|shown| {
                    for (id, (el, marks)) in els {
                        let now = look(*id);
                        let before = shown.insert(*id, now);
                        // The first pass finds what the server (or the first render) drew.
                        if before.is_none() || before == Some(now) {
                            continue;
                        }
                        let (cat, a, c, rv) =
                            flags.with_value(|f| f.get(id).copied().unwrap_or_default());
                        let _ = el.set_attribute("class", &seat_class(now, cat, a, c, rv));
                        let _ = el.set_attribute("aria-checked", &now.checked.to_string());
                        let _ = el.set_attribute("aria-disabled", &now.disabled.to_string());
                        let _ = el.set_attribute("tabindex", if now.tab_stop { "0" } else { "-1" });
                        for m in marks {
                            let base = if m.tag_name() == "text" {
                                "seat-mark"
                            } else {
                                "seat-restricted-mark"
                            };
                            let _ = m.set_attribute("class", &format!("{base} {}", now.state));
                        }
                    }
                });
            });
        });
        // The accessible names, in the reader's language (not on the first run: the page was
        // drawn in it).
        Effect::new(move |prev: Option<crate::i18n::Lang>| {
            let l = lang.get();
            if prev.is_some_and(|p| p != l) {
                let labels = booking.map.with_value(|m| aria_labels(l, m));
                elements.with_value(|els| {
                    for (id, (el, _)) in els {
                        if let Some(label) = labels.get(id) {
                            let _ = el.set_attribute("aria-label", label);
                        }
                    }
                });
            }
            l
        });
    }
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
                        // The category's colour and texture, as on its seats.
                        let class = format!("legend-category cat{}", c.number);
                        let c2 = c.clone();
                        view! {
                            <li data-category=c.number>
                                {swatch(view! { <circle cx="10" cy="10" r="8" class=class></circle> }.into_any())}
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

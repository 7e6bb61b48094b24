//! The seat-map editor: a hall's current plan on its SVG map. Seats are chosen by click
//! (Maj/Ctrl adds), by a rectangle dragged on the map, by whole rows, or with the keyboard; the
//! chosen ones get a category, flags, a block with its reason, a new numbering, or are
//! deleted; every change can be undone. The plan's problems are listed as it changes, located as
//! on import, and saving makes the hall's next version (`PUT …/seatmap?base=N`).
//!
//! Drawing: the seats are one string of SVG (one element each), drawn again after an edit; a
//! change of the chosen seats only sets the attributes of the seats it touches, so choosing a
//! seat in a 5,000-seat hall stays within a frame.
use super::programme::{Notice, NoticeLine};
use crate::admin::{HallSummary, VersionedPlan};
use crate::api::admin_hall_plan;
use crate::domain::plan::edit::{self, Flag, History, Renumbering, Selection};
use crate::domain::plan::{BlockReason, Plan};
use crate::domain::seating::{neighbour, Direction, SeatPos};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ui::common::{use_lang, ErrorBox};
use crate::ui::seat_markup::{escape, num, open_shape, safe_color};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use std::fmt::Write;

/// Chooses a hall and opens its plan in the editor.
#[component]
pub fn SeatPlans(halls: ReadSignal<Option<Result<Vec<HallSummary>, AppError>>>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let hall_id = RwSignal::new(None::<i64>);
    let open = RwSignal::new(None::<Result<(HallSummary, VersionedPlan), AppError>>);
    let load = move |_| {
        let Some(id) = hall_id.get_untracked() else {
            return;
        };
        let hall = halls.with_untracked(|h| {
            h.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|list| list.iter().find(|h| h.id == id).cloned())
        });
        let Some(hall) = hall else { return };
        spawn_local(async move {
            open.set(Some(admin_hall_plan(id).await.map(|p| (hall, p))));
        });
    };
    view! {
        <section class="plans-panel" aria-labelledby="plans-title">
            <h3 id="plans-title">{t("Plans de salle", "Seat maps")}</h3>
            <div class="inline-form">
                <label for="plan-hall">{t("Salle", "Hall")}</label>
                <select id="plan-hall" on:change=move |ev| hall_id.set(event_target_value(&ev).parse().ok())>
                    <option value="">{t("— choisir —", "— choose —")}</option>
                    {move || halls.get().and_then(|r| r.ok()).unwrap_or_default().into_iter()
                        .filter(|h| h.seats > 0)
                        .map(|h| view! { <option value=h.id.to_string()>{format!("{} – {} ({} places)", h.venue, h.name, h.seats)}</option> })
                        .collect_view()}
                </select>
                <button type="button" class="button button-secondary" on:click=load>
                    {t("Modifier le plan", "Edit the map")}
                </button>
            </div>
            {move || open.get().map(|r| match r {
                Err(err) => view! { <ErrorBox err/> }.into_any(),
                Ok((hall, loaded)) => view! {
                    <PlanEditor hall loaded on_close=Callback::new(move |_| open.set(None))/>
                }.into_any(),
            })}
        </section>
    }
    .into_any()
}

// Drawn in the browser only: the editor opens there, after a click.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// What a seat of the editor shows: chosen, and the one reachable with Tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    chosen: bool,
    tab_stop: bool,
}

fn seat_radius(plan: &Plan) -> f64 {
    // Half the smallest spacing in a row, as on the spectators' map.
    let mut rows: HashMap<(&str, &str), Vec<i64>> = HashMap::new();
    for s in &plan.seats {
        rows.entry((s.zone.as_str(), s.row.as_str()))
            .or_default()
            .push(s.x);
    }
    let mut pitch = i64::MAX;
    for xs in rows.values_mut() {
        xs.sort_unstable();
        for w in xs.windows(2) {
            if w[1] > w[0] {
                pitch = pitch.min(w[1] - w[0]);
            }
        }
    }
    let pitch = if pitch == i64::MAX { 30 } else { pitch };
    (pitch as f64 * 0.42).max(3.0)
}

fn reason_label(lang: Lang, r: BlockReason) -> &'static str {
    r.label(lang)
}

// Drawn in the browser only: the editor opens there, after a click.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// "Orchestre, rang A, place 3 — Catégorie 1, bloquée (presse), fauteuil roulant".
fn seat_label(lang: Lang, s: &crate::domain::plan::PlanSeat) -> String {
    let mut l = format!(
        "{}, {} {}, {} {} — {}",
        s.zone,
        lang.pick("rang", "row"),
        s.row,
        lang.pick("place", "seat"),
        s.number,
        s.category
    );
    if s.blocked {
        let why = s.block_reason.map(|r| reason_label(lang, r)).unwrap_or("");
        l.push_str(&match lang {
            Lang::Fr => format!(", bloquée ({why})"),
            Lang::En => format!(", blocked ({why})"),
        });
    }
    if s.accessible {
        l.push_str(lang.pick(", fauteuil roulant", ", wheelchair space"));
    }
    if s.companion {
        l.push_str(lang.pick(", accompagnateur", ", companion"));
    }
    if s.restricted_view {
        l.push_str(lang.pick(", visibilité réduite", ", restricted view"));
    }
    l
}

// Drawn in the browser only: the editor opens there, after a click.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn seat_class(s: &crate::domain::plan::PlanSeat, look: Look) -> String {
    let mut c = String::from("eseat");
    if s.blocked {
        c.push_str(" blocked");
    }
    if s.companion {
        c.push_str(" companion");
    }
    if s.restricted_view {
        c.push_str(" restricted");
    }
    if look.chosen {
        c.push_str(" chosen");
    }
    c
}

// Drawn in the browser only: the editor opens there, after a click.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// The seats as SVG text, and the marks drawn over some of them.
fn plan_svg(plan: &Plan, lang: Lang, r: f64, look: impl Fn(usize) -> Look) -> (String, String) {
    let colours: HashMap<&str, String> = plan
        .categories
        .iter()
        .map(|c| (c.label.as_str(), safe_color(&c.color)))
        .collect();
    let radius = num(r);
    let mut seats = String::with_capacity(plan.seats.len() * 200);
    let mut marks = String::new();
    for (i, s) in plan.seats.iter().enumerate() {
        let l = look(i);
        let fill = colours
            .get(s.category.as_str())
            .cloned()
            .unwrap_or_else(|| safe_color(""));
        let (x, y) = (s.x as f64, s.y as f64);
        open_shape(&mut seats, s.x, s.y, s.accessible, r, &radius);
        let _ = write!(
            seats,
            r#" data-i="{i}" class="{}" fill="{fill}" role="checkbox" aria-checked="{}" tabindex="{}" aria-label=""#,
            seat_class(s, l),
            l.chosen,
            if l.tab_stop { 0 } else { -1 }
        );
        escape(&mut seats, &seat_label(lang, s));
        seats.push_str(if s.accessible {
            "\"></rect>"
        } else {
            "\"></circle>"
        });
        let mark = if s.accessible {
            Some("♿")
        } else if s.companion {
            Some("A")
        } else if s.blocked {
            Some("×")
        } else {
            None
        };
        if let Some(m) = mark {
            let _ = write!(
                marks,
                r#"<text x="{}" y="{}" text-anchor="middle" dominant-baseline="central" font-size="{}">{m}</text>"#,
                num(x),
                num(y),
                num(r * 1.2)
            );
        }
    }
    (seats, marks)
}

/// Row labels at both ends of each row, as the spectators' map puts them.
fn row_labels(plan: &Plan, r: f64) -> Vec<(f64, f64, &'static str, String)> {
    let mut rows: HashMap<(String, String), (i64, i64, i64)> = HashMap::new();
    for s in &plan.seats {
        let e = rows
            .entry((s.zone.clone(), s.row.clone()))
            .or_insert((s.x, s.x, s.y));
        e.0 = e.0.min(s.x);
        e.1 = e.1.max(s.x);
        e.2 = e.2.min(s.y);
    }
    let mut out: Vec<_> = rows
        .into_iter()
        .flat_map(|((_, row), (a, b, y))| {
            [
                (a as f64 - r * 1.9, y as f64, "end", row.clone()),
                (b as f64 + r * 1.9, y as f64, "start", row),
            ]
        })
        .collect();
    out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
    out
}

fn positions(plan: &Plan) -> Vec<SeatPos> {
    let zones: HashMap<&str, i64> = plan
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| (z.as_str(), i as i64))
        .collect();
    plan.seats
        .iter()
        .enumerate()
        .map(|(i, s)| SeatPos {
            id: i as i64,
            zone_id: zones.get(s.zone.as_str()).copied().unwrap_or(-1),
            row: s.row.clone(),
            x: s.x,
            y: s.y,
        })
        .collect()
}

#[component]
fn PlanEditor(hall: HallSummary, loaded: VersionedPlan, on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let hall_id = hall.id;
    let base = RwSignal::new(loaded.version);
    let saved_plan = RwSignal::new(loaded.plan.clone());
    let plan = RwSignal::new(loaded.plan);
    let history = StoredValue::new(History::default());
    // Bumped with the history, for the undo/redo buttons.
    let steps = RwSignal::new(0u32);
    let chosen = RwSignal::new(Selection::new());
    let active = RwSignal::new(0usize);
    let drag = RwSignal::new(None::<((f64, f64), (f64, f64))>);
    let notice: Notice = RwSignal::new(None);
    let (width, height) = plan.with_untracked(|p| (p.width.max(1), p.height.max(1)));
    let problems = Memo::new(move |_| plan.with(Plan::problems));
    let dirty = Memo::new(move |_| plan.with(|p| saved_plan.with(|s| p != s)));

    // An edit: the next plan from the current one and the chosen seats, kept for undo.
    let apply = move |f: &dyn Fn(&Plan, &Selection) -> Plan, keep_choice: bool| {
        let next = plan.with_untracked(|p| chosen.with_untracked(|s| f(p, s)));
        let recorded = history
            .try_update_value(|h| plan.with_untracked(|p| h.record(p, &next)))
            .unwrap_or(false);
        if recorded {
            if !keep_choice {
                chosen.set(Selection::new());
                active.set(0);
            }
            plan.set(next);
            steps.update(|n| *n += 1);
        }
    };
    let undo = move || {
        let previous = history
            .try_update_value(|h| plan.with_untracked(|p| h.undo(p)))
            .flatten();
        if let Some(p) = previous {
            chosen.set(Selection::new());
            active.set(0);
            plan.set(p);
            steps.update(|n| *n += 1);
        }
    };
    let redo = move || {
        let next = history
            .try_update_value(|h| plan.with_untracked(|p| h.redo(p)))
            .flatten();
        if let Some(p) = next {
            chosen.set(Selection::new());
            active.set(0);
            plan.set(p);
            steps.update(|n| *n += 1);
        }
    };
    let can_undo = move || {
        steps.track();
        history.with_value(History::can_undo)
    };
    let can_redo = move || {
        steps.track();
        history.with_value(History::can_redo)
    };

    let seats_ref = NodeRef::<leptos::svg::G>::new();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let marks_html = RwSignal::new(String::new());
    let radius = Memo::new(move |_| plan.with(seat_radius));
    let seat_positions = Memo::new(move |_| plan.with(positions));
    #[cfg(feature = "hydrate")]
    drawing::follow(plan, chosen, active, lang, seats_ref, marks_html, radius);

    let choose = move |i: usize, add: bool| {
        active.set(i);
        chosen.update(|s| {
            if add {
                if !s.remove(&i) {
                    s.insert(i);
                }
            } else {
                s.clear();
                s.insert(i);
            }
        });
    };
    let count = move || chosen.with(Selection::len);

    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(i) = seat_index(&ev) {
            choose(i, ev.shift_key() || ev.ctrl_key() || ev.meta_key());
        }
    };
    let on_dblclick = move |ev: leptos::ev::MouseEvent| {
        if let Some(i) = seat_index(&ev) {
            let rows = plan.with_untracked(|p| edit::whole_rows(p, &[i].into()));
            chosen.set(rows);
        }
    };
    let on_focus = move |ev: leptos::ev::FocusEvent| {
        if let Some(i) = seat_index(&ev) {
            active.set(i);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let ctrl = ev.ctrl_key() || ev.meta_key();
        let key = ev.key();
        // Undo and redo wherever the focus is, except in a text field (its own undo).
        if ctrl && !in_text_field(&ev) {
            match key.as_str() {
                "z" | "Z" if ev.shift_key() => {
                    ev.prevent_default();
                    redo();
                    return;
                }
                "z" | "Z" => {
                    ev.prevent_default();
                    undo();
                    return;
                }
                "y" | "Y" => {
                    ev.prevent_default();
                    redo();
                    return;
                }
                _ => {}
            }
        }
        let Some(i) = seat_index(&ev) else { return };
        let dir = match key.as_str() {
            "ArrowLeft" => Some(Direction::Left),
            "ArrowRight" => Some(Direction::Right),
            "ArrowUp" => Some(Direction::Up),
            "ArrowDown" => Some(Direction::Down),
            _ => None,
        };
        if let Some(dir) = dir {
            ev.prevent_default();
            let next = seat_positions.with_untracked(|p| neighbour(p, i as i64, dir));
            if let Some(next) = next {
                let next = next as usize;
                active.set(next);
                if ev.shift_key() {
                    chosen.update(|s| {
                        s.insert(i);
                        s.insert(next);
                    });
                }
                #[cfg(feature = "hydrate")]
                crate::ui::common::focus_selector(&format!(".plan-editor [data-i=\"{next}\"]"));
            }
            return;
        }
        match key.as_str() {
            " " | "Enter" => {
                ev.prevent_default();
                choose(i, true);
            }
            "a" | "A" if ctrl => {
                ev.prevent_default();
                let n = plan.with_untracked(|p| p.seats.len());
                chosen.set((0..n).collect());
            }
            "Escape" => chosen.set(Selection::new()),
            "Delete" | "Backspace" => {
                ev.prevent_default();
                apply(&edit::delete, false);
            }
            _ => {}
        }
    };
    // A rectangle dragged on the map's background chooses the seats inside it.
    let to_map = move |x: f64, y: f64| -> Option<(f64, f64)> {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let svg = svg_ref.get()?;
            let el: &web_sys::Element = svg.unchecked_ref();
            let rect = el.get_bounding_client_rect();
            if rect.width() <= 0.0 || rect.height() <= 0.0 {
                return None;
            }
            Some((
                (x - rect.left()) / rect.width() * width as f64,
                (y - rect.top()) / rect.height() * height as f64,
            ))
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (x, y, svg_ref, width, height);
            None
        }
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if seat_index(&ev).is_some() || ev.button() != 0 {
            return;
        }
        if let Some(p) = to_map(ev.client_x() as f64, ev.client_y() as f64) {
            drag.set(Some((p, p)));
            #[cfg(feature = "hydrate")]
            if let Some(svg) = svg_ref.get_untracked() {
                use wasm_bindgen::JsCast;
                let el: &web_sys::Element = svg.unchecked_ref();
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
        }
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        if drag.with_untracked(Option::is_none) {
            return;
        }
        if let Some(p) = to_map(ev.client_x() as f64, ev.client_y() as f64) {
            drag.update(|d| {
                if let Some((_, end)) = d {
                    *end = p;
                }
            });
        }
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        let Some((a, b)) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        // A click on the background (no drag) lets go of the choice.
        let inside = plan.with_untracked(|p| edit::in_rect(p, a, b));
        chosen.update(|s| {
            if !ev.shift_key() {
                s.clear();
            }
            s.extend(inside);
        });
    };
    let marquee = move || {
        drag.get().map(|((x0, y0), (x1, y1))| {
            view! {
                <rect class="marquee" x=num(x0.min(x1)) y=num(y0.min(y1))
                    width=num((x1 - x0).abs()) height=num((y1 - y0).abs())></rect>
            }
        })
    };

    // The toolbar's fields.
    let category = RwSignal::new(String::new());
    let flag = RwSignal::new("accessible".to_string());
    let reason = RwSignal::new("house".to_string());
    let first = RwSignal::new(1i64);
    let step = RwSignal::new(1i64);
    let right_to_left = RwSignal::new(false);
    let new_row = RwSignal::new(String::new());
    let flag_of = move || match flag.get_untracked().as_str() {
        "companion" => Flag::Companion,
        "restricted" => Flag::RestrictedView,
        _ => Flag::Accessible,
    };

    let save = move |_| {
        let body = plan.with_untracked(serde_json::to_string);
        let Ok(body) = body else { return };
        let url = format!(
            "/api/v1/admin/halls/{hall_id}/seatmap?base={}",
            base.get_untracked()
        );
        spawn_local(async move {
            #[cfg(feature = "hydrate")]
            {
                let result: Result<crate::admin::SeatmapSaved, AppError> =
                    crate::ui::common::api_request(
                        "PUT",
                        &url,
                        &wasm_bindgen::JsValue::from_str(&body),
                        Some("application/json"),
                    )
                    .await;
                use super::programme::said;
                use crate::ui::common::Msg;
                let result = result.map(|s| {
                    base.set(s.version);
                    saved_plan.set(plan.get_untracked());
                    Msg::new(
                        format!("Version {} enregistrée : {} places.", s.version, s.seats),
                        format!("Version {} saved: {} seats.", s.version, s.seats),
                    )
                });
                said(notice, result);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (url, body);
        });
    };

    let title = format!("{} – {}", hall.venue, hall.name);
    view! {
        <div class="plan-editor" on:keydown=on_key>
            <h4>{t("Plan de ", "Map of ")}{title}" "
                <span class="plan-version">{move || match lang.get() {
                    Lang::Fr => format!("(d’après la version {})", base.get()),
                    Lang::En => format!("(from version {})", base.get()),
                }}</span>
            </h4>
            <p class="hint">{t(
                "Cliquez une place pour la choisir (Maj ou Ctrl : ajouter), tirez un rectangle sur le plan, double-cliquez pour tout le rang. Clavier : flèches, Espace pour choisir, Maj+flèches pour étendre, Ctrl+A, Échap, Suppr, Ctrl+Z / Ctrl+Y.",
                "Click a seat to choose it (Shift or Ctrl: add), drag a rectangle on the map, double-click for the whole row. Keyboard: arrows, Space to choose, Shift+arrows to extend, Ctrl+A, Esc, Delete, Ctrl+Z / Ctrl+Y.",
            )}</p>
            <NoticeLine notice/>
            <div class="editor-layout">
                <div class="editor-map seatmap-scroll">
                    <svg class="seatmap plan-map" xmlns="http://www.w3.org/2000/svg" node_ref=svg_ref
                        viewBox=format!("0 0 {width} {height}") role="group"
                        aria-label=t("Plan à modifier", "Map being edited")
                        on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up>
                        <defs>
                            <pattern id="editor-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
                                <rect width="6" height="6" fill="#d4d4d4"></rect>
                                <line x1="0" y1="0" x2="0" y2="6" stroke="#6b6b6b" stroke-width="2.5"></line>
                            </pattern>
                        </defs>
                        {move || plan.with(|p| {
                            let s = p.stage.clone();
                            view! {
                                <g class="stage" aria-hidden="true">
                                    <rect x=s.x y=s.y width=s.w height=s.h rx="6"></rect>
                                    <text x=num(s.x as f64 + s.w as f64 / 2.0) y=num(s.y as f64 + s.h as f64 / 2.0)
                                        text-anchor="middle" dominant-baseline="central">{s.label}</text>
                                </g>
                            }
                        })}
                        <g class="row-labels" aria-hidden="true">
                            {move || {
                                let r = radius.get();
                                plan.with(|p| row_labels(p, r)).into_iter().map(|(x, y, anchor, row)| view! {
                                    <text x=num(x) y=num(y) text-anchor=anchor dominant-baseline="central" font-size=num(r * 1.1)>{row}</text>
                                }).collect_view()
                            }}
                        </g>
                        <g class="eseats" node_ref=seats_ref on:click=on_click on:dblclick=on_dblclick on:focusin=on_focus></g>
                        <g class="emarks" aria-hidden="true" inner_html=move || marks_html.get()></g>
                        {marquee}
                    </svg>
                </div>
                <div class="editor-tools">
                    <p class="editor-count" role="status">{move || match lang.get() {
                        Lang::Fr => format!("{} place(s) choisie(s) sur {}.", count(), plan.with(|p| p.seats.len())),
                        Lang::En => format!("{} of {} seat(s) chosen.", count(), plan.with(|p| p.seats.len())),
                    }}</p>
                    <div class="button-row">
                        <button type="button" class="button button-secondary" on:click=move |_| {
                            let n = plan.with_untracked(|p| p.seats.len());
                            chosen.set((0..n).collect());
                        }>{t("Tout", "All")}</button>
                        <button type="button" class="button button-secondary" on:click=move |_| {
                            let rows = plan.with_untracked(|p| chosen.with_untracked(|s| edit::whole_rows(p, s)));
                            chosen.set(rows);
                        }>{t("Rangs entiers", "Whole rows")}</button>
                        <button type="button" class="button button-secondary" on:click=move |_| chosen.set(Selection::new())>{t("Aucune", "None")}</button>
                    </div>
                    <fieldset>
                        <legend>{t("Catégorie", "Category")}</legend>
                        <select id="editor-category" aria-label=t("Catégorie", "Category") on:change=move |ev| category.set(event_target_value(&ev))>
                            <option value="">{t("— choisir —", "— choose —")}</option>
                            {move || plan.with(|p| p.categories.iter().map(|c| {
                                let l = c.label.clone();
                                view! { <option value=l.clone()>{l.clone()}</option> }
                            }).collect_view())}
                        </select>
                        <button type="button" class="button" on:click=move |_| {
                            let c = category.get_untracked();
                            if !c.is_empty() {
                                apply(&move |p, s| edit::set_category(p, s, &c), true);
                            }
                        }>{t("Appliquer", "Apply")}</button>
                    </fieldset>
                    <fieldset>
                        <legend>{t("Marque", "Mark")}</legend>
                        <select id="editor-flag" aria-label=t("Marque", "Mark") on:change=move |ev| flag.set(event_target_value(&ev))>
                            <option value="accessible">{t("Fauteuil roulant", "Wheelchair space")}</option>
                            <option value="companion">{t("Accompagnateur", "Companion seat")}</option>
                            <option value="restricted">{t("Visibilité réduite", "Restricted view")}</option>
                        </select>
                        <button type="button" class="button" on:click=move |_| { let f = flag_of(); apply(&move |p, s| edit::set_flag(p, s, f, true), true) }>{t("Marquer", "Mark")}</button>
                        <button type="button" class="button button-secondary" on:click=move |_| { let f = flag_of(); apply(&move |p, s| edit::set_flag(p, s, f, false), true) }>{t("Retirer", "Unmark")}</button>
                    </fieldset>
                    <fieldset>
                        <legend>{t("Blocage", "Blocking")}</legend>
                        <select id="editor-reason" aria-label=t("Motif", "Reason") on:change=move |ev| reason.set(event_target_value(&ev))>
                            {BlockReason::ALL.into_iter().map(|r| view! {
                                <option value=r.code()>{move || reason_label(lang.get(), r)}</option>
                            }).collect_view()}
                        </select>
                        <button type="button" class="button" on:click=move |_| {
                            let r = BlockReason::parse(&reason.get_untracked());
                            apply(&move |p, s| edit::block(p, s, r), true);
                        }>{t("Bloquer", "Block")}</button>
                        <button type="button" class="button button-secondary" on:click=move |_| apply(&|p, s| edit::block(p, s, None), true)>
                            {t("Remettre en vente", "Back on sale")}
                        </button>
                    </fieldset>
                    <fieldset>
                        <legend>{t("Numérotation", "Numbering")}</legend>
                        <label for="editor-first">{t("Premier numéro", "First number")}</label>
                        <input id="editor-first" type="number" min="1" prop:value=move || first.get().to_string()
                            on:input=move |ev| first.set(event_target_value(&ev).parse().unwrap_or(1))/>
                        <label for="editor-step">{t("Pas", "Step")}</label>
                        <select id="editor-step" on:change=move |ev| step.set(event_target_value(&ev).parse().unwrap_or(1))>
                            <option value="1">"1"</option>
                            <option value="2">{t("2 (pairs ou impairs)", "2 (odd or even)")}</option>
                        </select>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || right_to_left.get() on:change=move |ev| right_to_left.set(event_target_checked(&ev))/>
                            {t("de droite à gauche", "right to left")}
                        </label>
                        <label for="editor-row">{t("Nouveau nom de rang (facultatif)", "New row name (optional)")}</label>
                        <input id="editor-row" type="text" maxlength="10" prop:value=move || new_row.get() on:input=move |ev| new_row.set(event_target_value(&ev))/>
                        <button type="button" class="button" on:click=move |_| {
                            let how = Renumbering {
                                first: first.get_untracked().max(1),
                                step: step.get_untracked(),
                                direction: if right_to_left.get_untracked() { edit::Direction::RightToLeft } else { edit::Direction::LeftToRight },
                                row: Some(new_row.get_untracked()),
                            };
                            apply(&move |p, s| edit::renumber(p, s, &how), true);
                        }>{t("Renuméroter", "Renumber")}</button>
                    </fieldset>
                    <div class="button-row">
                        <button type="button" class="button button-secondary" on:click=move |_| apply(&edit::delete, false)>{t("Supprimer", "Delete")}</button>
                        <button type="button" class="button button-secondary" disabled=move || !can_undo() on:click=move |_| undo()>{t("Annuler", "Undo")}</button>
                        <button type="button" class="button button-secondary" disabled=move || !can_redo() on:click=move |_| redo()>{t("Rétablir", "Redo")}</button>
                    </div>
                    <div class="editor-problems" aria-live="polite">
                        {move || {
                            let list = problems.get();
                            if list.is_empty() {
                                view! { <p class="editor-ok">{t("Aucun problème.", "No problem.")}</p> }.into_any()
                            } else {
                                let l = lang.get();
                                let n = list.len();
                                view! {
                                    <p class="alert alert-error">{match l {
                                        Lang::Fr => format!("{n} problème(s) à corriger avant d’enregistrer :"),
                                        Lang::En => format!("{n} problem(s) to fix before saving:"),
                                    }}</p>
                                    <ul class="editor-problem-list">
                                        {list.iter().take(10).map(|p| view! { <li>{match l { Lang::Fr => p.fr(), Lang::En => p.en() }}</li> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }
                        }}
                    </div>
                    <div class="button-row">
                        <button type="button" class="button button-primary"
                            disabled=move || !problems.with(Vec::is_empty) || !dirty.get()
                            on:click=save>{t("Enregistrer une nouvelle version", "Save a new version")}</button>
                        <button type="button" class="button button-secondary" on:click=move |_| on_close.run(())>{t("Fermer", "Close")}</button>
                    </div>
                    <p class="hint">{t(
                        "Les séances déjà créées gardent leur version : aucune place vendue ou réservée ne bouge.",
                        "Performances already created keep their version: no sold or held seat moves.",
                    )}</p>
                </div>
            </div>
        </div>
    }
    .into_any()
}

/// The editor's seat an event happened on (its element carries `data-i`).
fn seat_index(ev: &leptos::ev::Event) -> Option<usize> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let el: web_sys::Element = ev.target()?.dyn_into().ok()?;
        let seat = el.closest("[data-i]").ok()??;
        seat.get_attribute("data-i")?.parse().ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

fn in_text_field(ev: &leptos::ev::Event) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// Drawing in the browser: the seats again after an edit; after a change of the chosen seats
/// or of focus, only the attributes of the seats that changed.
#[cfg(feature = "hydrate")]
mod drawing {
    use super::*;
    use wasm_bindgen::JsCast;

    pub fn follow(
        plan: RwSignal<Plan>,
        chosen: RwSignal<Selection>,
        active: RwSignal<usize>,
        lang: RwSignal<Lang>,
        seats: NodeRef<leptos::svg::G>,
        marks: RwSignal<String>,
        radius: Memo<f64>,
    ) {
        let elements: StoredValue<Vec<web_sys::Element>, LocalStorage> =
            StoredValue::new_local(Vec::new());
        let shown: StoredValue<Vec<Look>, LocalStorage> = StoredValue::new_local(Vec::new());
        let look = move |i: usize| Look {
            chosen: chosen.with_untracked(|s| s.contains(&i)),
            tab_stop: active.get_untracked() == i,
        };
        // After an edit (or a change of language): everything, from the plan.
        Effect::new(move |_| {
            let Some(group) = seats.get() else { return };
            let group: &web_sys::Element = group.unchecked_ref();
            let l = lang.get();
            let r = radius.get();
            let (svg, marks_svg) = plan.with(|p| plan_svg(p, l, r, look));
            // The keyboard user's focus stays on the map across an edit (Delete, Ctrl+Z).
            let had_focus = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|el| group.contains(Some(&el)));
            group.set_inner_html(&svg);
            marks.set(marks_svg);
            let children = group.children();
            let mut found = Vec::with_capacity(children.length() as usize);
            for i in 0..children.length() {
                if let Some(el) = children.item(i) {
                    found.push(el);
                }
            }
            let n = found.len();
            if had_focus {
                let i = active.get_untracked().min(n.saturating_sub(1));
                if let Some(el) = found
                    .get(i)
                    .and_then(|e| e.dyn_ref::<web_sys::SvgElement>())
                {
                    let _ = el.focus();
                }
            }
            elements.set_value(found);
            shown.set_value((0..n).map(look).collect());
        });
        // After a change of the chosen seats or of focus: the seats whose look changed.
        Effect::new(move |_| {
            chosen.track();
            active.track();
            elements.with_value(|els| {
                shown.update_value(|shown| {
                    plan.with_untracked(|p| {
                        for (i, el) in els.iter().enumerate() {
                            let now = look(i);
                            if shown.get(i) == Some(&now) {
                                continue;
                            }
                            let Some(seat) = p.seats.get(i) else { continue };
                            if let Some(slot) = shown.get_mut(i) {
                                *slot = now;
                            }
                            let _ = el.set_attribute("class", &seat_class(seat, now));
                            let _ = el.set_attribute("aria-checked", &now.chosen.to_string());
                            let _ =
                                el.set_attribute("tabindex", if now.tab_stop { "0" } else { "-1" });
                        }
                    });
                });
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::{PlanCategory, PlanSeat, PlanStage};

    fn plan() -> Plan {
        let seat = |n: i64, x: i64| PlanSeat {
            zone: "Orchestre".into(),
            category: "Catégorie 1".into(),
            row: "A".into(),
            number: n,
            x,
            y: 100,
            accessible: n == 2,
            companion: false,
            restricted_view: false,
            blocked: n == 3,
            block_reason: (n == 3).then_some(BlockReason::Press),
        };
        Plan {
            width: 300,
            height: 200,
            stage: PlanStage {
                x: 0,
                y: 0,
                w: 300,
                h: 30,
                label: "Scène".into(),
            },
            zones: vec!["Orchestre".into()],
            categories: vec![PlanCategory {
                label: "Catégorie 1".into(),
                color: "#1f6feb".into(),
            }],
            seats: vec![seat(1, 50), seat(2, 80), seat(3, 110)],
        }
    }

    #[test]
    fn the_editor_draws_each_seat_with_its_state_and_name() {
        let p = plan();
        let (svg, marks) = plan_svg(&p, Lang::Fr, 10.0, |i| Look {
            chosen: i == 0,
            tab_stop: i == 0,
        });
        assert_eq!(svg.matches("role=\"checkbox\"").count(), 3);
        assert!(svg.contains(r##"data-i="0" class="eseat chosen" fill="#1f6feb" role="checkbox" aria-checked="true" tabindex="0""##), "{svg}");
        assert!(svg.contains("<rect"), "the wheelchair place is square");
        assert!(svg.contains("Orchestre, rang A, place 3 — Catégorie 1, bloquée (presse)"));
        assert_eq!(marks.matches("<text").count(), 2);
        assert_eq!(row_labels(&p, 10.0).len(), 2);
        assert!((seat_radius(&p) - 12.6).abs() < 1e-9);
    }
}

//! Step 1: seats on the map (or "best seats"), or a number of places in general admission.
use super::places::seat_aria_label;
use super::seatmap::{SeatLegend, SeatMapView};
use super::state::Booking;
use crate::i18n::Lang;
use crate::ui::common::{use_hydrated, use_lang};
use leptos::prelude::*;

/// Step 1: seats on the map, or a number of places.
#[component]
pub fn SelectionStep(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let heading = if booking.seated {
        t("Choisissez vos places", "Choose your seats")
    } else {
        t("Nombre de places", "Number of places")
    };
    // Until the page is interactive (or without JavaScript), say why nothing can be chosen yet.
    let hydrated = use_hydrated();
    view! {
        <section class="step step-seats" aria-labelledby="seats-title">
            <h2 id="seats-title" tabindex="-1">{heading}</h2>
            <Show when=move || !hydrated.get() && booking.sale_open>
                <p class="hint js-hint">
                    {t(
                        "La réservation en ligne sera possible une fois la page entièrement chargée (JavaScript nécessaire).",
                        "Online booking will be available once the page has fully loaded (JavaScript required).",
                    )}
                </p>
            </Show>
            <p class="availability" data-available=move || booking.live.available.get()>
                {move || lang.get().places_left(booking.live.available.get())}
            </p>
            {if booking.seated {
                view! {
                    <SeatLegend booking/>
                    <SeatMapView booking/>
                    <SelectionSummary booking/>
                }
                    .into_any()
            } else {
                view! { <QuantityPicker booking/> }.into_any()
            }}
            <div class="live-region" role="status" aria-live="polite">
                {move || booking.feedback.notice.get().map(|m| view! { <p class="notice">{move || m.get(lang.get())}</p> })}
            </div>
            <div class="alert-region" role="alert">
                {move || {
                    booking
                        .feedback.alert
                        .get()
                        .map(|m| view! { <p class="alert alert-error">{move || m.get(lang.get())}</p> })
                }}
            </div>
        </section>
    }
    .into_any()
}

/// The chosen seats and the "Réserver ces places" button.
#[component]
fn SelectionSummary(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let count = move || booking.pick.selection.with(Vec::len) as i64;
    let held = move || booking.held.hold.with(Option::is_some);
    view! {
        <div class="selection-summary" aria-labelledby="selection-title">
            <h3 id="selection-title">{t("Votre sélection", "Your selection")}</h3>
            <p class="selection-count">
                {move || {
                    let n = count();
                    match (lang.get(), n) {
                        (Lang::Fr, 0) => {
                            format!("Aucune place sélectionnée (au plus {} par commande).", booking.max)
                        }
                        (Lang::Fr, 1) => "1 place sélectionnée.".to_string(),
                        (Lang::Fr, n) => format!("{n} places sélectionnées."),
                        (Lang::En, 0) => format!("No seat selected (at most {} per order).", booking.max),
                        (Lang::En, 1) => "1 seat selected.".to_string(),
                        (Lang::En, n) => format!("{n} seats selected."),
                    }
                }}
            </p>
            <ul class="selection-list">
                {move || {
                    let l = lang.get();
                    booking
                        .pick.selection
                        .get()
                        .into_iter()
                        .map(|id| {
                            let label = booking.map.with_value(|m| seat_aria_label(l, m, id));
                            let remove_label = format!("{} {}", l.pick("Retirer", "Remove"), label);
                            view! {
                                <li>
                                    <span>{label}</span>
                                    <Show when=move || !held()>
                                        <button
                                            type="button"
                                            class="link-button"
                                            aria-label=remove_label.clone()
                                            on:click=move |_| booking.toggle(id)
                                        >
                                            {l.pick("Retirer", "Remove")}
                                        </button>
                                    </Show>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Show when=move || !held() && booking.sale_open>
                <button
                    type="button"
                    class="button button-primary"
                    id="reserve-button"
                    disabled=move || booking.feedback.busy.get()
                    on:click=move |_| booking.reserve(false)
                >
                    {t("Réserver ces places", "Hold these seats")}
                </button>
            </Show>
            <Show when=move || !held() && booking.sale_open && count() == 0>
                <BestSeats booking/>
            </Show>
        </div>
    }
    .into_any()
}

/// Seated performances: "let us choose" — the server holds the best adjacent seats.
#[component]
fn BestSeats(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let options = move || {
        let top = booking.max.min(booking.live.available.get()).max(1);
        (1..=top)
            .map(|n| {
                view! {
                    <option value=n.to_string() selected=move || booking.pick.quantity.get() == n>
                        {n}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="best-seats">
            <p class="hint">
                {t(
                    "Ou laissez-nous choisir les meilleures places côte à côte :",
                    "Or let us pick the best seats side by side:",
                )}
            </p>
            <div class="best-seats-row">
                <div class="field">
                    <label for="best-quantity">{t("Nombre de places", "Number of seats")}</label>
                    <select
                        id="best-quantity"
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<i64>() {
                                booking.pick.quantity.set(n);
                            }
                        }
                        prop:value=move || booking.pick.quantity.get().to_string()
                    >
                        {options}
                    </select>
                </div>
                <button
                    type="button"
                    class="button button-secondary"
                    id="best-seats-button"
                    disabled=move || booking.feedback.busy.get()
                    on:click=move |_| booking.reserve(true)
                >
                    {t("Meilleures places", "Best seats")}
                </button>
            </div>
        </div>
    }
    .into_any()
}

/// General admission: how many places.
#[component]
fn QuantityPicker(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let held = move || booking.held.hold.with(Option::is_some);
    let options = move || {
        let top = booking.max.min(booking.live.available.get()).max(1);
        (1..=top)
            .map(|n| view! { <option value=n.to_string() selected=move || booking.pick.quantity.get() == n>{n}</option> })
            .collect_view()
    };
    view! {
        <div class="quantity-picker">
            <div class="field">
                <label for="quantity">{t("Nombre de places", "Number of places")}</label>
                <select
                    id="quantity"
                    name="quantity"
                    disabled=move || { held() || !booking.sale_open || booking.live.available.get() <= 0 }
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<i64>() {
                            booking.pick.quantity.set(n);
                        }
                    }
                    prop:value=move || booking.pick.quantity.get().to_string()
                >
                    {options}
                </select>
                <p class="hint">
                    {move || match lang.get() {
                        Lang::Fr => format!("Placement libre : au plus {} places par commande.", booking.max),
                        Lang::En => format!("Unreserved seating: at most {} places per order.", booking.max),
                    }}
                </p>
            </div>
            <Show when=move || { !held() && booking.sale_open && booking.live.available.get() > 0 }>
                <button
                    type="button"
                    class="button button-primary"
                    id="reserve-button"
                    disabled=move || booking.feedback.busy.get()
                    on:click=move |_| booking.reserve(false)
                >
                    {t("Réserver", "Book")}
                </button>
            </Show>
        </div>
    }
    .into_any()
}

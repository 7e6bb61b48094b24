//! Step 1: seats on the map (or "best seats"), or a number of places in general admission.
use super::places::seat_aria_label;
use super::places::tariff_conditions;
use super::seatmap::{SeatLegend, SeatMapView};
use super::state::Booking;
use crate::dto::Tariff;
use crate::i18n::Lang;
use crate::ui::common::{use_hydrated, use_lang};
use crate::ui::legal::BOX_OFFICE_PHONE;
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
                        "La réservation en ligne sera possible une fois la page entièrement chargée (JavaScript nécessaire). Sans JavaScript, réservez au guichet ou par téléphone au ",
                        "Online booking will be available once the page has fully loaded (JavaScript required). Without JavaScript, book at the box office or by phone on ",
                    )}
                    <a href=format!("tel:{}", BOX_OFFICE_PHONE.1)>{BOX_OFFICE_PHONE.0}</a>
                    " ("
                    <a href="/contact">{t("horaires", "opening hours")}</a>
                    ")."
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
                view! { <TariffCounters booking/> }.into_any()
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

/// The chosen seats, each with "Retirer" (the basket bar holds the count, the total and
/// "Réserver ces places"). Once they are held, the checkout lists them with their tariffs.
#[component]
fn SelectionSummary(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let count = move || booking.pick.selection.with(Vec::len) as i64;
    let held = move || booking.held.hold.with(Option::is_some);
    view! {
        <div class="selection-summary">
            <Show when=move || { !held() && count() > 0 }>
                <h3 id="selection-title">{t("Votre sélection", "Your selection")}</h3>
                <ul class="selection-list" aria-labelledby="selection-title">
                    {move || {
                        let l = lang.get();
                        booking
                            .pick
                            .selection
                            .get()
                            .into_iter()
                            .map(|id| {
                                let label = booking.map.with_value(|m| seat_aria_label(l, m, id));
                                let remove_label = format!("{} {}", l.pick("Retirer", "Remove"), label);
                                view! {
                                    <li>
                                        <span>{label}</span>
                                        <button
                                            type="button"
                                            class="link-button"
                                            aria-label=remove_label
                                            on:click=move |_| booking.toggle(id)
                                        >
                                            {l.pick("Retirer", "Remove")}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
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

/// General admission: how many places at each tariff, with its price and who qualifies.
#[component]
fn TariffCounters(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let held = move || booking.held.hold.with(Option::is_some);
    let tariffs = booking.map.with_value(|m| m.tariffs.clone());
    let limit = move || booking.max.min(booking.live.available.get()).max(0);
    let locked = move || held() || !booking.sale_open || limit() <= 0;
    let count = move |i: usize| booking.pick.counts.with(|c| c.get(i).copied().unwrap_or(0));
    let counted = move || booking.pick.counts.with(|c| c.iter().sum::<i64>());
    let bump = move |i: usize, delta: i64| {
        let max = limit();
        booking
            .pick
            .counts
            .update(|c| *c = crate::domain::recap::bump(c, i, delta, max));
    };
    // "−" or "+" on tariff `i`'s counter.
    let step = move |i: usize, delta: i64, tariff: Tariff| {
        let (class, symbol, what) = if delta < 0 {
            (
                "counter-less",
                "−",
                ("Une place de moins", "One place fewer"),
            )
        } else {
            ("counter-more", "+", ("Une place de plus", "One place more"))
        };
        let stuck = move || {
            if delta < 0 {
                count(i) == 0
            } else {
                counted() >= limit()
            }
        };
        view! {
            <button
                type="button"
                class=format!("button button-small button-secondary {class}")
                aria-label=move || {
                    let l = lang.get();
                    format!("{} – {}", l.pick(what.0, what.1), l.tariff_label(&tariff))
                }
                disabled=move || locked() || stuck()
                on:click=move |_| bump(i, delta)
            >
                {symbol}
            </button>
        }
    };
    view! {
        <div class="tariff-counters" role="group" aria-labelledby="seats-title">
            <ul class="counter-list">
                {tariffs
                    .into_iter()
                    .enumerate()
                    .map(|(i, tariff)| {
                        let id = format!("count-{}", tariff.code);
                        let named = tariff.clone();
                        let who = tariff.clone();
                        let price = tariff.price_cents;
                        view! {
                            <li class="counter-row" data-tariff=tariff.code.clone()>
                                <div class="counter-what">
                                    <span class="counter-name" id=id.clone()>
                                        {move || lang.get().tariff_label(&named)}
                                    </span>
                                    " "
                                    <span class="counter-price">{move || lang.get().price(price)}</span>
                                    <span class="hint">{move || tariff_conditions(lang.get(), &who)}</span>
                                </div>
                                <div class="counter-buttons">
                                    {step(i, -1, tariff.clone())}
                                    <output class="counter-value" aria-live="polite" aria-labelledby=id.clone()>
                                        {move || count(i)}
                                    </output>
                                    {step(i, 1, tariff.clone())}
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="hint">
                {move || match lang.get() {
                    Lang::Fr => format!("Placement libre\u{202f}: au plus {} places par commande.", booking.max),
                    Lang::En => format!("Unreserved seating: at most {} places per order.", booking.max),
                }}
            </p>
        </div>
    }
    .into_any()
}

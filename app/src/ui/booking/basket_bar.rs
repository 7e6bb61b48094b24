//! The basket bar, kept on screen at the bottom of the booking (phone and desktop): the places
//! chosen or held, line by line by tariff, the total, and the step's main action — "Réserver
//! ces places", then the countdown with "Libérer".
use super::state::Booking;
use crate::domain::hold::countdown;
use crate::domain::recap::{places, total_cents};
use crate::i18n::Lang;
use crate::ui::common::use_lang;
use leptos::prelude::*;

#[component]
pub fn BasketBar(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let held = move || booking.held.hold.with(Option::is_some);
    let ordered = move || booking.held.order.with(Option::is_some);
    let lines = Memo::new(move |_| booking.recap());
    let count = move || lines.with(|l| places(l));
    let count_text = move || {
        let n = count();
        match (lang.get(), n, booking.seated) {
            (Lang::Fr, 0, true) => format!(
                "Aucune place choisie (au plus {} par commande)",
                booking.max
            ),
            (Lang::Fr, 0, false) => format!("Aucune place (au plus {} par commande)", booking.max),
            (Lang::Fr, 1, _) => "1 place".to_string(),
            (Lang::Fr, n, _) => format!("{n} places"),
            (Lang::En, 0, true) => format!("No seat chosen (at most {} per order)", booking.max),
            (Lang::En, 0, false) => format!("No place (at most {} per order)", booking.max),
            (Lang::En, 1, true) => "1 seat".to_string(),
            (Lang::En, 1, false) => "1 place".to_string(),
            (Lang::En, n, true) => format!("{n} seats"),
            (Lang::En, n, false) => format!("{n} places"),
        }
    };
    let timer = move || {
        let left = countdown(booking.seconds_left().unwrap_or(0));
        match lang.get() {
            Lang::Fr => format!("Places réservées pour vous – temps restant\u{202f}: {left}"),
            Lang::En => format!("Places held for you – time left: {left}"),
        }
    };
    let recap = move || {
        let l = lang.get();
        lines
            .get()
            .into_iter()
            .map(|line| {
                let name = booking
                    .tariff(&line.code)
                    .map(|t| l.tariff_label(&t))
                    .unwrap_or_else(|| line.code.clone());
                view! {
                    <li data-tariff=line.code.clone()>
                        {format!("{}\u{a0}× {name} {}", line.count, l.price(line.unit_cents))}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || booking.sale_open || held()>
            <div class="basket-bar" role="region" aria-label=move || lang.get().pick("Votre panier", "Your basket")>
                <div class="basket-summary">
                    <p class="basket-count">{count_text}</p>
                    <ul class="basket-lines">{recap}</ul>
                    <Show when=move || { count() > 0 }>
                        <p class="basket-total">
                            {move || lang.get().pick("Total\u{202f}: ", "Total: ")}
                            <strong data-total-cents=move || lines.with(|l| total_cents(l))>
                                {move || lang.get().amount(lines.with(|l| total_cents(l)))}
                            </strong>
                        </p>
                    </Show>
                </div>
                <Show when=held>
                    <p class="countdown" role="timer" aria-live="off">{timer}</p>
                </Show>
                <div class="basket-actions">
                    <Show when=move || !held()>
                        <button
                            type="button"
                            class="button button-primary"
                            id="reserve-button"
                            disabled=move || booking.feedback.busy.get()
                            on:click=move |_| booking.reserve(false)
                        >
                            {move || {
                                if booking.seated {
                                    lang.get().pick("Réserver ces places", "Hold these seats")
                                } else {
                                    lang.get().pick("Réserver", "Book")
                                }
                            }}
                        </button>
                    </Show>
                    <Show when=move || held() && !ordered()>
                        <button
                            type="button"
                            class="button button-secondary"
                            id="release-button"
                            disabled=move || booking.feedback.busy.get()
                            on:click=move |_| booking.release()
                        >
                            {move || lang.get().pick("Libérer", "Release")}
                            <span class="sr-only">
                                {move || lang.get().pick(" mes places", " my places")}
                            </span>
                        </button>
                    </Show>
                </div>
            </div>
        </Show>
    }
    .into_any()
}

//! The countdown while places are held, with "Libérer".
use super::state::Booking;
use crate::domain::hold::countdown;
use crate::i18n::Lang;
use crate::ui::common::use_lang;
use leptos::prelude::*;

/// Countdown while places are held, with "Libérer".
#[component]
pub fn HoldBar(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        let left = countdown(booking.seconds_left().unwrap_or(0));
        match lang.get() {
            Lang::Fr => format!("Places réservées pour vous – temps restant\u{202f}: {left}"),
            Lang::En => format!("Places held for you – time left: {left}"),
        }
    };
    view! {
        <div class="hold-bar">
            <p class="countdown" role="timer" aria-live="off">
                {text}
            </p>
            <Show when=move || booking.held.order.with(Option::is_none)>
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
    }
    .into_any()
}

//! `/seances/:id`: seat map (or quantity for general admission), hold with countdown, checkout
//! and the sandbox payment. The steps share `state::Booking`; each step is its own module.
mod basket_bar;
mod checkout;
mod pan_zoom;
pub(crate) mod places;
#[cfg(feature = "hydrate")]
mod push;
pub(crate) mod seatmap;
mod selection;
pub(crate) mod state;
mod zoom;

use crate::api::get_seatmap;
use crate::domain::sale_window::SaleState;
use crate::dto::SeatMap;
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::ui::common::{use_lang, ErrorBox, Loading};
use crate::ui::NotFound;
use basket_bar::BasketBar;
use checkout::{CheckoutForm, PaymentPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use selection::SelectionStep;
use state::{start_timers, Booking};

#[component]
pub fn PerformancePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("id").and_then(|s| s.parse::<i64>().ok()));
    let seatmap = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_seatmap(id).await,
                None => Err(crate::AppError::not_found("séance introuvable")),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match seatmap.await {
                    Ok(map) => view! { <PerformanceView map=map.0/> }.into_any(),
                    Err(err) if err.error == ErrorCode::NotFound => view! { <NotFound/> }.into_any(),
                    Err(err) => view! { <ErrorBox err/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn PerformanceView(map: SeatMap) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let perf = map.performance.clone();
    let prices = crate::domain::event_data::price_range(&map);
    let json_ld = crate::domain::event_data::json_ld(&map, &format!("/seances/{}", perf.id));
    let booking = Booking::new(map);
    start_timers(booking);

    let ts = perf.starts_at.0;
    let title = perf.title.clone();
    let kind = perf.kind;
    let place = if perf.venue.is_empty() {
        perf.hall.clone()
    } else {
        format!("{} – {}", perf.hall, perf.venue)
    };
    let sale = perf.sale;
    let age = perf.age_rating.clone();
    let show_href = format!("/spectacles/{}", perf.show_id);

    view! {
        <Title text={
            let title = title.clone();
            move || format!("{title} – {}", lang.get().datetime(ts))
        }/>
        <script type="application/ld+json" inner_html=json_ld></script>
        <p class="breadcrumb">
            <a href="/">{t("← Programme", "← What's on")}</a>
        </p>
        <header class="perf-header">
            <h1>
                <a href=show_href>{title}</a>
            </h1>
            <p class="perf-when">
                <time datetime=perf.starts_at.rfc3339()>{move || lang.get().datetime(ts)}</time>
            </p>
            <p class="perf-place">{place}</p>
            {(perf.duration_min > 0)
                .then(|| {
                    let minutes = perf.duration_min;
                    view! {
                        <p class="perf-duration">
                            {move || match lang.get() {
                                Lang::Fr => format!("Durée\u{a0}: {}", duration_fr(minutes)),
                                Lang::En => format!("Running time: {}", duration_en(minutes)),
                            }}
                        </p>
                    }
                })}
            {prices
                .map(|(low, high)| {
                    view! {
                        <p class="perf-prices">
                            {move || {
                                let l = lang.get();
                                match (l, low == high) {
                                    (Lang::Fr, true) => format!("Tarif\u{a0}: {}", l.price(low)),
                                    (Lang::En, true) => format!("Price: {}", l.price(low)),
                                    (Lang::Fr, false) => format!("De {} à {}", l.amount(low).trim_end_matches("\u{a0}€"), l.amount(high)),
                                    (Lang::En, false) => format!("From {} to {}", l.amount(low), l.amount(high)),
                                }
                            }}
                        </p>
                    }
                })}
            <p class="perf-tags">
                <span class=format!("tag tag-{}", kind.as_str())>{move || lang.get().kind(kind)}</span>
                {(!age.trim().is_empty()).then(|| view! { <span class="tag tag-age">{age}</span> })}
                {(!booking.seated)
                    .then(|| {
                        view! {
                            <span class="tag tag-ga">
                                {t("Placement libre", "Unreserved seating")}
                            </span>
                        }
                    })}
            </p>
        </header>
        {(sale != SaleState::Open)
            .then(|| {
                view! {
                    <p class="alert alert-info">
                        {move || {
                            if sale == SaleState::NotYetOpen {
                                lang.get()
                                    .pick(
                                        "La vente en ligne n'est pas encore ouverte pour cette séance.",
                                        "Online sale is not open yet for this performance.",
                                    )
                            } else {
                                lang.get()
                                    .pick(
                                        "La vente en ligne est terminée pour cette séance.",
                                        "Online sale is closed for this performance.",
                                    )
                            }
                        }}
                    </p>
                }
            })}
        <div class="booking">
            <SelectionStep booking/>
            {move || {
                let hold = booking.held.hold.get()?;
                booking.held.order.with(Option::is_none).then(|| view! { <CheckoutForm booking hold/> })
            }}
            {move || booking.held.order.get().map(|order| view! { <PaymentPanel booking order/> })}
            <BasketBar booking/>
        </div>
    }
    .into_any()
}

/// "1 h 45", "45 min".
fn duration_fr(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}\u{a0}min"),
        (h, 0) => format!("{h}\u{a0}h"),
        (h, m) => format!("{h}\u{a0}h\u{a0}{m:02}"),
    }
}

/// "1 hr 45 min", "45 min".
fn duration_en(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} hr"),
        (h, m) => format!("{h} hr {m} min"),
    }
}

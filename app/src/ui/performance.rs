//! `/seances/:id`: seat map (or quantity for general admission), hold with countdown, checkout
//! and payment, all on one page.
use super::checkout::{CheckoutForm, PaymentPanel};
use super::common::{focus_later, now_ms, use_hydrated, use_lang, ErrorBox, Loading, Msg};
use super::seatmap::{seat_place, SeatLegend, SeatMapView};
use super::NotFound;
use crate::api::{create_hold, get_live_state, get_seatmap, release_hold};
use crate::domain::hold::countdown;
use crate::domain::sale_window::SaleState;
use crate::dto::{HoldRequest, HoldView, LiveState, OrderView, SeatMap, SeatStatus};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::collections::HashMap;

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
                    Ok(map) => view! { <PerformanceView map/> }.into_any(),
                    Err(err) if err.error == ErrorCode::NotFound => view! { <NotFound/> }.into_any(),
                    Err(err) => view! { <ErrorBox err/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// Everything the booking steps share. All fields are signals, so the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct Booking {
    pub map: StoredValue<SeatMap>,
    pub performance_id: i64,
    pub max: i64,
    pub seated: bool,
    pub sale_open: bool,
    pub statuses: RwSignal<HashMap<i64, SeatStatus>>,
    pub available: RwSignal<i64>,
    /// Seats chosen on the map (seated performances), in the order they were picked.
    pub selection: RwSignal<Vec<i64>>,
    /// Places wanted (general admission).
    pub quantity: RwSignal<i64>,
    pub hold: RwSignal<Option<HoldView>>,
    /// When the hold ends, on the browser clock (ms).
    pub deadline_ms: RwSignal<Option<f64>>,
    pub now_ms: RwSignal<f64>,
    pub order: RwSignal<Option<OrderView>>,
    pub busy: RwSignal<bool>,
    /// Polite announcements (selection changes).
    pub notice: RwSignal<Option<Msg>>,
    /// Problems with the selection or the hold (role="alert").
    pub alert: RwSignal<Option<Msg>>,
}

impl Booking {
    fn new(map: SeatMap) -> Booking {
        let statuses = map.seats.iter().map(|s| (s.id, s.status)).collect();
        Booking {
            performance_id: map.performance.id,
            max: map.max_seats_per_order.max(1),
            seated: map.performance.seated,
            sale_open: map.performance.sale == SaleState::Open,
            statuses: RwSignal::new(statuses),
            available: RwSignal::new(map.performance.available),
            selection: RwSignal::new(Vec::new()),
            quantity: RwSignal::new(1),
            hold: RwSignal::new(None),
            deadline_ms: RwSignal::new(None),
            now_ms: RwSignal::new(now_ms()),
            order: RwSignal::new(None),
            busy: RwSignal::new(false),
            notice: RwSignal::new(None),
            alert: RwSignal::new(None),
            map: StoredValue::new(map),
        }
    }

    pub fn status(self, seat_id: i64) -> SeatStatus {
        self.statuses
            .with(|s| s.get(&seat_id).copied().unwrap_or(SeatStatus::Blocked))
    }

    pub fn is_selected(self, seat_id: i64) -> bool {
        self.selection.with(|s| s.contains(&seat_id))
    }

    /// Seconds left on the hold (None without a hold).
    pub fn seconds_left(self) -> Option<i64> {
        let deadline = self.deadline_ms.get()?;
        Some((((deadline - self.now_ms.get()) / 1000.0).ceil() as i64).max(0))
    }

    fn place_of(self, seat_id: i64, lang: Lang) -> String {
        self.map
            .try_with_value(|m| {
                m.seats
                    .iter()
                    .find(|s| s.id == seat_id)
                    .map(|s| seat_place(lang, s))
            })
            .flatten()
            .unwrap_or_default()
    }

    fn places_msg(self, ids: &[i64]) -> Msg {
        let list = |l: Lang| {
            ids.iter()
                .map(|id| self.place_of(*id, l))
                .collect::<Vec<_>>()
                .join(" ; ")
        };
        Msg::new(list(Lang::Fr), list(Lang::En))
    }

    /// Click, tap, Enter or Space on a seat.
    pub fn toggle(self, seat_id: i64) {
        if !self.sale_open {
            return;
        }
        if self.hold.with_untracked(Option::is_some) {
            self.notice.set(Some(Msg::new(
                "Vos places sont réservées : libérez-les pour modifier la sélection.",
                "Your seats are on hold: release them to change your selection.",
            )));
            return;
        }
        let place = self.places_msg(&[seat_id]);
        if self.selection.with_untracked(|s| s.contains(&seat_id)) {
            self.selection.update(|s| s.retain(|id| *id != seat_id));
            self.notice.set(Some(Msg::new(
                format!("Place retirée : {}.", place.get(Lang::Fr)),
                format!("Seat removed: {}.", place.get(Lang::En)),
            )));
            return;
        }
        let status = self.statuses.with_untracked(|s| s.get(&seat_id).copied());
        if status != Some(SeatStatus::Free) {
            self.notice.set(Some(Msg::new(
                "Cette place n'est pas disponible.",
                "This seat is not available.",
            )));
            return;
        }
        let count = self.selection.with_untracked(Vec::len) as i64;
        if count >= self.max {
            self.alert.set(Some(Msg::new(
                format!(
                    "Vous pouvez choisir au plus {} places par commande.",
                    self.max
                ),
                format!("You can choose at most {} seats per order.", self.max),
            )));
            return;
        }
        self.alert.set(None);
        self.selection.update(|s| s.push(seat_id));
        let n = count + 1;
        self.notice.set(Some(Msg::new(
            format!(
                "Place ajoutée : {}. {} place{} sélectionnée{}.",
                place.get(Lang::Fr),
                n,
                if n > 1 { "s" } else { "" },
                if n > 1 { "s" } else { "" }
            ),
            format!("Seat added: {}. {} selected.", place.get(Lang::En), n),
        )));
    }

    /// Places a hold on the selected seats (or the chosen quantity).
    /// With `best`, a seated performance lets the server pick the best adjacent seats for
    /// `quantity` places instead of the map selection.
    pub fn reserve(self, best: bool) {
        if self.busy.get_untracked() || self.hold.with_untracked(Option::is_some) {
            return;
        }
        let request = if self.seated && !best {
            let seats = self.selection.get_untracked();
            if seats.is_empty() {
                self.alert.set(Some(Msg::new(
                    "Choisissez au moins une place.",
                    "Choose at least one seat.",
                )));
                return;
            }
            HoldRequest {
                performance_id: self.performance_id,
                seat_ids: Some(seats),
                quantity: None,
            }
        } else {
            HoldRequest {
                performance_id: self.performance_id,
                seat_ids: None,
                quantity: Some(self.quantity.get_untracked().clamp(1, self.max)),
            }
        };
        self.busy.set(true);
        self.alert.set(None);
        spawn_local(async move {
            let result = create_hold(request).await;
            let _ = self.busy.try_set(false);
            match result {
                Ok(hold) => {
                    if self.seated {
                        let _ = self.selection.try_set(hold.seat_ids.clone());
                    }
                    let _ = self
                        .deadline_ms
                        .try_set(Some(now_ms() + hold.seconds_left as f64 * 1000.0));
                    let _ = self.now_ms.try_set(now_ms());
                    let _ = self.hold.try_set(Some(hold));
                    let _ = self.notice.try_set(Some(Msg::new(
                        "Places bloquées pour vous : indiquez vos tarifs et coordonnées avant la fin du décompte.",
                        "Places held for you: choose your prices and enter your details before the countdown ends.",
                    )));
                    focus_later("#checkout-title");
                }
                Err(err) if err.error == ErrorCode::SeatsTaken => {
                    let lost = err.seat_ids.clone();
                    let _ = self.statuses.try_update(|st| {
                        for id in &lost {
                            st.insert(*id, SeatStatus::Held);
                        }
                    });
                    let _ = self
                        .selection
                        .try_update(|s| s.retain(|id| !lost.contains(id)));
                    let mut msg = Msg::from_error(&err);
                    if !lost.is_empty() {
                        let places = self.places_msg(&lost);
                        msg = Msg::new(
                            format!("{} ({})", msg.get(Lang::Fr), places.get(Lang::Fr)),
                            format!("{} ({})", msg.get(Lang::En), places.get(Lang::En)),
                        );
                    }
                    let _ = self.alert.try_set(Some(msg));
                    self.refresh();
                }
                Err(err) => {
                    let _ = self.alert.try_set(Some(Msg::from_error(&err)));
                    self.refresh();
                }
            }
        });
    }

    /// "Libérer": gives the places back.
    pub fn release(self) {
        let Some(hold) = self.hold.get_untracked() else {
            return;
        };
        self.busy.set(true);
        spawn_local(async move {
            let result = release_hold(hold.id.clone()).await;
            let _ = self.busy.try_set(false);
            match result {
                Ok(())
                | Err(crate::AppError {
                    error: ErrorCode::NotFound | ErrorCode::HoldExpired,
                    ..
                }) => {
                    self.reset();
                    let _ = self.statuses.try_update(|st| {
                        for id in &hold.seat_ids {
                            st.insert(*id, SeatStatus::Free);
                        }
                    });
                    let _ = self.notice.try_set(Some(Msg::new(
                        "Vos places ont été libérées.",
                        "Your places have been released.",
                    )));
                    self.refresh();
                }
                Err(err) => {
                    let _ = self.alert.try_set(Some(Msg::from_error(&err)));
                }
            }
        });
    }

    /// The hold ran out (countdown at zero, or the server said so).
    pub fn expire(self) {
        self.reset();
        let _ = self.alert.try_set(Some(Msg::new(
            "Délai dépassé, vos places ont été libérées.",
            "Time is up, your places have been released.",
        )));
        self.refresh();
    }

    /// Back to an empty selection, without hold or order.
    pub fn reset(self) {
        let _ = self.hold.try_set(None);
        let _ = self.deadline_ms.try_set(None);
        let _ = self.order.try_set(None);
        let _ = self.selection.try_set(Vec::new());
        let _ = self.alert.try_set(None);
    }

    /// Fetches the live seat states now.
    pub fn refresh(self) {
        let id = self.performance_id;
        spawn_local(async move {
            if let Ok(live) = get_live_state(id).await {
                self.apply_live(live);
            }
        });
    }

    /// Follows other buyers: updates seat states and drops selected seats someone else took.
    fn apply_live(self, live: LiveState) {
        let taken: HashMap<i64, SeatStatus> = live.taken.into_iter().collect();
        let Some(current) = self.statuses.try_get_untracked() else {
            return;
        };
        let next: HashMap<i64, SeatStatus> = current
            .keys()
            .map(|id| (*id, taken.get(id).copied().unwrap_or(SeatStatus::Free)))
            .collect();
        if next != current {
            let _ = self.statuses.try_set(next);
        }
        if self.available.try_get_untracked() != Some(live.available) {
            let _ = self.available.try_set(live.available);
        }
        // Seats not yet held by us, and no hold request in flight: someone else may have taken them.
        let idle = self
            .hold
            .try_with_untracked(Option::is_none)
            .unwrap_or(false)
            && !self.busy.try_get_untracked().unwrap_or(true);
        if !idle {
            return;
        }
        let lost: Vec<i64> = self
            .selection
            .try_with_untracked(|s| {
                s.iter()
                    .copied()
                    .filter(|id| taken.contains_key(id))
                    .collect()
            })
            .unwrap_or_default();
        if !lost.is_empty() {
            let _ = self
                .selection
                .try_update(|s| s.retain(|id| !lost.contains(id)));
            let places = self.places_msg(&lost);
            let _ = self.alert.try_set(Some(Msg::new(
                format!(
                    "Cette sélection a changé : place prise par quelqu'un d'autre ({}).",
                    places.get(Lang::Fr)
                ),
                format!(
                    "Your selection changed: seat taken by someone else ({}).",
                    places.get(Lang::En)
                ),
            )));
        }
    }
}

/// Polls the live state every 3 s and ticks the countdown every second (browser only).
fn start_timers(booking: Booking) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use std::time::Duration;
        let poll = set_interval_with_handle(move || booking.refresh(), Duration::from_secs(3)).ok();
        let tick = set_interval_with_handle(
            move || {
                let _ = booking.now_ms.try_set(now_ms());
                let Some(Some(deadline)) = booking.deadline_ms.try_get_untracked() else {
                    return;
                };
                let left = ((deadline - now_ms()) / 1000.0).ceil() as i64;
                if left <= 0 {
                    booking.expire();
                } else if left == 60 {
                    let _ = booking.notice.try_set(Some(Msg::new(
                        "Plus qu'une minute pour finaliser votre commande.",
                        "One minute left to complete your order.",
                    )));
                }
            },
            Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = poll {
                h.clear();
            }
            if let Some(h) = tick {
                h.clear();
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = booking;
}

#[component]
pub fn PerformanceView(map: SeatMap) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let perf = map.performance.clone();
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
        <Title text=title.clone()/>
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
            <Show when=move || booking.hold.with(Option::is_some)>
                <HoldBar booking/>
            </Show>
            {move || {
                let hold = booking.hold.get()?;
                booking.order.with(Option::is_none).then(|| view! { <CheckoutForm booking hold/> })
            }}
            {move || booking.order.get().map(|order| view! { <PaymentPanel booking order/> })}
        </div>
    }
    .into_any()
}

/// Step 1: seats on the map, or a number of places.
#[component]
fn SelectionStep(booking: Booking) -> impl IntoView {
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
            <p class="availability" data-available=move || booking.available.get()>
                {move || lang.get().places_left(booking.available.get())}
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
                {move || booking.notice.get().map(|m| view! { <p class="notice">{move || m.get(lang.get())}</p> })}
            </div>
            <div class="alert-region" role="alert">
                {move || {
                    booking
                        .alert
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
    let count = move || booking.selection.with(Vec::len) as i64;
    let held = move || booking.hold.with(Option::is_some);
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
                        .selection
                        .get()
                        .into_iter()
                        .map(|id| {
                            let label = booking.map.with_value(|m| super::seatmap::seat_aria_label(l, m, id));
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
                    disabled=move || booking.busy.get()
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
        let top = booking.max.min(booking.available.get()).max(1);
        (1..=top)
            .map(|n| {
                view! {
                    <option value=n.to_string() selected=move || booking.quantity.get() == n>
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
                                booking.quantity.set(n);
                            }
                        }
                        prop:value=move || booking.quantity.get().to_string()
                    >
                        {options}
                    </select>
                </div>
                <button
                    type="button"
                    class="button button-secondary"
                    id="best-seats-button"
                    disabled=move || booking.busy.get()
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
    let held = move || booking.hold.with(Option::is_some);
    let options = move || {
        let top = booking.max.min(booking.available.get()).max(1);
        (1..=top)
            .map(|n| view! { <option value=n.to_string() selected=move || booking.quantity.get() == n>{n}</option> })
            .collect_view()
    };
    view! {
        <div class="quantity-picker">
            <div class="field">
                <label for="quantity">{t("Nombre de places", "Number of places")}</label>
                <select
                    id="quantity"
                    name="quantity"
                    disabled=move || { held() || !booking.sale_open || booking.available.get() <= 0 }
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<i64>() {
                            booking.quantity.set(n);
                        }
                    }
                    prop:value=move || booking.quantity.get().to_string()
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
            <Show when=move || { !held() && booking.sale_open && booking.available.get() > 0 }>
                <button
                    type="button"
                    class="button button-primary"
                    id="reserve-button"
                    disabled=move || booking.busy.get()
                    on:click=move |_| booking.reserve(false)
                >
                    {t("Réserver", "Book")}
                </button>
            </Show>
        </div>
    }
    .into_any()
}

/// Countdown while places are held, with "Libérer".
#[component]
fn HoldBar(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        let left = countdown(booking.seconds_left().unwrap_or(0));
        match lang.get() {
            Lang::Fr => format!("Vos places sont réservées pendant {left}"),
            Lang::En => format!("Your places are held for {left}"),
        }
    };
    view! {
        <div class="hold-bar">
            <p class="countdown" role="timer" aria-live="off">
                {text}
            </p>
            <Show when=move || booking.order.with(Option::is_none)>
                <button
                    type="button"
                    class="button button-secondary"
                    id="release-button"
                    disabled=move || booking.busy.get()
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

//! `/guichet`: the box office's counter. Logged in as box office (or admin), the agent sees the
//! day's performances, picks one, chooses seats on the map (or types a number of best seats),
//! sets a tariff per ticket, takes the payment — cash with change, card, cheque, pass Culture,
//! voucher, split — and prints the tickets. Built for the keyboard: after choosing the
//! performance, two walk-in seats in cash are "2", Enter, the amount handed over, Enter.
mod closures;
mod orders;
mod reports;
mod sale;

use crate::api::{counter_performances, get_seatmap, staff_logout, staff_me};
use crate::box_office::CounterPerformance;
use crate::domain::Role;
use crate::staff::StaffMember;
use crate::ui::booking::state::{start_timers, Booking};
use crate::ui::common::{fetched_in_browser, use_lang, ErrorBox, Loading};
use crate::ui::staff::LoginForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

#[component]
pub fn CounterPage() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let version = RwSignal::new(0u32);
    // Read in the browser only, like the back office's lists.
    let me = fetched_in_browser(move || {
        version.get();
        staff_me()
    });
    let logout = move |_| {
        spawn_local(async move {
            let _ = staff_logout().await;
            version.update(|v| *v += 1);
        });
    };
    view! {
        <Title text=t("Guichet", "Box office")/>
        <div class="counter-page">
            {move || match me.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(None)) => view! {
                    <h1>{t("Guichet", "Box office")}</h1>
                    <section class="panel staff-login-panel" aria-labelledby="counter-login-title">
                        <h2 id="counter-login-title">{t("Connexion du personnel", "Staff login")}</h2>
                        <LoginForm id="counter-login" on_done=Callback::new(move |_| version.update(|v| *v += 1))/>
                    </section>
                }
                .into_any(),
                Some(Ok(Some(staff))) if staff.role == Role::Door => view! {
                    <h1>{t("Guichet", "Box office")}</h1>
                    <p>{t("Le contrôle des billets se fait sur ", "Tickets are checked on ")}<a href="/scan">"/scan"</a>"."</p>
                }
                .into_any(),
                Some(Ok(Some(staff))) => view! { <Counter staff on_logout=Callback::new(logout)/> }.into_any(),
            }}
        </div>
    }
    .into_any()
}

/// The cash desk's name, kept by this browser (each counter has its own).
fn stored_desk() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item("guichet-desk").ok().flatten())
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| "guichet".into())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        "guichet".into()
    }
}

fn keep_desk(desk: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item("guichet-desk", desk);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = desk;
}

/// Today in Paris, from this browser's clock.
fn today() -> String {
    crate::domain::paris::day_key((crate::ui::common::now_ms() / 1000.0) as i64)
}

#[component]
fn Counter(staff: StaffMember, on_logout: Callback<leptos::ev::MouseEvent>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let desk = RwSignal::new(stored_desk());
    let day = RwSignal::new(today());
    // Bumped after a sale: the places left are read again.
    let sold = RwSignal::new(0u32);
    let performances = fetched_in_browser(move || {
        sold.get();
        counter_performances(day.get())
    });
    let chosen = RwSignal::new(None::<CounterPerformance>);
    let supervisor = staff.supervisor;
    // What the counter shows: the sale, the orders, or the till.
    let mode = RwSignal::new("sale");
    let tab = move |key: &'static str, fr: &'static str, en: &'static str| {
        view! {
            <button type="button" class="counter-tab" id=format!("counter-tab-{key}")
                aria-pressed=move || (mode.get() == key).to_string()
                on:click=move |_| mode.set(key)>
                {move || lang.get().pick(fr, en)}
            </button>
        }
    };
    view! {
        <header class="counter-header">
            <h1>{t("Guichet", "Box office")}</h1>
            <nav class="counter-tabs" aria-label=t("Guichet", "Box office")>
                {tab("sale", "Vente", "Sale")}
                {tab("orders", "Commandes", "Orders")}
                {tab("till", "Caisse", "Till")}
                {tab("reports", "Rapports", "Reports")}
            </nav>
            <label for="counter-desk">{t("Caisse", "Cash desk")}</label>
            <input id="counter-desk" type="text" maxlength="40" class="counter-desk"
                prop:value=move || desk.get()
                on:change=move |ev| {
                    let d = event_target_value(&ev);
                    keep_desk(&d);
                    desk.set(d);
                }/>
            <span class="staff-whoami">{format!("{} <{}>", staff.name, staff.email)}</span>
            <button type="button" class="button button-secondary" on:click=move |ev| on_logout.run(ev)>
                {t("Se déconnecter", "Log out")}
            </button>
        </header>
        {move || match mode.get() {
            "orders" => Some(view! { <orders::CounterOrders desk/> }.into_any()),
            "till" => Some(view! { <closures::CounterClosures desk supervisor/> }.into_any()),
            "reports" => Some(view! { <reports::CounterReports/> }.into_any()),
            _ => None,
        }}
        <div class="counter-layout" class:hidden=move || mode.get() != "sale">
            <nav class="counter-day" aria-labelledby="counter-day-title">
                <h2 id="counter-day-title">{t("Séances", "Performances")}</h2>
                <input type="date" aria-label=t("Jour", "Day") prop:value=move || day.get()
                    on:change=move |ev| { chosen.set(None); day.set(event_target_value(&ev)) }/>
                {move || match performances.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! {
                        <p>{t("Aucune séance ce jour-là.", "No performance that day.")}</p>
                    }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="counter-perfs">
                            {list.into_iter().map(|p| {
                                let id = p.id;
                                let starts = p.starts_at.0;
                                let open = p.on_sale;
                                let this = p.clone();
                                view! {
                                    <li>
                                        <button type="button" class="counter-perf" data-performance=id disabled=!open
                                            aria-pressed=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == id)).to_string()
                                            on:click=move |_| chosen.set(Some(this.clone()))>
                                            <span class="counter-perf-time">{move || crate::domain::paris::time_fr(starts)}</span>
                                            <span class="counter-perf-title">{p.title.clone()}</span>
                                            <span class="counter-perf-hall">{format!("{} – {}", p.hall, p.venue)}</span>
                                            <span class="counter-perf-left">{move || lang.get().places_left(p.available)}</span>
                                            {(!p.published).then(|| view! { <span class="tag">{move || lang.get().pick("non publiée", "unpublished")}</span> })}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </nav>
            {move || chosen.get().map(|perf| view! { <CounterPerformanceView perf supervisor desk sold/> })}
        </div>
    }
    .into_any()
}

/// One performance at the counter: its map (or its places) and the sale.
#[component]
fn CounterPerformanceView(
    perf: CounterPerformance,
    supervisor: bool,
    desk: RwSignal<String>,
    sold: RwSignal<u32>,
) -> impl IntoView {
    let id = perf.id;
    let map = fetched_in_browser(move || get_seatmap(id));
    move || match map.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
        Some(Ok(map)) => {
            let mut booking = Booking::new(map.0);
            // The counter's rules, not the web's: the server checks them again.
            booking.sale_open = perf.on_sale;
            booking.allow_blocked = supervisor;
            booking.max = crate::box_office::COUNTER_MAX_SEATS;
            start_timers(booking);
            // The agent types the number of places first.
            crate::ui::common::focus_later("#counter-count");
            view! { <sale::CounterSale booking desk sold/> }.into_any()
        }
    }
}

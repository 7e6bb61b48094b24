//! The counter's reports: sales of a period by day and channel (a bar chart and its table),
//! the shows that sold most, and the occupancy of the performances sold, each with its
//! statement (PDF, CSV).
use crate::api::{counter_heatmap, counter_orders_page, counter_sales_report};
use crate::box_office::SalesReport;
use crate::ui::common::{fetched_in_browser, use_lang, ErrorBox, Loading};
use leptos::prelude::*;

#[component]
pub fn CounterReports() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let today = super::today();
    let first = format!("{}-01", &today[..7]);
    let from = RwSignal::new(first);
    let to = RwSignal::new(today);
    let report = fetched_in_browser(move || counter_sales_report(from.get(), to.get()));
    view! {
        <section class="counter-reports" aria-labelledby="counter-reports-title">
            <h2 id="counter-reports-title">{t("Rapports", "Reports")}</h2>
            <div class="counter-search">
                <label for="report-from">{t("Du", "From")}</label>
                <input id="report-from" type="date" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/>
                <label for="report-to">{t("au", "to")}</label>
                <input id="report-to" type="date" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev))/>
            </div>
            <OrdersExport from to/>
            {move || match report.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(r)) => view! { <Report r/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Report(r: SalesReport) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    // The performance whose hall's heat map is shown, over the report's period.
    let heat_of = RwSignal::new(None::<i64>);
    let (from, to) = (r.from.clone(), r.to.clone());
    let money = move |c: i64| lang.get().amount(c);
    let (tickets, receipts) = (r.tickets, r.receipts_cents);
    view! {
        <p class="report-summary">
            <strong id="report-tickets">{tickets}</strong>" "{t("billets", "tickets")}" · "
            <strong id="report-receipts">{move || money(receipts)}</strong>
        </p>
        <Chart r=r.clone()/>
        <div class="report-tables">
            <table class="counter-found">
                <caption>{t("Spectacles les plus vendus", "Best-selling shows")}</caption>
                <thead><tr><th>{t("Spectacle", "Show")}</th><th>{t("Billets", "Tickets")}</th><th>{t("Recette", "Receipts")}</th></tr></thead>
                <tbody>
                    {r.top_shows.iter().map(|s| {
                        let c = s.receipts_cents;
                        view! { <tr><td>{s.title.clone()}</td><td>{s.tickets}</td><td>{move || money(c)}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
            <table class="counter-found report-occupancy">
                <caption>{t("Remplissage des séances", "Occupancy of the performances")}</caption>
                <thead><tr><th>{t("Séance", "Performance")}</th><th>{t("Vendues", "Sold")}</th><th>{t("Jauge", "Capacity")}</th><th>"%"</th><th>{t("Relevé", "Statement")}</th></tr></thead>
                <tbody>
                    {r.occupancy.iter().map(|o| {
                        let starts = o.starts_at.0;
                        let pct = format!("{},{}", o.permille / 10, o.permille % 10);
                        let base = format!("/api/v1/box-office/performances/{}", o.performance_id);
                        view! {
                            <tr>
                                <td>{o.title.clone()}" – "{move || lang.get().datetime(starts)}</td>
                                <td>{o.sold}</td><td>{o.capacity}</td><td>{pct}</td>
                                <td>
                                    <a href=format!("{base}/statement.pdf") target="_blank" rel="noopener">"PDF"</a>" · "
                                    <a href=format!("{base}/statement.csv")>"CSV"</a>" · "
                                    <a href=format!("{base}/attendees.csv")>{t("Spectateurs", "Attendees")}</a>" · "
                                    <button type="button" class="link-button heat-button" on:click={
                                        let id = o.performance_id;
                                        move |_| heat_of.set(Some(id))
                                    }>{t("Chaleur", "Heat map")}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {move || heat_of.get().map(|id| view! { <Heat performance_id=id from=from.clone() to=to.clone()/> })}
    }
}

/// The heat map of a performance's hall over the period: each seat coloured by the share of
/// the hall's performances in which it sold.
#[component]
fn Heat(performance_id: i64, from: String, to: String) -> impl IntoView {
    use crate::domain::heatmap::colour;
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let heat =
        fetched_in_browser(move || counter_heatmap(performance_id, from.clone(), to.clone()));
    view! {
        <section class="report-heat" aria-labelledby="report-heat-title">
            {move || match heat.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(h)) => {
                    let n = h.performances;
                    view! {
                        <h3 id="report-heat-title">{t("Carte de chaleur", "Heat map")}" – "{h.hall.clone()}</h3>
                        <p>{move || match lang.get() {
                            crate::i18n::Lang::Fr => format!("Part des {n} séances où chaque place a été vendue."),
                            crate::i18n::Lang::En => format!("Share of the {n} performances in which each seat sold."),
                        }}</p>
                        <svg class="heat-map" viewBox=format!("0 0 {} {}", h.width, h.height) role="img"
                            aria-label=t("Carte de chaleur des places", "Seat heat map")>
                            {h.seats.into_iter().map(|s| view! {
                                <circle cx=s.x cy=s.y r="8" fill=colour(s.permille) stroke="#666" stroke-width="0.5"
                                    data-permille=s.permille.to_string()>
                                    <title>{format!("{} – {} %", s.label, s.permille / 10)}</title>
                                </circle>
                            }).collect_view()}
                        </svg>
                        <p class="heat-legend">
                            {[(0, "0 %"), (200, "≤ 25 %"), (400, "≤ 50 %"), (700, "≤ 75 %"), (900, "≤ 95 %"), (1000, "100 %")].into_iter().map(|(p, label)| view! {
                                <span><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill=colour(p)/></svg>" "{label}" "</span>
                            }).collect_view()}
                        </p>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Tickets by day, online and at the box office stacked; its table says the same in words.
#[component]
fn Chart(r: SalesReport) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    const H: f64 = 120.0;
    let n = r.days.len().max(1) as f64;
    let max = r
        .days
        .iter()
        .map(|d| d.online_tickets + d.box_office_tickets)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let w = 8.0_f64.max(600.0 / n);
    let bars = r
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = i as f64 * w;
            let on = d.online_tickets as f64 / max * H;
            let bo = d.box_office_tickets as f64 / max * H;
            let label = match lang.get_untracked() {
                crate::i18n::Lang::Fr => format!(
                    "{} : {} en ligne, {} au guichet",
                    d.day, d.online_tickets, d.box_office_tickets
                ),
                crate::i18n::Lang::En => format!(
                    "{}: {} online, {} at the box office",
                    d.day, d.online_tickets, d.box_office_tickets
                ),
            };
            view! {
                <g>
                    <title>{label}</title>
                    <rect class="bar-online" x=format!("{x:.1}") y=format!("{:.1}", H - on) width=format!("{:.1}", w * 0.8) height=format!("{on:.1}")/>
                    <rect class="bar-box-office" x=format!("{x:.1}") y=format!("{:.1}", H - on - bo) width=format!("{:.1}", w * 0.8) height=format!("{bo:.1}")/>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="report-chart">
            <svg viewBox=format!("0 0 {:.0} {H}", w * n) preserveAspectRatio="none" role="img"
                aria-label=t("Billets vendus par jour", "Tickets sold by day")>
                {bars}
            </svg>
            <figcaption>
                <span class="legend-online">{t("en ligne", "online")}</span>" · "
                <span class="legend-box-office">{t("au guichet", "at the box office")}</span>
            </figcaption>
        </figure>
        <details>
            <summary>{t("Le détail par jour", "Day by day")}</summary>
            <table class="counter-found report-days">
                <thead><tr><th>{t("Jour", "Day")}</th><th>{t("En ligne", "Online")}</th><th>{t("Au guichet", "Box office")}</th></tr></thead>
                <tbody>
                    {r.days.iter().map(|d| view! {
                        <tr><td>{d.day.clone()}</td><td>{d.online_tickets}</td><td>{d.box_office_tickets}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// The period's orders as CSV, read a page at a time with a progress bar (a season is tens of
/// thousands of orders), then saved by the browser.
#[component]
fn OrdersExport(from: RwSignal<String>, to: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    // (rows read, total) while running.
    let progress = RwSignal::new(None::<(i64, i64)>);
    let failed = RwSignal::new(None::<crate::error::AppError>);
    let start = move |_| {
        if progress.get_untracked().is_some() {
            return;
        }
        let (from, to) = (from.get_untracked(), to.get_untracked());
        failed.set(None);
        progress.set(Some((0, 0)));
        leptos::task::spawn_local(async move {
            use crate::domain::export::{order_row, BOM, ORDERS_HEADER};
            let mut csv = format!("{BOM}{ORDERS_HEADER}");
            let mut after = None;
            let mut read = 0;
            loop {
                match counter_orders_page(from.clone(), to.clone(), after.take()).await {
                    Ok(page) => {
                        read += page.rows.len() as i64;
                        csv.extend(page.rows.iter().map(order_row));
                        progress.set(Some((read, page.total)));
                        match page.next {
                            Some(next) => after = Some(next),
                            None => break,
                        }
                    }
                    Err(e) => {
                        failed.set(Some(e));
                        progress.set(None);
                        return;
                    }
                }
            }
            save_csv(&format!("commandes-{from}-{to}.csv"), &csv);
            progress.set(None);
        });
    };
    view! {
        <div class="report-export">
            <button id="export-orders" type="button" class="button button-secondary button-small"
                disabled=move || progress.get().is_some() on:click=start>
                {t("Exporter les commandes (CSV)", "Export the orders (CSV)")}
            </button>
            {move || progress.get().map(|(read, total)| view! {
                <progress id="export-progress" max=total.max(1).to_string() value=read.to_string()></progress>
                <span role="status">{format!("{read} / {total}")}</span>
            })}
            {move || failed.get().map(|err| view! { <ErrorBox err/> })}
        </div>
    }
}

/// Hands a CSV to the browser to save.
#[cfg(feature = "hydrate")]
fn save_csv(name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let saved = (|| -> Result<(), wasm_bindgen::JsValue> {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/csv;charset=utf-8");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        web_sys::Url::revoke_object_url(&url)
    })();
    if let Err(e) = saved {
        leptos::logging::warn!("the CSV could not be saved: {e:?}");
    }
}

#[cfg(not(feature = "hydrate"))]
fn save_csv(_name: &str, _text: &str) {}

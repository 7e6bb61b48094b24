//! The counter's till: the desk's cash count, today's running totals (X reading), the Z reports
//! (closing an ended day is a supervisor's act; ended periods also close by themselves), and a
//! printable report (the browser prints it, or saves it as PDF).
use crate::api::{counter_close, counter_closures, counter_count_cash, counter_reading};
use crate::box_office::{CashCountRequest, CloseRequest, ClosureReport};
use crate::domain::Cents;
use crate::error::AppError;
use crate::ui::common::{fetched_in_browser, use_lang, ErrorBox, Loading};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn CounterClosures(desk: RwSignal<String>, supervisor: bool) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let version = RwSignal::new(0u32);
    let reading = fetched_in_browser(move || {
        version.get();
        counter_reading(CloseRequest {
            period: "day".into(),
            date: None,
        })
    });
    let closures = fetched_in_browser(move || {
        version.get();
        counter_closures()
    });
    let float = RwSignal::new(String::new());
    let counted = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<&'static str, AppError>>);
    let count = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let float_raw = float.get_untracked();
        let f = if float_raw.trim().is_empty() {
            Some(Cents(0))
        } else {
            Cents::parse_euros(&float_raw)
        };
        let (Some(f), Some(c)) = (f, Cents::parse_euros(&counted.get_untracked())) else {
            outcome.set(Some(Err(AppError::new(
                crate::error::ErrorCode::Validation,
                lang.get_untracked()
                    .pick("Montant illisible.", "Unreadable amount."),
            ))));
            return;
        };
        let request = CashCountRequest {
            desk: desk.get_untracked(),
            day: None,
            opening_float_cents: f.0,
            counted_cents: c.0,
        };
        spawn_local(async move {
            let done = counter_count_cash(request).await;
            outcome.set(Some(done.map(|()| "count")));
            version.update(|v| *v += 1);
        });
    };
    let close = move |_| {
        spawn_local(async move {
            let done = counter_close(CloseRequest {
                period: "day".into(),
                date: None,
            })
            .await;
            outcome.set(Some(done.map(|_| "closed")));
            version.update(|v| *v += 1);
        });
    };
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="counter-till" aria-labelledby="counter-till-title">
            <h2 id="counter-till-title">{t("Caisse et clôtures", "Till and closures")}</h2>
            <form class="counter-count no-print" on:submit=count>
                <label for="counter-float">{t("Fond de caisse", "Opening float")}</label>
                <input id="counter-float" type="text" inputmode="decimal" prop:value=move || float.get()
                    on:input=move |ev| float.set(event_target_value(&ev))/>
                <label for="counter-counted">{t("Espèces comptées", "Cash counted")}</label>
                <input id="counter-counted" type="text" inputmode="decimal" prop:value=move || counted.get()
                    on:input=move |ev| counted.set(event_target_value(&ev))/>
                <button type="submit" class="button button-secondary">{t("Enregistrer le comptage", "Record the count")}</button>
            </form>
            <div class="button-row no-print">
                {supervisor.then(|| view! {
                    <button id="counter-close-day" type="button" class="button button-secondary" on:click=close>
                        {t("Clôturer la journée d’hier", "Close yesterday")}
                    </button>
                })}
                <button type="button" class="button button-secondary" on:click=print>{t("Imprimer", "Print")}</button>
            </div>
            {move || outcome.get().map(|o| match o {
                Ok("count") => view! { <p class="alert alert-success" role="status">{t("Comptage enregistré.", "Count recorded.")}</p> }.into_any(),
                Ok(_) => view! { <p class="alert alert-success" role="status">{t("Journée clôturée.", "Day closed.")}</p> }.into_any(),
                Err(err) => view! { <ErrorBox err/> }.into_any(),
            })}
            <h3>{t("Lecture du jour (X)", "Today's reading (X)")}</h3>
            {move || match reading.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(r)) => view! { <Report report=r id="counter-x"/> }.into_any(),
            }}
            <h3>{t("Clôtures (Z)", "Closures (Z)")}</h3>
            {move || match closures.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p>{t("Aucune clôture encore.", "No closure yet.")}</p> }.into_any(),
                Some(Ok(list)) => list.into_iter().take(7).map(|r| view! { <Report report=r id=""/> }).collect_view().into_any(),
            }}
        </section>
    }
}

/// A Z report or an X reading: totals by means, tariff and VAT rate, tickets, each desk's cash.
#[component]
fn Report(report: ClosureReport, id: &'static str) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let r = report;
    let written = r.seq > 0;
    let money = move |c: i64| lang.get().amount(c);
    view! {
        <article class="counter-report" id=(!id.is_empty()).then_some(id)>
            <h4>
                {if written { format!("Z {} — n° {}", r.period, r.seq) } else { format!("X {}", r.period) }}
                {written.then(|| view! {
                    " "<a class="no-print" href=format!("/api/v1/box-office/closures/{}/report.pdf", r.period)
                        target="_blank" rel="noopener">{t("PDF", "PDF")}</a>
                })}
            </h4>
            <dl class="counter-report-totals">
                <dt>{t("Total de la période", "Period total")}</dt><dd class="report-total">{move || money(r.period_total_cents)}</dd>
                <dt>{t("Grand total perpétuel", "Perpetual grand total")}</dt><dd>{move || money(r.cumulative_total_cents)}</dd>
                <dt>{t("Billets vendus / repris", "Tickets sold / taken back")}</dt><dd class="report-tickets">{format!("{} / {}", r.tickets_sold, r.tickets_cancelled)}</dd>
            </dl>
            <table class="counter-report-means">
                <caption>{t("Par moyen de paiement", "By means of payment")}</caption>
                <tbody>
                    {r.totals_by_method.iter().map(|(m, c)| {
                        let label = crate::domain::counter::PaymentMethod::parse(m);
                        let code = m.clone();
                        let m = m.clone();
                        let c = *c;
                        view! { <tr data-method=code><th>{move || label.map_or(m.clone(), |l| l.label(lang.get()).to_string())}</th><td>{move || money(c)}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
            <table class="counter-report-tariffs">
                <caption>{t("Par tarif", "By tariff")}</caption>
                <tbody>
                    {r.totals_by_tariff.iter().map(|(tariff, v)| {
                        let (n, c) = (v.count, v.cents);
                        view! { <tr><th>{tariff.clone()}</th><td>{n}</td><td>{move || money(c)}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
            <table class="counter-report-vat">
                <caption>{t("TVA", "VAT")}</caption>
                <tbody>
                    {r.totals_by_vat_rate.iter().map(|(rate, v)| {
                        let bp: i64 = rate.parse().unwrap_or(0);
                        let (base, vat) = (v.base_cents, v.vat_cents);
                        view! { <tr><th>{format!("{},{} %", bp / 100, (bp % 100) / 10)}</th><td>{move || money(base)}</td><td>{move || money(vat)}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
            {(!r.cash.is_empty()).then(|| view! {
                <table class="counter-report-cash">
                    <caption>{t("Espèces par caisse", "Cash by desk")}</caption>
                    <thead><tr><th>{t("Caisse", "Desk")}</th><th>{t("Fond", "Float")}</th><th>{t("Attendu", "Expected")}</th><th>{t("Compté", "Counted")}</th><th>{t("Écart", "Difference")}</th></tr></thead>
                    <tbody>
                        {r.cash.iter().map(|d| {
                            let d = d.clone();
                            view! { <tr><th>{d.desk.clone()}</th><td>{move || money(d.opening_float_cents)}</td><td>{move || money(d.expected_cents)}</td><td>{move || money(d.counted_cents)}</td><td>{move || money(d.difference_cents)}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </article>
    }
}

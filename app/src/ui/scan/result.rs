//! The result panel (green / amber / red, large type) and the list of offline conflicts.
use super::state::Door;
use super::Shown;
use crate::door::{DoorTicket, ScanStatus};
use crate::i18n::Lang;
use crate::ui::common::use_lang;
use leptos::prelude::*;

/// `valid`, `already_used`… as on the wire.
pub fn status_str(status: ScanStatus) -> &'static str {
    match status {
        ScanStatus::Valid => "valid",
        ScanStatus::AlreadyUsed => "already_used",
        ScanStatus::Invalid => "invalid",
        ScanStatus::WrongPerformance => "wrong_performance",
        ScanStatus::Cancelled => "cancelled",
        ScanStatus::Unpaid => "unpaid",
        ScanStatus::Revoked => "revoked",
    }
}

fn message(lang: Lang, status: ScanStatus) -> &'static str {
    match lang {
        Lang::Fr => status.message_fr(),
        Lang::En => status.message_en(),
    }
}

fn seat(lang: Lang, t: &DoorTicket) -> String {
    match &t.seat {
        Some(s) => lang.seat_label(s),
        None => lang
            .pick("Placement libre", "Unreserved seating")
            .to_string(),
    }
}

/// Always in the page, so that screen readers announce each new result.
#[component]
pub fn ResultPanel(door: Door) -> impl IntoView {
    view! {
        <div class="scan-live" role="status" aria-live="assertive" aria-atomic="true">
            {move || door.screen.result.get().map(|shown| view! { <ResultCard door shown/> })}
        </div>
    }
    .into_any()
}

#[component]
fn ResultCard(door: Door, shown: Shown) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let res = shown.res;
    let status = res.status;
    let st = status_str(status);
    let offline = res.offline;
    let class = move || {
        format!(
            "scan-result result-{st}{}{}",
            if offline { " result-offline" } else { "" },
            if door.screen.holding.get() {
                " fresh"
            } else {
                ""
            }
        )
    };

    let first = res.first_admission.clone().map(|f| {
        let at = f.at.0;
        view! {
            <p class="result-first">
                {move || match lang.get() {
                    Lang::Fr => format!("Déjà entré à {}", lang.get().time(at)),
                    Lang::En => format!("Already in at {}", lang.get().time(at)),
                }}
                {(!f.device.is_empty()).then(|| format!(" – {}", f.device))}
            </p>
        }
    });
    let first_unknown = (status == ScanStatus::AlreadyUsed && res.first_admission.is_none())
        .then(|| view! { <p class="result-first">{t("Déjà entré (liste hors ligne)", "Already in (offline list)")}</p> });

    let other_perf = (status == ScanStatus::WrongPerformance).then(|| {
        let (title, ts) = match (&res.ticket_performance, &res.ticket) {
            (Some(p), _) => (p.title.clone(), Some(p.starts_at.0)),
            (None, Some(t)) => (t.title.clone(), Some(t.starts_at.0)),
            _ => (String::new(), None),
        };
        (!title.is_empty()).then(|| {
            view! {
                <p class="result-other-perf">
                    {t("Billet pour : ", "Ticket for: ")}
                    <strong>{title}</strong>
                    {ts.map(|ts| view! { ", " {move || lang.get().datetime(ts)} })}
                </p>
            }
        })
    });

    let ticket = res.ticket.clone().map(|tk| {
        let proof = tk.check_proof;
        let seat_tk = tk.clone();
        view! {
            <p class="result-seat">{move || seat(lang.get(), &seat_tk)}</p>
            <p class="result-tariff">
                {tk.tariff_label.clone()}
                {proof.then(|| view! {
                    " " <span class="proof-badge">{t("Vérifier le justificatif", "Check the proof")}</span>
                })}
            </p>
            <dl class="result-facts">
                <div>
                    <dt>{t("Nom", "Name")}</dt>
                    <dd class="result-holder">{tk.holder_name.clone()}</dd>
                </div>
                <div>
                    <dt>{t("Billet", "Ticket")}</dt>
                    <dd class="result-number">{tk.number.clone()}</dd>
                </div>
                <div>
                    <dt>{t("Commande", "Order")}</dt>
                    <dd class="result-order">{tk.order_reference.clone()}</dd>
                </div>
            </dl>
        }
    });

    let undo = res
        .admission_id
        .filter(|_| status == ScanStatus::Valid && !offline && door.is_supervisor());
    let undo = undo.map(|id| {
        view! {
            <button type="button" id="undo-button" class="button undo-button" on:click=move |_| door.undo(id)>
                {t("Annuler cette entrée", "Undo this admission")}
            </button>
        }
    });

    view! {
        <section id="scan-result" class=class data-status=st data-paused=move || door.screen.holding.get().to_string()>
            <p class="result-status">
                <span class="result-icon" aria-hidden="true">
                    {match status {
                        ScanStatus::Valid => "✓",
                        ScanStatus::AlreadyUsed => "!",
                        _ => "✕",
                    }}
                </span>
                {move || message(lang.get(), status)}
            </p>
            {offline.then(|| view! { <p class="result-offline-note">{t("Décidé hors ligne", "Decided offline")}</p> })}
            {first}
            {first_unknown}
            {other_perf}
            {ticket}
            {undo}
        </section>
    }
    .into_any()
}

/// Tickets admitted twice while a device was offline (from the check-in report).
#[component]
pub fn Conflicts(door: Door) -> impl IntoView {
    let lang = use_lang();
    move || {
        {
        let conflicts = door
            .sync.report
            .with(|r| r.as_ref().map(|r| r.conflicts.clone()).unwrap_or_default());
        (!conflicts.is_empty()).then(|| {
            let items = conflicts
                .into_iter()
                .map(|c| {
                    let (at, first_at) = (c.scanned_at.0, c.first_scanned_at.0);
                    view! {
                        <li>
                            <strong>{c.ticket_number.clone()}</strong>
                            " – "
                            {c.holder_name.clone()}
                            <br/>
                            {move || match lang.get() {
                                Lang::Fr => format!(
                                    "{} à {}, déjà entré via {} à {}",
                                    c.device, lang.get().time(at), c.first_device, lang.get().time(first_at)
                                ),
                                Lang::En => format!(
                                    "{} at {}, already in via {} at {}",
                                    c.device, lang.get().time(at), c.first_device, lang.get().time(first_at)
                                ),
                            }}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="conflicts" aria-labelledby="conflicts-title">
                    <h2 id="conflicts-title">
                        {move || lang.get().pick("Doubles entrées hors ligne", "Double admissions while offline")}
                    </h2>
                    <ul>{items}</ul>
                </section>
            }
        })
    }
    .into_any()
    }
}

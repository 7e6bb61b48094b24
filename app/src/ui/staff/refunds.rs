//! Money to give back, for the box office and admins: payments the provider took after the
//! seats' hold had ended (no tickets were issued), and paid orders of cancelled performances.
use crate::admin::{RefundDue, RefundReason};
use crate::api::admin_refunds;
use crate::i18n::Lang;
use crate::ui::common::{fetched_in_browser, use_lang, ErrorBox, Loading};
use leptos::prelude::*;

fn reason_label(lang: Lang, reason: RefundReason) -> &'static str {
    match reason {
        RefundReason::PaidTooLate => lang.pick(
            "payé après la fin de la réservation (aucun billet émis)",
            "paid after the hold ended (no ticket issued)",
        ),
        RefundReason::PerformanceCancelled => lang.pick("séance annulée", "performance cancelled"),
    }
}

#[component]
pub fn Refunds() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let version = RwSignal::new(0u32);
    let due = fetched_in_browser(move || {
        version.get();
        admin_refunds()
    });
    view! {
        <section class="panel refunds-due" aria-labelledby="refunds-due-title">
            <h2 id="refunds-due-title">{t("À rembourser", "To refund")}</h2>
            <button type="button" class="button" on:click=move |_| version.update(|v| *v += 1)>
                {t("Actualiser", "Refresh")}
            </button>
            {move || match due.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="refunds-none">{t("Rien à rembourser.", "Nothing to refund.")}</p>
                }
                .into_any(),
                Some(Ok(list)) => view! { <RefundTable list/> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn RefundTable(list: Vec<RefundDue>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let total: i64 = list.iter().map(|r| r.amount_cents).sum();
    let count = list.len();
    view! {
        <p class="refunds-total">{move || match lang.get() {
            Lang::Fr => format!("{count} remboursement(s), {} au total.", lang.get().amount(total)),
            Lang::En => format!("{count} refund(s), {} in all.", lang.get().amount(total)),
        }}</p>
        <table class="staff-table refunds-table">
            <thead>
                <tr>
                    <th scope="col">{t("Commande", "Order")}</th>
                    <th scope="col">{t("Acheteur", "Buyer")}</th>
                    <th scope="col">{t("Séance", "Performance")}</th>
                    <th scope="col">{t("Montant", "Amount")}</th>
                    <th scope="col">{t("Motif", "Reason")}</th>
                    <th scope="col">{t("Depuis le", "Since")}</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|r| {
                    let (starts, since, amount, reason) = (r.starts_at.0, r.since.0, r.amount_cents, r.reason);
                    view! {
                        <tr data-order=r.order_id.clone()>
                            <td>{r.reference}</td>
                            <td>{r.name}" "<a href=format!("mailto:{}", r.email)>{r.email.clone()}</a></td>
                            <td>{r.show_title}" – "{move || lang.get().datetime(starts)}</td>
                            <td class="num">{move || lang.get().amount(amount)}</td>
                            <td class="refund-reason">{move || reason_label(lang.get(), reason)}</td>
                            <td>{move || lang.get().datetime(since)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

//! Paying through PayFiP, the public treasury's service: the button that sends the buyer to its
//! page (used on the payment step and on an unpaid order's page).
use super::common::{order_href, use_lang, Msg};
use crate::api::pay_order;
use crate::dto::{PaymentOutcome, PaymentReply};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn PayfipButton(order_id: String, token: String, total_cents: i64) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<Msg>);
    let pay = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        let (order_id, token) = (order_id.clone(), token.clone());
        spawn_local(async move {
            match pay_order(order_id, token, PaymentOutcome::Approve).await {
                Ok(PaymentReply::Redirect { redirect_url, .. }) => {
                    // Off to PayFiP's page; the button stays busy until the page goes.
                    if window().location().set_href(&redirect_url).is_err() {
                        let _ = busy.try_set(false);
                    }
                }
                // Paid meanwhile (another tab): the order page shows the tickets.
                Ok(PaymentReply::Done(order)) => {
                    let _ = window()
                        .location()
                        .set_href(&order_href(&order.id, &order.token));
                }
                Err(err) => {
                    let _ = busy.try_set(false);
                    let msg = if err.error == ErrorCode::HoldExpired {
                        Msg::new(
                            "Le délai de réservation est dépassé : vos places ont été libérées.",
                            "The hold time is over: your places were released.",
                        )
                    } else {
                        Msg::from_error(&err)
                    };
                    let _ = message.try_set(Some(msg));
                }
            }
        });
    };
    view! {
        <div class="payfip-panel">
            <p>
                {t(
                    "Le paiement se fait sur la page sécurisée de PayFiP, le service de paiement en ligne de la Direction générale des Finances publiques, par carte bancaire ou par prélèvement. Vous reviendrez ensuite ici.",
                    "You pay on the secure page of PayFiP, the French public treasury's online payment service, by card or direct debit. You will then come back here.",
                )}
            </p>
            <button
                type="button"
                class="button button-primary"
                id="pay-payfip"
                disabled=move || busy.get()
                on:click=pay
            >
                {move || match lang.get() {
                    Lang::Fr => format!("Payer {} par carte bancaire (PayFiP)", lang.get().amount(total_cents)),
                    Lang::En => format!("Pay {} by card (PayFiP)", lang.get().amount(total_cents)),
                }}
            </button>
            <div class="alert-region" role="alert">
                {move || message.get().map(|m| view! { <p class="alert alert-error">{move || m.get(lang.get())}</p> })}
            </div>
        </div>
    }
}

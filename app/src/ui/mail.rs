//! Mails a buyer asks for: the tickets again (order page) and "retrouver ma commande".
use super::common::{use_lang, Msg};
use crate::api::{find_orders, resend_tickets};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

/// On a paid order's page: says the link is in the mailbox too, and sends the tickets again.
#[component]
pub fn ResendTickets(order_id: String, token: String, email: String) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<Msg, Msg>>);
    let send = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(None);
        let (order_id, token) = (order_id.clone(), token.clone());
        spawn_local(async move {
            let result = match resend_tickets(order_id, token).await {
                Ok(q) => Ok(Msg::new(
                    format!(
                        "C’est parti : vos billets arrivent à {} dans quelques instants.",
                        q.to
                    ),
                    format!(
                        "On its way: your tickets will reach {} in a few moments.",
                        q.to
                    ),
                )),
                Err(err) => Err(Msg::from_error(&err)),
            };
            let _ = busy.try_set(false);
            let _ = outcome.try_set(Some(result));
        });
    };
    let has_email = !email.is_empty();
    view! {
        <div class="resend-tickets">
            {has_email
                .then(|| {
                    let email = email.clone();
                    view! {
                        <p class="hint mailbox-note">
                            {move || match lang.get() {
                                crate::i18n::Lang::Fr => format!("Le lien de cette page et vos billets vous ont aussi été envoyés par e-mail à {email}."),
                                crate::i18n::Lang::En => format!("The link to this page and your tickets were also e-mailed to {email}."),
                            }}
                        </p>
                        <p>
                            <button
                                type="button"
                                class="button"
                                id="resend-tickets"
                                disabled=move || busy.get()
                                on:click=send
                            >
                                {t("Renvoyer mes billets par e-mail", "E-mail my tickets again")}
                            </button>
                        </p>
                    }
                })}
            <div class="alert-region" role="status" aria-live="polite">
                {move || {
                    outcome
                        .get()
                        .map(|r| match r {
                            Ok(m) => view! { <p class="alert alert-success resend-done">{move || m.get(lang.get())}</p> }.into_any(),
                            Err(m) => view! { <p class="alert alert-error resend-error">{move || m.get(lang.get())}</p> }.into_any(),
                        })
                }}
            </div>
        </div>
    }
}

/// `/retrouver-ma-commande`: the buyer gives their address or an order reference and receives
/// their orders' links by e-mail. The page says the same whatever was found.
#[component]
pub fn FindOrderPage() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let query = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), Msg>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(None);
        let q = query.get_untracked();
        spawn_local(async move {
            let result = find_orders(q).await.map_err(|e| Msg::from_error(&e));
            let _ = busy.try_set(false);
            let _ = outcome.try_set(Some(result));
        });
    };
    view! {
        <Title text=t("Retrouver ma commande", "Find my order")/>
        <section class="find-order" aria-labelledby="find-order-title">
            <h1 id="find-order-title">{t("Retrouver ma commande", "Find my order")}</h1>
            <p>
                {t(
                    "Vous avez perdu le lien de votre commande ? Indiquez l’adresse e-mail donnée lors de l’achat, ou la référence de la commande (8 caractères) : nous vous renvoyons par e-mail les liens de vos commandes et de vos billets.",
                    "Lost the link to your order? Give the e-mail address used for the purchase, or the order reference (8 characters): we will e-mail you the links to your orders and tickets.",
                )}
            </p>
            <form class="find-order-form" on:submit=submit>
                <label for="find-order-query">
                    {t("Adresse e-mail ou référence de commande", "E-mail address or order reference")}
                </label>
                <input
                    id="find-order-query"
                    name="query"
                    type="text"
                    autocomplete="email"
                    required
                    maxlength="254"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <button type="submit" class="button button-primary" id="find-order-submit" disabled=move || busy.get()>
                    {t("Recevoir mes liens", "Send me my links")}
                </button>
            </form>
            <div class="alert-region" role="status" aria-live="polite">
                {move || {
                    outcome
                        .get()
                        .map(|r| match r {
                            Ok(()) => view! {
                                <p class="alert alert-success find-order-done">
                                    {t(
                                        "Si une commande correspond, un e-mail avec ses liens vient de partir vers l’adresse donnée lors de l’achat. Pensez à regarder vos courriers indésirables.",
                                        "If an order matches, an e-mail with its links is on its way to the address given at purchase. Remember to check your spam folder.",
                                    )}
                                </p>
                            }
                            .into_any(),
                            Err(m) => view! { <p class="alert alert-error find-order-error">{move || m.get(lang.get())}</p> }.into_any(),
                        })
                }}
            </div>
        </section>
    }
}

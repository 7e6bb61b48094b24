//! Checkout (tariff per place, buyer) and the sandbox payment step.
use super::places::{category_of, seat_place, tariff_conditions};
use super::state::Booking;
use crate::api::{create_order, pay_order, payments_online, release_hold};
use crate::domain::recap::{expand, total_cents};
use crate::dto::{
    Buyer, HoldView, OrderRequest, OrderStatus, OrderView, PaymentOutcome, PaymentProvider,
    PaymentReply, Seat, Tariff, TicketRequest,
};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::ui::common::{focus_later, order_href, use_lang, Msg};
use crate::ui::payfip::PayfipButton;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// One place to price: a seat (seated) or an unnumbered place (general admission).
#[derive(Clone)]
struct Line {
    seat: Option<Seat>,
    tariffs: Vec<Tariff>,
}

fn lines_for(booking: Booking, hold: &HoldView) -> Vec<Line> {
    booking.map.with_value(|m| {
        if booking.seated {
            hold.seat_ids
                .iter()
                .filter_map(|id| m.seats.iter().find(|s| s.id == *id))
                .map(|s| Line {
                    seat: Some(s.clone()),
                    tariffs: category_of(m, s)
                        .map(|c| c.tariffs.clone())
                        .unwrap_or_default(),
                })
                .collect()
        } else {
            (0..hold.quantity.max(0))
                .map(|_| Line {
                    seat: None,
                    tariffs: m.tariffs.clone(),
                })
                .collect()
        }
    })
}

fn tariff_option_text(lang: Lang, t: &Tariff) -> String {
    let mut text = format!("{} – {}", lang.tariff_label(t), lang.price(t.price_cents));
    if t.proof_required {
        text.push_str(lang.pick(
            " (justificatif demandé à l'entrée)",
            " (proof required at the door)",
        ));
    }
    text
}

#[component]
pub fn CheckoutForm(booking: Booking, hold: HoldView) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let lines = StoredValue::new(lines_for(booking, &hold));
    // Each place starts on its first tariff; unreserved places on the tariffs counted before
    // the hold. Shared with the basket bar, whose recap follows every change.
    let counted: Vec<String> = booking.map.with_value(|m| {
        booking
            .pick
            .counts
            .with_untracked(|counts| expand(&m.tariffs, counts).map(|t| t.code.clone()).collect())
    });
    let choices = booking.pick.tariffs;
    choices.set(lines.with_value(|ls| {
        ls.iter()
            .enumerate()
            .map(|(i, l)| {
                counted
                    .get(i)
                    .filter(|code| l.seat.is_none() && l.tariffs.iter().any(|t| &t.code == *code))
                    .cloned()
                    .or_else(|| l.tariffs.first().map(|t| t.code.clone()))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
    }));
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let hold_id = hold.id.clone();

    let chosen = move |i: usize| -> Option<Tariff> {
        let code = choices.with(|c| c.get(i).cloned())?;
        lines.with_value(|ls| {
            ls.get(i)
                .and_then(|l| l.tariffs.iter().find(|t| t.code == code).cloned())
        })
    };
    // The basket bar's recap, so that the two totals on the page cannot differ.
    let total = move || total_cents(&booking.recap());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if booking.feedback.busy.get_untracked() {
            return;
        }
        let (buyer_name, buyer_email) = (
            name.get_untracked().trim().to_string(),
            email.get_untracked().trim().to_string(),
        );
        if buyer_name.is_empty() || buyer_email.is_empty() {
            error.set(Some(Msg::new(
                "Indiquez votre nom et votre adresse e-mail.",
                "Please enter your name and e-mail address.",
            )));
            return;
        }
        let tickets = lines.with_value(|ls| {
            choices.with_untracked(|c| {
                ls.iter()
                    .zip(c.iter())
                    .map(|(l, code)| TicketRequest {
                        seat_id: l.seat.as_ref().map(|s| s.id),
                        tariff: code.clone(),
                    })
                    .collect::<Vec<_>>()
            })
        });
        let request = OrderRequest {
            hold_id: hold_id.clone(),
            buyer: Buyer {
                name: buyer_name,
                email: buyer_email,
            },
            tickets,
            lang: Some(lang.get_untracked().code().to_string()),
        };
        booking.feedback.busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = create_order(request).await;
            let _ = booking.feedback.busy.try_set(false);
            match result {
                Ok(order) => {
                    let _ = booking.held.order.try_set(Some(order));
                    focus_later("#payment-title");
                }
                Err(err) if err.error == ErrorCode::HoldExpired => booking.expire(),
                Err(err) => {
                    let _ = error.try_set(Some(Msg::from_error(&err)));
                }
            }
        });
    };

    let line_fields = lines.with_value(|ls| {
        ls.iter()
            .enumerate()
            .map(|(i, line)| {
                let id = format!("tariff-{i}");
                let seat = line.seat.clone();
                let tariffs = line.tariffs.clone();
                let tariffs_for_options = tariffs.clone();
                let label = move || match &seat {
                    Some(s) => seat_place(lang.get(), s),
                    // Unreserved: a ticket, not a seat number.
                    None => format!("{} {}", lang.get().pick("Billet", "Ticket"), i + 1),
                };
                let hint_id = format!("tariff-{i}-hint");
                view! {
                    <div class="field field-tariff">
                        <label for=id.clone()>{label}</label>
                        <select
                            id=id
                            name=format!("tariff-{i}")
                            aria-describedby=hint_id.clone()
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                choices.update(|c| {
                                    if let Some(slot) = c.get_mut(i) {
                                        *slot = v;
                                    }
                                });
                            }
                        >
                            {move || {
                                let l = lang.get();
                                // Untracked: the browser keeps the chosen option; only a language
                                // switch re-renders the list.
                                let current = choices.with_untracked(|c| c.get(i).cloned()).unwrap_or_default();
                                tariffs_for_options
                                    .iter()
                                    .map(|t| {
                                        view! {
                                            <option value=t.code.clone() selected=t.code == current>
                                                {tariff_option_text(l, t)}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                        <p class="hint" id=hint_id>
                            {move || chosen(i).map(|t| tariff_conditions(lang.get(), &t)).unwrap_or_default()}
                        </p>
                    </div>
                }
            })
            .collect_view()
    });

    view! {
        <section class="step step-checkout" aria-labelledby="checkout-title">
            <h2 id="checkout-title" tabindex="-1">{t("Vos billets", "Your tickets")}</h2>
            <form class="checkout-form" on:submit=submit>
                <fieldset>
                    <legend>{t("Tarif de chaque place", "Price for each place")}</legend>
                    {line_fields}
                </fieldset>
                <fieldset>
                    <legend>{t("Vos coordonnées", "Your details")}</legend>
                    <div class="field">
                        <label for="buyer-name">
                            {t("Nom et prénom", "Full name")}
                            <span class="required" aria-hidden="true">" *"</span>
                        </label>
                        <input
                            id="buyer-name"
                            name="name"
                            type="text"
                            autocomplete="name"
                            required
                            aria-required="true"
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="buyer-email">
                            {t("Adresse e-mail", "E-mail address")}
                            <span class="required" aria-hidden="true">" *"</span>
                        </label>
                        <input
                            id="buyer-email"
                            name="email"
                            type="email"
                            autocomplete="email"
                            required
                            aria-required="true"
                            aria-describedby="buyer-email-hint"
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))
                        />
                        <p class="hint" id="buyer-email-hint">
                            {t(
                                "Vos billets et la confirmation seront envoyés à cette adresse. Format attendu : nom@exemple.fr",
                                "Your tickets and confirmation will be sent to this address. Expected format: name@example.com",
                            )}
                        </p>
                    </div>
                    <p class="hint">{t("* champ obligatoire", "* required field")}</p>
                </fieldset>
                <p class="total">
                    {t("Total : ", "Total: ")}
                    <strong data-total-cents=total>{move || lang.get().amount(total())}</strong>
                </p>
                <div class="alert-region" role="alert">
                    {move || error.get().map(|m| view! { <p class="alert alert-error">{move || m.get(lang.get())}</p> })}
                </div>
                <button type="submit" class="button button-primary" disabled=move || booking.feedback.busy.get()>
                    {t("Valider et payer", "Confirm and pay")}
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// Sandbox payment: the buyer picks the outcome.
#[component]
pub fn PaymentPanel(booking: Booking, order: OrderView) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let navigate = use_navigate();
    let message = RwSignal::new(None::<Msg>);
    let order_id = order.id.clone();
    let token = order.token.clone();
    let total = order.total_cents;
    let reference = order.reference.clone();

    let pay = move |outcome: PaymentOutcome| {
        if booking.feedback.busy.get_untracked() {
            return;
        }
        booking.feedback.busy.set(true);
        message.set(None);
        let (order_id, token, navigate) = (order_id.clone(), token.clone(), navigate.clone());
        spawn_local(async move {
            let result = pay_order(order_id.clone(), token.clone(), outcome)
                .await
                .map(PaymentReply::into_order);
            let _ = booking.feedback.busy.try_set(false);
            match result {
                Ok(order) if order.status == OrderStatus::Paid => {
                    navigate(&order_href(&order.id, &order.token), Default::default());
                }
                Ok(order) if order.status == OrderStatus::AwaitingPayment => {
                    let msg = if outcome == PaymentOutcome::Abandon {
                        Msg::new(
                            "Paiement abandonné. Vous pouvez réessayer tant que vos places sont réservées.",
                            "Payment abandoned. You can try again while your places are held.",
                        )
                    } else {
                        Msg::new(
                            "Paiement refusé. Vous pouvez réessayer tant que vos places sont réservées.",
                            "Payment declined. You can try again while your places are held.",
                        )
                    };
                    let _ = message.try_set(Some(msg));
                }
                Ok(order) => {
                    // Cancelled or expired: the places go back on sale.
                    let hold_id = order.hold_id.clone();
                    booking.reset();
                    let _ = booking.feedback.alert.try_set(Some(Msg::new(
                        "Commande annulée, vos places ont été libérées.",
                        "Order cancelled, your places have been released.",
                    )));
                    let _ = release_hold(hold_id).await;
                    booking.refresh();
                    focus_later("#seats-title");
                }
                Err(err) if err.error == ErrorCode::PaymentDeclined => {
                    let _ = message.try_set(Some(Msg::new(
                        "Paiement refusé. Vous pouvez réessayer tant que vos places sont réservées.",
                        "Payment declined. You can try again while your places are held.",
                    )));
                }
                Err(err) if err.error == ErrorCode::HoldExpired => booking.expire(),
                Err(err) => {
                    let _ = message.try_set(Some(Msg::from_error(&err)));
                }
            }
        });
    };
    let pay_approve = pay.clone();
    let pay_decline = pay.clone();
    let provider = Resource::new(|| (), |_| payments_online());
    let payfip_order = (order.id.clone(), order.token.clone());

    view! {
        <section class="step step-payment" aria-labelledby="payment-title">
            <h2 id="payment-title" tabindex="-1">{t("Paiement", "Payment")}</h2>
            <p class="order-summary">
                {move || match lang.get() {
                    Lang::Fr => format!("Commande {} – total {}", reference, lang.get().amount(total)),
                    Lang::En => format!("Order {} – total {}", reference, lang.get().amount(total)),
                }}
            </p>
            <Suspense>
            {move || {
                let payfip_order = payfip_order.clone();
                Suspend::new(async move {
                    match provider.await {
                        Ok(PaymentProvider::Payfip) => {
                            let (order_id, token) = payfip_order;
                            view! { <PayfipButton order_id token total_cents=total/> }.into_any()
                        }
                        Ok(PaymentProvider::None) => view! {
                            <p class="alert alert-info">
                                {t(
                                    "Le paiement en ligne n'est pas ouvert : réglez votre commande au guichet en donnant sa référence.",
                                    "Online payment is not available: pay for your order at the box office, giving its reference.",
                                )}
                            </p>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })
            }}
            </Suspense>
            <div class="sandbox-panel" hidden=move || !matches!(provider.get(), Some(Ok(PaymentProvider::Sandbox)))>
                <h3>{t("Paiement de test (bac à sable) — aucun débit réel", "Test payment (sandbox) — no real charge")}</h3>
                <p>
                    {t(
                        "Ce site utilise un prestataire de paiement de test : aucune carte n'est demandée et aucune somme n'est prélevée. Choisissez le résultat du paiement.",
                        "This site uses a test payment provider: no card is needed and no money is taken. Choose the payment outcome.",
                    )}
                </p>
                <div class="button-row">
                    <button
                        type="button"
                        class="button button-primary"
                        id="pay-approve"
                        disabled=move || booking.feedback.busy.get()
                        on:click=move |_| pay_approve(PaymentOutcome::Approve)
                    >
                        {t("Payer (accepté)", "Pay (approved)")}
                    </button>
                    <button
                        type="button"
                        class="button button-secondary"
                        id="pay-decline"
                        disabled=move || booking.feedback.busy.get()
                        on:click=move |_| pay_decline(PaymentOutcome::Decline)
                    >
                        {t("Refuser le paiement", "Decline the payment")}
                    </button>
                    <button
                        type="button"
                        class="button button-secondary"
                        id="pay-abandon"
                        disabled=move || booking.feedback.busy.get()
                        on:click=move |_| pay(PaymentOutcome::Abandon)
                    >
                        {t("Abandonner", "Abandon")}
                    </button>
                </div>
            </div>
            <div class="alert-region" role="alert">
                {move || message.get().map(|m| view! { <p class="alert alert-error">{move || m.get(lang.get())}</p> })}
            </div>
        </section>
    }
    .into_any()
}

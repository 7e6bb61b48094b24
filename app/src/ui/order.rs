//! `/commandes/:id/:token` (or the older `/commandes/:id?token=…`): the order confirmation,
//! with ticket downloads.
use super::common::{set_not_found_status, url_encode, use_lang, ErrorBox, Loading};
use super::mail::ResendTickets;
use super::payfip::PayfipButton;
use crate::api::{get_order, payments_online};
use crate::dto::{OrderStatus, OrderView, PaymentProvider};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        (
            params.get().get("id").unwrap_or_default(),
            params
                .get()
                .get("token")
                .or_else(|| query.get().get("token"))
                .unwrap_or_default(),
        )
    });
    let order = Resource::new(move || key.get(), |(id, token)| get_order(id, token));
    // Back from the provider's page before its result is known: read the order again (each
    // read asks the provider) every two seconds until it is.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let pending = matches!(order.get(), Some(Ok(o)) if awaits_provider(&o));
        if pending {
            let _ =
                set_timeout_with_handle(move || order.refetch(), std::time::Duration::from_secs(2));
        }
    });
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(order) => view! { <OrderDetails order/> }.into_any(),
                    Err(err) if matches!(err.error, ErrorCode::NotFound | ErrorCode::Forbidden | ErrorCode::Unauthorized | ErrorCode::BadRequest) => {
                        view! { <OrderNotFound/> }.into_any()
                    }
                    Err(err) => view! { <ErrorBox err/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// Unpaid, with a payment whose result the provider has not given yet.
fn awaits_provider(o: &OrderView) -> bool {
    o.status == OrderStatus::AwaitingPayment && o.last_payment.as_deref() == Some("pending")
}

#[component]
fn OrderNotFound() -> impl IntoView {
    set_not_found_status();
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    view! {
        <Title text=t("Commande introuvable", "Order not found")/>
        <section class="not-found" aria-labelledby="order-nf-title">
            <h1 id="order-nf-title">{t("Commande introuvable", "Order not found")}</h1>
            <p>
                {t(
                    "Ce lien de commande n'est pas valable. Vérifiez le lien reçu par e-mail.",
                    "This order link is not valid. Please check the link you received by e-mail.",
                )}
            </p>
            <p>
                <a class="button" href="/retrouver-ma-commande">{t("Retrouver ma commande", "Find my order")}</a>
                " "
                <a class="button" href="/">{t("Voir le programme", "See the programme")}</a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn OrderDetails(order: OrderView) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let status = order.status;
    let paid = status == OrderStatus::Paid;
    let reference = order.reference.clone();
    let perf = order.performance.clone();
    let ts = perf.starts_at.0;
    let place = if perf.venue.is_empty() {
        perf.hall.clone()
    } else {
        format!("{} – {}", perf.hall, perf.venue)
    };
    let id_enc = url_encode(&order.id);
    let token_enc = url_encode(&order.token);
    let all_pdf = format!("/api/v1/orders/{id_enc}/tickets.pdf?token={token_enc}");
    let calendar = format!("/api/v1/orders/{id_enc}/calendar.ics?token={token_enc}");
    let total = order.total_cents;
    let buyer = order.buyer.clone();
    let perf_href = format!("/seances/{}", perf.id);
    let checking = awaits_provider(&order);
    let last_payment = order.last_payment.clone().unwrap_or_default();
    // An unpaid order can be paid again from its page while its seats are held (PayFiP).
    let can_pay = status == OrderStatus::AwaitingPayment && !checking;
    let provider = Resource::new(|| (), |_| payments_online());
    let pay_again = (order.id.clone(), order.token.clone());

    let lines = order
        .lines
        .iter()
        .map(|line| {
            let seat = line.seat.clone();
            let price = line.price_cents;
            let proof = line.proof_required;
            view! {
                <tr>
                    <td>
                        {move || match &seat {
                            Some(s) => lang.get().seat_label(s),
                            None => lang.get().pick("Placement libre", "Unreserved seating").to_string(),
                        }}
                    </td>
                    <td>
                        {line.tariff_label.clone()}
                        {proof
                            .then(|| {
                                view! {
                                    <span class="hint">
                                        {move || lang.get().pick(" (justificatif demandé à l'entrée)", " (proof required at the door)")}
                                    </span>
                                }
                            })}
                    </td>
                    <td class="num">{move || lang.get().price(price)}</td>
                </tr>
            }
        })
        .collect_view();

    let tickets = order
        .tickets
        .iter()
        .map(|ticket| {
            let href = format!("/api/v1/orders/{id_enc}/tickets/{}.pdf?token={token_enc}", ticket.id);
            let qr_src = format!("/api/v1/orders/{id_enc}/tickets/{}.svg?token={token_enc}", ticket.id);
            let qr_number = ticket.number.clone();
            let seat = ticket.seat.clone();
            let number = ticket.number.clone();
            let number_for_link = ticket.number.clone();
            view! {
                <li class="ticket" data-ticket-id=ticket.id>
                    <p class="ticket-number">
                        {t("Billet n° ", "Ticket no. ")}
                        <strong>{number}</strong>
                    </p>
                    <p>
                        {move || match &seat {
                            Some(s) => lang.get().seat_label(s),
                            None => lang.get().pick("Placement libre", "Unreserved seating").to_string(),
                        }}
                        " – "
                        {ticket.tariff_label.clone()}
                        " – "
                        {ticket.holder_name.clone()}
                    </p>
                    <img
                        class="ticket-qr"
                        src=qr_src
                        width="240"
                        height="240"
                        alt=move || match lang.get() {
                            Lang::Fr => format!("QR code du billet {qr_number}"),
                            Lang::En => format!("QR code of ticket {qr_number}"),
                        }
                    />
                    <p>
                        <a href=href rel="external" type="application/pdf" class="download">
                            {move || match lang.get() {
                                Lang::Fr => format!("Télécharger le billet {number_for_link} (PDF)"),
                                Lang::En => format!("Download ticket {number_for_link} (PDF)"),
                            }}
                        </a>
                    </p>
                </li>
            }
        })
        .collect_view();
    let has_tickets = !order.tickets.is_empty();
    let resend = (
        order.id.clone(),
        order.token.clone(),
        order.buyer.email.clone(),
    );

    view! {
        <Title text=move || match lang.get() {
            Lang::Fr => format!("Commande {}", order.reference),
            Lang::En => format!("Order {}", order.reference),
        }/>
        <article class="order" aria-labelledby="order-title" data-order-status=status.as_str()>
            <h1 id="order-title">
                {move || {
                    if paid {
                        lang.get().pick("Merci, votre commande est confirmée", "Thank you, your order is confirmed")
                    } else {
                        lang.get().pick("Votre commande", "Your order")
                    }
                }}
            </h1>
            <dl class="facts">
                <div>
                    <dt>{t("Référence", "Reference")}</dt>
                    <dd class="order-reference">{reference}</dd>
                </div>
                <div>
                    <dt>{t("Statut", "Status")}</dt>
                    <dd class=format!("order-status status-{}", status.as_str())>
                        {move || lang.get().order_status(status)}
                    </dd>
                </div>
                <div>
                    <dt>{t("Séance", "Performance")}</dt>
                    <dd>
                        <a href=perf_href>{perf.title.clone()}</a>
                        ", "
                        <time datetime=perf.starts_at.rfc3339()>{move || lang.get().datetime(ts)}</time>
                        ", "
                        {place}
                    </dd>
                </div>
                <div>
                    <dt>{t("Acheteur", "Buyer")}</dt>
                    <dd>{buyer.name.clone()} " (" {buyer.email.clone()} ")"</dd>
                </div>
            </dl>
            <div class="table-scroll">
                <table class="order-lines">
                    <caption>{t("Détail de la commande", "Order details")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t("Place", "Place")}</th>
                            <th scope="col">{t("Tarif", "Price type")}</th>
                            <th scope="col" class="num">{t("Prix", "Price")}</th>
                        </tr>
                    </thead>
                    <tbody>{lines}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="2">{t("Total", "Total")}</th>
                            <td class="num order-total">{move || lang.get().amount(total)}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            {checking
                .then(|| {
                    view! {
                        <p class="alert alert-info payment-checking" role="status">
                            {t(
                                "Paiement en cours de vérification… Cette page se met à jour dès que le service de paiement a répondu.",
                                "Checking your payment… This page updates as soon as the payment service has answered.",
                            )}
                        </p>
                    }
                })}
            {(!paid && !checking)
                .then(|| {
                    let last_payment = last_payment.clone();
                    view! {
                        <p class="alert alert-info" role="status">
                            {move || match (lang.get(), status, last_payment.as_str()) {
                                (Lang::Fr, OrderStatus::AwaitingPayment, "declined") => "Le paiement a été refusé. Vous pouvez réessayer tant que vos places sont réservées.",
                                (Lang::En, OrderStatus::AwaitingPayment, "declined") => "The payment was declined. You can try again while your places are held.",
                                (Lang::Fr, OrderStatus::AwaitingPayment, "abandoned") => "Paiement abandonné. Vous pouvez réessayer tant que vos places sont réservées.",
                                (Lang::En, OrderStatus::AwaitingPayment, "abandoned") => "Payment abandoned. You can try again while your places are held.",
                                (Lang::Fr, OrderStatus::AwaitingPayment, _) => "Cette commande n'est pas encore payée : les billets seront disponibles après le paiement.",
                                (Lang::En, OrderStatus::AwaitingPayment, _) => "This order is not paid yet: tickets will be available after payment.",
                                (Lang::Fr, _, _) => "Cette commande n'a pas abouti : aucun billet n'a été émis.",
                                (Lang::En, _, _) => "This order did not go through: no ticket was issued.",
                            }}
                        </p>
                    }
                })}
            {can_pay
                .then(|| {
                    let pay_again = pay_again.clone();
                    view! {
                        <Suspense>
                            {move || {
                                let (order_id, token) = pay_again.clone();
                                Suspend::new(async move {
                                    match provider.await {
                                        Ok(PaymentProvider::Payfip) => view! { <PayfipButton order_id token total_cents=total/> }.into_any(),
                                        _ => ().into_any(),
                                    }
                                })
                            }}
                        </Suspense>
                    }
                })}
            {has_tickets
                .then(|| {
                    view! {
                        <section class="tickets" aria-labelledby="tickets-title">
                            <h2 id="tickets-title">{t("Vos billets", "Your tickets")}</h2>
                            <p>
                                <a href=all_pdf rel="external" type="application/pdf" class="button button-primary download-all">
                                    {t("Télécharger tous les billets (PDF)", "Download all tickets (PDF)")}
                                </a>
                                " "
                                <a href=calendar rel="external" type="text/calendar" class="button add-to-calendar" download="seance.ics">
                                    {t("Ajouter à mon agenda (.ics)", "Add to my calendar (.ics)")}
                                </a>
                            </p>
                            <p class="hint">
                                {t(
                                    "Présentez vos billets à l'entrée, imprimés ou sur votre téléphone.",
                                    "Show your tickets at the entrance, printed or on your phone.",
                                )}
                            </p>
                            <ResendTickets order_id=resend.0 token=resend.1 email=resend.2/>
                            <ul class="ticket-list">{tickets}</ul>
                        </section>
                    }
                })}
        </article>
    }
    .into_any()
}

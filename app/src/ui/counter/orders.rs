//! The counter's orders: find an order (ticket number, scanned code, e-mail, reference, name),
//! open it, cancel tickets with a reason, give money back, exchange tickets for another seat or
//! another date of the show.
use crate::api::{
    counter_cancel, counter_exchange, counter_order, counter_refund, counter_resend,
    counter_search_orders, get_show,
};
use crate::box_office::{
    CancelRequest, CounterTicket, ExchangeRequest, Exchanged, OrderFile, OrderSummary,
    RefundRequest,
};
use crate::domain::counter::PaymentMethod;
use crate::domain::Cents;
use crate::error::AppError;
use crate::ui::common::{use_lang, ErrorBox};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn CounterOrders(desk: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<OrderSummary>, AppError>>);
    let open = RwSignal::new(None::<Result<OrderFile, AppError>>);
    // What the last act did; kept while the order is read again.
    let outcome = RwSignal::new(None::<Result<String, AppError>>);
    // The last exchange: its new order (opened in place of the old one).
    let exchanged = RwSignal::new(None::<Exchanged>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        exchanged.set(None);
        let q = query.get_untracked();
        spawn_local(async move {
            let result = counter_search_orders(q).await;
            // One match: opened at once (a scanned ticket).
            if let Ok([one]) = result.as_deref() {
                open.set(Some(counter_order(one.id.clone()).await));
            } else {
                open.set(None);
            }
            found.set(Some(result));
        });
    };
    let choose = move |id: String| {
        outcome.set(None);
        exchanged.set(None);
        spawn_local(async move { open.set(Some(counter_order(id).await)) });
    };
    view! {
        <section class="counter-orders" aria-labelledby="counter-orders-title">
            <h2 id="counter-orders-title">{t("Commandes", "Orders")}</h2>
            <form class="counter-search" on:submit=search>
                <label for="counter-order-query">{t("Billet, référence, e-mail ou nom", "Ticket, reference, e-mail or name")}</label>
                <input id="counter-order-query" type="search" autocomplete="off" prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="submit" class="button button-primary">{t("Chercher", "Search")}</button>
            </form>
            {move || match found.get() {
                None => ().into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p role="status">{t("Aucune commande trouvée.", "No order found.")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="counter-found">
                        <thead><tr>
                            <th>{t("Référence", "Reference")}</th><th>{t("Acheteur", "Buyer")}</th>
                            <th>{t("Séance", "Performance")}</th><th>{t("Billets", "Tickets")}</th><th>{t("Total", "Total")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|o| {
                                let id = o.id.clone();
                                let starts = o.starts_at.0;
                                view! {
                                    <tr>
                                        <td><button type="button" class="link-button" on:click=move |_| choose(id.clone())>{o.reference.clone()}</button></td>
                                        <td>{o.buyer_name.clone()}</td>
                                        <td>{format!("{} – ", o.show_title)}{move || lang.get().datetime(starts)}</td>
                                        <td>{o.valid_tickets}</td>
                                        <td>{move || lang.get().amount(o.total_cents)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            {move || match open.get() {
                None => ().into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(file)) => view! { <OrderFileView file desk open outcome exchanged/> }.into_any(),
            }}
            {move || exchanged.get().map(|x| view! { <ExchangeDone x/> })}
        </section>
    }
}

#[component]
fn OrderFileView(
    file: OrderFile,
    desk: RwSignal<String>,
    open: RwSignal<Option<Result<OrderFile, AppError>>>,
    outcome: RwSignal<Option<Result<String, AppError>>>,
    exchanged: RwSignal<Option<Exchanged>>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let id = file.order.id.clone();
    let selected = RwSignal::new(Vec::<i64>::new());
    let reason = RwSignal::new(String::new());
    let method = RwSignal::new(PaymentMethod::Cash);
    let amount = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let prices: StoredValue<Vec<(i64, i64)>> = StoredValue::new(
        file.order
            .tickets
            .iter()
            .map(|t| (t.id, t.price_cents))
            .collect(),
    );
    let refundable = file.refundable_cents;
    // The amount follows the tickets ticked until the agent types one.
    let suggested = move || {
        let chosen: i64 = selected.with(|s| {
            prices.with_value(|prices| {
                prices
                    .iter()
                    .filter(|(id, _)| s.contains(id))
                    .map(|(_, p)| *p)
                    .sum()
            })
        });
        let cents = if chosen > 0 {
            chosen.min(refundable)
        } else {
            refundable
        };
        format!("{},{:02}", cents / 100, cents % 100)
    };
    let done = move |result: Result<crate::box_office::AfterSale, AppError>, id: String| {
        spawn_local(async move {
            match result {
                Ok(a) => {
                    outcome.set(Some(Ok(a.cancelled.join(", "))));
                    open.set(Some(counter_order(id).await));
                }
                Err(e) => outcome.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };
    let cancel_id = id.clone();
    let cancel = move |_| {
        let (id, ids, why, desk) = (
            cancel_id.clone(),
            selected.get_untracked(),
            reason.get_untracked(),
            desk.get_untracked(),
        );
        busy.set(true);
        spawn_local(async move {
            let request = CancelRequest {
                ticket_ids: (!ids.is_empty()).then_some(ids),
                reason: why,
                desk: Some(desk),
            };
            done(counter_cancel(id.clone(), request).await, id);
        });
    };
    let refund_id = id.clone();
    let refund = move |_| {
        let typed = amount.get_untracked();
        let raw = if typed.trim().is_empty() {
            suggested()
        } else {
            typed
        };
        let Some(cents) = Cents::parse_euros(&raw) else {
            outcome.set(Some(Err(AppError::new(
                crate::error::ErrorCode::Validation,
                lang.get_untracked()
                    .pick("Montant illisible.", "Unreadable amount."),
            ))));
            return;
        };
        let (id, ids, why, desk, m) = (
            refund_id.clone(),
            selected.get_untracked(),
            reason.get_untracked(),
            desk.get_untracked(),
            method.get_untracked(),
        );
        busy.set(true);
        spawn_local(async move {
            let request = RefundRequest {
                amount_cents: cents.0,
                method: m,
                ticket_ids: (!ids.is_empty()).then_some(ids),
                reason: (!why.trim().is_empty()).then_some(why),
                desk: Some(desk),
            };
            done(counter_refund(id.clone(), request).await, id);
        });
    };
    let order = file.order.clone();
    let file_for_exchange = file.clone();
    // The tickets e-mailed again, to the order's address or to the one typed.
    let mail_to = RwSignal::new(String::new());
    let mailed = RwSignal::new(None::<Result<String, AppError>>);
    let resend_id = id.clone();
    let resend = move |_| {
        let (id, to) = (resend_id.clone(), mail_to.get_untracked());
        busy.set(true);
        mailed.set(None);
        spawn_local(async move {
            let to = (!to.trim().is_empty()).then_some(to);
            let result = counter_resend(id, to).await.map(|q| q.to);
            let _ = mailed.try_set(Some(result));
            let _ = busy.try_set(false);
        });
    };
    let email_placeholder = order.buyer.email.clone();
    view! {
        <article class="counter-file" aria-labelledby="counter-file-title">
            <h3 id="counter-file-title">{format!("{} – {}", order.reference, order.buyer.name)}</h3>
            <p>{order.performance.title.clone()}" · "{move || lang.get().amount(file.paid_cents)}
                " · "{t("remboursé", "refunded")}" "{move || lang.get().amount(file.refunded_cents)}
                " · "{t("remboursable", "refundable")}" "<strong id="counter-refundable">{move || lang.get().amount(refundable)}</strong></p>
            <table class="counter-file-tickets">
                <thead><tr><th></th><th>{t("Billet", "Ticket")}</th><th>{t("Place", "Seat")}</th><th>{t("Tarif", "Tariff")}</th><th>{t("Prix", "Price")}</th><th>{t("État", "Status")}</th></tr></thead>
                <tbody>
                    {order.tickets.iter().map(|tk| {
                        let tid = tk.id;
                        let valid = tk.status == "valid";
                        let seat = tk.seat.clone();
                        let seat = move || seat.as_ref().map_or_else(|| "—".to_string(), |s| lang.get().seat_label(s));
                        let price = tk.price_cents;
                        view! {
                            <tr data-ticket=tk.number.clone() class:cancelled=!valid>
                                <td><input type="checkbox" disabled=!valid aria-label=tk.number.clone()
                                    prop:checked=move || selected.with(|s| s.contains(&tid))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected.update(|s| { s.retain(|x| *x != tid); if on { s.push(tid) } });
                                    }/></td>
                                <td>{tk.number.clone()}</td>
                                <td>{seat}</td>
                                <td>{tk.tariff_label.clone()}</td>
                                <td>{move || lang.get().amount(price)}</td>
                                <td class="ticket-status">{if valid { t("valide", "valid")() } else { t("annulé", "cancelled")() }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="counter-after-sale">
                <label for="counter-reason">{t("Motif", "Reason")}</label>
                <input id="counter-reason" type="text" maxlength="200" prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button id="counter-cancel" type="button" class="button button-secondary" disabled=move || busy.get() on:click=cancel>
                    {move || if selected.with(Vec::is_empty) { t("Annuler la commande", "Cancel the order")() } else { t("Annuler les billets cochés", "Cancel the ticked tickets")() }}
                </button>
                <select id="counter-refund-method" aria-label=t("Moyen de remboursement", "Refund means")
                    on:change=move |ev| method.set(PaymentMethod::parse(&event_target_value(&ev)).unwrap_or(PaymentMethod::Cash))>
                    {PaymentMethod::ALL.into_iter().filter(|m| *m != PaymentMethod::Free).map(|m| view! {
                        <option value=m.code()>{move || m.label(lang.get())}</option>
                    }).collect_view()}
                </select>
                <input id="counter-refund-amount" type="text" inputmode="decimal" aria-label=t("Montant à rembourser", "Amount to refund")
                    placeholder=suggested prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                <button id="counter-refund" type="button" class="button button-secondary" disabled=move || busy.get() on:click=refund>
                    {t("Rembourser", "Refund")}
                </button>
            </div>
            <ExchangePanel file=file_for_exchange selected reason desk open outcome busy exchanged/>
            <div class="counter-resend">
                <label for="counter-resend-to">{t("Renvoyer les billets à", "E-mail the tickets to")}</label>
                <input id="counter-resend-to" type="email" maxlength="254" placeholder=email_placeholder
                    prop:value=move || mail_to.get() on:input=move |ev| mail_to.set(event_target_value(&ev))/>
                <button id="counter-resend" type="button" class="button button-secondary" disabled=move || busy.get() on:click=resend>
                    {t("Renvoyer par e-mail", "E-mail again")}
                </button>
                {move || mailed.get().map(|m| match m {
                    Ok(to) => view! { <p class="alert alert-success counter-resent" role="status">{t("Billets envoyés à ", "Tickets sent to ")}{to}</p> }.into_any(),
                    Err(err) => view! { <ErrorBox err/> }.into_any(),
                })}
            </div>
            {move || outcome.get().map(|o| match o {
                Ok(numbers) if numbers.is_empty() => view! { <p class="alert alert-success" role="status">{t("Enregistré.", "Recorded.")}</p> }.into_any(),
                Ok(numbers) => view! { <p class="alert alert-success" role="status">{t("Billets annulés : ", "Tickets cancelled: ")}{numbers}</p> }.into_any(),
                Err(err) => view! { <ErrorBox err/> }.into_any(),
            })}
        </article>
    }
}

/// Tickets ticked in the order file exchanged for as many best seats, same tariffs, of a
/// performance of the show (the same one for other seats); the difference by one means.
#[component]
fn ExchangePanel(
    file: OrderFile,
    selected: RwSignal<Vec<i64>>,
    reason: RwSignal<String>,
    desk: RwSignal<String>,
    open: RwSignal<Option<Result<OrderFile, AppError>>>,
    outcome: RwSignal<Option<Result<String, AppError>>>,
    busy: RwSignal<bool>,
    exchanged: RwSignal<Option<Exchanged>>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let order = file.order.clone();
    let current = order.performance.id;
    let target = RwSignal::new(current);
    let method = RwSignal::new(PaymentMethod::Cash);
    // The show's performances on sale, the order's own first.
    let show_id = order.performance.show_id;
    let dates = LocalResource::new(move || get_show(show_id));
    let tariffs: StoredValue<Vec<(i64, String)>> = StoredValue::new(
        order
            .tickets
            .iter()
            .map(|t| (t.id, t.tariff.clone()))
            .collect(),
    );
    let id = order.id.clone();
    let exchange = move |_| {
        let ids = selected.get_untracked();
        if ids.is_empty() {
            return;
        }
        let tickets: Vec<CounterTicket> = tariffs.with_value(|all| {
            all.iter()
                .filter(|(tid, _)| ids.contains(tid))
                .map(|(_, tariff)| CounterTicket {
                    seat_id: None,
                    tariff: tariff.clone(),
                })
                .collect()
        });
        let request = ExchangeRequest {
            quantity: Some(tickets.len() as i64),
            ticket_ids: ids,
            performance_id: Some(target.get_untracked()),
            seat_ids: None,
            tickets,
            payments: Vec::new(),
            difference_method: Some(method.get_untracked()),
            reason: reason.get_untracked(),
            desk: Some(desk.get_untracked()),
        };
        let id = id.clone();
        busy.set(true);
        spawn_local(async move {
            match counter_exchange(id, request).await {
                Ok(x) => {
                    selected.set(Vec::new());
                    outcome.set(Some(Ok(x.cancelled.join(", "))));
                    let new_id = x.order.id.clone();
                    exchanged.set(Some(x));
                    open.set(Some(counter_order(new_id).await));
                }
                Err(e) => outcome.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="counter-exchange" role="group" aria-labelledby="counter-exchange-title">
            <h4 id="counter-exchange-title">{t("Échanger les billets cochés", "Exchange the ticked tickets")}</h4>
            <label for="counter-exchange-performance">{t("Séance", "Performance")}</label>
            <select id="counter-exchange-performance"
                on:change=move |ev| target.set(event_target_value(&ev).parse().unwrap_or(current))>
                <option value=current.to_string() selected=true>
                    {t("La même (autres places)", "The same (other seats)")}
                </option>
                {move || dates.get().and_then(Result::ok).map(|show| show.performances.into_iter()
                    .filter(|p| p.id != current)
                    .map(|p| {
                        let starts = p.starts_at.0;
                        view! { <option value=p.id.to_string()>{move || lang.get().datetime(starts)}" – "{p.hall.clone()}</option> }
                    })
                    .collect_view())}
            </select>
            <label for="counter-exchange-method">{t("Différence par", "Difference by")}</label>
            <select id="counter-exchange-method"
                on:change=move |ev| method.set(PaymentMethod::parse(&event_target_value(&ev)).unwrap_or(PaymentMethod::Cash))>
                {PaymentMethod::ALL.into_iter().filter(|m| *m != PaymentMethod::Free).map(|m| view! {
                    <option value=m.code()>{move || m.label(lang.get())}</option>
                }).collect_view()}
            </select>
            <button id="counter-exchange" type="button" class="button button-secondary"
                disabled=move || busy.get() || selected.with(Vec::is_empty) on:click=exchange>
                {t("Échanger", "Exchange")}
            </button>
        </div>
    }
}

/// An exchange done: the new order, the difference to collect or give back, its tickets.
#[component]
fn ExchangeDone(x: Exchanged) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let diff = x.difference_cents;
    let pdf = format!(
        "/api/v1/orders/{}/tickets.pdf?token={}",
        x.order.id, x.order.token
    );
    view! {
        <p class="alert alert-success" role="status" id="counter-exchange-done">
            {t("Échange fait : nouvelle commande ", "Exchanged: new order ")}<strong>{x.order.reference.clone()}</strong>" · "
            {move || if diff > 0 {
                format!("{} {}", lang.get().pick("à encaisser :", "to collect:"), lang.get().amount(diff))
            } else if diff < 0 {
                format!("{} {}", lang.get().pick("à rendre :", "to give back:"), lang.get().amount(-diff))
            } else {
                lang.get().pick("sans différence", "no difference").to_string()
            }}
            " · "<a href=pdf target="_blank" rel="noopener">{t("Billets (PDF)", "Tickets (PDF)")}</a>
        </p>
    }
}

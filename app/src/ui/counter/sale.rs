//! A counter sale: seats (on the map, or the N best ones from a number typed), a tariff per
//! ticket, payments by means (cash first, with the amount handed over and the change), and the
//! receipt with the tickets to print. Or seats kept to be paid later.
use crate::api::{
    counter_block, counter_release, counter_reserve, counter_seat_blocks, counter_sell,
};
use crate::box_office::{
    BlockRequest, CounterBuyer, CounterReservationRequest, CounterSale as Sold, CounterSaleRequest,
    CounterTicket, ReleaseRequest,
};
use crate::domain::counter::{PaymentLine, PaymentMethod};
use crate::domain::plan::BlockReason;
use crate::domain::seating::{best_adjacent, best_focus, SeatPos};
use crate::domain::Cents;
use crate::dto::{Seat, SeatStatus, Tariff};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ui::booking::places::{category_of, seat_place};
use crate::ui::booking::seatmap::{SeatLegend, SeatMapView};
use crate::ui::booking::state::Booking;
use crate::ui::common::ErrorBox;
use crate::ui::common::{focus_later, use_lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A ticket to price: its seat (numbered halls) and the tariffs it may have.
#[derive(Clone, PartialEq)]
struct Line {
    seat: Option<Seat>,
    tariffs: Vec<Tariff>,
}

/// A payment as typed: means, amount, what was handed over (cash).
#[derive(Clone, PartialEq)]
struct PaymentRow {
    method: PaymentMethod,
    amount: String,
    tendered: String,
}

fn euros(raw: &str) -> Option<i64> {
    Cents::parse_euros(raw).map(|c| c.0)
}

fn typed(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

#[component]
pub fn CounterSale(booking: Booking, desk: RwSignal<String>, sold: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let title = booking.map.with_value(|m| m.performance.title.clone());
    let count = RwSignal::new(String::new());
    // The tariff chosen for each line, by code (the first the seat offers by default).
    let choices = RwSignal::new(Vec::<String>::new());
    let payments = RwSignal::new(vec![PaymentRow {
        method: PaymentMethod::Cash,
        amount: String::new(),
        tendered: String::new(),
    }]);
    // Whether the agent typed the first payment's amount (else it follows the total).
    let amount_typed = RwSignal::new(false);
    let buyer_name = RwSignal::new(String::new());
    let buyer_email = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    let receipt = RwSignal::new(None::<Sold>);
    let kept = RwSignal::new(None::<String>);

    // The lines: the seats chosen, or a number of places (general admission).
    let lines = Memo::new(move |_| -> Vec<Line> {
        booking.map.with_value(|m| {
            if booking.seated {
                booking.pick.selection.with(|sel| {
                    sel.iter()
                        .filter_map(|id| m.seats.iter().find(|s| s.id == *id))
                        .map(|s| Line {
                            seat: Some(s.clone()),
                            tariffs: category_of(m, s)
                                .map(|c| c.tariffs.clone())
                                .unwrap_or_default(),
                        })
                        .collect()
                })
            } else {
                let n = count
                    .get()
                    .trim()
                    .parse::<i64>()
                    .unwrap_or(0)
                    .clamp(0, crate::box_office::COUNTER_MAX_SEATS);
                (0..n)
                    .map(|_| Line {
                        seat: None,
                        tariffs: m.tariffs.clone(),
                    })
                    .collect()
            }
        })
    });
    // Keep each line's tariff as lines come and go (the first tariff for a new line).
    Effect::new(move |_| {
        let ls = lines.get();
        choices.update(|c| {
            c.truncate(ls.len());
            for l in ls.iter().skip(c.len()) {
                c.push(
                    l.tariffs
                        .first()
                        .map(|t| t.code.clone())
                        .unwrap_or_default(),
                );
            }
        });
    });
    let price_of = move |i: usize| -> i64 {
        lines.with(|ls| {
            choices.with(|c| {
                ls.get(i)
                    .and_then(|l| {
                        let code = c.get(i)?;
                        l.tariffs.iter().find(|t| &t.code == code)
                    })
                    .map(|t| t.price_cents)
                    .unwrap_or(0)
            })
        })
    };
    let total = Memo::new(move |_| (0..lines.with(Vec::len)).map(price_of).sum::<i64>());
    // The first payment follows the total until the agent types another amount.
    Effect::new(move |_| {
        let total = total.get();
        if !amount_typed.get_untracked() {
            payments.update(|p| {
                if let Some(first) = p.first_mut() {
                    first.amount = typed(total);
                }
            });
        }
    });
    let change = move || {
        payments.with(|ps| {
            ps.iter()
                .find(|p| p.method == PaymentMethod::Cash)
                .and_then(|p| Some(euros(&p.tendered)? - euros(&p.amount)?))
                .unwrap_or(0)
                .max(0)
        })
    };

    // "2" + Enter: the two best seats side by side (the same choice as online).
    let pick_best = move || {
        if !booking.seated {
            focus_later("#counter-tendered-0");
            return;
        }
        let Ok(n) = count.get_untracked().trim().parse::<usize>() else {
            return;
        };
        let chosen = booking.map.with_value(|m| {
            let positions: Vec<SeatPos> = m
                .seats
                .iter()
                .map(|s| SeatPos {
                    id: s.id,
                    zone_id: s.zone_id,
                    row: s.row.clone(),
                    x: s.x,
                    y: s.y,
                })
                .collect();
            let focus = best_focus((m.stage.x, m.stage.y, m.stage.w, m.stage.h), m.height);
            best_adjacent(
                &positions,
                |id| booking.status(id) == SeatStatus::Free,
                n,
                focus,
            )
        });
        match chosen {
            Some(seats) => {
                error.set(None);
                booking.pick.selection.set(seats);
                focus_later("#counter-tendered-0");
            }
            None => error.set(Some(Msg::new(
                format!("Pas de {n} places côte à côte libres : choisissez sur le plan."),
                format!("No {n} free seats side by side: choose on the map."),
            ))),
        }
    };

    let request_tickets = move || -> Vec<CounterTicket> {
        lines.with_untracked(|ls| {
            choices.with_untracked(|c| {
                ls.iter()
                    .enumerate()
                    .map(|(i, l)| CounterTicket {
                        seat_id: l.seat.as_ref().map(|s| s.id),
                        tariff: c.get(i).cloned().unwrap_or_default(),
                    })
                    .collect()
            })
        })
    };
    let buyer = move || {
        let (name, email) = (buyer_name.get_untracked(), buyer_email.get_untracked());
        (!name.trim().is_empty() || !email.trim().is_empty()).then(|| CounterBuyer {
            name: Some(name),
            email: Some(email),
        })
    };
    let selection = move || {
        if booking.seated {
            (Some(booking.pick.selection.get_untracked()), None)
        } else {
            let n = lines.with_untracked(Vec::len) as i64;
            (None, Some(n))
        }
    };
    let reset = move || {
        booking.pick.selection.set(Vec::new());
        count.set(String::new());
        payments.set(vec![PaymentRow {
            method: PaymentMethod::Cash,
            amount: String::new(),
            tendered: String::new(),
        }]);
        amount_typed.set(false);
        buyer_name.set(String::new());
        buyer_email.set(String::new());
        reason.set(String::new());
        receipt.set(None);
        kept.set(None);
        error.set(None);
        focus_later("#counter-count");
    };
    let sell = move || {
        if busy.get_untracked() {
            return;
        }
        let lines_n = lines.with_untracked(Vec::len);
        if lines_n == 0 {
            error.set(Some(Msg::new(
                "Choisissez des places (sur le plan, ou un nombre puis Entrée).",
                "Choose seats (on the map, or a number then Enter).",
            )));
            return;
        }
        let mut lines_out = Vec::new();
        for p in payments.get_untracked() {
            let Some(amount) = euros(&p.amount) else {
                error.set(Some(Msg::new(
                    format!("Montant illisible : « {} » (ex. 12,50).", p.amount),
                    format!("Unreadable amount: “{}” (e.g. 12.50).", p.amount),
                )));
                return;
            };
            let tendered = match p.tendered.trim() {
                "" => None,
                raw => match euros(raw) {
                    Some(c) => Some(c),
                    None => {
                        error.set(Some(Msg::new(
                            format!("Montant remis illisible : « {raw} »."),
                            format!("Unreadable amount handed over: “{raw}”."),
                        )));
                        return;
                    }
                },
            };
            // Nothing to pay: the line is left out (an invitation is paid "free").
            if amount == 0 && total.get_untracked() == 0 {
                continue;
            }
            lines_out.push(PaymentLine {
                method: p.method,
                amount_cents: amount,
                tendered_cents: tendered,
            });
        }
        let (seat_ids, quantity) = selection();
        let request = CounterSaleRequest {
            performance_id: booking.performance_id,
            seat_ids,
            quantity,
            tickets: request_tickets(),
            payments: lines_out,
            buyer: buyer(),
            desk: Some(desk.get_untracked()),
            reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = counter_sell(request).await;
            busy.set(false);
            match result {
                Ok(done) => {
                    booking.pick.selection.set(Vec::new());
                    receipt.set(Some(done));
                    sold.update(|v| *v += 1);
                    booking.refresh();
                    focus_later("#counter-next");
                }
                Err(err) => error.set(Some(Msg::from_error(&err))),
            }
        });
    };
    let reserve = move |_| {
        let (seat_ids, quantity) = selection();
        let request = CounterReservationRequest {
            performance_id: booking.performance_id,
            seat_ids,
            quantity,
            tickets: request_tickets(),
            buyer: CounterBuyer {
                name: Some(buyer_name.get_untracked()),
                email: Some(buyer_email.get_untracked()),
            },
            hold_minutes: None,
            desk: Some(desk.get_untracked()),
        };
        spawn_local(async move {
            match counter_reserve(request).await {
                Ok(order) => {
                    booking.pick.selection.set(Vec::new());
                    kept.set(Some(order.reference));
                    sold.update(|v| *v += 1);
                    booking.refresh();
                }
                Err(err) => error.set(Some(Msg::from_error(&err))),
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sell();
    };

    let line_view = move |i: usize, l: Line| {
        let seat = l.seat.clone();
        let label = move || match &seat {
            Some(s) => seat_place(lang.get(), s),
            None => format!("{} {}", lang.get().pick("Place", "Place"), i + 1),
        };
        let label2 = label.clone();
        let options = l.tariffs.clone();
        let proof = move || {
            choices.with(|c| {
                options
                    .iter()
                    .find(|t| Some(&t.code) == c.get(i))
                    .is_some_and(|t| t.proof_required)
            })
        };
        let tariffs = l.tariffs.clone();
        view! {
            <li class="counter-line">
                <span class="counter-line-seat">{label}</span>
                <select aria-label=move || format!("{} – {}", lang.get().pick("Tarif", "Tariff"), label2())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        choices.update(|c| if let Some(slot) = c.get_mut(i) { *slot = v });
                    }>
                    {tariffs.into_iter().map(|tr| {
                        let code = tr.code.clone();
                        let selected = choices.with_untracked(|c| c.get(i) == Some(&code));
                        view! { <option value=code selected=selected>{move || format!("{} – {}", lang.get().tariff_label(&tr), lang.get().price(tr.price_cents))}</option> }
                    }).collect_view()}
                </select>
                <Show when=proof>
                    <span class="counter-proof">{move || lang.get().pick("justificatif", "proof")}</span>
                </Show>
            </li>
        }
    };

    view! {
        <section class="counter-map" aria-labelledby="counter-map-title">
            <h2 id="counter-map-title">{title}</h2>
            {if booking.seated {
                view! { <SeatLegend booking/> <SeatMapView booking/> <SeatBlocksPanel booking/> }.into_any()
            } else {
                view! {
                    <p class="availability">{move || lang.get().places_left(booking.live.available.get())}</p>
                }.into_any()
            }}
        </section>
        <section class="counter-sale" aria-labelledby="counter-sale-title">
            <h2 id="counter-sale-title">{t("Vente", "Sale")}</h2>
            {move || match (receipt.get(), kept.get()) {
                (Some(done), _) => view! { <Receipt done on_next=Callback::new(move |_| reset())/> }.into_any(),
                (None, Some(reference)) => view! {
                    <p class="alert alert-info" role="status">{move || match lang.get() {
                        Lang::Fr => format!("Places réservées, à régler au guichet : commande {reference}."),
                        Lang::En => format!("Seats kept, to pay at the counter: order {reference}."),
                    }}</p>
                    <button id="counter-next" type="button" class="button button-primary" on:click=move |_| reset()>
                        {move || lang.get().pick("Vente suivante", "Next sale")}
                    </button>
                }.into_any(),
                (None, None) => view! {
                    <form class="counter-form" on:submit=on_submit>
                        <label for="counter-count">{move || if booking.seated {
                            lang.get().pick("Nombre de places (les meilleures, côte à côte) — ou cliquez sur le plan", "Number of seats (the best, side by side) — or click on the map")
                        } else {
                            lang.get().pick("Nombre de places", "Number of places")
                        }}</label>
                        <input id="counter-count" type="text" inputmode="numeric" autocomplete="off" autofocus
                            prop:value=move || count.get()
                            on:input=move |ev| count.set(event_target_value(&ev))
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Enter" {
                                    ev.prevent_default();
                                    pick_best();
                                }
                            }/>
                        <ul class="counter-lines">
                            {move || lines.get().into_iter().enumerate().map(|(i, l)| line_view(i, l)).collect_view()}
                        </ul>
                        <p class="counter-total">{move || format!("{} {}", lang.get().pick("Total :", "Total:"), lang.get().amount(total.get()))}</p>
                        <fieldset class="counter-payments">
                            <legend>{t("Paiement", "Payment")}</legend>
                            {move || payments.get().into_iter().enumerate().map(|(i, p)| {
                                let is_cash = p.method == PaymentMethod::Cash;
                                view! {
                                    <div class="counter-payment">
                                        <select id=format!("counter-method-{i}") aria-label=t("Moyen de paiement", "Means of payment")
                                            on:change=move |ev| {
                                                let m = PaymentMethod::parse(&event_target_value(&ev)).unwrap_or(PaymentMethod::Cash);
                                                payments.update(|ps| if let Some(p) = ps.get_mut(i) { p.method = m });
                                            }>
                                            {PaymentMethod::ALL.into_iter().map(|m| view! {
                                                <option value=m.code() selected=m == p.method>{move || m.label(lang.get())}</option>
                                            }).collect_view()}
                                        </select>
                                        <input id=format!("counter-amount-{i}") type="text" inputmode="decimal" class="counter-amount"
                                            aria-label=t("Montant", "Amount") prop:value=p.amount.clone()
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                if i == 0 { amount_typed.set(true); }
                                                payments.update(|ps| if let Some(p) = ps.get_mut(i) { p.amount = v });
                                            }/>
                                        {is_cash.then(|| view! {
                                            <input id=format!("counter-tendered-{i}") type="text" inputmode="decimal" class="counter-tendered"
                                                aria-label=t("Montant remis (espèces)", "Amount handed over (cash)")
                                                placeholder=t("remis", "handed")
                                                prop:value=p.tendered.clone()
                                                on:input=move |ev| {
                                                    let v = event_target_value(&ev);
                                                    payments.update(|ps| if let Some(p) = ps.get_mut(i) { p.tendered = v });
                                                }/>
                                        })}
                                    </div>
                                }
                            }).collect_view()}
                            <button type="button" class="button button-secondary button-small" on:click=move |_| {
                                let paid: i64 = payments.with_untracked(|ps| ps.iter().filter_map(|p| euros(&p.amount)).sum());
                                amount_typed.set(true);
                                payments.update(|ps| ps.push(PaymentRow {
                                    method: PaymentMethod::Card,
                                    amount: typed((total.get_untracked() - paid).max(0)),
                                    tendered: String::new(),
                                }));
                            }>{t("+ Autre moyen", "+ Another means")}</button>
                        </fieldset>
                        <p class="counter-change" aria-live="polite">{move || {
                            let c = change();
                            (c > 0).then(|| format!("{} {}", lang.get().pick("À rendre :", "Change:"), lang.get().amount(c)))
                        }}</p>
                        <Show when=move || total.get() == 0 && lines.with(|l| !l.is_empty())>
                            <label for="counter-reason">{t("Motif de la gratuité (invitation)", "Why it is free (invitation)")}</label>
                            <input id="counter-reason" type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                        </Show>
                        <details class="counter-buyer">
                            <summary>{t("Acheteur (facultatif)", "Buyer (optional)")}</summary>
                            <label for="counter-buyer-name">{t("Nom", "Name")}</label>
                            <input id="counter-buyer-name" type="text" prop:value=move || buyer_name.get() on:input=move |ev| buyer_name.set(event_target_value(&ev))/>
                            <label for="counter-buyer-email">{t("E-mail", "E-mail")}</label>
                            <input id="counter-buyer-email" type="email" prop:value=move || buyer_email.get() on:input=move |ev| buyer_email.set(event_target_value(&ev))/>
                        </details>
                        <div class="alert-region" role="alert">
                            {move || error.get().map(|m| view! { <p class="alert alert-error">{move || m.get(lang.get())}</p> })}
                        </div>
                        <div class="button-row">
                            <button type="submit" class="button button-primary" disabled=move || busy.get()>{t("Encaisser", "Take payment")}</button>
                            <button type="button" class="button button-secondary" on:click=reserve>{t("Réserver (à régler au guichet)", "Keep (pay at the counter)")}</button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// The sale done: the change to give (large), the tickets, printing.
#[component]
fn Receipt(done: Sold, on_next: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let change = done.change_due_cents;
    let order = done.order.clone();
    let pdf = format!(
        "/api/v1/orders/{}/tickets.pdf?token={}",
        order.id, order.token
    );
    let roll = format!("{pdf}&format=roll");
    let reference = order.reference.clone();
    view! {
        <div class="counter-receipt" role="status">
            <p class="counter-done">{move || match lang.get() {
                Lang::Fr => format!("Vente enregistrée : commande {reference}."),
                Lang::En => format!("Sale recorded: order {reference}."),
            }}</p>
            <p class="counter-change-due">{move || format!("{} {}", lang.get().pick("À rendre :", "Change:"), lang.get().amount(change))}</p>
            <ul class="counter-tickets">
                {order.tickets.iter().map(|tk| view! { <li>{tk.number.clone()}</li> }).collect_view()}
            </ul>
            <div class="button-row">
                <a class="button" href=pdf target="_blank" rel="noopener">{t("Billets A4 (PDF)", "Tickets A4 (PDF)")}</a>
                <a class="button" href=roll target="_blank" rel="noopener">{t("Billets ticket 80 mm", "Tickets 80 mm roll")}</a>
                <button id="counter-next" type="button" class="button button-primary" on:click=move |_| on_next.run(())>
                    {t("Vente suivante", "Next sale")}
                </button>
            </div>
        </div>
    }
}

/// Seats kept off this performance's sale: the seats chosen on the map blocked with a reason,
/// and the blocked ones listed, each released with a click.
#[component]
fn SeatBlocksPanel(booking: Booking) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let perf = booking.performance_id;
    let version = RwSignal::new(0u32);
    let blocks = LocalResource::new(move || {
        version.get();
        counter_seat_blocks(perf)
    });
    let reason = RwSignal::new(BlockReason::House);
    let failure = RwSignal::new(None::<AppError>);
    let block = move |_| {
        let seat_ids = booking.pick.selection.get_untracked();
        if seat_ids.is_empty() {
            return;
        }
        let request = BlockRequest {
            seat_ids,
            reason: reason.get_untracked(),
        };
        spawn_local(async move {
            match counter_block(perf, request).await {
                Ok(_) => {
                    failure.set(None);
                    booking.pick.selection.set(Vec::new());
                }
                Err(e) => failure.set(Some(e)),
            }
            version.update(|v| *v += 1);
        });
    };
    let release = move |seat: i64| {
        spawn_local(async move {
            match counter_release(
                perf,
                ReleaseRequest {
                    seat_ids: vec![seat],
                },
            )
            .await
            {
                Ok(_) => failure.set(None),
                Err(e) => failure.set(Some(e)),
            }
            version.update(|v| *v += 1);
        });
    };
    view! {
        <details class="counter-blocks">
            <summary>{move || {
                let n = blocks.get().and_then(Result::ok).map_or(0, |b| b.blocked.len());
                format!("{} ({n})", lang.get().pick("Places bloquées pour cette séance", "Seats blocked for this performance"))
            }}</summary>
            <div class="counter-block-form">
                <label for="counter-block-reason">{t("Motif", "Reason")}</label>
                <select id="counter-block-reason"
                    on:change=move |ev| reason.set(BlockReason::parse(&event_target_value(&ev)).unwrap_or(BlockReason::Other))>
                    {BlockReason::ALL.into_iter().map(|r| view! {
                        <option value=r.code()>{move || r.label(lang.get())}</option>
                    }).collect_view()}
                </select>
                <button id="counter-block" type="button" class="button button-secondary button-small"
                    disabled=move || booking.pick.selection.with(Vec::is_empty) on:click=block>
                    {t("Bloquer les places choisies", "Block the chosen seats")}
                </button>
            </div>
            {move || failure.get().map(|err| view! { <ErrorBox err/> })}
            <ul class="counter-blocked">
                {move || blocks.get().and_then(Result::ok).map(|b| b.blocked.into_iter().map(|x| {
                    let seat = x.seat_id;
                    view! {
                        <li data-seat=seat.to_string()>
                            {x.seat.clone()}" – "{move || x.reason.label(lang.get())}" "
                            <button type="button" class="link-button" on:click=move |_| release(seat)>
                                {t("Libérer", "Release")}
                            </button>
                        </li>
                    }
                }).collect_view())}
            </ul>
        </details>
    }
}

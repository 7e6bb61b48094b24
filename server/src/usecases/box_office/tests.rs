use crate::usecases::fakes::*;
use app::box_office::*;
use app::domain::counter::{PaymentLine, PaymentMethod, PaymentProblem};
use app::domain::sale_window::SaleRefusal;
use app::dto::{OrderStatus, SeatStatus};
use app::ports::{BoxOffice, Catalogue, CounterError, HoldError, PaymentError};
use app::staff::{Actor, StaffMember, Via};

fn agent(role: app::domain::Role, supervisor: bool) -> Actor {
    Actor {
        staff: Some(StaffMember {
            id: 7,
            email: "caisse@ville.fr".into(),
            name: "Camille Caisse".into(),
            role,
            supervisor,
            disabled: false,
        }),
        via: Via::Session,
    }
}

fn counter() -> Actor {
    agent(app::domain::Role::BoxOffice, false)
}

fn cash(amount: i64, tendered: i64) -> PaymentLine {
    PaymentLine {
        method: PaymentMethod::Cash,
        amount_cents: amount,
        tendered_cents: Some(tendered),
    }
}

fn pay(method: PaymentMethod, amount: i64) -> PaymentLine {
    PaymentLine {
        method,
        amount_cents: amount,
        tendered_cents: None,
    }
}

fn sale(
    perf: i64,
    seats: &[i64],
    tariffs: &[&str],
    payments: Vec<PaymentLine>,
) -> CounterSaleRequest {
    CounterSaleRequest {
        performance_id: perf,
        seat_ids: Some(seats.to_vec()),
        quantity: None,
        tickets: seats
            .iter()
            .zip(tariffs)
            .map(|(s, t)| CounterTicket {
                seat_id: Some(*s),
                tariff: t.to_string(),
            })
            .collect(),
        payments,
        buyer: None,
        desk: Some("guichet-1".into()),
        reason: None,
    }
}

#[tokio::test]
async fn two_walk_in_seats_paid_in_cash_give_change() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let done =
        w.uc.box_office
            .sell(
                &counter(),
                &sale(perf, &s[0..2], &["plein", "plein"], vec![cash(4000, 5000)]),
            )
            .await
            .unwrap();
    assert_eq!(done.order.status, OrderStatus::Paid);
    assert_eq!(done.order.tickets.len(), 2);
    assert_eq!(done.change_due_cents, 1000);
    assert_eq!(
        (done.desk.as_str(), done.agent.as_str()),
        ("guichet-1", "Camille Caisse")
    );
    // A walk-in gives neither name nor e-mail.
    assert_eq!(
        (
            done.order.buyer.name.as_str(),
            done.order.buyer.email.as_str()
        ),
        ("", "")
    );
    let recorded = w.store.counter_payments(&done.order.id);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].method, PaymentMethod::Cash);
    assert_eq!((recorded[0].amount.0, recorded[0].change.0), (4000, 1000));
    assert_eq!(
        (recorded[0].agent_id, recorded[0].desk.as_str()),
        (Some(7), "guichet-1")
    );
    // The cash journal has the sale: two tickets, paid 40 € in cash (not the 50 € handed over).
    let journal = w.store.journal();
    assert_eq!(journal.len(), 1);
    let entry = &journal[0];
    assert_eq!(entry.kind, app::domain::journal::EntryKind::Sale);
    assert_eq!((entry.seq, entry.total_cents), (1, 4000));
    assert_eq!(
        (entry.desk.as_str(), entry.agent.as_str()),
        ("guichet-1", "caisse@ville.fr")
    );
    assert_eq!(entry.order_ref, done.order.reference);
    assert_eq!(entry.payments[0].amount_cents, 4000);
    assert!(app::domain::journal::verify(&journal).is_ok());
    // The seats are sold for everyone.
    let map = w.uc.catalogue.seatmap(perf).await.unwrap();
    let status = |id: i64| map.seats.iter().find(|x| x.id == id).unwrap().status;
    assert_eq!(
        (status(s[0]), status(s[1])),
        (SeatStatus::Sold, SeatStatus::Sold)
    );
}

#[tokio::test]
async fn split_payments_must_add_up_and_nothing_is_sold_otherwise() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let short = sale(
        perf,
        &s[0..2],
        &["plein", "reduit"],
        vec![
            pay(PaymentMethod::PassCulture, 2000),
            pay(PaymentMethod::Card, 1000),
        ],
    );
    assert_eq!(
        w.uc.box_office
            .sell(&counter(), &short)
            .await
            .map(|s| s.order.id),
        Err(CounterError::Payments(PaymentProblem::DoNotAddUp {
            paid: 3000,
            total: 3500
        }))
    );
    // Nothing sold, nothing journaled.
    assert!(w.store.journal().is_empty());
    // The seats went back at once, the order with them.
    let map = w.uc.catalogue.seatmap(perf).await.unwrap();
    assert!(map
        .seats
        .iter()
        .filter(|x| s[0..2].contains(&x.id))
        .all(|x| x.status == SeatStatus::Free));
    let right = sale(
        perf,
        &s[0..2],
        &["plein", "reduit"],
        vec![
            pay(PaymentMethod::PassCulture, 2000),
            pay(PaymentMethod::Card, 1500),
        ],
    );
    let done = w.uc.box_office.sell(&counter(), &right).await.unwrap();
    assert_eq!(done.order.total_cents, 3500);
    let methods: Vec<PaymentMethod> = w
        .store
        .counter_payments(&done.order.id)
        .iter()
        .map(|p| p.method)
        .collect();
    assert_eq!(methods, [PaymentMethod::PassCulture, PaymentMethod::Card]);
}

#[tokio::test]
async fn best_seats_general_admission_and_invitations() {
    let w = world();
    let (perf, _) = venue(&w, Spec::default()).await;
    // "3 best seats": the agent gives tariffs, the seats are chosen.
    let mut best = sale(perf, &[], &[], vec![pay(PaymentMethod::Card, 5500)]);
    best.seat_ids = None;
    best.quantity = Some(3);
    best.tickets = ["plein", "plein", "reduit"]
        .iter()
        .map(|t| CounterTicket {
            seat_id: None,
            tariff: t.to_string(),
        })
        .collect();
    let done = w.uc.box_office.sell(&counter(), &best).await.unwrap();
    assert_eq!(done.order.tickets.len(), 3);
    assert!(done.order.lines.iter().all(|l| l.seat_id.is_some()));

    // General admission: a count of places.
    let (ga, _) = venue(
        &w,
        Spec {
            seats: 0,
            capacity: 50,
            ..Spec::default()
        },
    )
    .await;
    let mut places = sale(ga, &[], &[], vec![cash(2000, 2000)]);
    places.seat_ids = None;
    places.quantity = Some(1);
    places.tickets = vec![CounterTicket {
        seat_id: None,
        tariff: "plein".into(),
    }];
    let done = w.uc.box_office.sell(&counter(), &places).await.unwrap();
    assert_eq!(done.order.tickets.len(), 1);

    // An invitation: free, with a reason.
    let (perf2, s2) = venue(&w, Spec::default()).await;
    let mut free = sale(perf2, &s2[0..1], &["enfant"], Vec::new());
    assert_eq!(
        w.uc.box_office
            .sell(&counter(), &free)
            .await
            .map(|s| s.order.id),
        Err(CounterError::Payments(PaymentProblem::FreeWithoutReason))
    );
    free.reason = Some("Invitation presse".into());
    let done = w.uc.box_office.sell(&counter(), &free).await.unwrap();
    assert_eq!(done.order.total_cents, 0);
    let recorded = w.store.counter_payments(&done.order.id);
    assert_eq!(
        (recorded[0].method, recorded[0].reason.as_deref()),
        (PaymentMethod::Free, Some("Invitation presse"))
    );
}

#[tokio::test]
async fn the_counter_has_its_own_rules() {
    let w = world();
    let (perf, s) = venue(
        &w,
        Spec {
            blocked: vec![1],
            ..Spec::default()
        },
    )
    .await;
    // Door staff do not sell.
    let door = agent(app::domain::Role::Door, true);
    assert_eq!(
        w.uc.box_office
            .sell(
                &door,
                &sale(perf, &s[1..2], &["plein"], vec![cash(2000, 2000)])
            )
            .await
            .map(|s| s.order.id),
        Err(CounterError::Forbidden)
    );
    // A blocked seat is a supervisor's to sell.
    let blocked = sale(perf, &s[0..1], &["plein"], vec![cash(2000, 2000)]);
    assert!(matches!(
        w.uc.box_office.sell(&counter(), &blocked).await,
        Err(CounterError::Hold(HoldError::SeatsNotOnSale(_)))
    ));
    let supervisor = agent(app::domain::Role::BoxOffice, true);
    assert!(w.uc.box_office.sell(&supervisor, &blocked).await.is_ok());
    // A school group: more than an online order may take.
    let group: Vec<i64> = s[1..9].to_vec();
    let tariffs = vec!["enfant"; group.len()];
    let mut trip = sale(perf, &group, &tariffs, Vec::new());
    trip.reason = Some("Sortie scolaire".into());
    assert!(w.uc.box_office.sell(&counter(), &trip).await.is_ok());
    // Half an hour after the start, the counter closes.
    w.clock.advance(7 * 86_400 + 31 * 60);
    let late = sale(perf, &s[9..10], &["plein"], vec![cash(2000, 2000)]);
    assert_eq!(
        w.uc.box_office
            .sell(&counter(), &late)
            .await
            .map(|s| s.order.id),
        Err(CounterError::Hold(HoldError::SaleClosed(
            SaleRefusal::Closed
        )))
    );
}

#[tokio::test]
async fn a_reservation_is_paid_later_at_the_counter() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let request = CounterReservationRequest {
        performance_id: perf,
        seat_ids: Some(s[0..2].to_vec()),
        quantity: None,
        tickets: s[0..2]
            .iter()
            .map(|id| CounterTicket {
                seat_id: Some(*id),
                tariff: "plein".into(),
            })
            .collect(),
        buyer: CounterBuyer {
            name: Some("Jeanne Moreau".into()),
            email: None,
        },
        hold_minutes: Some(60),
        desk: None,
    };
    let nameless = CounterReservationRequest {
        buyer: CounterBuyer::default(),
        ..request.clone()
    };
    assert_eq!(
        w.uc.box_office
            .reserve(&counter(), &nameless)
            .await
            .map(|o| o.id),
        Err(CounterError::InvalidName)
    );
    let kept = w.uc.box_office.reserve(&counter(), &request).await.unwrap();
    assert_eq!(kept.status, OrderStatus::AwaitingPayment);
    assert_eq!(kept.expires_at.0, NOW + 3600);
    let payment = CounterPaymentRequest {
        payments: vec![pay(PaymentMethod::Cheque, 4000)],
        desk: Some("guichet-2".into()),
        reason: None,
    };
    let paid =
        w.uc.box_office
            .pay_at_counter(&counter(), &kept.id, &payment)
            .await
            .unwrap();
    assert_eq!(paid.order.status, OrderStatus::Paid);
    assert_eq!(paid.order.tickets.len(), 2);
    assert_eq!(
        w.uc.box_office
            .pay_at_counter(&counter(), &kept.id, &payment)
            .await
            .map(|s| s.order.id),
        Err(CounterError::Payment(PaymentError::AlreadyPaid))
    );
    // A reservation not paid in time lets its seats go.
    let late =
        w.uc.box_office
            .reserve(
                &counter(),
                &CounterReservationRequest {
                    seat_ids: Some(s[2..3].to_vec()),
                    tickets: vec![CounterTicket {
                        seat_id: Some(s[2]),
                        tariff: "plein".into(),
                    }],
                    hold_minutes: Some(15),
                    ..request.clone()
                },
            )
            .await
            .unwrap();
    w.clock.advance(16 * 60);
    assert!(w
        .uc
        .box_office
        .pay_at_counter(&counter(), &late.id, &payment)
        .await
        .is_err());
    assert_eq!(
        w.uc.box_office
            .pay_at_counter(&counter(), "pas-une-commande", &payment)
            .await
            .map(|s| s.order.id),
        Err(CounterError::OrderNotFound)
    );
}

async fn status_of(w: &World, perf: i64, seat: i64) -> SeatStatus {
    let map = w.uc.catalogue.seatmap(perf).await.unwrap();
    map.seats.iter().find(|x| x.id == seat).unwrap().status
}

fn exchange(
    tickets: &[i64],
    perf: i64,
    seats: &[i64],
    tariffs: &[&str],
    payments: Vec<PaymentLine>,
    difference_method: Option<PaymentMethod>,
) -> ExchangeRequest {
    ExchangeRequest {
        ticket_ids: tickets.to_vec(),
        performance_id: Some(perf),
        seat_ids: Some(seats.to_vec()),
        quantity: None,
        tickets: seats
            .iter()
            .zip(tariffs)
            .map(|(s, t)| CounterTicket {
                seat_id: Some(*s),
                tariff: t.to_string(),
            })
            .collect(),
        payments,
        difference_method,
        reason: "autre date".into(),
        desk: Some("guichet-1".into()),
    }
}

#[tokio::test]
async fn an_exchange_moves_tickets_to_another_date_and_settles_the_difference() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let (later, l) = venue(
        &w,
        Spec {
            starts_in: 8 * 86_400,
            ..Spec::default()
        },
    )
    .await;
    let sold =
        w.uc.box_office
            .sell(
                &counter(),
                &sale(
                    perf,
                    &s[0..2],
                    &["reduit", "reduit"],
                    vec![cash(3000, 3000)],
                ),
            )
            .await
            .unwrap();
    let old = &sold.order.tickets[0];
    // 5 € more for a plein seat of the later date, paid by card.
    let done =
        w.uc.box_office
            .exchange(
                &counter(),
                &sold.order.id,
                &exchange(
                    &[old.id],
                    later,
                    &l[3..4],
                    &["plein"],
                    vec![pay(PaymentMethod::Card, 500)],
                    None,
                ),
            )
            .await
            .unwrap();
    assert_eq!((done.credit_cents, done.difference_cents), (1500, 500));
    assert_eq!(done.order.total_cents, 2000);
    assert_eq!(done.cancelled, vec![old.number.clone()]);
    assert_eq!(status_of(&w, later, l[3]).await, SeatStatus::Sold);
    assert_eq!(status_of(&w, perf, s[0]).await, SeatStatus::Free);
    // The journal: the sale, then one exchange entry — a reduit out, a plein in, 5 € by card.
    let journal = w.store.journal();
    assert_eq!(journal.len(), 2);
    let entry = &journal[1];
    assert_eq!(entry.kind, app::domain::journal::EntryKind::Exchange);
    assert_eq!(entry.total_cents, 500);
    assert_eq!(
        entry
            .lines
            .iter()
            .map(|l| (l.tariff.as_str(), l.quantity))
            .collect::<Vec<_>>(),
        vec![("reduit", -1), ("plein", 1)]
    );
    assert_eq!(entry.payments.len(), 1);
    assert_eq!(entry.payments[0].amount_cents, 500);

    // The same ticket twice: refused, and the seats it asked for are free again.
    let again =
        w.uc.box_office
            .exchange(
                &counter(),
                &sold.order.id,
                &exchange(&[old.id], later, &l[4..5], &["reduit"], Vec::new(), None),
            )
            .await;
    assert!(
        matches!(again, Err(app::ports::ExchangeError::AfterSale(_))),
        "{again:?}"
    );
    assert_eq!(status_of(&w, later, l[4]).await, SeatStatus::Free);

    // The other reduit for an invitation-priced enfant seat: 15 € back, a supervisor's act
    // only above 50 €, so the agent may; never by "free".
    let other = &sold.order.tickets[1];
    let free_back =
        w.uc.box_office
            .exchange(
                &counter(),
                &sold.order.id,
                &exchange(
                    &[other.id],
                    perf,
                    &s[5..6],
                    &["enfant"],
                    Vec::new(),
                    Some(PaymentMethod::Free),
                ),
            )
            .await;
    assert!(free_back.is_err(), "{free_back:?}");
    let back =
        w.uc.box_office
            .exchange(
                &counter(),
                &sold.order.id,
                &exchange(
                    &[other.id],
                    perf,
                    &s[5..6],
                    &["enfant"],
                    Vec::new(),
                    Some(PaymentMethod::Cash),
                ),
            )
            .await
            .unwrap();
    assert_eq!((back.credit_cents, back.difference_cents), (0, -1500));
    // The first order has given everything back: 15 € moved, 15 € refunded.
    let file = {
        use app::ports::AfterSales;
        w.uc.after_sales
            .file(&counter(), &sold.order.id)
            .await
            .unwrap()
    };
    assert_eq!((file.refunded_cents, file.refundable_cents), (3000, 0));
    assert_eq!(file.exchanges.len(), 2);
}

#[tokio::test]
async fn blocked_seats_leave_the_sale_until_released() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let request = BlockRequest {
        seat_ids: vec![s[0], s[1]],
        reason: app::domain::plan::BlockReason::Press,
    };
    let door = agent(app::domain::Role::Door, false);
    assert!(matches!(
        w.uc.box_office.block_seats(&door, perf, &request).await,
        Err(CounterError::Forbidden)
    ));
    let done =
        w.uc.box_office
            .block_seats(&counter(), perf, &request)
            .await
            .unwrap();
    assert_eq!(done.blocked.len(), 2);
    assert_eq!(done.blocked[0].seat, "Parterre, rang A, place 1");
    assert_eq!(status_of(&w, perf, s[0]).await, SeatStatus::Blocked);
    // Neither a sale nor a second block takes them; the lot is refused whole.
    let refused =
        w.uc.box_office
            .sell(
                &counter(),
                &sale(perf, &s[1..3], &["plein", "plein"], vec![cash(4000, 4000)]),
            )
            .await;
    assert!(
        matches!(refused, Err(CounterError::Hold(HoldError::SeatsTaken(ref t))) if t == &vec![s[1]]),
        "{refused:?}"
    );
    assert_eq!(status_of(&w, perf, s[2]).await, SeatStatus::Free);
    let released =
        w.uc.box_office
            .release_seats(
                &counter(),
                perf,
                &ReleaseRequest {
                    seat_ids: vec![s[1], s[4]],
                },
            )
            .await
            .unwrap();
    assert_eq!(released.changed, vec![s[1]]);
    assert_eq!(released.blocked.len(), 1);
    assert_eq!(status_of(&w, perf, s[1]).await, SeatStatus::Free);
    // A supervisor sells the one still blocked: its block goes, the sale goes through.
    let chief = agent(app::domain::Role::BoxOffice, true);
    let sold =
        w.uc.box_office
            .sell(
                &chief,
                &sale(perf, &s[0..1], &["plein"], vec![cash(2000, 2000)]),
            )
            .await
            .unwrap();
    assert_eq!(sold.order.tickets.len(), 1);
    assert_eq!(status_of(&w, perf, s[0]).await, SeatStatus::Sold);
    // Both acts are audited.
    let acts: Vec<&str> = w.store.audit().iter().map(|a| a.action).collect();
    assert!(acts.contains(&"seats.block"), "{acts:?}");
    assert!(acts.contains(&"seats.release"), "{acts:?}");
}

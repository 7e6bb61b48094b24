use crate::usecases::fakes::*;
use app::box_office::*;
use app::domain::after_sale::RefundProblem;
use app::domain::counter::{PaymentLine, PaymentMethod};
use app::domain::journal::EntryKind;
use app::domain::Cents;
use app::ports::{AfterSaleError, AfterSales, BoxOffice, CashJournal};
use app::staff::{Actor, StaffMember, Via};

fn agent(supervisor: bool) -> Actor {
    Actor {
        staff: Some(StaffMember {
            id: 7,
            email: "caisse@ville.fr".into(),
            name: "Camille Caisse".into(),
            role: app::domain::Role::BoxOffice,
            supervisor,
            disabled: false,
        }),
        via: Via::Session,
    }
}

async fn sell(w: &World, perf: i64, seats: &[i64]) -> CounterSale {
    let request = CounterSaleRequest {
        performance_id: perf,
        seat_ids: Some(seats.to_vec()),
        quantity: None,
        tickets: seats
            .iter()
            .map(|s| CounterTicket {
                seat_id: Some(*s),
                tariff: "plein".into(),
            })
            .collect(),
        payments: vec![PaymentLine {
            method: PaymentMethod::Cash,
            amount_cents: 2000 * seats.len() as i64,
            tendered_cents: None,
        }],
        buyer: None,
        desk: Some("guichet-1".into()),
        reason: None,
    };
    w.uc.box_office.sell(&agent(false), &request).await.unwrap()
}

fn cancel(ids: Option<Vec<i64>>, reason: &str) -> CancelRequest {
    CancelRequest {
        ticket_ids: ids,
        reason: reason.into(),
        desk: Some("guichet-1".into()),
    }
}

fn refund(amount: i64, ids: Option<Vec<i64>>) -> RefundRequest {
    RefundRequest {
        amount_cents: amount,
        method: PaymentMethod::Cash,
        ticket_ids: ids,
        reason: Some("spectateur malade".into()),
        desk: Some("guichet-1".into()),
    }
}

#[tokio::test]
async fn a_cancelled_ticket_frees_its_seat_and_a_refund_is_journaled() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let sold = sell(&w, perf, &s[..2]).await;
    let order = sold.order.id.clone();
    let (first, second) = (sold.order.tickets[0].id, sold.order.tickets[1].id);

    // A reason is needed; the tickets must be the order's.
    assert_eq!(
        w.uc.after_sales
            .cancel(&agent(false), &order, &cancel(Some(vec![first]), "  "))
            .await,
        Err(AfterSaleError::InvalidReason)
    );
    assert_eq!(
        w.uc.after_sales
            .cancel(
                &agent(false),
                &order,
                &cancel(Some(vec![999_999]), "erreur")
            )
            .await,
        Err(AfterSaleError::UnknownTickets(vec![999_999]))
    );
    let done =
        w.uc.after_sales
            .cancel(
                &agent(false),
                &order,
                &cancel(Some(vec![first]), "erreur de séance"),
            )
            .await
            .unwrap();
    assert_eq!(done.cancelled, vec![sold.order.tickets[0].number.clone()]);
    assert_eq!(done.order.tickets[0].status, "cancelled");
    assert_eq!(done.order.tickets[1].status, "valid");
    // Once cancelled, cancelled.
    assert_eq!(
        w.uc.after_sales
            .cancel(&agent(false), &order, &cancel(Some(vec![first]), "encore"))
            .await,
        Err(AfterSaleError::AlreadyCancelled(vec![sold.order.tickets
            [0]
        .number
        .clone()]))
    );
    // The seat is on sale again: another sale takes it.
    let again = sell(&w, perf, &s[..1]).await;
    assert_eq!(again.order.tickets.len(), 1);

    // Money back for the cancelled ticket, then more than is left is refused.
    let back =
        w.uc.after_sales
            .refund(&agent(false), &order, &refund(2000, None))
            .await
            .unwrap();
    assert_eq!((back.refunded_cents, back.refundable_cents), (2000, 2000));
    assert_eq!(
        w.uc.after_sales
            .refund(&agent(false), &order, &refund(2001, None))
            .await,
        Err(AfterSaleError::Refund(RefundProblem::MoreThanPaid {
            asked: Cents(2001),
            refundable: Cents(2000)
        }))
    );
    // The second ticket refunded at its price: one refund entry with its line.
    let last =
        w.uc.after_sales
            .refund(&agent(false), &order, &refund(2000, Some(vec![second])))
            .await
            .unwrap();
    assert_eq!(last.refundable_cents, 0);
    assert_eq!(last.order.tickets[1].status, "cancelled");

    let journal = w.store.journal();
    let kinds: Vec<EntryKind> = journal.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EntryKind::Sale,
            EntryKind::Cancellation,
            EntryKind::Sale,
            EntryKind::Refund,
            EntryKind::Refund
        ]
    );
    assert_eq!(journal[1].lines[0].quantity, -1);
    assert!(journal[1].payments.is_empty());
    // Money alone: no line (its total is 0), a payment given back.
    assert!(journal[3].lines.is_empty());
    assert_eq!(journal[3].payments[0].amount_cents, -2000);
    assert_eq!(journal[4].lines[0].quantity, -1);
    assert_eq!(journal[4].payments[0].amount_cents, -2000);

    // The day's Z report: 60 € in, 40 € back; three tickets sold, two taken back.
    w.clock.advance(86_400);
    let z =
        w.uc.journal
            .close(
                &agent(true),
                &CloseRequest {
                    period: "day".into(),
                    date: None,
                },
            )
            .await
            .unwrap();
    assert_eq!(z.totals_by_method["cash"], 2000);
    assert_eq!((z.tickets_sold, z.tickets_cancelled), (3, 2));
    assert!(w.uc.journal.verify().await.unwrap().ok);
}

#[tokio::test]
async fn large_refunds_are_a_supervisors_and_only_paid_orders_are_taken_back() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let sold = sell(&w, perf, &s[..3]).await;
    let order = sold.order.id.clone();
    assert_eq!(
        w.uc.after_sales
            .refund(&agent(false), &order, &refund(6000, None))
            .await,
        Err(AfterSaleError::Refund(RefundProblem::SupervisorAbove(
            app::domain::after_sale::SUPERVISOR_ABOVE
        )))
    );
    let whole =
        w.uc.after_sales
            .cancel(&agent(true), &order, &cancel(None, "séance annulée"))
            .await
            .unwrap();
    assert_eq!(whole.cancelled.len(), 3);
    assert_eq!(
        w.uc.after_sales
            .cancel(&agent(true), &order, &cancel(None, "encore"))
            .await,
        Err(AfterSaleError::NothingToCancel)
    );
    let back =
        w.uc.after_sales
            .refund(&agent(true), &order, &refund(6000, None))
            .await
            .unwrap();
    assert_eq!(back.refundable_cents, 0);
    // Door staff cannot; an unknown order is not found.
    let door = Actor {
        staff: Some(StaffMember {
            role: app::domain::Role::Door,
            ..agent(false).staff.unwrap()
        }),
        via: Via::Session,
    };
    assert_eq!(
        w.uc.after_sales
            .cancel(&door, &order, &cancel(None, "x"))
            .await,
        Err(AfterSaleError::Forbidden)
    );
    assert_eq!(
        w.uc.after_sales
            .cancel(&agent(false), "inconnue", &cancel(None, "x"))
            .await,
        Err(AfterSaleError::OrderNotFound)
    );
    let entries = w.store.journal();
    assert_eq!(entries.last().unwrap().payments[0].amount_cents, -6000);
}

#[tokio::test]
async fn orders_are_found_by_ticket_number_reference_or_name_and_opened() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let sold = sell(&w, perf, &s[..2]).await;
    let number = sold.order.tickets[1].number.clone();
    let found =
        w.uc.after_sales
            .search(&agent(false), &number)
            .await
            .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, sold.order.id);
    assert_eq!(
        (found[0].channel.as_str(), found[0].valid_tickets),
        ("box_office", 2)
    );
    let by_reference =
        w.uc.after_sales
            .search(&agent(false), &sold.order.reference.to_lowercase())
            .await
            .unwrap();
    assert_eq!(by_reference[0].id, sold.order.id);
    // (Scanned codes: the HTTP test, with real signed codes.)
    assert!(w
        .uc
        .after_sales
        .search(&agent(false), "personne du tout")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        w.uc.after_sales.search(&agent(false), " ").await,
        Err(AfterSaleError::InvalidQuery)
    );
    w.uc.after_sales
        .refund(&agent(false), &sold.order.id, &refund(500, None))
        .await
        .unwrap();
    let file =
        w.uc.after_sales
            .file(&agent(false), &sold.order.id)
            .await
            .unwrap();
    assert_eq!(file.channel, "box_office");
    assert_eq!(
        file.payments
            .iter()
            .map(|p| p.amount_cents)
            .collect::<Vec<_>>(),
        vec![4000, -500]
    );
    assert_eq!(
        (file.paid_cents, file.refunded_cents, file.refundable_cents),
        (4000, 500, 3500)
    );
}

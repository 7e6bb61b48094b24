use crate::usecases::fakes::*;
use app::box_office::*;
use app::domain::counter::{PaymentLine, PaymentMethod};
use app::domain::journal::EntryKind;
use app::ports::{BoxOffice, CashJournal, JournalError};
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

async fn sell(w: &World, perf: i64, seat: i64, method: PaymentMethod, desk: &str) {
    let request = CounterSaleRequest {
        performance_id: perf,
        seat_ids: Some(vec![seat]),
        quantity: None,
        tickets: vec![CounterTicket {
            seat_id: Some(seat),
            tariff: "plein".into(),
        }],
        payments: vec![PaymentLine {
            method,
            amount_cents: 2000,
            tendered_cents: None,
        }],
        buyer: None,
        desk: Some(desk.into()),
        reason: None,
    };
    w.uc.box_office.sell(&agent(false), &request).await.unwrap();
}

fn day(request_day: &str) -> CloseRequest {
    CloseRequest {
        period: "day".into(),
        date: Some(request_day.into()),
    }
}

#[tokio::test]
async fn a_day_is_closed_with_its_totals_and_its_cash_counted() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    sell(&w, perf, s[0], PaymentMethod::Cash, "guichet-1").await;
    sell(&w, perf, s[1], PaymentMethod::Card, "guichet-1").await;
    sell(&w, perf, s[2], PaymentMethod::Cash, "guichet-2").await;
    let today = app::domain::paris::day_key(NOW);
    // The cash drawer of guichet-1: 50 € float, 69 € counted (1 € missing).
    w.uc.journal
        .count_cash(
            &agent(false),
            &CashCountRequest {
                desk: "guichet-1".into(),
                day: Some(today.clone()),
                opening_float_cents: 5000,
                counted_cents: 6900,
            },
        )
        .await
        .unwrap();
    // Not before the day is over; not by an agent who is not a supervisor.
    assert_eq!(
        w.uc.journal.close(&agent(true), &day(&today)).await,
        Err(JournalError::NotOver(today.clone()))
    );
    w.clock.advance(86_400);
    assert_eq!(
        w.uc.journal.close(&agent(false), &day(&today)).await,
        Err(JournalError::SupervisorOnly)
    );
    let z =
        w.uc.journal
            .close(&agent(true), &day(&today))
            .await
            .unwrap();
    assert_eq!(z.period, today);
    assert_eq!(z.entries, 3);
    assert_eq!(z.tickets_sold, 3);
    assert_eq!(z.period_total_cents, 6000);
    assert_eq!(z.cumulative_total_cents, 6000);
    assert_eq!(z.totals_by_method["cash"], 4000);
    assert_eq!(z.totals_by_method["card"], 2000);
    assert_eq!(z.totals_by_tariff["plein"].count, 3);
    // Each receipt's VAT is rounded on it (1.04 € of 20 € at 5.5 %) and the Z report sums the
    // receipts, so that it matches them: 3.12 €, not 5.5 % of 60 € (3.13 €).
    assert_eq!(z.totals_by_vat_rate["550"].vat_cents, 312);
    let desk1 = z.cash.iter().find(|c| c.desk == "guichet-1").unwrap();
    assert_eq!(
        (
            desk1.expected_cents,
            desk1.counted_cents,
            desk1.difference_cents
        ),
        (7000, 6900, -100)
    );
    // Once closed, closed; a count after closing is refused.
    assert_eq!(
        w.uc.journal.close(&agent(true), &day(&today)).await,
        Err(JournalError::AlreadyClosed(today.clone()))
    );
    assert!(w
        .uc
        .journal
        .count_cash(
            &agent(false),
            &CashCountRequest {
                desk: "guichet-2".into(),
                day: Some(today.clone()),
                opening_float_cents: 0,
                counted_cents: 2000,
            },
        )
        .await
        .is_err());
    // The closure is an entry of the journal, and the journal verifies whole.
    let journal = w.store.journal();
    assert_eq!(journal.last().unwrap().kind, EntryKind::Closure);
    let check = w.uc.journal.verify().await.unwrap();
    assert!(check.ok, "{check:?}");
    assert_eq!((check.entries, check.closures), (4, 1));
    let listed = w.uc.journal.closures(&agent(false)).await.unwrap();
    assert_eq!(listed[0].period, today);
}

#[tokio::test]
async fn ended_periods_close_by_themselves_and_archives_are_signed() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    sell(&w, perf, s[0], PaymentMethod::Cash, "guichet").await;
    // Nothing has ended yet.
    assert_eq!(w.uc.journal.close_ended().await.unwrap(), 0);
    w.clock.advance(2 * 86_400);
    // The day of the sale and the empty day after it.
    assert_eq!(w.uc.journal.close_ended().await.unwrap(), 2);
    assert_eq!(w.uc.journal.close_ended().await.unwrap(), 0);
    let today = app::domain::paris::day_key(NOW);
    let archive = w.uc.journal.archive(&agent(true), &today).await.unwrap();
    assert_eq!(archive.file_name, format!("journal-{today}.jsonl"));
    assert_eq!(
        w.uc.journal
            .check_archive(&archive.bytes, Some(&archive.signature)),
        Ok("2 écriture(s), 1 clôture(s) vérifiée(s)".into())
    );
    // The same period, the same archive.
    let again = w.uc.journal.archive(&agent(true), &today).await.unwrap();
    assert_eq!(
        (again.bytes.clone(), again.signature.clone()),
        (archive.bytes.clone(), archive.signature.clone())
    );
    // A byte changed: the signature no longer matches (or the chain breaks).
    let mut forged = archive.bytes.clone();
    let at = forged.iter().rposition(|b| *b == b'2').unwrap();
    forged[at] = b'3';
    assert!(w
        .uc
        .journal
        .check_archive(&forged, Some(&archive.signature))
        .is_err());
    // An open period is not archived; only supervisors archive.
    assert!(matches!(
        w.uc.journal.archive(&agent(true), "2031-01-01").await,
        Err(JournalError::NotClosed(_))
    ));
    assert_eq!(
        w.uc.journal
            .archive(&agent(false), &today)
            .await
            .map(|a| a.file_name),
        Err(JournalError::SupervisorOnly)
    );
}

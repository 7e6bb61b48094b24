use crate::usecases::fakes::*;
use app::box_office::*;
use app::domain::counter::{PaymentLine, PaymentMethod};
use app::ports::{AfterSales, BoxOffice, ReportError, Reports};
use app::staff::{Actor, StaffMember, Via};

fn agent(role: app::domain::Role) -> Actor {
    Actor {
        staff: Some(StaffMember {
            id: 7,
            email: "caisse@ville.fr".into(),
            name: "Camille Caisse".into(),
            role,
            supervisor: false,
            disabled: false,
        }),
        via: Via::Session,
    }
}

#[tokio::test]
async fn a_statement_counts_tickets_by_tariff_and_channel_and_the_house_by_category() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let counter = agent(app::domain::Role::BoxOffice);
    let sold =
        w.uc.box_office
            .sell(
                &counter,
                &CounterSaleRequest {
                    performance_id: perf,
                    seat_ids: Some(s[..3].to_vec()),
                    quantity: None,
                    tickets: s[..3]
                        .iter()
                        .map(|id| CounterTicket {
                            seat_id: Some(*id),
                            tariff: "plein".into(),
                        })
                        .collect(),
                    payments: vec![PaymentLine {
                        method: PaymentMethod::Card,
                        amount_cents: 6000,
                        tendered_cents: None,
                    }],
                    buyer: None,
                    desk: None,
                    reason: None,
                },
            )
            .await
            .unwrap();
    w.uc.after_sales
        .cancel(
            &counter,
            &sold.order.id,
            &CancelRequest {
                ticket_ids: Some(vec![sold.order.tickets[2].id]),
                reason: "erreur".into(),
                desk: None,
            },
        )
        .await
        .unwrap();
    let st = w.uc.reports.statement(&counter, perf).await.unwrap();
    assert_eq!(st.tariffs.len(), 1);
    let plein = &st.tariffs[0];
    assert_eq!((plein.first_number, plein.last_number), (1, 3));
    assert_eq!(
        (plein.issued, plein.cancelled, plein.receipts_cents),
        (3, 1, 4000)
    );
    assert_eq!(st.channels.len(), 1);
    assert_eq!(
        (st.channels[0].channel.as_str(), st.channels[0].tickets),
        ("box_office", 2)
    );
    let sold_seats: i64 = st.seats.iter().map(|c| c.sold).sum();
    let free_seats: i64 = st.seats.iter().map(|c| c.free).sum();
    assert_eq!(sold_seats, 2, "the cancelled ticket's seat is free again");
    assert_eq!(sold_seats + free_seats, st.capacity);
    let csv = w.uc.reports.statement_csv(&counter, perf).await.unwrap();
    assert!(csv.contains(";1;3;3;1;40,00\n"), "{csv}");
    let pdf = w.uc.reports.statement_pdf(&counter, perf).await.unwrap();
    assert!(String::from_utf8(pdf).unwrap().ends_with(" 4000"));
    assert_eq!(
        w.uc.reports
            .statement(&agent(app::domain::Role::Door), perf)
            .await,
        Err(ReportError::Forbidden)
    );
}

#[tokio::test]
async fn sales_are_reported_by_day_channel_and_show() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let counter = agent(app::domain::Role::BoxOffice);
    w.uc.box_office
        .sell(
            &counter,
            &CounterSaleRequest {
                performance_id: perf,
                seat_ids: Some(s[..2].to_vec()),
                quantity: None,
                tickets: s[..2]
                    .iter()
                    .map(|id| CounterTicket {
                        seat_id: Some(*id),
                        tariff: "plein".into(),
                    })
                    .collect(),
                payments: vec![PaymentLine {
                    method: PaymentMethod::Cash,
                    amount_cents: 4000,
                    tendered_cents: None,
                }],
                buyer: None,
                desk: None,
                reason: None,
            },
        )
        .await
        .unwrap();
    let today = app::domain::paris::day_key(NOW);
    let yesterday = app::domain::paris::day_key(NOW - 86_400);
    let r =
        w.uc.reports
            .sales(&counter, &yesterday, &today)
            .await
            .unwrap();
    assert_eq!(r.days.len(), 2);
    assert_eq!(r.days[0].box_office_tickets, 0);
    assert_eq!(
        (r.days[1].box_office_tickets, r.days[1].box_office_cents),
        (2, 4000)
    );
    assert_eq!((r.tickets, r.receipts_cents), (2, 4000));
    assert_eq!(r.top_shows[0].tickets, 2);
    assert_eq!(r.occupancy.len(), 1);
    assert_eq!(r.occupancy[0].sold, 2);
    assert!(matches!(
        w.uc.reports.sales(&counter, &today, &yesterday).await,
        Err(ReportError::InvalidPeriod(_))
    ));
    assert!(matches!(
        w.uc.reports.sales(&counter, "2020-01-01", &today).await,
        Err(ReportError::InvalidPeriod(_))
    ));
}

#[tokio::test]
async fn orders_export_a_page_at_a_time_and_attendees_say_who_came_in() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let counter = agent(app::domain::Role::BoxOffice);
    for seat in &s[..3] {
        w.uc.box_office
            .sell(
                &counter,
                &CounterSaleRequest {
                    performance_id: perf,
                    seat_ids: Some(vec![*seat]),
                    quantity: None,
                    tickets: vec![CounterTicket {
                        seat_id: Some(*seat),
                        tariff: "plein".into(),
                    }],
                    payments: vec![PaymentLine {
                        method: PaymentMethod::Card,
                        amount_cents: 2000,
                        tendered_cents: None,
                    }],
                    buyer: None,
                    desk: None,
                    reason: None,
                },
            )
            .await
            .unwrap();
    }
    let today = app::domain::paris::day_key(NOW);
    let first =
        w.uc.reports
            .orders_page(&counter, &today, &today, None, Some(2))
            .await
            .unwrap();
    assert_eq!((first.total, first.rows.len()), (3, 2));
    let second =
        w.uc.reports
            .orders_page(&counter, &today, &today, first.next.as_deref(), Some(2))
            .await
            .unwrap();
    assert_eq!(second.rows.len(), 1);
    assert_eq!(second.next, None);
    assert!(first.rows.iter().all(|r| r.id != second.rows[0].id));
    assert!(matches!(
        w.uc.reports
            .orders_page(&counter, &today, &today, Some("nope"), None)
            .await,
        Err(ReportError::InvalidCursor(_))
    ));
    let door = agent(app::domain::Role::Door);
    assert!(matches!(
        w.uc.reports.attendees(&door, perf).await,
        Err(ReportError::Forbidden)
    ));
    let attendees = w.uc.reports.attendees(&counter, perf).await.unwrap();
    assert_eq!(attendees.len(), 3);
    assert!(attendees.iter().all(|a| a.status == "valid" && !a.admitted));
}

#[tokio::test]
async fn the_heat_map_shares_each_seats_sales_over_the_halls_performances() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let counter = agent(app::domain::Role::BoxOffice);
    w.uc.box_office
        .sell(
            &counter,
            &CounterSaleRequest {
                performance_id: perf,
                seat_ids: Some(s[..2].to_vec()),
                quantity: None,
                tickets: s[..2]
                    .iter()
                    .map(|id| CounterTicket {
                        seat_id: Some(*id),
                        tariff: "plein".into(),
                    })
                    .collect(),
                payments: vec![PaymentLine {
                    method: PaymentMethod::Cash,
                    amount_cents: 4000,
                    tendered_cents: None,
                }],
                buyer: None,
                desk: None,
                reason: None,
            },
        )
        .await
        .unwrap();
    let (from, to) = (
        app::domain::paris::day_key(NOW),
        app::domain::paris::day_key(NOW + 30 * 86_400),
    );
    let heat =
        w.uc.reports
            .heatmap(&counter, perf, &from, &to)
            .await
            .unwrap();
    assert_eq!(heat.performances, 1);
    let share = |id: i64| {
        heat.seats
            .iter()
            .find(|x| x.seat_id == id)
            .unwrap()
            .permille
    };
    assert_eq!((share(s[0]), share(s[1]), share(s[2])), (1000, 1000, 0));
    // A period without the performance: nothing to share.
    let before = app::domain::paris::day_key(NOW - 86_400);
    let empty =
        w.uc.reports
            .heatmap(&counter, perf, &before, &before)
            .await
            .unwrap();
    assert_eq!(empty.performances, 0);
    assert!(empty.seats.iter().all(|x| x.permille == 0));
}

use crate::usecases::fakes::*;
use app::door::*;
use app::dto::*;
use app::ports::{Booking, Catalogue, Checkout, DoorControl, DoorError};

async fn sold(w: &World, perf: i64, seat_ids: &[i64]) -> OrderView {
    let req = HoldRequest {
        performance_id: perf,
        seat_ids: Some(seat_ids.to_vec()),
        quantity: None,
    };
    let hold = w.uc.booking.create_hold(req).await.unwrap();
    let order =
        w.uc.checkout
            .create_order(OrderRequest {
                hold_id: hold.id,
                buyer: Buyer {
                    name: "Simone Veil".into(),
                    email: "simone@exemple.fr".into(),
                },
                tickets: seat_ids
                    .iter()
                    .map(|s| TicketRequest {
                        seat_id: Some(*s),
                        tariff: "plein".into(),
                    })
                    .collect(),
                lang: None,
            })
            .await
            .unwrap();
    w.uc.checkout
        .pay(&order.id, &order.token, PaymentOutcome::Approve)
        .await
        .map(PaymentReply::into_order)
        .unwrap()
}

fn scan(perf: i64, code: &str, nonce: &str) -> ScanRequest {
    ScanRequest {
        code: Some(code.into()),
        ticket_number: None,
        performance_id: perf,
        nonce: nonce.into(),
        scanned_at: None,
        device: Some("Porte A".into()),
        offline: false,
    }
}

#[tokio::test]
async fn a_ticket_admits_once_and_a_retry_gets_the_first_answer() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let order = sold(&w, perf, &s[0..1]).await;
    let (_, token) =
        w.uc.door
            .create_access(&[perf], 4, false, "Entrée")
            .await
            .unwrap();
    let code = &order.tickets[0].code;
    let first =
        w.uc.door
            .scan(&token, scan(perf, code, "n1"))
            .await
            .unwrap();
    assert_eq!(first.status, ScanStatus::Valid);
    assert_eq!(first.ticket.as_ref().unwrap().holder_name, "Simone Veil");
    let retry =
        w.uc.door
            .scan(&token, scan(perf, code, "n1"))
            .await
            .unwrap();
    assert_eq!(
        (retry.status, retry.admission_id),
        (ScanStatus::Valid, first.admission_id)
    );
    let second =
        w.uc.door
            .scan(&token, scan(perf, code, "n2"))
            .await
            .unwrap();
    assert_eq!(second.status, ScanStatus::AlreadyUsed);
    assert_eq!(second.first_admission.unwrap().device, "Porte A");
    let report = w.uc.door.checkin(&token, perf).await.unwrap();
    assert_eq!((report.admitted, report.expected), (1, 1));
}

#[tokio::test]
async fn forged_foreign_and_cancelled_tickets_are_refused() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let (other, s2) = venue(&w, Spec::default()).await;
    let mine = sold(&w, perf, &s[0..2]).await;
    let theirs = sold(&w, other, &s2[0..1]).await;
    let (_, token) =
        w.uc.door
            .create_access(&[perf], 4, false, "Entrée")
            .await
            .unwrap();
    let d = &w.uc.door;
    assert_eq!(
        d.scan(&token, scan(perf, "GARBAGE", "a"))
            .await
            .unwrap()
            .status,
        ScanStatus::Invalid
    );
    assert_eq!(
        d.scan(&token, scan(perf, &"T".repeat(300), "b"))
            .await
            .unwrap()
            .status,
        ScanStatus::Invalid
    );
    let wrong = d
        .scan(&token, scan(perf, &theirs.tickets[0].code, "c"))
        .await
        .unwrap();
    assert_eq!(wrong.status, ScanStatus::WrongPerformance);
    assert_eq!(wrong.ticket_performance.unwrap().id, other);
    let cancelled =
        w.uc.door
            .cancel_ticket(&mine.tickets[1].number)
            .await
            .unwrap();
    assert_eq!(cancelled.number, mine.tickets[1].number);
    assert_eq!(
        w.uc.door.cancel_ticket(&mine.tickets[1].number).await,
        Err(DoorError::TicketAlreadyCancelled)
    );
    assert_eq!(
        d.scan(&token, scan(perf, &mine.tickets[1].code, "d"))
            .await
            .unwrap()
            .status,
        ScanStatus::Cancelled
    );
    // Its seat is on sale again at once.
    assert!(!w
        .uc
        .catalogue
        .live_state(perf)
        .await
        .unwrap()
        .taken
        .iter()
        .any(|(id, _)| *id == s[1]));
    assert_eq!(
        w.uc.door.cancel_ticket("n'importe quoi").await,
        Err(DoorError::InvalidTicketNumber("n'importe quoi".into()))
    );
}

#[tokio::test]
async fn door_tokens_reach_only_their_performances_and_expire() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let (other, _) = venue(&w, Spec::default()).await;
    let order = sold(&w, perf, &s[0..1]).await;
    let d = &w.uc.door;
    assert_eq!(
        d.create_access(&[], 4, false, "x").await,
        Err(DoorError::NoPerformances)
    );
    assert_eq!(
        d.create_access(&[perf], 73, false, "x").await,
        Err(DoorError::InvalidValidity)
    );
    assert_eq!(
        d.create_access(&[4242], 4, false, "x").await,
        Err(DoorError::PerformanceNotFound(4242))
    );
    let (id, token) = d.create_access(&[other], 1, false, "Balcon").await.unwrap();
    assert_eq!(
        d.scan(&token, scan(perf, &order.tickets[0].code, "a"))
            .await,
        Err(DoorError::NotThisPerformance)
    );
    assert_eq!(
        d.checkin(&token, perf).await,
        Err(DoorError::NotThisPerformance)
    );
    assert_eq!(d.access("").await, Err(DoorError::Unauthorized));
    assert_eq!(d.access("inconnu").await, Err(DoorError::Unauthorized));
    assert_eq!(d.access(&token).await.unwrap().performances[0].id, other);
    w.clock.advance(3600);
    assert_eq!(
        d.access(&token).await,
        Err(DoorError::Unauthorized),
        "expired after its hour"
    );
    let (_, fresh) = d.create_access(&[other], 1, false, "Balcon").await.unwrap();
    assert!(d.revoke_access(id).await.unwrap());
    assert!(!d.revoke_access(id).await.unwrap());
    assert!(d.access(&fresh).await.is_ok());
    let states: Vec<&str> = d
        .accesses()
        .await
        .unwrap()
        .iter()
        .map(|a| a.state)
        .collect();
    assert_eq!(states, ["revoked", "active"]);
}

#[tokio::test]
async fn only_supervisors_undo_admissions() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let order = sold(&w, perf, &s[0..1]).await;
    let (_, door) =
        w.uc.door
            .create_access(&[perf], 4, false, "Entrée")
            .await
            .unwrap();
    let (_, boss) =
        w.uc.door
            .create_access(&[perf], 4, true, "Chef")
            .await
            .unwrap();
    let admitted =
        w.uc.door
            .scan(&door, scan(perf, &order.tickets[0].code, "a"))
            .await
            .unwrap();
    let id = admitted.admission_id.unwrap();
    assert_eq!(
        w.uc.door.undo(&door, id).await,
        Err(DoorError::NotSupervisor)
    );
    assert_eq!(
        w.uc.door.undo(&boss, id).await.unwrap().admission_id,
        Some(id)
    );
    assert_eq!(
        w.uc.door.undo(&boss, id).await,
        Err(DoorError::AlreadyUndone)
    );
    assert_eq!(
        w.uc.door.undo(&boss, 999).await,
        Err(DoorError::AdmissionNotFound)
    );
    let again =
        w.uc.door
            .scan(&door, scan(perf, &order.tickets[0].code, "b"))
            .await
            .unwrap();
    assert_eq!(again.status, ScanStatus::Valid);
}

#[tokio::test]
async fn manual_entry_search_and_offline_data() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let order = sold(&w, perf, &s[0..2]).await;
    let (_, token) =
        w.uc.door
            .create_access(&[perf], 4, false, "Entrée")
            .await
            .unwrap();
    let d = &w.uc.door;
    let by_number = ScanRequest {
        code: None,
        ticket_number: Some(order.tickets[0].number.to_lowercase()),
        ..scan(perf, "", "m1")
    };
    assert_eq!(
        d.scan(&token, by_number).await.unwrap().status,
        ScanStatus::Valid
    );
    let nothing = ScanRequest {
        code: None,
        ..scan(perf, "", "m2")
    };
    assert_eq!(d.scan(&token, nothing).await, Err(DoorError::NothingToScan));
    assert_eq!(
        d.scan(&token, scan(perf, "x", "")).await,
        Err(DoorError::InvalidNonce)
    );
    assert_eq!(
        d.attendees(&token, perf, "s").await,
        Err(DoorError::QueryTooShort)
    );
    let found = d.attendees(&token, perf, "simone").await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.iter().any(|a| a.admitted.is_some()));
    assert_eq!(
        d.attendees(&token, perf, &order.reference)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(d.attendees(&token, perf, "000002").await.unwrap().len(), 1);
    let offline = d.offline_data(&token, perf).await.unwrap();
    assert_eq!(offline.tickets.len(), 2);
    assert_eq!(offline.admitted.len(), 1);
    assert!(offline.revoked.is_empty());
    assert_eq!(offline.generated_at.0, NOW);
}

#[tokio::test]
async fn a_device_clock_ahead_of_the_server_is_not_trusted() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let order = sold(&w, perf, &s[0..1]).await;
    let (_, token) =
        w.uc.door
            .create_access(&[perf], 4, false, "Entrée")
            .await
            .unwrap();
    let ahead = ScanRequest {
        scanned_at: Some(Ts(NOW + 3600)),
        ..scan(perf, &order.tickets[0].code, "a")
    };
    w.uc.door.scan(&token, ahead).await.unwrap();
    let again =
        w.uc.door
            .scan(&token, scan(perf, &order.tickets[0].code, "b"))
            .await
            .unwrap();
    assert_eq!(again.first_admission.unwrap().at, Ts(NOW));
}

#[tokio::test]
async fn a_typed_number_of_another_performance_reveals_nothing() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let (other, s2) = venue(&w, Spec::default()).await;
    sold(&w, perf, &s[0..1]).await;
    let theirs = sold(&w, other, &s2[0..1]).await;
    let (_, token) =
        w.uc.door
            .create_access(&[perf], 4, false, "Entrée")
            .await
            .unwrap();
    let by_number = ScanRequest {
        code: None,
        ticket_number: Some(theirs.tickets[0].number.clone()),
        ..scan(perf, "", "x1")
    };
    let r = w.uc.door.scan(&token, by_number).await.unwrap();
    assert_eq!(r.status, ScanStatus::WrongPerformance);
    assert!(
        r.ticket.is_none() && r.ticket_performance.is_none(),
        "{r:?}"
    );
    // A signed code proves the ticket is in hand: its details are shown.
    let by_code =
        w.uc.door
            .scan(&token, scan(perf, &theirs.tickets[0].code, "x2"))
            .await
            .unwrap();
    assert_eq!(by_code.ticket.unwrap().holder_name, "Simone Veil");
}

#[tokio::test]
async fn nonces_belong_to_one_door_access_and_die_with_an_undo() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let order = sold(&w, perf, &s[0..2]).await;
    let (_, a) =
        w.uc.door
            .create_access(&[perf], 4, true, "Porte A")
            .await
            .unwrap();
    let (_, b) =
        w.uc.door
            .create_access(&[perf], 4, false, "Porte B")
            .await
            .unwrap();
    let d = &w.uc.door;
    let first = d
        .scan(&a, scan(perf, &order.tickets[0].code, "same"))
        .await
        .unwrap();
    assert_eq!(first.status, ScanStatus::Valid);
    // Another phone drawing the same nonce is another scan.
    let other = d
        .scan(&b, scan(perf, &order.tickets[1].code, "same"))
        .await
        .unwrap();
    assert_eq!(other.status, ScanStatus::Valid);
    d.undo(&a, first.admission_id.unwrap()).await.unwrap();
    assert_eq!(
        d.scan(&a, scan(perf, &order.tickets[0].code, "same")).await,
        Err(DoorError::NonceReused),
        "replaying a scan that was undone does not admit again"
    );
    assert_eq!(
        d.scan(&a, scan(perf, &order.tickets[0].code, "fresh"))
            .await
            .unwrap()
            .status,
        ScanStatus::Valid
    );
}

#[tokio::test]
async fn undo_asks_who_before_looking_anything_up() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let (other, _) = venue(&w, Spec::default()).await;
    let order = sold(&w, perf, &s[0..1]).await;
    let (_, door) =
        w.uc.door
            .create_access(&[perf], 4, false, "Entrée")
            .await
            .unwrap();
    let (_, elsewhere) =
        w.uc.door
            .create_access(&[other], 4, true, "Chef")
            .await
            .unwrap();
    let id =
        w.uc.door
            .scan(&door, scan(perf, &order.tickets[0].code, "n"))
            .await
            .unwrap()
            .admission_id
            .unwrap();
    assert_eq!(
        w.uc.door.undo("inconnu", 999).await,
        Err(DoorError::Unauthorized)
    );
    assert_eq!(
        w.uc.door.undo("inconnu", id).await,
        Err(DoorError::Unauthorized)
    );
    assert_eq!(
        w.uc.door.undo(&elsewhere, id).await,
        Err(DoorError::NotThisPerformance)
    );
}

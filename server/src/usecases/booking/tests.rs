use crate::usecases::fakes::*;
use crate::usecases::Settings;
use app::domain::sale_window::SaleRefusal;
use app::domain::selection::SelectionError;
use app::dto::HoldRequest;
use app::ports::{Booking, Catalogue, HoldError, ReleaseError};
use std::sync::atomic::Ordering;
use std::sync::Arc;

fn seats(performance_id: i64, seat_ids: &[i64]) -> HoldRequest {
    HoldRequest {
        performance_id,
        seat_ids: Some(seat_ids.to_vec()),
        quantity: None,
    }
}

fn quantity(performance_id: i64, n: i64) -> HoldRequest {
    HoldRequest {
        performance_id,
        seat_ids: None,
        quantity: Some(n),
    }
}

#[tokio::test]
async fn a_held_seat_is_refused_to_the_next_buyer_until_released() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let hold =
        w.uc.booking
            .create_hold(seats(perf, &s[0..2]))
            .await
            .unwrap();
    assert_eq!(hold.seconds_left, 900);
    assert_eq!(hold.expires_at.0, NOW + 900);
    let writes = w.store.hold_writes.load(Ordering::SeqCst);
    let again = w.uc.booking.create_hold(seats(perf, &s[1..3])).await;
    assert_eq!(again, Err(HoldError::SeatsTaken(vec![s[1]])));
    assert_eq!(
        w.store.hold_writes.load(Ordering::SeqCst),
        writes,
        "a seat visibly taken is refused without a write"
    );
    w.uc.booking.release_hold(&hold.id).await.unwrap();
    // Releasing twice is harmless.
    w.uc.booking.release_hold(&hold.id).await.unwrap();
    assert!(w
        .uc
        .booking
        .create_hold(seats(perf, &s[1..3]))
        .await
        .is_ok());
}

#[tokio::test]
async fn a_seat_taken_on_another_server_is_refused_by_storage() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    // This server's view is loaded (empty), then another server takes seat 1.
    w.uc.catalogue.live_state(perf).await.unwrap();
    w.store.claim_elsewhere(perf, s[0], NOW + 600);
    assert_eq!(
        w.uc.booking.create_hold(seats(perf, &s[0..1])).await,
        Err(HoldError::SeatsTaken(vec![s[0]]))
    );
    // The refusal taught the seat map: it shows the seat taken at once.
    let live = w.uc.catalogue.live_state(perf).await.unwrap();
    assert!(live.taken.iter().any(|(id, _)| *id == s[0]));
}

#[tokio::test]
async fn holds_respect_the_sale_window() {
    let w = world();
    let (later, s) = venue(
        &w,
        Spec {
            opens_in: 3600,
            ..Spec::default()
        },
    )
    .await;
    assert_eq!(
        w.uc.booking.create_hold(seats(later, &s[0..1])).await,
        Err(HoldError::SaleClosed(SaleRefusal::NotYetOpen(NOW + 3600)))
    );
    w.clock.advance(3600);
    assert!(w
        .uc
        .booking
        .create_hold(seats(later, &s[0..1]))
        .await
        .is_ok());

    // The clock is an hour on already.
    let (soon, s) = venue(
        &w,
        Spec {
            starts_in: 3600 + 120,
            ..Spec::default()
        },
    )
    .await;
    w.clock.advance(60);
    assert!(w
        .uc
        .booking
        .create_hold(seats(soon, &s[0..1]))
        .await
        .is_ok());
    w.clock.advance(3600);
    assert_eq!(
        w.uc.booking.create_hold(seats(soon, &s[1..2])).await,
        Err(HoldError::SaleClosed(SaleRefusal::Closed))
    );
}

#[tokio::test]
async fn a_cancelled_performance_sells_nothing() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    w.store.cancel_performance(perf);
    assert_eq!(
        w.uc.booking.create_hold(seats(perf, &s[0..1])).await,
        Err(HoldError::SaleClosed(SaleRefusal::Cancelled))
    );
}

#[tokio::test]
async fn bad_selections_are_refused_before_anything_is_written() {
    let w = world();
    let (perf, s) = venue(
        &w,
        Spec {
            blocked: vec![10],
            max_per_order: 3,
            ..Spec::default()
        },
    )
    .await;
    let b = &w.uc.booking;
    assert_eq!(
        b.create_hold(seats(perf, &[])).await,
        Err(SelectionError::Empty.into())
    );
    assert_eq!(
        b.create_hold(seats(perf, &[s[0], s[0]])).await,
        Err(SelectionError::Duplicate(vec![s[0]]).into())
    );
    assert_eq!(
        b.create_hold(seats(perf, &s[0..4])).await,
        Err(SelectionError::TooMany { max: 3 }.into())
    );
    assert_eq!(
        b.create_hold(seats(perf, &[999_999])).await,
        Err(HoldError::UnknownSeats(vec![999_999]))
    );
    assert_eq!(
        b.create_hold(seats(perf, &[s[9]])).await,
        Err(HoldError::SeatsNotOnSale(vec![s[9]]))
    );
    let both = HoldRequest {
        quantity: Some(1),
        ..seats(perf, &s[0..1])
    };
    assert_eq!(b.create_hold(both).await, Err(HoldError::SeatsAndQuantity));
    let none = HoldRequest {
        performance_id: perf,
        seat_ids: None,
        quantity: None,
    };
    assert_eq!(b.create_hold(none).await, Err(HoldError::NothingRequested));
    assert_eq!(
        b.create_hold(seats(4242, &s[0..1])).await,
        Err(HoldError::PerformanceNotFound(4242))
    );
    assert_eq!(w.store.hold_writes.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn best_seats_are_adjacent_central_and_never_shared() {
    let w = world();
    let (perf, s) = venue(
        &w,
        Spec {
            seats: 9,
            ..Spec::default()
        },
    )
    .await;
    // The stage spans the whole width (0..1000), the row sits at x = 20..180: its right end
    // is nearest the centre.
    let first = w.uc.booking.create_hold(quantity(perf, 3)).await.unwrap();
    assert_eq!(first.seat_ids, s[6..9].to_vec());
    let second = w.uc.booking.create_hold(quantity(perf, 3)).await.unwrap();
    assert_eq!(second.seat_ids, s[3..6].to_vec());
    let third = w.uc.booking.create_hold(quantity(perf, 3)).await.unwrap();
    assert_eq!(third.seat_ids, s[0..3].to_vec());
    assert_eq!(
        w.uc.booking.create_hold(quantity(perf, 1)).await,
        Err(HoldError::NoAdjacentSeats { quantity: 1 })
    );
}

#[tokio::test]
async fn general_admission_never_passes_capacity() {
    let w = world();
    let (perf, _) = venue(
        &w,
        Spec {
            seats: 0,
            capacity: 5,
            ..Spec::default()
        },
    )
    .await;
    let b = &w.uc.booking;
    assert_eq!(
        b.create_hold(seats(perf, &[1])).await,
        Err(HoldError::QuantityExpected)
    );
    let first = b.create_hold(quantity(perf, 4)).await.unwrap();
    assert!(first.seat_ids.is_empty());
    assert_eq!(
        b.create_hold(quantity(perf, 2)).await,
        Err(HoldError::SoldOut { remaining: 1 })
    );
    b.create_hold(quantity(perf, 1)).await.unwrap();
    assert_eq!(
        b.create_hold(quantity(perf, 1)).await,
        Err(HoldError::SoldOut { remaining: 0 })
    );
    b.release_hold(&first.id).await.unwrap();
    assert_eq!(w.uc.catalogue.live_state(perf).await.unwrap().available, 4);
}

#[tokio::test]
async fn an_expired_hold_frees_its_seats() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let hold =
        w.uc.booking
            .create_hold(seats(perf, &s[0..1]))
            .await
            .unwrap();
    w.clock.advance(899);
    assert!(w
        .uc
        .booking
        .create_hold(seats(perf, &s[0..1]))
        .await
        .is_err());
    w.clock.advance(1);
    // Storage counts an expired claim as free, even before the sweep.
    assert!(w
        .uc
        .booking
        .create_hold(seats(perf, &s[0..1]))
        .await
        .is_ok());
    assert_eq!(w.uc.booking.expire_holds().await.unwrap(), 1);
    assert_eq!(w.uc.booking.release_hold(&hold.id).await, Ok(()));
}

#[tokio::test]
async fn the_configured_cap_shortens_holds() {
    let w = world_with(
        Arc::new(crate::adapters::payments::Sandbox),
        Settings {
            hold_cap_seconds: Some(2),
            ..Settings::default()
        },
    );
    let (perf, s) = venue(&w, Spec::default()).await;
    let hold =
        w.uc.booking
            .create_hold(seats(perf, &s[0..1]))
            .await
            .unwrap();
    assert_eq!(hold.seconds_left, 2);
    assert_eq!(w.uc.catalogue.seatmap(perf).await.unwrap().hold_seconds, 2);
}

#[tokio::test]
async fn unknown_and_malformed_holds_are_not_found() {
    let w = world();
    assert_eq!(
        w.uc.booking.release_hold("nope").await,
        Err(ReleaseError::HoldNotFound)
    );
    let unknown = "0123456789abcdef0123456789abcdef";
    assert_eq!(
        w.uc.booking.release_hold(unknown).await,
        Err(ReleaseError::HoldNotFound)
    );
}

#[tokio::test]
async fn storage_failures_surface_as_failures() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    w.store.down.store(true, Ordering::SeqCst);
    match w.uc.booking.create_hold(seats(perf, &s[0..1])).await {
        Err(HoldError::Failure(app::ports::Failure::Unavailable(_))) => {}
        other => panic!("{other:?}"),
    }
}

fn capped(share_percent: i64) -> World {
    world_with(
        Arc::new(crate::adapters::payments::Sandbox),
        Settings {
            hold_caps: Some(app::domain::hold_cap::HoldCaps { share_percent }),
            ..Settings::default()
        },
    )
}

fn client(ip: &str) -> Option<app::domain::ClientKey> {
    Some(app::domain::ClientKey::from_ip(ip.parse().unwrap()))
}

#[tokio::test]
async fn one_client_cannot_hold_more_than_its_share() {
    let w = capped(10);
    let (perf, s) = venue(
        &w,
        Spec {
            seats: 40,
            ..Spec::default()
        },
    )
    .await;
    let b = &w.uc.booking;
    let (a, other) = (client("203.0.113.1"), client("203.0.113.2"));
    // 10 % of 40 is 4, less than one order (6): the cap is 6.
    let first = b.hold_for(a.clone(), seats(perf, &s[0..4])).await.unwrap();
    b.hold_for(a.clone(), quantity(perf, 2)).await.unwrap();
    let refused = b.hold_for(a.clone(), seats(perf, &s[10..11])).await;
    assert_eq!(
        refused,
        Err(HoldError::TooManyHeld {
            held: 6,
            cap: 6,
            retry_after: first.seconds_left
        })
    );
    assert_eq!(
        b.hold_for(a.clone(), quantity(perf, 1)).await.map(|_| ()),
        Err(HoldError::TooManyHeld {
            held: 6,
            cap: 6,
            retry_after: first.seconds_left
        })
    );
    // Others, and holds nobody is counted for (staff, tools), are not affected.
    b.hold_for(other, seats(perf, &s[10..16])).await.unwrap();
    b.create_hold(quantity(perf, 6)).await.unwrap();
    // Giving seats back makes room at once; an expired hold no longer counts.
    b.release_hold(&first.id).await.unwrap();
    b.hold_for(a.clone(), quantity(perf, 4)).await.unwrap();
    assert!(b.hold_for(a.clone(), quantity(perf, 1)).await.is_err());
    w.clock.advance(first.seconds_left);
    b.expire_holds().await.unwrap();
    b.hold_for(a, quantity(perf, 6)).await.unwrap();
}

#[tokio::test]
async fn the_cap_counts_general_admission_places_per_performance() {
    let w = capped(10);
    let spec = || Spec {
        seats: 0,
        capacity: 100,
        ..Spec::default()
    };
    let (perf, _) = venue(&w, spec()).await;
    let (other_perf, _) = venue(&w, spec()).await;
    let b = &w.uc.booking;
    let a = client("2001:db8:5:6::1");
    b.hold_for(a.clone(), quantity(perf, 6)).await.unwrap();
    b.hold_for(a.clone(), quantity(perf, 4)).await.unwrap();
    // Another address of the same /64 is the same client.
    assert!(matches!(
        b.hold_for(client("2001:db8:5:6::99"), quantity(perf, 1))
            .await,
        Err(HoldError::TooManyHeld {
            held: 10,
            cap: 10,
            ..
        })
    ));
    // Another performance has its own count; the refused request took nothing.
    b.hold_for(a, quantity(other_perf, 6)).await.unwrap();
    let live = w.uc.catalogue.live_state(perf).await.unwrap();
    assert_eq!(live.available, 90);
}

use super::*;
use crate::ports::{BookingRepo, NewHold};
use crate::usecases::fakes::*;
use crate::usecases::Settings;
use app::domain::HoldId;
use app::dto::{HoldRequest, LiveState, SeatStatus};
use app::ports::Booking;

fn feed_world(feed: FeedSettings) -> World {
    world_with(
        Arc::new(crate::adapters::payments::Sandbox),
        Settings {
            feed,
            ..Settings::default()
        },
    )
}

fn hold(performance_id: i64, seat_ids: &[i64]) -> HoldRequest {
    HoldRequest {
        performance_id,
        seat_ids: Some(seat_ids.to_vec()),
        quantity: None,
    }
}

fn state(bytes: &[u8]) -> LiveState {
    serde_json::from_slice(bytes).unwrap()
}

/// Sorted by seat already (`live_view`).
fn taken(bytes: &[u8]) -> Vec<(i64, SeatStatus)> {
    state(bytes).taken
}

/// Waits (in paused tokio time) for the next message.
async fn next(f: &mut Follower) -> Option<Arc<[u8]>> {
    tokio::time::timeout(Duration::from_secs(5), f.recv())
        .await
        .ok()
        .flatten()
}

#[tokio::test(start_paused = true)]
async fn a_follower_gets_the_current_state_then_each_change() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    w.uc.booking
        .create_hold(hold(perf, &s[0..1]))
        .await
        .unwrap();
    let mut f = w.uc.live.follow(perf).await.unwrap();
    assert_eq!(
        taken(&next(&mut f).await.unwrap()),
        [(s[0], SeatStatus::Held)]
    );

    let started = tokio::time::Instant::now();
    w.uc.booking
        .create_hold(hold(perf, &s[1..2]))
        .await
        .unwrap();
    let second = next(&mut f).await.expect("the change is pushed");
    assert!(started.elapsed() <= Duration::from_millis(200));
    assert_eq!(
        taken(&second),
        [(s[0], SeatStatus::Held), (s[1], SeatStatus::Held)]
    );
    // Nothing changed since: nothing more is sent, even past a refresh.
    assert!(tokio::time::timeout(Duration::from_secs(3), f.recv())
        .await
        .is_err());
}

#[tokio::test(start_paused = true)]
async fn a_rush_of_holds_makes_one_message() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let mut f = w.uc.live.follow(perf).await.unwrap();
    assert!(taken(&next(&mut f).await.unwrap()).is_empty());
    for seat in &s[0..5] {
        w.uc.booking
            .create_hold(hold(perf, &[*seat]))
            .await
            .unwrap();
    }
    let message = next(&mut f).await.unwrap();
    assert_eq!(taken(&message).len(), 5);
    assert!(f.try_recv().is_err(), "one message for the rush");
}

#[tokio::test(start_paused = true)]
async fn a_follower_that_does_not_read_is_dropped_not_buffered() {
    let w = feed_world(FeedSettings {
        queue: 2,
        ..FeedSettings::default()
    });
    let (perf, s) = venue(&w, Spec::default()).await;
    let mut slow = w.uc.live.follow(perf).await.unwrap();
    let mut reader = w.uc.live.follow(perf).await.unwrap();
    assert!(next(&mut reader).await.is_some());
    for seat in &s[0..4] {
        w.uc.booking
            .create_hold(hold(perf, &[*seat]))
            .await
            .unwrap();
        assert!(next(&mut reader).await.is_some(), "the reader keeps up");
    }
    // The slow one kept its queue's worth, then was cut off.
    let mut kept = 0;
    while slow.recv().await.is_some() {
        kept += 1;
    }
    assert_eq!(kept, 2);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(w.uc.live.followers(), 1);
    // The reader still hears.
    w.uc.booking
        .create_hold(hold(perf, &s[4..5]))
        .await
        .unwrap();
    assert_eq!(taken(&next(&mut reader).await.unwrap()).len(), 5);
}

#[tokio::test(start_paused = true)]
async fn expired_holds_reach_followers_by_the_refresh() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let h =
        w.uc.booking
            .create_hold(hold(perf, &s[0..1]))
            .await
            .unwrap();
    let mut f = w.uc.live.follow(perf).await.unwrap();
    assert_eq!(taken(&next(&mut f).await.unwrap()).len(), 1);
    w.clock.advance_ms((h.seconds_left + 1) * 1000);
    let after = next(&mut f).await.expect("the expiry is pushed");
    assert!(taken(&after).is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_change_announced_by_another_server_is_read_again() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let mut f = w.uc.live.follow(perf).await.unwrap();
    assert!(taken(&next(&mut f).await.unwrap()).is_empty());
    // Another server holds a seat: storage has it, this server's board does not.
    let other = NewHold {
        id: HoldId::parse("0123456789abcdef0123456789abcdef").unwrap(),
        performance: PerformanceId(perf),
        now: NOW,
        expires_at: NOW + 600,
        limit: None,
    };
    BookingRepo::hold_seats(&*w.store, &other, &s[3..4])
        .await
        .unwrap()
        .unwrap();
    w.changes
        .publish(SeatChange::Elsewhere(PerformanceId(perf)));
    let pushed = tokio::time::timeout(Duration::from_millis(300), f.recv())
        .await
        .expect("pushed within the coalescing delay")
        .unwrap();
    assert_eq!(taken(&pushed), [(s[3], SeatStatus::Held)]);
}

#[tokio::test(start_paused = true)]
async fn unknown_performances_and_a_full_server_are_refused() {
    let w = feed_world(FeedSettings {
        max_followers: 1,
        ..FeedSettings::default()
    });
    let (perf, _) = venue(&w, Spec::default()).await;
    assert!(matches!(
        w.uc.live.follow(9_999).await,
        Err(CatalogueError::PerformanceNotFound(9_999))
    ));
    let first = w.uc.live.follow(perf).await.unwrap();
    assert!(matches!(
        w.uc.live.follow(perf).await,
        Err(CatalogueError::Failure(Failure::Unavailable(_)))
    ));
    // A follower gone frees its place.
    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(w.uc.live.follow(perf).await.is_ok());
}

#[tokio::test(start_paused = true)]
async fn general_admission_counts_are_pushed() {
    let w = world();
    let (perf, _) = venue(
        &w,
        Spec {
            seats: 0,
            capacity: 50,
            ..Spec::default()
        },
    )
    .await;
    let mut f = w.uc.live.follow(perf).await.unwrap();
    assert_eq!(state(&next(&mut f).await.unwrap()).available, 50);
    w.uc.booking
        .create_hold(HoldRequest {
            performance_id: perf,
            seat_ids: None,
            quantity: Some(3),
        })
        .await
        .unwrap();
    assert_eq!(state(&next(&mut f).await.unwrap()).available, 47);
}

use crate::usecases::fakes::*;
use app::dto::{HoldRequest, ProgrammeQuery, SeatStatus, ShowKind};
use app::ports::{Booking, Catalogue, CatalogueError};

#[tokio::test]
async fn the_programme_lists_by_day_and_kind() {
    let w = world();
    let (perf, _) = venue(&w, Spec::default()).await;
    let all =
        w.uc.catalogue
            .programme(ProgrammeQuery::default())
            .await
            .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].min_price_cents, 0);
    let day = app::domain::paris::day_key(NOW + 7 * 86_400);
    let on_day = ProgrammeQuery {
        date: Some(day),
        kind: Some(ShowKind::Theatre),
    };
    assert_eq!(w.uc.catalogue.programme(on_day).await.unwrap()[0].id, perf);
    let films = ProgrammeQuery {
        kind: Some(ShowKind::Cinema),
        ..Default::default()
    };
    assert!(w.uc.catalogue.programme(films).await.unwrap().is_empty());
    let bad = ProgrammeQuery {
        date: Some("demain".into()),
        kind: None,
    };
    assert_eq!(
        w.uc.catalogue.programme(bad).await,
        Err(CatalogueError::InvalidDate("demain".into()))
    );
}

#[tokio::test]
async fn the_seat_map_shows_held_seats_and_counts() {
    let w = world();
    let (perf, s) = venue(
        &w,
        Spec {
            blocked: vec![10],
            ..Spec::default()
        },
    )
    .await;
    let req = HoldRequest {
        performance_id: perf,
        seat_ids: Some(vec![s[0]]),
        quantity: None,
    };
    w.uc.booking.create_hold(req).await.unwrap();
    let map = w.uc.catalogue.seatmap(perf).await.unwrap();
    assert_eq!(map.seats.len(), 10);
    assert_eq!(map.seats[0].status, SeatStatus::Held);
    assert_eq!(map.seats[9].status, SeatStatus::Blocked);
    assert_eq!(map.performance.available, 8);
    assert_eq!(map.categories[0].tariffs.len(), 3);
    assert!(
        map.tariffs.is_empty(),
        "seated performances price by category"
    );
    let live = w.uc.catalogue.live_state(perf).await.unwrap();
    assert_eq!(live.available, 8);
    assert_eq!(
        live.taken,
        vec![(s[0], SeatStatus::Held), (s[9], SeatStatus::Blocked)]
    );
    let json: app::dto::LiveState =
        serde_json::from_slice(&w.uc.catalogue.live_json(perf).await.unwrap()).unwrap();
    assert_eq!(json, live);
    assert_eq!(
        w.uc.catalogue.seatmap(777).await,
        Err(CatalogueError::PerformanceNotFound(777))
    );
}

#[tokio::test]
async fn other_servers_sales_show_within_a_quarter_second() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    assert!(w
        .uc
        .catalogue
        .live_state(perf)
        .await
        .unwrap()
        .taken
        .is_empty());
    w.store.claim_elsewhere(perf, s[4], NOW + 900);
    w.clock.advance_ms(100);
    assert!(
        w.uc.catalogue
            .live_state(perf)
            .await
            .unwrap()
            .taken
            .is_empty(),
        "still within the cache's quarter second"
    );
    w.clock.advance_ms(200);
    assert_eq!(
        w.uc.catalogue.live_state(perf).await.unwrap().taken,
        vec![(s[4], SeatStatus::Held)]
    );
}

#[tokio::test]
async fn shows_list_their_coming_performances() {
    let w = world();
    let (perf, _) = venue(&w, Spec::default()).await;
    let show_id =
        w.uc.catalogue
            .seatmap(perf)
            .await
            .unwrap()
            .performance
            .show_id;
    let show = w.uc.catalogue.show(show_id).await.unwrap();
    assert_eq!(show.title, "Spectacle de test");
    assert_eq!(show.performances.len(), 1);
    assert_eq!(
        w.uc.catalogue.show(9999).await,
        Err(CatalogueError::ShowNotFound(9999))
    );
}

#[tokio::test]
async fn the_programme_is_read_once_for_a_crowd_of_visitors() {
    let w = world();
    venue(&w, Spec::default()).await;
    for _ in 0..50 {
        let listed =
            w.uc.catalogue
                .programme(ProgrammeQuery::default())
                .await
                .unwrap();
        assert_eq!(listed.len(), 1);
    }
    let reads = || {
        w.store
            .programme_reads
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    assert_eq!(reads(), 1);
    // Another question is another read.
    let films = ProgrammeQuery {
        kind: Some(ShowKind::Cinema),
        ..Default::default()
    };
    assert!(w.uc.catalogue.programme(films).await.unwrap().is_empty());
    assert_eq!(reads(), 2);
}

#[tokio::test]
async fn a_kept_seat_map_still_shows_the_seat_states_of_now() {
    let w = world();
    let (perf, s) = venue(&w, Spec::default()).await;
    let before = w.uc.catalogue.seatmap(perf).await.unwrap();
    assert_eq!(before.performance.available, 10);
    w.uc.booking
        .create_hold(HoldRequest {
            performance_id: perf,
            seat_ids: Some(vec![s[0], s[1]]),
            quantity: None,
        })
        .await
        .unwrap();
    let after = w.uc.catalogue.seatmap(perf).await.unwrap();
    let status = |id: i64| after.seats.iter().find(|x| x.id == id).unwrap().status;
    assert_eq!(status(s[0]), SeatStatus::Held);
    assert_eq!(status(s[1]), SeatStatus::Held);
    assert_eq!(status(s[2]), SeatStatus::Free);
    assert_eq!(after.performance.available, 8);
}

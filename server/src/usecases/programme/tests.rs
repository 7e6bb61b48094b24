use super::*;
use crate::usecases::fakes::*;
use app::domain::recurrence::RecurrenceSpec;
use app::domain::sale_window::SaleRefusal;
use app::dto::{HoldRequest, ProgrammeQuery};
use app::ports::{Booking, Catalogue, HoldError};
use app::staff::{StaffMember, Via};
use std::collections::BTreeMap;

fn staff(role: app::domain::Role) -> Actor {
    Actor {
        staff: Some(StaffMember {
            id: 9,
            email: "x@ville.fr".into(),
            name: "X".into(),
            role,
            supervisor: false,
            disabled: false,
        }),
        via: Via::Session,
    }
}

fn admin() -> Actor {
    staff(app::domain::Role::Admin)
}

fn play() -> NewShowRequest {
    NewShowRequest {
        title: "Le Misanthrope".into(),
        kind: "theatre".into(),
        duration_min: 130,
        description: "Molière".into(),
        age_rating: "Tous publics".into(),
        ..NewShowRequest::default()
    }
}

fn prices(category: &str, grid: &[(&str, i64)]) -> BTreeMap<String, BTreeMap<String, i64>> {
    BTreeMap::from([(
        category.to_string(),
        grid.iter().map(|(t, c)| (t.to_string(), *c)).collect(),
    )])
}

/// A world with the test venue's seated hall; its id.
async fn with_hall(w: &World) -> i64 {
    venue(w, Spec::default()).await;
    w.uc.programme.halls(&admin()).await.unwrap()[0].id
}

fn four_evenings(hall_id: i64) -> PerformancesRequest {
    // NOW is a week before Saturday 5 December 2026: Wednesday 9 to Saturday 12 at 20:30.
    PerformancesRequest {
        hall_id,
        starts_at: Vec::new(),
        recurrence: Some(RecurrenceSpec {
            from: "2026-12-09".into(),
            to: "2026-12-12".into(),
            weekdays: ["wed", "thu", "fri", "sat"].map(String::from).to_vec(),
            times: vec!["20:30".into()],
            except: Vec::new(),
        }),
        prices: prices("Catégorie 1", &[("plein", 2200), ("reduit", 1600)]),
        published: false,
        sale_opens_at: None,
        sale_closes_minutes_before: None,
        hold_minutes: None,
        max_seats_per_order: None,
        capacity: None,
        quotas: BTreeMap::new(),
        channels: None,
    }
}

#[tokio::test]
async fn only_admins_put_shows_on_and_shows_are_checked() {
    let w = world();
    for role in [app::domain::Role::BoxOffice, app::domain::Role::Door] {
        assert_eq!(
            w.uc.programme.create_show(&staff(role), &play()).await,
            Err(ProgrammeError::Forbidden)
        );
    }
    let created = w.uc.programme.create_show(&admin(), &play()).await.unwrap();
    assert_eq!(
        (created.title.as_str(), created.kind),
        ("Le Misanthrope", ShowKind::Theatre)
    );
    assert_eq!(
        w.uc.programme.create_show(&admin(), &play()).await,
        Err(ProgrammeError::ShowTaken)
    );
    let bad = [
        NewShowRequest {
            title: " ".into(),
            ..play()
        },
        NewShowRequest {
            kind: "opera".into(),
            ..play()
        },
        NewShowRequest {
            duration_min: 0,
            ..play()
        },
    ];
    for request in bad {
        assert!(w
            .uc
            .programme
            .create_show(&admin(), &request)
            .await
            .is_err());
    }
    let audit = w.store.programme_audit();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "show.create");
}

#[tokio::test]
async fn a_play_on_four_evenings_is_prepared_then_published_and_sold() {
    let w = world();
    let hall = with_hall(&w).await;
    let show = w.uc.programme.create_show(&admin(), &play()).await.unwrap();
    let created =
        w.uc.programme
            .create_performances(&admin(), show.id, &four_evenings(hall))
            .await
            .unwrap();
    assert_eq!(created.len(), 4);
    assert!(created.iter().all(|p| !p.published && p.hold_minutes == 15));
    assert_eq!(
        paris::datetime_fr(created[0].starts_at.0),
        "mercredi 9 décembre 2026 à 20h30"
    );
    // Prepared, not published: neither listed nor sold.
    async fn listed(w: &World, show_id: i64) -> usize {
        w.uc.catalogue
            .programme(ProgrammeQuery {
                date: Some("2026-12-09".into()),
                kind: None,
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|p| p.show_id == show_id)
            .count()
    }
    assert_eq!(listed(&w, show.id).await, 0);
    let hold = HoldRequest {
        performance_id: created[0].id,
        seat_ids: None,
        quantity: Some(2),
    };
    assert_eq!(
        w.uc.booking.create_hold(hold.clone()).await.map(|_| ()),
        Err(HoldError::SaleClosed(SaleRefusal::Unpublished))
    );
    let published =
        w.uc.programme
            .change_performance(
                &admin(),
                created[0].id,
                &PerformancePatch {
                    published: Some(true),
                    ..PerformancePatch::default()
                },
            )
            .await
            .unwrap();
    assert!(published.published);
    assert_eq!(
        listed(&w, show.id).await,
        1,
        "listed at once on this server"
    );
    assert!(
        w.uc.booking.create_hold(hold).await.is_ok(),
        "published: on sale at once on this server"
    );
    let audit = w.store.programme_audit();
    assert_eq!(audit.last().unwrap().action, "performance.update");
    assert_eq!(audit.last().unwrap().detail["before"]["published"], false);
    assert_eq!(audit.last().unwrap().detail["after"]["published"], true);
}

#[tokio::test]
async fn a_bad_request_creates_nothing_and_says_what_is_wrong() {
    let w = world();
    let hall = with_hall(&w).await;
    let show = w.uc.programme.create_show(&admin(), &play()).await.unwrap();
    let base = four_evenings(hall);
    let cases: Vec<(PerformancesRequest, ProgrammeError)> = vec![
        (
            PerformancesRequest {
                prices: prices("Balcon", &[("plein", 1000)]),
                ..base.clone()
            },
            ProgrammeError::UnknownCategory("Balcon".into()),
        ),
        (
            PerformancesRequest {
                prices: prices("Catégorie 1", &[("vip", 1000)]),
                ..base.clone()
            },
            ProgrammeError::TariffNotInVenue("vip".into()),
        ),
        (
            PerformancesRequest {
                prices: prices("Catégorie 1", &[("plein", -5)]),
                ..base.clone()
            },
            ProgrammeError::InvalidPrice {
                category: "Catégorie 1".into(),
                tariff: "plein".into(),
            },
        ),
        (
            PerformancesRequest {
                prices: BTreeMap::new(),
                ..base.clone()
            },
            ProgrammeError::CategoryWithoutPrice("Catégorie 1".into()),
        ),
        (
            PerformancesRequest {
                starts_at: vec!["2026-11-01T20:30:00+01:00".into()],
                recurrence: None,
                ..base.clone()
            },
            ProgrammeError::StartInPast("dimanche 1er novembre 2026 à 20h30".into()),
        ),
        (
            PerformancesRequest {
                starts_at: vec!["demain soir".into()],
                recurrence: None,
                ..base.clone()
            },
            ProgrammeError::InvalidInstant("demain soir".into()),
        ),
        (
            PerformancesRequest {
                recurrence: None,
                ..base.clone()
            },
            ProgrammeError::NoStart,
        ),
        (
            PerformancesRequest {
                hold_minutes: Some(120),
                ..base.clone()
            },
            ProgrammeError::InvalidHold,
        ),
        (
            PerformancesRequest {
                hall_id: 999,
                ..base.clone()
            },
            ProgrammeError::HallNotFound(999),
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(
            w.uc.programme
                .create_performances(&admin(), show.id, &request)
                .await,
            Err(expected)
        );
    }
    assert_eq!(
        w.uc.programme
            .create_performances(&admin(), 999, &base)
            .await,
        Err(ProgrammeError::ShowNotFound(999))
    );
    // A clash with what the hall has stops the whole batch.
    let one = PerformancesRequest {
        starts_at: vec!["2026-12-11T20:30:00+01:00".into()],
        recurrence: None,
        ..base.clone()
    };
    w.uc.programme
        .create_performances(&admin(), show.id, &one)
        .await
        .unwrap();
    assert_eq!(
        w.uc.programme
            .create_performances(&admin(), show.id, &base)
            .await,
        Err(ProgrammeError::Clash(
            "vendredi 11 décembre 2026 à 20h30".into()
        ))
    );
    let perfs =
        w.uc.catalogue
            .show(show.id)
            .await
            .unwrap()
            .performances
            .len();
    assert_eq!(perfs, 0, "nothing published, nothing listed");
    assert_eq!(
        w.store
            .programme_audit()
            .iter()
            .filter(|a| a.action == "performance.create")
            .count(),
        1,
        "only the one that was written"
    );
}

#[tokio::test]
async fn general_admission_needs_a_capacity_and_settings_stay_sane() {
    let w = world();
    venue(
        &w,
        Spec {
            seats: 0,
            capacity: 90,
            ..Spec::default()
        },
    )
    .await;
    let hall = w.uc.programme.halls(&admin()).await.unwrap()[0].clone();
    assert_eq!((hall.seats, hall.categories.len()), (0, 0));
    let film = NewShowRequest {
        title: "Paterson".into(),
        kind: "cinema".into(),
        duration_min: 118,
        ..play()
    };
    let show = w.uc.programme.create_show(&admin(), &film).await.unwrap();
    let request = PerformancesRequest {
        hall_id: hall.id,
        starts_at: vec!["2026-12-06T18:00:00+01:00".into()],
        recurrence: None,
        prices: prices("Placement libre", &[("plein", 700), ("enfant", 450)]),
        published: true,
        ..four_evenings(hall.id)
    };
    assert_eq!(
        w.uc.programme
            .create_performances(&admin(), show.id, &request)
            .await,
        Err(ProgrammeError::CapacityNeeded)
    );
    let created =
        w.uc.programme
            .create_performances(
                &admin(),
                show.id,
                &PerformancesRequest {
                    capacity: Some(90),
                    ..request
                },
            )
            .await
            .unwrap();
    let id = created[0].id;
    let hold = HoldRequest {
        performance_id: id,
        seat_ids: None,
        quantity: Some(3),
    };
    assert!(w.uc.booking.create_hold(hold).await.is_ok());
    for patch in [
        PerformancePatch {
            max_seats_per_order: Some(0),
            ..PerformancePatch::default()
        },
        PerformancePatch {
            sale_closes_at: Some("2026-12-07T18:00:00+01:00".into()),
            ..PerformancePatch::default()
        },
        PerformancePatch {
            sale_opens_at: Some("2026-12-06T19:00:00+01:00".into()),
            ..PerformancePatch::default()
        },
    ] {
        assert!(
            w.uc.programme
                .change_performance(&admin(), id, &patch)
                .await
                .is_err(),
            "{patch:?}"
        );
    }
    assert_eq!(
        w.uc.programme
            .change_performance(&admin(), 12345, &PerformancePatch::default())
            .await,
        Err(ProgrammeError::PerformanceNotFound(12345))
    );
}

fn venue_request(code: &str) -> NewVenueRequest {
    NewVenueRequest {
        code: code.into(),
        name: "Salle des fêtes".into(),
        operator_name: "Ville de Test".into(),
        address: "1 place de la Mairie".into(),
        kind: "theatre".into(),
    }
}

fn generated(rows: u32) -> NewHallRequest {
    use app::domain::plan::generator::*;
    NewHallRequest {
        name: "Grande salle".into(),
        generator: Some(GeneratorSpec {
            levels: vec![LevelSpec {
                zone: "Orchestre".into(),
                rows,
                seats_per_row: 16,
                row_seats: Vec::new(),
                row_labels: RowLabels::Letters,
                skip_i_o: true,
                numbering: Numbering::OddEvenFromCentre,
                aisles: Vec::new(),
                stagger: false,
                curve: 20,
                category: None,
                category_from_row: vec![RowCategory {
                    row: 8,
                    category: "Catégorie 2".into(),
                }],
            }],
            stage: StageSide::Top,
            stage_label: "Scène".into(),
        }),
        plan: None,
        pretix: None,
    }
}

#[tokio::test]
async fn a_town_creates_its_venue_and_a_generated_hall_then_sells_in_it() {
    let w = world();
    venue(&w, Spec::default()).await; // the tariffs
    let v =
        w.uc.programme
            .create_venue(&admin(), &venue_request("sdf"))
            .await
            .unwrap();
    assert_eq!(v.code, "SDF");
    assert_eq!(
        w.uc.programme
            .create_venue(&admin(), &venue_request("SDF"))
            .await,
        Err(ProgrammeError::VenueCodeTaken)
    );
    assert_eq!(
        w.uc.programme
            .create_venue(&admin(), &venue_request("S-1"))
            .await,
        Err(ProgrammeError::InvalidVenueCode("S-1".into()))
    );
    let hall =
        w.uc.programme
            .create_hall(&admin(), v.id, &generated(12))
            .await
            .unwrap();
    assert_eq!((hall.seats, hall.categories.len()), (12 * 16, 2));
    assert_eq!(
        w.uc.programme
            .create_hall(&admin(), v.id, &generated(12))
            .await,
        Err(ProgrammeError::HallTaken)
    );
    assert_eq!(
        w.uc.programme
            .create_hall(&admin(), 999, &generated(12))
            .await,
        Err(ProgrammeError::VenueNotFound(999))
    );
    // Exported in Guichet's format, it imports as another hall unchanged.
    let exported =
        w.uc.programme
            .hall_plan(&admin(), hall.id, None)
            .await
            .unwrap()
            .plan;
    assert_eq!(exported.seats.len(), 192);
    let copy = NewHallRequest {
        name: "Copie".into(),
        generator: None,
        plan: Some(exported.clone()),
        pretix: None,
    };
    let copied =
        w.uc.programme
            .create_hall(&admin(), v.id, &copy)
            .await
            .unwrap();
    assert_eq!(
        w.uc.programme
            .hall_plan(&admin(), copied.id, None)
            .await
            .unwrap()
            .plan,
        exported
    );

    let show = w.uc.programme.create_show(&admin(), &play()).await.unwrap();
    let request = PerformancesRequest {
        hall_id: hall.id,
        starts_at: vec!["2026-12-19T20:30:00+01:00".into()],
        recurrence: None,
        prices: BTreeMap::from([
            (
                "Catégorie 1".to_string(),
                BTreeMap::from([("plein".to_string(), 2500)]),
            ),
            (
                "Catégorie 2".to_string(),
                BTreeMap::from([("plein".to_string(), 1800)]),
            ),
        ]),
        published: true,
        ..four_evenings(hall.id)
    };
    let perf =
        w.uc.programme
            .create_performances(&admin(), show.id, &request)
            .await
            .unwrap();
    let hold = HoldRequest {
        performance_id: perf[0].id,
        seat_ids: None,
        quantity: Some(2),
    };
    let held = w.uc.booking.create_hold(hold).await.unwrap();
    assert_eq!(held.seat_ids.len(), 2);
    let audit: Vec<&str> = w.store.programme_audit().iter().map(|a| a.action).collect();
    assert!(audit.contains(&"venue.create") && audit.contains(&"hall.create"));
}

#[tokio::test]
async fn a_bad_plan_stores_nothing_and_names_each_problem() {
    let w = world();
    let v =
        w.uc.programme
            .create_venue(&admin(), &venue_request("SDF"))
            .await
            .unwrap();
    let hall =
        w.uc.programme
            .create_hall(&admin(), v.id, &generated(3))
            .await
            .unwrap();
    let mut exported =
        w.uc.programme
            .hall_plan(&admin(), hall.id, None)
            .await
            .unwrap()
            .plan;
    exported.seats[1] = exported.seats[0].clone();
    let request = NewHallRequest {
        name: "Autre".into(),
        generator: None,
        plan: Some(exported),
        pretix: None,
    };
    let Err(ProgrammeError::InvalidPlan {
        count, first_fr, ..
    }) = w.uc.programme.create_hall(&admin(), v.id, &request).await
    else {
        panic!("a duplicate seat must be refused");
    };
    assert_eq!(count, 2, "{first_fr}");
    assert!(
        first_fr.starts_with("zone Orchestre, rang A, place 15 : identifiant en double"),
        "{first_fr}"
    );
    let both = NewHallRequest {
        plan: request.plan.clone(),
        ..generated(3)
    };
    assert_eq!(
        w.uc.programme.create_hall(&admin(), v.id, &both).await,
        Err(ProgrammeError::PlanSource)
    );
    assert_eq!(
        w.uc.programme.halls(&admin()).await.unwrap().len(),
        1,
        "nothing stored"
    );
}

#[tokio::test]
async fn a_new_seatmap_version_moves_no_sold_or_held_seat() {
    let w = world();
    venue(&w, Spec::default()).await; // the tariffs
    let v =
        w.uc.programme
            .create_venue(&admin(), &venue_request("SDF"))
            .await
            .unwrap();
    let hall =
        w.uc.programme
            .create_hall(&admin(), v.id, &generated(12))
            .await
            .unwrap();
    let show = w.uc.programme.create_show(&admin(), &play()).await.unwrap();
    let on = |at: &str| PerformancesRequest {
        hall_id: hall.id,
        starts_at: vec![at.into()],
        recurrence: None,
        prices: BTreeMap::from([
            (
                "Catégorie 1".to_string(),
                BTreeMap::from([("plein".to_string(), 2500)]),
            ),
            (
                "Catégorie 2".to_string(),
                BTreeMap::from([("plein".to_string(), 1800)]),
            ),
        ]),
        published: true,
        ..four_evenings(hall.id)
    };
    let first =
        w.uc.programme
            .create_performances(&admin(), show.id, &on("2026-12-19T20:30:00+01:00"))
            .await
            .unwrap()[0]
            .id;
    let held =
        w.uc.booking
            .create_hold(HoldRequest {
                performance_id: first,
                seat_ids: None,
                quantity: Some(2),
            })
            .await
            .unwrap();
    let before = w.uc.catalogue.seatmap(first).await.unwrap();

    // The hall loses its first row and gets a folding-seat category.
    let exported =
        w.uc.programme
            .hall_plan(&admin(), hall.id, None)
            .await
            .unwrap();
    assert_eq!((exported.version, exported.current), (1, 1));
    let mut plan = exported.plan;
    plan.seats.retain(|s| s.row != "A");
    plan.categories.push(app::domain::plan::PlanCategory {
        label: "Strapontins".into(),
        color: "#888888".into(),
    });
    plan.seats[0].category = "Strapontins".into();
    let upload = SeatmapUpload::Guichet(serde_json::to_vec(&plan).unwrap());
    for role in [app::domain::Role::BoxOffice, app::domain::Role::Door] {
        assert_eq!(
            w.uc.programme
                .replace_seatmap(&staff(role), hall.id, None, &upload)
                .await,
            Err(ProgrammeError::Forbidden)
        );
    }
    let saved =
        w.uc.programme
            .replace_seatmap(&admin(), hall.id, Some(1), &upload)
            .await
            .unwrap();
    assert_eq!(
        (saved.version, saved.seats, saved.categories.len()),
        (2, 176, 3)
    );
    // Another admin's save from version 1 is refused rather than lost.
    assert_eq!(
        w.uc.programme
            .replace_seatmap(&admin(), hall.id, Some(1), &upload)
            .await,
        Err(ProgrammeError::SeatmapChanged(2))
    );

    // The performance on sale keeps its map: same seats, the held ones still held.
    let after = w.uc.catalogue.seatmap(first).await.unwrap();
    assert_eq!(after.seats, before.seats);
    for id in &held.seat_ids {
        let seat = after.seats.iter().find(|s| s.id == *id).unwrap();
        assert_eq!(seat.status, app::dto::SeatStatus::Held);
    }
    // A new performance is put on sale with the new version and must price its new category.
    assert_eq!(
        w.uc.programme
            .create_performances(&admin(), show.id, &on("2026-12-20T20:30:00+01:00"))
            .await,
        Err(ProgrammeError::CategoryWithoutPrice("Strapontins".into()))
    );
    let mut priced = on("2026-12-20T20:30:00+01:00");
    priced.prices.insert(
        "Strapontins".into(),
        BTreeMap::from([("plein".to_string(), 800)]),
    );
    let second =
        w.uc.programme
            .create_performances(&admin(), show.id, &priced)
            .await
            .unwrap()[0]
            .id;
    let new_map = w.uc.catalogue.seatmap(second).await.unwrap();
    assert_eq!(new_map.seats.len(), 176);
    assert!(new_map
        .seats
        .iter()
        .all(|s| !before.seats.iter().any(|b| b.id == s.id)));
    assert!(new_map.seats.iter().all(|s| s.row != "A"));
    // Versions stay readable; the listing counts the current one.
    assert_eq!(
        w.uc.programme
            .hall_plan(&admin(), hall.id, Some(1))
            .await
            .unwrap()
            .plan
            .seats
            .len(),
        192
    );
    assert_eq!(
        w.uc.programme.hall_plan(&admin(), hall.id, Some(9)).await,
        Err(ProgrammeError::VersionNotFound(9))
    );
    let listed = w.uc.programme.halls(&admin()).await.unwrap();
    let listed = listed.iter().find(|h| h.id == hall.id).unwrap();
    assert_eq!((listed.seats, listed.categories.len()), (176, 3));
    let audit = w.store.programme_audit();
    let act = audit.iter().find(|a| a.action == "hall.seatmap").unwrap();
    assert_eq!(act.detail["before"]["version"], 1);
    assert_eq!(act.detail["version"], 2);
}

#[tokio::test]
async fn a_bad_seatmap_upload_keeps_the_current_version() {
    let w = world();
    let hall = with_hall(&w).await;
    let mut plan =
        w.uc.programme
            .hall_plan(&admin(), hall, None)
            .await
            .unwrap()
            .plan;
    let twin = plan.seats[0].clone();
    plan.seats.push(twin);
    let dup = SeatmapUpload::Guichet(serde_json::to_vec(&plan).unwrap());
    match w
        .uc
        .programme
        .replace_seatmap(&admin(), hall, None, &dup)
        .await
    {
        Err(ProgrammeError::InvalidPlan {
            count, first_fr, ..
        }) => {
            assert!(count >= 1);
            assert!(first_fr.contains("identifiant en double"), "{first_fr}");
        }
        other => panic!("{other:?}"),
    }
    for junk in [&b"{not json"[..], &[0xff, 0xfe][..]] {
        let upload = SeatmapUpload::Guichet(junk.to_vec());
        assert!(matches!(
            w.uc.programme
                .replace_seatmap(&admin(), hall, None, &upload)
                .await,
            Err(ProgrammeError::InvalidPlan { .. })
        ));
        let upload = SeatmapUpload::Pretix(junk.to_vec());
        assert!(matches!(
            w.uc.programme
                .replace_seatmap(&admin(), hall, None, &upload)
                .await,
            Err(ProgrammeError::InvalidPlan { .. })
        ));
    }
    assert_eq!(
        w.uc.programme
            .replace_seatmap(&admin(), 999, None, &dup)
            .await,
        Err(ProgrammeError::HallNotFound(999))
    );
    let now =
        w.uc.programme
            .hall_plan(&admin(), hall, None)
            .await
            .unwrap();
    assert_eq!(now.current, 1);
    assert!(w
        .store
        .programme_audit()
        .iter()
        .all(|a| a.action != "hall.seatmap"));
}

#[tokio::test]
async fn films_carry_their_report_fields_and_other_kinds_none() {
    let w = world();
    let film = NewShowRequest {
        title: "Les Glaneurs et la Glaneuse".into(),
        kind: "cinema".into(),
        duration_min: 82,
        visa: Some("98 765".into()),
        distributor: Some("Ciné-Tamaris".into()),
        version: Some("vost".into()),
        three_d: Some(false),
        ..NewShowRequest::default()
    };
    let created = w.uc.programme.create_show(&admin(), &film).await.unwrap();
    let details = created.film.clone().unwrap();
    assert_eq!(details.caption(), "VOST · visa n° 98765");
    assert_eq!(details.distributor, "Ciné-Tamaris");
    let audit = w.store.programme_audit();
    assert_eq!(audit.last().unwrap().detail["film"]["visa"], "98765");
    let concert = NewShowRequest {
        title: "Orchestre d'harmonie".into(),
        kind: "concert".into(),
        duration_min: 90,
        ..NewShowRequest::default()
    };
    let created =
        w.uc.programme
            .create_show(&admin(), &concert)
            .await
            .unwrap();
    assert_eq!((created.kind, created.film), (ShowKind::Concert, None));
    for (request, error) in [
        (
            NewShowRequest {
                visa: Some("12".into()),
                ..play()
            },
            ProgrammeError::FilmFieldsNotFilm,
        ),
        (
            NewShowRequest {
                visa: Some("12a".into()),
                title: "Autre".into(),
                ..film.clone()
            },
            ProgrammeError::InvalidVisa("12a".into()),
        ),
        (
            NewShowRequest {
                version: Some("VFST".into()),
                title: "Autre".into(),
                ..film.clone()
            },
            ProgrammeError::InvalidVersion("VFST".into()),
        ),
    ] {
        assert_eq!(
            w.uc.programme.create_show(&admin(), &request).await,
            Err(error)
        );
    }
    // A venue is a cinema or a theatre; it may put on any show.
    assert_eq!(
        w.uc.programme
            .create_venue(
                &admin(),
                &NewVenueRequest {
                    kind: "concert".into(),
                    ..venue_request("KIO")
                }
            )
            .await,
        Err(ProgrammeError::UnknownKind("concert".into()))
    );
}

/// A held, an unpaid and a paid order on the test venue's performance; (performance, paid
/// order id, unpaid order id).
async fn sales(w: &World) -> (i64, String, String) {
    use app::dto::{Buyer, OrderRequest, PaymentOutcome, TicketRequest};
    use app::ports::Checkout;
    let (perf, seats) = venue(w, Spec::default()).await;
    let mut orders = Vec::new();
    for (seat, name) in [(seats[0], "Ada Lovelace"), (seats[1], "Alan Turing")] {
        let hold =
            w.uc.booking
                .create_hold(HoldRequest {
                    performance_id: perf,
                    seat_ids: Some(vec![seat]),
                    quantity: None,
                })
                .await
                .unwrap();
        let order =
            w.uc.checkout
                .create_order(OrderRequest {
                    hold_id: hold.id,
                    buyer: Buyer {
                        name: name.into(),
                        email: "public@exemple.fr".into(),
                    },
                    tickets: vec![TicketRequest {
                        seat_id: Some(seat),
                        tariff: "plein".into(),
                    }],
                    lang: None,
                })
                .await
                .unwrap();
        orders.push(order);
    }
    w.uc.checkout
        .pay(&orders[0].id, &orders[0].token, PaymentOutcome::Approve)
        .await
        .map(app::dto::PaymentReply::into_order)
        .unwrap();
    w.uc.booking
        .create_hold(HoldRequest {
            performance_id: perf,
            seat_ids: Some(vec![seats[2]]),
            quantity: None,
        })
        .await
        .unwrap();
    (perf, orders[0].id.clone(), orders[1].id.clone())
}

#[tokio::test]
async fn a_cancelled_performance_leaves_the_sale_and_lists_whom_to_refund() {
    use app::dto::OrderStatus;
    let w = world();
    let (perf, paid, unpaid) = sales(&w).await;
    let box_office = staff(app::domain::Role::BoxOffice);
    assert_eq!(
        w.uc.programme.cancel_performance(&box_office, perf).await,
        Err(ProgrammeError::Forbidden)
    );
    let buyers =
        w.uc.programme
            .performance_buyers(&box_office, perf)
            .await
            .unwrap();
    assert_eq!(buyers.len(), 1);
    assert!(!buyers[0].refund_due);

    let done =
        w.uc.programme
            .cancel_performance(&admin(), perf)
            .await
            .unwrap();
    assert!(done.performance.cancelled);
    assert_eq!(done.unpaid_cancelled, 1);
    assert_eq!(done.to_refund.len(), 1);
    let to_refund = &done.to_refund[0];
    assert_eq!(
        (to_refund.order_id.as_str(), to_refund.name.as_str()),
        (paid.as_str(), "Ada Lovelace")
    );
    assert_eq!(
        (
            to_refund.tickets,
            to_refund.total_cents,
            to_refund.refund_due
        ),
        (1, 2000, true)
    );

    // Off the programme and off sale, its seats free, its tickets cancelled.
    let hold = HoldRequest {
        performance_id: perf,
        seat_ids: None,
        quantity: Some(1),
    };
    assert_eq!(
        w.uc.booking.create_hold(hold).await.map(|_| ()),
        Err(HoldError::SaleClosed(SaleRefusal::Cancelled))
    );
    let listed =
        w.uc.catalogue
            .programme(ProgrammeQuery {
                date: None,
                kind: None,
            })
            .await
            .unwrap();
    assert!(listed.iter().all(|p| p.id != perf));
    let unpaid_order = w.store.order_status(&unpaid);
    assert_eq!(unpaid_order, Some(OrderStatus::Cancelled));
    let tickets = w.store.order_ticket_statuses(&paid);
    assert_eq!(tickets, vec![TicketStatus::Cancelled]);
    // The buyer list keeps what is owed; a second cancellation or an edit is refused.
    let buyers =
        w.uc.programme
            .performance_buyers(&admin(), perf)
            .await
            .unwrap();
    assert!(buyers[0].refund_due);
    assert_eq!(
        w.uc.programme.cancel_performance(&admin(), perf).await,
        Err(ProgrammeError::PerformanceCancelled(perf))
    );
    assert_eq!(
        w.uc.programme
            .change_performance(
                &admin(),
                perf,
                &PerformancePatch {
                    published: Some(true),
                    ..PerformancePatch::default()
                }
            )
            .await,
        Err(ProgrammeError::PerformanceCancelled(perf))
    );
    assert_eq!(
        w.uc.programme.cancel_performance(&admin(), 999).await,
        Err(ProgrammeError::PerformanceNotFound(999))
    );
    let audit = w.store.programme_audit();
    let act = audit
        .iter()
        .find(|a| a.action == "performance.cancel")
        .unwrap();
    assert_eq!(act.detail["to_refund"], 1);
    // The back office's day list keeps it, as cancelled.
    let starts = act.detail["starts_at"].as_str().unwrap();
    let day = paris::day_key(
        chrono::DateTime::parse_from_rfc3339(starts)
            .unwrap()
            .timestamp(),
    );
    let listed =
        w.uc.programme
            .performances_of_day(&admin(), &day)
            .await
            .unwrap();
    let line = listed.iter().find(|l| l.id == perf).unwrap();
    assert!(line.cancelled && line.sold == 0);
    assert_eq!(
        w.uc.programme.performances_of_day(&box_office, &day).await,
        Err(ProgrammeError::Forbidden)
    );
    assert!(matches!(
        w.uc.programme.performances_of_day(&admin(), "le 24").await,
        Err(ProgrammeError::Recurrence(_))
    ));
}

#[tokio::test]
async fn admins_add_and_edit_tariffs_and_the_code_stays() {
    let w = world();
    venue(&w, Spec::default()).await; // the usual tariffs
    let request = NewTariffRequest {
        code: "Senior".into(),
        label_fr: "Plus de 65 ans".into(),
        label_en: None,
        family: None,
        proof_required: true,
    };
    assert_eq!(
        w.uc.programme
            .create_tariff(&staff(app::domain::Role::BoxOffice), &request)
            .await,
        Err(ProgrammeError::Forbidden)
    );
    let created =
        w.uc.programme
            .create_tariff(&admin(), &request)
            .await
            .unwrap();
    assert_eq!(
        (created.code.as_str(), created.label_en.as_str()),
        ("senior", "Plus de 65 ans")
    );
    let last = w.uc.programme.tariffs(&admin()).await.unwrap();
    assert_eq!(
        last.last().unwrap().code,
        "senior",
        "added at the end of the catalogue"
    );
    assert_eq!(
        w.uc.programme.create_tariff(&admin(), &request).await,
        Err(ProgrammeError::TariffTaken)
    );
    let changed =
        w.uc.programme
            .change_tariff(
                &admin(),
                "senior",
                &TariffPatch {
                    family: Some("scolaire".into()),
                    ..TariffPatch::default()
                },
            )
            .await
            .unwrap();
    assert_eq!(changed.family, app::domain::tariff::TariffFamily::Scolaire);
    assert_eq!(
        w.uc.programme
            .change_tariff(
                &admin(),
                "senior",
                &TariffPatch {
                    family: Some("vip".into()),
                    ..TariffPatch::default()
                }
            )
            .await,
        Err(ProgrammeError::UnknownFamily("vip".into()))
    );
    assert_eq!(
        w.uc.programme
            .change_tariff(&admin(), "nope", &TariffPatch::default())
            .await,
        Err(ProgrammeError::TariffNotFound("nope".into()))
    );
    let audit = w.store.programme_audit();
    assert_eq!(audit.last().unwrap().action, "tariff.update");
    assert_eq!(audit.last().unwrap().detail["before"]["family"], "autre");
}

#[tokio::test]
async fn the_box_office_sees_the_money_to_give_back_after_a_cancellation() {
    use app::admin::RefundReason;
    let w = world();
    let (perf, paid, _unpaid) = sales(&w).await;
    let box_office = staff(app::domain::Role::BoxOffice);
    assert_eq!(
        w.uc.programme.refunds_due(&box_office).await.unwrap(),
        [],
        "nothing owed while the performance stands"
    );
    assert_eq!(
        w.uc.programme
            .refunds_due(&staff(app::domain::Role::Door))
            .await,
        Err(ProgrammeError::Forbidden)
    );
    w.uc.programme
        .cancel_performance(&admin(), perf)
        .await
        .unwrap();
    let due = w.uc.programme.refunds_due(&box_office).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (
            due[0].order_id.as_str(),
            due[0].name.as_str(),
            due[0].amount_cents,
            due[0].reason,
            due[0].performance_id
        ),
        (
            paid.as_str(),
            "Ada Lovelace",
            2000,
            RefundReason::PerformanceCancelled,
            perf
        )
    );
    assert!(!due[0].show_title.is_empty());
}

/// A PNG header (signature + IHDR) of the given size: what the poster check reads.
fn png(width: u32, height: u32, salt: u8) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    b.extend_from_slice(&13u32.to_be_bytes());
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, salt]);
    b
}

#[tokio::test]
async fn shows_are_listed_and_edited_under_the_same_rules_as_new_ones() {
    let w = world();
    let hall = with_hall(&w).await;
    let show = w.uc.programme.create_show(&admin(), &play()).await.unwrap();
    w.uc.programme
        .create_performances(&admin(), show.id, &four_evenings(hall))
        .await
        .unwrap();
    let film = NewShowRequest {
        title: "Paris, Texas".into(),
        kind: "cinema".into(),
        duration_min: 145,
        version: Some("VOST".into()),
        visa: Some("57 000".into()),
        ..NewShowRequest::default()
    };
    let film = w.uc.programme.create_show(&admin(), &film).await.unwrap();
    let listed = w.uc.programme.shows(&admin()).await.unwrap();
    let titles: Vec<(&str, i64)> = listed
        .iter()
        .map(|s| (s.title.as_str(), s.coming_performances))
        .collect();
    // By title (the venue fixture has a show of its own).
    assert_eq!(
        titles,
        [
            ("Le Misanthrope", 4),
            ("Paris, Texas", 0),
            ("Spectacle de test", 1)
        ]
    );
    assert_eq!(
        w.uc.programme
            .shows(&staff(app::domain::Role::BoxOffice))
            .await,
        Err(ProgrammeError::Forbidden)
    );

    // A typo mended: the title changes, the rest stays.
    let patch = ShowPatch {
        title: Some("Le Misanthrope ou l’Atrabilaire amoureux".into()),
        ..ShowPatch::default()
    };
    let edited =
        w.uc.programme
            .change_show(&admin(), show.id, &patch)
            .await
            .unwrap();
    assert_eq!(edited.title, "Le Misanthrope ou l’Atrabilaire amoureux");
    assert_eq!(
        (edited.duration_min, edited.description.as_str()),
        (130, "Molière")
    );
    // Public pages say it at once.
    let public = w.uc.catalogue.show(show.id).await.unwrap();
    assert_eq!(public.title, edited.title);

    // A film's fields: the version changes, the visa is kept; an empty distributor clears it.
    let patch = ShowPatch {
        version: Some("VF".into()),
        distributor: Some(String::new()),
        ..ShowPatch::default()
    };
    let edited =
        w.uc.programme
            .change_show(&admin(), film.id, &patch)
            .await
            .unwrap();
    let f = edited.film.unwrap();
    assert_eq!(f.version, Some(app::domain::film::FilmVersion::Vf));
    assert_eq!(
        f.visa.map(|v| v.as_str().to_string()).as_deref(),
        Some("57000")
    );
    assert_eq!(f.distributor, "");

    // Refused, and nothing changes: a title another show has, a bad duration, a visa on a play,
    // an unknown show, a door account.
    let before = w.uc.programme.shows(&admin()).await.unwrap();
    let refused = [
        (
            film.id,
            ShowPatch {
                title: Some("Le Misanthrope ou l’Atrabilaire amoureux".into()),
                ..ShowPatch::default()
            },
            None,
        ),
        (
            show.id,
            ShowPatch {
                duration_min: Some(0),
                ..ShowPatch::default()
            },
            Some(ProgrammeError::InvalidDuration),
        ),
        (
            show.id,
            ShowPatch {
                visa: Some("123".into()),
                ..ShowPatch::default()
            },
            Some(ProgrammeError::FilmFieldsNotFilm),
        ),
        (
            999,
            ShowPatch::default(),
            Some(ProgrammeError::ShowNotFound(999)),
        ),
    ];
    for (id, patch, expected) in refused {
        let got = w.uc.programme.change_show(&admin(), id, &patch).await;
        // Titles are unique per kind: the film may take the play's title.
        match expected {
            Some(e) => assert_eq!(got, Err(e)),
            None => assert!(got.is_ok()),
        }
    }
    assert_eq!(
        w.uc.programme
            .change_show(
                &staff(app::domain::Role::Door),
                show.id,
                &ShowPatch::default()
            )
            .await,
        Err(ProgrammeError::Forbidden)
    );
    let after = w.uc.programme.shows(&admin()).await.unwrap();
    assert_eq!(
        after.iter().find(|s| s.id == show.id),
        before.iter().find(|s| s.id == show.id)
    );
    let actions: Vec<String> = w
        .store
        .programme_audit()
        .iter()
        .map(|a| a.action.to_string())
        .filter(|a| a.starts_with("show."))
        .collect();
    assert_eq!(
        actions,
        [
            "show.create",
            "show.create",
            "show.update",
            "show.update",
            "show.update"
        ]
    );
}

#[tokio::test]
async fn a_poster_is_judged_by_its_bytes_and_a_new_one_is_a_new_url() {
    let w = world();
    let show = w.uc.programme.create_show(&admin(), &play()).await.unwrap();
    let first = png(800, 1200, 1);
    let with =
        w.uc.programme
            .set_poster(&admin(), show.id, &first)
            .await
            .unwrap();
    let poster = with.poster.clone().unwrap();
    assert!(poster.url.starts_with(&format!("/affiches/{}-", show.id)));
    assert!(poster.url.ends_with(".png"));
    assert_eq!((poster.width, poster.height), (800, 1200));
    let file = poster.url.trim_start_matches("/affiches/");
    let served = w.uc.catalogue.poster(file).await.unwrap();
    assert_eq!(served.bytes.as_ref(), first.as_slice());
    assert_eq!(served.format.mime(), "image/png");
    assert_eq!(
        w.uc.catalogue.show(show.id).await.unwrap().poster,
        Some(poster.clone())
    );

    // Replaced: a new name; the old one is gone.
    let second =
        w.uc.programme
            .set_poster(&admin(), show.id, &png(600, 900, 2))
            .await
            .unwrap()
            .poster
            .unwrap();
    assert_ne!(second.url, poster.url);
    assert!(matches!(
        w.uc.catalogue.poster(file).await,
        Err(app::ports::CatalogueError::PosterNotFound(_))
    ));

    // Refused from the bytes, whatever the file was called; the poster stays.
    use app::domain::poster::PosterProblem;
    for (bytes, problem) in [
        (b"%PDF-1.7".to_vec(), PosterProblem::NotAnImage),
        (
            png(50, 50, 3),
            PosterProblem::Dimensions {
                width: 50,
                height: 50,
            },
        ),
        (Vec::new(), PosterProblem::Empty),
    ] {
        assert_eq!(
            w.uc.programme.set_poster(&admin(), show.id, &bytes).await,
            Err(ProgrammeError::Poster(problem))
        );
    }
    assert_eq!(
        w.uc.programme
            .set_poster(&staff(app::domain::Role::BoxOffice), show.id, &first)
            .await,
        Err(ProgrammeError::Forbidden)
    );
    assert_eq!(
        w.uc.programme.set_poster(&admin(), 999, &first).await,
        Err(ProgrammeError::ShowNotFound(999))
    );
    assert_eq!(
        w.uc.catalogue.show(show.id).await.unwrap().poster,
        Some(second.clone())
    );
    // Served names that are not a poster's never reach storage.
    for bad in ["../etc/passwd", "1-zzzz.png", "x.svg"] {
        assert!(w.uc.catalogue.poster(bad).await.is_err());
    }

    let without =
        w.uc.programme
            .remove_poster(&admin(), show.id)
            .await
            .unwrap();
    assert_eq!(without.poster, None);
    assert!(w
        .uc
        .catalogue
        .poster(second.url.trim_start_matches("/affiches/"))
        .await
        .is_err());
    let actions: Vec<String> = w
        .store
        .programme_audit()
        .iter()
        .map(|a| a.action.to_string())
        .collect();
    assert_eq!(
        actions,
        [
            "show.create",
            "show.poster",
            "show.poster",
            "show.poster_removed"
        ]
    );
}

#[tokio::test]
async fn each_venue_sells_its_own_catalogue() {
    let w = world();
    let hall = with_hall(&w).await;
    let venue_id = w.uc.programme.halls(&admin()).await.unwrap()[0].venue_id;
    let other =
        w.uc.programme
            .create_venue(
                &admin(),
                &NewVenueRequest {
                    code: "CR".into(),
                    name: "Cinéma Le Régent".into(),
                    operator_name: "Ville".into(),
                    address: String::new(),
                    kind: "cinema".into(),
                },
            )
            .await
            .unwrap();
    // A new venue starts with the usual five.
    let codes: Vec<String> =
        w.uc.programme
            .venue_tariffs(&admin(), other.id)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.code)
            .collect();
    assert_eq!(codes, app::domain::tariff::USUAL_CODES.map(String::from));

    // The theatre words its reduced tariff and says who qualifies; the cinema's is untouched.
    let patch = VenueTariffPatch {
        label_fr: Some("Réduit (étudiants, chômeurs)".into()),
        eligibility_fr: Some("Étudiants, demandeurs d’emploi, sur justificatif.".into()),
        ..VenueTariffPatch::default()
    };
    let changed =
        w.uc.programme
            .change_venue_tariff(&admin(), venue_id, "reduit", &patch)
            .await
            .unwrap();
    assert_eq!(changed.label_fr, "Réduit (étudiants, chômeurs)");
    let theirs =
        w.uc.programme
            .venue_tariffs(&admin(), other.id)
            .await
            .unwrap();
    assert_eq!(
        theirs
            .iter()
            .find(|t| t.code == "reduit")
            .unwrap()
            .eligibility_fr,
        ""
    );
    // It no longer sells "enfant": pricing a performance in it is refused; a new code it adds
    // is the town's too, and prices its performances.
    let off = VenueTariffPatch {
        active: Some(false),
        ..VenueTariffPatch::default()
    };
    w.uc.programme
        .change_venue_tariff(&admin(), venue_id, "enfant", &off)
        .await
        .unwrap();
    let show = w.uc.programme.create_show(&admin(), &play()).await.unwrap();
    let mut request = four_evenings(hall);
    request.prices = prices("Catégorie 1", &[("plein", 2200), ("enfant", 800)]);
    assert_eq!(
        w.uc.programme
            .create_performances(&admin(), show.id, &request)
            .await,
        Err(ProgrammeError::TariffNotInVenue("enfant".into()))
    );
    let added =
        w.uc.programme
            .add_venue_tariff(
                &admin(),
                venue_id,
                &NewVenueTariff {
                    code: "abonne".into(),
                    label_fr: "Abonné".into(),
                    label_en: Some("Subscriber".into()),
                    family: Some("autre".into()),
                    proof_required: true,
                    eligibility_fr: Some("Titulaires de la carte d’abonnement.".into()),
                    eligibility_en: None,
                },
            )
            .await
            .unwrap();
    assert_eq!((added.code.as_str(), added.active), ("abonne", true));
    assert_eq!(
        w.uc.programme
            .add_venue_tariff(
                &admin(),
                venue_id,
                &NewVenueTariff {
                    code: "abonne".into(),
                    label_fr: "Encore".into(),
                    label_en: None,
                    family: None,
                    proof_required: false,
                    eligibility_fr: None,
                    eligibility_en: None,
                },
            )
            .await,
        Err(ProgrammeError::VenueTariffTaken("abonne".into()))
    );
    request.prices = prices(
        "Catégorie 1",
        &[("plein", 2200), ("reduit", 1600), ("abonne", 1400)],
    );
    request.published = true;
    let created =
        w.uc.programme
            .create_performances(&admin(), show.id, &request)
            .await
            .unwrap();
    // Buyers see the venue's words.
    let map = w.uc.catalogue.seatmap(created[0].id).await.unwrap();
    let offered: Vec<(String, String, String)> = map.categories[0]
        .tariffs
        .iter()
        .map(|t| (t.code.clone(), t.label.clone(), t.eligibility.clone()))
        .collect();
    assert!(offered.contains(&(
        "reduit".into(),
        "Réduit (étudiants, chômeurs)".into(),
        "Étudiants, demandeurs d’emploi, sur justificatif.".into()
    )));
    assert!(offered
        .iter()
        .any(|(c, l, _)| c == "abonne" && l == "Abonné"));
    // Only admins edit catalogues; an unknown venue or code is said so.
    assert_eq!(
        w.uc.programme
            .venue_tariffs(&staff(app::domain::Role::BoxOffice), venue_id)
            .await,
        Err(ProgrammeError::Forbidden)
    );
    assert_eq!(
        w.uc.programme.venue_tariffs(&admin(), 999).await,
        Err(ProgrammeError::VenueNotFound(999))
    );
    assert_eq!(
        w.uc.programme
            .change_venue_tariff(&admin(), venue_id, "vip", &off)
            .await,
        Err(ProgrammeError::TariffNotInVenue("vip".into()))
    );
}

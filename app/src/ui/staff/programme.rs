//! The programme panel of the back office: a venue, a hall from the generator (with a live
//! preview drawn by the same generator the server runs), a show, and its performances —
//! recurring, priced, published or not. Each form answers with what was created or with the
//! server's message.
use super::performances_form::NewPerformances;
use crate::admin::*;
use crate::api::{
    admin_cancel_performance, admin_change_performance, admin_create_hall, admin_create_show,
    admin_create_venue, admin_day_performances, admin_halls, admin_venues,
};
use crate::domain::plan::generator::{GeneratorSpec, LevelSpec, Numbering, RowLabels, StageSide};
use crate::ui::common::{fetched_in_browser, use_lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

pub(super) type Notice = RwSignal<Option<Result<Msg, Msg>>>;

pub(super) fn said(notice: Notice, result: Result<Msg, crate::error::AppError>) {
    notice.set(Some(result.map_err(|e| Msg::from_error(&e))));
}

#[component]
pub(super) fn NoticeLine(notice: Notice) -> impl IntoView {
    let lang = use_lang();
    move || {
        notice.get().map(|n| match n {
            Ok(m) => {
                view! { <p class="alert alert-info" role="status">{move || m.get(lang.get())}</p> }
                    .into_any()
            }
            Err(m) => {
                view! { <p class="alert alert-error" role="alert">{move || m.get(lang.get())}</p> }
                    .into_any()
            }
        })
    }
}

#[component]
pub fn Programme() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    // Bumped after a venue or a hall is created: the lists are read again. Read in the
    // browser only (the server renders the forms empty, hydration finds them so).
    let version = RwSignal::new(0u32);
    let halls = fetched_in_browser(move || {
        version.get();
        admin_halls()
    });
    let venues = fetched_in_browser(move || {
        version.get();
        admin_venues()
    });
    let venue_id = RwSignal::new(None::<i64>);
    let show = RwSignal::new(None::<ShowCreated>);
    // Bumped after a show is created: the list of shows is read again.
    let shows_version = RwSignal::new(0u32);
    view! {
        <section class="panel" aria-labelledby="programme-title">
            <h2 id="programme-title">{t("Programme", "Programme")}</h2>
            <NewVenue venue_id version/>
            <NewHall venue_id venues version/>
            <super::plan_editor::SeatPlans halls/>
            <super::venue_tariffs::VenueTariffs venues/>
            <NewShow show shows_version/>
            <super::shows::Shows version=shows_version plan_for=show/>
            {move || show.get().map(|s| view! { <NewPerformances show=s halls/> })}
            <DayPerformances/>
        </section>
    }
    .into_any()
}

#[component]
fn NewVenue(venue_id: RwSignal<Option<i64>>, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let (code, name, operator, address) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let kind = RwSignal::new("theatre".to_string());
    let notice: Notice = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = NewVenueRequest {
            code: code.get_untracked(),
            name: name.get_untracked(),
            operator_name: operator.get_untracked(),
            address: address.get_untracked(),
            kind: kind.get_untracked(),
        };
        spawn_local(async move {
            let result = admin_create_venue(request).await.map(|v| {
                venue_id.set(Some(v.id));
                version.update(|n| *n += 1);
                Msg::new(
                    format!("Lieu « {} » créé ({}).", v.name, v.code),
                    format!("Venue “{}” created ({}).", v.name, v.code),
                )
            });
            said(notice, result);
        });
    };
    view! {
        <form class="staff-new" on:submit=submit aria-labelledby="new-venue-title">
            <h3 id="new-venue-title">{t("Nouveau lieu", "New venue")}</h3>
            <NoticeLine notice/>
            <label for="venue-name">{t("Nom", "Name")}</label>
            <input id="venue-name" type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="venue-code">{t("Code (numéros de billet)", "Code (ticket numbers)")}</label>
            <input id="venue-code" type="text" required maxlength="6" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
            <label for="venue-operator">{t("Exploitant (imprimé sur les billets)", "Operator (printed on tickets)")}</label>
            <input id="venue-operator" type="text" required prop:value=move || operator.get() on:input=move |ev| operator.set(event_target_value(&ev))/>
            <label for="venue-address">{t("Adresse", "Address")}</label>
            <input id="venue-address" type="text" prop:value=move || address.get() on:input=move |ev| address.set(event_target_value(&ev))/>
            <label for="venue-kind">{t("Genre", "Kind")}</label>
            <select id="venue-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="theatre">{t("Théâtre", "Theatre")}</option>
                <option value="cinema">{t("Cinéma", "Cinema")}</option>
            </select>
            <button type="submit" class="button button-primary">{t("Créer le lieu", "Create the venue")}</button>
        </form>
    }
    .into_any()
}

pub(super) type Halls = ReadSignal<Option<Result<Vec<HallSummary>, crate::error::AppError>>>;
pub(super) type Venues = ReadSignal<Option<Result<Vec<VenueSummary>, crate::error::AppError>>>;

#[component]
fn NewHall(
    venue_id: RwSignal<Option<i64>>,
    venues: Venues,
    version: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let name = RwSignal::new(String::new());
    let zone = RwSignal::new("Orchestre".to_string());
    let rows = RwSignal::new(10u32);
    let per_row = RwSignal::new(16u32);
    let numbering = RwSignal::new(Numbering::OddEvenFromCentre);
    let skip_i_o = RwSignal::new(true);
    let notice: Notice = RwSignal::new(None);
    let spec = move || GeneratorSpec {
        levels: vec![LevelSpec {
            zone: zone.get(),
            rows: rows.get(),
            seats_per_row: per_row.get(),
            row_seats: Vec::new(),
            row_labels: RowLabels::Letters,
            skip_i_o: skip_i_o.get(),
            numbering: numbering.get(),
            aisles: Vec::new(),
            stagger: false,
            curve: 0,
            category: None,
            category_from_row: Vec::new(),
        }],
        stage: StageSide::Top,
        stage_label: "Scène".into(),
    };
    // The preview: the generator itself, run in the browser on every change.
    let preview = Memo::new(move |_| spec().plan().ok());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(venue) = venue_id.get_untracked() else {
            notice.set(Some(Err(Msg::new(
                "Choisissez un lieu.",
                "Choose a venue.",
            ))));
            return;
        };
        let request = NewHallRequest {
            name: name.get_untracked(),
            generator: Some(spec()),
            plan: None,
            pretix: None,
        };
        spawn_local(async move {
            let result = admin_create_hall(venue, request).await.map(|h| {
                version.update(|n| *n += 1);
                Msg::new(
                    format!("Salle « {} » créée : {} places.", h.name, h.seats),
                    format!("Hall “{}” created: {} seats.", h.name, h.seats),
                )
            });
            said(notice, result);
        });
    };
    let venues = move || {
        venues
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v.id, v.name))
            .collect::<Vec<_>>()
    };
    view! {
        <form class="staff-new" on:submit=submit aria-labelledby="new-hall-title">
            <h3 id="new-hall-title">{t("Nouvelle salle (générateur)", "New hall (generator)")}</h3>
            <NoticeLine notice/>
            <label for="hall-venue">{t("Lieu", "Venue")}</label>
            <select id="hall-venue" on:change=move |ev| venue_id.set(event_target_value(&ev).parse().ok())>
                <option value="">{t("— choisir —", "— choose —")}</option>
                {move || venues().into_iter().map(|(id, v)| view! {
                    <option value=id.to_string() selected=move || venue_id.get() == Some(id)>{v}</option>
                }).collect_view()}
            </select>
            <label for="hall-name">{t("Nom de la salle", "Hall name")}</label>
            <input id="hall-name" type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="hall-zone">{t("Niveau", "Level")}</label>
            <input id="hall-zone" type="text" required prop:value=move || zone.get() on:input=move |ev| zone.set(event_target_value(&ev))/>
            <label for="hall-rows">{t("Rangs", "Rows")}</label>
            <input id="hall-rows" type="number" min="1" max="100" prop:value=move || rows.get().to_string()
                on:input=move |ev| rows.set(event_target_value(&ev).parse().unwrap_or(0))/>
            <label for="hall-seats">{t("Places par rang", "Seats per row")}</label>
            <input id="hall-seats" type="number" min="1" max="200" prop:value=move || per_row.get().to_string()
                on:input=move |ev| per_row.set(event_target_value(&ev).parse().unwrap_or(0))/>
            <label for="hall-numbering">{t("Numérotation", "Numbering")}</label>
            <select id="hall-numbering" on:change=move |ev| numbering.set(match event_target_value(&ev).as_str() {
                "left_to_right" => Numbering::LeftToRight,
                "right_to_left" => Numbering::RightToLeft,
                _ => Numbering::OddEvenFromCentre,
            })>
                <option value="odd_even_from_centre">{t("Impairs / pairs depuis l'allée centrale", "Odd / even from the centre aisle")}</option>
                <option value="left_to_right">{t("De gauche à droite", "Left to right")}</option>
                <option value="right_to_left">{t("De droite à gauche", "Right to left")}</option>
            </select>
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || skip_i_o.get() on:change=move |ev| skip_i_o.set(event_target_checked(&ev))/>
                {t("Sans rangs I et O", "No rows I and O")}
            </label>
            <figure class="hall-preview">
                {move || preview.get().map(|plan| {
                    let seats = plan.seats.len();
                    let view_box = format!("0 0 {} {}", plan.width, plan.height);
                    view! {
                        <svg viewBox=view_box role="img" aria-label=move || format!("{} {}", seats, lang.get().pick("places", "seats"))>
                            <rect class="stage" x=plan.stage.x y=plan.stage.y width=plan.stage.w height=plan.stage.h/>
                            {plan.seats.iter().map(|s| view! { <circle cx=s.x cy=s.y r="8"/> }).collect_view()}
                        </svg>
                        <figcaption class="hall-preview-count">{move || format!("{} {}", seats, lang.get().pick("places", "seats"))}</figcaption>
                    }
                })}
            </figure>
            <button type="submit" class="button button-primary">{t("Créer la salle", "Create the hall")}</button>
        </form>
    }
    .into_any()
}

#[component]
fn NewShow(show: RwSignal<Option<ShowCreated>>, shows_version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new("cinema".to_string());
    let duration = RwSignal::new(90i64);
    let age = RwSignal::new(String::new());
    // A film's report fields (cinema only).
    let visa = RwSignal::new(String::new());
    let distributor = RwSignal::new(String::new());
    let version = RwSignal::new("VF".to_string());
    let three_d = RwSignal::new(false);
    let is_film = move || kind.get() == "cinema";
    let notice: Notice = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let film = kind.get_untracked() == "cinema";
        let given = |v: String| (film && !v.trim().is_empty()).then_some(v);
        let request = NewShowRequest {
            title: title.get_untracked(),
            kind: kind.get_untracked(),
            duration_min: duration.get_untracked(),
            description: String::new(),
            age_rating: age.get_untracked(),
            visa: given(visa.get_untracked()),
            distributor: given(distributor.get_untracked()),
            version: given(version.get_untracked()),
            three_d: film.then(|| three_d.get_untracked()),
        };
        spawn_local(async move {
            let result = admin_create_show(request).await.map(|s| {
                let m = Msg::new(
                    format!("Spectacle « {} » créé.", s.title),
                    format!("Show “{}” created.", s.title),
                );
                show.set(Some(s));
                shows_version.update(|v| *v += 1);
                m
            });
            said(notice, result);
        });
    };
    view! {
        <form class="staff-new" on:submit=submit aria-labelledby="new-show-title">
            <h3 id="new-show-title">{t("Nouveau spectacle ou film", "New show or film")}</h3>
            <NoticeLine notice/>
            <label for="show-title">{t("Titre", "Title")}</label>
            <input id="show-title" type="text" required prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            <label for="show-kind">{t("Genre", "Kind")}</label>
            <select id="show-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="cinema">{t("Cinéma", "Cinema")}</option>
                <option value="theatre">{t("Théâtre", "Theatre")}</option>
                <option value="concert">{t("Concert", "Concert")}</option>
                <option value="other">{t("Autre spectacle", "Other show")}</option>
            </select>
            <label for="show-duration">{t("Durée (minutes)", "Duration (minutes)")}</label>
            <input id="show-duration" type="number" min="1" max="600" prop:value=move || duration.get().to_string()
                on:input=move |ev| duration.set(event_target_value(&ev).parse().unwrap_or(0))/>
            <label for="show-age">{t("Public (par exemple « Tous publics », « 12+ »)", "Audience (e.g. “All ages”, “12+”)")}</label>
            <input id="show-age" type="text" prop:value=move || age.get() on:input=move |ev| age.set(event_target_value(&ev))/>
            <Show when=is_film>
                <fieldset class="film-fields">
                    <legend>{t("Pour les déclarations cinéma", "For cinema returns")}</legend>
                    <label for="show-visa">{t("N° de visa d'exploitation", "Visa number")}</label>
                    <input id="show-visa" type="text" inputmode="numeric" prop:value=move || visa.get() on:input=move |ev| visa.set(event_target_value(&ev))/>
                    <label for="show-distributor">{t("Distributeur", "Distributor")}</label>
                    <input id="show-distributor" type="text" prop:value=move || distributor.get() on:input=move |ev| distributor.set(event_target_value(&ev))/>
                    <label for="show-version">{t("Version", "Version")}</label>
                    <select id="show-version" on:change=move |ev| version.set(event_target_value(&ev))>
                        <option value="VF">"VF"</option>
                        <option value="VOST">"VOST"</option>
                        <option value="VO">"VO"</option>
                    </select>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || three_d.get() on:change=move |ev| three_d.set(event_target_checked(&ev))/>
                        "3D"
                    </label>
                </fieldset>
            </Show>
            <button type="submit" class="button button-primary">{t("Créer le spectacle", "Create the show")}</button>
        </form>
    }
    .into_any()
}

/// One day's performances, listed on demand (read in the browser only, after a click): each
/// with its state, and a cancellation that asks to be confirmed and answers whom to refund.
#[component]
fn DayPerformances() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let day = RwSignal::new(String::new());
    let lines = RwSignal::new(None::<Vec<PerformanceLine>>);
    let confirming = RwSignal::new(None::<i64>);
    let refunds = RwSignal::new(None::<PerformanceCancelled>);
    let notice: Notice = RwSignal::new(None);
    let load = move || {
        let date = day.get_untracked();
        spawn_local(async move {
            // A success leaves the notice alone: after a cancellation it says what was done.
            match admin_day_performances(date).await {
                Ok(found) => lines.set(Some(found)),
                Err(e) => said(notice, Err(e)),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        load();
    };
    let cancel = move |id: i64| {
        spawn_local(async move {
            let result = admin_cancel_performance(id).await.map(|done| {
                let m = Msg::new(
                    format!(
                        "Séance annulée : {} commande(s) à rembourser.",
                        done.to_refund.len()
                    ),
                    format!(
                        "Performance cancelled: {} order(s) to refund.",
                        done.to_refund.len()
                    ),
                );
                refunds.set(Some(done));
                m
            });
            confirming.set(None);
            said(notice, result);
            load();
        });
    };
    // Publish / unpublish, online sale on / off: the list is read again to show the new state.
    let change = move |id: i64, patch: PerformancePatch, done: Msg| {
        spawn_local(async move {
            let result = admin_change_performance(id, patch).await.map(|_| done);
            said(notice, result);
            load();
        });
    };
    let state = move |l: &PerformanceLine| {
        let l = l.clone();
        move || {
            let lang = lang.get();
            if l.cancelled {
                lang.pick("annulée", "cancelled")
            } else if !l.published {
                lang.pick("non publiée", "not published")
            } else if !l.sold_online {
                lang.pick("billetterie seulement", "box office only")
            } else {
                lang.pick("en vente", "on sale")
            }
        }
    };
    view! {
        <section class="staff-new day-performances" aria-labelledby="day-perfs-title">
            <h3 id="day-perfs-title">{t("Séances d'un jour", "Performances of a day")}</h3>
            <NoticeLine notice/>
            <form on:submit=submit>
                <label for="day-perfs-date">{t("Jour", "Day")}</label>
                <input id="day-perfs-date" type="date" required prop:value=move || day.get()
                    on:input=move |ev| day.set(event_target_value(&ev))/>
                <button type="submit" class="button">{t("Afficher", "Show")}</button>
            </form>
            {move || lines.get().map(|found| {
                if found.is_empty() {
                    return view! { <p class="empty">{t("Aucune séance ce jour-là.", "No performance that day.")}</p> }.into_any();
                }
                view! {
                    <table class="staff-table day-table">
                        <thead><tr>
                            <th scope="col">{t("Heure", "Time")}</th>
                            <th scope="col">{t("Spectacle", "Show")}</th>
                            <th scope="col">{t("Salle", "Hall")}</th>
                            <th scope="col">{t("État", "State")}</th>
                            <th scope="col">{t("Billets", "Tickets")}</th>
                            <th scope="col"><span class="sr-only">{t("Actions", "Actions")}</span></th>
                        </tr></thead>
                        <tbody>
                            {found.into_iter().map(|l| {
                                let id = l.id;
                                let label = state(&l);
                                let open = !l.cancelled;
                                let (published, online) = (l.published, l.sold_online);
                                view! {
                                    <tr data-performance=id>
                                        <td>{crate::domain::paris::time_fr(l.starts_at.0)}</td>
                                        <td>{l.title.clone()}</td>
                                        <td>{format!("{} — {}", l.venue, l.hall)}</td>
                                        <td class="perf-state">{label}</td>
                                        <td>{l.sold}</td>
                                        <td>
                                            <Show when=move || open>
                                                <button type="button" class="button button-secondary perf-publish"
                                                    on:click=move |_| change(
                                                        id,
                                                        PerformancePatch { published: Some(!published), ..PerformancePatch::default() },
                                                        if published { Msg::new("Séance retirée du programme.", "Performance unpublished.") }
                                                        else { Msg::new("Séance publiée.", "Performance published.") },
                                                    )>
                                                    {move || if published { lang.get().pick("Dépublier", "Unpublish") } else { lang.get().pick("Publier", "Publish") }}
                                                </button>
                                                <button type="button" class="button button-secondary perf-online"
                                                    on:click=move |_| change(
                                                        id,
                                                        PerformancePatch { sold_online: Some(!online), ..PerformancePatch::default() },
                                                        if online { Msg::new("Vente en ligne fermée : billetterie seulement.", "Online sale closed: box office only.") }
                                                        else { Msg::new("Vente en ligne ouverte.", "Online sale open.") },
                                                    )>
                                                    {move || if online { lang.get().pick("Fermer la vente en ligne", "Close online sale") } else { lang.get().pick("Ouvrir la vente en ligne", "Open online sale") }}
                                                </button>
                                                {move || if confirming.get() == Some(id) {
                                                    view! {
                                                        <button type="button" class="button button-primary"
                                                            on:click=move |_| cancel(id)>
                                                            {t("Confirmer l'annulation", "Confirm the cancellation")}
                                                        </button>
                                                        <button type="button" class="button button-secondary"
                                                            on:click=move |_| confirming.set(None)>
                                                            {t("Garder", "Keep")}
                                                        </button>
                                                    }.into_any()
                                                } else {
                                                    view! {
                                                        <button type="button" class="button button-secondary"
                                                            on:click=move |_| confirming.set(Some(id))>
                                                            {t("Annuler la séance", "Cancel the performance")}
                                                        </button>
                                                    }.into_any()
                                                }}
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
            {move || refunds.get().map(|done| {
                view! {
                    <div class="refunds" role="region" aria-labelledby="refunds-title">
                        <h4 id="refunds-title">{t("À rembourser", "To refund")}</h4>
                        {if done.to_refund.is_empty() {
                            view! { <p>{t("Aucune commande payée.", "No paid order.")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="refund-list">
                                    {done.to_refund.into_iter().map(|b| view! {
                                        <li>
                                            {format!("{} — {} <{}> — {} billet(s), {}",
                                                b.reference, b.name, b.email, b.tickets,
                                                crate::domain::money::Cents(b.total_cents).amount_fr())}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </div>
                }
            })}
        </section>
    }
    .into_any()
}

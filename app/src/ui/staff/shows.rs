//! The shows of the season: each with its poster and coming performances; an admin edits one,
//! gives it a poster (sent as the file's own bytes: the server judges them), or puts on more
//! performances of it.
use super::programme::{said, Notice, NoticeLine};
use crate::admin::{ShowAdmin, ShowCreated, ShowPatch};
use crate::api::{admin_change_show, admin_remove_poster, admin_shows};
use crate::dto::ShowKind;
use crate::ui::common::{fetched_in_browser, use_lang, ErrorBox, Loading, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Shows(version: RwSignal<u32>, plan_for: RwSignal<Option<ShowCreated>>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let shows = fetched_in_browser(move || {
        version.get();
        admin_shows()
    });
    let editing = RwSignal::new(None::<ShowAdmin>);
    let notice: Notice = RwSignal::new(None);
    let row = move |s: ShowAdmin| {
        let id = s.id;
        let (kind, duration, coming) = (s.kind, s.duration_min, s.coming_performances);
        let thumb = s.poster.clone().map(|p| {
            view! { <img class="poster-thumb" src=p.url width="40" height={40 * p.height / p.width.max(1)} alt=""/> }
        });
        let for_edit = s.clone();
        let for_plan = s.clone();
        view! {
            <tr data-show=id>
                <td>{thumb}</td>
                <td class="show-name">{s.title.clone()}</td>
                <td>{move || lang.get().kind(kind)}</td>
                <td>{move || lang.get().duration(duration)}</td>
                <td class="num">{coming}</td>
                <td>
                    <button type="button" class="button button-secondary show-edit"
                        on:click=move |_| { notice.set(None); editing.set(Some(for_edit.clone())) }>
                        {t("Modifier", "Edit")}
                    </button>
                    <button type="button" class="button button-secondary show-plan"
                        on:click=move |_| plan_for.set(Some(created(&for_plan)))>
                        {t("Ajouter des séances", "Add performances")}
                    </button>
                </td>
            </tr>
        }
    };
    view! {
        <section class="shows-panel" aria-labelledby="shows-title">
            <h3 id="shows-title">{t("Spectacles et films", "Shows and films")}</h3>
            <NoticeLine notice/>
            {move || match shows.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p>{t("Aucun spectacle pour l’instant.", "No show yet.")}</p>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="staff-table shows-table">
                        <thead>
                            <tr>
                                <th scope="col">{t("Affiche", "Poster")}</th>
                                <th scope="col">{t("Titre", "Title")}</th>
                                <th scope="col">{t("Genre", "Kind")}</th>
                                <th scope="col">{t("Durée", "Running time")}</th>
                                <th scope="col">{t("Séances à venir", "Coming performances")}</th>
                                <th scope="col">{t("Actions", "Actions")}</th>
                            </tr>
                        </thead>
                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            {move || editing.get().map(|s| view! { <EditShow show=s editing version notice/> })}
        </section>
    }
    .into_any()
}

fn created(s: &ShowAdmin) -> ShowCreated {
    ShowCreated {
        id: s.id,
        title: s.title.clone(),
        kind: s.kind,
        duration_min: s.duration_min,
        description: s.description.clone(),
        age_rating: s.age_rating.clone(),
        film: s.film.clone(),
    }
}

#[component]
fn EditShow(
    show: ShowAdmin,
    editing: RwSignal<Option<ShowAdmin>>,
    version: RwSignal<u32>,
    notice: Notice,
) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let id = show.id;
    let is_film = show.kind == ShowKind::Cinema;
    let film = show.film.clone().unwrap_or_default();
    let title = RwSignal::new(show.title.clone());
    let duration = RwSignal::new(show.duration_min);
    let description = RwSignal::new(show.description.clone());
    let age = RwSignal::new(show.age_rating.clone());
    let visa = RwSignal::new(
        film.visa
            .map(|v| v.as_str().to_string())
            .unwrap_or_default(),
    );
    let distributor = RwSignal::new(film.distributor.clone());
    let film_version = RwSignal::new(
        film.version
            .map(|v| v.as_str().to_string())
            .unwrap_or_else(|| "VF".into()),
    );
    let three_d = RwSignal::new(film.three_d);
    let poster = RwSignal::new(show.poster.clone());
    let done = move |result: Result<ShowAdmin, crate::error::AppError>, m: Msg| {
        let result = result.map(|s| {
            poster.set(s.poster.clone());
            version.update(|v| *v += 1);
            m
        });
        said(notice, result);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let patch = ShowPatch {
            title: Some(title.get_untracked()),
            duration_min: Some(duration.get_untracked()),
            description: Some(description.get_untracked()),
            age_rating: Some(age.get_untracked()),
            visa: is_film.then(|| visa.get_untracked()),
            distributor: is_film.then(|| distributor.get_untracked()),
            version: is_film.then(|| film_version.get_untracked()),
            three_d: is_film.then(|| three_d.get_untracked()),
        };
        spawn_local(async move {
            let result = admin_change_show(id, patch).await;
            let ok = result.is_ok();
            done(result, Msg::new("Spectacle enregistré.", "Show saved."));
            if ok {
                editing.set(None);
            }
        });
    };
    let remove = move |_| {
        spawn_local(async move {
            let result = admin_remove_poster(id).await;
            done(result, Msg::new("Affiche retirée.", "Poster removed."));
        });
    };
    let upload = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                spawn_local(async move {
                    let result = send_poster(id, file).await;
                    done(result, Msg::new("Affiche enregistrée.", "Poster saved."));
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <form class="staff-new show-editor" on:submit=save aria-labelledby="edit-show-title">
            <h4 id="edit-show-title">{t("Modifier « ", "Edit “")}{show.title.clone()}{t(" »", "”")}</h4>
            <div class="poster-field">
                {move || poster.get().map(|p| view! {
                    <img class="poster-preview" src=p.url width="120" height={120 * p.height / p.width.max(1)}
                        alt=move || lang.get().pick("Affiche actuelle", "Current poster")/>
                })}
                <label for="show-poster">{t("Affiche (JPEG, PNG ou WebP, 3 Mo au plus)", "Poster (JPEG, PNG or WebP, 3 MB at most)")}</label>
                <input id="show-poster" type="file" accept="image/jpeg,image/png,image/webp" on:change=upload/>
                <Show when=move || poster.with(Option::is_some)>
                    <button type="button" class="button button-secondary" on:click=remove>
                        {t("Retirer l’affiche", "Remove the poster")}
                    </button>
                </Show>
            </div>
            <label for="edit-show-name">{t("Titre", "Title")}</label>
            <input id="edit-show-name" type="text" required prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            <label for="edit-show-duration">{t("Durée (minutes)", "Duration (minutes)")}</label>
            <input id="edit-show-duration" type="number" min="1" max="600" prop:value=move || duration.get().to_string()
                on:input=move |ev| duration.set(event_target_value(&ev).parse().unwrap_or(0))/>
            <label for="edit-show-age">{t("Public", "Audience")}</label>
            <input id="edit-show-age" type="text" prop:value=move || age.get() on:input=move |ev| age.set(event_target_value(&ev))/>
            <label for="edit-show-description">{t("Présentation (un paragraphe par ligne vide)", "Description (a blank line between paragraphs)")}</label>
            <textarea id="edit-show-description" rows="5" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            {is_film.then(|| view! {
                <fieldset class="film-fields">
                    <legend>{t("Pour les déclarations cinéma", "For cinema returns")}</legend>
                    <label for="edit-show-visa">{t("N° de visa d'exploitation", "Visa number")}</label>
                    <input id="edit-show-visa" type="text" inputmode="numeric" prop:value=move || visa.get() on:input=move |ev| visa.set(event_target_value(&ev))/>
                    <label for="edit-show-distributor">{t("Distributeur", "Distributor")}</label>
                    <input id="edit-show-distributor" type="text" prop:value=move || distributor.get() on:input=move |ev| distributor.set(event_target_value(&ev))/>
                    <label for="edit-show-version">{t("Version", "Version")}</label>
                    <select id="edit-show-version" prop:value=move || film_version.get() on:change=move |ev| film_version.set(event_target_value(&ev))>
                        <option value="VF">"VF"</option>
                        <option value="VOST">"VOST"</option>
                        <option value="VO">"VO"</option>
                    </select>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || three_d.get() on:change=move |ev| three_d.set(event_target_checked(&ev))/>
                        "3D"
                    </label>
                </fieldset>
            })}
            <div class="form-actions">
                <button type="submit" class="button button-primary">{t("Enregistrer", "Save")}</button>
                <button type="button" class="button button-secondary" on:click=move |_| editing.set(None)>{t("Fermer", "Close")}</button>
            </div>
        </form>
    }
    .into_any()
}

/// `PUT /api/v1/admin/shows/{id}/poster` with the file as the body.
#[cfg(feature = "hydrate")]
async fn send_poster(id: i64, file: web_sys::File) -> Result<ShowAdmin, crate::error::AppError> {
    crate::ui::common::api_request(
        "PUT",
        &format!("/api/v1/admin/shows/{id}/poster"),
        &file.into(),
        None,
    )
    .await
}

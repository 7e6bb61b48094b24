//! Door staff with an account: log in on the phone, tick today's performances, and the page
//! pairs itself with the door access the server opens for them (no pairing link needed).
use super::state::Door;
use crate::api::{door_open, get_programme};
use crate::domain::paris;
use crate::dto::ProgrammeQuery;
use crate::ui::common::{now_ms, use_lang, Msg};
use crate::ui::staff::LoginForm;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn StaffDoor(door: Door) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let logged_in = RwSignal::new(false);
    view! {
        <section class="door-staff-login" aria-labelledby="door-staff-title">
            <h2 id="door-staff-title">{t("… ou connectez-vous avec votre compte", "… or log in with your account")}</h2>
            {move || if logged_in.get() {
                view! { <TodayPicker door/> }.into_any()
            } else {
                view! { <LoginForm id="door-login" on_done=Callback::new(move |_| logged_in.set(true))/> }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// Today's performances (Paris), all ticked; "Ouvrir le contrôle" opens the access.
#[component]
fn TodayPicker(door: Door) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let today = paris::day_key((now_ms() / 1000.0) as i64);
    let performances = LocalResource::new(move || {
        let date = today.clone();
        async move {
            get_programme(ProgrammeQuery {
                date: Some(date),
                kind: None,
            })
            .await
        }
    });
    let unticked = RwSignal::new(Vec::<i64>::new());
    let error = RwSignal::new(None::<Msg>);
    let open = move |ids: Vec<i64>| {
        error.set(None);
        spawn_local(async move {
            match door_open(ids).await {
                Ok(granted) => door.pair(granted.token),
                Err(err) => {
                    let _ = error.try_set(Some(Msg::from_error(&err)));
                }
            }
        });
    };
    view! {
        {move || error.get().map(|m| view! {
            <p class="alert alert-error" role="alert">{move || m.get(lang.get())}</p>
        })}
        {move || match performances.get() {
            None => view! { <p class="loading" role="status">{t("Chargement des séances…", "Loading performances…")}</p> }.into_any(),
            Some(Err(err)) => {
                let m = Msg::from_error(&err);
                view! { <p class="alert alert-error" role="alert">{move || m.get(lang.get())}</p> }.into_any()
            }
            Some(Ok(list)) if list.is_empty() => view! {
                <p>{t("Aucune séance aujourd'hui.", "No performance today.")}</p>
            }
            .into_any(),
            Some(Ok(list)) => {
                let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
                view! {
                    <fieldset class="door-perf-choice">
                        <legend>{t("Séances contrôlées", "Performances to check")}</legend>
                        {list.into_iter().map(|p| {
                            let id = p.id;
                            let line = move || format!("{} – {} ({})", lang.get().time(p.starts_at.0), p.title, p.hall);
                            view! {
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || !unticked.with(|u| u.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            unticked.update(|u| { u.retain(|x| *x != id); if !on { u.push(id); } });
                                        }
                                    />
                                    {line}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <button
                        type="button"
                        class="button button-primary door-big"
                        on:click=move |_| {
                            let chosen: Vec<i64> = ids.iter().copied().filter(|id| !unticked.with_untracked(|u| u.contains(id))).collect();
                            open(chosen);
                        }
                    >
                        {t("Ouvrir le contrôle", "Start checking")}
                    </button>
                }
                .into_any()
            }
        }}
    }
    .into_any()
}

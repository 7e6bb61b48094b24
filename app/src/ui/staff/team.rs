//! The team: every staff account, with what an admin changes, and a form for a new one. A
//! generated password is shown once, in a notice, for the admin to pass on.
use super::role_label;
use crate::api::{staff_change, staff_create, staff_list, staff_reset_password};
use crate::domain::Role;
use crate::staff::{NewStaffRequest, StaffChange, StaffMember};
use crate::ui::common::{fetched_in_browser, use_lang, ErrorBox, Loading, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Team() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let version = RwSignal::new(0u32);
    // Read in the browser only: a Suspense nested in the back office's own made its hydration
    // fail now and then (out-of-order streaming of the two boundaries).
    let team = fetched_in_browser(move || {
        version.get();
        staff_list()
    });
    // Other panels (API tokens) list the team too: they hear of its changes.
    let changed = use_context::<super::TeamChanged>();
    // What the last action said: an error, or a password to pass on.
    let notice = RwSignal::new(None::<Result<Msg, Msg>>);
    let done = move |result: Result<Option<(String, String)>, crate::error::AppError>| match result
    {
        Ok(password) => {
            notice.set(password.map(|(email, p)| {
                Ok(Msg::new(
                    format!(
                        "Mot de passe de {email} (à transmettre, affiché une seule fois) : {p}"
                    ),
                    format!("Password of {email} (pass it on; shown once): {p}"),
                ))
            }));
            version.update(|v| *v += 1);
            if let Some(super::TeamChanged(c)) = changed {
                c.update(|v| *v += 1);
            }
        }
        Err(err) => notice.set(Some(Err(Msg::from_error(&err)))),
    };
    view! {
        <section class="panel" aria-labelledby="team-title">
            <h2 id="team-title">{t("Équipe", "Team")}</h2>
            {move || notice.get().map(|n| match n {
                Ok(m) => view! { <p class="alert alert-info staff-password" role="status">{move || m.get(lang.get())}</p> }.into_any(),
                Err(m) => view! { <p class="alert alert-error" role="alert">{move || m.get(lang.get())}</p> }.into_any(),
            })}
            {move || {
                match team.get() {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                        Some(Ok(members)) => view! {
                            <table class="staff-table team-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("Nom", "Name")}</th>
                                        <th scope="col">{t("E-mail", "E-mail")}</th>
                                        <th scope="col">{t("Rôle", "Role")}</th>
                                        <th scope="col">{t("État", "State")}</th>
                                        <th scope="col">{t("Actions", "Actions")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {members.into_iter().map(|m| view! { <Member m done/> }).collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any(),
                }
            }}
            <NewMember done/>
        </section>
    }
    .into_any()
}

type Done = Callback<Result<Option<(String, String)>, crate::error::AppError>>;

#[component]
fn Member(m: StaffMember, #[prop(into)] done: Done) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let (id, disabled, role) = (m.id, m.disabled, m.role);
    let toggle = move |_| {
        let change = StaffChange {
            disabled: Some(!disabled),
            ..StaffChange::default()
        };
        spawn_local(async move { done.run(staff_change(id, change).await.map(|_| None)) });
    };
    let set_role = move |ev: leptos::ev::Event| {
        let change = StaffChange {
            role: Some(event_target_value(&ev)),
            ..StaffChange::default()
        };
        spawn_local(async move { done.run(staff_change(id, change).await.map(|_| None)) });
    };
    let email = m.email.clone();
    let reset = move |_| {
        let email = email.clone();
        spawn_local(async move {
            done.run(
                staff_reset_password(id)
                    .await
                    .map(|r| r.generated_password.map(|p| (email, p))),
            )
        });
    };
    let role_select_id = format!("role-{id}");
    view! {
        <tr class:staff-disabled=disabled>
            <td>{m.name.clone()}{m.supervisor.then_some(" ★")}</td>
            <td>{m.email.clone()}</td>
            <td>
                <label class="sr-only" for=role_select_id.clone()>{t("Rôle", "Role")}</label>
                <select id=role_select_id on:change=set_role>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=r == role>{move || role_label(lang.get(), r)}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>{move || if disabled { lang.get().pick("Désactivé", "Disabled") } else { lang.get().pick("Actif", "Active") }}</td>
            <td class="staff-actions">
                <button type="button" class="button" on:click=toggle>
                    {move || if disabled { lang.get().pick("Réactiver", "Enable") } else { lang.get().pick("Désactiver", "Disable") }}
                </button>
                <button type="button" class="button" on:click=reset>
                    {t("Nouveau mot de passe", "New password")}
                </button>
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn NewMember(#[prop(into)] done: Done) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("box_office".to_string());
    let supervisor = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = NewStaffRequest {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: role.get_untracked(),
            supervisor: supervisor.get_untracked(),
            password: None,
        };
        spawn_local(async move {
            let result = staff_create(request).await;
            if result.is_ok() {
                let _ = email.try_set(String::new());
                let _ = name.try_set(String::new());
            }
            done.run(result.map(|c| c.generated_password.map(|p| (c.staff.email, p))));
        });
    };
    view! {
        <form class="staff-new" on:submit=submit aria-labelledby="new-staff-title">
            <h3 id="new-staff-title">{t("Nouveau compte", "New account")}</h3>
            <label for="new-staff-name">{t("Nom", "Name")}</label>
            <input id="new-staff-name" type="text" required prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="new-staff-email">{t("Adresse e-mail", "E-mail address")}</label>
            <input id="new-staff-email" type="email" required prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev))/>
            <label for="new-staff-role">{t("Rôle", "Role")}</label>
            <select id="new-staff-role" on:change=move |ev| role.set(event_target_value(&ev))>
                {Role::ALL.into_iter().map(|r| view! {
                    <option value=r.as_str() selected=move || role.get() == r.as_str()>{move || role_label(lang.get(), r)}</option>
                }).collect_view()}
            </select>
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || supervisor.get()
                    on:change=move |ev| supervisor.set(event_target_checked(&ev))/>
                {t("Superviseur (annulations, remboursements, clôtures)", "Supervisor (undo, refunds, closures)")}
            </label>
            <button type="submit" class="button button-primary">{t("Créer le compte", "Create the account")}</button>
        </form>
    }
    .into_any()
}

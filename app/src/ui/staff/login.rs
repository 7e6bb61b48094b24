//! The staff login form, shared by the back office and the door's phone page.
use crate::api::staff_login;
use crate::staff::StaffMember;
use crate::ui::common::{use_hydrated, use_lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// E-mail and password; `on_done` receives the logged-in staff member (the session cookie is
/// set by the answer). `id` prefixes the fields' ids (two forms may share a page).
#[component]
pub fn LoginForm(id: &'static str, on_done: Callback<StaffMember>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let result = staff_login(e, p).await;
            let _ = busy.try_set(false);
            match result {
                Ok(staff) => {
                    let _ = password.try_set(String::new());
                    on_done.run(staff);
                }
                Err(err) => {
                    let _ = error.try_set(Some(Msg::from_error(&err)));
                }
            }
        });
    };
    let email_id = format!("{id}-email");
    let password_id = format!("{id}-password");
    view! {
        <form class="staff-login" on:submit=submit>
            {move || error.get().map(|m| view! {
                <p class="alert alert-error" role="alert">{move || m.get(lang.get())}</p>
            })}
            <label for=email_id.clone()>{t("Adresse e-mail", "E-mail address")}</label>
            <input
                id=email_id
                type="email"
                name="email"
                autocomplete="username"
                required
                prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev))
            />
            <label for=password_id.clone()>{t("Mot de passe", "Password")}</label>
            <input
                id=password_id
                type="password"
                name="password"
                autocomplete="current-password"
                required
                prop:value=move || password.get()
                on:input=move |ev| password.set(event_target_value(&ev))
            />
            // Pressed before the page is live (a slow phone), the button would do nothing: it
            // waits, greyed, until then.
            <button type="submit" class="button button-primary" disabled=move || busy.get() || !hydrated.get()>
                {t("Se connecter", "Log in")}
            </button>
        </form>
    }
    .into_any()
}

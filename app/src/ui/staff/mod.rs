//! `/admin`: the staff's back office. Logged out, a login form; logged in as an admin, the team
//! (accounts: create, change role, disable, reset password) and the programme (venues, halls
//! from the generator, shows, recurring performances); other roles are pointed to their own
//! tools. Every action goes through the server functions, whose use cases check the role.
mod audit;
mod login;
mod mail;
mod performances_form;
mod plan_editor;
mod programme;
mod refunds;
mod shows;
mod team;
mod tokens;
mod venue_tariffs;

pub use login::LoginForm;

use crate::api::{staff_logout, staff_me};
use crate::domain::Role;
use crate::ui::common::{use_lang, ErrorBox, Loading};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

/// Bumped when an account is created or changed, for the panels that list the team.
#[derive(Clone, Copy)]
pub struct TeamChanged(pub RwSignal<u32>);

#[component]
pub fn AdminPage() -> impl IntoView {
    provide_context(TeamChanged(RwSignal::new(0)));
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    // Bumped after a login or a logout: who is logged in is asked again.
    let version = RwSignal::new(0u32);
    let me = Resource::new(move || version.get(), |_| staff_me());
    let logout = move |_| {
        spawn_local(async move {
            let _ = staff_logout().await;
            version.update(|v| *v += 1);
        });
    };
    view! {
        <Title text=t("Administration", "Back office")/>
        <h1>{t("Administration", "Back office")}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match me.await {
                    Err(err) => view! { <ErrorBox err/> }.into_any(),
                    Ok(None) => view! {
                        <section class="panel staff-login-panel" aria-labelledby="login-title">
                            <h2 id="login-title">{t("Connexion du personnel", "Staff login")}</h2>
                            <LoginForm id="admin-login" on_done=Callback::new(move |_| version.update(|v| *v += 1))/>
                        </section>
                    }
                    .into_any(),
                    Ok(Some(staff)) => {
                        let role = staff.role;
                        view! {
                            <p class="staff-whoami">
                                <span>{format!("{} <{}>", staff.name, staff.email)}</span>
                                " — "
                                <span class="staff-role">{move || role_label(lang.get(), role)}</span>
                                " "
                                <button type="button" class="button" on:click=logout>
                                    {t("Se déconnecter", "Log out")}
                                </button>
                            </p>
                            {match role {
                                Role::Admin => view! { <team::Team/> <tokens::Tokens/> <programme::Programme/> <refunds::Refunds/> <mail::MailOutbox/> <audit::AuditLog/> }.into_any(),
                                Role::Door => view! {
                                    <p>
                                        {t("Le contrôle des billets se fait sur ", "Tickets are checked on ")}
                                        <a href="/scan">"/scan"</a>
                                        "."
                                    </p>
                                }
                                .into_any(),
                                Role::BoxOffice => view! {
                                    <p>{t(
                                        "La vente au guichet arrive bientôt dans Guichet.",
                                        "Counter sales are coming to Guichet soon.",
                                    )}</p>
                                    <refunds::Refunds/>
                                }
                                .into_any(),
                            }}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
    .into_any()
}

pub fn role_label(lang: crate::i18n::Lang, role: Role) -> &'static str {
    match role {
        Role::Admin => lang.pick("Administration", "Administrator"),
        Role::BoxOffice => lang.pick("Guichet", "Box office"),
        Role::Door => lang.pick("Contrôle", "Door"),
    }
}

//! API tokens for scripts: which exist, a new one for an account (shown once), revocation.
use crate::api::{staff_create_token, staff_list, staff_revoke_token, staff_tokens};
use crate::staff::{ApiTokenInfo, NewApiTokenRequest};
use crate::ui::common::{fetched_in_browser, use_lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Tokens() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let version = RwSignal::new(0u32);
    // Read in the browser only, like the team's list: a LocalResource read under the back
    // office's Suspense kept the server render from ever finishing.
    let tokens = fetched_in_browser(move || {
        version.get();
        staff_tokens()
    });
    let team_changed = use_context::<super::TeamChanged>();
    let team = fetched_in_browser(move || {
        version.get();
        if let Some(super::TeamChanged(c)) = team_changed {
            c.get();
        }
        staff_list()
    });
    let staff_id = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<Result<Msg, Msg>>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(id) = staff_id.get_untracked() else {
            notice.set(Some(Err(Msg::new(
                "Choisissez un compte.",
                "Choose an account.",
            ))));
            return;
        };
        let request = NewApiTokenRequest {
            staff_id: id,
            name: name.get_untracked(),
        };
        spawn_local(async move {
            let result = staff_create_token(request).await;
            notice.set(Some(match result {
                Ok(created) => {
                    version.update(|v| *v += 1);
                    Ok(Msg::new(
                        format!(
                            "Jeton « {} » (à copier, affiché une seule fois) : {}",
                            created.info.name, created.token
                        ),
                        format!(
                            "Token “{}” (copy it; shown once): {}",
                            created.info.name, created.token
                        ),
                    ))
                }
                Err(err) => Err(Msg::from_error(&err)),
            }));
        });
    };
    let revoke = move |id: i64| {
        spawn_local(async move {
            match staff_revoke_token(id).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(err) => notice.set(Some(Err(Msg::from_error(&err)))),
            }
        });
    };
    let row = move |tk: ApiTokenInfo| {
        let id = tk.id;
        let revoked = tk.revoked_at.is_some();
        view! {
            <tr class:staff-disabled=revoked>
                <td>{tk.name.clone()}</td>
                <td>{tk.staff_email.clone()}</td>
                <td>{move || lang.get().datetime(tk.created_at.0)}</td>
                <td>{move || tk.last_used_at.map(|at| lang.get().datetime(at.0)).unwrap_or_else(|| "—".into())}</td>
                <td>
                    {if revoked {
                        view! { <span>{move || lang.get().pick("Révoqué", "Revoked")}</span> }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button" on:click=move |_| revoke(id)>
                                {move || lang.get().pick("Révoquer", "Revoke")}
                            </button>
                        }
                        .into_any()
                    }}
                </td>
            </tr>
        }
    };
    view! {
        <section class="panel tokens" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{t("Jetons d'API (scripts)", "API tokens (scripts)")}</h2>
            {move || notice.get().map(|n| match n {
                Ok(m) => view! { <p class="alert alert-info token-secret" role="status">{move || m.get(lang.get())}</p> }.into_any(),
                Err(m) => view! { <p class="alert alert-error" role="alert">{move || m.get(lang.get())}</p> }.into_any(),
            })}
            <table class="staff-table tokens-table">
                <thead>
                    <tr>
                        <th scope="col">{t("Nom", "Name")}</th>
                        <th scope="col">{t("Compte", "Account")}</th>
                        <th scope="col">{t("Créé le", "Created")}</th>
                        <th scope="col">{t("Dernier usage", "Last used")}</th>
                        <th scope="col">{t("État", "State")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || tokens.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(row).collect_view()}
                </tbody>
            </table>
            <form class="staff-new" on:submit=create aria-labelledby="new-token-title">
                <h3 id="new-token-title">{t("Nouveau jeton", "New token")}</h3>
                <label for="token-staff">{t("Compte (le jeton a son rôle)", "Account (the token has its role)")}</label>
                <select id="token-staff" on:change=move |ev| staff_id.set(event_target_value(&ev).parse().ok())>
                    <option value="">{t("— choisir —", "— choose —")}</option>
                    {move || team.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().filter(|m| !m.disabled).map(|m| view! {
                        <option value=m.id.to_string()>{format!("{} <{}>", m.name, m.email)}</option>
                    }).collect_view()}
                </select>
                <label for="token-name">{t("À quoi sert-il ?", "What is it for?")}</label>
                <input id="token-name" type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit" class="button button-primary">{t("Créer le jeton", "Create the token")}</button>
            </form>
        </section>
    }
    .into_any()
}

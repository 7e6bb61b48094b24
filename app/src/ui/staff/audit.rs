//! The audit log, newest first, fifty at a time: who did what to what, and when.
use crate::api::staff_audit;
use crate::staff::AuditEntry;
use crate::ui::common::{use_lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn AuditLog() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let error = RwSignal::new(None::<Msg>);
    let more = RwSignal::new(true);
    // Loads the page before `before` (the oldest shown), or the newest.
    let load = move |before: Option<i64>| {
        spawn_local(async move {
            match staff_audit(before).await {
                Ok(page) => {
                    let _ = more.try_set(page.len() == 50);
                    entries.update(|e| {
                        if before.is_none() {
                            e.clear();
                        }
                        e.extend(page);
                    });
                }
                Err(err) => {
                    let _ = error.try_set(Some(Msg::from_error(&err)));
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="audit-title">
            <h2 id="audit-title">{t("Journal des actions", "Audit log")}</h2>
            {move || error.get().map(|m| view! { <p class="alert alert-error" role="alert">{move || m.get(lang.get())}</p> })}
            <button type="button" class="button" on:click=move |_| load(None)>{t("Afficher les dernières actions", "Show the latest acts")}</button>
            <table class="staff-table audit-table" hidden=move || entries.with(|e| e.is_empty())>
                <thead>
                    <tr>
                        <th scope="col">{t("Quand", "When")}</th>
                        <th scope="col">{t("Qui", "Who")}</th>
                        <th scope="col">{t("Action", "Action")}</th>
                        <th scope="col">{t("Objet", "Subject")}</th>
                        <th scope="col">{t("Détail", "Detail")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || entries.get().into_iter().map(|e| view! {
                        <tr>
                            <td>{move || lang.get().datetime(e.at.0)}</td>
                            <td>{e.actor.clone()}</td>
                            <td><code>{e.action.clone()}</code></td>
                            <td>{e.subject.clone()}</td>
                            <td class="audit-detail">{e.detail.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <button type="button" class="button"
                hidden=move || !more.get() || entries.with(|e| e.is_empty())
                on:click=move |_| load(entries.with_untracked(|e| e.last().map(|x| x.id)))>
                {t("Plus anciennes", "Older")}
            </button>
        </section>
    }
    .into_any()
}

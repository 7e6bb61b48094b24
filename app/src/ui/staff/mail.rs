//! The e-mail outbox for admins: how many mails wait and went, and the failing ones with their
//! last error (they are tried again with backoff; `guichet mail status` says the same).
use crate::api::admin_mail_status;
use crate::dto::MailStatusView;
use crate::ui::common::{use_lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn MailOutbox() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let status = RwSignal::new(None::<MailStatusView>);
    let error = RwSignal::new(None::<Msg>);
    let load = move |_| {
        spawn_local(async move {
            match admin_mail_status().await {
                Ok(s) => {
                    let _ = status.try_set(Some(s));
                    let _ = error.try_set(None);
                }
                Err(err) => {
                    let _ = error.try_set(Some(Msg::from_error(&err)));
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="mail-title">
            <h2 id="mail-title">{t("Courrier électronique", "E-mail")}</h2>
            {move || error.get().map(|m| view! { <p class="alert alert-error" role="alert">{move || m.get(lang.get())}</p> })}
            <button type="button" class="button" id="mail-status-load" on:click=load>{t("Voir l’état des envois", "Show the sending state")}</button>
            {move || status.get().map(|s| {
                let failing = s.failing.clone();
                let none_failing = failing.is_empty();
                view! {
                    <p class="mail-counts" role="status">
                        {move || match lang.get() {
                            crate::i18n::Lang::Fr => format!("{} en attente, {} envoyés, {} en échec", s.waiting, s.sent, s.failing.len()),
                            crate::i18n::Lang::En => format!("{} waiting, {} sent, {} failing", s.waiting, s.sent, s.failing.len()),
                        }}
                    </p>
                    <table class="staff-table" hidden=none_failing>
                        <thead>
                            <tr>
                                <th scope="col">{t("Depuis", "Since")}</th>
                                <th scope="col">{t("Type", "Kind")}</th>
                                <th scope="col">{t("Destinataire", "Recipient")}</th>
                                <th scope="col">{t("Essais", "Attempts")}</th>
                                <th scope="col">{t("Dernière erreur", "Last error")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {failing.into_iter().map(|m| view! {
                                <tr>
                                    <td>{move || lang.get().datetime(m.created_at.0)}</td>
                                    <td><code>{m.kind.clone()}</code></td>
                                    <td>{m.recipient.clone()}</td>
                                    <td>{m.attempts}</td>
                                    <td>{m.last_error.clone().unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </section>
    }
}

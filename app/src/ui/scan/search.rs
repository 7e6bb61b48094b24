//! "Rechercher": find a ticket by name, order reference or number, and let it in by hand.
use super::state::Door;
use super::Source;
use crate::api::door_attendees;
use crate::door::{Attendee, FirstAdmission};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::ui::common::{use_lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Offline fallback: the same search in the downloaded list.
fn search_offline(door: Door, query: &str) -> Option<Vec<Attendee>> {
    let q = query.trim().to_lowercase();
    let data = door.sync.offline_data.get_untracked()?;
    let perf = data.performance.id;
    let local = super::offline::local_admissions(perf);
    Some(
        data.tickets
            .iter()
            .filter(|t| {
                t.ticket.holder_name.to_lowercase().contains(&q)
                    || t.ticket.order_reference.to_lowercase() == q
                    || t.ticket.number.to_lowercase() == q
            })
            .take(50)
            .map(|t| Attendee {
                ticket: t.ticket.clone(),
                status: t.status.clone(),
                admitted: local
                    .iter()
                    .find(|a| a.uid == t.uid)
                    .map(|a| FirstAdmission {
                        at: a.at,
                        device: a.device.clone(),
                    })
                    .or_else(|| {
                        data.admitted.contains(&t.uid).then(|| FirstAdmission {
                            at: data.generated_at,
                            device: String::new(),
                        })
                    }),
            })
            .collect(),
    )
}

#[component]
pub fn SearchView(door: Door) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let query = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let found: RwSignal<Option<Result<Vec<Attendee>, Msg>>> = RwSignal::new(None);
    let searching = RwSignal::new(false);

    let run = move |q: String| {
        let (Some(token), Some(perf)) = (
            door.link.token.get_untracked(),
            door.screen.perf.get_untracked(),
        ) else {
            return;
        };
        if q.trim().is_empty() {
            return;
        }
        last.set(q.clone());
        searching.set(true);
        spawn_local(async move {
            let res = match door_attendees(token, perf, q.clone()).await {
                Ok(list) => Ok(list),
                Err(e) if e.error == ErrorCode::Unavailable => {
                    let _ = door.sync.network_down.try_set(true);
                    search_offline(door, &q).ok_or_else(|| Msg::from_error(&e))
                }
                Err(e) => Err(Msg::from_error(&e)),
            };
            let _ = found.try_set(Some(res));
            let _ = searching.try_set(false);
        });
    };
    // After each scan (e.g. "Faire entrer"), the list shows the new state.
    Effect::new(move |prev: Option<u64>| {
        let n = door.screen.scans.get();
        if prev.is_some() && door.screen.tab.get_untracked() == super::Tab::Search {
            let q = last.get_untracked();
            if !q.is_empty() {
                run(q);
            }
        }
        n
    });

    let results = move || {
        found.get().map(|res| match res {
            Err(msg) => view! { <p class="alert alert-error">{move || msg.get(lang.get())}</p> }.into_any(),
            Ok(list) if list.is_empty() => {
                view! { <p class="search-empty">{t("Aucun billet trouvé.", "No ticket found.")}</p> }.into_any()
            }
            Ok(list) => {
                let items = list.into_iter().map(|a| view! { <AttendeeItem door a/> }).collect_view();
                view! { <ul class="attendees">{items}</ul> }.into_any()
            }
        })
    };

    view! {
        <section class="search" aria-labelledby="search-title">
            <h2 id="search-title" class="sr-only">{t("Rechercher un billet", "Find a ticket")}</h2>
            <form
                class="door-form"
                role="search"
                on:submit=move |ev| {
                    ev.prevent_default();
                    run(query.get_untracked());
                }
            >
                <label for="search-input">{t("Nom ou référence de commande", "Name or order reference")}</label>
                <div class="scan-input-row">
                    <input
                        id="search-input"
                        type="search"
                        autocomplete="off"
                        enterkeyhint="search"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button button-primary">{t("Rechercher", "Search")}</button>
                </div>
            </form>
            {move || searching.get().then(|| view! { <p class="loading" role="status">{t("Recherche…", "Searching…")}</p> })}
            {results}
        </section>
    }
    .into_any()
}

#[component]
fn AttendeeItem(door: Door, a: Attendee) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let tk = a.ticket.clone();
    let number = tk.number.clone();
    let seat_tk = tk.clone();
    let valid = a.status == "valid";
    let status = a.status.clone();
    let admitted = a.admitted.clone();
    let can_admit = valid && admitted.is_none();
    let state = move || {
        let l = lang.get();
        match (&admitted, valid) {
            (Some(f), _) => match l {
                Lang::Fr => format!("Déjà entré à {}", l.time(f.at.0)),
                Lang::En => format!("Already in at {}", l.time(f.at.0)),
            },
            (None, true) => l
                .pick("Valide, pas encore entré", "Valid, not in yet")
                .to_string(),
            (None, false) if status == "cancelled" => l.pick("Annulé", "Cancelled").to_string(),
            (None, false) => status.clone(),
        }
    };
    let class = if !valid {
        "attendee attendee-refused"
    } else if a.admitted.is_some() {
        "attendee attendee-in"
    } else {
        "attendee"
    };
    view! {
        <li class=class data-ticket-number=tk.number.clone()>
            <p class="attendee-name">
                <strong>{tk.holder_name.clone()}</strong>
                " · "
                <span>{tk.order_reference.clone()}</span>
            </p>
            <p>{tk.number.clone()} " · " {move || match &seat_tk.seat {
                Some(s) => lang.get().seat_label(s),
                None => lang.get().pick("Placement libre", "Unreserved seating").to_string(),
            }}</p>
            <p>
                {tk.tariff_label.clone()}
                {tk.check_proof.then(|| view! { " " <span class="proof-badge">{t("Justificatif", "Proof")}</span> })}
            </p>
            <p class="attendee-state">{state}</p>
            {can_admit.then(|| view! {
                <button
                    type="button"
                    class="button button-primary admit-button"
                    on:click=move |_| door.submit(number.clone(), Source::Search)
                >
                    {t("Faire entrer", "Let in")}
                </button>
            })}
        </li>
    }
    .into_any()
}

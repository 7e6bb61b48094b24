//! A venue's tariff catalogue in the back office: which tariffs it offers, under its labels,
//! with the proof asked at the door and the words on who qualifies that buyers read.
use super::programme::{said, Notice, NoticeLine, Venues};
use crate::admin::{NewVenueTariff, VenueTariff, VenueTariffPatch};
use crate::api::{admin_add_venue_tariff, admin_change_venue_tariff, admin_venue_tariffs};
use crate::i18n::Lang;
use crate::ui::common::{fetched_in_browser, use_lang, ErrorBox, Loading, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn VenueTariffs(venues: Venues) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let venue_id = RwSignal::new(None::<i64>);
    let version = RwSignal::new(0u32);
    let notice: Notice = RwSignal::new(None);
    let catalogue = fetched_in_browser(move || {
        version.get();
        let v = venue_id.get();
        async move {
            match v {
                Some(v) => admin_venue_tariffs(v).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let done = move |result: Result<VenueTariff, crate::error::AppError>| {
        let result = result.map(|t| {
            version.update(|v| *v += 1);
            Msg::new(
                format!("Tarif « {} » enregistré.", t.label_fr),
                format!("Tariff “{}” saved.", t.label_en),
            )
        });
        said(notice, result);
    };
    // The new tariff's fields.
    let code = RwSignal::new(String::new());
    let label_fr = RwSignal::new(String::new());
    let label_en = RwSignal::new(String::new());
    let family = RwSignal::new("autre".to_string());
    let proof = RwSignal::new(false);
    let who = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(v) = venue_id.get_untracked() else {
            return;
        };
        let request = NewVenueTariff {
            code: code.get_untracked(),
            label_fr: label_fr.get_untracked(),
            label_en: Some(label_en.get_untracked()),
            family: Some(family.get_untracked()),
            proof_required: proof.get_untracked(),
            eligibility_fr: Some(who.get_untracked()),
            eligibility_en: None,
        };
        spawn_local(async move { done(admin_add_venue_tariff(v, request).await) });
    };
    view! {
        <section class="venue-tariffs" aria-labelledby="venue-tariffs-title">
            <h3 id="venue-tariffs-title">{t("Tarifs d’un lieu", "A venue’s tariffs")}</h3>
            <label for="tariffs-venue">{t("Lieu", "Venue")}</label>
            <select id="tariffs-venue" on:change=move |ev| venue_id.set(event_target_value(&ev).parse().ok())>
                <option value="">{t("— choisir —", "— choose —")}</option>
                {move || venues.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|v| view! {
                    <option value=v.id.to_string()>{v.name}</option>
                }).collect_view()}
            </select>
            <NoticeLine notice/>
            {move || match catalogue.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => view! { <ErrorBox err/> }.into_any(),
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some(list))) => {
                    let v = venue_id.get_untracked().unwrap_or_default();
                    view! {
                        <table class="staff-table tariffs-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t("Code", "Code")}</th>
                                    <th scope="col">{t("Libellé", "Label")}</th>
                                    <th scope="col">{t("Libellé anglais", "English label")}</th>
                                    <th scope="col">{t("Justificatif", "Proof")}</th>
                                    <th scope="col">{t("Qui en bénéficie", "Who qualifies")}</th>
                                    <th scope="col">{t("Proposé", "Offered")}</th>
                                    <th scope="col"><span class="sr-only">{t("Action", "Action")}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|tariff| view! { <TariffRow venue_id=v tariff done/> }).collect_view()}
                            </tbody>
                        </table>
                        <form class="staff-new" on:submit=add aria-labelledby="new-tariff-title">
                            <h4 id="new-tariff-title">{t("Ajouter un tarif", "Add a tariff")}</h4>
                            <label for="new-tariff-code">{t("Code (dans les numéros de billet)", "Code (in ticket numbers)")}</label>
                            <input id="new-tariff-code" type="text" required maxlength="20" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                            <label for="new-tariff-label">{t("Libellé", "Label")}</label>
                            <input id="new-tariff-label" type="text" required prop:value=move || label_fr.get() on:input=move |ev| label_fr.set(event_target_value(&ev))/>
                            <label for="new-tariff-label-en">{t("Libellé anglais", "English label")}</label>
                            <input id="new-tariff-label-en" type="text" prop:value=move || label_en.get() on:input=move |ev| label_en.set(event_target_value(&ev))/>
                            <label for="new-tariff-family">{t("Famille CNC (nouveau code)", "CNC family (new code)")}</label>
                            <select id="new-tariff-family" on:change=move |ev| family.set(event_target_value(&ev))>
                                <option value="autre">{t("autre", "other")}</option>
                                <option value="gratuit">{t("gratuit", "free")}</option>
                                <option value="scolaire">{t("scolaire", "school")}</option>
                                <option value="illimite">{t("illimité (abonnement)", "unlimited (pass)")}</option>
                            </select>
                            <label class="check">
                                <input type="checkbox" prop:checked=move || proof.get() on:change=move |ev| proof.set(event_target_checked(&ev))/>
                                {t("justificatif demandé à l’entrée", "proof asked at the door")}
                            </label>
                            <label for="new-tariff-who">{t("Qui en bénéficie", "Who qualifies")}</label>
                            <input id="new-tariff-who" type="text" maxlength="300" prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/>
                            <button type="submit" class="button button-primary">{t("Ajouter le tarif", "Add the tariff")}</button>
                        </form>
                    }
                    .into_any()
                }
            }}
        </section>
    }
    .into_any()
}

#[component]
fn TariffRow(
    venue_id: i64,
    tariff: VenueTariff,
    done: impl Fn(Result<VenueTariff, crate::error::AppError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let code = tariff.code.clone();
    let label_fr = RwSignal::new(tariff.label_fr.clone());
    let label_en = RwSignal::new(tariff.label_en.clone());
    let proof = RwSignal::new(tariff.proof_required);
    let who = RwSignal::new(tariff.eligibility_fr.clone());
    let active = RwSignal::new(tariff.active);
    let save = {
        let code = code.clone();
        move |_| {
            let patch = VenueTariffPatch {
                label_fr: Some(label_fr.get_untracked()),
                label_en: Some(label_en.get_untracked()),
                proof_required: Some(proof.get_untracked()),
                eligibility_fr: Some(who.get_untracked()),
                eligibility_en: None,
                active: Some(active.get_untracked()),
            };
            let code = code.clone();
            spawn_local(
                async move { done(admin_change_venue_tariff(venue_id, code, patch).await) },
            );
        }
    };
    let name = |what: &str| format!("{what} {}", tariff.code);
    let (l1, l2, l3, l4, l5) = (
        name("libellé"),
        name("libellé anglais"),
        name("justificatif"),
        name("bénéficiaires"),
        name("proposé"),
    );
    view! {
        <tr data-tariff=code.clone() class:staff-disabled=move || !active.get()>
            <td><code>{code.clone()}</code></td>
            <td><input type="text" aria-label=l1 prop:value=move || label_fr.get() on:input=move |ev| label_fr.set(event_target_value(&ev))/></td>
            <td><input type="text" aria-label=l2 prop:value=move || label_en.get() on:input=move |ev| label_en.set(event_target_value(&ev))/></td>
            <td><input type="checkbox" aria-label=l3 prop:checked=move || proof.get() on:change=move |ev| proof.set(event_target_checked(&ev))/></td>
            <td><input type="text" aria-label=l4 prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/></td>
            <td><input type="checkbox" class="tariff-active" aria-label=l5 prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/></td>
            <td>
                <button type="button" class="button button-secondary" on:click=save>
                    {move || match lang.get() { Lang::Fr => "Enregistrer", Lang::En => "Save" }}
                </button>
            </td>
        </tr>
    }
}

//! The form that puts a show on: recurring performances in a hall, priced per category and
//! tariff of the catalogue, with quotas per tariff, sale channels and the sale settings.
//! `request_from` turns what was typed into the API's request (only reading numbers and lists;
//! every rule — which tariffs exist, sane prices, at least one channel — is the server's, so that
//! the form, the API and the CLI cannot disagree).
use super::programme::{said, Notice, NoticeLine};
use crate::admin::{HallSummary, PerformancesRequest, TariffAdmin};
use crate::domain::money::Cents;
use crate::domain::recurrence::RecurrenceSpec;
use crate::ui::common::{fetched_in_browser, use_lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;

/// The label of a general-admission hall's one price grid.
pub const GENERAL_ADMISSION: &str = "Placement libre";

/// The form's fields as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Typed {
    pub from: String,
    pub to: String,
    pub weekdays: Vec<String>,
    pub times: String,
    /// Dates without a performance, e.g. "2026-12-24, 2026-12-31".
    pub except: String,
    /// (category label, tariff code) → euros as typed; empty: not sold at that tariff.
    pub prices: BTreeMap<(String, String), String>,
    /// Tariff code → most tickets at that tariff, as typed; empty: no quota.
    pub quotas: BTreeMap<String, String>,
    pub online: bool,
    pub box_office: bool,
    pub published: bool,
    /// Places of a general-admission hall.
    pub capacity: String,
    pub hold_minutes: String,
    pub max_seats_per_order: String,
}

/// The price categories of a hall, as the request's `prices` keys them.
pub fn categories(hall: &HallSummary) -> Vec<String> {
    if hall.categories.is_empty() {
        vec![GENERAL_ADMISSION.to_string()]
    } else {
        hall.categories.clone()
    }
}

fn list(raw: &str) -> Vec<String> {
    raw.split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A whole number typed in a field; `None` when left empty.
fn count(raw: &str, field: (&str, &str)) -> Result<Option<i64>, Msg> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>().map(Some).map_err(|_| {
        Msg::new(
            format!("{} : « {raw} » n'est pas un nombre entier.", field.0),
            format!("{}: “{raw}” is not a whole number.", field.1),
        )
    })
}

pub fn request_from(hall: &HallSummary, typed: &Typed) -> Result<PerformancesRequest, Msg> {
    let mut prices = BTreeMap::<String, BTreeMap<String, i64>>::new();
    for label in categories(hall) {
        let grid = prices.entry(label.clone()).or_default();
        for ((category, tariff), raw) in &typed.prices {
            if *category != label || raw.trim().is_empty() {
                continue;
            }
            let cents = Cents::parse_euros(raw).ok_or_else(|| {
                Msg::new(
                    format!(
                        "Prix illisible pour « {label} », tarif {tariff} : « {raw} » (ex. 7,50)."
                    ),
                    format!(
                        "Unreadable price for “{label}”, tariff {tariff}: “{raw}” (e.g. 7.50)."
                    ),
                )
            })?;
            grid.insert(tariff.clone(), cents.0);
        }
    }
    let mut quotas = BTreeMap::new();
    for (tariff, raw) in &typed.quotas {
        let field = (
            format!("Quota du tarif {tariff}"),
            format!("Quota of tariff {tariff}"),
        );
        if let Some(n) = count(raw, (&field.0, &field.1))? {
            quotas.insert(tariff.clone(), n);
        }
    }
    let mut channels = Vec::new();
    if typed.online {
        channels.push("online".to_string());
    }
    if typed.box_office {
        channels.push("box_office".to_string());
    }
    Ok(PerformancesRequest {
        hall_id: hall.id,
        starts_at: Vec::new(),
        recurrence: Some(RecurrenceSpec {
            from: typed.from.trim().to_string(),
            to: typed.to.trim().to_string(),
            weekdays: typed.weekdays.clone(),
            times: list(&typed.times),
            except: list(&typed.except),
        }),
        prices,
        published: typed.published,
        sale_opens_at: None,
        sale_closes_minutes_before: None,
        hold_minutes: count(&typed.hold_minutes, ("Durée de réservation", "Hold time"))?,
        max_seats_per_order: count(
            &typed.max_seats_per_order,
            ("Places par commande", "Seats per order"),
        )?,
        capacity: if hall.seats == 0 {
            count(&typed.capacity, ("Jauge", "Capacity"))?
        } else {
            None
        },
        quotas,
        channels: Some(channels),
    })
}

const WEEKDAYS: [(&str, &str, &str); 7] = [
    ("mon", "lun", "Mon"),
    ("tue", "mar", "Tue"),
    ("wed", "mer", "Wed"),
    ("thu", "jeu", "Thu"),
    ("fri", "ven", "Fri"),
    ("sat", "sam", "Sat"),
    ("sun", "dim", "Sun"),
];

#[component]
pub fn NewPerformances(
    show: crate::admin::ShowCreated,
    halls: super::programme::Halls,
) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let hall_id = RwSignal::new(None::<i64>);
    let typed = RwSignal::new(Typed {
        times: "20:30".into(),
        online: true,
        box_office: true,
        published: true,
        ..Typed::default()
    });
    let notice: Notice = RwSignal::new(None);
    let hall = move || {
        let id = hall_id.get()?;
        halls
            .get()
            .and_then(|r| r.ok())?
            .into_iter()
            .find(|h| h.id == id)
    };
    // The tariffs the hall's venue offers: what its performances may be priced in.
    let tariffs = fetched_in_browser(move || {
        let venue = hall().map(|h| h.venue_id);
        async move {
            match venue {
                Some(v) => crate::api::admin_venue_tariffs(v).await,
                None => Ok(Vec::new()),
            }
        }
    });
    let catalogue = move || -> Vec<TariffAdmin> {
        let mut list: Vec<TariffAdmin> = tariffs
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t.active)
            .map(|t| TariffAdmin {
                code: t.code,
                label_fr: t.label_fr,
                label_en: t.label_en,
                family: t.family,
                proof_required: t.proof_required,
                position: t.position,
            })
            .collect();
        list.sort_by_key(|t| t.position);
        list
    };
    let show_id = show.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(h) = hall() else {
            notice.set(Some(Err(Msg::new(
                "Choisissez une salle.",
                "Choose a hall.",
            ))));
            return;
        };
        let request = match typed.with_untracked(|t| request_from(&h, t)) {
            Ok(r) => r,
            Err(m) => {
                notice.set(Some(Err(m)));
                return;
            }
        };
        spawn_local(async move {
            let result = crate::api::admin_create_performances(show_id, request)
                .await
                .map(|created| {
                    Msg::new(
                        format!("{} séance(s) créée(s).", created.len()),
                        format!("{} performance(s) created.", created.len()),
                    )
                });
            said(notice, result);
        });
    };
    // A text field bound to one of `Typed`'s strings.
    let field = move |get: fn(&Typed) -> &String, set: fn(&mut Typed, String)| {
        (
            move || typed.with(|t| get(t).clone()),
            move |ev: leptos::ev::Event| typed.update(|t| set(t, event_target_value(&ev))),
        )
    };
    let (from_v, from_in) = field(|t| &t.from, |t, v| t.from = v);
    let (to_v, to_in) = field(|t| &t.to, |t, v| t.to = v);
    let (times_v, times_in) = field(|t| &t.times, |t, v| t.times = v);
    let (except_v, except_in) = field(|t| &t.except, |t, v| t.except = v);
    let (hold_v, hold_in) = field(|t| &t.hold_minutes, |t, v| t.hold_minutes = v);
    let (max_v, max_in) = field(|t| &t.max_seats_per_order, |t, v| t.max_seats_per_order = v);
    let (cap_v, cap_in) = field(|t| &t.capacity, |t, v| t.capacity = v);
    view! {
        <form class="staff-new" on:submit=submit aria-labelledby="new-perfs-title">
            <h3 id="new-perfs-title">{format!("Séances de « {} »", show.title)}</h3>
            <NoticeLine notice/>
            <label for="perf-hall">{t("Salle", "Hall")}</label>
            <select id="perf-hall" on:change=move |ev| hall_id.set(event_target_value(&ev).parse().ok())>
                <option value="">{t("— choisir —", "— choose —")}</option>
                {move || halls.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|h| view! {
                    <option value=h.id.to_string()>{format!("{} – {}", h.venue, h.name)}</option>
                }).collect_view()}
            </select>
            <label for="perf-from">{t("Du", "From")}</label>
            <input id="perf-from" type="date" required prop:value=from_v on:input=from_in/>
            <label for="perf-to">{t("Au", "To")}</label>
            <input id="perf-to" type="date" required prop:value=to_v on:input=to_in/>
            <fieldset class="perf-days">
                <legend>{t("Jours", "Days")}</legend>
                {WEEKDAYS.into_iter().map(|(code, fr, en)| view! {
                    <label class="checkbox">
                        <input type="checkbox" name=code prop:checked=move || typed.with(|t| t.weekdays.iter().any(|d| d == code))
                            on:change=move |ev| { let on = event_target_checked(&ev); typed.update(|t| { t.weekdays.retain(|d| d != code); if on { t.weekdays.push(code.to_string()); } }); }/>
                        {move || lang.get().pick(fr, en)}
                    </label>
                }).collect_view()}
            </fieldset>
            <label for="perf-times">{t("Heures (ex. 14:00, 20:30)", "Times (e.g. 14:00, 20:30)")}</label>
            <input id="perf-times" type="text" required prop:value=times_v on:input=times_in/>
            <label for="perf-except">{t("Sauf les (ex. 2026-12-24, 2026-12-31)", "Except on (e.g. 2026-12-24, 2026-12-31)")}</label>
            <input id="perf-except" type="text" prop:value=except_v on:input=except_in/>
            {move || hall().map(|h| {
                let catalogue = catalogue();
                let general = h.seats == 0;
                view! {
                    {general.then(|| view! {
                        <label for="perf-capacity">{t("Jauge (places en placement libre)", "Capacity (general admission)")}</label>
                        <input id="perf-capacity" type="text" inputmode="numeric" required prop:value=cap_v on:input=cap_in/>
                    })}
                    <PriceGrid categories=categories(&h) catalogue typed/>
                }
            })}
            <fieldset class="perf-channels">
                <legend>{t("Vendu", "Sold")}</legend>
                <label class="checkbox">
                    <input id="perf-online" type="checkbox" prop:checked=move || typed.with(|t| t.online)
                        on:change=move |ev| { let on = event_target_checked(&ev); typed.update(|t| t.online = on); }/>
                    {t("en ligne", "online")}
                </label>
                <label class="checkbox">
                    <input id="perf-box-office" type="checkbox" prop:checked=move || typed.with(|t| t.box_office)
                        on:change=move |ev| { let on = event_target_checked(&ev); typed.update(|t| t.box_office = on); }/>
                    {t("au guichet", "at the box office")}
                </label>
            </fieldset>
            <label for="perf-hold">{t("Durée de réservation en minutes (15 par défaut)", "Hold time in minutes (15 by default)")}</label>
            <input id="perf-hold" type="text" inputmode="numeric" placeholder="15" prop:value=hold_v on:input=hold_in/>
            <label for="perf-max-seats">{t("Places par commande au plus (10 par défaut)", "Most seats per order (10 by default)")}</label>
            <input id="perf-max-seats" type="text" inputmode="numeric" placeholder="10" prop:value=max_v on:input=max_in/>
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || typed.with(|t| t.published)
                    on:change=move |ev| { let on = event_target_checked(&ev); typed.update(|t| t.published = on); }/>
                {t("Publier (en vente dès maintenant)", "Publish (on sale now)")}
            </label>
            <button type="submit" class="button button-primary">{t("Créer les séances", "Create the performances")}</button>
        </form>
    }
    .into_any()
}

/// Prices: a row per category, a column per tariff of the catalogue; then a quota per tariff.
#[component]
fn PriceGrid(
    categories: Vec<String>,
    catalogue: Vec<TariffAdmin>,
    typed: RwSignal<Typed>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let label_of = move |tariff: &TariffAdmin| {
        let (fr, en) = (tariff.label_fr.clone(), tariff.label_en.clone());
        move || lang.get().pick(&fr, &en).to_string()
    };
    let heads = catalogue
        .iter()
        .map(|tariff| view! { <th scope="col">{label_of(tariff)}</th> })
        .collect_view();
    let rows = categories
        .into_iter()
        .enumerate()
        .map(|(i, category)| {
            let cells = catalogue
                .iter()
                .map(|tariff| {
                    let key = (category.clone(), tariff.code.clone());
                    let aria = {
                        let (category, label) = (category.clone(), label_of(tariff));
                        move || format!("{category} – {} (€)", label())
                    };
                    let value = {
                        let key = key.clone();
                        move || typed.with(|t| t.prices.get(&key).cloned().unwrap_or_default())
                    };
                    view! {
                        <td>
                            <input id=format!("perf-price-{i}-{}", tariff.code) type="text" inputmode="decimal"
                                aria-label=aria prop:value=value
                                on:input=move |ev| { let v = event_target_value(&ev); typed.update(|t| { t.prices.insert(key.clone(), v); }); }/>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{category}</th>{cells}</tr> }
        })
        .collect_view();
    let quotas = catalogue
        .iter()
        .map(|tariff| {
            let code = tariff.code.clone();
            let aria = {
                let label = label_of(tariff);
                move || format!("{} – {}", lang.get().pick("quota", "quota"), label())
            };
            let value = {
                let code = code.clone();
                move || typed.with(|t| t.quotas.get(&code).cloned().unwrap_or_default())
            };
            view! {
                <td>
                    <input id=format!("perf-quota-{code}") type="text" inputmode="numeric" aria-label=aria prop:value=value
                        on:input=move |ev| { let v = event_target_value(&ev); typed.update(|t| { t.quotas.insert(code.clone(), v); }); }/>
                </td>
            }
        })
        .collect_view();
    view! {
        <table class="price-grid">
            <caption>{t(
                "Prix en euros par catégorie et tarif (vide : tarif non proposé) ; quota : billets au plus à ce tarif",
                "Prices in euros per category and tariff (empty: not offered); quota: most tickets at that tariff",
            )}</caption>
            <thead><tr><th scope="col">{t("Catégorie", "Category")}</th>{heads}</tr></thead>
            <tbody>
                {rows}
                <tr class="price-grid-quotas"><th scope="row">{t("Quota", "Quota")}</th>{quotas}</tr>
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hall(seats: i64, categories: &[&str]) -> HallSummary {
        HallSummary {
            id: 7,
            venue_id: 1,
            venue: "Cinéma".into(),
            name: "Salle 1".into(),
            seats,
            categories: categories.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn typed() -> Typed {
        Typed {
            from: "2026-12-10".into(),
            to: " 2026-12-20 ".into(),
            weekdays: vec!["wed".into(), "sat".into()],
            times: "14:00, 20:30".into(),
            except: "2026-12-16;2026-12-19".into(),
            online: true,
            box_office: true,
            published: true,
            ..Typed::default()
        }
    }

    fn price(t: &mut Typed, category: &str, tariff: &str, raw: &str) {
        t.prices
            .insert((category.into(), tariff.into()), raw.into());
    }

    #[test]
    fn a_seated_hall_is_priced_per_category_and_tariff_with_quotas() {
        let mut t = typed();
        price(&mut t, "Catégorie 1", "plein", "12,50");
        price(&mut t, "Catégorie 1", "reduit", "9");
        price(&mut t, "Catégorie 1", "enfant", "  ");
        price(&mut t, "Catégorie 2", "plein", "8.00 €");
        t.quotas.insert("enfant".into(), " 20 ".into());
        t.quotas.insert("reduit".into(), "".into());
        t.hold_minutes = "10".into();
        let r = request_from(&hall(300, &["Catégorie 1", "Catégorie 2"]), &t).unwrap();
        assert_eq!(r.hall_id, 7);
        assert_eq!(
            r.prices,
            BTreeMap::from([
                (
                    "Catégorie 1".to_string(),
                    BTreeMap::from([("plein".to_string(), 1250), ("reduit".to_string(), 900)])
                ),
                (
                    "Catégorie 2".to_string(),
                    BTreeMap::from([("plein".to_string(), 800)])
                ),
            ])
        );
        assert_eq!(r.quotas, BTreeMap::from([("enfant".to_string(), 20)]));
        let rec = r.recurrence.unwrap();
        assert_eq!(rec.to, "2026-12-20");
        assert_eq!(rec.times, ["14:00", "20:30"]);
        assert_eq!(rec.except, ["2026-12-16", "2026-12-19"]);
        assert_eq!(r.hold_minutes, Some(10));
        assert_eq!(r.max_seats_per_order, None);
        assert_eq!(r.capacity, None, "a seated hall has its seats");
        assert_eq!(r.channels.unwrap(), ["online", "box_office"]);
    }

    #[test]
    fn an_unpriced_category_is_sent_empty_for_the_server_to_name_it() {
        let mut t = typed();
        price(&mut t, "Catégorie 1", "plein", "10");
        let r = request_from(&hall(300, &["Catégorie 1", "Catégorie 2"]), &t).unwrap();
        assert!(r.prices["Catégorie 2"].is_empty());
    }

    #[test]
    fn general_admission_has_one_grid_and_a_capacity() {
        let mut t = typed();
        price(&mut t, GENERAL_ADMISSION, "plein", "5");
        t.capacity = "250".into();
        t.online = false;
        let r = request_from(&hall(0, &[]), &t).unwrap();
        assert_eq!(r.capacity, Some(250));
        assert_eq!(r.prices.keys().collect::<Vec<_>>(), [GENERAL_ADMISSION]);
        assert_eq!(r.channels.unwrap(), ["box_office"], "box office only");
    }

    #[test]
    fn no_channel_ticked_is_sent_empty_for_the_server_to_refuse() {
        let mut t = typed();
        t.online = false;
        t.box_office = false;
        price(&mut t, "Catégorie 1", "plein", "10");
        let r = request_from(&hall(10, &["Catégorie 1"]), &t).unwrap();
        assert_eq!(r.channels, Some(Vec::new()));
    }

    #[test]
    fn unreadable_numbers_are_named_in_both_languages() {
        let mut t = typed();
        price(&mut t, "Catégorie 1", "reduit", "7,5x");
        let err = request_from(&hall(10, &["Catégorie 1"]), &t).unwrap_err();
        assert_eq!(
            err.get(crate::i18n::Lang::Fr),
            "Prix illisible pour « Catégorie 1 », tarif reduit : « 7,5x » (ex. 7,50)."
        );
        let mut t = typed();
        price(&mut t, "Catégorie 1", "plein", "7");
        t.quotas.insert("enfant".into(), "vingt".into());
        let err = request_from(&hall(10, &["Catégorie 1"]), &t).unwrap_err();
        assert_eq!(
            err.get(crate::i18n::Lang::En),
            "Quota of tariff enfant: “vingt” is not a whole number."
        );
        let mut t = typed();
        price(&mut t, GENERAL_ADMISSION, "plein", "7");
        t.capacity = "12.5".into();
        assert!(request_from(&hall(0, &[]), &t).is_err());
    }
}

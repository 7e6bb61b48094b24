//! `/`: upcoming performances grouped by Paris day, filtered by date and kind through query
//! parameters (a plain GET form, so filtering works without JavaScript).
use super::common::{use_lang, ErrorBox, Loading};
use crate::api::get_programme;
use crate::domain::{paris, sale_window::SaleState};
use crate::dto::{PerformanceSummary, ProgrammeQuery, ShowKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.get();
        ProgrammeQuery {
            date: q.get("date").filter(|d| paris::parse_day(d).is_some()),
            kind: q.get("kind").and_then(|k| ShowKind::parse(&k)),
        }
    });
    let programme = Resource::new(move || filter.get(), get_programme);

    view! {
        <Title text=move || lang.get().pick("Programme", "What's on")/>
        <h1>{move || lang.get().pick("Programme", "What's on")}</h1>
        <FilterForm filter/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match programme.await {
                    Ok(list) => view! { <ProgrammeList list/> }.into_any(),
                    Err(err) => view! { <ErrorBox err/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn FilterForm(filter: Memo<ProgrammeQuery>) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    // Attributes for the server-rendered HTML, properties to follow client-side navigation.
    let current = filter.get_untracked();
    let date = current.date.clone().unwrap_or_default();
    let date_now = move || filter.with(|f| f.date.clone().unwrap_or_default());
    let filtered = move || filter.with(|f| f.date.is_some() || f.kind.is_some());
    let radio =
        move |value: &'static str, k: Option<ShowKind>, fr: &'static str, en: &'static str| {
            let id = format!("kind-{}", if value.is_empty() { "all" } else { value });
            let label_for = id.clone();
            view! {
                <span class="radio">
                    <input
                        type="radio"
                        name="kind"
                        id=id
                        value=value
                        checked=current.kind == k
                        prop:checked=move || filter.with(|f| f.kind == k)
                    />
                    <label for=label_for>{t(fr, en)}</label>
                </span>
            }
        };
    view! {
        <div class="filters" role="search">
            <Form method="get" action="/">
                <div class="filters-row">
                    <div class="field">
                        <label for="filter-date">{t("Date", "Date")}</label>
                        <input type="date" id="filter-date" name="date" value=date prop:value=date_now/>
                    </div>
                    <fieldset class="field kind-filter">
                        <legend>{t("Type de spectacle", "Kind of show")}</legend>
                        <div class="radios">
                            {radio("", None, "Tous", "All")}
                            {radio("cinema", Some(ShowKind::Cinema), "Cinéma", "Cinema")}
                            {radio("theatre", Some(ShowKind::Theatre), "Théâtre", "Theatre")}
                            {radio("concert", Some(ShowKind::Concert), "Concert", "Concert")}
                            {radio("other", Some(ShowKind::Other), "Autres", "Other")}
                        </div>
                    </fieldset>
                    <div class="filters-actions">
                        <button type="submit" class="button">
                            {t("Filtrer", "Filter")}
                        </button>
                        <Show when=filtered>
                            <a class="button button-secondary" href="/">
                                {t("Réinitialiser", "Reset")}
                            </a>
                        </Show>
                    </div>
                </div>
            </Form>
        </div>
    }
    .into_any()
}

/// Performances grouped by Paris calendar day, in order.
fn group_by_day(mut list: Vec<PerformanceSummary>) -> Vec<(String, i64, Vec<PerformanceSummary>)> {
    list.sort_by_key(|p| p.starts_at.0);
    let mut days: Vec<(String, i64, Vec<PerformanceSummary>)> = Vec::new();
    for p in list {
        let key = paris::day_key(p.starts_at.0);
        match days.last_mut() {
            Some((k, _, items)) if *k == key => items.push(p),
            _ => days.push((key, p.starts_at.0, vec![p])),
        }
    }
    days
}

#[component]
pub fn ProgrammeList(list: Vec<PerformanceSummary>) -> impl IntoView {
    let lang = use_lang();
    if list.is_empty() {
        return view! {
            <p class="empty">
                {move || {
                    lang.get()
                        .pick(
                            "Aucune séance ne correspond à votre recherche.",
                            "No performance matches your search.",
                        )
                }}
            </p>
        }
        .into_any();
    }
    group_by_day(list)
        .into_iter()
        .map(|(key, ts, items)| {
            let heading_id = format!("jour-{key}");
            let labelled_by = heading_id.clone();
            view! {
                <section class="day" aria-labelledby=labelled_by data-day=key>
                    <h2 id=heading_id class="day-title">
                        {move || lang.get().date(ts)}
                    </h2>
                    <ul class="cards">
                        {items
                            .into_iter()
                            .map(|perf| view! { <li><PerformanceCard perf/></li> })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

/// One performance: time, title, place, kind, age, availability, price and the booking link.
/// `with_date` shows the full date (show page); `link_title` links the title to the show.
#[component]
pub fn PerformanceCard(
    perf: PerformanceSummary,
    #[prop(optional)] with_date: bool,
    #[prop(default = true)] link_title: bool,
) -> impl IntoView {
    let lang = use_lang();
    let ts = perf.starts_at.0;
    let bookable = perf.sale == SaleState::Open && perf.available > 0;
    let sold_out = perf.available <= 0;
    let sale = perf.sale;
    let available = perf.available;
    let min_price = perf.min_price_cents;
    let seated = perf.seated;
    let kind = perf.kind;
    let title = perf.title.clone();
    let title_for_link = perf.title.clone();
    let show_href = format!("/spectacles/{}", perf.show_id);
    let book_href = format!("/seances/{}", perf.id);
    let place = if perf.venue.is_empty() {
        perf.hall.clone()
    } else {
        format!("{} – {}", perf.hall, perf.venue)
    };
    let age = perf.age_rating.clone();
    let has_age = !age.trim().is_empty();

    view! {
        <article
            class="perf-card"
            class:sold-out=sold_out
            data-performance-id=perf.id
            aria-labelledby=format!("perf-{}-title", perf.id)
        >
            <p class="perf-when">
                <time datetime=perf.starts_at.rfc3339()>
                    {move || {
                        if with_date { lang.get().datetime(ts) } else { lang.get().time(ts) }
                    }}
                </time>
            </p>
            <h3 class="perf-title" id=format!("perf-{}-title", perf.id)>
                {if link_title {
                    view! { <a href=show_href>{title}</a> }.into_any()
                } else {
                    view! { <span>{title}</span> }.into_any()
                }}
            </h3>
            <p class="perf-place">{place}</p>
            <p class="perf-tags">
                <span class=format!("tag tag-{}", kind.as_str())>{move || lang.get().kind(kind)}</span>
                {has_age
                    .then(|| {
                        view! {
                            <span class="tag tag-age">
                                <span class="sr-only">
                                    {move || lang.get().pick("Âge : ", "Age: ")}
                                </span>
                                {age}
                            </span>
                        }
                    })}
                {(!seated)
                    .then(|| {
                        view! {
                            <span class="tag tag-ga">
                                {move || lang.get().pick("Placement libre", "Unreserved seating")}
                            </span>
                        }
                    })}
            </p>
            <p class="perf-availability" class:is-full=sold_out>
                {move || lang.get().places_left(available)}
            </p>
            <p class="perf-price">
                {move || match lang.get() {
                    crate::i18n::Lang::Fr => format!("dès {}", lang.get().price(min_price)),
                    crate::i18n::Lang::En => format!("from {}", lang.get().price(min_price)),
                }}
            </p>
            <p class="perf-action">
                {move || {
                    let l = lang.get();
                    if bookable {
                        let label = if seated {
                            l.pick("Choisir des places", "Choose seats")
                        } else {
                            l.pick("Réserver", "Book")
                        };
                        view! {
                            <a class="button" href=book_href.clone()>
                                {label}
                                <span class="sr-only">
                                    {format!(" – {}, {}", title_for_link, l.datetime(ts))}
                                </span>
                            </a>
                        }
                            .into_any()
                    } else if sold_out {
                        ().into_any()
                    } else {
                        let text = if sale == SaleState::NotYetOpen {
                            l.pick("Vente en ligne bientôt ouverte", "Online sale opens soon")
                        } else {
                            l.pick("Vente en ligne terminée", "Online sale closed")
                        };
                        view! { <span class="sale-state">{text}</span> }.into_any()
                    }
                }}
            </p>
        </article>
    }
    .into_any()
}

//! `/spectacles/:id`: a show and its performances.
use super::common::{use_lang, ErrorBox, Loading};
use super::programme::PerformanceCard;
use super::NotFound;
use crate::api::get_show;
use crate::dto::ShowDetail;
use crate::error::ErrorCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ShowPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("id").and_then(|s| s.parse::<i64>().ok()));
    let show = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_show(id).await,
                None => Err(crate::AppError::not_found("spectacle introuvable")),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match show.await {
                    Ok(detail) => view! { <ShowView detail/> }.into_any(),
                    Err(err) if err.error == ErrorCode::NotFound => view! { <NotFound/> }.into_any(),
                    Err(err) => view! { <ErrorBox err/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ShowView(detail: ShowDetail) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let kind = detail.kind;
    let duration = detail.duration_min;
    let title = detail.title.clone();
    let age = detail.age_rating.clone();
    let has_age = !age.trim().is_empty();
    // A film's version, 3D and visa, as cinema programmes print them.
    let caption = detail
        .film
        .as_ref()
        .map(|f| f.caption())
        .filter(|c| !c.is_empty());
    let paragraphs = detail
        .description
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_string()}</p> })
        .collect_view();
    let performances = detail.performances;
    let empty = performances.is_empty();
    // The poster reserves its room (width and height) so the page does not jump as it loads.
    let poster = detail.poster.map(|p| {
        let alt = format!("{} {}", lang.get_untracked().pick("Affiche :", "Poster:"), detail.title);
        view! {
            <img class="show-poster" src=p.url width=p.width height=p.height alt=alt decoding="async"/>
        }
    });

    view! {
        <Title text=title.clone()/>
        <article class="show" aria-labelledby="show-title">
            <p class="breadcrumb">
                <a href="/">{t("← Tout le programme", "← Full programme")}</a>
            </p>
            <h1 id="show-title">{title}</h1>
            {poster}
            <dl class="facts">
                <div>
                    <dt>{t("Genre", "Kind")}</dt>
                    <dd>{move || lang.get().kind(kind)}</dd>
                </div>
                <div>
                    <dt>{t("Durée", "Running time")}</dt>
                    <dd>{move || lang.get().duration(duration)}</dd>
                </div>
                {has_age
                    .then(|| {
                        view! {
                            <div>
                                <dt>{t("Âge", "Age")}</dt>
                                <dd>{age}</dd>
                            </div>
                        }
                    })}
                {caption
                    .map(|c| {
                        view! {
                            <div>
                                <dt>{t("Version", "Version")}</dt>
                                <dd class="film-caption">{c}</dd>
                            </div>
                        }
                    })}
            </dl>
            <div class="description">{paragraphs}</div>
            <section class="show-performances" aria-labelledby="show-perfs-title">
                <h2 id="show-perfs-title">{t("Séances", "Performances")}</h2>
                {if empty {
                    view! {
                        <p class="empty">
                            {t("Aucune séance à venir.", "No upcoming performance.")}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="cards">
                            {performances
                                .into_iter()
                                .map(|perf| {
                                    view! {
                                        <li>
                                            <PerformanceCard perf with_date=true link_title=false/>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
        </article>
    }
    .into_any()
}

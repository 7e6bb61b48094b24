//! Page frame: skip link, header with navigation and language switch, footer.
use super::common::use_lang;
use crate::api::payments_sandbox;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SkipLink() -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="skip-link" href="#contenu">
            {move || lang.get().pick("Aller au contenu", "Skip to content")}
        </a>
    }
    .into_any()
}

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    view! {
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="brand" href="/">
                    <span class="brand-name">"Guichet"</span>
                    <span class="brand-tagline">
                        {t(
                            "Billetterie du cinéma et du théâtre municipaux",
                            "Tickets for the municipal cinema and theatre",
                        )}
                    </span>
                </a>
                <nav class="main-nav" aria-label=t("Navigation principale", "Main navigation")>
                    <ul>
                        <li>
                            <A href="/" exact=true>
                                {t("Programme", "What's on")}
                            </A>
                        </li>
                        <li>
                            <A href="/accessibilite">{t("Accessibilité", "Accessibility")}</A>
                        </li>
                    </ul>
                </nav>
                <LangSwitch/>
            </div>
        </header>
    }
    .into_any()
}

/// FR / EN buttons: store the choice in the `lang` cookie and switch the interface at once.
#[component]
fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let choose = move |l: Lang| {
        #[cfg(feature = "hydrate")]
        super::common::store_lang_cookie(l);
        lang.set(l);
    };
    let button = move |l: Lang, short: &'static str, long: &'static str| {
        view! {
            <button
                type="button"
                class="lang-button"
                lang=l.code()
                aria-pressed=move || (lang.get() == l).to_string()
                on:click=move |_| choose(l)
            >
                {short}
                <span class="sr-only">{format!(" – {long}")}</span>
            </button>
        }
    };
    view! {
        <div
            class="lang-switch"
            role="group"
            aria-label=move || lang.get().pick("Langue", "Language")
        >
            {button(Lang::Fr, "FR", "Français")}
            {button(Lang::En, "EN", "English")}
        </div>
    }
    .into_any()
}

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <SandboxNotice/>
                <p class="footer-title">
                    {t(
                        "Guichet – billetterie en ligne du cinéma et du théâtre municipaux",
                        "Guichet – online box office of the municipal cinema and theatre",
                    )}
                </p>
                <ul class="footer-links">
                    <li>
                        <A href="/accessibilite">
                            {t("Accessibilité : partiellement conforme", "Accessibility: partially compliant")}
                        </A>
                    </li>
                    <li>
                        <A href="/">{t("Programme", "What's on")}</A>
                    </li>
                    <li>
                        <A href="/retrouver-ma-commande">{t("Retrouver ma commande", "Find my order")}</A>
                    </li>
                    {super::legal::LINKS
                        .iter()
                        .map(|&(href, fr, en)| {
                            view! {
                                <li>
                                    <A href=href>{t(fr, en)}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        </footer>
    }
    .into_any()
}

/// Says so when payments go to the sandbox provider (no real money moves).
#[component]
fn SandboxNotice() -> impl IntoView {
    let lang = use_lang();
    let sandbox = Resource::new(|| (), |_| payments_sandbox());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                matches!(sandbox.await, Ok(true))
                    .then(|| {
                        view! {
                            <p class="sandbox-note" data-testid="sandbox-notice">
                                <strong>{move || lang.get().pick("Mode test : ", "Test mode: ")}</strong>
                                {move || {
                                    lang.get()
                                        .pick(
                                            "les paiements passent par un prestataire de test (bac à sable), aucun débit réel n'est effectué.",
                                            "payments go to a test (sandbox) provider; no real money is charged.",
                                        )
                                }}
                            </p>
                        }
                    })
            })}
        </Suspense>
    }
    .into_any()
}

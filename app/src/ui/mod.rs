//! Pages and components.
//!
//! Every page renders on the server (the programme and the seat map are readable before the wasm
//! bundle loads) and hydrates in the browser. Browser-only work (timers, cookies, focus) lives
//! behind `#[cfg(feature = "hydrate")]` or inside event handlers.
mod accessibility;
pub(crate) mod booking;
mod common;
mod counter;
mod layout;
mod legal;
mod mail;
mod order;
mod payfip;
mod programme;
mod scan;
mod seat_markup;
mod show;
mod staff;

use crate::i18n::Lang;
use common::use_lang;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
    .into_any()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Read the same way on both sides (request cookie / document.cookie) so hydration matches.
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    // Effects run in the browser only, once hydrated: from then on the buttons work
    // (`html[data-hydrated]`; the page-weight benchmark times it).
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Html {..} lang=move || lang.get().code()/>
        <Title formatter=|text: String| {
            if text.is_empty() { "Guichet".to_string() } else { format!("{text} – Guichet") }
        }/>
        <Router>
            <layout::SkipLink/>
            <layout::Header/>
            <main id="contenu" class="wrap page" tabindex="-1">
                <Routes fallback=NotFound>
                    // `Async`: the whole page (programme, seat map…) arrives as plain HTML, readable
                    // without JavaScript, with the right status code and <title>.
                    <Route path=path!("/") view=programme::ProgrammePage ssr=SsrMode::Async/>
                    <Route path=path!("/spectacles/:id") view=show::ShowPage ssr=SsrMode::Async/>
                    <Route path=path!("/seances/:id") view=booking::PerformancePage ssr=SsrMode::Async/>
                    // The order link carries its token in the path, not in a query string that
                    // proxies and analytics log; `/commandes/:id?token=…` links still work.
                    <Route path=path!("/commandes/:id/:token") view=order::OrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/commandes/:id") view=order::OrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/accessibilite") view=accessibility::AccessibilityPage/>
                    <Route path=path!("/retrouver-ma-commande") view=mail::FindOrderPage/>
                    <Route path=path!("/mentions-legales") view=legal::LegalNoticePage/>
                    <Route path=path!("/conditions-de-vente") view=legal::TermsPage/>
                    <Route path=path!("/confidentialite") view=legal::PrivacyPage/>
                    <Route path=path!("/contact") view=legal::ContactPage/>
                    <Route path=path!("/scan") view=scan::ScanPage/>
                    <Route path=path!("/admin") view=staff::AdminPage/>
                    <Route path=path!("/guichet") view=counter::CounterPage/>
                </Routes>
            </main>
            <layout::Footer/>
        </Router>
    }
    .into_any()
}

/// The 404 page (also used for unknown shows and performances).
#[component]
pub fn NotFound() -> impl IntoView {
    common::set_not_found_status();
    let lang = use_lang();
    view! {
        <Title text=move || lang.get().pick("Page introuvable", "Page not found")/>
        <section class="not-found" aria-labelledby="nf-title">
            <h1 id="nf-title">{move || lang.get().pick("Page introuvable", "Page not found")}</h1>
            <p>
                {move || {
                    lang.get()
                        .pick(
                            "La page demandée n'existe pas ou n'existe plus.",
                            "The page you asked for does not exist (any more).",
                        )
                }}
            </p>
            <p>
                <a class="button" href="/">
                    {move || lang.get().pick("Voir le programme", "See the programme")}
                </a>
            </p>
        </section>
    }
    .into_any()
}

/// The interface language: the `lang` cookie of the request (server) or of the document
/// (browser).
fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| {
                let header = parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect::<Vec<_>>()
                    .join("; ");
                Lang::from_cookie_header(&header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        common::document_cookie()
            .map(|c| Lang::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests;

//! Small helpers shared by the pages: language context, error and loading views, browser glue.
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use leptos::prelude::*;

/// The interface language, provided by `App`.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// A readable message for an error, in the interface language. The server writes its messages
/// in the reader's language (the `lang` cookie); only a network failure, which the browser
/// reports itself, is worded here.
pub fn error_text(lang: Lang, err: &AppError) -> String {
    match err.error {
        ErrorCode::Unavailable => lang
            .pick(
                "Le service est injoignable. Veuillez réessayer.",
                "The service is unreachable. Please try again.",
            )
            .to_string(),
        _ => err.message.clone(),
    }
}

/// A message kept in both languages, so that switching language re-renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    fr: String,
    en: String,
}

impl Msg {
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg {
            fr: fr.into(),
            en: en.into(),
        }
    }
    pub fn from_error(err: &AppError) -> Msg {
        Msg {
            fr: error_text(Lang::Fr, err),
            en: error_text(Lang::En, err),
        }
    }
    pub fn get(&self, lang: Lang) -> String {
        match lang {
            Lang::Fr => self.fr.clone(),
            Lang::En => self.en.clone(),
        }
    }
}

/// An error message announced to assistive technologies.
#[component]
pub fn ErrorBox(err: AppError) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="alert alert-error" role="alert">
            <p>{move || error_text(lang.get(), &err)}</p>
        </div>
    }
    .into_any()
}

/// Suspense fallback.
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="loading" role="status">
            {move || lang.get().pick("Chargement…", "Loading…")}
        </p>
    }
    .into_any()
}

/// False in the server-rendered HTML, true once the page is interactive in the browser.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}

/// Marks the server response as 404 (no-op in the browser).
pub fn set_not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// Percent-encodes a query-string value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `/commandes/{id}/{token}`: the token in the path, not in a logged query string.
pub fn order_href(order_id: &str, token: &str) -> String {
    format!("/commandes/{}/{}", url_encode(order_id), url_encode(token))
}

/// Current time in milliseconds (browser clock in the browser).
pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as f64)
            .unwrap_or_default()
    }
}

/// `document.cookie`, read without extra web-sys features.
#[cfg(feature = "hydrate")]
pub fn document_cookie() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    js_sys::Reflect::get(&doc, &wasm_bindgen::JsValue::from_str("cookie"))
        .ok()?
        .as_string()
}

/// Remembers the language for a year.
#[cfg(feature = "hydrate")]
pub fn store_lang_cookie(lang: Lang) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let _ = js_sys::Reflect::set(
            &doc,
            &wasm_bindgen::JsValue::from_str("cookie"),
            &wasm_bindgen::JsValue::from_str(&lang.cookie()),
        );
    }
}

/// Moves keyboard focus to the first element matching `selector` (HTML or SVG).
#[cfg(feature = "hydrate")]
pub fn focus_selector(selector: &str) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(Some(el)) = doc.query_selector(selector) else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&el, &wasm_bindgen::JsValue::from_str("focus")) {
        if let Ok(f) = f.dyn_into::<js_sys::Function>() {
            let _ = f.call0(&el);
        }
    }
}

/// Focuses an element after the current render (e.g. a heading that just appeared).
pub fn focus_later(selector: &'static str) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || focus_selector(selector));
    #[cfg(not(feature = "hydrate"))]
    let _ = selector;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values() {
        assert_eq!(url_encode("abc-DEF_1.2~"), "abc-DEF_1.2~");
        assert_eq!(url_encode("a b+c/="), "a%20b%2Bc%2F%3D");
        assert_eq!(order_href("o1", "t k"), "/commandes/o1/t%20k");
    }
}

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

/// What the browser fetches once the page is live, never while the server renders: no
/// `Suspense` above waits for it, and hydration finds the empty state the server rendered.
/// (A `LocalResource` read under a `Suspense` makes the server give up the whole boundary,
/// racily, and hydrating it then fails: seen as an empty back office.) Fetched again when a
/// signal read by `fetch` changes; an older fetch answering late never overwrites a newer one.
pub fn fetched_in_browser<T, F, Fut>(fetch: F) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: std::future::Future<Output = T> + 'static,
{
    let value = RwSignal::new(None);
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let pending = fetch();
        let generation = latest.get_value() + 1;
        latest.set_value(generation);
        leptos::task::spawn_local(async move {
            let got = pending.await;
            if latest.try_get_value() == Some(generation) {
                let _ = value.try_set(Some(got));
            }
        });
    });
    value.read_only()
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

/// A request to the JSON API from the page (same origin: the staff cookie goes with it), for
/// bodies larger than server functions take (a poster, a 5,000-seat plan). Answers the body as
/// JSON, or the API's `{error, message}` (in the page's language, from the `lang` cookie).
#[cfg(feature = "hydrate")]
pub async fn api_request<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    body: &wasm_bindgen::JsValue,
    content_type: Option<&str>,
) -> Result<T, AppError> {
    use crate::error::ErrorCode;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let unavailable = || AppError {
        error: ErrorCode::Unavailable,
        message: "Le serveur ne répond pas. / The server does not answer.".into(),
        seat_ids: Vec::new(),
        retry_after: None,
    };
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_body(body);
    if let Some(ct) = content_type {
        let headers = web_sys::Headers::new().map_err(|_| unavailable())?;
        headers.set("content-type", ct).map_err(|_| unavailable())?;
        init.set_headers(&headers);
    }
    let window = web_sys::window().ok_or_else(unavailable)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or_else(unavailable)?;
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    }
    .ok_or_else(unavailable)?;
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| unavailable())
    } else {
        Err(serde_json::from_str::<AppError>(&text).unwrap_or_else(|_| unavailable()))
    }
}

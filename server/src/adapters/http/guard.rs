//! What every response and every state-changing request goes through: security headers, the
//! refusal of requests made by other sites, body size limits.
use super::error::refuse;
use super::extract::lang_of;
use app::error::ErrorCode;
use app::i18n::Message;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Request bodies larger than this are refused with 413: JSON requests are small.
pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(Clone)]
pub struct Policy {
    /// `https://…` deployments also get HSTS.
    pub https: bool,
    /// The public site's origin (`GUICHET_PUBLIC_URL`, e.g. `https://billetterie.ville.fr`):
    /// behind a reverse proxy the `Host` a request arrives with may be another one.
    pub public_origin: String,
}

impl Policy {
    pub fn new(public_url: &str) -> Policy {
        let url = public_url.trim_end_matches('/');
        let origin = match url.find("://") {
            Some(i) => match url[i + 3..].find('/') {
                Some(j) => &url[..i + 3 + j],
                None => url,
            },
            None => url,
        };
        Policy {
            https: url.starts_with("https://"),
            public_origin: origin.to_ascii_lowercase(),
        }
    }
}

/// Headers for every response. Pages get a Content-Security-Policy whose script nonce Leptos
/// puts on its inline scripts (see `http::router`); others get the strictest policy.
pub async fn security_headers(State(policy): State<Policy>, req: Request, next: Next) -> Response {
    let private = is_private(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    if policy.https {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    if private {
        // An order's page and JSON carry the buyer's details and the ticket codes; staff
        // answers carry accounts, tokens and door accesses.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// The CSP of a page: its scripts are this server's files and the inline scripts Leptos marks
/// with the response's nonce; the wasm may be compiled.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )
}

fn is_private(path: &str) -> bool {
    path == "/admin"
        || [
            "/commandes/",
            "/api/v1/orders/",
            "/api/v1/auth/",
            "/api/v1/admin/",
            "/api/v1/door/",
            "/api/v1/box-office/",
            "/sf/staff",
            "/sf/admin_",
        ]
        .iter()
        .any(|p| path.starts_with(p))
}

/// Refuses state-changing requests that a browser made on behalf of another site (a form
/// posted from `https://evil.example`, a script's fetch): `Sec-Fetch-Site: cross-site`, or an
/// `Origin` that is neither the public site's nor the `Host` the request came to. Requests
/// without either header (scripts, curl, the scanners' API clients) are not made by a browser
/// for another site, and pass.
pub async fn same_origin_only(State(policy): State<Policy>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // PayFiP's notification and the buyer's return come from PayFiP's site by design; they
    // change nothing by themselves (Guichet asks PayFiP what happened).
    if req.uri().path().starts_with("/payfip/") {
        return next.run(req).await;
    }
    let headers = req.headers();
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    let foreign_origin = headers.get(header::ORIGIN).is_some_and(|origin| {
        let origin = origin.to_str().unwrap_or_default().to_ascii_lowercase();
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(&origin);
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        origin != policy.public_origin && host.is_none_or(|h| !origin_host.eq_ignore_ascii_case(h))
    });
    if cross_site || foreign_origin {
        let lang = lang_of(headers);
        return refuse(ErrorCode::Forbidden, Message::new("error-cross-site"), lang)
            .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_data_is_never_cached() {
        assert!(is_private("/commandes/abc"));
        assert!(is_private("/api/v1/orders/abc/tickets.pdf"));
        assert!(is_private("/api/v1/auth/me"));
        assert!(is_private("/api/v1/admin/staff"));
        assert!(is_private("/admin"), "the back office page names the team");
        assert!(is_private("/sf/staff_list"));
        assert!(!is_private("/api/v1/performances"));
    }

    #[test]
    fn public_origins() {
        assert_eq!(
            Policy::new("https://billetterie.ville.fr/").public_origin,
            "https://billetterie.ville.fr"
        );
        assert_eq!(
            Policy::new("https://Ville.fr/billets").public_origin,
            "https://ville.fr"
        );
        assert!(Policy::new("https://ville.fr").https);
        assert!(!Policy::new("http://127.0.0.1:3000").https);
    }

    #[test]
    fn the_page_policy_names_the_nonce() {
        let csp = page_csp("abc");
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}

//! What the browser downloads besides the pages: `/pkg` (the wasm, its JavaScript glue, the
//! stylesheet) and how every answer travels compressed.
//!
//! The release build writes brotli and gzip copies beside each file once
//! (`scripts/precompress.sh`), so the 2 MB wasm is never compressed per request; pages and large
//! JSON (seat maps) are compressed on the fly, at a level a phone's wait is worth and the server's
//! CPU can pay during an on-sale. Names with a content hash (`guichet.<hash>.wasm`, release
//! builds) are cached for a year; others are revalidated (`no-cache`: a 304 when unchanged).
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use std::path::Path;
use tower_http::compression::predicate::{
    DefaultPredicate, NotForContentType, Predicate, SizeAbove,
};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;

/// Smaller answers (a scan, a hold) are not worth the CPU.
const COMPRESS_ABOVE: u16 = 1024;

/// `/pkg/*` from `<site root>/pkg`, precompressed copies preferred.
pub fn pkg<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    let dir = Path::new(site_root).join("pkg");
    Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        )
        .layer(axum::middleware::from_fn(cache_control))
}

/// Brotli or gzip, as the browser asks, for answers above a kilobyte that are not already
/// compressed (images, PDFs — their streams are deflated —, precompressed files) nor streams
/// of events.
pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(4))
        .compress_when(
            DefaultPredicate::new()
                .and(SizeAbove::new(COMPRESS_ABOVE))
                .and(NotForContentType::const_new("application/pdf")),
        )
}

async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let value = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
        // The same URL answers brotli, gzip or plain: caches in between must keep them apart.
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// `guichet.3q2-7wLW_ig0Ab-Cd9eFg.wasm`: a content hash between the stem and the extension,
/// as cargo-leptos names files when `hash-files` is on (base64url, unpadded).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[parts.len() - 2].len() >= 16
        && parts[parts.len() - 2]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        assert!(is_hashed("/pkg/guichet.3q2-7wLW_ig0Ab-Cd9eFg.wasm"));
        assert!(!is_hashed("/pkg/guichet.wasm"));
        assert!(!is_hashed("/pkg/guichet.css"));
        assert!(!is_hashed("/pkg/guichet.min.js"));
    }
}

//! Rate limits per client (or per door token for scans): how often one client may ask for
//! holds, orders, payments and order look-ups. The hold cap (`domain::hold_cap`) bounds what a
//! client keeps; these bound how fast it can ask. Over the limit a request is answered 429
//! with `Retry-After` before it reaches a use case.
//!
//! `governor` holds the buckets (GCRA, one per key and kind). One middleware classifies the
//! routes rather than a `tower_governor` layer per route: REST and server functions share the
//! buckets, and the refusal is the API's own `{error, message, retry_after}`.
use super::extract::lang_of;
use app::domain::ClientKey;
use app::error::{wire, ErrorCode};
use app::i18n::Message;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// The kinds of request limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Holds,
    Orders,
    Payments,
    Lookups,
    /// Scans and undos, per door token (a venue's scanners share one address).
    Scans,
    /// Staff logins, per client (the use case also throttles per account).
    Logins,
    /// Mails asked for (tickets again, "retrouver ma commande"), per client; the use case
    /// also bounds them per address.
    Mails,
}

const KINDS: [Kind; 7] = [
    Kind::Holds,
    Kind::Orders,
    Kind::Payments,
    Kind::Lookups,
    Kind::Scans,
    Kind::Logins,
    Kind::Mails,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Holds => "holds",
            Kind::Orders => "orders",
            Kind::Payments => "payments",
            Kind::Lookups => "lookups",
            Kind::Scans => "scans",
            Kind::Logins => "logins",
            Kind::Mails => "mails",
        }
    }
}

/// `burst` requests at once, refilled at `burst` per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub period: Duration,
}

impl Rate {
    /// "30/min", "50/s", "600/h".
    pub fn parse(s: &str) -> Option<Rate> {
        let (n, unit) = s.trim().split_once('/')?;
        let burst: u32 = n.trim().parse().ok().filter(|n| *n > 0)?;
        let period = match unit.trim() {
            "s" => Duration::from_secs(1),
            "min" => Duration::from_secs(60),
            "h" => Duration::from_secs(3600),
            _ => return None,
        };
        Some(Rate { burst, period })
    }

    fn quota(self) -> Quota {
        let burst = NonZeroU32::new(self.burst).unwrap_or(NonZeroU32::MIN);
        let every = (self.period / burst.get()).max(Duration::from_nanos(1));
        Quota::with_period(every)
            .unwrap_or_else(|| Quota::per_second(burst))
            .allow_burst(burst)
    }
}

/// The configured limits (`GUICHET_RATE_LIMITS`); a kind without a rate is not limited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits(Vec<(Kind, Rate)>);

impl RateLimits {
    /// What a buyer never reaches by hand: a few holds a minute, an order and a payment per
    /// hold, a page of orders refreshed, a few mails asked for; and a door scanning a queue
    /// (offline scans are sent in bursts when the network comes back).
    pub fn defaults() -> RateLimits {
        let r = |burst, secs| Rate {
            burst,
            period: Duration::from_secs(secs),
        };
        RateLimits(vec![
            (Kind::Holds, r(20, 60)),
            (Kind::Orders, r(20, 60)),
            (Kind::Payments, r(20, 60)),
            (Kind::Lookups, r(120, 60)),
            (Kind::Scans, r(100, 1)),
            (Kind::Logins, r(10, 60)),
            (Kind::Mails, r(10, 3600)),
        ])
    }

    pub fn off() -> RateLimits {
        RateLimits(Vec::new())
    }

    /// "off", or the defaults changed by "holds=30/min, scans=off, …".
    pub fn parse(spec: &str) -> Option<RateLimits> {
        let spec = spec.trim();
        if spec == "off" {
            return Some(RateLimits::off());
        }
        let mut limits = RateLimits::defaults();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = item.split_once('=')?;
            let kind = *KINDS.iter().find(|k| k.name() == name.trim())?;
            limits.0.retain(|(k, _)| *k != kind);
            if value.trim() != "off" {
                limits.0.push((kind, Rate::parse(value)?));
            }
        }
        Some(limits)
    }

    pub fn rate(&self, kind: Kind) -> Option<Rate> {
        self.0.iter().find(|(k, _)| *k == kind).map(|(_, r)| *r)
    }
}

/// The buckets.
pub struct Limiter {
    buckets: Vec<(Kind, DefaultKeyedRateLimiter<String>)>,
    clock: DefaultClock,
}

impl Limiter {
    pub fn new(limits: &RateLimits) -> Limiter {
        Limiter {
            buckets: limits
                .0
                .iter()
                .map(|(kind, rate)| (*kind, RateLimiter::keyed(rate.quota())))
                .collect(),
            clock: DefaultClock::default(),
        }
    }

    /// `Err(wait)` when `key` has used its `kind` of requests for now.
    pub fn check(&self, kind: Kind, key: &str) -> Result<(), Duration> {
        let Some((_, bucket)) = self.buckets.iter().find(|(k, _)| *k == kind) else {
            return Ok(());
        };
        bucket
            .check_key(&key.to_string())
            .map_err(|until| until.wait_time_from(self.clock.now()))
    }

    fn limits(&self, kind: Kind) -> bool {
        self.buckets.iter().any(|(k, _)| *k == kind)
    }

    /// Forgets clients whose buckets are full again (bounded memory; run now and then).
    pub fn forget_idle(&self) {
        for (_, bucket) in &self.buckets {
            bucket.retain_recent();
            bucket.shrink_to_fit();
        }
    }
}

/// The kind of a request, from its method and path (REST and server functions alike).
pub fn classify(method: &Method, path: &str) -> Option<Kind> {
    let post = method == Method::POST;
    let get = method == Method::GET || method == Method::HEAD;
    if let Some(rest) = path.strip_prefix("/api/v1/") {
        return match (rest.split('/').collect::<Vec<_>>().as_slice(), post, get) {
            (["holds"], true, _) => Some(Kind::Holds),
            (["orders"], true, _) => Some(Kind::Orders),
            (["orders", "lookup"], true, _) | (["orders", _, "resend"], true, _) => {
                Some(Kind::Mails)
            }
            (["orders", _, "payment"], true, _) => Some(Kind::Payments),
            (["orders", ..], _, true) => Some(Kind::Lookups),
            (["scan"], true, _) | (["scan", _, "undo"], true, _) => Some(Kind::Scans),
            (["auth", "login"], true, _) => Some(Kind::Logins),
            _ => None,
        };
    }
    if let Some(name) = path.strip_prefix("/sf/") {
        return match name {
            "hold" => Some(Kind::Holds),
            "order" => Some(Kind::Orders),
            "pay" => Some(Kind::Payments),
            "get_order" => Some(Kind::Lookups),
            "door_scan" | "door_undo" => Some(Kind::Scans),
            "staff_login" => Some(Kind::Logins),
            "find_orders" | "resend_tickets" => Some(Kind::Mails),
            _ => None,
        };
    }
    (get && path.starts_with("/commandes/")).then_some(Kind::Lookups)
}

/// The door token of a scan: the API's bearer token, or a server function's `token` field.
async fn door_key(req: Request) -> (Request, Option<String>) {
    if let Some(bearer) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        let key = bearer.trim().to_string();
        return (req, Some(key));
    }
    let (parts, body) = req.into_parts();
    // Bodies are capped (`guard::BODY_LIMIT`) further in; a larger one is refused there.
    let Ok(bytes) = axum::body::to_bytes(body, super::guard::BODY_LIMIT).await else {
        return (Request::from_parts(parts, Body::empty()), None);
    };
    let key = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned());
    (Request::from_parts(parts, Body::from(bytes)), key)
}

pub async fn rate_limit(State(limiter): State<Arc<Limiter>>, req: Request, next: Next) -> Response {
    let Some(kind) = classify(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    if !limiter.limits(kind) {
        return next.run(req).await;
    }
    let (req, key) = match kind {
        Kind::Scans => {
            let (req, key) = door_key(req).await;
            (req, key.map(|k| format!("door:{k}")))
        }
        _ => {
            let key = req.extensions().get::<ClientKey>().map(|c| c.to_string());
            (req, key)
        }
    };
    let Some(key) = key else {
        return next.run(req).await;
    };
    match limiter.check(kind, &key) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let seconds = wait.as_secs_f64().ceil().max(1.0) as i64;
            tracing::info!(kind = kind.name(), client = %key, "rate limited");
            too_many(&req, seconds)
        }
    }
}

fn too_many(req: &Request, seconds: i64) -> Response {
    refusal(lang_of(req.headers()), seconds).into_response()
}

/// "Too many requests; try again in `seconds`" (429 `rate_limited`); `ApiError` sets the
/// status from the code and `Retry-After` from the body.
pub fn refusal(lang: app::i18n::Lang, seconds: i64) -> super::error::ApiError {
    let mut body = wire(
        ErrorCode::RateLimited,
        &Message::new("error-rate-limited"),
        lang,
    );
    body.retry_after = Some(seconds);
    super::error::ApiError(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_classified_for_rest_and_server_functions() {
        let post = Method::POST;
        let get = Method::GET;
        assert_eq!(classify(&post, "/api/v1/holds"), Some(Kind::Holds));
        assert_eq!(classify(&post, "/sf/hold"), Some(Kind::Holds));
        assert_eq!(classify(&Method::DELETE, "/api/v1/holds/abc"), None);
        assert_eq!(classify(&post, "/api/v1/orders"), Some(Kind::Orders));
        assert_eq!(
            classify(&post, "/api/v1/orders/o1/payment"),
            Some(Kind::Payments)
        );
        assert_eq!(classify(&get, "/api/v1/orders/o1"), Some(Kind::Lookups));
        assert_eq!(
            classify(&get, "/api/v1/orders/o1/tickets.pdf"),
            Some(Kind::Lookups)
        );
        assert_eq!(classify(&get, "/commandes/o1/t"), Some(Kind::Lookups));
        assert_eq!(classify(&post, "/sf/get_order"), Some(Kind::Lookups));
        assert_eq!(classify(&post, "/api/v1/scan"), Some(Kind::Scans));
        assert_eq!(classify(&post, "/api/v1/scan/7/undo"), Some(Kind::Scans));
        assert_eq!(classify(&post, "/sf/door_scan"), Some(Kind::Scans));
        assert_eq!(classify(&get, "/api/v1/performances/1/live"), None);
        assert_eq!(classify(&post, "/api/v1/auth/login"), Some(Kind::Logins));
        assert_eq!(classify(&post, "/sf/staff_login"), Some(Kind::Logins));
        assert_eq!(classify(&post, "/api/v1/orders/lookup"), Some(Kind::Mails));
        assert_eq!(
            classify(&post, "/api/v1/orders/o1/resend"),
            Some(Kind::Mails)
        );
        assert_eq!(classify(&post, "/sf/find_orders"), Some(Kind::Mails));
        assert_eq!(classify(&post, "/sf/resend_tickets"), Some(Kind::Mails));
        assert_eq!(
            classify(&post, "/api/v1/box-office/orders/o1/resend"),
            None,
            "staff are not limited per client"
        );
        assert_eq!(classify(&get, "/"), None);
    }

    #[test]
    fn limits_parse_from_the_defaults() {
        assert_eq!(RateLimits::parse("off"), Some(RateLimits::off()));
        let l = RateLimits::parse("holds=5/s, scans=off").unwrap();
        assert_eq!(
            l.rate(Kind::Holds),
            Some(Rate {
                burst: 5,
                period: Duration::from_secs(1)
            })
        );
        assert_eq!(l.rate(Kind::Scans), None);
        assert_eq!(
            l.rate(Kind::Orders),
            RateLimits::defaults().rate(Kind::Orders)
        );
        assert!(RateLimits::parse("holds=5").is_none());
        assert!(RateLimits::parse("logons=5/s").is_none());
        assert!(RateLimits::parse("holds=0/s").is_none());
    }

    #[test]
    fn a_burst_then_a_wait() {
        let limiter = Limiter::new(&RateLimits::parse("holds=3/min").unwrap());
        for _ in 0..3 {
            assert!(limiter.check(Kind::Holds, "a").is_ok());
        }
        let wait = limiter.check(Kind::Holds, "a").unwrap_err();
        assert!(wait > Duration::from_secs(15) && wait <= Duration::from_secs(20));
        // Another client, another kind: their own buckets.
        assert!(limiter.check(Kind::Holds, "b").is_ok());
        assert!(limiter.check(Kind::Orders, "a").is_ok());
    }
}

//! `GET /api/v1/performances/{id}/events`: a performance's live seat states as Server-Sent
//! Events (`event: seats`, `data:` the same JSON as `/live`), the current state first. The
//! browser's `EventSource` reconnects by itself; a follower dropped for not keeping up, or
//! refused here, falls back to polling `/live`.
use super::error::{fail, ApiError};
use super::extract::{ApiPath, ReqLang};
use super::openapi::err;
use crate::usecases::catalogue::LiveFeed;
use app::domain::ClientKey;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Streams one client (address) may keep open at once: a household's phones, not a script's
/// thousands.
const PER_CLIENT: usize = 32;
/// A comment this often keeps proxies from closing a quiet stream and finds dead connections.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Streams open per client address.
type OpenStreams = Arc<Mutex<HashMap<ClientKey, usize>>>;

#[derive(Clone)]
pub struct Events {
    feed: Arc<LiveFeed>,
    open: OpenStreams,
}

impl Events {
    pub fn new(feed: Arc<LiveFeed>) -> Events {
        Events {
            feed,
            open: Arc::default(),
        }
    }
}

/// One open stream of a client, counted until the stream is dropped.
struct Opened {
    open: OpenStreams,
    client: Option<ClientKey>,
}

impl Opened {
    fn take(open: &OpenStreams, client: Option<ClientKey>) -> Option<Opened> {
        if let Some(c) = &client {
            let mut map = open.lock().unwrap_or_else(|p| p.into_inner());
            let n = map.entry(c.clone()).or_default();
            if *n >= PER_CLIENT {
                return None;
            }
            *n += 1;
        }
        Some(Opened {
            open: open.clone(),
            client,
        })
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        if let Some(c) = &self.client {
            let mut map = self.open.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = map.get_mut(c) {
                *n -= 1;
                if *n == 0 {
                    map.remove(c);
                }
            }
        }
    }
}

/// A performance's live seat states, pushed
///
/// Server-Sent Events: `event: seats`, its `data` the `LiveState` JSON of `/live`; the current
/// state first, then one event per change. A comment line every 15 s keeps the stream open.
#[utoipa::path(
    get,
    path = "/performances/{id}/events",
    tag = "catalogue",
    params(("id" = i64, Path, description = "Performance id")),
    responses(
        (status = 200, description = "The event stream.",
            content_type = "text/event-stream", body = String),
        err::BadRequest,
        err::NotFound,
        err::TooManyRequests,
    )
)]
pub async fn seat_events(
    State(events): State<Events>,
    ReqLang(lang): ReqLang,
    client: Option<Extension<ClientKey>>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let Some(opened) = Opened::take(&events.open, client.map(|Extension(c)| c)) else {
        return Err(super::rate::refusal(lang, 10));
    };
    let follower = events.feed.follow(id).await.map_err(fail(lang))?;
    let stream = futures::stream::unfold((follower, opened), |(mut follower, opened)| async move {
        let json = follower.recv().await?;
        let event = Event::default()
            .event("seats")
            .data(String::from_utf8_lossy(&json));
        Some((Ok::<_, Infallible>(event), (follower, opened)))
    });
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // nginx and the like would otherwise hold events back to fill their buffers.
    res.headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

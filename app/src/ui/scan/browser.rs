//! Browser start: pairing link, device name, camera and timers.
use super::state::Door;
use super::{camera, offline, scanning::random, CameraState, Source, Tab};
use leptos::prelude::*;
use leptos::task::spawn_local;
use offline::storage;

/// A mouse or a hardware scanner rather than a touch screen: keep the code field focused
/// (on phones that would open the on-screen keyboard over the camera).
pub(super) fn fine_pointer() -> bool {
    web_sys::window()
        .and_then(|w| {
            let f = js_sys::Reflect::get(&w, &"matchMedia".into()).ok()?;
            let f: js_sys::Function = wasm_bindgen::JsCast::dyn_into(f).ok()?;
            let mql = f.call1(&w, &"(pointer: fine)".into()).ok()?;
            js_sys::Reflect::get(&mql, &"matches".into())
                .ok()?
                .as_bool()
        })
        .unwrap_or(false)
}

/// Reads the token of the pairing link and takes it out of the address bar.
pub(super) fn token_from_link() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    let token = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .map(|t| {
            js_sys::decode_uri_component(t)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_else(|| t.to_string())
        })
        .filter(|t| !t.trim().is_empty())?;
    let clean = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
    Some(token)
}

/// Browser start: pairing, device name, timers (camera, upload queue, counters, offline list).
pub(super) fn start(door: Door, video: NodeRef<leptos::html::Video>) {
    use std::time::Duration;
    let device = storage::get(offline::DEVICE_KEY)
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| {
            let d = format!("Téléphone {:04X}", (random() * 65536.0) as u32);
            storage::set(offline::DEVICE_KEY, &d);
            d
        });
    door.link.device.set(device);
    door.sync.pending.set(offline::queue().len());
    let token = token_from_link().or_else(|| storage::get(offline::TOKEN_KEY));
    if let Some(token) = token {
        door.pair(token);
    }

    let camera_tick = set_interval_with_handle(
        move || {
            let scanning = door.screen.perf.try_get_untracked().flatten().is_some()
                && door.screen.tab.try_get_untracked() == Some(Tab::Scan)
                && door.screen.holding.try_get_untracked() == Some(false)
                && door.screen.busy.try_get_untracked() == Some(false);
            if scanning {
                camera::tick(move |code| door.submit(code, Source::Camera));
            }
        },
        Duration::from_millis(180),
    )
    .ok();
    let upload = set_interval_with_handle(move || door.flush(), Duration::from_secs(5)).ok();
    let counters =
        set_interval_with_handle(move || door.refresh_checkin(), Duration::from_secs(10)).ok();
    let offline_list = set_interval_with_handle(
        move || {
            if door.sync.network_down.try_get_untracked() == Some(false) {
                door.refresh_offline();
            }
        },
        Duration::from_secs(60),
    )
    .ok();
    // A pairing link opened while the page is already there only changes the hash.
    let hash = window_event_listener_untyped("hashchange", move |_| {
        if let Some(token) = token_from_link() {
            door.pair(token);
        }
    });
    let online = window_event_listener_untyped("online", move |_| {
        door.flush();
        door.refresh_checkin();
    });

    // The camera runs while the scanner view is shown for a chosen performance.
    Effect::new(move |_| {
        let wanted = door.screen.perf.get().is_some() && door.screen.tab.get() == Tab::Scan;
        let Some(el) = video.get() else {
            return;
        };
        if wanted {
            start_camera(door, el);
        } else {
            camera::stop();
            door.screen.camera.set(CameraState::Off);
        }
    });

    on_cleanup(move || {
        for h in [camera_tick, upload, counters, offline_list]
            .into_iter()
            .flatten()
        {
            h.clear();
        }
        online.remove();
        hash.remove();
        camera::stop();
    });
}

pub(super) fn start_camera(door: Door, el: web_sys::HtmlVideoElement) {
    door.screen.camera.set(CameraState::Starting);
    spawn_local(async move {
        let state = match camera::start(el).await {
            Ok(()) => CameraState::On,
            Err(e) => CameraState::Failed(e),
        };
        // The view may have changed while the permission prompt was open.
        let still_wanted = door.screen.perf.try_get_untracked().flatten().is_some()
            && door.screen.tab.try_get_untracked() == Some(Tab::Scan);
        if !still_wanted {
            camera::stop();
        }
        let _ = door
            .screen
            .camera
            .try_set(if still_wanted && camera::is_running() {
                CameraState::On
            } else if still_wanted {
                state
            } else {
                CameraState::Off
            });
    });
}

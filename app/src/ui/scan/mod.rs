//! `/scan`: the door staff's phone scanner.
//!
//! The page pairs with a door token (`/scan#token=…`, kept in localStorage), lets the user pick
//! a performance, then admits tickets read by the camera, typed by a hardware scanner (code +
//! Enter) or found by name. When the network is gone it decides with the offline list and
//! queues the admissions for upload (`offline.rs`).
//!
//! The server renders a static shell with the pairing instructions; everything else happens in
//! the browser (`#[cfg(feature = "hydrate")]`).
#[cfg(feature = "hydrate")]
mod camera;
#[cfg(any(feature = "hydrate", test))]
mod decode;
mod feedback;
mod offline;
mod result;
mod search;

use super::common::{use_lang, Msg};
use crate::api::{door_access, door_checkin, door_offline, door_scan, door_undo};
use crate::door::{CheckinReport, DoorAccess, OfflineData, ScanRequest, ScanResult, ScanStatus};
use crate::dto::Ts;
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use offline::storage;

/// How long a result stays in front (scanner paused), in milliseconds.
const HOLD_VALID_MS: u32 = 2000;
const HOLD_REFUSED_MS: u32 = 3500;
/// The camera does not resubmit the code it just read for this long (a ticket still in view
/// after its green light must not turn amber).
const CAMERA_SAME_CODE_MS: f64 = 6000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Scan,
    Search,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Camera,
    Typed,
    Search,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum CameraState {
    Off,
    Starting,
    On,
    Failed(String),
}

/// The result on screen and what was scanned to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub res: ScanResult,
    /// Upper-cased code or ticket number.
    pub key: String,
    pub at_ms: f64,
}

/// The page state: signals only, so it is `Copy` and moves into every closure.
#[derive(Clone, Copy)]
pub struct Door {
    pub token: RwSignal<Option<String>>,
    pub device: RwSignal<String>,
    pub access: RwSignal<Option<DoorAccess>>,
    pub access_error: RwSignal<Option<(ErrorCode, Msg)>>,
    pub perf: RwSignal<Option<i64>>,
    pub tab: RwSignal<Tab>,
    pub result: RwSignal<Option<Shown>>,
    /// The result just arrived: the scanner is paused.
    pub holding: RwSignal<bool>,
    hold_seq: RwSignal<u64>,
    pub busy: RwSignal<bool>,
    /// Errors that are not scan results (expired token, server error…).
    pub notice: RwSignal<Option<Msg>>,
    pub report: RwSignal<Option<CheckinReport>>,
    pub network_down: RwSignal<bool>,
    pub pending: RwSignal<usize>,
    flushing: RwSignal<bool>,
    pub offline_data: RwSignal<Option<OfflineData>>,
    pub camera: RwSignal<CameraState>,
    /// Incremented after each completed scan (the search list refreshes).
    pub scans: RwSignal<u64>,
}

impl Door {
    fn new() -> Door {
        Door {
            token: RwSignal::new(None),
            device: RwSignal::new(String::new()),
            access: RwSignal::new(None),
            access_error: RwSignal::new(None),
            perf: RwSignal::new(None),
            tab: RwSignal::new(Tab::Scan),
            result: RwSignal::new(None),
            holding: RwSignal::new(false),
            hold_seq: RwSignal::new(0),
            busy: RwSignal::new(false),
            notice: RwSignal::new(None),
            report: RwSignal::new(None),
            network_down: RwSignal::new(false),
            pending: RwSignal::new(0),
            flushing: RwSignal::new(false),
            offline_data: RwSignal::new(None),
            camera: RwSignal::new(CameraState::Off),
            scans: RwSignal::new(0),
        }
    }

    fn is_supervisor(self) -> bool {
        self.access
            .with_untracked(|a| a.as_ref().is_some_and(|a| a.supervisor))
    }

    /// Pairs with a token (from the link or pasted) and loads its access.
    pub fn pair(self, token: String) {
        let token = token
            .rsplit_once("token=")
            .map(|(_, t)| t)
            .unwrap_or(&token)
            .trim()
            .to_string();
        if token.is_empty() {
            return;
        }
        storage::set(offline::TOKEN_KEY, &token);
        self.access.set(None);
        self.perf.set(None);
        self.result.set(None);
        self.report.set(None);
        self.token.set(Some(token));
        self.load_access();
    }

    /// Forgets the pairing (another access will be needed).
    pub fn unpair(self) {
        storage::remove(offline::TOKEN_KEY);
        storage::remove(offline::PERF_KEY);
        self.token.set(None);
        self.access.set(None);
        self.perf.set(None);
        self.result.set(None);
        self.report.set(None);
    }

    pub fn load_access(self) {
        let Some(token) = self.token.get_untracked() else {
            return;
        };
        self.access_error.set(None);
        spawn_local(async move {
            match door_access(token).await {
                Ok(access) => {
                    let _ = self.network_down.try_set(false);
                    let stored = storage::get(offline::PERF_KEY).and_then(|s| s.parse().ok());
                    let ids: Vec<i64> = access.performances.iter().map(|p| p.id).collect();
                    let pick = match stored {
                        Some(id) if ids.contains(&id) => Some(id),
                        _ if ids.len() == 1 => Some(ids[0]),
                        _ => None,
                    };
                    let _ = self.access.try_set(Some(access));
                    if let Some(id) = pick {
                        self.choose(id);
                    }
                }
                Err(err) if err.error == ErrorCode::Unavailable => {
                    // Reloaded without network: keep working on the last performance's list.
                    let stored: Option<i64> =
                        storage::get(offline::PERF_KEY).and_then(|s| s.parse().ok());
                    let data = stored.and_then(|id| {
                        offline::load_json::<OfflineData>(&offline::offline_key(id))
                    });
                    let _ = self.network_down.try_set(true);
                    match data {
                        Some(data) => {
                            let _ = self.access.try_set(Some(DoorAccess {
                                token_id: 0,
                                label: String::new(),
                                supervisor: false,
                                expires_at: Ts(0),
                                performances: vec![data.performance.clone()],
                            }));
                            self.choose(data.performance.id);
                        }
                        None => {
                            let _ = self
                                .access_error
                                .try_set(Some((err.error, Msg::from_error(&err))));
                        }
                    }
                }
                Err(err) => {
                    let msg = match err.error {
                        ErrorCode::Unauthorized | ErrorCode::Forbidden | ErrorCode::NotFound => {
                            Msg::new(
                                "Ce lien d'appairage n'est pas (ou plus) valable. Demandez-en un nouveau à l'administration.",
                                "This pairing link is not (or no longer) valid. Ask the administration for a new one.",
                            )
                        }
                        _ => Msg::from_error(&err),
                    };
                    let _ = self.access_error.try_set(Some((err.error, msg)));
                }
            }
        });
    }

    /// Selects a performance: loads its offline list and counters.
    pub fn choose(self, performance_id: i64) {
        storage::set(offline::PERF_KEY, &performance_id.to_string());
        let _ = self
            .offline_data
            .try_set(offline::load_json(&offline::offline_key(performance_id)));
        let _ = self.report.try_set(None);
        let _ = self.result.try_set(None);
        let _ = self.perf.try_set(Some(performance_id));
        self.refresh_offline();
        self.refresh_checkin();
        self.flush();
    }

    pub fn change_performance(self) {
        storage::remove(offline::PERF_KEY);
        self.perf.set(None);
        self.result.set(None);
    }

    /// Network failures flip the "offline" banner; any answer from the server clears it.
    fn saw<T>(self, res: &Result<T, AppError>) {
        match res {
            Err(e) if e.error == ErrorCode::Unavailable => {
                let _ = self.network_down.try_set(true);
            }
            _ => {
                let _ = self.network_down.try_set(false);
            }
        }
    }

    pub fn refresh_checkin(self) {
        let (Some(token), Some(perf)) = (
            self.token.try_get_untracked().flatten(),
            self.perf.try_get_untracked().flatten(),
        ) else {
            return;
        };
        spawn_local(async move {
            let res = door_checkin(token, perf).await;
            self.saw(&res);
            if let Ok(report) = res {
                if self.perf.try_get_untracked().flatten() == Some(report.performance_id) {
                    let _ = self.report.try_set(Some(report));
                }
            }
        });
    }

    /// Downloads the offline list of the current performance and keeps it on the phone.
    pub fn refresh_offline(self) {
        let (Some(token), Some(perf)) = (
            self.token.try_get_untracked().flatten(),
            self.perf.try_get_untracked().flatten(),
        ) else {
            return;
        };
        spawn_local(async move {
            let res = door_offline(token, perf).await;
            self.saw(&res);
            if let Ok(data) = res {
                offline::save_json(&offline::offline_key(perf), &data);
                if self.perf.try_get_untracked().flatten() == Some(perf) {
                    let _ = self.offline_data.try_set(Some(data));
                }
            }
        });
    }

    /// Uploads the offline admissions, oldest first; stops at the first network failure.
    pub fn flush(self) {
        let Some(token) = self.token.try_get_untracked().flatten() else {
            return;
        };
        let _ = self.pending.try_set(offline::queue().len());
        if offline::queue().is_empty() || self.flushing.try_get_untracked() != Some(false) {
            return;
        }
        self.flushing.set(true);
        spawn_local(async move {
            let mut uploaded = false;
            for request in offline::queue() {
                let res = door_scan(token.clone(), request.clone()).await;
                self.saw(&res);
                match res {
                    Ok(_) => {
                        uploaded = true;
                        offline::dequeue(&request.nonce);
                    }
                    // Refused for good (malformed, nonce reused…): retrying would not help.
                    Err(e)
                        if matches!(
                            e.error,
                            ErrorCode::BadRequest
                                | ErrorCode::Validation
                                | ErrorCode::Conflict
                                | ErrorCode::NotFound
                        ) =>
                    {
                        offline::dequeue(&request.nonce);
                    }
                    Err(_) => break,
                }
                let _ = self.pending.try_set(offline::queue().len());
            }
            let _ = self.pending.try_set(offline::queue().len());
            let _ = self.flushing.try_set(false);
            if uploaded {
                self.refresh_checkin();
                self.refresh_offline();
            }
        });
    }

    /// Scans a code or a typed ticket number.
    pub fn submit(self, raw: String, source: Source) {
        let raw = raw.trim().to_string();
        if raw.is_empty() {
            return;
        }
        let (Some(token), Some(perf)) = (self.token.get_untracked(), self.perf.get_untracked())
        else {
            return;
        };
        let key = raw.to_ascii_uppercase();
        let now = super::common::now_ms();
        if let Some(shown) = self.result.get_untracked() {
            let same = shown.key == key;
            if same
                && (self.holding.get_untracked()
                    || (source == Source::Camera && now - shown.at_ms < CAMERA_SAME_CODE_MS))
            {
                return;
            }
        }
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.notice.set(None);
        let is_number = offline::looks_like_ticket_number(&raw);
        let request = ScanRequest {
            code: (!is_number).then(|| raw.clone()),
            ticket_number: is_number.then(|| raw.clone()),
            performance_id: perf,
            nonce: new_nonce(),
            scanned_at: Some(Ts((now / 1000.0) as i64)),
            device: Some(self.device.get_untracked()),
            offline: false,
        };
        spawn_local(async move {
            let res = door_scan(token, request.clone()).await;
            self.saw(&res);
            let _ = self.busy.try_set(false);
            match res {
                Ok(res) => {
                    let valid = res.status == ScanStatus::Valid;
                    self.show(res, key);
                    if valid {
                        self.refresh_checkin();
                    }
                }
                Err(err) if err.error == ErrorCode::Unavailable => {
                    match self.offline_data.try_get_untracked().flatten() {
                        Some(data) if data.performance.id == perf => {
                            let res = offline::decide_locally(&data, &request);
                            let _ = self.pending.try_set(offline::queue().len());
                            self.show(res, key);
                        }
                        _ => {
                            feedback::signal(false);
                            let _ = self.notice.try_set(Some(Msg::new(
                                "Réseau indisponible et pas de liste hors ligne pour cette séance : réessayez.",
                                "Network unavailable and no offline list for this performance: try again.",
                            )));
                        }
                    }
                }
                Err(err) => {
                    feedback::signal(false);
                    let msg = match err.error {
                        ErrorCode::Unauthorized | ErrorCode::Forbidden => Msg::new(
                            "Accès refusé : cet appareil n'est plus autorisé. Demandez un nouveau lien d'appairage.",
                            "Access refused: this device is no longer allowed. Ask for a new pairing link.",
                        ),
                        _ => Msg::from_error(&err),
                    };
                    let _ = self.notice.try_set(Some(msg));
                }
            }
            let _ = self.scans.try_update(|n| *n += 1);
        });
    }

    /// Puts a result in front, signals it, and resumes the scanner after a pause.
    fn show(self, res: ScanResult, key: String) {
        let valid = res.status == ScanStatus::Valid;
        feedback::signal(valid);
        let _ = self.result.try_set(Some(Shown {
            res,
            key,
            at_ms: super::common::now_ms(),
        }));
        let _ = self.holding.try_set(true);
        let seq = self.hold_seq.try_update(|n| {
            *n += 1;
            *n
        });
        let hold = if valid {
            HOLD_VALID_MS
        } else {
            HOLD_REFUSED_MS
        };
        #[cfg(feature = "hydrate")]
        set_timeout(
            move || {
                if self.hold_seq.try_get_untracked() == seq {
                    let _ = self.holding.try_set(false);
                }
            },
            std::time::Duration::from_millis(hold as u64),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (seq, hold);
        #[cfg(feature = "hydrate")]
        if self.tab.try_get_untracked() == Some(Tab::Scan) && fine_pointer() {
            super::common::focus_selector("#scan-input");
        }
    }

    /// Supervisors: cancels the admission on screen.
    pub fn undo(self, admission_id: i64) {
        let Some(token) = self.token.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let res = door_undo(token, admission_id).await;
            self.saw(&res);
            match res {
                Ok(_) => {
                    let _ = self.result.try_set(None);
                    let _ = self.notice.try_set(Some(Msg::new(
                        "Entrée annulée : le billet peut être scanné de nouveau.",
                        "Admission cancelled: the ticket can be scanned again.",
                    )));
                    self.refresh_checkin();
                }
                Err(err) => {
                    let _ = self.notice.try_set(Some(Msg::from_error(&err)));
                }
            }
            let _ = self.scans.try_update(|n| *n += 1);
        });
    }
}

/// 32 random hex characters: a retried upload with the same nonce gets the first answer.
fn new_nonce() -> String {
    (0..4)
        .map(|_| format!("{:08x}", (random() * 4_294_967_296.0) as u32))
        .collect()
}

fn random() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Math::random()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        (super::common::now_ms() % 1000.0) / 1000.0
    }
}

/// A mouse or a hardware scanner rather than a touch screen: keep the code field focused
/// (on phones that would open the on-screen keyboard over the camera).
#[cfg(feature = "hydrate")]
fn fine_pointer() -> bool {
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
#[cfg(feature = "hydrate")]
fn token_from_link() -> Option<String> {
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
#[cfg(feature = "hydrate")]
fn start(door: Door, video: NodeRef<leptos::html::Video>) {
    use std::time::Duration;
    let device = storage::get(offline::DEVICE_KEY)
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| {
            let d = format!("Téléphone {:04X}", (random() * 65536.0) as u32);
            storage::set(offline::DEVICE_KEY, &d);
            d
        });
    door.device.set(device);
    door.pending.set(offline::queue().len());
    let token = token_from_link().or_else(|| storage::get(offline::TOKEN_KEY));
    if let Some(token) = token {
        door.pair(token);
    }

    let camera_tick = set_interval_with_handle(
        move || {
            let scanning = door.perf.try_get_untracked().flatten().is_some()
                && door.tab.try_get_untracked() == Some(Tab::Scan)
                && door.holding.try_get_untracked() == Some(false)
                && door.busy.try_get_untracked() == Some(false);
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
            if door.network_down.try_get_untracked() == Some(false) {
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
        let wanted = door.perf.get().is_some() && door.tab.get() == Tab::Scan;
        let Some(el) = video.get() else {
            return;
        };
        if wanted {
            start_camera(door, el);
        } else {
            camera::stop();
            door.camera.set(CameraState::Off);
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

#[cfg(feature = "hydrate")]
fn start_camera(door: Door, el: web_sys::HtmlVideoElement) {
    door.camera.set(CameraState::Starting);
    spawn_local(async move {
        let state = match camera::start(el).await {
            Ok(()) => CameraState::On,
            Err(e) => CameraState::Failed(e),
        };
        // The view may have changed while the permission prompt was open.
        let still_wanted = door.perf.try_get_untracked().flatten().is_some()
            && door.tab.try_get_untracked() == Some(Tab::Scan);
        if !still_wanted {
            camera::stop();
        }
        let _ = door
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

#[component]
pub fn ScanPage() -> impl IntoView {
    let lang = use_lang();
    let door = Door::new();
    let video = NodeRef::<leptos::html::Video>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |prev: Option<()>| {
        if prev.is_none() {
            untrack(|| start(door, video));
        }
    });

    let body = move || {
        let paired = door.token.get().is_some();
        let access = door.access.get();
        let auth_error = door.access_error.with(|e| {
            e.as_ref()
                .is_some_and(|(code, _)| *code != ErrorCode::Unavailable)
        });
        if !paired || auth_error {
            return view! { <Pairing door/> }.into_any();
        }
        match access {
            None => view! { <Connecting door/> }.into_any(),
            Some(_) => view! { <Main door video/> }.into_any(),
        }
    };

    view! {
        <Title text=move || lang.get().pick("Contrôle des billets", "Ticket control")/>
        <div class="door" on:pointerdown=move |_| feedback::unlock_audio()>
            <h1 class="door-title">{move || lang.get().pick("Contrôle des billets", "Ticket control")}</h1>
            {body}
        </div>
    }
    .into_any()
}

/// No token yet (or a refused one): how to pair, and a field to paste a token.
#[component]
fn Pairing(door: Door) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let typed = RwSignal::new(String::new());
    let error = move || {
        door.access_error.get().map(|(_, msg)| {
            view! { <p class="alert alert-error" role="alert">{move || msg.get(lang.get())}</p> }
        })
    };
    view! {
        <section class="door-pairing" aria-labelledby="pairing-title">
            <h2 id="pairing-title">{t("Appairer ce téléphone", "Pair this phone")}</h2>
            {error}
            <p class="door-instructions">
                {t(
                    "Ouvrez le lien d'appairage fourni par l'administration",
                    "Open the pairing link provided by the administration",
                )}
            </p>
            <form
                class="door-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    door.pair(typed.get_untracked());
                }
            >
                <label for="token-input">{t("… ou collez le jeton d'accès", "… or paste the access token")}</label>
                <input
                    id="token-input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
                <button type="submit" class="button button-primary door-big">
                    {t("Appairer", "Pair")}
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// Paired, waiting for the access (or for the network).
#[component]
fn Connecting(door: Door) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="door-connecting">
            {move || match door.access_error.get() {
                Some((_, msg)) => view! {
                    <p class="alert alert-error" role="alert">{move || msg.get(lang.get())}</p>
                    <button type="button" class="button door-big" on:click=move |_| door.load_access()>
                        {move || lang.get().pick("Réessayer", "Try again")}
                    </button>
                }
                .into_any(),
                None => view! {
                    <p class="loading" role="status">
                        {move || lang.get().pick("Vérification de l'accès…", "Checking access…")}
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
    .into_any()
}

/// Access granted: pick a performance, then scan.
#[component]
fn Main(door: Door, video: NodeRef<leptos::html::Video>) -> impl IntoView {
    view! {
        {move || match door.perf.get() {
            None => view! { <PerformancePicker door/> }.into_any(),
            Some(_) => ().into_any(),
        }}
        <div class="door-main" hidden=move || door.perf.get().is_none()>
            <StatusBar door/>
            <Tabs door/>
            <result::ResultPanel door/>
            <Notice door/>
            <ScannerView door video/>
            <div hidden=move || door.tab.get() != Tab::Search>
                <search::SearchView door/>
            </div>
            <result::Conflicts door/>
            <Settings door/>
        </div>
    }
    .into_any()
}

fn perf_line(lang: Lang, p: &crate::dto::PerformanceInfo) -> String {
    format!("{} – {}", lang.datetime(p.starts_at.0), p.hall)
}

#[component]
fn PerformancePicker(door: Door) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    let access = door.access.get_untracked().unwrap_or_else(|| DoorAccess {
        token_id: 0,
        label: String::new(),
        supervisor: false,
        expires_at: Ts(0),
        performances: vec![],
    });
    let supervisor = access.supervisor;
    let label = access.label.clone();
    let choices = access
        .performances
        .into_iter()
        .map(|p| {
            let id = p.id;
            let title = p.title.clone();
            view! {
                <li>
                    <button
                        type="button"
                        class="perf-choice"
                        data-performance-id=id
                        on:click=move |_| door.choose(id)
                    >
                        <strong>{title}</strong>
                        <span>{move || perf_line(lang.get(), &p)}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="door-picker" aria-labelledby="picker-title">
            <p class="door-access">
                {t("Accès : ", "Access: ")}
                <strong>{label}</strong>
                {supervisor.then(|| view! { " " <span class="badge">{t("superviseur", "supervisor")}</span> })}
            </p>
            <h2 id="picker-title">{t("Choisissez la séance", "Choose the performance")}</h2>
            <ul class="perf-choices">{choices}</ul>
            <DeviceName door/>
        </section>
    }
    .into_any()
}

#[component]
fn DeviceName(door: Door) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="door-device">
            <label for="device-name">{move || lang.get().pick("Nom de cet appareil", "Name of this device")}</label>
            <input
                id="device-name"
                type="text"
                maxlength="60"
                prop:value=move || door.device.get()
                on:change=move |ev| {
                    let name = event_target_value(&ev).trim().to_string();
                    if !name.is_empty() {
                        storage::set(offline::DEVICE_KEY, &name);
                        door.device.set(name);
                    }
                }
            />
        </p>
    }
    .into_any()
}

/// Performance, counters, offline state and upload queue.
#[component]
fn StatusBar(door: Door) -> impl IntoView {
    let lang = use_lang();
    let perf_info = move || {
        let id = door.perf.get()?;
        door.access.with(|a| {
            a.as_ref()?
                .performances
                .iter()
                .find(|p| p.id == id)
                .cloned()
        })
    };
    let counters = move || {
        door.report.get().map(|r| {
            view! {
                <p id="checkin-counters" class="counters" data-admitted=r.admitted data-expected=r.expected>
                    {move || lang.get().pick("Entrés : ", "In: ")}
                    <strong>{r.admitted}</strong>
                    " / "
                    {r.expected}
                </p>
            }
        })
    };
    let pending = move || {
        let n = door.pending.get();
        (n > 0).then(|| {
            view! {
                <p id="sync-pending" class="sync-pending" data-count=n>
                    {move || match (lang.get(), n) {
                        (Lang::Fr, 1) => "1 entrée en attente de synchronisation".to_string(),
                        (Lang::Fr, n) => format!("{n} entrées en attente de synchronisation"),
                        (Lang::En, 1) => "1 admission waiting to sync".to_string(),
                        (Lang::En, n) => format!("{n} admissions waiting to sync"),
                    }}
                </p>
            }
        })
    };
    let offline_status = move || {
        let info = door
            .offline_data
            .with(|d| d.as_ref().map(|d| (d.tickets.len(), d.generated_at.0)));
        let ready = info.is_some();
        view! {
            <p id="offline-status" class="offline-status" data-ready=ready.to_string()>
                {move || match (info, lang.get()) {
                    (Some((n, at)), Lang::Fr) => format!("Liste hors ligne : {n} billets, mise à jour à {}", lang.get().time(at)),
                    (Some((n, at)), Lang::En) => format!("Offline list: {n} tickets, updated at {}", lang.get().time(at)),
                    (None, l) => l.pick("Liste hors ligne : en cours de téléchargement…", "Offline list: downloading…").to_string(),
                }}
            </p>
        }
    };
    view! {
        <div class="door-status">
            {move || door.network_down.get().then(|| view! {
                <p id="offline-banner" class="offline-banner" role="status">
                    <strong>{move || lang.get().pick("Hors ligne", "Offline")}</strong>
                    {move || lang.get().pick(
                        " – les billets sont vérifiés sur ce téléphone ; les entrées seront envoyées au retour du réseau.",
                        " – tickets are checked on this phone; admissions will be sent when the network is back.",
                    )}
                </p>
            })}
            <div class="door-perf">
                <p class="door-perf-name">
                    {move || perf_info().map(|p| {
                        let line = perf_line(lang.get(), &p);
                        view! { <strong>{p.title.clone()}</strong> <span>{line}</span> }
                    })}
                </p>
                <button type="button" class="link-button" on:click=move |_| door.change_performance()>
                    {move || lang.get().pick("Changer", "Change")}
                </button>
            </div>
            {counters}
            {pending}
            {offline_status}
        </div>
    }
    .into_any()
}

#[component]
fn Tabs(door: Door) -> impl IntoView {
    let lang = use_lang();
    let tab = move |which: Tab, id: &'static str, fr: &'static str, en: &'static str| {
        view! {
            <button
                type="button"
                id=id
                class="door-tab"
                aria-pressed=move || (door.tab.get() == which).to_string()
                on:click=move |_| door.tab.set(which)
            >
                {move || lang.get().pick(fr, en)}
            </button>
        }
    };
    view! {
        <nav class="door-tabs" aria-label=move || lang.get().pick("Mode", "Mode")>
            {tab(Tab::Scan, "tab-scan", "Scanner", "Scan")}
            {tab(Tab::Search, "tab-search", "Rechercher", "Search")}
        </nav>
    }
    .into_any()
}

#[component]
fn Notice(door: Door) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="door-notice" role="alert">
            {move || door.notice.get().map(|msg| view! { <p class="alert alert-error">{move || msg.get(lang.get())}</p> })}
        </div>
    }
    .into_any()
}

/// The camera and the code field (hardware scanners type the code, then Enter).
#[component]
fn ScannerView(door: Door, video: NodeRef<leptos::html::Video>) -> impl IntoView {
    let lang = use_lang();
    let typed = RwSignal::new(String::new());
    let camera_line = move || {
        let l = lang.get();
        match door.camera.get() {
            CameraState::On => None,
            CameraState::Starting => Some(l.pick("Ouverture de la caméra…", "Opening the camera…").to_string()),
            CameraState::Off => Some(l.pick("Caméra arrêtée.", "Camera stopped.").to_string()),
            CameraState::Failed(e) if e == "NotAllowedError" => Some(
                l.pick(
                    "Caméra refusée : autorisez-la dans les réglages du navigateur, ou saisissez les codes.",
                    "Camera refused: allow it in the browser settings, or type the codes.",
                )
                .to_string(),
            ),
            CameraState::Failed(_) => Some(
                l.pick(
                    "Caméra indisponible : saisissez les codes ou utilisez un lecteur.",
                    "Camera unavailable: type the codes or use a scanner.",
                )
                .to_string(),
            ),
        }
    };
    let retry = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = video.get_untracked() {
            start_camera(door, el);
        }
    };
    view! {
        <section class="scanner" hidden=move || door.tab.get() != Tab::Scan aria-label=move || lang.get().pick("Scanner", "Scanner")>
            <div class="scan-stage" class:paused=move || door.holding.get() || door.busy.get()>
                <video node_ref=video class="scan-video" autoplay muted playsinline aria-hidden="true"></video>
                <div class="scan-frame" aria-hidden="true"></div>
                {move || camera_line().map(|text| view! {
                    <div class="camera-state">
                        <p>{text}</p>
                        <button type="button" class="button" on:click=retry>
                            {move || lang.get().pick("Activer la caméra", "Turn the camera on")}
                        </button>
                    </div>
                })}
            </div>
            <form
                class="door-form scan-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let value = typed.get_untracked();
                    typed.set(String::new());
                    door.submit(value, Source::Typed);
                }
            >
                <label for="scan-input">{move || lang.get().pick("Code ou numéro de billet", "Code or ticket number")}</label>
                <div class="scan-input-row">
                    <input
                        id="scan-input"
                        type="text"
                        inputmode="text"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        enterkeyhint="go"
                        placeholder="TM-PLEIN-000042"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button button-primary">
                        {move || lang.get().pick("Valider", "Check")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn Settings(door: Door) -> impl IntoView {
    let lang = use_lang();
    let t = move |fr: &'static str, en: &'static str| move || lang.get().pick(fr, en);
    view! {
        <details class="door-settings">
            <summary>{t("Réglages de l'appareil", "Device settings")}</summary>
            <DeviceName door/>
            <p>
                <button type="button" class="button" on:click=move |_| door.unpair()>
                    {t("Oublier l'appairage", "Forget the pairing")}
                </button>
            </p>
        </details>
    }
    .into_any()
}

//! The scanner's screens: pairing, connecting, performance choice, status, tabs, scanner.
#[cfg(feature = "hydrate")]
use super::browser::{start, start_camera};
use super::offline::{self, storage};
use super::state::Door;
use super::{feedback, result, search, CameraState, Source, Tab};
use crate::door::DoorAccess;
use crate::dto::Ts;
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::ui::common::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;

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
        let paired = door.link.token.get().is_some();
        let access = door.link.access.get();
        let auth_error = door.link.access_error.with(|e| {
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
        door.link.access_error.get().map(|(_, msg)| {
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
            <super::staff_door::StaffDoor door/>
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
            {move || match door.link.access_error.get() {
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
        {move || match door.screen.perf.get() {
            None => view! { <PerformancePicker door/> }.into_any(),
            Some(_) => ().into_any(),
        }}
        <div class="door-main" hidden=move || door.screen.perf.get().is_none()>
            <StatusBar door/>
            <Tabs door/>
            <result::ResultPanel door/>
            <Notice door/>
            <ScannerView door video/>
            <div hidden=move || door.screen.tab.get() != Tab::Search>
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
    let access = door
        .link
        .access
        .get_untracked()
        .unwrap_or_else(|| DoorAccess {
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
                prop:value=move || door.link.device.get()
                on:change=move |ev| {
                    let name = event_target_value(&ev).trim().to_string();
                    if !name.is_empty() {
                        storage::set(offline::DEVICE_KEY, &name);
                        door.link.device.set(name);
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
        let id = door.screen.perf.get()?;
        door.link.access.with(|a| {
            a.as_ref()?
                .performances
                .iter()
                .find(|p| p.id == id)
                .cloned()
        })
    };
    let counters = move || {
        door.sync.report.get().map(|r| {
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
        let n = door.sync.pending.get();
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
            .sync
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
            {move || door.sync.network_down.get().then(|| view! {
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
                aria-pressed=move || (door.screen.tab.get() == which).to_string()
                on:click=move |_| door.screen.tab.set(which)
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
            {move || door.screen.notice.get().map(|msg| view! { <p class="alert alert-error">{move || msg.get(lang.get())}</p> })}
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
        match door.screen.camera.get() {
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
        <section class="scanner" hidden=move || door.screen.tab.get() != Tab::Scan aria-label=move || lang.get().pick("Scanner", "Scanner")>
            <div class="scan-stage" class:paused=move || door.screen.holding.get() || door.screen.busy.get()>
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

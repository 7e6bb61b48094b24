//! The scanner page's state and pairing: which access, which performance.
use super::offline::{self, storage};
use super::{CameraState, Shown, Tab};
use crate::api::door_access;
use crate::door::{CheckinReport, DoorAccess, OfflineData};
use crate::dto::Ts;
use crate::error::ErrorCode;
use crate::ui::common::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Which door access this phone has.
#[derive(Clone, Copy)]
pub struct Link {
    pub token: RwSignal<Option<String>>,
    pub device: RwSignal<String>,
    pub access: RwSignal<Option<DoorAccess>>,
    pub access_error: RwSignal<Option<(ErrorCode, Msg)>>,
}

/// What the scanner shows and is doing.
#[derive(Clone, Copy)]
pub struct Screen {
    pub perf: RwSignal<Option<i64>>,
    pub tab: RwSignal<Tab>,
    pub result: RwSignal<Option<Shown>>,
    /// The result just arrived: the scanner is paused.
    pub holding: RwSignal<bool>,
    pub(super) hold_seq: RwSignal<u64>,
    pub busy: RwSignal<bool>,
    /// Errors that are not scan results (expired token, server error…).
    pub notice: RwSignal<Option<Msg>>,
    pub camera: RwSignal<CameraState>,
    /// Incremented after each completed scan (the search list refreshes).
    pub scans: RwSignal<u64>,
}

/// The link with the server: network state, the offline list, queued admissions, counters.
#[derive(Clone, Copy)]
pub struct Sync {
    pub network_down: RwSignal<bool>,
    pub pending: RwSignal<usize>,
    pub(super) flushing: RwSignal<bool>,
    pub offline_data: RwSignal<Option<OfflineData>>,
    pub report: RwSignal<Option<CheckinReport>>,
}

/// The page state: three groups of signals, so it is `Copy` and moves into every closure.
#[derive(Clone, Copy)]
pub struct Door {
    pub link: Link,
    pub screen: Screen,
    pub sync: Sync,
}

impl Door {
    pub(super) fn new() -> Door {
        Door {
            link: Link {
                token: RwSignal::new(None),
                device: RwSignal::new(String::new()),
                access: RwSignal::new(None),
                access_error: RwSignal::new(None),
            },
            screen: Screen {
                perf: RwSignal::new(None),
                tab: RwSignal::new(Tab::Scan),
                result: RwSignal::new(None),
                holding: RwSignal::new(false),
                hold_seq: RwSignal::new(0),
                busy: RwSignal::new(false),
                notice: RwSignal::new(None),
                camera: RwSignal::new(CameraState::Off),
                scans: RwSignal::new(0),
            },
            sync: Sync {
                network_down: RwSignal::new(false),
                pending: RwSignal::new(0),
                flushing: RwSignal::new(false),
                offline_data: RwSignal::new(None),
                report: RwSignal::new(None),
            },
        }
    }
    pub(super) fn is_supervisor(self) -> bool {
        self.link
            .access
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
        self.link.access.set(None);
        self.screen.perf.set(None);
        self.screen.result.set(None);
        self.sync.report.set(None);
        self.link.token.set(Some(token));
        self.load_access();
    }
    /// Forgets the pairing (another access will be needed).
    pub fn unpair(self) {
        storage::remove(offline::TOKEN_KEY);
        storage::remove(offline::PERF_KEY);
        self.link.token.set(None);
        self.link.access.set(None);
        self.screen.perf.set(None);
        self.screen.result.set(None);
        self.sync.report.set(None);
    }
    pub fn load_access(self) {
        let Some(token) = self.link.token.get_untracked() else {
            return;
        };
        self.link.access_error.set(None);
        spawn_local(async move {
            match door_access(token).await {
                Ok(access) => {
                    let _ = self.sync.network_down.try_set(false);
                    let stored = storage::get(offline::PERF_KEY).and_then(|s| s.parse().ok());
                    let ids: Vec<i64> = access.performances.iter().map(|p| p.id).collect();
                    let pick = match stored {
                        Some(id) if ids.contains(&id) => Some(id),
                        _ if ids.len() == 1 => Some(ids[0]),
                        _ => None,
                    };
                    let _ = self.link.access.try_set(Some(access));
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
                    let _ = self.sync.network_down.try_set(true);
                    match data {
                        Some(data) => {
                            let _ = self.link.access.try_set(Some(DoorAccess {
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
                                .link
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
                    let _ = self.link.access_error.try_set(Some((err.error, msg)));
                }
            }
        });
    }
    /// Selects a performance: loads its offline list and counters.
    pub fn choose(self, performance_id: i64) {
        storage::set(offline::PERF_KEY, &performance_id.to_string());
        let _ = self
            .sync
            .offline_data
            .try_set(offline::load_json(&offline::offline_key(performance_id)));
        let _ = self.sync.report.try_set(None);
        let _ = self.screen.result.try_set(None);
        let _ = self.screen.perf.try_set(Some(performance_id));
        self.refresh_offline();
        self.refresh_checkin();
        self.flush();
    }
    pub fn change_performance(self) {
        storage::remove(offline::PERF_KEY);
        self.screen.perf.set(None);
        self.screen.result.set(None);
    }
}

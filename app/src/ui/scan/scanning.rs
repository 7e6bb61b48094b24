//! A scan: online first, decided locally from the offline list when the network is gone; the
//! result in front, and the supervisor's undo.
use super::state::Door;
#[cfg(feature = "hydrate")]
use super::{browser::fine_pointer, Tab};
use super::{feedback, offline, Shown, Source};
use super::{CAMERA_SAME_CODE_MS, HOLD_REFUSED_MS, HOLD_VALID_MS};
use crate::api::{door_scan, door_undo};
use crate::door::{ScanRequest, ScanResult, ScanStatus};
use crate::dto::Ts;
use crate::error::ErrorCode;
use crate::ui::common::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;

impl Door {
    /// Scans a code or a typed ticket number.
    pub fn submit(self, raw: String, source: Source) {
        let raw = raw.trim().to_string();
        if raw.is_empty() {
            return;
        }
        let (Some(token), Some(perf)) = (
            self.link.token.get_untracked(),
            self.screen.perf.get_untracked(),
        ) else {
            return;
        };
        let key = raw.to_ascii_uppercase();
        let now = crate::ui::common::now_ms();
        if let Some(shown) = self.screen.result.get_untracked() {
            let same = shown.key == key;
            if same
                && (self.screen.holding.get_untracked()
                    || (source == Source::Camera && now - shown.at_ms < CAMERA_SAME_CODE_MS))
            {
                return;
            }
        }
        if self.screen.busy.get_untracked() {
            return;
        }
        self.screen.busy.set(true);
        self.screen.notice.set(None);
        let is_number = offline::looks_like_ticket_number(&raw);
        let request = ScanRequest {
            code: (!is_number).then(|| raw.clone()),
            ticket_number: is_number.then(|| raw.clone()),
            performance_id: perf,
            nonce: new_nonce(),
            scanned_at: Some(Ts((now / 1000.0) as i64)),
            device: Some(self.link.device.get_untracked()),
            offline: false,
        };
        spawn_local(async move {
            let res = door_scan(token, request.clone()).await;
            self.saw(&res);
            let _ = self.screen.busy.try_set(false);
            match res {
                Ok(res) => {
                    let valid = res.status == ScanStatus::Valid;
                    self.show(res, key);
                    if valid {
                        self.refresh_checkin();
                    }
                }
                Err(err) if err.error == ErrorCode::Unavailable => {
                    match self.sync.offline_data.try_get_untracked().flatten() {
                        Some(data) if data.performance.id == perf => {
                            let res = offline::decide_locally(&data, &request);
                            let _ = self.sync.pending.try_set(offline::queue().len());
                            self.show(res, key);
                        }
                        _ => {
                            feedback::signal(false);
                            let _ = self.screen.notice.try_set(Some(Msg::new(
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
                    let _ = self.screen.notice.try_set(Some(msg));
                }
            }
            let _ = self.screen.scans.try_update(|n| *n += 1);
        });
    }
    /// Puts a result in front, signals it, and resumes the scanner after a pause.
    fn show(self, res: ScanResult, key: String) {
        let valid = res.status == ScanStatus::Valid;
        feedback::signal(valid);
        let _ = self.screen.result.try_set(Some(Shown {
            res,
            key,
            at_ms: crate::ui::common::now_ms(),
        }));
        let _ = self.screen.holding.try_set(true);
        let seq = self.screen.hold_seq.try_update(|n| {
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
                if self.screen.hold_seq.try_get_untracked() == seq {
                    let _ = self.screen.holding.try_set(false);
                }
            },
            std::time::Duration::from_millis(hold as u64),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (seq, hold);
        #[cfg(feature = "hydrate")]
        if self.screen.tab.try_get_untracked() == Some(Tab::Scan) && fine_pointer() {
            crate::ui::common::focus_selector("#scan-input");
        }
    }
    /// Supervisors: cancels the admission on screen.
    pub fn undo(self, admission_id: i64) {
        let Some(token) = self.link.token.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let res = door_undo(token, admission_id).await;
            self.saw(&res);
            match res {
                Ok(_) => {
                    let _ = self.screen.result.try_set(None);
                    let _ = self.screen.notice.try_set(Some(Msg::new(
                        "Entrée annulée : le billet peut être scanné de nouveau.",
                        "Admission cancelled: the ticket can be scanned again.",
                    )));
                    self.refresh_checkin();
                }
                Err(err) => {
                    let _ = self.screen.notice.try_set(Some(Msg::from_error(&err)));
                }
            }
            let _ = self.screen.scans.try_update(|n| *n += 1);
        });
    }
}

/// 32 hex characters from the browser's cryptographic generator: a retried upload with the
/// same nonce gets the first answer, so nonces must not collide or be guessable.
fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    #[cfg(feature = "hydrate")]
    let drawn = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    #[cfg(not(feature = "hydrate"))]
    let drawn = false;
    if !drawn {
        // No Web Crypto (very old browsers): still unique enough for one device's retries.
        for b in bytes.iter_mut() {
            *b = (random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A number in [0, 1) for what needs no secrecy (a default device name).
pub(super) fn random() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Math::random()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        (crate::ui::common::now_ms() % 1000.0) / 1000.0
    }
}

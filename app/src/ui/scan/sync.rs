//! Keeping up with the server: counters, the offline list, and the upload of offline
//! admissions.
use super::offline;
use super::state::Door;
use crate::api::{door_checkin, door_offline, door_scan};
use crate::error::{AppError, ErrorCode};
use leptos::prelude::*;
use leptos::task::spawn_local;

impl Door {
    /// Network failures flip the "offline" banner; any answer from the server clears it.
    pub(super) fn saw<T>(self, res: &Result<T, AppError>) {
        match res {
            Err(e) if e.error == ErrorCode::Unavailable => {
                let _ = self.sync.network_down.try_set(true);
            }
            _ => {
                let _ = self.sync.network_down.try_set(false);
            }
        }
    }
    pub fn refresh_checkin(self) {
        let (Some(token), Some(perf)) = (
            self.link.token.try_get_untracked().flatten(),
            self.screen.perf.try_get_untracked().flatten(),
        ) else {
            return;
        };
        spawn_local(async move {
            let res = door_checkin(token, perf).await;
            self.saw(&res);
            if let Ok(report) = res {
                if self.screen.perf.try_get_untracked().flatten() == Some(report.performance_id) {
                    let _ = self.sync.report.try_set(Some(report));
                }
            }
        });
    }
    /// Downloads the offline list of the current performance and keeps it on the phone.
    pub fn refresh_offline(self) {
        let (Some(token), Some(perf)) = (
            self.link.token.try_get_untracked().flatten(),
            self.screen.perf.try_get_untracked().flatten(),
        ) else {
            return;
        };
        spawn_local(async move {
            let res = door_offline(token, perf).await;
            self.saw(&res);
            if let Ok(data) = res {
                offline::save_json(&offline::offline_key(perf), &data);
                if self.screen.perf.try_get_untracked().flatten() == Some(perf) {
                    let _ = self.sync.offline_data.try_set(Some(data));
                }
            }
        });
    }
    /// Uploads the offline admissions, oldest first; stops at the first network failure.
    pub fn flush(self) {
        let Some(token) = self.link.token.try_get_untracked().flatten() else {
            return;
        };
        let _ = self.sync.pending.try_set(offline::queue().len());
        if offline::queue().is_empty() || self.sync.flushing.try_get_untracked() != Some(false) {
            return;
        }
        self.sync.flushing.set(true);
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
                let _ = self.sync.pending.try_set(offline::queue().len());
            }
            let _ = self.sync.pending.try_set(offline::queue().len());
            let _ = self.sync.flushing.try_set(false);
            if uploaded {
                self.refresh_checkin();
                self.refresh_offline();
            }
        });
    }
}

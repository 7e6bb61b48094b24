//! What the scanner keeps on the phone (localStorage): the pairing token, the device name, the
//! offline list of each performance, the tickets admitted here while offline, and the queue of
//! offline admissions waiting to be uploaded. Also the local admission rule, built on
//! `door::decide_offline`.
use crate::door::{
    decide_offline, FirstAdmission, OfflineData, ScanRequest, ScanResult, ScanStatus,
};
use crate::dto::Ts;
use crate::ticket_code::Keyring;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::HashSet;

pub const TOKEN_KEY: &str = "guichet.door.token";
pub const DEVICE_KEY: &str = "guichet.door.device";
pub const PERF_KEY: &str = "guichet.door.perf";
pub const QUEUE_KEY: &str = "guichet.door.queue";

pub fn offline_key(performance_id: i64) -> String {
    format!("guichet.door.offline.{performance_id}")
}

pub fn admitted_key(performance_id: i64) -> String {
    format!("guichet.door.admitted.{performance_id}")
}

/// `localStorage` (absent on the server, or when the browser refuses it: then nothing is kept).
pub mod storage {
    #[cfg(feature = "hydrate")]
    fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn get(key: &str) -> Option<String> {
        #[cfg(feature = "hydrate")]
        {
            local()?.get_item(key).ok().flatten()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = key;
            None
        }
    }

    pub fn set(key: &str, value: &str) {
        #[cfg(feature = "hydrate")]
        if let Some(s) = local() {
            let _ = s.set_item(key, value);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (key, value);
    }

    pub fn remove(key: &str) {
        #[cfg(feature = "hydrate")]
        if let Some(s) = local() {
            let _ = s.remove_item(key);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = key;
    }
}

pub fn load_json<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&storage::get(key)?).ok()
}

pub fn save_json<T: Serialize>(key: &str, value: &T) {
    if let Ok(s) = serde_json::to_string(value) {
        storage::set(key, &s);
    }
}

/// A ticket this device let in while offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalAdmission {
    pub uid: String,
    pub at: Ts,
    pub device: String,
}

pub fn local_admissions(performance_id: i64) -> Vec<LocalAdmission> {
    load_json(&admitted_key(performance_id)).unwrap_or_default()
}

fn remember_admission(performance_id: i64, admission: LocalAdmission) {
    let mut all = local_admissions(performance_id);
    all.push(admission);
    save_json(&admitted_key(performance_id), &all);
}

/// Offline admissions waiting for the server, oldest first.
pub fn queue() -> Vec<ScanRequest> {
    load_json(QUEUE_KEY).unwrap_or_default()
}

pub fn enqueue(request: ScanRequest) {
    let mut q = queue();
    if !q.iter().any(|r| r.nonce == request.nonce) {
        q.push(request);
    }
    save_json(QUEUE_KEY, &q);
}

/// Drops an uploaded admission (by nonce); returns what is left.
pub fn dequeue(nonce: &str) -> usize {
    let mut q = queue();
    q.retain(|r| r.nonce != nonce);
    if q.is_empty() {
        storage::remove(QUEUE_KEY);
    } else {
        save_json(QUEUE_KEY, &q);
    }
    q.len()
}

/// Decides a scan without the server: signature, performance, revocation list, ticket list, and
/// the admissions known here. A valid ticket is remembered and its admission queued (the request
/// with `offline: true`, keeping its nonce and the time it was scanned).
pub fn decide_locally(data: &OfflineData, request: &ScanRequest) -> ScanResult {
    let performance_id = data.performance.id;
    let local = local_admissions(performance_id);
    let admitted: HashSet<String> = local.iter().map(|a| a.uid.clone()).collect();
    let (status, entry, uid) = match (&request.code, &request.ticket_number) {
        (Some(code), _) => {
            let keyring = Keyring::from_published(&data.keys);
            let (status, entry) = decide_offline(&keyring, data, &admitted, code);
            let uid = keyring.verify(code).ok().map(|c| c.ticket_id.to_string());
            (status, entry, uid)
        }
        (None, Some(number)) => {
            let number = number.trim();
            let entry = data
                .tickets
                .iter()
                .find(|t| t.ticket.number.eq_ignore_ascii_case(number));
            let status = match entry {
                None => ScanStatus::Invalid,
                Some(t) if t.ticket.performance_id != performance_id => {
                    ScanStatus::WrongPerformance
                }
                Some(t) if t.status != "valid" || data.revoked.contains(&t.uid) => {
                    ScanStatus::Cancelled
                }
                Some(t) if admitted.contains(&t.uid) || data.admitted.contains(&t.uid) => {
                    ScanStatus::AlreadyUsed
                }
                Some(_) => ScanStatus::Valid,
            };
            (status, entry, entry.map(|t| t.uid.clone()))
        }
        (None, None) => (ScanStatus::Invalid, None, None),
    };
    let first_admission = match (status, &uid) {
        (ScanStatus::AlreadyUsed, Some(uid)) => {
            local
                .iter()
                .find(|a| &a.uid == uid)
                .map(|a| FirstAdmission {
                    at: a.at,
                    device: a.device.clone(),
                })
        }
        _ => None,
    };
    if status == ScanStatus::Valid {
        if let Some(uid) = uid {
            remember_admission(
                performance_id,
                LocalAdmission {
                    uid,
                    at: request.scanned_at.unwrap_or(Ts(0)),
                    device: request.device.clone().unwrap_or_default(),
                },
            );
            enqueue(ScanRequest {
                offline: true,
                ..request.clone()
            });
        }
    }
    ScanResult {
        ticket: entry.map(|t| t.ticket.clone()),
        first_admission,
        offline: true,
        ..ScanResult::bare(status)
    }
}

/// "TM-PLEIN-000042": letters, dash, letters or digits, dash, digits.
pub fn looks_like_ticket_number(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && !parts[0].is_empty()
        && parts[0].chars().all(|c| c.is_ascii_alphabetic())
        && !parts[1].is_empty()
        && parts[1].chars().all(|c| c.is_ascii_alphanumeric())
        && !parts[2].is_empty()
        && parts[2].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers() {
        assert!(looks_like_ticket_number("TM-PLEIN-000042"));
        assert!(looks_like_ticket_number("cm-reduit2-7"));
        assert!(!looks_like_ticket_number("TM-PLEIN-"));
        assert!(!looks_like_ticket_number("TM-PLEIN-00a"));
        assert!(!looks_like_ticket_number("AEAQAAAAGAAAAAAAAAAA"));
        assert!(!looks_like_ticket_number("T1-PLEIN-3"));
    }
}

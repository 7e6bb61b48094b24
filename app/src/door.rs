//! Door control shared by the server and the phone scanner page: the scan statuses and shapes,
//! and the offline admission rule the page applies when the network is gone.
use crate::dto::{PerformanceInfo, SeatLabel, Ts};
use crate::ticket_code::{Keyring, PublicKeyInfo};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanStatus {
    Valid,
    AlreadyUsed,
    Invalid,
    WrongPerformance,
    Cancelled,
    Unpaid,
    Revoked,
}

impl ScanStatus {
    /// What the door screen says, in French.
    pub fn message_fr(self) -> &'static str {
        match self {
            ScanStatus::Valid => "Entrée validée",
            ScanStatus::AlreadyUsed => "Billet déjà utilisé",
            ScanStatus::Invalid => "Billet invalide",
            ScanStatus::WrongPerformance => "Billet pour une autre séance",
            ScanStatus::Cancelled => "Billet annulé",
            ScanStatus::Unpaid => "Commande non payée",
            ScanStatus::Revoked => "Billet révoqué (remplacé)",
        }
    }
    pub fn message_en(self) -> &'static str {
        match self {
            ScanStatus::Valid => "Admitted",
            ScanStatus::AlreadyUsed => "Ticket already used",
            ScanStatus::Invalid => "Invalid ticket",
            ScanStatus::WrongPerformance => "Ticket for another performance",
            ScanStatus::Cancelled => "Ticket cancelled",
            ScanStatus::Unpaid => "Order not paid",
            ScanStatus::Revoked => "Ticket revoked (replaced)",
        }
    }
}

/// `POST /api/v1/scan`: a scanned `code`, or a `ticket_number` typed by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanRequest {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub ticket_number: Option<String>,
    pub performance_id: i64,
    /// Random per scan: a retried request with the same nonce gets the first answer.
    pub nonce: String,
    /// When the device saw the ticket (offline scans are uploaded later).
    #[serde(default)]
    pub scanned_at: Option<Ts>,
    #[serde(default)]
    pub device: Option<String>,
    /// True when the device already admitted the ticket offline and is syncing.
    #[serde(default)]
    pub offline: bool,
}

/// A ticket as the door needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoorTicket {
    pub id: i64,
    pub number: String,
    pub performance_id: i64,
    pub title: String,
    pub starts_at: Ts,
    pub seat: Option<SeatLabel>,
    /// "Balcon, rang C, place 12" or "Placement libre".
    pub seat_label: String,
    pub tariff: String,
    pub tariff_label: String,
    /// Reduced tariff: "vérifier le justificatif".
    pub check_proof: bool,
    pub holder_name: String,
    pub order_reference: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstAdmission {
    pub at: Ts,
    pub device: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanResult {
    pub status: ScanStatus,
    pub message: String,
    /// For `valid`: the admission, which a supervisor may undo.
    pub admission_id: Option<i64>,
    pub ticket: Option<DoorTicket>,
    /// For `already_used`: when and by which device the ticket was first admitted.
    pub first_admission: Option<FirstAdmission>,
    /// For `wrong_performance`: the performance the ticket is for.
    pub ticket_performance: Option<PerformanceInfo>,
    /// The page decided without the server.
    #[serde(default)]
    pub offline: bool,
}

impl ScanResult {
    pub fn bare(status: ScanStatus) -> ScanResult {
        ScanResult {
            status,
            message: status.message_fr().into(),
            admission_id: None,
            ticket: None,
            first_admission: None,
            ticket_performance: None,
            offline: false,
        }
    }
}

/// What a door token gives access to (`GET /api/v1/door/me`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoorAccess {
    pub token_id: i64,
    pub label: String,
    pub supervisor: bool,
    pub expires_at: Ts,
    pub performances: Vec<PerformanceInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneCount {
    pub zone: String,
    pub admitted: i64,
    pub expected: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanConflict {
    pub ticket_number: String,
    pub holder_name: String,
    pub device: String,
    pub scanned_at: Ts,
    pub first_device: String,
    pub first_scanned_at: Ts,
}

/// `GET /api/v1/performances/{id}/checkin`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckinReport {
    pub performance_id: i64,
    pub admitted: i64,
    pub expected: i64,
    pub zones: Vec<ZoneCount>,
    pub conflicts: Vec<ScanConflict>,
}

/// A ticket in the offline list. `uid` is the id carried by the code, as a string (it does not
/// fit a JavaScript number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfflineTicket {
    pub uid: String,
    pub ticket: DoorTicket,
    /// "valid" or "cancelled"
    pub status: String,
}

/// Everything a scanner needs to keep admitting while the network is down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfflineData {
    pub performance: PerformanceInfo,
    pub keys: Vec<PublicKeyInfo>,
    pub tickets: Vec<OfflineTicket>,
    /// Uids of cancelled tickets (revocation list).
    pub revoked: Vec<String>,
    /// Uids already admitted when the list was made.
    pub admitted: Vec<String>,
    pub generated_at: Ts,
}

/// An attendee found by name, order reference or ticket number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    pub ticket: DoorTicket,
    pub status: String,
    pub admitted: Option<FirstAdmission>,
}

/// The offline rule: the signature first, then the performance, the revocation list, the ticket
/// list, and the admissions this device knows of. Mirrors the server's order of checks.
pub fn decide_offline<'a>(
    keyring: &Keyring,
    data: &'a OfflineData,
    admitted: &HashSet<String>,
    code: &str,
) -> (ScanStatus, Option<&'a OfflineTicket>) {
    let Ok(claims) = keyring.verify(code) else {
        return (ScanStatus::Invalid, None);
    };
    let uid = claims.ticket_id.to_string();
    if claims.performance_id as i64 != data.performance.id {
        return (ScanStatus::WrongPerformance, None);
    }
    let entry = data.tickets.iter().find(|t| t.uid == uid);
    if data.revoked.contains(&uid) || entry.is_some_and(|t| t.status != "valid") {
        return (ScanStatus::Cancelled, entry);
    }
    if admitted.contains(&uid) || data.admitted.contains(&uid) {
        return (ScanStatus::AlreadyUsed, entry);
    }
    // A signed ticket missing from the list was sold after the download: valid all the same.
    (ScanStatus::Valid, entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::ShowKind;
    use crate::ticket_code::{assemble, signing_message, TicketClaims};
    use ed25519_dalek::{Signer, SigningKey};

    fn code(sk: &SigningKey, performance_id: u32, uid: u64) -> String {
        let payload = TicketClaims {
            key_id: 1,
            performance_id,
            ticket_id: uid,
        }
        .payload();
        assemble(&payload, &sk.sign(&signing_message(&payload)).to_bytes())
    }

    fn data(tickets: Vec<(u64, &str)>) -> OfflineData {
        let perf = PerformanceInfo {
            id: 7,
            show_id: 1,
            title: "Cyrano".into(),
            kind: ShowKind::Theatre,
            starts_at: Ts(0),
            duration_min: 120,
            age_rating: String::new(),
            venue: "Théâtre".into(),
            venue_id: 1,
            hall: "Grande salle".into(),
            hall_id: 1,
            seated: true,
        };
        OfflineData {
            tickets: tickets
                .into_iter()
                .map(|(uid, status)| OfflineTicket {
                    uid: uid.to_string(),
                    status: status.into(),
                    ticket: DoorTicket {
                        id: uid as i64,
                        number: format!("TM-PLEIN-{uid:06}"),
                        performance_id: 7,
                        title: "Cyrano".into(),
                        starts_at: Ts(0),
                        seat: None,
                        seat_label: "Placement libre".into(),
                        tariff: "plein".into(),
                        tariff_label: "Plein tarif".into(),
                        check_proof: false,
                        holder_name: "Roxane".into(),
                        order_reference: "ABCD2345".into(),
                    },
                })
                .collect(),
            performance: perf,
            keys: vec![],
            revoked: vec![],
            admitted: vec![],
            generated_at: Ts(0),
        }
    }

    #[test]
    fn offline_rules() {
        let sk = SigningKey::from_bytes(&[3; 32]);
        let mut ring = Keyring::new();
        ring.add(1, sk.verifying_key().to_bytes()).unwrap();
        let d = data(vec![(11, "valid"), (12, "cancelled")]);
        let mut admitted = HashSet::new();
        assert_eq!(
            decide_offline(&ring, &d, &admitted, &code(&sk, 7, 11)).0,
            ScanStatus::Valid
        );
        admitted.insert("11".to_string());
        assert_eq!(
            decide_offline(&ring, &d, &admitted, &code(&sk, 7, 11)).0,
            ScanStatus::AlreadyUsed
        );
        assert_eq!(
            decide_offline(&ring, &d, &admitted, &code(&sk, 7, 12)).0,
            ScanStatus::Cancelled
        );
        assert_eq!(
            decide_offline(&ring, &d, &admitted, &code(&sk, 8, 11)).0,
            ScanStatus::WrongPerformance
        );
        assert_eq!(
            decide_offline(&ring, &d, &admitted, "GARBAGE").0,
            ScanStatus::Invalid
        );
        // Sold after the download: admitted once, then known to this device.
        assert_eq!(
            decide_offline(&ring, &d, &admitted, &code(&sk, 7, 99)).0,
            ScanStatus::Valid
        );
        admitted.insert("99".to_string());
        assert_eq!(
            decide_offline(&ring, &d, &admitted, &code(&sk, 7, 99)).0,
            ScanStatus::AlreadyUsed
        );
        let other = SigningKey::from_bytes(&[4; 32]);
        assert_eq!(
            decide_offline(&ring, &d, &admitted, &code(&other, 7, 11)).0,
            ScanStatus::Invalid
        );
    }
}

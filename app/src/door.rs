//! Door control shared by the server and the phone scanner page: the scan statuses and shapes,
//! and the offline admission rule the page applies when the network is gone.
use crate::dto::{PerformanceInfo, SeatLabel, Ts};
use crate::ticket_code::PublicKeyInfo;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FirstAdmission {
    pub at: Ts,
    pub device: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DoorAccess {
    pub token_id: i64,
    pub label: String,
    pub supervisor: bool,
    pub expires_at: Ts,
    pub performances: Vec<PerformanceInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ZoneCount {
    pub zone: String,
    pub admitted: i64,
    pub expected: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OfflineTicket {
    pub uid: String,
    pub ticket: DoorTicket,
    /// "valid" or "cancelled"
    pub status: String,
}

/// Everything a scanner needs to keep admitting while the network is down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Attendee {
    pub ticket: DoorTicket,
    pub status: String,
    pub admitted: Option<FirstAdmission>,
}

pub use crate::domain::admission::decide_offline;

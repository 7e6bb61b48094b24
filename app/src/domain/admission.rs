//! Admission at the door: which scans let someone in. The server applies `check_ticket` after
//! verifying the code's signature; the phone scanner applies `decide_offline` when the network
//! is gone — the same order of checks.
use crate::door::{OfflineData, OfflineTicket, ScanStatus};
use crate::ticket_code::Keyring;
use std::collections::HashSet;

/// What the door knows about a ticket whose code verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketFacts {
    pub performance_id: i64,
    pub cancelled: bool,
    pub order_paid: bool,
}

/// A ticket admits to its own performance only, if it is not cancelled and its order is paid.
/// `Ok` means: admit once (the database decides between concurrent scans).
pub fn check_ticket(scan_performance_id: i64, t: TicketFacts) -> Result<(), ScanStatus> {
    if t.performance_id != scan_performance_id {
        return Err(ScanStatus::WrongPerformance);
    }
    if t.cancelled {
        return Err(ScanStatus::Cancelled);
    }
    if !t.order_paid {
        return Err(ScanStatus::Unpaid);
    }
    Ok(())
}

/// When a scan happened: the device's clock, unless it claims a time after the server's.
pub fn scan_time(device_time: Option<i64>, now: i64) -> i64 {
    device_time.map(|t| t.min(now)).unwrap_or(now)
}

/// A scan's nonce identifies retries of the same scan: 1 to 100 characters.
pub fn valid_nonce(nonce: &str) -> bool {
    let n = nonce.trim();
    !n.is_empty() && n.len() <= 100
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
    use crate::door::*;
    use crate::dto::{PerformanceInfo, ShowKind, Ts};
    use crate::ticket_code::{assemble, signing_message, TicketClaims};
    use ed25519_dalek::{Signer, SigningKey};

    #[test]
    fn online_order_of_checks() {
        let ok = TicketFacts {
            performance_id: 7,
            cancelled: false,
            order_paid: true,
        };
        assert_eq!(check_ticket(7, ok), Ok(()));
        assert_eq!(check_ticket(8, ok), Err(ScanStatus::WrongPerformance));
        // Another performance's cancelled ticket reads as "wrong performance" first.
        let cancelled = TicketFacts {
            cancelled: true,
            ..ok
        };
        assert_eq!(
            check_ticket(8, cancelled),
            Err(ScanStatus::WrongPerformance)
        );
        assert_eq!(check_ticket(7, cancelled), Err(ScanStatus::Cancelled));
        let unpaid = TicketFacts {
            order_paid: false,
            ..ok
        };
        assert_eq!(check_ticket(7, unpaid), Err(ScanStatus::Unpaid));
    }

    #[test]
    fn device_clocks_and_nonces() {
        assert_eq!(scan_time(Some(90), 100), 90);
        assert_eq!(scan_time(Some(500), 100), 100);
        assert_eq!(scan_time(None, 100), 100);
        assert!(valid_nonce("a1b2"));
        assert!(!valid_nonce("   "));
        assert!(!valid_nonce(&"x".repeat(101)));
    }

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

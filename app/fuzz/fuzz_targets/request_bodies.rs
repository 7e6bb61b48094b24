//! Every JSON request body the API takes (the first byte picks which): parsing never panics,
//! what parses goes through the rules that read it without panicking, and re-encodes to itself.
#![no_main]
use app::domain::selection::{check_quantity, check_selection};
use app::domain::{Email, HoldId, OrderId, TicketNumber};
use app::dto::{HoldRequest, OrderRequest, PaymentRequest, ProgrammeQuery};
use libfuzzer_sys::fuzz_target;

fn round_trips<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(v: &T) {
    let again: T = serde_json::from_slice(&serde_json::to_vec(v).unwrap()).unwrap();
    assert_eq!(&again, v);
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    match kind % 5 {
        0 => {
            if let Ok(r) = serde_json::from_slice::<HoldRequest>(body) {
                if let Some(seats) = &r.seat_ids {
                    let _ = check_selection(seats, 8);
                }
                if let Some(q) = r.quantity {
                    let _ = check_quantity(q, 8);
                }
                round_trips(&r);
            }
        }
        1 => {
            if let Ok(r) = serde_json::from_slice::<OrderRequest>(body) {
                let _ = HoldId::parse(&r.hold_id);
                let _ = Email::parse(&r.buyer.email);
                round_trips(&r);
            }
        }
        2 => {
            if let Ok(r) = serde_json::from_slice::<PaymentRequest>(body) {
                round_trips(&r);
            }
        }
        3 => {
            if let Ok(r) = serde_json::from_slice::<app::door::ScanRequest>(body) {
                if let Some(code) = &r.code {
                    let _ = app::ticket_code::parse_unverified(code);
                }
                if let Some(n) = &r.ticket_number {
                    let _ = TicketNumber::parse(n);
                }
            }
        }
        _ => {
            if let Ok(q) = serde_json::from_slice::<ProgrammeQuery>(body) {
                if let Some(d) = &q.date {
                    let _ = app::domain::paris::parse_day(d);
                }
            }
            let _ = OrderId::parse(&String::from_utf8_lossy(body));
        }
    }
});

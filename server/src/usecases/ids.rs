//! Fresh random identifiers: hold and order ids, order tokens, references, ticket uids.
use app::domain::{HoldId, OrderId, OrderToken};
use rand::Rng;

fn hex(bytes: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..bytes)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}

pub fn hold_id() -> HoldId {
    HoldId::from_trusted(hex(HoldId::LEN / 2))
}

pub fn order_id() -> OrderId {
    OrderId::from_trusted(hex(OrderId::LEN / 2))
}

pub fn order_token() -> OrderToken {
    OrderToken::from_trusted(hex(OrderToken::LEN / 2))
}

/// A payment attempt's idempotency key.
pub fn attempt_key() -> String {
    hex(16)
}

/// 8 characters without look-alikes (no 0/O, 1/I/L), read aloud at the box office.
pub fn reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A positive 63-bit id (fits BIGINT on both engines).
pub fn uid() -> i64 {
    rand::thread_rng().gen_range(1..i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_back() {
        assert!(HoldId::parse(hold_id().as_str()).is_some());
        assert!(OrderId::parse(order_id().as_str()).is_some());
        assert!(OrderToken::parse(order_token().as_str()).is_some());
        let r = reference();
        assert_eq!(r.len(), 8);
        assert!(!r.contains(['0', 'O', '1', 'I', 'L']));
        assert!(uid() > 0);
    }
}

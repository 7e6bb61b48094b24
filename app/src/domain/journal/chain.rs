//! Chaining, shared by the cash journal and the technical events journal. Each item carries a
//! gap-free `seq` from 1, the hash of the item before it (`prev_hash`, [`GENESIS`] for the
//! first) and its own `hash = hex(SHA-256(prev_hash ‖ canonical))`, where `prev_hash` enters as
//! its 64 lowercase hex characters and `canonical` is the item's canonical JSON without `hash`.
//! Changing, removing, moving or inserting an item breaks the link at that place.
use super::verify::Reason;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first item: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An item of a hash chain.
pub trait Chained {
    fn seq(&self) -> i64;
    fn prev_hash(&self) -> &str;
    fn hash(&self) -> &str;
    /// The item as canonical JSON (see `canonical`): every field, `hash` only when asked (the
    /// archives' lines carry it; the hashed form does not).
    fn write_json(&self, out: &mut Vec<u8>, with_hash: bool);
}

/// The bytes an item's hash covers (after its `prev_hash`).
pub fn canonical<T: Chained + ?Sized>(item: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    item.write_json(&mut out, false);
    out
}

/// `hex(SHA-256(prev_hash ‖ canonical))`.
pub fn chain_hash(prev_hash: &str, canonical: &[u8]) -> String {
    let hex = hash_hex(prev_hash.as_bytes(), canonical);
    // Hex digits are ASCII.
    String::from_utf8_lossy(&hex).into_owned()
}

/// The hash an item should carry, recomputed from its fields and its `prev_hash`.
pub fn recompute_hash<T: Chained + ?Sized>(item: &T) -> String {
    chain_hash(item.prev_hash(), &canonical(item))
}

fn hash_hex(prev_hash: &[u8], canonical: &[u8]) -> [u8; 64] {
    let mut h = Sha256::new();
    h.update(prev_hash);
    h.update(canonical);
    let mut hex = [0u8; 64];
    data_encoding::HEXLOWER.encode_mut(&h.finalize(), &mut hex);
    hex
}

/// Where a chain being read stands: the seq and `prev_hash` the next item must carry. Reuses
/// one buffer, so checking a chain of any length takes constant memory.
#[derive(Debug)]
pub(crate) struct Links {
    next_seq: i64,
    prev: Vec<u8>,
    buf: Vec<u8>,
}

impl Links {
    /// Before the first item, or after the item `(seq, hash)`.
    pub(crate) fn after(last: Option<(i64, &str)>) -> Links {
        let (seq, hash) = last.unwrap_or((0, GENESIS));
        Links {
            next_seq: seq.saturating_add(1),
            prev: hash.as_bytes().to_vec(),
            buf: Vec::with_capacity(1024),
        }
    }

    /// Checks the item's place in the chain (seq, then link, then its own hash) and moves on.
    pub(crate) fn check<T: Chained + ?Sized>(&mut self, item: &T) -> Result<(), Reason> {
        if item.seq() != self.next_seq {
            return Err(Reason::Sequence {
                expected: self.next_seq,
                found: item.seq(),
            });
        }
        if item.prev_hash().as_bytes() != self.prev.as_slice() {
            return Err(Reason::PrevHash);
        }
        self.buf.clear();
        item.write_json(&mut self.buf, false);
        if hash_hex(&self.prev, &self.buf).as_slice() != item.hash().as_bytes() {
            return Err(Reason::Hash);
        }
        self.next_seq = self.next_seq.saturating_add(1);
        self.prev.clear();
        self.prev.extend_from_slice(item.hash().as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_known_input() {
        // SHA-256 of 64 "0" then "{}", as `printf '%064d{}' 0 | sha256sum` gives it.
        assert_eq!(
            chain_hash(GENESIS, b"{}"),
            "5508d2b710e64bc470079e1b211d9c58e21011e59d0559e422345dc19d659a75"
        );
    }
}

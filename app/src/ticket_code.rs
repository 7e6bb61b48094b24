//! Signed ticket codes carried by the QR code (format documented in docs/ticket-code.md).
//!
//! Binary layout, 78 bytes, then RFC 4648 base32 without padding (125 characters, all in the QR
//! alphanumeric set, so the QR stays small):
//!
//! | offset | size | field                               |
//! |--------|------|-------------------------------------|
//! | 0      | 1    | version (1)                         |
//! | 1      | 1    | key id                              |
//! | 2      | 4    | performance id, big endian          |
//! | 6      | 8    | ticket id, big endian               |
//! | 14     | 64   | Ed25519 signature of CONTEXT ‖ 0..14 |
//!
//! Verification needs only the public keys, so the browser can check a code offline. Signing lives
//! on the server (`server::signing`).
use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

pub const VERSION: u8 = 1;
pub const PAYLOAD_LEN: usize = 14;
pub const CODE_BYTES: usize = PAYLOAD_LEN + 64;
/// Base32 length of a version-1 code.
pub const CODE_CHARS: usize = 125;
/// Domain separation: a signature made for anything else never verifies as a ticket.
const CONTEXT: &[u8] = b"guichet/ticket/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketClaims {
    pub key_id: u8,
    pub performance_id: u32,
    pub ticket_id: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("code vide")]
    Empty,
    #[error("code de longueur inattendue")]
    BadLength,
    #[error("code illisible")]
    NotBase32,
    #[error("version de code inconnue ({0})")]
    UnknownVersion(u8),
    #[error("clé de signature inconnue ({0})")]
    UnknownKey(u8),
    #[error("signature invalide")]
    BadSignature,
}

/// A public key as published by `GET /api/v1/keys` (base64 of the 32 raw bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicKeyInfo {
    pub key_id: u8,
    pub algorithm: String,
    pub public_key: String,
}

impl TicketClaims {
    pub fn payload(&self) -> [u8; PAYLOAD_LEN] {
        let mut p = [0u8; PAYLOAD_LEN];
        p[0] = VERSION;
        p[1] = self.key_id;
        p[2..6].copy_from_slice(&self.performance_id.to_be_bytes());
        p[6..14].copy_from_slice(&self.ticket_id.to_be_bytes());
        p
    }
}

/// The exact bytes that are signed.
pub fn signing_message(payload: &[u8; PAYLOAD_LEN]) -> Vec<u8> {
    let mut m = Vec::with_capacity(CONTEXT.len() + PAYLOAD_LEN);
    m.extend_from_slice(CONTEXT);
    m.extend_from_slice(payload);
    m
}

/// Joins a payload and its signature into the printed code.
pub fn assemble(payload: &[u8; PAYLOAD_LEN], signature: &[u8; 64]) -> String {
    let mut raw = [0u8; CODE_BYTES];
    raw[..PAYLOAD_LEN].copy_from_slice(payload);
    raw[PAYLOAD_LEN..].copy_from_slice(signature);
    BASE32_NOPAD.encode(&raw)
}

/// Reads a code without checking its signature (the checks on size and encoding still apply).
pub fn parse_unverified(
    code: &str,
) -> Result<(TicketClaims, [u8; PAYLOAD_LEN], Signature), CodeError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(CodeError::Empty);
    }
    // Length first: a 10 KB paste never reaches the decoder.
    if code.len() != CODE_CHARS {
        return Err(CodeError::BadLength);
    }
    let upper = code.to_ascii_uppercase();
    let raw = BASE32_NOPAD
        .decode(upper.as_bytes())
        .map_err(|_| CodeError::NotBase32)?;
    if raw.len() != CODE_BYTES {
        return Err(CodeError::BadLength);
    }
    if raw[0] != VERSION {
        return Err(CodeError::UnknownVersion(raw[0]));
    }
    let mut payload = [0u8; PAYLOAD_LEN];
    payload.copy_from_slice(&raw[..PAYLOAD_LEN]);
    let mut sig = [0u8; 64];
    sig.copy_from_slice(&raw[PAYLOAD_LEN..]);
    let claims = TicketClaims {
        key_id: raw[1],
        performance_id: u32::from_be_bytes(raw[2..6].try_into().map_err(|_| CodeError::BadLength)?),
        ticket_id: u64::from_be_bytes(raw[6..14].try_into().map_err(|_| CodeError::BadLength)?),
    };
    Ok((claims, payload, Signature::from_bytes(&sig)))
}

/// Keys trusted by a verifier: several may be valid at once during a key rotation.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    keys: Vec<(u8, VerifyingKey)>,
}

impl Keyring {
    pub fn new() -> Keyring {
        Keyring::default()
    }

    pub fn add(&mut self, key_id: u8, public_key: [u8; 32]) -> Result<(), CodeError> {
        let key =
            VerifyingKey::from_bytes(&public_key).map_err(|_| CodeError::UnknownKey(key_id))?;
        self.keys.retain(|(id, _)| *id != key_id);
        self.keys.push((key_id, key));
        Ok(())
    }

    /// Builds a keyring from published keys; malformed entries are skipped.
    pub fn from_published(keys: &[PublicKeyInfo]) -> Keyring {
        let mut ring = Keyring::new();
        for k in keys {
            if let Ok(bytes) = data_encoding::BASE64.decode(k.public_key.as_bytes()) {
                if let Ok(arr) = <[u8; 32]>::try_from(bytes.as_slice()) {
                    let _ = ring.add(k.key_id, arr);
                }
            }
        }
        ring
    }

    pub fn verify(&self, code: &str) -> Result<TicketClaims, CodeError> {
        let (claims, payload, sig) = parse_unverified(code)?;
        let key = self
            .keys
            .iter()
            .find(|(id, _)| *id == claims.key_id)
            .map(|(_, k)| k)
            .ok_or(CodeError::UnknownKey(claims.key_id))?;
        key.verify_strict(&signing_message(&payload), &sig)
            .map_err(|_| CodeError::BadSignature)?;
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn sign(sk: &SigningKey, claims: TicketClaims) -> String {
        let payload = claims.payload();
        let sig = sk.sign(&signing_message(&payload));
        assemble(&payload, &sig.to_bytes())
    }

    fn ring(sk: &SigningKey, id: u8) -> Keyring {
        let mut r = Keyring::new();
        r.add(id, sk.verifying_key().to_bytes()).unwrap();
        r
    }

    const CLAIMS: TicketClaims = TicketClaims {
        key_id: 1,
        performance_id: 42,
        ticket_id: 123_456,
    };

    #[test]
    fn round_trip() {
        let sk = key(7);
        let code = sign(&sk, CLAIMS);
        assert_eq!(code.len(), CODE_CHARS);
        assert!(code
            .chars()
            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)));
        assert_eq!(ring(&sk, 1).verify(&code), Ok(CLAIMS));
        // Scanners sometimes lower-case what they read.
        assert_eq!(ring(&sk, 1).verify(&code.to_lowercase()), Ok(CLAIMS));
    }

    #[test]
    fn tampering_is_detected() {
        let sk = key(7);
        let code = sign(&sk, CLAIMS);
        let r = ring(&sk, 1);
        // Flip one character anywhere: the signature no longer matches (or the layout breaks).
        for i in [0, 3, 10, 20, 60, 124] {
            let mut chars: Vec<char> = code.chars().collect();
            chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
            let tampered: String = chars.into_iter().collect();
            assert!(r.verify(&tampered).is_err(), "position {i}");
        }
        assert_eq!(r.verify(&code[..100]), Err(CodeError::BadLength));
        assert_eq!(r.verify(""), Err(CodeError::Empty));
        assert_eq!(r.verify(&"A".repeat(10_000)), Err(CodeError::BadLength));
        assert_eq!(r.verify(&"!".repeat(CODE_CHARS)), Err(CodeError::NotBase32));
    }

    #[test]
    fn another_key_is_rejected() {
        let forged = sign(&key(9), CLAIMS);
        assert_eq!(
            ring(&key(7), 1).verify(&forged),
            Err(CodeError::BadSignature)
        );
        let unknown = sign(
            &key(7),
            TicketClaims {
                key_id: 2,
                ..CLAIMS
            },
        );
        assert_eq!(
            ring(&key(7), 1).verify(&unknown),
            Err(CodeError::UnknownKey(2))
        );
    }

    #[test]
    fn rotation_keeps_old_keys_valid() {
        let (old, new) = (key(1), key(2));
        let mut r = ring(&old, 1);
        r.add(2, new.verifying_key().to_bytes()).unwrap();
        assert!(r.verify(&sign(&old, CLAIMS)).is_ok());
        assert!(r
            .verify(&sign(
                &new,
                TicketClaims {
                    key_id: 2,
                    ..CLAIMS
                }
            ))
            .is_ok());
    }
}

//! Secrets the server hands out (session cookies, API tokens, door tokens): random, shown
//! once, stored only as their SHA-256 — they carry enough entropy that a fast hash is safe.
use sha2::{Digest, Sha256};

/// `bytes` random bytes, URL-safe base64 without padding.
pub fn new_secret(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::Rng::fill(&mut rand::thread_rng(), buf.as_mut_slice());
    data_encoding::BASE64URL_NOPAD.encode(&buf)
}

pub fn hash_secret(secret: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(secret.trim().as_bytes()))
}

/// A password for a new account or a reset, read aloud or typed once: 16 characters of an
/// alphabet without look-alikes (about 90 bits).
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| ALPHABET[rand::Rng::gen_range(&mut rng, 0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_differ_and_hash_stably() {
        let a = new_secret(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, new_secret(32));
        assert_eq!(hash_secret(&a), hash_secret(&format!(" {a}\n")));
        assert_eq!(hash_secret(&a).len(), 64);
        let p = new_password();
        assert_eq!(p.chars().count(), 16);
        assert!(app::domain::Password::parse(&p).is_ok());
    }
}

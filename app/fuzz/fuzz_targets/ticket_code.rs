//! Whatever a camera or a hardware scanner hands over: decoding never panics, a decoded code
//! re-assembles to itself, and nothing unsigned verifies.
#![no_main]
use app::ticket_code::{assemble, parse_unverified, Keyring};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((_, payload, sig)) = parse_unverified(&text) {
        assert_eq!(
            assemble(&payload, &sig.to_bytes()),
            text.trim().to_ascii_uppercase()
        );
    }
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let mut ring = Keyring::new();
    ring.add(1, key.verifying_key().to_bytes()).unwrap();
    // A fuzzer does not forge Ed25519 signatures.
    assert!(ring.verify(&text).is_err());
});

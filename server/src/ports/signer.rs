use app::ticket_code::{PublicKeyInfo, TicketClaims};

/// Signs and verifies ticket codes (Ed25519, see docs/ticket-code.md).
pub trait TicketSigner: Send + Sync + 'static {
    /// The code carried by the QR, and the id of the key that signed it.
    fn sign(&self, claims: TicketClaims) -> (u8, String);
    /// The claims of a code whose signature verifies with a known key.
    fn verify(&self, code: &str) -> Option<TicketClaims>;
    fn public_keys(&self) -> Vec<PublicKeyInfo>;
    /// Signs `message` with the newest key (the cash journal's archives): (key id, signature).
    fn sign_bytes(&self, message: &[u8]) -> (u8, Vec<u8>);
    /// Whether `signature` of `message` verifies with key `key_id`.
    fn verify_bytes(&self, key_id: u8, message: &[u8], signature: &[u8]) -> bool;
}

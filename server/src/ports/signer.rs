use app::ticket_code::{PublicKeyInfo, TicketClaims};

/// Signs and verifies ticket codes (Ed25519, see docs/ticket-code.md).
pub trait TicketSigner: Send + Sync + 'static {
    /// The code carried by the QR, and the id of the key that signed it.
    fn sign(&self, claims: TicketClaims) -> (u8, String);
    /// The claims of a code whose signature verifies with a known key.
    fn verify(&self, code: &str) -> Option<TicketClaims>;
    fn public_keys(&self) -> Vec<PublicKeyInfo>;
}

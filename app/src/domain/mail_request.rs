//! Mails a buyer can ask for — their tickets again, the links of their orders — and how often.
//! Each kind is bounded apart: anyone can type an address for a look-up, so look-ups are few
//! and over a day, and they never use up the resends the buyer asks with the order's own link.
use super::email::Email;

/// Tickets sent again to one address within `RESEND_WINDOW` seconds.
pub const RESENDS: i64 = 3;
pub const RESEND_WINDOW: i64 = 3600;
/// "Retrouver ma commande" mails to one address within `LOOKUP_WINDOW` seconds.
pub const LOOKUPS: i64 = 2;
pub const LOOKUP_WINDOW: i64 = 24 * 3600;

/// Whether one more mail may go to an address that received `sent` within the window of a
/// bound of `max`.
pub fn may_send(sent: i64, max: i64) -> bool {
    sent < max
}

/// What "retrouver ma commande" is given: the buyer's address or an order reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupKey {
    Email(Email),
    /// Upper case, without spaces or dashes.
    Reference(String),
}

/// The references' alphabet: no look-alikes (0/O, 1/I/L), as `ids::reference` draws them.
const REFERENCE_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const REFERENCE_LEN: usize = 8;

impl LookupKey {
    /// An address, or 8 characters of a reference as read aloud or copied ("k7f3 9q2x",
    /// "K7F3-9Q2X"); `None` for anything else.
    pub fn parse(raw: &str) -> Option<LookupKey> {
        let raw = raw.trim();
        if raw.contains('@') {
            return Email::parse(raw).ok().map(LookupKey::Email);
        }
        let reference: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
            .collect::<String>()
            .to_uppercase();
        (reference.chars().count() == REFERENCE_LEN
            && reference.chars().all(|c| REFERENCE_ALPHABET.contains(c)))
        .then_some(LookupKey::Reference(reference))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_or_a_reference_as_people_type_them() {
        assert_eq!(
            LookupKey::parse("  Ana@Exemple.FR "),
            Some(LookupKey::Email(Email::parse("Ana@exemple.fr").unwrap()))
        );
        for typed in ["K7F39Q2X", "k7f3 9q2x", "K7F3-9Q2X"] {
            assert_eq!(
                LookupKey::parse(typed),
                Some(LookupKey::Reference("K7F39Q2X".into())),
                "{typed}"
            );
        }
        for bad in [
            "",
            "ana@",
            "K7F39Q2",
            "K7F39Q2XY",
            "K0F39Q2X",
            "Dupont",
            "a b@c.fr",
        ] {
            assert_eq!(LookupKey::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_few_asked_mails_per_window() {
        assert!(may_send(0, RESENDS));
        assert!(may_send(RESENDS - 1, RESENDS));
        assert!(!may_send(RESENDS, RESENDS));
        assert!(!may_send(LOOKUPS, LOOKUPS));
        assert!(
            LOOKUP_WINDOW > RESEND_WINDOW,
            "look-ups are anyone's to ask: fewer"
        );
    }
}

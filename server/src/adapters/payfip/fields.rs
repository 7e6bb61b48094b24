//! PayFiP's field rules (its guide, as eopayment applies them), checked before the call: a field
//! PayFiP refuses comes back as a fault (R3 for `refdet`, A2 for `mel`) the buyer can do nothing
//! about, so nothing is sent that would earn one.
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("numcli must be 6 digits")]
    Numcli,
    #[error("the order reference cannot be a PayFiP refdet (6 to 30 letters or digits)")]
    Refdet,
    #[error("the e-mail address is not accepted by PayFiP (6 to 80 characters, one @)")]
    Mel,
    #[error("PayFiP takes amounts from 1 € to 100,000 €")]
    Montant,
}

/// The régie's customer number, given by the treasury with the adhesion: 6 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numcli(String);

impl Numcli {
    pub fn parse(raw: &str) -> Result<Numcli, FieldError> {
        let raw = raw.trim();
        if raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Numcli(raw.to_string()))
        } else {
            Err(FieldError::Numcli)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Test, activation (the treasury watches the first real payments) or production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saisie {
    Test,
    Activation,
    Production,
}

impl Saisie {
    pub fn parse(raw: &str) -> Option<Saisie> {
        match raw.trim() {
            "T" | "t" => Some(Saisie::Test),
            "X" | "x" => Some(Saisie::Activation),
            "W" | "w" => Some(Saisie::Production),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Saisie::Test => "T",
            Saisie::Activation => "X",
            Saisie::Production => "W",
        }
    }
}

/// The debt's reference: the order reference, which is already 8 unambiguous letters and digits.
pub fn refdet(reference: &str) -> Result<String, FieldError> {
    let ok =
        (6..=30).contains(&reference.len()) && reference.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(reference.to_string())
    } else {
        Err(FieldError::Refdet)
    }
}

/// What is paid for, as PayFiP accepts it: ASCII letters, digits and spaces, at most 100.
/// Accents are taken off (é → e, œ → oe), anything else becomes a space.
pub fn objet(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    for c in text.nfkd() {
        match c {
            'œ' => plain.push_str("oe"),
            'Œ' => plain.push_str("OE"),
            'æ' => plain.push_str("ae"),
            'Æ' => plain.push_str("AE"),
            'ß' => plain.push_str("ss"),
            c if c.is_ascii_alphanumeric() => plain.push(c),
            // Combining accents left by the decomposition.
            '\u{300}'..='\u{36f}' => {}
            _ => plain.push(' '),
        }
    }
    let folded = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    folded
        .chars()
        .take(100)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// The buyer's address as PayFiP checks it: 6 to 80 characters, one `@`, no spaces.
pub fn mel(email: &str) -> Result<String, FieldError> {
    let email = email.trim();
    let ok = (6..=80).contains(&email.len())
        && email.is_ascii()
        && email.matches('@').count() == 1
        && !email.starts_with('@')
        && !email.ends_with('@')
        && !email.contains(char::is_whitespace);
    if ok {
        Ok(email.to_string())
    } else {
        Err(FieldError::Mel)
    }
}

/// The amount in cents, as PayFiP reads it.
pub fn montant(cents: i64) -> Result<String, FieldError> {
    if (100..=10_000_000).contains(&cents) {
        Ok(cents.to_string())
    } else {
        Err(FieldError::Montant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numcli_is_six_digits() {
        assert_eq!(Numcli::parse(" 123456 ").unwrap().as_str(), "123456");
        for bad in ["12345", "1234567", "12345a", ""] {
            assert_eq!(Numcli::parse(bad), Err(FieldError::Numcli), "{bad}");
        }
    }

    #[test]
    fn saisie_codes_round_trip() {
        for s in [Saisie::Test, Saisie::Activation, Saisie::Production] {
            assert_eq!(Saisie::parse(s.code()), Some(s));
        }
        assert_eq!(Saisie::parse("M"), None);
    }

    #[test]
    fn refdet_is_six_to_thirty_letters_or_digits() {
        assert_eq!(refdet("K7F39Q2X").unwrap(), "K7F39Q2X");
        assert_eq!(refdet("ABCD"), Err(FieldError::Refdet), "R3: too short");
        assert_eq!(refdet("K7F3-9Q2X"), Err(FieldError::Refdet));
        assert_eq!(refdet(&"A".repeat(31)), Err(FieldError::Refdet));
        assert!(refdet(&"A".repeat(30)).is_ok());
    }

    #[test]
    fn objet_is_plain_ascii_of_at_most_100() {
        assert_eq!(
            objet("Concert du Nouvel An — 31/12 à 20 h, « Bœuf » ; Ça c'est l'été !"),
            "Concert du Nouvel An 31 12 a 20 h Boeuf Ca c est l ete"
        );
        let long = objet(&"Théâtre ".repeat(30));
        assert!(long.len() <= 100, "{}", long.len());
        assert!(long.starts_with("Theatre Theatre"));
        assert!(!long.ends_with(' '));
        assert!(long.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' '));
    }

    #[test]
    fn mel_follows_payfip() {
        assert_eq!(mel(" ana@example.fr ").unwrap(), "ana@example.fr");
        for bad in [
            "a@b.c",
            "no-at.example.fr",
            "a@@example.fr",
            "é@example.fr",
            "a b@example.fr",
        ] {
            assert_eq!(mel(bad), Err(FieldError::Mel), "A2: {bad}");
        }
        let long = format!("{}@example.fr", "a".repeat(70));
        assert_eq!(mel(&long), Err(FieldError::Mel));
    }

    #[test]
    fn montant_in_cents_between_one_and_a_hundred_thousand_euros() {
        assert_eq!(montant(1850).unwrap(), "1850");
        assert_eq!(montant(99), Err(FieldError::Montant));
        assert_eq!(montant(10_000_001), Err(FieldError::Montant));
    }
}

//! A venue's tariff catalogue: codes (printed in ticket numbers, `TM-ENFANT-000012`) and the
//! CNC family each belongs to (art. D212-71: gratuit, scolaire, illimité, autre).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TariffFamily {
    Gratuit,
    Scolaire,
    Illimite,
    Autre,
}

impl TariffFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            TariffFamily::Gratuit => "gratuit",
            TariffFamily::Scolaire => "scolaire",
            TariffFamily::Illimite => "illimite",
            TariffFamily::Autre => "autre",
        }
    }
    pub fn parse(raw: &str) -> Option<TariffFamily> {
        match raw.trim() {
            "gratuit" => Some(TariffFamily::Gratuit),
            "scolaire" => Some(TariffFamily::Scolaire),
            "illimite" | "illimité" => Some(TariffFamily::Illimite),
            "autre" => Some(TariffFamily::Autre),
            _ => None,
        }
    }
}

/// The usual French tariffs every new venue starts with (the codes exist from the first
/// migration on; admins edit labels, proof and who qualifies per venue).
pub const USUAL_CODES: [&str; 5] = ["plein", "reduit", "moins26", "enfant", "invitation"];

/// A tariff code: 2 to 20 lowercase letters, digits or `_`, starting with a letter (it is
/// part of every ticket number, so it stays short and plain).
pub fn parse_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_lowercase();
    let ok = (2..=20).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    ok.then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_and_plain() {
        assert_eq!(parse_code(" Etudiant "), Some("etudiant".into()));
        assert_eq!(parse_code("moins_26"), Some("moins_26".into()));
        for bad in [
            "",
            "a",
            "26ans",
            "tarif-réduit",
            "é",
            "abcdefghijklmnopqrstu",
        ] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn families_are_the_cnc_ones() {
        assert_eq!(
            TariffFamily::parse("illimité"),
            Some(TariffFamily::Illimite)
        );
        assert_eq!(
            TariffFamily::parse("scolaire").unwrap().as_str(),
            "scolaire"
        );
        assert_eq!(TariffFamily::parse("reduit"), None);
    }
}

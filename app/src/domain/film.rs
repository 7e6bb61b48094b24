//! What cinema reports need to know about a film (CNC box-office returns): the visa
//! d'exploitation number, the distributor, the language version, 3D.
use serde::{Deserialize, Serialize};

/// The language a film is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum FilmVersion {
    /// Version française (dubbed or French-language).
    #[serde(rename = "VF")]
    Vf,
    /// Version originale sous-titrée.
    #[serde(rename = "VOST")]
    Vost,
    /// Version originale, no subtitles.
    #[serde(rename = "VO")]
    Vo,
}

impl FilmVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            FilmVersion::Vf => "VF",
            FilmVersion::Vost => "VOST",
            FilmVersion::Vo => "VO",
        }
    }
    /// `VF`, `VOST` (or `VOSTFR`), `VO`, in any case.
    pub fn parse(raw: &str) -> Option<FilmVersion> {
        match raw.trim().to_uppercase().as_str() {
            "VF" => Some(FilmVersion::Vf),
            "VOST" | "VOSTFR" => Some(FilmVersion::Vost),
            "VO" => Some(FilmVersion::Vo),
            _ => None,
        }
    }
}

/// A visa d'exploitation number: digits only (the CNC numbers them from 1; recent ones have
/// six digits), spaces a typist puts in are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Visa(String);

impl Visa {
    pub fn parse(raw: &str) -> Option<Visa> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let digits = digits.trim_start_matches('0');
        (!digits.is_empty() && digits.len() <= 8 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Visa(digits.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A film's report fields; empty ones are unknown yet (they can be given later).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Film {
    pub visa: Option<Visa>,
    pub distributor: String,
    pub version: Option<FilmVersion>,
    pub three_d: bool,
}

impl Film {
    /// "VOST · 3D · visa n° 123456", what a programme and a ticket print.
    pub fn caption(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(v) = self.version {
            parts.push(v.as_str().into());
        }
        if self.three_d {
            parts.push("3D".into());
        }
        if let Some(v) = &self.visa {
            parts.push(format!("visa n° {}", v.as_str()));
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_visas_are_read_as_typed() {
        assert_eq!(FilmVersion::parse(" vostfr "), Some(FilmVersion::Vost));
        assert_eq!(FilmVersion::parse("VF"), Some(FilmVersion::Vf));
        assert_eq!(FilmVersion::parse("VFST"), None);
        assert_eq!(Visa::parse("153 214").unwrap().as_str(), "153214");
        assert_eq!(Visa::parse("007").unwrap().as_str(), "7");
        for bad in ["", "000", "12a", "123456789", "-5"] {
            assert_eq!(Visa::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_caption_says_what_is_known() {
        let film = Film {
            visa: Visa::parse("153214"),
            distributor: "Pathé".into(),
            version: Some(FilmVersion::Vost),
            three_d: true,
        };
        assert_eq!(film.caption(), "VOST · 3D · visa n° 153214");
        assert_eq!(Film::default().caption(), "");
    }
}

//! French first, English available. The language comes from the `lang` cookie (then, for API
//! clients, `Accept-Language`). Messages by key are in `message`; their French and English
//! texts in the catalogues (`catalog`, server side).
#[cfg(feature = "ssr")]
pub mod catalog;
mod message;

pub use message::{Arg, Message};

use crate::domain::{paris, Cents};
use crate::dto::{OrderStatus, SeatLabel, ShowKind, Tariff};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Lang {
        if s.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }
    /// Reads `lang=…` from a Cookie header value.
    pub fn from_cookie_header(header: &str) -> Lang {
        Lang::in_cookie(header).unwrap_or_default()
    }

    fn in_cookie(header: &str) -> Option<Lang> {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == "lang")
            .map(|(_, v)| Lang::parse(v))
    }

    /// The reader's language from request headers: the `lang` cookie the interface sets, else
    /// the first language of `Accept-Language` that Guichet speaks, else French.
    pub fn from_headers(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = cookie.and_then(Lang::in_cookie) {
            return lang;
        }
        accept_language
            .unwrap_or_default()
            .split(',')
            .map(|tag| {
                tag.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .find_map(|tag| match tag.split('-').next() {
                Some("fr") => Some(Lang::Fr),
                Some("en") => Some(Lang::En),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Picks the French or English text.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

impl Lang {
    /// The other language (for the switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// The `Set-Cookie`-style value the browser stores (`document.cookie = …`).
    pub fn cookie(self) -> String {
        format!(
            "lang={}; path=/; max-age=31536000; SameSite=Lax",
            self.code()
        )
    }

    /// A price: "18,50 €" / "€18.50" ("gratuit" / "free" for zero).
    pub fn price(self, cents: i64) -> String {
        match self {
            Lang::Fr => Cents(cents).fr(),
            Lang::En => Cents(cents).en(),
        }
    }

    /// An amount, even when zero ("0 €" / "€0.00"): totals.
    pub fn amount(self, cents: i64) -> String {
        match self {
            Lang::Fr => Cents(cents).amount_fr(),
            Lang::En if cents == 0 => "€0.00".into(),
            Lang::En => Cents(cents).en(),
        }
    }

    /// "samedi 5 décembre 2026" / "Saturday 5 December 2026"
    pub fn date(self, ts: i64) -> String {
        match self {
            Lang::Fr => paris::date_fr(ts),
            Lang::En => paris::date_en(ts),
        }
    }

    /// "20h30" / "20:30"
    pub fn time(self, ts: i64) -> String {
        match self {
            Lang::Fr => paris::time_fr(ts),
            Lang::En => paris::time_en(ts),
        }
    }

    /// "samedi 5 décembre 2026 à 20h30" / "Saturday 5 December 2026, 20:30"
    pub fn datetime(self, ts: i64) -> String {
        match self {
            Lang::Fr => paris::datetime_fr(ts),
            Lang::En => format!("{}, {}", paris::date_en(ts), paris::time_en(ts)),
        }
    }

    /// "1 h 45" / "1 h 45 min", "45 min".
    pub fn duration(self, minutes: i64) -> String {
        let (h, m) = (minutes / 60, minutes % 60);
        match (h, m, self) {
            (0, m, _) => format!("{m}\u{a0}min"),
            (h, 0, _) => format!("{h}\u{a0}h"),
            (h, m, Lang::Fr) => format!("{h}\u{a0}h\u{a0}{m:02}"),
            (h, m, Lang::En) => format!("{h}\u{a0}h\u{a0}{m:02}\u{a0}min"),
        }
    }

    /// "Complet", "1 place restante", "12 places restantes".
    pub fn places_left(self, n: i64) -> String {
        match (self, n) {
            (Lang::Fr, n) if n <= 0 => "Complet".into(),
            (Lang::Fr, 1) => "1 place restante".into(),
            (Lang::Fr, n) => format!("{n} places restantes"),
            (Lang::En, n) if n <= 0 => "Sold out".into(),
            (Lang::En, 1) => "1 place left".into(),
            (Lang::En, n) => format!("{n} places left"),
        }
    }

    /// "Cinéma" / "Théâtre" / "Concert" / "Autre spectacle".
    pub fn kind(self, kind: ShowKind) -> &'static str {
        match kind {
            ShowKind::Cinema => self.pick("Cinéma", "Cinema"),
            ShowKind::Theatre => self.pick("Théâtre", "Theatre"),
            ShowKind::Concert => self.pick("Concert", "Concert"),
            ShowKind::Other => self.pick("Autre spectacle", "Other show"),
        }
    }

    /// A seat's printed location.
    pub fn seat_label(self, seat: &SeatLabel) -> String {
        match self {
            Lang::Fr => seat.fr(),
            Lang::En => seat.en(),
        }
    }

    /// A tariff's label in this language.
    pub fn tariff_label(self, tariff: &Tariff) -> String {
        match self {
            Lang::En if !tariff.label_en.trim().is_empty() => tariff.label_en.clone(),
            _ => tariff.label.clone(),
        }
    }

    pub fn order_status(self, status: OrderStatus) -> &'static str {
        match status {
            OrderStatus::AwaitingPayment => self.pick("En attente de paiement", "Awaiting payment"),
            OrderStatus::Paid => self.pick("Payée", "Paid"),
            OrderStatus::Expired => self.pick("Expirée", "Expired"),
            OrderStatus::Cancelled => self.pick("Annulée", "Cancelled"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_parsing() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::Fr);
        assert_eq!(Lang::from_cookie_header(""), Lang::Fr);
        assert_eq!(Lang::En.pick("Bonjour", "Hello"), "Hello");
    }

    #[test]
    fn request_language() {
        assert_eq!(Lang::from_headers(Some("lang=en"), Some("fr-FR")), Lang::En);
        assert_eq!(
            Lang::from_headers(Some("a=b"), Some("de-DE, en-GB;q=0.8")),
            Lang::En
        );
        assert_eq!(Lang::from_headers(None, Some("fr-CA,en;q=0.5")), Lang::Fr);
        assert_eq!(Lang::from_headers(None, Some("de")), Lang::Fr);
        assert_eq!(Lang::from_headers(None, None), Lang::Fr);
    }

    #[test]
    fn formatting() {
        assert_eq!(Lang::Fr.duration(105), "1\u{a0}h\u{a0}45");
        assert_eq!(Lang::En.duration(45), "45\u{a0}min");
        assert_eq!(Lang::Fr.places_left(0), "Complet");
        assert_eq!(Lang::Fr.places_left(3), "3 places restantes");
        assert_eq!(Lang::En.price(1850), "€18.50");
        assert_eq!(Lang::Fr.amount(0), "0\u{a0}€");
        assert_eq!(
            Lang::En.cookie(),
            "lang=en; path=/; max-age=31536000; SameSite=Lax"
        );
    }
}

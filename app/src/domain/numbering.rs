//! Ticket numbers: an unbroken series per venue and tariff (CGI ann. IV 50 sexies B, CNC
//! D212-85), printed as venue code, tariff code and position: "TM-PLEIN-000042". Printed on
//! tickets, typed at the door, searched by staff: formatted and parsed here only.
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TicketNumber {
    /// Upper case ("TM").
    pub venue_code: String,
    /// Lower case, as stored ("plein", "moins26").
    pub tariff_code: String,
    pub number: i64,
}

impl TicketNumber {
    pub fn new(venue_code: &str, tariff_code: &str, number: i64) -> TicketNumber {
        TicketNumber {
            venue_code: venue_code.to_uppercase(),
            tariff_code: tariff_code.to_lowercase(),
            number,
        }
    }

    /// Reads "TM-PLEIN-000042" (case and surrounding spaces do not matter). The venue code
    /// may contain dashes; tariff codes never do.
    pub fn parse(raw: &str) -> Option<TicketNumber> {
        let mut parts = raw.trim().rsplitn(3, '-');
        let digits = parts.next()?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number = digits.parse().ok()?;
        let tariff = parts.next().filter(|t| !t.is_empty())?;
        let venue = parts.next().filter(|v| !v.is_empty())?;
        Some(TicketNumber::new(venue, tariff, number))
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{:06}",
            self.venue_code,
            self.tariff_code.to_uppercase(),
            self.number
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_form() {
        assert_eq!(
            TicketNumber::new("TM", "plein", 42).to_string(),
            "TM-PLEIN-000042"
        );
        assert_eq!(
            TicketNumber::new("cr", "moins26", 1_234_567).to_string(),
            "CR-MOINS26-1234567"
        );
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(
            TicketNumber::parse("TM-PLEIN-000042"),
            Some(TicketNumber::new("TM", "plein", 42))
        );
        assert_eq!(
            TicketNumber::parse(" cr-moins26-7 "),
            Some(TicketNumber::new("CR", "moins26", 7))
        );
        assert_eq!(TicketNumber::parse("42"), None);
        assert_eq!(TicketNumber::parse("TM-PLEIN-abc"), None);
        assert_eq!(TicketNumber::parse("TM-PLEIN-+42"), None);
        assert_eq!(TicketNumber::parse("-PLEIN-42"), None);
        assert_eq!(TicketNumber::parse("TM--42"), None);
    }

    #[test]
    fn format_then_parse_round_trips() {
        let venues = ["TM", "CR", "SALLE-B", "X1"];
        let tariffs = ["plein", "reduit", "moins26", "enfant", "invitation_2"];
        for (i, venue) in venues.iter().enumerate() {
            for (j, tariff) in tariffs.iter().enumerate() {
                for number in [1, 9, 10, 999_999, 1_000_000, (i * 31 + j * 7) as i64 + 1] {
                    let n = TicketNumber::new(venue, tariff, number);
                    assert_eq!(TicketNumber::parse(&n.to_string()), Some(n.clone()), "{n}");
                    assert_eq!(TicketNumber::parse(&n.to_string().to_lowercase()), Some(n));
                }
            }
        }
    }
}

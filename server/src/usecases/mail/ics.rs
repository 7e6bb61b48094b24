//! A calendar invitation (RFC 5545) for a performance, attached to the confirmation and
//! offered on the order page: one event, times in UTC, lines folded at 75 octets and ended by
//! CRLF, text escaped.
use crate::ports::{OrderRow, PerformanceRules};

/// Where a performance takes place, as mails and invitations say it.
pub fn place_of(perf: &PerformanceRules) -> String {
    [
        perf.hall.as_str(),
        perf.venue.as_str(),
        perf.venue_address.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(", ")
}

/// The invitation to an order's performance (the same event however often it is sent).
pub fn for_order(order: &OrderRow, perf: &PerformanceRules, order_url: &str, now: i64) -> String {
    let lang = app::i18n::Lang::parse(&order.lang);
    let uid = format!("{}-{}@guichet", order.reference, perf.id);
    let description = format!("{} {}", lang.pick("Commande", "Order"), order.reference);
    invitation(&Event {
        uid: &uid,
        starts_at: perf.starts_at,
        ends_at: perf.starts_at + perf.duration_min.max(60) * 60,
        summary: &perf.title,
        location: &place_of(perf),
        description: &description,
        url: order_url,
        stamp: now,
    })
}

pub struct Event<'a> {
    /// Stable across sends, so that a calendar updates the event instead of adding one.
    pub uid: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub stamp: i64,
}

fn utc(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (never inside a UTF-8 character).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

pub fn invitation(e: &Event) -> String {
    let mut out = String::new();
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Guichet//Billetterie municipale//FR".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", escape(e.uid)),
        format!("DTSTAMP:{}", utc(e.stamp)),
        format!("DTSTART:{}", utc(e.starts_at)),
        format!("DTEND:{}", utc(e.ends_at)),
        format!("SUMMARY:{}", escape(e.summary)),
        format!("LOCATION:{}", escape(e.location)),
        format!("DESCRIPTION:{}", escape(e.description)),
        format!("URL:{}", e.url),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ];
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(summary: &'a str, description: &'a str) -> Event<'a> {
        Event {
            uid: "K7F39Q2X-12@guichet",
            starts_at: 1_798_743_600, // 2026-12-31 20:00 Paris
            ends_at: 1_798_743_600 + 7_200,
            summary,
            location: "Théâtre municipal, 1 place de la Mairie, 42600 Montbrison",
            description,
            url: "https://billetterie.ville.fr/commandes/ab/cd",
            stamp: 1_798_000_000,
        }
    }

    #[test]
    fn one_event_in_utc_with_crlf_lines() {
        let ics = invitation(&event("Concert du Nouvel An", "2 billets"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261231T190000Z\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTEND:20261231T210000Z\r\n"));
        assert!(
            ics.contains("LOCATION:Théâtre municipal\\, 1 place de la Mairie\\, 42600 Montbrison")
        );
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_cutting_a_character() {
        let long = "é".repeat(100);
        let ics = invitation(&event(&long, "a;b\nc"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{long}\r\n")));
        assert!(unfolded.contains("DESCRIPTION:a\\;b\\nc\r\n"));
    }
}

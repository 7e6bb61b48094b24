//! Exports for a spreadsheet in French: `;` between fields, decimal commas, a byte-order mark
//! so that Excel reads UTF-8. The orders of a period are long: they are read a page at a time
//! (a cursor after the last row), so a screen can show how far an export has got; the same
//! rows make the CSV the API streams.
use crate::dto::Ts;
use serde::{Deserialize, Serialize};

/// Rows per page at most.
pub const PAGE_MAX: i64 = 1000;
/// What a spreadsheet needs to read the file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// A paid order (cancelled or refunded since, too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub id: String,
    pub reference: String,
    pub paid_at: Ts,
    /// `online` or `box_office`.
    pub channel: String,
    pub status: String,
    pub buyer_name: String,
    pub buyer_email: String,
    pub show: String,
    pub starts_at: Ts,
    /// Tickets still valid.
    pub tickets: i64,
    pub total_cents: i64,
    /// Given back at the counter.
    pub refunded_cents: i64,
}

/// A page of orders: `next` is the cursor of the page after it, `None` at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrdersPage {
    /// Orders in the whole period.
    pub total: i64,
    pub rows: Vec<OrderLine>,
    #[serde(default)]
    pub next: Option<String>,
}

/// Where a page of orders starts: after this payment time and order id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub paid_at: i64,
    pub id: String,
}

impl Cursor {
    pub fn after(line: &OrderLine) -> Cursor {
        Cursor {
            paid_at: line.paid_at.0,
            id: line.id.clone(),
        }
    }

    /// `1796511600-Xk3…`: seconds, a dash, the order id (ids have no dash).
    pub fn parse(raw: &str) -> Option<Cursor> {
        let (at, id) = raw.split_once('-')?;
        let ok = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric());
        ok.then_some(Cursor {
            paid_at: at.parse().ok()?,
            id: id.to_string(),
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.paid_at, self.id)
    }
}

/// A ticket of a performance, as the attendee list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttendeeLine {
    pub number: String,
    /// `valid`, `cancelled`.
    pub status: String,
    pub admitted: bool,
    /// "Parterre, rang A, place 3"; empty for general admission.
    pub seat: String,
    pub tariff: String,
    pub holder_name: String,
    pub order_reference: String,
}

/// A text field: quoted when it holds a separator, a quote or a line break.
pub fn field(v: &str) -> String {
    if v.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// Cents as euros with a decimal comma: `-12,50`.
pub fn euros(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", c.abs() / 100, c.abs() % 100)
}

pub const ORDERS_HEADER: &str = "Référence;Payée le;Canal;État;Acheteur;E-mail;Spectacle;Séance;Billets valides;Total (€);Remboursé (€)\n";

pub fn order_row(o: &OrderLine) -> String {
    let channel = match o.channel.as_str() {
        "box_office" => "guichet",
        "online" => "en ligne",
        other => other,
    };
    format!(
        "{};{};{};{};{};{};{};{};{};{};{}\n",
        field(&o.reference),
        field(&crate::domain::paris::datetime_fr(o.paid_at.0)),
        channel,
        field(&o.status),
        field(&o.buyer_name),
        field(&o.buyer_email),
        field(&o.show),
        field(&crate::domain::paris::datetime_fr(o.starts_at.0)),
        o.tickets,
        euros(o.total_cents),
        euros(o.refunded_cents)
    )
}

pub const ATTENDEES_HEADER: &str = "Billet;État;Entré;Place;Tarif;Titulaire;Commande\n";

pub fn attendee_row(a: &AttendeeLine) -> String {
    format!(
        "{};{};{};{};{};{};{}\n",
        field(&a.number),
        if a.status == "valid" {
            "valide"
        } else {
            "annulé"
        },
        if a.admitted { "oui" } else { "non" },
        field(&a.seat),
        field(&a.tariff),
        field(&a.holder_name),
        field(&a.order_reference)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> OrderLine {
        OrderLine {
            id: "abc123".into(),
            reference: "K7M2QX".into(),
            paid_at: Ts(1_796_511_600),
            channel: "box_office".into(),
            status: "paid".into(),
            buyer_name: "Dupont; \"Jeanne\"".into(),
            buyer_email: String::new(),
            show: "Le Cid".into(),
            starts_at: Ts(1_796_580_000),
            tickets: 2,
            total_cents: 4050,
            refunded_cents: -0,
        }
    }

    #[test]
    fn a_row_quotes_what_would_break_it_and_writes_euros_with_commas() {
        let row = order_row(&line());
        assert!(row.starts_with("K7M2QX;"), "{row}");
        assert!(
            row.contains(";guichet;paid;\"Dupont; \"\"Jeanne\"\"\";;Le Cid;"),
            "{row}"
        );
        assert!(row.ends_with(";2;40,50;0,00\n"), "{row}");
        assert_eq!(
            row.matches(';').count(),
            ORDERS_HEADER.matches(';').count() + 1
        );
    }

    #[test]
    fn a_cursor_reads_back_and_refuses_anything_else() {
        let c = Cursor::after(&line());
        assert_eq!(Cursor::parse(&c.to_string()), Some(c));
        for bad in ["", "12", "x-abc", "12-", "12-a'b", "12-a-b"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn attendees_say_who_came_in() {
        let a = AttendeeLine {
            number: "TM-PLEIN-000042".into(),
            status: "valid".into(),
            admitted: true,
            seat: "Parterre, rang A, place 3".into(),
            tariff: "Plein tarif".into(),
            holder_name: "Zoé".into(),
            order_reference: "K7M2QX".into(),
        };
        assert_eq!(
            attendee_row(&a),
            "TM-PLEIN-000042;valide;oui;Parterre, rang A, place 3;Plein tarif;Zoé;K7M2QX\n"
        );
    }
}

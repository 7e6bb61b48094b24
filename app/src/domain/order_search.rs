//! What an agent types in the order search box: a printed ticket number, a scanned ticket code,
//! an e-mail address, or a reference or a name.
use crate::domain::TicketNumber;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderQuery {
    /// "TM-PLEIN-000017"
    TicketNumber(TicketNumber),
    /// A ticket's signed code, as the QR code carries it (a hand scanner types it).
    Code(String),
    /// Lower case.
    Email(String),
    /// An order reference (upper case) or a part of the buyer's name (lower case).
    Text { reference: String, name: String },
    /// Exactly this order reference (upper case): "retrouver ma commande".
    Reference(String),
}

/// Ticket codes are long; nothing a person types by hand is.
const CODE_MIN_LEN: usize = 40;
const MAX_LEN: usize = 200;

impl OrderQuery {
    pub fn parse(raw: &str) -> Option<OrderQuery> {
        let q = raw.trim();
        if q.chars().count() < 2 || q.chars().count() > MAX_LEN || q.chars().any(char::is_control) {
            return None;
        }
        if let Some(n) = TicketNumber::parse(q) {
            return Some(OrderQuery::TicketNumber(n));
        }
        if q.contains('@') {
            return Some(OrderQuery::Email(q.to_lowercase()));
        }
        if q.len() >= CODE_MIN_LEN && !q.contains(char::is_whitespace) {
            return Some(OrderQuery::Code(q.to_string()));
        }
        Some(OrderQuery::Text {
            reference: q.to_uppercase(),
            name: q.to_lowercase(),
        })
    }

    /// The name part as a LIKE pattern (`%`, `_` and `\` escaped with `\`).
    pub fn like(name: &str) -> String {
        let mut p = String::with_capacity(name.len() + 2);
        p.push('%');
        for c in name.chars() {
            if matches!(c, '%' | '_' | '\\') {
                p.push('\\');
            }
            p.push(c);
        }
        p.push('%');
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_query_is_recognised() {
        assert_eq!(
            OrderQuery::parse(" TM-PLEIN-000017 "),
            Some(OrderQuery::TicketNumber(TicketNumber::new(
                "TM", "plein", 17
            )))
        );
        assert_eq!(
            OrderQuery::parse("Jeanne.Moreau@Example.fr"),
            Some(OrderQuery::Email("jeanne.moreau@example.fr".into()))
        );
        let code = "G1.".to_string() + &"A".repeat(60);
        assert_eq!(
            OrderQuery::parse(&code),
            Some(OrderQuery::Code(code.clone()))
        );
        assert_eq!(
            OrderQuery::parse("k7mq2x9p"),
            Some(OrderQuery::Text {
                reference: "K7MQ2X9P".into(),
                name: "k7mq2x9p".into()
            })
        );
        assert_eq!(
            OrderQuery::parse("Hélène Dupont"),
            Some(OrderQuery::Text {
                reference: "HÉLÈNE DUPONT".into(),
                name: "hélène dupont".into()
            })
        );
    }

    #[test]
    fn too_short_too_long_or_control_characters_are_refused() {
        assert_eq!(OrderQuery::parse(" a "), None);
        assert_eq!(OrderQuery::parse(&"x".repeat(201)), None);
        assert_eq!(OrderQuery::parse("ab\ncd"), None);
    }

    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(OrderQuery::like("a%b_c\\"), "%a\\%b\\_c\\\\%");
    }
}

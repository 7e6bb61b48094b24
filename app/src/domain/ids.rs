//! Identifiers that cross layers, parsed once at the edge: a malformed id is "not found"
//! before any storage is asked.
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

int_id!(
    /// A performance (séance).
    PerformanceId
);
int_id!(
    /// A seat of a hall's plan.
    SeatId
);
int_id!(
    /// A ticket's row id (not the random uid carried by its code).
    TicketId
);

macro_rules! hex_id {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Length in hexadecimal digits.
            pub const LEN: usize = $len;

            /// Lower-case hexadecimal of exactly `LEN` digits.
            pub fn parse(raw: &str) -> Option<$name> {
                let s = raw.trim();
                (s.len() == Self::LEN && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
                    .then(|| $name(s.to_string()))
            }

            /// For ids the server made itself (and storage returns).
            pub fn from_trusted(s: String) -> $name {
                $name(s)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

hex_id!(
    /// A hold: 16 random bytes.
    HoldId,
    32
);
hex_id!(
    /// An order: 16 random bytes.
    OrderId,
    32
);
hex_id!(
    /// The secret of an order's link: 24 random bytes.
    OrderToken,
    48
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids_are_parsed() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(HoldId::parse(id).unwrap().as_str(), id);
        assert_eq!(OrderId::parse(&format!(" {id} ")).unwrap().as_str(), id);
        assert!(HoldId::parse(&id.to_uppercase()).is_none());
        assert!(HoldId::parse(&id[1..]).is_none());
        assert!(HoldId::parse("zz23456789abcdef0123456789abcdef").is_none());
        assert!(OrderToken::parse(id).is_none());
        assert!(OrderToken::parse(&format!("{id}{}", &id[..16])).is_some());
    }

    #[test]
    fn ids_travel_as_plain_values() {
        assert_eq!(serde_json::to_string(&PerformanceId(7)).unwrap(), "7");
        let h = HoldId::parse("0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(
            serde_json::to_string(&h).unwrap(),
            "\"0123456789abcdef0123456789abcdef\""
        );
    }
}

//! A user-facing message by key, with its arguments: rendered in the reader's language by the
//! catalogue (`locales/*.ftl`) at the edge, never built as a sentence in the rules.

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(i64),
    Text(String),
    /// A UTC instant, written as a date and time in the reader's language.
    DateTime(i64),
    /// Euro cents, written as an amount in the reader's language ("15,00 €", "€15.00").
    Money(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    pub fn int(mut self, name: &'static str, value: i64) -> Message {
        self.args.push((name, Arg::Int(value)));
        self
    }

    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Message {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    pub fn money(mut self, name: &'static str, cents: i64) -> Message {
        self.args.push((name, Arg::Money(cents)));
        self
    }

    pub fn datetime(mut self, name: &'static str, ts: i64) -> Message {
        self.args.push((name, Arg::DateTime(ts)));
        self
    }
}

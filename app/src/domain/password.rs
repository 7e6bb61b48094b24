//! A staff password as typed: long enough to resist guessing, short enough that hashing it
//! costs what hashing any password costs.
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// At least this many characters (ANSSI and NIST accept long passphrases over composition
/// rules).
pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    #[error("password shorter than {MIN_CHARS} characters")]
    TooShort,
    #[error("password longer than {MAX_CHARS} characters")]
    TooLong,
    #[error("password made of a single repeated character")]
    Repeated,
}

impl Password {
    /// Taken as typed (no trimming: spaces are characters of a passphrase).
    pub fn parse(raw: &str) -> Result<Password, WeakPassword> {
        let n = raw.chars().count();
        if n < MIN_CHARS {
            return Err(WeakPassword::TooShort);
        }
        if n > MAX_CHARS {
            return Err(WeakPassword::TooLong);
        }
        let mut chars = raw.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return Err(WeakPassword::Repeated);
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Never printed, not even in debug logs.
impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        assert_eq!(Password::parse("court"), Err(WeakPassword::TooShort));
        assert_eq!(Password::parse("aaaaaaaaaaaa"), Err(WeakPassword::Repeated));
        assert_eq!(
            Password::parse(&"ab".repeat(65)),
            Err(WeakPassword::TooLong)
        );
        let p = Password::parse("  la séance de 20 h 30 ").unwrap();
        assert_eq!(p.expose(), "  la séance de 20 h 30 ");
        assert_eq!(format!("{p:?}"), "Password(***)");
        // Characters, not bytes: ten accented letters are ten.
        assert!(Password::parse("éàèùâêîôûç").is_ok());
    }
}

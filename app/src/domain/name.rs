//! A name as people type it (a staff member, a token, a venue, a hall, a show's title):
//! trimmed, not empty, no control characters, at most so many characters.

/// Names of people, tokens, venues and halls.
pub const MAX_NAME_CHARS: usize = 100;

/// The trimmed name, or `None` when it is empty, too long or holds control characters.
pub fn parse_name(raw: &str, max_chars: usize) -> Option<String> {
    let name = raw.trim();
    let bad =
        name.is_empty() || name.chars().count() > max_chars || name.chars().any(char::is_control);
    (!bad).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            parse_name("  Salle Jean-Vilar ", 100).as_deref(),
            Some("Salle Jean-Vilar")
        );
        assert_eq!(parse_name("   ", 100), None);
        assert_eq!(parse_name("a\u{7}b", 100), None);
        assert_eq!(parse_name(&"é".repeat(101), 100), None);
        assert!(
            parse_name(&"é".repeat(100), 100).is_some(),
            "characters, not bytes"
        );
    }
}

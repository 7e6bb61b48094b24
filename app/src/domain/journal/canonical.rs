//! The JSON the hashes are computed over: objects with their keys in byte order, no whitespace,
//! integers only, strings escaped as RFC 8259 requires and no more (`"`, `\`, control characters;
//! everything else written as UTF-8). That is what Python's
//! `json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` and serde_json write,
//! so an auditor can recompute it with either. Written by hand rather than through serde: the
//! key order is then part of the code, not of a struct's field order, and verifying a million
//! entries stays fast.

/// Appends `"s"`, escaped.
pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends an integer in decimal.
pub(crate) fn push_int(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

/// An object being written; the caller gives the keys in byte order (the golden and
/// serde-comparison tests of each journal hold it to that).
pub(crate) struct Obj<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Obj<'a> {
    pub(crate) fn open(out: &'a mut Vec<u8>) -> Obj<'a> {
        out.push(b'{');
        Obj { out, first: true }
    }

    /// Writes `"k":` and hands back the buffer for the value.
    pub(crate) fn key(&mut self, k: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        push_str(self.out, k);
        self.out.push(b':');
        self.out
    }

    pub(crate) fn int(&mut self, k: &str, v: i64) {
        push_int(self.key(k), v);
    }

    pub(crate) fn str(&mut self, k: &str, v: &str) {
        push_str(self.key(k), v);
    }

    pub(crate) fn close(self) {
        self.out.push(b'}');
    }
}

/// Writes `[item,item,…]`.
pub(crate) fn push_array<T>(
    out: &mut Vec<u8>,
    items: &[T],
    mut write: impl FnMut(&mut Vec<u8>, &T),
) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        let mut out = Vec::new();
        push_str(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_escape_like_serde_json() {
        let samples = [
            "",
            "Plein tarif",
            "Zoé Lefèvre-Dubœuf",
            "a\"b\\c",
            "tab\there\nnew\r\u{8}\u{c}",
            "\u{0}\u{1}\u{1f}\u{7f}",
            "« Noël » — 5,5 % · 🎭",
            "\u{2028}\u{2029}",
            "/slash/",
        ];
        for v in samples {
            assert_eq!(s(v), serde_json::to_string(v).unwrap(), "{v:?}");
        }
        assert_eq!(s("\u{1}"), "\"\\u0001\"");
        assert_eq!(s("\u{1f}"), "\"\\u001f\"");
    }

    #[test]
    fn integers() {
        for v in [0, 1, -1, 9, 10, -10, 1850, -123_456_789, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            push_int(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), v.to_string());
        }
    }

    #[test]
    fn objects_and_arrays() {
        let mut out = Vec::new();
        let mut o = Obj::open(&mut out);
        o.int("a", -5);
        push_array(o.key("b"), &[1i64, 2, 3], |out, v| push_int(out, *v));
        o.str("c", "x");
        o.close();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":-5,"b":[1,2,3],"c":"x"}"#
        );
    }
}

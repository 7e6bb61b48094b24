//! Archives of a period, for download and safekeeping, and what their detached signature signs.
//!
//! # Format 1
//!
//! JSON Lines, UTF-8, every line ending with `\n`, keys in byte order:
//!
//! 1. a header: `{"after":HEAD|null,"created_at":int,"format":1,"guichet_archive":"cash"|"tech",
//!    "period":"2026-03"|null,"software":str}` — `after` is where the archived part of the
//!    journal starts from (the entry before its first one: `{"at","hash",
//!    "perpetual_absolute_cents","perpetual_total_cents","seq"}`; `null` when it starts at 1);
//! 2. the items in seq order, one per line: each item's canonical form (see `entry`, `tech`) with
//!    its `"hash"` added in its place. The closures of the cash journal are entries: they come
//!    at their place in the sequence (a period's own closure, written after it ended, is
//!    included when the archive is made after it);
//! 3. a trailer: `{"archive_end":true,"items":int,"last_hash":str|null,"last_seq":int|null}`,
//!    so a cut archive is told from a whole one.
//!
//! Linking archives: an archive's `after` is the previous archive's last entry.
//!
//! What a period's archive holds: the entries from the first one whose time falls in the period
//! to the period's closure. The closures of the previous day and month, written just after
//! midnight, are then inside it, but their entries are not: the verification counts them as
//! `closures_unchecked` (they were summed when the previous archive was made); the closures of
//! the period itself are all summed.
//!
//! # Signature
//!
//! The server signs with its Ed25519 keyring the bytes [`signing_message`] returns:
//! `b"guichet/journal-archive/v1"` followed by the 32 bytes of SHA-256 of the whole archive file
//! ([`digest`]). The context prefix keeps an archive signature from ever being taken for a
//! ticket's (which use `guichet/ticket/v1`). The signature is detached (a file beside the
//! archive): the archive bytes are never rewritten.
use super::canonical::{push_int, push_str, Obj};
use super::chain::Chained;
use super::closure::Period;
use super::entry::{Entry, Head};
use super::tech::{TechEvent, TechSummary, TechVerifier};
use super::verify::{Broken, Journal, Summary, Verifier};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::{self, BufRead, Write};
use std::marker::PhantomData;

/// The archive format written by this code.
pub const FORMAT: i64 = 1;

/// What comes before the archive's digest in the signed message.
pub const SIGNING_CONTEXT: &[u8] = b"guichet/journal-archive/v1";

/// SHA-256 of the archive file's bytes.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The digest in lowercase hex (as `sha256sum` prints it).
pub fn digest_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&digest(bytes))
}

/// The exact bytes the detached Ed25519 signature signs: context ‖ SHA-256(archive).
pub fn signing_message(archive: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNING_CONTEXT.len() + 32);
    m.extend_from_slice(SIGNING_CONTEXT);
    m.extend_from_slice(&digest(archive));
    m
}

/// An item a journal archive holds.
pub trait Archivable: Chained + DeserializeOwned {
    const JOURNAL: Journal;
}

impl Archivable for Entry {
    const JOURNAL: Journal = Journal::Cash;
}

impl Archivable for TechEvent {
    const JOURNAL: Journal = Journal::Tech;
}

/// What an archive says about itself (the journal and format are written by the writer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The item before the first one archived; `None` when the archive starts the journal.
    pub after: Option<Head>,
    pub created_at: i64,
    /// The period archived, when the archive is one period's.
    pub period: Option<Period>,
    /// The software and version that wrote it ("guichet 0.1.0").
    pub software: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderLine {
    after: Option<Head>,
    created_at: i64,
    format: i64,
    guichet_archive: Journal,
    period: Option<Period>,
    software: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Trailer {
    archive_end: bool,
    items: i64,
    last_hash: Option<String>,
    last_seq: Option<i64>,
}

const TRAILER_START: &str = "{\"archive_end\":";

fn header_line(out: &mut Vec<u8>, h: &Header, journal: Journal) {
    let mut o = Obj::open(out);
    match &h.after {
        Some(a) => {
            let mut ho = Obj::open(o.key("after"));
            ho.int("at", a.at);
            ho.str("hash", &a.hash);
            ho.int("perpetual_absolute_cents", a.perpetual_absolute_cents);
            ho.int("perpetual_total_cents", a.perpetual_total_cents);
            ho.int("seq", a.seq);
            ho.close();
        }
        None => o.key("after").extend_from_slice(b"null"),
    }
    o.int("created_at", h.created_at);
    o.int("format", FORMAT);
    o.str(
        "guichet_archive",
        match journal {
            Journal::Cash => "cash",
            Journal::Tech => "tech",
        },
    );
    match h.period {
        Some(p) => o.str("period", &p.to_string()),
        None => o.key("period").extend_from_slice(b"null"),
    }
    o.str("software", &h.software);
    o.close();
    out.push(b'\n');
}

fn trailer_line(out: &mut Vec<u8>, items: i64, last: Option<&(i64, String)>) {
    let mut o = Obj::open(out);
    o.key("archive_end").extend_from_slice(b"true");
    o.int("items", items);
    match last {
        Some((seq, hash)) => {
            push_str(o.key("last_hash"), hash);
            push_int(o.key("last_seq"), *seq);
        }
        None => {
            o.key("last_hash").extend_from_slice(b"null");
            o.key("last_seq").extend_from_slice(b"null");
        }
    }
    o.close();
    out.push(b'\n');
}

/// Writes an archive item by item (a period's entries can come straight from a database cursor).
pub struct Writer<W: Write, T> {
    out: W,
    buf: Vec<u8>,
    items: i64,
    last: Option<(i64, String)>,
    _items: PhantomData<fn(&T)>,
}

impl<W: Write, T: Archivable> Writer<W, T> {
    pub fn start(mut out: W, header: &Header) -> io::Result<Writer<W, T>> {
        let mut buf = Vec::with_capacity(4096);
        header_line(&mut buf, header, T::JOURNAL);
        out.write_all(&buf)?;
        Ok(Writer {
            out,
            buf,
            items: 0,
            last: None,
            _items: PhantomData,
        })
    }

    /// The next item (the caller gives them in seq order; reading back verifies it).
    pub fn push(&mut self, item: &T) -> io::Result<()> {
        self.buf.clear();
        item.write_json(&mut self.buf, true);
        self.buf.push(b'\n');
        self.out.write_all(&self.buf)?;
        self.items += 1;
        match &mut self.last {
            Some((seq, hash)) => {
                *seq = item.seq();
                hash.clear();
                hash.push_str(item.hash());
            }
            None => self.last = Some((item.seq(), item.hash().to_string())),
        }
        Ok(())
    }

    /// Writes the trailer; hands back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.buf.clear();
        trailer_line(&mut self.buf, self.items, self.last.as_ref());
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A whole archive in memory.
pub fn write<T: Archivable>(header: &Header, items: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + items.len() * 700);
    header_line(&mut out, header, T::JOURNAL);
    for item in items {
        item.write_json(&mut out, true);
        out.push(b'\n');
    }
    let last = items.last().map(|i| (i.seq(), i.hash().to_string()));
    trailer_line(&mut out, items.len() as i64, last.as_ref());
    out
}

/// Why an archive cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Io(String),
    /// The first line is not an archive header.
    NotAnArchive,
    /// A cash archive where a technical one was expected, or the reverse.
    WrongJournal(Journal),
    /// A format this version does not read.
    Format(i64),
    /// A line that is not an item of the journal.
    Item(String),
    /// The file ends before its trailer.
    Truncated,
    /// The trailer's count or last item is not what the archive holds.
    EndMismatch,
    /// Something after the trailer.
    AfterEnd,
}

/// An unreadable archive, with the line (from 1) where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveError {
    pub line: usize,
    pub problem: Problem,
}

impl ArchiveError {
    pub fn fr(&self) -> String {
        let what = match &self.problem {
            Problem::Io(e) => format!("lecture impossible ({e})"),
            Problem::NotAnArchive => "ce n'est pas une archive de journal Guichet".into(),
            Problem::WrongJournal(Journal::Cash) => {
                "archive du journal de caisse, pas du journal technique".into()
            }
            Problem::WrongJournal(Journal::Tech) => {
                "archive du journal technique, pas du journal de caisse".into()
            }
            Problem::Format(f) => format!("format {f} inconnu de cette version"),
            Problem::Item(e) => format!("ligne illisible ({e})"),
            Problem::Truncated => "l'archive est coupée avant sa fin".into(),
            Problem::EndMismatch => "la fin de l'archive ne correspond pas à son contenu".into(),
            Problem::AfterEnd => "du contenu suit la fin de l'archive".into(),
        };
        format!("Archive, ligne {} : {what}", self.line)
    }

    pub fn en(&self) -> String {
        let what = match &self.problem {
            Problem::Io(e) => format!("cannot read ({e})"),
            Problem::NotAnArchive => "not a Guichet journal archive".into(),
            Problem::WrongJournal(Journal::Cash) => {
                "an archive of the cash journal, not the technical one".into()
            }
            Problem::WrongJournal(Journal::Tech) => {
                "an archive of the technical journal, not the cash one".into()
            }
            Problem::Format(f) => format!("format {f} unknown to this version"),
            Problem::Item(e) => format!("unreadable line ({e})"),
            Problem::Truncated => "the archive is cut before its end".into(),
            Problem::EndMismatch => "the archive's end does not match its content".into(),
            Problem::AfterEnd => "content after the archive's end".into(),
        };
        format!("Archive, line {}: {what}", self.line)
    }
}

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en())
    }
}

impl std::error::Error for ArchiveError {}

/// Reads an archive item by item, in constant memory.
pub struct Reader<R: BufRead, T> {
    input: R,
    line: String,
    line_no: usize,
    header: Header,
    items: i64,
    last: Option<(i64, String)>,
    done: bool,
    _items: PhantomData<fn() -> T>,
}

impl<R: BufRead, T: Archivable> Reader<R, T> {
    /// Reads the header.
    pub fn open(mut input: R) -> Result<Reader<R, T>, ArchiveError> {
        let mut line = String::new();
        let err = |problem| ArchiveError { line: 1, problem };
        input
            .read_line(&mut line)
            .map_err(|e| err(Problem::Io(e.to_string())))?;
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|_| err(Problem::NotAnArchive))?;
        let journal = value
            .get("guichet_archive")
            .cloned()
            .and_then(|j| serde_json::from_value::<Journal>(j).ok())
            .ok_or(err(Problem::NotAnArchive))?;
        if journal != T::JOURNAL {
            return Err(err(Problem::WrongJournal(journal)));
        }
        match value.get("format").and_then(|f| f.as_i64()) {
            Some(FORMAT) => {}
            Some(other) => return Err(err(Problem::Format(other))),
            None => return Err(err(Problem::NotAnArchive)),
        }
        let h: HeaderLine =
            serde_json::from_value(value).map_err(|_| err(Problem::NotAnArchive))?;
        debug_assert_eq!((h.format, h.guichet_archive), (FORMAT, journal));
        Ok(Reader {
            input,
            line,
            line_no: 1,
            header: Header {
                after: h.after,
                created_at: h.created_at,
                period: h.period,
                software: h.software,
            },
            items: 0,
            last: None,
            done: false,
            _items: PhantomData,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    fn fail(&mut self, problem: Problem) -> Option<Result<T, ArchiveError>> {
        self.done = true;
        Some(Err(ArchiveError {
            line: self.line_no,
            problem,
        }))
    }

    fn read_line(&mut self) -> Result<bool, Problem> {
        self.line.clear();
        self.line_no += 1;
        match self.input.read_line(&mut self.line) {
            Ok(0) => Ok(false),
            Ok(_) => Ok(true),
            Err(e) => Err(Problem::Io(e.to_string())),
        }
    }

    fn end(&mut self) -> Option<Result<T, ArchiveError>> {
        let t: Trailer = match serde_json::from_str(&self.line) {
            Ok(t) => t,
            Err(e) => return self.fail(Problem::Item(e.to_string())),
        };
        let last_matches = match (&self.last, &t.last_seq, &t.last_hash) {
            (None, None, None) => true,
            (Some((seq, hash)), Some(s), Some(h)) => seq == s && hash == h,
            _ => false,
        };
        if !t.archive_end || t.items != self.items || !last_matches {
            return self.fail(Problem::EndMismatch);
        }
        match self.read_line() {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => self.fail(Problem::AfterEnd),
            Err(p) => self.fail(p),
        }
    }
}

impl<R: BufRead, T: Archivable> Iterator for Reader<R, T> {
    type Item = Result<T, ArchiveError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.read_line() {
            Ok(true) => {}
            Ok(false) => return self.fail(Problem::Truncated),
            Err(p) => return self.fail(p),
        }
        if self.line.starts_with(TRAILER_START) {
            return self.end();
        }
        match serde_json::from_str::<T>(&self.line) {
            Ok(item) => {
                self.items += 1;
                match &mut self.last {
                    Some((seq, hash)) => {
                        *seq = item.seq();
                        hash.clear();
                        hash.push_str(item.hash());
                    }
                    None => self.last = Some((item.seq(), item.hash().to_string())),
                }
                Some(Ok(item))
            }
            Err(e) => self.fail(Problem::Item(e.to_string())),
        }
    }
}

/// A whole archive read into memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive<T> {
    pub header: Header,
    pub items: Vec<T>,
}

/// Reads a whole archive (its items are then verified with `verify_after(header.after, …)`).
pub fn read<T: Archivable>(bytes: &[u8]) -> Result<Archive<T>, ArchiveError> {
    let reader = Reader::<_, T>::open(bytes)?;
    let header = reader.header().clone();
    let items = reader.collect::<Result<Vec<T>, _>>()?;
    Ok(Archive { header, items })
}

impl Archive<Entry> {
    /// Verifies the entries from the header's starting point.
    pub fn verify(&self) -> Result<Summary, Broken> {
        super::verify::verify_after(self.header.after.clone(), &self.items)
    }
}

impl Archive<TechEvent> {
    pub fn verify(&self) -> Result<TechSummary, Broken> {
        super::tech::verify_events_after(self.header.after.as_ref(), &self.items)
    }
}

/// Why an archive fails its verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveFault {
    Unreadable(ArchiveError),
    Broken(Broken),
}

impl ArchiveFault {
    pub fn fr(&self) -> String {
        match self {
            ArchiveFault::Unreadable(e) => e.fr(),
            ArchiveFault::Broken(b) => b.fr(),
        }
    }

    pub fn en(&self) -> String {
        match self {
            ArchiveFault::Unreadable(e) => e.en(),
            ArchiveFault::Broken(b) => b.en(),
        }
    }
}

/// Reads and verifies a cash journal archive as it streams (constant memory).
pub fn verify_cash(input: impl BufRead) -> Result<(Header, Summary), ArchiveFault> {
    let reader = Reader::<_, Entry>::open(input).map_err(ArchiveFault::Unreadable)?;
    let header = reader.header().clone();
    let mut v = Verifier::after(header.after.clone());
    for entry in reader {
        let entry = entry.map_err(ArchiveFault::Unreadable)?;
        v.push(&entry).map_err(ArchiveFault::Broken)?;
    }
    Ok((header, v.finish()))
}

/// Reads and verifies a technical journal archive as it streams.
pub fn verify_tech(input: impl BufRead) -> Result<(Header, TechSummary), ArchiveFault> {
    let reader = Reader::<_, TechEvent>::open(input).map_err(ArchiveFault::Unreadable)?;
    let header = reader.header().clone();
    let mut v = TechVerifier::after(header.after.as_ref().map(|h| (h.seq, h.hash.as_str())));
    for event in reader {
        let event = event.map_err(ArchiveFault::Unreadable)?;
        v.push(&event).map_err(ArchiveFault::Broken)?;
    }
    Ok((header, v.finish()))
}

#[cfg(test)]
mod tests {
    use super::super::tech::{TechChain, TechKind};
    use super::super::testkit;
    use super::super::verify::Reason;
    use super::*;
    use chrono::NaiveDate;

    fn month() -> Vec<Entry> {
        testkit::journal(NaiveDate::from_ymd_opt(2026, 2, 26).unwrap(), 36, 6, true)
    }

    fn header(after: Option<Head>) -> Header {
        Header {
            after,
            created_at: 1_775_000_000,
            period: Some(Period::Month(2026, 3)),
            software: "guichet 0.1.0".into(),
        }
    }

    /// March as the server archives it: from the first entry of 1 March (Paris) to March's
    /// closure.
    fn march(all: &[Entry]) -> (Option<Head>, Vec<Entry>) {
        let from = Period::Month(2026, 3).bounds().unwrap().0;
        let start = all.iter().position(|e| e.at >= from).unwrap();
        let end = all
            .iter()
            .position(|e| {
                e.closure
                    .as_ref()
                    .is_some_and(|c| c.period == Period::Month(2026, 3))
            })
            .unwrap();
        (Some(Head::of(&all[start - 1])), all[start..=end].to_vec())
    }

    #[test]
    fn written_then_read_back_and_verified() {
        let all = month();
        let (after, entries) = march(&all);
        let bytes = write(&header(after.clone()), &entries);
        let text = std::str::from_utf8(&bytes).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), entries.len() + 2);
        assert!(lines[0].starts_with(r#"{"after":{"at":"#), "{}", lines[0]);
        assert!(lines[0].ends_with(
            r#","format":1,"guichet_archive":"cash","period":"2026-03","software":"guichet 0.1.0"}"#
        ));
        assert_eq!(
            *lines.last().unwrap(),
            format!(
                r#"{{"archive_end":true,"items":{},"last_hash":"{}","last_seq":{}}}"#,
                entries.len(),
                entries.last().unwrap().hash,
                entries.last().unwrap().seq
            )
        );
        // Each line is the canonical form with its hash, as serde_json writes it sorted.
        for (line, e) in lines[1..].iter().zip(&entries) {
            assert_eq!(*line, serde_json::to_value(e).unwrap().to_string());
        }
        // The streaming writer writes the same bytes.
        let mut w = Writer::<_, Entry>::start(Vec::new(), &header(after.clone())).unwrap();
        for e in &entries {
            w.push(e).unwrap();
        }
        assert_eq!(w.finish().unwrap(), bytes);

        let archive = read::<Entry>(&bytes).unwrap();
        assert_eq!(archive.header, header(after.clone()));
        assert_eq!(archive.items, entries);
        let s = archive.verify().unwrap();
        assert_eq!(s.entries as usize, entries.len());
        // March's days and March itself were summed; the closures of 28 February and of
        // February, written just after midnight, are in March's archive but could not be: their
        // entries are in February's.
        assert_eq!((s.closures, s.closures_unchecked), (34, 2));
        let (h, streamed) = verify_cash(&bytes[..]).unwrap();
        assert_eq!((h, streamed), (header(after), s));
    }

    #[test]
    fn a_tampered_archive_fails() {
        let all = month();
        let (after, entries) = march(&all);
        let bytes = write(&header(after.clone()), &entries);
        let text = String::from_utf8(bytes.clone()).unwrap();
        // An amount changed in the text.
        let k = 5;
        let line = text.lines().nth(k + 1).unwrap();
        let changed = line.replacen("\"total_cents\":", "\"total_cents\":1", 1);
        let forged = text.replacen(line, &changed, 1);
        let fault = verify_cash(forged.as_bytes()).unwrap_err();
        assert!(
            matches!(&fault, ArchiveFault::Broken(b) if b.seq == entries[k].seq),
            "{}",
            fault.en()
        );
        assert_eq!(
            read::<Entry>(forged.as_bytes())
                .unwrap()
                .verify()
                .unwrap_err()
                .seq,
            entries[k].seq
        );
        // A line removed (and the trailer's count fixed): the gap is found.
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        lines.remove(k + 1);
        let n = lines.len();
        lines[n - 1] = lines[n - 1].replace(
            &format!("\"items\":{}", entries.len()),
            &format!("\"items\":{}", entries.len() - 1),
        );
        let fault = verify_cash((lines.join("\n") + "\n").as_bytes()).unwrap_err();
        assert_eq!(
            fault,
            ArchiveFault::Broken(Broken {
                journal: Journal::Cash,
                seq: entries[k + 1].seq,
                reason: Reason::Sequence {
                    expected: entries[k].seq,
                    found: entries[k + 1].seq
                }
            })
        );
        // The wrong starting point.
        let bytes = write(&header(Some(Head::of(&all[0]))), &entries);
        assert!(
            matches!(verify_cash(&bytes[..]), Err(ArchiveFault::Broken(b)) if b.reason == Reason::Sequence { expected: 2, found: entries[0].seq })
        );
        // The digest changes with any byte.
        assert_ne!(digest(text.as_bytes()), digest(forged.as_bytes()));
    }

    #[test]
    fn unreadable_archives() {
        let all = month();
        let (after, entries) = march(&all);
        let bytes = write(&header(after), &entries);
        let text = String::from_utf8(bytes).unwrap();
        let problem = |s: &str| match verify_cash(s.as_bytes()) {
            Err(ArchiveFault::Unreadable(e)) => (e.line, e.problem),
            other => panic!("{other:?}"),
        };
        // Cut: the last lines lost.
        let cut: String = text.lines().take(10).map(|l| format!("{l}\n")).collect();
        assert_eq!(problem(&cut), (11, Problem::Truncated));
        // Cut in the middle of a line.
        assert!(matches!(
            problem(&text[..text.len() / 2]),
            (_, Problem::Item(_))
        ));
        // The trailer does not match.
        let lying = text.replace(&format!("\"items\":{}", entries.len()), "\"items\":3");
        assert_eq!(problem(&lying), (entries.len() + 2, Problem::EndMismatch));
        assert_eq!(
            problem(&format!("{text}{{}}\n")),
            (entries.len() + 3, Problem::AfterEnd)
        );
        assert_eq!(problem(""), (1, Problem::NotAnArchive));
        assert_eq!(problem("hello\n"), (1, Problem::NotAnArchive));
        let v2 = text.replacen("\"format\":1", "\"format\":2", 1);
        assert_eq!(problem(&v2), (1, Problem::Format(2)));
        // An unknown field in an entry.
        let extra = text.replacen("{\"agent\":", "{\"x\":1,\"agent\":", 1);
        assert!(matches!(problem(&extra), (2, Problem::Item(_))));
        // A cash archive is not a technical one.
        assert!(matches!(
            verify_tech(text.as_bytes()),
            Err(ArchiveFault::Unreadable(ArchiveError {
                line: 1,
                problem: Problem::WrongJournal(Journal::Cash)
            }))
        ));
        let e = ArchiveError {
            line: 3,
            problem: Problem::Truncated,
        };
        assert_eq!(
            e.fr(),
            "Archive, ligne 3 : l'archive est coupée avant sa fin"
        );
        assert_eq!(e.en(), "Archive, line 3: the archive is cut before its end");
    }

    #[test]
    fn empty_and_technical_archives() {
        let bytes = write::<Entry>(
            &Header {
                after: None,
                created_at: 0,
                period: None,
                software: "g".into(),
            },
            &[],
        );
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            concat!(
                r#"{"after":null,"created_at":0,"format":1,"guichet_archive":"cash","period":null,"software":"g"}"#,
                "\n",
                r#"{"archive_end":true,"items":0,"last_hash":null,"last_seq":null}"#,
                "\n"
            )
        );
        assert_eq!(verify_cash(&bytes[..]).unwrap().1, Summary::default());
        let mut c = TechChain::new();
        let events: Vec<TechEvent> = (0..50)
            .map(|i| {
                c.append(
                    1_800_000_000 + i,
                    TechKind::ALL[i as usize % 9],
                    &format!("détail {i}"),
                )
            })
            .collect();
        let h = Header {
            after: None,
            created_at: 1,
            period: Some(Period::Year(2027)),
            software: "g".into(),
        };
        let bytes = write(&h, &events);
        let (_, s) = verify_tech(&bytes[..]).unwrap();
        assert_eq!(s.events, 50);
        let back = read::<TechEvent>(&bytes).unwrap();
        assert_eq!(back.items, events);
        assert_eq!(back.verify().unwrap(), s);
        let forged = String::from_utf8(bytes)
            .unwrap()
            .replacen("détail 7", "détail 8", 1);
        assert!(
            matches!(verify_tech(forged.as_bytes()), Err(ArchiveFault::Broken(b)) if b.seq == 8 && b.reason == Reason::Hash)
        );
    }

    #[test]
    fn digest_and_signed_message() {
        // `printf 'abc' | sha256sum`
        assert_eq!(
            digest_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let m = signing_message(b"abc");
        assert_eq!(&m[..SIGNING_CONTEXT.len()], b"guichet/journal-archive/v1");
        assert_eq!(&m[SIGNING_CONTEXT.len()..], &digest(b"abc"));
    }
}

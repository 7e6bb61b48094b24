//! The technical events journal (JET, journal des événements techniques): what happened to the
//! system rather than to the money — starts, stops, errors, archives, new versions, clock jumps
//! — chained exactly like the cash journal (see `chain`).
//!
//! Canonical form (format 1), hashed as the cash journal's entries are:
//!
//! ```text
//! {"at":int,"detail":str,"kind":KIND,"prev_hash":str,"seq":int}
//! KIND = "startup" | "shutdown" | "error" | "archive" | "version_change" | "clock_jump"
//!      | "integrity_check" | "restore" | "export"
//! ```
//!
//! Unlike the cash journal, event times may go back: a clock jump is what gets recorded.
use super::canonical::{push_str, Obj};
use super::chain::{self, Chained, Links, GENESIS};
use super::entry::Head;
use super::verify::{Broken, Journal};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechKind {
    Startup,
    Shutdown,
    Error,
    /// An archive was produced (detail: period, digest).
    Archive,
    /// The software's version changed (detail: from → to).
    VersionChange,
    /// The clock moved back, or forward by an unlikely step (detail: seen vs. expected).
    ClockJump,
    /// A verification of the journals ran (detail: its outcome).
    IntegrityCheck,
    /// Data were restored from a backup.
    Restore,
    /// Data were exported for the tax office or an auditor.
    Export,
}

impl TechKind {
    pub const ALL: [TechKind; 9] = [
        TechKind::Startup,
        TechKind::Shutdown,
        TechKind::Error,
        TechKind::Archive,
        TechKind::VersionChange,
        TechKind::ClockJump,
        TechKind::IntegrityCheck,
        TechKind::Restore,
        TechKind::Export,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TechKind::Startup => "startup",
            TechKind::Shutdown => "shutdown",
            TechKind::Error => "error",
            TechKind::Archive => "archive",
            TechKind::VersionChange => "version_change",
            TechKind::ClockJump => "clock_jump",
            TechKind::IntegrityCheck => "integrity_check",
            TechKind::Restore => "restore",
            TechKind::Export => "export",
        }
    }

    pub fn parse(raw: &str) -> Option<TechKind> {
        TechKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn fr(self) -> &'static str {
        match self {
            TechKind::Startup => "démarrage",
            TechKind::Shutdown => "arrêt",
            TechKind::Error => "erreur",
            TechKind::Archive => "archivage",
            TechKind::VersionChange => "changement de version",
            TechKind::ClockJump => "saut d'horloge",
            TechKind::IntegrityCheck => "contrôle d'intégrité",
            TechKind::Restore => "restauration",
            TechKind::Export => "export",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            TechKind::Startup => "startup",
            TechKind::Shutdown => "shutdown",
            TechKind::Error => "error",
            TechKind::Archive => "archive",
            TechKind::VersionChange => "version change",
            TechKind::ClockJump => "clock jump",
            TechKind::IntegrityCheck => "integrity check",
            TechKind::Restore => "restore",
            TechKind::Export => "export",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TechEvent {
    pub seq: i64,
    pub at: i64,
    pub kind: TechKind,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl TechEvent {
    pub fn canonical(&self) -> Vec<u8> {
        chain::canonical(self)
    }

    pub fn recompute_hash(&self) -> String {
        chain::recompute_hash(self)
    }
}

impl Chained for TechEvent {
    fn seq(&self) -> i64 {
        self.seq
    }
    fn prev_hash(&self) -> &str {
        &self.prev_hash
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn write_json(&self, out: &mut Vec<u8>, with_hash: bool) {
        let mut o = Obj::open(out);
        o.int("at", self.at);
        o.str("detail", &self.detail);
        if with_hash {
            o.str("hash", &self.hash);
        }
        o.str("kind", self.kind.as_str());
        push_str(o.key("prev_hash"), &self.prev_hash);
        o.int("seq", self.seq);
        o.close();
    }
}

/// The technical journal's builder: resumes from the last event `(seq, hash)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TechChain {
    last: Option<(i64, String)>,
}

impl TechChain {
    pub fn new() -> TechChain {
        TechChain { last: None }
    }

    pub fn after(last: Option<&TechEvent>) -> TechChain {
        TechChain {
            last: last.map(|e| (e.seq, e.hash.clone())),
        }
    }

    /// The next event, seq and hashes assigned.
    pub fn append(&mut self, at: i64, kind: TechKind, detail: &str) -> TechEvent {
        let (seq, prev_hash) = match self.last.take() {
            None => (1, GENESIS.to_string()),
            Some((seq, hash)) => (seq.saturating_add(1), hash),
        };
        let mut event = TechEvent {
            seq,
            at,
            kind,
            detail: detail.to_string(),
            prev_hash,
            hash: String::new(),
        };
        event.hash = event.recompute_hash();
        self.last = Some((event.seq, event.hash.clone()));
        event
    }
}

/// What a verification of the technical journal read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TechSummary {
    pub events: i64,
    /// The last event's seq and hash (or the starting point's).
    pub last: Option<(i64, String)>,
}

/// The technical journal, read one event at a time in constant memory.
#[derive(Debug)]
pub struct TechVerifier {
    links: Links,
    summary: TechSummary,
}

impl TechVerifier {
    /// From event 1 (`None`) or after the event `(seq, hash)`.
    pub fn after(last: Option<(i64, &str)>) -> TechVerifier {
        TechVerifier {
            links: Links::after(last),
            summary: TechSummary {
                events: 0,
                last: last.map(|(s, h)| (s, h.to_string())),
            },
        }
    }

    pub fn push(&mut self, e: &TechEvent) -> Result<(), Broken> {
        self.links.check(e).map_err(|reason| Broken {
            journal: Journal::Tech,
            seq: e.seq,
            reason,
        })?;
        self.summary.events += 1;
        match &mut self.summary.last {
            Some((seq, hash)) => {
                *seq = e.seq;
                hash.clear();
                hash.push_str(&e.hash);
            }
            None => self.summary.last = Some((e.seq, e.hash.clone())),
        }
        Ok(())
    }

    pub fn finish(self) -> TechSummary {
        self.summary
    }
}

/// Verifies the technical journal from event 1.
pub fn verify_events<E: std::borrow::Borrow<TechEvent>>(
    events: impl IntoIterator<Item = E>,
) -> Result<TechSummary, Broken> {
    verify_events_after(None, events)
}

/// Verifies the events after `after` (an archive's starting point: seq and hash of the event
/// before; the archive header's `Head` carries them, its perpetual totals unused here).
pub fn verify_events_after<E: std::borrow::Borrow<TechEvent>>(
    after: Option<&Head>,
    events: impl IntoIterator<Item = E>,
) -> Result<TechSummary, Broken> {
    let mut v = TechVerifier::after(after.map(|h| (h.seq, h.hash.as_str())));
    for e in events {
        v.push(e.borrow())?;
    }
    Ok(v.finish())
}

#[cfg(test)]
mod tests {
    use super::super::verify::Reason;
    use super::*;

    fn events() -> Vec<TechEvent> {
        let mut c = TechChain::new();
        let t = 1_796_400_000;
        vec![
            c.append(t, TechKind::Startup, "guichet 0.1.0"),
            c.append(
                t + 10,
                TechKind::IntegrityCheck,
                "journal de caisse : 0 écriture, intègre",
            ),
            c.append(
                t + 3600,
                TechKind::Error,
                "base de données injoignable\n(5 s)",
            ),
            c.append(t + 3000, TechKind::ClockJump, "l'horloge a reculé de 600 s"),
            c.append(t + 4000, TechKind::Archive, "2026-12 sha256=…"),
            c.append(t + 5000, TechKind::VersionChange, "0.1.0 → 0.2.0"),
            c.append(t + 6000, TechKind::Shutdown, ""),
        ]
    }

    #[test]
    fn golden_canonical_form() {
        let e = TechChain::new().append(1_796_400_000, TechKind::Startup, "guichet 0.1.0 « prod »");
        assert_eq!(
            String::from_utf8(e.canonical()).unwrap(),
            concat!(
                r#"{"at":1796400000,"detail":"guichet 0.1.0 « prod »","kind":"startup","prev_hash":"#,
                r#""0000000000000000000000000000000000000000000000000000000000000000","seq":1}"#
            )
        );
        // Recomputed independently: Python's hashlib over the same bytes.
        assert_eq!(
            e.hash,
            "36f02a47c25704df19ff9a15e324b9cee3169efb6c6e10a013f26df1033617ea"
        );
        let mut v = serde_json::to_value(&e).unwrap();
        let mut line = Vec::new();
        e.write_json(&mut line, true);
        assert_eq!(String::from_utf8(line).unwrap(), v.to_string());
        v.as_object_mut().unwrap().remove("hash");
        assert_eq!(String::from_utf8(e.canonical()).unwrap(), v.to_string());
    }

    #[test]
    fn chained_and_verified() {
        let good = events();
        let s = verify_events(&good).unwrap();
        assert_eq!(s.events, 7);
        assert_eq!(s.last, Some((7, good[6].hash.clone())));
        for (i, e) in good.iter().enumerate() {
            assert_eq!(e.seq, i as i64 + 1);
            assert_eq!(
                e.prev_hash,
                if i == 0 {
                    GENESIS.to_string()
                } else {
                    good[i - 1].hash.clone()
                }
            );
        }
        // Resuming from the stored last event continues the chain.
        let mut c = TechChain::after(good.last());
        let mut more = good.clone();
        more.push(c.append(1_796_500_000, TechKind::Startup, "guichet 0.2.0"));
        assert!(verify_events(&more).is_ok());
        // And a part of it verifies from its starting point.
        let head = Head {
            seq: 3,
            at: 0,
            hash: good[2].hash.clone(),
            perpetual_total_cents: 0,
            perpetual_absolute_cents: 0,
        };
        assert_eq!(
            verify_events_after(Some(&head), &good[3..]).unwrap().events,
            4
        );
    }

    #[test]
    fn tampering_names_the_first_broken_event() {
        let good = events();
        let first = |e: &[TechEvent]| {
            let b = verify_events(e).unwrap_err();
            assert_eq!(b.journal, Journal::Tech);
            (b.seq, b.reason)
        };
        let mut e = good.clone();
        e[2].detail = "rien".into();
        assert_eq!(first(&e), (3, Reason::Hash));
        e[2].hash = e[2].recompute_hash();
        assert_eq!(first(&e), (4, Reason::PrevHash));
        let mut e = good.clone();
        e.remove(3);
        assert_eq!(
            first(&e),
            (
                5,
                Reason::Sequence {
                    expected: 4,
                    found: 5
                }
            )
        );
        let mut e = good.clone();
        e.swap(1, 2);
        assert_eq!(
            first(&e),
            (
                3,
                Reason::Sequence {
                    expected: 2,
                    found: 3
                }
            )
        );
        let mut e = good.clone();
        e[4].hash = good[5].hash.clone();
        assert_eq!(first(&e), (5, Reason::Hash));
        // An error event hidden by a forged one in its place.
        let mut forged = TechChain::after(Some(&good[1])).append(good[2].at, TechKind::Startup, "");
        let mut e = good.clone();
        e[2] = forged.clone();
        assert_eq!(first(&e), (4, Reason::PrevHash));
        forged.kind = TechKind::Error;
        e[2] = forged;
        assert_eq!(first(&e), (3, Reason::Hash));
        let b = verify_events(&e).unwrap_err();
        assert!(
            b.fr().starts_with("Événement technique n° 3 : "),
            "{}",
            b.fr()
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in TechKind::ALL {
            assert_eq!(TechKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
            assert_ne!(k.fr(), "");
            assert_ne!(k.en(), "");
        }
    }
}

//! Verifying the cash journal: reads entries in order, with constant memory (plus one small
//! tally per period not yet closed), and names the first entry that breaks a rule.
//!
//! Checked for each entry, in this order: its seq follows (from 1, or from the entry an archive
//! starts after, no gap, no repeat); its `prev_hash` is the previous entry's hash; its hash
//! recomputes; its time does not go back; its lines, total and kind obey the builder's rules;
//! its perpetual totals recompute; and for a closure: its bounds are its period's, it was made
//! after the period, after the previous closure of the same frequency, with the perpetual total
//! of the moment, and its sums and cash counts are those of the period's entries.
use super::chain::Links;
use super::closure::{Frequency, Period, SumsPart, Tally};
use super::entry::{check_body, perpetual_after, Entry, EntryKind, Head};
use crate::domain::paris;
use chrono::{Datelike, NaiveDate};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;

/// Which journal an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Journal {
    /// The cash journal (sales, refunds, closures…).
    Cash,
    /// The technical events journal (JET).
    Tech,
}

/// Why an entry (or a technical event) is refused or found broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Not the seq that comes next: an entry is missing, moved or repeated.
    Sequence {
        expected: i64,
        found: i64,
    },
    /// `prev_hash` is not the previous entry's hash.
    PrevHash,
    /// The hash does not recompute: the entry was changed after it was written.
    Hash,
    TimeWentBack {
        at: i64,
        previous: i64,
    },
    /// Zero quantity or negative unit price.
    LineQuantity {
        line: usize,
    },
    /// A VAT rate outside 0–100 %.
    LineRate {
        line: usize,
    },
    /// Total ≠ quantity × unit price.
    LineAmount {
        line: usize,
    },
    /// VAT ≠ the VAT of the total at the rate.
    LineVat {
        line: usize,
    },
    /// Total ≠ the sum of the lines.
    EntryTotal,
    Shape(Shape),
    PerpetualTotal {
        expected: i64,
        found: i64,
    },
    PerpetualAbsolute {
        expected: i64,
        found: i64,
    },
    /// An amount beyond what the journal can add up.
    OutOfRange,
    /// The closure's bounds are not its period's (or the period does not exist).
    ClosurePeriod,
    /// Written before its period was over.
    ClosureTooEarly {
        until: i64,
    },
    /// Not after the last closure of the same frequency.
    ClosureOrder {
        last: Period,
    },
    ClosureCumulative {
        expected: i64,
        found: i64,
    },
    ClosureSums {
        part: SumsPart,
    },
    /// A desk's expected cash or difference is wrong, or the desk is counted twice.
    CashCount {
        desk: String,
    },
}

/// The rules of each kind of entry (see `EntryKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    SaleLines,
    SalePayments,
    RefundLines,
    RefundPayments,
    CancellationLines,
    CancellationPayments,
    ExchangeLines,
    ExchangePayments,
    ClosureBody,
}

impl Shape {
    pub fn fr(self) -> &'static str {
        match self {
            Shape::SaleLines => "une vente porte au moins une ligne, de quantités positives",
            Shape::SalePayments => {
                "les paiements d'une vente sont positifs ou nuls et égaux à son total"
            }
            Shape::RefundLines => "les lignes d'un remboursement sont de quantités négatives",
            Shape::RefundPayments => {
                "un remboursement rend de l'argent (paiements négatifs), égal à son total s'il porte des lignes"
            }
            Shape::CancellationLines => {
                "une annulation porte au moins une ligne, de quantités négatives"
            }
            Shape::CancellationPayments => "une annulation ne porte aucun paiement",
            Shape::ExchangeLines => "un échange reprend et délivre des billets",
            Shape::ExchangePayments => "les paiements d'un échange sont égaux à son total",
            Shape::ClosureBody => {
                "seule une clôture porte des totaux de période, et elle ne porte ni ligne ni paiement"
            }
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Shape::SaleLines => "a sale has at least one line, of positive quantities",
            Shape::SalePayments => "a sale's payments are zero or more and add up to its total",
            Shape::RefundLines => "a refund's lines have negative quantities",
            Shape::RefundPayments => {
                "a refund gives money back (negative payments), adding up to its total when it has lines"
            }
            Shape::CancellationLines => {
                "a cancellation has at least one line, of negative quantities"
            }
            Shape::CancellationPayments => "a cancellation has no payment",
            Shape::ExchangeLines => "an exchange takes tickets back and issues others",
            Shape::ExchangePayments => "an exchange's payments add up to its total",
            Shape::ClosureBody => {
                "only a closure carries period totals, and it has no line and no payment"
            }
        }
    }
}

impl Reason {
    pub fn fr(&self) -> String {
        let cents = |c: i64| crate::domain::money::Cents(c).amount_fr();
        match self {
            Reason::Sequence { expected, found } => format!(
                "porte le n° {found} là où le n° {expected} était attendu (écriture manquante, déplacée ou répétée)"
            ),
            Reason::PrevHash => {
                "ne suit pas l'écriture précédente : son empreinte précédente ne correspond pas"
                    .into()
            }
            Reason::Hash => {
                "son contenu ne correspond plus à son empreinte : elle a été modifiée après coup"
                    .into()
            }
            Reason::TimeWentBack { at, previous } => format!(
                "son heure ({}) est antérieure à celle de l'écriture précédente ({})",
                paris::datetime_fr(*at),
                paris::datetime_fr(*previous)
            ),
            Reason::LineQuantity { line } => format!(
                "ligne {} : quantité nulle ou prix unitaire négatif",
                line + 1
            ),
            Reason::LineRate { line } => {
                format!("ligne {} : taux de TVA hors de 0 à 100 %", line + 1)
            }
            Reason::LineAmount { line } => format!(
                "ligne {} : le total n'est pas la quantité fois le prix unitaire",
                line + 1
            ),
            Reason::LineVat { line } => format!(
                "ligne {} : la TVA ne correspond pas au total et au taux",
                line + 1
            ),
            Reason::EntryTotal => "son total n'est pas la somme de ses lignes".into(),
            Reason::Shape(s) => format!("forme refusée : {}", s.fr()),
            Reason::PerpetualTotal { expected, found } => format!(
                "grand total perpétuel de {} au lieu de {}",
                cents(*found),
                cents(*expected)
            ),
            Reason::PerpetualAbsolute { expected, found } => format!(
                "total perpétuel en valeur absolue de {} au lieu de {}",
                cents(*found),
                cents(*expected)
            ),
            Reason::OutOfRange => "montant hors des limites du journal".into(),
            Reason::ClosurePeriod => {
                "clôture dont les bornes ne sont pas celles de sa période".into()
            }
            Reason::ClosureTooEarly { until } => format!(
                "clôture faite avant la fin de sa période ({})",
                paris::datetime_fr(*until)
            ),
            Reason::ClosureOrder { last } => format!(
                "clôture qui ne suit pas la précédente de même fréquence ({last})"
            ),
            Reason::ClosureCumulative { expected, found } => format!(
                "clôture au total cumulé de {} au lieu de {}",
                cents(*found),
                cents(*expected)
            ),
            Reason::ClosureSums { part } => format!(
                "clôture dont {} ne correspond pas aux écritures de la période",
                part.fr()
            ),
            Reason::CashCount { desk } => {
                format!("comptage de caisse de « {desk} » incohérent ou en double")
            }
        }
    }

    pub fn en(&self) -> String {
        let cents = |c: i64| crate::domain::money::Cents(c).en();
        match self {
            Reason::Sequence { expected, found } => format!(
                "is number {found} where {expected} was expected (an entry missing, moved or repeated)"
            ),
            Reason::PrevHash => {
                "does not follow the previous entry: its previous hash does not match".into()
            }
            Reason::Hash => "its content no longer matches its hash: it was changed".into(),
            Reason::TimeWentBack { at, previous } => format!(
                "its time ({}) is before the previous entry's ({})",
                paris::date_en(*at) + " " + &paris::time_en(*at),
                paris::date_en(*previous) + " " + &paris::time_en(*previous)
            ),
            Reason::LineQuantity { line } => {
                format!("line {}: zero quantity or negative unit price", line + 1)
            }
            Reason::LineRate { line } => format!("line {}: VAT rate outside 0–100 %", line + 1),
            Reason::LineAmount { line } => format!(
                "line {}: the total is not quantity times unit price",
                line + 1
            ),
            Reason::LineVat { line } => format!(
                "line {}: the VAT does not match the total and rate",
                line + 1
            ),
            Reason::EntryTotal => "its total is not the sum of its lines".into(),
            Reason::Shape(s) => format!("not allowed: {}", s.en()),
            Reason::PerpetualTotal { expected, found } => format!(
                "perpetual grand total of {} instead of {}",
                cents(*found),
                cents(*expected)
            ),
            Reason::PerpetualAbsolute { expected, found } => format!(
                "perpetual absolute total of {} instead of {}",
                cents(*found),
                cents(*expected)
            ),
            Reason::OutOfRange => "an amount beyond the journal's range".into(),
            Reason::ClosurePeriod => "a closure whose bounds are not its period's".into(),
            Reason::ClosureTooEarly { until } => format!(
                "a closure made before its period ended ({} {})",
                paris::date_en(*until),
                paris::time_en(*until)
            ),
            Reason::ClosureOrder { last } => format!(
                "a closure that does not follow the previous one of the same frequency ({last})"
            ),
            Reason::ClosureCumulative { expected, found } => format!(
                "a closure with a cumulative total of {} instead of {}",
                cents(*found),
                cents(*expected)
            ),
            Reason::ClosureSums { part } => format!(
                "a closure whose {} does not match the period's entries",
                part.en().trim_start_matches("the ")
            ),
            Reason::CashCount { desk } => {
                format!("the cash count of “{desk}” is inconsistent or repeated")
            }
        }
    }
}

/// The first broken item of a journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub journal: Journal,
    pub seq: i64,
    pub reason: Reason,
}

impl Broken {
    /// "Écriture n° 42 : son contenu ne correspond plus à son empreinte : …"
    pub fn fr(&self) -> String {
        let what = match self.journal {
            Journal::Cash => "Écriture",
            Journal::Tech => "Événement technique",
        };
        format!("{what} n° {} : {}", self.seq, self.reason.fr())
    }

    /// "Entry 42: its content no longer matches its hash: …"
    pub fn en(&self) -> String {
        let what = match self.journal {
            Journal::Cash => "Entry",
            Journal::Tech => "Technical event",
        };
        format!("{what} {}: {}", self.seq, self.reason.en())
    }
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

impl std::error::Error for Broken {}

/// What a successful verification read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Entries read, closures included.
    pub entries: i64,
    pub closures: i64,
    /// Closures whose sums could not be checked: their period began before the part of the
    /// journal read (an archive starting mid-period). Their chain, bounds and arithmetic were.
    pub closures_unchecked: i64,
    /// The last entry read (or the starting point when none was).
    pub head: Option<Head>,
}

/// The cash journal, read one entry at a time.
#[derive(Debug)]
pub struct Verifier {
    links: Links,
    head: Option<Head>,
    /// Where reading started: closures of periods begun before cannot be summed.
    start_at: Option<i64>,
    open: BTreeMap<Period, Tally>,
    last_closed: [Option<Period>; 3],
    /// The Paris day of the last entry and its bounds, so most entries skip the time zone.
    day: Option<(NaiveDate, i64, i64)>,
    summary: Summary,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier::new()
    }
}

impl Verifier {
    /// From the journal's first entry.
    pub fn new() -> Verifier {
        Verifier::after(None)
    }

    /// From the entry after `head` (an archive's starting point; `None`: the first entry).
    pub fn after(head: Option<Head>) -> Verifier {
        Verifier {
            links: Links::after(head.as_ref().map(|h| (h.seq, h.hash.as_str()))),
            start_at: head.as_ref().map(|h| h.at),
            summary: Summary {
                head: head.clone(),
                ..Summary::default()
            },
            head,
            open: BTreeMap::new(),
            last_closed: [None; 3],
            day: None,
        }
    }

    /// Checks the next entry.
    pub fn push(&mut self, e: &Entry) -> Result<(), Broken> {
        self.check(e).map_err(|reason| Broken {
            journal: Journal::Cash,
            seq: e.seq,
            reason,
        })
    }

    /// What was read; call once every entry was pushed.
    pub fn finish(mut self) -> Summary {
        self.summary.head = self.head;
        self.summary
    }

    fn check(&mut self, e: &Entry) -> Result<(), Reason> {
        self.links.check(e)?;
        let (perpetual, absolute) = match &self.head {
            Some(h) => {
                if e.at < h.at {
                    return Err(Reason::TimeWentBack {
                        at: e.at,
                        previous: h.at,
                    });
                }
                (h.perpetual_total_cents, h.perpetual_absolute_cents)
            }
            None => (0, 0),
        };
        check_body(
            e.kind,
            &e.lines,
            &e.payments,
            e.total_cents,
            e.closure.as_ref(),
            e.at,
        )?;
        let (p, a) = perpetual_after(e.kind, e.total_cents, perpetual, absolute)?;
        if e.perpetual_total_cents != p {
            return Err(Reason::PerpetualTotal {
                expected: p,
                found: e.perpetual_total_cents,
            });
        }
        if e.perpetual_absolute_cents != a {
            return Err(Reason::PerpetualAbsolute {
                expected: a,
                found: e.perpetual_absolute_cents,
            });
        }
        if e.kind == EntryKind::Closure {
            self.check_closure(e, perpetual)?;
            self.summary.closures += 1;
        } else {
            self.tally(e);
        }
        self.summary.entries += 1;
        self.advance(e);
        Ok(())
    }

    fn tally(&mut self, e: &Entry) {
        let date = match self.day {
            Some((d, from, until)) if from <= e.at && e.at < until => d,
            _ => {
                let d = paris::local(e.at).date();
                let (from, until) = Period::Day(d).bounds().unwrap_or((e.at, e.at + 1));
                self.day = Some((d, from, until));
                d
            }
        };
        for p in [
            Period::Day(date),
            Period::Month(date.year(), date.month()),
            Period::Year(date.year()),
        ] {
            self.open.entry(p).or_default().add(e);
        }
    }

    fn check_closure(&mut self, e: &Entry, perpetual: i64) -> Result<(), Reason> {
        // `check_body` made sure a closure entry has its totals.
        let Some(c) = e.closure.as_ref() else {
            return Err(Reason::Shape(Shape::ClosureBody));
        };
        let slot = match c.period.frequency() {
            Frequency::Daily => 0,
            Frequency::Monthly => 1,
            Frequency::Yearly => 2,
        };
        if let Some(last) = self.last_closed[slot] {
            if c.period <= last {
                return Err(Reason::ClosureOrder { last });
            }
        }
        if c.cumulative_total_cents != perpetual {
            return Err(Reason::ClosureCumulative {
                expected: perpetual,
                found: c.cumulative_total_cents,
            });
        }
        let tally = self.open.remove(&c.period).unwrap_or_default();
        // Earlier periods of this frequency can no longer be closed: forget them.
        let frequency = c.period.frequency();
        self.open
            .retain(|p, _| p.frequency() != frequency || *p > c.period);
        self.last_closed[slot] = Some(c.period);
        if self.start_at.is_some_and(|start| start >= c.from) {
            self.summary.closures_unchecked += 1;
            return Ok(());
        }
        if let Some(part) = c.sums.first_difference(&tally.sums) {
            return Err(Reason::ClosureSums { part });
        }
        for count in &c.cash {
            if count.expected_cents != tally.expected_cash(&count.desk, count.opening_float_cents) {
                return Err(Reason::CashCount {
                    desk: count.desk.clone(),
                });
            }
        }
        Ok(())
    }

    fn advance(&mut self, e: &Entry) {
        match &mut self.head {
            Some(h) => {
                h.seq = e.seq;
                h.at = e.at;
                h.hash.clear();
                h.hash.push_str(&e.hash);
                h.perpetual_total_cents = e.perpetual_total_cents;
                h.perpetual_absolute_cents = e.perpetual_absolute_cents;
            }
            None => self.head = Some(Head::of(e)),
        }
    }
}

/// Verifies a whole journal, from entry 1, in seq order (rows or a parsed archive's entries).
pub fn verify<E: Borrow<Entry>>(entries: impl IntoIterator<Item = E>) -> Result<Summary, Broken> {
    verify_after(None, entries)
}

/// Verifies the part of a journal that follows `head` (an archive: its header's `after`).
pub fn verify_after<E: Borrow<Entry>>(
    head: Option<Head>,
    entries: impl IntoIterator<Item = E>,
) -> Result<Summary, Broken> {
    let mut v = Verifier::after(head);
    for e in entries {
        v.push(e.borrow())?;
    }
    Ok(v.finish())
}

#[cfg(test)]
mod tests {
    use super::super::chain::GENESIS;
    use super::super::closure::{CashCounted, ClosureTotals};
    use super::super::entry::{next, Chain, Draft, Line, PaymentMethod};
    use super::super::testkit::{self, Rng};
    use super::*;
    use crate::domain::money::Cents;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A day and a half (with the night's web sales) and its closure.
    fn a_day() -> Vec<Entry> {
        testkit::journal(d(2026, 12, 5), 2, 25, true)
    }

    fn broken(entries: &[Entry]) -> (i64, Reason) {
        let b = verify(entries).unwrap_err();
        (b.seq, b.reason)
    }

    /// Recomputes `prev_hash` and `hash` from `from` on, as a forger with the code would.
    fn rechain(entries: &mut [Entry], from: usize) {
        for i in from..entries.len() {
            entries[i].prev_hash = if i == 0 {
                GENESIS.into()
            } else {
                entries[i - 1].hash.clone()
            };
            entries[i].hash = entries[i].recompute_hash();
        }
    }

    #[test]
    fn a_day_of_activity_verifies() {
        let entries = a_day();
        let kinds: Vec<EntryKind> = entries.iter().map(|e| e.kind).collect();
        for k in EntryKind::ALL {
            assert!(kinds.contains(&k), "{k:?} missing from the sample");
        }
        let s = verify(&entries).unwrap();
        assert_eq!(s.entries as usize, entries.len());
        assert_eq!((s.closures, s.closures_unchecked), (1, 0));
        assert_eq!(s.head, Some(Head::of(entries.last().unwrap())));
        // Owned entries (rows read from storage) verify the same.
        assert_eq!(verify(entries.clone()), Ok(s));
        assert_eq!(verify(Vec::<Entry>::new()), Ok(Summary::default()));
    }

    #[test]
    fn altering_an_amount() {
        let good = a_day();
        let k = good
            .iter()
            .position(|x| x.kind == EntryKind::Sale && x.payments.len() == 2 && x.total_cents > 0)
            .unwrap();
        let mut e = good.clone();
        e[k].payments[0].amount_cents += 100;
        assert_eq!(broken(&e), (e[k].seq, Reason::Hash));
        // Rehashed: the sale no longer balances.
        e[k].hash = e[k].recompute_hash();
        assert_eq!(broken(&e), (e[k].seq, Reason::Shape(Shape::SalePayments)));
        // A change the entry's own rules cannot see, rehashed: the next entry's link breaks.
        let mut e = good.clone();
        e[k].desk = "guichet-9".into();
        e[k].hash = e[k].recompute_hash();
        assert_eq!(broken(&e), (e[k + 1].seq, Reason::PrevHash));
        // A line's price changed: its total no longer follows.
        let mut e = good.clone();
        e[k].lines[0].unit_price_cents += 100;
        rechain(&mut e, k);
        assert_eq!(broken(&e), (e[k].seq, Reason::LineAmount { line: 0 }));
    }

    #[test]
    fn a_consistent_forgery_is_caught_by_the_totals() {
        let good = a_day();
        let k = good
            .iter()
            .position(|x| {
                x.kind == EntryKind::Sale
                    && x.lines[0].quantity >= 2
                    && x.lines[0].unit_price_cents > 0
            })
            .unwrap();
        // One ticket fewer on the first line, the money and total to match: the entry alone is
        // coherent, but the grand total perpétuel is not.
        let mut e = good.clone();
        let l = &e[k].lines[0];
        let less = Line::new(
            &l.tariff,
            &l.label,
            l.quantity - 1,
            Cents(l.unit_price_cents),
            l.vat_rate_bp,
        );
        let gone = e[k].lines[0].total_cents - less.total_cents;
        e[k].lines[0] = less;
        e[k].total_cents -= gone;
        let last = e[k].payments.len() - 1;
        e[k].payments[last].amount_cents -= gone;
        if e[k].payments[last].amount_cents < 0 {
            e[k].payments[0].amount_cents += e[k].payments[last].amount_cents;
            e[k].payments[last].amount_cents = 0;
        }
        rechain(&mut e, k);
        let expected = e[k].perpetual_total_cents - gone;
        assert_eq!(
            broken(&e),
            (
                e[k].seq,
                Reason::PerpetualTotal {
                    expected,
                    found: e[k].perpetual_total_cents
                }
            )
        );
        // With every perpetual total fixed too, the day's closure gives it away.
        for x in &mut e[k..] {
            x.perpetual_total_cents -= gone;
            x.perpetual_absolute_cents -= gone;
            if let Some(c) = x.closure.as_mut() {
                c.cumulative_total_cents -= gone;
            }
        }
        rechain(&mut e, k);
        let z = e.iter().position(|x| x.kind == EntryKind::Closure).unwrap();
        assert!(z > k);
        let (seq, reason) = broken(&e);
        assert_eq!(seq, e[z].seq);
        assert!(matches!(reason, Reason::ClosureSums { .. }), "{reason:?}");
    }

    #[test]
    fn deleting_moving_inserting() {
        let good = a_day();
        for k in [0usize, 1, 10, good.len() - 2] {
            // Deleted: the next one is named, the missing number given.
            let mut e = good.clone();
            e.remove(k);
            assert_eq!(
                broken(&e),
                (
                    good[k + 1].seq,
                    Reason::Sequence {
                        expected: good[k].seq,
                        found: good[k + 1].seq
                    }
                ),
                "delete {k}"
            );
            // Deleted and the rest renumbered and rehashed: the totals no longer follow.
            let mut e = good.clone();
            e.remove(k);
            for (i, x) in e.iter_mut().enumerate().skip(k) {
                x.seq = i as i64 + 1;
            }
            rechain(&mut e, k);
            if good[k].total_cents != 0 {
                assert_eq!(broken(&e).0, k as i64 + 1, "delete and renumber {k}");
            }
            // Two swapped.
            let mut e = good.clone();
            e.swap(k, k + 1);
            assert_eq!(
                broken(&e),
                (
                    good[k + 1].seq,
                    Reason::Sequence {
                        expected: good[k].seq,
                        found: good[k + 1].seq
                    }
                ),
                "swap {k}"
            );
        }
        // Truncated at the start.
        assert_eq!(
            broken(&good[3..]),
            (
                4,
                Reason::Sequence {
                    expected: 1,
                    found: 4
                }
            )
        );
        // A forged entry, properly chained after entry k, slipped in before entry k + 1: the
        // genuine entry k + 1 then repeats a number.
        let k = 9;
        let forged = next(
            Some(&good[k]),
            Draft::new(EntryKind::Sale, good[k].at, "guichet-1", "x", "FAUX")
                .line(Line::new("plein", "Plein tarif", 1, Cents(1850), 550))
                .pay(PaymentMethod::Cash, Cents(1850)),
        )
        .unwrap();
        let mut e = good.clone();
        e.insert(k + 1, forged);
        assert_eq!(
            broken(&e),
            (
                good[k + 1].seq,
                Reason::Sequence {
                    expected: good[k + 1].seq + 1,
                    found: good[k + 1].seq
                }
            )
        );
    }

    #[test]
    fn changing_a_hash_or_a_link() {
        let good = a_day();
        let mut e = good.clone();
        e[5].hash = e[4].hash.clone();
        assert_eq!(broken(&e), (6, Reason::Hash));
        let mut e = good.clone();
        e[5].hash = e[5].hash.to_uppercase();
        assert_eq!(broken(&e), (6, Reason::Hash));
        let mut e = good.clone();
        e[5].prev_hash = GENESIS.into();
        assert_eq!(broken(&e), (6, Reason::PrevHash));
        let mut e = good.clone();
        e[0].prev_hash = e[1].hash.clone();
        assert_eq!(broken(&e), (1, Reason::PrevHash));
    }

    #[test]
    fn time_going_back() {
        let mut e = a_day();
        e[6].at = e[5].at - 1;
        rechain(&mut e, 6);
        assert_eq!(
            broken(&e),
            (
                7,
                Reason::TimeWentBack {
                    at: e[5].at - 1,
                    previous: e[5].at
                }
            )
        );
    }

    /// Every kind of tampering at every place names that place (or the next, for a rehashed
    /// entry whose link breaks there).
    #[test]
    fn property_first_broken_is_named() {
        let good = testkit::journal(d(2026, 3, 27), 4, 12, true);
        let mut rng = Rng::new(7);
        for k in 0..good.len() - 1 {
            let seq = good[k].seq;
            let mut e = good.clone();
            match rng.below(6) {
                0 => e[k].at += 1,
                1 => e[k].desk.push('x'),
                2 => e[k].total_cents += 1,
                3 => e[k].perpetual_absolute_cents -= 1,
                4 => e[k].order_ref = "AUTRE".into(),
                _ => e[k].seq += 1,
            }
            let b = verify(&e).unwrap_err();
            assert_eq!(b.seq, e[k].seq, "at {k}: {}", b.en());
            if e[k].seq == seq {
                assert_eq!(b.reason, Reason::Hash, "at {k}");
            }
            // Rehashed in place: the link to the next entry breaks, unless the content check
            // already fails at k.
            e[k].hash = e[k].recompute_hash();
            let b = verify(&e).unwrap_err();
            assert!(
                b.seq == e[k].seq || b.seq == good[k + 1].seq,
                "rehashed at {k}: {}",
                b.en()
            );
        }
    }

    #[test]
    fn days_months_and_a_year_of_closures_verify() {
        // 1 December 2026 to 3 January 2028: both clock changes of 2027, every month end and
        // two new years.
        let entries = testkit::journal(d(2026, 12, 1), 399, 3, true);
        let s = verify(&entries).unwrap();
        let months = entries
            .iter()
            .filter(|e| {
                matches!(
                    e.closure.as_ref().map(|c| c.period),
                    Some(Period::Month(..))
                )
            })
            .count();
        let years = entries
            .iter()
            .filter(|e| matches!(e.closure.as_ref().map(|c| c.period), Some(Period::Year(_))))
            .count();
        assert_eq!((months, years), (13, 2));
        assert_eq!(s.closures, 398 + 13 + 2);
        // The 2027 yearly closure adds up its monthly ones.
        let month_sums = entries
            .iter()
            .filter_map(|e| e.closure.as_ref())
            .filter(|c| matches!(c.period, Period::Month(2027, _)));
        let mut sum = super::super::closure::Sums::default();
        for c in month_sums {
            sum.merge(&c.sums);
        }
        let year = entries
            .iter()
            .filter_map(|e| e.closure.as_ref())
            .find(|c| c.period == Period::Year(2027))
            .unwrap();
        assert_eq!(sum, year.sums);
    }

    #[test]
    fn forged_closures() {
        let good = a_day();
        let z = good
            .iter()
            .position(|e| e.kind == EntryKind::Closure)
            .unwrap();
        let before = &good[..z];
        // A Z report leaving out one sale.
        let skip = before
            .iter()
            .position(|e| e.kind == EntryKind::Sale && e.total_cents > 0)
            .unwrap();
        let fewer: Vec<&Entry> = before
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, e)| e)
            .collect();
        let period = good[z].closure.as_ref().unwrap().period;
        let totals = ClosureTotals::compute(period, fewer, &[]).unwrap();
        let forged = next(
            Some(&good[z - 1]),
            Draft::closure(good[z].at, "guichet-1", "x", totals),
        )
        .unwrap();
        let mut e = before.to_vec();
        e.push(forged);
        assert_eq!(
            broken(&e),
            (
                good[z].seq,
                Reason::ClosureSums {
                    part: crate::domain::journal::closure::SumsPart::Entries
                }
            )
        );
        // A cash count expecting less than the cash taken.
        let mut e = good[..=z].to_vec();
        let c = e[z].closure.as_mut().unwrap();
        c.cash[0].expected_cents -= 500;
        c.cash[0].difference_cents += 500;
        rechain(&mut e, z);
        assert_eq!(
            broken(&e),
            (
                good[z].seq,
                Reason::CashCount {
                    desk: "guichet-1".into()
                }
            )
        );
        // The difference does not follow from the count.
        let mut e = good[..=z].to_vec();
        e[z].closure.as_mut().unwrap().cash[0].difference_cents += 1;
        rechain(&mut e, z);
        assert_eq!(
            broken(&e),
            (
                good[z].seq,
                Reason::CashCount {
                    desk: "guichet-1".into()
                }
            )
        );
        // The same day closed twice.
        let again = next(
            Some(&good[z]),
            Draft::closure(
                good[z].at,
                "guichet-1",
                "x",
                good[z].closure.clone().unwrap(),
            ),
        )
        .unwrap();
        let mut e = good[..=z].to_vec();
        e.push(again);
        assert_eq!(
            broken(&e),
            (good[z].seq + 1, Reason::ClosureOrder { last: period })
        );
        // A cumulative total that is not the grand total's.
        let mut e = good[..=z].to_vec();
        e[z].closure.as_mut().unwrap().cumulative_total_cents += 1;
        rechain(&mut e, z);
        assert_eq!(
            broken(&e),
            (
                good[z].seq,
                Reason::ClosureCumulative {
                    expected: good[z].perpetual_total_cents,
                    found: good[z].perpetual_total_cents + 1
                }
            )
        );
        // Bounds not the period's.
        let mut e = good[..=z].to_vec();
        e[z].closure.as_mut().unwrap().until += 3600;
        rechain(&mut e, z);
        assert_eq!(broken(&e), (good[z].seq, Reason::ClosurePeriod));
        // A sale carrying closure totals.
        let mut e = good[..=z].to_vec();
        e[0].closure = good[z].closure.clone();
        rechain(&mut e, 0);
        assert_eq!(broken(&e), (1, Reason::Shape(Shape::ClosureBody)));
    }

    #[test]
    fn a_part_of_the_journal_verifies_from_its_starting_point() {
        let entries = testkit::journal(d(2026, 12, 20), 20, 5, true);
        let cut = entries.len() / 2;
        let head = Head::of(&entries[cut - 1]);
        let s = verify_after(Some(head.clone()), &entries[cut..]).unwrap();
        assert_eq!(s.entries as usize, entries.len() - cut);
        assert_eq!(s.head, Some(Head::of(entries.last().unwrap())));
        // Closures of periods begun before the cut cannot be summed: the month and year, and the
        // day cut through.
        assert!(s.closures_unchecked >= 2, "{s:?}");
        // From the wrong starting point, the first entry is refused.
        let wrong = Head::of(&entries[cut - 2]);
        assert_eq!(
            verify_after(Some(wrong), &entries[cut..])
                .unwrap_err()
                .reason,
            Reason::Sequence {
                expected: cut as i64,
                found: cut as i64 + 1
            }
        );
        let wrong = Head {
            hash: GENESIS.into(),
            ..head.clone()
        };
        assert_eq!(
            verify_after(Some(wrong), &entries[cut..])
                .unwrap_err()
                .reason,
            Reason::PrevHash
        );
        let wrong = Head {
            perpetual_total_cents: head.perpetual_total_cents + 1,
            ..head
        };
        assert!(matches!(
            verify_after(Some(wrong), &entries[cut..])
                .unwrap_err()
                .reason,
            Reason::PerpetualTotal { .. }
        ));
        // Nothing after the starting point: the summary says where the journal stands.
        let s = verify_after(Some(Head::of(&entries[3])), Vec::<Entry>::new()).unwrap();
        assert_eq!(s.head, Some(Head::of(&entries[3])));
    }

    #[test]
    fn messages_in_both_languages() {
        let b = Broken {
            journal: Journal::Cash,
            seq: 42,
            reason: Reason::Hash,
        };
        assert_eq!(
            b.fr(),
            "Écriture n° 42 : son contenu ne correspond plus à son empreinte : elle a été modifiée après coup"
        );
        assert_eq!(
            b.en(),
            "Entry 42: its content no longer matches its hash: it was changed"
        );
        let b = Broken {
            journal: Journal::Cash,
            seq: 7,
            reason: Reason::Sequence {
                expected: 6,
                found: 7,
            },
        };
        assert!(b.fr().contains("n° 6 était attendu"), "{}", b.fr());
        let b = Broken {
            journal: Journal::Tech,
            seq: 3,
            reason: Reason::PerpetualTotal {
                expected: 1850,
                found: 1950,
            },
        };
        assert_eq!(b.fr(), "Événement technique n° 3 : grand total perpétuel de 19,50\u{a0}€ au lieu de 18,50\u{a0}€");
        // Every reason has words in both languages.
        let reasons = [
            Reason::PrevHash,
            Reason::TimeWentBack {
                at: 0,
                previous: 60,
            },
            Reason::LineQuantity { line: 0 },
            Reason::LineRate { line: 0 },
            Reason::LineAmount { line: 1 },
            Reason::LineVat { line: 2 },
            Reason::EntryTotal,
            Reason::Shape(Shape::RefundPayments),
            Reason::PerpetualAbsolute {
                expected: 1,
                found: 2,
            },
            Reason::OutOfRange,
            Reason::ClosurePeriod,
            Reason::ClosureTooEarly { until: 0 },
            Reason::ClosureOrder {
                last: Period::Year(2026),
            },
            Reason::ClosureCumulative {
                expected: 1,
                found: 2,
            },
            Reason::ClosureSums {
                part: crate::domain::journal::closure::SumsPart::ByVatRate,
            },
            Reason::CashCount {
                desk: "guichet-1".into(),
            },
        ];
        for r in reasons {
            assert!(
                !r.fr().is_empty() && !r.en().is_empty() && r.fr() != r.en(),
                "{r:?}"
            );
        }
    }

    #[test]
    fn hostile_values_do_not_panic() {
        let mut chain = Chain::new();
        let e = chain
            .append(
                Draft::new(EntryKind::Sale, 0, "g", "a", "r")
                    .line(Line::new("plein", "P", 1, Cents(i64::MAX), 0))
                    .pay(PaymentMethod::Cash, Cents(i64::MAX)),
            )
            .unwrap();
        // A second one would overflow the perpetual total: refused, not wrapped.
        let r = chain.append(
            Draft::new(EntryKind::Sale, 0, "g", "a", "r")
                .line(Line::new("plein", "P", 1, Cents(1), 0))
                .pay(PaymentMethod::Cash, Cents(1)),
        );
        assert_eq!(r, Err(Reason::OutOfRange));
        let mut forged = e.clone();
        forged.perpetual_total_cents = i64::MIN;
        forged.seq = i64::MAX;
        forged.hash = forged.recompute_hash();
        assert!(verify([forged]).is_err());
        let mut v = Verifier::new();
        v.push(&e).unwrap();
        let mut huge = e.clone();
        huge.seq = 2;
        huge.prev_hash = e.hash.clone();
        huge.hash = huge.recompute_hash();
        assert_eq!(v.push(&huge).unwrap_err().reason, Reason::OutOfRange);
        // An unknown period cannot be closed.
        let mut bad = ClosureTotals::compute(
            Period::Year(2026),
            [&e],
            &[CashCounted {
                desk: "g".into(),
                opening_float_cents: 0,
                counted_cents: 0,
            }],
        )
        .unwrap();
        bad.period = Period::Month(2026, 13);
        assert_eq!(
            next(Some(&e), Draft::closure(i64::MAX / 2, "g", "a", bad)).unwrap_err(),
            Reason::ClosurePeriod
        );
    }
}

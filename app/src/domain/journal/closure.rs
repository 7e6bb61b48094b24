//! Closures (Z reports): the totals of a day, a month or a year of the journal, in Europe/Paris
//! time, written to the journal as an entry of their own and checked against the entries of
//! their period by the verification.
//!
//! A period's entries are the non-closure entries whose `at` lies in its UTC bounds. Since
//! entries never go back in time and a closure is written only once its period is over, they all
//! come before the closure. Closures of one frequency follow each other in time (no repeat).
//!
//! # Canonical form
//!
//! Inside an entry's canonical form (see `entry`), keys in byte order as everywhere — map keys
//! too, so VAT rates sort as text ("1000" < "550"):
//!
//! ```text
//! CLOSURE = {"cash":[CASH,…],"cumulative_total_cents":int,"from":int,"period":PERIOD,
//!            "sums":SUMS,"until":int}
//! PERIOD  = "2026-03-29" | "2026-03" | "2026"
//! SUMS    = {"entries":int,"period_total_cents":int,"tickets_cancelled":int,"tickets_sold":int,
//!            "totals_by_method":{METHOD:int,…},
//!            "totals_by_tariff":{code:{"cents":int,"count":int},…},
//!            "totals_by_vat_rate":{"550":{"base_cents":int,"vat_cents":int},…}}
//! CASH    = {"counted_cents":int,"desk":str,"difference_cents":int,"expected_cents":int,
//!            "opening_float_cents":int}
//! ```
use super::canonical::{push_array, push_int, push_str, Obj};
use super::entry::{Entry, EntryKind, PaymentMethod};
use super::verify::Reason;
use crate::domain::paris;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What a closure closes, in Paris time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Period {
    Day(NaiveDate),
    /// Year, month (1–12).
    Month(i32, u32),
    Year(i32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Frequency {
    Daily,
    Monthly,
    Yearly,
}

impl Period {
    /// The day, month or year containing the instant `ts`.
    pub fn of(frequency: Frequency, ts: i64) -> Period {
        let d = paris::local(ts).date();
        match frequency {
            Frequency::Daily => Period::Day(d),
            Frequency::Monthly => Period::Month(d.year(), d.month()),
            Frequency::Yearly => Period::Year(d.year()),
        }
    }

    pub fn frequency(&self) -> Frequency {
        match self {
            Period::Day(_) => Frequency::Daily,
            Period::Month(..) => Frequency::Monthly,
            Period::Year(_) => Frequency::Yearly,
        }
    }

    /// UTC bounds `[from, until)`; `None` for a month outside 1–12 or a date chrono cannot
    /// represent.
    pub fn bounds(&self) -> Option<(i64, i64)> {
        match *self {
            Period::Day(d) => {
                let next = d.succ_opt()?;
                Some((
                    paris::to_utc(d.and_time(chrono::NaiveTime::MIN)),
                    paris::to_utc(next.and_time(chrono::NaiveTime::MIN)),
                ))
            }
            Period::Month(y, m) => paris::month_bounds(y, m),
            Period::Year(y) => paris::year_bounds(y),
        }
    }

    pub fn contains(&self, ts: i64) -> bool {
        self.bounds().is_some_and(|(a, b)| a <= ts && ts < b)
    }

    /// The month or year a day or month belongs to (`None` for a year).
    pub fn parent(&self) -> Option<Period> {
        match *self {
            Period::Day(d) => Some(Period::Month(d.year(), d.month())),
            Period::Month(y, _) => Some(Period::Year(y)),
            Period::Year(_) => None,
        }
    }

    /// "2026-03-29", "2026-03" or "2026".
    pub fn parse(raw: &str) -> Option<Period> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = raw.split('-').collect();
        match parts.as_slice() {
            [y] if y.len() == 4 && digits(y) => Some(Period::Year(y.parse().ok()?)),
            [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
                let (y, m) = (y.parse().ok()?, m.parse().ok()?);
                paris::month_bounds(y, m).map(|_| Period::Month(y, m))
            }
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                paris::parse_day(raw).map(Period::Day)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Period::Year(y) => write!(f, "{y:04}"),
        }
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

impl TryFrom<String> for Period {
    type Error = String;
    fn try_from(raw: String) -> Result<Period, String> {
        Period::parse(&raw).ok_or_else(|| format!("not a period: {raw}"))
    }
}

/// Tickets and money of one tariff; `count` is signed (tickets taken back count −1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffTotal {
    pub count: i64,
    pub cents: i64,
}

/// Amounts of one VAT rate: without VAT, and the VAT.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VatTotal {
    pub base_cents: i64,
    pub vat_cents: i64,
}

/// What a period's entries add up to. Sums of days give their month's, of months their year's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sums {
    /// Entries other than closures.
    pub entries: i64,
    /// Money received (net of money given back) per method.
    pub totals_by_method: BTreeMap<PaymentMethod, i64>,
    /// Per tariff code.
    pub totals_by_tariff: BTreeMap<String, TariffTotal>,
    /// Per VAT rate in basis points.
    pub totals_by_vat_rate: BTreeMap<i64, VatTotal>,
    /// Tickets issued (positive quantities, exchanges' incoming tickets included).
    pub tickets_sold: i64,
    /// Tickets taken back (negative quantities, as a positive count).
    pub tickets_cancelled: i64,
    /// The sum of the entries' totals, TTC.
    pub period_total_cents: i64,
}

impl Sums {
    /// Adds an entry (closures add nothing). Saturating: forged amounts cannot make the
    /// verification panic, and a saturated sum will not match honest totals.
    pub fn add(&mut self, e: &Entry) {
        if e.kind == EntryKind::Closure {
            return;
        }
        self.entries = self.entries.saturating_add(1);
        self.period_total_cents = self.period_total_cents.saturating_add(e.total_cents);
        for p in &e.payments {
            let m = self.totals_by_method.entry(p.method).or_default();
            *m = m.saturating_add(p.amount_cents);
        }
        for l in &e.lines {
            if l.quantity > 0 {
                self.tickets_sold = self.tickets_sold.saturating_add(l.quantity);
            } else {
                self.tickets_cancelled = self.tickets_cancelled.saturating_sub(l.quantity);
            }
            // Look up before inserting: the tariff's key is allocated once per period.
            let t = match self.totals_by_tariff.get_mut(&l.tariff) {
                Some(t) => t,
                None => self.totals_by_tariff.entry(l.tariff.clone()).or_default(),
            };
            t.count = t.count.saturating_add(l.quantity);
            t.cents = t.cents.saturating_add(l.total_cents);
            let v = self.totals_by_vat_rate.entry(l.vat_rate_bp).or_default();
            v.base_cents = v
                .base_cents
                .saturating_add(l.total_cents.saturating_sub(l.vat_cents));
            v.vat_cents = v.vat_cents.saturating_add(l.vat_cents);
        }
    }

    /// Adds another period's sums (a month from its days, a year from its months).
    pub fn merge(&mut self, other: &Sums) {
        self.entries = self.entries.saturating_add(other.entries);
        self.period_total_cents = self
            .period_total_cents
            .saturating_add(other.period_total_cents);
        self.tickets_sold = self.tickets_sold.saturating_add(other.tickets_sold);
        self.tickets_cancelled = self
            .tickets_cancelled
            .saturating_add(other.tickets_cancelled);
        for (m, c) in &other.totals_by_method {
            let s = self.totals_by_method.entry(*m).or_default();
            *s = s.saturating_add(*c);
        }
        for (code, t) in &other.totals_by_tariff {
            let s = self.totals_by_tariff.entry(code.clone()).or_default();
            s.count = s.count.saturating_add(t.count);
            s.cents = s.cents.saturating_add(t.cents);
        }
        for (rate, v) in &other.totals_by_vat_rate {
            let s = self.totals_by_vat_rate.entry(*rate).or_default();
            s.base_cents = s.base_cents.saturating_add(v.base_cents);
            s.vat_cents = s.vat_cents.saturating_add(v.vat_cents);
        }
    }

    /// The first part of `self` that differs from `other`.
    pub(crate) fn first_difference(&self, other: &Sums) -> Option<SumsPart> {
        if self.entries != other.entries {
            Some(SumsPart::Entries)
        } else if self.period_total_cents != other.period_total_cents {
            Some(SumsPart::PeriodTotal)
        } else if self.totals_by_method != other.totals_by_method {
            Some(SumsPart::ByMethod)
        } else if self.totals_by_tariff != other.totals_by_tariff {
            Some(SumsPart::ByTariff)
        } else if self.totals_by_vat_rate != other.totals_by_vat_rate {
            Some(SumsPart::ByVatRate)
        } else if self.tickets_sold != other.tickets_sold {
            Some(SumsPart::TicketsSold)
        } else if self.tickets_cancelled != other.tickets_cancelled {
            Some(SumsPart::TicketsCancelled)
        } else {
            None
        }
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Obj::open(out);
        o.int("entries", self.entries);
        o.int("period_total_cents", self.period_total_cents);
        o.int("tickets_cancelled", self.tickets_cancelled);
        o.int("tickets_sold", self.tickets_sold);
        let mut by_method: Vec<(&str, i64)> = self
            .totals_by_method
            .iter()
            .map(|(m, c)| (m.as_str(), *c))
            .collect();
        by_method.sort_unstable_by(|a, b| a.0.cmp(b.0));
        write_map(o.key("totals_by_method"), &by_method, |out, c| {
            push_int(out, *c)
        });
        // String keys in a BTreeMap are already in byte order.
        let by_tariff: Vec<(&str, TariffTotal)> = self
            .totals_by_tariff
            .iter()
            .map(|(k, t)| (k.as_str(), *t))
            .collect();
        write_map(o.key("totals_by_tariff"), &by_tariff, |out, t| {
            let mut o = Obj::open(out);
            o.int("cents", t.cents);
            o.int("count", t.count);
            o.close();
        });
        let mut by_rate: Vec<(String, VatTotal)> = self
            .totals_by_vat_rate
            .iter()
            .map(|(r, v)| (r.to_string(), *v))
            .collect();
        by_rate.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let by_rate: Vec<(&str, VatTotal)> =
            by_rate.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        write_map(o.key("totals_by_vat_rate"), &by_rate, |out, v| {
            let mut o = Obj::open(out);
            o.int("base_cents", v.base_cents);
            o.int("vat_cents", v.vat_cents);
            o.close();
        });
        o.close();
    }
}

/// Writes `{"k":v,…}` from pairs already in key order.
fn write_map<V>(out: &mut Vec<u8>, pairs: &[(&str, V)], mut value: impl FnMut(&mut Vec<u8>, &V)) {
    out.push(b'{');
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(out, k);
        out.push(b':');
        value(out, v);
    }
    out.push(b'}');
}

/// The part of a closure's sums that does not match its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumsPart {
    Entries,
    PeriodTotal,
    ByMethod,
    ByTariff,
    ByVatRate,
    TicketsSold,
    TicketsCancelled,
}

impl SumsPart {
    pub fn fr(self) -> &'static str {
        match self {
            SumsPart::Entries => "le nombre d'écritures",
            SumsPart::PeriodTotal => "le total de la période",
            SumsPart::ByMethod => "les totaux par moyen de paiement",
            SumsPart::ByTariff => "les totaux par tarif",
            SumsPart::ByVatRate => "les totaux par taux de TVA",
            SumsPart::TicketsSold => "le nombre de billets vendus",
            SumsPart::TicketsCancelled => "le nombre de billets annulés",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            SumsPart::Entries => "the number of entries",
            SumsPart::PeriodTotal => "the period's total",
            SumsPart::ByMethod => "the totals per payment method",
            SumsPart::ByTariff => "the totals per tariff",
            SumsPart::ByVatRate => "the totals per VAT rate",
            SumsPart::TicketsSold => "the number of tickets sold",
            SumsPart::TicketsCancelled => "the number of tickets cancelled",
        }
    }
}

/// What the cashier declares when counting a desk's drawer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashCounted {
    pub desk: String,
    pub opening_float_cents: i64,
    pub counted_cents: i64,
}

/// A desk's cash at closing: the float, plus the period's cash payments at that desk (refunds
/// in cash subtract), against what was counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CashCount {
    pub desk: String,
    pub opening_float_cents: i64,
    pub expected_cents: i64,
    pub counted_cents: i64,
    /// Counted − expected: negative when cash is missing.
    pub difference_cents: i64,
}

impl CashCount {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Obj::open(out);
        o.int("counted_cents", self.counted_cents);
        o.str("desk", &self.desk);
        o.int("difference_cents", self.difference_cents);
        o.int("expected_cents", self.expected_cents);
        o.int("opening_float_cents", self.opening_float_cents);
        o.close();
    }
}

/// A Z report's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosureTotals {
    pub period: Period,
    /// The period's UTC bounds `[from, until)`, for readers who do not compute Paris time.
    pub from: i64,
    pub until: i64,
    pub sums: Sums,
    /// The grand total perpétuel when closing (set by `Chain::append`).
    pub cumulative_total_cents: i64,
    /// One count per desk counted, by desk name (usually only on a day's closure).
    pub cash: Vec<CashCount>,
}

impl ClosureTotals {
    /// The totals of `period` from its entries. Entries outside the period and closures are
    /// skipped, so the caller may pass more than the period's. `cumulative_total_cents` is left
    /// at 0 for `Chain::append` to fill in. `None` for an invalid period.
    pub fn compute<'a>(
        period: Period,
        entries: impl IntoIterator<Item = &'a Entry>,
        counted: &[CashCounted],
    ) -> Option<ClosureTotals> {
        let (from, until) = period.bounds()?;
        let mut tally = Tally::default();
        for e in entries {
            if from <= e.at && e.at < until {
                tally.add(e);
            }
        }
        let mut cash: Vec<CashCount> = counted
            .iter()
            .map(|c| {
                let expected = tally.expected_cash(&c.desk, c.opening_float_cents);
                CashCount {
                    desk: c.desk.clone(),
                    opening_float_cents: c.opening_float_cents,
                    expected_cents: expected,
                    counted_cents: c.counted_cents,
                    difference_cents: c.counted_cents.saturating_sub(expected),
                }
            })
            .collect();
        cash.sort_by(|a, b| a.desk.cmp(&b.desk));
        Some(ClosureTotals {
            period,
            from,
            until,
            sums: tally.sums,
            cumulative_total_cents: 0,
            cash,
        })
    }

    /// The checks that need nothing but the closure and its time: the bounds are the period's,
    /// the period is over, each desk is counted once with the right difference.
    pub(crate) fn check_own(&self, at: i64) -> Result<(), Reason> {
        if self.period.bounds() != Some((self.from, self.until)) {
            return Err(Reason::ClosurePeriod);
        }
        if at < self.until {
            return Err(Reason::ClosureTooEarly { until: self.until });
        }
        for (i, c) in self.cash.iter().enumerate() {
            let repeated = self.cash[..i].iter().any(|o| o.desk == c.desk);
            if repeated || c.counted_cents.checked_sub(c.expected_cents) != Some(c.difference_cents)
            {
                return Err(Reason::CashCount {
                    desk: c.desk.clone(),
                });
            }
        }
        Ok(())
    }

    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Obj::open(out);
        push_array(o.key("cash"), &self.cash, |out, c| c.write_json(out));
        o.int("cumulative_total_cents", self.cumulative_total_cents);
        o.int("from", self.from);
        o.str("period", &self.period.to_string());
        self.sums.write_json(o.key("sums"));
        o.int("until", self.until);
        o.close();
    }
}

/// A period's sums as they are read, with the cash taken at each desk.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub(crate) sums: Sums,
    cash_by_desk: BTreeMap<String, i64>,
}

impl Tally {
    pub(crate) fn add(&mut self, e: &Entry) {
        if e.kind == EntryKind::Closure {
            return;
        }
        self.sums.add(e);
        for p in e
            .payments
            .iter()
            .filter(|p| p.method == PaymentMethod::Cash)
        {
            let c = match self.cash_by_desk.get_mut(&e.desk) {
                Some(c) => c,
                None => self.cash_by_desk.entry(e.desk.clone()).or_default(),
            };
            *c = c.saturating_add(p.amount_cents);
        }
    }

    pub(crate) fn expected_cash(&self, desk: &str, opening_float: i64) -> i64 {
        opening_float.saturating_add(self.cash_by_desk.get(desk).copied().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::super::entry::tests::{plein, reduit};
    use super::super::entry::{Chain, Draft, Line};
    use super::*;
    use crate::domain::money::Cents;
    use crate::domain::paris::utc_from_ymd_hm;

    fn day(y: i32, m: u32, d: u32) -> Period {
        Period::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn periods_print_and_parse() {
        for (p, s) in [
            (day(2026, 3, 29), "2026-03-29"),
            (Period::Month(2026, 3), "2026-03"),
            (Period::Month(2026, 12), "2026-12"),
            (Period::Year(2026), "2026"),
        ] {
            assert_eq!(p.to_string(), s);
            assert_eq!(Period::parse(s), Some(p));
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{s}\""));
        }
        for bad in [
            "",
            "2026-13",
            "2026-3",
            "26",
            "2026-02-30",
            "2026-03-29x",
            "abcd",
            "2026-00",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert!(serde_json::from_str::<Period>("\"2026-13\"").is_err());
        assert_eq!(Period::Month(2026, 13).bounds(), None);
        // Ordered in time within a frequency.
        assert!(day(2026, 3, 29) < day(2026, 3, 30));
        assert!(Period::Month(2026, 12) < Period::Month(2027, 1));
    }

    #[test]
    fn periods_on_clock_change_days() {
        // Last Sunday of March 2026: 23 hours; 00:30 and 23:30 Paris belong to it.
        let p = day(2026, 3, 29);
        let (a, b) = p.bounds().unwrap();
        assert_eq!(b - a, 23 * 3600);
        assert_eq!(a, utc_from_ymd_hm(2026, 3, 29, 0, 0));
        assert!(p.contains(utc_from_ymd_hm(2026, 3, 29, 23, 59)));
        assert!(!p.contains(utc_from_ymd_hm(2026, 3, 30, 0, 0)));
        assert_eq!(Period::of(Frequency::Daily, b - 1), p);
        assert_eq!(Period::of(Frequency::Daily, b), day(2026, 3, 30));
        // Last Sunday of October 2026: 25 hours; both 02:30s belong to it.
        let p = day(2026, 10, 25);
        let (a, b) = p.bounds().unwrap();
        assert_eq!(b - a, 25 * 3600);
        let first_0230 = utc_from_ymd_hm(2026, 10, 25, 2, 30);
        assert!(p.contains(first_0230) && p.contains(first_0230 + 3600));
        assert_eq!(Period::of(Frequency::Monthly, a), Period::Month(2026, 10));
        assert_eq!(Period::of(Frequency::Yearly, b), Period::Year(2026));
        // New Year's Eve at 23:30 Paris is still the old year (22:30 UTC).
        let nye = utc_from_ymd_hm(2026, 12, 31, 23, 30);
        assert_eq!(Period::of(Frequency::Yearly, nye), Period::Year(2026));
        assert_eq!(
            Period::of(Frequency::Yearly, nye + 1800),
            Period::Year(2027)
        );
        assert_eq!(day(2026, 3, 29).parent(), Some(Period::Month(2026, 3)));
        assert_eq!(Period::Month(2026, 3).parent(), Some(Period::Year(2026)));
    }

    /// A year of varied activity: a few entries per day at random times (evening sales run
    /// past midnight in UTC), through both clock changes.
    fn busy_year(year: i32) -> Vec<Entry> {
        let mut chain = Chain::new();
        let mut out = Vec::new();
        let (mut at, end) = paris::year_bounds(year).unwrap();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        while at < end {
            let desk = ["guichet-1", "guichet-2", "web"][rnd(3) as usize];
            let q = 1 + rnd(4) as i64;
            let draft = match rnd(10) {
                0 => Draft::new(EntryKind::Cancellation, at, desk, "a", "r").line(reduit(-1)),
                1 => Draft::new(EntryKind::Refund, at, desk, "a", "r")
                    .line(plein(-1))
                    .pay(PaymentMethod::Cash, Cents(-1850)),
                2 => Draft::new(EntryKind::Exchange, at, desk, "a", "r")
                    .line(reduit(-1))
                    .line(plein(1))
                    .pay(PaymentMethod::Card, Cents(650)),
                3 => Draft::new(EntryKind::Sale, at, desk, "a", "r")
                    .line(Line::new("creation", "Création", q, Cents(2000), 210))
                    .pay(PaymentMethod::Cheque, Cents(2000 * q)),
                _ => Draft::new(EntryKind::Sale, at, desk, "a", "r")
                    .line(plein(q))
                    .line(reduit(1))
                    .pay(PaymentMethod::Cash, Cents(1000))
                    .pay(PaymentMethod::Card, Cents(1850 * q + 200)),
            };
            out.push(chain.append(draft).unwrap());
            at += 600 + rnd(40_000) as i64;
        }
        out
    }

    #[test]
    fn days_add_up_to_months_and_months_to_the_year() {
        let entries = busy_year(2026);
        let counted = |desk: &str| CashCounted {
            desk: desk.into(),
            opening_float_cents: 10_000,
            counted_cents: 10_000,
        };
        let year = ClosureTotals::compute(Period::Year(2026), &entries, &[]).unwrap();
        assert_eq!(year.sums.entries as usize, entries.len());
        let mut months = Sums::default();
        for m in 1..=12 {
            let month = ClosureTotals::compute(Period::Month(2026, m), &entries, &[]).unwrap();
            let mut days = Sums::default();
            let mut d = NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
            let mut cash_expected = 0;
            while d.month() == m {
                let z = ClosureTotals::compute(Period::Day(d), &entries, &[counted("guichet-1")])
                    .unwrap();
                cash_expected += z.cash[0].expected_cents - 10_000;
                days.merge(&z.sums);
                d = d.succ_opt().unwrap();
            }
            assert_eq!(days, month.sums, "month {m}");
            let cash_month =
                ClosureTotals::compute(Period::Month(2026, m), &entries, &[counted("guichet-1")])
                    .unwrap();
            assert_eq!(cash_month.cash[0].expected_cents - 10_000, cash_expected);
            months.merge(&month.sums);
        }
        assert_eq!(months, year.sums);
        // And the sums are the entries' own totals.
        let total: i64 = entries.iter().map(|e| e.total_cents).sum();
        assert_eq!(year.sums.period_total_cents, total);
        assert_eq!(total, entries.last().unwrap().perpetual_total_cents);
        let paid: i64 = entries
            .iter()
            .flat_map(|e| &e.payments)
            .map(|p| p.amount_cents)
            .sum();
        assert_eq!(year.sums.totals_by_method.values().sum::<i64>(), paid);
        let by_tariff: i64 = year.sums.totals_by_tariff.values().map(|t| t.cents).sum();
        let by_rate: i64 = year
            .sums
            .totals_by_vat_rate
            .values()
            .map(|v| v.base_cents + v.vat_cents)
            .sum();
        assert_eq!((by_tariff, by_rate), (total, total));
        let net: i64 = year.sums.totals_by_tariff.values().map(|t| t.count).sum();
        assert_eq!(year.sums.tickets_sold - year.sums.tickets_cancelled, net);
    }

    #[test]
    fn a_day_in_detail() {
        let mut chain = Chain::new();
        let t = |h, m| utc_from_ymd_hm(2026, 10, 25, h, m);
        let entries = vec![
            chain
                .append(
                    Draft::new(EntryKind::Sale, t(14, 0), "guichet-1", "a", "C1")
                        .line(plein(2))
                        .line(reduit(1))
                        .pay(PaymentMethod::Cash, Cents(2000))
                        .pay(PaymentMethod::Card, Cents(2900)),
                )
                .unwrap(),
            chain
                .append(
                    Draft::new(EntryKind::Sale, t(15, 0), "web", "en ligne", "C2")
                        .line(Line::new("invitation", "Invitation", 2, Cents(0), 550))
                        .pay(PaymentMethod::Free, Cents(0)),
                )
                .unwrap(),
            chain
                .append(
                    Draft::new(EntryKind::Refund, t(16, 0), "guichet-1", "a", "C1")
                        .line(reduit(-1))
                        .pay(PaymentMethod::Cash, Cents(-1200)),
                )
                .unwrap(),
            // The next day: not in this closure.
            chain
                .append(
                    Draft::new(EntryKind::Sale, t(23, 30) + 3600, "web", "en ligne", "C3")
                        .line(plein(1))
                        .pay(PaymentMethod::Online, Cents(1850)),
                )
                .unwrap(),
        ];
        let z = ClosureTotals::compute(
            day(2026, 10, 25),
            &entries,
            &[
                CashCounted {
                    desk: "guichet-1".into(),
                    opening_float_cents: 5000,
                    counted_cents: 5700,
                },
                CashCounted {
                    desk: "guichet-2".into(),
                    opening_float_cents: 3000,
                    counted_cents: 3000,
                },
            ],
        )
        .unwrap();
        let s = &z.sums;
        assert_eq!(s.entries, 3);
        assert_eq!(s.period_total_cents, 4900 - 1200);
        assert_eq!((s.tickets_sold, s.tickets_cancelled), (5, 1));
        assert_eq!(
            s.totals_by_method,
            BTreeMap::from([
                (PaymentMethod::Cash, 800),
                (PaymentMethod::Card, 2900),
                (PaymentMethod::Free, 0)
            ])
        );
        assert_eq!(
            s.totals_by_tariff["plein"],
            TariffTotal {
                count: 2,
                cents: 3700
            }
        );
        assert_eq!(
            s.totals_by_tariff["reduit"],
            TariffTotal { count: 0, cents: 0 }
        );
        assert_eq!(
            s.totals_by_tariff["invitation"],
            TariffTotal { count: 2, cents: 0 }
        );
        assert_eq!(
            s.totals_by_vat_rate[&550],
            VatTotal {
                base_cents: 3700 - 193,
                vat_cents: 193
            }
        );
        assert_eq!(
            z.cash,
            vec![
                CashCount {
                    desk: "guichet-1".into(),
                    opening_float_cents: 5000,
                    expected_cents: 5800,
                    counted_cents: 5700,
                    difference_cents: -100
                },
                CashCount {
                    desk: "guichet-2".into(),
                    opening_float_cents: 3000,
                    expected_cents: 3000,
                    counted_cents: 3000,
                    difference_cents: 0
                },
            ]
        );
        // Appended after midnight, it carries the perpetual total of the moment.
        let closing = chain
            .append(Draft::closure(
                t(23, 30) + 3600 + 60,
                "guichet-1",
                "a",
                z.clone(),
            ))
            .unwrap();
        let c = closing.closure.as_ref().unwrap();
        assert_eq!(c.cumulative_total_cents, 4900 - 1200 + 1850);
        assert_eq!(closing.order_ref, "Z-2026-10-25");
        assert_eq!(
            closing.perpetual_total_cents,
            entries[3].perpetual_total_cents
        );
        // Before the day is over: refused.
        let early = Chain::after(chain.head().cloned()).append(Draft::closure(
            t(23, 30) + 3600 + 60,
            "g",
            "a",
            ClosureTotals {
                period: day(2026, 10, 26),
                ..z.clone()
            },
        ));
        assert_eq!(early, Err(Reason::ClosurePeriod));
        let next_day = ClosureTotals::compute(day(2026, 10, 26), &entries, &[]).unwrap();
        let early = Chain::after(chain.head().cloned()).append(Draft::closure(
            t(23, 30) + 3600 + 60,
            "g",
            "a",
            next_day.clone(),
        ));
        assert_eq!(
            early,
            Err(Reason::ClosureTooEarly {
                until: next_day.until
            })
        );
    }

    #[test]
    fn vat_rates_sort_as_text_in_the_canonical_form() {
        let mut s = Sums::default();
        s.totals_by_vat_rate.insert(
            550,
            VatTotal {
                base_cents: 1,
                vat_cents: 2,
            },
        );
        s.totals_by_vat_rate.insert(
            1000,
            VatTotal {
                base_cents: 3,
                vat_cents: 4,
            },
        );
        s.totals_by_method.insert(PaymentMethod::PassCulture, 5);
        s.totals_by_method.insert(PaymentMethod::Cash, 6);
        s.totals_by_method.insert(PaymentMethod::Online, 7);
        let mut out = Vec::new();
        s.write_json(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"{"entries":0,"period_total_cents":0,"tickets_cancelled":0,"tickets_sold":0,"#,
                r#""totals_by_method":{"cash":6,"online":7,"pass_culture":5},"totals_by_tariff":{},"#,
                r#""totals_by_vat_rate":{"1000":{"base_cents":3,"vat_cents":4},"550":{"base_cents":1,"vat_cents":2}}}"#
            )
        );
        assert_eq!(
            serde_json::to_value(&s).unwrap().to_string(),
            r#"{"entries":0,"period_total_cents":0,"tickets_cancelled":0,"tickets_sold":0,"totals_by_method":{"cash":6,"online":7,"pass_culture":5},"totals_by_tariff":{},"totals_by_vat_rate":{"1000":{"base_cents":3,"vat_cents":4},"550":{"base_cents":1,"vat_cents":2}}}"#
        );
    }
}

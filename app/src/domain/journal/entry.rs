//! Cash journal entries, their canonical form, and the builder that chains them.
//!
//! # Canonical form (format 1)
//!
//! An entry's hash covers its **canonical form**: the entry as JSON with every field except
//! `hash`, keys in byte order at every level, no whitespace, integers written plainly, strings
//! escaped only where JSON requires (`"`, `\`, control characters as `\n`, `\t`, `\u001f`…; other
//! characters as UTF-8), `null` for an absent closure. Field by field:
//!
//! ```text
//! {"agent":str,"at":int,"closure":null|CLOSURE,"desk":str,"kind":KIND,"lines":[LINE,…],
//!  "order_ref":str,"payments":[PAYMENT,…],"perpetual_absolute_cents":int,
//!  "perpetual_total_cents":int,"prev_hash":str,"seq":int,"total_cents":int}
//! LINE    = {"label":str,"quantity":int,"tariff":str,"total_cents":int,"unit_price_cents":int,
//!            "vat_cents":int,"vat_rate_bp":int}
//! PAYMENT = {"amount_cents":int,"method":METHOD}
//! KIND    = "sale" | "refund" | "cancellation" | "exchange" | "closure"
//! METHOD  = "cash" | "card" | "cheque" | "pass_culture" | "voucher" | "free" | "online"
//! ```
//!
//! (`CLOSURE` is described in `closure`.) Lines and payments keep the order they were entered
//! in. Then `hash = lowercase hex of SHA-256(prev_hash ‖ canonical)`, `prev_hash` being the
//! previous entry's `hash` as 64 ASCII characters (64 zeros for entry 1). An auditor recomputes
//! it from an archive line (which is the canonical form with `"hash"` added) in Python:
//!
//! ```text
//! e = json.loads(line); h = e.pop("hash")
//! c = json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
//! assert hashlib.sha256((e["prev_hash"] + c).encode()).hexdigest() == h
//! ```
//!
//! The form never changes for entries already written: a change of fields is a new format,
//! announced in the archives' header.
use super::canonical::{push_array, push_str, Obj};
use super::chain::{self, Chained, GENESIS};
use super::closure::ClosureTotals;
use super::vat::{vat_of, MAX_RATE_BP};
use super::verify::{Reason, Shape};
use crate::domain::money::Cents;
use serde::{Deserialize, Serialize};

/// What an entry records. Corrections are always new entries with opposite signs, never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Tickets issued and paid: lines of positive quantities, payments ≥ 0 adding up to the total.
    Sale,
    /// Money given back: negative payments (at least one). With lines (negative quantities), the
    /// tickets are taken back at the same time and the payments add up to the total; without,
    /// the tickets were cancelled before (a `Cancellation`) and the total is 0.
    Refund,
    /// Tickets cancelled with no money moving now (free tickets; a performance cancelled by
    /// the venue, refunded later): lines of negative quantities, no payment.
    Cancellation,
    /// Tickets swapped: lines going out (negative) and coming in (positive); payments settle
    /// the difference (either way) and add up to the total.
    Exchange,
    /// A Z report: the totals of a day, month or year (`closure`); no line, no payment.
    Closure,
}

impl EntryKind {
    pub const ALL: [EntryKind; 5] = [
        EntryKind::Sale,
        EntryKind::Refund,
        EntryKind::Cancellation,
        EntryKind::Exchange,
        EntryKind::Closure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Sale => "sale",
            EntryKind::Refund => "refund",
            EntryKind::Cancellation => "cancellation",
            EntryKind::Exchange => "exchange",
            EntryKind::Closure => "closure",
        }
    }

    pub fn parse(raw: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn fr(self) -> &'static str {
        match self {
            EntryKind::Sale => "vente",
            EntryKind::Refund => "remboursement",
            EntryKind::Cancellation => "annulation",
            EntryKind::Exchange => "échange",
            EntryKind::Closure => "clôture",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            EntryKind::Sale => "sale",
            EntryKind::Refund => "refund",
            EntryKind::Cancellation => "cancellation",
            EntryKind::Exchange => "exchange",
            EntryKind::Closure => "closure",
        }
    }
}

/// How money moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    /// A card on the desk's external terminal.
    Card,
    Cheque,
    PassCulture,
    /// Chèque culture, gift voucher.
    Voucher,
    /// An invitation (amount 0).
    Free,
    /// A card paid on the web.
    Online,
}

impl From<crate::domain::counter::PaymentMethod> for PaymentMethod {
    /// The counter's means, as the journal records them.
    fn from(m: crate::domain::counter::PaymentMethod) -> PaymentMethod {
        use crate::domain::counter::PaymentMethod as Counter;
        match m {
            Counter::Cash => PaymentMethod::Cash,
            Counter::Card => PaymentMethod::Card,
            Counter::Cheque => PaymentMethod::Cheque,
            Counter::PassCulture => PaymentMethod::PassCulture,
            Counter::Voucher => PaymentMethod::Voucher,
            Counter::Free => PaymentMethod::Free,
        }
    }
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 7] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Cheque,
        PaymentMethod::PassCulture,
        PaymentMethod::Voucher,
        PaymentMethod::Free,
        PaymentMethod::Online,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::PassCulture => "pass_culture",
            PaymentMethod::Voucher => "voucher",
            PaymentMethod::Free => "free",
            PaymentMethod::Online => "online",
        }
    }

    pub fn parse(raw: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    pub fn fr(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "espèces",
            PaymentMethod::Card => "carte bancaire",
            PaymentMethod::Cheque => "chèque",
            PaymentMethod::PassCulture => "pass Culture",
            PaymentMethod::Voucher => "bon ou chèque culture",
            PaymentMethod::Free => "invitation",
            PaymentMethod::Online => "paiement en ligne",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::PassCulture => "pass Culture",
            PaymentMethod::Voucher => "voucher",
            PaymentMethod::Free => "invitation",
            PaymentMethod::Online => "online payment",
        }
    }
}

/// Tickets of one tariff in an entry. The quantity carries the sign (−2 = two tickets taken
/// back); the unit price is never negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Tariff code ("plein", "moins26").
    pub tariff: String,
    /// The label printed on the ticket ("Plein tarif").
    pub label: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    /// Basis points: 550 = 5.5 %.
    pub vat_rate_bp: i64,
    /// The VAT included in `total_cents` (computed on the line's total, not per ticket).
    pub vat_cents: i64,
    /// `quantity × unit_price_cents`, TTC.
    pub total_cents: i64,
}

impl Line {
    /// A line with its total and VAT computed. Absurd amounts saturate and are then refused by
    /// the journal's checks rather than wrapping around.
    pub fn new(
        tariff: &str,
        label: &str,
        quantity: i64,
        unit_price: Cents,
        vat_rate_bp: i64,
    ) -> Line {
        let total = quantity.saturating_mul(unit_price.0);
        Line {
            tariff: tariff.to_string(),
            label: label.to_string(),
            quantity,
            unit_price_cents: unit_price.0,
            vat_rate_bp,
            vat_cents: vat_of(total, vat_rate_bp),
            total_cents: total,
        }
    }

    fn check(&self, index: usize) -> Result<(), Reason> {
        if self.quantity == 0 || self.unit_price_cents < 0 {
            return Err(Reason::LineQuantity { line: index });
        }
        if !(0..=MAX_RATE_BP).contains(&self.vat_rate_bp) {
            return Err(Reason::LineRate { line: index });
        }
        if self.quantity.checked_mul(self.unit_price_cents) != Some(self.total_cents) {
            return Err(Reason::LineAmount { line: index });
        }
        if self.vat_cents != vat_of(self.total_cents, self.vat_rate_bp) {
            return Err(Reason::LineVat { line: index });
        }
        Ok(())
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Obj::open(out);
        o.str("label", &self.label);
        o.int("quantity", self.quantity);
        o.str("tariff", &self.tariff);
        o.int("total_cents", self.total_cents);
        o.int("unit_price_cents", self.unit_price_cents);
        o.int("vat_cents", self.vat_cents);
        o.int("vat_rate_bp", self.vat_rate_bp);
        o.close();
    }
}

/// Money received (> 0) or given back (< 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub method: PaymentMethod,
    pub amount_cents: i64,
}

impl Payment {
    pub fn new(method: PaymentMethod, amount: Cents) -> Payment {
        Payment {
            method,
            amount_cents: amount.0,
        }
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Obj::open(out);
        o.int("amount_cents", self.amount_cents);
        o.str("method", self.method.as_str());
        o.close();
    }
}

/// One entry of the cash journal, as stored and archived. Built only by [`Chain::append`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// 1, 2, 3… with no gap.
    pub seq: i64,
    /// Unix seconds, UTC; never before the previous entry's.
    pub at: i64,
    pub kind: EntryKind,
    /// The cash desk ("guichet-1"), "web" for online sales.
    pub desk: String,
    /// The staff member's e-mail, "en ligne" for online sales.
    pub agent: String,
    /// The order's reference; for a closure, the Z report's ("Z-2026-03-29").
    pub order_ref: String,
    pub lines: Vec<Line>,
    pub payments: Vec<Payment>,
    /// The sum of the lines' totals, TTC; negative for a correction.
    pub total_cents: i64,
    /// A closure's totals (closure entries only).
    pub closure: Option<ClosureTotals>,
    /// Grand total perpétuel: the sum of every entry's total up to this one.
    pub perpetual_total_cents: i64,
    /// The sum of every entry's |total| up to this one: a +x then −x pair still moves it.
    pub perpetual_absolute_cents: i64,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The bytes `hash` covers, after `prev_hash` (see the module's documentation).
    pub fn canonical(&self) -> Vec<u8> {
        chain::canonical(self)
    }

    /// The hash this entry should carry, recomputed.
    pub fn recompute_hash(&self) -> String {
        chain::recompute_hash(self)
    }
}

impl Chained for Entry {
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
        o.str("agent", &self.agent);
        o.int("at", self.at);
        match &self.closure {
            Some(c) => c.write_json(o.key("closure")),
            None => o.key("closure").extend_from_slice(b"null"),
        }
        o.str("desk", &self.desk);
        if with_hash {
            o.str("hash", &self.hash);
        }
        o.str("kind", self.kind.as_str());
        push_array(o.key("lines"), &self.lines, |out, l| l.write_json(out));
        o.str("order_ref", &self.order_ref);
        push_array(o.key("payments"), &self.payments, |out, p| {
            p.write_json(out)
        });
        o.int("perpetual_absolute_cents", self.perpetual_absolute_cents);
        o.int("perpetual_total_cents", self.perpetual_total_cents);
        push_str(o.key("prev_hash"), &self.prev_hash);
        o.int("seq", self.seq);
        o.int("total_cents", self.total_cents);
        o.close();
    }
}

/// What the caller supplies for a new entry; [`Chain::append`] adds the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub at: i64,
    pub kind: EntryKind,
    pub desk: String,
    pub agent: String,
    pub order_ref: String,
    pub lines: Vec<Line>,
    pub payments: Vec<Payment>,
    /// For a closure; its `cumulative_total_cents` is filled in by `append`.
    pub closure: Option<ClosureTotals>,
}

impl Draft {
    pub fn new(kind: EntryKind, at: i64, desk: &str, agent: &str, order_ref: &str) -> Draft {
        Draft {
            at,
            kind,
            desk: desk.to_string(),
            agent: agent.to_string(),
            order_ref: order_ref.to_string(),
            lines: Vec::new(),
            payments: Vec::new(),
            closure: None,
        }
    }

    pub fn line(mut self, line: Line) -> Draft {
        self.lines.push(line);
        self
    }

    pub fn pay(mut self, method: PaymentMethod, amount: Cents) -> Draft {
        self.payments.push(Payment::new(method, amount));
        self
    }

    /// The Z report of `totals.period`, referenced `Z-` and the period (`Z-2026-03-29`).
    pub fn closure(at: i64, desk: &str, agent: &str, totals: ClosureTotals) -> Draft {
        let reference = format!("Z-{}", totals.period);
        Draft {
            closure: Some(totals),
            ..Draft::new(EntryKind::Closure, at, desk, agent, &reference)
        }
    }
}

/// Where the journal stands after its last entry: what the next entry builds on, and where the
/// verification of a part of the journal (an archive) starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub at: i64,
    pub hash: String,
    pub perpetual_absolute_cents: i64,
    pub perpetual_total_cents: i64,
    pub seq: i64,
}

impl Head {
    pub fn of(entry: &Entry) -> Head {
        Head {
            seq: entry.seq,
            at: entry.at,
            hash: entry.hash.clone(),
            perpetual_total_cents: entry.perpetual_total_cents,
            perpetual_absolute_cents: entry.perpetual_absolute_cents,
        }
    }
}

/// The journal's builder. The storage keeps the entries; a `Chain` resumes from the last one
/// (`Chain::after(Some(Head::of(&last)))`), appends in the same transaction that stores, and
/// never needs more than that last entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    head: Option<Head>,
}

impl Chain {
    /// An empty journal.
    pub fn new() -> Chain {
        Chain { head: None }
    }

    /// A journal whose last entry is `head` (`None`: empty).
    pub fn after(head: Option<Head>) -> Chain {
        Chain { head }
    }

    pub fn head(&self) -> Option<&Head> {
        self.head.as_ref()
    }

    /// The next entry: seq, `prev_hash`, perpetual totals, a closure's cumulative total and the
    /// hash assigned. Refused (and the chain unchanged) when the draft breaks a rule the
    /// verification checks — in particular a time before the last entry's (a clock gone back:
    /// the caller appends at the last entry's time and records a clock jump in the technical
    /// journal).
    pub fn append(&mut self, draft: Draft) -> Result<Entry, Reason> {
        let (seq, prev_hash, perpetual, absolute) = match &self.head {
            None => (1, GENESIS.to_string(), 0, 0),
            Some(h) => {
                if draft.at < h.at {
                    return Err(Reason::TimeWentBack {
                        at: draft.at,
                        previous: h.at,
                    });
                }
                (
                    h.seq.checked_add(1).ok_or(Reason::OutOfRange)?,
                    h.hash.clone(),
                    h.perpetual_total_cents,
                    h.perpetual_absolute_cents,
                )
            }
        };
        let total = sum_lines(&draft.lines).ok_or(Reason::OutOfRange)?;
        let mut closure = draft.closure;
        if let Some(c) = closure.as_mut() {
            c.cumulative_total_cents = perpetual;
        }
        check_body(
            draft.kind,
            &draft.lines,
            &draft.payments,
            total,
            closure.as_ref(),
            draft.at,
        )?;
        let (perpetual, absolute) = perpetual_after(draft.kind, total, perpetual, absolute)?;
        let mut entry = Entry {
            seq,
            at: draft.at,
            kind: draft.kind,
            desk: draft.desk,
            agent: draft.agent,
            order_ref: draft.order_ref,
            lines: draft.lines,
            payments: draft.payments,
            total_cents: total,
            closure,
            perpetual_total_cents: perpetual,
            perpetual_absolute_cents: absolute,
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.recompute_hash();
        self.head = Some(Head::of(&entry));
        Ok(entry)
    }
}

/// The entry that follows `prev` (`None`: the first entry of the journal).
pub fn next(prev: Option<&Entry>, draft: Draft) -> Result<Entry, Reason> {
    Chain::after(prev.map(Head::of)).append(draft)
}

pub(crate) fn sum_lines(lines: &[Line]) -> Option<i64> {
    lines
        .iter()
        .try_fold(0i64, |sum, l| sum.checked_add(l.total_cents))
}

/// The perpetual totals after an entry of this kind and total (closures leave them).
pub(crate) fn perpetual_after(
    kind: EntryKind,
    total: i64,
    perpetual: i64,
    absolute: i64,
) -> Result<(i64, i64), Reason> {
    if kind == EntryKind::Closure {
        return Ok((perpetual, absolute));
    }
    let p = perpetual.checked_add(total);
    let a = total.checked_abs().and_then(|t| absolute.checked_add(t));
    p.zip(a).ok_or(Reason::OutOfRange)
}

/// The rules an entry's content obeys on its own (its place in the chain and a closure's sums
/// are checked by the verification): each line's arithmetic, the total, and each kind's signs.
pub(crate) fn check_body(
    kind: EntryKind,
    lines: &[Line],
    payments: &[Payment],
    total: i64,
    closure: Option<&ClosureTotals>,
    at: i64,
) -> Result<(), Reason> {
    for (i, line) in lines.iter().enumerate() {
        line.check(i)?;
    }
    if sum_lines(lines) != Some(total) {
        return Err(Reason::EntryTotal);
    }
    let paid = payments
        .iter()
        .try_fold(0i64, |sum, p| sum.checked_add(p.amount_cents))
        .ok_or(Reason::OutOfRange)?;
    let all_in = !lines.is_empty() && lines.iter().all(|l| l.quantity > 0);
    let all_out = lines.iter().all(|l| l.quantity < 0);
    let shape = |ok: bool, s: Shape| if ok { Ok(()) } else { Err(Reason::Shape(s)) };
    if (kind == EntryKind::Closure) != closure.is_some() {
        return Err(Reason::Shape(Shape::ClosureBody));
    }
    match kind {
        EntryKind::Sale => {
            shape(all_in, Shape::SaleLines)?;
            shape(
                payments.iter().all(|p| p.amount_cents >= 0) && paid == total,
                Shape::SalePayments,
            )
        }
        EntryKind::Refund => {
            shape(all_out, Shape::RefundLines)?;
            shape(
                !payments.is_empty()
                    && payments.iter().all(|p| p.amount_cents < 0)
                    && (lines.is_empty() || paid == total),
                Shape::RefundPayments,
            )
        }
        EntryKind::Cancellation => {
            shape(!lines.is_empty() && all_out, Shape::CancellationLines)?;
            shape(payments.is_empty(), Shape::CancellationPayments)
        }
        EntryKind::Exchange => {
            shape(
                lines.iter().any(|l| l.quantity < 0) && lines.iter().any(|l| l.quantity > 0),
                Shape::ExchangeLines,
            )?;
            shape(paid == total, Shape::ExchangePayments)
        }
        EntryKind::Closure => {
            shape(lines.is_empty() && payments.is_empty(), Shape::ClosureBody)?;
            match closure {
                Some(c) => c.check_own(at),
                None => Err(Reason::Shape(Shape::ClosureBody)),
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::journal::closure::{CashCounted, Period};
    use crate::domain::paris::utc_from_ymd_hm;

    pub(crate) fn plein(q: i64) -> Line {
        Line::new("plein", "Plein tarif", q, Cents(1850), 550)
    }

    pub(crate) fn reduit(q: i64) -> Line {
        Line::new("reduit", "Tarif réduit", q, Cents(1200), 550)
    }

    /// The fixed entry of the golden test.
    fn golden_entry() -> Entry {
        let draft = Draft::new(
            EntryKind::Sale,
            1_796_499_000,
            "guichet-1",
            "zoé@mairie.fr",
            "CMD-2026-0001234",
        )
        .line(plein(2))
        .line(Line::new(
            "moins26",
            "Moins de 26 ans « jeunes »",
            1,
            Cents(900),
            550,
        ))
        .pay(PaymentMethod::Card, Cents(3000))
        .pay(PaymentMethod::Cash, Cents(1600));
        next(None, draft).unwrap()
    }

    #[test]
    fn golden_canonical_form_and_hash() {
        let e = golden_entry();
        assert_eq!(
            String::from_utf8(e.canonical()).unwrap(),
            concat!(
                r#"{"agent":"zoé@mairie.fr","at":1796499000,"closure":null,"desk":"guichet-1","#,
                r#""kind":"sale","lines":[{"label":"Plein tarif","quantity":2,"tariff":"plein","#,
                r#""total_cents":3700,"unit_price_cents":1850,"vat_cents":193,"vat_rate_bp":550},"#,
                r#"{"label":"Moins de 26 ans « jeunes »","quantity":1,"tariff":"moins26","#,
                r#""total_cents":900,"unit_price_cents":900,"vat_cents":47,"vat_rate_bp":550}],"#,
                r#""order_ref":"CMD-2026-0001234","payments":[{"amount_cents":3000,"method":"card"},"#,
                r#"{"amount_cents":1600,"method":"cash"}],"perpetual_absolute_cents":4600,"#,
                r#""perpetual_total_cents":4600,"prev_hash":"#,
                r#""0000000000000000000000000000000000000000000000000000000000000000","#,
                r#""seq":1,"total_cents":4600}"#
            )
        );
        // Recomputed independently: Python's hashlib over the same bytes.
        assert_eq!(
            e.hash,
            "06a5eb8f60e42e40f06a35f4ce41b32cca95e18c389667226f92ec364e71c696"
        );
    }

    /// The canonical form is what serde_json writes for the same entry with sorted keys (its
    /// maps are ordered), minus `hash`; the archive line is the same with `hash`.
    pub(crate) fn assert_canonical_matches_serde(e: &Entry) {
        let mut v = serde_json::to_value(e).unwrap();
        let with_hash = v.to_string();
        let mut line = Vec::new();
        e.write_json(&mut line, true);
        assert_eq!(String::from_utf8(line).unwrap(), with_hash);
        v.as_object_mut().unwrap().remove("hash");
        assert_eq!(String::from_utf8(e.canonical()).unwrap(), v.to_string());
    }

    #[test]
    fn canonical_form_is_sorted_json() {
        assert_canonical_matches_serde(&golden_entry());
        let mut chain = Chain::new();
        let day = utc_from_ymd_hm(2026, 3, 28, 14, 0);
        let sale = chain
            .append(
                Draft::new(EntryKind::Sale, day, "guichet-1", "a\"b\\c\n\t@x", "R\u{1}")
                    .line(reduit(3))
                    .line(Line::new("invitation", "Invitation", 1, Cents(0), 0))
                    .pay(PaymentMethod::PassCulture, Cents(3600))
                    .pay(PaymentMethod::Free, Cents(0)),
            )
            .unwrap();
        assert_canonical_matches_serde(&sale);
        let period = Period::Day(chrono::NaiveDate::from_ymd_opt(2026, 3, 28).unwrap());
        let totals = ClosureTotals::compute(
            period,
            [&sale],
            &[CashCounted {
                desk: "guichet-1".into(),
                opening_float_cents: 5000,
                counted_cents: 5000,
            }],
        )
        .unwrap();
        let z = chain
            .append(Draft::closure(
                utc_from_ymd_hm(2026, 3, 29, 0, 5),
                "guichet-1",
                "zoé@mairie.fr",
                totals,
            ))
            .unwrap();
        assert_canonical_matches_serde(&z);
        // Serde reads back what it wrote.
        let back: Entry = serde_json::from_value(serde_json::to_value(&z).unwrap()).unwrap();
        assert_eq!(back, z);
    }

    #[test]
    fn lines_compute_vat_and_total() {
        let l = plein(2);
        assert_eq!((l.total_cents, l.vat_cents), (3700, 193));
        let back = plein(-2);
        assert_eq!((back.total_cents, back.vat_cents), (-3700, -193));
        let free = Line::new("invitation", "Invitation", 1, Cents(0), 550);
        assert_eq!((free.total_cents, free.vat_cents), (0, 0));
        // Saturated, then refused.
        let huge = Line::new("plein", "x", i64::MAX, Cents(2), 550);
        assert_eq!(huge.total_cents, i64::MAX);
        let r = next(
            None,
            Draft::new(EntryKind::Sale, 0, "g", "a", "r")
                .line(huge)
                .pay(PaymentMethod::Cash, Cents(i64::MAX)),
        );
        assert_eq!(r, Err(Reason::LineAmount { line: 0 }));
    }

    #[test]
    fn builder_chains_and_totals() {
        let mut chain = Chain::new();
        let t = utc_from_ymd_hm(2026, 12, 5, 19, 0);
        let a = chain
            .append(
                Draft::new(EntryKind::Sale, t, "guichet-1", "a@x.fr", "C1")
                    .line(plein(2))
                    .pay(PaymentMethod::Cash, Cents(3700)),
            )
            .unwrap();
        assert_eq!((a.seq, a.prev_hash.as_str()), (1, GENESIS));
        assert_eq!(
            (a.perpetual_total_cents, a.perpetual_absolute_cents),
            (3700, 3700)
        );
        let b = chain
            .append(
                Draft::new(EntryKind::Refund, t + 60, "guichet-1", "a@x.fr", "C1")
                    .line(plein(-1))
                    .pay(PaymentMethod::Cash, Cents(-1850)),
            )
            .unwrap();
        assert_eq!((b.seq, &b.prev_hash), (2, &a.hash));
        assert_eq!(b.total_cents, -1850);
        assert_eq!(
            (b.perpetual_total_cents, b.perpetual_absolute_cents),
            (1850, 5550)
        );
        assert_eq!(b.hash, b.recompute_hash());
        assert_eq!(chain.head(), Some(&Head::of(&b)));
        // Resuming from the stored last entry gives the same next entry.
        let draft =
            Draft::new(EntryKind::Cancellation, t + 120, "web", "en ligne", "C2").line(reduit(-1));
        let c1 = chain.append(draft.clone()).unwrap();
        let c2 = next(Some(&b), draft).unwrap();
        assert_eq!(c1, c2);
        assert_eq!(c1.perpetual_total_cents, 650);
    }

    #[test]
    fn builder_refuses_what_verify_would() {
        let mut chain = Chain::new();
        let t = 1_800_000_000;
        let ok = Draft::new(EntryKind::Sale, t, "g", "a", "r")
            .line(plein(1))
            .pay(PaymentMethod::Card, Cents(1850));
        chain.append(ok.clone()).unwrap();
        let head = chain.head().cloned();
        let cases: Vec<(Draft, Reason)> = vec![
            (
                Draft {
                    at: t - 1,
                    ..ok.clone()
                },
                Reason::TimeWentBack {
                    at: t - 1,
                    previous: t,
                },
            ),
            (
                Draft {
                    lines: vec![plein(-1)],
                    ..ok.clone()
                },
                Reason::Shape(Shape::SaleLines),
            ),
            (
                ok.clone().pay(PaymentMethod::Cash, Cents(1)),
                Reason::Shape(Shape::SalePayments),
            ),
            (
                Draft::new(EntryKind::Refund, t, "g", "a", "r").line(plein(-1)),
                Reason::Shape(Shape::RefundPayments),
            ),
            (
                Draft::new(EntryKind::Refund, t, "g", "a", "r")
                    .line(plein(1))
                    .pay(PaymentMethod::Cash, Cents(-1850)),
                Reason::Shape(Shape::RefundLines),
            ),
            (
                Draft::new(EntryKind::Cancellation, t, "g", "a", "r")
                    .line(plein(-1))
                    .pay(PaymentMethod::Cash, Cents(-1850)),
                Reason::Shape(Shape::CancellationPayments),
            ),
            (
                Draft::new(EntryKind::Exchange, t, "g", "a", "r").line(plein(1)),
                Reason::Shape(Shape::ExchangeLines),
            ),
            (
                Draft::new(EntryKind::Exchange, t, "g", "a", "r")
                    .line(plein(-1))
                    .line(reduit(1)),
                Reason::Shape(Shape::ExchangePayments),
            ),
            (
                Draft::new(EntryKind::Closure, t, "g", "a", "r"),
                Reason::Shape(Shape::ClosureBody),
            ),
            (
                Draft::new(EntryKind::Sale, t, "g", "a", "r")
                    .line(Line::new("plein", "P", 1, Cents(1000), 20_000))
                    .pay(PaymentMethod::Cash, Cents(1000)),
                Reason::LineRate { line: 0 },
            ),
            (
                Draft::new(EntryKind::Sale, t, "g", "a", "r").line(Line::new(
                    "plein",
                    "P",
                    0,
                    Cents(1000),
                    550,
                )),
                Reason::LineQuantity { line: 0 },
            ),
        ];
        for (draft, reason) in cases {
            assert_eq!(chain.append(draft.clone()), Err(reason), "{draft:?}");
            assert_eq!(chain.head().cloned(), head, "refusal leaves the chain");
        }
        // An exchange settling the difference, and a refund of tickets cancelled before.
        chain
            .append(
                Draft::new(EntryKind::Exchange, t, "g", "a", "r")
                    .line(reduit(-1))
                    .line(plein(1))
                    .pay(PaymentMethod::Cash, Cents(650)),
            )
            .unwrap();
        let r = chain
            .append(
                Draft::new(EntryKind::Refund, t, "g", "a", "r")
                    .pay(PaymentMethod::Card, Cents(-1850)),
            )
            .unwrap();
        assert_eq!((r.total_cents, r.perpetual_total_cents), (0, 1850 + 650));
    }

    #[test]
    fn kinds_and_methods_round_trip() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(m));
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                format!("\"{}\"", m.as_str())
            );
        }
    }
}

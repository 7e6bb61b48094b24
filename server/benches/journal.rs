//! Cash journal benchmark: `cargo bench -p server --bench journal`.
//!
//! Builds JOURNAL_ENTRIES (1,000,000) chained entries in memory — 1–4 lines and 1–2 payments
//! each, sales with some refunds, cancellations, exchanges and invitations, about 900 a day at
//! three desks and the web, with every day's, month's and year's closure (Z report) computed
//! from its entries and appended once the period is over — and prints, one thread, the time to
//! build them and to `verify` them (entries/s); then the same through an archive: written to
//! memory, read back (parsed), verified, and read-and-verified as a stream in constant memory.
//! Target (issue 10): verify 1 million entries in < 10 s.
use app::domain::journal::archive::{self, Header};
use app::domain::journal::{
    verify, CashCounted, Chain, ClosureTotals, Draft, Entry, EntryKind, Line, PaymentMethod, Period,
};
use app::domain::{paris, Cents};
use chrono::NaiveDate;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const TARIFFS: [(&str, &str, i64, i64); 6] = [
    ("plein", "Plein tarif", 1850, 550),
    ("reduit", "Tarif réduit", 1200, 550),
    ("moins26", "Moins de 26 ans", 900, 550),
    ("enfant", "Enfant", 650, 550),
    ("cine", "Séance de cinéma", 750, 550),
    ("creation", "Création (2,1 %)", 2200, 210),
];

/// 1 to `most` lines.
fn lines(rng: &mut Rng, sign: i64, most: u64) -> Vec<Line> {
    let count = 1 + rng.below(most);
    (0..count)
        .map(|_| {
            let (code, label, price, rate) = TARIFFS[rng.below(TARIFFS.len() as u64) as usize];
            let q = sign * (1 + rng.below(3) as i64);
            Line::new(code, label, q, Cents(price), rate)
        })
        .collect()
}

fn draft(rng: &mut Rng, at: i64) -> Draft {
    let (desk, agent, web) = match rng.below(4) {
        0 => ("guichet-1", "zoe.lefevre@mairie-montbrison.fr", false),
        1 => ("guichet-2", "marc.dubois@mairie-montbrison.fr", false),
        2 => ("guichet-3", "ines.martin@mairie-montbrison.fr", false),
        _ => ("web", "en ligne", true),
    };
    let reference = format!("CMD-2026-{:07}", rng.below(10_000_000));
    let new = |kind| Draft::new(kind, at, desk, agent, &reference);
    let roll = rng.below(100);
    let mut d = if roll < 4 {
        new(EntryKind::Cancellation)
    } else if roll < 9 {
        new(EntryKind::Refund)
    } else if roll < 12 {
        new(EntryKind::Exchange)
    } else {
        new(EntryKind::Sale)
    };
    match d.kind {
        EntryKind::Cancellation => d.lines = lines(rng, -1, 2),
        EntryKind::Refund => {
            d.lines = lines(rng, -1, 2);
            let back: i64 = d.lines.iter().map(|l| l.total_cents).sum();
            let method = if web {
                PaymentMethod::Online
            } else {
                PaymentMethod::Cash
            };
            d = d.pay(method, Cents(back));
        }
        EntryKind::Exchange => {
            d.lines = lines(rng, -1, 1);
            d.lines.extend(lines(rng, 1, 2));
            let diff: i64 = d.lines.iter().map(|l| l.total_cents).sum();
            d = d.pay(PaymentMethod::Cash, Cents(diff));
        }
        _ if roll < 15 => {
            d.lines = vec![Line::new("invitation", "Invitation", 2, Cents(0), 550)];
            d = d.pay(PaymentMethod::Free, Cents(0));
        }
        _ => {
            d.lines = lines(rng, 1, 4);
            let total: i64 = d.lines.iter().map(|l| l.total_cents).sum();
            if web {
                d = d.pay(PaymentMethod::Online, Cents(total));
            } else {
                let other = [
                    PaymentMethod::Card,
                    PaymentMethod::Card,
                    PaymentMethod::PassCulture,
                    PaymentMethod::Cheque,
                    PaymentMethod::Voucher,
                ][rng.below(5) as usize];
                let cash = if rng.below(2) == 0 {
                    total.min(500 * rng.below(5) as i64)
                } else {
                    0
                };
                if cash > 0 {
                    d = d.pay(PaymentMethod::Cash, Cents(cash));
                }
                if total - cash > 0 || cash == 0 {
                    d = d.pay(other, Cents(total - cash));
                }
            }
        }
    }
    d
}

/// Where the periods being filled started, in the entries vector.
struct Open {
    period: Period,
    until: i64,
    start: usize,
}

fn open(period: Period, start: usize) -> Open {
    let until = period.bounds().map(|(_, u)| u).unwrap_or(i64::MAX);
    Open {
        period,
        until,
        start,
    }
}

fn build(count: usize) -> Vec<Entry> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut chain = Chain::new();
    let mut entries: Vec<Entry> = Vec::with_capacity(count + count / 500);
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let mut at = paris::day_bounds(first).0 + 10 * 3600;
    let mut periods = [
        open(Period::Day(first), 0),
        open(Period::Month(2026, 1), 0),
        open(Period::Year(2026), 0),
    ];
    let desks = ["guichet-1", "guichet-2", "guichet-3"];
    while entries.len() < count {
        // About 900 entries a day, 96 s apart on average.
        at += 1 + rng.below(190) as i64;
        // Periods over: their closures, written at this entry's time (after the period ended).
        for p in periods.iter_mut() {
            if at < p.until {
                continue;
            }
            let counted: Vec<CashCounted> = match p.period {
                Period::Day(_) => desks
                    .iter()
                    .map(|d| CashCounted {
                        desk: d.to_string(),
                        opening_float_cents: 15_000,
                        counted_cents: 15_000 + rng.below(200_000) as i64,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let totals = ClosureTotals::compute(p.period, &entries[p.start..], &counted)
                .expect("a valid period");
            let z = chain
                .append(Draft::closure(
                    at,
                    "guichet-1",
                    "zoe.lefevre@mairie-montbrison.fr",
                    totals,
                ))
                .expect("a closure after its period");
            entries.push(z);
            *p = open(Period::of(p.period.frequency(), at), entries.len());
        }
        let entry = chain.append(draft(&mut rng, at)).expect("a valid draft");
        entries.push(entry);
    }
    entries
}

fn rate(n: usize, d: Duration) -> String {
    format!(
        "{:>8.2} s  {:>9.0} entries/s",
        d.as_secs_f64(),
        n as f64 / d.as_secs_f64()
    )
}

/// Peak resident memory of this process (Linux), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let count: usize = env_or("JOURNAL_ENTRIES", 1_000_000);
    println!("cash journal, {count} entries, one thread");

    let t = Instant::now();
    let entries = build(count);
    let built = t.elapsed();
    let closures = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Closure)
        .count();
    let (first, last) = (&entries[0], &entries[entries.len() - 1]);
    println!(
        "build (Chain::append, closures computed){}  — {} entries incl. {closures} closures, {} → {}",
        rate(entries.len(), built),
        entries.len(),
        paris::day_key(first.at),
        paris::day_key(last.at),
    );

    let t = Instant::now();
    let summary = verify(black_box(&entries)).expect("the journal verifies");
    let verified = t.elapsed();
    println!(
        "verify (in memory)                   {}",
        rate(entries.len(), verified)
    );
    assert_eq!(summary.entries as usize, entries.len());
    assert_eq!(summary.closures as usize, closures);

    let header = Header {
        after: None,
        created_at: last.at,
        period: None,
        software: format!("guichet {}", env!("CARGO_PKG_VERSION")),
    };
    let t = Instant::now();
    let bytes = archive::write(&header, &entries);
    println!(
        "archive: write                       {}  — {:.0} MB, {:.0} bytes/entry",
        rate(entries.len(), t.elapsed()),
        bytes.len() as f64 / 1e6,
        bytes.len() as f64 / entries.len() as f64
    );
    let t = Instant::now();
    let digest = archive::digest_hex(&bytes);
    println!(
        "archive: SHA-256 of the file          {:>8.2} s  {:.0} MB/s ({}…)",
        t.elapsed().as_secs_f64(),
        bytes.len() as f64 / 1e6 / t.elapsed().as_secs_f64(),
        &digest[..16]
    );
    drop(entries);
    let t = Instant::now();
    let read = archive::read::<Entry>(&bytes).expect("the archive reads back");
    println!(
        "archive: read back (parse)           {}",
        rate(read.items.len(), t.elapsed())
    );
    let t = Instant::now();
    let again = read.verify().expect("the archive verifies");
    let verified_again = t.elapsed();
    println!(
        "archive: verify the parsed entries   {}",
        rate(read.items.len(), verified_again)
    );
    assert_eq!(again, summary);
    let n = read.items.len();
    drop(read);
    let t = Instant::now();
    let (_, streamed) = archive::verify_cash(&bytes[..]).expect("the archive verifies");
    println!(
        "archive: read and verify, streaming  {}",
        rate(n, t.elapsed())
    );
    assert_eq!(streamed, summary);
    if let Some(mb) = peak_rss_mb() {
        println!("peak RSS {mb:.0} MB (the entries, then the archive and its parsed copy)");
    }
    println!(
        "target: verify 1 million entries < 10 s: {} ({:.2} s for {})",
        if verified.as_secs_f64() * 1e6 / (n as f64) < 10.0 {
            "met"
        } else {
            "NOT met"
        },
        verified.as_secs_f64(),
        n
    );
}

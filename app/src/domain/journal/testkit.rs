//! Journals for the tests: days of box-office and web activity with their closures.
use super::closure::{CashCounted, ClosureTotals, Period};
use super::entry::{Chain, Draft, Entry, EntryKind, Line, PaymentMethod};
use crate::domain::money::Cents;
use crate::domain::paris;
use chrono::{Datelike, Duration, NaiveDate};

pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn line(rng: &mut Rng, sign: i64) -> Line {
    let q = sign * (1 + rng.below(3) as i64);
    match rng.below(4) {
        0 => Line::new("plein", "Plein tarif", q, Cents(1850), 550),
        1 => Line::new("reduit", "Tarif réduit", q, Cents(1200), 550),
        2 => Line::new("moins26", "Moins de 26 ans", q, Cents(900), 550),
        _ => Line::new("creation", "Création (2,1 %)", q, Cents(2200), 210),
    }
}

/// A draft of a random kind at `at`.
pub(crate) fn draft(rng: &mut Rng, at: i64) -> Draft {
    let (desk, agent) = match rng.below(3) {
        0 => ("guichet-1", "zoe@mairie.fr"),
        1 => ("guichet-2", "marc@mairie.fr"),
        _ => ("web", "en ligne"),
    };
    let reference = format!("CMD-{}", rng.below(100_000));
    let d = |kind| Draft::new(kind, at, desk, agent, &reference);
    match rng.below(10) {
        0 => d(EntryKind::Cancellation).line(line(rng, -1)),
        1 => {
            let l = line(rng, -1);
            let back = l.total_cents;
            d(EntryKind::Refund)
                .line(l)
                .pay(PaymentMethod::Cash, Cents(back))
        }
        2 => d(EntryKind::Refund).pay(PaymentMethod::Card, Cents(-1200)),
        3 => {
            let (out, inn) = (line(rng, -1), line(rng, 1));
            let diff = out.total_cents + inn.total_cents;
            d(EntryKind::Exchange)
                .line(out)
                .line(inn)
                .pay(PaymentMethod::Cash, Cents(diff))
        }
        4 => d(EntryKind::Sale)
            .line(Line::new("invitation", "Invitation", 2, Cents(0), 550))
            .pay(PaymentMethod::Free, Cents(0)),
        _ => {
            let (a, b) = (line(rng, 1), line(rng, 1));
            let total = a.total_cents + b.total_cents;
            let cash = total.min(1000 * rng.below(3) as i64);
            let method = if desk == "web" {
                PaymentMethod::Online
            } else {
                [
                    PaymentMethod::Card,
                    PaymentMethod::PassCulture,
                    PaymentMethod::Cheque,
                ][rng.below(3) as usize]
            };
            d(EntryKind::Sale)
                .line(a)
                .line(b)
                .pay(PaymentMethod::Cash, Cents(cash))
                .pay(method, Cents(total - cash))
        }
    }
}

/// `days` days from `first`: `per_day` entries each between 10:00 and 01:00 the next night
/// (Paris), then — when `closures` — each day's closure at 00:30 the next day (after that
/// night's first web sales), the month's at 00:40 on the 1st, the year's at 00:50 on 1 January.
pub(crate) fn journal(first: NaiveDate, days: i64, per_day: usize, closures: bool) -> Vec<Entry> {
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    let mut chain = Chain::new();
    let mut out: Vec<Entry> = Vec::new();
    let mut to_close: Vec<(i64, Period)> = Vec::new();
    for n in 0..days {
        let day = first + Duration::days(n);
        let (start, _) = paris::day_bounds(day);
        // Scheduled first: the night's late sales already come after the day's closure.
        if closures {
            let next = day + Duration::days(1);
            let (next_start, _) = paris::day_bounds(next);
            to_close.push((next_start + 1800, Period::Day(day)));
            if next.day() == 1 {
                to_close.push((next_start + 2400, Period::Month(day.year(), day.month())));
            }
            if next.ordinal() == 1 {
                to_close.push((next_start + 3000, Period::Year(day.year())));
            }
        }
        let mut times: Vec<i64> = (0..per_day)
            .map(|_| start + 10 * 3600 + rng.below(15 * 3600) as i64)
            .collect();
        times.sort_unstable();
        for at in times {
            to_close.retain(|(when, period)| {
                if *when > at {
                    return true;
                }
                let counted = [CashCounted {
                    desk: "guichet-1".into(),
                    opening_float_cents: 15_000,
                    counted_cents: 15_000 + rng.below(5000) as i64,
                }];
                let cash = if matches!(period, Period::Day(_)) {
                    &counted[..]
                } else {
                    &[]
                };
                let totals = ClosureTotals::compute(*period, &out, cash).unwrap();
                let z = chain.append(Draft::closure(*when, "guichet-1", "zoe@mairie.fr", totals));
                out.push(z.unwrap());
                false
            });
            out.push(chain.append(draft(&mut rng, at)).unwrap());
        }
    }
    out
}

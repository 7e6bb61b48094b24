//! Sales over a period, for the cultural services: tickets and receipts by Paris day and sale
//! channel (the chart), the shows that sold most, and each performance's occupancy.
use crate::box_office::{DaySales, ShowSales};
use std::collections::BTreeMap;

/// A paid ticket of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidTicket {
    /// When its order was paid (UTC seconds).
    pub paid_at: i64,
    /// `online` or `box_office`.
    pub channel: String,
    pub price_cents: i64,
    pub performance_id: i64,
    pub show_title: String,
}

/// The longest period a report covers, in days.
pub const MAX_DAYS: i64 = 366;

/// By Paris day, every day of `days` listed (a day without sales shows as zero).
pub fn by_day(tickets: &[PaidTicket], days: &[String]) -> Vec<DaySales> {
    let mut out: BTreeMap<String, DaySales> = days
        .iter()
        .map(|d| {
            (
                d.clone(),
                DaySales {
                    day: d.clone(),
                    online_tickets: 0,
                    online_cents: 0,
                    box_office_tickets: 0,
                    box_office_cents: 0,
                },
            )
        })
        .collect();
    for t in tickets {
        let Some(day) = out.get_mut(&crate::domain::paris::day_key(t.paid_at)) else {
            continue;
        };
        if t.channel == "box_office" {
            day.box_office_tickets += 1;
            day.box_office_cents += t.price_cents;
        } else {
            day.online_tickets += 1;
            day.online_cents += t.price_cents;
        }
    }
    out.into_values().collect()
}

/// The shows by tickets sold, most first (receipts, then title, break ties); `limit` of them.
pub fn top_shows(tickets: &[PaidTicket], limit: usize) -> Vec<ShowSales> {
    let mut by: BTreeMap<&str, ShowSales> = BTreeMap::new();
    for t in tickets {
        let s = by.entry(&t.show_title).or_insert_with(|| ShowSales {
            title: t.show_title.clone(),
            tickets: 0,
            receipts_cents: 0,
        });
        s.tickets += 1;
        s.receipts_cents += t.price_cents;
    }
    let mut all: Vec<ShowSales> = by.into_values().collect();
    all.sort_by(|a, b| {
        b.tickets
            .cmp(&a.tickets)
            .then(b.receipts_cents.cmp(&a.receipts_cents))
            .then(a.title.cmp(&b.title))
    });
    all.truncate(limit);
    all
}

/// Occupancy in tenths of a percent (sold × 1000 / capacity), 0 for no capacity.
pub fn occupancy_permille(sold: i64, capacity: i64) -> i64 {
    if capacity <= 0 {
        0
    } else {
        sold * 1000 / capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(paid_at: i64, channel: &str, price: i64, title: &str) -> PaidTicket {
        PaidTicket {
            paid_at,
            channel: channel.into(),
            price_cents: price,
            performance_id: 1,
            show_title: title.into(),
        }
    }

    // 2026-12-05 20:30 Paris.
    const SAT: i64 = 1_796_499_000;

    #[test]
    fn sales_fall_on_their_paris_day_and_channel() {
        let days = vec!["2026-12-05".to_string(), "2026-12-06".to_string()];
        let tickets = [
            t(SAT, "online", 2000, "Tartuffe"),
            t(SAT + 60, "box_office", 1500, "Tartuffe"),
            // 23:30 UTC on the 5th is already 00:30 on the 6th in Paris.
            t(SAT + 4 * 3600, "online", 2000, "Dune"),
            // Outside the period: not counted.
            t(SAT + 5 * 86_400, "online", 2000, "Dune"),
        ];
        let d = by_day(&tickets, &days);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].online_tickets, d[0].online_cents), (1, 2000));
        assert_eq!((d[0].box_office_tickets, d[0].box_office_cents), (1, 1500));
        assert_eq!((d[1].online_tickets, d[1].box_office_tickets), (1, 0));
    }

    #[test]
    fn the_shows_that_sold_most_come_first() {
        let tickets = [
            t(SAT, "online", 2000, "Tartuffe"),
            t(SAT, "online", 900, "Dune"),
            t(SAT, "online", 900, "Dune"),
        ];
        let top = top_shows(&tickets, 10);
        assert_eq!(top[0].title, "Dune");
        assert_eq!((top[0].tickets, top[0].receipts_cents), (2, 1800));
        assert_eq!(top_shows(&tickets, 1).len(), 1);
        assert_eq!(occupancy_permille(226, 452), 500);
        assert_eq!(occupancy_permille(3, 0), 0);
    }
}

//! The statement at the end of a performance (relevé / bordereau de recettes, CGI 290 quater
//! for the theatre): for each tariff its ticket series, the numbers used, the tickets issued
//! and taken back, and the receipts; the same by sale channel; and the house by category
//! (free, held, sold, blocked). Plain figures from the tickets and the seat map.
use crate::box_office::{ChannelLine, SeatCount, StatementTotals, TariffLine};
use crate::dto::SeatStatus;
use std::collections::BTreeMap;

/// One ticket of the performance, as the statement reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoldTicket {
    pub venue_code: String,
    pub tariff_code: String,
    pub tariff_label: String,
    pub number: i64,
    pub price_cents: i64,
    /// Not cancelled.
    pub valid: bool,
    /// `online` or `box_office`.
    pub channel: String,
}

/// Per tariff, in tariff order: numbers used (first, last), issued, taken back, receipts.
pub fn tariff_lines(tickets: &[SoldTicket]) -> Vec<TariffLine> {
    let mut by: BTreeMap<&str, TariffLine> = BTreeMap::new();
    for t in tickets {
        let line = by.entry(&t.tariff_code).or_insert_with(|| TariffLine {
            tariff: t.tariff_code.clone(),
            label: t.tariff_label.clone(),
            series: format!("{}-{}", t.venue_code, t.tariff_code.to_uppercase()),
            first_number: t.number,
            last_number: t.number,
            issued: 0,
            cancelled: 0,
            receipts_cents: 0,
        });
        line.first_number = line.first_number.min(t.number);
        line.last_number = line.last_number.max(t.number);
        line.issued += 1;
        if t.valid {
            line.receipts_cents += t.price_cents;
        } else {
            line.cancelled += 1;
        }
    }
    by.into_values().collect()
}

/// Per channel: valid tickets and receipts.
pub fn channel_lines(tickets: &[SoldTicket]) -> Vec<ChannelLine> {
    let mut by: BTreeMap<&str, ChannelLine> = BTreeMap::new();
    for t in tickets.iter().filter(|t| t.valid) {
        let line = by.entry(&t.channel).or_insert_with(|| ChannelLine {
            channel: t.channel.clone(),
            tickets: 0,
            receipts_cents: 0,
        });
        line.tickets += 1;
        line.receipts_cents += t.price_cents;
    }
    by.into_values().collect()
}

/// The house by category label, in the order the categories come.
pub fn seat_counts<'a>(seats: impl IntoIterator<Item = (&'a str, SeatStatus)>) -> Vec<SeatCount> {
    let mut out: Vec<SeatCount> = Vec::new();
    for (category, status) in seats {
        let i = match out.iter().position(|c| c.category == category) {
            Some(i) => i,
            None => {
                out.push(SeatCount {
                    category: category.to_string(),
                    free: 0,
                    held: 0,
                    sold: 0,
                    blocked: 0,
                });
                out.len() - 1
            }
        };
        let c = &mut out[i];
        match status {
            SeatStatus::Free => c.free += 1,
            SeatStatus::Held => c.held += 1,
            SeatStatus::Sold => c.sold += 1,
            SeatStatus::Blocked => c.blocked += 1,
        }
    }
    out
}

pub fn totals(tariffs: &[TariffLine], tickets: &[SoldTicket]) -> StatementTotals {
    StatementTotals {
        issued: tariffs.iter().map(|t| t.issued).sum(),
        cancelled: tariffs.iter().map(|t| t.cancelled).sum(),
        receipts_cents: tariffs.iter().map(|t| t.receipts_cents).sum(),
        invitations: tickets
            .iter()
            .filter(|t| t.valid && t.price_cents == 0)
            .count() as i64,
    }
}

/// The statement as CSV for a spreadsheet in French: `;` between fields, decimal commas,
/// one section per table.
pub fn csv(s: &crate::box_office::Statement) -> String {
    use crate::domain::export::{euros, field};
    let mut out = String::new();
    out.push_str(&format!(
        "Relevé de recettes;{};{};{};{}\n\n",
        field(&s.title),
        field(&crate::domain::paris::datetime_fr(s.starts_at.0)),
        field(&s.venue),
        field(&s.hall)
    ));
    out.push_str(
        "Tarif;Libellé;Série;Premier n°;Dernier n°;Billets émis;Billets annulés;Recette (€)\n",
    );
    for t in &s.tariffs {
        out.push_str(&format!(
            "{};{};{};{};{};{};{};{}\n",
            field(&t.tariff),
            field(&t.label),
            field(&t.series),
            t.first_number,
            t.last_number,
            t.issued,
            t.cancelled,
            euros(t.receipts_cents)
        ));
    }
    out.push_str(&format!(
        "Total;;;;;{};{};{}\n\nCanal;Billets;Recette (€)\n",
        s.totals.issued,
        s.totals.cancelled,
        euros(s.totals.receipts_cents)
    ));
    for c in &s.channels {
        out.push_str(&format!(
            "{};{};{}\n",
            field(&c.channel),
            c.tickets,
            euros(c.receipts_cents)
        ));
    }
    out.push_str("\nCatégorie;Libres;Retenues;Vendues;Bloquées\n");
    for c in &s.seats {
        out.push_str(&format!(
            "{};{};{};{};{}\n",
            field(&c.category),
            c.free,
            c.held,
            c.sold,
            c.blocked
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tariff: &str, number: i64, price: i64, valid: bool, channel: &str) -> SoldTicket {
        SoldTicket {
            venue_code: "TM".into(),
            tariff_code: tariff.into(),
            tariff_label: tariff.to_uppercase(),
            number,
            price_cents: price,
            valid,
            channel: channel.into(),
        }
    }

    #[test]
    fn each_tariff_says_its_numbers_its_tickets_and_its_receipts() {
        let tickets = [
            t("plein", 17, 2000, true, "online"),
            t("plein", 18, 2000, false, "online"),
            t("plein", 21, 2000, true, "box_office"),
            t("reduit", 4, 1500, true, "box_office"),
        ];
        let lines = tariff_lines(&tickets);
        assert_eq!(lines.len(), 2);
        let plein = &lines[0];
        assert_eq!(plein.series, "TM-PLEIN");
        assert_eq!((plein.first_number, plein.last_number), (17, 21));
        assert_eq!(
            (plein.issued, plein.cancelled, plein.receipts_cents),
            (3, 1, 4000)
        );
        let channels = channel_lines(&tickets);
        assert_eq!(channels[0].channel, "box_office");
        assert_eq!((channels[0].tickets, channels[0].receipts_cents), (2, 3500));
        assert_eq!((channels[1].tickets, channels[1].receipts_cents), (1, 2000));
        let sum = totals(&lines, &tickets);
        assert_eq!(
            (sum.issued, sum.cancelled, sum.receipts_cents),
            (4, 1, 5500)
        );
    }

    #[test]
    fn the_house_is_counted_by_category() {
        let seats = [
            ("Catégorie 1", SeatStatus::Sold),
            ("Catégorie 1", SeatStatus::Free),
            ("Catégorie 2", SeatStatus::Blocked),
            ("Catégorie 1", SeatStatus::Held),
        ];
        let counts = seat_counts(seats);
        assert_eq!(counts.len(), 2);
        assert_eq!(
            (
                counts[0].free,
                counts[0].held,
                counts[0].sold,
                counts[0].blocked
            ),
            (1, 1, 1, 0)
        );
        assert_eq!(counts[1].blocked, 1);
    }
}

//! Reports: the statement of a performance (relevé / bordereau de recettes) from its tickets
//! and its seat map, as data, CSV (for a spreadsheet) or PDF (to file or sign).
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::catalogue::CatalogueService;
use app::box_office::{Occupancy, SalesReport, SeatCount, Statement};
use app::domain::export::{AttendeeLine, Cursor, OrdersPage, PAGE_MAX};
use app::domain::heatmap::{permille as heat_permille, HeatMap, HeatSeat};
use app::domain::journal::{Frequency, Period};
use app::domain::sales_report::{by_day, occupancy_permille, top_shows, MAX_DAYS};
use app::domain::statement::{channel_lines, csv, seat_counts, tariff_lines, totals};
use app::domain::{PerformanceId, Permission};
use app::dto::Ts;
use app::ports::{Catalogue, ReportError, Reports};
use app::staff::Actor;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;

pub struct ReportsService {
    catalogue: Arc<CatalogueService>,
    orders: Arc<dyn OrderRepo>,
    door: Arc<dyn DoorRepo>,
    renderer: Arc<dyn TicketRenderer>,
    clock: Arc<dyn Clock>,
}

impl ReportsService {
    pub fn new(
        catalogue: Arc<CatalogueService>,
        orders: Arc<dyn OrderRepo>,
        door: Arc<dyn DoorRepo>,
        renderer: Arc<dyn TicketRenderer>,
        clock: Arc<dyn Clock>,
    ) -> ReportsService {
        ReportsService {
            catalogue,
            orders,
            door,
            renderer,
            clock,
        }
    }
}

/// Paris days `from` to `to`, both included, a year at most, as `[start, end)`.
fn days_between(from: &str, to: &str) -> Result<(i64, i64), ReportError> {
    let bad = || ReportError::InvalidPeriod(format!("{from} → {to}"));
    let day = |raw: &str| match Period::parse(raw.trim()) {
        Some(p @ Period::Day(_)) => p.bounds(),
        _ => None,
    };
    let (start, _) = day(from).ok_or_else(bad)?;
    let (_, end) = day(to).ok_or_else(bad)?;
    if end <= start || end - start > MAX_DAYS * 86_400 + 3_600 {
        return Err(bad());
    }
    Ok((start, end))
}

#[async_trait]
impl Reports for ReportsService {
    async fn orders_page(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
        after: Option<&str>,
        limit: Option<i64>,
    ) -> Result<OrdersPage, ReportError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(ReportError::Forbidden);
        }
        let (start, end) = days_between(from, to)?;
        let after = match after.map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(raw) => Some(
                Cursor::parse(raw).ok_or_else(|| ReportError::InvalidCursor(raw.to_string()))?,
            ),
        };
        let limit = limit.unwrap_or(PAGE_MAX).clamp(1, PAGE_MAX);
        let total = self.orders.count_paid_orders(start, end).await?;
        let rows = self
            .orders
            .export_orders(start, end, after.as_ref(), limit)
            .await?;
        let next = (rows.len() as i64 == limit)
            .then(|| rows.last().map(|r| Cursor::after(r).to_string()))
            .flatten();
        Ok(OrdersPage { total, rows, next })
    }

    async fn heatmap(
        &self,
        actor: &Actor,
        performance_id: i64,
        from: &str,
        to: &str,
    ) -> Result<HeatMap, ReportError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(ReportError::Forbidden);
        }
        let (start, end) = days_between(from, to)?;
        let map = self.catalogue.seatmap(performance_id).await?;
        let hall_id = map.performance.hall_id;
        let (performances, counts) = self.orders.seat_sales_in_hall(hall_id, start, end).await?;
        let counts: HashMap<(i64, String, i64), i64> = counts.into_iter().collect();
        let seats = map
            .seats
            .iter()
            .map(|s| {
                let sold = counts
                    .get(&(s.zone_id, s.row.clone(), s.number))
                    .copied()
                    .unwrap_or(0);
                HeatSeat {
                    seat_id: s.id,
                    x: s.x,
                    y: s.y,
                    label: app::dto::SeatLabel {
                        zone: s.zone.clone(),
                        row: s.row.clone(),
                        number: s.number,
                    }
                    .fr(),
                    sold,
                    permille: heat_permille(sold, performances),
                }
            })
            .collect();
        Ok(HeatMap {
            hall_id,
            hall: map.performance.hall.clone(),
            from: from.trim().to_string(),
            to: to.trim().to_string(),
            performances,
            width: map.width,
            height: map.height,
            seats,
        })
    }

    async fn attendees(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<Vec<AttendeeLine>, ReportError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(ReportError::Forbidden);
        }
        // The performance must exist (a 404 otherwise, not an empty list).
        self.catalogue.seatmap(performance_id).await?;
        let id = PerformanceId(performance_id);
        let admitted: std::collections::HashSet<i64> =
            self.door.admitted_uids(id).await?.into_iter().collect();
        Ok(self
            .door
            .performance_tickets(id)
            .await?
            .into_iter()
            .filter(|t| t.order_paid)
            .map(|t| AttendeeLine {
                number: t.number.to_string(),
                status: t.status.as_str().into(),
                admitted: admitted.contains(&t.uid),
                seat: t.seat.map(|s| s.fr()).unwrap_or_default(),
                tariff: t.tariff_label,
                holder_name: t.holder_name,
                order_reference: t.order_reference,
            })
            .collect())
    }

    async fn statement(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<Statement, ReportError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(ReportError::Forbidden);
        }
        let map = self.catalogue.seatmap(performance_id).await?;
        let mut tickets = self
            .orders
            .performance_sales(PerformanceId(performance_id))
            .await?;
        // Tariff labels as the performance offers them.
        let labels: HashMap<&str, &str> = map
            .categories
            .iter()
            .flat_map(|c| c.tariffs.iter())
            .chain(map.tariffs.iter())
            .map(|t| (t.code.as_str(), t.label.as_str()))
            .collect();
        for t in &mut tickets {
            if let Some(label) = labels.get(t.tariff_code.as_str()) {
                t.tariff_label = label.to_string();
            }
        }
        let tariffs = tariff_lines(&tickets);
        let seats = if map.performance.seated {
            let names: HashMap<i64, &str> = map
                .categories
                .iter()
                .map(|c| (c.id, c.label.as_str()))
                .collect();
            seat_counts(
                map.seats
                    .iter()
                    .map(|s| (names.get(&s.category_id).copied().unwrap_or("—"), s.status)),
            )
        } else {
            // General admission: the capacity against what is sold and what is left.
            let sold = tickets.iter().filter(|t| t.valid).count() as i64;
            let free = map.performance.available;
            vec![SeatCount {
                category: "Placement libre".into(),
                free,
                held: (map.performance.capacity - free - sold).max(0),
                sold,
                blocked: 0,
            }]
        };
        Ok(Statement {
            performance_id,
            title: map.performance.title.clone(),
            starts_at: map.performance.starts_at,
            venue: map.performance.venue.clone(),
            hall: map.performance.hall.clone(),
            capacity: map.performance.capacity,
            totals: totals(&tariffs, &tickets),
            channels: channel_lines(&tickets),
            tariffs,
            seats,
            generated_at: Ts(self.clock.now()),
        })
    }

    async fn statement_pdf(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<Vec<u8>, ReportError> {
        let statement = self.statement(actor, performance_id).await?;
        self.renderer
            .statement_pdf(statement)
            .await
            .map_err(ReportError::Render)
    }

    async fn sales(&self, actor: &Actor, from: &str, to: &str) -> Result<SalesReport, ReportError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(ReportError::Forbidden);
        }
        let (start, end) = days_between(from, to)?;
        let bad = || ReportError::InvalidPeriod(format!("{from} → {to}"));
        let mut days = Vec::new();
        let mut t = start;
        while t < end {
            let p = Period::of(Frequency::Daily, t);
            days.push(p.to_string());
            t = p.bounds().ok_or_else(bad)?.1;
        }
        let tickets = self.orders.paid_tickets_between(start, end).await?;
        let mut performances: Vec<i64> = tickets.iter().map(|t| t.performance_id).collect();
        performances.sort_unstable();
        performances.dedup();
        let mut occupancy = Vec::new();
        // The houses of the performances sold (a season's worth at most).
        for id in performances.into_iter().take(500) {
            let Ok(map) = self.catalogue.seatmap(id).await else {
                continue;
            };
            let p = &map.performance;
            let sold = if p.seated {
                map.seats
                    .iter()
                    .filter(|s| s.status == app::dto::SeatStatus::Sold)
                    .count() as i64
            } else {
                (p.capacity - p.available).max(0)
            };
            occupancy.push(Occupancy {
                performance_id: id,
                title: p.title.clone(),
                starts_at: p.starts_at,
                capacity: p.capacity,
                sold,
                permille: occupancy_permille(sold, p.capacity),
            });
        }
        occupancy.sort_by_key(|o| (o.starts_at.0, o.performance_id));
        Ok(SalesReport {
            from: days.first().cloned().unwrap_or_default(),
            to: days.last().cloned().unwrap_or_default(),
            days: by_day(&tickets, &days),
            tickets: tickets.len() as i64,
            receipts_cents: tickets.iter().map(|t| t.price_cents).sum(),
            top_shows: top_shows(&tickets, 10),
            occupancy,
        })
    }

    async fn statement_csv(
        &self,
        actor: &Actor,
        performance_id: i64,
    ) -> Result<String, ReportError> {
        Ok(csv(&self.statement(actor, performance_id).await?))
    }
}

//! The back office's programme writes on the in-memory store.
use super::{MemoryStore, Performance, State, Venue};
use crate::ports::*;
use app::dto::OrderStatus;
use async_trait::async_trait;

impl MemoryStore {
    /// The programme acts recorded, oldest first.
    pub fn programme_audit(&self) -> Vec<AuditRecord> {
        self.state
            .lock()
            .map(|s| s.audit.clone())
            .unwrap_or_default()
    }
}

#[async_trait]
impl ProgrammeRepo for MemoryStore {
    async fn halls(&self) -> RepoResult<Vec<HallRow>> {
        let s = self.state()?;
        Ok(s.halls
            .iter()
            .map(|h| HallRow {
                id: h.id,
                venue_id: h.venue_id,
                venue: s
                    .venues
                    .iter()
                    .find(|v| v.id == h.venue_id)
                    .map(|v| v.name.clone())
                    .unwrap_or_default(),
                name: h.name.clone(),
                seats: h.current().seats.len() as i64,
                version: h.versions.len() as i64,
            })
            .collect())
    }

    async fn venues(&self) -> RepoResult<Vec<VenueRow>> {
        Ok(self
            .state()?
            .venues
            .iter()
            .map(|v| VenueRow {
                id: v.id,
                code: v.code.clone(),
                name: v.name.clone(),
            })
            .collect())
    }

    async fn create_venue(&self, v: &NewVenueRow, audit: &AuditRecord) -> RepoResult<Option<i64>> {
        let mut s = self.state()?;
        if s.venues.iter().any(|x| x.code == v.code) {
            return Ok(None);
        }
        let id = s.id();
        s.venues.push(Venue {
            id,
            code: v.code.clone(),
            name: v.name.clone(),
            operator_name: v.operator_name.clone(),
            address: v.address.clone(),
        });
        for code in app::domain::tariff::USUAL_CODES {
            s.seed_venue_tariff(id, code);
        }
        s.audit.push(audit.clone());
        Ok(Some(id))
    }

    async fn venue_tariffs(&self, venue_id: i64) -> RepoResult<Vec<VenueTariffRow>> {
        let s = self.state()?;
        let mut rows: Vec<VenueTariffRow> = s
            .venue_tariffs
            .iter()
            .filter(|(v, _)| *v == venue_id)
            .map(|(_, r)| r.clone())
            .collect();
        rows.sort_by(|a, b| (a.position, &a.code).cmp(&(b.position, &b.code)));
        Ok(rows)
    }

    async fn add_venue_tariff(
        &self,
        venue_id: i64,
        row: &VenueTariffRow,
        new_code: Option<&NewTariff>,
        audit: &AuditRecord,
    ) -> RepoResult<bool> {
        let mut s = self.state()?;
        if s.venue_tariffs
            .iter()
            .any(|(v, r)| *v == venue_id && r.code == row.code)
        {
            return Ok(false);
        }
        if let Some(t) = new_code {
            if !s.tariffs.iter().any(|x| x.code == t.code) {
                s.tariffs.push(t.clone());
            }
        }
        s.venue_tariffs.push((venue_id, row.clone()));
        s.audit.push(audit.clone());
        Ok(true)
    }

    async fn update_venue_tariff(
        &self,
        venue_id: i64,
        row: &VenueTariffRow,
        audit: &AuditRecord,
    ) -> RepoResult<bool> {
        let mut s = self.state()?;
        let Some((_, r)) = s
            .venue_tariffs
            .iter_mut()
            .find(|(v, r)| *v == venue_id && r.code == row.code)
        else {
            return Ok(false);
        };
        *r = row.clone();
        s.audit.push(audit.clone());
        Ok(true)
    }

    async fn create_hall(
        &self,
        venue_id: i64,
        hall: &NewHall,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>> {
        let venue = {
            let s = self.state()?;
            if s.halls
                .iter()
                .any(|h| h.venue_id == venue_id && h.name == hall.name)
            {
                return Ok(None);
            }
            let v = s.venues.iter().find(|v| v.id == venue_id).expect("venue");
            NewVenue {
                code: v.code.clone(),
                name: v.name.clone(),
                operator_name: v.operator_name.clone(),
                address: v.address.clone(),
                kind: app::dto::ShowKind::Theatre,
                halls: vec![hall.clone()],
            }
        };
        self.apply(&CatalogueBatch {
            venues: vec![venue],
            ..CatalogueBatch::default()
        })
        .await?;
        let mut s = self.state()?;
        let id = s
            .halls
            .iter()
            .find(|h| h.venue_id == venue_id && h.name == hall.name)
            .map(|h| h.id);
        s.audit.push(audit.clone());
        Ok(id)
    }

    async fn add_seatmap_version(
        &self,
        hall_id: i64,
        base: i64,
        plan: &NewHall,
        audit: &AuditRecord,
    ) -> RepoResult<Option<i64>> {
        let mut s = self.state()?;
        let Some(i) = s.halls.iter().position(|h| h.id == hall_id) else {
            return Ok(None);
        };
        if s.halls[i].versions.len() as i64 != base {
            return Ok(None);
        }
        let mut hall = s.halls.remove(i);
        s.add_version(&mut hall, plan);
        let version = hall.versions.len() as i64;
        s.halls.insert(i, hall);
        let mut audit = audit.clone();
        audit.detail["version"] = serde_json::json!(version);
        s.audit.push(audit);
        Ok(Some(version))
    }

    async fn tariffs(&self) -> RepoResult<Vec<NewTariff>> {
        let mut all = self.state()?.tariffs.clone();
        all.sort_by(|a, b| (a.position, &a.code).cmp(&(b.position, &b.code)));
        Ok(all)
    }

    async fn create_tariff(&self, t: &NewTariff, audit: &AuditRecord) -> RepoResult<bool> {
        let mut s = self.state()?;
        if s.tariffs.iter().any(|x| x.code == t.code) {
            return Ok(false);
        }
        s.tariffs.push(t.clone());
        s.audit.push(audit.clone());
        Ok(true)
    }

    async fn update_tariff(&self, t: &NewTariff, audit: &AuditRecord) -> RepoResult<bool> {
        let mut s = self.state()?;
        let Some(x) = s.tariffs.iter_mut().find(|x| x.code == t.code) else {
            return Ok(false);
        };
        *x = t.clone();
        s.audit.push(audit.clone());
        Ok(true)
    }

    async fn tariff_codes(&self) -> RepoResult<Vec<String>> {
        Ok(self
            .state()?
            .tariffs
            .iter()
            .map(|t| t.code.clone())
            .collect())
    }

    async fn create_show(&self, show: &NewShowRow, audit: &AuditRecord) -> RepoResult<Option<i64>> {
        let mut s = self.state()?;
        if s.shows
            .iter()
            .any(|x| x.title == show.title && x.kind == show.kind)
        {
            return Ok(None);
        }
        let id = s.id();
        s.shows.push(ShowRow {
            id,
            title: show.title.clone(),
            kind: show.kind,
            duration_min: show.duration_min,
            description: show.description.clone(),
            age_rating: show.age_rating.clone(),
            film: show.film.clone(),
            poster: None,
        });
        s.audit.push(audit.clone());
        Ok(Some(id))
    }

    async fn shows(&self, now: i64) -> RepoResult<Vec<(ShowRow, i64)>> {
        let s = self.state()?;
        let mut shows: Vec<(ShowRow, i64)> = s
            .shows
            .iter()
            .map(|sh| {
                let coming = s
                    .performances
                    .iter()
                    .filter(|p| p.show_id == sh.id && !p.cancelled && p.new.starts_at >= now)
                    .count() as i64;
                (sh.clone(), coming)
            })
            .collect();
        shows.sort_by(|a, b| (&a.0.title, a.0.id).cmp(&(&b.0.title, b.0.id)));
        Ok(shows)
    }

    async fn update_show(
        &self,
        id: i64,
        show: &NewShowRow,
        audit: &AuditRecord,
    ) -> RepoResult<ShowWrite> {
        let mut s = self.state()?;
        if s.shows
            .iter()
            .any(|x| x.id != id && x.title == show.title && x.kind == show.kind)
        {
            return Ok(ShowWrite::Taken);
        }
        let Some(row) = s.shows.iter_mut().find(|x| x.id == id) else {
            return Ok(ShowWrite::NotFound);
        };
        row.title = show.title.clone();
        row.duration_min = show.duration_min;
        row.description = show.description.clone();
        row.age_rating = show.age_rating.clone();
        row.film = show.film.clone();
        s.audit.push(audit.clone());
        Ok(ShowWrite::Saved)
    }

    async fn set_poster(
        &self,
        show_id: i64,
        poster: Option<&PosterRow>,
        audit: &AuditRecord,
    ) -> RepoResult<ShowWrite> {
        let mut s = self.state()?;
        let Some(row) = s.shows.iter_mut().find(|x| x.id == show_id) else {
            return Ok(ShowWrite::NotFound);
        };
        row.poster = poster.map(|p| app::dto::PosterRef {
            url: format!("/affiches/{}", p.file),
            width: p.width,
            height: p.height,
        });
        match poster {
            Some(p) => {
                s.posters.insert(show_id, p.clone());
            }
            None => {
                s.posters.remove(&show_id);
            }
        }
        s.audit.push(audit.clone());
        Ok(ShowWrite::Saved)
    }

    async fn create_performances(
        &self,
        rows: &[NewPerformanceRow],
        audit: &AuditRecord,
    ) -> RepoResult<PerformancesWritten> {
        let mut s = self.state()?;
        if let Some(clash) = rows.iter().find(|r| {
            s.performances
                .iter()
                .any(|p| p.hall_id == r.hall_id && p.new.starts_at == r.starts_at)
        }) {
            return Ok(PerformancesWritten::Clash(clash.starts_at));
        }
        let mut ids = Vec::new();
        for r in rows {
            let hall = s.hall(r.hall_id).expect("hall");
            let venue_code = s
                .venues
                .iter()
                .find(|v| v.id == hall.venue_id)
                .map(|v| v.code.clone())
                .unwrap_or_default();
            let hall_name = hall.name.clone();
            let show = s
                .shows
                .iter()
                .find(|x| x.id == r.show_id)
                .expect("show")
                .clone();
            let id = s.id();
            s.performances.push(Performance {
                id,
                show_id: r.show_id,
                hall_id: r.hall_id,
                new: NewPerformance {
                    venue_code,
                    hall: hall_name,
                    show_title: show.title,
                    show_kind: show.kind,
                    starts_at: r.starts_at,
                    sale_opens_at: r.sale_opens_at,
                    sale_closes_at: r.sale_closes_at,
                    hold_seconds: r.hold_seconds,
                    max_seats_per_order: r.max_seats_per_order,
                    seated: r.seated,
                    capacity: r.capacity,
                    prices: Vec::new(),
                },
                capacity: r.capacity,
                ga_taken: 0,
                cancelled: false,
                published: r.published,
                seatmap_version: r.seatmap_version,
                quotas: r.quotas.clone(),
                sold_online: r.sold_online,
                sold_at_counter: r.sold_at_counter,
                prices: r
                    .prices
                    .iter()
                    .map(|p| (p.category_id, p.tariff.clone(), p.cents))
                    .collect(),
            });
            ids.push(id);
        }
        s.audit.push(audit.clone());
        Ok(PerformancesWritten::Created(ids))
    }

    async fn cancel_performance(
        &self,
        id: i64,
        now: i64,
        audit: &AuditRecord,
    ) -> RepoResult<Cancellation> {
        let mut s = self.state()?;
        let Some(p) = s.performances.iter_mut().find(|p| p.id == id) else {
            return Ok(Cancellation::NotFound);
        };
        if p.cancelled {
            return Ok(Cancellation::AlreadyCancelled);
        }
        p.cancelled = true;
        p.ga_taken = 0;
        for h in s.holds.values_mut() {
            if h.performance == id && h.status == HoldStatus::Active {
                h.status = HoldStatus::Released;
            }
        }
        s.claims.retain(|(perf, _), _| *perf != id);
        let mut unpaid = 0;
        for o in s.orders.values_mut().filter(|o| o.new.performance.0 == id) {
            match o.status {
                OrderStatus::AwaitingPayment => {
                    o.status = OrderStatus::Cancelled;
                    unpaid += 1;
                }
                OrderStatus::Paid => o.refund_due = true,
                _ => {}
            }
        }
        for t in s.tickets.iter_mut().filter(|t| t.performance == id) {
            t.status = TicketStatus::Cancelled;
        }
        let to_refund = buyers(&s, id);
        for mail in performance_cancelled_mails(&to_refund) {
            super::outbox::enqueue(&mut s.outbox, &mail, now);
        }
        let mut audit = audit.clone();
        audit.detail["to_refund"] = serde_json::json!(to_refund.len());
        audit.detail["unpaid_cancelled"] = serde_json::json!(unpaid);
        s.audit.push(audit);
        Ok(Cancellation::Done {
            to_refund,
            unpaid_cancelled: unpaid,
        })
    }

    async fn performance_ids_between(&self, from: i64, until: i64) -> RepoResult<Vec<i64>> {
        let s = self.state()?;
        let mut found: Vec<(i64, i64)> = s
            .performances
            .iter()
            .filter(|p| p.new.starts_at >= from && p.new.starts_at < until)
            .map(|p| (p.new.starts_at, p.id))
            .collect();
        found.sort_unstable();
        Ok(found.into_iter().map(|(_, id)| id).collect())
    }

    async fn refunds_due(&self) -> RepoResult<Vec<RefundRow>> {
        let s = self.state()?;
        let row = |order: &app::domain::OrderId, amount: i64, paid_too_late: bool, since: i64| {
            let o = s.orders.get(order)?;
            let p = s
                .performances
                .iter()
                .find(|p| p.id == o.new.performance.0)?;
            let show = s.shows.iter().find(|sh| sh.id == p.show_id)?;
            Some(RefundRow {
                order_id: o.new.id.to_string(),
                reference: o.new.reference.clone(),
                name: o.new.buyer_name.clone(),
                email: o
                    .new
                    .buyer_email
                    .as_ref()
                    .map(|e| e.as_str().to_string())
                    .unwrap_or_default(),
                amount_cents: amount,
                paid_too_late,
                performance_id: p.id,
                show_title: show.title.clone(),
                starts_at: p.new.starts_at,
                since,
            })
        };
        let mut due: Vec<RefundRow> = s
            .payments
            .iter()
            .filter_map(|pay| match pay.outcome {
                PaymentOutcomeRecord::RefundNeeded => row(&pay.order, pay.amount.0, true, pay.now),
                PaymentOutcomeRecord::Approved if s.orders.get(&pay.order)?.refund_due => row(
                    &pay.order,
                    s.orders.get(&pay.order)?.new.total.0,
                    false,
                    pay.now,
                ),
                _ => None,
            })
            .collect();
        due.sort_by(|a, b| (a.since, &a.order_id).cmp(&(b.since, &b.order_id)));
        Ok(due)
    }

    async fn performance_buyers(&self, id: i64) -> RepoResult<Vec<BuyerRow>> {
        let s = self.state()?;
        Ok(buyers(&s, id))
    }

    async fn update_performance(
        &self,
        settings: &PerformanceSettings,
        audit: &AuditRecord,
    ) -> RepoResult<bool> {
        let mut s = self.state()?;
        let Some(p) = s.performances.iter_mut().find(|p| p.id == settings.id) else {
            return Ok(false);
        };
        p.published = settings.published;
        p.new.sale_opens_at = settings.sale_opens_at;
        p.new.sale_closes_at = settings.sale_closes_at;
        p.new.hold_seconds = settings.hold_seconds;
        p.new.max_seats_per_order = settings.max_seats_per_order;
        p.sold_online = settings.sold_online;
        s.audit.push(audit.clone());
        Ok(true)
    }
}

/// The paid orders of a performance, in the order they were made.
fn buyers(s: &State, id: i64) -> Vec<BuyerRow> {
    let mut paid: Vec<_> = s
        .orders
        .values()
        .filter(|o| o.new.performance.0 == id && o.status == OrderStatus::Paid)
        .collect();
    paid.sort_by(|a, b| a.new.reference.cmp(&b.new.reference));
    paid.into_iter()
        .map(|o| BuyerRow {
            order_id: o.new.id.to_string(),
            reference: o.new.reference.clone(),
            name: o.new.buyer_name.clone(),
            email: o
                .new
                .buyer_email
                .as_ref()
                .map(|e| e.as_str().to_string())
                .unwrap_or_default(),
            total_cents: o.new.total.0,
            tickets: s.tickets.iter().filter(|t| t.order == o.new.id).count() as i64,
            refund_due: o.refund_due,
        })
        .collect()
}

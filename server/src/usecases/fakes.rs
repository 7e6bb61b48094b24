//! In-memory fakes of every outbound port, for the use cases' unit tests: one `MemoryStore`
//! holding what the database would, a signer and a renderer without cryptography or PDF, and
//! `world()` wiring them with a `FakeClock`.
use crate::ports::*;
use crate::usecases::{Outbound, Settings, UseCases};
use app::domain::pricing::GridCell;
use app::domain::{Cents, HoldId, OrderId, PerformanceId, TicketNumber};
use app::door::{FirstAdmission, ScanConflict, ZoneCount};
use app::dto::{OrderStatus, SeatLabel, SeatStatus, ShowKind, Stage, Tariff, Ts, Zone};
use app::ticket_code::{PublicKeyInfo, TicketClaims};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

mod journal;
mod outbox;
pub use outbox::FakeMailer;
mod programme;
mod staff;
pub use staff::{FakeHasher, MemoryStaff};

struct Venue {
    id: i64,
    code: String,
    name: String,
    operator_name: String,
    address: String,
}

struct Hall {
    id: i64,
    venue_id: i64,
    name: String,
    /// Every zone and category the hall has had; shared by its versions.
    zones: Vec<Zone>,
    categories: Vec<CategoryRow>,
    /// Seat-map versions, the first is version 1; the last is current.
    versions: Vec<PlanVersion>,
}

struct PlanVersion {
    plan: NewHall,
    zones: Vec<Zone>,
    seats: Vec<SeatInfo>,
}

impl Hall {
    fn current(&self) -> &PlanVersion {
        self.versions.last().expect("a hall has a version")
    }
    fn version(&self, v: i64) -> Option<&PlanVersion> {
        self.versions.get(usize::try_from(v - 1).ok()?)
    }
    /// A seat of any version.
    fn seat(&self, id: Option<i64>) -> Option<&SeatInfo> {
        self.versions
            .iter()
            .flat_map(|v| v.seats.iter())
            .find(|s| Some(s.id) == id)
    }
}

struct Performance {
    id: i64,
    show_id: i64,
    hall_id: i64,
    new: NewPerformance,
    capacity: i64,
    ga_taken: i64,
    cancelled: bool,
    published: bool,
    seatmap_version: i64,
    /// (tariff, most tickets)
    quotas: Vec<(String, i64)>,
    sold_online: bool,
    sold_at_counter: bool,
    /// (category id, tariff, cents)
    prices: Vec<(Option<i64>, String, i64)>,
}

struct Hold {
    performance: i64,
    quantity: i64,
    status: HoldStatus,
    expires_at: i64,
    client: Option<app::domain::ClientKey>,
}

struct Claim {
    hold: HoldId,
    /// `None` once sold (or blocked).
    expires_at: Option<i64>,
    /// Kept off this performance's sale, and why.
    blocked: Option<app::domain::plan::BlockReason>,
}

struct Order {
    new: NewOrder,
    status: OrderStatus,
    /// Its performance was cancelled.
    refund_due: bool,
    paid_at: Option<i64>,
}

struct Ticket {
    id: i64,
    uid: i64,
    order: OrderId,
    performance: i64,
    seat_id: Option<i64>,
    venue_id: i64,
    tariff: String,
    number: i64,
    price: Cents,
    holder: String,
    code: String,
    status: TicketStatus,
}

struct StoredAdmission {
    id: i64,
    token_id: i64,
    ticket_id: i64,
    performance: i64,
    device: String,
    scanned_at: i64,
    nonce: String,
    undone: bool,
}

#[derive(Default)]
struct State {
    next_id: i64,
    venues: Vec<Venue>,
    halls: Vec<Hall>,
    tariffs: Vec<NewTariff>,
    /// (venue id, its catalogue entry)
    venue_tariffs: Vec<(i64, VenueTariffRow)>,
    shows: Vec<ShowRow>,
    posters: HashMap<i64, PosterRow>,
    /// Counter sales' payments by means, with their order.
    counter_payments: Vec<(OrderId, CounterPaymentRow)>,
    exchanges: Vec<ExchangeRow>,
    journal: Vec<app::domain::journal::Entry>,
    tech_events: Vec<app::domain::journal::TechEvent>,
    /// (Paris day, what a desk counted)
    cash_counts: Vec<(String, app::domain::journal::CashCounted)>,
    performances: Vec<Performance>,
    holds: HashMap<HoldId, Hold>,
    claims: HashMap<(i64, i64), Claim>,
    orders: HashMap<OrderId, Order>,
    payments: Vec<PaymentRecord>,
    /// attempt key → (the provider's id of it, what the provider last answered)
    attempt_refs: HashMap<String, (Option<String>, Option<String>)>,
    outbox: Vec<outbox::Queued>,
    series: HashMap<(i64, String), i64>,
    tickets: Vec<Ticket>,
    tokens: Vec<(String, DoorTokenRow)>,
    admissions: Vec<StoredAdmission>,
    conflicts: Vec<(i64, ScanConflict)>,
    /// Programme acts (`ProgrammeRepo`).
    audit: Vec<AuditRecord>,
}

impl State {
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn perf(&self, id: i64) -> Option<&Performance> {
        self.performances.iter().find(|p| p.id == id)
    }

    fn hall(&self, id: i64) -> Option<&Hall> {
        self.halls.iter().find(|h| h.id == id)
    }

    /// Appends `plan` as the hall's next seat-map version: zones found by name, categories by
    /// number (label and colour updated), new seat ids — as the storage adapters do.
    fn add_version(&mut self, hall: &mut Hall, plan: &NewHall) {
        for name in &plan.zones {
            if !hall.zones.iter().any(|z| &z.name == name) {
                let id = self.id();
                hall.zones.push(Zone {
                    id,
                    name: name.clone(),
                });
            }
        }
        for c in &plan.categories {
            match hall.categories.iter_mut().find(|x| x.number == c.number) {
                Some(x) => {
                    x.label = c.label.clone();
                    x.color = c.color.clone();
                }
                None => {
                    let id = self.id();
                    hall.categories.push(CategoryRow {
                        id,
                        number: c.number,
                        label: c.label.clone(),
                        color: c.color.clone(),
                    });
                }
            }
        }
        let seats = plan
            .seats
            .iter()
            .map(|st| {
                let zone = hall
                    .zones
                    .iter()
                    .find(|z| z.name == st.zone)
                    .expect("zone of a seat");
                let cat = hall
                    .categories
                    .iter()
                    .find(|c| c.number == st.category)
                    .expect("category of a seat");
                SeatInfo {
                    id: self.id(),
                    zone_id: zone.id,
                    zone: zone.name.clone(),
                    row: st.row.clone(),
                    number: st.number,
                    x: st.x,
                    y: st.y,
                    category_id: cat.id,
                    category: cat.number,
                    accessible: st.accessible,
                    companion: st.companion,
                    restricted_view: st.restricted_view,
                    blocked: st.blocked,
                    block_reason: st.block_reason,
                }
            })
            .collect();
        let zones = hall
            .zones
            .iter()
            .filter(|z| plan.zones.contains(&z.name))
            .cloned()
            .collect();
        hall.versions.push(PlanVersion {
            plan: plan.clone(),
            zones,
            seats,
        });
    }

    fn rules(&self, p: &Performance) -> PerformanceRules {
        let hall = self.hall(p.hall_id).expect("hall of a performance");
        let venue = self
            .venues
            .iter()
            .find(|v| v.id == hall.venue_id)
            .expect("venue");
        let show = self.shows.iter().find(|s| s.id == p.show_id).expect("show");
        PerformanceRules {
            id: p.id,
            show_id: show.id,
            title: show.title.clone(),
            kind: show.kind,
            duration_min: show.duration_min,
            age_rating: show.age_rating.clone(),
            venue: venue.name.clone(),
            venue_id: venue.id,
            venue_code: venue.code.clone(),
            operator_name: venue.operator_name.clone(),
            venue_address: venue.address.clone(),
            hall: hall.name.clone(),
            hall_id: hall.id,
            seated: p.new.seated,
            capacity: p.capacity,
            starts_at: p.new.starts_at,
            sale_opens_at: p.new.sale_opens_at,
            sale_closes_at: p.new.sale_closes_at,
            hold_seconds: p.new.hold_seconds,
            max_seats_per_order: p.new.max_seats_per_order,
            cancelled: p.cancelled,
            published: p.published,
            seatmap_version: p.seatmap_version,
            sold_online: p.sold_online,
            sold_at_counter: p.sold_at_counter,
        }
    }

    /// The client's cap, counted as the storage adapters count it.
    fn over_cap(&self, hold: &NewHold, asking: i64) -> Option<HoldRefusal> {
        let limit = hold.limit.as_ref()?;
        let mine = self.holds.values().filter(|h| {
            h.performance == hold.performance.0
                && h.status == HoldStatus::Active
                && h.expires_at > hold.now
                && h.client.as_ref() == Some(&limit.client)
        });
        let (held, frees_at) = mine.fold((0, i64::MAX), |(n, first), h| {
            (n + h.quantity, first.min(h.expires_at))
        });
        app::domain::hold_cap::check(held, asking, limit.cap)
            .err()
            .map(|e| HoldRefusal::TooManyHeld {
                held: e.held,
                cap: e.cap,
                frees_at: if held == 0 { hold.now } else { frees_at },
            })
    }

    fn live_claim(&self, perf: i64, seat: i64, now: i64) -> bool {
        self.claims
            .get(&(perf, seat))
            .is_some_and(|c| c.expires_at.is_none_or(|e| e > now))
    }

    fn row(&self, p: &Performance, now: i64) -> PerformanceRow {
        let claimed = self
            .claims
            .iter()
            .filter(|((perf, _), c)| *perf == p.id && c.expires_at.is_none_or(|e| e > now))
            .count() as i64;
        let blocked = self
            .hall(p.hall_id)
            .and_then(|h| h.version(p.seatmap_version))
            .map(|v| v.seats.iter().filter(|s| s.blocked).count() as i64)
            .unwrap_or(0);
        let sold = self
            .tickets
            .iter()
            .filter(|t| t.performance == p.id && t.status == TicketStatus::Valid)
            .count() as i64;
        let held = self
            .holds
            .values()
            .filter(|h| {
                h.performance == p.id && h.status == HoldStatus::Active && h.expires_at > now
            })
            .map(|h| h.quantity)
            .sum();
        PerformanceRow {
            rules: self.rules(p),
            claimed,
            blocked,
            sold,
            held,
            min_price_cents: p.prices.iter().map(|(_, _, c)| *c).min(),
        }
    }

    fn expire(&mut self, performance: Option<i64>, now: i64) -> u64 {
        let expired: Vec<HoldId> = self
            .holds
            .iter()
            .filter(|(_, h)| {
                h.status == HoldStatus::Active
                    && h.expires_at <= now
                    && performance.is_none_or(|p| p == h.performance)
            })
            .map(|(id, _)| id.clone())
            .collect();
        for id in &expired {
            let (perf, quantity) = {
                let h = self.holds.get_mut(id).expect("hold");
                h.status = HoldStatus::Expired;
                (h.performance, h.quantity)
            };
            if let Some(p) = self
                .performances
                .iter_mut()
                .find(|p| p.id == perf && !p.new.seated)
            {
                p.ga_taken -= quantity;
            }
            for o in self.orders.values_mut() {
                if &o.new.hold == id && o.status == OrderStatus::AwaitingPayment {
                    o.status = OrderStatus::Expired;
                }
            }
        }
        self.claims.retain(|(perf, _), c| {
            !(performance.is_none_or(|p| p == *perf) && c.expires_at.is_some_and(|e| e <= now))
        });
        expired.len() as u64
    }

    fn door_ticket(&self, t: &Ticket) -> DoorTicketRow {
        let order = &self.orders[&t.order];
        let p = self.perf(t.performance).expect("performance");
        let rules = self.rules(p);
        DoorTicketRow {
            id: t.id,
            uid: t.uid,
            code: t.code.clone(),
            status: t.status,
            order_paid: order.status == OrderStatus::Paid,
            order_reference: order.new.reference.clone(),
            number: TicketNumber::new(&rules.venue_code, &t.tariff, t.number),
            performance_id: t.performance,
            title: rules.title,
            starts_at: rules.starts_at,
            seat: self.seat_label(p.hall_id, t.seat_id),
            tariff_code: t.tariff.clone(),
            tariff_label: self.tariff(&t.tariff).label_fr.clone(),
            proof_required: self.tariff(&t.tariff).proof_required,
            holder_name: t.holder.clone(),
        }
    }

    /// Puts a town tariff in a venue's catalogue as the town has it (a new venue's start).
    pub(super) fn seed_venue_tariff(&mut self, venue_id: i64, code: &str) {
        let Some(t) = self.tariffs.iter().find(|t| t.code == code).cloned() else {
            return;
        };
        if self
            .venue_tariffs
            .iter()
            .any(|(v, r)| *v == venue_id && r.code == code)
        {
            return;
        }
        self.venue_tariffs.push((
            venue_id,
            VenueTariffRow {
                code: t.code,
                label_fr: t.label_fr,
                label_en: t.label_en,
                family: t.family,
                proof_required: t.proof_required,
                eligibility_fr: String::new(),
                eligibility_en: String::new(),
                active: true,
                position: t.position,
            },
        ));
    }

    fn tariff(&self, code: &str) -> &NewTariff {
        self.tariffs
            .iter()
            .find(|t| t.code == code)
            .expect("tariff")
    }

    fn seat_label(&self, hall: i64, seat: Option<i64>) -> Option<SeatLabel> {
        let s = self.hall(hall)?.seat(seat)?;
        Some(SeatLabel {
            zone: s.zone.clone(),
            row: s.row.clone(),
            number: s.number,
        })
    }
}

/// Everything the database would hold, in memory.
#[derive(Default)]
pub struct MemoryStore {
    state: Mutex<State>,
    /// Writes refused as if the database were down.
    pub down: std::sync::atomic::AtomicBool,
    /// Calls to `hold_seats` (to see which refusals never reached storage).
    pub hold_writes: std::sync::atomic::AtomicUsize,
    /// Calls to `programme` (to see what the page-data cache saves).
    pub programme_reads: std::sync::atomic::AtomicUsize,
}

impl MemoryStore {
    /// What an order gave back: refunds, and credit moved out by exchanges.
    fn given_back(s: &State, order: &OrderId) -> i64 {
        let refunds = -s
            .counter_payments
            .iter()
            .filter(|(o, p)| o == order && p.amount.0 < 0)
            .map(|(_, p)| p.amount.0)
            .sum::<i64>();
        let credits: i64 = s
            .exchanges
            .iter()
            .filter(|x| x.from_order == order.as_str())
            .map(|x| x.credit.0)
            .sum();
        refunds + credits
    }

    /// A take-back, all or nothing; `credit` is an exchange's, about to be recorded.
    fn take_back_in(s: &mut State, t: &TakeBack, credit: i64) -> RepoResult<TakenBack> {
        // All or nothing: everything is checked before anything changes.
        let valid = |x: &Ticket, id: i64| {
            x.id == id && x.order == t.order && x.status == TicketStatus::Valid
        };
        if !t
            .ticket_ids
            .iter()
            .all(|id| s.tickets.iter().any(|x| valid(x, *id)))
        {
            return Ok(TakenBack::TicketGone);
        }
        let refund = t.refund.as_ref().map_or(0, |r| -r.amount.0);
        if (t.refund.is_some() || credit > 0)
            && MemoryStore::given_back(s, &t.order) + credit + refund > t.refund_cap.0
        {
            return Ok(TakenBack::OverRefunded);
        }
        for id in &t.ticket_ids {
            let Some(ticket) = s.tickets.iter_mut().find(|x| valid(x, *id)) else {
                return Ok(TakenBack::TicketGone);
            };
            ticket.status = TicketStatus::Cancelled;
            let (perf, seat) = (ticket.performance, ticket.seat_id);
            match seat {
                Some(seat) => {
                    s.claims.remove(&(perf, seat));
                }
                None => {
                    if let Some(p) = s.performances.iter_mut().find(|p| p.id == perf) {
                        p.ga_taken -= 1;
                    }
                }
            }
        }
        if let Some(r) = &t.refund {
            s.counter_payments.push((t.order.clone(), r.clone()));
        }
        for draft in &t.journal {
            let st = &mut *s;
            MemoryStore::journal_append(&mut st.journal, &mut st.tech_events, draft.clone())?;
        }
        s.audit.push(t.audit.clone());
        if let Some(mail) = &t.mail {
            outbox::enqueue(&mut s.outbox, mail, t.at);
        }
        Ok(TakenBack::Done)
    }

    /// The audit records written by the acts that write theirs with them (after-sale, blocks).
    pub fn audit(&self) -> Vec<AuditRecord> {
        self.state.lock().expect("state").audit.clone()
    }

    /// The counter payments recorded for an order.
    pub fn counter_payments(&self, order: &str) -> Vec<CounterPaymentRow> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .counter_payments
            .iter()
            .filter(|(o, _)| o.as_str() == order)
            .map(|(_, p)| p.clone())
            .collect()
    }

    /// What a new installation holds: the usual tariffs (migration 0009), nothing else.
    pub fn new_installation() -> MemoryStore {
        let store = MemoryStore::default();
        let usual = [
            ("plein", "Plein tarif", "Full price", "autre", false),
            ("reduit", "Tarif réduit", "Concession", "autre", true),
            ("moins26", "Moins de 26 ans", "Under 26", "autre", true),
            (
                "enfant",
                "Enfant (moins de 14 ans)",
                "Child (under 14)",
                "autre",
                true,
            ),
            (
                "invitation",
                "Invitation",
                "Complimentary",
                "gratuit",
                false,
            ),
        ];
        if let Ok(mut s) = store.state() {
            for (position, (code, fr, en, family, proof)) in usual.into_iter().enumerate() {
                s.tariffs.push(NewTariff {
                    code: code.into(),
                    label_fr: fr.into(),
                    label_en: en.into(),
                    family: family.into(),
                    proof_required: proof,
                    position: position as i64,
                });
            }
        }
        store
    }

    fn state(&self) -> Result<std::sync::MutexGuard<'_, State>, Failure> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(Failure::Unavailable("the fake database is down".into()));
        }
        Ok(self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Another app server's sale: claims `seat` for a hold this server never saw.
    pub fn claim_elsewhere(&self, performance: i64, seat: i64, expires_at: i64) {
        let mut s = self.state.lock().unwrap();
        let id = HoldId::parse(&format!("{:032x}", s.id())).unwrap();
        s.holds.insert(
            id.clone(),
            Hold {
                performance,
                quantity: 1,
                status: HoldStatus::Active,
                expires_at,
                client: None,
            },
        );
        s.claims.insert(
            (performance, seat),
            Claim {
                hold: id,
                expires_at: Some(expires_at),
                blocked: None,
            },
        );
    }

    /// Another server's sweeper expired this hold (this server still believes it active).
    pub fn expire_hold_elsewhere(&self, hold: &str) {
        let mut s = self.state.lock().unwrap();
        let id = HoldId::parse(hold).unwrap();
        if let Some(h) = s.holds.get_mut(&id) {
            h.status = HoldStatus::Expired;
        }
        s.claims.retain(|_, c| c.hold != id);
    }

    /// A crash that lost the last ticket issued (what `guichet check` must find).
    pub fn lose_a_ticket(&self) {
        self.state.lock().unwrap().tickets.pop();
    }

    pub fn payments(&self) -> Vec<PaymentRecord> {
        self.state.lock().unwrap().payments.clone()
    }

    pub fn cancel_performance(&self, id: i64) {
        let mut s = self.state.lock().unwrap();
        if let Some(p) = s.performances.iter_mut().find(|p| p.id == id) {
            p.cancelled = true;
        }
    }

    pub fn order_status(&self, id: &str) -> Option<OrderStatus> {
        let s = self.state.lock().unwrap();
        s.orders
            .iter()
            .find(|(k, _)| k.to_string() == id)
            .map(|(_, o)| o.status)
    }

    pub fn order_ticket_statuses(&self, id: &str) -> Vec<TicketStatus> {
        let s = self.state.lock().unwrap();
        s.tickets
            .iter()
            .filter(|t| t.order.to_string() == id)
            .map(|t| t.status)
            .collect()
    }
}

#[async_trait]
impl CatalogueRepo for MemoryStore {
    async fn programme(
        &self,
        now: i64,
        from: i64,
        until: i64,
        kind: Option<ShowKind>,
    ) -> RepoResult<Vec<PerformanceRow>> {
        self.programme_reads
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let s = self.state()?;
        let mut rows: Vec<PerformanceRow> = s
            .performances
            .iter()
            .filter(|p| {
                !p.cancelled && p.published && p.new.starts_at >= from && p.new.starts_at < until
            })
            .filter(|p| kind.is_none_or(|k| k == p.new.show_kind))
            .map(|p| s.row(p, now))
            .collect();
        rows.sort_by_key(|r| (r.rules.starts_at, r.rules.id));
        Ok(rows)
    }

    async fn performances_of_show(
        &self,
        now: i64,
        show_id: i64,
        from: i64,
    ) -> RepoResult<Vec<PerformanceRow>> {
        let s = self.state()?;
        Ok(s.performances
            .iter()
            .filter(|p| {
                p.show_id == show_id && !p.cancelled && p.published && p.new.starts_at >= from
            })
            .map(|p| s.row(p, now))
            .collect())
    }

    async fn performance(&self, now: i64, id: PerformanceId) -> RepoResult<Option<PerformanceRow>> {
        let s = self.state()?;
        Ok(s.perf(id.0).map(|p| s.row(p, now)))
    }

    async fn performance_rules(&self, id: PerformanceId) -> RepoResult<Option<PerformanceRules>> {
        let s = self.state()?;
        Ok(s.perf(id.0).map(|p| s.rules(p)))
    }

    async fn show(&self, id: i64) -> RepoResult<Option<ShowRow>> {
        Ok(self.state()?.shows.iter().find(|s| s.id == id).cloned())
    }

    async fn poster(&self, show_id: i64, file: &str) -> RepoResult<Option<(String, Vec<u8>)>> {
        Ok(self
            .state()?
            .posters
            .get(&show_id)
            .filter(|p| p.file == file)
            .map(|p| (p.format.code().to_string(), p.bytes.clone())))
    }

    async fn hall_plan(&self, hall_id: i64, version: i64) -> RepoResult<Option<HallPlan>> {
        let s = self.state()?;
        Ok(s.hall(hall_id)
            .and_then(|h| h.version(version).map(|v| (h, v)))
            .map(|(h, v)| {
                let (x, y, w, hh) = v.plan.stage;
                HallPlan::new(
                    h.id,
                    v.plan.width,
                    v.plan.height,
                    Stage {
                        x,
                        y,
                        w,
                        h: hh,
                        label: v.plan.stage_label.clone(),
                    },
                    v.zones.clone(),
                    v.seats.clone(),
                )
            }))
    }

    async fn categories(&self, hall_id: i64) -> RepoResult<Vec<CategoryRow>> {
        Ok(self
            .state()?
            .hall(hall_id)
            .map(|h| h.categories.clone())
            .unwrap_or_default())
    }

    async fn price_grid(&self, performance: PerformanceId) -> RepoResult<Vec<GridCell>> {
        let s = self.state()?;
        let Some(p) = s.perf(performance.0) else {
            return Ok(Vec::new());
        };
        Ok(p.prices
            .iter()
            .map(|(category_id, code, cents)| {
                let t = s.tariff(code);
                let venue = s.hall(p.hall_id).map(|h| h.venue_id);
                let v = s
                    .venue_tariffs
                    .iter()
                    .find(|(id, r)| Some(*id) == venue && r.code == *code)
                    .map(|(_, r)| r);
                GridCell {
                    category_id: *category_id,
                    tariff: Tariff {
                        code: code.clone(),
                        label: v.map_or(&t.label_fr, |v| &v.label_fr).clone(),
                        label_en: v.map_or(&t.label_en, |v| &v.label_en).clone(),
                        price_cents: *cents,
                        proof_required: v.map_or(t.proof_required, |v| v.proof_required),
                        eligibility: v.map(|v| v.eligibility_fr.clone()).unwrap_or_default(),
                        eligibility_en: v.map(|v| v.eligibility_en.clone()).unwrap_or_default(),
                    },
                }
            })
            .collect())
    }

    async fn performances_between(&self, from: i64, until: i64) -> RepoResult<Vec<i64>> {
        Ok(self
            .state()?
            .performances
            .iter()
            .filter(|p| !p.cancelled && p.new.starts_at >= from && p.new.starts_at < until)
            .map(|p| p.id)
            .collect())
    }
}

#[async_trait]
impl BookingRepo for MemoryStore {
    async fn seat_claims(
        &self,
        performance: PerformanceId,
        now: i64,
    ) -> RepoResult<Vec<(i64, SeatStatus)>> {
        Ok(self
            .state()?
            .claims
            .iter()
            .filter(|((p, _), c)| *p == performance.0 && c.expires_at.is_none_or(|e| e > now))
            .map(|((_, seat), c)| {
                let status = match (c.blocked, c.expires_at) {
                    (Some(_), _) => SeatStatus::Blocked,
                    (None, None) => SeatStatus::Sold,
                    (None, Some(_)) => SeatStatus::Held,
                };
                (*seat, status)
            })
            .collect())
    }

    async fn block_seats(&self, block: &SeatBlock) -> RepoResult<Result<(), HoldRefusal>> {
        let mut s = self.state()?;
        let perf = block.performance.0;
        let taken: Vec<i64> = block
            .seat_ids
            .iter()
            .copied()
            .filter(|seat| s.live_claim(perf, *seat, block.now))
            .collect();
        if !taken.is_empty() {
            return Ok(Err(HoldRefusal::SeatsTaken(taken)));
        }
        for seat in &block.seat_ids {
            s.claims.insert(
                (perf, *seat),
                Claim {
                    hold: block.hold.clone(),
                    expires_at: None,
                    blocked: Some(block.reason),
                },
            );
        }
        s.audit.push(block.audit.clone());
        Ok(Ok(()))
    }

    async fn release_blocks(&self, release: &BlockRelease) -> RepoResult<Vec<i64>> {
        let mut s = self.state()?;
        let perf = release.performance.0;
        let mut released = Vec::new();
        for seat in &release.seat_ids {
            if s.claims
                .get(&(perf, *seat))
                .is_some_and(|c| c.blocked.is_some())
            {
                s.claims.remove(&(perf, *seat));
                released.push(*seat);
            }
        }
        released.sort_unstable();
        if !released.is_empty() {
            s.audit.push(release.audit.clone());
        }
        Ok(released)
    }

    async fn seat_blocks(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<(i64, app::domain::plan::BlockReason)>> {
        let s = self.state()?;
        let mut out: Vec<_> = s
            .claims
            .iter()
            .filter(|((p, _), _)| *p == performance.0)
            .filter_map(|((_, seat), c)| Some((*seat, c.blocked?)))
            .collect();
        out.sort_unstable_by_key(|(seat, _)| *seat);
        Ok(out)
    }

    async fn hold_seats(
        &self,
        hold: &NewHold,
        seat_ids: &[i64],
    ) -> RepoResult<Result<(), HoldRefusal>> {
        self.hold_writes
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut s = self.state()?;
        if let Some(refusal) = s.over_cap(hold, seat_ids.len() as i64) {
            return Ok(Err(refusal));
        }
        let mut taken: Vec<i64> = seat_ids
            .iter()
            .copied()
            .filter(|seat| s.live_claim(hold.performance.0, *seat, hold.now))
            .collect();
        if !taken.is_empty() {
            taken.sort_unstable();
            return Ok(Err(HoldRefusal::SeatsTaken(taken)));
        }
        s.holds.insert(
            hold.id.clone(),
            Hold {
                performance: hold.performance.0,
                quantity: seat_ids.len() as i64,
                status: HoldStatus::Active,
                expires_at: hold.expires_at,
                client: hold.limit.as_ref().map(|l| l.client.clone()),
            },
        );
        for seat in seat_ids {
            s.claims.insert(
                (hold.performance.0, *seat),
                Claim {
                    hold: hold.id.clone(),
                    expires_at: Some(hold.expires_at),
                    blocked: None,
                },
            );
        }
        Ok(Ok(()))
    }

    async fn hold_best_seats(
        &self,
        hold: &NewHold,
        choose: SeatChooser,
    ) -> RepoResult<Result<Vec<i64>, HoldRefusal>> {
        let taken: HashSet<i64> = {
            let s = self.state()?;
            s.claims
                .iter()
                .filter(|((p, _), c)| {
                    *p == hold.performance.0 && c.expires_at.is_none_or(|e| e > hold.now)
                })
                .map(|((_, seat), _)| *seat)
                .collect()
        };
        let Some(seats) = choose(&taken) else {
            return Ok(Err(HoldRefusal::SoldOut { remaining: 0 }));
        };
        match self.hold_seats(hold, &seats).await? {
            Ok(()) => Ok(Ok(seats)),
            Err(refusal @ HoldRefusal::TooManyHeld { .. }) => Ok(Err(refusal)),
            Err(_) => Err(Failure::Internal("a free seat could not be held".into())),
        }
    }

    async fn hold_places(
        &self,
        hold: &NewHold,
        quantity: i64,
    ) -> RepoResult<Result<(), HoldRefusal>> {
        let mut s = self.state()?;
        s.expire(Some(hold.performance.0), hold.now);
        if let Some(refusal) = s.over_cap(hold, quantity) {
            return Ok(Err(refusal));
        }
        let p = s
            .performances
            .iter_mut()
            .find(|p| p.id == hold.performance.0)
            .expect("performance");
        if p.ga_taken + quantity > p.capacity {
            return Ok(Err(HoldRefusal::SoldOut {
                remaining: p.capacity - p.ga_taken,
            }));
        }
        p.ga_taken += quantity;
        s.holds.insert(
            hold.id.clone(),
            Hold {
                performance: hold.performance.0,
                quantity,
                status: HoldStatus::Active,
                expires_at: hold.expires_at,
                client: hold.limit.as_ref().map(|l| l.client.clone()),
            },
        );
        Ok(Ok(()))
    }

    async fn hold(&self, id: &HoldId) -> RepoResult<Option<HoldRow>> {
        let s = self.state()?;
        Ok(s.holds.get(id).map(|h| {
            let mut seat_ids: Vec<i64> = s
                .claims
                .iter()
                .filter(|(_, c)| &c.hold == id)
                .map(|((_, seat), _)| *seat)
                .collect();
            seat_ids.sort_unstable();
            HoldRow {
                id: id.clone(),
                performance: PerformanceId(h.performance),
                quantity: h.quantity,
                status: h.status,
                expires_at: h.expires_at,
                seat_ids,
            }
        }))
    }

    async fn release_hold(&self, id: &HoldId) -> RepoResult<Release> {
        let mut s = self.state()?;
        let Some(h) = s.holds.get_mut(id) else {
            return Ok(Release::Unknown);
        };
        match h.status {
            HoldStatus::Consumed => return Ok(Release::Paid),
            HoldStatus::Active => {}
            _ => return Ok(Release::AlreadyFree),
        }
        h.status = HoldStatus::Released;
        let (perf, quantity) = (h.performance, h.quantity);
        if let Some(p) = s
            .performances
            .iter_mut()
            .find(|p| p.id == perf && !p.new.seated)
        {
            p.ga_taken -= quantity;
        }
        s.claims
            .retain(|_, c| !(&c.hold == id && c.expires_at.is_some()));
        for o in s.orders.values_mut() {
            if &o.new.hold == id && o.status == OrderStatus::AwaitingPayment {
                o.status = OrderStatus::Cancelled;
            }
        }
        Ok(Release::Released {
            performance: PerformanceId(perf),
        })
    }

    async fn expire_holds(&self, now: i64) -> RepoResult<u64> {
        Ok(self.state()?.expire(None, now))
    }

    async fn extend_hold(&self, id: &HoldId, now: i64, until: i64) -> RepoResult<bool> {
        let mut s = self.state()?;
        match s.holds.get_mut(id) {
            Some(h) if h.status == HoldStatus::Active && h.expires_at > now => {
                h.expires_at = h.expires_at.max(until);
            }
            _ => return Ok(false),
        }
        for c in s.claims.values_mut().filter(|c| &c.hold == id) {
            if let Some(e) = c.expires_at.as_mut() {
                *e = (*e).max(until);
            }
        }
        Ok(true)
    }
}

#[async_trait]
impl OrderRepo for MemoryStore {
    async fn create_order(&self, order: &NewOrder, now: i64) -> RepoResult<OrderCreation> {
        let mut s = self.state()?;
        match s.holds.get(&order.hold) {
            None => return Ok(OrderCreation::HoldUnknown),
            Some(h) if h.status == HoldStatus::Consumed => return Ok(OrderCreation::HoldConsumed),
            Some(h) if h.status != HoldStatus::Active || h.expires_at <= now => {
                return Ok(OrderCreation::HoldGone)
            }
            Some(_) => {}
        }
        if s.orders
            .values()
            .any(|o| o.new.reference == order.reference)
        {
            return Ok(OrderCreation::ReferenceTaken);
        }
        for o in s.orders.values_mut() {
            if o.new.hold == order.hold && o.status == OrderStatus::AwaitingPayment {
                o.status = OrderStatus::Cancelled;
            }
        }
        let quotas = s
            .perf(order.performance.0)
            .map(|p| p.quotas.clone())
            .unwrap_or_default();
        let tariffs = order.items.iter().map(|i| i.tariff_code.as_str());
        for (tariff, asking) in app::domain::quota::counts(tariffs) {
            let Some((_, max)) = quotas.iter().find(|(t, _)| t == tariff) else {
                continue;
            };
            let taken = s
                .orders
                .values()
                .filter(|o| o.new.performance == order.performance)
                .filter(|o| {
                    o.status == OrderStatus::Paid
                        || (o.status == OrderStatus::AwaitingPayment
                            && s.holds.get(&o.new.hold).is_some_and(|h| {
                                h.status == HoldStatus::Active && h.expires_at > now
                            }))
                })
                .flat_map(|o| o.new.items.iter())
                .filter(|i| i.tariff_code == tariff)
                .count() as i64;
            if let Err(left) = app::domain::quota::check(*max, taken, asking) {
                return Ok(OrderCreation::QuotaReached {
                    tariff: tariff.to_string(),
                    left,
                });
            }
        }
        s.orders.insert(
            order.id.clone(),
            Order {
                new: order.clone(),
                status: OrderStatus::AwaitingPayment,
                refund_due: false,
                paid_at: None,
            },
        );
        Ok(OrderCreation::Created)
    }

    async fn order(&self, id: &OrderId) -> RepoResult<Option<OrderRow>> {
        let s = self.state()?;
        Ok(s.orders.get(id).map(|o| OrderRow {
            id: o.new.id.clone(),
            reference: o.new.reference.clone(),
            token: o.new.token.clone(),
            hold: o.new.hold.clone(),
            performance: o.new.performance,
            buyer_name: o.new.buyer_name.clone(),
            buyer_email: o
                .new
                .buyer_email
                .as_ref()
                .map(|e| e.as_str().to_string())
                .unwrap_or_default(),
            total: o.new.total,
            status: o.status,
            lang: o.new.lang.clone(),
            expires_at: s.holds[&o.new.hold].expires_at,
            last_payment: s
                .payments
                .iter()
                .rev()
                .find(|p| &p.order == id)
                .map(|p| p.outcome.as_str().to_string()),
        }))
    }

    async fn order_items(&self, id: &OrderId) -> RepoResult<Vec<OrderItemRow>> {
        let s = self.state()?;
        let Some(o) = s.orders.get(id) else {
            return Ok(Vec::new());
        };
        let p = s.perf(o.new.performance.0).expect("performance");
        let hall = s.hall(p.hall_id).expect("hall");
        Ok(o.new
            .items
            .iter()
            .map(|i| {
                let seat = hall.seat(i.seat_id);
                let t = s.tariff(&i.tariff_code);
                OrderItemRow {
                    seat_id: i.seat_id,
                    seat: s.seat_label(p.hall_id, i.seat_id),
                    category: seat.map(|st| st.category),
                    tariff_code: i.tariff_code.clone(),
                    tariff_label: t.label_fr.clone(),
                    proof_required: t.proof_required,
                    price: i.price,
                }
            })
            .collect())
    }

    async fn start_payment(&self, payment: &PaymentRecord) -> RepoResult<()> {
        self.state()?.payments.push(payment.clone());
        Ok(())
    }

    async fn finish_payment(
        &self,
        attempt_key: &str,
        outcome: PaymentOutcomeRecord,
        _now: i64,
    ) -> RepoResult<()> {
        let mut s = self.state()?;
        if let Some(p) = s
            .payments
            .iter_mut()
            .find(|p| p.attempt_key == attempt_key && p.outcome == PaymentOutcomeRecord::Pending)
        {
            p.outcome = outcome;
        }
        Ok(())
    }

    async fn attach_provider_ref(&self, attempt_key: &str, provider_ref: &str) -> RepoResult<()> {
        let mut s = self.state()?;
        s.attempt_refs.entry(attempt_key.to_string()).or_default().0 = Some(provider_ref.into());
        Ok(())
    }

    async fn note_provider_answer(&self, attempt_key: &str, answer: &str) -> RepoResult<()> {
        let mut s = self.state()?;
        s.attempt_refs.entry(attempt_key.to_string()).or_default().1 = Some(answer.into());
        Ok(())
    }

    async fn payment_attempts(&self, find: &AttemptQuery) -> RepoResult<Vec<AttemptRow>> {
        let s = self.state()?;
        let reference =
            |p: &PaymentRecord| s.attempt_refs.get(&p.attempt_key).and_then(|r| r.0.clone());
        Ok(s.payments
            .iter()
            .filter(|p| match find {
                AttemptQuery::ByRef {
                    provider,
                    provider_ref,
                } => p.provider == provider && reference(p).as_ref() == Some(provider_ref),
                AttemptQuery::PendingOfOrder(order) => {
                    &p.order == order && p.outcome == PaymentOutcomeRecord::Pending
                }
                AttemptQuery::PendingSince {
                    provider, before, ..
                } => {
                    p.provider == provider
                        && p.outcome == PaymentOutcomeRecord::Pending
                        && p.now <= *before
                }
            })
            .map(|p| AttemptRow {
                order: p.order.clone(),
                attempt_key: p.attempt_key.clone(),
                provider: p.provider.to_string(),
                provider_ref: reference(p),
                outcome: p.outcome,
                amount: p.amount,
                created_at: p.now,
            })
            .collect())
    }

    async fn settle(&self, st: &Settle) -> RepoResult<Settlement> {
        let mut s = self.state()?;
        let now = st.payment.now;
        // As the engines do: only a pending attempt is finished; one finished before stays.
        let finish = |s: &mut State, outcome| match s
            .payments
            .iter_mut()
            .find(|p| p.attempt_key == st.payment.attempt_key)
        {
            Some(p) if p.outcome == PaymentOutcomeRecord::Pending => p.outcome = outcome,
            Some(_) => {}
            None => s.payments.push(PaymentRecord {
                outcome,
                ..st.payment.clone()
            }),
        };
        let refund = PaymentOutcomeRecord::RefundNeeded;
        match s.orders.get(&st.order).map(|o| o.status) {
            Some(OrderStatus::AwaitingPayment) => {}
            Some(OrderStatus::Paid) => {
                finish(&mut s, refund);
                return Ok(Settlement::AlreadyPaid);
            }
            Some(other) => {
                finish(&mut s, refund);
                return Ok(Settlement::NotPayable(other));
            }
            None => return Ok(Settlement::NotPayable(OrderStatus::Cancelled)),
        }
        let seated = st.tickets.iter().filter(|t| t.seat_id.is_some()).count();
        let holding = s
            .holds
            .get(&st.hold)
            .is_some_and(|h| h.status == HoldStatus::Active && h.expires_at > now);
        let claims = s
            .claims
            .values()
            .filter(|c| c.hold == st.hold && c.expires_at.is_some_and(|e| e > now))
            .count();
        if !holding || claims != seated {
            if let Some(o) = s.orders.get_mut(&st.order) {
                o.status = OrderStatus::Expired;
            }
            finish(&mut s, refund);
            return Ok(Settlement::HoldExpired);
        }
        // An exchange's old side is checked before anything changes (one transaction).
        if let Some(x) = &st.exchange {
            let refund = x.take.refund.as_ref().map_or(0, |r| -r.amount.0);
            let valid = x.take.ticket_ids.iter().all(|id| {
                s.tickets.iter().any(|t| {
                    t.id == *id && t.order == x.take.order && t.status == TicketStatus::Valid
                })
            });
            if !valid {
                return Ok(Settlement::ExchangeRefused(TakenBack::TicketGone));
            }
            if MemoryStore::given_back(&s, &x.take.order) + x.credit.0 + refund
                > x.take.refund_cap.0
            {
                return Ok(Settlement::ExchangeRefused(TakenBack::OverRefunded));
            }
        }
        let paid = s.orders.get_mut(&st.order).expect("order");
        paid.status = OrderStatus::Paid;
        paid.paid_at = Some(st.payment.now);
        s.holds.get_mut(&st.hold).expect("hold").status = HoldStatus::Consumed;
        for c in s.claims.values_mut().filter(|c| c.hold == st.hold) {
            c.expires_at = None;
        }
        finish(&mut s, PaymentOutcomeRecord::Approved);
        for p in &st.counter {
            s.counter_payments.push((st.order.clone(), p.clone()));
        }
        if let Some(draft) = st.journal.clone() {
            let s = &mut *s;
            MemoryStore::journal_append(&mut s.journal, &mut s.tech_events, draft)?;
        }
        let mut per_tariff: BTreeMap<String, i64> = BTreeMap::new();
        for t in &st.tickets {
            *per_tariff.entry(t.tariff_code.clone()).or_default() += 1;
        }
        let mut next = BTreeMap::new();
        for (tariff, count) in per_tariff {
            let last = s.series.entry((st.venue_id, tariff.clone())).or_default();
            *last += count;
            next.insert(tariff, *last - count + 1);
        }
        let mut issued = Vec::new();
        for t in &st.tickets {
            let slot = next.get_mut(&t.tariff_code).expect("series");
            let number = *slot;
            *slot += 1;
            let id = s.id();
            s.tickets.push(Ticket {
                id,
                uid: t.uid,
                order: st.order.clone(),
                performance: st.performance.0,
                seat_id: t.seat_id,
                venue_id: st.venue_id,
                tariff: t.tariff_code.clone(),
                number,
                price: t.price,
                holder: st.buyer_name.clone(),
                code: t.code.clone(),
                status: TicketStatus::Valid,
            });
            issued.push(IssuedTicket { id, number });
        }
        if let Some(x) = &st.exchange {
            let reference = |s: &State, id: &OrderId| {
                s.orders
                    .get(id)
                    .map(|o| o.new.reference.clone())
                    .unwrap_or_default()
            };
            let row = ExchangeRow {
                from_order: x.take.order.to_string(),
                from_reference: reference(&s, &x.take.order),
                to_order: st.order.to_string(),
                to_reference: reference(&s, &st.order),
                credit: x.credit,
                at: now,
            };
            MemoryStore::take_back_in(&mut s, &x.take, x.credit.0)?;
            s.exchanges.push(row);
        }
        if let Some(mail) = &st.mail {
            outbox::enqueue(&mut s.outbox, mail, now);
        }
        Ok(Settlement::Issued(issued))
    }

    async fn order_payments(&self, id: &OrderId) -> RepoResult<Vec<CounterPaymentRow>> {
        Ok(self.counter_payments(id.as_str()))
    }

    async fn search_orders(
        &self,
        query: &app::domain::order_search::OrderQuery,
        limit: i64,
    ) -> RepoResult<Vec<OrderSummaryRow>> {
        use app::domain::order_search::OrderQuery as Q;
        let s = self.state()?;
        let venue_code = |id: i64| {
            s.venues
                .iter()
                .find(|v| v.id == id)
                .map(|v| v.code.clone())
                .unwrap_or_default()
        };
        let ticket_orders: Vec<&OrderId> = s
            .tickets
            .iter()
            .filter(|t| match query {
                Q::TicketNumber(n) => {
                    venue_code(t.venue_id) == n.venue_code
                        && t.tariff == n.tariff_code
                        && t.number == n.number
                }
                Q::Code(code) => &t.code == code,
                _ => false,
            })
            .map(|t| &t.order)
            .collect();
        let mut found: Vec<OrderSummaryRow> = s
            .orders
            .values()
            .filter(|o| match query {
                Q::TicketNumber(_) | Q::Code(_) => ticket_orders.contains(&&o.new.id),
                Q::Email(e) => o
                    .new
                    .buyer_email
                    .as_ref()
                    .is_some_and(|m| m.as_str().to_lowercase() == *e),
                Q::Text { reference, name } => {
                    o.new.reference == *reference || o.new.buyer_name.to_lowercase().contains(name)
                }
                Q::Reference(reference) => o.new.reference == *reference,
            })
            .filter_map(|o| {
                let p = s.perf(o.new.performance.0)?;
                let title = s.shows.iter().find(|sh| sh.id == p.show_id)?.title.clone();
                Some(OrderSummaryRow {
                    id: o.new.id.as_str().to_string(),
                    reference: o.new.reference.clone(),
                    status: o.status,
                    channel: match o.new.origin {
                        SaleOrigin::Online => "online".into(),
                        SaleOrigin::Counter { .. } => "box_office".into(),
                    },
                    buyer_name: o.new.buyer_name.clone(),
                    buyer_email: o
                        .new
                        .buyer_email
                        .as_ref()
                        .map(|e| e.as_str().to_string())
                        .unwrap_or_default(),
                    total: o.new.total,
                    performance_id: p.id,
                    show_title: title,
                    starts_at: p.new.starts_at,
                    created_at: 0,
                    valid_tickets: s
                        .tickets
                        .iter()
                        .filter(|t| t.order == o.new.id && t.status == TicketStatus::Valid)
                        .count() as i64,
                })
            })
            .collect();
        found.sort_by(|a, b| a.reference.cmp(&b.reference));
        found.truncate(limit.max(0) as usize);
        Ok(found)
    }

    async fn order_channel(&self, id: &OrderId) -> RepoResult<Option<String>> {
        let s = self.state()?;
        Ok(s.orders.get(id).map(|o| match o.new.origin {
            SaleOrigin::Online => "online".to_string(),
            SaleOrigin::Counter { .. } => "box_office".to_string(),
        }))
    }

    async fn performance_sales(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<app::domain::statement::SoldTicket>> {
        let s = self.state()?;
        let mut out: Vec<app::domain::statement::SoldTicket> = s
            .tickets
            .iter()
            .filter(|t| t.performance == performance.0)
            .map(|t| app::domain::statement::SoldTicket {
                venue_code: s
                    .venues
                    .iter()
                    .find(|v| v.id == t.venue_id)
                    .map(|v| v.code.clone())
                    .unwrap_or_default(),
                tariff_code: t.tariff.clone(),
                tariff_label: t.tariff.clone(),
                number: t.number,
                price_cents: t.price.0,
                valid: t.status == TicketStatus::Valid,
                channel: match s.orders.get(&t.order).map(|o| &o.new.origin) {
                    Some(SaleOrigin::Counter { .. }) => "box_office".into(),
                    _ => "online".into(),
                },
            })
            .collect();
        out.sort_by(|a, b| (&a.tariff_code, a.number).cmp(&(&b.tariff_code, b.number)));
        Ok(out)
    }

    async fn paid_tickets_between(
        &self,
        from: i64,
        until: i64,
    ) -> RepoResult<Vec<app::domain::sales_report::PaidTicket>> {
        let s = self.state()?;
        let mut out: Vec<app::domain::sales_report::PaidTicket> = s
            .tickets
            .iter()
            .filter(|t| t.status == TicketStatus::Valid)
            .filter_map(|t| {
                let o = s.orders.get(&t.order)?;
                let paid_at = o.paid_at.filter(|at| (from..until).contains(at))?;
                let p = s.perf(t.performance)?;
                Some(app::domain::sales_report::PaidTicket {
                    paid_at,
                    channel: match o.new.origin {
                        SaleOrigin::Counter { .. } => "box_office".into(),
                        SaleOrigin::Online => "online".into(),
                    },
                    price_cents: t.price.0,
                    performance_id: t.performance,
                    show_title: s.shows.iter().find(|sh| sh.id == p.show_id)?.title.clone(),
                })
            })
            .collect();
        out.sort_by_key(|t| t.paid_at);
        Ok(out)
    }

    async fn export_orders(
        &self,
        from: i64,
        until: i64,
        after: Option<&app::domain::export::Cursor>,
        limit: i64,
    ) -> RepoResult<Vec<app::domain::export::OrderLine>> {
        let s = self.state()?;
        let mut out: Vec<app::domain::export::OrderLine> = s
            .orders
            .iter()
            .filter_map(|(id, o)| {
                let paid_at = o.paid_at.filter(|at| (from..until).contains(at))?;
                if after.is_some_and(|c| (paid_at, id.as_str()) <= (c.paid_at, c.id.as_str())) {
                    return None;
                }
                let p = s.perf(o.new.performance.0)?;
                Some(app::domain::export::OrderLine {
                    id: id.to_string(),
                    reference: o.new.reference.clone(),
                    paid_at: Ts(paid_at),
                    channel: match o.new.origin {
                        SaleOrigin::Counter { .. } => "box_office".into(),
                        SaleOrigin::Online => "online".into(),
                    },
                    status: o.status.as_str().into(),
                    buyer_name: o.new.buyer_name.clone(),
                    buyer_email: o
                        .new
                        .buyer_email
                        .as_ref()
                        .map_or_else(String::new, |e| e.as_str().to_string()),
                    show: s.shows.iter().find(|sh| sh.id == p.show_id)?.title.clone(),
                    starts_at: Ts(p.new.starts_at),
                    tickets: s
                        .tickets
                        .iter()
                        .filter(|t| &t.order == id && t.status == TicketStatus::Valid)
                        .count() as i64,
                    total_cents: o.new.total.0,
                    refunded_cents: -s
                        .counter_payments
                        .iter()
                        .filter(|(o, p)| o == id && p.amount.0 < 0)
                        .map(|(_, p)| p.amount.0)
                        .sum::<i64>(),
                })
            })
            .collect();
        out.sort_by(|a, b| (a.paid_at.0, &a.id).cmp(&(b.paid_at.0, &b.id)));
        out.truncate(limit.max(0) as usize);
        Ok(out)
    }

    async fn seat_sales_in_hall(
        &self,
        hall_id: i64,
        from: i64,
        until: i64,
    ) -> RepoResult<(i64, Vec<((i64, String, i64), i64)>)> {
        let s = self.state()?;
        let perfs: Vec<&Performance> = s
            .performances
            .iter()
            .filter(|p| {
                p.hall_id == hall_id
                    && !p.cancelled
                    && p.new.seated
                    && (from..until).contains(&p.new.starts_at)
            })
            .collect();
        let seat = |id: i64| {
            s.hall(hall_id)?
                .versions
                .iter()
                .flat_map(|v| v.seats.iter())
                .find(|x| x.id == id)
                .map(|x| (x.zone_id, x.row.clone(), x.number))
        };
        let mut counts: BTreeMap<(i64, String, i64), i64> = BTreeMap::new();
        for t in s.tickets.iter().filter(|t| t.status == TicketStatus::Valid) {
            if !perfs.iter().any(|p| p.id == t.performance) {
                continue;
            }
            if let Some(place) = t.seat_id.and_then(seat) {
                *counts.entry(place).or_default() += 1;
            }
        }
        Ok((perfs.len() as i64, counts.into_iter().collect()))
    }

    async fn count_paid_orders(&self, from: i64, until: i64) -> RepoResult<i64> {
        let s = self.state()?;
        Ok(s.orders
            .values()
            .filter(|o| o.paid_at.is_some_and(|at| (from..until).contains(&at)))
            .count() as i64)
    }

    async fn take_back(&self, t: &TakeBack) -> RepoResult<TakenBack> {
        let mut s = self.state()?;
        MemoryStore::take_back_in(&mut s, t, 0)
    }

    async fn order_exchanges(&self, id: &OrderId) -> RepoResult<Vec<ExchangeRow>> {
        let s = self.state()?;
        Ok(s.exchanges
            .iter()
            .filter(|x| x.from_order == id.as_str() || x.to_order == id.as_str())
            .cloned()
            .collect())
    }

    async fn order_tickets(&self, id: &OrderId) -> RepoResult<Vec<TicketRow>> {
        let s = self.state()?;
        Ok(s.tickets
            .iter()
            .filter(|t| &t.order == id)
            .map(|t| {
                let p = s.perf(t.performance).expect("performance");
                let venue = &s
                    .venues
                    .iter()
                    .find(|v| v.id == t.venue_id)
                    .expect("venue")
                    .code;
                let seat = s.hall(p.hall_id).and_then(|h| h.seat(t.seat_id));
                let tariff = s.tariff(&t.tariff);
                TicketRow {
                    id: t.id,
                    uid: t.uid,
                    number: TicketNumber::new(venue, &t.tariff, t.number),
                    seat: s.seat_label(p.hall_id, t.seat_id),
                    category: seat.map(|st| st.category),
                    tariff_code: t.tariff.clone(),
                    tariff_label: tariff.label_fr.clone(),
                    proof_required: tariff.proof_required,
                    price: t.price,
                    holder_name: t.holder.clone(),
                    status: t.status,
                    code: t.code.clone(),
                }
            })
            .collect())
    }
}

#[async_trait]
impl DoorRepo for MemoryStore {
    async fn create_door_token(&self, t: &NewDoorToken) -> RepoResult<i64> {
        let mut s = self.state()?;
        let id = s.id();
        s.tokens.push((
            t.token_hash.clone(),
            DoorTokenRow {
                id,
                label: t.label.clone(),
                supervisor: t.supervisor,
                created_at: t.now,
                expires_at: t.expires_at,
                revoked_at: None,
                performance_ids: t.performance_ids.clone(),
            },
        ));
        Ok(id)
    }

    async fn door_token_by_hash(&self, token_hash: &str) -> RepoResult<Option<DoorTokenRow>> {
        Ok(self
            .state()?
            .tokens
            .iter()
            .find(|(h, _)| h == token_hash)
            .map(|(_, r)| r.clone()))
    }

    async fn door_tokens(&self) -> RepoResult<Vec<DoorTokenRow>> {
        Ok(self
            .state()?
            .tokens
            .iter()
            .map(|(_, r)| r.clone())
            .collect())
    }

    async fn revoke_door_token(&self, id: i64, now: i64) -> RepoResult<bool> {
        let mut s = self.state()?;
        match s
            .tokens
            .iter_mut()
            .find(|(_, r)| r.id == id && r.revoked_at.is_none())
        {
            Some((_, r)) => {
                r.revoked_at = Some(now);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn ticket_by_uid(&self, uid: i64) -> RepoResult<Option<DoorTicketRow>> {
        let s = self.state()?;
        Ok(s.tickets
            .iter()
            .find(|t| t.uid == uid)
            .map(|t| s.door_ticket(t)))
    }

    async fn ticket_by_number(&self, n: &TicketNumber) -> RepoResult<Option<DoorTicketRow>> {
        let s = self.state()?;
        let Some(venue) = s
            .venues
            .iter()
            .find(|v| v.code == n.venue_code)
            .map(|v| v.id)
        else {
            return Ok(None);
        };
        Ok(s.tickets
            .iter()
            .find(|t| t.venue_id == venue && t.tariff == n.tariff_code && t.number == n.number)
            .map(|t| s.door_ticket(t)))
    }

    async fn search_attendees(
        &self,
        performance: PerformanceId,
        q: &AttendeeQuery,
    ) -> RepoResult<Vec<DoorTicketRow>> {
        let s = self.state()?;
        Ok(s.tickets
            .iter()
            .filter(|t| t.performance == performance.0)
            .filter(|t| {
                t.holder.to_lowercase().contains(&q.name)
                    || s.orders[&t.order].new.reference == q.reference
                    || Some(t.number) == q.number
            })
            .map(|t| s.door_ticket(t))
            .collect())
    }

    async fn performance_tickets(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<DoorTicketRow>> {
        let s = self.state()?;
        Ok(s.tickets
            .iter()
            .filter(|t| t.performance == performance.0)
            .map(|t| s.door_ticket(t))
            .collect())
    }

    async fn admitted_uids(&self, performance: PerformanceId) -> RepoResult<Vec<i64>> {
        let s = self.state()?;
        Ok(s.admissions
            .iter()
            .filter(|a| a.performance == performance.0 && !a.undone)
            .filter_map(|a| {
                s.tickets
                    .iter()
                    .find(|t| t.id == a.ticket_id)
                    .map(|t| t.uid)
            })
            .collect())
    }

    async fn standing_admission(&self, ticket_id: i64) -> RepoResult<Option<FirstAdmission>> {
        Ok(self
            .state()?
            .admissions
            .iter()
            .find(|a| a.ticket_id == ticket_id && !a.undone)
            .map(|a| FirstAdmission {
                at: Ts(a.scanned_at),
                device: a.device.clone(),
            }))
    }

    async fn admit(&self, a: &NewAdmission) -> RepoResult<Admission> {
        let mut s = self.state()?;
        if let Some(by_nonce) = s
            .admissions
            .iter()
            .find(|x| x.nonce == a.nonce && x.token_id == a.token_id)
        {
            return Ok(if by_nonce.ticket_id == a.ticket_id && !by_nonce.undone {
                Admission::Admitted { id: by_nonce.id }
            } else {
                Admission::NonceReused
            });
        }
        if let Some(first) = s
            .admissions
            .iter()
            .find(|x| x.ticket_id == a.ticket_id && !x.undone)
        {
            let first = FirstAdmission {
                at: Ts(first.scanned_at),
                device: first.device.clone(),
            };
            if a.offline && first.device != a.device {
                let conflict = ScanConflict {
                    ticket_number: String::new(),
                    holder_name: String::new(),
                    device: a.device.clone(),
                    scanned_at: Ts(a.scanned_at),
                    first_device: first.device.clone(),
                    first_scanned_at: first.at,
                };
                s.conflicts.push((a.ticket_id, conflict));
            }
            return Ok(Admission::AlreadyUsed { first });
        }
        let id = s.id();
        s.admissions.push(StoredAdmission {
            id,
            token_id: a.token_id,
            ticket_id: a.ticket_id,
            performance: a.performance.0,
            device: a.device.clone(),
            scanned_at: a.scanned_at,
            nonce: a.nonce.clone(),
            undone: false,
        });
        Ok(Admission::Admitted { id })
    }

    async fn undo_admission(
        &self,
        admission_id: i64,
        _token_id: i64,
        _now: i64,
    ) -> RepoResult<bool> {
        let mut s = self.state()?;
        match s
            .admissions
            .iter_mut()
            .find(|a| a.id == admission_id && !a.undone)
        {
            Some(a) => {
                a.undone = true;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn admission_performance(&self, admission_id: i64) -> RepoResult<Option<i64>> {
        Ok(self
            .state()?
            .admissions
            .iter()
            .find(|a| a.id == admission_id)
            .map(|a| a.performance))
    }

    async fn checkin_by_zone(&self, performance: PerformanceId) -> RepoResult<Vec<ZoneCount>> {
        let s = self.state()?;
        let mut zones: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for t in s
            .tickets
            .iter()
            .filter(|t| t.performance == performance.0 && t.status == TicketStatus::Valid)
        {
            let p = s.perf(t.performance).expect("performance");
            let zone = s
                .seat_label(p.hall_id, t.seat_id)
                .map(|l| l.zone)
                .unwrap_or_else(|| "Placement libre".into());
            let e = zones.entry(zone).or_default();
            e.1 += 1;
            if s.admissions
                .iter()
                .any(|a| a.ticket_id == t.id && !a.undone)
            {
                e.0 += 1;
            }
        }
        Ok(zones
            .into_iter()
            .map(|(zone, (admitted, expected))| ZoneCount {
                zone,
                admitted,
                expected,
            })
            .collect())
    }

    async fn scan_conflicts(&self, performance: PerformanceId) -> RepoResult<Vec<ScanConflictRow>> {
        let s = self.state()?;
        Ok(s.conflicts
            .iter()
            .filter_map(|(ticket_id, c)| {
                let t = s
                    .tickets
                    .iter()
                    .find(|t| t.id == *ticket_id && t.performance == performance.0)?;
                let venue = &s.venues.iter().find(|v| v.id == t.venue_id)?.code;
                Some(ScanConflictRow {
                    number: TicketNumber::new(venue, &t.tariff, t.number),
                    conflict: ScanConflict {
                        holder_name: t.holder.clone(),
                        ..c.clone()
                    },
                })
            })
            .collect())
    }

    async fn cancel_ticket(&self, ticket_id: i64, _now: i64) -> RepoResult<Option<PerformanceId>> {
        let mut s = self.state()?;
        let Some(t) = s
            .tickets
            .iter_mut()
            .find(|t| t.id == ticket_id && t.status == TicketStatus::Valid)
        else {
            return Ok(None);
        };
        t.status = TicketStatus::Cancelled;
        let (perf, seat) = (t.performance, t.seat_id);
        match seat {
            Some(seat) => {
                s.claims.remove(&(perf, seat));
            }
            None => {
                if let Some(p) = s.performances.iter_mut().find(|p| p.id == perf) {
                    p.ga_taken -= 1;
                }
            }
        }
        Ok(Some(PerformanceId(perf)))
    }
}

#[async_trait]
impl SetupRepo for MemoryStore {
    async fn apply(&self, b: &CatalogueBatch) -> RepoResult<AppliedBatch> {
        let mut s = self.state()?;
        for t in &b.tariffs {
            if !s.tariffs.iter().any(|x| x.code == t.code) {
                s.tariffs.push(t.clone());
            }
        }
        for v in &b.venues {
            let venue_id = match s.venues.iter().find(|x| x.code == v.code) {
                Some(x) => x.id,
                None => {
                    let id = s.id();
                    s.venues.push(Venue {
                        id,
                        code: v.code.clone(),
                        name: v.name.clone(),
                        operator_name: v.operator_name.clone(),
                        address: v.address.clone(),
                    });
                    id
                }
            };
            let codes: Vec<String> = b.tariffs.iter().map(|t| t.code.clone()).collect();
            for code in codes {
                s.seed_venue_tariff(venue_id, &code);
            }
            for h in &v.halls {
                if s.halls
                    .iter()
                    .any(|x| x.venue_id == venue_id && x.name == h.name)
                {
                    continue;
                }
                let id = s.id();
                let mut hall = Hall {
                    id,
                    venue_id,
                    name: h.name.clone(),
                    zones: Vec::new(),
                    categories: Vec::new(),
                    versions: Vec::new(),
                };
                s.add_version(&mut hall, h);
                s.halls.push(hall);
            }
        }
        for sh in &b.shows {
            if !s
                .shows
                .iter()
                .any(|x| x.title == sh.title && x.kind == sh.kind)
            {
                let id = s.id();
                s.shows.push(ShowRow {
                    id,
                    title: sh.title.clone(),
                    kind: sh.kind,
                    duration_min: sh.duration_min,
                    description: sh.description.clone(),
                    age_rating: sh.age_rating.clone(),
                    film: (sh.kind == ShowKind::Cinema).then(Default::default),
                    poster: None,
                });
            }
        }
        let mut applied = AppliedBatch::default();
        for p in &b.performances {
            let venue = s
                .venues
                .iter()
                .find(|v| v.code == p.venue_code)
                .expect("venue")
                .id;
            let hall = s
                .halls
                .iter()
                .find(|h| h.venue_id == venue && h.name == p.hall)
                .expect("hall");
            let hall_id = hall.id;
            let seatmap_version = hall.versions.len() as i64;
            if let Some(existing) = s
                .performances
                .iter()
                .find(|x| x.hall_id == hall_id && x.new.starts_at == p.starts_at)
            {
                applied.performance_ids.push(existing.id);
                continue;
            }
            let capacity = if p.seated {
                hall.current().seats.len() as i64
            } else {
                p.capacity
            };
            let prices = p
                .prices
                .iter()
                .map(|pr| {
                    let cat = pr.category.map(|n| {
                        hall.categories
                            .iter()
                            .find(|c| c.number == n)
                            .expect("category")
                            .id
                    });
                    (cat, pr.tariff.clone(), pr.cents)
                })
                .collect();
            let show_id = s
                .shows
                .iter()
                .find(|x| x.title == p.show_title && x.kind == p.show_kind)
                .expect("show")
                .id;
            let id = s.id();
            s.performances.push(Performance {
                id,
                show_id,
                hall_id,
                new: p.clone(),
                capacity,
                ga_taken: 0,
                cancelled: false,
                published: true,
                seatmap_version,
                quotas: Vec::new(),
                sold_online: true,
                sold_at_counter: true,
                prices,
            });
            applied.performance_ids.push(id);
            applied.created += 1;
        }
        Ok(applied)
    }

    async fn sales_counts(&self) -> RepoResult<SalesCounts> {
        let s = self.state()?;
        Ok(SalesCounts {
            holds: s.holds.len() as i64,
            seat_claims: s.claims.len() as i64,
            orders: s.orders.len() as i64,
            order_items: s.orders.values().map(|o| o.new.items.len() as i64).sum(),
            payments: s.payments.len() as i64,
            tickets: s.tickets.len() as i64,
        })
    }
}

#[async_trait]
impl IntegrityRepo for MemoryStore {
    async fn health(&self) -> RepoResult<()> {
        self.state().map(|_| ())
    }

    /// The invariants the unit tests break: tickets of paid orders, series without holes.
    async fn problems(&self) -> RepoResult<Vec<Problem>> {
        let s = self.state()?;
        let mut found = Vec::new();
        for o in s.orders.values().filter(|o| o.status == OrderStatus::Paid) {
            let issued = s.tickets.iter().filter(|t| t.order == o.new.id).count();
            if issued < o.new.items.len() {
                found.push(Problem {
                    kind: ProblemKind::PaidOrderWithoutTickets,
                    detail: format!("order {}", o.new.id),
                });
            }
        }
        for ((venue, tariff), last) in &s.series {
            let numbers: Vec<i64> = s
                .tickets
                .iter()
                .filter(|t| t.venue_id == *venue && &t.tariff == tariff)
                .map(|t| t.number)
                .collect();
            if numbers.len() as i64 != *last || numbers.iter().max().copied().unwrap_or(0) != *last
            {
                found.push(Problem {
                    kind: ProblemKind::NumberingGap,
                    detail: format!("venue {venue}, tariff {tariff}"),
                });
            }
        }
        Ok(found)
    }
}

/// Codes "T<performance>U<uid>": verifiable, not cryptographic.
pub struct FakeSigner;

impl TicketSigner for FakeSigner {
    fn sign(&self, c: TicketClaims) -> (u8, String) {
        (1, format!("T{}U{}", c.performance_id, c.ticket_id))
    }
    fn verify(&self, code: &str) -> Option<TicketClaims> {
        let (perf, uid) = code.trim().strip_prefix('T')?.split_once('U')?;
        Some(TicketClaims {
            key_id: 1,
            performance_id: perf.parse().ok()?,
            ticket_id: uid.parse().ok()?,
        })
    }
    fn public_keys(&self) -> Vec<PublicKeyInfo> {
        vec![PublicKeyInfo {
            key_id: 1,
            algorithm: "fake".into(),
            public_key: String::new(),
        }]
    }
    /// "Signs" with the message's SHA-256 (checkable, not cryptographic).
    fn sign_bytes(&self, message: &[u8]) -> (u8, Vec<u8>) {
        use sha2::Digest;
        (1, sha2::Sha256::digest(message).to_vec())
    }
    fn verify_bytes(&self, key_id: u8, message: &[u8], signature: &[u8]) -> bool {
        key_id == 1 && self.sign_bytes(message).1 == signature
    }
}

/// "PDFs" that list the ticket numbers they would print.
pub struct FakeRenderer;

#[async_trait]
impl TicketRenderer for FakeRenderer {
    async fn pdf(&self, tickets: Vec<TicketDoc>, layout: TicketLayout) -> Result<Vec<u8>, String> {
        let numbers: Vec<String> = tickets.into_iter().map(|t| t.number).collect();
        let kind = match layout {
            TicketLayout::A4 => "PDF",
            TicketLayout::Roll => "ROLL",
        };
        Ok(format!("{kind} {}", numbers.join(" ")).into_bytes())
    }
    fn qr_svg(&self, code: &str) -> Result<String, String> {
        Ok(format!("<svg>{code}</svg>"))
    }
    async fn statement_pdf(
        &self,
        statement: app::box_office::Statement,
    ) -> Result<Vec<u8>, String> {
        Ok(format!(
            "STATEMENT {} {}",
            statement.title, statement.totals.receipts_cents
        )
        .into_bytes())
    }
    async fn closure_pdf(
        &self,
        closure: app::box_office::ClosureReport,
    ) -> Result<Vec<u8>, String> {
        Ok(format!("Z {} {}", closure.period, closure.period_total_cents).into_bytes())
    }
}

/// Use cases over the fakes, at a fixed time.
pub struct World {
    pub uc: UseCases,
    pub store: Arc<MemoryStore>,
    pub clock: Arc<FakeClock>,
    /// What the use cases announced.
    pub changes: Arc<crate::adapters::changes::LocalChanges>,
    pub staff: Arc<MemoryStaff>,
}

/// 2026-12-05 20:30 Paris is 1_796_499_000; tests start a week before.
pub const NOW: i64 = 1_796_499_000 - 7 * 86_400;

pub fn world_with(payments: Arc<dyn PaymentGateway>, settings: Settings) -> World {
    world_adjusted(settings, |_, out| out.payments = payments)
}

/// Use cases over the fakes, with some outbound adapters replaced by `adjust` (a provider or
/// a renderer that watches the test; it may look at the store).
pub fn world_adjusted(
    settings: Settings,
    adjust: impl FnOnce(&Arc<MemoryStore>, &mut Outbound),
) -> World {
    let store = Arc::new(MemoryStore::new_installation());
    let clock = Arc::new(FakeClock::at(NOW));
    let changes = Arc::new(crate::adapters::changes::LocalChanges::new());
    let staff = Arc::new(MemoryStaff::default());
    let mut out = Outbound {
        catalogue: store.clone(),
        booking: store.clone(),
        orders: store.clone(),
        door: store.clone(),
        setup: store.clone(),
        integrity: store.clone(),
        staff: staff.clone(),
        programme: store.clone(),
        journal: store.clone(),
        changes: changes.clone(),
        clock: clock.clone(),
        passwords: Arc::new(FakeHasher),
        outbox: store.clone(),
        mailer: Arc::new(FakeMailer::default()),
        public_url: "https://billetterie.test".into(),
        payments: Arc::new(crate::adapters::payments::Sandbox),
        signer: Arc::new(FakeSigner),
        renderer: Arc::new(FakeRenderer),
        mail_renderer: Arc::new(FakeRenderer),
    };
    adjust(&store, &mut out);
    World {
        uc: UseCases::new(out, settings),
        store,
        clock,
        changes,
        staff,
    }
}

pub fn world() -> World {
    world_with(
        Arc::new(crate::adapters::payments::Sandbox),
        Settings::default(),
    )
}

/// A venue "TST" with one hall of `seats` numbered seats in row A (20 units apart, category 1,
/// seats listed in `blocked` never sold), or general admission for `capacity` when `seats` is 0.
pub struct Spec {
    pub seats: i64,
    pub capacity: i64,
    pub max_per_order: i64,
    pub blocked: Vec<i64>,
    /// Sale window relative to NOW.
    pub opens_in: i64,
    pub starts_in: i64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            seats: 10,
            capacity: 0,
            max_per_order: 6,
            blocked: Vec::new(),
            opens_in: -86_400,
            starts_in: 7 * 86_400,
        }
    }
}

/// A new venue's first `seats` seats held and ordered by Ana Lopes (plein tarif), not paid.
pub async fn placed_order(w: &World, seats: usize) -> app::dto::OrderView {
    use app::dto::*;
    use app::ports::{Booking, Checkout};
    let (perf, s) = venue(w, Spec::default()).await;
    let request = HoldRequest {
        performance_id: perf,
        seat_ids: Some(s[0..seats].to_vec()),
        quantity: None,
    };
    let hold = w.uc.booking.create_hold(request).await.unwrap();
    let tickets = hold
        .seat_ids
        .iter()
        .map(|s| TicketRequest {
            seat_id: Some(*s),
            tariff: "plein".into(),
        })
        .collect();
    let buyer = Buyer {
        name: "Ana Lopes".into(),
        email: "ana@exemple.fr".into(),
    };
    let request = OrderRequest {
        hold_id: hold.id.clone(),
        buyer,
        tickets,
        lang: Some("fr".into()),
    };
    w.uc.checkout.create_order(request).await.unwrap()
}

/// Returns the performance id and its seat ids in row order.
pub async fn venue(w: &World, spec: Spec) -> (i64, Vec<i64>) {
    let seated = spec.seats > 0;
    let n = w.store.state.lock().unwrap().halls.len();
    let hall = format!("Salle {n}");
    let seats = (1..=spec.seats)
        .map(|k| NewSeat {
            zone: "Parterre".into(),
            category: 1,
            row: "A".into(),
            number: k,
            x: k * 20,
            y: 50,
            accessible: false,
            companion: false,
            restricted_view: false,
            blocked: spec.blocked.contains(&k),
            block_reason: spec
                .blocked
                .contains(&k)
                .then_some(app::domain::plan::BlockReason::Technical),
        })
        .collect();
    let category = seated.then_some(1);
    let price = |tariff: &str, cents| NewPrice {
        category,
        tariff: tariff.into(),
        cents,
    };
    let batch = CatalogueBatch {
        tariffs: crate::demo::tariffs(),
        venues: vec![NewVenue {
            code: "TST".into(),
            name: "Salle des fêtes".into(),
            operator_name: "Ville de Test".into(),
            address: "1 rue du Test".into(),
            kind: ShowKind::Theatre,
            halls: vec![NewHall {
                name: hall.clone(),
                width: 1000,
                height: 200,
                stage: (0, 0, 1000, 20),
                stage_label: "Scène".into(),
                zones: vec!["Parterre".into()],
                categories: vec![NewCategory {
                    number: 1,
                    label: "Catégorie 1".into(),
                    color: "#123456".into(),
                }],
                seats,
            }],
        }],
        shows: vec![NewShow {
            title: "Spectacle de test".into(),
            kind: ShowKind::Theatre,
            duration_min: 90,
            description: "Un test.".into(),
            age_rating: "Tout public".into(),
        }],
        performances: vec![NewPerformance {
            venue_code: "TST".into(),
            hall,
            show_title: "Spectacle de test".into(),
            show_kind: ShowKind::Theatre,
            starts_at: NOW + spec.starts_in,
            sale_opens_at: NOW + spec.opens_in,
            sale_closes_at: NOW + spec.starts_in,
            hold_seconds: 900,
            max_seats_per_order: spec.max_per_order,
            seated,
            capacity: spec.capacity,
            prices: vec![
                price("plein", 2000),
                price("reduit", 1500),
                price("enfant", 0),
            ],
        }],
    };
    let applied = w.uc.setup.apply(&batch).await.unwrap();
    let id = applied.performance_ids[0];
    let s = w.store.state.lock().unwrap();
    let hall_id = s.perf(id).unwrap().hall_id;
    let seat_ids = s
        .hall(hall_id)
        .unwrap()
        .current()
        .seats
        .iter()
        .map(|s| s.id)
        .collect();
    (id, seat_ids)
}

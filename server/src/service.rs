//! The service layer: implements the `Ticketing` port for the UI, the JSON API and the CLI.
//! Rules are checked here (with the domain functions); atomic state changes happen in storage.
use crate::payments::{ChargeResult, PaymentProvider};
use crate::pdf::{TicketDoc, TicketRenderer};
use crate::signing::TicketSigner;
use crate::storage::{
    categories_with_tariffs, printed_number, HallPlan, HoldRefusal, NewItem, NewOrder,
    OrderItemRow, OrderRow, PerformanceRow, PerformanceRules, PriceRow, Release, Settlement, Store,
    StoreError,
};
use app::domain::rules::{
    check_quantity, check_selection, hold_expired, sale_state, seconds_left, SaleState,
};
use app::domain::seating::best_adjacent;
use app::domain::{paris, Email};
use app::dto::*;
use app::error::{AppError, ErrorCode};
use app::ports::Ticketing;
use app::ticket_code::PublicKeyInfo;
use async_trait::async_trait;

use crate::cache::TtlCache;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound(what) => AppError::not_found(format!("Introuvable : {what}.")),
            StoreError::Constraint(c) => {
                AppError::conflict(format!("Opération refusée (contrainte {c})."))
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                AppError::internal("Erreur interne, veuillez réessayer.")
            }
        }
    }
}

/// Random identifiers: hold and order ids, order tokens, references, ticket uids.
pub mod ids {
    use rand::Rng;

    pub fn hex(bytes: usize) -> String {
        let mut rng = rand::thread_rng();
        (0..bytes)
            .map(|_| format!("{:02x}", rng.gen::<u8>()))
            .collect()
    }

    /// 8 characters without look-alikes (no 0/O, 1/I/L), read aloud at the box office.
    pub fn reference() -> String {
        const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        let mut rng = rand::thread_rng();
        (0..8)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect()
    }

    /// A positive 63-bit id (fits BIGINT on both engines).
    pub fn uid() -> i64 {
        rand::thread_rng().gen_range(1..i64::MAX)
    }
}

/// Seats that a hold in this process is writing right now. A second request for one of them is
/// refused at once instead of queueing for a write that would fail; the database constraint
/// remains the guarantee (other app servers, stale views).
#[derive(Default)]
struct InFlight(std::sync::Mutex<HashSet<(i64, i64)>>);

struct InFlightGuard<'a> {
    set: &'a InFlight,
    keys: Vec<(i64, i64)>,
}

impl InFlight {
    /// Lets `choose` pick seats, telling it which are in flight, and claims what it picks.
    fn claim_chosen(
        &self,
        performance_id: i64,
        choose: impl FnOnce(&dyn Fn(i64) -> bool) -> Option<Vec<i64>>,
    ) -> Option<(Vec<i64>, InFlightGuard<'_>)> {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let ids = choose(&|id| set.contains(&(performance_id, id)))?;
        let keys: Vec<(i64, i64)> = ids.iter().map(|id| (performance_id, *id)).collect();
        set.extend(keys.iter().copied());
        Some((ids, InFlightGuard { set: self, keys }))
    }

    /// Claims every seat or none; on failure returns the seats already in flight.
    fn claim(&self, performance_id: i64, seat_ids: &[i64]) -> Result<InFlightGuard<'_>, Vec<i64>> {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let busy: Vec<i64> = seat_ids
            .iter()
            .copied()
            .filter(|id| set.contains(&(performance_id, *id)))
            .collect();
        if !busy.is_empty() {
            return Err(busy);
        }
        let keys: Vec<(i64, i64)> = seat_ids.iter().map(|id| (performance_id, *id)).collect();
        set.extend(keys.iter().copied());
        Ok(InFlightGuard { set: self, keys })
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        let mut set = self.set.0.lock().unwrap_or_else(|e| e.into_inner());
        for k in &self.keys {
            set.remove(k);
        }
    }
}

/// What never changes about a hold once placed.
struct HoldFacts {
    performance_id: i64,
    /// Sorted.
    seat_ids: Vec<i64>,
    quantity: i64,
    expires_at: i64,
}

/// An order as created, with its lines.
struct OrderFacts {
    order: OrderRow,
    items: Vec<OrderItemRow>,
}

/// The cached seat states of a performance, and the live view built from them once.
#[derive(Default)]
struct SeatStates {
    claims: HashMap<i64, SeatStatus>,
    live: std::sync::OnceLock<LiveState>,
    /// The live view as JSON: 200 seat maps polling get the same bytes.
    live_json: std::sync::OnceLock<Arc<[u8]>>,
}

impl SeatStates {
    /// A copy with `seat_ids` in `status`. A seat known as sold stays sold: a refused hold
    /// learns that a seat is taken, not that it is merely held.
    fn with(&self, seat_ids: &[i64], status: SeatStatus) -> SeatStates {
        let mut claims = self.claims.clone();
        for id in seat_ids {
            match claims.get(id) {
                Some(SeatStatus::Sold) if status == SeatStatus::Held => {}
                _ => {
                    claims.insert(*id, status);
                }
            }
        }
        SeatStates {
            claims,
            ..Default::default()
        }
    }
}

/// How long, and how many, holds and orders are remembered (longer than any hold lasts).
const RECENT: Duration = Duration::from_secs(3600);
const RECENT_ENTRIES: usize = 4096;

pub struct GuichetService {
    in_flight: InFlight,
    store: Store,
    signer: Arc<TicketSigner>,
    payments: Box<dyn PaymentProvider>,
    pdf: Arc<TicketRenderer>,
    /// Seat plans rarely change: cached per hall so a hold does not re-read 500 seats.
    plans: TtlCache<i64, HallPlan>,
    /// Performance rules and labels, cached for a few seconds: every hold, order and payment
    /// needs them, and they only change by administration.
    rules: TtlCache<i64, PerformanceRules>,
    /// Price grids, cached like the rules.
    grids: TtlCache<i64, Vec<PriceRow>>,
    /// Held and sold seats per performance, for a fraction of a second: 200 seat maps polling
    /// and most refused holds are answered from here instead of the database.
    claims: TtlCache<i64, SeatStates>,
    /// Holds and orders this server created, kept until they are paid so the next step need
    /// not read them back (another server, or a restart, simply reads them).
    recent_holds: TtlCache<String, HoldFacts>,
    recent_orders: TtlCache<String, OrderFacts>,
    /// Hold id → its latest order, to forget an order its successor cancelled.
    open_order_of: TtlCache<String, String>,
    hold_seconds_override: Option<i64>,
}

impl GuichetService {
    pub fn new(
        store: Store,
        signer: Arc<TicketSigner>,
        payments: Box<dyn PaymentProvider>,
        pdf: Arc<TicketRenderer>,
        hold_seconds_override: Option<i64>,
    ) -> GuichetService {
        GuichetService {
            in_flight: InFlight::default(),
            store,
            signer,
            payments,
            pdf,
            plans: TtlCache::new(Duration::from_secs(3600)),
            rules: TtlCache::new(Duration::from_secs(5)),
            grids: TtlCache::new(Duration::from_secs(5)),
            claims: TtlCache::new(Duration::from_millis(250)),
            recent_holds: TtlCache::bounded(RECENT, RECENT_ENTRIES),
            recent_orders: TtlCache::bounded(RECENT, RECENT_ENTRIES),
            open_order_of: TtlCache::bounded(RECENT, RECENT_ENTRIES),
            hold_seconds_override,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn signer(&self) -> &Arc<TicketSigner> {
        &self.signer
    }

    async fn plan(&self, hall_id: i64) -> Result<Arc<HallPlan>, AppError> {
        if let Some(p) = self.plans.get(&hall_id) {
            return Ok(p);
        }
        let plan = Arc::new(self.store.hall_plan(hall_id).await?);
        self.plans.put(hall_id, plan.clone());
        Ok(plan)
    }

    async fn performance(&self, id: i64, now: i64) -> Result<PerformanceRow, AppError> {
        match self.store.performance(now, id).await {
            Err(StoreError::NotFound(_)) => {
                Err(AppError::not_found(format!("Séance {id} introuvable.")))
            }
            other => Ok(other?),
        }
    }

    async fn rules(&self, id: i64) -> Result<Arc<PerformanceRules>, AppError> {
        if let Some(r) = self.rules.get(&id) {
            return Ok(r);
        }
        let rules = match self.store.performance_rules(id).await {
            Err(StoreError::NotFound(_)) => {
                return Err(AppError::not_found(format!("Séance {id} introuvable.")))
            }
            other => Arc::new(other?),
        };
        self.rules.put(id, rules.clone());
        Ok(rules)
    }

    async fn grid(&self, performance_id: i64) -> Result<Arc<Vec<PriceRow>>, AppError> {
        if let Some(g) = self.grids.get(&performance_id) {
            return Ok(g);
        }
        let grid = Arc::new(self.store.price_grid(performance_id).await?);
        self.grids.put(performance_id, grid.clone());
        Ok(grid)
    }

    /// Held and sold seats of a performance, a quarter of a second old at most. Local writes
    /// update it at once; other app servers' writes show within that time.
    async fn claims(&self, performance_id: i64, now: i64) -> Result<Arc<SeatStates>, AppError> {
        if let Some(c) = self.claims.get(&performance_id) {
            return Ok(c);
        }
        let fresh = Arc::new(SeatStates {
            claims: self
                .store
                .seat_claims(performance_id, now)
                .await?
                .into_iter()
                .collect(),
            ..Default::default()
        });
        self.claims.put(performance_id, fresh.clone());
        Ok(fresh)
    }

    /// Records seats this process just held or sold, keeping the cache warm under load.
    fn claims_set(&self, performance_id: i64, seat_ids: &[i64], status: SeatStatus) {
        self.claims
            .update(&performance_id, |c| c.with(seat_ids, status));
    }

    /// The live seat states as JSON, serialised once per change of the seat states.
    pub async fn live_json(&self, performance_id: i64) -> Result<Arc<[u8]>, AppError> {
        let perf = self.rules(performance_id).await?;
        if !perf.seated {
            let live = Ticketing::live_state(self, performance_id).await?;
            return Ok(serde_json::to_vec(&live).unwrap_or_default().into());
        }
        let states = self.claims(performance_id, now()).await?;
        if let Some(json) = states.live_json.get() {
            return Ok(json.clone());
        }
        let live = self.seated_live(&perf, &states).await?;
        Ok(states
            .live_json
            .get_or_init(|| serde_json::to_vec(&live).unwrap_or_default().into())
            .clone())
    }

    async fn seated_live(
        &self,
        perf: &PerformanceRules,
        states: &SeatStates,
    ) -> Result<LiveState, AppError> {
        if let Some(live) = states.live.get() {
            return Ok(live.clone());
        }
        let plan = self.plan(perf.hall_id).await?;
        let live = states.live.get_or_init(|| {
            let mut taken: Vec<(i64, SeatStatus)> =
                states.claims.iter().map(|(k, v)| (*k, *v)).collect();
            taken.extend(
                plan.seats
                    .iter()
                    .filter(|s| s.blocked)
                    .map(|s| (s.id, SeatStatus::Blocked)),
            );
            taken.sort_unstable_by_key(|(id, _)| *id);
            LiveState {
                performance_id: perf.id,
                available: (perf.capacity - taken.len() as i64).max(0),
                taken,
            }
        });
        Ok(live.clone())
    }

    /// Forgets the cached seat states of a performance after a change made elsewhere
    /// (a release, an expiry, a cancelled ticket).
    pub fn claims_changed(&self, performance_id: i64) {
        self.claims.remove(&performance_id);
    }

    fn check_on_sale(perf: &PerformanceRules, now: i64) -> Result<(), AppError> {
        if perf.cancelled {
            return Err(AppError::new(
                ErrorCode::SaleClosed,
                "Cette séance est annulée.",
            ));
        }
        match sale_state(now, perf.sale_opens_at, perf.sale_closes_at, perf.starts_at) {
            SaleState::Open => Ok(()),
            SaleState::NotYetOpen => Err(AppError::new(
                ErrorCode::SaleClosed,
                format!(
                    "La vente en ligne ouvre le {}.",
                    paris::datetime_fr(perf.sale_opens_at)
                ),
            )),
            SaleState::Closed => Err(AppError::new(
                ErrorCode::SaleClosed,
                "La vente en ligne est close pour cette séance.",
            )),
        }
    }

    async fn order_view(&self, order_id: &str) -> Result<OrderView, AppError> {
        let o = self.store.order(order_id).await?;
        let items = self.store.order_items(order_id).await?;
        let tickets = self
            .store
            .order_tickets(order_id)
            .await?
            .into_iter()
            .map(|t| TicketView {
                id: t.id,
                number: t.printed_number(),
                seat: t.seat,
                tariff: t.tariff_code,
                tariff_label: t.tariff_label,
                price_cents: t.price_cents,
                holder_name: t.holder_name,
                status: t.status,
                code: t.code,
            })
            .collect();
        self.view_of(o, items, tickets).await
    }

    async fn view_of(
        &self,
        o: OrderRow,
        items: Vec<OrderItemRow>,
        tickets: Vec<TicketView>,
    ) -> Result<OrderView, AppError> {
        let perf = self.rules(o.performance_id).await?;
        let lines = items
            .into_iter()
            .map(|i| OrderLine {
                seat_id: i.seat_id,
                seat: i.seat,
                tariff: i.tariff_code,
                tariff_label: i.tariff_label,
                price_cents: i.price_cents,
                proof_required: i.proof_required,
            })
            .collect();
        // An unpaid order whose hold ran out reads as expired even before the sweeper passes.
        let status =
            if o.status == OrderStatus::AwaitingPayment && hold_expired(o.expires_at, now()) {
                OrderStatus::Expired
            } else {
                o.status
            };
        Ok(OrderView {
            id: o.id,
            token: o.token,
            reference: o.reference,
            status,
            total_cents: o.total_cents,
            buyer: Buyer {
                name: o.buyer_name,
                email: o.buyer_email,
            },
            performance: perf.info(),
            hold_id: o.hold_id,
            expires_at: Ts(o.expires_at),
            lines,
            tickets,
            last_payment: o.last_payment,
        })
    }

    /// A hold's fixed facts: from this server's memory when it placed the hold, else read.
    async fn hold_facts(&self, hold_id: &str) -> Result<Arc<HoldFacts>, AppError> {
        if let Some(facts) = self.recent_holds.get(&hold_id.to_string()) {
            return Ok(facts);
        }
        let hold = match self.store.hold(hold_id).await {
            Err(StoreError::NotFound(_)) => {
                return Err(AppError::not_found("Réservation introuvable."))
            }
            other => other?,
        };
        match hold.status.as_str() {
            "active" => {}
            "consumed" => return Err(AppError::conflict("Cette réservation a déjà été payée.")),
            _ => return Err(hold_expired_error()),
        }
        Ok(Arc::new(HoldFacts {
            performance_id: hold.performance_id,
            seat_ids: hold.seat_ids,
            quantity: hold.quantity,
            expires_at: hold.expires_at,
        }))
    }

    fn remember_hold(&self, hold_id: &str, facts: HoldFacts) {
        self.recent_holds.put(hold_id.to_string(), Arc::new(facts));
    }

    /// Keeps a new order for its payment; an earlier unpaid order on the same hold was just
    /// cancelled, so it is forgotten.
    fn remember_order(&self, order: &OrderRow, items: &[OrderItemRow]) {
        if let Some(previous) = self.open_order_of.get(&order.hold_id) {
            self.recent_orders.remove(&previous);
        }
        self.open_order_of
            .put(order.hold_id.clone(), Arc::new(order.id.clone()));
        self.recent_orders.put(
            order.id.clone(),
            Arc::new(OrderFacts {
                order: order.clone(),
                items: items.to_vec(),
            }),
        );
    }

    fn forget_hold(&self, hold_id: &str) {
        self.recent_holds.remove(&hold_id.to_string());
        if let Some(order) = self.open_order_of.get(&hold_id.to_string()) {
            self.recent_orders.remove(&order);
            self.open_order_of.remove(&hold_id.to_string());
        }
    }

    /// Approved payment: issues the tickets and answers with the paid order.
    async fn issue(
        &self,
        order: OrderRow,
        items: Vec<OrderItemRow>,
        now: i64,
    ) -> Result<OrderView, AppError> {
        let perf = self.rules(order.performance_id).await?;
        let signer = self.signer.clone();
        let settled = self
            .store
            .settle_order(
                &order,
                &items,
                perf.venue_id,
                self.payments.id(),
                now,
                ids::uid,
                move |c| signer.sign(c),
            )
            .await?;
        self.forget_hold(&order.hold_id);
        let issued = match settled {
            Settlement::Issued(issued) => issued,
            Settlement::AlreadyPaid => return self.order_view(&order.id).await,
            Settlement::HoldExpired => {
                self.claims_changed(order.performance_id);
                return Err(seats_released_error());
            }
            Settlement::NotPayable(status) => {
                unpayable(status)?;
                return Err(AppError::conflict(
                    "Cette commande ne peut plus être payée.",
                ));
            }
        };
        let seats: Vec<i64> = items.iter().filter_map(|i| i.seat_id).collect();
        self.claims_set(order.performance_id, &seats, SeatStatus::Sold);
        // The confirmation from what is in hand: nothing to read back.
        let tickets = items
            .iter()
            .zip(issued)
            .map(|(i, t)| TicketView {
                id: t.id,
                number: printed_number(&perf.venue_code, &i.tariff_code, t.number),
                seat: i.seat.clone(),
                tariff: i.tariff_code.clone(),
                tariff_label: i.tariff_label.clone(),
                price_cents: i.price_cents,
                holder_name: order.buyer_name.clone(),
                status: "valid".into(),
                code: t.code,
            })
            .collect();
        let paid = OrderRow {
            status: OrderStatus::Paid,
            last_payment: Some("approved".into()),
            ..order
        };
        self.view_of(paid, items, tickets).await
    }

    async fn authorised_order(
        &self,
        order_id: &str,
        token: &str,
    ) -> Result<crate::storage::OrderRow, AppError> {
        let missing = || AppError::not_found("Commande introuvable.");
        let o = self.store.order(order_id).await.map_err(|_| missing())?;
        if !constant_time_eq(o.token.as_bytes(), token.as_bytes()) {
            return Err(missing());
        }
        Ok(o)
    }

    /// A hold just placed: remembered for its order, and shown to the buyer.
    fn placed(
        &self,
        id: String,
        performance_id: i64,
        seat_ids: Vec<i64>,
        quantity: i64,
        expires_at: i64,
        now: i64,
    ) -> HoldView {
        let mut sorted = seat_ids.clone();
        sorted.sort_unstable();
        self.remember_hold(
            &id,
            HoldFacts {
                performance_id,
                seat_ids: sorted,
                quantity,
                expires_at,
            },
        );
        HoldView {
            id,
            performance_id,
            seat_ids,
            quantity,
            expires_at: Ts(expires_at),
            seconds_left: seconds_left(expires_at, now),
        }
    }

    /// Validates an explicit seat selection against the hall plan.
    fn check_seats(plan: &HallPlan, seat_ids: &[i64]) -> Result<(), AppError> {
        let unknown: Vec<i64> = seat_ids
            .iter()
            .copied()
            .filter(|id| plan.seat(*id).is_none())
            .collect();
        if !unknown.is_empty() {
            return Err(AppError {
                error: ErrorCode::Validation,
                message: format!("Places inconnues pour cette séance : {unknown:?}."),
                seat_ids: unknown,
            });
        }
        let blocked: Vec<i64> = seat_ids
            .iter()
            .copied()
            .filter(|id| plan.seat(*id).is_some_and(|s| s.blocked))
            .collect();
        if !blocked.is_empty() {
            return Err(AppError {
                error: ErrorCode::Validation,
                message: "Ces places ne sont pas proposées à la vente.".into(),
                seat_ids: blocked,
            });
        }
        Ok(())
    }

    async fn hold_best_seats(
        &self,
        perf: &PerformanceRules,
        plan: Arc<HallPlan>,
        quantity: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<HoldView, AppError> {
        // Aim at the centre of the house, a third of the way back from the stage.
        let focus = (
            plan.stage.x + plan.stage.w / 2,
            plan.stage.y + plan.stage.h + plan.height / 3,
        );
        let n = quantity as usize;
        let sold_out = || {
            AppError::new(
                ErrorCode::SoldOut,
                format!("Plus de {quantity} places côte à côte disponibles."),
            )
        };
        // First from the seat states in memory, keeping clear of seats other requests of this
        // server are claiming right now: under a rush, buyers pressing "best seats" together
        // get different seats without queueing for the database twice.
        let states = self.claims(perf.id, now).await?;
        let free = |id: i64| !states.claims.contains_key(&id);
        let chosen = self.in_flight.claim_chosen(perf.id, |in_flight| {
            best_adjacent(&plan.positions, |id| free(id) && !in_flight(id), n, focus)
        });
        match chosen {
            Some((ids, _in_flight)) => {
                let hold_id = ids::hex(16);
                match self
                    .store
                    .hold_seats(&hold_id, perf.id, &ids, now, expires_at)
                    .await?
                {
                    Ok(()) => {
                        self.claims_set(perf.id, &ids, SeatStatus::Held);
                        return Ok(self.placed(hold_id, perf.id, ids, quantity, expires_at, now));
                    }
                    // The view was behind (another server, an expiry): ask the database below.
                    Err(HoldRefusal::SeatsTaken(taken)) => {
                        self.claims_set(perf.id, &taken, SeatStatus::Held)
                    }
                    Err(HoldRefusal::SoldOut { .. }) => {}
                }
            }
            // Nothing that size free, even counting seats in flight: sold out as far as the
            // seat states (a quarter of a second old at most) can tell.
            None if best_adjacent(&plan.positions, free, n, focus).is_none() => {
                return Err(sold_out());
            }
            None => {}
        }
        // Choose and claim under the write lock, from what the database says.
        let choose = move |taken: &HashSet<i64>| {
            best_adjacent(&plan.positions, |id| !taken.contains(&id), n, focus)
        };
        let hold_id = ids::hex(16);
        match self
            .store
            .hold_best_seats(&hold_id, perf.id, now, expires_at, choose)
            .await?
        {
            Some(ids) => {
                self.claims_set(perf.id, &ids, SeatStatus::Held);
                Ok(self.placed(hold_id, perf.id, ids, quantity, expires_at, now))
            }
            None => Err(sold_out()),
        }
    }
}

fn hold_expired_error() -> AppError {
    AppError::new(
        ErrorCode::HoldExpired,
        "Le délai de réservation est dépassé ; choisissez à nouveau vos places.",
    )
}

fn seats_released_error() -> AppError {
    AppError::new(
        ErrorCode::HoldExpired,
        "Le délai de réservation est dépassé ; les places ont été libérées.",
    )
}

/// The refusal for an order in a status that cannot be paid (nothing for one awaiting payment).
fn unpayable(status: OrderStatus) -> Result<(), AppError> {
    match status {
        OrderStatus::AwaitingPayment => Ok(()),
        OrderStatus::Paid => Err(AppError::conflict("Cette commande est déjà payée.")),
        OrderStatus::Cancelled => Err(AppError::conflict("Cette commande est annulée.")),
        OrderStatus::Expired => Err(seats_released_error()),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn parse_name(raw: &str) -> Result<String, AppError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::validation("Indiquez le nom de l'acheteur."));
    }
    if name.chars().count() > 120 || name.chars().any(char::is_control) {
        return Err(AppError::validation(
            "Nom de l'acheteur invalide (120 caractères au plus).",
        ));
    }
    Ok(name)
}

#[async_trait]
impl Ticketing for GuichetService {
    async fn programme(&self, query: ProgrammeQuery) -> Result<Vec<PerformanceSummary>, AppError> {
        let now = now();
        let (from, until) = match query.date.as_deref().filter(|d| !d.is_empty()) {
            Some(d) => {
                let day = paris::parse_day(d).ok_or_else(|| {
                    AppError::validation(format!("Date invalide : {d:?} (AAAA-MM-JJ)."))
                })?;
                let (a, b) = paris::day_bounds(day);
                (a.max(now - 6 * 3600), b)
            }
            None => (now - 3600, now + 62 * 86_400),
        };
        let rows = self.store.programme(now, from, until, query.kind).await?;
        Ok(rows.iter().map(|r| r.summary(now)).collect())
    }

    async fn show(&self, show_id: i64) -> Result<ShowDetail, AppError> {
        let now = now();
        let (title, kind, duration_min, description, age_rating) =
            match self.store.show(show_id).await {
                Err(StoreError::NotFound(_)) => {
                    return Err(AppError::not_found("Spectacle introuvable."))
                }
                other => other?,
            };
        let performances = self
            .store
            .performances_of_show(now, show_id, now - 3600)
            .await?
            .iter()
            .map(|r| r.summary(now))
            .collect();
        Ok(ShowDetail {
            id: show_id,
            title,
            kind,
            duration_min,
            description,
            age_rating,
            performances,
        })
    }

    async fn seatmap(&self, performance_id: i64) -> Result<SeatMap, AppError> {
        let now = now();
        let perf = self.performance(performance_id, now).await?;
        let plan = self.plan(perf.rules.hall_id).await?;
        let categories = self.store.categories(perf.rules.hall_id).await?;
        let grid = self.store.price_grid(performance_id).await?;
        let claims = self.claims(performance_id, now).await?;
        let seats = if perf.rules.seated {
            plan.seats
                .iter()
                .map(|s| Seat {
                    id: s.id,
                    zone_id: s.zone_id,
                    zone: s.zone.clone(),
                    row: s.row.clone(),
                    number: s.number,
                    x: s.x,
                    y: s.y,
                    category_id: s.category_id,
                    category: s.category,
                    accessible: s.accessible,
                    companion: s.companion,
                    restricted_view: s.restricted_view,
                    status: if s.blocked {
                        SeatStatus::Blocked
                    } else {
                        claims
                            .claims
                            .get(&s.id)
                            .copied()
                            .unwrap_or(SeatStatus::Free)
                    },
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(SeatMap {
            hold_seconds: self
                .hold_seconds_override
                .unwrap_or(perf.rules.hold_seconds),
            max_seats_per_order: perf.rules.max_seats_per_order,
            width: plan.width,
            height: plan.height,
            stage: plan.stage.clone(),
            zones: plan.zones.clone(),
            categories: categories_with_tariffs(&categories, &grid),
            seats,
            tariffs: grid
                .iter()
                .filter(|p| p.category_id.is_none())
                .map(|p| p.tariff.clone())
                .collect(),
            performance: perf.summary(now),
        })
    }

    async fn live_state(&self, performance_id: i64) -> Result<LiveState, AppError> {
        let now = now();
        let perf = self.rules(performance_id).await?;
        if !perf.seated {
            return Ok(LiveState {
                performance_id,
                available: self
                    .performance(performance_id, now)
                    .await?
                    .available()
                    .max(0),
                taken: Vec::new(),
            });
        }
        let states = self.claims(performance_id, now).await?;
        self.seated_live(&perf, &states).await
    }

    async fn create_hold(&self, request: HoldRequest) -> Result<HoldView, AppError> {
        let now = now();
        let perf = self.rules(request.performance_id).await?;
        Self::check_on_sale(&perf, now)?;
        let expires_at = now + self.hold_seconds_override.unwrap_or(perf.hold_seconds);
        match (request.seat_ids, request.quantity, perf.seated) {
            (Some(_), Some(_), _) => Err(AppError::validation(
                "Indiquez soit des places, soit une quantité, pas les deux.",
            )),
            (None, None, _) => Err(AppError::validation("Aucune place demandée.")),
            (Some(_), None, false) => Err(AppError::validation(
                "Séance en placement libre : indiquez une quantité.",
            )),
            (Some(seat_ids), None, true) => {
                check_selection(&seat_ids, perf.max_seats_per_order)?;
                let plan = self.plan(perf.hall_id).await?;
                Self::check_seats(&plan, &seat_ids)?;
                // Seats visibly taken are refused without queueing behind the writers (the
                // database constraint below stays the guarantee).
                let claims = self.claims(perf.id, now).await?;
                let visible: Vec<i64> = seat_ids
                    .iter()
                    .copied()
                    .filter(|id| claims.claims.contains_key(id))
                    .collect();
                if !visible.is_empty() {
                    return Err(AppError::seats_taken(visible));
                }
                let _in_flight = self
                    .in_flight
                    .claim(perf.id, &seat_ids)
                    .map_err(AppError::seats_taken)?;
                let hold_id = ids::hex(16);
                let result = self
                    .store
                    .hold_seats(&hold_id, perf.id, &seat_ids, now, expires_at)
                    .await?;
                match &result {
                    Ok(()) => self.claims_set(perf.id, &seat_ids, SeatStatus::Held),
                    Err(HoldRefusal::SeatsTaken(taken)) => {
                        self.claims_set(perf.id, taken, SeatStatus::Held)
                    }
                    Err(_) => {}
                }
                match result {
                    Ok(()) => Ok(self.placed(
                        hold_id,
                        perf.id,
                        seat_ids.clone(),
                        seat_ids.len() as i64,
                        expires_at,
                        now,
                    )),
                    Err(HoldRefusal::SeatsTaken(taken)) => Err(AppError::seats_taken(taken)),
                    Err(HoldRefusal::SoldOut { .. }) => {
                        Err(AppError::new(ErrorCode::SoldOut, "Complet."))
                    }
                }
            }
            (None, Some(quantity), true) => {
                check_quantity(quantity, perf.max_seats_per_order)?;
                let plan = self.plan(perf.hall_id).await?;
                self.hold_best_seats(&perf, plan, quantity, now, expires_at)
                    .await
            }
            (None, Some(quantity), false) => {
                check_quantity(quantity, perf.max_seats_per_order)?;
                let hold_id = ids::hex(16);
                match self
                    .store
                    .hold_places(&hold_id, perf.id, quantity, now, expires_at)
                    .await?
                {
                    Ok(()) => {
                        Ok(self.placed(hold_id, perf.id, Vec::new(), quantity, expires_at, now))
                    }
                    Err(HoldRefusal::SoldOut { remaining }) => Err(AppError::new(
                        ErrorCode::SoldOut,
                        if remaining <= 0 {
                            "Complet.".to_string()
                        } else {
                            format!("Il ne reste que {remaining} place(s).")
                        },
                    )),
                    Err(HoldRefusal::SeatsTaken(taken)) => Err(AppError::seats_taken(taken)),
                }
            }
        }
    }

    async fn release_hold(&self, hold_id: &str) -> Result<(), AppError> {
        self.forget_hold(hold_id);
        match self.store.release_hold(hold_id).await {
            Ok(Release::Released { performance_id }) => {
                self.claims_changed(performance_id);
                Ok(())
            }
            Ok(Release::AlreadyFree) => Ok(()),
            Ok(Release::Paid) => Err(AppError::conflict("Ces places ont déjà été payées.")),
            Err(StoreError::NotFound(_)) => Err(AppError::not_found("Réservation introuvable.")),
            Err(e) => Err(e.into()),
        }
    }

    async fn create_order(&self, request: OrderRequest) -> Result<OrderView, AppError> {
        let now = now();
        let hold = self.hold_facts(&request.hold_id).await?;
        if hold_expired(hold.expires_at, now) {
            return Err(hold_expired_error());
        }
        let name = parse_name(&request.buyer.name)?;
        let email = Email::parse(&request.buyer.email)?;
        let perf = self.rules(hold.performance_id).await?;
        let grid = self.grid(perf.id).await?;
        if request.tickets.is_empty() {
            return Err(AppError::validation("Aucun billet demandé."));
        }
        let plan = if perf.seated {
            let requested: Vec<i64> = request.tickets.iter().filter_map(|t| t.seat_id).collect();
            let mut sorted = requested.clone();
            sorted.sort_unstable();
            if requested.len() != request.tickets.len() || sorted != hold.seat_ids {
                return Err(AppError::validation("Les billets doivent correspondre exactement aux places réservées (une par place)."));
            }
            Some(self.plan(perf.hall_id).await?)
        } else {
            if request.tickets.iter().any(|t| t.seat_id.is_some())
                || request.tickets.len() as i64 != hold.quantity
            {
                return Err(AppError::validation(format!(
                    "Placement libre : indiquez {} billet(s) sans numéro de place.",
                    hold.quantity
                )));
            }
            None
        };
        // The lines as they will read on the confirmation, priced from the stored grid.
        let mut lines = Vec::with_capacity(request.tickets.len());
        for t in &request.tickets {
            let seat = t
                .seat_id
                .and_then(|id| plan.as_ref().and_then(|p| p.seat(id)));
            let row = grid
                .iter()
                .find(|p| p.category_id == seat.map(|s| s.category_id) && p.tariff.code == t.tariff)
                .ok_or_else(|| {
                    AppError::validation(match t.seat_id {
                        Some(id) => {
                            format!("Tarif « {} » non proposé pour la place {id}.", t.tariff)
                        }
                        None => format!("Tarif « {} » non proposé pour cette séance.", t.tariff),
                    })
                })?;
            lines.push(OrderItemRow {
                seat_id: t.seat_id,
                seat: seat.map(|s| SeatLabel {
                    zone: s.zone.clone(),
                    row: s.row.clone(),
                    number: s.number,
                }),
                category: seat.map(|s| s.category),
                tariff_code: row.tariff.code.clone(),
                tariff_label: row.tariff.label.clone(),
                proof_required: row.tariff.proof_required,
                price_cents: row.tariff.price_cents,
            });
        }
        let items: Vec<NewItem> = lines
            .iter()
            .map(|l| NewItem {
                seat_id: l.seat_id,
                tariff_code: l.tariff_code.clone(),
                price_cents: l.price_cents,
            })
            .collect();
        let total_cents = items.iter().map(|i| i.price_cents).sum();
        let lang = request
            .lang
            .as_deref()
            .map(app::i18n::Lang::parse)
            .unwrap_or_default()
            .code()
            .to_string();
        for _attempt in 0..3 {
            let order = NewOrder {
                id: ids::hex(16),
                reference: ids::reference(),
                token: ids::hex(24),
                hold_id: request.hold_id.clone(),
                performance_id: perf.id,
                buyer_name: name.clone(),
                buyer_email: email.as_str().to_string(),
                total_cents,
                lang: lang.clone(),
                items: items.clone(),
            };
            match self.store.create_order(&order, now).await {
                Ok(Ok(())) => {
                    let row = OrderRow {
                        id: order.id,
                        reference: order.reference,
                        token: order.token,
                        hold_id: order.hold_id,
                        performance_id: order.performance_id,
                        buyer_name: order.buyer_name,
                        buyer_email: order.buyer_email,
                        total_cents,
                        status: OrderStatus::AwaitingPayment,
                        lang: order.lang,
                        expires_at: hold.expires_at,
                        last_payment: None,
                    };
                    self.remember_order(&row, &lines);
                    return self.view_of(row, lines, Vec::new()).await;
                }
                Ok(Err("consumed")) => {
                    return Err(AppError::conflict("Cette réservation a déjà été payée."))
                }
                Ok(Err(_)) => return Err(hold_expired_error()),
                Err(StoreError::Constraint(_)) => continue, // reference collision: draw another
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::internal(
            "Impossible d'attribuer une référence de commande.",
        ))
    }

    async fn pay(&self, order_id: &str, outcome: PaymentOutcome) -> Result<OrderView, AppError> {
        let now = now();
        // An order this server just created needs no reading back: the payment itself checks,
        // in the transaction, that it is still payable.
        let cached = match outcome {
            PaymentOutcome::Approve => self.recent_orders.get(&order_id.to_string()),
            _ => None,
        };
        let (order, items) = match cached {
            Some(facts) => (facts.order.clone(), Some(facts.items.clone())),
            None => {
                let order = match self.store.order(order_id).await {
                    Err(StoreError::NotFound(_)) => {
                        return Err(AppError::not_found("Commande introuvable."))
                    }
                    other => other?,
                };
                match order.status {
                    OrderStatus::Paid if outcome == PaymentOutcome::Approve => {
                        return self.order_view(order_id).await
                    }
                    OrderStatus::Paid => {
                        return Err(AppError::conflict("Cette commande est déjà payée."))
                    }
                    other => unpayable(other)?,
                }
                (order, None)
            }
        };
        if hold_expired(order.expires_at, now) {
            return Err(seats_released_error());
        }
        let result = self
            .payments
            .charge(order.total_cents, outcome)
            .map_err(|e| AppError::new(ErrorCode::Unavailable, e.to_string()))?;
        if result == ChargeResult::Approved {
            let items = match items {
                Some(items) => items,
                None => self.store.order_items(order_id).await?,
            };
            return self.issue(order, items, now).await;
        }
        self.store
            .record_payment(
                order_id,
                self.payments.id(),
                result.as_str(),
                order.total_cents,
                now,
            )
            .await?;
        // The buyer gave up: the seats go back on sale at once.
        if result == ChargeResult::Abandoned {
            Ticketing::release_hold(self, &order.hold_id).await?;
        }
        self.order_view(order_id).await
    }

    async fn order(&self, order_id: &str, token: &str) -> Result<OrderView, AppError> {
        self.authorised_order(order_id, token).await?;
        self.order_view(order_id).await
    }

    async fn tickets_pdf(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: Option<i64>,
    ) -> Result<Vec<u8>, AppError> {
        let order = self.authorised_order(order_id, token).await?;
        if order.status != OrderStatus::Paid {
            return Err(AppError::conflict(
                "Les billets sont disponibles une fois la commande payée.",
            ));
        }
        let perf = self.rules(order.performance_id).await?;
        let tickets: Vec<_> = self
            .store
            .order_tickets(order_id)
            .await?
            .into_iter()
            .filter(|t| ticket_id.is_none_or(|id| t.id == id))
            .collect();
        if tickets.is_empty() {
            return Err(AppError::not_found("Billet introuvable."));
        }
        let docs: Vec<TicketDoc> = tickets
            .iter()
            .map(|t| TicketDoc {
                operator: perf.operator_name.clone(),
                venue: perf.venue.clone(),
                venue_address: perf.venue_address.clone(),
                hall: perf.hall.clone(),
                title: perf.title.clone(),
                kind_label: match perf.kind {
                    ShowKind::Cinema => "Cinéma".into(),
                    ShowKind::Theatre => "Théâtre".into(),
                },
                starts_at: perf.starts_at,
                seat: t.seat.as_ref().map(SeatLabel::fr),
                category: t.category.map(|c| format!("Catégorie {c}")),
                tariff_label: t.tariff_label.clone(),
                price_cents: t.price_cents,
                proof_required: t.proof_required,
                order_reference: order.reference.clone(),
                number: t.printed_number(),
                holder_name: t.holder_name.clone(),
                code: t.code.clone(),
            })
            .collect();
        let pdf = self.pdf.clone();
        tokio::task::spawn_blocking(move || pdf.render(&docs))
            .await
            .map_err(|_| AppError::internal("Erreur lors de la création du PDF."))?
            .map_err(|e| {
                tracing::error!(error = %e, "pdf rendering failed");
                AppError::internal("Erreur lors de la création du PDF.")
            })
    }

    async fn ticket_qr_svg(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: i64,
    ) -> Result<String, AppError> {
        let order = self.authorised_order(order_id, token).await?;
        if order.status != OrderStatus::Paid {
            return Err(AppError::conflict(
                "Les billets sont disponibles une fois la commande payée.",
            ));
        }
        let ticket = self
            .store
            .order_tickets(order_id)
            .await?
            .into_iter()
            .find(|t| t.id == ticket_id)
            .ok_or_else(|| AppError::not_found("Billet introuvable."))?;
        let code =
            qrcode::QrCode::with_error_correction_level(ticket.code.as_bytes(), qrcode::EcLevel::M)
                .map_err(|_| AppError::internal("QR code impossible à produire."))?;
        Ok(code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build())
    }

    fn public_keys(&self) -> Vec<PublicKeyInfo> {
        self.signer.public_keys()
    }

    fn payments_sandbox(&self) -> bool {
        self.payments.is_sandbox()
    }
}

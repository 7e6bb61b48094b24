//! Write side: holds, orders, payments, ticket issuance. Every operation is one transaction, so a
//! failure anywhere leaves nothing half-written.
use super::catalog::{claims_query, parse_claims};
use super::script::{end, run, sqlite_script, Decision, Done, Stmt};
use super::{RowExt, Store, StoreError, StoreResult, WriteTx};
use app::dto::{OrderStatus, SeatLabel};
use app::ticket_code::TicketClaims;
use std::collections::HashSet;

/// Why a hold could not be placed.
#[derive(Debug, PartialEq, Eq)]
pub enum HoldRefusal {
    SeatsTaken(Vec<i64>),
    SoldOut { remaining: i64 },
}

/// What releasing a hold did.
#[derive(Debug, PartialEq, Eq)]
pub enum Release {
    /// Its seats or places are back on sale.
    Released { performance_id: i64 },
    /// Released or expired before: nothing to do.
    AlreadyFree,
    /// It became tickets.
    Paid,
}

/// How an approval ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Settlement {
    /// Tickets issued now, one per order item, in item order.
    Issued(Vec<IssuedTicket>),
    /// Already paid before: nothing changed (idempotent confirmation).
    AlreadyPaid,
    /// The hold ran out first; the order is now expired.
    HoldExpired,
    /// The order is cancelled or expired.
    NotPayable(OrderStatus),
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub id: String,
    pub reference: String,
    pub token: String,
    pub hold_id: String,
    pub performance_id: i64,
    pub buyer_name: String,
    pub buyer_email: String,
    pub total_cents: i64,
    pub lang: String,
    pub items: Vec<NewItem>,
}

#[derive(Debug, Clone)]
pub struct NewItem {
    pub seat_id: Option<i64>,
    pub tariff_code: String,
    pub price_cents: i64,
}

#[derive(Debug, Clone)]
pub struct HoldRow {
    pub id: String,
    pub performance_id: i64,
    pub quantity: i64,
    pub status: String,
    pub expires_at: i64,
    pub seat_ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct OrderRow {
    pub id: String,
    pub reference: String,
    pub token: String,
    pub hold_id: String,
    pub performance_id: i64,
    pub buyer_name: String,
    pub buyer_email: String,
    pub total_cents: i64,
    pub status: OrderStatus,
    pub lang: String,
    pub expires_at: i64,
    pub last_payment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct OrderItemRow {
    pub seat_id: Option<i64>,
    pub seat: Option<SeatLabel>,
    pub category: Option<i64>,
    pub tariff_code: String,
    pub tariff_label: String,
    pub proof_required: bool,
    pub price_cents: i64,
}

/// A ticket just issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTicket {
    pub id: i64,
    pub number: i64,
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct TicketRow {
    pub id: i64,
    pub uid: i64,
    pub number: i64,
    pub venue_code: String,
    pub seat: Option<SeatLabel>,
    pub category: Option<i64>,
    pub tariff_code: String,
    pub tariff_label: String,
    pub proof_required: bool,
    pub price_cents: i64,
    pub holder_name: String,
    pub status: String,
    pub code: String,
}

impl TicketRow {
    pub fn printed_number(&self) -> String {
        printed_number(&self.venue_code, &self.tariff_code, self.number)
    }
}

/// Printed ticket number: venue, tariff series, position ("TM-PLEIN-000042").
pub fn printed_number(venue_code: &str, tariff_code: &str, number: i64) -> String {
    format!("{venue_code}-{}-{number:06}", tariff_code.to_uppercase())
}

/// Releases what expired holds kept: their seat claims, their general-admission places, and the
/// orders still waiting for payment on them. Scoped to one performance, or to all.
async fn expire_holds(w: &mut WriteTx, performance_id: Option<i64>, now: i64) -> StoreResult<u64> {
    let perf = performance_id.unwrap_or(0);
    let expired = sqlx::query(
        "UPDATE holds SET status = 'expired'
          WHERE status = 'active' AND expires_at <= $1 AND ($2 = 0 OR performance_id = $2)
          RETURNING id, performance_id, quantity",
    )
    .bind(now)
    .bind(perf)
    .fetch_all(&mut *w.tx)
    .await?;
    for r in &expired {
        // Only general-admission performances count places; `seated = 0` leaves others untouched.
        sqlx::query(
            "UPDATE performances SET ga_taken = ga_taken - $2 WHERE id = $1 AND seated = 0",
        )
        .bind(r.i("performance_id")?)
        .bind(r.i("quantity")?)
        .execute(&mut *w.tx)
        .await?;
        sqlx::query("UPDATE orders SET status = 'expired' WHERE hold_id = $1 AND status = 'awaiting_payment'")
            .bind(r.s("id")?)
            .execute(&mut *w.tx)
            .await?;
    }
    sqlx::query(
        "DELETE FROM seat_claims
          WHERE expires_at IS NOT NULL AND expires_at <= $1 AND ($2 = 0 OR performance_id = $2)",
    )
    .bind(now)
    .bind(perf)
    .execute(&mut *w.tx)
    .await?;
    Ok(expired.len() as u64)
}

async fn insert_hold(
    w: &mut WriteTx,
    id: &str,
    performance_id: i64,
    quantity: i64,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO holds (id, performance_id, quantity, status, created_at, expires_at)
         VALUES ($1, $2, $3, 'active', $4, $5)",
    )
    .bind(id)
    .bind(performance_id)
    .bind(quantity)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

impl Store {
    /// Background sweep: frees everything held by expired holds.
    pub async fn expire_all_holds(&self, now: i64) -> StoreResult<u64> {
        let mut w = self.begin_write().await?;
        let n = expire_holds(&mut w, None, now).await?;
        w.commit().await?;
        Ok(n)
    }

    /// Claims `seat_ids` for a new hold. The seat_claims primary key decides races: the first
    /// insert wins, later ones find the row and report the seat as taken.
    pub async fn hold_seats(
        &self,
        hold_id: &str,
        performance_id: i64,
        seat_ids: &[i64],
        now: i64,
        expires_at: i64,
    ) -> StoreResult<Result<(), HoldRefusal>> {
        let stmts = hold_stmts(hold_id, performance_id, seat_ids, now, expires_at);
        let wanted = seat_ids.to_vec();
        let backend = self.backend();
        self.script_atomic(stmts, move |done| {
            if not_claimed(&wanted, nth(&done, 1)?)?.is_empty() {
                return Ok(Decision::Commit(Ok(())));
            }
            let mut taken: Vec<i64> = nth(&done, 3)?
                .rows
                .iter()
                .map(|r| r.i("seat_id"))
                .collect::<StoreResult<_>>()?;
            if taken.is_empty() {
                // Two PostgreSQL transactions crossed: each saw the seats free.
                taken = not_claimed(&wanted, nth(&done, 1)?)?;
            }
            let refusal = Err(HoldRefusal::SeatsTaken(taken));
            Ok(match backend {
                // Nothing was written: the hold row went with its last claim.
                super::Backend::Sqlite => Decision::Commit(refusal),
                super::Backend::Postgres => Decision::Rollback(refusal),
            })
        })
        .await
    }

    /// Holds the seats `choose` picks from what is free, reading and claiming under the write
    /// lock so that buyers asking for the best seats at the same moment never collide: on SQLite
    /// the writer thread serves them one by one, on PostgreSQL the performance row is locked.
    /// `None` when `choose` finds nothing.
    pub async fn hold_best_seats(
        &self,
        hold_id: &str,
        performance_id: i64,
        now: i64,
        expires_at: i64,
        choose: impl FnOnce(&HashSet<i64>) -> Option<Vec<i64>> + Send + 'static,
    ) -> StoreResult<Option<Vec<i64>>> {
        let read = Stmt::new(claims_query(self.backend()))
            .bind(performance_id)
            .bind(now);
        let hold_id = hold_id.to_string();
        let stmts = move |ids: &[i64]| hold_stmts(&hold_id, performance_id, ids, now, expires_at);
        if self.writer.is_some() {
            return self
                .on_writer(move |pool| {
                    Box::pin(async move {
                        let mut conn = pool.acquire().await?;
                        let (sql, args) = sqlite_script(vec![read], true, false);
                        let chosen = async {
                            let done = run(&mut *conn, &sql, args).await?;
                            let Some(ids) = choose(&taken_in(nth(&done, 1)?)?) else {
                                return Ok(None);
                            };
                            let (sql, args) = sqlite_script(stmts(&ids), false, false);
                            let done = run(&mut *conn, &sql, args).await?;
                            if !not_claimed(&ids, nth(&done, 1)?)?.is_empty() {
                                return Err(StoreError::Unexpected(
                                    "a free seat could not be held",
                                ));
                            }
                            Ok(Some(ids))
                        }
                        .await;
                        let keep = matches!(chosen, Ok(Some(_)));
                        end(&mut conn, keep).await?;
                        chosen
                    })
                })
                .await;
        }
        let mut w = self.begin_write().await?;
        sqlx::query("SELECT id FROM performances WHERE id = $1 FOR UPDATE")
            .bind(performance_id)
            .execute(&mut *w.tx)
            .await?;
        let done = run(&mut w.tx, read.sql(), read.clone().into_args()).await?;
        let Some(ids) = choose(&taken_in(nth(&done, 0)?)?) else {
            w.tx.rollback().await?;
            return Ok(None);
        };
        let mut done = Vec::new();
        for s in stmts(&ids) {
            let sql = s.sql().to_string();
            done.extend(run(&mut w.tx, &sql, s.into_args()).await?);
        }
        if !not_claimed(&ids, nth(&done, 1)?)?.is_empty() {
            return Err(StoreError::Unexpected("a free seat could not be held"));
        }
        w.commit().await?;
        Ok(Some(ids))
    }

    /// Takes `quantity` general-admission places. The conditional increment is atomic on both
    /// engines, so concurrent buyers can never push `ga_taken` past the capacity.
    pub async fn hold_places(
        &self,
        hold_id: &str,
        performance_id: i64,
        quantity: i64,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<Result<(), HoldRefusal>> {
        let mut w = self.begin_write().await?;
        expire_holds(&mut w, Some(performance_id), now).await?;
        let ok = sqlx::query(
            "UPDATE performances SET ga_taken = ga_taken + $2 WHERE id = $1 AND ga_taken + $2 <= capacity",
        )
        .bind(performance_id)
        .bind(quantity)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        if ok == 0 {
            let r = sqlx::query(
                "SELECT capacity - ga_taken AS remaining FROM performances WHERE id = $1",
            )
            .bind(performance_id)
            .fetch_one(&mut *w.tx)
            .await?;
            let remaining = r.i("remaining")?;
            w.tx.rollback().await?;
            return Ok(Err(HoldRefusal::SoldOut { remaining }));
        }
        insert_hold(&mut w, hold_id, performance_id, quantity, now, expires_at).await?;
        w.commit().await?;
        Ok(Ok(()))
    }

    pub async fn hold(&self, hold_id: &str) -> StoreResult<HoldRow> {
        // One row per claimed seat (one row with no seat for general admission).
        let rows = sqlx::query(
            "SELECT h.id, h.performance_id, h.quantity, h.status, h.expires_at, c.seat_id
               FROM holds h LEFT JOIN seat_claims c ON c.hold_id = h.id
              WHERE h.id = $1 ORDER BY c.seat_id",
        )
        .bind(hold_id)
        .fetch_all(self.pool())
        .await?;
        let r = rows.first().ok_or(StoreError::NotFound("hold"))?;
        Ok(HoldRow {
            id: r.s("id")?,
            performance_id: r.i("performance_id")?,
            quantity: r.i("quantity")?,
            status: r.s("status")?,
            expires_at: r.i("expires_at")?,
            seat_ids: rows
                .iter()
                .filter_map(|r| r.oi("seat_id").transpose())
                .collect::<StoreResult<Vec<_>>>()?,
        })
    }

    /// Gives a hold's seats or places back. Releasing twice is harmless; a hold that became
    /// tickets cannot be released.
    pub async fn release_hold(&self, hold_id: &str) -> StoreResult<Release> {
        let mut w = self.begin_write().await?;
        let r = sqlx::query(
            "UPDATE holds SET status = 'released' WHERE id = $1 AND status = 'active' RETURNING performance_id, quantity",
        )
        .bind(hold_id)
        .fetch_optional(&mut *w.tx)
        .await?;
        match r {
            Some(r) => {
                sqlx::query(
                    "UPDATE performances SET ga_taken = ga_taken - $2 WHERE id = $1 AND seated = 0",
                )
                .bind(r.i("performance_id")?)
                .bind(r.i("quantity")?)
                .execute(&mut *w.tx)
                .await?;
                sqlx::query(
                    "DELETE FROM seat_claims WHERE hold_id = $1 AND expires_at IS NOT NULL",
                )
                .bind(hold_id)
                .execute(&mut *w.tx)
                .await?;
                sqlx::query("UPDATE orders SET status = 'cancelled' WHERE hold_id = $1 AND status = 'awaiting_payment'")
                    .bind(hold_id)
                    .execute(&mut *w.tx)
                    .await?;
                w.commit().await?;
                Ok(Release::Released {
                    performance_id: r.i("performance_id")?,
                })
            }
            None => {
                let status = sqlx::query("SELECT status FROM holds WHERE id = $1")
                    .bind(hold_id)
                    .fetch_optional(&mut *w.tx)
                    .await?
                    .ok_or(StoreError::NotFound("hold"))?
                    .s("status")?;
                w.tx.rollback().await?;
                Ok(if status == "consumed" {
                    Release::Paid
                } else {
                    Release::AlreadyFree
                })
            }
        }
    }

    /// Records an order for an active hold. A previous unpaid order on the same hold is
    /// cancelled (the buyer went back and changed tariffs).
    pub async fn create_order(
        &self,
        order: &NewOrder,
        now: i64,
    ) -> StoreResult<Result<(), &'static str>> {
        // An unpaid order the buyer left behind on this hold (they went back) is cancelled.
        let mut stmts = vec![Stmt::new(
            "UPDATE orders SET status = 'cancelled' WHERE hold_id = $1 AND status = 'awaiting_payment'",
        )
        .bind(&order.hold_id)];
        // Inserted only while the hold is active and unexpired, checked in the same statement.
        stmts.push(
            Stmt::new(
                "INSERT INTO orders (id, reference, token, hold_id, performance_id, buyer_name, buyer_email,
                                     total_cents, status, lang, created_at)
                 SELECT $1, $2, $3, h.id, $5, $6, $7, $8, 'awaiting_payment', $9, $10
                   FROM holds h WHERE h.id = $4 AND h.status = 'active' AND h.expires_at > $10",
            )
            .bind(&order.id)
            .bind(&order.reference)
            .bind(&order.token)
            .bind(&order.hold_id)
            .bind(order.performance_id)
            .bind(&order.buyer_name)
            .bind(&order.buyer_email)
            .bind(order.total_cents)
            .bind(&order.lang)
            .bind(now),
        );
        let rows: Vec<String> = (0..order.items.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
            .collect();
        let mut items = Stmt::new(format!(
            "INSERT INTO order_items (order_id, seat_id, tariff_code, price_cents)
             SELECT $1, v.column1, v.column2, v.column3 FROM (VALUES {}) AS v
              WHERE EXISTS (SELECT 1 FROM orders WHERE id = $1)",
            rows.join(", ")
        ))
        .bind(&order.id);
        for item in &order.items {
            items = items
                .bind(item.seat_id)
                .bind(&item.tariff_code)
                .bind(item.price_cents);
        }
        stmts.push(items);
        // A refused insert leaves nothing behind (the items need the order; cancelling a
        // left-behind order of a hold that ran out changes nothing that matters): always commit.
        let created = self
            .script_committed(stmts, move |done| Ok(nth(&done, 1)?.rows_affected == 1))
            .await?;
        if created {
            return Ok(Ok(()));
        }
        let status = sqlx::query("SELECT status FROM holds WHERE id = $1")
            .bind(&order.hold_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("hold"))?
            .s("status")?;
        Ok(Err(if status == "consumed" {
            "consumed"
        } else {
            "expired"
        }))
    }

    pub async fn record_payment(
        &self,
        order_id: &str,
        provider: &str,
        outcome: &str,
        amount: i64,
        now: i64,
    ) -> StoreResult<()> {
        let mut w = self.begin_write().await?;
        payment_row(&mut w, order_id, provider, outcome, amount, now).await?;
        w.commit().await
    }

    /// Approved payment: marks the order paid, turns the hold's claims into sales and issues one
    /// ticket per item with the next number of its venue/tariff series — all or nothing.
    /// `sign` makes the ticket code from its claims.
    ///
    /// The first statement decides: it marks the order paid only if it awaits payment and its
    /// hold still holds every seat. Each later statement acts only if the order is paid and has
    /// no tickets yet, so a second confirmation (or a lost hold) changes nothing and breaks no
    /// constraint, and the whole script can commit in the same round trip.
    pub async fn settle_order(
        &self,
        order: &OrderRow,
        items: &[OrderItemRow],
        venue_id: i64,
        provider: &str,
        now: i64,
        mut new_uid: impl FnMut() -> i64,
        sign: impl Fn(TicketClaims) -> (u8, String),
    ) -> StoreResult<Settlement> {
        let seated = items.iter().filter(|i| i.seat_id.is_some()).count() as i64;
        const ISSUING: &str = "EXISTS (SELECT 1 FROM orders WHERE id = $1 AND status = 'paid')
            AND NOT EXISTS (SELECT 1 FROM tickets WHERE order_id = $1)";
        let paid = Stmt::new(
            "UPDATE orders SET status = 'paid', paid_at = $2
              WHERE id = $1 AND status = 'awaiting_payment'
                AND EXISTS (SELECT 1 FROM holds h WHERE h.id = $3 AND h.status = 'active' AND h.expires_at > $2)
                AND (SELECT COUNT(*) FROM seat_claims c WHERE c.hold_id = $3 AND c.expires_at > $2) = $4",
        )
        .bind(&order.id)
        .bind(now)
        .bind(&order.hold_id)
        .bind(seated);
        let consumed = Stmt::new(format!(
            "UPDATE holds SET status = 'consumed' WHERE id = $2 AND status = 'active' AND {ISSUING}"
        ))
        .bind(&order.id)
        .bind(&order.hold_id);
        let sold = Stmt::new(format!(
            "UPDATE seat_claims SET expires_at = NULL WHERE hold_id = $2 AND expires_at IS NOT NULL AND {ISSUING}"
        ))
        .bind(&order.id)
        .bind(&order.hold_id);
        let payment = Stmt::new(format!(
            "INSERT INTO payments (order_id, provider, outcome, amount_cents, created_at)
             SELECT $1, $2, 'approved', $3, $4 WHERE {ISSUING}"
        ))
        .bind(&order.id)
        .bind(provider)
        .bind(order.total_cents)
        .bind(now);
        // Numbers: one block per tariff, as many numbers as that tariff has items, taken in the
        // same (sorted) order by every issue so concurrent ones cannot deadlock on PostgreSQL.
        let mut per_tariff: std::collections::BTreeMap<&str, i64> = Default::default();
        for item in items {
            *per_tariff.entry(item.tariff_code.as_str()).or_default() += 1;
        }
        let blocks: Vec<String> = (0..per_tariff.len())
            .map(|i| format!("(${}, ${})", 2 * i + 3, 2 * i + 4))
            .collect();
        let mut numbers = Stmt::new(format!(
            "INSERT INTO ticket_series (venue_id, tariff_code, last_number)
             SELECT $2, v.column1, v.column2 FROM (VALUES {}) AS v WHERE {ISSUING}
             ON CONFLICT (venue_id, tariff_code) DO UPDATE SET last_number = ticket_series.last_number + excluded.last_number",
            blocks.join(", ")
        ))
        .bind(&order.id)
        .bind(venue_id);
        for (tariff, count) in &per_tariff {
            numbers = numbers.bind(*tariff).bind(*count);
        }
        // Each ticket takes its number within its tariff's block: the block ends at the series'
        // new last number, and the ticket sits `from_end` places before that end.
        let rows: Vec<String> = (0..items.len())
            .map(|i| {
                let b = 7 * i + 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b,
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let mut tickets = Stmt::new(format!(
            "INSERT INTO tickets (uid, order_id, performance_id, seat_id, venue_id, tariff_code, number, price_cents,
                                  holder_name, code, key_id, status, issued_at)
             SELECT v.column1, $1, $2, v.column2, $3, v.column3,
                    (SELECT s.last_number FROM ticket_series s WHERE s.venue_id = $3 AND s.tariff_code = v.column3) - v.column4,
                    v.column5, $4, v.column6, v.column7, 'valid', $5
               FROM (VALUES {}) AS v WHERE {ISSUING}
             RETURNING id, uid, number, code",
            rows.join(", ")
        ))
        .bind(&order.id)
        .bind(order.performance_id)
        .bind(venue_id)
        .bind(&order.buyer_name)
        .bind(now);
        let mut taken: std::collections::BTreeMap<&str, i64> = Default::default();
        let mut uids = Vec::with_capacity(items.len());
        for item in items {
            let tariff = item.tariff_code.as_str();
            let rank = taken.entry(tariff).or_default();
            let from_end = per_tariff[tariff] - 1 - *rank;
            *rank += 1;
            let uid = new_uid();
            uids.push(uid);
            let (key_id, code) = sign(TicketClaims {
                key_id: 0,
                performance_id: order.performance_id as u32,
                ticket_id: uid as u64,
            });
            tickets = tickets
                .bind(uid)
                .bind(item.seat_id)
                .bind(tariff)
                .bind(from_end)
                .bind(item.price_cents)
                .bind(code)
                .bind(key_id as i64);
        }
        let seated = seated as u64;
        // Every statement after the first acts only if the first did: always commit.
        let issued = self
            .script_committed(
                vec![paid, consumed, sold, payment, numbers, tickets],
                move |done| {
                    if nth(&done, 0)?.rows_affected != 1 {
                        return Ok(None);
                    }
                    let mut by_uid: std::collections::HashMap<i64, IssuedTicket> = nth(&done, 5)?
                        .rows
                        .iter()
                        .map(|r| {
                            let ticket = IssuedTicket {
                                id: r.i("id")?,
                                number: r.i("number")?,
                                code: r.s("code")?,
                            };
                            Ok((r.i("uid")?, ticket))
                        })
                        .collect::<StoreResult<_>>()?;
                    let tickets: Vec<IssuedTicket> =
                        uids.iter().filter_map(|uid| by_uid.remove(uid)).collect();
                    if nth(&done, 2)?.rows_affected != seated || tickets.len() != uids.len() {
                        return Err(StoreError::Unexpected(
                            "ticket issue did not match the order",
                        ));
                    }
                    Ok(Some(tickets))
                },
            )
            .await?;
        if let Some(tickets) = issued {
            return Ok(Settlement::Issued(tickets));
        }
        let status = sqlx::query("SELECT status FROM orders WHERE id = $1")
            .bind(&order.id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("order"))?
            .s("status")?;
        Ok(match OrderStatus::parse(&status) {
            Some(OrderStatus::Paid) => Settlement::AlreadyPaid,
            Some(OrderStatus::AwaitingPayment) => {
                // Its hold ran out or lost a seat first.
                self.expire_order(&order.id).await?;
                Settlement::HoldExpired
            }
            Some(other) => Settlement::NotPayable(other),
            None => Settlement::NotPayable(OrderStatus::Cancelled),
        })
    }

    async fn expire_order(&self, order_id: &str) -> StoreResult<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "UPDATE orders SET status = 'expired' WHERE id = $1 AND status = 'awaiting_payment'",
        )
        .bind(order_id)
        .execute(&mut *w.tx)
        .await?;
        w.commit().await
    }

    pub async fn order(&self, order_id: &str) -> StoreResult<OrderRow> {
        let r = sqlx::query(
            "SELECT o.id, o.reference, o.token, o.hold_id, o.performance_id, o.buyer_name, o.buyer_email,
                    o.total_cents, o.status, o.lang, h.expires_at,
                    (SELECT pm.outcome FROM payments pm WHERE pm.order_id = o.id ORDER BY pm.id DESC LIMIT 1) AS last_payment
               FROM orders o JOIN holds h ON h.id = o.hold_id WHERE o.id = $1",
        )
        .bind(order_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound("order"))?;
        Ok(OrderRow {
            id: r.s("id")?,
            reference: r.s("reference")?,
            token: r.s("token")?,
            hold_id: r.s("hold_id")?,
            performance_id: r.i("performance_id")?,
            buyer_name: r.s("buyer_name")?,
            buyer_email: r.s("buyer_email")?,
            total_cents: r.i("total_cents")?,
            status: OrderStatus::parse(&r.s("status")?).unwrap_or(OrderStatus::Cancelled),
            lang: r.s("lang")?,
            expires_at: r.i("expires_at")?,
            last_payment: sqlx::Row::try_get::<Option<String>, _>(&r, "last_payment")?,
        })
    }

    pub async fn order_items(&self, order_id: &str) -> StoreResult<Vec<OrderItemRow>> {
        sqlx::query(
            "SELECT i.seat_id, z.name AS zone, st.row_label, st.number, c.number AS category, i.tariff_code,
                    t.label_fr, t.proof_required, i.price_cents
               FROM order_items i
               JOIN tariffs t ON t.code = i.tariff_code
               LEFT JOIN seats st ON st.id = i.seat_id
               LEFT JOIN zones z ON z.id = st.zone_id
               LEFT JOIN categories c ON c.id = st.category_id
              WHERE i.order_id = $1 ORDER BY i.id",
        )
        .bind(order_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(OrderItemRow {
                seat_id: r.oi("seat_id")?,
                seat: seat_label(r, "number")?,
                category: r.oi("category")?,
                tariff_code: r.s("tariff_code")?,
                tariff_label: r.s("label_fr")?,
                proof_required: r.b("proof_required")?,
                price_cents: r.i("price_cents")?,
            })
        })
        .collect()
    }

    pub async fn order_tickets(&self, order_id: &str) -> StoreResult<Vec<TicketRow>> {
        sqlx::query(
            "SELECT tk.id, tk.uid, tk.number, v.code AS venue_code, z.name AS zone, st.row_label, st.number AS seat_number,
                    c.number AS category, tk.tariff_code, t.label_fr, t.proof_required, tk.price_cents,
                    tk.holder_name, tk.status, tk.code
               FROM tickets tk
               JOIN venues v ON v.id = tk.venue_id
               JOIN tariffs t ON t.code = tk.tariff_code
               LEFT JOIN seats st ON st.id = tk.seat_id
               LEFT JOIN zones z ON z.id = st.zone_id
               LEFT JOIN categories c ON c.id = st.category_id
              WHERE tk.order_id = $1 ORDER BY tk.id",
        )
        .bind(order_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let seat = seat_label(r, "seat_number")?;
            Ok(TicketRow {
                id: r.i("id")?,
                uid: r.i("uid")?,
                number: r.i("number")?,
                venue_code: r.s("venue_code")?,
                seat,
                category: r.oi("category")?,
                tariff_code: r.s("tariff_code")?,
                tariff_label: r.s("label_fr")?,
                proof_required: r.b("proof_required")?,
                price_cents: r.i("price_cents")?,
                holder_name: r.s("holder_name")?,
                status: r.s("status")?,
                code: r.s("code")?,
            })
        })
        .collect()
    }
}

/// Seat columns of a LEFT JOIN (all NULL for general admission).
fn seat_label(r: &sqlx::any::AnyRow, number_col: &str) -> StoreResult<Option<SeatLabel>> {
    let zone: Option<String> = sqlx::Row::try_get(r, "zone")?;
    let row: Option<String> = sqlx::Row::try_get(r, "row_label")?;
    let number = r.oi(number_col)?;
    Ok(match (zone, row, number) {
        (Some(zone), Some(row), Some(number)) => Some(SeatLabel { zone, row, number }),
        _ => None,
    })
}

async fn payment_row(
    w: &mut WriteTx,
    order_id: &str,
    provider: &str,
    outcome: &str,
    amount: i64,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO payments (order_id, provider, outcome, amount_cents, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(order_id)
        .bind(provider)
        .bind(outcome)
        .bind(amount)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

/// A new hold and its seat claims, all or nothing: the claims are written only if every seat is
/// free (a seat whose claim has expired counts as free and is taken over), and a hold left with
/// no claim is removed. The primary key of seat_claims still decides between concurrent writers.
/// The last statement names the seats someone else holds or bought.
fn hold_stmts(
    hold_id: &str,
    performance_id: i64,
    seat_ids: &[i64],
    now: i64,
    expires_at: i64,
) -> Vec<Stmt> {
    let hold = Stmt::new(
        "INSERT INTO holds (id, performance_id, quantity, status, created_at, expires_at)
         VALUES ($1, $2, $3, 'active', $4, $5)",
    )
    .bind(hold_id)
    .bind(performance_id)
    .bind(seat_ids.len() as i64)
    .bind(now)
    .bind(expires_at);
    let params: Vec<String> = (0..seat_ids.len()).map(|i| format!("${}", i + 5)).collect();
    let rows: Vec<String> = params.iter().map(|p| format!("({p})")).collect();
    let mut claims = Stmt::new(format!(
        "INSERT INTO seat_claims (performance_id, seat_id, hold_id, expires_at)
         SELECT $1, v.column1, $2, $3 FROM (VALUES {}) AS v
          WHERE NOT EXISTS (SELECT 1 FROM seat_claims c
                             WHERE c.performance_id = $1 AND c.seat_id IN ({})
                               AND (c.expires_at IS NULL OR c.expires_at > $4))
         ON CONFLICT (performance_id, seat_id) DO UPDATE
            SET hold_id = excluded.hold_id, expires_at = excluded.expires_at
          WHERE seat_claims.expires_at IS NOT NULL AND seat_claims.expires_at <= $4
         RETURNING seat_id",
        rows.join(", "),
        params.join(", ")
    ))
    .bind(performance_id)
    .bind(hold_id)
    .bind(expires_at)
    .bind(now);
    for id in seat_ids {
        claims = claims.bind(*id);
    }
    let empty = Stmt::new(
        "DELETE FROM holds WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM seat_claims WHERE hold_id = $1)",
    )
    .bind(hold_id);
    let mut taken = Stmt::new(format!(
        "SELECT seat_id FROM seat_claims
          WHERE performance_id = $1 AND hold_id <> $2 AND seat_id IN ({})
            AND (expires_at IS NULL OR expires_at > $3)",
        (0..seat_ids.len())
            .map(|i| format!("${}", i + 4))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .bind(performance_id)
    .bind(hold_id)
    .bind(now);
    for id in seat_ids {
        taken = taken.bind(*id);
    }
    vec![hold, claims, empty, taken]
}

/// The seats of `wanted` that the claims statement did not return.
fn not_claimed(wanted: &[i64], claims: &Done) -> StoreResult<Vec<i64>> {
    let inserted: HashSet<i64> = claims
        .rows
        .iter()
        .map(|r| r.i("seat_id"))
        .collect::<StoreResult<_>>()?;
    Ok(wanted
        .iter()
        .copied()
        .filter(|id| !inserted.contains(id))
        .collect())
}

/// The seats a `claims_query` row says are held or sold.
fn taken_in(read: &Done) -> StoreResult<HashSet<i64>> {
    let packed: Option<String> = match read.rows.first() {
        Some(r) => sqlx::Row::try_get(r, "claims")?,
        None => None,
    };
    Ok(packed
        .as_deref()
        .map(parse_claims)
        .unwrap_or_default()
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

/// The result of the `i`-th statement of a script.
fn nth(done: &[Done], i: usize) -> StoreResult<&Done> {
    done.get(i).ok_or(StoreError::Unexpected(
        "a statement of the script did not run",
    ))
}

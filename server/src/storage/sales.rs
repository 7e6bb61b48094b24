//! Write side: holds, orders, payments, ticket issuance. Every operation is one transaction, so a
//! failure anywhere leaves nothing half-written.
use super::{RowExt, Store, StoreError, StoreResult, WriteTx};
use app::dto::{OrderStatus, SeatLabel};
use app::ticket_code::TicketClaims;

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
    /// Tickets issued now.
    Issued,
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
    /// The hold already has an unpaid order (the buyer went back): cancel it.
    pub replaces_open_order: bool,
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
    pub open_orders: i64,
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
    /// Printed ticket number: venue, tariff series, position ("TM-PLEIN-000042").
    pub fn printed_number(&self) -> String {
        format!(
            "{}-{}-{:06}",
            self.venue_code,
            self.tariff_code.to_uppercase(),
            self.number
        )
    }
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
        let mut w = self.begin_write().await?;
        insert_hold(
            &mut w,
            hold_id,
            performance_id,
            seat_ids.len() as i64,
            now,
            expires_at,
        )
        .await?;
        // A free seat is inserted; a seat whose claim has expired is taken over; a seat held or
        // sold by someone else is left alone and missing from RETURNING.
        let rows: Vec<String> = (0..seat_ids.len())
            .map(|i| format!("($1, ${}, $2, $3)", i + 5))
            .collect();
        let insert = format!(
            "INSERT INTO seat_claims (performance_id, seat_id, hold_id, expires_at) VALUES {}
             ON CONFLICT (performance_id, seat_id) DO UPDATE
                SET hold_id = excluded.hold_id, expires_at = excluded.expires_at
              WHERE seat_claims.expires_at IS NOT NULL AND seat_claims.expires_at <= $4
             RETURNING seat_id",
            rows.join(", ")
        );
        let mut q = sqlx::query(&insert)
            .bind(performance_id)
            .bind(hold_id)
            .bind(expires_at)
            .bind(now);
        for id in seat_ids {
            q = q.bind(*id);
        }
        let inserted: std::collections::HashSet<i64> = q
            .fetch_all(&mut *w.tx)
            .await?
            .iter()
            .map(|r| r.i("seat_id"))
            .collect::<StoreResult<_>>()?;
        let taken: Vec<i64> = seat_ids
            .iter()
            .copied()
            .filter(|id| !inserted.contains(id))
            .collect();
        if !taken.is_empty() {
            w.tx.rollback().await?;
            return Ok(Err(HoldRefusal::SeatsTaken(taken)));
        }
        w.commit().await?;
        Ok(Ok(()))
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
        let r = sqlx::query(
            "SELECT h.id, h.performance_id, h.quantity, h.status, h.expires_at,
                    (SELECT COUNT(*) FROM orders o WHERE o.hold_id = h.id AND o.status = 'awaiting_payment') AS open_orders
               FROM holds h WHERE h.id = $1",
        )
            .bind(hold_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("hold"))?;
        let seat_ids =
            sqlx::query("SELECT seat_id FROM seat_claims WHERE hold_id = $1 ORDER BY seat_id")
                .bind(hold_id)
                .fetch_all(self.pool())
                .await?
                .iter()
                .map(|r| r.i("seat_id"))
                .collect::<StoreResult<Vec<_>>>()?;
        Ok(HoldRow {
            id: r.s("id")?,
            performance_id: r.i("performance_id")?,
            quantity: r.i("quantity")?,
            status: r.s("status")?,
            expires_at: r.i("expires_at")?,
            open_orders: r.i("open_orders")?,
            seat_ids,
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
        let mut w = self.begin_write().await?;
        if order.replaces_open_order {
            sqlx::query("UPDATE orders SET status = 'cancelled' WHERE hold_id = $1 AND status = 'awaiting_payment'")
                .bind(&order.hold_id)
                .execute(&mut *w.tx)
                .await?;
        }
        // Inserted only while the hold is active and unexpired, checked in the same statement.
        let inserted = sqlx::query(
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
        .bind(now)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            let status = sqlx::query("SELECT status FROM holds WHERE id = $1")
                .bind(&order.hold_id)
                .fetch_optional(&mut *w.tx)
                .await?
                .ok_or(StoreError::NotFound("hold"))?
                .s("status")?;
            w.tx.rollback().await?;
            return Ok(Err(if status == "consumed" {
                "consumed"
            } else {
                "expired"
            }));
        }
        let rows: Vec<String> = (0..order.items.len())
            .map(|i| format!("($1, ${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
            .collect();
        let sql = format!(
            "INSERT INTO order_items (order_id, seat_id, tariff_code, price_cents) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(&order.id);
        for item in &order.items {
            q = q
                .bind(item.seat_id)
                .bind(&item.tariff_code)
                .bind(item.price_cents);
        }
        q.execute(&mut *w.tx).await?;
        w.commit().await?;
        Ok(Ok(()))
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
    pub async fn settle_order(
        &self,
        order_id: &str,
        venue_id: i64,
        provider: &str,
        now: i64,
        mut new_uid: impl FnMut() -> i64,
        sign: impl Fn(TicketClaims) -> (u8, String),
    ) -> StoreResult<Settlement> {
        // Items never change once the order exists: read them before queueing for the writer.
        let items = sqlx::query("SELECT seat_id, tariff_code, price_cents FROM order_items WHERE order_id = $1 ORDER BY id")
            .bind(order_id)
            .fetch_all(self.pool())
            .await?;
        let mut w = self.begin_write().await?;
        // Taking the order row first serialises concurrent confirmations of the same order.
        let claimed = sqlx::query(
            "UPDATE orders SET status = 'paid', paid_at = $2 WHERE id = $1 AND status = 'awaiting_payment'
             RETURNING hold_id, performance_id, buyer_name, total_cents",
        )
        .bind(order_id)
        .bind(now)
        .fetch_optional(&mut *w.tx)
        .await?;
        let Some(order) = claimed else {
            let status = sqlx::query("SELECT status FROM orders WHERE id = $1")
                .bind(order_id)
                .fetch_optional(&mut *w.tx)
                .await?
                .ok_or(StoreError::NotFound("order"))?
                .s("status")?;
            w.tx.rollback().await?;
            return Ok(match OrderStatus::parse(&status) {
                Some(OrderStatus::Paid) => Settlement::AlreadyPaid,
                Some(other) => Settlement::NotPayable(other),
                None => Settlement::NotPayable(OrderStatus::Cancelled),
            });
        };
        let hold_id = order.s("hold_id")?;
        let performance_id = order.i("performance_id")?;
        let consumed = sqlx::query(
            "UPDATE holds SET status = 'consumed' WHERE id = $1 AND status = 'active' AND expires_at > $2 RETURNING quantity",
        )
        .bind(&hold_id)
        .bind(now)
        .fetch_optional(&mut *w.tx)
        .await?;
        let seated = items
            .iter()
            .filter(|i| matches!(i.oi("seat_id"), Ok(Some(_))))
            .count() as u64;
        let sold = if consumed.is_some() {
            sqlx::query(
                "UPDATE seat_claims SET expires_at = NULL WHERE hold_id = $1 AND expires_at > $2",
            )
            .bind(&hold_id)
            .bind(now)
            .execute(&mut *w.tx)
            .await?
            .rows_affected()
        } else {
            0
        };
        if consumed.is_none() || sold != seated {
            w.tx.rollback().await?;
            self.expire_order(order_id).await?;
            return Ok(Settlement::HoldExpired);
        }
        payment_row(
            &mut w,
            order_id,
            provider,
            "approved",
            order.i("total_cents")?,
            now,
        )
        .await?;
        let holder = order.s("buyer_name")?;
        // Numbers: one series update per tariff, taking as many numbers as that tariff has items.
        // Always in the same (sorted) order, so concurrent issues cannot deadlock on PostgreSQL.
        let mut next: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
        for item in &items {
            *next.entry(item.s("tariff_code")?).or_default() += 1;
        }
        for (tariff, count) in next.iter_mut() {
            let last = take_numbers(&mut w, venue_id, tariff, *count).await?;
            *count = last - *count + 1; // first number of the block
        }
        let rows: Vec<String> = (0..items.len())
            .map(|i| {
                let b = 7 * i + 6;
                format!(
                    "(${}, $1, $2, ${}, $3, ${}, ${}, ${}, $4, ${}, ${}, 'valid', $5)",
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
        let sql = format!(
            "INSERT INTO tickets (uid, order_id, performance_id, seat_id, venue_id, tariff_code, number, price_cents,
                                  holder_name, code, key_id, status, issued_at) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql)
            .bind(order_id)
            .bind(performance_id)
            .bind(venue_id)
            .bind(&holder)
            .bind(now);
        for item in &items {
            let tariff = item.s("tariff_code")?;
            let number = next.get_mut(&tariff).map(|n| {
                *n += 1;
                *n - 1
            });
            let uid = new_uid();
            let (key_id, code) = sign(TicketClaims {
                key_id: 0,
                performance_id: performance_id as u32,
                ticket_id: uid as u64,
            });
            q = q
                .bind(uid)
                .bind(item.oi("seat_id")?)
                .bind(tariff)
                .bind(number.unwrap_or_default())
                .bind(item.i("price_cents")?)
                .bind(code)
                .bind(key_id as i64);
        }
        q.execute(&mut *w.tx).await?;
        w.commit().await?;
        Ok(Settlement::Issued)
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

/// Takes `count` consecutive numbers of a venue/tariff series inside the issuing transaction and
/// returns the last one. A rolled-back issue gives its numbers back, so the printed sequence has
/// no gaps.
async fn take_numbers(
    w: &mut WriteTx,
    venue_id: i64,
    tariff: &str,
    count: i64,
) -> StoreResult<i64> {
    sqlx::query(
        "INSERT INTO ticket_series (venue_id, tariff_code, last_number) VALUES ($1, $2, $3)
         ON CONFLICT (venue_id, tariff_code) DO UPDATE SET last_number = ticket_series.last_number + $3
         RETURNING last_number",
    )
    .bind(venue_id)
    .bind(tariff)
    .bind(count)
    .fetch_one(&mut *w.tx)
    .await?
    .i("last_number")
}

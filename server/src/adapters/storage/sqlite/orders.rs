//! Orders, payments and ticket issue on SQLite.
use super::SqliteStore;
use crate::adapters::storage::rows::{reads, sql};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::{Cents, HoldId, OrderId, OrderToken, PerformanceId};
use app::dto::OrderStatus;
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

fn order_status(s: &str) -> OrderStatus {
    OrderStatus::parse(s).unwrap_or(OrderStatus::Cancelled)
}

fn insert_payment(conn: &Connection, p: &PaymentRecord) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO payments (order_id, provider, outcome, amount_cents, created_at, attempt_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        p.order.as_str(),
        p.provider,
        p.outcome.as_str(),
        p.amount.0,
        p.now,
        p.attempt_key
    ])?;
    Ok(())
}

/// Finishes a pending attempt (recorded afresh if it was not: an old client, a restart).
fn finish_payment(conn: &Connection, p: &PaymentRecord) -> rusqlite::Result<()> {
    let updated = conn
        .prepare_cached(
            "UPDATE payments SET outcome = ?2, finished_at = ?3 WHERE attempt_key = ?1 AND outcome = 'pending'",
        )?
        .execute(params![p.attempt_key, p.outcome.as_str(), p.now])?;
    if updated == 0 {
        insert_payment(conn, p)?;
    }
    Ok(())
}

/// The settlement, inside the writer's transaction.
fn settle(conn: &Connection, s: &Settle) -> rusqlite::Result<Settlement> {
    let now = s.payment.now;
    let status: Option<String> = conn
        .prepare_cached("SELECT status FROM orders WHERE id = ?1")?
        .query_row(params![s.order.as_str()], |r| r.get(0))
        .optional()?;
    // Money taken for an order that cannot be honoured: on record for a refund.
    let refund = |settlement| -> rusqlite::Result<Settlement> {
        finish_payment(
            conn,
            &PaymentRecord {
                outcome: PaymentOutcomeRecord::RefundNeeded,
                ..s.payment.clone()
            },
        )?;
        Ok(settlement)
    };
    match status.as_deref().map(order_status) {
        Some(OrderStatus::AwaitingPayment) => {}
        Some(OrderStatus::Paid) => return refund(Settlement::AlreadyPaid),
        Some(other) => return refund(Settlement::NotPayable(other)),
        None => return refund(Settlement::NotPayable(OrderStatus::Cancelled)),
    }
    // The hold must still be active and hold every seat of the order.
    let seated = s.tickets.iter().filter(|t| t.seat_id.is_some()).count() as i64;
    let holds: Option<(bool, i64)> = conn
        .prepare_cached(
            "SELECT h.status = 'active' AND h.expires_at > ?2,
                    (SELECT COUNT(*) FROM seat_claims c WHERE c.hold_id = h.id AND c.expires_at > ?2)
               FROM holds h WHERE h.id = ?1",
        )?
        .query_row(params![s.hold.as_str(), now], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if holds != Some((true, seated)) {
        conn.prepare_cached(
            "UPDATE orders SET status = 'expired' WHERE id = ?1 AND status = 'awaiting_payment'",
        )?
        .execute(params![s.order.as_str()])?;
        return refund(Settlement::HoldExpired);
    }
    conn.prepare_cached("UPDATE orders SET status = 'paid', paid_at = ?2 WHERE id = ?1")?
        .execute(params![s.order.as_str(), now])?;
    conn.prepare_cached("UPDATE holds SET status = 'consumed' WHERE id = ?1")?
        .execute(params![s.hold.as_str()])?;
    conn.prepare_cached("UPDATE seat_claims SET expires_at = NULL WHERE hold_id = ?1")?
        .execute(params![s.hold.as_str()])?;
    finish_payment(
        conn,
        &PaymentRecord {
            outcome: PaymentOutcomeRecord::Approved,
            ..s.payment.clone()
        },
    )?;
    // Numbers: one block per tariff, taken in sorted order (the same order on every engine).
    let mut per_tariff: BTreeMap<&str, i64> = BTreeMap::new();
    for t in &s.tickets {
        *per_tariff.entry(t.tariff_code.as_str()).or_default() += 1;
    }
    let mut next: BTreeMap<&str, i64> = BTreeMap::new();
    for (tariff, count) in &per_tariff {
        let last: i64 = conn
            .prepare_cached(
                "INSERT INTO ticket_series (venue_id, tariff_code, last_number) VALUES (?1, ?2, ?3)
                 ON CONFLICT (venue_id, tariff_code) DO UPDATE SET last_number = last_number + excluded.last_number
                 RETURNING last_number",
            )?
            .query_row(params![s.venue_id, tariff, count], |r| r.get(0))?;
        next.insert(tariff, last - count + 1);
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO tickets (uid, order_id, performance_id, seat_id, venue_id, tariff_code, number, price_cents,
                              holder_name, code, key_id, status, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'valid', ?12) RETURNING id",
    )?;
    let mut issued = Vec::with_capacity(s.tickets.len());
    for t in &s.tickets {
        let slot = next.entry(t.tariff_code.as_str()).or_default();
        let number = *slot;
        *slot += 1;
        let id: i64 = insert.query_row(
            params![
                t.uid,
                s.order.as_str(),
                s.performance.0,
                t.seat_id,
                s.venue_id,
                t.tariff_code,
                number,
                t.price.0,
                s.buyer_name,
                t.code,
                t.key_id as i64,
                now
            ],
            |r| r.get(0),
        )?;
        issued.push(IssuedTicket { id, number });
    }
    Ok(Settlement::Issued(issued))
}

#[derive(sqlx::FromRow)]
struct OrderDbRow {
    id: String,
    reference: String,
    token: String,
    hold_id: String,
    performance_id: i64,
    buyer_name: String,
    buyer_email: String,
    total_cents: i64,
    status: String,
    lang: String,
    expires_at: i64,
    last_payment: Option<String>,
}

#[async_trait]
impl OrderRepo for SqliteStore {
    async fn create_order(&self, order: &NewOrder, now: i64) -> RepoResult<OrderCreation> {
        let order = order.clone();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let hold: Option<(String, i64)> = tx
                    .prepare_cached("SELECT status, expires_at FROM holds WHERE id = ?1")?
                    .query_row(params![order.hold.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                match hold.as_ref().map(|(s, e)| (HoldStatus::parse(s), *e)) {
                    None => return Ok(OrderCreation::HoldUnknown),
                    Some((Some(HoldStatus::Consumed), _)) => return Ok(OrderCreation::HoldConsumed),
                    Some((Some(HoldStatus::Active), expires_at)) if expires_at > now => {}
                    Some(_) => return Ok(OrderCreation::HoldGone),
                }
                let taken: Option<i64> = tx
                    .prepare_cached("SELECT 1 FROM orders WHERE reference = ?1")?
                    .query_row(params![order.reference], |r| r.get(0))
                    .optional()?;
                if taken.is_some() {
                    return Ok(OrderCreation::ReferenceTaken);
                }
                // An unpaid order the buyer left behind on this hold (they went back).
                tx.prepare_cached(
                    "UPDATE orders SET status = 'cancelled' WHERE hold_id = ?1 AND status = 'awaiting_payment'",
                )?
                .execute(params![order.hold.as_str()])?;
                let tariffs = order.items.iter().map(|i| i.tariff_code.as_str());
                for (tariff, asking) in app::domain::quota::counts(tariffs) {
                    let max: Option<i64> = tx
                        .prepare_cached(sql::QUOTA)?
                        .query_row(params![order.performance.0, tariff], |r| r.get(0))
                        .optional()?;
                    if let Some(max) = max {
                        let taken: i64 = tx
                            .prepare_cached(sql::QUOTA_TAKEN)?
                            .query_row(params![order.performance.0, tariff, now], |r| r.get(0))?;
                        if let Err(left) = app::domain::quota::check(max, taken, asking) {
                            return Ok(OrderCreation::QuotaReached {
                                tariff: tariff.to_string(),
                                left,
                            });
                        }
                    }
                }
                tx.prepare_cached(
                    "INSERT INTO orders (id, reference, token, hold_id, performance_id, buyer_name, buyer_email,
                                         total_cents, status, lang, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'awaiting_payment', ?9, ?10)",
                )?
                .execute(params![
                    order.id.as_str(),
                    order.reference,
                    order.token.as_str(),
                    order.hold.as_str(),
                    order.performance.0,
                    order.buyer_name,
                    order.buyer_email.as_str(),
                    order.total.0,
                    order.lang,
                    now
                ])?;
                let mut item = tx.prepare_cached(
                    "INSERT INTO order_items (order_id, seat_id, tariff_code, price_cents) VALUES (?1, ?2, ?3, ?4)",
                )?;
                for i in &order.items {
                    item.execute(params![order.id.as_str(), i.seat_id, i.tariff_code, i.price.0])?;
                }
                drop(item);
                tx.commit()?;
                Ok(OrderCreation::Created)
            })
            .await
    }

    async fn order(&self, id: &OrderId) -> RepoResult<Option<OrderRow>> {
        let row: Option<OrderDbRow> = sqlx::query_as(
            "SELECT o.id, o.reference, o.token, o.hold_id, o.performance_id, o.buyer_name, o.buyer_email,
                    o.total_cents, o.status, o.lang, h.expires_at,
                    (SELECT pm.outcome FROM payments pm WHERE pm.order_id = o.id ORDER BY pm.id DESC LIMIT 1) AS last_payment
               FROM orders o JOIN holds h ON h.id = o.hold_id WHERE o.id = ?1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .or_fail()?;
        Ok(row.map(|r| OrderRow {
            id: OrderId::from_trusted(r.id),
            reference: r.reference,
            token: OrderToken::from_trusted(r.token),
            hold: HoldId::from_trusted(r.hold_id),
            performance: PerformanceId(r.performance_id),
            buyer_name: r.buyer_name,
            buyer_email: r.buyer_email,
            total: Cents(r.total_cents),
            status: order_status(&r.status),
            lang: r.lang,
            expires_at: r.expires_at,
            last_payment: r.last_payment,
        }))
    }

    async fn order_items(&self, id: &OrderId) -> RepoResult<Vec<OrderItemRow>> {
        reads::order_items(&self.pool, id.as_str()).await
    }

    async fn start_payment(&self, payment: &PaymentRecord) -> RepoResult<()> {
        let payment = payment.clone();
        self.writer
            .run(move |conn| insert_payment(conn, &payment))
            .await
    }

    async fn finish_payment(
        &self,
        attempt_key: &str,
        outcome: PaymentOutcomeRecord,
        now: i64,
    ) -> RepoResult<()> {
        let attempt_key = attempt_key.to_string();
        self.writer
            .run(move |conn| {
                conn.prepare_cached(
                    "UPDATE payments SET outcome = ?2, finished_at = ?3 WHERE attempt_key = ?1 AND outcome = 'pending'",
                )?
                .execute(params![attempt_key, outcome.as_str(), now])
                .map(|_| ())
            })
            .await
    }

    async fn settle(&self, s: &Settle) -> RepoResult<Settlement> {
        let s = s.clone();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let done = settle(&tx, &s)?;
                tx.commit()?;
                Ok(done)
            })
            .await
    }

    async fn order_tickets(&self, id: &OrderId) -> RepoResult<Vec<TicketRow>> {
        reads::order_tickets(&self.pool, id.as_str()).await
    }
}

//! Orders, payments and ticket issue on PostgreSQL. A step locks its hold first, then its
//! order (the order the expiry sweep and releases use too).
use super::{at, secs, PgStore};
use crate::adapters::storage::rows::{reads, sql};
use crate::adapters::storage::{is_unique_violation, SqlxResultExt};
use crate::ports::*;
use app::domain::{Cents, HoldId, OrderId, OrderToken, PerformanceId};
use app::dto::OrderStatus;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::BTreeMap;

fn order_status(s: &str) -> OrderStatus {
    OrderStatus::parse(s).unwrap_or(OrderStatus::Cancelled)
}

async fn insert_payment(c: &mut PgConnection, p: &PaymentRecord) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payments (order_id, provider, outcome, amount_cents, created_at, attempt_key)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(p.order.as_str())
    .bind(p.provider)
    .bind(p.outcome.as_str())
    .bind(p.amount.0)
    .bind(at(p.now))
    .bind(&p.attempt_key)
    .execute(c)
    .await?;
    Ok(())
}

/// Finishes a pending attempt (recorded afresh if it was not: an old client, a restart).
async fn finish_payment(c: &mut PgConnection, p: &PaymentRecord) -> Result<(), sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE payments SET outcome = $2, finished_at = $3 WHERE attempt_key = $1 AND outcome = 'pending'",
    )
    .bind(&p.attempt_key)
    .bind(p.outcome.as_str())
    .bind(at(p.now))
    .execute(&mut *c)
    .await?
    .rows_affected();
    if updated == 0 {
        insert_payment(c, p).await?;
    }
    Ok(())
}

/// Money taken for an order that cannot be honoured: on record for a refund.
async fn refund(
    c: &mut PgConnection,
    s: &Settle,
    settlement: Settlement,
) -> Result<Settlement, sqlx::Error> {
    let p = PaymentRecord {
        outcome: PaymentOutcomeRecord::RefundNeeded,
        ..s.payment.clone()
    };
    finish_payment(c, &p).await?;
    Ok(settlement)
}

async fn settle(c: &mut PgConnection, s: &Settle) -> Result<Settlement, sqlx::Error> {
    let now = at(s.payment.now);
    let hold: Option<(String, DateTime<Utc>)> =
        sqlx::query_as("SELECT status, expires_at FROM holds WHERE id = $1 FOR NO KEY UPDATE")
            .bind(s.hold.as_str())
            .fetch_optional(&mut *c)
            .await?;
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM orders WHERE id = $1 FOR NO KEY UPDATE")
            .bind(s.order.as_str())
            .fetch_optional(&mut *c)
            .await?;
    match status.as_deref().map(order_status) {
        Some(OrderStatus::AwaitingPayment) => {}
        Some(OrderStatus::Paid) => return refund(c, s, Settlement::AlreadyPaid).await,
        Some(other) => return refund(c, s, Settlement::NotPayable(other)).await,
        None => return refund(c, s, Settlement::NotPayable(OrderStatus::Cancelled)).await,
    }
    let seated = s.tickets.iter().filter(|t| t.seat_id.is_some()).count() as i64;
    let claims: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM seat_claims WHERE hold_id = $1 AND expires_at > $2",
    )
    .bind(s.hold.as_str())
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    let holding = matches!(&hold, Some((status, expires)) if status == "active" && *expires > now);
    if !holding || claims != seated {
        sqlx::query("UPDATE orders SET status = 'expired' WHERE id = $1")
            .bind(s.order.as_str())
            .execute(&mut *c)
            .await?;
        return refund(c, s, Settlement::HoldExpired).await;
    }
    sqlx::query("UPDATE orders SET status = 'paid', paid_at = $2 WHERE id = $1")
        .bind(s.order.as_str())
        .bind(now)
        .execute(&mut *c)
        .await?;
    sqlx::query("UPDATE holds SET status = 'consumed' WHERE id = $1")
        .bind(s.hold.as_str())
        .execute(&mut *c)
        .await?;
    sqlx::query("UPDATE seat_claims SET expires_at = NULL WHERE hold_id = $1")
        .bind(s.hold.as_str())
        .execute(&mut *c)
        .await?;
    let approved = PaymentRecord {
        outcome: PaymentOutcomeRecord::Approved,
        ..s.payment.clone()
    };
    finish_payment(c, &approved).await?;
    // Numbers: one block per tariff, series locked in sorted order so that concurrent issues
    // cannot deadlock.
    let mut per_tariff: BTreeMap<&str, i64> = BTreeMap::new();
    for t in &s.tickets {
        *per_tariff.entry(t.tariff_code.as_str()).or_default() += 1;
    }
    let mut next: BTreeMap<&str, i64> = BTreeMap::new();
    for (tariff, count) in &per_tariff {
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO ticket_series (venue_id, tariff_code, last_number) VALUES ($1, $2, $3)
             ON CONFLICT (venue_id, tariff_code) DO UPDATE SET last_number = ticket_series.last_number + excluded.last_number
             RETURNING last_number",
        )
        .bind(s.venue_id)
        .bind(tariff)
        .bind(count)
        .fetch_one(&mut *c)
        .await?;
        next.insert(tariff, last - count + 1);
    }
    let mut issued = Vec::with_capacity(s.tickets.len());
    for t in &s.tickets {
        let slot = next.entry(t.tariff_code.as_str()).or_default();
        let number = *slot;
        *slot += 1;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (uid, order_id, performance_id, seat_id, venue_id, tariff_code, number, price_cents,
                                  holder_name, code, key_id, status, issued_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'valid', $12) RETURNING id",
        )
        .bind(t.uid)
        .bind(s.order.as_str())
        .bind(s.performance.0)
        .bind(t.seat_id)
        .bind(s.venue_id)
        .bind(&t.tariff_code)
        .bind(number)
        .bind(t.price.0)
        .bind(&s.buyer_name)
        .bind(&t.code)
        .bind(t.key_id as i64)
        .bind(now)
        .fetch_one(&mut *c)
        .await?;
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
    expires_at: DateTime<Utc>,
    last_payment: Option<String>,
}

#[async_trait]
impl OrderRepo for PgStore {
    async fn create_order(&self, order: &NewOrder, now: i64) -> RepoResult<OrderCreation> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let hold: Option<(String, DateTime<Utc>)> =
            sqlx::query_as("SELECT status, expires_at FROM holds WHERE id = $1 FOR NO KEY UPDATE")
                .bind(order.hold.as_str())
                .fetch_optional(&mut *tx)
                .await
                .or_fail()?;
        match hold.as_ref().map(|(s, e)| (HoldStatus::parse(s), secs(*e))) {
            None => return Ok(OrderCreation::HoldUnknown),
            Some((Some(HoldStatus::Consumed), _)) => return Ok(OrderCreation::HoldConsumed),
            Some((Some(HoldStatus::Active), expires_at)) if expires_at > now => {}
            Some(_) => return Ok(OrderCreation::HoldGone),
        }
        // An unpaid order the buyer left behind on this hold (they went back).
        sqlx::query(
            "UPDATE orders SET status = 'cancelled' WHERE hold_id = $1 AND status = 'awaiting_payment'",
        )
        .bind(order.hold.as_str())
        .execute(&mut *tx)
        .await
        .or_fail()?;
        // The quota row is locked first, and the count read after in a statement of its own:
        // under READ COMMITTED it then sees every order committed by whoever held the lock
        // (one statement would count with the snapshot it had before waiting).
        let tariffs = order.items.iter().map(|i| i.tariff_code.as_str());
        for (tariff, asking) in app::domain::quota::counts(tariffs) {
            let max: Option<i64> = sqlx::query_scalar(&format!("{} FOR NO KEY UPDATE", sql::QUOTA))
                .bind(order.performance.0)
                .bind(tariff)
                .fetch_optional(&mut *tx)
                .await
                .or_fail()?;
            let Some(max) = max else {
                continue;
            };
            let taken: i64 = sqlx::query_scalar(sql::QUOTA_TAKEN)
                .bind(order.performance.0)
                .bind(tariff)
                .bind(at(now))
                .fetch_one(&mut *tx)
                .await
                .or_fail()?;
            if let Err(left) = app::domain::quota::check(max, taken, asking) {
                return Ok(OrderCreation::QuotaReached {
                    tariff: tariff.to_string(),
                    left,
                });
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO orders (id, reference, token, hold_id, performance_id, buyer_name, buyer_email,
                                 total_cents, status, lang, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'awaiting_payment', $9, $10)",
        )
        .bind(order.id.as_str())
        .bind(&order.reference)
        .bind(order.token.as_str())
        .bind(order.hold.as_str())
        .bind(order.performance.0)
        .bind(&order.buyer_name)
        .bind(order.buyer_email.as_str())
        .bind(order.total.0)
        .bind(&order.lang)
        .bind(at(now))
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Ok(OrderCreation::ReferenceTaken),
            other => other.or_fail()?,
        };
        for i in &order.items {
            sqlx::query(
                "INSERT INTO order_items (order_id, seat_id, tariff_code, price_cents) VALUES ($1, $2, $3, $4)",
            )
            .bind(order.id.as_str())
            .bind(i.seat_id)
            .bind(&i.tariff_code)
            .bind(i.price.0)
            .execute(&mut *tx)
            .await
            .or_fail()?;
        }
        tx.commit().await.or_fail()?;
        Ok(OrderCreation::Created)
    }

    async fn order(&self, id: &OrderId) -> RepoResult<Option<OrderRow>> {
        let row: Option<OrderDbRow> = sqlx::query_as(
            "SELECT o.id, o.reference, o.token, o.hold_id, o.performance_id, o.buyer_name, o.buyer_email,
                    o.total_cents, o.status, o.lang, h.expires_at,
                    (SELECT pm.outcome FROM payments pm WHERE pm.order_id = o.id ORDER BY pm.id DESC LIMIT 1) AS last_payment
               FROM orders o JOIN holds h ON h.id = o.hold_id WHERE o.id = $1",
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
            expires_at: secs(r.expires_at),
            last_payment: r.last_payment,
        }))
    }

    async fn order_items(&self, id: &OrderId) -> RepoResult<Vec<OrderItemRow>> {
        reads::order_items(&self.pool, id.as_str()).await
    }

    async fn start_payment(&self, payment: &PaymentRecord) -> RepoResult<()> {
        let mut c = self.pool.acquire().await.or_fail()?;
        insert_payment(&mut c, payment).await.or_fail()
    }

    async fn finish_payment(
        &self,
        attempt_key: &str,
        outcome: PaymentOutcomeRecord,
        now: i64,
    ) -> RepoResult<()> {
        sqlx::query(
            "UPDATE payments SET outcome = $2, finished_at = $3 WHERE attempt_key = $1 AND outcome = 'pending'",
        )
        .bind(attempt_key)
        .bind(outcome.as_str())
        .bind(at(now))
        .execute(&self.pool)
        .await
        .or_fail()?;
        Ok(())
    }

    async fn settle(&self, s: &Settle) -> RepoResult<Settlement> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let done = settle(&mut tx, s).await.or_fail()?;
        tx.commit().await.or_fail()?;
        Ok(done)
    }

    async fn order_tickets(&self, id: &OrderId) -> RepoResult<Vec<TicketRow>> {
        reads::order_tickets(&self.pool, id.as_str()).await
    }
}

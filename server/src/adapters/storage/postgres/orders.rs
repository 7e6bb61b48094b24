//! Orders, payments and ticket issue on PostgreSQL. A step locks its hold first, then its
//! order (the order the expiry sweep and releases use too).
use super::{at, secs, PgStore};
use crate::adapters::storage::rows::{
    counter_payment, export_line, order_status, order_summary, origin_columns, reads, sql,
    ExportTuple, PaymentTuple, SummaryTuple,
};
use crate::adapters::storage::{is_unique_violation, SqlxResultExt};
use crate::ports::*;
use app::domain::{Cents, HoldId, OrderId, OrderToken, PerformanceId};
use app::dto::OrderStatus;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::BTreeMap;

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
        // An attempt already finished stays as it is: a result confirmed twice counts once.
        sqlx::query(
            "INSERT INTO payments (order_id, provider, outcome, amount_cents, created_at, attempt_key)
             SELECT $1, $2, $3, $4, $5, $6
              WHERE NOT EXISTS (SELECT 1 FROM payments WHERE attempt_key = $6)",
        )
        .bind(p.order.as_str())
        .bind(p.provider)
        .bind(p.outcome.as_str())
        .bind(p.amount.0)
        .bind(at(p.now))
        .bind(&p.attempt_key)
        .execute(c)
        .await?;
    }
    Ok(())
}

type AttemptTuple = (
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    DateTime<Utc>,
);

fn attempt_row(t: AttemptTuple) -> AttemptRow {
    AttemptRow {
        order: OrderId::from_trusted(t.0),
        attempt_key: t.1,
        provider: t.2,
        provider_ref: t.3,
        outcome: PaymentOutcomeRecord::parse(&t.4).unwrap_or(PaymentOutcomeRecord::Pending),
        amount: Cents(t.5),
        created_at: secs(t.6),
    }
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
    for p in &s.counter {
        sqlx::query(
            "INSERT INTO counter_payments (order_id, method, amount_cents, tendered_cents, change_cents,
                                           reason, agent_id, desk, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(s.order.as_str())
        .bind(p.method.code())
        .bind(p.amount.0)
        .bind(p.tendered.map(|t| t.0))
        .bind(p.change.0)
        .bind(&p.reason)
        .bind(p.agent_id)
        .bind(&p.desk)
        .bind(at(s.payment.now))
        .execute(&mut *c)
        .await?;
    }
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
    // A counter sale's journal entry, in the same transaction as what it records.
    if let Some(draft) = s.journal.clone() {
        super::journal::append_entry(c, draft).await?;
    }
    if let Some(mail) = &s.mail {
        super::outbox::enqueue(c, mail, s.payment.now).await?;
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
                                 total_cents, status, lang, created_at, channel, agent_id, desk)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'awaiting_payment', $9, $10, $11, $12, $13)",
        )
        .bind(order.id.as_str())
        .bind(&order.reference)
        .bind(order.token.as_str())
        .bind(order.hold.as_str())
        .bind(order.performance.0)
        .bind(&order.buyer_name)
        .bind(order.buyer_email.as_ref().map_or("", |e| e.as_str()))
        .bind(order.total.0)
        .bind(&order.lang)
        .bind(at(now))
        .bind(origin_columns(&order.origin).0)
        .bind(origin_columns(&order.origin).1)
        .bind(origin_columns(&order.origin).2)
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

    async fn attach_provider_ref(&self, attempt_key: &str, provider_ref: &str) -> RepoResult<()> {
        sqlx::query("UPDATE payments SET provider_ref = $2 WHERE attempt_key = $1")
            .bind(attempt_key)
            .bind(provider_ref)
            .execute(&self.pool)
            .await
            .or_fail()?;
        Ok(())
    }

    async fn note_provider_answer(&self, attempt_key: &str, answer: &str) -> RepoResult<()> {
        sqlx::query("UPDATE payments SET provider_answer = $2 WHERE attempt_key = $1")
            .bind(attempt_key)
            .bind(answer)
            .execute(&self.pool)
            .await
            .or_fail()?;
        Ok(())
    }

    async fn payment_attempts(&self, find: &AttemptQuery) -> RepoResult<Vec<AttemptRow>> {
        const COLUMNS: &str = "SELECT order_id, attempt_key, provider, provider_ref, outcome,
                                      amount_cents, created_at FROM payments";
        let rows: Vec<AttemptTuple> = match find {
            AttemptQuery::ByRef {
                provider,
                provider_ref,
            } => {
                sqlx::query_as(&format!(
                "{COLUMNS} WHERE provider = $1 AND provider_ref = $2 AND attempt_key IS NOT NULL"
            ))
                .bind(provider)
                .bind(provider_ref)
                .fetch_all(&self.pool)
                .await
            }
            AttemptQuery::PendingOfOrder(order) => {
                sqlx::query_as(&format!(
                "{COLUMNS} WHERE order_id = $1 AND outcome = 'pending' AND attempt_key IS NOT NULL
                 ORDER BY created_at, id"
            ))
                .bind(order.as_str())
                .fetch_all(&self.pool)
                .await
            }
            AttemptQuery::PendingSince {
                provider,
                before,
                limit,
            } => {
                sqlx::query_as(&format!(
                    "{COLUMNS} WHERE provider = $1 AND outcome = 'pending' AND created_at <= $2
                   AND attempt_key IS NOT NULL ORDER BY created_at, id LIMIT $3"
                ))
                .bind(provider)
                .bind(at(*before))
                .bind(limit)
                .fetch_all(&self.pool)
                .await
            }
        }
        .or_fail()?;
        Ok(rows.into_iter().map(attempt_row).collect())
    }

    async fn settle(&self, s: &Settle) -> RepoResult<Settlement> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let mut done = settle(&mut tx, s).await.or_fail()?;
        if let (Settlement::Issued(_), Some(x)) = (&done, &s.exchange) {
            if let Some(refused) = exchange_out(&mut tx, s, x).await? {
                done = Settlement::ExchangeRefused(refused);
            }
        }
        if let Settlement::ExchangeRefused(_) = done {
            tx.rollback().await.or_fail()?;
        } else {
            tx.commit().await.or_fail()?;
        }
        Ok(done)
    }

    async fn export_orders(
        &self,
        from: i64,
        until: i64,
        after: Option<&app::domain::export::Cursor>,
        limit: i64,
    ) -> RepoResult<Vec<app::domain::export::OrderLine>> {
        // Before any payment: the first page.
        let (after_at, after_id) = after.map_or((-1, String::new()), |c| (c.paid_at, c.id.clone()));
        let rows: Vec<ExportTuple> = sqlx::query_as(
            "SELECT o.id, o.reference, EXTRACT(EPOCH FROM o.paid_at)::BIGINT, o.channel, o.status, o.buyer_name, o.buyer_email,
                    s.title, EXTRACT(EPOCH FROM p.starts_at)::BIGINT,
                    (SELECT COUNT(*) FROM tickets t WHERE t.order_id = o.id AND t.status = 'valid')::BIGINT,
                    o.total_cents,
                    COALESCE((SELECT -SUM(c.amount_cents) FROM counter_payments c
                               WHERE c.order_id = o.id AND c.amount_cents < 0), 0)::BIGINT
               FROM orders o JOIN performances p ON p.id = o.performance_id
               JOIN shows s ON s.id = p.show_id
              WHERE o.paid_at >= $1 AND o.paid_at < $2 AND (o.paid_at, o.id) > ($3, $4)
              ORDER BY o.paid_at, o.id LIMIT $5",
        )
        .bind(at(from))
        .bind(at(until))
        .bind(at(after_at))
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows.into_iter().map(export_line).collect())
    }

    async fn seat_sales_in_hall(
        &self,
        hall_id: i64,
        from: i64,
        until: i64,
    ) -> RepoResult<(i64, Vec<((i64, String, i64), i64)>)> {
        let performances: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM performances
              WHERE hall_id = $1 AND starts_at >= $2 AND starts_at < $3 AND NOT cancelled AND seated",
        )
        .bind(hall_id)
        .bind(at(from))
        .bind(at(until))
        .fetch_one(&self.pool)
        .await
        .or_fail()?;
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT s.zone_id, s.row_label, s.number::BIGINT, COUNT(*)
               FROM tickets t JOIN performances p ON p.id = t.performance_id
               JOIN seats s ON s.id = t.seat_id
              WHERE p.hall_id = $1 AND p.starts_at >= $2 AND p.starts_at < $3 AND NOT p.cancelled
                AND t.status = 'valid'
              GROUP BY s.zone_id, s.row_label, s.number",
        )
        .bind(hall_id)
        .bind(at(from))
        .bind(at(until))
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok((
            performances,
            rows.into_iter().map(|r| ((r.0, r.1, r.2), r.3)).collect(),
        ))
    }

    async fn count_paid_orders(&self, from: i64, until: i64) -> RepoResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE paid_at >= $1 AND paid_at < $2")
            .bind(at(from))
            .bind(at(until))
            .fetch_one(&self.pool)
            .await
            .or_fail()
    }

    async fn order_exchanges(&self, id: &OrderId) -> RepoResult<Vec<ExchangeRow>> {
        let rows: Vec<(String, String, String, String, i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT x.from_order, f.reference, x.to_order, t.reference, x.credit_cents, x.created_at
               FROM exchanges x JOIN orders f ON f.id = x.from_order JOIN orders t ON t.id = x.to_order
              WHERE x.from_order = $1 OR x.to_order = $1
              ORDER BY x.id",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|r| ExchangeRow {
                from_order: r.0,
                from_reference: r.1,
                to_order: r.2,
                to_reference: r.3,
                credit: Cents(r.4),
                at: r.5.timestamp(),
            })
            .collect())
    }

    async fn order_tickets(&self, id: &OrderId) -> RepoResult<Vec<TicketRow>> {
        reads::order_tickets(&self.pool, id.as_str()).await
    }

    async fn order_payments(&self, id: &OrderId) -> RepoResult<Vec<CounterPaymentRow>> {
        let rows: Vec<PaymentTuple> = sqlx::query_as(
            "SELECT method, amount_cents, tendered_cents, change_cents, reason, agent_id, desk
             FROM counter_payments WHERE order_id = $1 ORDER BY id",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows.into_iter().filter_map(counter_payment).collect())
    }

    async fn search_orders(
        &self,
        query: &app::domain::order_search::OrderQuery,
        limit: i64,
    ) -> RepoResult<Vec<OrderSummaryRow>> {
        use app::domain::order_search::OrderQuery as Q;
        const BASE: &str = "SELECT o.id, o.reference, o.status, o.channel, o.buyer_name, o.buyer_email, o.total_cents,
            o.performance_id, s.title, EXTRACT(EPOCH FROM p.starts_at)::BIGINT, EXTRACT(EPOCH FROM o.created_at)::BIGINT,
            (SELECT COUNT(*) FROM tickets t WHERE t.order_id = o.id AND t.status = 'valid')
     FROM orders o JOIN performances p ON p.id = o.performance_id JOIN shows s ON s.id = p.show_id
     WHERE ";
        // The limit is ours (a number), not the caller's text.
        let limit = limit.clamp(1, 200);
        let sql = |cond: &str| format!("{BASE}({cond}) ORDER BY o.created_at DESC LIMIT {limit}");
        let rows: Vec<SummaryTuple> =
            match query {
                Q::TicketNumber(n) => sqlx::query_as(&sql(
                    "o.id IN (SELECT t.order_id FROM tickets t JOIN venues v ON v.id = t.venue_id
                                     WHERE v.code = $1 AND t.tariff_code = $2 AND t.number = $3)",
                ))
                .bind(&n.venue_code)
                .bind(&n.tariff_code)
                .bind(n.number)
                .fetch_all(&self.pool)
                .await,
                Q::Code(code) => {
                    sqlx::query_as(&sql(
                        "o.id IN (SELECT order_id FROM tickets WHERE code = $1)",
                    ))
                    .bind(code)
                    .fetch_all(&self.pool)
                    .await
                }
                Q::Email(email) => {
                    sqlx::query_as(&sql("lower(o.buyer_email) = $1"))
                        .bind(email)
                        .fetch_all(&self.pool)
                        .await
                }
                Q::Reference(reference) => {
                    sqlx::query_as(&sql("o.reference = $1"))
                        .bind(reference)
                        .fetch_all(&self.pool)
                        .await
                }
                Q::Text { reference, name } => {
                    sqlx::query_as(&sql(
                        "o.reference = $1 OR lower(o.buyer_name) LIKE $2 ESCAPE '\\'",
                    ))
                    .bind(reference)
                    .bind(Q::like(name))
                    .fetch_all(&self.pool)
                    .await
                }
            }
            .or_fail()?;
        Ok(rows.into_iter().map(order_summary).collect())
    }

    async fn order_channel(&self, id: &OrderId) -> RepoResult<Option<String>> {
        sqlx::query_scalar("SELECT channel FROM orders WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .or_fail()
    }

    async fn performance_sales(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<app::domain::statement::SoldTicket>> {
        let rows: Vec<(String, String, i64, i64, String, String)> = sqlx::query_as(
            "SELECT v.code, t.tariff_code, t.number, t.price_cents, t.status, o.channel
             FROM tickets t JOIN orders o ON o.id = t.order_id JOIN venues v ON v.id = t.venue_id
             WHERE t.performance_id = $1 ORDER BY t.tariff_code, t.number",
        )
        .bind(performance.0)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|r| app::domain::statement::SoldTicket {
                venue_code: r.0,
                tariff_label: r.1.clone(),
                tariff_code: r.1,
                number: r.2,
                price_cents: r.3,
                valid: r.4 == "valid",
                channel: r.5,
            })
            .collect())
    }

    async fn paid_tickets_between(
        &self,
        from: i64,
        until: i64,
    ) -> RepoResult<Vec<app::domain::sales_report::PaidTicket>> {
        let rows: Vec<(i64, String, i64, i64, String)> = sqlx::query_as(
            "SELECT EXTRACT(EPOCH FROM o.paid_at)::BIGINT, o.channel, t.price_cents, t.performance_id, s.title
             FROM orders o JOIN tickets t ON t.order_id = o.id
             JOIN performances p ON p.id = t.performance_id JOIN shows s ON s.id = p.show_id
             WHERE o.paid_at >= $1 AND o.paid_at < $2 AND t.status = 'valid'
             ORDER BY o.paid_at",
        )
        .bind(at(from))
        .bind(at(until))
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|r| app::domain::sales_report::PaidTicket {
                paid_at: r.0,
                channel: r.1,
                price_cents: r.2,
                performance_id: r.3,
                show_title: r.4,
            })
            .collect())
    }

    async fn take_back(&self, take: &TakeBack) -> RepoResult<TakenBack> {
        let mut tx = self.pool.begin().await.or_fail()?;
        let done = take_back(&mut tx, take).await?;
        if done == TakenBack::Done {
            tx.commit().await.or_fail()?;
        } else {
            tx.rollback().await.or_fail()?;
        }
        Ok(done)
    }
}

/// An exchange's old side, after its new order is issued: the credit moves, then the old
/// tickets are taken back (the refund cap counts the credit). `Some` when refused.
async fn exchange_out(
    c: &mut PgConnection,
    s: &Settle,
    x: &ExchangeOut,
) -> RepoResult<Option<TakenBack>> {
    sqlx::query(
        "INSERT INTO exchanges (from_order, to_order, credit_cents, agent_id, desk, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(x.take.order.as_str())
    .bind(s.order.as_str())
    .bind(x.credit.0)
    .bind(x.agent_id)
    .bind(&x.desk)
    .bind(at(s.payment.now))
    .execute(&mut *c)
    .await
    .or_fail()?;
    let taken = take_back(c, &x.take).await?;
    if taken != TakenBack::Done {
        return Ok(Some(taken));
    }
    if given_back(c, &x.take.order).await? > x.take.refund_cap.0 {
        return Ok(Some(TakenBack::OverRefunded));
    }
    Ok(None)
}

/// What an order gave back: its refunds, and the credit its exchanges moved to other orders.
async fn given_back(c: &mut PgConnection, order: &OrderId) -> RepoResult<i64> {
    sqlx::query_scalar(
        "SELECT (COALESCE((SELECT -SUM(amount_cents) FROM counter_payments
                            WHERE order_id = $1 AND amount_cents < 0), 0)
               + COALESCE((SELECT SUM(credit_cents) FROM exchanges WHERE from_order = $1), 0))::BIGINT",
    )
    .bind(order.as_str())
    .fetch_one(&mut *c)
    .await
    .or_fail()
}

async fn take_back(c: &mut PgConnection, t: &TakeBack) -> RepoResult<TakenBack> {
    // One after-sale act at a time per order (two agents refunding at once).
    sqlx::query("SELECT id FROM orders WHERE id = $1 FOR NO KEY UPDATE")
        .bind(t.order.as_str())
        .execute(&mut *c)
        .await
        .or_fail()?;
    for id in &t.ticket_ids {
        let cancelled: Option<(i64, Option<i64>)> = sqlx::query_as(
            "UPDATE tickets SET status = 'cancelled', cancelled_at = $2
             WHERE id = $1 AND order_id = $3 AND status = 'valid'
             RETURNING performance_id, seat_id",
        )
        .bind(id)
        .bind(at(t.at))
        .bind(t.order.as_str())
        .fetch_optional(&mut *c)
        .await
        .or_fail()?;
        let Some((performance, seat)) = cancelled else {
            return Ok(TakenBack::TicketGone);
        };
        match seat {
            Some(seat) => {
                sqlx::query("DELETE FROM seat_claims WHERE performance_id = $1 AND seat_id = $2")
                    .bind(performance)
                    .bind(seat)
                    .execute(&mut *c)
                    .await
                    .or_fail()?
            }
            None => sqlx::query(
                "UPDATE performances SET ga_taken = ga_taken - 1 WHERE id = $1 AND NOT seated",
            )
            .bind(performance)
            .execute(&mut *c)
            .await
            .or_fail()?,
        };
    }
    if let Some(r) = &t.refund {
        if given_back(c, &t.order).await? - r.amount.0 > t.refund_cap.0 {
            return Ok(TakenBack::OverRefunded);
        }
        sqlx::query(
            "INSERT INTO counter_payments (order_id, method, amount_cents, tendered_cents, change_cents,
                                           reason, agent_id, desk, created_at)
             VALUES ($1, $2, $3, NULL, 0, $4, $5, $6, $7)",
        )
        .bind(t.order.as_str())
        .bind(r.method.code())
        .bind(r.amount.0)
        .bind(&r.reason)
        .bind(r.agent_id)
        .bind(&r.desk)
        .bind(at(t.at))
        .execute(&mut *c)
        .await
        .or_fail()?;
    }
    for draft in &t.journal {
        super::journal::append_entry(c, draft.clone())
            .await
            .or_fail()?;
    }
    super::staff::write_audit(c, &t.audit).await?;
    if let Some(mail) = &t.mail {
        super::outbox::enqueue(c, mail, t.at).await.or_fail()?;
    }
    Ok(TakenBack::Done)
}

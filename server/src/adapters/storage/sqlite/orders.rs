//! Orders, payments and ticket issue on SQLite.
use super::SqliteStore;
use crate::adapters::storage::rows::{
    counter_payment, export_line, order_status, order_summary, origin_columns, reads, sql,
    ExportTuple, PaymentTuple, SummaryTuple,
};
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::{Cents, HoldId, OrderId, OrderToken, PerformanceId};
use app::dto::OrderStatus;
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

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

/// Finishes a pending attempt (recorded afresh if it was not: an old client, a restart). An
/// attempt already finished stays as it is: a provider's result confirmed twice counts once.
fn finish_payment(conn: &Connection, p: &PaymentRecord) -> rusqlite::Result<()> {
    let updated = conn
        .prepare_cached(
            "UPDATE payments SET outcome = ?2, finished_at = ?3 WHERE attempt_key = ?1 AND outcome = 'pending'",
        )?
        .execute(params![p.attempt_key, p.outcome.as_str(), p.now])?;
    if updated == 0 {
        let known: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM payments WHERE attempt_key = ?1)")?
            .query_row(params![p.attempt_key], |r| r.get(0))?;
        if !known {
            insert_payment(conn, p)?;
        }
    }
    Ok(())
}

type AttemptTuple = (String, String, String, Option<String>, String, i64, i64);

fn attempt_row(t: AttemptTuple) -> AttemptRow {
    AttemptRow {
        order: OrderId::from_trusted(t.0),
        attempt_key: t.1,
        provider: t.2,
        provider_ref: t.3,
        outcome: PaymentOutcomeRecord::parse(&t.4).unwrap_or(PaymentOutcomeRecord::Pending),
        amount: Cents(t.5),
        created_at: t.6,
    }
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
    let mut counter = conn.prepare_cached(
        "INSERT INTO counter_payments (order_id, method, amount_cents, tendered_cents, change_cents,
                                       reason, agent_id, desk, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for p in &s.counter {
        counter.execute(params![
            s.order.as_str(),
            p.method.code(),
            p.amount.0,
            p.tendered.map(|t| t.0),
            p.change.0,
            p.reason,
            p.agent_id,
            p.desk,
            now
        ])?;
    }
    drop(counter);
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
    // An exchange: the credit moves, then the old tickets are taken back (its refund cap
    // counts the credit); the caller rolls everything back unless that is done.
    if let Some(x) = &s.exchange {
        conn.prepare_cached(
            "INSERT INTO exchanges (from_order, to_order, credit_cents, agent_id, desk, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            x.take.order.as_str(),
            s.order.as_str(),
            x.credit.0,
            x.agent_id,
            x.desk,
            now
        ])?;
        let taken = take_back(conn, &x.take)?;
        if taken != TakenBack::Done {
            return Ok(Settlement::ExchangeRefused(taken));
        }
        if given_back(conn, &x.take.order)? > x.take.refund_cap.0 {
            return Ok(Settlement::ExchangeRefused(TakenBack::OverRefunded));
        }
    }
    // A counter sale's journal entry, in the same transaction as what it records.
    if let Some(draft) = s.journal.clone() {
        super::journal::append_entry(conn, draft)?;
    }
    if let Some(mail) = &s.mail {
        super::outbox::enqueue(conn, mail, now)?;
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
                                         total_cents, status, lang, created_at, channel, agent_id, desk)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'awaiting_payment', ?9, ?10, ?11, ?12, ?13)",
                )?
                .execute(params![
                    order.id.as_str(),
                    order.reference,
                    order.token.as_str(),
                    order.hold.as_str(),
                    order.performance.0,
                    order.buyer_name,
                    order.buyer_email.as_ref().map_or("", |e| e.as_str()),
                    order.total.0,
                    order.lang,
                    now,
                    origin_columns(&order.origin).0,
                    origin_columns(&order.origin).1,
                    origin_columns(&order.origin).2
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

    async fn attach_provider_ref(&self, attempt_key: &str, provider_ref: &str) -> RepoResult<()> {
        let (key, reference) = (attempt_key.to_string(), provider_ref.to_string());
        self.writer
            .run(move |conn| {
                conn.prepare_cached("UPDATE payments SET provider_ref = ?2 WHERE attempt_key = ?1")?
                    .execute(params![key, reference])
                    .map(|_| ())
            })
            .await
    }

    async fn note_provider_answer(&self, attempt_key: &str, answer: &str) -> RepoResult<()> {
        let (key, answer) = (attempt_key.to_string(), answer.to_string());
        self.writer
            .run(move |conn| {
                conn.prepare_cached(
                    "UPDATE payments SET provider_answer = ?2 WHERE attempt_key = ?1",
                )?
                .execute(params![key, answer])
                .map(|_| ())
            })
            .await
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
                "{COLUMNS} WHERE provider = ?1 AND provider_ref = ?2 AND attempt_key IS NOT NULL"
            ))
                .bind(provider)
                .bind(provider_ref)
                .fetch_all(&self.pool)
                .await
            }
            AttemptQuery::PendingOfOrder(order) => {
                sqlx::query_as(&format!(
                "{COLUMNS} WHERE order_id = ?1 AND outcome = 'pending' AND attempt_key IS NOT NULL
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
                    "{COLUMNS} WHERE provider = ?1 AND outcome = 'pending' AND created_at <= ?2
                   AND attempt_key IS NOT NULL ORDER BY created_at, id LIMIT ?3"
                ))
                .bind(provider)
                .bind(before)
                .bind(limit)
                .fetch_all(&self.pool)
                .await
            }
        }
        .or_fail()?;
        Ok(rows.into_iter().map(attempt_row).collect())
    }

    async fn settle(&self, s: &Settle) -> RepoResult<Settlement> {
        let s = s.clone();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let done = settle(&tx, &s)?;
                // A refused exchange leaves the savepoint to roll back when dropped.
                if !matches!(done, Settlement::ExchangeRefused(_)) {
                    tx.commit()?;
                }
                Ok(done)
            })
            .await
    }

    async fn order_tickets(&self, id: &OrderId) -> RepoResult<Vec<TicketRow>> {
        reads::order_tickets(&self.pool, id.as_str()).await
    }

    async fn order_payments(&self, id: &OrderId) -> RepoResult<Vec<CounterPaymentRow>> {
        let rows: Vec<PaymentTuple> = sqlx::query_as(
            "SELECT method, amount_cents, tendered_cents, change_cents, reason, agent_id, desk
             FROM counter_payments WHERE order_id = ?1 ORDER BY id",
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
            o.performance_id, s.title, p.starts_at, o.created_at,
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
                                     WHERE v.code = ?1 AND t.tariff_code = ?2 AND t.number = ?3)",
                ))
                .bind(&n.venue_code)
                .bind(&n.tariff_code)
                .bind(n.number)
                .fetch_all(&self.pool)
                .await,
                Q::Code(code) => {
                    sqlx::query_as(&sql(
                        "o.id IN (SELECT order_id FROM tickets WHERE code = ?1)",
                    ))
                    .bind(code)
                    .fetch_all(&self.pool)
                    .await
                }
                Q::Email(email) => {
                    sqlx::query_as(&sql("lower(o.buyer_email) = ?1"))
                        .bind(email)
                        .fetch_all(&self.pool)
                        .await
                }
                Q::Reference(reference) => {
                    sqlx::query_as(&sql("o.reference = ?1"))
                        .bind(reference)
                        .fetch_all(&self.pool)
                        .await
                }
                Q::Text { reference, name } => {
                    sqlx::query_as(&sql(
                        "o.reference = ?1 OR lower(o.buyer_name) LIKE ?2 ESCAPE '\\'",
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
        sqlx::query_scalar("SELECT channel FROM orders WHERE id = ?1")
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
             WHERE t.performance_id = ?1 ORDER BY t.tariff_code, t.number",
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
            "SELECT o.paid_at, o.channel, t.price_cents, t.performance_id, s.title
             FROM orders o JOIN tickets t ON t.order_id = o.id
             JOIN performances p ON p.id = t.performance_id JOIN shows s ON s.id = p.show_id
             WHERE o.paid_at >= ?1 AND o.paid_at < ?2 AND t.status = 'valid'
             ORDER BY o.paid_at",
        )
        .bind(from)
        .bind(until)
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

    async fn export_orders(
        &self,
        from: i64,
        until: i64,
        after: Option<&app::domain::export::Cursor>,
        limit: i64,
    ) -> RepoResult<Vec<app::domain::export::OrderLine>> {
        let (after_at, after_id) =
            after.map_or((i64::MIN, String::new()), |c| (c.paid_at, c.id.clone()));
        let rows: Vec<ExportTuple> = sqlx::query_as(
            "SELECT o.id, o.reference, o.paid_at, o.channel, o.status, o.buyer_name, o.buyer_email,
                    s.title, p.starts_at,
                    (SELECT COUNT(*) FROM tickets t WHERE t.order_id = o.id AND t.status = 'valid'),
                    o.total_cents,
                    COALESCE((SELECT -SUM(c.amount_cents) FROM counter_payments c
                               WHERE c.order_id = o.id AND c.amount_cents < 0), 0)
               FROM orders o JOIN performances p ON p.id = o.performance_id
               JOIN shows s ON s.id = p.show_id
              WHERE o.paid_at >= ?1 AND o.paid_at < ?2 AND (o.paid_at, o.id) > (?3, ?4)
              ORDER BY o.paid_at, o.id LIMIT ?5",
        )
        .bind(from)
        .bind(until)
        .bind(after_at)
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
              WHERE hall_id = ?1 AND starts_at >= ?2 AND starts_at < ?3 AND cancelled = 0 AND seated = 1",
        )
        .bind(hall_id)
        .bind(from)
        .bind(until)
        .fetch_one(&self.pool)
        .await
        .or_fail()?;
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT s.zone_id, s.row_label, s.number, COUNT(*)
               FROM tickets t JOIN performances p ON p.id = t.performance_id
               JOIN seats s ON s.id = t.seat_id
              WHERE p.hall_id = ?1 AND p.starts_at >= ?2 AND p.starts_at < ?3 AND p.cancelled = 0
                AND t.status = 'valid'
              GROUP BY s.zone_id, s.row_label, s.number",
        )
        .bind(hall_id)
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok((
            performances,
            rows.into_iter().map(|r| ((r.0, r.1, r.2), r.3)).collect(),
        ))
    }

    async fn count_paid_orders(&self, from: i64, until: i64) -> RepoResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE paid_at >= ?1 AND paid_at < ?2")
            .bind(from)
            .bind(until)
            .fetch_one(&self.pool)
            .await
            .or_fail()
    }

    async fn order_exchanges(&self, id: &OrderId) -> RepoResult<Vec<ExchangeRow>> {
        let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT x.from_order, f.reference, x.to_order, t.reference, x.credit_cents, x.created_at
               FROM exchanges x JOIN orders f ON f.id = x.from_order JOIN orders t ON t.id = x.to_order
              WHERE x.from_order = ?1 OR x.to_order = ?1
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
                at: r.5,
            })
            .collect())
    }

    async fn take_back(&self, take: &TakeBack) -> RepoResult<TakenBack> {
        let take = take.clone();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let done = take_back(&tx, &take)?;
                // Anything short of done leaves the savepoint to roll back when dropped.
                if done == TakenBack::Done {
                    tx.commit()?;
                }
                Ok(done)
            })
            .await
    }
}

/// What an order gave back: its refunds, and the credit its exchanges moved to other orders.
fn given_back(conn: &Connection, order: &OrderId) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT COALESCE((SELECT -SUM(amount_cents) FROM counter_payments
                           WHERE order_id = ?1 AND amount_cents < 0), 0)
              + COALESCE((SELECT SUM(credit_cents) FROM exchanges WHERE from_order = ?1), 0)",
    )?
    .query_row(params![order.as_str()], |r| r.get(0))
}

fn take_back(conn: &Connection, t: &TakeBack) -> rusqlite::Result<TakenBack> {
    for id in &t.ticket_ids {
        let cancelled: Option<(i64, Option<i64>)> = conn
            .prepare_cached(
                "UPDATE tickets SET status = 'cancelled', cancelled_at = ?2
                 WHERE id = ?1 AND order_id = ?3 AND status = 'valid'
                 RETURNING performance_id, seat_id",
            )?
            .query_row(params![id, t.at, t.order.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((performance, seat)) = cancelled else {
            return Ok(TakenBack::TicketGone);
        };
        match seat {
            Some(seat) => conn
                .prepare_cached(
                    "DELETE FROM seat_claims WHERE performance_id = ?1 AND seat_id = ?2",
                )?
                .execute(params![performance, seat])?,
            None => conn
                .prepare_cached(
                    "UPDATE performances SET ga_taken = ga_taken - 1 WHERE id = ?1 AND seated = 0",
                )?
                .execute(params![performance])?,
        };
    }
    if let Some(r) = &t.refund {
        if given_back(conn, &t.order)? - r.amount.0 > t.refund_cap.0 {
            return Ok(TakenBack::OverRefunded);
        }
        conn.prepare_cached(
            "INSERT INTO counter_payments (order_id, method, amount_cents, tendered_cents, change_cents,
                                           reason, agent_id, desk, created_at)
             VALUES (?1, ?2, ?3, NULL, 0, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            t.order.as_str(),
            r.method.code(),
            r.amount.0,
            r.reason,
            r.agent_id,
            r.desk,
            t.at
        ])?;
    }
    for draft in &t.journal {
        super::journal::append_entry(conn, draft.clone())?;
    }
    super::staff::write_audit(conn, &t.audit)?;
    if let Some(mail) = &t.mail {
        super::outbox::enqueue(conn, mail, t.at)?;
    }
    Ok(TakenBack::Done)
}

//! Door control on SQLite: tokens, the tickets as the door sees them, admissions.
use super::SqliteStore;
use crate::adapters::storage::rows::seat_label;
use crate::adapters::storage::SqlxResultExt;
use crate::ports::*;
use app::domain::{PerformanceId, TicketNumber};
use app::door::{FirstAdmission, ScanConflict, ZoneCount};
use app::dto::Ts;
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

const TICKET_SELECT: &str = "
SELECT tk.id, tk.uid, tk.code, tk.status, o.status = 'paid' AS order_paid, o.reference, tk.number,
       v.code AS venue_code, tk.tariff_code, COALESCE(vt.label_fr, t.label_fr) AS label_fr,
       COALESCE(vt.proof_required, t.proof_required) AS proof_required, tk.holder_name,
       tk.performance_id, s.title, p.starts_at, z.name AS zone, st.row_label, st.number AS seat_number
  FROM tickets tk
  JOIN orders o ON o.id = tk.order_id
  JOIN tariffs t ON t.code = tk.tariff_code
  LEFT JOIN venue_tariffs vt ON vt.venue_id = tk.venue_id AND vt.tariff_code = tk.tariff_code
  JOIN venues v ON v.id = tk.venue_id
  JOIN performances p ON p.id = tk.performance_id
  JOIN shows s ON s.id = p.show_id
  LEFT JOIN seats st ON st.id = tk.seat_id
  LEFT JOIN zones z ON z.id = st.zone_id";

#[derive(sqlx::FromRow)]
struct TicketDbRow {
    id: i64,
    uid: i64,
    code: String,
    status: String,
    order_paid: bool,
    reference: String,
    number: i64,
    venue_code: String,
    tariff_code: String,
    label_fr: String,
    proof_required: bool,
    holder_name: String,
    performance_id: i64,
    title: String,
    starts_at: i64,
    zone: Option<String>,
    row_label: Option<String>,
    seat_number: Option<i64>,
}

impl From<TicketDbRow> for DoorTicketRow {
    fn from(r: TicketDbRow) -> DoorTicketRow {
        DoorTicketRow {
            id: r.id,
            uid: r.uid,
            code: r.code,
            status: TicketStatus::parse(&r.status).unwrap_or(TicketStatus::Cancelled),
            order_paid: r.order_paid,
            order_reference: r.reference,
            number: TicketNumber::new(&r.venue_code, &r.tariff_code, r.number),
            performance_id: r.performance_id,
            title: r.title,
            starts_at: r.starts_at,
            seat: seat_label(r.zone, r.row_label, r.seat_number),
            tariff_code: r.tariff_code,
            tariff_label: r.label_fr,
            proof_required: r.proof_required,
            holder_name: r.holder_name,
        }
    }
}

#[derive(sqlx::FromRow)]
struct TokenDbRow {
    id: i64,
    label: String,
    supervisor: bool,
    created_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
}

type TicketQuery<'q> =
    sqlx::query::QueryAs<'q, sqlx::Sqlite, TicketDbRow, sqlx::sqlite::SqliteArguments<'q>>;

impl SqliteStore {
    async fn token_performances(&self, token_id: i64) -> RepoResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT performance_id FROM door_token_performances WHERE token_id = ?1 ORDER BY performance_id",
        )
        .bind(token_id)
        .fetch_all(&self.pool)
        .await
        .or_fail()
    }

    async fn with_performances(&self, r: TokenDbRow) -> RepoResult<DoorTokenRow> {
        Ok(DoorTokenRow {
            performance_ids: self.token_performances(r.id).await?,
            id: r.id,
            label: r.label,
            supervisor: r.supervisor,
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        })
    }

    /// The door's view of the tickets `filter` selects; `bind` gives its arguments.
    async fn tickets_where(
        &self,
        filter: &str,
        bind: impl for<'q> FnOnce(TicketQuery<'q>) -> TicketQuery<'q>,
    ) -> RepoResult<Vec<DoorTicketRow>> {
        let sql = format!("{TICKET_SELECT} {filter}");
        let rows = bind(sqlx::query_as(&sql))
            .fetch_all(&self.pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

#[async_trait]
impl DoorRepo for SqliteStore {
    async fn create_door_token(&self, t: &NewDoorToken) -> RepoResult<i64> {
        let t = t.clone();
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let id: i64 = tx
                    .prepare_cached(
                        "INSERT INTO door_tokens (token_hash, label, supervisor, created_at, expires_at)
                         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                    )?
                    .query_row(params![t.token_hash, t.label, t.supervisor, t.now, t.expires_at], |r| r.get(0))?;
                for p in &t.performance_ids {
                    tx.prepare_cached(
                        "INSERT INTO door_token_performances (token_id, performance_id) VALUES (?1, ?2)",
                    )?
                    .execute(params![id, p])?;
                }
                tx.commit()?;
                Ok(id)
            })
            .await
    }

    async fn door_token_by_hash(&self, token_hash: &str) -> RepoResult<Option<DoorTokenRow>> {
        let row: Option<TokenDbRow> = sqlx::query_as(
            "SELECT id, label, supervisor, created_at, expires_at, revoked_at FROM door_tokens WHERE token_hash = ?1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .or_fail()?;
        match row {
            Some(r) => Ok(Some(self.with_performances(r).await?)),
            None => Ok(None),
        }
    }

    async fn door_tokens(&self) -> RepoResult<Vec<DoorTokenRow>> {
        let rows: Vec<TokenDbRow> = sqlx::query_as(
            "SELECT id, label, supervisor, created_at, expires_at, revoked_at FROM door_tokens ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.with_performances(r).await?);
        }
        Ok(out)
    }

    async fn revoke_door_token(&self, id: i64, now: i64) -> RepoResult<bool> {
        self.writer
            .run(move |conn| {
                conn.prepare_cached(
                    "UPDATE door_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                )?
                .execute(params![id, now])
                .map(|n| n == 1)
            })
            .await
    }

    async fn ticket_by_uid(&self, uid: i64) -> RepoResult<Option<DoorTicketRow>> {
        Ok(self
            .tickets_where("WHERE tk.uid = ?1", |q| q.bind(uid))
            .await?
            .into_iter()
            .next())
    }

    async fn ticket_by_number(&self, n: &TicketNumber) -> RepoResult<Option<DoorTicketRow>> {
        let (venue, tariff, number) = (n.venue_code.clone(), n.tariff_code.clone(), n.number);
        Ok(self
            .tickets_where(
                "WHERE v.code = ?1 AND tk.tariff_code = ?2 AND tk.number = ?3",
                |q| q.bind(venue).bind(tariff).bind(number),
            )
            .await?
            .into_iter()
            .next())
    }

    async fn search_attendees(
        &self,
        performance: PerformanceId,
        q: &AttendeeQuery,
    ) -> RepoResult<Vec<DoorTicketRow>> {
        let (name, reference, number) = (format!("%{}%", q.name), q.reference.clone(), q.number);
        self.tickets_where(
            "WHERE tk.performance_id = ?1
               AND (LOWER(tk.holder_name) LIKE ?2 OR o.reference = ?3 OR tk.number = ?4)
             ORDER BY tk.holder_name, tk.id LIMIT 50",
            |qa| {
                qa.bind(performance.0)
                    .bind(name)
                    .bind(reference)
                    .bind(number)
            },
        )
        .await
    }

    async fn performance_tickets(
        &self,
        performance: PerformanceId,
    ) -> RepoResult<Vec<DoorTicketRow>> {
        self.tickets_where("WHERE tk.performance_id = ?1 ORDER BY tk.id", |q| {
            q.bind(performance.0)
        })
        .await
    }

    async fn admitted_uids(&self, performance: PerformanceId) -> RepoResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT tk.uid FROM admissions a JOIN tickets tk ON tk.id = a.ticket_id
              WHERE a.performance_id = ?1 AND a.undone_at IS NULL",
        )
        .bind(performance.0)
        .fetch_all(&self.pool)
        .await
        .or_fail()
    }

    async fn standing_admission(&self, ticket_id: i64) -> RepoResult<Option<FirstAdmission>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT device, scanned_at FROM admissions WHERE ticket_id = ?1 AND undone_at IS NULL",
        )
        .bind(ticket_id)
        .fetch_optional(&self.pool)
        .await
        .or_fail()?;
        Ok(row.map(|(device, at)| FirstAdmission { at: Ts(at), device }))
    }

    async fn admit(&self, a: &NewAdmission) -> RepoResult<Admission> {
        let a = a.clone();
        // One job: the insert decides (the partial unique index on standing admissions); what
        // follows a refusal reads on the same connection, without a second trip.
        self.writer
            .run(move |conn| {
                let inserted: Option<i64> = conn
                    .prepare_cached(
                        "INSERT INTO admissions (ticket_id, performance_id, token_id, device, scanned_at, recorded_at, offline, nonce)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING RETURNING id",
                    )?
                    .query_row(
                        params![a.ticket_id, a.performance.0, a.token_id, a.device, a.scanned_at, a.now, a.offline, a.nonce],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(id) = inserted {
                    return Ok(Admission::Admitted { id });
                }
                let by_nonce: Option<(i64, i64, bool)> = conn
                    .prepare_cached(
                        "SELECT id, ticket_id, undone_at IS NOT NULL FROM admissions WHERE token_id = ?1 AND nonce = ?2",
                    )?
                    .query_row(params![a.token_id, a.nonce], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                if let Some((id, ticket, undone)) = by_nonce {
                    return Ok(if ticket == a.ticket_id && !undone {
                        Admission::Admitted { id }
                    } else {
                        Admission::NonceReused
                    });
                }
                let first = conn
                    .prepare_cached(
                        "SELECT device, scanned_at FROM admissions WHERE ticket_id = ?1 AND undone_at IS NULL",
                    )?
                    .query_row(params![a.ticket_id], |r| {
                        Ok(FirstAdmission { device: r.get(0)?, at: Ts(r.get(1)?) })
                    })
                    .optional()?
                    .unwrap_or(FirstAdmission { at: Ts(a.now), device: String::new() });
                // Two devices let the same ticket in while offline: keep a trace for the report.
                if a.offline && first.device != a.device {
                    conn.prepare_cached(
                        "INSERT INTO scan_conflicts (ticket_id, performance_id, device, scanned_at, first_device, first_scanned_at, recorded_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![a.ticket_id, a.performance.0, a.device, a.scanned_at, first.device, first.at.0, a.now])?;
                }
                Ok(Admission::AlreadyUsed { first })
            })
            .await
    }

    async fn undo_admission(&self, admission_id: i64, token_id: i64, now: i64) -> RepoResult<bool> {
        self.writer
            .run(move |conn| {
                conn.prepare_cached(
                    "UPDATE admissions SET undone_at = ?2, undone_by = ?3 WHERE id = ?1 AND undone_at IS NULL",
                )?
                .execute(params![admission_id, now, token_id])
                .map(|n| n == 1)
            })
            .await
    }

    async fn admission_performance(&self, admission_id: i64) -> RepoResult<Option<i64>> {
        sqlx::query_scalar("SELECT performance_id FROM admissions WHERE id = ?1")
            .bind(admission_id)
            .fetch_optional(&self.pool)
            .await
            .or_fail()
    }

    async fn checkin_by_zone(&self, performance: PerformanceId) -> RepoResult<Vec<ZoneCount>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT COALESCE(z.name, 'Placement libre') AS zone, COUNT(*) AS expected,
                    SUM(CASE WHEN a.id IS NULL THEN 0 ELSE 1 END) AS admitted
               FROM tickets tk
               LEFT JOIN seats st ON st.id = tk.seat_id
               LEFT JOIN zones z ON z.id = st.zone_id
               LEFT JOIN admissions a ON a.ticket_id = tk.id AND a.undone_at IS NULL
              WHERE tk.performance_id = ?1 AND tk.status = 'valid'
              GROUP BY 1 ORDER BY 1",
        )
        .bind(performance.0)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|(zone, expected, admitted)| ZoneCount {
                zone,
                admitted,
                expected,
            })
            .collect())
    }

    async fn scan_conflicts(&self, performance: PerformanceId) -> RepoResult<Vec<ScanConflictRow>> {
        let rows: Vec<(String, String, i64, String, String, i64, String, i64)> = sqlx::query_as(
            "SELECT v.code, tk.tariff_code, tk.number, tk.holder_name, c.device, c.scanned_at,
                    c.first_device, c.first_scanned_at
               FROM scan_conflicts c JOIN tickets tk ON tk.id = c.ticket_id JOIN venues v ON v.id = tk.venue_id
              WHERE c.performance_id = ?1 ORDER BY c.id",
        )
        .bind(performance.0)
        .fetch_all(&self.pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    venue,
                    tariff,
                    number,
                    holder_name,
                    device,
                    scanned_at,
                    first_device,
                    first_at,
                )| {
                    ScanConflictRow {
                        number: TicketNumber::new(&venue, &tariff, number),
                        conflict: ScanConflict {
                            ticket_number: String::new(),
                            holder_name,
                            device,
                            scanned_at: Ts(scanned_at),
                            first_device,
                            first_scanned_at: Ts(first_at),
                        },
                    }
                },
            )
            .collect())
    }

    async fn cancel_ticket(&self, ticket_id: i64, now: i64) -> RepoResult<Option<PerformanceId>> {
        self.writer
            .run(move |conn| {
                let tx = conn.savepoint()?;
                let cancelled: Option<(i64, Option<i64>)> = tx
                    .prepare_cached(
                        "UPDATE tickets SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1 AND status = 'valid'
                         RETURNING performance_id, seat_id",
                    )?
                    .query_row(params![ticket_id, now], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                let Some((performance, seat)) = cancelled else {
                    return Ok(None);
                };
                match seat {
                    Some(seat) => tx
                        .prepare_cached("DELETE FROM seat_claims WHERE performance_id = ?1 AND seat_id = ?2")?
                        .execute(params![performance, seat])?,
                    None => tx
                        .prepare_cached("UPDATE performances SET ga_taken = ga_taken - 1 WHERE id = ?1 AND seated = 0")?
                        .execute(params![performance])?,
                };
                tx.commit()?;
                Ok(Some(PerformanceId(performance)))
            })
            .await
    }
}

//! Door control storage: door tokens, ticket look-ups for the door, admissions, check-in counts.
use super::script::Stmt;
use super::{RowExt, Store, StoreError, StoreResult};
use app::door::{DoorTicket, FirstAdmission, ScanConflict, ZoneCount};
use app::dto::{SeatLabel, Ts};
use sqlx::any::AnyRow;

#[derive(Debug, Clone)]
pub struct DoorTokenRow {
    pub id: i64,
    pub label: String,
    pub supervisor: bool,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub performance_ids: Vec<i64>,
}

/// A ticket with what the door checks about it.
#[derive(Debug, Clone)]
pub struct DoorTicketRow {
    pub uid: i64,
    pub code: String,
    pub status: String,
    pub order_status: String,
    pub ticket: DoorTicket,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Admission {
    /// Admitted now (or this very scan was already recorded: a retry with the same nonce).
    Admitted { id: i64 },
    /// Another scan admitted the ticket first.
    AlreadyUsed { first: FirstAdmission },
    /// The nonce was used before for a different ticket.
    NonceReused,
}

const DOOR_TICKET_SELECT: &str = "
SELECT tk.id, tk.uid, tk.code, tk.status, o.status AS order_status, o.reference, tk.number, v.code AS venue_code,
       tk.tariff_code, t.label_fr, t.proof_required, tk.holder_name, tk.performance_id, s.title, p.starts_at,
       z.name AS zone, st.row_label, st.number AS seat_number
  FROM tickets tk
  JOIN orders o ON o.id = tk.order_id
  JOIN tariffs t ON t.code = tk.tariff_code
  JOIN venues v ON v.id = tk.venue_id
  JOIN performances p ON p.id = tk.performance_id
  JOIN shows s ON s.id = p.show_id
  LEFT JOIN seats st ON st.id = tk.seat_id
  LEFT JOIN zones z ON z.id = st.zone_id";

fn door_ticket(r: &AnyRow) -> StoreResult<DoorTicketRow> {
    let zone: Option<String> = sqlx::Row::try_get(r, "zone")?;
    let row: Option<String> = sqlx::Row::try_get(r, "row_label")?;
    let seat = match (zone, row, r.oi("seat_number")?) {
        (Some(zone), Some(row), Some(number)) => Some(SeatLabel { zone, row, number }),
        _ => None,
    };
    let tariff = r.s("tariff_code")?;
    Ok(DoorTicketRow {
        uid: r.i("uid")?,
        code: r.s("code")?,
        status: r.s("status")?,
        order_status: r.s("order_status")?,
        ticket: DoorTicket {
            id: r.i("id")?,
            number: format!(
                "{}-{}-{:06}",
                r.s("venue_code")?,
                tariff.to_uppercase(),
                r.i("number")?
            ),
            performance_id: r.i("performance_id")?,
            title: r.s("title")?,
            starts_at: Ts(r.i("starts_at")?),
            seat_label: seat
                .as_ref()
                .map(SeatLabel::fr)
                .unwrap_or_else(|| "Placement libre".into()),
            seat,
            tariff,
            tariff_label: r.s("label_fr")?,
            check_proof: r.b("proof_required")?,
            holder_name: r.s("holder_name")?,
            order_reference: r.s("reference")?,
        },
    })
}

impl Store {
    pub async fn create_door_token(
        &self,
        token_hash: &str,
        label: &str,
        supervisor: bool,
        now: i64,
        expires_at: i64,
        performance_ids: &[i64],
    ) -> StoreResult<i64> {
        let mut w = self.begin_write().await?;
        let id = sqlx::query(
            "INSERT INTO door_tokens (token_hash, label, supervisor, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(token_hash)
        .bind(label)
        .bind(supervisor as i64)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *w.tx)
        .await?
        .i("id")?;
        for p in performance_ids {
            sqlx::query(
                "INSERT INTO door_token_performances (token_id, performance_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*p)
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit().await?;
        Ok(id)
    }

    async fn token_performances(&self, token_id: i64) -> StoreResult<Vec<i64>> {
        sqlx::query("SELECT performance_id FROM door_token_performances WHERE token_id = $1 ORDER BY performance_id")
            .bind(token_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| r.i("performance_id"))
            .collect()
    }

    fn token_row(r: &AnyRow) -> StoreResult<DoorTokenRow> {
        Ok(DoorTokenRow {
            id: r.i("id")?,
            label: r.s("label")?,
            supervisor: r.b("supervisor")?,
            created_at: r.i("created_at")?,
            expires_at: r.i("expires_at")?,
            revoked_at: r.oi("revoked_at")?,
            performance_ids: Vec::new(),
        })
    }

    pub async fn door_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<DoorTokenRow>> {
        let Some(r) = sqlx::query(
            "SELECT id, label, supervisor, created_at, expires_at, revoked_at FROM door_tokens WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let mut row = Self::token_row(&r)?;
        row.performance_ids = self.token_performances(row.id).await?;
        Ok(Some(row))
    }

    pub async fn door_tokens(&self) -> StoreResult<Vec<DoorTokenRow>> {
        let rows = sqlx::query("SELECT id, label, supervisor, created_at, expires_at, revoked_at FROM door_tokens ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let mut row = Self::token_row(r)?;
            row.performance_ids = self.token_performances(row.id).await?;
            out.push(row);
        }
        Ok(out)
    }

    pub async fn revoke_door_token(&self, id: i64, now: i64) -> StoreResult<bool> {
        let mut w = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE door_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        w.commit().await?;
        Ok(n == 1)
    }

    /// Performances starting in `[from, until)` (a door access "for a day").
    pub async fn performances_between(&self, from: i64, until: i64) -> StoreResult<Vec<i64>> {
        sqlx::query("SELECT id FROM performances WHERE starts_at >= $1 AND starts_at < $2 AND cancelled = 0 ORDER BY starts_at")
            .bind(from)
            .bind(until)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| r.i("id"))
            .collect()
    }

    pub async fn door_ticket_by_uid(&self, uid: i64) -> StoreResult<Option<DoorTicketRow>> {
        let sql = format!("{DOOR_TICKET_SELECT} WHERE tk.uid = $1");
        sqlx::query(&sql)
            .bind(uid)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(door_ticket)
            .transpose()
    }

    /// By printed number ("TM-PLEIN-000042").
    pub async fn door_ticket_by_number(
        &self,
        venue_code: &str,
        tariff: &str,
        number: i64,
    ) -> StoreResult<Option<DoorTicketRow>> {
        let sql = format!(
            "{DOOR_TICKET_SELECT} WHERE v.code = $1 AND tk.tariff_code = $2 AND tk.number = $3"
        );
        sqlx::query(&sql)
            .bind(venue_code)
            .bind(tariff)
            .bind(number)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(door_ticket)
            .transpose()
    }

    /// Tickets of a performance matching a name, an order reference or a ticket number.
    pub async fn search_attendees(
        &self,
        performance_id: i64,
        query: &str,
    ) -> StoreResult<Vec<DoorTicketRow>> {
        let sql = format!(
            "{DOOR_TICKET_SELECT}
              WHERE tk.performance_id = $1
                AND (LOWER(tk.holder_name) LIKE $2 OR o.reference = $3 OR CAST(tk.number AS TEXT) = $4)
              ORDER BY tk.holder_name, tk.id LIMIT 50"
        );
        let number = query
            .rsplit('-')
            .next()
            .unwrap_or_default()
            .trim_start_matches('0')
            .to_string();
        sqlx::query(&sql)
            .bind(performance_id)
            .bind(format!(
                "%{}%",
                query.to_lowercase().replace(['%', '_'], "")
            ))
            .bind(query.trim().to_uppercase())
            .bind(number)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(door_ticket)
            .collect()
    }

    pub async fn performance_tickets(
        &self,
        performance_id: i64,
    ) -> StoreResult<Vec<DoorTicketRow>> {
        let sql = format!("{DOOR_TICKET_SELECT} WHERE tk.performance_id = $1 ORDER BY tk.id");
        sqlx::query(&sql)
            .bind(performance_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(door_ticket)
            .collect()
    }

    /// Standing admissions of a performance: (ticket id, uid).
    pub async fn admitted_uids(&self, performance_id: i64) -> StoreResult<Vec<i64>> {
        sqlx::query(
            "SELECT tk.uid FROM admissions a JOIN tickets tk ON tk.id = a.ticket_id
              WHERE a.performance_id = $1 AND a.undone_at IS NULL",
        )
        .bind(performance_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| r.i("uid"))
        .collect()
    }

    pub async fn standing_admission(&self, ticket_id: i64) -> StoreResult<Option<FirstAdmission>> {
        sqlx::query(
            "SELECT device, scanned_at FROM admissions WHERE ticket_id = $1 AND undone_at IS NULL",
        )
        .bind(ticket_id)
        .fetch_optional(self.pool())
        .await?
        .map(|r| {
            Ok(FirstAdmission {
                at: Ts(r.i("scanned_at")?),
                device: r.s("device")?,
            })
        })
        .transpose()
    }

    /// Admits a ticket once: the partial unique index on standing admissions decides between
    /// concurrent scans; the unique nonce recognises a retried request. The admission is one
    /// autocommit statement (the door's hot path); what follows a refusal only reads.
    #[allow(clippy::too_many_arguments)]
    pub async fn admit(
        &self,
        ticket_id: i64,
        performance_id: i64,
        token_id: i64,
        device: &str,
        scanned_at: i64,
        now: i64,
        offline: bool,
        nonce: &str,
    ) -> StoreResult<Admission> {
        let admit = Stmt::new(
            "INSERT INTO admissions (ticket_id, performance_id, token_id, device, scanned_at, recorded_at, offline, nonce)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(ticket_id)
        .bind(performance_id)
        .bind(token_id)
        .bind(device)
        .bind(scanned_at)
        .bind(now)
        .bind(offline as i64)
        .bind(nonce);
        let inserted = self.write_one(admit).await?.rows.into_iter().next();
        if let Some(r) = inserted {
            return Ok(Admission::Admitted { id: r.i("id")? });
        }
        if let Some(r) = sqlx::query("SELECT id, ticket_id FROM admissions WHERE nonce = $1")
            .bind(nonce)
            .fetch_optional(self.pool())
            .await?
        {
            return Ok(if r.i("ticket_id")? == ticket_id {
                Admission::Admitted { id: r.i("id")? }
            } else {
                Admission::NonceReused
            });
        }
        let first = self
            .standing_admission(ticket_id)
            .await?
            .unwrap_or(FirstAdmission {
                at: Ts(now),
                device: String::new(),
            });
        // Two devices let the same ticket in while offline: keep a trace for the report.
        if offline && first.device != device {
            let conflict = Stmt::new(
                "INSERT INTO scan_conflicts (ticket_id, performance_id, device, scanned_at, first_device, first_scanned_at, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(ticket_id)
            .bind(performance_id)
            .bind(device)
            .bind(scanned_at)
            .bind(&first.device)
            .bind(first.at.0)
            .bind(now);
            self.write_one(conflict).await?;
        }
        Ok(Admission::AlreadyUsed { first })
    }

    /// Undoes a standing admission; returns its (ticket id, performance id).
    pub async fn undo_admission(
        &self,
        admission_id: i64,
        token_id: i64,
        now: i64,
    ) -> StoreResult<Option<(i64, i64)>> {
        let mut w = self.begin_write().await?;
        let r = sqlx::query(
            "UPDATE admissions SET undone_at = $2, undone_by = $3 WHERE id = $1 AND undone_at IS NULL
             RETURNING ticket_id, performance_id",
        )
        .bind(admission_id)
        .bind(now)
        .bind(token_id)
        .fetch_optional(&mut *w.tx)
        .await?;
        w.commit().await?;
        r.map(|r| Ok((r.i("ticket_id")?, r.i("performance_id")?)))
            .transpose()
    }

    pub async fn admission_performance(&self, admission_id: i64) -> StoreResult<i64> {
        sqlx::query("SELECT performance_id FROM admissions WHERE id = $1")
            .bind(admission_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("admission"))?
            .i("performance_id")
    }

    /// Admitted / expected per zone ("Placement libre" for general admission).
    pub async fn checkin_by_zone(&self, performance_id: i64) -> StoreResult<Vec<ZoneCount>> {
        sqlx::query(
            "SELECT COALESCE(z.name, 'Placement libre') AS zone, COUNT(*) AS expected,
                    CAST(SUM(CASE WHEN a.id IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS admitted
               FROM tickets tk
               LEFT JOIN seats st ON st.id = tk.seat_id
               LEFT JOIN zones z ON z.id = st.zone_id
               LEFT JOIN admissions a ON a.ticket_id = tk.id AND a.undone_at IS NULL
              WHERE tk.performance_id = $1 AND tk.status = 'valid'
              GROUP BY COALESCE(z.name, 'Placement libre')
              ORDER BY COALESCE(z.name, 'Placement libre')",
        )
        .bind(performance_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(ZoneCount {
                zone: r.s("zone")?,
                admitted: r.i("admitted")?,
                expected: r.i("expected")?,
            })
        })
        .collect()
    }

    pub async fn scan_conflicts(&self, performance_id: i64) -> StoreResult<Vec<ScanConflict>> {
        sqlx::query(
            "SELECT v.code AS venue_code, tk.tariff_code, tk.number, tk.holder_name, c.device, c.scanned_at,
                    c.first_device, c.first_scanned_at
               FROM scan_conflicts c JOIN tickets tk ON tk.id = c.ticket_id JOIN venues v ON v.id = tk.venue_id
              WHERE c.performance_id = $1 ORDER BY c.id",
        )
        .bind(performance_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(ScanConflict {
                ticket_number: format!("{}-{}-{:06}", r.s("venue_code")?, r.s("tariff_code")?.to_uppercase(), r.i("number")?),
                holder_name: r.s("holder_name")?,
                device: r.s("device")?,
                scanned_at: Ts(r.i("scanned_at")?),
                first_device: r.s("first_device")?,
                first_scanned_at: Ts(r.i("first_scanned_at")?),
            })
        })
        .collect()
    }

    /// Cancels a ticket: it keeps its number (recorded as cancelled) and its seat is free again.
    pub async fn cancel_ticket(&self, ticket_id: i64, now: i64) -> StoreResult<bool> {
        let mut w = self.begin_write().await?;
        let r = sqlx::query(
            "UPDATE tickets SET status = 'cancelled', cancelled_at = $2 WHERE id = $1 AND status = 'valid'
             RETURNING performance_id, seat_id",
        )
        .bind(ticket_id)
        .bind(now)
        .fetch_optional(&mut *w.tx)
        .await?;
        let Some(r) = r else {
            w.tx.rollback().await?;
            return Ok(false);
        };
        let performance_id = r.i("performance_id")?;
        match r.oi("seat_id")? {
            Some(seat) => {
                sqlx::query("DELETE FROM seat_claims WHERE performance_id = $1 AND seat_id = $2")
                    .bind(performance_id)
                    .bind(seat)
                    .execute(&mut *w.tx)
                    .await?;
            }
            None => {
                sqlx::query(
                    "UPDATE performances SET ga_taken = ga_taken - 1 WHERE id = $1 AND seated = 0",
                )
                .bind(performance_id)
                .execute(&mut *w.tx)
                .await?;
            }
        }
        w.commit().await?;
        Ok(true)
    }
}

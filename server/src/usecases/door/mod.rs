//! Door control: scans (signature first, then the admission rule, then one admission per
//! ticket), supervisor undo, check-in counts, attendee search, the offline data set; and the
//! administration of door accesses and ticket cancellation.
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::booking::SeatBoard;
use crate::usecases::catalogue::CatalogueCache;
use crate::usecases::secrets::{hash_secret, new_secret};
use app::domain::admission::{check_ticket, scan_time, valid_nonce, TicketFacts};
use app::domain::{paris, PerformanceId, TicketNumber};
use app::door::*;
use app::dto::Ts;
use app::ports::{DoorControl, DoorError, Failure};
use async_trait::async_trait;
use moka::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

/// Door tokens are random 24-byte secrets; only their SHA-256 is stored.
fn new_token() -> String {
    new_secret(24)
}

/// Codes longer than any Guichet prints are refused before verifying anything.
const MAX_CODE_LEN: usize = 256;
/// How long a door token's rights are remembered: a revocation takes effect within this time,
/// on every app server.
const TOKEN_TTL: Duration = Duration::from_secs(1);
/// Validity of a door access, in hours.
const ACCESS_HOURS: std::ops::RangeInclusive<i64> = 1..=72;

pub struct DoorService {
    repo: Arc<dyn DoorRepo>,
    catalogue: Arc<dyn CatalogueRepo>,
    cache: Arc<CatalogueCache>,
    board: Arc<SeatBoard>,
    signer: Arc<dyn TicketSigner>,
    clock: Arc<dyn Clock>,
    /// Where door accesses opened by staff are recorded.
    audit: Arc<dyn StaffRepo>,
    tokens: Cache<String, Option<Arc<DoorTokenRow>>>,
}

/// A door access as the CLI lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessInfo {
    pub row: DoorTokenRow,
    pub state: &'static str,
}

fn door_ticket(r: &DoorTicketRow) -> DoorTicket {
    DoorTicket {
        id: r.id,
        number: r.number.to_string(),
        performance_id: r.performance_id,
        title: r.title.clone(),
        starts_at: Ts(r.starts_at),
        seat_label: r
            .seat
            .as_ref()
            .map(|s| s.fr())
            .unwrap_or_else(|| "Placement libre".into()),
        seat: r.seat.clone(),
        tariff: r.tariff_code.clone(),
        tariff_label: r.tariff_label.clone(),
        check_proof: r.proof_required,
        holder_name: r.holder_name.clone(),
        order_reference: r.order_reference.clone(),
    }
}

fn answer(status: ScanStatus, ticket: Option<DoorTicket>) -> ScanResult {
    ScanResult {
        ticket,
        ..ScanResult::bare(status)
    }
}

impl DoorService {
    pub fn new(
        repo: Arc<dyn DoorRepo>,
        catalogue: Arc<dyn CatalogueRepo>,
        cache: Arc<CatalogueCache>,
        board: Arc<SeatBoard>,
        signer: Arc<dyn TicketSigner>,
        clock: Arc<dyn Clock>,
        audit: Arc<dyn StaffRepo>,
    ) -> DoorService {
        DoorService {
            repo,
            catalogue,
            cache,
            board,
            signer,
            clock,
            audit,
            tokens: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(TOKEN_TTL)
                .build(),
        }
    }

    async fn authorise(&self, token: &str) -> Result<Arc<DoorTokenRow>, DoorError> {
        if token.trim().is_empty() || token.len() > 200 {
            return Err(DoorError::Unauthorized);
        }
        let hash = hash_secret(token);
        let row = match self.tokens.get(&hash) {
            Some(row) => row,
            None => {
                let row = self.repo.door_token_by_hash(&hash).await?.map(Arc::new);
                self.tokens.insert(hash, row.clone());
                row
            }
        };
        let row = row.ok_or(DoorError::Unauthorized)?;
        if row.revoked_at.is_some() || row.expires_at <= self.clock.now() {
            return Err(DoorError::Unauthorized);
        }
        Ok(row)
    }

    async fn authorise_for(
        &self,
        token: &str,
        performance_id: i64,
    ) -> Result<Arc<DoorTokenRow>, DoorError> {
        let row = self.authorise(token).await?;
        if !row.performance_ids.contains(&performance_id) {
            return Err(DoorError::NotThisPerformance);
        }
        Ok(row)
    }

    /// The ticket a scan names, or the status that ends the scan at once. A number typed by
    /// hand reaches only the access's own performances: numbers are sequential, so anything
    /// else would let one door access read every buyer of the venue.
    async fn find_ticket(
        &self,
        access: &DoorTokenRow,
        request: &ScanRequest,
    ) -> Result<Result<DoorTicketRow, ScanStatus>, DoorError> {
        match (&request.code, &request.ticket_number) {
            (Some(code), _) => {
                if code.len() > MAX_CODE_LEN {
                    return Ok(Err(ScanStatus::Invalid));
                }
                // The signature first: a forged or damaged code never reaches storage.
                let Some(claims) = self.signer.verify(code) else {
                    return Ok(Err(ScanStatus::Invalid));
                };
                Ok(
                    match self.repo.ticket_by_uid(claims.ticket_id as i64).await? {
                        // A valid signature on a code no longer printed: the ticket was re-issued.
                        Some(row) if row.code != code.trim().to_ascii_uppercase() => {
                            Err(ScanStatus::Revoked)
                        }
                        Some(row) => Ok(row),
                        None => Err(ScanStatus::Invalid),
                    },
                )
            }
            (None, Some(number)) => {
                let Some(number) = TicketNumber::parse(number) else {
                    return Ok(Err(ScanStatus::Invalid));
                };
                Ok(match self.repo.ticket_by_number(&number).await? {
                    Some(row) if access.performance_ids.contains(&row.performance_id) => Ok(row),
                    Some(_) => Err(ScanStatus::WrongPerformance),
                    None => Err(ScanStatus::Invalid),
                })
            }
            (None, None) => Err(DoorError::NothingToScan),
        }
    }

    // --- Administration (CLI; the back office later).

    /// A new door access for these performances, valid `hours`. Returns its id and the token
    /// itself (shown once, stored only hashed).
    pub async fn create_access(
        &self,
        performance_ids: &[i64],
        hours: i64,
        supervisor: bool,
        label: &str,
    ) -> Result<(i64, String), DoorError> {
        if performance_ids.is_empty() {
            return Err(DoorError::NoPerformances);
        }
        if !ACCESS_HOURS.contains(&hours) {
            return Err(DoorError::InvalidValidity);
        }
        for id in performance_ids {
            if self
                .catalogue
                .performance_rules(PerformanceId(*id))
                .await?
                .is_none()
            {
                return Err(DoorError::PerformanceNotFound(*id));
            }
        }
        let token = new_token();
        let now = self.clock.now();
        let id = self
            .repo
            .create_door_token(&NewDoorToken {
                token_hash: hash_secret(&token),
                label: label.to_string(),
                supervisor,
                now,
                expires_at: now + hours * 3600,
                performance_ids: performance_ids.to_vec(),
            })
            .await?;
        Ok((id, token))
    }

    /// Performances (not cancelled) of one Paris calendar day, `YYYY-MM-DD`.
    pub async fn performances_of_day(&self, day: &str) -> Result<Option<Vec<i64>>, Failure> {
        let Some(date) = paris::parse_day(day) else {
            return Ok(None);
        };
        let (from, until) = paris::day_bounds(date);
        Ok(Some(
            self.catalogue.performances_between(from, until).await?,
        ))
    }

    pub async fn accesses(&self) -> Result<Vec<AccessInfo>, Failure> {
        let now = self.clock.now();
        Ok(self
            .repo
            .door_tokens()
            .await?
            .into_iter()
            .map(|row| AccessInfo {
                state: if row.revoked_at.is_some() {
                    "revoked"
                } else if row.expires_at <= now {
                    "expired"
                } else {
                    "active"
                },
                row,
            })
            .collect())
    }

    /// Revokes at once in this process; other processes stop honouring it within
    /// `TOKEN_TTL`. False when unknown or already revoked.
    pub async fn revoke_access(&self, id: i64) -> Result<bool, Failure> {
        let revoked = self.repo.revoke_door_token(id, self.clock.now()).await?;
        self.tokens.invalidate_all();
        Ok(revoked)
    }

    /// Cancels a ticket by its printed number: it stays in its series, recorded as cancelled;
    /// scanners refuse it; its seat is on sale again at once.
    pub async fn cancel_ticket(&self, number: &str) -> Result<DoorTicket, DoorError> {
        let parsed = TicketNumber::parse(number)
            .ok_or_else(|| DoorError::InvalidTicketNumber(number.to_string()))?;
        let row = self
            .repo
            .ticket_by_number(&parsed)
            .await?
            .ok_or(DoorError::TicketNotFound)?;
        let performance = self
            .repo
            .cancel_ticket(row.id, self.clock.now())
            .await?
            .ok_or(DoorError::TicketAlreadyCancelled)?;
        self.board.forget(performance);
        Ok(door_ticket(&row))
    }
}

#[async_trait]
impl DoorControl for DoorService {
    async fn open_door(
        &self,
        actor: &app::staff::Actor,
        request: &app::staff::DoorAccessRequest,
    ) -> Result<app::staff::DoorAccessGranted, DoorError> {
        if !actor.may(app::domain::Permission::ControlDoor) {
            return Err(DoorError::RoleForbidden);
        }
        let mut ids = request.performance_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        let hours = request.hours.unwrap_or(6);
        let label = match &actor.staff {
            Some(s) => s.name.clone(),
            None => "Console".into(),
        };
        let (id, token) = self
            .create_access(&ids, hours, actor.supervisor(), &label)
            .await?;
        self.audit
            .record_audit(&AuditRecord::new(
                self.clock.now(),
                actor,
                "door.open",
                format!("door_access:{id}"),
                serde_json::json!({
                    "performance_ids": ids,
                    "hours": hours,
                    "supervisor": actor.supervisor(),
                }),
            ))
            .await?;
        let access = self.access(&token).await?;
        Ok(app::staff::DoorAccessGranted { token, access })
    }

    async fn access(&self, token: &str) -> Result<DoorAccess, DoorError> {
        let row = self.authorise(token).await?;
        let mut performances = Vec::new();
        for id in &row.performance_ids {
            if let Some(rules) = self.cache.rules(PerformanceId(*id)).await? {
                performances.push(rules.info());
            }
        }
        performances.sort_by_key(|p| p.starts_at);
        Ok(DoorAccess {
            token_id: row.id,
            label: row.label.clone(),
            supervisor: row.supervisor,
            expires_at: Ts(row.expires_at),
            performances,
        })
    }

    async fn scan(&self, token: &str, request: ScanRequest) -> Result<ScanResult, DoorError> {
        let access = self.authorise_for(token, request.performance_id).await?;
        if !valid_nonce(&request.nonce) {
            return Err(DoorError::InvalidNonce);
        }
        let row = match self.find_ticket(&access, &request).await? {
            Ok(found) => found,
            Err(status) => return Ok(ScanResult::bare(status)),
        };
        let ticket = door_ticket(&row);
        let facts = TicketFacts {
            performance_id: row.performance_id,
            cancelled: row.status == TicketStatus::Cancelled,
            order_paid: row.order_paid,
        };
        match check_ticket(request.performance_id, facts) {
            Ok(()) => {}
            Err(ScanStatus::WrongPerformance) => {
                let info = self
                    .cache
                    .rules(PerformanceId(row.performance_id))
                    .await?
                    .map(|r| r.info());
                return Ok(ScanResult {
                    ticket_performance: info,
                    ..answer(ScanStatus::WrongPerformance, Some(ticket))
                });
            }
            Err(status) => return Ok(answer(status, Some(ticket))),
        }
        let now = self.clock.now();
        let device = request
            .device
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .unwrap_or(&access.label);
        let admission = NewAdmission {
            ticket_id: row.id,
            performance: PerformanceId(request.performance_id),
            token_id: access.id,
            device: device.chars().take(80).collect(),
            scanned_at: scan_time(request.scanned_at.map(|t| t.0), now),
            now,
            offline: request.offline,
            nonce: request.nonce.trim().to_string(),
        };
        match self.repo.admit(&admission).await? {
            Admission::Admitted { id } => Ok(ScanResult {
                admission_id: Some(id),
                ..answer(ScanStatus::Valid, Some(ticket))
            }),
            Admission::AlreadyUsed { first } => Ok(ScanResult {
                first_admission: Some(first),
                ..answer(ScanStatus::AlreadyUsed, Some(ticket))
            }),
            Admission::NonceReused => Err(DoorError::NonceReused),
        }
    }

    async fn undo(&self, token: &str, admission_id: i64) -> Result<ScanResult, DoorError> {
        // Who asks first: nothing is looked up for an unknown or non-supervisor access.
        let access = self.authorise(token).await?;
        if !access.supervisor {
            return Err(DoorError::NotSupervisor);
        }
        let performance_id = self
            .repo
            .admission_performance(admission_id)
            .await?
            .ok_or(DoorError::AdmissionNotFound)?;
        if !access.performance_ids.contains(&performance_id) {
            return Err(DoorError::NotThisPerformance);
        }
        if !self
            .repo
            .undo_admission(admission_id, access.id, self.clock.now())
            .await?
        {
            return Err(DoorError::AlreadyUndone);
        }
        Ok(ScanResult {
            message: "Entrée annulée".into(),
            admission_id: Some(admission_id),
            ..ScanResult::bare(ScanStatus::Valid)
        })
    }

    async fn checkin(&self, token: &str, performance_id: i64) -> Result<CheckinReport, DoorError> {
        self.authorise_for(token, performance_id).await?;
        let id = PerformanceId(performance_id);
        let zones = self.repo.checkin_by_zone(id).await?;
        Ok(CheckinReport {
            performance_id,
            admitted: zones.iter().map(|z| z.admitted).sum(),
            expected: zones.iter().map(|z| z.expected).sum(),
            zones,
            conflicts: self
                .repo
                .scan_conflicts(id)
                .await?
                .into_iter()
                .map(|c| ScanConflict {
                    ticket_number: c.number.to_string(),
                    ..c.conflict
                })
                .collect(),
        })
    }

    async fn attendees(
        &self,
        token: &str,
        performance_id: i64,
        query: &str,
    ) -> Result<Vec<Attendee>, DoorError> {
        self.authorise_for(token, performance_id).await?;
        let query = query.trim();
        if query.chars().count() < 2 {
            return Err(DoorError::QueryTooShort);
        }
        // A number typed whole ("TM-PLEIN-000042") or as its last part ("42").
        let number = TicketNumber::parse(query)
            .map(|n| n.number)
            .or_else(|| query.parse::<i64>().ok());
        let q = AttendeeQuery {
            name: query.to_lowercase().replace(['%', '_'], ""),
            reference: query.to_uppercase(),
            number,
        };
        let mut out = Vec::new();
        for row in self
            .repo
            .search_attendees(PerformanceId(performance_id), &q)
            .await?
        {
            let admitted = self.repo.standing_admission(row.id).await?;
            out.push(Attendee {
                status: row.status.as_str().to_string(),
                ticket: door_ticket(&row),
                admitted,
            });
        }
        Ok(out)
    }

    async fn offline_data(
        &self,
        token: &str,
        performance_id: i64,
    ) -> Result<OfflineData, DoorError> {
        self.authorise_for(token, performance_id).await?;
        let id = PerformanceId(performance_id);
        let performance = self
            .cache
            .rules(id)
            .await?
            .ok_or(DoorError::PerformanceNotFound(performance_id))?
            .info();
        let rows = self.repo.performance_tickets(id).await?;
        let revoked = rows
            .iter()
            .filter(|r| r.status != TicketStatus::Valid)
            .map(|r| r.uid.to_string())
            .collect();
        let admitted = self
            .repo
            .admitted_uids(id)
            .await?
            .iter()
            .map(i64::to_string)
            .collect();
        Ok(OfflineData {
            performance,
            keys: self.signer.public_keys(),
            tickets: rows
                .iter()
                .map(|r| OfflineTicket {
                    uid: r.uid.to_string(),
                    status: r.status.as_str().to_string(),
                    ticket: door_ticket(r),
                })
                .collect(),
            revoked,
            admitted,
            generated_at: Ts(self.clock.now()),
        })
    }
}

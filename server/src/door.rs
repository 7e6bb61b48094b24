//! Door control service: implements the `DoorControl` port for the scanner endpoint, the phone
//! scanner page and the CLI. Signatures are checked before anything touches the database.
use crate::cache::TtlCache;
use crate::service::{now, GuichetService};
use crate::storage::{Admission, DoorTicketRow, DoorTokenRow, StoreError};
use app::door::*;
use app::dto::Ts;
use app::error::{AppError, ErrorCode};
use app::ports::DoorControl;
use async_trait::async_trait;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Door tokens are random 32-byte strings; only their SHA-256 is stored.
pub fn hash_token(token: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(token.trim().as_bytes()))
}

pub fn new_token() -> String {
    let bytes: [u8; 24] = rand::random();
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

/// Scans refused before any database work: a code that does not verify.
const MAX_CODE_LEN: usize = 256;

/// How long a door token's rights are remembered: a revocation takes effect within this time.
const TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(5);

pub struct DoorService {
    svc: Arc<GuichetService>,
    tokens: TtlCache<String, Option<DoorTokenRow>>,
}

impl DoorService {
    pub fn new(svc: Arc<GuichetService>) -> DoorService {
        DoorService {
            svc,
            tokens: TtlCache::new(TOKEN_TTL),
        }
    }

    async fn token(&self, token: &str) -> Result<Arc<Option<DoorTokenRow>>, AppError> {
        let hash = hash_token(token);
        if let Some(row) = self.tokens.get(&hash) {
            return Ok(row);
        }
        let row = Arc::new(self.svc.store().door_token_by_hash(&hash).await?);
        self.tokens.put(hash, row.clone());
        Ok(row)
    }

    async fn authorise(&self, token: &str) -> Result<Arc<DoorTokenRow>, AppError> {
        let unauthorised = || {
            AppError::new(
                ErrorCode::Unauthorized,
                "Accès de contrôle invalide ou expiré.",
            )
        };
        if token.is_empty() || token.len() > 200 {
            return Err(unauthorised());
        }
        let row = self.token(token).await?;
        let row = Option::as_ref(&row)
            .cloned()
            .map(Arc::new)
            .ok_or_else(unauthorised)?;
        if row.revoked_at.is_some() || row.expires_at <= now() {
            return Err(unauthorised());
        }
        Ok(row)
    }

    async fn authorise_for(
        &self,
        token: &str,
        performance_id: i64,
    ) -> Result<Arc<DoorTokenRow>, AppError> {
        let row = self.authorise(token).await?;
        if !row.performance_ids.contains(&performance_id) {
            return Err(AppError::new(
                ErrorCode::Forbidden,
                "Cet accès ne couvre pas cette séance.",
            ));
        }
        Ok(row)
    }

    /// Administration: a new door access for these performances, valid `hours`. Returns the
    /// token id and the token itself (shown once, stored only hashed).
    pub async fn create_access(
        &self,
        performance_ids: &[i64],
        hours: i64,
        supervisor: bool,
        label: &str,
    ) -> Result<(i64, String), AppError> {
        if performance_ids.is_empty() {
            return Err(AppError::validation("Aucune séance pour cet accès."));
        }
        if !(1..=72).contains(&hours) {
            return Err(AppError::validation(
                "Durée de validité : de 1 à 72 heures.",
            ));
        }
        for id in performance_ids {
            if let Err(StoreError::NotFound(_)) = self.svc.store().performance_rules(*id).await {
                return Err(AppError::not_found(format!("Séance {id} introuvable.")));
            }
        }
        let token = new_token();
        let now = now();
        let id = self
            .svc
            .store()
            .create_door_token(
                &hash_token(&token),
                label,
                supervisor,
                now,
                now + hours * 3600,
                performance_ids,
            )
            .await?;
        Ok((id, token))
    }

    pub async fn revoke_access(&self, id: i64) -> Result<bool, AppError> {
        let revoked = self.svc.store().revoke_door_token(id, now()).await?;
        self.tokens.clear();
        Ok(revoked)
    }

    /// Administration: cancels a ticket by its printed number. Its number stays in the series,
    /// recorded as cancelled; scanners refuse it; its seat is on sale again.
    pub async fn cancel_ticket(&self, number: &str) -> Result<DoorTicket, AppError> {
        let (venue, tariff, n) = Self::parse_number(number)
            .ok_or_else(|| AppError::validation(format!("Numéro de billet invalide : {number}")))?;
        let row = self
            .svc
            .store()
            .door_ticket_by_number(&venue, &tariff, n)
            .await?
            .ok_or_else(|| AppError::not_found("Billet introuvable."))?;
        if !self.svc.store().cancel_ticket(row.ticket.id, now()).await? {
            return Err(AppError::conflict("Ce billet est déjà annulé."));
        }
        // Its seat is on sale again: the seat maps must show it at once.
        self.svc.claims_changed(row.ticket.performance_id);
        Ok(row.ticket)
    }

    fn answer(status: ScanStatus, ticket: Option<DoorTicket>) -> ScanResult {
        ScanResult {
            ticket,
            ..ScanResult::bare(status)
        }
    }

    /// "TM-PLEIN-000042" → (venue code, tariff code, number)
    fn parse_number(raw: &str) -> Option<(String, String, i64)> {
        let mut parts = raw.trim().rsplitn(3, '-');
        let number = parts.next()?.parse().ok()?;
        let tariff = parts.next()?.to_lowercase();
        let venue = parts.next()?.to_uppercase();
        Some((venue, tariff, number))
    }

    async fn find_ticket(
        &self,
        request: &ScanRequest,
    ) -> Result<Result<DoorTicketRow, ScanStatus>, AppError> {
        match (&request.code, &request.ticket_number) {
            (Some(code), _) => {
                if code.len() > MAX_CODE_LEN {
                    return Ok(Err(ScanStatus::Invalid));
                }
                let Ok(claims) = self.svc.signer().keyring().verify(code) else {
                    return Ok(Err(ScanStatus::Invalid));
                };
                let row = self
                    .svc
                    .store()
                    .door_ticket_by_uid(claims.ticket_id as i64)
                    .await?;
                Ok(match row {
                    // A valid signature on a code we no longer print: the ticket was re-issued.
                    Some(row) if row.code != code.trim().to_ascii_uppercase() => {
                        Err(ScanStatus::Revoked)
                    }
                    Some(row) => Ok(row),
                    None => Err(ScanStatus::Invalid),
                })
            }
            (None, Some(number)) => {
                let Some((venue, tariff, n)) = Self::parse_number(number) else {
                    return Ok(Err(ScanStatus::Invalid));
                };
                Ok(self
                    .svc
                    .store()
                    .door_ticket_by_number(&venue, &tariff, n)
                    .await?
                    .ok_or(ScanStatus::Invalid))
            }
            (None, None) => Err(AppError::validation(
                "Indiquez un code scanné ou un numéro de billet.",
            )),
        }
    }
}

#[async_trait]
impl DoorControl for DoorService {
    async fn access(&self, token: &str) -> Result<DoorAccess, AppError> {
        let row = self.authorise(token).await?;
        let mut performances = Vec::new();
        for id in &row.performance_ids {
            if let Ok(rules) = self.svc.store().performance_rules(*id).await {
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

    async fn scan(&self, token: &str, request: ScanRequest) -> Result<ScanResult, AppError> {
        let access = self.authorise_for(token, request.performance_id).await?;
        let nonce = request.nonce.trim();
        if nonce.is_empty() || nonce.len() > 100 {
            return Err(AppError::validation(
                "nonce manquant ou trop long (100 caractères au plus).",
            ));
        }
        let row = match self.find_ticket(&request).await? {
            Ok(found) => found,
            Err(status) => return Ok(ScanResult::bare(status)),
        };
        let ticket = row.ticket.clone();
        if ticket.performance_id != request.performance_id {
            let info = self
                .svc
                .store()
                .performance_rules(ticket.performance_id)
                .await
                .ok()
                .map(|r| r.info());
            return Ok(ScanResult {
                ticket_performance: info,
                ..Self::answer(ScanStatus::WrongPerformance, Some(ticket))
            });
        }
        if row.status != "valid" {
            return Ok(Self::answer(ScanStatus::Cancelled, Some(ticket)));
        }
        if row.order_status != "paid" {
            return Ok(Self::answer(ScanStatus::Unpaid, Some(ticket)));
        }
        let now = now();
        // A device clock far in the future is not trusted.
        let scanned_at = request.scanned_at.map(|t| t.0.min(now)).unwrap_or(now);
        let device = request
            .device
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .unwrap_or(&access.label);
        let device: String = device.chars().take(80).collect();
        match self
            .svc
            .store()
            .admit(
                ticket.id,
                request.performance_id,
                access.id,
                &device,
                scanned_at,
                now,
                request.offline,
                nonce,
            )
            .await?
        {
            Admission::Admitted { id } => Ok(ScanResult {
                admission_id: Some(id),
                ..Self::answer(ScanStatus::Valid, Some(ticket))
            }),
            Admission::AlreadyUsed { first } => Ok(ScanResult {
                first_admission: Some(first),
                ..Self::answer(ScanStatus::AlreadyUsed, Some(ticket))
            }),
            Admission::NonceReused => Err(AppError::conflict(
                "Ce nonce a déjà servi pour un autre billet.",
            )),
        }
    }

    async fn undo(&self, token: &str, admission_id: i64) -> Result<ScanResult, AppError> {
        let performance_id = match self.svc.store().admission_performance(admission_id).await {
            Err(StoreError::NotFound(_)) => return Err(AppError::not_found("Entrée introuvable.")),
            other => other?,
        };
        let access = self.authorise_for(token, performance_id).await?;
        if !access.supervisor {
            return Err(AppError::new(
                ErrorCode::Forbidden,
                "Seul un appareil superviseur peut annuler une entrée.",
            ));
        }
        match self
            .svc
            .store()
            .undo_admission(admission_id, access.id, now())
            .await?
        {
            Some(_) => Ok(ScanResult {
                message: "Entrée annulée".into(),
                admission_id: Some(admission_id),
                ..ScanResult::bare(ScanStatus::Valid)
            }),
            None => Err(AppError::conflict("Cette entrée est déjà annulée.")),
        }
    }

    async fn checkin(&self, token: &str, performance_id: i64) -> Result<CheckinReport, AppError> {
        self.authorise_for(token, performance_id).await?;
        let zones = self.svc.store().checkin_by_zone(performance_id).await?;
        Ok(CheckinReport {
            performance_id,
            admitted: zones.iter().map(|z| z.admitted).sum(),
            expected: zones.iter().map(|z| z.expected).sum(),
            zones,
            conflicts: self.svc.store().scan_conflicts(performance_id).await?,
        })
    }

    async fn attendees(
        &self,
        token: &str,
        performance_id: i64,
        query: &str,
    ) -> Result<Vec<Attendee>, AppError> {
        self.authorise_for(token, performance_id).await?;
        let query = query.trim();
        if query.chars().count() < 2 {
            return Err(AppError::validation("Tapez au moins deux caractères."));
        }
        let mut out = Vec::new();
        for row in self
            .svc
            .store()
            .search_attendees(performance_id, query)
            .await?
        {
            let admitted = self.svc.store().standing_admission(row.ticket.id).await?;
            out.push(Attendee {
                status: row.status,
                ticket: row.ticket,
                admitted,
            });
        }
        Ok(out)
    }

    async fn offline_data(
        &self,
        token: &str,
        performance_id: i64,
    ) -> Result<OfflineData, AppError> {
        self.authorise_for(token, performance_id).await?;
        let performance = self
            .svc
            .store()
            .performance_rules(performance_id)
            .await?
            .info();
        let rows = self.svc.store().performance_tickets(performance_id).await?;
        let revoked = rows
            .iter()
            .filter(|r| r.status != "valid")
            .map(|r| r.uid.to_string())
            .collect();
        let admitted = self
            .svc
            .store()
            .admitted_uids(performance_id)
            .await?
            .iter()
            .map(i64::to_string)
            .collect();
        Ok(OfflineData {
            performance,
            keys: self.svc.signer().public_keys(),
            tickets: rows
                .into_iter()
                .map(|r| OfflineTicket {
                    uid: r.uid.to_string(),
                    status: r.status,
                    ticket: r.ticket,
                })
                .collect(),
            revoked,
            admitted,
            generated_at: Ts(now()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_parse() {
        assert_eq!(
            DoorService::parse_number("TM-PLEIN-000042"),
            Some(("TM".into(), "plein".into(), 42))
        );
        assert_eq!(
            DoorService::parse_number(" cr-moins26-7 "),
            Some(("CR".into(), "moins26".into(), 7))
        );
        assert_eq!(DoorService::parse_number("42"), None);
        assert_eq!(DoorService::parse_number("TM-PLEIN-abc"), None);
    }

    #[test]
    fn tokens_are_hashed() {
        let t = new_token();
        assert_eq!(t.len(), 32);
        assert_eq!(hash_token(&t), hash_token(&format!(" {t} ")));
        assert_ne!(hash_token(&t), hash_token(&new_token()));
    }
}

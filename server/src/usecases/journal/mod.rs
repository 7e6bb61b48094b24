//! The cash journal's life after its entries: closures (Z reports of days, months and years,
//! chained like any entry, with the cash counted at each desk), the verification of both
//! journals, and signed archives of closed periods. Days, months and years that have ended are
//! also closed by themselves (`close_ended`), so that no period stays open for want of a
//! click.
#[cfg(test)]
mod tests;

use crate::ports::*;
use app::box_office::*;
use app::domain::journal::{
    archive, ClosureTotals, Draft, Entry, EntryKind, Frequency, Period, TechKind, Verifier,
};
use app::domain::{paris, Permission};
use app::dto::Ts;
use app::ports::{CashJournal, JournalError, SignedArchive};
use app::staff::Actor;
use async_trait::async_trait;
use std::sync::Arc;

/// Entries read at a time when the journal is verified or archived.
const PAGE: i64 = 10_000;
/// Who writes the closures nobody asked for.
const AUTOMATIC: &str = "clôture automatique";

pub struct JournalService {
    repo: Arc<dyn JournalRepo>,
    signer: Arc<dyn TicketSigner>,
    renderer: Arc<dyn TicketRenderer>,
    clock: Arc<dyn Clock>,
}

/// A closure entry as the box office reads it.
pub fn report(entry: &Entry) -> Option<ClosureReport> {
    let c = entry.closure.as_ref()?;
    Some(report_of(c, entry.at, entry.seq, &entry.hash))
}

/// Totals as the box office reads them; `seq` 0 and no hash for a reading (not written).
fn report_of(
    c: &app::domain::journal::ClosureTotals,
    at: i64,
    seq: i64,
    hash: &str,
) -> ClosureReport {
    ClosureReport {
        period: c.period.to_string(),
        from: Ts(c.from),
        until: Ts(c.until),
        closed_at: Ts(at),
        seq,
        hash: hash.to_string(),
        entries: c.sums.entries,
        totals_by_method: c
            .sums
            .totals_by_method
            .iter()
            .map(|(m, cents)| (m.as_str().to_string(), *cents))
            .collect(),
        totals_by_tariff: c
            .sums
            .totals_by_tariff
            .iter()
            .map(|(t, v)| {
                (
                    t.clone(),
                    CountAndCents {
                        count: v.count,
                        cents: v.cents,
                    },
                )
            })
            .collect(),
        totals_by_vat_rate: c
            .sums
            .totals_by_vat_rate
            .iter()
            .map(|(rate, v)| {
                (
                    rate.to_string(),
                    VatAmounts {
                        base_cents: v.base_cents,
                        vat_cents: v.vat_cents,
                    },
                )
            })
            .collect(),
        tickets_sold: c.sums.tickets_sold,
        tickets_cancelled: c.sums.tickets_cancelled,
        period_total_cents: c.sums.period_total_cents,
        cumulative_total_cents: c.cumulative_total_cents,
        cash: c
            .cash
            .iter()
            .map(|d| DeskCash {
                desk: d.desk.clone(),
                opening_float_cents: d.opening_float_cents,
                expected_cents: d.expected_cents,
                counted_cents: d.counted_cents,
                difference_cents: d.difference_cents,
            })
            .collect(),
    }
}

/// The period a request names: `day`/`month`/`year` with a date, or the last one ended.
fn period_of(request: &CloseRequest, now: i64) -> Result<Period, JournalError> {
    let bad = || JournalError::InvalidPeriod(request.period.clone());
    let frequency = match request.period.trim() {
        "day" => Frequency::Daily,
        "month" => Frequency::Monthly,
        "year" => Frequency::Yearly,
        _ => return Err(bad()),
    };
    match request.date.as_deref().map(str::trim) {
        Some(date) if !date.is_empty() => {
            let p =
                Period::parse(date).ok_or_else(|| JournalError::InvalidPeriod(date.to_string()))?;
            let same = matches!(
                (frequency, &p),
                (Frequency::Daily, Period::Day(_))
                    | (Frequency::Monthly, Period::Month(..))
                    | (Frequency::Yearly, Period::Year(_))
            );
            if same {
                Ok(p)
            } else {
                Err(JournalError::InvalidPeriod(date.to_string()))
            }
        }
        // The period before the one running now.
        _ => {
            let (from, _) = Period::of(frequency, now).bounds().ok_or_else(bad)?;
            Ok(Period::of(frequency, from - 1))
        }
    }
}

fn closure_ref(period: &Period) -> String {
    format!("Z-{period}")
}

impl JournalService {
    pub fn new(
        repo: Arc<dyn JournalRepo>,
        signer: Arc<dyn TicketSigner>,
        renderer: Arc<dyn TicketRenderer>,
        clock: Arc<dyn Clock>,
    ) -> JournalService {
        JournalService {
            repo,
            signer,
            renderer,
            clock,
        }
    }

    fn supervisor(actor: &Actor) -> Result<(), JournalError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(JournalError::Forbidden);
        }
        if !actor.supervisor() {
            return Err(JournalError::SupervisorOnly);
        }
        Ok(())
    }

    /// Writes the closure of an ended period, from its entries and the cash counted.
    async fn write_closure(
        &self,
        period: Period,
        agent: &str,
    ) -> Result<ClosureReport, JournalError> {
        let now = self.clock.now();
        let label = period.to_string();
        let (from, until) = period
            .bounds()
            .ok_or_else(|| JournalError::InvalidPeriod(label.clone()))?;
        if now < until {
            return Err(JournalError::NotOver(label));
        }
        if self
            .repo
            .entry_by_ref(&closure_ref(&period))
            .await?
            .is_some()
        {
            return Err(JournalError::AlreadyClosed(label));
        }
        let entries = self.repo.entries_between(from, until).await?;
        let counted = match period {
            Period::Day(d) => self.repo.cash_counts(&d.to_string()).await?,
            _ => Vec::new(),
        };
        let totals = ClosureTotals::compute(period, &entries, &counted)
            .ok_or_else(|| JournalError::InvalidPeriod(label.clone()))?;
        let entry = match self
            .repo
            .append(Draft::closure(now, "guichet", agent, totals))
            .await
        {
            Ok(entry) => entry,
            // Another server closed it meanwhile (one closure per period: a unique index).
            Err(_)
                if self
                    .repo
                    .entry_by_ref(&closure_ref(&period))
                    .await?
                    .is_some() =>
            {
                return Err(JournalError::AlreadyClosed(label))
            }
            Err(e) => return Err(e.into()),
        };
        report(&entry).ok_or(JournalError::InvalidPeriod(label))
    }

    /// Closes every day, month and year that has ended since the journal's first entry and is
    /// not closed yet (the background task, and before an archive). Returns how many.
    pub async fn close_ended(&self) -> Result<usize, JournalError> {
        let Some(first) = self.repo.entries_after(0, 1).await?.into_iter().next() else {
            return Ok(0);
        };
        let Ok(first) = first else { return Ok(0) };
        let now = self.clock.now();
        let mut closed = 0;
        for frequency in [Frequency::Daily, Frequency::Monthly, Frequency::Yearly] {
            let mut period = Period::of(frequency, first.at);
            while let Some((_, until)) = period.bounds() {
                if until > now {
                    break;
                }
                match self.write_closure(period, AUTOMATIC).await {
                    Ok(_) => closed += 1,
                    Err(JournalError::AlreadyClosed(_)) => {}
                    Err(e) => return Err(e),
                }
                period = Period::of(frequency, until);
            }
        }
        Ok(closed)
    }

    /// Records a technical event (start-up, shutdown, an error, an archive…).
    pub async fn event(&self, kind: TechKind, detail: &str) -> Result<(), Failure> {
        self.repo
            .append_tech(self.clock.now(), kind, detail)
            .await
            .map(|_| ())
    }

    /// Reads both journals whole, page by page (constant memory).
    pub async fn verify(&self) -> Result<JournalCheck, Failure> {
        let mut check = JournalCheck {
            ok: true,
            entries: 0,
            closures: 0,
            events: 0,
            broken: None,
        };
        let mut verifier = Verifier::new();
        let mut after = 0;
        'cash: loop {
            let page = self.repo.entries_after(after, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for row in page {
                let entry = match row {
                    Ok(e) => e,
                    Err(seq) => {
                        check.ok = false;
                        check.broken = Some(format!(
                            "Écriture n° {seq} : illisible (modifiée hors de Guichet)"
                        ));
                        break 'cash;
                    }
                };
                after = entry.seq;
                if let Err(broken) = verifier.push(&entry) {
                    check.ok = false;
                    check.broken = Some(broken.fr());
                    break 'cash;
                }
            }
        }
        if check.ok {
            let summary = verifier.finish();
            check.entries = summary.entries;
            check.closures = summary.closures;
        }
        let mut events = app::domain::journal::TechVerifier::after(None);
        let mut after = 0;
        'tech: loop {
            let page = self.repo.tech_after(after, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for row in page {
                let event = match row {
                    Ok(e) => e,
                    Err(seq) => {
                        check.ok = false;
                        check.broken.get_or_insert_with(|| {
                            format!("Événement technique n° {seq} : illisible")
                        });
                        break 'tech;
                    }
                };
                after = event.seq;
                if let Err(broken) = events.push(&event) {
                    check.ok = false;
                    check.broken.get_or_insert_with(|| broken.fr());
                    break 'tech;
                }
                check.events += 1;
            }
        }
        Ok(check)
    }

    /// The archive of a closed period: its entries up to and with its closure, after the
    /// entry before the first (so a reader can check the first link), and its signature.
    pub async fn signed_archive(&self, period: Period) -> Result<SignedArchive, JournalError> {
        let label = period.to_string();
        let closure = self
            .repo
            .entry_by_ref(&closure_ref(&period))
            .await?
            .ok_or_else(|| JournalError::NotClosed(label.clone()))?;
        let (from, _) = period
            .bounds()
            .ok_or_else(|| JournalError::InvalidPeriod(label.clone()))?;
        let mut entries: Vec<Entry> = self
            .repo
            .entries_between(from, closure.at + 1)
            .await?
            .into_iter()
            .filter(|e| e.seq <= closure.seq)
            .collect();
        entries.sort_by_key(|e| e.seq);
        let first = entries.first().map_or(closure.seq, |e| e.seq);
        let before = if first > 1 {
            self.repo
                .entries_after(first - 2, 1)
                .await?
                .into_iter()
                .next()
                .and_then(Result::ok)
                .map(|e| app::domain::journal::Head::of(&e))
        } else {
            None
        };
        let header = archive::Header {
            after: before,
            // The closure's time: the same period gives the same archive, and signature.
            created_at: closure.at,
            period: Some(period),
            software: format!("guichet {}", env!("CARGO_PKG_VERSION")),
        };
        let bytes = archive::write(&header, &entries);
        let (key_id, signature) = self.signer.sign_bytes(&archive::signing_message(&bytes));
        let signature = serde_json::json!({
            "archive": format!("journal-{label}.jsonl"),
            "sha256": archive::digest_hex(&bytes),
            "algorithm": "ed25519",
            "key_id": key_id,
            "signature": data_encoding::BASE64.encode(&signature),
            "signs": "b\"guichet/journal-archive/v1\" followed by the archive's SHA-256",
        })
        .to_string();
        Ok(SignedArchive {
            file_name: format!("journal-{label}.jsonl"),
            bytes,
            signature,
        })
    }

    /// Checks an archive file and, when given, its detached signature: the archive's entries
    /// chain from its header's head, and the signature is the keyring's over its digest.
    pub fn check_archive(&self, bytes: &[u8], signature: Option<&str>) -> Result<String, String> {
        let summary = archive::verify_cash(bytes)
            .map(|(_, s)| s)
            .map_err(|fault| fault.fr())?;
        if let Some(sig) = signature {
            let doc: serde_json::Value =
                serde_json::from_str(sig).map_err(|e| format!("signature illisible : {e}"))?;
            let key_id = doc["key_id"].as_u64().unwrap_or(0) as u8;
            let raw = doc["signature"]
                .as_str()
                .and_then(|s| data_encoding::BASE64.decode(s.as_bytes()).ok())
                .ok_or("signature illisible")?;
            if !self
                .signer
                .verify_bytes(key_id, &archive::signing_message(bytes), &raw)
            {
                return Err("la signature ne correspond pas à l'archive".into());
            }
        }
        Ok(format!(
            "{} écriture(s), {} clôture(s) vérifiée(s)",
            summary.entries, summary.closures
        ))
    }
}

#[async_trait]
impl CashJournal for JournalService {
    async fn close(
        &self,
        actor: &Actor,
        request: &CloseRequest,
    ) -> Result<ClosureReport, JournalError> {
        Self::supervisor(actor)?;
        let period = period_of(request, self.clock.now())?;
        let agent = actor.agent();
        self.write_closure(period, &agent).await
    }

    async fn reading(
        &self,
        actor: &Actor,
        request: &CloseRequest,
    ) -> Result<ClosureReport, JournalError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(JournalError::Forbidden);
        }
        let now = self.clock.now();
        let period = match request.date.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => period_of(request, now)?,
            // The period running now.
            _ => {
                let frequency = match request.period.trim() {
                    "day" => Frequency::Daily,
                    "month" => Frequency::Monthly,
                    "year" => Frequency::Yearly,
                    _ => return Err(JournalError::InvalidPeriod(request.period.clone())),
                };
                Period::of(frequency, now)
            }
        };
        let label = period.to_string();
        let (from, until) = period
            .bounds()
            .ok_or_else(|| JournalError::InvalidPeriod(label.clone()))?;
        let entries = self.repo.entries_between(from, until.min(now + 1)).await?;
        let counted = match period {
            Period::Day(d) => self.repo.cash_counts(&d.to_string()).await?,
            _ => Vec::new(),
        };
        let mut totals = ClosureTotals::compute(period, &entries, &counted)
            .ok_or(JournalError::InvalidPeriod(label))?;
        totals.cumulative_total_cents = self
            .repo
            .last_entry()
            .await?
            .map_or(0, |e| e.perpetual_total_cents);
        Ok(report_of(&totals, now, 0, ""))
    }

    async fn closures(&self, actor: &Actor) -> Result<Vec<ClosureReport>, JournalError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(JournalError::Forbidden);
        }
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let page = self.repo.entries_after(after, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for e in page.into_iter().flatten() {
                after = e.seq;
                if e.kind == EntryKind::Closure {
                    out.extend(report(&e));
                }
            }
        }
        out.reverse();
        Ok(out)
    }

    async fn count_cash(
        &self,
        actor: &Actor,
        request: &CashCountRequest,
    ) -> Result<(), JournalError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(JournalError::Forbidden);
        }
        let desk = request.desk.trim();
        if desk.is_empty()
            || desk.chars().count() > 40
            || request.opening_float_cents < 0
            || request.counted_cents < 0
        {
            return Err(JournalError::InvalidCount);
        }
        let now = self.clock.now();
        let day = match request.day.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => paris::parse_day(d)
                .ok_or_else(|| JournalError::InvalidPeriod(d.to_string()))?
                .to_string(),
            _ => paris::day_key(now),
        };
        if self.repo.entry_by_ref(&format!("Z-{day}")).await?.is_some() {
            return Err(JournalError::AlreadyClosed(day));
        }
        let agent = actor.agent();
        let count = app::domain::journal::CashCounted {
            desk: desk.to_string(),
            opening_float_cents: request.opening_float_cents,
            counted_cents: request.counted_cents,
        };
        self.repo
            .record_cash_count(&day, &count, &agent, now)
            .await?;
        Ok(())
    }

    async fn check(&self, actor: &Actor) -> Result<JournalCheck, JournalError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(JournalError::Forbidden);
        }
        let check = self.verify().await?;
        let detail = match &check.broken {
            None => format!("{} écriture(s) vérifiée(s)", check.entries),
            Some(b) => format!("ÉCHEC : {b}"),
        };
        self.event(TechKind::IntegrityCheck, &detail).await?;
        Ok(check)
    }

    async fn closure_pdf(&self, actor: &Actor, period: &str) -> Result<Vec<u8>, JournalError> {
        if !actor.may(Permission::SellAtCounter) {
            return Err(JournalError::Forbidden);
        }
        let period = Period::parse(period.trim())
            .ok_or_else(|| JournalError::InvalidPeriod(period.into()))?;
        let closure = self
            .repo
            .entry_by_ref(&closure_ref(&period))
            .await?
            .as_ref()
            .and_then(report)
            .ok_or_else(|| JournalError::NotClosed(period.to_string()))?;
        self.renderer
            .closure_pdf(closure)
            .await
            .map_err(|e| JournalError::Failure(Failure::Internal(format!("Z report PDF: {e}"))))
    }

    async fn archive(&self, actor: &Actor, period: &str) -> Result<SignedArchive, JournalError> {
        Self::supervisor(actor)?;
        let period = Period::parse(period.trim())
            .ok_or_else(|| JournalError::InvalidPeriod(period.into()))?;
        let archive = self.signed_archive(period).await?;
        let who = actor.agent();
        self.event(
            TechKind::Archive,
            &format!("archive {} exportée par {who}", archive.file_name),
        )
        .await?;
        Ok(archive)
    }
}

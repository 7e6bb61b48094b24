//! The back office's programme: shows, performances one by one or recurring with their price
//! grids, and their settings (publishing, sale window). Everything is parsed and checked before
//! anything is written, and a batch of performances is written whole or not at all.
mod shows;
mod tariffs;
#[cfg(test)]
mod tests;

use crate::ports::*;
use crate::usecases::booking::SeatBoard;
use crate::usecases::catalogue::{CatalogueCache, CatalogueService};
use app::admin::*;
use app::domain::plan::{pretix, Located, Plan, PlanCategory, PlanSeat, PlanStage};
use app::domain::{paris, PerformanceId, Permission};
use app::dto::{ShowKind, Ts};
use app::ports::{ProgrammeAdmin, ProgrammeError};
use app::staff::Actor;
use async_trait::async_trait;
use serde_json::json;
use std::sync::Arc;

const MAX_TITLE_CHARS: usize = 200;
const DURATION_MIN: std::ops::RangeInclusive<i64> = 1..=600;
const HOLD_MINUTES: std::ops::RangeInclusive<i64> = 5..=60;
const MAX_SEATS: std::ops::RangeInclusive<i64> = 1..=50;
const CAPACITY: std::ops::RangeInclusive<i64> = 1..=10_000;
const PRICE_CENTS: std::ops::RangeInclusive<i64> = 0..=100_000;

pub struct ProgrammeService {
    repo: Arc<dyn ProgrammeRepo>,
    catalogue: Arc<dyn CatalogueRepo>,
    cache: Arc<CatalogueCache>,
    listings: Arc<CatalogueService>,
    /// Seat states a cancellation frees.
    board: Arc<SeatBoard>,
    clock: Arc<dyn Clock>,
}

fn instant(raw: &str) -> Result<i64, ProgrammeError> {
    chrono::DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.timestamp())
        .map_err(|_| ProgrammeError::InvalidInstant(raw.to_string()))
}

fn parse_name(raw: &str) -> Result<String, ProgrammeError> {
    app::domain::name::parse_name(raw, app::domain::name::MAX_NAME_CHARS)
        .ok_or(ProgrammeError::InvalidName)
}

/// A checked plan as the storage takes it. Categories keep the number the hall already gave
/// their label (prices of existing performances are by category), new ones come after.
fn new_hall(name: String, plan: &Plan, existing: &[CategoryRow]) -> NewHall {
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    let mut next = existing.iter().map(|c| c.number).max().unwrap_or(0);
    let numbers: Vec<i64> = plan
        .categories
        .iter()
        .map(
            |c| match existing.iter().find(|e| same(&e.label, &c.label)) {
                Some(e) => e.number,
                None => {
                    next += 1;
                    next
                }
            },
        )
        .collect();
    let number = |label: &str| {
        plan.categories
            .iter()
            .position(|c| c.label == label)
            .map_or(1, |i| numbers[i])
    };
    NewHall {
        name,
        width: plan.width,
        height: plan.height,
        stage: (plan.stage.x, plan.stage.y, plan.stage.w, plan.stage.h),
        stage_label: plan.stage.label.clone(),
        zones: plan.zones.clone(),
        categories: plan
            .categories
            .iter()
            .zip(&numbers)
            .map(|(c, n)| NewCategory {
                number: *n,
                label: c.label.clone(),
                color: c.color.clone(),
            })
            .collect(),
        seats: plan
            .seats
            .iter()
            .map(|s| NewSeat {
                zone: s.zone.clone(),
                category: number(&s.category),
                row: s.row.clone(),
                number: s.number,
                x: s.x,
                y: s.y,
                accessible: s.accessible,
                companion: s.companion,
                restricted_view: s.restricted_view,
                blocked: s.blocked,
                block_reason: s.block_reason,
            })
            .collect(),
    }
}

/// A film's report fields, parsed; other kinds of show have none (given one is refused).
fn film(
    kind: ShowKind,
    request: &NewShowRequest,
) -> Result<Option<app::domain::film::Film>, ProgrammeError> {
    use app::domain::film::{Film, FilmVersion, Visa};
    let given = request.visa.is_some()
        || request.distributor.is_some()
        || request.version.is_some()
        || request.three_d.is_some();
    if kind != ShowKind::Cinema {
        return if given {
            Err(ProgrammeError::FilmFieldsNotFilm)
        } else {
            Ok(None)
        };
    }
    fn blank(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    let visa = blank(&request.visa)
        .map(|v| Visa::parse(v).ok_or_else(|| ProgrammeError::InvalidVisa(v.to_string())))
        .transpose()?;
    let version = blank(&request.version)
        .map(|v| FilmVersion::parse(v).ok_or_else(|| ProgrammeError::InvalidVersion(v.to_string())))
        .transpose()?;
    let distributor = match blank(&request.distributor) {
        Some(d) => app::domain::name::parse_name(d, app::domain::name::MAX_NAME_CHARS)
            .ok_or(ProgrammeError::InvalidName)?,
        None => String::new(),
    };
    Ok(Some(Film {
        visa,
        distributor,
        version,
        three_d: request.three_d.unwrap_or(false),
    }))
}

/// Which channels sell a performance: (online, at the box office); both by default.
fn channels(given: Option<&[String]>) -> Result<(bool, bool), ProgrammeError> {
    let Some(given) = given else {
        return Ok((true, true));
    };
    let (mut online, mut counter) = (false, false);
    for c in given {
        match c.trim() {
            "online" => online = true,
            "box_office" => counter = true,
            other => return Err(ProgrammeError::UnknownChannel(other.to_string())),
        }
    }
    if !(online || counter) {
        return Err(ProgrammeError::NoChannel);
    }
    Ok((online, counter))
}

fn refused(problems: &[Located]) -> ProgrammeError {
    let first = |f: fn(&Located) -> String| {
        let mut text: Vec<String> = problems.iter().take(5).map(f).collect();
        if problems.len() > 5 {
            text.push("…".into());
        }
        text.join(" ; ")
    };
    ProgrammeError::InvalidPlan {
        count: problems.len() as i64,
        first_fr: first(Located::fr),
        first_en: first(Located::en),
    }
}

/// An empty plan: a general-admission hall.
fn no_seats(width: i64, height: i64) -> Plan {
    Plan {
        width,
        height,
        stage: PlanStage {
            x: 0,
            y: 0,
            w: width,
            h: 40,
            label: "Scène".into(),
        },
        zones: Vec::new(),
        categories: Vec::new(),
        seats: Vec::new(),
    }
}

fn family(raw: &str) -> Result<app::domain::tariff::TariffFamily, ProgrammeError> {
    app::domain::tariff::TariffFamily::parse(raw)
        .ok_or_else(|| ProgrammeError::UnknownFamily(raw.to_string()))
}

fn tariff_view(t: &NewTariff) -> TariffAdmin {
    TariffAdmin {
        code: t.code.clone(),
        label_fr: t.label_fr.clone(),
        label_en: t.label_en.clone(),
        family: app::domain::tariff::TariffFamily::parse(&t.family)
            .unwrap_or(app::domain::tariff::TariffFamily::Autre),
        proof_required: t.proof_required,
        position: t.position,
    }
}

fn buyer(b: BuyerRow) -> PerformanceBuyer {
    PerformanceBuyer {
        order_id: b.order_id,
        reference: b.reference,
        name: b.name,
        email: b.email,
        total_cents: b.total_cents,
        tickets: b.tickets,
        refund_due: b.refund_due,
    }
}

fn admin_view(r: &PerformanceRules) -> PerformanceAdmin {
    PerformanceAdmin {
        id: r.id,
        show_id: r.show_id,
        hall_id: r.hall_id,
        starts_at: Ts(r.starts_at),
        sale_opens_at: Ts(r.sale_opens_at),
        sale_closes_at: Ts(r.sale_closes_at),
        hold_minutes: r.hold_seconds / 60,
        max_seats_per_order: r.max_seats_per_order,
        published: r.published,
        cancelled: r.cancelled,
        sold_online: r.sold_online,
    }
}

impl ProgrammeService {
    pub fn new(
        repo: Arc<dyn ProgrammeRepo>,
        catalogue: Arc<dyn CatalogueRepo>,
        cache: Arc<CatalogueCache>,
        listings: Arc<CatalogueService>,
        board: Arc<SeatBoard>,
        clock: Arc<dyn Clock>,
    ) -> ProgrammeService {
        ProgrammeService {
            repo,
            catalogue,
            cache,
            listings,
            board,
            clock,
        }
    }

    fn require(actor: &Actor) -> Result<(), ProgrammeError> {
        if actor.may(Permission::ManageProgramme) {
            Ok(())
        } else {
            Err(ProgrammeError::Forbidden)
        }
    }

    fn record(
        &self,
        actor: &Actor,
        action: &'static str,
        subject: String,
        detail: serde_json::Value,
    ) -> AuditRecord {
        AuditRecord::new(self.clock.now(), actor, action, subject, detail)
    }

    /// The start instants a request names, sorted, each in the future.
    fn starts(&self, request: &PerformancesRequest) -> Result<Vec<i64>, ProgrammeError> {
        let mut starts = request
            .starts_at
            .iter()
            .map(|s| instant(s))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(r) = &request.recurrence {
            starts.extend(r.instants().map_err(ProgrammeError::Recurrence)?);
        }
        starts.sort_unstable();
        starts.dedup();
        if starts.is_empty() {
            return Err(ProgrammeError::NoStart);
        }
        if starts.len() > app::domain::recurrence::MAX_PERFORMANCES {
            return Err(ProgrammeError::Recurrence(
                app::domain::recurrence::RecurrenceError::TooMany,
            ));
        }
        let now = self.clock.now();
        if let Some(past) = starts.iter().find(|s| **s <= now) {
            return Err(ProgrammeError::StartInPast(paris::datetime_fr(*past)));
        }
        Ok(starts)
    }

    /// One hall as the listing has it (its current seat-map version included).
    async fn hall(&self, id: i64) -> Result<HallRow, ProgrammeError> {
        self.repo
            .halls()
            .await?
            .into_iter()
            .find(|h| h.id == id)
            .ok_or(ProgrammeError::HallNotFound(id))
    }

    /// The price categories the seats of one seat-map version use, by number.
    async fn version_categories(
        &self,
        hall_id: i64,
        version: i64,
    ) -> Result<Vec<CategoryRow>, ProgrammeError> {
        let Some(plan) = self.cache.plan(hall_id, version).await? else {
            return Ok(Vec::new());
        };
        let used: std::collections::HashSet<i64> =
            plan.seats.iter().map(|s| s.category_id).collect();
        Ok(self
            .catalogue
            .categories(hall_id)
            .await?
            .into_iter()
            .filter(|c| used.contains(&c.id))
            .collect())
    }

    /// A checked plan from an upload or a request: Guichet's format or pretix's, every
    /// problem found at once.
    fn checked(upload: &SeatmapUpload) -> Result<Plan, ProgrammeError> {
        let unreadable = |e: String| {
            refused(&[Located::at(
                Default::default(),
                app::domain::plan::Problem::Unreadable(e),
            )])
        };
        let plan = match upload {
            SeatmapUpload::Guichet(json) => {
                serde_json::from_slice::<Plan>(json).map_err(|e| unreadable(e.to_string()))?
            }
            SeatmapUpload::Pretix(json) => {
                let text = std::str::from_utf8(json).map_err(|e| unreadable(e.to_string()))?;
                pretix::import(text).map_err(|p| refused(&p))?.1
            }
        };
        let problems = plan.problems();
        if !problems.is_empty() {
            return Err(refused(&problems));
        }
        Ok(plan)
    }

    /// Quotas per tariff: tariffs the venue sells, sane counts.
    async fn quotas(
        &self,
        hall: &HallRow,
        request: &PerformancesRequest,
    ) -> Result<Vec<(String, i64)>, ProgrammeError> {
        if request.quotas.is_empty() {
            return Ok(Vec::new());
        }
        let tariffs = self.offered_tariffs(hall.venue_id).await?;
        request
            .quotas
            .iter()
            .map(|(tariff, max)| {
                if !tariffs.contains(tariff) {
                    Err(ProgrammeError::TariffNotInVenue(tariff.clone()))
                } else if !(0..=*CAPACITY.end()).contains(max) {
                    Err(ProgrammeError::InvalidQuota(tariff.clone()))
                } else {
                    Ok((tariff.clone(), *max))
                }
            })
            .collect()
    }

    /// The price grid: every category of the hall priced, every tariff one the venue sells,
    /// every price sane.
    async fn prices(
        &self,
        hall: &HallRow,
        request: &PerformancesRequest,
    ) -> Result<Vec<PriceRow>, ProgrammeError> {
        let tariffs = self.offered_tariffs(hall.venue_id).await?;
        let categories = self.version_categories(hall.id, hall.version).await?;
        let mut out = Vec::new();
        for (label, by_tariff) in &request.prices {
            let category_id = if hall.seats == 0 {
                // General admission: one grid, whatever its label.
                if request.prices.len() != 1 {
                    return Err(ProgrammeError::UnknownCategory(label.clone()));
                }
                None
            } else {
                Some(
                    categories
                        .iter()
                        .find(|c| c.label.trim().eq_ignore_ascii_case(label.trim()))
                        .ok_or_else(|| ProgrammeError::UnknownCategory(label.clone()))?
                        .id,
                )
            };
            if by_tariff.is_empty() {
                return Err(ProgrammeError::CategoryWithoutPrice(label.clone()));
            }
            for (tariff, cents) in by_tariff {
                if !tariffs.contains(tariff) {
                    return Err(ProgrammeError::TariffNotInVenue(tariff.clone()));
                }
                if !PRICE_CENTS.contains(cents) {
                    return Err(ProgrammeError::InvalidPrice {
                        category: label.clone(),
                        tariff: tariff.clone(),
                    });
                }
                out.push(PriceRow {
                    category_id,
                    tariff: tariff.clone(),
                    cents: *cents,
                });
            }
        }
        if hall.seats == 0 && out.is_empty() {
            return Err(ProgrammeError::CategoryWithoutPrice(String::new()));
        }
        if let Some(unpriced) = categories
            .iter()
            .filter(|_| hall.seats > 0)
            .find(|c| !out.iter().any(|p| p.category_id == Some(c.id)))
        {
            return Err(ProgrammeError::CategoryWithoutPrice(unpriced.label.clone()));
        }
        Ok(out)
    }
}

#[async_trait]
impl ProgrammeAdmin for ProgrammeService {
    async fn halls(&self, actor: &Actor) -> Result<Vec<HallSummary>, ProgrammeError> {
        Self::require(actor)?;
        let mut out = Vec::new();
        for h in self.repo.halls().await? {
            let categories = self
                .version_categories(h.id, h.version)
                .await?
                .into_iter()
                .map(|c| c.label)
                .collect();
            out.push(HallSummary {
                id: h.id,
                venue_id: h.venue_id,
                venue: h.venue,
                name: h.name,
                seats: h.seats,
                categories,
            });
        }
        Ok(out)
    }

    async fn venues(&self, actor: &Actor) -> Result<Vec<VenueSummary>, ProgrammeError> {
        Self::require(actor)?;
        Ok(self
            .repo
            .venues()
            .await?
            .into_iter()
            .map(|v| VenueSummary {
                id: v.id,
                code: v.code,
                name: v.name,
            })
            .collect())
    }

    async fn create_venue(
        &self,
        actor: &Actor,
        request: &NewVenueRequest,
    ) -> Result<VenueCreated, ProgrammeError> {
        Self::require(actor)?;
        let code = request.code.trim().to_uppercase();
        if !(2..=6).contains(&code.len())
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(ProgrammeError::InvalidVenueCode(request.code.clone()));
        }
        let row = NewVenueRow {
            code: code.clone(),
            name: parse_name(&request.name)?,
            operator_name: parse_name(&request.operator_name)?,
            address: request.address.trim().to_string(),
            kind: ShowKind::parse(request.kind.trim())
                .filter(|k| k.is_venue_kind())
                .ok_or_else(|| ProgrammeError::UnknownKind(request.kind.clone()))?,
        };
        let audit = self.record(
            actor,
            "venue.create",
            String::new(),
            json!({"code": row.code, "name": row.name, "operator_name": row.operator_name}),
        );
        let id = self
            .repo
            .create_venue(&row, &audit)
            .await?
            .ok_or(ProgrammeError::VenueCodeTaken)?;
        Ok(VenueCreated {
            id,
            code,
            name: row.name,
        })
    }

    async fn create_hall(
        &self,
        actor: &Actor,
        venue_id: i64,
        request: &NewHallRequest,
    ) -> Result<HallCreated, ProgrammeError> {
        Self::require(actor)?;
        let name = parse_name(&request.name)?;
        if !self.repo.venues().await?.iter().any(|v| v.id == venue_id) {
            return Err(ProgrammeError::VenueNotFound(venue_id));
        }
        let (plan, source) = match (&request.generator, &request.plan, &request.pretix) {
            (Some(g), None, None) => (g.plan().map_err(ProgrammeError::Generator)?, "generator"),
            (None, Some(p), None) => (p.clone(), "guichet"),
            (None, None, Some(json)) => {
                let (_, plan) = pretix::import(&json.to_string()).map_err(|p| refused(&p))?;
                (plan, "pretix")
            }
            (None, None, None) => (no_seats(1000, 600), "general_admission"),
            _ => return Err(ProgrammeError::PlanSource),
        };
        let problems = plan.problems();
        if !problems.is_empty() {
            return Err(refused(&problems));
        }
        let hall = new_hall(name.clone(), &plan, &[]);
        let audit = self.record(
            actor,
            "hall.create",
            String::new(),
            json!({"venue_id": venue_id, "name": name, "source": source, "seats": plan.seats.len()}),
        );
        let id = self
            .repo
            .create_hall(venue_id, &hall, &audit)
            .await?
            .ok_or(ProgrammeError::HallTaken)?;
        Ok(HallCreated {
            id,
            venue_id,
            name,
            seats: plan.seats.len() as i64,
            categories: plan.categories.into_iter().map(|c| c.label).collect(),
        })
    }

    async fn hall_plan(
        &self,
        actor: &Actor,
        hall_id: i64,
        version: Option<i64>,
    ) -> Result<VersionedPlan, ProgrammeError> {
        Self::require(actor)?;
        let current = self.hall(hall_id).await?.version;
        let version = version.unwrap_or(current);
        let stored = self
            .cache
            .plan(hall_id, version)
            .await?
            .ok_or(ProgrammeError::VersionNotFound(version))?;
        let categories = self.version_categories(hall_id, version).await?;
        let label = |number: i64| {
            categories
                .iter()
                .find(|c| c.number == number)
                .map(|c| c.label.clone())
                .unwrap_or_default()
        };
        let plan = Plan {
            width: stored.width,
            height: stored.height,
            stage: PlanStage {
                x: stored.stage.x,
                y: stored.stage.y,
                w: stored.stage.w,
                h: stored.stage.h,
                label: stored.stage.label.clone(),
            },
            zones: stored.zones.iter().map(|z| z.name.clone()).collect(),
            categories: categories
                .iter()
                .map(|c| PlanCategory {
                    label: c.label.clone(),
                    color: c.color.clone(),
                })
                .collect(),
            seats: stored
                .seats
                .iter()
                .map(|s| PlanSeat {
                    zone: s.zone.clone(),
                    category: label(s.category),
                    row: s.row.clone(),
                    number: s.number,
                    x: s.x,
                    y: s.y,
                    accessible: s.accessible,
                    companion: s.companion,
                    restricted_view: s.restricted_view,
                    blocked: s.blocked,
                    block_reason: s.block_reason,
                })
                .collect(),
        };
        Ok(VersionedPlan {
            version,
            current,
            plan,
        })
    }

    async fn replace_seatmap(
        &self,
        actor: &Actor,
        hall_id: i64,
        base: Option<i64>,
        upload: &SeatmapUpload,
    ) -> Result<SeatmapSaved, ProgrammeError> {
        Self::require(actor)?;
        let hall = self.hall(hall_id).await?;
        if base.is_some_and(|b| b != hall.version) {
            return Err(ProgrammeError::SeatmapChanged(hall.version));
        }
        let plan = Self::checked(upload)?;
        let existing = self.catalogue.categories(hall_id).await?;
        let new = new_hall(hall.name.clone(), &plan, &existing);
        let source = match upload {
            SeatmapUpload::Guichet(_) => "guichet",
            SeatmapUpload::Pretix(_) => "pretix",
        };
        let audit = self.record(
            actor,
            "hall.seatmap",
            format!("hall:{hall_id}"),
            json!({
                "source": source,
                "before": {"version": hall.version, "seats": hall.seats},
                "after": {"seats": plan.seats.len()},
            }),
        );
        let version = self
            .repo
            .add_seatmap_version(hall_id, hall.version, &new, &audit)
            .await?
            .ok_or(ProgrammeError::SeatmapChanged(hall.version + 1))?;
        Ok(SeatmapSaved {
            hall_id,
            version,
            seats: plan.seats.len() as i64,
            categories: plan.categories.into_iter().map(|c| c.label).collect(),
        })
    }

    async fn tariffs(&self, actor: &Actor) -> Result<Vec<TariffAdmin>, ProgrammeError> {
        Self::require(actor)?;
        Ok(self.repo.tariffs().await?.iter().map(tariff_view).collect())
    }

    async fn venue_tariffs(
        &self,
        actor: &Actor,
        venue_id: i64,
    ) -> Result<Vec<VenueTariff>, ProgrammeError> {
        Self::require(actor)?;
        self.catalogue_of(venue_id).await
    }

    async fn add_venue_tariff(
        &self,
        actor: &Actor,
        venue_id: i64,
        request: &NewVenueTariff,
    ) -> Result<VenueTariff, ProgrammeError> {
        self.add_to_catalogue(actor, venue_id, request).await
    }

    async fn change_venue_tariff(
        &self,
        actor: &Actor,
        venue_id: i64,
        code: &str,
        patch: &VenueTariffPatch,
    ) -> Result<VenueTariff, ProgrammeError> {
        self.change_in_catalogue(actor, venue_id, code, patch).await
    }

    async fn create_tariff(
        &self,
        actor: &Actor,
        request: &NewTariffRequest,
    ) -> Result<TariffAdmin, ProgrammeError> {
        Self::require(actor)?;
        let code = app::domain::tariff::parse_code(&request.code)
            .ok_or_else(|| ProgrammeError::InvalidTariffCode(request.code.clone()))?;
        let label_fr = parse_name(&request.label_fr)?;
        let label_en = match request.label_en.as_deref().map(str::trim) {
            Some(l) if !l.is_empty() => parse_name(l)?,
            _ => label_fr.clone(),
        };
        let family = family(request.family.as_deref().unwrap_or("autre"))?;
        let position = self
            .repo
            .tariffs()
            .await?
            .iter()
            .map(|t| t.position + 1)
            .max()
            .unwrap_or(0);
        let row = NewTariff {
            code,
            label_fr,
            label_en,
            family: family.as_str().to_string(),
            proof_required: request.proof_required,
            position,
        };
        let audit = self.record(
            actor,
            "tariff.create",
            format!("tariff:{}", row.code),
            json!({"label_fr": row.label_fr, "family": row.family, "proof_required": row.proof_required}),
        );
        if !self.repo.create_tariff(&row, &audit).await? {
            return Err(ProgrammeError::TariffTaken);
        }
        Ok(tariff_view(&row))
    }

    async fn change_tariff(
        &self,
        actor: &Actor,
        code: &str,
        patch: &TariffPatch,
    ) -> Result<TariffAdmin, ProgrammeError> {
        Self::require(actor)?;
        let before = self
            .repo
            .tariffs()
            .await?
            .into_iter()
            .find(|t| t.code == code)
            .ok_or_else(|| ProgrammeError::TariffNotFound(code.to_string()))?;
        let mut after = before.clone();
        if let Some(l) = &patch.label_fr {
            after.label_fr = parse_name(l)?;
        }
        if let Some(l) = &patch.label_en {
            after.label_en = parse_name(l)?;
        }
        if let Some(f) = &patch.family {
            after.family = family(f)?.as_str().to_string();
        }
        if let Some(p) = patch.proof_required {
            after.proof_required = p;
        }
        if after == before {
            return Ok(tariff_view(&before));
        }
        let audit = self.record(
            actor,
            "tariff.update",
            format!("tariff:{code}"),
            json!({"before": tariff_view(&before), "after": tariff_view(&after)}),
        );
        if !self.repo.update_tariff(&after, &audit).await? {
            return Err(ProgrammeError::TariffNotFound(code.to_string()));
        }
        Ok(tariff_view(&after))
    }

    async fn create_show(
        &self,
        actor: &Actor,
        request: &NewShowRequest,
    ) -> Result<ShowCreated, ProgrammeError> {
        Self::require(actor)?;
        let row = shows::show_row(request)?;
        let audit = self.record(
            actor,
            "show.create",
            String::new(),
            json!({"title": row.title, "kind": row.kind, "duration_min": row.duration_min, "film": row.film}),
        );
        let id = self
            .repo
            .create_show(&row, &audit)
            .await?
            .ok_or(ProgrammeError::ShowTaken)?;
        Ok(ShowCreated {
            id,
            title: row.title,
            kind: row.kind,
            duration_min: row.duration_min,
            description: row.description,
            age_rating: row.age_rating,
            film: row.film,
        })
    }

    async fn shows(&self, actor: &Actor) -> Result<Vec<ShowAdmin>, ProgrammeError> {
        Self::require(actor)?;
        self.list_shows().await
    }

    async fn change_show(
        &self,
        actor: &Actor,
        id: i64,
        patch: &ShowPatch,
    ) -> Result<ShowAdmin, ProgrammeError> {
        self.edit_show(actor, id, patch).await
    }

    async fn set_poster(
        &self,
        actor: &Actor,
        show_id: i64,
        bytes: &[u8],
    ) -> Result<ShowAdmin, ProgrammeError> {
        self.put_poster(actor, show_id, bytes).await
    }

    async fn remove_poster(
        &self,
        actor: &Actor,
        show_id: i64,
    ) -> Result<ShowAdmin, ProgrammeError> {
        self.delete_poster(actor, show_id).await
    }

    async fn create_performances(
        &self,
        actor: &Actor,
        show_id: i64,
        request: &PerformancesRequest,
    ) -> Result<Vec<PerformanceAdmin>, ProgrammeError> {
        Self::require(actor)?;
        self.catalogue
            .show(show_id)
            .await?
            .ok_or(ProgrammeError::ShowNotFound(show_id))?;
        let hall = self.hall(request.hall_id).await?;
        let starts = self.starts(request)?;
        let prices = self.prices(&hall, request).await?;
        let seated = hall.seats > 0;
        let capacity = if seated {
            hall.seats
        } else {
            request
                .capacity
                .filter(|c| CAPACITY.contains(c))
                .ok_or(ProgrammeError::CapacityNeeded)?
        };
        let hold_minutes = request.hold_minutes.unwrap_or(15);
        if !HOLD_MINUTES.contains(&hold_minutes) {
            return Err(ProgrammeError::InvalidHold);
        }
        let max_seats = request.max_seats_per_order.unwrap_or(10);
        if !MAX_SEATS.contains(&max_seats) {
            return Err(ProgrammeError::InvalidMaxSeats);
        }
        let now = self.clock.now();
        let opens = match &request.sale_opens_at {
            Some(s) => instant(s)?,
            None => now,
        };
        let closes_before = request.sale_closes_minutes_before.unwrap_or(0);
        if !(0..=7 * 24 * 60).contains(&closes_before) {
            return Err(ProgrammeError::InvalidSaleWindow);
        }
        let rows: Vec<NewPerformanceRow> = starts
            .iter()
            .map(|starts_at| NewPerformanceRow {
                show_id,
                hall_id: hall.id,
                starts_at: *starts_at,
                sale_opens_at: opens,
                sale_closes_at: starts_at - closes_before * 60,
                hold_seconds: hold_minutes * 60,
                max_seats_per_order: max_seats,
                seated,
                capacity,
                published: request.published,
                seatmap_version: hall.version,
                prices: prices.clone(),
                quotas: Vec::new(),
                sold_online: true,
                sold_at_counter: true,
            })
            .collect();
        let quotas = self.quotas(&hall, request).await?;
        let (sold_online, sold_at_counter) = channels(request.channels.as_deref())?;
        let rows: Vec<NewPerformanceRow> = rows
            .into_iter()
            .map(|r| NewPerformanceRow {
                quotas: quotas.clone(),
                sold_online,
                sold_at_counter,
                ..r
            })
            .collect();
        if rows.iter().any(|r| r.sale_opens_at >= r.sale_closes_at) {
            return Err(ProgrammeError::InvalidSaleWindow);
        }
        let audit = self.record(
            actor,
            "performance.create",
            format!("show:{show_id}"),
            json!({
                "hall_id": hall.id,
                "starts_at": starts.iter().map(|s| Ts(*s).rfc3339()).collect::<Vec<_>>(),
                "published": request.published,
                "prices": request.prices,
                "quotas": request.quotas,
                "channels": {"online": sold_online, "box_office": sold_at_counter},
            }),
        );
        let ids = match self.repo.create_performances(&rows, &audit).await? {
            PerformancesWritten::Created(ids) => ids,
            PerformancesWritten::Clash(at) => {
                return Err(ProgrammeError::Clash(paris::datetime_fr(at)))
            }
        };
        self.listings.forget_listings();
        // What was written is what is answered: no read back, one performance at a time.
        Ok(ids
            .into_iter()
            .zip(&rows)
            .map(|(id, r)| PerformanceAdmin {
                id,
                show_id,
                hall_id: r.hall_id,
                starts_at: Ts(r.starts_at),
                sale_opens_at: Ts(r.sale_opens_at),
                sale_closes_at: Ts(r.sale_closes_at),
                hold_minutes: r.hold_seconds / 60,
                max_seats_per_order: r.max_seats_per_order,
                published: r.published,
                cancelled: false,
                sold_online: r.sold_online,
            })
            .collect())
    }

    async fn performances_of_day(
        &self,
        actor: &Actor,
        day: &str,
    ) -> Result<Vec<PerformanceLine>, ProgrammeError> {
        Self::require(actor)?;
        let date = paris::parse_day(day.trim()).ok_or_else(|| {
            ProgrammeError::Recurrence(app::domain::recurrence::RecurrenceError::Date(
                day.to_string(),
            ))
        })?;
        let (from, until) = paris::day_bounds(date);
        let now = self.clock.now();
        let mut out = Vec::new();
        for id in self.repo.performance_ids_between(from, until).await? {
            let Some(row) = self.catalogue.performance(now, PerformanceId(id)).await? else {
                continue;
            };
            let r = &row.rules;
            out.push(PerformanceLine {
                id: r.id,
                show_id: r.show_id,
                title: r.title.clone(),
                venue: r.venue.clone(),
                hall: r.hall.clone(),
                starts_at: Ts(r.starts_at),
                published: r.published,
                cancelled: r.cancelled,
                sold_online: r.sold_online,
                sold: row.sold,
            });
        }
        Ok(out)
    }

    async fn cancel_performance(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<PerformanceCancelled, ProgrammeError> {
        Self::require(actor)?;
        let before = self
            .catalogue
            .performance_rules(PerformanceId(id))
            .await?
            .ok_or(ProgrammeError::PerformanceNotFound(id))?;
        if before.cancelled {
            return Err(ProgrammeError::PerformanceCancelled(id));
        }
        let audit = self.record(
            actor,
            "performance.cancel",
            format!("performance:{id}"),
            json!({"starts_at": Ts(before.starts_at).rfc3339(), "title": before.title}),
        );
        let (to_refund, unpaid_cancelled) = match self
            .repo
            .cancel_performance(id, self.clock.now(), &audit)
            .await?
        {
            Cancellation::NotFound => return Err(ProgrammeError::PerformanceNotFound(id)),
            Cancellation::AlreadyCancelled => return Err(ProgrammeError::PerformanceCancelled(id)),
            Cancellation::Done {
                to_refund,
                unpaid_cancelled,
            } => (to_refund, unpaid_cancelled),
        };
        // Off sale at once on this server; the others keep rules a few seconds (a sale they
        // let through meanwhile is reported by `guichet check`).
        self.cache.forget_performance(PerformanceId(id));
        self.listings.forget_listings();
        self.board.forget(PerformanceId(id));
        let mut performance = admin_view(&before);
        performance.cancelled = true;
        Ok(PerformanceCancelled {
            performance,
            to_refund: to_refund.into_iter().map(buyer).collect(),
            unpaid_cancelled,
        })
    }

    async fn refunds_due(&self, actor: &Actor) -> Result<Vec<RefundDue>, ProgrammeError> {
        if !actor.may(Permission::SellAtCounter) && !actor.may(Permission::ManageProgramme) {
            return Err(ProgrammeError::Forbidden);
        }
        Ok(self
            .repo
            .refunds_due()
            .await?
            .into_iter()
            .map(|r| RefundDue {
                order_id: r.order_id,
                reference: r.reference,
                name: r.name,
                email: r.email,
                amount_cents: r.amount_cents,
                reason: if r.paid_too_late {
                    RefundReason::PaidTooLate
                } else {
                    RefundReason::PerformanceCancelled
                },
                performance_id: r.performance_id,
                show_title: r.show_title,
                starts_at: Ts(r.starts_at),
                since: Ts(r.since),
            })
            .collect())
    }

    async fn performance_buyers(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<PerformanceBuyer>, ProgrammeError> {
        if !actor.may(Permission::SellAtCounter) && !actor.may(Permission::ManageProgramme) {
            return Err(ProgrammeError::Forbidden);
        }
        self.catalogue
            .performance_rules(PerformanceId(id))
            .await?
            .ok_or(ProgrammeError::PerformanceNotFound(id))?;
        Ok(self
            .repo
            .performance_buyers(id)
            .await?
            .into_iter()
            .map(buyer)
            .collect())
    }

    async fn change_performance(
        &self,
        actor: &Actor,
        id: i64,
        patch: &PerformancePatch,
    ) -> Result<PerformanceAdmin, ProgrammeError> {
        Self::require(actor)?;
        let before = self
            .catalogue
            .performance_rules(PerformanceId(id))
            .await?
            .ok_or(ProgrammeError::PerformanceNotFound(id))?;
        if before.cancelled {
            return Err(ProgrammeError::PerformanceCancelled(id));
        }
        let mut after = before.clone();
        if let Some(p) = patch.published {
            after.published = p;
        }
        if let Some(s) = &patch.sale_opens_at {
            after.sale_opens_at = instant(s)?;
        }
        if let Some(s) = &patch.sale_closes_at {
            after.sale_closes_at = instant(s)?;
        }
        if let Some(m) = patch.hold_minutes {
            if !HOLD_MINUTES.contains(&m) {
                return Err(ProgrammeError::InvalidHold);
            }
            after.hold_seconds = m * 60;
        }
        if let Some(o) = patch.sold_online {
            after.sold_online = o;
        }
        if let Some(m) = patch.max_seats_per_order {
            if !MAX_SEATS.contains(&m) {
                return Err(ProgrammeError::InvalidMaxSeats);
            }
            after.max_seats_per_order = m;
        }
        if after.sale_opens_at >= after.sale_closes_at || after.sale_closes_at > after.starts_at {
            return Err(ProgrammeError::InvalidSaleWindow);
        }
        if after == before {
            return Ok(admin_view(&before));
        }
        let (b, a) = (admin_view(&before), admin_view(&after));
        let audit = self.record(
            actor,
            "performance.update",
            format!("performance:{id}"),
            json!({"before": b, "after": a}),
        );
        let settings = PerformanceSettings {
            id,
            published: after.published,
            sale_opens_at: after.sale_opens_at,
            sale_closes_at: after.sale_closes_at,
            hold_seconds: after.hold_seconds,
            max_seats_per_order: after.max_seats_per_order,
            sold_online: after.sold_online,
        };
        if !self.repo.update_performance(&settings, &audit).await? {
            return Err(ProgrammeError::PerformanceNotFound(id));
        }
        self.cache.forget_performance(PerformanceId(id));
        self.listings.forget_listings();
        Ok(a)
    }
}

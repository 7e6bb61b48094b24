//! Each venue's tariff catalogue: the town's codes (in ticket numbers, with their CNC family)
//! under the venue's own labels, proof flag and words on who qualifies; a venue offers some of
//! them, and only those price its performances.
use super::{family, parse_name, ProgrammeService};
use crate::ports::*;
use app::admin::{NewVenueTariff, VenueTariff, VenueTariffPatch};
use app::domain::tariff::TariffFamily;
use app::ports::ProgrammeError;
use app::staff::Actor;
use serde_json::json;

/// Who qualifies: free text, trimmed, at most this long.
const MAX_ELIGIBILITY_CHARS: usize = 300;

fn eligibility(raw: Option<&str>) -> Result<String, ProgrammeError> {
    let text = raw.unwrap_or("").trim();
    if text.chars().count() > MAX_ELIGIBILITY_CHARS || text.chars().any(char::is_control) {
        return Err(ProgrammeError::InvalidName);
    }
    Ok(text.to_string())
}

fn view(row: &VenueTariffRow) -> VenueTariff {
    VenueTariff {
        code: row.code.clone(),
        label_fr: row.label_fr.clone(),
        label_en: row.label_en.clone(),
        family: TariffFamily::parse(&row.family).unwrap_or(TariffFamily::Autre),
        proof_required: row.proof_required,
        eligibility_fr: row.eligibility_fr.clone(),
        eligibility_en: row.eligibility_en.clone(),
        active: row.active,
        position: row.position,
    }
}

impl ProgrammeService {
    async fn venue_exists(&self, venue_id: i64) -> Result<(), ProgrammeError> {
        if self.repo.venues().await?.iter().any(|v| v.id == venue_id) {
            Ok(())
        } else {
            Err(ProgrammeError::VenueNotFound(venue_id))
        }
    }

    /// The codes a venue offers now: what its performances may be priced in.
    pub(super) async fn offered_tariffs(
        &self,
        venue_id: i64,
    ) -> Result<Vec<String>, ProgrammeError> {
        Ok(self
            .repo
            .venue_tariffs(venue_id)
            .await?
            .into_iter()
            .filter(|t| t.active)
            .map(|t| t.code)
            .collect())
    }

    pub(super) async fn catalogue_of(
        &self,
        venue_id: i64,
    ) -> Result<Vec<VenueTariff>, ProgrammeError> {
        self.venue_exists(venue_id).await?;
        Ok(self
            .repo
            .venue_tariffs(venue_id)
            .await?
            .iter()
            .map(view)
            .collect())
    }

    pub(super) async fn add_to_catalogue(
        &self,
        actor: &Actor,
        venue_id: i64,
        request: &NewVenueTariff,
    ) -> Result<VenueTariff, ProgrammeError> {
        Self::require(actor)?;
        self.venue_exists(venue_id).await?;
        let code = app::domain::tariff::parse_code(&request.code)
            .ok_or_else(|| ProgrammeError::InvalidTariffCode(request.code.clone()))?;
        let label_fr = parse_name(&request.label_fr)?;
        let label_en = match request.label_en.as_deref().map(str::trim) {
            Some(l) if !l.is_empty() => parse_name(l)?,
            _ => label_fr.clone(),
        };
        let town = self.repo.tariffs().await?;
        let known = town.iter().find(|t| t.code == code);
        // A new code joins the town's codes with its family; a known one keeps its own.
        let new_code = match known {
            Some(_) => None,
            None => Some(NewTariff {
                code: code.clone(),
                label_fr: label_fr.clone(),
                label_en: label_en.clone(),
                family: family(request.family.as_deref().unwrap_or("autre"))?
                    .as_str()
                    .to_string(),
                proof_required: request.proof_required,
                position: town.iter().map(|t| t.position + 1).max().unwrap_or(0),
            }),
        };
        let position = self
            .repo
            .venue_tariffs(venue_id)
            .await?
            .iter()
            .map(|t| t.position + 1)
            .max()
            .unwrap_or(0);
        let row = VenueTariffRow {
            code: code.clone(),
            label_fr,
            label_en,
            family: known
                .map(|t| t.family.clone())
                .or_else(|| new_code.as_ref().map(|t| t.family.clone()))
                .unwrap_or_else(|| "autre".into()),
            proof_required: request.proof_required,
            eligibility_fr: eligibility(request.eligibility_fr.as_deref())?,
            eligibility_en: eligibility(request.eligibility_en.as_deref())?,
            active: true,
            position,
        };
        let audit = self.record(
            actor,
            "venue_tariff.create",
            format!("venue:{venue_id}/tariff:{code}"),
            json!({"tariff": view(&row), "new_code": new_code.is_some()}),
        );
        if !self
            .repo
            .add_venue_tariff(venue_id, &row, new_code.as_ref(), &audit)
            .await?
        {
            return Err(ProgrammeError::VenueTariffTaken(code));
        }
        self.cache.forget_all_grids();
        Ok(view(&row))
    }

    pub(super) async fn change_in_catalogue(
        &self,
        actor: &Actor,
        venue_id: i64,
        code: &str,
        patch: &VenueTariffPatch,
    ) -> Result<VenueTariff, ProgrammeError> {
        Self::require(actor)?;
        self.venue_exists(venue_id).await?;
        let before = self
            .repo
            .venue_tariffs(venue_id)
            .await?
            .into_iter()
            .find(|t| t.code == code)
            .ok_or_else(|| ProgrammeError::TariffNotInVenue(code.to_string()))?;
        let mut after = before.clone();
        if let Some(l) = &patch.label_fr {
            after.label_fr = parse_name(l)?;
        }
        if let Some(l) = &patch.label_en {
            after.label_en = parse_name(l)?;
        }
        if let Some(p) = patch.proof_required {
            after.proof_required = p;
        }
        if let Some(e) = &patch.eligibility_fr {
            after.eligibility_fr = eligibility(Some(e))?;
        }
        if let Some(e) = &patch.eligibility_en {
            after.eligibility_en = eligibility(Some(e))?;
        }
        if let Some(a) = patch.active {
            after.active = a;
        }
        if after == before {
            return Ok(view(&before));
        }
        let audit = self.record(
            actor,
            "venue_tariff.update",
            format!("venue:{venue_id}/tariff:{code}"),
            json!({"before": view(&before), "after": view(&after)}),
        );
        if !self
            .repo
            .update_venue_tariff(venue_id, &after, &audit)
            .await?
        {
            return Err(ProgrammeError::TariffNotInVenue(code.to_string()));
        }
        // Labels and proof print from the grids: this server shows the change at once.
        self.cache.forget_all_grids();
        self.listings.forget_listings();
        Ok(view(&after))
    }
}

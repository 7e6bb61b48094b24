//! Shows after their creation: the list, edits, posters.
use super::{film, ProgrammeService, DURATION_MIN, MAX_TITLE_CHARS};
use crate::ports::*;
use app::admin::{NewShowRequest, ShowAdmin, ShowPatch};
use app::domain::poster;
use app::dto::ShowKind;
use app::ports::ProgrammeError;
use app::staff::Actor;
use serde_json::json;
use sha2::{Digest, Sha256};

/// What a show request becomes once every field is checked (creation and edits alike).
pub(super) fn show_row(request: &NewShowRequest) -> Result<NewShowRow, ProgrammeError> {
    let title = app::domain::name::parse_name(&request.title, MAX_TITLE_CHARS)
        .ok_or(ProgrammeError::InvalidTitle)?;
    let kind = ShowKind::parse(request.kind.trim())
        .ok_or_else(|| ProgrammeError::UnknownKind(request.kind.clone()))?;
    if !DURATION_MIN.contains(&request.duration_min) {
        return Err(ProgrammeError::InvalidDuration);
    }
    Ok(NewShowRow {
        title,
        kind,
        duration_min: request.duration_min,
        description: request.description.trim().to_string(),
        age_rating: request.age_rating.trim().to_string(),
        film: film(kind, request)?,
    })
}

/// The show as it is, as a request, with the patch laid over it: unchanged fields pass the same
/// checks as new ones, so an edit cannot leave a show that creation would refuse.
fn patched(before: &ShowRow, patch: &ShowPatch) -> NewShowRequest {
    let film = before.film.as_ref();
    let keep = |given: &Option<String>, now: Option<String>| given.clone().or(now);
    NewShowRequest {
        title: patch.title.clone().unwrap_or_else(|| before.title.clone()),
        kind: before.kind.as_str().to_string(),
        duration_min: patch.duration_min.unwrap_or(before.duration_min),
        description: patch
            .description
            .clone()
            .unwrap_or_else(|| before.description.clone()),
        age_rating: patch
            .age_rating
            .clone()
            .unwrap_or_else(|| before.age_rating.clone()),
        visa: keep(
            &patch.visa,
            film.and_then(|f| f.visa.as_ref().map(|v| v.as_str().to_string())),
        ),
        distributor: keep(&patch.distributor, film.map(|f| f.distributor.clone())),
        version: keep(
            &patch.version,
            film.and_then(|f| f.version.map(|v| v.as_str().to_string())),
        ),
        three_d: patch.three_d.or(film.map(|f| f.three_d)),
    }
}

pub(super) fn show_admin(row: ShowRow, coming_performances: i64) -> ShowAdmin {
    ShowAdmin {
        id: row.id,
        title: row.title,
        kind: row.kind,
        duration_min: row.duration_min,
        description: row.description,
        age_rating: row.age_rating,
        film: row.film,
        poster: row.poster,
        coming_performances,
    }
}

fn written(result: ShowWrite, id: i64) -> Result<(), ProgrammeError> {
    match result {
        ShowWrite::Saved => Ok(()),
        ShowWrite::NotFound => Err(ProgrammeError::ShowNotFound(id)),
        ShowWrite::Taken => Err(ProgrammeError::ShowTaken),
    }
}

impl ProgrammeService {
    pub(super) async fn list_shows(&self) -> Result<Vec<ShowAdmin>, ProgrammeError> {
        let now = self.clock.now();
        Ok(self
            .repo
            .shows(now)
            .await?
            .into_iter()
            .map(|(row, n)| show_admin(row, n))
            .collect())
    }

    /// The show as the back office lists it, after a write.
    async fn show_now(&self, id: i64) -> Result<ShowAdmin, ProgrammeError> {
        self.list_shows()
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(ProgrammeError::ShowNotFound(id))
    }

    async fn existing(&self, id: i64) -> Result<ShowRow, ProgrammeError> {
        self.catalogue
            .show(id)
            .await?
            .ok_or(ProgrammeError::ShowNotFound(id))
    }

    pub(super) async fn edit_show(
        &self,
        actor: &Actor,
        id: i64,
        patch: &ShowPatch,
    ) -> Result<ShowAdmin, ProgrammeError> {
        Self::require(actor)?;
        let before = self.existing(id).await?;
        let after = show_row(&patched(&before, patch))?;
        let audit = self.record(
            actor,
            "show.update",
            format!("show:{id}"),
            json!({
                "before": {"title": before.title, "duration_min": before.duration_min,
                           "description": before.description, "age_rating": before.age_rating,
                           "film": before.film},
                "after": {"title": after.title, "duration_min": after.duration_min,
                          "description": after.description, "age_rating": after.age_rating,
                          "film": after.film},
            }),
        );
        written(self.repo.update_show(id, &after, &audit).await?, id)?;
        // Titles are printed from the performances' rules: this server shows the edit at once.
        self.cache.forget_all_rules();
        self.listings.forget_listings();
        self.show_now(id).await
    }

    pub(super) async fn put_poster(
        &self,
        actor: &Actor,
        show_id: i64,
        bytes: &[u8],
    ) -> Result<ShowAdmin, ProgrammeError> {
        Self::require(actor)?;
        let image = poster::inspect(bytes).map_err(ProgrammeError::Poster)?;
        self.existing(show_id).await?;
        let digest = data_encoding::HEXLOWER.encode(&Sha256::digest(bytes));
        let row = PosterRow {
            file: poster::file_name(show_id, &digest, image.format),
            format: image.format,
            width: image.width as i64,
            height: image.height as i64,
            bytes: bytes.to_vec(),
            uploaded_at: self.clock.now(),
        };
        let audit = self.record(
            actor,
            "show.poster",
            format!("show:{show_id}"),
            json!({"file": row.file, "format": image.format.code(), "width": row.width,
                   "height": row.height, "bytes": bytes.len()}),
        );
        written(
            self.repo.set_poster(show_id, Some(&row), &audit).await?,
            show_id,
        )?;
        self.listings.forget_listings();
        self.show_now(show_id).await
    }

    pub(super) async fn delete_poster(
        &self,
        actor: &Actor,
        show_id: i64,
    ) -> Result<ShowAdmin, ProgrammeError> {
        Self::require(actor)?;
        let before = self.existing(show_id).await?;
        let audit = self.record(
            actor,
            "show.poster_removed",
            format!("show:{show_id}"),
            json!({"file": before.poster.map(|p| p.url)}),
        );
        written(self.repo.set_poster(show_id, None, &audit).await?, show_id)?;
        self.listings.forget_listings();
        self.show_now(show_id).await
    }
}

use super::Failure;
use crate::admin::*;
use crate::domain::recurrence::RecurrenceError;
use crate::error::{ErrorCode, UserFacing};
use crate::i18n::Message;
use crate::staff::Actor;
use async_trait::async_trait;

/// The season as admins put it in place: shows, their performances and prices, publishing.
#[async_trait]
pub trait ProgrammeAdmin: Send + Sync + 'static {
    async fn halls(&self, actor: &Actor) -> Result<Vec<HallSummary>, ProgrammeError>;
    async fn venues(&self, actor: &Actor) -> Result<Vec<VenueSummary>, ProgrammeError>;
    async fn create_venue(
        &self,
        actor: &Actor,
        request: &NewVenueRequest,
    ) -> Result<VenueCreated, ProgrammeError>;
    /// A new hall with its plan, checked whole first (a bad plan stores nothing).
    async fn create_hall(
        &self,
        actor: &Actor,
        venue_id: i64,
        request: &NewHallRequest,
    ) -> Result<HallCreated, ProgrammeError>;
    /// A version of the hall's plan in Guichet's format (export); the current one by default.
    async fn hall_plan(
        &self,
        actor: &Actor,
        hall_id: i64,
        version: Option<i64>,
    ) -> Result<VersionedPlan, ProgrammeError>;
    /// Saves a new version of the hall's seat map, checked whole first. Performances already
    /// created keep the version they were put on sale with, so no sold or held seat moves;
    /// new performances take this one. `base`: the version the admin edited, if they say.
    async fn replace_seatmap(
        &self,
        actor: &Actor,
        hall_id: i64,
        base: Option<i64>,
        upload: &SeatmapUpload,
    ) -> Result<SeatmapSaved, ProgrammeError>;
    /// The tariff catalogue, in its order.
    async fn tariffs(&self, actor: &Actor) -> Result<Vec<TariffAdmin>, ProgrammeError>;
    async fn create_tariff(
        &self,
        actor: &Actor,
        request: &NewTariffRequest,
    ) -> Result<TariffAdmin, ProgrammeError>;
    /// A venue's catalogue, in its order (inactive tariffs too).
    async fn venue_tariffs(
        &self,
        actor: &Actor,
        venue_id: i64,
    ) -> Result<Vec<VenueTariff>, ProgrammeError>;
    async fn add_venue_tariff(
        &self,
        actor: &Actor,
        venue_id: i64,
        request: &NewVenueTariff,
    ) -> Result<VenueTariff, ProgrammeError>;
    async fn change_venue_tariff(
        &self,
        actor: &Actor,
        venue_id: i64,
        code: &str,
        patch: &VenueTariffPatch,
    ) -> Result<VenueTariff, ProgrammeError>;
    /// Labels, family and the proof flag change; the code (in ticket numbers) does not.
    async fn change_tariff(
        &self,
        actor: &Actor,
        code: &str,
        patch: &TariffPatch,
    ) -> Result<TariffAdmin, ProgrammeError>;
    async fn create_show(
        &self,
        actor: &Actor,
        request: &NewShowRequest,
    ) -> Result<ShowCreated, ProgrammeError>;
    /// Every show, by title.
    async fn shows(&self, actor: &Actor) -> Result<Vec<ShowAdmin>, ProgrammeError>;
    async fn change_show(
        &self,
        actor: &Actor,
        id: i64,
        patch: &ShowPatch,
    ) -> Result<ShowAdmin, ProgrammeError>;
    /// Replaces the show's poster by `bytes` (JPEG, PNG or WebP, judged from the bytes).
    async fn set_poster(
        &self,
        actor: &Actor,
        show_id: i64,
        bytes: &[u8],
    ) -> Result<ShowAdmin, ProgrammeError>;
    async fn remove_poster(&self, actor: &Actor, show_id: i64)
        -> Result<ShowAdmin, ProgrammeError>;
    /// All or nothing: one bad date, price or clash and nothing is created.
    async fn create_performances(
        &self,
        actor: &Actor,
        show_id: i64,
        request: &PerformancesRequest,
    ) -> Result<Vec<PerformanceAdmin>, ProgrammeError>;
    /// Every performance of one Paris day (`YYYY-MM-DD`), published or not, cancelled or not.
    async fn performances_of_day(
        &self,
        actor: &Actor,
        day: &str,
    ) -> Result<Vec<PerformanceLine>, ProgrammeError>;
    /// Cancels a performance: off the programme and the sale, its orders marked for refund
    /// and their buyers listed. Irreversible.
    async fn cancel_performance(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<PerformanceCancelled, ProgrammeError>;
    /// Every order whose money is to be given back, oldest first (admins and box office).
    async fn refunds_due(
        &self,
        actor: &Actor,
    ) -> Result<Vec<crate::admin::RefundDue>, ProgrammeError>;
    /// The performance's paid orders with their buyers (admins and box office).
    async fn performance_buyers(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<PerformanceBuyer>, ProgrammeError>;
    async fn change_performance(
        &self,
        actor: &Actor,
        id: i64,
        patch: &PerformancePatch,
    ) -> Result<PerformanceAdmin, ProgrammeError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProgrammeError {
    #[error("not allowed for this role")]
    Forbidden,
    #[error("title empty or too long")]
    InvalidTitle,
    #[error("unknown kind {0:?}")]
    UnknownKind(String),
    #[error("duration out of range")]
    InvalidDuration,
    #[error("film fields on a show that is not a film")]
    FilmFieldsNotFilm,
    #[error("invalid visa number {0:?}")]
    InvalidVisa(String),
    #[error("invalid film version {0:?}")]
    InvalidVersion(String),
    #[error("a show with this title and kind exists")]
    ShowTaken,
    #[error("poster: {0:?}")]
    Poster(crate::domain::poster::PosterProblem),
    #[error("show {0} not found")]
    ShowNotFound(i64),
    #[error("hall {0} not found")]
    HallNotFound(i64),
    #[error("performance {0} not found")]
    PerformanceNotFound(i64),
    #[error("no start time given")]
    NoStart,
    #[error("invalid instant {0:?}")]
    InvalidInstant(String),
    #[error("start {0:?} is in the past")]
    StartInPast(String),
    #[error(transparent)]
    Recurrence(RecurrenceError),
    #[error("unknown price category {0:?}")]
    UnknownCategory(String),
    #[error("price category {0:?} has no price")]
    CategoryWithoutPrice(String),
    #[error("unknown tariff {0:?}")]
    UnknownTariff(String),
    #[error("invalid price for {category:?} / {tariff:?}")]
    InvalidPrice { category: String, tariff: String },
    #[error("a general-admission hall needs a capacity")]
    CapacityNeeded,
    #[error("invalid quota for {0:?}")]
    InvalidQuota(String),
    #[error("unknown channel {0:?}")]
    UnknownChannel(String),
    #[error("no channel sells it")]
    NoChannel,
    #[error("invalid tariff code {0:?}")]
    InvalidTariffCode(String),
    #[error("tariff {0:?} not found")]
    TariffNotFound(String),
    #[error("tariff code taken")]
    TariffTaken,
    #[error("tariff {0:?} is not sold in this venue")]
    TariffNotInVenue(String),
    #[error("the venue sells tariff {0:?} already")]
    VenueTariffTaken(String),
    #[error("unknown tariff family {0:?}")]
    UnknownFamily(String),
    #[error("hold time out of range")]
    InvalidHold,
    #[error("max seats per order out of range")]
    InvalidMaxSeats,
    #[error("the sale window is not before the start")]
    InvalidSaleWindow,
    #[error("performance {0} is cancelled")]
    PerformanceCancelled(i64),
    #[error("the hall already has a performance at {0}")]
    Clash(String),
    #[error("invalid venue code {0:?}")]
    InvalidVenueCode(String),
    #[error("venue code taken")]
    VenueCodeTaken,
    #[error("name empty or too long")]
    InvalidName,
    #[error("unknown plan format {0:?}")]
    UnknownFormat(String),
    #[error("seat-map version {0} not found")]
    VersionNotFound(i64),
    #[error("the seat map changed meanwhile (now version {0})")]
    SeatmapChanged(i64),
    #[error("the venue has a hall of that name")]
    HallTaken,
    #[error("venue {0} not found")]
    VenueNotFound(i64),
    #[error("give one plan: generator, plan or pretix")]
    PlanSource,
    #[error("generator: {0}")]
    Generator(crate::domain::plan::generator::GeneratorError),
    #[error("invalid plan: {count} problem(s)")]
    InvalidPlan {
        count: i64,
        first_fr: String,
        first_en: String,
    },
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl UserFacing for ProgrammeError {
    fn code(&self) -> ErrorCode {
        use ProgrammeError::*;
        match self {
            Forbidden => ErrorCode::Forbidden,
            Poster(crate::domain::poster::PosterProblem::TooLarge { .. }) => {
                ErrorCode::PayloadTooLarge
            }
            ShowNotFound(_) | HallNotFound(_) | PerformanceNotFound(_) => ErrorCode::NotFound,
            ShowTaken
            | Clash(_)
            | VenueCodeTaken
            | HallTaken
            | SeatmapChanged(_)
            | PerformanceCancelled(_)
            | TariffTaken
            | VenueTariffTaken(_) => ErrorCode::Conflict,
            VenueNotFound(_) | VersionNotFound(_) | TariffNotFound(_) => ErrorCode::NotFound,
            Failure(f) => f.code(),
            _ => ErrorCode::Validation,
        }
    }
    fn message(&self) -> Message {
        use ProgrammeError::*;
        match self {
            Forbidden => Message::new("error-staff-forbidden"),
            InvalidTitle => Message::new("error-show-title"),
            UnknownKind(k) => Message::new("error-invalid-kind").text("value", k),
            InvalidDuration => Message::new("error-show-duration"),
            FilmFieldsNotFilm => Message::new("error-film-fields"),
            InvalidVisa(v) => Message::new("error-film-visa").text("value", v),
            InvalidVersion(v) => Message::new("error-film-version").text("value", v),
            ShowTaken => Message::new("error-show-taken"),
            Poster(problem) => poster_message(problem),
            ShowNotFound(id) => Message::new("error-show-not-found").int("id", *id),
            HallNotFound(id) => Message::new("error-hall-not-found").int("id", *id),
            PerformanceNotFound(id) => Message::new("error-performance-not-found").int("id", *id),
            NoStart => Message::new("error-performance-no-start"),
            InvalidInstant(s) => Message::new("error-instant-invalid").text("value", s),
            StartInPast(s) => Message::new("error-start-in-past").text("value", s),
            Recurrence(RecurrenceError::Date(s)) => {
                Message::new("error-date-invalid").text("value", s)
            }
            Recurrence(RecurrenceError::Weekday(s)) => {
                Message::new("error-weekday-invalid").text("value", s)
            }
            Recurrence(RecurrenceError::Time(s)) => {
                Message::new("error-time-invalid").text("value", s)
            }
            Recurrence(RecurrenceError::Period) => Message::new("error-recurrence-period"),
            Recurrence(RecurrenceError::Empty) => Message::new("error-recurrence-empty"),
            Recurrence(RecurrenceError::TooMany) => Message::new("error-recurrence-too-many")
                .int("max", crate::domain::recurrence::MAX_PERFORMANCES as i64),
            UnknownCategory(c) => Message::new("error-category-unknown").text("category", c),
            CategoryWithoutPrice(c) => Message::new("error-category-no-price").text("category", c),
            UnknownTariff(t) => Message::new("error-tariff-unknown").text("tariff", t),
            InvalidPrice { category, tariff } => Message::new("error-price-invalid")
                .text("category", category)
                .text("tariff", tariff),
            CapacityNeeded => Message::new("error-capacity-needed"),
            InvalidHold => Message::new("error-hold-minutes"),
            InvalidTariffCode(c) => Message::new("error-tariff-code").text("code", c),
            TariffTaken => Message::new("error-tariff-taken"),
            TariffNotInVenue(t) => Message::new("error-tariff-not-in-venue").text("tariff", t),
            VenueTariffTaken(t) => Message::new("error-venue-tariff-taken").text("tariff", t),
            TariffNotFound(t) => Message::new("error-tariff-unknown").text("tariff", t),
            UnknownFamily(f) => Message::new("error-tariff-family").text("family", f),
            InvalidQuota(t) => Message::new("error-quota-invalid").text("tariff", t),
            UnknownChannel(c) => Message::new("error-channel-unknown").text("channel", c),
            NoChannel => Message::new("error-channel-none"),
            InvalidMaxSeats => Message::new("error-max-seats"),
            InvalidSaleWindow => Message::new("error-sale-window"),
            Clash(at) => Message::new("error-performance-clash").text("at", at),
            PerformanceCancelled(id) => Message::new("error-performance-cancelled").int("id", *id),
            InvalidVenueCode(c) => Message::new("error-venue-code").text("code", c),
            VenueCodeTaken => Message::new("error-venue-code-taken"),
            InvalidName => Message::new("error-programme-name-invalid"),
            HallTaken => Message::new("error-hall-taken"),
            UnknownFormat(f) => Message::new("error-plan-format").text("format", f),
            VersionNotFound(v) => Message::new("error-seatmap-version").int("version", *v),
            SeatmapChanged(v) => Message::new("error-seatmap-changed").int("version", *v),
            VenueNotFound(id) => Message::new("error-venue-not-found").int("id", *id),
            PlanSource => Message::new("error-plan-source"),
            Generator(crate::domain::plan::generator::GeneratorError::NoLevel) => {
                Message::new("error-generator-no-level")
            }
            Generator(crate::domain::plan::generator::GeneratorError::Size(zone)) => {
                Message::new("error-generator-size").text("zone", zone)
            }
            InvalidPlan {
                count,
                first_fr,
                first_en,
            } => Message::new("error-plan-invalid")
                .int("count", *count)
                .text("problems_fr", first_fr)
                .text("problems_en", first_en),
            Failure(f) => f.message(),
        }
    }
    fn failure(&self) -> Option<&Failure> {
        match self {
            ProgrammeError::Failure(f) => Some(f),
            _ => None,
        }
    }
}

fn poster_message(problem: &crate::domain::poster::PosterProblem) -> Message {
    use crate::domain::poster::{PosterProblem::*, MAX_POSTER_BYTES, MAX_SIDE, MIN_SIDE};
    match problem {
        Empty => Message::new("error-poster-empty"),
        TooLarge { .. } => {
            Message::new("error-poster-too-large").int("max_mb", (MAX_POSTER_BYTES >> 20) as i64)
        }
        NotAnImage => Message::new("error-poster-format"),
        Dimensions { width, height } => Message::new("error-poster-size")
            .int("width", *width as i64)
            .int("height", *height as i64)
            .int("min", MIN_SIDE as i64)
            .int("max", MAX_SIDE as i64),
    }
}

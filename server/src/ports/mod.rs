//! Outbound ports: what the use cases need from the world — storage per capability, the clock,
//! payments, ticket signing and rendering, seat changes announced between app servers.
//! Adapters implement them (`crate::adapters`); the use cases' unit tests implement them in
//! memory (`crate::usecases::fakes`).
//!
//! Every port answers `Result<_, Failure>` for machine failures; what a use case must decide on
//! (a seat taken, a hold gone) comes back as a value, never as an error to pattern-match.
mod booking;
mod catalogue;
mod clock;
mod door;
mod integrity;
mod journal;
mod mailer;
mod orders;
mod outbox;
mod passwords;
mod payment;
mod programme;
mod renderer;
mod seat_changes;
mod setup;
mod signer;
mod staff;

pub use booking::*;
pub use catalogue::*;
pub use clock::*;
pub use door::*;
pub use integrity::*;
pub use journal::*;
pub use mailer::*;
pub use orders::*;
pub use outbox::*;
pub use passwords::*;
pub use payment::*;
pub use programme::*;
pub use renderer::*;
pub use seat_changes::*;
pub use setup::*;
pub use signer::*;
pub use staff::*;

pub use app::ports::Failure;

pub type RepoResult<T> = Result<T, Failure>;

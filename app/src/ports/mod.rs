//! Inbound ports: what the server offers the UI's server functions and the JSON API, one trait
//! per capability, each operation with its own error type. The server's use cases implement
//! them; every adapter (server functions, REST, CLI) goes through them, so a rule cannot
//! differ between adapters. Errors are mapped to HTTP once (`crate::error::to_wire`).
mod booking;
mod catalogue;
mod checkout;
mod door;
mod programme;
mod staff;
mod tickets;

pub use booking::*;
pub use catalogue::*;
pub use checkout::*;
pub use door::*;
pub use programme::*;
pub use staff::*;
pub use tickets::*;

pub use crate::error::Failure;
use std::sync::Arc;

/// Everything the server functions reach, provided once in Leptos context.
#[derive(Clone)]
pub struct Services {
    pub catalogue: Arc<dyn Catalogue>,
    pub booking: Arc<dyn Booking>,
    pub checkout: Arc<dyn Checkout>,
    pub tickets: Arc<dyn Tickets>,
    pub door: Arc<dyn DoorControl>,
    pub auth: Arc<dyn StaffAuth>,
    pub staff: Arc<dyn StaffAdmin>,
    pub programme: Arc<dyn ProgrammeAdmin>,
}

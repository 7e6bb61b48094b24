//! Inbound ports: what the server offers the UI's server functions and the JSON API, one trait
//! per capability, each operation with its own error type. The server's use cases implement
//! them; every adapter (server functions, REST, CLI) goes through them, so a rule cannot
//! differ between adapters. Errors are mapped to HTTP once (`crate::error::to_wire`).
mod after_sale;
mod booking;
mod box_office;
mod catalogue;
mod checkout;
mod door;
mod journal;
mod order_mail;
mod programme;
mod reports;
mod staff;
mod tickets;

pub use after_sale::*;
pub use booking::*;
pub use box_office::*;
pub use catalogue::*;
pub use checkout::*;
pub use door::*;
pub use journal::*;
pub use order_mail::*;
pub use programme::*;
pub use reports::*;
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
    pub box_office: Arc<dyn BoxOffice>,
    pub journal: Arc<dyn CashJournal>,
    pub after_sales: Arc<dyn AfterSales>,
    pub reports: Arc<dyn Reports>,
    pub mails: Arc<dyn OrderMails>,
}

//! Use cases, one module per capability, written against the outbound ports only. They
//! implement the inbound ports (`app::ports`) that server functions, the JSON API and the CLI
//! call; nothing else in the server reaches storage.
pub mod after_sale;
pub mod booking;
pub mod box_office;
pub mod catalogue;
pub mod checkout;
pub mod door;
pub mod ids;
pub mod integrity;
pub mod journal;
pub mod mail;
pub mod memory;
pub mod programme;
pub mod reports;
pub mod secrets;
pub mod setup;
pub mod staff;
pub mod tickets;

#[cfg(test)]
pub(crate) mod fakes;

use crate::ports::*;
use std::sync::Arc;

/// The outbound adapters the use cases run on.
#[derive(Clone)]
pub struct Outbound {
    pub catalogue: Arc<dyn CatalogueRepo>,
    pub booking: Arc<dyn BookingRepo>,
    pub orders: Arc<dyn OrderRepo>,
    pub door: Arc<dyn DoorRepo>,
    pub setup: Arc<dyn SetupRepo>,
    pub integrity: Arc<dyn IntegrityRepo>,
    pub staff: Arc<dyn StaffRepo>,
    pub programme: Arc<dyn ProgrammeRepo>,
    pub journal: Arc<dyn JournalRepo>,
    pub changes: Arc<dyn SeatChanges>,
    pub clock: Arc<dyn Clock>,
    pub payments: Arc<dyn PaymentGateway>,
    pub signer: Arc<dyn TicketSigner>,
    pub renderer: Arc<dyn TicketRenderer>,
    /// The same, for the e-mails' attachments: work that may wait for the buyers.
    pub mail_renderer: Arc<dyn TicketRenderer>,
    pub passwords: Arc<dyn PasswordHasher>,
    pub outbox: Arc<dyn OutboxRepo>,
    pub mailer: Arc<dyn Mailer>,
    /// The site's public address, for the links in e-mails.
    pub public_url: String,
}

/// Settings the rules take from configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// Caps every hold's duration, in seconds (tests, demos).
    pub hold_cap_seconds: Option<i64>,
    /// What one online client may hold of a performance at once; `None`: unlimited.
    pub hold_caps: Option<app::domain::hold_cap::HoldCaps>,
    /// How live seat maps are fed.
    pub feed: catalogue::FeedSettings,
    /// Staff sessions and login throttling.
    pub staff: staff::StaffSettings,
    /// E-mail retries.
    pub mail: mail::MailSettings,
}

/// Every use case, wired once.
#[derive(Clone)]
pub struct UseCases {
    pub catalogue: Arc<catalogue::CatalogueService>,
    pub booking: Arc<booking::BookingService>,
    pub checkout: Arc<checkout::CheckoutService>,
    pub tickets: Arc<tickets::TicketsService>,
    pub door: Arc<door::DoorService>,
    pub setup: Arc<setup::SetupService>,
    pub integrity: Arc<integrity::IntegrityService>,
    pub live: Arc<catalogue::LiveFeed>,
    pub staff: Arc<staff::StaffService>,
    pub programme: Arc<programme::ProgrammeService>,
    pub box_office: Arc<box_office::BoxOfficeService>,
    pub journal: Arc<journal::JournalService>,
    pub after_sales: Arc<after_sale::AfterSaleService>,
    pub reports: Arc<reports::ReportsService>,
    pub mail: Arc<mail::MailService>,
    pub mail_requests: Arc<mail::requests::MailRequests>,
}

impl UseCases {
    pub fn new(out: Outbound, settings: Settings) -> UseCases {
        let cache = Arc::new(catalogue::CatalogueCache::new(out.catalogue.clone()));
        let board = Arc::new(booking::SeatBoard::new(
            out.booking.clone(),
            out.clock.clone(),
            out.changes.clone(),
        ));
        let memory = Arc::new(memory::Recent::new());
        let catalogue = Arc::new(catalogue::CatalogueService::new(
            out.catalogue.clone(),
            cache.clone(),
            board.clone(),
            out.clock.clone(),
            settings,
        ));
        let live = Arc::new(catalogue::LiveFeed::new(
            catalogue.clone(),
            board.clone(),
            out.changes.clone(),
            settings.feed,
        ));
        let booking = Arc::new(booking::BookingService::new(
            out.booking.clone(),
            cache.clone(),
            board.clone(),
            memory.clone(),
            out.clock.clone(),
            settings,
        ));
        let checkout = Arc::new(checkout::CheckoutService::new(
            out.orders.clone(),
            booking.clone(),
            cache.clone(),
            board.clone(),
            memory,
            out.payments.clone(),
            out.signer.clone(),
            out.clock.clone(),
        ));
        let after_sales = Arc::new(after_sale::AfterSaleService::new(
            out.orders.clone(),
            checkout.clone(),
            board.clone(),
            out.clock.clone(),
        ));
        let reports = Arc::new(reports::ReportsService::new(
            catalogue.clone(),
            out.orders.clone(),
            out.door.clone(),
            out.renderer.clone(),
            out.clock.clone(),
        ));
        let box_office = Arc::new(box_office::BoxOfficeService::new(
            booking.clone(),
            checkout.clone(),
            out.orders.clone(),
            out.catalogue.clone(),
            cache.clone(),
            out.clock.clone(),
        ));
        let tickets = Arc::new(tickets::TicketsService::new(
            out.orders.clone(),
            cache.clone(),
            out.renderer.clone(),
            out.signer.clone(),
            out.clock.clone(),
            &out.public_url,
        ));
        let mail = Arc::new(mail::MailService::new(
            out.outbox.clone(),
            out.orders.clone(),
            cache.clone(),
            out.mail_renderer.clone(),
            out.mailer.clone(),
            out.clock.clone(),
            out.public_url.clone(),
            settings.mail,
        ));
        let mail_requests = Arc::new(mail::requests::MailRequests::new(
            out.orders.clone(),
            out.outbox.clone(),
            checkout.clone(),
            out.clock.clone(),
        ));
        let door = Arc::new(door::DoorService::new(
            out.door.clone(),
            out.catalogue.clone(),
            cache.clone(),
            board.clone(),
            out.signer.clone(),
            out.clock.clone(),
            out.staff.clone(),
        ));
        let staff = Arc::new(staff::StaffService::new(
            out.staff.clone(),
            out.passwords.clone(),
            out.clock.clone(),
            settings.staff,
        ));
        let programme = Arc::new(programme::ProgrammeService::new(
            out.programme.clone(),
            out.catalogue.clone(),
            cache.clone(),
            catalogue.clone(),
            board,
            out.clock.clone(),
        ));
        let journal = Arc::new(journal::JournalService::new(
            out.journal.clone(),
            out.signer.clone(),
            out.renderer.clone(),
            out.clock.clone(),
        ));
        let setup = Arc::new(setup::SetupService::new(out.setup.clone()));
        let integrity = Arc::new(integrity::IntegrityService::new(out.integrity.clone()));
        UseCases {
            mail,
            mail_requests,
            reports,
            after_sales,
            journal,
            box_office,
            programme,
            staff,
            integrity,
            live,
            catalogue,
            booking,
            checkout,
            tickets,
            door,
            setup,
        }
    }

    /// The inbound ports, as server functions find them in Leptos context.
    pub fn services(&self) -> app::ports::Services {
        app::ports::Services {
            catalogue: self.catalogue.clone(),
            booking: self.booking.clone(),
            checkout: self.checkout.clone(),
            tickets: self.tickets.clone(),
            door: self.door.clone(),
            auth: self.staff.clone(),
            staff: self.staff.clone(),
            programme: self.programme.clone(),
            box_office: self.box_office.clone(),
            journal: self.journal.clone(),
            after_sales: self.after_sales.clone(),
            reports: self.reports.clone(),
            mails: self.mail_requests.clone(),
        }
    }
}

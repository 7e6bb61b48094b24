//! Domain types and rules, free of I/O: shared by the server and the browser. One rule per
//! module, its unit tests beside it.
pub mod admission;
pub mod after_sale;
pub mod basket;
pub mod client;
pub mod counter;
pub mod email;
pub mod event_data;
pub mod exchange;
pub mod export;
pub mod film;
pub mod heatmap;
pub mod hold;
pub mod hold_cap;
pub mod ids;
#[cfg(feature = "ssr")]
pub mod journal;
pub mod login_throttle;
pub mod mail_request;
pub mod money;
pub mod name;
pub mod numbering;
pub mod order_search;
pub mod palette;
pub mod paris;
pub mod password;
pub mod plan;
pub mod poster;
pub mod pricing;
pub mod quota;
pub mod recap;
pub mod recurrence;
pub mod sale_window;
pub mod sales_report;
pub mod seating;
pub mod selection;
pub mod staff;
pub mod statement;
pub mod tariff;

pub use client::ClientKey;
pub use email::Email;
pub use ids::{HoldId, OrderId, OrderToken, PerformanceId, SeatId, TicketId};
pub use money::Cents;
pub use numbering::TicketNumber;
pub use password::Password;
pub use staff::{Permission, Role};

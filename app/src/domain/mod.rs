//! Domain types and rules, free of I/O: shared by the server and the browser. One rule per
//! module, its unit tests beside it.
pub mod admission;
pub mod basket;
pub mod client;
pub mod email;
pub mod film;
pub mod hold;
pub mod hold_cap;
pub mod ids;
pub mod login_throttle;
pub mod money;
pub mod name;
pub mod numbering;
pub mod paris;
pub mod password;
pub mod plan;
pub mod pricing;
pub mod quota;
pub mod recurrence;
pub mod sale_window;
pub mod seating;
pub mod selection;
pub mod staff;
pub mod tariff;

pub use client::ClientKey;
pub use email::Email;
pub use ids::{HoldId, OrderId, OrderToken, PerformanceId, SeatId, TicketId};
pub use money::Cents;
pub use numbering::TicketNumber;
pub use password::Password;
pub use staff::{Permission, Role};

//! Domain types and rules, free of I/O: shared by the server and the browser.
pub mod email;
pub mod money;
pub mod paris;
pub mod rules;
pub mod seating;

pub use email::Email;
pub use money::Cents;

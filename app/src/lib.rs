//! Guichet's shared crate: UI components and routes, server-function declarations, DTOs, domain
//! rules, ticket-code verification and the service traits the server implements.
#![recursion_limit = "256"]

pub mod admin;
pub mod api;
pub mod box_office;
pub mod domain;
pub mod door;
pub mod dto;
pub mod error;
pub mod i18n;
pub mod staff;
pub mod ticket_code;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod ports;

pub use error::{AppError, ErrorCode};
pub use ui::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

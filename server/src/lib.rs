#![recursion_limit = "256"]
//! Guichet's server: use cases over outbound ports (`usecases`, `ports`), and the adapters that
//! connect them — HTTP, storage per engine, payments, PDF tickets, signing (`adapters`).
//! See docs/architecture.md.
pub mod adapters;
pub mod config;
pub mod demo;
pub mod ports;
pub mod startup;
pub mod usecases;

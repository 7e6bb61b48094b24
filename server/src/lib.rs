#![recursion_limit = "256"]
//! Guichet's server: storage, services, JSON API, PDF tickets, signing, payments, CLI.
pub mod api;
pub mod cache;
pub mod config;
pub mod demo;
pub mod door;
pub mod http_error;
pub mod payments;
pub mod pdf;
pub mod service;
pub mod signing;
pub mod startup;
pub mod storage;

//! HTTP-level tests against a real server on a random port, on SQLite and PostgreSQL.
mod helpers;

mod after_sale;
mod assets;
mod backup;
mod box_office;
mod catalog;
mod checkout;
mod crash;
mod door;
mod events;
mod expiry_edge;
mod guard;
mod halls;
mod holds;
mod integrity;
mod journal;
mod limits;
mod mail;
mod openapi;
mod overload;
mod payfip;
#[path = "../support/pdf.rs"]
mod pdf_support;
mod programme;
mod races;
mod server_fns;
mod shows;
mod staff;
mod tariffs;
mod tickets;
mod two_servers;

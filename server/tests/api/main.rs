//! HTTP-level tests against a real server on a random port, on SQLite and PostgreSQL.
mod helpers;

mod backup;
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
mod limits;
mod overload;
mod programme;
mod races;
mod server_fns;
mod staff;
mod tickets;
mod two_servers;

//! Adapters: what connects the use cases to the world. Inbound — the HTTP routes (JSON API,
//! server functions, pages) and the CLI (in `main.rs`); outbound — storage per engine,
//! payments, password hashing, ticket signing, PDF rendering and seat-change announcements, each implementing a
//! port of `crate::ports`.
pub mod changes;
pub mod http;
pub mod mail;
pub mod passwords;
pub mod payfip;
pub mod payments;
pub mod pdf;
pub mod signing;
pub mod storage;

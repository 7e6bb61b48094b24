//! The cash journal, "designed for" the French anti-fraud rule on cash-register software
//! (CGI art. 286 I 3° bis, BOI-TVA-DECLA-30-10-30): pure
//! functions and types, no storage. The four conditions and where they are met:
//!
//! - **inaltérabilité**: entries are never changed; a correction is a new entry with opposite
//!   signs (`EntryKind::Refund`, `Cancellation`, `Exchange`), built only by [`Chain::append`];
//! - **sécurisation**: each entry is chained to the previous one by SHA-256 over a documented
//!   canonical form (`entry`), with a gap-free seq and perpetual totals; [`verify()`] names the
//!   first entry that breaks anything. A chain alone can be rebuilt whole by someone holding
//!   the data: the signed archives and the closures' cumulative totals pin it down;
//! - **conservation**: closures (Z reports) of days, months and years with cumulative totals
//!   (`closure`), checked against their entries;
//! - **archivage**: period archives in JSON Lines, read back and verified, with the digest their
//!   detached Ed25519 signature signs (`archive`).
//!
//! The technical events journal (JET) is chained the same way (`tech`).
//!
//! Certification itself (NF525 by Infocert, or LNE) is an audit of the whole software; this
//! module does not claim it.
pub mod archive;
mod canonical;
pub mod chain;
pub mod closure;
pub mod entry;
pub mod tech;
#[cfg(test)]
mod testkit;
pub mod vat;
pub mod verify;

pub use chain::GENESIS;
pub use closure::{
    CashCount, CashCounted, ClosureTotals, Frequency, Period, Sums, SumsPart, TariffTotal, VatTotal,
};
pub use entry::{next, Chain, Draft, Entry, EntryKind, Head, Line, Payment, PaymentMethod};
pub use tech::{TechChain, TechEvent, TechKind, TechSummary, TechVerifier};
pub use vat::{vat_of, SHOW_RATE_BP};
pub use verify::{verify, verify_after, Broken, Journal, Reason, Shape, Summary, Verifier};

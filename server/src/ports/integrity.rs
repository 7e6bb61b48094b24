use super::RepoResult;
use async_trait::async_trait;

/// The storage's own health, and the invariants a sale must never break — checked after a
/// crash, a restore, or any time (`guichet check`).
#[async_trait]
pub trait IntegrityRepo: Send + Sync + 'static {
    /// Reads and writes can be served now (on SQLite: the writer thread answers).
    async fn health(&self) -> RepoResult<()>;
    /// Every broken invariant found, at most a few of each kind.
    async fn problems(&self) -> RepoResult<Vec<Problem>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// What is concerned (ids, numbers), for whoever repairs it.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    /// Two valid tickets for one seat of one performance.
    SeatSoldTwice,
    /// A valid ticket whose order is not paid.
    TicketWithoutPaidOrder,
    /// A paid order with fewer tickets than lines.
    PaidOrderWithoutTickets,
    /// A ticket series whose numbers do not run 1..last without a hole.
    NumberingGap,
    /// A standing admission of a cancelled ticket.
    CancelledTicketAdmitted,
    /// A seat recorded as sold without a valid ticket for it.
    SoldSeatWithoutTicket,
    /// A held or sold seat that is not on the seat-map version its performance sells.
    SeatOffItsMap,
    /// A valid ticket of a cancelled performance (sold by a server that had not yet heard of
    /// the cancellation): to cancel and refund.
    ValidTicketOfCancelledPerformance,
}

impl ProblemKind {
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::SeatSoldTwice => "seat sold twice",
            ProblemKind::TicketWithoutPaidOrder => "ticket without a paid order",
            ProblemKind::PaidOrderWithoutTickets => "paid order without all its tickets",
            ProblemKind::NumberingGap => "gap in a ticket series",
            ProblemKind::CancelledTicketAdmitted => "admission of a cancelled ticket",
            ProblemKind::SoldSeatWithoutTicket => "seat sold without a ticket",
            ProblemKind::SeatOffItsMap => "seat claimed off its performance's seat map",
            ProblemKind::ValidTicketOfCancelledPerformance => {
                "valid ticket of a cancelled performance"
            }
        }
    }
}

/// The queries that find each kind of problem: the same SQL on both engines, each row one
/// problem as (detail text).
pub const INTEGRITY_QUERIES: &[(ProblemKind, &str)] = &[
    (
        ProblemKind::SeatSoldTwice,
        "SELECT 'performance ' || performance_id || ', seat ' || seat_id || ': ' || COUNT(*) || ' valid tickets'
           FROM tickets WHERE status = 'valid' AND seat_id IS NOT NULL
          GROUP BY performance_id, seat_id HAVING COUNT(*) > 1 LIMIT 20",
    ),
    (
        ProblemKind::TicketWithoutPaidOrder,
        "SELECT 'ticket ' || tk.id || ' of order ' || tk.order_id || ' (' || COALESCE(o.status, 'missing') || ')'
           FROM tickets tk LEFT JOIN orders o ON o.id = tk.order_id
          WHERE tk.status = 'valid' AND (o.id IS NULL OR o.status <> 'paid') LIMIT 20",
    ),
    (
        ProblemKind::PaidOrderWithoutTickets,
        "SELECT 'order ' || o.id || ': ' || (SELECT COUNT(*) FROM tickets t WHERE t.order_id = o.id)
                || ' tickets for ' || (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id) || ' lines'
           FROM orders o
          WHERE o.status = 'paid'
            AND (SELECT COUNT(*) FROM tickets t WHERE t.order_id = o.id)
              < (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id) LIMIT 20",
    ),
    (
        ProblemKind::NumberingGap,
        "SELECT 'venue ' || s.venue_id || ', tariff ' || s.tariff_code || ': last number ' || s.last_number
                || ', ' || COUNT(t.id) || ' tickets, highest ' || COALESCE(MAX(t.number), 0)
           FROM ticket_series s
           LEFT JOIN tickets t ON t.venue_id = s.venue_id AND t.tariff_code = s.tariff_code
          GROUP BY s.venue_id, s.tariff_code, s.last_number
         HAVING COUNT(t.id) <> s.last_number OR COALESCE(MAX(t.number), 0) <> s.last_number LIMIT 20",
    ),
    (
        ProblemKind::CancelledTicketAdmitted,
        "SELECT 'admission ' || a.id || ' of ticket ' || a.ticket_id
           FROM admissions a JOIN tickets tk ON tk.id = a.ticket_id
          WHERE a.undone_at IS NULL AND tk.status = 'cancelled' LIMIT 20",
    ),
    (
        ProblemKind::SoldSeatWithoutTicket,
        "SELECT 'performance ' || c.performance_id || ', seat ' || c.seat_id
           FROM seat_claims c
          WHERE c.expires_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.performance_id = c.performance_id
                               AND t.seat_id = c.seat_id AND t.status = 'valid') LIMIT 20",
    ),
    (
        ProblemKind::SeatOffItsMap,
        "SELECT 'performance ' || c.performance_id || ', seat ' || c.seat_id
           FROM seat_claims c
           JOIN performances p ON p.id = c.performance_id
           JOIN seats st ON st.id = c.seat_id
          WHERE st.hall_id <> p.hall_id OR st.version <> p.seatmap_version LIMIT 20",
    ),
    (
        ProblemKind::ValidTicketOfCancelledPerformance,
        "SELECT 'ticket ' || tk.id || ' of order ' || tk.order_id || ', performance ' || tk.performance_id
           FROM tickets tk JOIN performances p ON p.id = tk.performance_id
          WHERE tk.status = 'valid' AND p.cancelled LIMIT 20",
    ),
];

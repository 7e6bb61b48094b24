//! What this server remembers of the holds and orders it created, until they are paid: the next
//! step of a purchase need not read them back (another server, or a restart, simply reads
//! them). Bounded in size and age; anything forgotten is read from storage.
use crate::ports::{OrderItemRow, OrderRow};
use app::domain::{HoldId, OrderId, PerformanceId};
use moka::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

/// Longer than any hold lasts.
const KEEP: Duration = Duration::from_secs(3600);
const ENTRIES: u64 = 4096;

/// What never changes about a hold once placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldFacts {
    pub performance: PerformanceId,
    /// Sorted.
    pub seat_ids: Vec<i64>,
    pub quantity: i64,
    pub expires_at: i64,
}

/// An order as created, with its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderFacts {
    pub order: OrderRow,
    pub items: Vec<OrderItemRow>,
}

pub struct Recent {
    holds: Cache<HoldId, Arc<HoldFacts>>,
    orders: Cache<OrderId, Arc<OrderFacts>>,
    /// Hold → its latest order, to forget an order its successor cancelled.
    open_order_of: Cache<HoldId, OrderId>,
}

impl Default for Recent {
    fn default() -> Self {
        Recent::new()
    }
}

impl Recent {
    pub fn new() -> Recent {
        Recent {
            holds: bounded(),
            orders: bounded(),
            open_order_of: bounded(),
        }
    }

    pub fn hold(&self, id: &HoldId) -> Option<Arc<HoldFacts>> {
        self.holds.get(id)
    }

    pub fn remember_hold(&self, id: HoldId, facts: HoldFacts) {
        self.holds.insert(id, Arc::new(facts));
    }

    pub fn order(&self, id: &OrderId) -> Option<Arc<OrderFacts>> {
        self.orders.get(id)
    }

    /// Keeps a new order for its payment; an earlier unpaid order on the same hold was just
    /// cancelled, so it is forgotten.
    pub fn remember_order(&self, order: &OrderRow, items: &[OrderItemRow]) {
        if let Some(previous) = self.open_order_of.get(&order.hold) {
            self.orders.invalidate(&previous);
        }
        self.open_order_of
            .insert(order.hold.clone(), order.id.clone());
        self.orders.insert(
            order.id.clone(),
            Arc::new(OrderFacts {
                order: order.clone(),
                items: items.to_vec(),
            }),
        );
    }

    /// The hold was released, paid or ran out: neither it nor its order is needed any more.
    pub fn forget_hold(&self, id: &HoldId) {
        self.holds.invalidate(id);
        if let Some(order) = self.open_order_of.remove(id) {
            self.orders.invalidate(&order);
        }
    }
}

fn bounded<K, V>() -> Cache<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Cache::builder()
        .max_capacity(ENTRIES)
        .time_to_live(KEEP)
        .build()
}

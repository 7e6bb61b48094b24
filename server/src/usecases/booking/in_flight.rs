//! Seats that a hold in this process is writing right now. A second request for one of them is
//! refused at once instead of queueing for a write that would fail; the storage's claim on the
//! seat remains the guarantee (other app servers, stale views).
use std::collections::HashSet;
use std::sync::Mutex;

#[derive(Default)]
pub struct InFlight(Mutex<HashSet<(i64, i64)>>);

pub struct InFlightGuard<'a> {
    set: &'a InFlight,
    keys: Vec<(i64, i64)>,
}

impl InFlight {
    /// Lets `choose` pick seats, telling it which are in flight, and claims what it picks.
    pub fn claim_chosen(
        &self,
        performance_id: i64,
        choose: impl FnOnce(&dyn Fn(i64) -> bool) -> Option<Vec<i64>>,
    ) -> Option<(Vec<i64>, InFlightGuard<'_>)> {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let ids = choose(&|id| set.contains(&(performance_id, id)))?;
        let keys: Vec<(i64, i64)> = ids.iter().map(|id| (performance_id, *id)).collect();
        set.extend(keys.iter().copied());
        Some((ids, InFlightGuard { set: self, keys }))
    }

    /// Claims every seat or none; on failure returns the seats already in flight.
    pub fn claim(
        &self,
        performance_id: i64,
        seat_ids: &[i64],
    ) -> Result<InFlightGuard<'_>, Vec<i64>> {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let busy: Vec<i64> = seat_ids
            .iter()
            .copied()
            .filter(|id| set.contains(&(performance_id, *id)))
            .collect();
        if !busy.is_empty() {
            return Err(busy);
        }
        let keys: Vec<(i64, i64)> = seat_ids.iter().map(|id| (performance_id, *id)).collect();
        set.extend(keys.iter().copied());
        Ok(InFlightGuard { set: self, keys })
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        let mut set = self.set.0.lock().unwrap_or_else(|e| e.into_inner());
        for k in &self.keys {
            set.remove(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_all_or_nothing_and_end_with_the_guard() {
        let f = InFlight::default();
        let g = f.claim(1, &[1, 2]).unwrap();
        assert_eq!(f.claim(1, &[2, 3]).err(), Some(vec![2]));
        assert!(f.claim(2, &[2]).is_ok(), "another performance's seat 2");
        let (ids, _g2) = f
            .claim_chosen(1, |busy| {
                Some((1..=4).filter(|s| !busy(*s)).take(2).collect())
            })
            .unwrap();
        assert_eq!(ids, vec![3, 4]);
        drop(g);
        assert!(f.claim(1, &[1, 2]).is_ok());
    }
}

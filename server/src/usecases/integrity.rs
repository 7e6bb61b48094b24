//! Is the service able to work, and are the sales' invariants intact?
use crate::ports::{IntegrityRepo, Problem};
use app::ports::Failure;
use std::sync::Arc;

pub struct IntegrityService {
    repo: Arc<dyn IntegrityRepo>,
}

impl IntegrityService {
    pub fn new(repo: Arc<dyn IntegrityRepo>) -> IntegrityService {
        IntegrityService { repo }
    }

    /// For `/health`: the database answers reads and writes now.
    pub async fn health(&self) -> Result<(), Failure> {
        self.repo.health().await
    }

    /// Every broken invariant (none on a sound database), by kind.
    pub async fn check(&self) -> Result<Vec<Problem>, Failure> {
        let mut problems = self.repo.problems().await?;
        problems.sort_by(|a, b| (a.kind, &a.detail).cmp(&(b.kind, &b.detail)));
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use crate::ports::ProblemKind;
    use crate::usecases::fakes::*;
    use app::dto::*;
    use app::ports::{Booking, Checkout};
    use std::sync::atomic::Ordering;

    #[tokio::test]
    async fn a_sound_sale_has_no_problem_and_a_lost_ticket_is_found() {
        let w = world();
        let (perf, s) = venue(&w, Spec::default()).await;
        let hold =
            w.uc.booking
                .create_hold(HoldRequest {
                    performance_id: perf,
                    seat_ids: Some(s[0..2].to_vec()),
                    quantity: None,
                })
                .await
                .unwrap();
        let order =
            w.uc.checkout
                .create_order(OrderRequest {
                    hold_id: hold.id,
                    buyer: Buyer {
                        name: "A B".into(),
                        email: "a@b.fr".into(),
                    },
                    tickets: s[0..2]
                        .iter()
                        .map(|s| TicketRequest {
                            seat_id: Some(*s),
                            tariff: "plein".into(),
                        })
                        .collect(),
                    lang: None,
                })
                .await
                .unwrap();
        w.uc.checkout
            .pay(&order.id, &order.token, PaymentOutcome::Approve)
            .await
            .map(PaymentReply::into_order)
            .unwrap();
        assert_eq!(w.uc.integrity.check().await.unwrap(), vec![]);
        assert!(w.uc.integrity.health().await.is_ok());

        w.store.lose_a_ticket();
        let kinds: Vec<ProblemKind> =
            w.uc.integrity
                .check()
                .await
                .unwrap()
                .iter()
                .map(|p| p.kind)
                .collect();
        assert!(
            kinds.contains(&ProblemKind::PaidOrderWithoutTickets),
            "{kinds:?}"
        );
        assert!(kinds.contains(&ProblemKind::NumberingGap), "{kinds:?}");

        w.store.down.store(true, Ordering::SeqCst);
        assert!(w.uc.integrity.health().await.is_err());
    }
}

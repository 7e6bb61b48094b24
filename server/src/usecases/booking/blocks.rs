//! Seats kept off one performance's sale by the box office (house seats, press, a broken
//! seat): a claim that never expires, so no buyer, best-seat choice or counter sale can take
//! them, until they are released. The plan's own blocked seats are the programme's, not these.
use super::BookingService;
use crate::ports::*;
use crate::usecases::ids;
use app::box_office::{BlockRequest, BlockedSeat, ReleaseRequest, SeatBlocks, COUNTER_MAX_SEATS};
use app::domain::selection::check_selection;
use app::domain::PerformanceId;
use app::dto::SeatLabel;
use app::ports::HoldError;
use app::staff::Actor;

impl BookingService {
    async fn seated(&self, performance_id: i64) -> Result<PerformanceRules, HoldError> {
        let perf = self
            .cache
            .rules(PerformanceId(performance_id))
            .await?
            .ok_or(HoldError::PerformanceNotFound(performance_id))?;
        if !perf.seated {
            return Err(HoldError::QuantityExpected);
        }
        Ok((*perf).clone())
    }

    pub async fn block_seats(
        &self,
        actor: &Actor,
        performance_id: i64,
        request: &BlockRequest,
    ) -> Result<SeatBlocks, HoldError> {
        let perf = self.seated(performance_id).await?;
        check_selection(&request.seat_ids, COUNTER_MAX_SEATS)?;
        let plan = self.plan(&perf).await?;
        super::check_seats(&plan, &request.seat_ids, false)?;
        let now = self.clock.now();
        let block = SeatBlock {
            hold: ids::hold_id(),
            performance: PerformanceId(perf.id),
            seat_ids: request.seat_ids.clone(),
            reason: request.reason,
            now,
            audit: AuditRecord::new(
                now,
                actor,
                "seats.block",
                format!("performance {}", perf.id),
                serde_json::json!({"seat_ids": request.seat_ids, "reason": request.reason.code()}),
            ),
        };
        if let Err(refusal) = self.repo.block_seats(&block).await? {
            return Err(super::refused(refusal, now));
        }
        self.board.forget(block.performance);
        self.listing(&perf, request.seat_ids.clone()).await
    }

    pub async fn release_seats(
        &self,
        actor: &Actor,
        performance_id: i64,
        request: &ReleaseRequest,
    ) -> Result<SeatBlocks, HoldError> {
        let perf = self.seated(performance_id).await?;
        check_selection(&request.seat_ids, COUNTER_MAX_SEATS)?;
        let now = self.clock.now();
        let released = self
            .repo
            .release_blocks(&BlockRelease {
                performance: PerformanceId(perf.id),
                seat_ids: request.seat_ids.clone(),
                audit: AuditRecord::new(
                    now,
                    actor,
                    "seats.release",
                    format!("performance {}", perf.id),
                    serde_json::json!({"seat_ids": request.seat_ids}),
                ),
            })
            .await?;
        if !released.is_empty() {
            self.board.forget(PerformanceId(perf.id));
        }
        self.listing(&perf, released).await
    }

    /// Before a supervisor's counter sale: those of `seat_ids` blocked for this performance
    /// are released (audited as sold by the supervisor); the plan's own blocks are the
    /// counter hold's business.
    pub async fn release_to_sell(
        &self,
        actor: &Actor,
        performance_id: i64,
        seat_ids: &[i64],
    ) -> Result<(), HoldError> {
        let id = PerformanceId(performance_id);
        let blocked: Vec<i64> = self
            .repo
            .seat_blocks(id)
            .await?
            .into_iter()
            .map(|(seat, _)| seat)
            .filter(|seat| seat_ids.contains(seat))
            .collect();
        if blocked.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        self.repo
            .release_blocks(&BlockRelease {
                performance: id,
                seat_ids: blocked.clone(),
                audit: AuditRecord::new(
                    now,
                    actor,
                    "seats.release",
                    format!("performance {performance_id}"),
                    serde_json::json!({"seat_ids": blocked, "why": "sold by a supervisor"}),
                ),
            })
            .await?;
        self.board.forget(id);
        Ok(())
    }

    pub async fn seat_blocks(&self, performance_id: i64) -> Result<SeatBlocks, HoldError> {
        let perf = self.seated(performance_id).await?;
        self.listing(&perf, Vec::new()).await
    }

    async fn listing(
        &self,
        perf: &PerformanceRules,
        changed: Vec<i64>,
    ) -> Result<SeatBlocks, HoldError> {
        let plan = self.plan(perf).await?;
        let blocked = self
            .repo
            .seat_blocks(PerformanceId(perf.id))
            .await?
            .into_iter()
            .map(|(seat_id, reason)| BlockedSeat {
                seat_id,
                seat: plan.seat(seat_id).map_or_else(String::new, |s| {
                    SeatLabel {
                        zone: s.zone.clone(),
                        row: s.row.clone(),
                        number: s.number,
                    }
                    .fr()
                }),
                reason,
            })
            .collect();
        Ok(SeatBlocks {
            performance_id: perf.id,
            changed,
            blocked,
        })
    }
}

//! Service traits (ports). The server implements them; server functions, the JSON API and the
//! CLI all go through them, so the UI never sees storage.
use crate::door::*;
use crate::dto::*;
use crate::error::AppError;
use crate::ticket_code::PublicKeyInfo;
use async_trait::async_trait;

#[async_trait]
pub trait Ticketing: Send + Sync + 'static {
    async fn programme(&self, query: ProgrammeQuery) -> Result<Vec<PerformanceSummary>, AppError>;
    async fn show(&self, show_id: i64) -> Result<ShowDetail, AppError>;
    async fn seatmap(&self, performance_id: i64) -> Result<SeatMap, AppError>;
    async fn live_state(&self, performance_id: i64) -> Result<LiveState, AppError>;
    async fn create_hold(&self, request: HoldRequest) -> Result<HoldView, AppError>;
    async fn release_hold(&self, hold_id: &str) -> Result<(), AppError>;
    async fn create_order(&self, request: OrderRequest) -> Result<OrderView, AppError>;
    /// Records a payment attempt. Approving an already paid order returns it unchanged.
    async fn pay(&self, order_id: &str, outcome: PaymentOutcome) -> Result<OrderView, AppError>;
    /// An order, only for the holder of its link token.
    async fn order(&self, order_id: &str, token: &str) -> Result<OrderView, AppError>;
    /// One PDF with every ticket of the order, or only `ticket_id`.
    async fn tickets_pdf(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: Option<i64>,
    ) -> Result<Vec<u8>, AppError>;
    /// The QR code of one ticket as SVG, to show on a phone at the door.
    async fn ticket_qr_svg(
        &self,
        order_id: &str,
        token: &str,
        ticket_id: i64,
    ) -> Result<String, AppError>;
    fn public_keys(&self) -> Vec<PublicKeyInfo>;
    /// True when the sandbox payment provider is active (the UI must say so).
    fn payments_sandbox(&self) -> bool;
}

/// Door control. Every call carries the door token (`Authorization: Bearer …` on the API); a
/// token reaches only its own performances.
#[async_trait]
pub trait DoorControl: Send + Sync + 'static {
    async fn access(&self, token: &str) -> Result<DoorAccess, AppError>;
    async fn scan(&self, token: &str, request: ScanRequest) -> Result<ScanResult, AppError>;
    /// Supervisor tokens only.
    async fn undo(&self, token: &str, admission_id: i64) -> Result<ScanResult, AppError>;
    async fn checkin(&self, token: &str, performance_id: i64) -> Result<CheckinReport, AppError>;
    async fn attendees(
        &self,
        token: &str,
        performance_id: i64,
        query: &str,
    ) -> Result<Vec<Attendee>, AppError>;
    async fn offline_data(&self, token: &str, performance_id: i64)
        -> Result<OfflineData, AppError>;
}

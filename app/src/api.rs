//! Server-function declarations used by the UI. Each one forwards to the `Ticketing` port that
//! the server puts in Leptos context; none touches storage directly.
use crate::dto::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn service() -> Result<std::sync::Arc<dyn crate::ports::Ticketing>, AppError> {
    use_context::<std::sync::Arc<dyn crate::ports::Ticketing>>()
        .ok_or_else(|| AppError::internal("service absent du contexte"))
}

#[server(prefix = "/sf", endpoint = "programme")]
pub async fn get_programme(query: ProgrammeQuery) -> Result<Vec<PerformanceSummary>, AppError> {
    service()?.programme(query).await
}

#[server(prefix = "/sf", endpoint = "show")]
pub async fn get_show(show_id: i64) -> Result<ShowDetail, AppError> {
    service()?.show(show_id).await
}

#[server(prefix = "/sf", endpoint = "seatmap")]
pub async fn get_seatmap(performance_id: i64) -> Result<SeatMap, AppError> {
    service()?.seatmap(performance_id).await
}

#[server(prefix = "/sf", endpoint = "live")]
pub async fn get_live_state(performance_id: i64) -> Result<LiveState, AppError> {
    service()?.live_state(performance_id).await
}

#[server(prefix = "/sf", endpoint = "hold")]
pub async fn create_hold(request: HoldRequest) -> Result<HoldView, AppError> {
    service()?.create_hold(request).await
}

#[server(prefix = "/sf", endpoint = "release")]
pub async fn release_hold(hold_id: String) -> Result<(), AppError> {
    service()?.release_hold(&hold_id).await
}

#[server(prefix = "/sf", endpoint = "order")]
pub async fn create_order(request: OrderRequest) -> Result<OrderView, AppError> {
    service()?.create_order(request).await
}

#[server(prefix = "/sf", endpoint = "pay")]
pub async fn pay_order(
    order_id: String,
    token: String,
    outcome: PaymentOutcome,
) -> Result<OrderView, AppError> {
    let svc = service()?;
    // The order link's token proves the caller owns the order before a payment is attempted.
    svc.order(&order_id, &token).await?;
    svc.pay(&order_id, outcome).await
}

#[server(prefix = "/sf", endpoint = "get_order")]
pub async fn get_order(order_id: String, token: String) -> Result<OrderView, AppError> {
    service()?.order(&order_id, &token).await
}

#[server(prefix = "/sf", endpoint = "sandbox")]
pub async fn payments_sandbox() -> Result<bool, AppError> {
    Ok(service()?.payments_sandbox())
}

// --- Door (phone scanner page). The door token travels as an argument; the DoorControl port
// checks it exactly as the JSON API does.

#[cfg(feature = "ssr")]
fn door() -> Result<std::sync::Arc<dyn crate::ports::DoorControl>, AppError> {
    use_context::<std::sync::Arc<dyn crate::ports::DoorControl>>()
        .ok_or_else(|| AppError::internal("service de contrôle absent du contexte"))
}

#[server(prefix = "/sf", endpoint = "door_access")]
pub async fn door_access(token: String) -> Result<crate::door::DoorAccess, AppError> {
    door()?.access(&token).await
}

#[server(prefix = "/sf", endpoint = "door_scan")]
pub async fn door_scan(
    token: String,
    request: crate::door::ScanRequest,
) -> Result<crate::door::ScanResult, AppError> {
    door()?.scan(&token, request).await
}

#[server(prefix = "/sf", endpoint = "door_undo")]
pub async fn door_undo(
    token: String,
    admission_id: i64,
) -> Result<crate::door::ScanResult, AppError> {
    door()?.undo(&token, admission_id).await
}

#[server(prefix = "/sf", endpoint = "door_checkin")]
pub async fn door_checkin(
    token: String,
    performance_id: i64,
) -> Result<crate::door::CheckinReport, AppError> {
    door()?.checkin(&token, performance_id).await
}

#[server(prefix = "/sf", endpoint = "door_attendees")]
pub async fn door_attendees(
    token: String,
    performance_id: i64,
    query: String,
) -> Result<Vec<crate::door::Attendee>, AppError> {
    door()?.attendees(&token, performance_id, &query).await
}

#[server(prefix = "/sf", endpoint = "door_offline")]
pub async fn door_offline(
    token: String,
    performance_id: i64,
) -> Result<crate::door::OfflineData, AppError> {
    door()?.offline_data(&token, performance_id).await
}

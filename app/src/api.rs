//! Server-function declarations used by the UI. Each one forwards to an inbound port that the
//! server puts in Leptos context (`ports::Services`) and maps its error once, like the JSON API:
//! the status code from the error's code, the message in the reader's language.
use crate::dto::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod edge {
    use crate::error::{to_wire, AppError, ErrorCode, UserFacing};
    use crate::i18n::Lang;
    use crate::ports::Services;
    use leptos::prelude::*;

    pub fn services() -> Result<Services, AppError> {
        use_context::<Services>().ok_or_else(|| AppError::new(ErrorCode::Internal, "services"))
    }

    /// The reader's language, from the request this server function answers.
    pub fn lang() -> Lang {
        use_context::<http::request::Parts>()
            .map(|parts| {
                let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
                Lang::from_headers(
                    header(http::header::COOKIE),
                    header(http::header::ACCEPT_LANGUAGE),
                )
            })
            .unwrap_or_default()
    }

    /// Who is asking, as the HTTP adapter found out (peer or trusted proxy's client).
    pub fn client() -> Option<crate::domain::ClientKey> {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::domain::ClientKey>().cloned())
    }

    /// A use-case error as the browser receives it, with its HTTP status set.
    pub fn fail(err: impl UserFacing) -> AppError {
        let wire = to_wire(&err, lang());
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(wire.error.http_status());
            if let Some(seconds) = wire.retry_after {
                if let Ok(v) = http::HeaderValue::from_str(&seconds.to_string()) {
                    response.insert_header(http::header::RETRY_AFTER, v);
                }
            }
        }
        wire
    }
}

#[cfg(feature = "ssr")]
use edge::{fail, services};

#[server(prefix = "/sf", endpoint = "programme")]
pub async fn get_programme(query: ProgrammeQuery) -> Result<Vec<PerformanceSummary>, AppError> {
    services()?.catalogue.programme(query).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "show")]
pub async fn get_show(show_id: i64) -> Result<ShowDetail, AppError> {
    services()?.catalogue.show(show_id).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "seatmap")]
pub async fn get_seatmap(performance_id: i64) -> Result<PackedSeatMap, AppError> {
    services()?
        .catalogue
        .seatmap(performance_id)
        .await
        .map(PackedSeatMap)
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "live")]
pub async fn get_live_state(performance_id: i64) -> Result<LiveState, AppError> {
    services()?
        .catalogue
        .live_state(performance_id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "hold")]
pub async fn create_hold(request: HoldRequest) -> Result<HoldView, AppError> {
    services()?
        .booking
        .hold_for(edge::client(), request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "release")]
pub async fn release_hold(hold_id: String) -> Result<(), AppError> {
    services()?
        .booking
        .release_hold(&hold_id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "order")]
pub async fn create_order(request: OrderRequest) -> Result<OrderView, AppError> {
    services()?
        .checkout
        .create_order(request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "pay")]
pub async fn pay_order(
    order_id: String,
    token: String,
    outcome: PaymentOutcome,
) -> Result<PaymentReply, AppError> {
    services()?
        .checkout
        .pay(&order_id, &token, outcome)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "get_order")]
pub async fn get_order(order_id: String, token: String) -> Result<OrderView, AppError> {
    services()?
        .checkout
        .order(&order_id, &token)
        .await
        .map_err(fail)
}

/// The order's tickets mailed again (the order page).
#[server(prefix = "/sf", endpoint = "resend_tickets")]
pub async fn resend_tickets(order_id: String, token: String) -> Result<MailQueued, AppError> {
    services()?
        .mails
        .resend(&order_id, &token)
        .await
        .map_err(fail)
}

/// "Retrouver ma commande": the same answer whether or not anything matched.
#[server(prefix = "/sf", endpoint = "find_orders")]
pub async fn find_orders(query: String) -> Result<(), AppError> {
    let lang = edge::lang();
    services()?
        .mails
        .find_my_orders(&FindOrdersRequest {
            query,
            lang: Some(lang.code().to_string()),
        })
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "sandbox")]
pub async fn payments_sandbox() -> Result<bool, AppError> {
    Ok(services()?.checkout.payments_sandbox())
}

#[server(prefix = "/sf", endpoint = "payments_online")]
pub async fn payments_online() -> Result<PaymentProvider, AppError> {
    Ok(services()?.checkout.payment_provider())
}

// --- Door (phone scanner page). The door token travels as an argument; the DoorControl port
// checks it exactly as the JSON API does.

#[server(prefix = "/sf", endpoint = "door_access")]
pub async fn door_access(token: String) -> Result<crate::door::DoorAccess, AppError> {
    services()?.door.access(&token).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "door_scan")]
pub async fn door_scan(
    token: String,
    request: crate::door::ScanRequest,
) -> Result<crate::door::ScanResult, AppError> {
    services()?.door.scan(&token, request).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "door_undo")]
pub async fn door_undo(
    token: String,
    admission_id: i64,
) -> Result<crate::door::ScanResult, AppError> {
    services()?
        .door
        .undo(&token, admission_id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "door_checkin")]
pub async fn door_checkin(
    token: String,
    performance_id: i64,
) -> Result<crate::door::CheckinReport, AppError> {
    services()?
        .door
        .checkin(&token, performance_id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "door_attendees")]
pub async fn door_attendees(
    token: String,
    performance_id: i64,
    query: String,
) -> Result<Vec<crate::door::Attendee>, AppError> {
    services()?
        .door
        .attendees(&token, performance_id, &query)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "door_offline")]
pub async fn door_offline(
    token: String,
    performance_id: i64,
) -> Result<crate::door::OfflineData, AppError> {
    services()?
        .door
        .offline_data(&token, performance_id)
        .await
        .map_err(fail)
}

// --- Staff (login, the door's staff login, the team page). The session cookie travels with
// the request; the StaffAuth port checks it exactly as the JSON API does.

#[cfg(feature = "ssr")]
mod staff_edge {
    use crate::error::AppError;
    use crate::staff::cookies::{credential, session_secret, set_cookie, CookiePolicy};
    use crate::staff::Actor;
    use leptos::prelude::*;

    fn headers() -> http::HeaderMap {
        use_context::<http::request::Parts>()
            .map(|p| p.headers)
            .unwrap_or_default()
    }

    pub fn previous_session() -> Option<String> {
        session_secret(&headers())
    }

    /// Sets the session cookie on this server function's response.
    pub fn answer_with_cookie(secret: &str, max_age: i64) {
        let secure = use_context::<CookiePolicy>().is_some_and(|p| p.secure);
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.insert_header(
                http::header::SET_COOKIE,
                set_cookie(secret, max_age, secure),
            );
        }
    }

    /// The logged-in staff member; `None` without a valid session.
    pub async fn actor() -> Result<Option<Actor>, AppError> {
        let Some(credential) = credential(&headers()) else {
            return Ok(None);
        };
        match super::services()?.auth.authenticate(&credential).await {
            Ok(actor) => Ok(Some(actor)),
            Err(crate::ports::AuthError::NotAuthenticated) => Ok(None),
            Err(e) => Err(super::fail(e)),
        }
    }

    pub async fn required_actor() -> Result<Actor, AppError> {
        actor()
            .await?
            .ok_or_else(|| super::fail(crate::ports::AuthError::NotAuthenticated))
    }
}

#[server(prefix = "/sf", endpoint = "staff_login")]
pub async fn staff_login(
    email: String,
    password: String,
) -> Result<crate::staff::StaffMember, AppError> {
    let previous = staff_edge::previous_session();
    let opened = services()?
        .auth
        .login(&email, &password, previous.as_deref())
        .await
        .map_err(fail)?;
    staff_edge::answer_with_cookie(&opened.secret, opened.max_age);
    Ok(opened.staff)
}

#[server(prefix = "/sf", endpoint = "staff_logout")]
pub async fn staff_logout() -> Result<(), AppError> {
    if let Some(secret) = staff_edge::previous_session() {
        services()?.auth.logout(&secret).await.map_err(fail)?;
    }
    staff_edge::answer_with_cookie("", 0);
    Ok(())
}

/// Who is logged in on this browser, if anyone.
#[server(prefix = "/sf", endpoint = "staff_me")]
pub async fn staff_me() -> Result<Option<crate::staff::StaffMember>, AppError> {
    Ok(staff_edge::actor().await?.and_then(|a| a.staff))
}

/// A door access for the logged-in door staff member, for the performances chosen.
#[server(prefix = "/sf", endpoint = "door_open")]
pub async fn door_open(
    performance_ids: Vec<i64>,
) -> Result<crate::staff::DoorAccessGranted, AppError> {
    let actor = staff_edge::required_actor().await?;
    let request = crate::staff::DoorAccessRequest {
        performance_ids,
        hours: None,
    };
    services()?
        .door
        .open_door(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "staff_list")]
pub async fn staff_list() -> Result<Vec<crate::staff::StaffMember>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?.staff.staff(&actor).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "staff_create")]
pub async fn staff_create(
    request: crate::staff::NewStaffRequest,
) -> Result<crate::staff::StaffWithPassword, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .staff
        .create_staff(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "staff_change")]
pub async fn staff_change(
    id: i64,
    change: crate::staff::StaffChange,
) -> Result<crate::staff::StaffMember, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .staff
        .change_staff(&actor, id, &change)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "staff_reset_password")]
pub async fn staff_reset_password(id: i64) -> Result<crate::staff::StaffWithPassword, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .staff
        .reset_password(&actor, id, &crate::staff::PasswordReset::default())
        .await
        .map_err(fail)
}

// --- Programme (the back office's programme panel).

#[server(prefix = "/sf", endpoint = "admin_halls")]
pub async fn admin_halls() -> Result<Vec<crate::admin::HallSummary>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?.programme.halls(&actor).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_venues")]
pub async fn admin_venues() -> Result<Vec<crate::admin::VenueSummary>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?.programme.venues(&actor).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_tariffs")]
pub async fn admin_tariffs() -> Result<Vec<crate::admin::TariffAdmin>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?.programme.tariffs(&actor).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_change_performance")]
pub async fn admin_change_performance(
    id: i64,
    patch: crate::admin::PerformancePatch,
) -> Result<crate::admin::PerformanceAdmin, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .change_performance(&actor, id, &patch)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_refunds")]
pub async fn admin_refunds() -> Result<Vec<crate::admin::RefundDue>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .refunds_due(&actor)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_create_venue")]
pub async fn admin_create_venue(
    request: crate::admin::NewVenueRequest,
) -> Result<crate::admin::VenueCreated, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .create_venue(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_create_hall")]
pub async fn admin_create_hall(
    venue_id: i64,
    request: crate::admin::NewHallRequest,
) -> Result<crate::admin::HallCreated, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .create_hall(&actor, venue_id, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_day_performances")]
pub async fn admin_day_performances(
    date: String,
) -> Result<Vec<crate::admin::PerformanceLine>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .performances_of_day(&actor, &date)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_cancel_performance")]
pub async fn admin_cancel_performance(
    id: i64,
) -> Result<crate::admin::PerformanceCancelled, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .cancel_performance(&actor, id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_create_show")]
pub async fn admin_create_show(
    request: crate::admin::NewShowRequest,
) -> Result<crate::admin::ShowCreated, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .create_show(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_create_performances")]
pub async fn admin_create_performances(
    show_id: i64,
    request: crate::admin::PerformancesRequest,
) -> Result<Vec<crate::admin::PerformanceAdmin>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .create_performances(&actor, show_id, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "staff_audit")]
pub async fn staff_audit(before: Option<i64>) -> Result<Vec<crate::staff::AuditEntry>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .staff
        .audit(&actor, before, 50)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "staff_tokens")]
pub async fn staff_tokens() -> Result<Vec<crate::staff::ApiTokenInfo>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?.staff.tokens(&actor).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "staff_create_token")]
pub async fn staff_create_token(
    request: crate::staff::NewApiTokenRequest,
) -> Result<crate::staff::ApiTokenCreated, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .staff
        .create_token(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "staff_revoke_token")]
pub async fn staff_revoke_token(id: i64) -> Result<(), AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .staff
        .revoke_token(&actor, id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_shows")]
pub async fn admin_shows() -> Result<Vec<crate::admin::ShowAdmin>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?.programme.shows(&actor).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_change_show")]
pub async fn admin_change_show(
    id: i64,
    patch: crate::admin::ShowPatch,
) -> Result<crate::admin::ShowAdmin, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .change_show(&actor, id, &patch)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_remove_poster")]
pub async fn admin_remove_poster(id: i64) -> Result<crate::admin::ShowAdmin, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .remove_poster(&actor, id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_hall_plan")]
pub async fn admin_hall_plan(hall_id: i64) -> Result<crate::admin::VersionedPlan, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .hall_plan(&actor, hall_id, None)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_venue_tariffs")]
pub async fn admin_venue_tariffs(
    venue_id: i64,
) -> Result<Vec<crate::admin::VenueTariff>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .venue_tariffs(&actor, venue_id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_add_venue_tariff")]
pub async fn admin_add_venue_tariff(
    venue_id: i64,
    request: crate::admin::NewVenueTariff,
) -> Result<crate::admin::VenueTariff, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .add_venue_tariff(&actor, venue_id, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "admin_change_venue_tariff")]
pub async fn admin_change_venue_tariff(
    venue_id: i64,
    code: String,
    patch: crate::admin::VenueTariffPatch,
) -> Result<crate::admin::VenueTariff, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .programme
        .change_venue_tariff(&actor, venue_id, &code, &patch)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_performances")]
pub async fn counter_performances(
    day: String,
) -> Result<Vec<crate::box_office::CounterPerformance>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .box_office
        .performances(&actor, &day)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_sell")]
pub async fn counter_sell(
    request: crate::box_office::CounterSaleRequest,
) -> Result<crate::box_office::CounterSale, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .box_office
        .sell(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_reserve")]
pub async fn counter_reserve(
    request: crate::box_office::CounterReservationRequest,
) -> Result<crate::dto::OrderView, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .box_office
        .reserve(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_search_orders")]
pub async fn counter_search_orders(
    q: String,
) -> Result<Vec<crate::box_office::OrderSummary>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .after_sales
        .search(&actor, &q)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_order")]
pub async fn counter_order(id: String) -> Result<crate::box_office::OrderFile, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .after_sales
        .file(&actor, &id)
        .await
        .map_err(fail)
}

/// The tickets mailed again from the box office (to a corrected address when `to` is given).
#[server(prefix = "/sf", endpoint = "counter_resend")]
pub async fn counter_resend(id: String, to: Option<String>) -> Result<MailQueued, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .mails
        .resend_for_staff(&actor, &id, to.as_deref())
        .await
        .map_err(fail)
}

/// The e-mail outbox (admins).
#[server(prefix = "/sf", endpoint = "admin_mail_status")]
pub async fn admin_mail_status() -> Result<MailStatusView, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?.mails.mail_status(&actor).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_cancel")]
pub async fn counter_cancel(
    id: String,
    request: crate::box_office::CancelRequest,
) -> Result<crate::box_office::AfterSale, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .after_sales
        .cancel(&actor, &id, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_refund")]
pub async fn counter_refund(
    id: String,
    request: crate::box_office::RefundRequest,
) -> Result<crate::box_office::AfterSale, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .after_sales
        .refund(&actor, &id, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_seat_blocks")]
pub async fn counter_seat_blocks(
    performance_id: i64,
) -> Result<crate::box_office::SeatBlocks, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .box_office
        .seat_blocks(&actor, performance_id)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_block")]
pub async fn counter_block(
    performance_id: i64,
    request: crate::box_office::BlockRequest,
) -> Result<crate::box_office::SeatBlocks, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .box_office
        .block_seats(&actor, performance_id, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_release")]
pub async fn counter_release(
    performance_id: i64,
    request: crate::box_office::ReleaseRequest,
) -> Result<crate::box_office::SeatBlocks, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .box_office
        .release_seats(&actor, performance_id, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_orders_page")]
pub async fn counter_orders_page(
    from: String,
    to: String,
    after: Option<String>,
) -> Result<crate::domain::export::OrdersPage, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .reports
        .orders_page(&actor, &from, &to, after.as_deref(), None)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_heatmap")]
pub async fn counter_heatmap(
    performance_id: i64,
    from: String,
    to: String,
) -> Result<crate::domain::heatmap::HeatMap, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .reports
        .heatmap(&actor, performance_id, &from, &to)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_exchange")]
pub async fn counter_exchange(
    id: String,
    request: crate::box_office::ExchangeRequest,
) -> Result<crate::box_office::Exchanged, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .box_office
        .exchange(&actor, &id, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_reading")]
pub async fn counter_reading(
    request: crate::box_office::CloseRequest,
) -> Result<crate::box_office::ClosureReport, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .journal
        .reading(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_closures")]
pub async fn counter_closures() -> Result<Vec<crate::box_office::ClosureReport>, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?.journal.closures(&actor).await.map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_close")]
pub async fn counter_close(
    request: crate::box_office::CloseRequest,
) -> Result<crate::box_office::ClosureReport, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .journal
        .close(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_count_cash")]
pub async fn counter_count_cash(
    request: crate::box_office::CashCountRequest,
) -> Result<(), AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .journal
        .count_cash(&actor, &request)
        .await
        .map_err(fail)
}

#[server(prefix = "/sf", endpoint = "counter_sales_report")]
pub async fn counter_sales_report(
    from: String,
    to: String,
) -> Result<crate::box_office::SalesReport, AppError> {
    let actor = staff_edge::required_actor().await?;
    services()?
        .reports
        .sales(&actor, &from, &to)
        .await
        .map_err(fail)
}

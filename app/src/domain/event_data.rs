//! What the performance page says about its performance to people and to search engines: the
//! range of its prices ("de 6 à 24 €"), and schema.org `Event` data (JSON-LD) so that the
//! programme is listed with its dates, place and prices.
use crate::domain::sale_window::SaleState;
use crate::dto::{SeatMap, ShowKind, Ts};
use serde_json::json;

/// The lowest and highest price on sale (all categories and tariffs), in cents.
pub fn price_range(map: &SeatMap) -> Option<(i64, i64)> {
    let prices = map
        .categories
        .iter()
        .flat_map(|c| c.tariffs.iter())
        .chain(map.tariffs.iter())
        .map(|t| t.price_cents);
    let (mut low, mut high) = (i64::MAX, i64::MIN);
    for p in prices {
        low = low.min(p);
        high = high.max(p);
    }
    (low <= high).then_some((low, high))
}

fn euros(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The `<script type="application/ld+json">` body for a performance page at `url`. Safe to put
/// in the page as is: `<` is escaped, so the text cannot close the script element.
pub fn json_ld(map: &SeatMap, url: &str) -> String {
    let perf = &map.performance;
    let kind = match perf.kind {
        ShowKind::Cinema => "ScreeningEvent",
        ShowKind::Theatre => "TheaterEvent",
        ShowKind::Concert => "MusicEvent",
        ShowKind::Other => "Event",
    };
    let place = if perf.venue.is_empty() {
        perf.hall.clone()
    } else {
        format!("{}, {}", perf.venue, perf.hall)
    };
    let mut event = json!({
        "@context": "https://schema.org",
        "@type": kind,
        "name": perf.title,
        "startDate": perf.starts_at.rfc3339(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": place},
        "url": url,
    });
    if perf.duration_min > 0 {
        event["endDate"] = json!(Ts(perf.starts_at.0 + perf.duration_min * 60).rfc3339());
    }
    if let Some((low, high)) = price_range(map) {
        let availability = if perf.sale == SaleState::Open && perf.available > 0 {
            "https://schema.org/InStock"
        } else {
            "https://schema.org/SoldOut"
        };
        event["offers"] = json!({
            "@type": "AggregateOffer",
            "priceCurrency": "EUR",
            "lowPrice": euros(low),
            "highPrice": euros(high),
            "availability": availability,
            "url": url,
        });
    }
    event.to_string().replace('<', "\\u003c")
}

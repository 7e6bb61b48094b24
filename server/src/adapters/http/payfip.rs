//! PayFiP's two calls back: the notification (server to server) and the buyer's return. Both
//! carry only the `idOp`; Guichet asks PayFiP what happened (`Checkout::payment_news`), so a
//! forged call can at most make it ask. They come from PayFiP's site, hence outside the
//! cross-site refusal (see `guard::same_origin_only`).
use crate::adapters::payfip::{plausible_id_op, NOTIFY_PATH, RETURN_PATH};
use app::ports::Services;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

pub fn router(services: Services) -> Router {
    Router::new()
        .route(NOTIFY_PATH, get(notification).post(notification))
        .route(RETURN_PATH, get(back).post(back))
        .with_state(services)
}

/// The `idop` of a query string or a form body, whatever its case (`idop`, `idOp`).
fn id_op(query: Option<&str>, body: &[u8]) -> Option<String> {
    let from = |bytes: &[u8]| {
        form_urlencoded::parse(bytes)
            .find(|(k, _)| k.eq_ignore_ascii_case("idop"))
            .map(|(_, v)| v.trim().to_string())
    };
    query
        .and_then(|q| from(q.as_bytes()))
        .or_else(|| from(body))
        .filter(|id| plausible_id_op(id))
}

async fn notification(
    State(services): State<Services>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let Some(id) = id_op(query.as_deref(), &body) else {
        return (StatusCode::BAD_REQUEST, "idop manquant ou invalide").into_response();
    };
    match services.checkout.payment_news(&id).await {
        Ok(_) => (StatusCode::OK, "OK").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, idop = %id, "PayFiP notification not settled yet");
            (StatusCode::SERVICE_UNAVAILABLE, "réessayez").into_response()
        }
    }
}

/// The buyer back from PayFiP's page: to the order page, which shows the result (or waits for
/// it). The order's link is found from the idOp, which only the buyer and PayFiP know.
async fn back(
    State(services): State<Services>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let Some(id) = id_op(query.as_deref(), &body) else {
        return Redirect::to("/").into_response();
    };
    match services.checkout.payment_news(&id).await {
        Ok(Some((order, token))) => {
            Redirect::to(&format!("/commandes/{order}/{token}")).into_response()
        }
        Ok(None) => Redirect::to("/").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, idop = %id, "PayFiP return not settled yet");
            Redirect::to("/").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idop_is_found_in_the_query_or_the_body_whatever_its_case() {
        let id = "cc0cb210-1cd4-11ea-8cca-0213ad91a103";
        assert_eq!(id_op(Some(&format!("idop={id}")), b"").as_deref(), Some(id));
        assert_eq!(
            id_op(None, format!("x=1&idOp={id}").as_bytes()).as_deref(),
            Some(id)
        );
        assert_eq!(
            id_op(Some("IDOP=abc"), b""),
            None,
            "too short to be an idOp"
        );
        assert_eq!(id_op(Some("idop=<script>alert(1)</script>"), b""), None);
        assert_eq!(id_op(None, b""), None);
    }
}

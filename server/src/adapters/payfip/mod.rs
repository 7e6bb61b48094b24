//! PayFiP "Régie Web-Service", the public treasury's (DGFiP) card and direct-debit payments for
//! towns: `creerPaiementSecurise` gives an `idOp`, the buyer pays on PayFiP's page, PayFiP calls
//! `urlnotif` and sends the buyer back to `urlredirect`, neither of which says anything but the
//! `idOp`; `recupererDetailPaiementSecurise(idOp)` then says what happened. See
//! `../shared/reference/payfip/` (WSDL and XSD) and docs/payments.md.
pub mod fields;
pub mod soap;
pub mod standin;

use crate::ports::{
    ChargeResult, ChargeState, GatewayError, PaymentAttempt, PaymentGateway, PaymentStart,
    ProviderAnswer,
};
use app::domain::Cents;
use async_trait::async_trait;
use chrono::Datelike;
use fields::{Numcli, Saisie};
use std::time::Duration;

/// The treasury's endpoints (the stand-in's replace them in tests and on a developer's machine).
pub const SOAP_URL: &str = "https://www.payfip.gouv.fr/tpa/services/securite";
pub const PAGE_URL: &str = "https://www.payfip.gouv.fr/tpa/paiementws.web";

/// Where PayFiP reaches Guichet: its notification (server to server) and the buyer's return.
pub const NOTIFY_PATH: &str = "/payfip/notification";
pub const RETURN_PATH: &str = "/payfip/retour";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayfipSettings {
    pub numcli: Numcli,
    pub saisie: Saisie,
    pub soap_url: String,
    pub page_url: String,
}

pub struct PayfipGateway {
    settings: PayfipSettings,
    notify_url: String,
    return_url: String,
    http: reqwest::Client,
}

impl PayfipGateway {
    pub fn new(settings: PayfipSettings, public_url: &str) -> PayfipGateway {
        let base = public_url.trim_end_matches('/');
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        PayfipGateway {
            settings,
            notify_url: format!("{base}{NOTIFY_PATH}"),
            return_url: format!("{base}{RETURN_PATH}"),
            http,
        }
    }

    async fn call(&self, envelope: String) -> Result<soap::Message, GatewayError> {
        let reply = self
            .http
            .post(&self.settings.soap_url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", "\"\"")
            .body(envelope)
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(format!("PayFiP: {e}")))?;
        let status = reply.status();
        let body = reply
            .text()
            .await
            .map_err(|e| GatewayError::Unavailable(format!("PayFiP: {e}")))?;
        // SOAP faults come with 500; anything else that is not a SOAP message is an outage.
        soap::parse(&body).map_err(|e| GatewayError::Unavailable(format!("PayFiP {status}: {e}")))
    }
}

/// An `idOp` as it may appear in a URL: letters, digits and dashes (a UUID in practice).
pub fn plausible_id_op(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The accounting year of a payment: the year in Paris.
fn exer(now: i64) -> String {
    app::domain::paris::local(now).year().to_string()
}

fn not_accepted(e: fields::FieldError) -> GatewayError {
    GatewayError::NotAccepted(e.to_string())
}

fn fault_text(f: &soap::Fault) -> String {
    format!("{} {} {}", f.code, f.libelle, f.faultstring)
        .trim()
        .to_string()
}

#[async_trait]
impl PaymentGateway for PayfipGateway {
    fn id(&self) -> &'static str {
        "payfip"
    }
    fn is_sandbox(&self) -> bool {
        false
    }

    async fn start(&self, attempt: &PaymentAttempt) -> Result<PaymentStart, GatewayError> {
        let creation = soap::Creation {
            exer: exer(chrono::Utc::now().timestamp()),
            mel: fields::mel(&attempt.buyer_email).map_err(not_accepted)?,
            montant: fields::montant(attempt.amount.0).map_err(not_accepted)?,
            numcli: self.settings.numcli.as_str().to_string(),
            objet: fields::objet(&attempt.description),
            refdet: fields::refdet(&attempt.order_reference).map_err(not_accepted)?,
            saisie: self.settings.saisie.code().to_string(),
            urlnotif: self.notify_url.clone(),
            urlredirect: self.return_url.clone(),
        };
        let msg = self.call(soap::create_request(&creation)).await?;
        if let Some(f) = msg.fault {
            // A functional refusal of fields we checked is PayFiP's word against ours: the
            // buyer cannot fix it, so it reads as the provider being unavailable, with its code.
            return Err(GatewayError::Unavailable(format!(
                "PayFiP refused: {}",
                fault_text(&f)
            )));
        }
        let id_op = msg
            .fields
            .get("idOp")
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        if !plausible_id_op(&id_op) {
            return Err(GatewayError::Unavailable(format!(
                "PayFiP gave no usable idOp: {id_op:?}"
            )));
        }
        let sep = if self.settings.page_url.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(PaymentStart::Redirect {
            url: format!("{}{sep}idop={id_op}", self.settings.page_url),
            provider_ref: id_op,
        })
    }

    async fn result(&self, id_op: &str) -> Result<ProviderAnswer, GatewayError> {
        let msg = self.call(soap::detail_request(id_op)).await?;
        if let Some(f) = msg.fault {
            let state = match (f.functional(), f.code.as_str()) {
                (true, "P5") => ChargeState::NotYet,
                (true, "P1") => ChargeState::Unknown,
                _ => {
                    return Err(GatewayError::Unavailable(format!(
                        "PayFiP: {}",
                        fault_text(&f)
                    )))
                }
            };
            return Ok(ProviderAnswer {
                state,
                amount: None,
                reference: None,
                summary: format!("fault {}", fault_text(&f)),
            });
        }
        let field = |k: &str| msg.fields.get(k).map(String::as_str).unwrap_or_default();
        let state = match field("resultrans") {
            // Paid by card, or by direct debit.
            "P" | "V" => ChargeState::Known(ChargeResult::Approved),
            // Card or direct debit refused.
            "R" | "Z" => ChargeState::Known(ChargeResult::Declined),
            "A" => ChargeState::Known(ChargeResult::Abandoned),
            other => {
                return Err(GatewayError::Unavailable(format!(
                    "PayFiP: unknown resultrans {other:?}"
                )))
            }
        };
        let summary = [
            "resultrans",
            "numauto",
            "montant",
            "refdet",
            "dattrans",
            "heurtrans",
            "saisie",
        ]
        .iter()
        .map(|k| format!("{k}={}", field(k)))
        .collect::<Vec<_>>()
        .join(" ");
        Ok(ProviderAnswer {
            state,
            amount: field("montant").parse().ok().map(Cents),
            reference: Some(field("refdet").to_string()).filter(|r| !r.is_empty()),
            summary,
        })
    }
}

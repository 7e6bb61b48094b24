//! A local PayFiP: the same SOAP contract, a payment page with pay / refuse / abandon, the
//! notification and the return — so that the whole flow runs in the tests and on a
//! developer's machine without the treasury (`guichet dev payfip-standin`). It can delay, drop or
//! repeat its notifications and answer P5 ("result not known yet") after a payment.
//!
//! Besides PayFiP's routes it has `POST /standin/behaviour` (JSON [`Behaviour`]), `POST
//! /standin/purge` (the nightly purge: every idOp answers P1) and `GET /standin/requests` (the
//! SOAP requests received, newest last).
use super::soap::{self, Creation};
use axum::extract::{Form, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use quick_xml::escape::escape;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the stand-in behaves after a payment (tests set it; the default is PayFiP on a good day).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Behaviour {
    pub notify: Notify,
    /// Answer P5 this many times after a payment before giving its result.
    pub p5_after_payment: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notify {
    /// Before the buyer is sent back.
    #[default]
    Now,
    /// This many milliseconds after the buyer was sent back.
    AfterMs(u64),
    /// Twice at once, before the buyer is sent back.
    Twice,
    /// Never (PayFiP's notification lost).
    Drop,
}

struct Op {
    creation: Creation,
    /// resultrans, numauto, dattrans, heurtrans once the buyer chose.
    result: Option<[String; 4]>,
    p5_left: u32,
}

#[derive(Default)]
struct Inner {
    ops: HashMap<String, Op>,
    behaviour: Behaviour,
    requests: Vec<String>,
}

#[derive(Clone)]
pub struct Standin {
    inner: Arc<Mutex<Inner>>,
    http: reqwest::Client,
}

const KEEP_REQUESTS: usize = 200;

impl Default for Standin {
    fn default() -> Standin {
        Standin::new()
    }
}

impl Standin {
    pub fn new() -> Standin {
        Standin {
            inner: Arc::default(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere cannot leave this map half-written: use it as it is.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/tpa/services/securite", post(soap_endpoint))
            .route("/tpa/paiementws.web", get(page).post(choose))
            .route("/standin/behaviour", post(set_behaviour))
            .route("/standin/purge", post(purge))
            .route("/standin/requests", get(requests))
            .with_state(self.clone())
    }

    /// Serves on `listener` until the process ends.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        axum::serve(listener, self.router()).await
    }

    pub fn set_behaviour(&self, b: Behaviour) {
        self.lock().behaviour = b;
    }

    /// The buyer's choice on the page, as the form sends it (for tests driving it directly).
    /// Answers where the buyer's browser goes next.
    pub async fn choose(&self, id_op: &str, resultrans: &str) -> Option<String> {
        choose_for(self, id_op, resultrans).await
    }
}

fn xml(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn soap_endpoint(State(s): State<Standin>, body: String) -> Response {
    {
        let mut inner = s.lock();
        if inner.requests.len() >= KEEP_REQUESTS {
            inner.requests.remove(0);
        }
        inner.requests.push(body.clone());
    }
    let msg = match soap::parse(&body) {
        Ok(m) => m,
        Err(e) => return xml(StatusCode::BAD_REQUEST, soap::fault("T1", &e.to_string())),
    };
    let fault = |code: &str, libelle: &str| {
        xml(
            StatusCode::INTERNAL_SERVER_ERROR,
            soap::fault(code, libelle),
        )
    };
    match msg.operation.as_str() {
        "creerPaiementSecurise" => {
            let c = Creation::from_fields(&msg.fields);
            if c.numcli.len() != 6 || !c.numcli.bytes().all(|b| b.is_ascii_digit()) {
                return fault("P3", "numcli incorrect");
            }
            if super::fields::refdet(&c.refdet).is_err() {
                return fault("R3", "Le format du paramètre REFDET n'est pas conforme");
            }
            if super::fields::mel(&c.mel).is_err() {
                return fault("A2", "Adresse mél incorrecte.");
            }
            if c.montant.parse::<i64>().map_or(true, |m| m <= 0) {
                return fault("R4", "montant incorrect");
            }
            if !["T", "X", "W"].contains(&c.saisie.as_str()) {
                return fault("R5", "saisie incorrecte");
            }
            let id_op = uuid_like();
            s.lock().ops.insert(
                id_op.clone(),
                Op {
                    creation: c,
                    result: None,
                    p5_left: 0,
                },
            );
            xml(StatusCode::OK, soap::create_response(&id_op))
        }
        "recupererDetailPaiementSecurise" => {
            let id_op = msg.fields.get("idOp").cloned().unwrap_or_default();
            let mut inner = s.lock();
            let Some(op) = inner.ops.get_mut(&id_op) else {
                return fault("P1", "IdOp incorrect.");
            };
            let Some([resultrans, numauto, dattrans, heurtrans]) = op.result.clone() else {
                return fault("P5", "Résultat de la transaction non connu.");
            };
            if op.p5_left > 0 {
                op.p5_left -= 1;
                return fault("P5", "Résultat de la transaction non connu.");
            }
            let c = &op.creation;
            xml(
                StatusCode::OK,
                soap::detail_response(&[
                    ("dattrans", &dattrans),
                    ("exer", &c.exer),
                    ("heurtrans", &heurtrans),
                    ("idOp", &id_op),
                    ("mel", &c.mel),
                    ("montant", &c.montant),
                    ("numauto", &numauto),
                    ("numcli", &c.numcli),
                    ("objet", &c.objet),
                    ("refdet", &c.refdet),
                    ("resultrans", &resultrans),
                    ("saisie", &c.saisie),
                ]),
            )
        }
        other => fault("T2", &format!("opération inconnue : {other}")),
    }
}

fn uuid_like() -> String {
    let b: [u8; 16] = rand::random();
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[derive(Deserialize)]
struct IdopQuery {
    idop: Option<String>,
}

async fn page(State(s): State<Standin>, Query(q): Query<IdopQuery>) -> Response {
    let id_op = q.idop.unwrap_or_default();
    let found = s.lock().ops.get(&id_op).map(|op| {
        (
            op.creation.montant.parse::<i64>().unwrap_or(0),
            op.creation.objet.clone(),
            op.creation.refdet.clone(),
            op.result.is_some(),
        )
    });
    let Some((cents, objet, refdet, done)) = found else {
        return (
            StatusCode::NOT_FOUND,
            Html("<p>Opération inconnue ou expirée.</p>".to_string()),
        )
            .into_response();
    };
    if done {
        return Html("<p>Cette opération est terminée.</p>".to_string()).into_response();
    }
    let amount = format!("{},{:02} €", cents / 100, cents % 100);
    Html(format!(
        r#"<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>PayFiP (simulation)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>PayFiP — simulation locale</h1>
<p>Aucune somme n'est prélevée : ce serveur imite le service de paiement de la DGFiP.</p>
<p>Référence <strong id="refdet">{refdet}</strong> — {objet}</p>
<p>Montant : <strong id="montant">{amount}</strong></p>
<form method="post" action="/tpa/paiementws.web">
<input type="hidden" name="idop" value="{id}">
<button name="resultrans" value="P" id="standin-pay">Payer par carte</button>
<button name="resultrans" value="V" id="standin-debit">Payer par prélèvement</button>
<button name="resultrans" value="R" id="standin-refuse">Refuser</button>
<button name="resultrans" value="A" id="standin-abandon">Abandonner</button>
</form></main></body></html>"#,
        refdet = escape(&refdet),
        objet = escape(&objet),
        id = escape(&id_op),
    ))
    .into_response()
}

#[derive(Deserialize)]
struct Choice {
    idop: String,
    resultrans: String,
}

async fn choose(State(s): State<Standin>, Form(c): Form<Choice>) -> Response {
    match choose_for(&s, &c.idop, &c.resultrans).await {
        Some(to) => Redirect::to(&to).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "opération inconnue, terminée ou choix invalide",
        )
            .into_response(),
    }
}

async fn choose_for(s: &Standin, id_op: &str, resultrans: &str) -> Option<String> {
    if !["P", "V", "R", "Z", "A"].contains(&resultrans) {
        return None;
    }
    let now = app::domain::paris::local(chrono::Utc::now().timestamp());
    let (creation, behaviour) = {
        let mut inner = s.lock();
        let behaviour = inner.behaviour.clone();
        let op = inner.ops.get_mut(id_op).filter(|op| op.result.is_none())?;
        op.result = Some([
            resultrans.to_string(),
            if matches!(resultrans, "P" | "V") {
                format!("{:06}", rand::random::<u32>() % 1_000_000)
            } else {
                String::new()
            },
            now.format("%d%m%Y").to_string(),
            now.format("%H%M").to_string(),
        ]);
        op.p5_left = behaviour.p5_after_payment;
        (op.creation.clone(), behaviour)
    };
    let notify = |s: Standin, url: String, id: String| async move {
        let sent = s
            .http
            .post(&url)
            .form(&[("idop", id.as_str())])
            .send()
            .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "stand-in: notification failed");
        }
    };
    let (url, id) = (creation.urlnotif.clone(), id_op.to_string());
    match behaviour.notify {
        Notify::Now => notify(s.clone(), url, id).await,
        Notify::Twice => {
            futures::join!(
                notify(s.clone(), url.clone(), id.clone()),
                notify(s.clone(), url, id)
            );
        }
        Notify::AfterMs(ms) => {
            let s = s.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                notify(s, url, id).await;
            });
        }
        Notify::Drop => {}
    }
    let sep = if creation.urlredirect.contains('?') {
        '&'
    } else {
        '?'
    };
    Some(format!("{}{sep}idop={id_op}", creation.urlredirect))
}

async fn set_behaviour(State(s): State<Standin>, Json(b): Json<Behaviour>) -> StatusCode {
    s.set_behaviour(b);
    StatusCode::NO_CONTENT
}

async fn purge(State(s): State<Standin>) -> StatusCode {
    s.lock().ops.clear();
    StatusCode::NO_CONTENT
}

async fn requests(State(s): State<Standin>) -> Json<Vec<String>> {
    Json(s.lock().requests.clone())
}

//! PayFiP's SOAP 1.1 messages (document/literal, `PaiementSecuriseService.wsdl`): the requests
//! Guichet sends, the answers the treasury (or the stand-in) gives, read by local element names
//! so that either side's namespace prefixes do not matter.
use quick_xml::escape::escape;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;

pub const SERVICE_NS: &str = "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService";
const ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// `creerPaiementSecurise`'s fields, already in PayFiP's formats (see `fields`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creation {
    pub exer: String,
    pub mel: String,
    pub montant: String,
    pub numcli: String,
    pub objet: String,
    pub refdet: String,
    pub saisie: String,
    pub urlnotif: String,
    pub urlredirect: String,
}

impl Creation {
    /// In the schema's sequence order.
    fn fields(&self) -> [(&'static str, &str); 9] {
        [
            ("exer", &self.exer),
            ("mel", &self.mel),
            ("montant", &self.montant),
            ("numcli", &self.numcli),
            ("objet", &self.objet),
            ("refdet", &self.refdet),
            ("saisie", &self.saisie),
            ("urlnotif", &self.urlnotif),
            ("urlredirect", &self.urlredirect),
        ]
    }

    pub fn from_fields(f: &BTreeMap<String, String>) -> Creation {
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        Creation {
            exer: get("exer"),
            mel: get("mel"),
            montant: get("montant"),
            numcli: get("numcli"),
            objet: get("objet"),
            refdet: get("refdet"),
            saisie: get("saisie"),
            urlnotif: get("urlnotif"),
            urlredirect: get("urlredirect"),
        }
    }
}

/// The operation element (the Body's only child), its namespace declared on itself so that it
/// stands alone against the XSD.
fn operation(name: &str, wrapper: &str, fields: &[(&str, &str)]) -> String {
    let mut xml = format!("<pai:{name} xmlns:pai=\"{SERVICE_NS}\"><{wrapper}>");
    for (k, v) in fields {
        xml.push_str(&format!("<{k}>{}</{k}>", escape(*v)));
    }
    xml.push_str(&format!("</{wrapper}></pai:{name}>"));
    xml
}

fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"{ENVELOPE_NS}\"><soapenv:Header/>\
         <soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
}

pub fn create_request(c: &Creation) -> String {
    envelope(&operation("creerPaiementSecurise", "arg0", &c.fields()))
}

pub fn detail_request(id_op: &str) -> String {
    envelope(&operation(
        "recupererDetailPaiementSecurise",
        "arg0",
        &[("idOp", id_op)],
    ))
}

pub fn create_response(id_op: &str) -> String {
    envelope(&operation(
        "creerPaiementSecuriseResponse",
        "return",
        &[("idOp", id_op)],
    ))
}

/// The twelve fields of a known payment's result, in the schema's order.
pub fn detail_response(fields: &[(&str, &str)]) -> String {
    envelope(&operation(
        "recupererDetailPaiementSecuriseResponse",
        "return",
        fields,
    ))
}

/// A functional fault (`FonctionnelleErreur`) as PayFiP answers it: P1, P5, R3, A2…
pub fn fault(code: &str, libelle: &str) -> String {
    envelope(&format!(
        "<soapenv:Fault><faultcode>soapenv:Server</faultcode>\
         <faultstring>fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur</faultstring>\
         <detail><ns2:FonctionnelleErreur xmlns:ns2=\"{SERVICE_NS}\"><code>{}</code>\
         <descriptif/><libelle>{}</libelle><severite>2</severite></ns2:FonctionnelleErreur>\
         </detail></soapenv:Fault>",
        escape(code),
        escape(libelle)
    ))
}

/// What a SOAP message says, by local names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// The Body's first element (`creerPaiementSecurise`, `…Response`, `Fault`).
    pub operation: String,
    /// The leaves under `arg0` or `return`.
    pub fields: BTreeMap<String, String>,
    pub fault: Option<Fault>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fault {
    /// `FonctionnelleErreur`, `TechIndisponibiliteErreur`… (empty for a bare SOAP fault).
    pub kind: String,
    pub code: String,
    pub libelle: String,
    pub faultstring: String,
}

impl Fault {
    pub fn functional(&self) -> bool {
        self.kind == "FonctionnelleErreur"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable SOAP message: {0}")]
pub struct SoapError(pub String);

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.to_string(),
    }
}

pub fn parse(xml: &str) -> Result<Message, SoapError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut msg = Message::default();
    let mut fault: Option<Fault> = None;
    let mut saw_envelope = false;
    loop {
        match reader.read_event() {
            Err(e) => return Err(SoapError(e.to_string())),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if path.is_empty() => {
                saw_envelope = local(e.name().as_ref()) == "Envelope";
                if !saw_envelope {
                    return Err(SoapError("not a SOAP envelope".into()));
                }
                // An `Empty` root has no children: nothing more to read.
                path.push("Envelope".into());
            }
            Ok(Event::Start(e)) => {
                let name = local(e.name().as_ref());
                if path.last().is_some_and(|p| p == "Body") && msg.operation.is_empty() {
                    msg.operation = name.clone();
                    if name == "Fault" {
                        fault = Some(Fault::default());
                    }
                }
                if let Some(f) = fault.as_mut() {
                    if path.last().is_some_and(|p| p == "detail") {
                        f.kind = name.clone();
                    }
                }
                path.push(name);
                text.clear();
            }
            Ok(Event::Empty(e)) => {
                let name = local(e.name().as_ref());
                if path.last().is_some_and(|p| p == "Body") && msg.operation.is_empty() {
                    msg.operation = name;
                }
            }
            Ok(Event::Text(t)) => {
                let t = t.unescape().map_err(|e| SoapError(e.to_string()))?;
                text.push_str(&t);
            }
            Ok(Event::CData(t)) => text.push_str(&String::from_utf8_lossy(&t)),
            Ok(Event::End(_)) => {
                let Some(name) = path.pop() else {
                    return Err(SoapError("unbalanced end tag".into()));
                };
                let parent = path.last().map(String::as_str).unwrap_or_default();
                let value = std::mem::take(&mut text);
                if parent == "arg0" || parent == "return" {
                    msg.fields.insert(name, value);
                } else if let Some(f) = fault.as_mut() {
                    match (parent, name.as_str()) {
                        ("Fault", "faultstring") => f.faultstring = value,
                        (p, "code") if p.ends_with("Erreur") => f.code = value,
                        (p, "libelle") if p.ends_with("Erreur") => f.libelle = value,
                        _ => {}
                    }
                }
            }
            Ok(_) => {}
        }
    }
    if !saw_envelope || msg.operation.is_empty() {
        return Err(SoapError("no SOAP body".into()));
    }
    msg.fault = fault;
    Ok(msg)
}

/// The Body's operation element as sent, for checking it against the XSD.
pub fn body_of(envelope: &str) -> Option<&str> {
    let start = envelope.find("<soapenv:Body>")? + "<soapenv:Body>".len();
    let end = envelope.rfind("</soapenv:Body>")?;
    envelope.get(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creation() -> Creation {
        Creation {
            exer: "2026".into(),
            mel: "ana@example.fr".into(),
            montant: "3700".into(),
            numcli: "123456".into(),
            objet: "Concert du Nouvel An".into(),
            refdet: "K7F39Q2X".into(),
            saisie: "T".into(),
            urlnotif: "https://billetterie.ville.fr/payfip/notification?a=1&b=2".into(),
            urlredirect: "https://billetterie.ville.fr/payfip/retour".into(),
        }
    }

    #[test]
    fn a_creation_reads_back_field_for_field() {
        let xml = create_request(&creation());
        assert!(xml.contains("&amp;b=2"), "escaped: {xml}");
        let msg = parse(&xml).unwrap();
        assert_eq!(msg.operation, "creerPaiementSecurise");
        assert_eq!(Creation::from_fields(&msg.fields), creation());
        assert!(msg.fault.is_none());
        assert!(body_of(&xml)
            .unwrap()
            .starts_with("<pai:creerPaiementSecurise xmlns:pai="));
    }

    #[test]
    fn the_treasurys_answers_are_read_whatever_their_prefixes() {
        // As PayFiP answers (JAX-WS prefixes, namespace on the leaf).
        let real = r#"<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns2:creerPaiementSecuriseResponse xmlns:ns2="http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService"><return><idOp xmlns:ns2="http://securite.service.tpa.cp.finances.gouv.fr/reponse">cc0cb210-1cd4-11ea-8cca-0213ad91a103</idOp></return></ns2:creerPaiementSecuriseResponse></S:Body></S:Envelope>"#;
        let msg = parse(real).unwrap();
        assert_eq!(msg.operation, "creerPaiementSecuriseResponse");
        assert_eq!(msg.fields["idOp"], "cc0cb210-1cd4-11ea-8cca-0213ad91a103");
        let ours = parse(&create_response("abc-1")).unwrap();
        assert_eq!(ours.fields["idOp"], "abc-1");
    }

    #[test]
    fn a_detail_answer_gives_its_fields() {
        let xml = detail_response(&[
            ("dattrans", "31122026"),
            ("resultrans", "P"),
            ("montant", "3700"),
        ]);
        let msg = parse(&xml).unwrap();
        assert_eq!(msg.fields["resultrans"], "P");
        assert_eq!(msg.fields["dattrans"], "31122026");
        assert_eq!(msg.fields["montant"], "3700");
    }

    #[test]
    fn faults_give_their_code() {
        let msg = parse(&fault("P5", "Résultat de la transaction non connu")).unwrap();
        let f = msg.fault.unwrap();
        assert!(f.functional());
        assert_eq!(f.code, "P5");
        assert_eq!(f.libelle, "Résultat de la transaction non connu");
        let real = r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault xmlns:ns4="http://www.w3.org/2003/05/soap-envelope"><faultcode>S:Server</faultcode><faultstring>fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur</faultstring><detail><ns2:FonctionnelleErreur xmlns:ns2="http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService"><code>P1</code><descriptif></descriptif><libelle>IdOp incorrect.</libelle><severite>2</severite></ns2:FonctionnelleErreur></detail></S:Fault></S:Body></S:Envelope>"#;
        let f = parse(real).unwrap().fault.unwrap();
        assert_eq!(
            (f.kind.as_str(), f.code.as_str()),
            ("FonctionnelleErreur", "P1")
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_result() {
        for bad in ["", "not xml", "<html><body>502</body></html>", "<a><b></a>"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}

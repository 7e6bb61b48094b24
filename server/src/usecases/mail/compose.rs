//! What the e-mails say, in French or English: plain text (read as is in a text-only client)
//! and the same in simple HTML. Every mail is a `Letter`: a greeting, paragraphs, perhaps a
//! performance with ticket lines, links, the venue's signature.
use app::i18n::Lang;

/// One ticket line.
pub struct Line {
    pub number: String,
    pub place: String,
    pub tariff: String,
    pub price_cents: i64,
}

/// The performance an order is for.
pub struct Event<'a> {
    pub title: &'a str,
    pub starts_at: i64,
    pub place: &'a str,
}

/// What a mail about one order knows.
pub struct OrderFacts<'a> {
    pub lang: Lang,
    pub buyer: &'a str,
    pub reference: &'a str,
    pub order_url: &'a str,
    pub event: Event<'a>,
    /// The tickets the mail is about (all valid ones, or those cancelled).
    pub lines: Vec<Line>,
    pub total_cents: i64,
    pub sender: &'a str,
}

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A mail before it is written out as text and HTML.
struct Letter<'a> {
    lang: Lang,
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    event: Option<&'a Event<'a>>,
    lines: &'a [Line],
    /// The line under the tickets ("Total", "Remboursé"), with its amount.
    total: Option<(String, i64)>,
    /// A label, then links, each with the words before it.
    links: Vec<(String, String)>,
    after: Vec<String>,
    sender: &'a str,
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Letter<'_> {
    fn write(&self) -> Composed {
        let lang = self.lang;
        let mut text = format!("{}\n\n", self.greeting);
        let mut html = format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
            lang.code(),
            html_escape(&self.subject),
            html_escape(&self.greeting)
        );
        for p in &self.paragraphs {
            text.push_str(&format!("{p}\n\n"));
            html.push_str(&format!("<p>{}</p>", html_escape(p)));
        }
        if let Some(e) = self.event {
            let when = lang.datetime(e.starts_at);
            text.push_str(&format!("{}\n{when}\n{}\n\n", e.title, e.place));
            html.push_str(&format!(
                "<h1 style=\"font-size:1.3em\">{}</h1><p>{}<br>{}</p>",
                html_escape(e.title),
                html_escape(&when),
                html_escape(e.place)
            ));
        }
        if !self.lines.is_empty() || self.total.is_some() {
            html.push_str("<table cellpadding=\"4\" style=\"border-collapse:collapse\">");
            for l in self.lines {
                let price = lang.amount(l.price_cents);
                text.push_str(&format!(
                    "- {} · {} · {} · {price}\n",
                    l.number, l.place, l.tariff
                ));
                html.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:right\">{}</td></tr>",
                    html_escape(&l.number),
                    html_escape(&l.place),
                    html_escape(&l.tariff),
                    html_escape(&price)
                ));
            }
            if let Some((label, cents)) = &self.total {
                let amount = lang.amount(*cents);
                let colon = lang.pick("\u{202f}:", ":");
                text.push_str(&format!("\n{label}{colon} {amount}\n"));
                html.push_str(&format!(
                    "<tr><th colspan=\"3\" style=\"text-align:left\">{}</th><td style=\"text-align:right\">{}</td></tr>",
                    html_escape(label),
                    html_escape(&amount)
                ));
            }
            html.push_str("</table>");
            text.push('\n');
        }
        for (label, url) in &self.links {
            text.push_str(&format!("{label}\n{url}\n\n"));
            html.push_str(&format!(
                "<p>{}<br><a href=\"{u}\">{u}</a></p>",
                html_escape(label),
                u = html_escape(url)
            ));
        }
        for p in &self.after {
            text.push_str(&format!("{p}\n\n"));
            html.push_str(&format!("<p>{}</p>", html_escape(p)));
        }
        text.push_str(&format!("{}\n", self.sender));
        html.push_str(&format!(
            "<p>{}</p></body></html>",
            html_escape(self.sender)
        ));
        Composed {
            subject: self.subject.clone(),
            text,
            html,
        }
    }
}

fn greeting(lang: Lang, buyer: &str) -> String {
    if buyer.trim().is_empty() {
        lang.pick("Bonjour,", "Hello,").to_string()
    } else {
        format!("{} {buyer},", lang.pick("Bonjour", "Hello"))
    }
}

fn order_link(f: &OrderFacts) -> (String, String) {
    (
        f.lang
            .pick(
                "Votre commande et vos billets restent disponibles à cette adresse :",
                "Your order and tickets remain available at this address:",
            )
            .into(),
        f.order_url.to_string(),
    )
}

fn calendar(lang: Lang) -> String {
    lang.pick(
        "Une invitation pour votre agenda est jointe (.ics).",
        "A calendar invitation is attached (.ics).",
    )
    .into()
}

/// The order's confirmation, its tickets attached.
pub fn confirmation(f: &OrderFacts) -> Composed {
    tickets_letter(f, false)
}

/// The tickets sent again, as asked.
pub fn resend(f: &OrderFacts) -> Composed {
    tickets_letter(f, true)
}

fn tickets_letter(f: &OrderFacts, again: bool) -> Composed {
    let lang = f.lang;
    let when = lang.datetime(f.event.starts_at);
    let subject = match (lang, again) {
        (Lang::Fr, false) => format!("Vos billets – {} – {when}", f.event.title),
        (Lang::Fr, true) => format!("Vos billets (nouvel envoi) – {} – {when}", f.event.title),
        (Lang::En, false) => format!("Your tickets – {} – {when}", f.event.title),
        (Lang::En, true) => format!("Your tickets (sent again) – {} – {when}", f.event.title),
    };
    let intro = match (lang, again) {
        (Lang::Fr, false) => format!(
            "Merci pour votre commande {}. Vos billets sont joints à ce message (PDF) : présentez-les à l’entrée, imprimés ou sur votre téléphone.",
            f.reference
        ),
        (Lang::Fr, true) => format!(
            "Comme demandé, voici à nouveau les billets de votre commande {} (PDF joint) : présentez-les à l’entrée, imprimés ou sur votre téléphone.",
            f.reference
        ),
        (Lang::En, false) => format!(
            "Thank you for your order {}. Your tickets are attached (PDF): show them at the entrance, printed or on your phone.",
            f.reference
        ),
        (Lang::En, true) => format!(
            "As asked, here are the tickets of your order {} again (PDF attached): show them at the entrance, printed or on your phone.",
            f.reference
        ),
    };
    Letter {
        lang,
        subject,
        greeting: greeting(lang, f.buyer),
        paragraphs: vec![intro],
        event: Some(&f.event),
        lines: &f.lines,
        total: Some(("Total".into(), f.total_cents)),
        links: vec![order_link(f)],
        after: vec![calendar(lang)],
        sender: f.sender,
    }
    .write()
}

/// Some tickets of the order cancelled (`lines`); `remaining` still valid.
pub fn cancellation(f: &OrderFacts, remaining: usize) -> Composed {
    let lang = f.lang;
    let when = lang.datetime(f.event.starts_at);
    let subject = match lang {
        Lang::Fr => format!("Billets annulés – {} – {when}", f.event.title),
        Lang::En => format!("Tickets cancelled – {} – {when}", f.event.title),
    };
    let intro = match lang {
        Lang::Fr => format!(
            "Les billets suivants de votre commande {} ont été annulés : ils ne permettent plus d’entrer.",
            f.reference
        ),
        Lang::En => format!(
            "The following tickets of your order {} were cancelled: they no longer admit anyone.",
            f.reference
        ),
    };
    let rest = if remaining > 0 {
        vec![lang
            .pick(
                "Vos autres billets restent valables.",
                "Your other tickets remain valid.",
            )
            .to_string()]
    } else {
        Vec::new()
    };
    Letter {
        lang,
        subject,
        greeting: greeting(lang, f.buyer),
        paragraphs: vec![intro],
        event: Some(&f.event),
        lines: &f.lines,
        total: None,
        links: if remaining > 0 {
            vec![order_link(f)]
        } else {
            Vec::new()
        },
        after: rest,
        sender: f.sender,
    }
    .write()
}

/// Money given back (`lines`: the tickets it took back, if any).
pub fn refund(f: &OrderFacts, amount_cents: i64) -> Composed {
    let lang = f.lang;
    let subject = match lang {
        Lang::Fr => format!("Remboursement – commande {}", f.reference),
        Lang::En => format!("Refund – order {}", f.reference),
    };
    let mut paragraphs = vec![match lang {
        Lang::Fr => format!(
            "Nous vous avons remboursé {} sur votre commande {}.",
            lang.amount(amount_cents),
            f.reference
        ),
        Lang::En => format!(
            "We have refunded {} on your order {}.",
            lang.amount(amount_cents),
            f.reference
        ),
    }];
    if !f.lines.is_empty() {
        paragraphs.push(
            lang.pick(
                "Ces billets sont annulés et ne permettent plus d’entrer :",
                "These tickets are cancelled and no longer admit anyone:",
            )
            .into(),
        );
    }
    Letter {
        lang,
        subject,
        greeting: greeting(lang, f.buyer),
        paragraphs,
        event: Some(&f.event),
        lines: &f.lines,
        total: Some((lang.pick("Remboursé", "Refunded").into(), amount_cents)),
        links: Vec::new(),
        after: Vec::new(),
        sender: f.sender,
    }
    .write()
}

/// The performance itself is cancelled.
pub fn performance_cancelled(f: &OrderFacts) -> Composed {
    let lang = f.lang;
    let when = lang.datetime(f.event.starts_at);
    let subject = match lang {
        Lang::Fr => format!("Séance annulée – {} – {when}", f.event.title),
        Lang::En => format!("Performance cancelled – {} – {when}", f.event.title),
    };
    let paragraphs = match lang {
        Lang::Fr => vec![
            "Nous avons le regret de vous annoncer que cette séance est annulée :".to_string(),
            format!(
                "Les billets de votre commande {} ne sont plus valables. Son montant, {}, vous sera remboursé ; nous reviendrons vers vous si nous avons besoin de vous pour cela.",
                f.reference,
                lang.amount(f.total_cents)
            ),
        ],
        Lang::En => vec![
            "We are sorry to tell you that this performance is cancelled:".to_string(),
            format!(
                "The tickets of your order {} are no longer valid. Its amount, {}, will be refunded; we will contact you should we need anything from you for it.",
                f.reference,
                lang.amount(f.total_cents)
            ),
        ],
    };
    Letter {
        lang,
        subject,
        greeting: greeting(lang, f.buyer),
        paragraphs,
        event: Some(&f.event),
        lines: &[],
        total: None,
        links: Vec::new(),
        after: vec![lang
            .pick(
                "Veuillez nous excuser pour ce désagrément.",
                "We apologise for the inconvenience.",
            )
            .into()],
        sender: f.sender,
    }
    .write()
}

/// One order of a look-up mail.
pub struct FoundOrder {
    pub reference: String,
    pub title: String,
    pub starts_at: i64,
    pub url: String,
}

/// "Retrouver ma commande": the links of the recipient's orders.
pub fn lookup(lang: Lang, orders: &[FoundOrder], sender: &str) -> Composed {
    let subject = lang
        .pick(
            "Vos commandes – liens d’accès",
            "Your orders – access links",
        )
        .to_string();
    let intro = lang
        .pick(
            "Vous avez demandé à retrouver vos commandes. Chaque lien ci-dessous ouvre une commande et ses billets :",
            "You asked to find your orders. Each link below opens an order and its tickets:",
        )
        .to_string();
    let links = orders
        .iter()
        .map(|o| {
            let label = format!(
                "{} – {} ({} {})",
                o.title,
                lang.datetime(o.starts_at),
                lang.pick("commande", "order"),
                o.reference
            );
            (label, o.url.clone())
        })
        .collect();
    Letter {
        lang,
        subject,
        greeting: lang.pick("Bonjour,", "Hello,").into(),
        paragraphs: vec![intro],
        event: None,
        lines: &[],
        total: None,
        links,
        after: vec![lang
            .pick(
                "Si vous n’avez rien demandé, ignorez ce message : personne d’autre ne reçoit ces liens.",
                "If you did not ask for this, ignore this message: nobody else receives these links.",
            )
            .into()],
        sender,
    }
    .write()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(lang: Lang) -> OrderFacts<'static> {
        OrderFacts {
            lang,
            buyer: "Louise <Michel>",
            reference: "K7F39Q2X",
            order_url: "https://billetterie.ville.fr/commandes/ab/cd",
            event: Event {
                title: "Concert du Nouvel An",
                starts_at: 1_798_743_600,
                place: "Grande salle – Théâtre municipal",
            },
            lines: vec![Line {
                number: "TM-PLEIN-000017".into(),
                place: "Orchestre, rang C, place 12".into(),
                tariff: "Plein tarif".into(),
                price_cents: 1850,
            }],
            total_cents: 1850,
            sender: "Théâtre municipal de Montbrison",
        }
    }

    #[test]
    fn the_confirmation_says_what_where_when_and_how_much() {
        let m = confirmation(&facts(Lang::Fr));
        assert!(
            m.subject
                .starts_with("Vos billets – Concert du Nouvel An – "),
            "{}",
            m.subject
        );
        for text in [&m.text, &m.html] {
            assert!(text.contains("K7F39Q2X"));
            assert!(text.contains("TM-PLEIN-000017"));
            assert!(text.contains("18,50"));
            assert!(text.contains("https://billetterie.ville.fr/commandes/ab/cd"));
            assert!(text.contains("Théâtre municipal de Montbrison"));
        }
        assert!(m.text.contains("Bonjour Louise <Michel>,"));
        assert!(m.text.contains("Total\u{202f}: 18,50"), "{}", m.text);
        assert!(m.html.contains("Louise &lt;Michel&gt;"), "escaped in HTML");
        assert!(m.html.starts_with("<!doctype html><html lang=\"fr\">"));
    }

    #[test]
    fn in_english_too() {
        let m = confirmation(&facts(Lang::En));
        assert!(m.subject.starts_with("Your tickets – "));
        assert!(m.text.contains("Thank you for your order K7F39Q2X"));
        assert!(m.text.contains("€18.50"));
    }

    #[test]
    fn a_resend_says_it_is_one() {
        let m = resend(&facts(Lang::Fr));
        assert!(m.subject.starts_with("Vos billets (nouvel envoi) – "));
        assert!(m.text.contains("Comme demandé"));
        assert!(m.text.contains("TM-PLEIN-000017"));
    }

    #[test]
    fn a_cancellation_names_the_tickets_and_what_remains() {
        let some = cancellation(&facts(Lang::Fr), 2);
        assert!(some
            .subject
            .starts_with("Billets annulés – Concert du Nouvel An"));
        assert!(some.text.contains("TM-PLEIN-000017"));
        assert!(some.text.contains("Vos autres billets restent valables."));
        assert!(some.text.contains("/commandes/ab/cd"));
        let all = cancellation(&facts(Lang::En), 0);
        assert!(all.subject.starts_with("Tickets cancelled – "));
        assert!(!all.text.contains("remain valid"));
        assert!(
            !all.text.contains("/commandes/ab/cd"),
            "no link to void tickets"
        );
    }

    #[test]
    fn a_refund_says_how_much() {
        let m = refund(&facts(Lang::Fr), 1250);
        assert_eq!(m.subject, "Remboursement – commande K7F39Q2X");
        assert!(m.text.contains("remboursé 12,50"), "{}", m.text);
        assert!(m.text.contains("Remboursé\u{202f}: 12,50"), "{}", m.text);
        let en = refund(&facts(Lang::En), 1250);
        assert!(en.text.contains("refunded €12.50"), "{}", en.text);
    }

    #[test]
    fn a_cancelled_performance_promises_the_refund() {
        let m = performance_cancelled(&facts(Lang::Fr));
        assert!(m
            .subject
            .starts_with("Séance annulée – Concert du Nouvel An"));
        assert!(m.text.contains("18,50"));
        assert!(m.text.contains("ne sont plus valables"));
    }

    #[test]
    fn a_lookup_lists_each_order_link() {
        let orders = [
            FoundOrder {
                reference: "K7F39Q2X".into(),
                title: "Concert".into(),
                starts_at: 1_798_743_600,
                url: "https://b.fr/commandes/1/a".into(),
            },
            FoundOrder {
                reference: "MNP23456".into(),
                title: "Film".into(),
                starts_at: 1_798_743_600,
                url: "https://b.fr/commandes/2/b".into(),
            },
        ];
        let m = lookup(Lang::Fr, &orders, "Théâtre");
        assert_eq!(m.subject, "Vos commandes – liens d’accès");
        for o in &orders {
            assert!(m.text.contains(&o.url));
            assert!(m.text.contains(&o.reference));
            assert!(m.html.contains(&format!("href=\"{}\"", o.url)));
        }
    }
}

//! What the e-mails say, in French or English: plain text (read as is in a text-only client)
//! and the same in simple HTML.
use app::i18n::Lang;

/// One ticket line of a confirmation.
pub struct Line {
    pub number: String,
    pub place: String,
    pub tariff: String,
    pub price_cents: i64,
}

/// An order's confirmation, its tickets attached.
pub struct Confirmation<'a> {
    pub lang: Lang,
    pub buyer: &'a str,
    pub reference: &'a str,
    pub order_url: &'a str,
    pub title: &'a str,
    pub starts_at: i64,
    pub place: &'a str,
    pub lines: Vec<Line>,
    pub total_cents: i64,
    pub sender: &'a str,
}

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn confirmation(c: &Confirmation) -> Composed {
    let lang = c.lang;
    let when = lang.datetime(c.starts_at);
    let fr = lang == Lang::Fr;
    let subject = if fr {
        format!("Vos billets – {} – {when}", c.title)
    } else {
        format!("Your tickets – {} – {when}", c.title)
    };
    let greeting = if fr {
        format!("Bonjour {},", c.buyer)
    } else {
        format!("Hello {},", c.buyer)
    };
    let intro = if fr {
        format!(
            "Merci pour votre commande {}. Vos billets sont joints à ce message (PDF) : présentez-les à l'entrée, imprimés ou sur votre téléphone.",
            c.reference
        )
    } else {
        format!(
            "Thank you for your order {}. Your tickets are attached (PDF): show them at the entrance, printed or on your phone.",
            c.reference
        )
    };
    let link_label = if fr {
        "Votre commande et vos billets restent disponibles à cette adresse :"
    } else {
        "Your order and tickets remain available at this address:"
    };
    let total_label = "Total";
    let calendar = if fr {
        "Une invitation pour votre agenda est jointe (.ics)."
    } else {
        "A calendar invitation is attached (.ics)."
    };
    let mut text = format!(
        "{greeting}\n\n{intro}\n\n{}\n{when}\n{}\n\n",
        c.title, c.place
    );
    for l in &c.lines {
        text.push_str(&format!(
            "- {} · {} · {} · {}\n",
            l.number,
            l.place,
            l.tariff,
            lang.amount(l.price_cents)
        ));
    }
    text.push_str(&format!(
        "\n{total_label} : {}\n\n{link_label}\n{}\n\n{calendar}\n\n{}\n",
        lang.amount(c.total_cents),
        c.order_url,
        c.sender
    ));
    let rows: String = c
        .lines
        .iter()
        .map(|l| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:right\">{}</td></tr>",
                html_escape(&l.number),
                html_escape(&l.place),
                html_escape(&l.tariff),
                html_escape(&lang.amount(l.price_cents))
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5\"><p>{greeting}</p><p>{intro}</p>\
         <h1 style=\"font-size:1.3em\">{title}</h1><p>{when}<br>{place}</p>\
         <table cellpadding=\"4\" style=\"border-collapse:collapse\">{rows}\
         <tr><th colspan=\"3\" style=\"text-align:left\">{total_label}</th><td style=\"text-align:right\">{total}</td></tr></table>\
         <p>{link_label}<br><a href=\"{url}\">{url}</a></p><p>{calendar}</p><p>{sender}</p></body></html>",
        code = lang.code(),
        subject = html_escape(&subject),
        greeting = html_escape(&greeting),
        intro = html_escape(&intro),
        title = html_escape(c.title),
        when = html_escape(&when),
        place = html_escape(c.place),
        total = html_escape(&lang.amount(c.total_cents)),
        url = html_escape(c.order_url),
        sender = html_escape(c.sender),
    );
    Composed {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(lang: Lang) -> Composed {
        confirmation(&Confirmation {
            lang,
            buyer: "Louise <Michel>",
            reference: "K7F39Q2X",
            order_url: "https://billetterie.ville.fr/commandes/ab/cd",
            title: "Concert du Nouvel An",
            starts_at: 1_798_743_600,
            place: "Grande salle – Théâtre municipal",
            lines: vec![Line {
                number: "TM-PLEIN-000017".into(),
                place: "Orchestre, rang C, place 12".into(),
                tariff: "Plein tarif".into(),
                price_cents: 1850,
            }],
            total_cents: 1850,
            sender: "Théâtre municipal de Montbrison",
        })
    }

    #[test]
    fn the_confirmation_says_what_where_when_and_how_much() {
        let m = order(Lang::Fr);
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
        }
        assert!(m.text.contains("Bonjour Louise <Michel>,"));
        assert!(m.html.contains("Louise &lt;Michel&gt;"), "escaped in HTML");
        assert!(m.html.starts_with("<!doctype html><html lang=\"fr\">"));
    }

    #[test]
    fn in_english_too() {
        let m = order(Lang::En);
        assert!(m.subject.starts_with("Your tickets – "));
        assert!(m.text.contains("Thank you for your order K7F39Q2X"));
        assert!(m.text.contains("€18.50"));
    }
}

//! The pages a French public body's ticket office must publish, linked from every page's
//! footer: legal notice, terms of sale, privacy (the town is the data controller), contact.
//! Demo wording for the demo town; a town adapts it before opening (an admin editor is to come).
use super::common::use_lang;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_meta::Title;

/// A page: its title, then sections of a heading and paragraphs, in both languages.
struct Page {
    id: &'static str,
    title: [&'static str; 2],
    sections: &'static [Section],
}

struct Section {
    heading: [&'static str; 2],
    paragraphs: &'static [[&'static str; 2]],
}

fn pick(lang: Lang, text: &[&'static str; 2]) -> &'static str {
    match lang {
        Lang::Fr => text[0],
        Lang::En => text[1],
    }
}

fn render(page: &'static Page) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=move || pick(lang.get(), &page.title)/>
        <article class="prose legal" aria-labelledby=format!("{}-title", page.id)>
            <h1 id=format!("{}-title", page.id)>{move || pick(lang.get(), &page.title)}</h1>
            {page
                .sections
                .iter()
                .map(|s| {
                    view! {
                        <section>
                            <h2>{move || pick(lang.get(), &s.heading)}</h2>
                            {s.paragraphs.iter().map(|p| view! { <p>{move || pick(lang.get(), p)}</p> }).collect_view()}
                        </section>
                    }
                })
                .collect_view()}
        </article>
    }
}

/// The footer's links to these pages: (path, French, English).
/// The box office's phone (demo wording, as the legal pages': the town's own once an admin
/// edits them), offered wherever the site cannot sell.
pub const BOX_OFFICE_PHONE: (&str, &str) = ("02 38 00 00 00", "+33238000000");

pub const LINKS: [(&str, &str, &str); 4] = [
    ("/mentions-legales", "Mentions légales", "Legal notice"),
    (
        "/conditions-de-vente",
        "Conditions générales de vente",
        "Terms of sale",
    ),
    ("/confidentialite", "Données personnelles", "Privacy"),
    (
        "/contact",
        "Contact et horaires",
        "Contact and opening hours",
    ),
];

#[component]
pub fn LegalNoticePage() -> impl IntoView {
    render(&LEGAL_NOTICE)
}

#[component]
pub fn TermsPage() -> impl IntoView {
    render(&TERMS)
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    render(&PRIVACY)
}

#[component]
pub fn ContactPage() -> impl IntoView {
    render(&CONTACT)
}

static LEGAL_NOTICE: Page = Page {
    id: "legal",
    title: ["Mentions légales", "Legal notice"],
    sections: &[
        Section {
            heading: ["Éditeur", "Publisher"],
            paragraphs: &[
                [
                    "Ville de Saint-Aubin-sur-Loire, Hôtel de ville, 2 place de la Mairie, 45000 Saint-Aubin-sur-Loire. Téléphone : 02 38 00 00 00. Courriel : billetterie@saint-aubin-sur-loire.fr.",
                    "Town of Saint-Aubin-sur-Loire, Town hall, 2 place de la Mairie, 45000 Saint-Aubin-sur-Loire, France. Phone: +33 2 38 00 00 00. E-mail: billetterie@saint-aubin-sur-loire.fr.",
                ],
                [
                    "Directeur de la publication : le maire de Saint-Aubin-sur-Loire.",
                    "Director of publication: the mayor of Saint-Aubin-sur-Loire.",
                ],
                [
                    "Le Théâtre municipal et le Cinéma Le Régent sont exploités en régie municipale. Licences d’entrepreneur de spectacles : 1-000000, 2-000000, 3-000000. Autorisation d’exercice cinématographique du CNC n° 000000.",
                    "The municipal theatre and the Cinéma Le Régent are run directly by the town. Live-performance licences: 1-000000, 2-000000, 3-000000. CNC cinema licence no. 000000.",
                ],
            ],
        },
        Section {
            heading: ["Hébergement", "Hosting"],
            paragraphs: &[[
                "Service hébergé sur les serveurs de la commune (ou de son prestataire, dont le nom et l’adresse figurent ici).",
                "Hosted on the town's servers (or its provider's, whose name and address are given here).",
            ]],
        },
        Section {
            heading: ["Logiciel", "Software"],
            paragraphs: &[[
                "Billetterie « Guichet ». Les paiements en ligne passent par PayFiP, le service de paiement de la Direction générale des Finances publiques : la commune ne voit jamais les données de votre carte.",
                "“Guichet” ticketing. Online payments go through PayFiP, the French public treasury's payment service: the town never sees your card details.",
            ]],
        },
    ],
};

static TERMS: Page = Page {
    id: "terms",
    title: ["Conditions générales de vente", "Terms of sale"],
    sections: &[
        Section {
            heading: ["Objet", "Scope"],
            paragraphs: &[[
                "Ces conditions s’appliquent aux billets du Théâtre municipal et du Cinéma Le Régent vendus en ligne et au guichet par la Ville de Saint-Aubin-sur-Loire. Acheter un billet vaut acceptation de ces conditions.",
                "These terms apply to the tickets of the municipal theatre and the Cinéma Le Régent sold online and at the box office by the Town of Saint-Aubin-sur-Loire. Buying a ticket means accepting them.",
            ]],
        },
        Section {
            heading: ["Prix et tarifs réduits", "Prices and reduced rates"],
            paragraphs: &[
                [
                    "Les prix sont indiqués en euros, toutes taxes comprises. Ils sont ceux affichés au moment de la commande, fixés par délibération du conseil municipal.",
                    "Prices are in euros, all taxes included, as shown when ordering, set by the town council.",
                ],
                [
                    "Les tarifs réduits sont accordés sur justificatif présenté à l’entrée (carte d’étudiant, de demandeur d’emploi, pièce d’identité…). Sans justificatif, la différence avec le plein tarif est demandée.",
                    "Reduced rates require proof shown at the entrance (student or job-seeker card, ID…). Without it, the difference with the full price is asked for.",
                ],
            ],
        },
        Section {
            heading: ["Paiement et billets", "Payment and tickets"],
            paragraphs: &[
                [
                    "Le paiement en ligne se fait par carte bancaire sur PayFiP, le service de la DGFiP. La commande est confirmée lorsque le paiement est accepté ; les billets sont alors affichés et envoyés par courriel.",
                    "Online payment is by card on PayFiP, the public treasury's service. The order is confirmed once the payment is accepted; the tickets are then shown and e-mailed.",
                ],
                [
                    "Chaque billet porte un code unique vérifié à l’entrée : présentez-le imprimé ou sur votre téléphone. Un billet ne permet qu’une entrée ; sa copie n’en donne pas d’autre.",
                    "Each ticket carries a unique code checked at the entrance: show it printed or on your phone. A ticket admits once; a copy admits nobody else.",
                ],
            ],
        },
        Section {
            heading: ["Ni repris ni échangés", "No returns or exchanges"],
            paragraphs: &[
                [
                    "Les billets ne sont ni repris ni échangés, sauf annulation de la séance. Conformément à l’article L221-28 du code de la consommation, le droit de rétractation ne s’applique pas aux prestations de loisirs fournies à une date déterminée.",
                    "Tickets are neither refunded nor exchanged, unless the performance is cancelled. Under article L221-28 of the French consumer code, the right of withdrawal does not apply to leisure services provided on a set date.",
                ],
                [
                    "Si une séance est annulée, vous en êtes informé par courriel et le prix de vos billets vous est remboursé.",
                    "If a performance is cancelled, you are told by e-mail and the price of your tickets is refunded.",
                ],
            ],
        },
        Section {
            heading: ["Accès à la salle", "Admission"],
            paragraphs: &[[
                "Les portes ouvrent 30 minutes avant le début. Les places numérotées ne sont plus garanties 5 minutes après le début ; l’accès des retardataires peut être refusé ou différé pour ne pas gêner le spectacle.",
                "Doors open 30 minutes before the start. Numbered seats are no longer guaranteed 5 minutes after the start; latecomers may be refused or seated later so as not to disturb the performance.",
            ]],
        },
        Section {
            heading: ["Réclamations", "Complaints"],
            paragraphs: &[[
                "Adressez vos réclamations à la billetterie (voir Contact). En cas de litige, vous pouvez recourir gratuitement au médiateur de la consommation ou saisir le tribunal compétent.",
                "Send complaints to the box office (see Contact). In a dispute, you may turn to a consumer mediator free of charge or to the competent court.",
            ]],
        },
    ],
};

static PRIVACY: Page = Page {
    id: "privacy",
    title: ["Données personnelles", "Privacy"],
    sections: &[
        Section {
            heading: ["Responsable du traitement", "Data controller"],
            paragraphs: &[[
                "La Ville de Saint-Aubin-sur-Loire, représentée par son maire, est responsable du traitement des données collectées par la billetterie. Délégué à la protection des données : dpo@saint-aubin-sur-loire.fr, Hôtel de ville, 2 place de la Mairie, 45000 Saint-Aubin-sur-Loire.",
                "The Town of Saint-Aubin-sur-Loire, represented by its mayor, is the controller of the data the box office collects. Data protection officer: dpo@saint-aubin-sur-loire.fr, Town hall, 2 place de la Mairie, 45000 Saint-Aubin-sur-Loire.",
            ]],
        },
        Section {
            heading: ["Ce que nous collectons, et pourquoi", "What we collect, and why"],
            paragraphs: &[
                [
                    "Votre nom et votre adresse électronique, vos billets et vos paiements : pour vous vendre et vous envoyer vos billets, les contrôler à l’entrée, vous prévenir d’une annulation et tenir la comptabilité publique (exécution du contrat et obligations légales). Les données de carte bancaire sont saisies chez PayFiP : la commune ne les reçoit pas.",
                    "Your name and e-mail address, your tickets and payments: to sell and send you your tickets, check them at the entrance, tell you of a cancellation and keep the public accounts (performance of the contract and legal obligations). Card details are entered at PayFiP: the town never receives them.",
                ],
                [
                    "Aucune publicité, aucun traceur : le site n’utilise qu’un cookie de langue et, pour le personnel, un cookie de session.",
                    "No advertising, no trackers: the site only uses a language cookie and, for staff, a session cookie.",
                ],
            ],
        },
        Section {
            heading: ["Destinataires et durées", "Recipients and retention"],
            paragraphs: &[
                [
                    "Les données sont réservées aux agents de la billetterie et des services culturels et, pour le paiement, à la DGFiP. Elles ne sont ni vendues ni cédées.",
                    "The data is for the box office and cultural services' staff and, for payments, the public treasury. It is never sold or passed on.",
                ],
                [
                    "Votre nom et votre adresse sont conservés 3 ans après votre dernier achat ; les pièces comptables (numéros de billets, tarifs, paiements) le sont pendant la durée légale (6 ans).",
                    "Your name and address are kept 3 years after your last purchase; accounting records (ticket numbers, prices, payments) for the legal term (6 years).",
                ],
            ],
        },
        Section {
            heading: ["Vos droits", "Your rights"],
            paragraphs: &[[
                "Vous pouvez accéder à vos données, les faire rectifier ou effacer, vous opposer à leur traitement ou en demander la limitation, en écrivant au délégué à la protection des données. Vous pouvez aussi saisir la CNIL (www.cnil.fr).",
                "You may access your data, have it corrected or erased, object to its processing or ask for it to be restricted, by writing to the data protection officer. You may also complain to the CNIL (www.cnil.fr).",
            ]],
        },
    ],
};

static CONTACT: Page = Page {
    id: "contact",
    title: ["Contact et horaires", "Contact and opening hours"],
    sections: &[
        Section {
            heading: ["Billetterie", "Box office"],
            paragraphs: &[
                [
                    "Au Théâtre municipal, 2 place de la Mairie : du mardi au samedi de 14 h à 18 h 30, et une heure avant chaque représentation.",
                    "At the municipal theatre, 2 place de la Mairie: Tuesday to Saturday, 2 pm to 6.30 pm, and one hour before each performance.",
                ],
                [
                    "Téléphone : 02 38 00 00 00 (aux heures d’ouverture). Courriel : billetterie@saint-aubin-sur-loire.fr.",
                    "Phone: +33 2 38 00 00 00 (during opening hours). E-mail: billetterie@saint-aubin-sur-loire.fr.",
                ],
            ],
        },
        Section {
            heading: ["Venir", "Getting there"],
            paragraphs: &[
                [
                    "Théâtre municipal, 2 place de la Mairie : parking de la Mairie, arrêt de bus « Hôtel de ville ». Salle accessible en fauteuil roulant ; boucle magnétique en Grande salle : signalez-le à la billetterie.",
                    "Municipal theatre, 2 place de la Mairie: town hall car park, “Hôtel de ville” bus stop. Wheelchair accessible; induction loop in the Grande salle: tell the box office.",
                ],
                [
                    "Cinéma Le Régent, 14 rue du Port : à 5 minutes à pied du théâtre. Salles de plain-pied.",
                    "Cinéma Le Régent, 14 rue du Port: a 5-minute walk from the theatre. Step-free auditoriums.",
                ],
            ],
        },
        Section {
            heading: ["Sans ordinateur ni carte bancaire", "Without a computer or card"],
            paragraphs: &[[
                "Toutes les places vendues en ligne le sont aussi au guichet, en espèces, par chèque, carte bancaire ou pass Culture.",
                "Every seat sold online is also sold at the box office, in cash, by cheque, card or pass Culture.",
            ]],
        },
    ],
};

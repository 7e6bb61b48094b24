//! `/accessibilite`: the accessibility statement French public bodies must publish (RGAA).
use super::common::use_lang;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=move || lang.get().pick("Déclaration d'accessibilité", "Accessibility statement")/>
        {move || match lang.get() {
            Lang::Fr => french().into_any(),
            Lang::En => english().into_any(),
        }}
    }
    .into_any()
}

fn french() -> impl IntoView {
    view! {
        <article class="prose" aria-labelledby="a11y-title">
            <h1 id="a11y-title">"Déclaration d'accessibilité"</h1>
            <p class="a11y-status">
                <strong>"Accessibilité : partiellement conforme"</strong>
            </p>
            <p>
                "La commune s'engage à rendre ses sites internet, intranet, extranet et ses progiciels accessibles conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005."
            </p>
            <p>"Cette déclaration d'accessibilité s'applique au service de billetterie en ligne « Guichet »."</p>
            <h2>"État de conformité"</h2>
            <p>
                "Le service « Guichet » est "
                <strong>"partiellement conforme"</strong>
                " avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1, en raison des non-conformités et des dérogations énumérées ci-dessous."
            </p>
            <h2>"Résultats des tests"</h2>
            <p>
                "Aucun audit externe n'a encore été réalisé. Le service a été conçu pour respecter le RGAA : structure de titres, régions de page, étiquettes de formulaires, messages d'erreur annoncés, focus visible, contrastes suffisants, utilisation complète au clavier, y compris le plan de salle."
            </p>
            <h2>"Contenus non accessibles"</h2>
            <h3>"Non-conformités connues"</h3>
            <ul>
                <li>
                    "Le plan de salle est un contenu graphique : il est utilisable au clavier et chaque place est décrite (zone, rang, numéro, catégorie, prix), mais la disposition spatiale de la salle n'est pas restituée aux lecteurs d'écran. La billetterie sur place et par téléphone permet de choisir ses places avec l'aide d'un agent."
                </li>
                <li>
                    "Les billets au format PDF ne sont pas des documents balisés ; les informations qu'ils contiennent figurent aussi sur la page de confirmation de commande."
                </li>
            </ul>
            <h3>"Dérogations pour charge disproportionnée"</h3>
            <p>"Aucune."</p>
            <h3>"Contenus non soumis à l'obligation d'accessibilité"</h3>
            <p>"Les visuels et bandes-annonces fournis par les distributeurs et les compagnies."</p>
            <h2>"Établissement de cette déclaration d'accessibilité"</h2>
            <p>
                "Technologies utilisées : HTML, CSS, SVG, WAI-ARIA, JavaScript (WebAssembly). Les pages principales (programme, plan de salle) restent lisibles sans JavaScript."
            </p>
            <h2>"Retour d'information et contact"</h2>
            <p>
                "Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter la billetterie (accueil du théâtre municipal, aux heures d'ouverture) pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme."
            </p>
            <h2>"Voies de recours"</h2>
            <p>
                "Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité du site, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits."
            </p>
            <ul>
                <li>
                    "Écrire un message au "
                    <a href="https://formulaire.defenseurdesdroits.fr/" rel="external">
                        "Défenseur des droits"
                    </a>
                </li>
                <li>
                    "Contacter "
                    <a href="https://www.defenseurdesdroits.fr/saisir/delegues" rel="external">
                        "le délégué du Défenseur des droits dans votre région"
                    </a>
                </li>
                <li>
                    "Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"
                </li>
            </ul>
        </article>
    }
    .into_any()
}

fn english() -> impl IntoView {
    view! {
        <article class="prose" aria-labelledby="a11y-title" lang="en">
            <h1 id="a11y-title">"Accessibility statement"</h1>
            <p class="a11y-status">
                <strong>"Accessibility: partially compliant"</strong>
            </p>
            <p>
                "The municipality is committed to making its websites accessible in accordance with article 47 of French law no. 2005-102 of 11 February 2005."
            </p>
            <p>"This statement applies to the “Guichet” online box office."</p>
            <h2>"Compliance status"</h2>
            <p>
                "“Guichet” is " <strong>"partially compliant"</strong>
                " with the French accessibility framework (RGAA) version 4.1, because of the issues listed below."
            </p>
            <h2>"Test results"</h2>
            <p>
                "No external audit has been carried out yet. The service was designed to follow the RGAA: heading structure, page landmarks, form labels, announced error messages, visible focus, sufficient contrast and full keyboard use, including the seating plan."
            </p>
            <h2>"Non-accessible content"</h2>
            <ul>
                <li>
                    "The seating plan is graphical: it can be used with a keyboard and every seat is described (area, row, number, category, price), but the spatial layout of the hall is not conveyed to screen readers. The box office (in person or by phone) can help you choose your seats."
                </li>
                <li>
                    "PDF tickets are not tagged documents; their information is also shown on the order confirmation page."
                </li>
            </ul>
            <h2>"Feedback and contact"</h2>
            <p>
                "If you cannot access some content or service, please contact the box office (municipal theatre reception, during opening hours) to get an accessible alternative."
            </p>
            <h2>"Remedies"</h2>
            <p>
                "If you report an accessibility issue and get no answer, you may contact the Défenseur des droits (French rights ombudsman): "
                <a href="https://formulaire.defenseurdesdroits.fr/" rel="external" hreflang="fr">
                    "online form"
                </a> "."
            </p>
        </article>
    }
    .into_any()
}

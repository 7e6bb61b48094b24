# Messages shown to users, French (reference language). Keys are shared with en.ftl.
# French typography: curly apostrophes, narrow no-break space before « : ; ! ? ».

## Generic failures
error-unavailable = Service momentanément indisponible, veuillez réessayer.
error-internal = Erreur interne, veuillez réessayer.
error-bad-json = Requête JSON invalide : { $detail }
error-bad-path = Paramètre d’adresse invalide : { $detail }
error-bad-query = Paramètres invalides : { $detail }
error-unknown-endpoint = Point d’accès inconnu.
error-cross-site = Requête venue d’un autre site : refusée.
error-payload-too-large = Requête trop volumineuse.
error-network = Réseau indisponible : { $detail }

## Programme
error-performance-not-found = Séance { $id } introuvable.
error-show-not-found = Spectacle introuvable.
error-invalid-date = Date invalide : « { $value } » (AAAA-MM-JJ).
error-invalid-kind = kind doit valoir « cinema » ou « theatre » (reçu : « { $value } »).

## Holds
error-sale-cancelled = Cette séance est annulée.
error-sale-not-open = La vente en ligne ouvre le { $opens }.
error-sale-closed = La vente en ligne est close pour cette séance.
error-sale-unpublished = Cette séance n’est pas encore en vente.
error-hold-seats-and-quantity = Indiquez soit des places, soit une quantité, pas les deux.
error-hold-nothing = Aucune place demandée.
error-hold-quantity-expected = Séance en placement libre : indiquez une quantité.
error-selection-empty = Aucune place sélectionnée.
error-selection-duplicate = La même place figure plusieurs fois.
error-selection-too-many = Au plus { $max } places par commande.
error-seats-unknown = Places inconnues pour cette séance : { $seats }.
error-seats-not-on-sale = Ces places ne sont pas proposées à la vente.
error-seats-taken = { $count ->
    [one] Cette place vient d’être prise par quelqu’un d’autre.
   *[other] { $count } places viennent d’être prises par quelqu’un d’autre.
}
error-no-adjacent-seats = Plus de { $quantity } places côte à côte disponibles.
error-sold-out = Complet.
error-places-left = { $remaining ->
    [one] Il ne reste que { $remaining } place.
   *[other] Il ne reste que { $remaining } places.
}
error-too-many-held = Vous avez déjà { $held } places réservées pour cette séance, au plus { $cap } à la fois : payez ou libérez votre réservation avant d’en prendre d’autres.
error-overloaded = Beaucoup de monde en ce moment : réessayez dans un instant.
error-rate-limited = Trop de demandes en peu de temps ; réessayez dans quelques secondes.
error-hold-not-found = Réservation introuvable.
error-tariff-quota = Il ne reste que { $left } place(s) au tarif « { $tariff } » pour cette séance : choisissez un autre tarif pour les autres.
error-hold-paid-release = Ces places ont déjà été payées.

## Orders
error-hold-expired = Le délai de réservation est dépassé ; choisissez à nouveau vos places.
error-hold-already-paid = Cette réservation a déjà été payée.
error-name-missing = Indiquez le nom de l’acheteur.
error-name-invalid = Nom de l’acheteur invalide (120 caractères au plus).
error-email-invalid = Adresse e-mail invalide.
error-no-tickets = Aucun billet demandé.
error-tickets-seats-mismatch = Les billets doivent correspondre exactement aux places réservées (une par place).
error-tickets-quantity-mismatch = Placement libre : indiquez { $expected } billet(s) sans numéro de place.
error-tariff-not-offered-seat = Tarif « { $tariff } » non proposé pour la place { $seat }.
error-tariff-not-offered = Tarif « { $tariff } » non proposé pour cette séance.
error-no-reference = Impossible d’attribuer une référence de commande.

## Payments
error-order-not-found = Commande introuvable.
find-orders-accepted = Si une commande correspond, un e-mail avec ses liens vient de partir vers l’adresse donnée lors de l’achat. Pensez à regarder vos courriers indésirables.
error-resend-not-paid = Cette commande n’est pas payée : elle n’a pas encore de billets à envoyer.
error-resend-no-tickets = Tous les billets de cette commande ont été annulés : il n’y a plus rien à envoyer.
error-resend-no-address = Aucune adresse e-mail n’est connue pour cette commande.
error-resend-too-often = Les billets ont déjà été envoyés plusieurs fois à cette adresse dans l’heure ; vérifiez vos courriers indésirables ou réessayez plus tard.
error-find-orders-invalid = Indiquez l’adresse e-mail donnée lors de l’achat ou la référence de la commande (8 caractères).
error-order-already-paid = Cette commande est déjà payée.
error-order-cancelled = Cette commande est annulée.
error-seats-released = Le délai de réservation est dépassé ; les places ont été libérées.
error-payment-too-late = Votre paiement est arrivé trop tard : vos places ont été libérées et il vous sera remboursé.
error-payments-not-configured = Aucun moyen de paiement en ligne n’est configuré.
error-payment-provider = Le service de paiement ne répond pas ; réessayez dans un instant.
error-payment-not-accepted = Le service de paiement n'accepte pas ce paiement (montant d'au moins 1 €, adresse e-mail de 80 caractères au plus). Vous pouvez régler au guichet.

## Tickets
error-tickets-not-paid = Les billets sont disponibles une fois la commande payée.
error-ticket-not-found = Billet introuvable.
error-pdf = Erreur lors de la création du PDF.

## Door
error-door-unauthorized = Accès de contrôle invalide ou expiré.
error-door-forbidden = Cet accès ne couvre pas cette séance.
error-door-not-supervisor = Seul un appareil superviseur peut annuler une entrée.
error-nonce-invalid = nonce manquant ou trop long (100 caractères au plus).
error-scan-empty = Indiquez un code scanné ou un numéro de billet.
error-nonce-reused = Ce nonce a déjà servi pour un autre billet.
error-admission-not-found = Entrée introuvable.
error-admission-undone = Cette entrée est déjà annulée.
error-search-too-short = Tapez au moins deux caractères.
error-access-no-performance = Aucune séance pour cet accès.
error-access-hours = Durée de validité : de 1 à 72 heures.
error-ticket-number-invalid = Numéro de billet invalide : { $number }
error-ticket-already-cancelled = Ce billet est déjà annulé.

## Staff accounts
error-login-invalid = Identifiants incorrects.
error-login-throttled = Trop de tentatives de connexion ; réessayez dans { $minutes } min.
error-not-authenticated = Connectez-vous pour continuer (session absente ou expirée).
error-staff-forbidden = Votre rôle ne permet pas cette action.
error-staff-name = Indiquez un nom (100 caractères au plus).
error-staff-role = Rôle inconnu : « { $role } » (admin, box_office ou door).
error-password-short = Le mot de passe doit compter au moins { $min } caractères.
error-password-long = Le mot de passe doit compter au plus { $max } caractères.
error-password-repeated = Le mot de passe ne peut pas répéter un seul caractère.
error-password-wrong = Le mot de passe actuel est incorrect.
error-staff-email-taken = Un compte utilise déjà cette adresse e-mail.
error-staff-not-found = Compte introuvable.
error-staff-last-admin = Il doit rester au moins un administrateur actif.
error-token-not-found = Jeton d’API introuvable.
error-token-name = Nommez le jeton (100 caractères au plus).

## Programme (back office)
error-show-title = Indiquez un titre (200 caractères au plus).
error-show-duration = Durée : de 1 à 600 minutes.
error-film-fields = Visa, distributeur, version et 3D ne concernent que les films (type cinéma).
error-film-visa = Numéro de visa « { $value } » : des chiffres seulement (par exemple 153214).
error-film-version = Version « { $value } » : VF, VOST ou VO.
error-show-taken = Un spectacle de ce titre et de ce genre existe déjà.
error-tariff-not-in-venue = Le tarif « { $tariff } » n’est pas au catalogue de ce lieu (ou n’y est plus proposé).
error-venue-tariff-taken = Ce lieu propose déjà le tarif « { $tariff } ».
error-sale-online-only = Cette séance est vendue en ligne seulement, pas au guichet.
error-counter-desk = Nom de caisse invalide (1 à 40 caractères).
error-counter-hold-time = Durée de réservation invalide : de 15 minutes à 7 jours.
error-counter-no-payment = Indiquez le paiement de { $total }.
error-counter-not-adding-up = Les paiements ({ $paid }) ne font pas le total ({ $total }).
error-counter-amount = Chaque paiement doit être un montant positif.
error-counter-tendered-not-cash = Seules les espèces se rendent : « montant remis » ne vaut que pour les espèces.
error-counter-tendered-too-little = Remis { $tendered } en espèces pour { $amount } : il manque de l’argent.
error-counter-two-cash = Une seule ligne d’espèces par vente.
error-counter-free-reason = Une invitation gratuite demande un motif.
error-counter-free-amount = « Gratuit » ne vaut que pour une vente à 0 € (invitations).
error-counter-paid-for-nothing = Rien à payer : une vente à 0 € se règle « gratuit », avec un motif.
error-supervisor-only = Cet acte est réservé à un superviseur.
error-period-invalid = Période invalide : « { $period } » (day, month ou year ; date AAAA-MM-JJ, AAAA-MM ou AAAA).
error-period-not-over = La période { $period } n’est pas terminée : elle se clôt une fois finie.
error-period-closed = La période { $period } est déjà clôturée.
error-period-not-closed = La période { $period } n’est pas clôturée : son ticket Z et son archive viendront à sa clôture.
error-cash-count = Comptage de caisse invalide (montants positifs, caisse nommée).
error-poster-not-found = Cette affiche n’existe pas (ou plus).
error-poster-empty = Le fichier de l’affiche est vide.
error-poster-too-large = L’affiche dépasse { $max_mb } Mo : réduisez-la avant de l’envoyer.
error-poster-format = L’affiche doit être une image JPEG, PNG ou WebP.
error-poster-size = L’affiche mesure { $width } × { $height } pixels : chaque côté doit faire de { $min } à { $max } pixels.
error-hall-not-found = Salle { $id } introuvable.
error-performance-no-start = Indiquez au moins une date (starts_at ou recurrence).
error-instant-invalid = Date et heure invalides : « { $value } » (RFC 3339, par ex. 2026-12-05T20:30:00+01:00).
error-start-in-past = La séance du { $value } serait dans le passé.
error-date-invalid = Date invalide : « { $value } » (AAAA-MM-JJ).
error-weekday-invalid = Jour de la semaine inconnu : « { $value } » (lun … dim).
error-time-invalid = Heure invalide : « { $value } » (HH:MM).
error-recurrence-period = La période doit aller d’une date à une date égale ou postérieure, sur un an au plus.
error-recurrence-empty = Indiquez au moins un jour de la semaine et une heure.
error-recurrence-too-many = Au plus { $max } séances par demande.
error-category-unknown = Catégorie de prix inconnue dans cette salle : « { $category } ».
error-category-no-price = La catégorie « { $category } » n’a aucun prix : ses places ne pourraient pas être vendues.
error-tariff-unknown = Tarif inconnu : « { $tariff } ».
error-price-invalid = Prix invalide pour « { $category } » / « { $tariff } » (de 0 à 1 000 € en centimes).
error-capacity-needed = Une salle en placement libre demande une jauge (capacity, de 1 à 10 000).
error-hold-minutes = Durée de réservation des places : de 5 à 60 minutes.
error-tariff-code = Code de tarif « { $code } » : de 2 à 20 minuscules, chiffres ou _, en commençant par une lettre.
error-tariff-taken = Un tarif a déjà ce code.
error-tariff-family = Famille de tarif inconnue « { $family } » (gratuit, scolaire, illimite, autre).
error-quota-invalid = Quota du tarif « { $tariff } » : de 0 à 10 000 billets.
error-channel-unknown = Canal de vente inconnu « { $channel } » (online ou box_office).
error-channel-none = Choisissez au moins un canal de vente : en ligne ou billetterie.
error-sale-counter-only = Cette séance est vendue à la billetterie seulement.
error-max-seats = Places par commande : de 1 à 50.
error-sale-window = La vente en ligne doit ouvrir avant de fermer, et fermer au plus tard au début de la séance.
error-performance-clash = La salle a déjà une séance le { $at }.
error-performance-cancelled = La séance { $id } est annulée : elle ne peut plus être modifiée.
error-venue-code = Code de lieu invalide : « { $code } » (2 à 6 majuscules ou chiffres, imprimés dans les numéros de billet).
error-venue-code-taken = Un lieu utilise déjà ce code.
error-programme-name-invalid = Indiquez un nom (100 caractères au plus).
error-hall-taken = Ce lieu a déjà une salle de ce nom.
error-plan-format = Format de plan inconnu « { $format } » (guichet ou pretix).
error-seatmap-version = Cette salle n'a pas de version { $version } de plan.
error-seatmap-changed = Le plan a été modifié entre-temps (il en est à la version { $version }) : rechargez-le avant d'enregistrer.
error-venue-not-found = Lieu { $id } introuvable.
error-plan-source = Donnez un seul plan : generator, plan (format Guichet) ou pretix.
error-generator-no-level = Le générateur demande au moins un niveau.
error-generator-size = Niveau « { $zone } » : de 1 à 100 rangs, de 1 à 200 places par rang.
error-plan-invalid = Plan refusé ({ $count } problème(s)) : { $problems_fr }

error-after-sale-not-paid = Cette commande n’est pas payée : rien à annuler ni à rembourser.
error-after-sale-reason = Indiquez un motif (200 caractères au plus).
error-after-sale-unknown-tickets = Ces billets ne sont pas de cette commande : { $ids }.
error-after-sale-already-cancelled = Billets déjà annulés : { $numbers }.
error-after-sale-nothing = Tous les billets de cette commande sont déjà annulés.
error-after-sale-changed = La commande vient de changer (un autre poste ?) : rechargez-la.
error-exchange-method = Indiquez le moyen de paiement ou de remboursement de la différence.
error-exchange-nothing-to-pay = Il n'y a rien à payer pour cet échange : retirez les paiements.
error-exchange-other-show = La séance { $id } n'est pas du même spectacle : un échange se fait dans le même spectacle.
error-exchange-no-tickets = Indiquez les billets rendus.
error-refund-amount = Le montant à rembourser doit être positif.
error-refund-free = Un remboursement se fait en espèces, par carte, chèque, pass Culture ou bon, pas « gratuit ».
error-refund-too-much = { $asked } demandés, mais { $refundable } seulement restent remboursables.
error-refund-supervisor = Au-delà de { $limit }, un superviseur rembourse.
error-order-search = Cherchez par numéro de billet, référence, e-mail ou nom (2 à 200 caractères).
error-report-period = Période invalide « { $period } » : deux jours AAAA-MM-JJ, le premier avant le second, un an au plus.
error-export-cursor = Curseur d’export illisible : reprenez l’export depuis le début.

# Messages shown to users, English. Keys are shared with fr.ftl.

## Generic failures
error-unavailable = The service is temporarily unavailable. Please try again.
error-internal = Something went wrong. Please try again.
error-bad-json = Invalid JSON request: { $detail }
error-bad-path = Invalid address parameter: { $detail }
error-bad-query = Invalid parameters: { $detail }
error-unknown-endpoint = Unknown endpoint.
error-cross-site = A request from another site: refused.
error-payload-too-large = Request too large.
error-network = Network unavailable: { $detail }

## Programme
error-performance-not-found = Performance { $id } not found.
error-show-not-found = Show not found.
error-invalid-date = Invalid date: “{ $value }” (YYYY-MM-DD).
error-invalid-kind = kind must be “cinema” or “theatre” (got “{ $value }”).

## Holds
error-sale-cancelled = This performance is cancelled.
error-sale-not-open = Online sale opens on { $opens }.
error-sale-closed = Online sale is closed for this performance.
error-sale-unpublished = This performance is not on sale yet.
error-hold-seats-and-quantity = Give either seats or a quantity, not both.
error-hold-nothing = No seat requested.
error-hold-quantity-expected = Unreserved seating: give a quantity.
error-selection-empty = No seat selected.
error-selection-duplicate = The same seat is selected twice.
error-selection-too-many = At most { $max } seats per order.
error-seats-unknown = Unknown seats for this performance: { $seats }.
error-seats-not-on-sale = These seats are not on sale.
error-seats-taken = { $count ->
    [one] This seat has just been taken by someone else.
   *[other] { $count } seats have just been taken by someone else.
}
error-no-adjacent-seats = No { $quantity } seats side by side are left.
error-sold-out = Sold out.
error-places-left = { $remaining ->
    [one] Only 1 place left.
   *[other] Only { $remaining } places left.
}
error-too-many-held = You already hold { $held } places for this performance, at most { $cap } at a time: pay for or release your reservation before taking more.
error-overloaded = Very busy right now: please try again in a moment.
error-rate-limited = Too many requests in a short time; please try again in a few seconds.
error-hold-not-found = Reservation not found.
error-tariff-quota = Only { $left } place(s) left at the “{ $tariff }” price for this performance: choose another price for the others.
error-hold-paid-release = These seats have already been paid for.

## Orders
error-hold-expired = Time is up: please choose your seats again.
error-hold-already-paid = This reservation has already been paid for.
error-name-missing = Please enter the buyer’s name.
error-name-invalid = Invalid buyer name (120 characters at most).
error-email-invalid = Invalid e-mail address.
error-no-tickets = No ticket requested.
error-tickets-seats-mismatch = The tickets must match the held seats exactly (one per seat).
error-tickets-quantity-mismatch = Unreserved seating: give { $expected } ticket(s) without a seat number.
error-tariff-not-offered-seat = Tariff “{ $tariff }” is not offered for seat { $seat }.
error-tariff-not-offered = Tariff “{ $tariff }” is not offered for this performance.
error-no-reference = Could not assign an order reference.

## Payments
error-order-not-found = Order not found.
find-orders-accepted = If an order matches, an e-mail with its links is on its way to the address given at purchase. Remember to check your spam folder.
error-resend-not-paid = This order is not paid: it has no tickets to send yet.
error-resend-no-tickets = Every ticket of this order was cancelled: there is nothing left to send.
error-resend-no-address = No e-mail address is known for this order.
error-resend-too-often = The tickets were already sent to this address several times within the hour; check your spam folder or try again later.
error-find-orders-invalid = Give the e-mail address used for the purchase or the order reference (8 characters).
error-order-already-paid = This order is already paid.
error-order-cancelled = This order is cancelled.
error-seats-released = Time is up: the seats have been released.
error-payment-too-late = Your payment arrived too late: the seats were released and you will be refunded.
error-payments-not-configured = No online payment method is configured.
error-payment-provider = The payment service is not answering; please try again shortly.
error-payment-not-accepted = The payment service does not accept this payment (it takes amounts from €1 and e-mail addresses of at most 80 characters). Please pay at the box office.

## Tickets
error-tickets-not-paid = Tickets are available once the order is paid.
error-ticket-not-found = Ticket not found.
error-pdf = The PDF could not be created.

## Door
error-door-unauthorized = Door access invalid or expired.
error-door-forbidden = This access does not cover this performance.
error-door-not-supervisor = Only a supervisor device can undo an admission.
error-nonce-invalid = nonce missing or too long (100 characters at most).
error-scan-empty = Give a scanned code or a ticket number.
error-nonce-reused = This nonce was already used for another ticket.
error-admission-not-found = Admission not found.
error-admission-undone = This admission is already undone.
error-search-too-short = Type at least two characters.
error-access-no-performance = No performance for this access.
error-access-hours = Validity: from 1 to 72 hours.
error-ticket-number-invalid = Invalid ticket number: { $number }
error-ticket-already-cancelled = This ticket is already cancelled.

## Staff accounts
error-login-invalid = Invalid credentials.
error-login-throttled = Too many login attempts; try again in { $minutes } min.
error-not-authenticated = Log in to continue (no session, or it expired).
error-staff-forbidden = Your role does not allow this.
error-staff-name = Give a name (at most 100 characters).
error-staff-role = Unknown role: “{ $role }” (admin, box_office or door).
error-password-short = The password must have at least { $min } characters.
error-password-long = The password must have at most { $max } characters.
error-password-repeated = The password cannot repeat a single character.
error-password-wrong = The current password is wrong.
error-staff-email-taken = An account already uses this e-mail address.
error-staff-not-found = Account not found.
error-staff-last-admin = At least one active administrator must remain.
error-token-not-found = API token not found.
error-token-name = Name the token (at most 100 characters).

## Programme (back office)
error-show-title = Give a title (at most 200 characters).
error-show-duration = Duration: 1 to 600 minutes.
error-film-fields = Visa, distributor, version and 3D are for films (kind cinema) only.
error-film-visa = Visa number « { $value } »: digits only (e.g. 153214).
error-film-version = Version « { $value } »: VF, VOST or VO.
error-show-taken = A show with this title and kind exists already.
error-tariff-not-in-venue = Tariff “{ $tariff }” is not in this venue’s catalogue (or no longer offered).
error-venue-tariff-taken = This venue sells tariff “{ $tariff }” already.
error-sale-online-only = This performance is sold online only, not at the box office.
error-counter-desk = Invalid cash desk name (1 to 40 characters).
error-counter-hold-time = Invalid reservation time: 15 minutes to 7 days.
error-counter-no-payment = Give the payment of { $total }.
error-counter-not-adding-up = The payments ({ $paid }) do not make the total ({ $total }).
error-counter-amount = Each payment must be a positive amount.
error-counter-tendered-not-cash = Only cash is tendered: “amount handed over” is for cash only.
error-counter-tendered-too-little = { $tendered } handed over in cash for { $amount }: money is missing.
error-counter-two-cash = One cash line per sale.
error-counter-free-reason = A free invitation needs a reason.
error-counter-free-amount = “Free” is only for a sale of €0 (invitations).
error-counter-paid-for-nothing = Nothing to pay: a €0 sale is settled “free”, with a reason.
error-supervisor-only = This is a supervisor's act.
error-period-invalid = Invalid period: “{ $period }” (day, month or year; date YYYY-MM-DD, YYYY-MM or YYYY).
error-period-not-over = The period { $period } is not over: it is closed once it has ended.
error-period-closed = The period { $period } is closed already.
error-period-not-closed = The period { $period } is not closed: its Z report and archive come with its closure.
error-cash-count = Invalid cash count (positive amounts, a named desk).
error-poster-not-found = This poster does not exist (any more).
error-poster-empty = The poster file is empty.
error-poster-too-large = The poster is over { $max_mb } MB: make it smaller before sending it.
error-poster-format = The poster must be a JPEG, PNG or WebP image.
error-poster-size = The poster is { $width } × { $height } pixels: each side must be { $min } to { $max } pixels.
error-hall-not-found = Hall { $id } not found.
error-performance-no-start = Give at least one date (starts_at or recurrence).
error-instant-invalid = Invalid date and time: “{ $value }” (RFC 3339, e.g. 2026-12-05T20:30:00+01:00).
error-start-in-past = The performance on { $value } would be in the past.
error-date-invalid = Invalid date: “{ $value }” (YYYY-MM-DD).
error-weekday-invalid = Unknown weekday: “{ $value }” (mon … sun).
error-time-invalid = Invalid time: “{ $value }” (HH:MM).
error-recurrence-period = The period must run from a date to the same or a later one, over a year at most.
error-recurrence-empty = Give at least one weekday and one time.
error-recurrence-too-many = At most { $max } performances per request.
error-category-unknown = Unknown price category in this hall: “{ $category }”.
error-category-no-price = Category “{ $category }” has no price: its seats could not be sold.
error-tariff-unknown = Unknown tariff: “{ $tariff }”.
error-price-invalid = Invalid price for “{ $category }” / “{ $tariff }” (0 to €1,000, in cents).
error-capacity-needed = A general-admission hall needs a capacity (1 to 10,000).
error-hold-minutes = Seat hold time: 5 to 60 minutes.
error-tariff-code = Tariff code « { $code } »: 2 to 20 lowercase letters, digits or _, starting with a letter.
error-tariff-taken = A tariff has this code already.
error-tariff-family = Unknown tariff family « { $family } » (gratuit, scolaire, illimite, autre).
error-quota-invalid = Quota for “{ $tariff }”: 0 to 10,000 tickets.
error-channel-unknown = Unknown channel « { $channel } » (online or box_office).
error-channel-none = Choose at least one channel: online or box office.
error-sale-counter-only = This performance is sold at the box office only.
error-max-seats = Seats per order: 1 to 50.
error-sale-window = Online sale must open before it closes, and close at the start at the latest.
error-performance-clash = The hall already has a performance on { $at }.
error-performance-cancelled = Performance { $id } is cancelled: it cannot be changed any more.
error-venue-code = Invalid venue code: “{ $code }” (2 to 6 capital letters or digits, printed in ticket numbers).
error-venue-code-taken = A venue already uses this code.
error-programme-name-invalid = Give a name (at most 100 characters).
error-hall-taken = This venue already has a hall of that name.
error-plan-format = Unknown plan format « { $format } » (guichet or pretix).
error-seatmap-version = This hall has no seat-map version { $version }.
error-seatmap-changed = The seat map was changed meanwhile (it is now version { $version }): reload it before saving.
error-venue-not-found = Venue { $id } not found.
error-plan-source = Give one plan: generator, plan (Guichet format) or pretix.
error-generator-no-level = The generator needs at least one level.
error-generator-size = Level “{ $zone }”: 1 to 100 rows, 1 to 200 seats a row.
error-plan-invalid = Plan refused ({ $count } problem(s)): { $problems_en }

error-after-sale-not-paid = This order is not paid: nothing to cancel or refund.
error-after-sale-reason = Give a reason (200 characters at most).
error-after-sale-unknown-tickets = These tickets are not of this order: { $ids }.
error-after-sale-already-cancelled = Tickets already cancelled: { $numbers }.
error-after-sale-nothing = Every ticket of this order is cancelled already.
error-after-sale-changed = The order just changed (another desk?): reload it.
error-exchange-method = Say how the difference is paid or given back.
error-exchange-nothing-to-pay = There is nothing to pay for this exchange: remove the payments.
error-exchange-other-show = Performance { $id } is not of the same show: an exchange stays within one show.
error-exchange-no-tickets = Name the tickets given back.
error-refund-amount = The amount to refund must be positive.
error-refund-free = A refund is made in cash, by card, cheque, pass Culture or voucher, not “free”.
error-refund-too-much = { $asked } asked, but only { $refundable } is left to refund.
error-refund-supervisor = Above { $limit }, a supervisor refunds.
error-order-search = Search by ticket number, reference, e-mail or name (2 to 200 characters).
error-report-period = Invalid period “{ $period }”: two days YYYY-MM-DD, the first before the second, a year at most.
error-export-cursor = Unreadable export cursor: start the export again.

-- Guichet schema, SQLite dialect. Mirrored in migrations/postgres with the same version numbers.
-- Portable types only (BIGINT/INTEGER, TEXT): the same queries run on both engines through sqlx::Any.
-- Times are UTC Unix seconds; money is euro cents; booleans are 0/1.

CREATE TABLE venues (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,          -- short code printed in ticket numbers (e.g. "TM")
    name          TEXT NOT NULL,
    operator_name TEXT NOT NULL,                 -- "nom de l'exploitant", mandatory on tickets
    address       TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('cinema', 'theatre'))
);

CREATE TABLE halls (
    id         INTEGER PRIMARY KEY,
    venue_id   INTEGER NOT NULL REFERENCES venues(id),
    name       TEXT NOT NULL,
    width      INTEGER NOT NULL,                 -- seat-map canvas, in map units
    height     INTEGER NOT NULL,
    stage_x    INTEGER NOT NULL,
    stage_y    INTEGER NOT NULL,
    stage_w    INTEGER NOT NULL,
    stage_h    INTEGER NOT NULL,
    stage_label TEXT NOT NULL,
    UNIQUE (venue_id, name)
);

CREATE TABLE zones (
    id         INTEGER PRIMARY KEY,
    hall_id    INTEGER NOT NULL REFERENCES halls(id),
    name       TEXT NOT NULL,                    -- "Orchestre", "Balcon"
    position   INTEGER NOT NULL,
    UNIQUE (hall_id, name)
);

-- Price categories belong to a hall's seat plan ("catégorie 1", colours on the map).
CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    hall_id    INTEGER NOT NULL REFERENCES halls(id),
    number     INTEGER NOT NULL,
    label      TEXT NOT NULL,
    color      TEXT NOT NULL,
    UNIQUE (hall_id, number)
);

CREATE TABLE seats (
    id              INTEGER PRIMARY KEY,
    hall_id         INTEGER NOT NULL REFERENCES halls(id),
    zone_id         INTEGER NOT NULL REFERENCES zones(id),
    category_id     INTEGER NOT NULL REFERENCES categories(id),
    row_label       TEXT NOT NULL,
    number          INTEGER NOT NULL,
    x               INTEGER NOT NULL,
    y               INTEGER NOT NULL,
    accessible      INTEGER NOT NULL DEFAULT 0,  -- wheelchair place
    companion       INTEGER NOT NULL DEFAULT 0,  -- companion seat next to a wheelchair place
    restricted_view INTEGER NOT NULL DEFAULT 0,
    blocked         INTEGER NOT NULL DEFAULT 0,  -- never sold (technical, broken seat)
    UNIQUE (zone_id, row_label, number)
);
CREATE INDEX seats_hall ON seats (hall_id);

-- Tariffs: French label, CNC family (D212-71: gratuit, scolaire, illimite, autre).
CREATE TABLE tariffs (
    code           TEXT PRIMARY KEY,
    label_fr       TEXT NOT NULL,
    label_en       TEXT NOT NULL,
    family         TEXT NOT NULL CHECK (family IN ('gratuit', 'scolaire', 'illimite', 'autre')),
    proof_required INTEGER NOT NULL DEFAULT 0,
    position       INTEGER NOT NULL
);

CREATE TABLE shows (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('cinema', 'theatre')),
    duration_min INTEGER NOT NULL,
    description  TEXT NOT NULL,
    age_rating   TEXT NOT NULL,
    UNIQUE (title, kind)
);

CREATE TABLE performances (
    id                   INTEGER PRIMARY KEY,
    show_id              INTEGER NOT NULL REFERENCES shows(id),
    hall_id              INTEGER NOT NULL REFERENCES halls(id),
    starts_at            INTEGER NOT NULL,
    sale_opens_at        INTEGER NOT NULL,
    sale_closes_at       INTEGER NOT NULL,
    hold_seconds         INTEGER NOT NULL DEFAULT 900,
    max_seats_per_order  INTEGER NOT NULL DEFAULT 10,
    seated               INTEGER NOT NULL DEFAULT 1,
    capacity             INTEGER NOT NULL,       -- general admission places (or number of seats)
    ga_taken             INTEGER NOT NULL DEFAULT 0, -- general admission: held + sold places
    cancelled            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (hall_id, starts_at),
    CHECK (ga_taken >= 0 AND ga_taken <= capacity)
);
CREATE INDEX performances_starts ON performances (starts_at);

-- Price grid of one performance: category x tariff. General admission uses category NULL.
CREATE TABLE prices (
    id             INTEGER PRIMARY KEY,
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    category_id    INTEGER REFERENCES categories(id),
    tariff_code    TEXT NOT NULL REFERENCES tariffs(code),
    price_cents    INTEGER NOT NULL CHECK (price_cents >= 0),
    UNIQUE (performance_id, category_id, tariff_code)
);

CREATE TABLE holds (
    id             TEXT PRIMARY KEY,
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    quantity       INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'released', 'expired', 'consumed')),
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);
CREATE INDEX holds_perf_status ON holds (performance_id, status, expires_at);

-- One row per seat that is held or sold. The primary key is what makes a double sale impossible:
-- a held seat has expires_at set; a sold seat keeps its claim with expires_at NULL.
CREATE TABLE seat_claims (
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    seat_id        INTEGER NOT NULL REFERENCES seats(id),
    hold_id        TEXT NOT NULL REFERENCES holds(id),
    expires_at     INTEGER,
    PRIMARY KEY (performance_id, seat_id)
);
CREATE INDEX seat_claims_hold ON seat_claims (hold_id);
CREATE INDEX seat_claims_expiry ON seat_claims (expires_at);

CREATE TABLE orders (
    id             TEXT PRIMARY KEY,
    reference      TEXT NOT NULL UNIQUE,         -- short, human-readable, printed on tickets
    token          TEXT NOT NULL,                -- secret of the order link
    hold_id        TEXT NOT NULL REFERENCES holds(id),
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    buyer_name     TEXT NOT NULL,
    buyer_email    TEXT NOT NULL,
    total_cents    INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('awaiting_payment', 'paid', 'expired', 'cancelled')),
    lang           TEXT NOT NULL DEFAULT 'fr',
    created_at     INTEGER NOT NULL,
    paid_at        INTEGER
);

CREATE TABLE order_items (
    id             INTEGER PRIMARY KEY,
    order_id       TEXT NOT NULL REFERENCES orders(id),
    seat_id        INTEGER REFERENCES seats(id),
    tariff_code    TEXT NOT NULL REFERENCES tariffs(code),
    price_cents    INTEGER NOT NULL
);
CREATE INDEX orders_hold ON orders (hold_id);
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE payments (
    id             INTEGER PRIMARY KEY,
    order_id       TEXT NOT NULL REFERENCES orders(id),
    provider       TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('approved', 'declined', 'abandoned')),
    amount_cents   INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);

-- Unbroken numbering per venue and tariff (CGI ann. IV 50 sexies B, CNC D212-85): numbers are taken
-- only when tickets are issued, inside the issuing transaction, and are never reused.
CREATE TABLE ticket_series (
    venue_id       INTEGER NOT NULL REFERENCES venues(id),
    tariff_code    TEXT NOT NULL REFERENCES tariffs(code),
    last_number    INTEGER NOT NULL,
    PRIMARY KEY (venue_id, tariff_code)
);

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,
    uid            INTEGER NOT NULL UNIQUE,        -- random public id, carried in the signed code
    order_id       TEXT NOT NULL REFERENCES orders(id),
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    seat_id        INTEGER REFERENCES seats(id),
    venue_id       INTEGER NOT NULL REFERENCES venues(id),
    tariff_code    TEXT NOT NULL REFERENCES tariffs(code),
    number         INTEGER NOT NULL,
    price_cents    INTEGER NOT NULL,
    holder_name    TEXT NOT NULL,
    code           TEXT NOT NULL UNIQUE,         -- signed ticket code carried by the QR
    key_id         INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('valid', 'cancelled')),
    issued_at      INTEGER NOT NULL,
    cancelled_at   INTEGER,
    UNIQUE (venue_id, tariff_code, number)
);
CREATE INDEX tickets_order ON tickets (order_id);
CREATE INDEX tickets_perf ON tickets (performance_id);
-- Second line of defence: one valid ticket per seat and performance.
CREATE UNIQUE INDEX tickets_one_per_seat ON tickets (performance_id, seat_id)
    WHERE status = 'valid' AND seat_id IS NOT NULL;

-- The box office's cash journal (CGI 286 I 3° bis, "designed for" NF525): every counter sale,
-- refund, cancellation and closure is an entry, chained by SHA-256 to the one before, numbered
-- without gap. `entry` is the whole entry as Guichet wrote and hashed it (JSON); the other
-- columns repeat some of it for searching. Never changed nor deleted: corrections are new
-- entries. The technical events journal (start-ups, shutdowns, errors, archives, clock jumps)
-- is chained the same way. Cash counted at each desk feeds the day's closure.
CREATE TABLE journal_entries (
    seq         INTEGER PRIMARY KEY CHECK (seq > 0),
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    desk        TEXT NOT NULL,
    order_ref   TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    entry       TEXT NOT NULL
);
CREATE INDEX journal_entries_at ON journal_entries (at);
CREATE INDEX journal_entries_ref ON journal_entries (order_ref);
-- A period is closed once, even by two servers at the same second.
CREATE UNIQUE INDEX journal_one_closure ON journal_entries (order_ref) WHERE kind = 'closure';
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'the cash journal is never changed'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'the cash journal is never changed'); END;

CREATE TABLE tech_events (
    seq    INTEGER PRIMARY KEY CHECK (seq > 0),
    at     INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    hash   TEXT NOT NULL UNIQUE,
    event  TEXT NOT NULL
);
CREATE TRIGGER tech_events_no_update BEFORE UPDATE ON tech_events
BEGIN SELECT RAISE(ABORT, 'the technical events journal is never changed'); END;
CREATE TRIGGER tech_events_no_delete BEFORE DELETE ON tech_events
BEGIN SELECT RAISE(ABORT, 'the technical events journal is never changed'); END;

CREATE TABLE cash_counts (
    id                  INTEGER PRIMARY KEY,
    day                 TEXT NOT NULL,            -- Paris day, YYYY-MM-DD
    desk                TEXT NOT NULL,
    opening_float_cents INTEGER NOT NULL CHECK (opening_float_cents >= 0),
    counted_cents       INTEGER NOT NULL CHECK (counted_cents >= 0),
    agent               TEXT NOT NULL,
    at                  INTEGER NOT NULL,
    UNIQUE (day, desk)
);

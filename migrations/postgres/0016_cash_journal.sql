-- The box office's cash journal (CGI 286 I 3° bis, "designed for" NF525): every counter sale,
-- refund, cancellation and closure is an entry, chained by SHA-256 to the one before, numbered
-- without gap. `entry` is the whole entry as Guichet wrote and hashed it (JSON); the other
-- columns repeat some of it for searching. Never changed nor deleted: corrections are new
-- entries. The technical events journal (start-ups, shutdowns, errors, archives, clock jumps)
-- is chained the same way. Cash counted at each desk feeds the day's closure. Instants are
-- Unix seconds here, as the entries carry them (what is hashed).
CREATE TABLE journal_entries (
    seq         BIGINT PRIMARY KEY CHECK (seq > 0),
    at          BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    desk        TEXT NOT NULL,
    order_ref   TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    entry       TEXT NOT NULL
);
CREATE INDEX journal_entries_at ON journal_entries (at);
CREATE INDEX journal_entries_ref ON journal_entries (order_ref);
-- A period is closed once, even by two servers at the same second.
CREATE UNIQUE INDEX journal_one_closure ON journal_entries (order_ref) WHERE kind = 'closure';

CREATE TABLE tech_events (
    seq    BIGINT PRIMARY KEY CHECK (seq > 0),
    at     BIGINT NOT NULL,
    kind   TEXT NOT NULL,
    hash   TEXT NOT NULL UNIQUE,
    event  TEXT NOT NULL
);

CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the cash journal is never changed';
END $$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_append_only();
CREATE TRIGGER tech_events_append_only BEFORE UPDATE OR DELETE ON tech_events
    FOR EACH ROW EXECUTE FUNCTION journal_append_only();

CREATE TABLE cash_counts (
    id                  BIGSERIAL PRIMARY KEY,
    day                 TEXT NOT NULL,
    desk                TEXT NOT NULL,
    opening_float_cents BIGINT NOT NULL CHECK (opening_float_cents >= 0),
    counted_cents       BIGINT NOT NULL CHECK (counted_cents >= 0),
    agent               TEXT NOT NULL,
    at                  BIGINT NOT NULL,
    UNIQUE (day, desk)
);

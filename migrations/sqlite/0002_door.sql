-- Door control: door accesses (tokens), admissions, offline conflicts.
-- SQLite dialect; mirrored in migrations/postgres.

-- A door access for one or more performances. Only a hash of the token is stored.
CREATE TABLE door_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    supervisor  INTEGER NOT NULL DEFAULT 0,   -- may undo admissions
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

CREATE TABLE door_token_performances (
    token_id       INTEGER NOT NULL REFERENCES door_tokens(id),
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    PRIMARY KEY (token_id, performance_id)
);

-- Every admission, kept for audit; an undone admission keeps its row.
CREATE TABLE admissions (
    id             INTEGER PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES tickets(id),
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    token_id       INTEGER NOT NULL REFERENCES door_tokens(id),
    device         TEXT NOT NULL,
    scanned_at     INTEGER NOT NULL,             -- when the device saw the ticket (offline: earlier)
    recorded_at    INTEGER NOT NULL,             -- when the server recorded it
    offline        INTEGER NOT NULL DEFAULT 0,
    nonce          TEXT NOT NULL UNIQUE,          -- a retried scan finds its admission again
    undone_at      INTEGER,
    undone_by      INTEGER REFERENCES door_tokens(id)
);
-- Exactly one standing admission per ticket: concurrent scans race on this index.
CREATE UNIQUE INDEX admissions_one_per_ticket ON admissions (ticket_id) WHERE undone_at IS NULL;
CREATE INDEX admissions_perf ON admissions (performance_id);

-- Two devices admitted the same ticket while offline: reported in the check-in report.
CREATE TABLE scan_conflicts (
    id               INTEGER PRIMARY KEY,
    ticket_id        INTEGER NOT NULL REFERENCES tickets(id),
    performance_id   INTEGER NOT NULL REFERENCES performances(id),
    device           TEXT NOT NULL,
    scanned_at       INTEGER NOT NULL,
    first_device     TEXT NOT NULL,
    first_scanned_at INTEGER NOT NULL,
    recorded_at      INTEGER NOT NULL
);
CREATE INDEX scan_conflicts_perf ON scan_conflicts (performance_id);
CREATE INDEX tickets_holder ON tickets (performance_id, holder_name);

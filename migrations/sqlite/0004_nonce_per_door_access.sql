-- A scan's nonce is unique per door access, not across the venue: two phones may draw the same
-- one, and a nonce seen with another access says nothing about this one. SQLite cannot drop the
-- column's inline UNIQUE, so the table is rebuilt.
CREATE TABLE admissions_new (
    id             INTEGER PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES tickets(id),
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    token_id       INTEGER NOT NULL REFERENCES door_tokens(id),
    device         TEXT NOT NULL,
    scanned_at     INTEGER NOT NULL,
    recorded_at    INTEGER NOT NULL,
    offline        INTEGER NOT NULL DEFAULT 0,
    nonce          TEXT NOT NULL,
    undone_at      INTEGER,
    undone_by      INTEGER REFERENCES door_tokens(id)
);
INSERT INTO admissions_new SELECT id, ticket_id, performance_id, token_id, device, scanned_at, recorded_at,
                                  offline, nonce, undone_at, undone_by FROM admissions;
DROP TABLE admissions;
ALTER TABLE admissions_new RENAME TO admissions;
CREATE UNIQUE INDEX admissions_one_per_ticket ON admissions (ticket_id) WHERE undone_at IS NULL;
CREATE INDEX admissions_perf ON admissions (performance_id);
CREATE UNIQUE INDEX admissions_token_nonce ON admissions (token_id, nonce);

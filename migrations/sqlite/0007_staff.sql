-- Staff accounts, their sessions and API tokens, failed logins, and the audit log of admin acts.
-- SQLite dialect; mirrored in migrations/postgres.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,               -- lower case
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'box_office', 'door')),
    supervisor    INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,                      -- Argon2id, PHC string
    created_at    INTEGER NOT NULL
);

-- Server-side sessions; only a hash of the cookie's secret is stored.
CREATE TABLE staff_sessions (
    token_hash   TEXT PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL                     -- the absolute timeout
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Failed logins per address as typed (known or not), for the throttle; pruned as they age.
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

-- Who did what, when; rows are never changed or removed.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    staff_id INTEGER REFERENCES staff(id),            -- NULL: the console
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '{}'               -- JSON
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

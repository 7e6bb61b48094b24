-- E-mails to send, written in the transaction that makes them due (the tickets' issue), sent by
-- a background sender with retries: a crash or an SMTP outage loses none.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('confirmation')),
    order_id        TEXT NOT NULL REFERENCES orders(id),
    recipient       TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT,
    UNIQUE (order_id, kind)
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

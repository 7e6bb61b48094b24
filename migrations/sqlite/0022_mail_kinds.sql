-- More kinds of e-mail: tickets sent again, cancellations, refunds, a cancelled performance, and
-- "retrouver ma commande" (about several orders, so without one). What a mail says beyond its
-- order is in `payload` (JSON). A confirmation stays once per order. SQLite cannot change a
-- CHECK or a UNIQUE in place: the table is rebuilt.
CREATE TABLE mail_outbox_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN
        ('confirmation', 'resend', 'cancellation', 'refund', 'performance_cancelled', 'lookup')),
    payload         TEXT NOT NULL,
    order_id        TEXT REFERENCES orders(id),
    recipient       TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
);
INSERT INTO mail_outbox_new (id, kind, payload, order_id, recipient, created_at, attempts,
                             next_attempt_at, sent_at, last_error)
    SELECT id, kind, '{"kind":"confirmation"}', order_id, recipient, created_at, attempts,
           next_attempt_at, sent_at, last_error
      FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE UNIQUE INDEX mail_outbox_one_confirmation ON mail_outbox (order_id) WHERE kind = 'confirmation';
CREATE INDEX mail_outbox_asked ON mail_outbox (lower(recipient), created_at)
    WHERE kind IN ('resend', 'lookup');

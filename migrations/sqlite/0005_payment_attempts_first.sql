-- A payment attempt is recorded (pending) before the provider is called, then finished:
-- approved, declined, abandoned, or refund_needed when money was taken for an order that could
-- no longer be honoured. SQLite cannot change a CHECK, so the table is rebuilt.
CREATE TABLE payments_new (
    id             INTEGER PRIMARY KEY,
    order_id       TEXT NOT NULL REFERENCES orders(id),
    provider       TEXT NOT NULL,
    outcome        TEXT NOT NULL
                   CHECK (outcome IN ('pending', 'approved', 'declined', 'abandoned', 'refund_needed')),
    amount_cents   INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    attempt_key    TEXT,
    finished_at    INTEGER
);
INSERT INTO payments_new (id, order_id, provider, outcome, amount_cents, created_at, attempt_key, finished_at)
     SELECT id, order_id, provider, outcome, amount_cents, created_at, attempt_key, created_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
CREATE INDEX payments_order ON payments (order_id);
CREATE UNIQUE INDEX payments_attempt ON payments (attempt_key) WHERE attempt_key IS NOT NULL;

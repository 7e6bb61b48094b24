-- A payment attempt is recorded (pending) before the provider is called, then finished:
-- approved, declined, abandoned, or refund_needed when money was taken for an order that could
-- no longer be honoured.
ALTER TABLE payments DROP CONSTRAINT payments_outcome_check;
ALTER TABLE payments ADD CONSTRAINT payments_outcome_check
    CHECK (outcome IN ('pending', 'approved', 'declined', 'abandoned', 'refund_needed'));
ALTER TABLE payments ADD COLUMN finished_at timestamptz;
UPDATE payments SET finished_at = created_at;
CREATE UNIQUE INDEX payments_attempt ON payments (attempt_key) WHERE attempt_key IS NOT NULL;

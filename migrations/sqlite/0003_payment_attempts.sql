-- Each payment attempt carries the idempotency key it was sent to the provider with.
ALTER TABLE payments ADD COLUMN attempt_key TEXT;

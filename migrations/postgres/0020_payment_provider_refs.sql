-- A redirecting provider's own id of an attempt (PayFiP's idOp), found again by its notification,
-- the buyer's return and the poller; and what the provider last answered about it.
ALTER TABLE payments ADD COLUMN provider_ref TEXT;
ALTER TABLE payments ADD COLUMN provider_answer TEXT;
CREATE UNIQUE INDEX payments_provider_ref ON payments (provider, provider_ref)
    WHERE provider_ref IS NOT NULL;
CREATE INDEX payments_pending ON payments (provider, created_at) WHERE outcome = 'pending';

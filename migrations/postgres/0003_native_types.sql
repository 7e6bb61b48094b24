-- Native PostgreSQL types: booleans as boolean, instants as timestamptz (they were BIGINT 0/1
-- and Unix seconds while one set of SQL served both engines). Each payment attempt carries the
-- idempotency key it was sent to the provider with.

ALTER TABLE seats
    ALTER COLUMN accessible DROP DEFAULT,
    ALTER COLUMN accessible TYPE boolean USING accessible <> 0,
    ALTER COLUMN accessible SET DEFAULT false,
    ALTER COLUMN companion DROP DEFAULT,
    ALTER COLUMN companion TYPE boolean USING companion <> 0,
    ALTER COLUMN companion SET DEFAULT false,
    ALTER COLUMN restricted_view DROP DEFAULT,
    ALTER COLUMN restricted_view TYPE boolean USING restricted_view <> 0,
    ALTER COLUMN restricted_view SET DEFAULT false,
    ALTER COLUMN blocked DROP DEFAULT,
    ALTER COLUMN blocked TYPE boolean USING blocked <> 0,
    ALTER COLUMN blocked SET DEFAULT false;
ALTER TABLE tariffs
    ALTER COLUMN proof_required DROP DEFAULT,
    ALTER COLUMN proof_required TYPE boolean USING proof_required <> 0,
    ALTER COLUMN proof_required SET DEFAULT false;
ALTER TABLE performances
    ALTER COLUMN seated DROP DEFAULT,
    ALTER COLUMN seated TYPE boolean USING seated <> 0,
    ALTER COLUMN seated SET DEFAULT true,
    ALTER COLUMN cancelled DROP DEFAULT,
    ALTER COLUMN cancelled TYPE boolean USING cancelled <> 0,
    ALTER COLUMN cancelled SET DEFAULT false;
ALTER TABLE door_tokens
    ALTER COLUMN supervisor DROP DEFAULT,
    ALTER COLUMN supervisor TYPE boolean USING supervisor <> 0,
    ALTER COLUMN supervisor SET DEFAULT false;
ALTER TABLE admissions
    ALTER COLUMN offline DROP DEFAULT,
    ALTER COLUMN offline TYPE boolean USING offline <> 0,
    ALTER COLUMN offline SET DEFAULT false;
ALTER TABLE performances
    ALTER COLUMN starts_at TYPE timestamptz USING to_timestamp(starts_at),
    ALTER COLUMN sale_opens_at TYPE timestamptz USING to_timestamp(sale_opens_at),
    ALTER COLUMN sale_closes_at TYPE timestamptz USING to_timestamp(sale_closes_at);
ALTER TABLE holds
    ALTER COLUMN created_at TYPE timestamptz USING to_timestamp(created_at),
    ALTER COLUMN expires_at TYPE timestamptz USING to_timestamp(expires_at);
ALTER TABLE seat_claims
    ALTER COLUMN expires_at TYPE timestamptz USING to_timestamp(expires_at);
ALTER TABLE orders
    ALTER COLUMN created_at TYPE timestamptz USING to_timestamp(created_at),
    ALTER COLUMN paid_at TYPE timestamptz USING to_timestamp(paid_at);
ALTER TABLE payments
    ALTER COLUMN created_at TYPE timestamptz USING to_timestamp(created_at);
ALTER TABLE tickets
    ALTER COLUMN issued_at TYPE timestamptz USING to_timestamp(issued_at),
    ALTER COLUMN cancelled_at TYPE timestamptz USING to_timestamp(cancelled_at);
ALTER TABLE door_tokens
    ALTER COLUMN created_at TYPE timestamptz USING to_timestamp(created_at),
    ALTER COLUMN expires_at TYPE timestamptz USING to_timestamp(expires_at),
    ALTER COLUMN revoked_at TYPE timestamptz USING to_timestamp(revoked_at);
ALTER TABLE admissions
    ALTER COLUMN scanned_at TYPE timestamptz USING to_timestamp(scanned_at),
    ALTER COLUMN recorded_at TYPE timestamptz USING to_timestamp(recorded_at),
    ALTER COLUMN undone_at TYPE timestamptz USING to_timestamp(undone_at);
ALTER TABLE scan_conflicts
    ALTER COLUMN scanned_at TYPE timestamptz USING to_timestamp(scanned_at),
    ALTER COLUMN first_scanned_at TYPE timestamptz USING to_timestamp(first_scanned_at),
    ALTER COLUMN recorded_at TYPE timestamptz USING to_timestamp(recorded_at);
ALTER TABLE payments ADD COLUMN attempt_key TEXT;

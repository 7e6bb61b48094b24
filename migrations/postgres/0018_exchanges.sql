-- Exchanges: tickets of one order given back for a new order of the same show. The credit is
-- what moved from the old order to the new one; the old order can give back that much less.
CREATE TABLE exchanges (
    id           BIGSERIAL PRIMARY KEY,
    from_order   TEXT NOT NULL REFERENCES orders(id),
    to_order     TEXT NOT NULL UNIQUE REFERENCES orders(id),
    credit_cents BIGINT NOT NULL CHECK (credit_cents >= 0),
    agent_id     BIGINT REFERENCES staff(id),
    desk         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX exchanges_from ON exchanges (from_order);

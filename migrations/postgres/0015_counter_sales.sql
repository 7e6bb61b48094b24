-- Counter sales: an order says which channel sold it, and at the box office which agent and
-- which cash desk; each payment of a counter sale is recorded by means (cash with what was
-- tendered and the change, card on the terminal, cheque, pass Culture, voucher, free with its
-- reason). Refunds are negative amounts.
ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'online'
    CHECK (channel IN ('online', 'box_office'));
ALTER TABLE orders ADD COLUMN agent_id BIGINT REFERENCES staff(id);
ALTER TABLE orders ADD COLUMN desk TEXT;
CREATE TABLE counter_payments (
    id             BIGSERIAL PRIMARY KEY,
    order_id       TEXT NOT NULL REFERENCES orders(id),
    method         TEXT NOT NULL
                   CHECK (method IN ('cash', 'card', 'cheque', 'pass_culture', 'voucher', 'free')),
    amount_cents   BIGINT NOT NULL,
    tendered_cents BIGINT,
    change_cents   BIGINT NOT NULL DEFAULT 0,
    reason         TEXT,
    agent_id       BIGINT REFERENCES staff(id),
    desk           TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX counter_payments_order ON counter_payments (order_id);
CREATE INDEX orders_channel ON orders (channel, created_at);

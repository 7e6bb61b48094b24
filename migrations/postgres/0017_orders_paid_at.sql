-- Sales reports read orders by the time they were paid.
CREATE INDEX orders_paid_at ON orders (paid_at);

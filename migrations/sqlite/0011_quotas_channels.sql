-- Quotas per tariff (at most 20 "enfant" for a performance) and the channels that sell a
-- performance (online, at the box office).
CREATE TABLE tariff_quotas (
    performance_id INTEGER NOT NULL REFERENCES performances(id),
    tariff_code    TEXT NOT NULL REFERENCES tariffs(code),
    max_tickets    INTEGER NOT NULL CHECK (max_tickets >= 0),
    PRIMARY KEY (performance_id, tariff_code)
);
ALTER TABLE performances ADD COLUMN sold_online INTEGER NOT NULL DEFAULT 1;
ALTER TABLE performances ADD COLUMN sold_at_counter INTEGER NOT NULL DEFAULT 1;

-- Quotas per tariff (at most 20 "enfant" for a performance) and the channels that sell a
-- performance (online, at the box office).
CREATE TABLE tariff_quotas (
    performance_id BIGINT NOT NULL REFERENCES performances(id),
    tariff_code    TEXT NOT NULL REFERENCES tariffs(code),
    max_tickets    BIGINT NOT NULL CHECK (max_tickets >= 0),
    PRIMARY KEY (performance_id, tariff_code)
);
ALTER TABLE performances ADD COLUMN sold_online BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE performances ADD COLUMN sold_at_counter BOOLEAN NOT NULL DEFAULT TRUE;

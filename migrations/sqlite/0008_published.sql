-- A performance is listed and sold only once published (the back office prepares a season
-- before opening it). What existed before is published.
ALTER TABLE performances ADD COLUMN published INTEGER NOT NULL DEFAULT 1;

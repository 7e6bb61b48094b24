-- Seat maps are versioned: a performance keeps the version it was put on sale with, and a
-- hall's new version adds seat rows instead of changing sold ones. Shows get the kinds concert
-- and other, and the fields cinema reports need. A cancelled performance's paid orders are
-- marked for refund.
-- SQLite cannot change a table's UNIQUE or CHECK constraints in place: seats and shows are
-- rebuilt inside the migration's transaction. Foreign keys stay on, deferred to the commit:
-- dropping a table counts its referenced rows as violations, and inserting them again into the
-- new table of the same name settles each, so the commit fails if a single row went missing.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE seats_before AS SELECT * FROM seats;
DROP TABLE seats;
CREATE TABLE seats (
    id              INTEGER PRIMARY KEY,
    hall_id         INTEGER NOT NULL REFERENCES halls(id),
    version         INTEGER NOT NULL DEFAULT 1,  -- the hall's seat-map version
    zone_id         INTEGER NOT NULL REFERENCES zones(id),
    category_id     INTEGER NOT NULL REFERENCES categories(id),
    row_label       TEXT NOT NULL,
    number          INTEGER NOT NULL,
    x               INTEGER NOT NULL,
    y               INTEGER NOT NULL,
    accessible      INTEGER NOT NULL DEFAULT 0,
    companion       INTEGER NOT NULL DEFAULT 0,
    restricted_view INTEGER NOT NULL DEFAULT 0,
    blocked         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (zone_id, version, row_label, number)
);
INSERT INTO seats (id, hall_id, version, zone_id, category_id, row_label, number, x, y,
                   accessible, companion, restricted_view, blocked)
     SELECT id, hall_id, 1, zone_id, category_id, row_label, number, x, y,
            accessible, companion, restricted_view, blocked
       FROM seats_before;
DROP TABLE seats_before;
CREATE INDEX seats_hall ON seats (hall_id, version);

-- Canvas and stage of each version (the halls row keeps the current one's too).
CREATE TABLE seatmap_versions (
    hall_id     INTEGER NOT NULL REFERENCES halls(id),
    version     INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    stage_x     INTEGER NOT NULL,
    stage_y     INTEGER NOT NULL,
    stage_w     INTEGER NOT NULL,
    stage_h     INTEGER NOT NULL,
    stage_label TEXT NOT NULL,
    PRIMARY KEY (hall_id, version)
);
INSERT INTO seatmap_versions
     SELECT id, 1, width, height, stage_x, stage_y, stage_w, stage_h, stage_label FROM halls;
ALTER TABLE halls ADD COLUMN seatmap_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE performances ADD COLUMN seatmap_version INTEGER NOT NULL DEFAULT 1;

CREATE TEMP TABLE shows_before AS SELECT * FROM shows;
DROP TABLE shows;
CREATE TABLE shows (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('cinema', 'theatre', 'concert', 'other')),
    duration_min INTEGER NOT NULL,
    description  TEXT NOT NULL,
    age_rating   TEXT NOT NULL,
    visa         TEXT NOT NULL DEFAULT '',      -- film: visa d'exploitation number
    distributor  TEXT NOT NULL DEFAULT '',      -- film: distributor
    version      TEXT NOT NULL DEFAULT '',      -- film: VF, VOST or VO
    is_3d        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (title, kind)
);
INSERT INTO shows (id, title, kind, duration_min, description, age_rating)
     SELECT id, title, kind, duration_min, description, age_rating FROM shows_before;
DROP TABLE shows_before;

ALTER TABLE orders ADD COLUMN refund_due INTEGER NOT NULL DEFAULT 0;

-- Seat maps are versioned: a performance keeps the version it was put on sale with, and a
-- hall's new version adds seat rows instead of changing sold ones. Shows get the kinds concert
-- and other, and the fields cinema reports need. A cancelled performance's paid orders are
-- marked for refund.
ALTER TABLE seats ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE seats DROP CONSTRAINT seats_zone_id_row_label_number_key;
ALTER TABLE seats ADD CONSTRAINT seats_zone_version_row_number_key
    UNIQUE (zone_id, version, row_label, number);
DROP INDEX seats_hall;
CREATE INDEX seats_hall ON seats (hall_id, version);

CREATE TABLE seatmap_versions (
    hall_id     BIGINT NOT NULL REFERENCES halls(id),
    version     BIGINT NOT NULL,
    width       BIGINT NOT NULL,
    height      BIGINT NOT NULL,
    stage_x     BIGINT NOT NULL,
    stage_y     BIGINT NOT NULL,
    stage_w     BIGINT NOT NULL,
    stage_h     BIGINT NOT NULL,
    stage_label TEXT NOT NULL,
    PRIMARY KEY (hall_id, version)
);
INSERT INTO seatmap_versions
     SELECT id, 1, width, height, stage_x, stage_y, stage_w, stage_h, stage_label FROM halls;
ALTER TABLE halls ADD COLUMN seatmap_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE performances ADD COLUMN seatmap_version BIGINT NOT NULL DEFAULT 1;

ALTER TABLE shows DROP CONSTRAINT shows_kind_check;
ALTER TABLE shows ADD CONSTRAINT shows_kind_check
    CHECK (kind IN ('cinema', 'theatre', 'concert', 'other'));
ALTER TABLE shows
    ADD COLUMN visa TEXT NOT NULL DEFAULT '',
    ADD COLUMN distributor TEXT NOT NULL DEFAULT '',
    ADD COLUMN version TEXT NOT NULL DEFAULT '',
    ADD COLUMN is_3d BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE orders ADD COLUMN refund_due BOOLEAN NOT NULL DEFAULT FALSE;

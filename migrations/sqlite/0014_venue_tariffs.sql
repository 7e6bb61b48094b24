-- Each venue's tariff catalogue: which tariffs it sells, under its own labels, whether a proof is
-- asked at the door, and who qualifies (shown to buyers). Codes stay the town's (`tariffs`: the
-- code is part of ticket numbers, the CNC family goes with it). Venues that exist keep selling
-- what they sold: every tariff, as it was.
CREATE TABLE venue_tariffs (
    venue_id       INTEGER NOT NULL REFERENCES venues(id),
    tariff_code    TEXT NOT NULL REFERENCES tariffs(code),
    label_fr       TEXT NOT NULL,
    label_en       TEXT NOT NULL,
    proof_required INTEGER NOT NULL DEFAULT 0,
    eligibility_fr TEXT NOT NULL DEFAULT '',
    eligibility_en TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1,
    position       INTEGER NOT NULL,
    PRIMARY KEY (venue_id, tariff_code)
);
INSERT INTO venue_tariffs (venue_id, tariff_code, label_fr, label_en, proof_required, position)
     SELECT v.id, t.code, t.label_fr, t.label_en, t.proof_required, t.position
       FROM venues v CROSS JOIN tariffs t;

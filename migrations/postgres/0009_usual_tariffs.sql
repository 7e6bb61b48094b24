-- The usual French tariffs, so that a new installation can price its first performance without
-- a developer (admins edit labels and proof later). What exists is kept.
INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position) VALUES
    ('plein', 'Plein tarif', 'Full price', 'autre', FALSE, 0),
    ('reduit', 'Tarif réduit', 'Concession', 'autre', TRUE, 1),
    ('moins26', 'Moins de 26 ans', 'Under 26', 'autre', TRUE, 2),
    ('enfant', 'Enfant (moins de 14 ans)', 'Child (under 14)', 'autre', TRUE, 3),
    ('invitation', 'Invitation', 'Complimentary', 'gratuit', FALSE, 4)
ON CONFLICT (code) DO NOTHING;

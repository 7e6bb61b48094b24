-- The usual French tariffs, so that a new installation can price its first performance without
-- a developer (admins edit labels and proof later). What exists is kept.
INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position) VALUES
    ('plein', 'Plein tarif', 'Full price', 'autre', 0, 0),
    ('reduit', 'Tarif réduit', 'Concession', 'autre', 1, 1),
    ('moins26', 'Moins de 26 ans', 'Under 26', 'autre', 1, 2),
    ('enfant', 'Enfant (moins de 14 ans)', 'Child (under 14)', 'autre', 1, 3),
    ('invitation', 'Invitation', 'Complimentary', 'gratuit', 0, 4)
ON CONFLICT (code) DO NOTHING;

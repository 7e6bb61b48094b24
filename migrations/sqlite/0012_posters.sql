-- A show's poster, as uploaded (JPEG, PNG or WebP, checked from the bytes). Served under `file`,
-- which carries a digest of the bytes: a new poster is a new name, so browsers may keep one for
-- ever. Kept in the database so that every app server and every backup has it.
CREATE TABLE show_posters (
    show_id     INTEGER PRIMARY KEY REFERENCES shows(id),
    file        TEXT NOT NULL UNIQUE,
    format      TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    bytes       BLOB NOT NULL,
    uploaded_at INTEGER NOT NULL
);

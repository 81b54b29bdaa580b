-- 0007: installation settings, starting with the fingerprint of the key file
-- the data was written with: a server started with another (or a freshly
-- generated) key file would hash ID numbers differently and could neither
-- find nor decrypt what is stored, so it refuses to start instead.
CREATE TABLE settings (
    key {{TEXT_C}} PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- 0015: photos of recuperation providers and routes (疗休养机构与线路照片).
-- The bytes live in the database, so every server behind the proxy can
-- serve them and a backup or a migrate-data copy carries them along. Both
-- backends store them as base64 text (the storage layer binds text and
-- integers only); 5 MiB of image is about 6.7 MB of text. The type is what
-- the bytes are (JPEG, PNG or WebP by their magic numbers), never what the
-- file was called; width and height are read from the image's header.
-- thumb_data is a smaller copy for the catalogue when the server can make
-- one (NULL: the catalogue shows the original, scaled by the browser).
CREATE TABLE photos (
    id {{PK}},
    owner_type TEXT NOT NULL CHECK (owner_type IN ('provider', 'route')),
    owner_id {{BIGINT}} NOT NULL,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    thumb_mime TEXT,
    thumb_data TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    created_by {{BIGINT}} REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX photos_owner ON photos (owner_type, owner_id, position, id);

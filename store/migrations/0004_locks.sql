-- 0004: named locks for batch runs shared by every server process (two
-- refund runs for the same period on two servers: one runs, the other is
-- told who holds it). A lock expires on its own if its holder dies.
CREATE TABLE locks (
    name {{TEXT_C}} PRIMARY KEY,
    owner TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_ms {{BIGINT}} NOT NULL
);

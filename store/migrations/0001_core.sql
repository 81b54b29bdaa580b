-- 0001: the platform core: the union organisation tree and the audit log.
-- path is the materialised path of ids ('/1/12/305/'), so a subtree is the
-- range  path >= P AND path < P'  on one index (see store_prefix_bound);
-- it is byte-ordered text (COLLATE "C" on PostgreSQL) for that reason.
CREATE TABLE orgs (
    id {{PK}},
    parent_id {{BIGINT}} REFERENCES orgs(id),
    path {{TEXT_C}} NOT NULL UNIQUE,
    depth INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('national', 'province', 'city', 'county', 'grassroots')),
    kind TEXT NOT NULL CHECK (kind IN ('regional', 'industry', 'enterprise')),
    name TEXT NOT NULL,
    short_name TEXT,
    region_code TEXT NOT NULL,
    address TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dissolved')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs (parent_id);
CREATE INDEX orgs_name ON orgs (name);
CREATE INDEX orgs_region ON orgs (region_code);

-- The audit log is append-only: rows are only ever inserted. Each row's hash
-- covers its content and the previous row's hash, so a row changed or removed
-- outside the platform breaks the chain (gonghui audit verify). audit_head
-- holds the chain's tip; updating it serialises writers of the chain.
CREATE TABLE audit_log (
    id {{PK}},
    seq {{BIGINT}} NOT NULL UNIQUE,
    ts TEXT NOT NULL,
    actor_id {{BIGINT}},
    actor_login TEXT,
    actor_role TEXT NOT NULL,
    client TEXT,
    action TEXT NOT NULL,
    object_type TEXT,
    object_id {{BIGINT}},
    org_id {{BIGINT}},
    org_path {{TEXT_C}},
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_object ON audit_log (object_type, object_id);
CREATE INDEX audit_ts ON audit_log (ts);
CREATE INDEX audit_org_path ON audit_log (org_path);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq {{BIGINT}} NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

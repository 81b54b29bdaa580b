-- 0002: accounts and sessions.
-- login is the user name of officers, auditors, admins, providers, banks and
-- enterprises; a member logs in with a mobile number, stored here only as
-- 'mobile:' + keyed hash so the table never holds phone numbers in clear.
CREATE TABLE users (
    id {{PK}},
    login {{TEXT_C}} NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'officer', 'provider', 'bank', 'auditor', 'admin', 'enterprise')),
    duties INTEGER NOT NULL DEFAULT 0,
    org_id {{BIGINT}} REFERENCES orgs(id),
    member_id {{BIGINT}},
    provider_id {{BIGINT}},
    enterprise_id {{BIGINT}},
    password_hash TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    failed_count INTEGER NOT NULL DEFAULT 0,
    locked_until_ms {{BIGINT}} NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    last_login_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id);
CREATE INDEX users_member ON users (member_id);

-- Tokens are stored as SHA-256 hashes: a copy of this table does not let
-- anyone log in. Several server processes share it.
CREATE TABLE sessions (
    id {{PK}},
    user_id {{BIGINT}} NOT NULL REFERENCES users(id),
    token_hash {{TEXT_C}} NOT NULL UNIQUE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_ms {{BIGINT}} NOT NULL,
    client TEXT,
    user_agent TEXT,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);

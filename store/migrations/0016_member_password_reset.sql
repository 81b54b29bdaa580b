-- 0016: members reset a forgotten password themselves (忘记密码): the ID
-- number and mobile on record, then a 6-digit code sent by text message.
-- The code is kept only as a keyed hash; it expires after 10 minutes and
-- dies after 5 wrong tries; a new request replaces the open one. Rows are
-- kept (used or not) as the record of who asked when; the audit log has
-- the rest.
CREATE TABLE member_password_resets (
    id {{PK}},
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    user_id {{BIGINT}} NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    expires_ms {{BIGINT}} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'used', 'replaced', 'spent')),
    client TEXT,
    created_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX member_password_resets_member ON member_password_resets (member_id, id);

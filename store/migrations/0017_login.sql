-- 0016: log-in hardening and second factors.
--
-- rate_backoff: failure counters with growing delays, shared by every
-- server process: per client address ('ip:…'), per typed log-in
-- ('login:u<user id>' for an account, 'login:h<keyed hash>' for a log-in
-- that names nobody, so both behave alike), per account and address that
-- logged in before ('pair:<user id>:<address>') and per second-factor
-- subject ('code:…'). A key quiet for a day starts over.
CREATE TABLE rate_backoff (
    key {{TEXT_C}} PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_ms {{BIGINT}} NOT NULL,
    until_ms {{BIGINT}} NOT NULL DEFAULT 0
);
CREATE INDEX rate_backoff_last ON rate_backoff (last_ms);

-- Addresses each account logged in from successfully (recently): a
-- throttled account still logs in from them.
CREATE TABLE login_known (
    id {{PK}},
    user_id {{BIGINT}} NOT NULL REFERENCES users(id),
    client {{TEXT_C}} NOT NULL,
    last_ok_ms {{BIGINT}} NOT NULL,
    UNIQUE (user_id, client)
);

-- TOTP (RFC 6238) secrets, sealed with the data key; confirmed = 0 while
-- an enrolment waits for its first code. last_step: the newest time step
-- accepted, so a code is never accepted twice.
CREATE TABLE user_totp (
    user_id {{BIGINT}} PRIMARY KEY REFERENCES users(id),
    secret_sealed TEXT NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 0,
    last_step {{BIGINT}} NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    confirmed_at TEXT
);

-- One-time recovery codes, stored as keyed hashes.
CREATE TABLE user_recovery_codes (
    id {{PK}},
    user_id {{BIGINT}} NOT NULL REFERENCES users(id),
    code_hash {{TEXT_C}} NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX user_recovery_codes_user ON user_recovery_codes (user_id, code_hash);

-- The second step of a log-in: a token (stored hashed) handed out after the
-- password, good for five minutes and five codes.
CREATE TABLE login_challenges (
    id {{PK}},
    token_hash {{TEXT_C}} NOT NULL UNIQUE,
    user_id {{BIGINT}} NOT NULL REFERENCES users(id),
    bearer INTEGER NOT NULL DEFAULT 0,
    subject TEXT NOT NULL,
    account_key TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    used INTEGER NOT NULL DEFAULT 0,
    expires_ms {{BIGINT}} NOT NULL,
    client TEXT
);
CREATE INDEX login_challenges_expiry ON login_challenges (expires_ms);

-- A session of someone who must enrol a second factor first: it reaches
-- the enrolment routes and nothing else.
ALTER TABLE sessions ADD COLUMN must_enrol INTEGER NOT NULL DEFAULT 0;

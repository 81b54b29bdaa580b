-- 0003: members (工会会员), their transfers, join requests, background jobs
-- and database-held rate limits.
--
-- Sensitive values (ID number, mobile) are stored three ways, none of them
-- in clear: sealed (secret box, key outside the database) for the audited
-- reveal, a keyed hash for equality lookups (one person, one member), and
-- the mask every list shows. id_tail / mobile_tail (the last four
-- characters, already visible in the mask) serve searches by tail.
CREATE TABLE members (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    name {{TEXT_C}} NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    birth_year INTEGER NOT NULL,
    id_hash {{TEXT_C}} NOT NULL UNIQUE,
    id_sealed TEXT NOT NULL,
    id_mask TEXT NOT NULL,
    id_tail {{TEXT_C}} NOT NULL,
    mobile_hash {{TEXT_C}},
    mobile_sealed TEXT,
    mobile_mask TEXT,
    mobile_tail {{TEXT_C}},
    employment_form TEXT NOT NULL CHECK (employment_form IN
        ('employee', 'courier', 'food_delivery', 'ride_hailing', 'truck_driver', 'domestic', 'other_new')),
    employer TEXT,
    frontline INTEGER NOT NULL DEFAULT 0,
    model_worker TEXT CHECK (model_worker IN ('national', 'provincial', 'city')),
    craftsman INTEGER NOT NULL DEFAULT 0,
    join_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'transferred', 'left')),
    card_no {{TEXT_C}},
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX members_org ON members (org_id, id);
CREATE INDEX members_name ON members (name);
CREATE INDEX members_id_tail ON members (id_tail);
CREATE INDEX members_mobile_tail ON members (mobile_tail);
CREATE INDEX members_mobile_hash ON members (mobile_hash) WHERE mobile_hash IS NOT NULL;
-- Most members have no issued card number: a partial index keeps imports
-- from paying for a million NULL entries.
CREATE UNIQUE INDEX members_card_no ON members (card_no) WHERE card_no IS NOT NULL;

-- Every move of a member between orgs, and every status change.
CREATE TABLE member_history (
    id {{PK}},
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL CHECK (kind IN ('joined', 'transfer', 'status', 'imported')),
    from_org_id {{BIGINT}} REFERENCES orgs(id),
    to_org_id {{BIGINT}} REFERENCES orgs(id),
    from_status TEXT,
    to_status TEXT,
    reason TEXT,
    actor_id {{BIGINT}},
    created_at TEXT NOT NULL
);
CREATE INDEX member_history_member ON member_history (member_id, id);

-- Online join applications (入会申请). The applicant's password is kept only
-- as an argon2id hash until approval creates the account with it.
CREATE TABLE join_requests (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    id_hash {{TEXT_C}} NOT NULL,
    id_sealed TEXT NOT NULL,
    id_mask TEXT NOT NULL,
    mobile_hash {{TEXT_C}} NOT NULL,
    mobile_sealed TEXT NOT NULL,
    mobile_mask TEXT NOT NULL,
    employment_form TEXT NOT NULL,
    employer TEXT,
    city TEXT,
    password_hash TEXT NOT NULL,
    track_hash {{TEXT_C}} NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason TEXT,
    member_id {{BIGINT}} REFERENCES members(id),
    decided_by {{BIGINT}},
    decided_at TEXT,
    client TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX join_requests_org ON join_requests (org_id, status, id);
CREATE INDEX join_requests_id_hash ON join_requests (id_hash, status);

-- Long operations (imports, batch runs) run as jobs whose progress any
-- server process can report.
CREATE TABLE jobs (
    id {{PK}},
    kind TEXT NOT NULL,
    org_id {{BIGINT}} REFERENCES orgs(id),
    actor_id {{BIGINT}},
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done_count {{BIGINT}} NOT NULL DEFAULT 0,
    total_count {{BIGINT}} NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Fixed-window counters shared by every server process.
CREATE TABLE rate_limits (
    key {{TEXT_C}} PRIMARY KEY,
    window_start {{BIGINT}} NOT NULL,
    count INTEGER NOT NULL
);

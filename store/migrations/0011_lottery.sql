-- 0011: voucher lotteries (消费券抽取) that anyone can verify, and vouchers
-- redeemed exactly once.
--
-- A campaign is offered by an org (data scope) and declares, when it is
-- created — before sign-up even opens — its rules and the public randomness
-- sources (named lottery draws on named dates); neither can change later.
-- Members enter during the sign-up window; when it closes the pool is frozen:
-- entry numbers 1..N in sign-up order and the SHA-256 of the published list
-- file. After the sources' draw dates an officer enters their values and the
-- system draws by RFC 3797 (domain/rfc3797.h): every step is stored and
-- public. A corrected typo in the source values is a new version of the draw;
-- earlier versions stay visible. Second rounds continue the sequence.
-- Vouchers carry an unguessable code kept sealed (for the member's QR code)
-- and as a keyed hash (for redemption); a voucher moves from 'issued' to
-- 'redeemed' by one conditional UPDATE, with the subsidy posted to the ledger
-- in the same transaction. The campaign row's counters (picks, redeemed,
-- forfeited) are changed first by every transaction that touches its
-- vouchers, conditionally on the current draw: that row orders a redemption
-- against a correction of the draw on every backend.
CREATE TABLE lottery_campaigns (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    description TEXT,
    face_value_fen {{BIGINT}} NOT NULL CHECK (face_value_fen > 0),
    voucher_count INTEGER NOT NULL CHECK (voucher_count > 0),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    elig_org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    frontline_only INTEGER NOT NULL DEFAULT 0,
    signup_opens_at TEXT NOT NULL,
    signup_closes_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'frozen', 'drawn', 'cancelled')),
    entrants INTEGER NOT NULL DEFAULT 0,
    list_sha256 TEXT,
    frozen_at TEXT,
    draw_id {{BIGINT}},
    picks INTEGER NOT NULL DEFAULT 0,
    rounds INTEGER NOT NULL DEFAULT 0,
    redeemed INTEGER NOT NULL DEFAULT 0,
    redeemed_fen {{BIGINT}} NOT NULL DEFAULT 0,
    forfeited INTEGER NOT NULL DEFAULT 0,
    cancel_reason TEXT,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (valid_from <= valid_to),
    CHECK (signup_opens_at < signup_closes_at)
);
CREATE INDEX lottery_campaigns_org ON lottery_campaigns (org_id, id);
CREATE INDEX lottery_campaigns_status ON lottery_campaigns (status, signup_closes_at);

-- The declared sources, in the order their values enter the key string.
CREATE TABLE lottery_sources (
    id {{PK}},
    campaign_id {{BIGINT}} NOT NULL REFERENCES lottery_campaigns(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    draw_date TEXT NOT NULL,
    value_count INTEGER,
    note TEXT,
    UNIQUE (campaign_id, position)
);

-- Where the vouchers of a campaign may be used.
CREATE TABLE lottery_campaign_providers (
    id {{PK}},
    campaign_id {{BIGINT}} NOT NULL REFERENCES lottery_campaigns(id),
    provider_id {{BIGINT}} NOT NULL REFERENCES providers(id),
    UNIQUE (campaign_id, provider_id)
);
CREATE INDEX lottery_campaign_providers_provider ON lottery_campaign_providers (provider_id);

-- One entry per member and campaign. The published name mask and mobile tail
-- are taken when the member enters, so the list file (and its SHA-256) never
-- changes afterwards. org_id is the member's union at entry (figures by org).
CREATE TABLE lottery_entries (
    id {{PK}},
    campaign_id {{BIGINT}} NOT NULL REFERENCES lottery_campaigns(id),
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    entry_no INTEGER,
    name_mask TEXT NOT NULL,
    mobile_tail TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (campaign_id, member_id),
    UNIQUE (campaign_id, entry_no)
);
CREATE INDEX lottery_entries_member ON lottery_entries (member_id);
CREATE INDEX lottery_entries_org ON lottery_entries (org_id);

-- Each version of the entered source values and the key string built from
-- them. The latest version is the campaign's draw (lottery_campaigns.draw_id);
-- earlier ones were corrected (reason) and stay public.
CREATE TABLE lottery_draws (
    id {{PK}},
    campaign_id {{BIGINT}} NOT NULL REFERENCES lottery_campaigns(id),
    version INTEGER NOT NULL,
    source_values TEXT NOT NULL,
    key_string TEXT NOT NULL,
    index_bytes INTEGER NOT NULL CHECK (index_bytes IN (2, 4)),
    pool_size INTEGER NOT NULL,
    reason TEXT,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL,
    UNIQUE (campaign_id, version)
);

-- Rounds of a draw: round 1 is the draw itself; later rounds continue the
-- index sequence (first_index) to replace forfeited vouchers.
CREATE TABLE lottery_rounds (
    id {{PK}},
    campaign_id {{BIGINT}} NOT NULL REFERENCES lottery_campaigns(id),
    draw_id {{BIGINT}} NOT NULL REFERENCES lottery_draws(id),
    round INTEGER NOT NULL,
    first_index INTEGER NOT NULL,
    count INTEGER NOT NULL,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL,
    UNIQUE (draw_id, round)
);

-- Every step of a draw: the index hashed, the digest, the pool left, the
-- remainder and the entry selected. round 1 is the first draw; later rounds
-- continue the index sequence.
CREATE TABLE lottery_picks (
    id {{PK}},
    campaign_id {{BIGINT}} NOT NULL REFERENCES lottery_campaigns(id),
    draw_id {{BIGINT}} NOT NULL REFERENCES lottery_draws(id),
    pick_index INTEGER NOT NULL,
    round INTEGER NOT NULL,
    entry_id {{BIGINT}} NOT NULL REFERENCES lottery_entries(id),
    entry_no INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    pool_remaining INTEGER NOT NULL,
    remainder INTEGER NOT NULL,
    UNIQUE (draw_id, pick_index)
);

-- One voucher per pick of the current draw. org_id is the offering org
-- (scope, sharding). status: issued → redeemed (once), or forfeited (the
-- winner declined or lost the right), or void (the draw was corrected).
-- Expiry is not a status: an issued voucher past valid_to is expired.
CREATE TABLE vouchers (
    id {{PK}},
    campaign_id {{BIGINT}} NOT NULL REFERENCES lottery_campaigns(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    entry_id {{BIGINT}} NOT NULL REFERENCES lottery_entries(id),
    pick_id {{BIGINT}} NOT NULL REFERENCES lottery_picks(id),
    code_hash {{TEXT_C}} NOT NULL UNIQUE,
    code_sealed TEXT NOT NULL,
    code_tail TEXT NOT NULL,
    face_value_fen {{BIGINT}} NOT NULL CHECK (face_value_fen > 0),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('issued', 'redeemed', 'forfeited', 'void')),
    status_reason TEXT,
    redeemed_at TEXT,
    provider_id {{BIGINT}} REFERENCES providers(id),
    redeemed_by {{BIGINT}},
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX vouchers_campaign ON vouchers (campaign_id, status);
CREATE INDEX vouchers_member ON vouchers (member_id, id);
CREATE INDEX vouchers_provider ON vouchers (provider_id, redeemed_at);

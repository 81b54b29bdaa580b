-- 0009: recuperation trips (职工疗休养): routes offered by unions with
-- admitted providers (see 0008), their departures with seat quotas, member
-- bookings with a waiting list, curated collections and cross-region
-- cooperation agreements (跨区域合作).
--
-- Money is fen. A route stores its full price and the union subsidy per
-- person; the member price is always price - subsidy, computed where it is
-- read, never stored. A booking keeps the price and subsidy it was made at
-- (what the member agreed to and what the union will pay).

-- Cross-region cooperation agreements: routes offered in one party's subtree
-- may be opened to members of the other party's subtree while in force.
CREATE TABLE retreat_agreements (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    partner_org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL
);
CREATE INDEX retreat_agreements_org ON retreat_agreements (org_id);
CREATE INDEX retreat_agreements_partner ON retreat_agreements (partner_org_id);

-- org_id is the offering union (it pays the subsidy; data scope).
-- listed = published and every provider of the route admitted: the one
-- flag the public catalogue filters on, kept up to date in the same
-- transaction as any change of the route's status or a provider's status.
-- region_code is the destination's administrative code (byte-ordered, so a
-- province or city is a prefix range).
CREATE TABLE retreat_routes (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    code {{TEXT_C}} UNIQUE,
    title TEXT NOT NULL,
    summary TEXT,
    destination TEXT NOT NULL,
    region_code {{TEXT_C}} NOT NULL,
    days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 30),
    price_fen {{BIGINT}} NOT NULL CHECK (price_fen >= 0),
    subsidy_fen {{BIGINT}} NOT NULL CHECK (subsidy_fen >= 0 AND subsidy_fen <= price_fen),
    itinerary TEXT NOT NULL,
    inclusions TEXT NOT NULL,
    min_member_years INTEGER NOT NULL DEFAULT 0 CHECK (min_member_years BETWEEN 0 AND 50),
    frontline_only INTEGER NOT NULL DEFAULT 0,
    confirm_mode TEXT CHECK (confirm_mode IN ('instant', 'union')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
    listed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX retreat_routes_org ON retreat_routes (org_id, id);
CREATE INDEX retreat_routes_listed ON retreat_routes (listed, id);
CREATE INDEX retreat_routes_region ON retreat_routes (listed, region_code);

-- The providers of a route, in order (position 0 is the main one).
CREATE TABLE retreat_route_providers (
    id {{PK}},
    route_id {{BIGINT}} NOT NULL REFERENCES retreat_routes(id),
    provider_id {{BIGINT}} NOT NULL REFERENCES providers(id),
    position INTEGER NOT NULL,
    UNIQUE (route_id, provider_id)
);
CREATE INDEX retreat_route_providers_provider ON retreat_route_providers (provider_id);

-- Theme tags (红色, 乡村, 康养, 研学 …).
CREATE TABLE retreat_route_themes (
    id {{PK}},
    route_id {{BIGINT}} NOT NULL REFERENCES retreat_routes(id),
    theme {{TEXT_C}} NOT NULL,
    UNIQUE (route_id, theme)
);
CREATE INDEX retreat_route_themes_theme ON retreat_route_themes (theme, route_id);

-- Eligibility: members of these orgs' subtrees may book (none listed: the
-- offering union's own subtree). An org outside the offering officer's
-- scope is admitted under a cooperation agreement, which must still be in
-- force when a member books.
CREATE TABLE retreat_route_orgs (
    id {{PK}},
    route_id {{BIGINT}} NOT NULL REFERENCES retreat_routes(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    agreement_id {{BIGINT}} REFERENCES retreat_agreements(id),
    UNIQUE (route_id, org_id)
);

-- Curated collections ("20 条红色疗休养线路").
CREATE TABLE retreat_collections (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    description TEXT,
    published INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE retreat_collection_routes (
    id {{PK}},
    collection_id {{BIGINT}} NOT NULL REFERENCES retreat_collections(id),
    route_id {{BIGINT}} NOT NULL REFERENCES retreat_routes(id),
    position INTEGER NOT NULL,
    UNIQUE (collection_id, route_id)
);
CREATE INDEX retreat_collection_routes_route ON retreat_collection_routes (route_id);

-- A departure (出发批次) of a route. seats_left is taken by one conditional
-- UPDATE per booking (… WHERE seats_left > 0), so the quota holds whatever
-- the concurrency; the CHECK is the last line of defence. opens_on is the
-- day general booking opens (frontline workers may start earlier, per
-- policy); NULL means open now. org_id repeats the route's offering union
-- (every large table carries its org).
CREATE TABLE retreat_departures (
    id {{PK}},
    route_id {{BIGINT}} NOT NULL REFERENCES retreat_routes(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    depart_date TEXT NOT NULL,
    opens_on TEXT,
    seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 10000),
    seats_left INTEGER NOT NULL CHECK (seats_left >= 0 AND seats_left <= seats),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'cancelled', 'completed')),
    note TEXT,
    completed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX retreat_departures_route ON retreat_departures (route_id, depart_date);
CREATE INDEX retreat_departures_org ON retreat_departures (org_id, depart_date);

-- Bookings. org_id is the member's union when booking (who confirms; data
-- scope), route_org_id the offering union (who runs the departure). status:
-- waitlisted (no seat yet, in id order), pending (seat held, waiting for the
-- member's union), confirmed, completed (travelled; subsidy posted),
-- cancelled, rejected, no_show. frontline / model_worker are what the member
-- was when booking, for the figures; cancel_by the last day the member may
-- cancel, fixed by the rules in force when booking. quota_taken: this booking holds one of
-- the member's subsidised trips of trip_year (retreat_quota).
CREATE TABLE retreat_bookings (
    id {{PK}},
    departure_id {{BIGINT}} NOT NULL REFERENCES retreat_departures(id),
    route_id {{BIGINT}} NOT NULL REFERENCES retreat_routes(id),
    route_org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL CHECK (status IN
        ('waitlisted', 'pending', 'confirmed', 'completed', 'cancelled', 'rejected', 'no_show')),
    price_fen {{BIGINT}} NOT NULL,
    subsidy_fen {{BIGINT}} NOT NULL,
    frontline INTEGER NOT NULL DEFAULT 0,
    model_worker INTEGER NOT NULL DEFAULT 0,
    trip_year INTEGER NOT NULL,
    cancel_by TEXT NOT NULL,
    quota_taken INTEGER NOT NULL DEFAULT 0,
    policy_id {{BIGINT}},
    booked_by {{BIGINT}},
    reason TEXT,
    decided_by {{BIGINT}},
    decided_at TEXT,
    cancelled_at TEXT,
    completed_at TEXT,
    transfer_id {{BIGINT}},
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One live booking per member and departure.
CREATE UNIQUE INDEX retreat_bookings_live ON retreat_bookings (departure_id, member_id)
    WHERE status IN ('waitlisted', 'pending', 'confirmed');
CREATE INDEX retreat_bookings_departure ON retreat_bookings (departure_id, status, id);
CREATE INDEX retreat_bookings_member ON retreat_bookings (member_id, id);
CREATE INDEX retreat_bookings_org ON retreat_bookings (org_id, status, id);
CREATE INDEX retreat_bookings_route_org ON retreat_bookings (route_org_id, status, id);

-- Subsidised trips per member and calendar year, taken with one
-- conditional upsert (… DO UPDATE SET used = used + 1 WHERE used < max), so
-- two simultaneous bookings cannot both take the last one.
CREATE TABLE retreat_quota (
    id {{PK}},
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    year INTEGER NOT NULL,
    used INTEGER NOT NULL CHECK (used >= 0),
    UNIQUE (member_id, year)
);

-- 0008: service providers of the recuperation programme (疗休养服务机构):
-- rural guest-houses, rural-tourism clusters, small themed towns,
-- red-heritage sites and recuperation bases, admitted by a union together
-- with a partner department (culture and tourism). Their routes (疗休养线路)
-- are shown only while they are admitted; vouchers (消费券) are redeemed at
-- them. org_id is the union that manages the provider (data scope).
CREATE TABLE providers (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL CHECK (kind IN ('guesthouse', 'rural_cluster', 'themed_town', 'red_site', 'retreat_base')),
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    address TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    partner_department TEXT,
    status TEXT NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'admitted', 'suspended')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX providers_org ON providers (org_id, id);
CREATE INDEX providers_status ON providers (status, kind);

-- Every change of a provider's admission status.
CREATE TABLE provider_history (
    id {{PK}},
    provider_id {{BIGINT}} NOT NULL REFERENCES providers(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT,
    actor_id {{BIGINT}},
    created_at TEXT NOT NULL
);
CREATE INDEX provider_history_provider ON provider_history (provider_id, id);

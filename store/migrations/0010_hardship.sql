-- 0010: workers in hardship (困难职工档案), aid (帮扶救助) and mutual medical
-- aid (职工医疗互助): the most sensitive records the platform holds.
--
-- What a query needs stays in clear columns (org, member, status, category,
-- causes, dates, amounts of grants and claims); everything about the family —
-- incomes, health, disability, family members and their ID numbers, the bank
-- account, diagnoses — is one sealed JSON blob per record (secret box, key
-- outside the database), opened only when an allowed reader reads the file,
-- and every such read is audited.

-- One household, one file (一户一档). status: pending (opened by the
-- grassroots union, waiting for the level above), open, rejected, closed
-- (read-only for ten years), purged (sealed data erased; the shell stays for
-- statistics and for the ledger's references of the aid paid).
CREATE TABLE hardship_files (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'open', 'rejected', 'closed', 'purged')),
    category TEXT CHECK (category IN ('deep', 'relative', 'accident')),
    suggested_category TEXT CHECK (suggested_category IN ('deep', 'relative', 'accident')),
    ethnicity TEXT,
    work_status TEXT,
    household_type TEXT,
    medical_insurance TEXT,
    main_cause TEXT NOT NULL,
    secondary_causes TEXT NOT NULL DEFAULT ',',
    household_size INTEGER NOT NULL,
    exclusions TEXT NOT NULL DEFAULT '',
    sealed TEXT,
    opened_by {{BIGINT}},
    opened_on TEXT NOT NULL,
    reviewed_by {{BIGINT}},
    approved_on TEXT,
    last_review_on TEXT,
    review_due TEXT,
    closed_on TEXT,
    close_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hardship_files_org ON hardship_files (org_id, id);
CREATE INDEX hardship_files_member ON hardship_files (member_id);
-- The review-due list walks open files by due date; its counts go union by
-- union over (org_id, status, review_due) without touching the rows.
CREATE INDEX hardship_files_due ON hardship_files (status, review_due, id);
CREATE INDEX hardship_files_org_due ON hardship_files (org_id, status, review_due);
CREATE INDEX hardship_files_closed ON hardship_files (status, closed_on);
-- A member has at most one live file.
CREATE UNIQUE INDEX hardship_files_live ON hardship_files (member_id) WHERE status IN ('pending', 'open');

-- Everyone named in a live file (the member and each family member), by the
-- keyed hash of the ID number: a person belongs to one live household file.
CREATE TABLE hardship_people (
    id_hash {{TEXT_C}} PRIMARY KEY,
    file_id {{BIGINT}} NOT NULL REFERENCES hardship_files(id)
);
CREATE INDEX hardship_people_file ON hardship_people (file_id);

-- Every change of a file: what kind, which fields, why, who, and a sealed
-- snapshot of the file after the change.
CREATE TABLE hardship_history (
    id {{PK}},
    file_id {{BIGINT}} NOT NULL REFERENCES hardship_files(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'updated', 'approved', 'rejected', 'reviewed', 'closed', 'purged')),
    fields TEXT,
    reason TEXT,
    snapshot_sealed TEXT,
    actor_id {{BIGINT}},
    created_at TEXT NOT NULL
);
CREATE INDEX hardship_history_file ON hardship_history (file_id, id);

-- Aid grants: applied (by the member or an officer) → reviewed → approved
-- (posted to the ledger as aid expense / aid payable) → paid (payable →
-- bank); rejected before approval. detail_sealed holds the applicant's
-- reasons and the child's details.
CREATE TABLE aid_grants (
    id {{PK}},
    file_id {{BIGINT}} NOT NULL REFERENCES hardship_files(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL CHECK (kind IN ('education', 'illness', 'living', 'holiday', 'training')),
    year INTEGER NOT NULL,
    school_level TEXT,
    category TEXT NOT NULL,
    amount_fen {{BIGINT}} NOT NULL CHECK (amount_fen > 0),
    standard_fen {{BIGINT}},
    status TEXT NOT NULL CHECK (status IN ('applied', 'reviewed', 'approved', 'paid', 'rejected')),
    policy_id {{BIGINT}} REFERENCES policies(id),
    detail_sealed TEXT,
    applied_by {{BIGINT}},
    applied_on TEXT NOT NULL,
    reviewed_by {{BIGINT}},
    reviewed_at TEXT,
    approved_by {{BIGINT}},
    approved_on TEXT,
    payer_org_id {{BIGINT}} REFERENCES orgs(id),
    paid_by {{BIGINT}},
    paid_on TEXT,
    reject_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX aid_grants_org ON aid_grants (org_id, id);
CREATE INDEX aid_grants_file ON aid_grants (file_id, id);
CREATE INDEX aid_grants_member ON aid_grants (member_id, kind, year);
CREATE INDEX aid_grants_approved ON aid_grants (status, approved_on);

-- What each person was granted per kind and year, raised by one conditional
-- UPDATE at approval, so two approvals racing on two servers cannot pass a
-- yearly cap together.
CREATE TABLE aid_usage (
    id {{PK}},
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    granted_fen {{BIGINT}} NOT NULL DEFAULT 0,
    UNIQUE (member_id, kind, year)
);

-- 结对帮扶: an officer or a unit paired with a household, and the visits.
CREATE TABLE aid_pairings (
    id {{PK}},
    file_id {{BIGINT}} NOT NULL REFERENCES hardship_files(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    partner_kind TEXT NOT NULL CHECK (partner_kind IN ('officer', 'unit')),
    partner_name TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL
);
CREATE INDEX aid_pairings_file ON aid_pairings (file_id, id);

CREATE TABLE aid_visits (
    id {{PK}},
    pairing_id {{BIGINT}} NOT NULL REFERENCES aid_pairings(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    visited_on TEXT NOT NULL,
    note_sealed TEXT,
    actor_id {{BIGINT}},
    created_at TEXT NOT NULL
);
CREATE INDEX aid_visits_pairing ON aid_visits (pairing_id, id);

-- Mutual medical aid: a plan per year of an organising union; the benefit
-- rules are versioned policy parameters (kind mutual_aid_benefit) of that
-- union, the claim using those in force on the day the stay began.
CREATE TABLE mutual_aid_plans (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    contribution_fen {{BIGINT}} NOT NULL CHECK (contribution_fen > 0),
    min_group_share_pct INTEGER NOT NULL CHECK (min_group_share_pct BETWEEN 0 AND 100),
    enroll_from TEXT NOT NULL,
    enroll_to TEXT NOT NULL,
    cover_from TEXT NOT NULL,
    cover_to TEXT NOT NULL,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL,
    UNIQUE (org_id, year, name)
);

-- A unit joining as a group: its staff count and how many joined.
CREATE TABLE mutual_aid_groups (
    id {{PK}},
    plan_id {{BIGINT}} NOT NULL REFERENCES mutual_aid_plans(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    staff_count INTEGER NOT NULL,
    enrolled_count INTEGER NOT NULL,
    amount_fen {{BIGINT}} NOT NULL,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL,
    UNIQUE (plan_id, org_id)
);

-- One person in one plan. paid_fen: what the person's claims were granted
-- in the plan year, against the yearly cap (raised by a conditional UPDATE).
CREATE TABLE mutual_aid_enrolments (
    id {{PK}},
    plan_id {{BIGINT}} NOT NULL REFERENCES mutual_aid_plans(id),
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    group_id {{BIGINT}} REFERENCES mutual_aid_groups(id),
    contribution_fen {{BIGINT}} NOT NULL,
    paid_fen {{BIGINT}} NOT NULL DEFAULT 0,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL,
    UNIQUE (plan_id, member_id)
);
CREATE INDEX mutual_aid_enrolments_member ON mutual_aid_enrolments (member_id);
CREATE INDEX mutual_aid_enrolments_org ON mutual_aid_enrolments (org_id, id);

-- A claim for one hospital stay. The figures and the calculation (calc, JSON
-- of the lines shown to the worker) are kept as computed with the rules in
-- force on admission_date (policy_id). One live claim per person and stay.
CREATE TABLE mutual_aid_claims (
    id {{PK}},
    plan_id {{BIGINT}} NOT NULL REFERENCES mutual_aid_plans(id),
    enrolment_id {{BIGINT}} NOT NULL REFERENCES mutual_aid_enrolments(id),
    member_id {{BIGINT}} NOT NULL REFERENCES members(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    admission_date TEXT NOT NULL,
    discharge_date TEXT NOT NULL,
    hospital TEXT NOT NULL,
    detail_sealed TEXT,
    total_cost_fen {{BIGINT}} NOT NULL,
    basic_insurance_fen {{BIGINT}} NOT NULL,
    other_insurance_fen {{BIGINT}} NOT NULL,
    out_of_scope_fen {{BIGINT}} NOT NULL,
    payable_fen {{BIGINT}} NOT NULL,
    policy_id {{BIGINT}} REFERENCES policies(id),
    calc TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'paid', 'rejected')),
    submitted_by {{BIGINT}},
    approved_by {{BIGINT}},
    approved_on TEXT,
    paid_by {{BIGINT}},
    paid_on TEXT,
    reject_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX mutual_aid_claims_org ON mutual_aid_claims (org_id, id);
CREATE INDEX mutual_aid_claims_member ON mutual_aid_claims (member_id, id);
CREATE UNIQUE INDEX mutual_aid_claims_stay ON mutual_aid_claims (member_id, admission_date) WHERE status <> 'rejected';

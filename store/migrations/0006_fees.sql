-- 0006: union fees (工会经费) from enterprises, their split on receipt, and
-- refunds to small and micro enterprises (小微企业工会经费返还); plus the
-- versioned policy parameters every rule-driven capability uses.

-- Policy parameters by kind ('fee_split', 'refund', …), set by an org for
-- its subtree, in force from a date; a later version replaces an earlier
-- one from its date on. Rules are data, not code.
CREATE TABLE policies (
    id {{PK}},
    kind TEXT NOT NULL,
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    effective_from TEXT NOT NULL,
    params TEXT NOT NULL,
    note TEXT,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL,
    UNIQUE (kind, org_id, effective_from)
);

-- Enterprises keyed by 统一社会信用代码. org_id is the regional union
-- responsible for the enterprise (scope); union_org_id its own grassroots
-- union when it has one. The bank account is sensitive: sealed and masked.
CREATE TABLE enterprises (
    id {{PK}},
    uscc {{TEXT_C}} NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    industry TEXT,
    headcount INTEGER,
    annual_revenue_fen {{BIGINT}},
    small_scale INTEGER NOT NULL DEFAULT 0,
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    union_org_id {{BIGINT}} REFERENCES orgs(id),
    union_founded_on TEXT,
    bank_name TEXT,
    account_name TEXT,
    account_sealed TEXT,
    account_mask TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX enterprises_org ON enterprises (org_id, id);
CREATE INDEX enterprises_name ON enterprises (name);

-- One import of a tax-department collection file.
CREATE TABLE fee_imports (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    file_name TEXT,
    file_sha256 TEXT NOT NULL,
    rows_total INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_flagged INTEGER NOT NULL,
    rows_skipped INTEGER NOT NULL,
    amount_fen {{BIGINT}} NOT NULL,
    actor_id {{BIGINT}},
    created_at TEXT NOT NULL
);

-- A month's payment of one enterprise: 2% of its payroll (工会法第43条),
-- as union fee ('fee') or, without a union, as preparatory fee
-- ('prep_fee'). Re-importing the same payment changes nothing.
CREATE TABLE fee_payments (
    id {{PK}},
    enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('fee', 'prep_fee')),
    payroll_fen {{BIGINT}} NOT NULL CHECK (payroll_fen >= 0),
    amount_fen {{BIGINT}} NOT NULL CHECK (amount_fen > 0),
    paid_on TEXT NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0,
    flag_reason TEXT,
    import_id {{BIGINT}} REFERENCES fee_imports(id),
    created_at TEXT NOT NULL,
    UNIQUE (enterprise_id, month, kind)
);
CREATE INDEX fee_payments_org_month ON fee_payments (org_id, month);
CREATE INDEX fee_payments_import ON fee_payments (import_id);

-- A refund run: one org (usually a city union) and one period (2022H2).
-- Made by one officer, approved by another (maker/checker).
CREATE TABLE refund_runs (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    policy_id {{BIGINT}} REFERENCES policies(id),
    status TEXT NOT NULL CHECK (status IN ('computing', 'computed', 'approved', 'rejected', 'closed')),
    last_enterprise_id {{BIGINT}} NOT NULL DEFAULT 0,
    lines INTEGER NOT NULL DEFAULT 0,
    amount_fen {{BIGINT}} NOT NULL DEFAULT 0,
    prepared_by {{BIGINT}},
    approved_by {{BIGINT}},
    approved_at TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One live run per org and period; a rejected one stays as history and the
-- period may be computed again.
CREATE UNIQUE INDEX refund_runs_live ON refund_runs (org_id, period) WHERE status <> 'rejected';

-- What one enterprise gets back in one run. One live line per enterprise
-- and period across all runs: running again creates nothing new; lines of a
-- rejected run are cancelled (their postings reversed) and kept.
CREATE TABLE refund_lines (
    id {{PK}},
    run_id {{BIGINT}} NOT NULL REFERENCES refund_runs(id),
    enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    fee_fen {{BIGINT}} NOT NULL,
    prep_fen {{BIGINT}} NOT NULL,
    amount_fen {{BIGINT}} NOT NULL CHECK (amount_fen > 0),
    status TEXT NOT NULL CHECK (status IN ('due', 'approved', 'exported', 'paid', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    bank_ref TEXT,
    fail_reason TEXT,
    paid_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX refund_lines_live ON refund_lines (enterprise_id, period) WHERE status <> 'cancelled';
CREATE INDEX refund_lines_run ON refund_lines (run_id, id);

-- Where the refund policy works by application (申请制), the enterprises
-- that applied for a period; automatic policies do without.
CREATE TABLE refund_applications (
    id {{PK}},
    enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
    period TEXT NOT NULL,
    created_by {{BIGINT}},
    created_at TEXT NOT NULL,
    UNIQUE (enterprise_id, period)
);

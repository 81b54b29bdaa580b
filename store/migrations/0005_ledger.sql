-- 0005: the double-entry ledger every capability that moves money posts to.
--
-- Accounts belong to an org and have a kind and a normal side. A transfer
-- moves amount_fen (> 0) from the credit account to the debit account; it is
-- never updated or deleted: a mistake is corrected by a reversing transfer
-- (reverses_id, at most one per transfer). Two-phase transfers: a 'pending'
-- transfer holds an amount; later one row resolves it — 'posted' with
-- pending_id (moves up to the held amount) or 'voided' with pending_id (moves
-- nothing); each pending transfer is resolved at most once.
-- idem_key is chosen by the caller: a retry with the same key and content
-- returns the first transfer. Each transfer carries SHA-256 over its content
-- and the previous transfer's hash (ledger_head holds the tip).
-- ledger_balances caches per-account sums; `gonghui ledger check` proves
-- them equal to the transfers.
CREATE TABLE ledger_accounts (
    id {{PK}},
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    code {{TEXT_C}} NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('asset', 'liability', 'income', 'expense', 'equity')),
    normal_side TEXT NOT NULL CHECK (normal_side IN ('debit', 'credit')),
    created_at TEXT NOT NULL,
    UNIQUE (org_id, code)
);

CREATE TABLE ledger_transfers (
    id {{PK}},
    seq {{BIGINT}} NOT NULL UNIQUE,
    idem_key {{TEXT_C}} NOT NULL UNIQUE,
    batch_key {{TEXT_C}} NOT NULL,
    debit_account_id {{BIGINT}} NOT NULL REFERENCES ledger_accounts(id),
    credit_account_id {{BIGINT}} NOT NULL REFERENCES ledger_accounts(id),
    amount_fen {{BIGINT}} NOT NULL CHECK (amount_fen > 0),
    status TEXT NOT NULL CHECK (status IN ('posted', 'pending', 'voided')),
    ref_type TEXT NOT NULL,
    ref_id {{BIGINT}},
    reverses_id {{BIGINT}} UNIQUE REFERENCES ledger_transfers(id),
    pending_id {{BIGINT}} UNIQUE REFERENCES ledger_transfers(id),
    memo TEXT,
    org_id {{BIGINT}} NOT NULL REFERENCES orgs(id),
    actor_id {{BIGINT}},
    value_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    CHECK (debit_account_id <> credit_account_id)
);
CREATE INDEX ledger_transfers_batch ON ledger_transfers (batch_key);
CREATE INDEX ledger_transfers_ref ON ledger_transfers (ref_type, ref_id);
CREATE INDEX ledger_transfers_debit ON ledger_transfers (debit_account_id, value_date);
CREATE INDEX ledger_transfers_credit ON ledger_transfers (credit_account_id, value_date);
CREATE INDEX ledger_transfers_org ON ledger_transfers (org_id, id);

CREATE TABLE ledger_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq {{BIGINT}} NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE ledger_balances (
    account_id {{BIGINT}} PRIMARY KEY REFERENCES ledger_accounts(id),
    debit_fen {{BIGINT}} NOT NULL DEFAULT 0,
    credit_fen {{BIGINT}} NOT NULL DEFAULT 0,
    pending_debit_fen {{BIGINT}} NOT NULL DEFAULT 0,
    pending_credit_fen {{BIGINT}} NOT NULL DEFAULT 0
);

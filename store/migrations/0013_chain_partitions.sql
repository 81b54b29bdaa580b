-- 0013: the audit log and the ledger become partitioned hash chains.
--
-- Until now each was one chain with one head row (audit_head, ledger_head),
-- and every writer on every server queued on that row. Now each chain has a
-- partition per province: `part` is the id of the topmost province-level org
-- on the record's org path (0 for national-level records and records with
-- no org), `seq` counts within the partition, and a row's hash covers the
-- previous row of the same partition. audit_heads / ledger_heads hold one
-- head (seq, hash) per partition, created on the partition's first row.
--
-- Existing rows are not re-hashed: the single chain they form becomes the
-- history of partition 0, with their sequence numbers and hashes as they
-- are (a row of partition 0 hashes exactly as before; other partitions add
-- their number to the hashed text). Re-linking them here would rewrite the
-- evidence: any tampering before this migration would be hashed into a
-- fresh, valid chain. The old head becomes partition 0's head.
--
-- seq is no longer unique on its own, only with part. SQLite cannot drop a
-- UNIQUE column constraint, so there the two tables are rebuilt (rows keep
-- their ids); PostgreSQL drops the constraint.
{{IF_SQLITE}}
ALTER TABLE audit_log RENAME TO audit_log_0012;
CREATE TABLE audit_log (
    id {{PK}},
    seq {{BIGINT}} NOT NULL,
    ts TEXT NOT NULL,
    actor_id {{BIGINT}},
    actor_login TEXT,
    actor_role TEXT NOT NULL,
    client TEXT,
    action TEXT NOT NULL,
    object_type TEXT,
    object_id {{BIGINT}},
    org_id {{BIGINT}},
    org_path {{TEXT_C}},
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    part {{BIGINT}} NOT NULL
);
INSERT INTO audit_log (id, seq, ts, actor_id, actor_login, actor_role, client, action, object_type, object_id,
                       org_id, org_path, outcome, detail, prev_hash, hash, part)
SELECT id, seq, ts, actor_id, actor_login, actor_role, client, action, object_type, object_id,
       org_id, org_path, outcome, detail, prev_hash, hash, 0 FROM audit_log_0012 ORDER BY id;
DROP TABLE audit_log_0012;
CREATE INDEX audit_object ON audit_log (object_type, object_id);
CREATE INDEX audit_ts ON audit_log (ts);
CREATE INDEX audit_org_path ON audit_log (org_path);

ALTER TABLE ledger_transfers RENAME TO ledger_transfers_0012;
CREATE TABLE ledger_transfers (
    id {{PK}},
    seq {{BIGINT}} NOT NULL,
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
    part {{BIGINT}} NOT NULL,
    CHECK (debit_account_id <> credit_account_id)
);
INSERT INTO ledger_transfers (id, seq, idem_key, batch_key, debit_account_id, credit_account_id, amount_fen,
                              status, ref_type, ref_id, reverses_id, pending_id, memo, org_id, actor_id,
                              value_date, created_at, prev_hash, hash, part)
SELECT id, seq, idem_key, batch_key, debit_account_id, credit_account_id, amount_fen,
       status, ref_type, ref_id, reverses_id, pending_id, memo, org_id, actor_id,
       value_date, created_at, prev_hash, hash, 0 FROM ledger_transfers_0012 ORDER BY id;
DROP TABLE ledger_transfers_0012;
CREATE INDEX ledger_transfers_batch ON ledger_transfers (batch_key);
CREATE INDEX ledger_transfers_ref ON ledger_transfers (ref_type, ref_id);
CREATE INDEX ledger_transfers_debit ON ledger_transfers (debit_account_id, value_date);
CREATE INDEX ledger_transfers_credit ON ledger_transfers (credit_account_id, value_date);
CREATE INDEX ledger_transfers_org ON ledger_transfers (org_id, id);
{{END_SQLITE}}
{{IF_PG}}
ALTER TABLE audit_log ADD COLUMN part BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_log ALTER COLUMN part DROP DEFAULT;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_seq_key;
DROP INDEX audit_actor;
ALTER TABLE ledger_transfers ADD COLUMN part BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_transfers ALTER COLUMN part DROP DEFAULT;
ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_seq_key;
{{END_PG}}
-- Lists are newest first by id now (seq restarts in every partition).
CREATE INDEX audit_actor ON audit_log (actor_id, id);
CREATE UNIQUE INDEX audit_log_part_seq ON audit_log (part, seq);
CREATE UNIQUE INDEX ledger_transfers_part_seq ON ledger_transfers (part, seq);

CREATE TABLE audit_heads (
    part {{BIGINT}} PRIMARY KEY,
    seq {{BIGINT}} NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_heads (part, seq, hash) SELECT 0, seq, hash FROM audit_head;
DROP TABLE audit_head;

CREATE TABLE ledger_heads (
    part {{BIGINT}} PRIMARY KEY,
    seq {{BIGINT}} NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO ledger_heads (part, seq, hash) SELECT 0, seq, hash FROM ledger_head;
DROP TABLE ledger_head;

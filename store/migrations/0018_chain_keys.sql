-- 0018: keyed hash chains.
--
-- From here on a row's link is a keyed hash (BLAKE2b under a key derived
-- from the key file), so it cannot be recomputed by someone who can write
-- the database but does not hold the key file. Rows already written keep
-- their plain SHA-256 links: each head records keyed_from, the first keyed
-- sequence number of its partition, and mac, a keyed hash over the head
-- (partition, seq, hash, keyed_from). Both stay NULL here (SQL has no key):
-- the first start with the key file seals every existing head with
-- keyed_from = seq + 1, and a partition created later is keyed from 1.
-- Once a chain is sealed, a head without a mac is reported by verification
-- rather than sealed again, so a keyed row cannot be passed off as a plain
-- one by clearing these columns.
ALTER TABLE audit_heads ADD COLUMN keyed_from {{BIGINT}};
ALTER TABLE audit_heads ADD COLUMN mac TEXT;
ALTER TABLE ledger_heads ADD COLUMN keyed_from {{BIGINT}};
ALTER TABLE ledger_heads ADD COLUMN mac TEXT;

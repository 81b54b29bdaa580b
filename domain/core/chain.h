/* chain.h — partitioned hash chains, shared by the audit log and the ledger.
 *
 * Each chain is split into partitions: one per province (the topmost org of
 * level "province" on the record's org path), partition 0 for national-level
 * records and records without an org. A partition has its own head row
 * (sequence and hash of its last row) in the chain's head table, so writers
 * in different provinces never wait for one another; a row carries its
 * partition and its sequence within it, and its hash covers the previous
 * row of the same partition. The root, a hash over the ordered list of
 * (partition, sequence, head hash), pins every partition at once.
 *
 * chain_link is the one place a row's link hash is computed. A link is
 * keyed: BLAKE2b-256 under the chain key, a subkey of the key file
 * (chain_derive_keys), so nobody without the key file can re-hash a row.
 * Rows written before keying (partition 0's history from before
 * partitioning, and every row of before migration 0018) keep their plain
 * SHA-256 links: each head row records keyed_from, the first keyed sequence
 * number of its partition, and a MAC (keyed BLAKE2b) over (kind, partition,
 * seq, hash, keyed_from). Moving keyed_from to pass keyed rows off as plain
 * ones, or rolling the head back, breaks the MAC; a head without one is
 * refused once the chain has been sealed (chain_seal, at the first start
 * after the upgrade).
 *
 * What lives in the database alone can still be replaced whole by someone
 * who kept an older copy of a head row; signed checkpoints (checkpoint.h),
 * kept outside the database, catch that: chain_check compares each
 * partition with every checkpoint.
 *
 * Lock order: a transaction that appends to several partitions takes their
 * head rows in the order it meets them; two such transactions meeting them
 * in opposite orders deadlock on PostgreSQL and one is retried (ERR_RETRY,
 * store_tx). Batches that know their partitions up front take them in
 * ascending order (chain_lock). */
#ifndef GH_CHAIN_H
#define GH_CHAIN_H

#include <jansson.h>

#include "domain/core/ctx.h"

typedef struct chain_kind {
    const char *heads; /* head table: one row per partition (part, seq, hash) */
    const char *label; /* 审计日志 / 账簿 */
    const char *unit;  /* 条 / 笔 */
    const char *code;  /* error-code prefix: audit / ledger */
} chain_kind;

extern const chain_kind chain_audit, chain_ledger;

#define CHAIN_ZERO "0000000000000000000000000000000000000000000000000000000000000000"

/* The partition of org_id: the id of the topmost province-level org on its
 * path; 0 for national-level orgs and for org_id 0. path (may be NULL)
 * receives the org's path, "" when org_id is 0; *found (may be NULL) is 1
 * when the org exists. An org that does not exist is partition 0. */
int chain_partition(store_conn *db, int64_t org_id, int64_t *part, char *path, size_t pathlen, int *found,
                    gh_err *e);

/* Derive the chain key and the checkpoint signing key pair of cfg from its
 * data and hash keys (the key file). */
void chain_derive_keys(gh_config *cfg);

/* A claimed position: seq, prev (the hash of the partition's last row,
 * zeros for the first) and keyed_from (the partition's first keyed seq; 0
 * when its head lost that record: the row is still keyed, the head stays
 * unsealed and verification reports it). */
typedef struct chain_pos {
    int64_t part, seq, keyed_from;
    char prev[65];
} chain_pos;

/* Claim the next position of partition part. Creates the head row on first
 * use. The head row stays locked until the transaction ends. key: the chain
 * key (seals the other heads when this is the first keyed write ever). */
int chain_next(store_conn *db, const chain_kind *k, const unsigned char key[32], int64_t part, chain_pos *pos,
               gh_err *e);

/* Make hash (of the row just inserted at pos) the tip, with a new MAC. */
int chain_set_head(store_conn *db, const chain_kind *k, const unsigned char key[32], const chain_pos *pos,
                   const char hash[65], gh_err *e);

/* The first start after keying: give every head of k a MAC with
 * keyed_from = seq + 1 (its rows so far stay plain). Only while no head of
 * k has a MAC: once sealed, a head found without one is not sealed again
 * (that would launder a downgrade); verification reports it. *sealed (may
 * be NULL) counts the heads sealed. Runs in its own write transaction. */
int chain_seal(store_conn *db, const chain_kind *k, const unsigned char key[32], int *sealed, gh_err *e);

/* Take the head rows of parts (n of them, any order, duplicates allowed) in
 * ascending order, so that batches spanning partitions cannot deadlock one
 * another. */
int chain_lock(store_conn *db, const chain_kind *k, const int64_t *parts, int n, gh_err *e);

/* The link hash of a row of partition part: body is the row's canonical
 * text, ending with the previous row's hash. key NULL: the plain SHA-256 of
 * before keying (partition 0 without its number, as before partitioning). */
void chain_link(const unsigned char *key, int64_t part, const char *body, size_t len, char out[65]);

/* The MAC of a head row. */
void chain_head_mac(const unsigned char key[32], const chain_kind *k, int64_t part, int64_t seq, const char *hash,
                    int64_t keyed_from, char out[65]);

/* ---- verification ---- */

typedef struct chain_head {
    int64_t part, seq;
    char hash[65];
    int64_t keyed_from; /* 0: not recorded */
    char mac[65];       /* "" when none */
} chain_head;

/* One partition as a signed checkpoint recorded it (checkpoint.h): the
 * chain must still hold row seq with this hash, its head must not be
 * below seq, and keyed_from must be unchanged. line and ts name the
 * checkpoint in reports. */
typedef struct chain_target {
    int64_t part, seq, keyed_from;
    char hash[65];
    int line;
    char ts[32];
} chain_target;

typedef struct chain_targets {
    chain_target *v;
    int n, cap;
} chain_targets;

/* Every head row of k, ascending by partition; *heads is malloc'd. */
int chain_heads(store_conn *db, const chain_kind *k, chain_head **heads, int *n, gh_err *e);

/* 1 when head h is sealed with a valid MAC and its last row is there with
 * its hash; 0 (why says what is wrong) when not; a negative error. */
int chain_head_check(store_conn *db, const chain_kind *k, const unsigned char key[32], const chain_head *h,
                     char *why, size_t whylen, gh_err *e);

void chain_targets_free(chain_targets *t);
int chain_targets_add(chain_targets *t, const chain_target *x);
/* Sort by (part, seq, line) and drop repeats of the same (part, seq, hash,
 * keyed_from). */
void chain_targets_sort(chain_targets *t);

/* What a verification found. parts lists every partition in ascending
 * order: {partition, name, seq, head, rows, keyed_from, ok, problem?, code?,
 * bad_seq?, problems?}: problem/code/bad_seq are the first breach,
 * problems every distinct one ({code, seq, count, problem}). */
typedef struct chain_report {
    int64_t rows;       /* rows checked, over all partitions */
    int64_t unverified; /* keyed rows not recomputed (checked without the key) */
    int partitions;     /* partitions with a head or with rows */
    int broken;         /* partitions with at least one breach */
    int targets;        /* checkpoint entries compared */
    char root[65];      /* root over the head rows */
    json_t *parts;
} chain_report;

void chain_report_free(chain_report *r);

/* A streaming check: begin loads the heads, row takes every row in (part,
 * seq) order, end closes the partitions, names the broken ones, computes
 * the root and returns ERR_CONFLICT (e: the first breach) when any partition
 * is broken. The report is filled either way.
 *
 * key: the chain key; NULL checks without it (an auditor holding only the
 * checkpoints and the public key): plain rows are recomputed, keyed rows
 * and head MACs are not (counted in unverified), links, sequence numbers,
 * heads and checkpoints are checked all the same. targets (may be NULL):
 * the partitions of signed checkpoints, sorted (chain_targets_sort). */
#define CHAIN_MAX_PROBLEMS 8
typedef struct chain_problem {
    char code[48];
    int64_t seq, count;
    char text[320];
} chain_problem;

typedef struct chain_check {
    const chain_kind *k;
    const unsigned char *key;
    const chain_targets *targets;
    int ti, tstart, tcur; /* targets: next unreached, first of the open partition, next row's */
    chain_head *heads;
    int nheads, hi;       /* heads, and the next one not yet reached */
    int open;             /* a partition is being walked */
    int64_t part, expect; /* its number and the next sequence expected */
    int has_head;
    chain_head head;
    char prev[65];
    int64_t rows, bad_rows;
    chain_problem problems[CHAIN_MAX_PROBLEMS];
    int nproblems;
    chain_report *rep;
} chain_check;

int chain_check_begin(store_conn *db, const chain_kind *k, const unsigned char *key, const chain_targets *targets,
                      chain_check *c, chain_report *rep, gh_err *e);
/* body: the row's canonical text (as given to chain_link); stored: its
 * stored hash. */
void chain_check_row(chain_check *c, int64_t part, int64_t seq, const char *prev_hash, const char *body, size_t len,
                     const char *stored);
int chain_check_end(store_conn *db, chain_check *c, gh_err *e);

/* The root over heads (ascending by partition): SHA-256 of the lines
 * "partition|seq|hash\n". */
void chain_root(const chain_head *heads, int n, char out[65]);

#endif

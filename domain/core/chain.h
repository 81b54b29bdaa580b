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
 * chain_link is the one place a row's link hash is computed (keyed hashes
 * and signed checkpoints will go there). Rows hashed before partitioning all
 * lie in partition 0 and hash as they always did: the partition enters the
 * hashed text only when it is not 0.
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

/* Claim the next position of partition part: *seq and prev (the hash of the
 * partition's last row, zeros for the first). Creates the head row on first
 * use. The head row stays locked until the transaction ends. */
int chain_next(store_conn *db, const chain_kind *k, int64_t part, int64_t *seq, char prev[65], gh_err *e);

/* Make hash (of the row just inserted at the claimed position) the tip. */
int chain_set_head(store_conn *db, const chain_kind *k, int64_t part, const char hash[65], gh_err *e);

/* Take the head rows of parts (n of them, any order, duplicates allowed) in
 * ascending order, so that batches spanning partitions cannot deadlock one
 * another. */
int chain_lock(store_conn *db, const chain_kind *k, const int64_t *parts, int n, gh_err *e);

/* The link hash of a row of partition part: body is the row's canonical
 * text, ending with the previous row's hash. */
void chain_link(int64_t part, const char *body, size_t len, char out[65]);

/* ---- verification ---- */

typedef struct chain_head {
    int64_t part, seq;
    char hash[65];
} chain_head;

/* What a verification found. parts lists every partition in ascending
 * order: {partition, name, seq, head, rows, ok, problem?, code?, bad_seq?}. */
typedef struct chain_report {
    int64_t rows;   /* rows checked, over all partitions */
    int partitions; /* partitions with a head or with rows */
    int broken;     /* partitions with at least one breach */
    char root[65];  /* root over the head rows */
    json_t *parts;
} chain_report;

void chain_report_free(chain_report *r);

/* A streaming check: begin loads the heads, row takes every row in (part,
 * seq) order, end closes the partitions, names the broken ones, computes
 * the root and returns ERR_CONFLICT (e: the first breach) when any partition
 * is broken. The report is filled either way. */
typedef struct chain_check {
    const chain_kind *k;
    chain_head *heads;
    int nheads, hi;       /* heads, and the next one not yet reached */
    int open;             /* a partition is being walked */
    int64_t part, expect; /* its number and the next sequence expected */
    int has_head;
    chain_head head;
    char prev[65];
    int64_t rows, bad_rows, first_bad;
    char code[48], problem[256];
    chain_report *rep;
} chain_check;

int chain_check_begin(store_conn *db, const chain_kind *k, chain_check *c, chain_report *rep, gh_err *e);
void chain_check_row(chain_check *c, int64_t part, int64_t seq, const char *prev_hash, const char *computed,
                     const char *stored);
int chain_check_end(store_conn *db, chain_check *c, gh_err *e);

/* The root over heads (ascending by partition): SHA-256 of the lines
 * "partition|seq|hash\n". */
void chain_root(const chain_head *heads, int n, char out[65]);

#endif

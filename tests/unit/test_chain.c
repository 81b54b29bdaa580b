/* test_chain.c — the partitioned hash chains (domain/core/chain.c) on a real
 * SQLite database: which partition an org belongs to, the link hash and the
 * root, audit entries written from two threads in two provinces at once,
 * a ledger batch over two provinces, and the verifier's verdicts on gaps,
 * swapped and altered rows, cut-off tails, changed heads and rows without a
 * head, each named by partition; keyed links, head MACs, forged (plain)
 * hashes, mixed plain/keyed chains, and signed checkpoints: missing rows,
 * rolled-back heads, rewritten history, a forged checkpoint line. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/testdb.h"

#include "base/crypto.h"
#include "domain/core/audit.h"
#include "domain/core/chain.h"
#include "domain/core/checkpoint.h"
#include "domain/core/ledger.h"
#include "domain/org/org.h"

static store *g_db;
static gh_actor g_actor;
static gh_config g_cfg;
/* national; 江苏 (province) > 南京 (city); 宁夏 (a province at the root) >
 * 宁夏乳业 (a province-level industry union) > 塞上乳业 (grassroots) */
static int64_t g_nat, g_js, g_nj, g_nx, g_dairy, g_farm;

static gh_ctx ctx(void)
{
    gh_ctx x = {store_conn_get(g_db, NULL), &g_actor, &g_cfg};
    return x;
}

static int64_t mk_org(int64_t parent, const char *name, const char *level, const char *kind, const char *region)
{
    gh_ctx x = ctx();
    gh_err e;
    json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "level", level, "kind", kind, "region_code", region);
    if (parent) json_object_set_new(b, "parent_id", json_integer(parent));
    json_t *o = NULL;
    int rc = org_create(&x, b, &o, &e);
    json_decref(b);
    if (rc) {
        fprintf(stderr, "org_create %s: %s\n", name, e.message);
        return 0;
    }
    int64_t id = json_integer_value(json_object_get(o, "id"));
    json_decref(o);
    return id;
}

static int setup(void **s)
{
    (void)s;
    if (!(g_db = testdb_open("chain", 1))) return -1;
    actor_system(&g_actor);
    crypto_random(g_cfg.data_key, 32);
    crypto_random(g_cfg.hash_key, 32);
    chain_derive_keys(&g_cfg);
    g_nat = mk_org(0, "中华全国总工会", "national", "regional", "110000");
    g_js = mk_org(g_nat, "江苏省总工会", "province", "regional", "320000");
    g_nj = mk_org(g_js, "南京市总工会", "city", "regional", "320100");
    g_nx = mk_org(0, "宁夏回族自治区总工会", "province", "regional", "640000");
    g_dairy = mk_org(g_nx, "宁夏乳业工会联合会", "province", "industry", "640000");
    g_farm = mk_org(g_dairy, "宁夏塞上乳业有限公司工会", "grassroots", "enterprise", "640100");
    return g_nat && g_js && g_nj && g_nx && g_dairy && g_farm ? 0 : -1;
}

static int teardown(void **s)
{
    (void)s;
    testdb_close(g_db);
    return 0;
}

static int64_t part_of(int64_t org)
{
    int64_t p = -1;
    gh_err e;
    char path[GH_PATH_MAX];
    int found = -1;
    assert_int_equal(chain_partition(store_conn_get(g_db, NULL), org, &p, path, sizeof path, &found, &e), 0);
    return found ? p : -100 - p;
}

static void test_partition_of_org(void **s)
{
    (void)s;
    assert_int_equal(part_of(g_nat), 0);     /* national level */
    assert_int_equal(part_of(g_js), g_js);   /* a province is its own partition */
    assert_int_equal(part_of(g_nj), g_js);   /* below it: the province */
    assert_int_equal(part_of(g_nx), g_nx);   /* a province at the root of the tree */
    assert_int_equal(part_of(g_farm), g_nx); /* the topmost province-level org, not the industry union */
    assert_int_equal(part_of(g_dairy), g_nx);
    int64_t p = -1;
    int found = -1;
    char path[GH_PATH_MAX] = "x";
    assert_int_equal(chain_partition(store_conn_get(g_db, NULL), 0, &p, path, sizeof path, &found, NULL), 0);
    assert_int_equal(p, 0); /* no org */
    assert_int_equal(found, 0);
    assert_string_equal(path, "");
    assert_int_equal(chain_partition(store_conn_get(g_db, NULL), 987654, &p, NULL, 0, &found, NULL), 0);
    assert_int_equal(p, 0); /* an org that does not exist */
    assert_int_equal(found, 0);
}

static void test_link_and_root(void **s)
{
    (void)s;
    const char *body = "7|rest-of-row|prev";
    char h0[65], h5[65], want[65];
    chain_link(NULL, 0, body, strlen(body), h0);
    crypto_sha256_hex(body, strlen(body), want);
    assert_string_equal(h0, want); /* partition 0 hashes as before partitioning */
    chain_link(NULL, 5, body, strlen(body), h5);
    crypto_sha256_hex("p5|7|rest-of-row|prev", strlen("p5|7|rest-of-row|prev"), want);
    assert_string_equal(h5, want); /* other partitions bind their number */
    /* keyed: BLAKE2b under the chain key, binding the partition (0 too) */
    char k0[65], k5[65];
    chain_link(g_cfg.chain_key, 5, body, strlen(body), k5);
    crypto_mac_hex(g_cfg.chain_key, "k|p5|7|rest-of-row|prev", strlen("k|p5|7|rest-of-row|prev"), want);
    assert_string_equal(k5, want);
    assert_string_not_equal(k5, h5);
    chain_link(g_cfg.chain_key, 0, body, strlen(body), k0);
    assert_string_not_equal(k0, h0);
    assert_string_not_equal(k0, k5);
    /* the chain key is neither key of the file, and another file gives another */
    assert_memory_not_equal(g_cfg.chain_key, g_cfg.data_key, 32);
    assert_memory_not_equal(g_cfg.chain_key, g_cfg.hash_key, 32);
    gh_config other = g_cfg;
    other.data_key[0] ^= 1;
    chain_derive_keys(&other);
    assert_memory_not_equal(other.chain_key, g_cfg.chain_key, 32);
    assert_memory_not_equal(other.sign_pk, g_cfg.sign_pk, 32);
    chain_head heads[2] = {{0, 3, "aa"}, {12, 1, "bb"}};
    char root[65];
    chain_root(heads, 2, root);
    crypto_sha256_hex("0|3|aa\n12|1|bb\n", strlen("0|3|aa\n12|1|bb\n"), want);
    assert_string_equal(root, want);
}

typedef struct writer {
    int64_t org;
    int n, failed;
} writer;

static void *write_audit(void *p)
{
    writer *w = p;
    gh_ctx x = ctx(); /* this thread's own connection */
    for (int i = 0; i < w->n; i++) {
        gh_err e;
        json_t *d = json_pack("{s:i}", "i", i);
        if (audit_record(&x, "test.write", "org", w->org, w->org, "ok", d, &e)) w->failed++;
        json_decref(d);
    }
    return NULL;
}

static void test_two_provinces_at_once(void **s)
{
    (void)s;
    writer w[3] = {{g_nj, 40, 0}, {g_farm, 40, 0}, {g_nat, 10, 0}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&t[i], NULL, write_audit, &w[i]), 0);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 3; i++) assert_int_equal(w[i].failed, 0);
    store_conn *c = store_conn_get(g_db, NULL);
    int64_t n = 0;
    assert_int_equal(store_get_int(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'test.write' AND part = $1",
                                   SV_ARGS(SV_I(g_js)), &n, NULL), 0);
    assert_int_equal(n, 40);
    assert_int_equal(store_get_int(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'test.write' AND part = $1",
                                   SV_ARGS(SV_I(g_nx)), &n, NULL), 0);
    assert_int_equal(n, 40);
    chain_report rep;
    gh_err e;
    assert_int_equal(audit_verify(c, g_cfg.chain_key, NULL, &rep, &e), 0);
    assert_true(rep.partitions >= 3);
    assert_int_equal(rep.broken, 0);
    assert_int_equal(strlen(rep.root), 64);
    chain_report_free(&rep);
}

static void test_ledger_batch_over_two_provinces(void **s)
{
    (void)s;
    gh_ctx x = ctx();
    gh_err e;
    int64_t js_bank, js_income, nx_bank, nx_income;
    assert_int_equal(ledger_account(x.db, g_js, "bank", &js_bank, &e), 0);
    assert_int_equal(ledger_account(x.db, g_js, "fee_income", &js_income, &e), 0);
    assert_int_equal(ledger_account(x.db, g_farm, "bank", &nx_bank, &e), 0);
    assert_int_equal(ledger_account(x.db, g_farm, "fee_income", &nx_income, &e), 0);
    /* 宁夏 first: the batch still takes the heads in ascending order */
    ledger_leg legs[3] = {
        {.debit_account = nx_bank, .credit_account = nx_income, .amount_fen = 300, .idem_key = "two:1", .ref_type = "manual"},
        {.debit_account = js_bank, .credit_account = js_income, .amount_fen = 200, .idem_key = "two:2", .ref_type = "manual"},
        {.debit_account = nx_bank, .credit_account = nx_income, .amount_fen = 100, .idem_key = "two:3", .ref_type = "manual"},
    };
    int64_t ids[3];
    assert_int_equal(ledger_post(&x, "two-provinces", legs, 3, ids, NULL, &e), 0);
    int64_t p = -1;
    assert_int_equal(store_get_int(x.db, "SELECT part FROM ledger_transfers WHERE id = $1", SV_ARGS(SV_I(ids[0])), &p, NULL), 0);
    assert_int_equal(p, g_nx);
    assert_int_equal(store_get_int(x.db, "SELECT part FROM ledger_transfers WHERE id = $1", SV_ARGS(SV_I(ids[1])), &p, NULL), 0);
    assert_int_equal(p, g_js);
    json_t *rep = NULL;
    int rc = ledger_check(x.db, g_cfg.chain_key, NULL, &rep, &e);
    if (rc) {
        char *d = json_dumps(rep, 0);
        fprintf(stderr, "ledger check: %s\n", d);
        free(d);
    }
    assert_int_equal(rc, 0); /* batches_whole holds per partition */
    json_decref(rep);
}

/* ---- the verifier on made-up rows ---- */

typedef struct row {
    int64_t part, seq;
    const char *prev, *computed, *stored;
} row;

/* The made-up rows name their hashes with short words: the row's body is
 * the word computed, its stored hash the keyed link of the word stored (so
 * computed == stored is an intact row), a prev or a head's hash the keyed
 * link of its word in the same partition. */
static void named(int64_t part, const char *word, char out[65])
{
    if (strcmp(word, CHAIN_ZERO) == 0) snprintf(out, 65, "%s", word);
    else chain_link(g_cfg.chain_key, part, word, strlen(word), out);
}

/* Replace the audit heads (keyed from 1, with valid MACs), run the
 * verifier over rows with the checkpoint entries t, return its result. */
static int run_check_t(const chain_head *heads, int nh, const row *rows, int nr, const chain_targets *t,
                       chain_report *rep, gh_err *e)
{
    store_conn *c = store_conn_get(g_db, NULL);
    assert_int_equal(store_exec(c, "DELETE FROM audit_heads", SV_NONE, NULL, NULL), 0);
    for (int i = 0; i < nh; i++) {
        char h[65], mac[65];
        named(heads[i].part, heads[i].hash, h);
        chain_head_mac(g_cfg.chain_key, &chain_audit, heads[i].part, heads[i].seq, h, 1, mac);
        assert_int_equal(store_exec(c, "INSERT INTO audit_heads (part, seq, hash, keyed_from, mac) VALUES ($1, $2, $3, 1, $4)",
                                    SV_ARGS(SV_I(heads[i].part), SV_I(heads[i].seq), SV_T(h), SV_T(mac)), NULL, NULL),
                         0);
    }
    chain_check ck;
    assert_int_equal(chain_check_begin(c, &chain_audit, g_cfg.chain_key, t, &ck, rep, e), 0);
    for (int i = 0; i < nr; i++) {
        char prev[65], stored[65];
        named(rows[i].part, rows[i].prev, prev);
        named(rows[i].part, rows[i].stored, stored);
        chain_check_row(&ck, rows[i].part, rows[i].seq, prev, rows[i].computed, strlen(rows[i].computed), stored);
    }
    return chain_check_end(c, &ck, e);
}

static int run_check(const chain_head *heads, int nh, const row *rows, int nr, chain_report *rep, gh_err *e)
{
    return run_check_t(heads, nh, rows, nr, NULL, rep, e);
}

static json_t *part_report(const chain_report *rep, int64_t part)
{
    size_t i;
    json_t *p;
    json_array_foreach(rep->parts, i, p)
        if (json_integer_value(json_object_get(p, "partition")) == part) return p;
    return NULL;
}

static const char *code_of(const chain_report *rep, int64_t part)
{
    json_t *p = part_report(rep, part);
    return p ? json_string_value(json_object_get(p, "code")) : "(no partition)";
}

#define Z CHAIN_ZERO

static void test_verifier(void **s)
{
    (void)s;
    chain_report rep;
    gh_err e;
    /* intact: two partitions, and an empty one with a zero head */
    chain_head ok_heads[3] = {{0, 0, Z}, {g_js, 2, "b"}, {g_nx, 1, "x"}};
    row ok_rows[3] = {{g_js, 1, Z, "a", "a"}, {g_js, 2, "a", "b", "b"}, {g_nx, 1, Z, "x", "x"}};
    assert_int_equal(run_check(ok_heads, 3, ok_rows, 3, &rep, &e), 0);
    assert_int_equal(rep.rows, 3);
    assert_int_equal(rep.partitions, 3);
    char want[65];
    chain_head named_heads[3];
    for (int i = 0; i < 3; i++) {
        named_heads[i] = ok_heads[i];
        named(ok_heads[i].part, ok_heads[i].hash, named_heads[i].hash);
    }
    chain_root(named_heads, 3, want);
    assert_string_equal(rep.root, want);
    assert_string_equal(json_string_value(json_object_get(part_report(&rep, g_js), "name")), "江苏省总工会");
    chain_report_free(&rep);

    /* a gap in 江苏, a changed row in 宁夏: both named, the first in e */
    chain_head h2[2] = {{g_js, 3, "c"}, {g_nx, 2, "y"}};
    row r2[4] = {{g_js, 1, Z, "a", "a"}, {g_js, 3, "b", "c", "c"}, {g_nx, 1, Z, "x", "x"}, {g_nx, 2, "x", "y2", "y"}};
    assert_int_equal(run_check(h2, 2, r2, 4, &rep, &e), ERR_CONFLICT);
    assert_int_equal(rep.broken, 2);
    assert_string_equal(code_of(&rep, g_js), "audit_chain_gap");
    assert_string_equal(code_of(&rep, g_nx), "audit_row_altered");
    assert_string_equal(e.code, g_js < g_nx ? "audit_chain_gap" : "audit_row_altered");
    assert_non_null(strstr(e.message, "另有分区也有问题"));
    char name[96];
    snprintf(name, sizeof name, "分区 %lld（江苏省总工会）第 2 条缺失", (long long)g_js);
    assert_non_null(strstr(json_string_value(json_object_get(part_report(&rep, g_js), "problem")), name));
    chain_report_free(&rep);

    /* two rows swapped: the first of them no longer follows its predecessor */
    chain_head h3[1] = {{g_js, 3, "c"}};
    row r3[3] = {{g_js, 1, Z, "a", "a"}, {g_js, 2, "b", "c'", "c"}, {g_js, 3, "a", "b'", "b"}};
    assert_int_equal(run_check(h3, 1, r3, 3, &rep, &e), ERR_CONFLICT);
    assert_string_equal(code_of(&rep, g_js), "audit_chain_broken");
    assert_int_equal(json_integer_value(json_object_get(part_report(&rep, g_js), "bad_seq")), 2);
    chain_report_free(&rep);

    /* the tail cut off; a head changed; rows without a head; rows beyond the head */
    chain_head h4[3] = {{0, 2, "b"}, {g_js, 1, "zzz"}, {g_nx, 1, "x"}};
    row r4[5] = {{0, 1, Z, "a", "a"}, {g_js, 1, Z, "j", "j"}, {g_nj, 1, Z, "n", "n"},
                 {g_nx, 1, Z, "x", "x"}, {g_nx, 2, "x", "y", "y"}};
    assert_int_equal(run_check(h4, 3, r4, 5, &rep, &e), ERR_CONFLICT);
    assert_string_equal(code_of(&rep, 0), "audit_chain_truncated");
    assert_string_equal(code_of(&rep, g_js), "audit_head_mismatch");
    assert_string_equal(code_of(&rep, g_nj), "audit_partition_unknown");
    assert_string_equal(code_of(&rep, g_nx), "audit_head_mismatch");
    assert_int_equal(rep.broken, 4);
    assert_int_equal(rep.partitions, 4);
    assert_non_null(strstr(e.message, "全国及无所属组织"));
    chain_report_free(&rep);

    /* a head for a partition without rows must be at 0 */
    chain_head h5[1] = {{g_nx, 4, "x"}};
    assert_int_equal(run_check(h5, 1, NULL, 0, &rep, &e), ERR_CONFLICT);
    assert_string_equal(code_of(&rep, g_nx), "audit_chain_truncated");
    chain_report_free(&rep);
}

/* ---- keyed links, head MACs and checkpoints ---- */

static int has_problem(const chain_report *rep, int64_t part, const char *code)
{
    json_t *p = part_report(rep, part);
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(p, "problems"), i, q)
        if (strcmp(json_string_value(json_object_get(q, "code")), code) == 0) return 1;
    return 0;
}

typedef struct krow {
    const char *word;
    int keyed; /* 1: the platform wrote it with the key; 0: plain (before keying) */
    int forge; /* 1: recomputed with plain SHA-256 by someone without the key */
} krow;

/* A chain of rows in part: bodies "word|prev", links plain or keyed. */
static void build(int64_t part, const krow *r, int n, char bodies[][160], char prevs[][65], char hashes[][65])
{
    char prev[65] = CHAIN_ZERO;
    for (int i = 0; i < n; i++) {
        snprintf(bodies[i], 160, "%d|%s|%s", i + 1, r[i].word, prev);
        chain_link(r[i].keyed && !r[i].forge ? g_cfg.chain_key : NULL, part, bodies[i], strlen(bodies[i]), hashes[i]);
        snprintf(prevs[i], 65, "%s", prev);
        snprintf(prev, 65, "%s", hashes[i]);
    }
}

/* One partition's head (mac: NULL a valid one, "" none) and rows. */
static int run_keyed(int64_t part, int n, char bodies[][160], char prevs[][65], char hashes[][65], int64_t head_seq,
                     const char *head_hash, int64_t kf, const char *mac, const unsigned char *key, chain_report *rep,
                     gh_err *e)
{
    store_conn *c = store_conn_get(g_db, NULL);
    assert_int_equal(store_exec(c, "DELETE FROM audit_heads", SV_NONE, NULL, NULL), 0);
    char good[65];
    chain_head_mac(g_cfg.chain_key, &chain_audit, part, head_seq, head_hash, kf, good);
    assert_int_equal(store_exec(c, "INSERT INTO audit_heads (part, seq, hash, keyed_from, mac) VALUES ($1, $2, $3, $4, $5)",
                                SV_ARGS(SV_I(part), SV_I(head_seq), SV_T(head_hash), SV_IZ(kf),
                                        !mac ? SV_T(good) : mac[0] ? SV_T(mac) : SV_NULLV),
                                NULL, NULL),
                     0);
    chain_check ck;
    assert_int_equal(chain_check_begin(c, &chain_audit, key, NULL, &ck, rep, e), 0);
    for (int i = 0; i < n; i++) chain_check_row(&ck, part, i + 1, prevs[i], bodies[i], strlen(bodies[i]), hashes[i]);
    return chain_check_end(c, &ck, e);
}

static void test_keyed_verifier(void **s)
{
    (void)s;
    chain_report rep;
    gh_err e;
    char bodies[4][160], prevs[4][65], hashes[4][65];

    /* a mixed chain: two rows from before keying, two keyed ones */
    krow mixed[4] = {{"old1", 0, 0}, {"old2", 0, 0}, {"new3", 1, 0}, {"new4", 1, 0}};
    build(g_js, mixed, 4, bodies, prevs, hashes);
    assert_int_equal(run_keyed(g_js, 4, bodies, prevs, hashes, 4, hashes[3], 3, NULL, g_cfg.chain_key, &rep, &e), 0);
    assert_int_equal(rep.rows, 4);
    assert_int_equal(rep.unverified, 0);
    chain_report_free(&rep);
    /* without the key: links and the plain rows checked, the keyed ones counted */
    assert_int_equal(run_keyed(g_js, 4, bodies, prevs, hashes, 4, hashes[3], 3, NULL, NULL, &rep, &e), 0);
    assert_int_equal(rep.unverified, 2);
    chain_report_free(&rep);

    /* row 3 edited, rows 3 and 4 re-hashed with plain SHA-256, the head
     * moved along: forged hashes, and a head MAC that no longer holds */
    krow forged[4] = {{"old1", 0, 0}, {"old2", 0, 0}, {"NEW3", 1, 1}, {"new4", 1, 1}};
    char fb[4][160], fp[4][65], fh[4][65];
    build(g_js, forged, 4, fb, fp, fh);
    char oldmac[65];
    chain_head_mac(g_cfg.chain_key, &chain_audit, g_js, 4, hashes[3], 3, oldmac);
    assert_int_equal(run_keyed(g_js, 4, fb, fp, fh, 4, fh[3], 3, oldmac, g_cfg.chain_key, &rep, &e), ERR_CONFLICT);
    assert_string_equal(e.code, "audit_hash_forged");
    assert_non_null(strstr(e.message, "第 3 条的摘要是伪造的"));
    assert_true(has_problem(&rep, g_js, "audit_head_forged"));
    assert_int_equal(json_integer_value(json_object_get(part_report(&rep, g_js), "bad_seq")), 3);
    chain_report_free(&rep);

    /* the same rewrite passed off as rows from before keying: keyed_from
     * moved past them under the old MAC, or the MAC cleared */
    assert_int_equal(run_keyed(g_js, 4, fb, fp, fh, 4, fh[3], 5, oldmac, g_cfg.chain_key, &rep, &e), ERR_CONFLICT);
    assert_string_equal(code_of(&rep, g_js), "audit_head_forged");
    chain_report_free(&rep);
    assert_int_equal(run_keyed(g_js, 4, fb, fp, fh, 4, fh[3], 0, "", g_cfg.chain_key, &rep, &e), ERR_CONFLICT);
    assert_true(has_problem(&rep, g_js, "audit_unsealed"));
    chain_report_free(&rep);

    /* the newest row deleted and the head rolled back to row 3: the MAC
     * of that head was never written, so it cannot be made */
    assert_int_equal(run_keyed(g_js, 3, bodies, prevs, hashes, 3, hashes[2], 3, oldmac, g_cfg.chain_key, &rep, &e),
                     ERR_CONFLICT);
    assert_string_equal(code_of(&rep, g_js), "audit_head_forged");
    chain_report_free(&rep);
}

static void test_checkpoint_targets(void **s)
{
    (void)s;
    chain_report rep;
    gh_err e;
    chain_head heads[1] = {{g_js, 2, "b"}};
    row rows[2] = {{g_js, 1, Z, "a", "a"}, {g_js, 2, "a", "b", "b"}};
    chain_targets t = {0};
    chain_target ok = {.part = g_js, .seq = 2, .keyed_from = 1, .line = 1, .ts = "2026-01-01T00:00:00.000Z"};
    named(g_js, "b", ok.hash);
    assert_int_equal(chain_targets_add(&t, &ok), 0);
    ok.line = 2; /* the same entry signed again: kept once */
    assert_int_equal(chain_targets_add(&t, &ok), 0);
    chain_targets_sort(&t);
    assert_int_equal(t.n, 1);
    assert_int_equal(run_check_t(heads, 1, rows, 2, &t, &rep, &e), 0);
    assert_int_equal(rep.targets, 1);
    chain_report_free(&rep);

    /* a later checkpoint saw row 3 (since deleted, head rolled back with
     * a kept copy of its row), one saw another row 2, one another
     * keyed_from, and 宁夏 had rows that are all gone */
    chain_target later = {.part = g_js, .seq = 3, .keyed_from = 1, .line = 3, .ts = "2026-01-02T00:00:00.000Z"};
    named(g_js, "c", later.hash);
    chain_target other = {.part = g_js, .seq = 2, .keyed_from = 1, .line = 4, .ts = "2026-01-03T00:00:00.000Z"};
    named(g_js, "b2", other.hash);
    chain_target kf = {.part = g_js, .seq = 1, .keyed_from = 2, .line = 5, .ts = "2026-01-04T00:00:00.000Z"};
    named(g_js, "a", kf.hash);
    chain_target gone = {.part = g_nx, .seq = 7, .keyed_from = 1, .line = 6, .ts = "2026-01-05T00:00:00.000Z"};
    named(g_nx, "g", gone.hash);
    chain_targets_add(&t, &later);
    chain_targets_add(&t, &other);
    chain_targets_add(&t, &kf);
    chain_targets_add(&t, &gone);
    chain_targets_sort(&t);
    assert_int_equal(run_check_t(heads, 1, rows, 2, &t, &rep, &e), ERR_CONFLICT);
    assert_true(has_problem(&rep, g_js, "audit_checkpoint_missing_rows"));
    assert_true(has_problem(&rep, g_js, "audit_checkpoint_rolled_back"));
    assert_true(has_problem(&rep, g_js, "audit_checkpoint_mismatch"));
    assert_true(has_problem(&rep, g_js, "audit_checkpoint_keyed_from"));
    assert_true(has_problem(&rep, g_nx, "audit_checkpoint_missing_rows"));
    assert_non_null(strstr(json_string_value(json_object_get(part_report(&rep, g_nx), "problem")), "整个分区不见了"));
    assert_int_equal(rep.broken, 2);
    chain_report_free(&rep);
    chain_targets_free(&t);
}

static void test_checkpoint_file(void **s)
{
    (void)s;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    char *line = NULL;
    json_t *cp = NULL;
    assert_int_equal(checkpoint_make(c, &g_cfg, &line, &cp, &e), 0);
    assert_non_null(strstr(line, "\"sig\":\""));
    char path[96];
    snprintf(path, sizeof path, "/tmp/gh-test-checkpoints-%d.jsonl", (int)getpid());
    unlink(path);
    assert_int_equal(checkpoint_append(path, line, &e), 0);
    /* a forged line: a partition's seq changed after signing */
    json_t *f = json_deep_copy(cp);
    json_t *p0 = json_array_get(json_object_get(json_object_get(f, "audit"), "parts"), 0);
    json_array_set_new(p0, 1, json_integer(json_integer_value(json_array_get(p0, 1)) + 1));
    char *fl = json_dumps(f, JSON_COMPACT);
    assert_int_equal(checkpoint_append(path, fl, &e), 0);
    /* a line signed with another key file */
    gh_config other = g_cfg;
    other.hash_key[3] ^= 0x40;
    chain_derive_keys(&other);
    memcpy(other.chain_key, g_cfg.chain_key, 32); /* signs with its own key, checks heads with ours */
    char *ol = NULL;
    assert_int_equal(checkpoint_make(c, &other, &ol, NULL, &e), 0);
    assert_int_equal(checkpoint_append(path, ol, &e), 0);
    assert_int_equal(checkpoint_append(path, "not json", &e), 0);
    /* a new audit row, then the platform's next checkpoint */
    gh_ctx x = ctx();
    assert_int_equal(audit_record(&x, "test.after", "org", g_nj, g_nj, "ok", NULL, &e), 0);
    char *l2 = NULL;
    assert_int_equal(checkpoint_make(c, &g_cfg, &l2, NULL, &e), 0);
    assert_int_equal(checkpoint_append(path, l2, &e), 0);

    chain_targets ta = {0}, tl = {0};
    json_t *problems = json_array();
    int lines = 0, valid = 0;
    assert_int_equal(checkpoint_load(path, g_cfg.sign_pk, &ta, &tl, &lines, &valid, problems, &e), 0);
    assert_int_equal(lines, 5);
    assert_int_equal(valid, 2);
    assert_int_equal(json_array_size(problems), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(problems, 0), "code")), "checkpoint_bad_signature");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(problems, 0), "line")), 2);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(problems, 1), "problem")), "不是平台的公钥"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(problems, 2), "code")), "checkpoint_malformed");
    assert_true(ta.n > 0 && tl.n > 0);
    /* the database still holds everything both checkpoints saw */
    chain_report rep;
    assert_int_equal(audit_verify(c, g_cfg.chain_key, &ta, &rep, &e), 0);
    assert_int_equal(rep.targets, ta.n);
    chain_report_free(&rep);
    json_t *lrep = NULL;
    assert_int_equal(ledger_check(c, g_cfg.chain_key, &tl, &lrep, &e), 0);
    json_decref(lrep);
    /* a head whose MAC fails is not signed */
    assert_int_equal(store_exec(c, "UPDATE audit_heads SET mac = 'x' WHERE part = $1", SV_ARGS(SV_I(g_js)), NULL, NULL), 0);
    char *l3 = NULL;
    assert_int_equal(checkpoint_make(c, &g_cfg, &l3, NULL, &e), ERR_CONFLICT);
    assert_string_equal(e.code, "checkpoint_refused");
    assert_null(l3);

    chain_targets_free(&ta);
    chain_targets_free(&tl);
    json_decref(problems);
    json_decref(f);
    json_decref(cp);
    free(fl);
    free(ol);
    free(l2);
    free(line);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_of_org),
        cmocka_unit_test(test_link_and_root),
        cmocka_unit_test(test_two_provinces_at_once),
        cmocka_unit_test(test_ledger_batch_over_two_provinces),
        cmocka_unit_test(test_checkpoint_file),
        cmocka_unit_test(test_verifier), /* these last: they replace the audit heads */
        cmocka_unit_test(test_keyed_verifier),
        cmocka_unit_test(test_checkpoint_targets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

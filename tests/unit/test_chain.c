/* test_chain.c — the partitioned hash chains (domain/core/chain.c) on a real
 * SQLite database: which partition an org belongs to, the link hash and the
 * root, audit entries written from two threads in two provinces at once,
 * a ledger batch over two provinces, and the verifier's verdicts on gaps,
 * swapped and altered rows, cut-off tails, changed heads and rows without a
 * head, each named by partition. */
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
    chain_link(0, body, strlen(body), h0);
    crypto_sha256_hex(body, strlen(body), want);
    assert_string_equal(h0, want); /* partition 0 hashes as before partitioning */
    chain_link(5, body, strlen(body), h5);
    crypto_sha256_hex("p5|7|rest-of-row|prev", strlen("p5|7|rest-of-row|prev"), want);
    assert_string_equal(h5, want); /* other partitions bind their number */
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
    assert_int_equal(audit_verify(c, &rep, &e), 0);
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
    int rc = ledger_check(x.db, &rep, &e);
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

/* Replace the audit heads, run the verifier over rows, return its result. */
static int run_check(const chain_head *heads, int nh, const row *rows, int nr, chain_report *rep, gh_err *e)
{
    store_conn *c = store_conn_get(g_db, NULL);
    assert_int_equal(store_exec(c, "DELETE FROM audit_heads", SV_NONE, NULL, NULL), 0);
    for (int i = 0; i < nh; i++)
        assert_int_equal(store_exec(c, "INSERT INTO audit_heads (part, seq, hash) VALUES ($1, $2, $3)",
                                    SV_ARGS(SV_I(heads[i].part), SV_I(heads[i].seq), SV_T(heads[i].hash)), NULL, NULL), 0);
    chain_check ck;
    assert_int_equal(chain_check_begin(c, &chain_audit, &ck, rep, e), 0);
    for (int i = 0; i < nr; i++) chain_check_row(&ck, rows[i].part, rows[i].seq, rows[i].prev, rows[i].computed, rows[i].stored);
    return chain_check_end(c, &ck, e);
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
    chain_root(ok_heads, 3, want);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_of_org),
        cmocka_unit_test(test_link_and_root),
        cmocka_unit_test(test_two_provinces_at_once),
        cmocka_unit_test(test_ledger_batch_over_two_provinces),
        cmocka_unit_test(test_verifier), /* last: it replaces the audit heads */
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

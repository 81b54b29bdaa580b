/* test_ledger.c — the ledger through its C API on a real SQLite database:
 * posting, idempotent replays, batches all-or-none, reversals once,
 * two-phase holds, and `ledger check` catching rows changed behind its back. */
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

#include "domain/core/ledger.h"
#include "domain/org/org.h"

static store *g_db;
static gh_actor g_actor;
static gh_config g_cfg;
static int64_t g_org, g_bank, g_income, g_expense;

static gh_ctx ctx(void)
{
    gh_ctx x = {store_conn_get(g_db, NULL), &g_actor, &g_cfg};
    return x;
}

static int setup(void **s)
{
    (void)s;
    gh_err e;
    if (!(g_db = testdb_open("ledger", 1))) return -1;
    actor_system(&g_actor);
    gh_ctx x = ctx();
    json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "name", "测试省总工会", "level", "province", "kind", "regional",
                          "region_code", "320000");
    json_t *o = NULL;
    if (org_create(&x, b, &o, &e)) return -1;
    g_org = json_integer_value(json_object_get(o, "id"));
    json_decref(o);
    json_decref(b);
    if (ledger_account(x.db, g_org, "bank", &g_bank, &e) || ledger_account(x.db, g_org, "fee_income", &g_income, &e) ||
        ledger_account(x.db, g_org, "refund_expense", &g_expense, &e))
        return -1;
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    testdb_close(g_db);
    return 0;
}

static int64_t balance(int64_t acct)
{
    ledger_balance b;
    ledger_get_balance(store_conn_get(g_db, NULL), acct, &b, NULL);
    return b.debit_fen - b.credit_fen;
}

static void check_ok(void)
{
    json_t *rep = NULL;
    gh_err e;
    int rc = ledger_check(store_conn_get(g_db, NULL), g_cfg.chain_key, NULL, &rep, &e);
    if (rc) {
        char *s = json_dumps(rep, 0);
        fprintf(stderr, "ledger check: %s\n", s);
        free(s);
    }
    json_decref(rep);
    assert_int_equal(rc, 0);
}

static void test_accounts(void **s)
{
    (void)s;
    gh_err e;
    int64_t again = 0;
    assert_int_equal(ledger_account(store_conn_get(g_db, NULL), g_org, "bank", &again, &e), 0);
    assert_int_equal(again, g_bank); /* created once */
    assert_int_equal(ledger_account(store_conn_get(g_db, NULL), g_org, "no_such", &again, &e), ERR_INVALID);
}

static void test_post_and_replay(void **s)
{
    (void)s;
    gh_ctx x = ctx();
    gh_err e;
    ledger_leg l = {.debit_account = g_bank, .credit_account = g_income, .amount_fen = 12345, .idem_key = "pay:1",
                    .ref_type = "manual"};
    int64_t id1 = 0, id2 = 0;
    int replayed = -1;
    assert_int_equal(ledger_post(&x, "b1", &l, 1, &id1, &replayed, &e), 0);
    assert_int_equal(replayed, 0);
    assert_int_equal(balance(g_bank), 12345);
    assert_int_equal(balance(g_income), -12345);
    /* the same key and content again: the first transfer, no new money */
    assert_int_equal(ledger_post(&x, "b1-retry", &l, 1, &id2, &replayed, &e), 0);
    assert_int_equal(id2, id1);
    assert_int_equal(replayed, 1);
    assert_int_equal(balance(g_bank), 12345);
    /* the same key with other content: refused */
    l.amount_fen = 999;
    assert_int_equal(ledger_post(&x, "b1-bad", &l, 1, NULL, NULL, &e), ERR_CONFLICT);
    assert_string_equal(e.code, "idempotency_mismatch");
    check_ok();
}

static void test_bad_legs(void **s)
{
    (void)s;
    gh_ctx x = ctx();
    gh_err e;
    ledger_leg l = {.debit_account = g_bank, .credit_account = g_income, .amount_fen = 0, .idem_key = "zero",
                    .ref_type = "manual"};
    assert_int_equal(ledger_post(&x, "b", &l, 1, NULL, NULL, &e), ERR_INVALID);
    l.amount_fen = -5;
    assert_int_equal(ledger_post(&x, "b", &l, 1, NULL, NULL, &e), ERR_INVALID);
    l.amount_fen = 5;
    l.credit_account = g_bank;
    assert_int_equal(ledger_post(&x, "b", &l, 1, NULL, NULL, &e), ERR_INVALID);
    l.credit_account = g_income;
    l.idem_key = "";
    assert_int_equal(ledger_post(&x, "b", &l, 1, NULL, NULL, &e), ERR_INVALID);
}

static void test_batch_all_or_none(void **s)
{
    (void)s;
    gh_ctx x = ctx();
    gh_err e;
    int64_t before = balance(g_bank);
    ledger_leg legs[2] = {
        {.debit_account = g_bank, .credit_account = g_income, .amount_fen = 100, .idem_key = "batch:a", .ref_type = "manual"},
        {.debit_account = 999999, .credit_account = g_income, .amount_fen = 100, .idem_key = "batch:b", .ref_type = "manual"},
    };
    assert_int_not_equal(ledger_post(&x, "batch-x", legs, 2, NULL, NULL, &e), 0);
    assert_int_equal(balance(g_bank), before); /* the first leg did not stay */
    legs[1].debit_account = g_expense;
    assert_int_equal(ledger_post(&x, "batch-x", legs, 2, NULL, NULL, &e), 0);
    assert_int_equal(balance(g_bank), before + 100);
    check_ok();
}

static void test_reverse_once(void **s)
{
    (void)s;
    gh_ctx x = ctx();
    gh_err e;
    ledger_leg l = {.debit_account = g_expense, .credit_account = g_bank, .amount_fen = 500, .idem_key = "rev:orig",
                    .ref_type = "manual"};
    int64_t id = 0, rid = 0, rid2 = 0, rrid = 0;
    int64_t before = balance(g_bank);
    assert_int_equal(ledger_post(&x, "rev", &l, 1, &id, NULL, &e), 0);
    assert_int_equal(ledger_reverse(&x, id, "rev:1", "录错了", &rid, &e), 0);
    assert_int_equal(balance(g_bank), before);
    /* a retry of the same reversal is the same reversal */
    assert_int_equal(ledger_reverse(&x, id, "rev:1", "录错了", &rid2, &e), 0);
    assert_int_equal(rid2, rid);
    /* a second, different reversal is refused */
    assert_int_equal(ledger_reverse(&x, id, "rev:2", "再冲一次", NULL, &e), ERR_CONFLICT);
    assert_string_equal(e.code, "already_reversed");
    /* the reversal itself may be reversed once, not twice */
    assert_int_equal(ledger_reverse(&x, rid, "rev:r1", "冲销错了", &rrid, &e), 0);
    assert_int_equal(ledger_reverse(&x, rid, "rev:r2", "又一次", NULL, &e), ERR_CONFLICT);
    assert_int_equal(balance(g_bank), before - 500);
    check_ok();
}

static void test_two_phase(void **s)
{
    (void)s;
    gh_ctx x = ctx();
    gh_err e;
    ledger_leg hold = {.debit_account = g_expense, .credit_account = g_bank, .amount_fen = 1000, .idem_key = "hold:1",
                       .ref_type = "manual", .pending = 1};
    int64_t pid = 0, post = 0;
    int64_t before = balance(g_bank);
    assert_int_equal(ledger_post(&x, "hold", &hold, 1, &pid, NULL, &e), 0);
    assert_int_equal(balance(g_bank), before); /* held, not moved */
    assert_int_equal(ledger_post_pending(&x, pid, 1500, "hold:1:post", NULL, &e), ERR_INVALID);
    assert_int_equal(ledger_post_pending(&x, pid, 800, "hold:1:post", &post, &e), 0);
    assert_int_equal(balance(g_bank), before - 800);
    assert_int_equal(ledger_void_pending(&x, pid, "hold:1:void", NULL, &e), ERR_CONFLICT);
    assert_int_equal(ledger_reverse(&x, pid, "hold:rev", NULL, NULL, &e), ERR_CONFLICT);
    hold.idem_key = "hold:2";
    assert_int_equal(ledger_post(&x, "hold2", &hold, 1, &pid, NULL, &e), 0);
    assert_int_equal(ledger_void_pending(&x, pid, "hold:2:void", NULL, &e), 0);
    assert_int_equal(balance(g_bank), before - 800);
    check_ok();
}

static void test_check_catches_tampering(void **s)
{
    (void)s;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    json_t *rep = NULL;
    /* an amount changed outside the platform */
    assert_int_equal(store_exec(c, "UPDATE ledger_transfers SET amount_fen = amount_fen + 1 WHERE idem_key = 'pay:1'",
                                SV_NONE, NULL, &e), 0);
    assert_int_equal(ledger_check(c, g_cfg.chain_key, NULL, &rep, &e), ERR_CONFLICT);
    int hash_bad = 0, cache_bad = 0;
    size_t i;
    json_t *it;
    json_array_foreach(rep, i, it) {
        if (!json_is_true(json_object_get(it, "ok"))) {
            if (strcmp(json_string_value(json_object_get(it, "check")), "hash_chain") == 0) hash_bad = 1;
            if (strcmp(json_string_value(json_object_get(it, "check")), "cached_balances") == 0) cache_bad = 1;
        }
    }
    assert_true(hash_bad);
    assert_true(cache_bad);
    json_decref(rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_post_and_replay),
        cmocka_unit_test(test_bad_legs),
        cmocka_unit_test(test_batch_all_or_none),
        cmocka_unit_test(test_reverse_once),
        cmocka_unit_test(test_two_phase),
        cmocka_unit_test(test_check_catches_tampering),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

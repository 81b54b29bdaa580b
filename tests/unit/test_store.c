/* test_store.c — the storage layer on a real SQLite file: $N parameters in
 * any order, nested transactions, cursors on the same statement opened
 * twice, constraint errors mapped to stable codes, path-range helpers. */
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

#include "store/store.h"

static store *g_db;

static int setup(void **s)
{
    (void)s;
    gh_err e;
    if (!(g_db = testdb_open("store", 0))) return -1;
    store_conn *c = store_conn_get(g_db, &e);
    return store_exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER)", SV_NONE,
                      NULL, &e);
}

static int teardown(void **s)
{
    (void)s;
    testdb_close(g_db);
    return 0;
}

static void test_params_in_any_order(void **s)
{
    (void)s;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    /* $2 appears before $1: values must still land by number */
    assert_int_equal(store_exec(c, "INSERT INTO t (n, name) VALUES ($2, $1)", SV_ARGS(SV_T("甲"), SV_I(7)), NULL, &e), 0);
    int64_t n = 0;
    assert_int_equal(store_get_int(c, "SELECT n FROM t WHERE name = $1", SV_ARGS(SV_T("甲")), &n, &e), 0);
    assert_int_equal(n, 7);
    /* the same parameter twice */
    assert_int_equal(store_get_int(c, "SELECT COUNT(*) FROM t WHERE name = $1 OR name = $1", SV_ARGS(SV_T("甲")), &n, &e), 0);
    assert_int_equal(n, 1);
    /* a missing parameter is a bug reported as such, not a crash */
    assert_int_equal(store_get_int(c, "SELECT COUNT(*) FROM t WHERE n = $2", SV_ARGS(SV_I(1)), &n, &e), ERR_INTERNAL);
    /* no row */
    assert_int_equal(store_get_int(c, "SELECT n FROM t WHERE name = $1", SV_ARGS(SV_T("无")), &n, &e), ERR_NOT_FOUND);
}

static void test_constraints(void **s)
{
    (void)s;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    assert_int_equal(store_exec(c, "INSERT INTO t (name, n) VALUES ($1, 1)", SV_ARGS(SV_T("乙")), NULL, &e), 0);
    assert_int_equal(store_exec(c, "INSERT INTO t (name, n) VALUES ($1, 2)", SV_ARGS(SV_T("乙")), NULL, &e), ERR_CONFLICT);
    assert_string_equal(e.code, "duplicate");
    assert_int_equal(store_exec(c, "INSERT INTO t (name, n) VALUES (NULL, 2)", SV_NONE, NULL, &e), ERR_INVALID);
    assert_string_equal(e.code, "constraint_violation");
}

static void test_nested_transactions(void **s)
{
    (void)s;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    int64_t n = 0, changes = 0;
    /* inner commit + outer commit: kept */
    assert_int_equal(store_begin(c, STORE_WRITE, &e), 0);
    assert_int_equal(store_begin(c, STORE_WRITE, &e), 0);
    assert_int_equal(store_exec(c, "INSERT INTO t (name) VALUES ('丙')", SV_NONE, &changes, &e), 0);
    assert_int_equal(changes, 1);
    assert_int_equal(store_commit(c, &e), 0);
    assert_int_equal(store_commit(c, &e), 0);
    assert_int_equal(store_get_int(c, "SELECT COUNT(*) FROM t WHERE name = '丙'", SV_NONE, &n, &e), 0);
    assert_int_equal(n, 1);
    /* inner rollback poisons the outer transaction */
    assert_int_equal(store_begin(c, STORE_WRITE, &e), 0);
    assert_int_equal(store_exec(c, "INSERT INTO t (name) VALUES ('丁')", SV_NONE, NULL, &e), 0);
    assert_int_equal(store_begin(c, STORE_WRITE, &e), 0);
    store_rollback(c);
    assert_int_not_equal(store_commit(c, &e), 0);
    assert_false(store_in_tx(c));
    assert_int_equal(store_get_int(c, "SELECT COUNT(*) FROM t WHERE name = '丁'", SV_NONE, &n, &e), 0);
    assert_int_equal(n, 0);
}

static int failing_tx(store_conn *c, void *ctx, gh_err *e)
{
    (*(int *)ctx)++;
    store_exec(c, "INSERT INTO t (name) VALUES ('戊')", SV_NONE, NULL, e);
    return err_set(e, ERR_INVALID, "nope", NULL, "故意失败");
}

static void test_store_tx_rolls_back(void **s)
{
    (void)s;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    int calls = 0;
    assert_int_equal(store_tx(c, STORE_WRITE, failing_tx, &calls, &e), ERR_INVALID);
    assert_int_equal(calls, 1); /* not retried: only ERR_RETRY is */
    int64_t n = 0;
    assert_int_equal(store_get_int(c, "SELECT COUNT(*) FROM t WHERE name = '戊'", SV_NONE, &n, &e), 0);
    assert_int_equal(n, 0);
}

static void test_same_statement_nested(void **s)
{
    (void)s;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    store_res a, b;
    const char *sql = "SELECT name FROM t ORDER BY id";
    assert_int_equal(store_query(c, &a, sql, SV_NONE, &e), 0);
    assert_int_equal(store_next(&a, &e), 1);
    /* the same SQL while the first cursor is open gets its own statement */
    assert_int_equal(store_query(c, &b, sql, SV_NONE, &e), 0);
    int rows = 0;
    while (store_next(&b, &e) > 0) rows++;
    store_done(&b);
    assert_true(rows >= 3);
    assert_non_null(store_text(&a, 0));
    assert_int_equal(store_ncols(&a), 1);
    assert_string_equal(store_colname(&a, 0), "name");
    assert_int_equal(store_coltype(&a, 0), SV_TEXT);
    store_done(&a);
    store_done(&a); /* twice is harmless */
}

static void test_helpers(void **s)
{
    (void)s;
    char hi[64];
    store_prefix_bound("/1/2/", hi, sizeof hi);
    assert_string_equal(hi, "/1/20");
    assert_true(strcmp("/1/2/35/", "/1/2/") >= 0 && strcmp("/1/2/35/", hi) < 0);
    assert_false(strcmp("/1/20/", hi) < 0); /* a sibling with a longer id is outside */
    char *p = store_like_pattern("50%_a\\b");
    assert_string_equal(p, "%50\\%\\_a\\\\b%");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params_in_any_order),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_nested_transactions),
        cmocka_unit_test(test_store_tx_rolls_back),
        cmocka_unit_test(test_same_statement_nested),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

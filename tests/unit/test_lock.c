/* test_lock.c — database-held locks: one holder at a time, renewal by the
 * holder, release only by the holder, take-over after expiry; against a real
 * SQLite database built by the real migrations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/testdb.h"

#include "domain/core/lock.h"

static store *g_db;

static int setup(void **state)
{
    (void)state;
    g_db = testdb_open("lock", 1);
    return g_db ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    testdb_close(g_db);
    return 0;
}

static void test_one_holder(void **state)
{
    (void)state;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    assert_int_equal(lock_acquire(c, "refund:2022H2", "server-a", 60, &e), 0);
    assert_int_equal(lock_acquire(c, "refund:2022H2", "server-b", 60, &e), ERR_LOCKED);
    assert_string_equal(e.code, "run_in_progress");
    /* another name is independent */
    assert_int_equal(lock_acquire(c, "refund:2023H1", "server-b", 60, &e), 0);
    /* the holder renews */
    assert_int_equal(lock_acquire(c, "refund:2022H2", "server-a", 60, &e), 0);
    /* a stranger's release changes nothing */
    assert_int_equal(lock_release(c, "refund:2022H2", "server-b", &e), 0);
    assert_int_equal(lock_acquire(c, "refund:2022H2", "server-b", 60, &e), ERR_LOCKED);
    assert_int_equal(lock_release(c, "refund:2022H2", "server-a", &e), 0);
    assert_int_equal(lock_acquire(c, "refund:2022H2", "server-b", 60, &e), 0);
}

static void test_expiry(void **state)
{
    (void)state;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    /* A holder that died: its lock ran out a second ago. */
    assert_int_equal(lock_acquire(c, "batch:x", "dead", -1, &e), 0);
    assert_int_equal(lock_acquire(c, "batch:x", "alive", 60, &e), 0);
    assert_int_equal(lock_acquire(c, "batch:x", "dead", 60, &e), ERR_LOCKED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_holder),
        cmocka_unit_test(test_expiry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

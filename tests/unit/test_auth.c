/* test_auth.c — the log-in building blocks against a real SQLite database
 * built by the real migrations: growing delays after failures (free tries,
 * doubling, ceiling, forgetting a quiet key, clearing after a success), and
 * the second factor: enrolment confirmed by a first code, a step never
 * accepted twice, recovery codes spent once, the requirement per duty. */
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
#include "base/date.h"
#include "base/totp.h"
#include "domain/auth/auth.h"
#include "domain/auth/auth_internal.h"
#include "domain/core/ratelimit.h"

static store *g_db;
static gh_config g_cfg;
static gh_actor g_actor;

static int setup(void **state)
{
    (void)state;
    if (crypto_init() != 0) return -1;
    crypto_random(g_cfg.data_key, sizeof g_cfg.data_key);
    crypto_random(g_cfg.hash_key, sizeof g_cfg.hash_key);
    g_db = testdb_open("auth", 1);
    return g_db ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    testdb_close(g_db);
    return 0;
}

static const ratelimit_backoff B = {5, 30000, 3600000, 86400000};

static void test_delays(void **state)
{
    (void)state;
    for (int n = 0; n < 5; n++) assert_int_equal(ratelimit_backoff_delay(&B, n), 0);
    assert_int_equal(ratelimit_backoff_delay(&B, 5), 30000);
    assert_int_equal(ratelimit_backoff_delay(&B, 6), 60000);
    assert_int_equal(ratelimit_backoff_delay(&B, 7), 120000);
    assert_int_equal(ratelimit_backoff_delay(&B, 11), 1920000);
    assert_int_equal(ratelimit_backoff_delay(&B, 12), 3600000); /* the ceiling */
    assert_int_equal(ratelimit_backoff_delay(&B, 1000000), 3600000);
}

static void test_backoff_in_the_database(void **state)
{
    (void)state;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    int64_t t = 1700000000000LL, wait = -1;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ratelimit_backoff_fail(c, "login:u1", &B, t + i, &wait, &e), 0);
        assert_int_equal(wait, 0);
    }
    assert_int_equal(ratelimit_backoff_wait(c, "login:u1", t + 10, &wait, &e), 0);
    assert_int_equal(wait, 0);
    assert_int_equal(ratelimit_backoff_fail(c, "login:u1", &B, t + 10, &wait, &e), 0);
    assert_int_equal(wait, 30000);
    assert_int_equal(ratelimit_backoff_wait(c, "login:u1", t + 1010, &wait, &e), 0);
    assert_int_equal(wait, 29000);
    /* past the delay, the next failure doubles it */
    assert_int_equal(ratelimit_backoff_wait(c, "login:u1", t + 40000, &wait, &e), 0);
    assert_int_equal(wait, 0);
    assert_int_equal(ratelimit_backoff_fail(c, "login:u1", &B, t + 40000, &wait, &e), 0);
    assert_int_equal(wait, 60000);
    /* other keys are untouched */
    assert_int_equal(ratelimit_backoff_wait(c, "login:u2", t + 40000, &wait, &e), 0);
    assert_int_equal(wait, 0);
    /* a day of quiet: the count starts over */
    int64_t later = t + 40000 + 86400000 + 1;
    assert_int_equal(ratelimit_backoff_fail(c, "login:u1", &B, later, &wait, &e), 0);
    assert_int_equal(wait, 0);
    int64_t n = 0;
    assert_int_equal(store_get_int(c, "SELECT failures FROM rate_backoff WHERE key = 'login:u1'", SV_NONE, &n, &e), 0);
    assert_int_equal(n, 1);
    /* a success clears it */
    assert_int_equal(ratelimit_backoff_clear(c, "login:u1", &e), 0);
    assert_int_equal(store_get_int(c, "SELECT COUNT(*) FROM rate_backoff WHERE key = 'login:u1'", SV_NONE, &n, &e), 0);
    assert_int_equal(n, 0);
}

/* A user row to hang a second factor on. */
static int64_t make_user(store_conn *c, const char *login, const char *role, unsigned duties)
{
    gh_err e;
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO users (login, display_name, role, duties, password_hash, password_changed_at, created_at,"
             " updated_at) VALUES ('%s', '%s', '%s', %u, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',"
             " '2026-01-01T00:00:00Z')",
             login, login, role, duties);
    assert_int_equal(store_exec(c, sql, SV_NONE, NULL, &e), 0);
    int64_t id = 0;
    snprintf(sql, sizeof sql, "SELECT id FROM users WHERE login = '%s'", login);
    assert_int_equal(store_get_int(c, sql, SV_NONE, &id, &e), 0);
    return id;
}

static void code_at(const char *b32, int64_t step, char out[8])
{
    unsigned char key[64];
    int n = base32_decode(b32, key, sizeof key);
    assert_true(n > 0);
    hotp_text(key, (size_t)n, (uint64_t)step, 6, out);
}

static void test_totp_factor(void **state)
{
    (void)state;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    int64_t uid = make_user(c, "totp_unit", "officer", DUTY_MEMBERSHIP);
    g_actor = (gh_actor){.user_id = uid, .role = ROLE_OFFICER, .duties = DUTY_MEMBERSHIP};
    snprintf(g_actor.login, sizeof g_actor.login, "totp_unit");
    snprintf(g_actor.client, sizeof g_actor.client, "127.0.0.1");
    gh_ctx x = {c, &g_actor, &g_cfg};
    json_t *out = NULL;
    assert_int_equal(auth_totp_begin(&x, &out, &e), 0);
    char secret[64];
    snprintf(secret, sizeof secret, "%s", json_string_value(json_object_get(out, "secret")));
    json_decref(out);
    out = NULL;
    int ok = 0;
    const char *factor = NULL;
    int64_t now = totp_step(ts_now_ms() / 1000, 30);
    char code[8];
    code_at(secret, now, code);
    /* not in force before it is confirmed */
    assert_int_equal(auth_factor_check(&x, uid, code, &ok, &factor, &e), 0);
    assert_int_equal(ok, 0);
    json_t *body = json_pack("{s:s}", "code", code);
    assert_int_equal(auth_totp_confirm(&x, body, &out, &e), 0);
    json_decref(body);
    json_t *codes = json_object_get(out, "recovery_codes");
    assert_int_equal(json_array_size(codes), 10);
    char rc0[16], rc1[16];
    snprintf(rc0, sizeof rc0, "%s", json_string_value(json_array_get(codes, 0)));
    snprintf(rc1, sizeof rc1, "%s", json_string_value(json_array_get(codes, 1)));
    json_decref(out);
    out = NULL;
    /* the confirming code was taken: it (and anything older) is refused */
    assert_int_equal(auth_factor_check(&x, uid, code, &ok, &factor, &e), 0);
    assert_int_equal(ok, 0);
    char prev[8], next[8];
    code_at(secret, now - 1, prev);
    code_at(secret, now + 1, next);
    if (strcmp(prev, code) != 0 && strcmp(prev, next) != 0) {
        assert_int_equal(auth_factor_check(&x, uid, prev, &ok, &factor, &e), 0);
        assert_int_equal(ok, 0);
    }
    /* the next step is accepted once (typed with a space, as people do) */
    char spaced[10];
    snprintf(spaced, sizeof spaced, "%.3s %s", next, next + 3);
    assert_int_equal(auth_factor_check(&x, uid, spaced, &ok, &factor, &e), 0);
    assert_int_equal(ok, 1);
    assert_string_equal(factor, "totp");
    assert_int_equal(auth_factor_check(&x, uid, next, &ok, &factor, &e), 0);
    assert_int_equal(ok, 0);
    /* a recovery code: once, in any case, with or without the hyphen */
    char upper[16];
    size_t k = 0;
    for (const char *p = rc0; *p; p++)
        if (*p != '-') upper[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    upper[k] = '\0';
    assert_int_equal(auth_factor_check(&x, uid, upper, &ok, &factor, &e), 0);
    assert_int_equal(ok, 1);
    assert_string_equal(factor, "recovery_code");
    assert_int_equal(auth_factor_check(&x, uid, rc0, &ok, &factor, &e), 0);
    assert_int_equal(ok, 0);
    /* another user's code is no good here */
    int64_t other = make_user(c, "totp_other", "officer", 0);
    assert_int_equal(auth_factor_check(&x, other, rc1, &ok, &factor, &e), 0);
    assert_int_equal(ok, 0);
    assert_int_equal(auth_factor_check(&x, uid, rc1, &ok, &factor, &e), 0);
    assert_int_equal(ok, 1);
    /* nonsense */
    assert_int_equal(auth_factor_check(&x, uid, "", &ok, &factor, &e), 0);
    assert_int_equal(ok, 0);
    assert_int_equal(auth_factor_check(&x, uid, "12345678", &ok, &factor, &e), 0);
    assert_int_equal(ok, 0);
    assert_int_equal(auth_factor_check(&x, uid, "'; DROP TABLE users; --", &ok, &factor, &e), 0);
    assert_int_equal(ok, 0);
    /* the secret is sealed at rest */
    store_res r;
    assert_int_equal(store_query(c, &r, "SELECT secret_sealed FROM user_totp WHERE user_id = $1", SV_ARGS(SV_I(uid)), &e),
                     0);
    assert_int_equal(store_next(&r, &e), 1);
    assert_null(strstr(store_text(&r, 0), secret));
    assert_int_equal(strncmp(store_text(&r, 0), "v1:", 3), 0);
    store_done(&r);
}

static void test_requirement(void **state)
{
    (void)state;
    store_conn *c = store_conn_get(g_db, NULL);
    gh_err e;
    int req = -1;
    assert_int_equal(auth_totp_required(c, ROLE_ADMIN, 0, &req, &e), 0);
    assert_int_equal(req, 0);
    gh_actor sys = {.role = ROLE_SYSTEM};
    gh_ctx x = {c, &sys, &g_cfg};
    json_t *body = json_pack("{s:b, s:b, s:b, s:b}", "admin", 1, "auditor", 0, "finance", 0, "hardship", 1);
    json_t *out = NULL;
    assert_int_equal(auth_second_factor_policy_set(&x, body, &out, &e), 0);
    json_decref(body);
    json_decref(out);
    static const struct {
        int role;
        unsigned duties;
        int want;
    } cases[] = {
        {ROLE_ADMIN, 0, 1},
        {ROLE_AUDITOR, 0, 0},
        {ROLE_OFFICER, DUTY_FINANCE, 0},
        {ROLE_OFFICER, DUTY_HARDSHIP | DUTY_MEMBERSHIP, 1},
        {ROLE_OFFICER, DUTY_MEMBERSHIP | DUTY_RETREAT, 0},
        {ROLE_MEMBER, DUTY_HARDSHIP, 0},
        {ROLE_PROVIDER, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(auth_totp_required(c, cases[i].role, cases[i].duties, &req, &e), 0);
        assert_int_equal(req, cases[i].want);
    }
    /* only an admin sets it */
    gh_actor officer = {.role = ROLE_OFFICER, .duties = DUTY_ORG, .user_id = 1};
    gh_ctx ox = {c, &officer, &g_cfg};
    body = json_pack("{s:b, s:b, s:b, s:b}", "admin", 0, "auditor", 0, "finance", 0, "hardship", 0);
    assert_int_equal(auth_second_factor_policy_set(&ox, body, &out, &e), ERR_FORBIDDEN);
    json_decref(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delays),
        cmocka_unit_test(test_backoff_in_the_database),
        cmocka_unit_test(test_totp_factor),
        cmocka_unit_test(test_requirement),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

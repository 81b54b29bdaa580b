/* test_router.c — route matching: literals and {params}, 404 against 405,
 * trailing slashes, empty segments, oversize parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/internal.h"

static int h1(http_req *r, gh_err *e) { (void)r; (void)e; return 1; }
static int h2(http_req *r, gh_err *e) { (void)r; (void)e; return 2; }
static int h3(http_req *r, gh_err *e) { (void)r; (void)e; return 3; }

static const http_route table[] = {
    {HTTP_GET, "/api/v1/orgs", h1, 0},
    {HTTP_POST, "/api/v1/orgs", h2, 0},
    {HTTP_GET, "/api/v1/members/stats", h3, 0},
    {HTTP_GET | HTTP_PATCH, "/api/v1/members/{id}", h1, 0},
    {HTTP_POST, "/api/v1/members/{id}/transfer", h2, 0},
    {HTTP_GET, "/api/v1/a/{x}/b/{y}", h3, 0},
    {0},
};
static const http_route *const tables[] = {table, NULL};

static router *rt;

static int setup(void **s)
{
    (void)s;
    return router_new(tables, &rt, NULL);
}

static int teardown(void **s)
{
    (void)s;
    router_free(rt);
    return 0;
}

static void test_literals_and_methods(void **s)
{
    (void)s;
    router_match m;
    int allowed = 0;
    assert_int_equal(router_match_path(rt, HTTP_GET, "/api/v1/orgs", &m, &allowed), 0);
    assert_ptr_equal(m.route->fn, h1);
    assert_int_equal(router_match_path(rt, HTTP_POST, "/api/v1/orgs", &m, &allowed), 0);
    assert_ptr_equal(m.route->fn, h2);
    /* wrong method: not found, but the allowed methods are reported (405) */
    assert_int_equal(router_match_path(rt, HTTP_DELETE, "/api/v1/orgs", &m, &allowed), ERR_NOT_FOUND);
    assert_int_equal(allowed, HTTP_GET | HTTP_POST);
    /* unknown path: 404, nothing allowed */
    assert_int_equal(router_match_path(rt, HTTP_GET, "/api/v1/nope", &m, &allowed), ERR_NOT_FOUND);
    assert_int_equal(allowed, 0);
}

static void test_params(void **s)
{
    (void)s;
    router_match m;
    int allowed;
    assert_int_equal(router_match_path(rt, HTTP_PATCH, "/api/v1/members/42", &m, &allowed), 0);
    assert_string_equal(router_param(&m, "id"), "42");
    assert_null(router_param(&m, "i"));
    assert_null(router_param(&m, "idx"));
    /* a literal route wins over a parameter route declared after it */
    assert_int_equal(router_match_path(rt, HTTP_GET, "/api/v1/members/stats", &m, &allowed), 0);
    assert_ptr_equal(m.route->fn, h3);
    assert_int_equal(router_match_path(rt, HTTP_GET, "/api/v1/a/1/b/two", &m, &allowed), 0);
    assert_string_equal(router_param(&m, "x"), "1");
    assert_string_equal(router_param(&m, "y"), "two");
    assert_int_equal(router_match_path(rt, HTTP_POST, "/api/v1/members/7/transfer", &m, &allowed), 0);
    assert_string_equal(router_param(&m, "id"), "7");
}

static void test_odd_paths(void **s)
{
    (void)s;
    router_match m;
    int allowed;
    assert_int_equal(router_match_path(rt, HTTP_GET, "/api/v1/orgs/", &m, &allowed), 0);
    assert_int_equal(router_match_path(rt, HTTP_GET, "/api//v1/orgs", &m, &allowed), ERR_NOT_FOUND);
    assert_int_equal(router_match_path(rt, HTTP_GET, "api/v1/orgs", &m, &allowed), ERR_NOT_FOUND);
    assert_int_equal(router_match_path(rt, HTTP_GET, "", &m, &allowed), ERR_NOT_FOUND);
    assert_int_equal(router_match_path(rt, HTTP_GET, "/api/v1/members/1/2", &m, &allowed), ERR_NOT_FOUND);
    char longp[400] = "/api/v1/members/";
    memset(longp + strlen(longp), '9', 200);
    assert_int_equal(router_match_path(rt, HTTP_GET, longp, &m, &allowed), ERR_NOT_FOUND);
    char deep[200] = "";
    for (int i = 0; i < 20; i++) strncat(deep, "/a", sizeof deep - strlen(deep) - 1);
    assert_int_equal(router_match_path(rt, HTTP_GET, deep, &m, &allowed), ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_methods),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_odd_paths),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

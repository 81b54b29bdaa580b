/* test_refund.c — unit tests for the refund rules of domain/refund that need
 * no database: the refund policy's validation, the half-year periods
 * ("2022H2"), and which enterprises qualify as small or micro (refund.c is
 * included to reach qualifies()): the tax authority's small-scale flag when
 * the policy accepts it, else headcount and revenue within an industry's
 * thresholds (or the "*" row), both figures known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/refund/refund.c"

static json_t *js(const char *text)
{
    json_error_t je;
    json_t *p = json_loads(text, 0, &je);
    if (!p) print_error("bad test JSON: %s (%s)\n", je.text, text);
    assert_non_null(p);
    return p;
}

#define POLICY_HEAD "{\"from\": \"2024-01-01\", \"to\": \"2024-12-31\", \"share\": \"all\", \"mode\": \"automatic\","

static int policy_rc(const char *text, gh_err *e)
{
    json_t *p = js(text);
    err_clear(e);
    int rc = refund_policy_validate(p, e);
    json_decref(p);
    return rc;
}

static void policy_refused(const char *text, const char *code, const char *field)
{
    gh_err e;
    if (policy_rc(text, &e) != ERR_INVALID) print_error("accepted: %s\n", text);
    assert_int_equal(e.rc, ERR_INVALID);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, field);
}

static void test_policy(void **state)
{
    (void)state;
    gh_err e;
    assert_int_equal(policy_rc(POLICY_HEAD " \"qualify\": {\"small_scale\": true}}", &e), 0);
    assert_int_equal(policy_rc(POLICY_HEAD " \"prep_fee_on_founding\": true, \"qualify\": {\"thresholds\": ["
                               "{\"industry\": \"E\", \"max_headcount\": 300, \"max_revenue_fen\": 800000000},"
                               "{\"industry\": \"*\", \"max_headcount\": 20, \"max_revenue_fen\": 100000000}]}}", &e), 0);
    /* one day is a valid policy period */
    assert_int_equal(policy_rc("{\"from\": \"2024-05-01\", \"to\": \"2024-05-01\", \"share\": \"upper\","
                               " \"mode\": \"application\", \"qualify\": {\"small_scale\": true}}", &e), 0);
    /* every part is required; the period runs forwards */
    policy_refused("{\"to\": \"2024-12-31\", \"share\": \"all\", \"mode\": \"automatic\", \"qualify\": {\"small_scale\": true}}",
                   "missing_field", "from");
    policy_refused("{\"from\": \"2024-12-31\", \"to\": \"2024-01-01\", \"share\": \"all\", \"mode\": \"automatic\","
                   " \"qualify\": {\"small_scale\": true}}", "invalid_date", "to");
    policy_refused("{\"from\": \"2024-02-30\", \"to\": \"2024-12-31\", \"share\": \"all\", \"mode\": \"automatic\","
                   " \"qualify\": {\"small_scale\": true}}", "invalid_date", "from");
    policy_refused(POLICY_HEAD " \"qualify\": {}}", "missing_field", "qualify");
    policy_refused(POLICY_HEAD " \"qualify\": {\"small_scale\": false, \"thresholds\": []}}", "missing_field", "qualify");
    policy_refused(POLICY_HEAD " \"qualify\": {\"small_scale\": true}, \"pension\": 1}", "unknown_field", "pension");
    policy_refused("{\"from\": \"2024-01-01\", \"to\": \"2024-12-31\", \"share\": \"half\", \"mode\": \"automatic\","
                   " \"qualify\": {\"small_scale\": true}}", "invalid_choice", "share");
    policy_refused("{\"from\": \"2024-01-01\", \"to\": \"2024-12-31\", \"share\": \"all\", \"mode\": \"manual\","
                   " \"qualify\": {\"small_scale\": true}}", "invalid_choice", "mode");
    /* a threshold row: industry, a positive headcount, a revenue in fen */
    policy_refused(POLICY_HEAD " \"qualify\": {\"thresholds\": [{\"industry\": \"E\", \"max_headcount\": 0,"
                   " \"max_revenue_fen\": 1}]}}", "out_of_range", "max_headcount");
    policy_refused(POLICY_HEAD " \"qualify\": {\"thresholds\": [{\"industry\": \"E\", \"max_headcount\": 5}]}}",
                   "missing_field", "max_revenue_fen");
    policy_refused(POLICY_HEAD " \"qualify\": {\"thresholds\": [{\"industry\": \"E\", \"max_headcount\": 5,"
                   " \"max_revenue_fen\": -1}]}}", "invalid_amount", "max_revenue_fen");
}

static void period_is(const char *period, const char *from, const char *to)
{
    char f[8], t[8];
    gh_err e;
    if (refund_period_parse(period, f, t, &e)) print_error("refused: %s\n", period);
    assert_int_equal(refund_period_parse(period, f, t, &e), 0);
    assert_string_equal(f, from);
    assert_string_equal(t, to);
}

static void test_period(void **state)
{
    (void)state;
    period_is("2022H1", "2022-01", "2022-06");
    period_is("2022H2", "2022-07", "2022-12");
    period_is("2022h2", "2022-07", "2022-12");
    period_is("2000H1", "2000-01", "2000-06");
    period_is("2100H2", "2100-07", "2100-12");
    const char *bad[] = {"2022H3", "2022H0", "2022Q1", "2022H", "2022H12", "22H1", "1999H2", "2101H1", "2022-H1",
                         " 2022H1", "2022H1 ", "+202H1", "", "H12022", NULL};
    for (int i = 0; bad[i]; i++) {
        char f[8] = "", t[8] = "";
        gh_err e;
        err_clear(&e);
        if (refund_period_parse(bad[i], f, t, &e) != ERR_INVALID) print_error("accepted: \"%s\"\n", bad[i]);
        assert_int_equal(e.rc, ERR_INVALID);
        assert_string_equal(e.code, "invalid_period");
        assert_string_equal(e.field, "period");
    }
    char f[8], t[8];
    assert_int_equal(refund_period_parse(NULL, f, t, NULL), ERR_INVALID);
}

/* Rules as rules_load() reads them from a policy's qualify part. */
static refund_rules rules(const char *qualify)
{
    refund_rules rr;
    memset(&rr, 0, sizeof rr);
    rr.params = js(qualify);
    rr.small_scale_qualifies = jv_bool(rr.params, "small_scale", 0);
    rr.thresholds = json_object_get(rr.params, "thresholds");
    return rr;
}

static void test_qualifies(void **state)
{
    (void)state;
    refund_rules rr = rules("{\"small_scale\": true, \"thresholds\": ["
                            "{\"industry\": \"E\", \"max_headcount\": 300, \"max_revenue_fen\": 800000000},"
                            "{\"industry\": \"*\", \"max_headcount\": 20, \"max_revenue_fen\": 100000000}]}");
    /* the small-scale flag alone, when the policy accepts it */
    assert_true(qualifies(&rr, 1, "F", 5000, 900000000000LL, 1, 1));
    assert_true(qualifies(&rr, 1, NULL, 0, 0, 0, 0));
    /* construction (E): its own row, limits included */
    assert_true(qualifies(&rr, 0, "E", 300, 800000000, 1, 1));
    assert_false(qualifies(&rr, 0, "E", 301, 800000000, 1, 1));
    assert_false(qualifies(&rr, 0, "E", 300, 800000001, 1, 1));
    /* any industry, or none known, under the "*" row */
    assert_true(qualifies(&rr, 0, "F", 20, 100000000, 1, 1));
    assert_true(qualifies(&rr, 0, NULL, 20, 100000000, 1, 1));
    assert_false(qualifies(&rr, 0, "F", 21, 100000000, 1, 1));
    /* another industry is held to the "*" row, not to E's */
    assert_false(qualifies(&rr, 0, "F", 300, 800000000, 1, 1));
    /* unknown figures never qualify by thresholds */
    assert_false(qualifies(&rr, 0, "E", 10, 1, 0, 1));
    assert_false(qualifies(&rr, 0, "E", 10, 1, 1, 0));
    json_decref(rr.params);

    /* without the small-scale rule the flag counts for nothing */
    rr = rules("{\"thresholds\": [{\"industry\": \"E\", \"max_headcount\": 300, \"max_revenue_fen\": 800000000}]}");
    assert_false(qualifies(&rr, 1, "F", 5, 1, 1, 1));
    assert_true(qualifies(&rr, 1, "E", 5, 1, 1, 1));
    assert_false(qualifies(&rr, 0, NULL, 5, 1, 1, 1)); /* no "*" row: an industry is needed */
    json_decref(rr.params);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_period),
        cmocka_unit_test(test_qualifies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

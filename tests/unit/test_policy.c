/* test_policy.c — unit tests for policy_check (domain/policy.c): params of
 * every kind accepted as the validators accept them; a refusal inside one
 * item of a collection (an aid project, a mutual-aid band, a refund
 * threshold) named by its path and, for arrays, by its number in the
 * message; refusals about how items relate, and those outside any
 * collection, left as the validator named them; the item found is the
 * first at fault even when later ones are at fault too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "domain/core/policy.h"

/* policy_check on JSON text; e filled; the rc returned. */
static int check(const char *kind, const char *js, gh_err *e)
{
    json_error_t je;
    json_t *p = json_loads(js, 0, &je);
    if (!p) print_error("bad test JSON: %s\n", je.text);
    assert_non_null(p);
    err_clear(e);
    int rc = policy_check(kind, p, e);
    json_decref(p);
    return rc;
}

static void refused(const char *kind, const char *js, const char *code, const char *field)
{
    gh_err e;
    int rc = check(kind, js, &e);
    if (rc != ERR_INVALID) print_error("%s accepted: %s\n", kind, js);
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, field);
}

static void test_accepted(void **state)
{
    (void)state;
    static const struct {
        const char *kind, *params;
    } ok[] = {
        {"fee_split", "{\"grassroots\": 600, \"county\": 100, \"city\": 100, \"province\": 150, \"national\": 50,"
                      " \"remainder_to\": \"province\"}"},
        {"refund", "{\"from\": \"2024-01-01\", \"to\": \"2024-12-31\", \"share\": \"all\", \"mode\": \"automatic\","
                   " \"qualify\": {\"thresholds\": [{\"industry\": \"*\", \"max_headcount\": 20, \"max_revenue_fen\": 1}]}}"},
        {"retreat_booking", "{\"max_subsidised_per_year\": 1, \"frontline_window_days\": 7, \"cancel_deadline_days\": 3,"
                            " \"confirmation\": \"union\"}"},
        {"hardship_standard", "{\"dibao_fen\": 80000, \"relative_multiple_pct\": 150}"},
        {"aid_rules", "{\"kinds\": {\"illness\": {\"eligible\": [\"deep\"], \"yearly_cap_fen\": 100, \"max_fen\": 100}}}"},
        {"mutual_aid_benefit", "{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": 100,"
                               " \"ratio_pct\": 50}, {\"upto_fen\": null, \"ratio_pct\": 60}]}"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        gh_err e;
        int rc = check(ok[i].kind, ok[i].params, &e);
        if (rc) print_error("%s refused: %s %s %s\n", ok[i].kind, e.code, e.field, e.message);
        assert_int_equal(rc, 0);
    }
    /* NULL e is allowed, as everywhere */
    json_t *p = json_pack("{s:i, s:i}", "dibao_fen", 80000, "relative_multiple_pct", 90);
    assert_int_equal(policy_check("hardship_standard", p, NULL), ERR_INVALID);
    json_decref(p);
}

static void test_unknown_kind_and_shape(void **state)
{
    (void)state;
    refused("pension", "{}", "invalid_choice", "kind");
    refused("fee_split", "[]", "invalid_type", "params");
}

static void test_aid_projects(void **state)
{
    (void)state;
    /* the second project is at fault; so is the fourth, later */
    refused("aid_rules",
            "{\"kinds\": {\"living\": {\"eligible\": [\"deep\"], \"yearly_cap_fen\": 100, \"max_fen\": 100},"
            " \"illness\": {\"eligible\": [\"deep\"], \"yearly_cap_fen\": 100},"
            " \"holiday\": {\"eligible\": [\"deep\"], \"yearly_cap_fen\": 100, \"max_fen\": 100},"
            " \"training\": {\"eligible\": [\"deep\"], \"yearly_cap_fen\": 100}}}",
            "missing_field", "kinds.illness.max_fen");
    refused("aid_rules", "{\"kinds\": {\"holiday\": {\"eligible\": [\"deep\"], \"yearly_cap_fen\": 0, \"max_fen\": 1}}}",
            "invalid_amount", "kinds.holiday.yearly_cap_fen");
    refused("aid_rules", "{\"kinds\": {\"education\": {\"eligible\": [\"deep\"], \"yearly_cap_fen\": 1,"
                         " \"amounts_fen\": {\"college\": {\"deep\": 0}}}}}",
            "invalid_amount", "kinds.education.amounts_fen");
    /* the validator names the project itself */
    refused("aid_rules", "{\"kinds\": {\"picnic\": {}}}", "unknown_field", "kinds.picnic");
    refused("aid_rules", "{\"kinds\": {\"living\": 3}}", "invalid_type", "kinds.living");
    /* outside the projects: as the validator said */
    refused("aid_rules", "{}", "missing_field", "kinds");
    refused("aid_rules", "{\"kinds\": {}, \"extra\": 1}", "unknown_field", "extra");
}

static void test_bands(void **state)
{
    (void)state;
    gh_err e;
    assert_int_equal(check("mutual_aid_benefit",
                           "{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": 100, \"ratio_pct\": 50},"
                           " {\"upto_fen\": 200, \"ratio_pct\": 101}, {\"upto_fen\": null, \"ratio_pct\": 102}]}",
                           &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "bands[1].ratio_pct");
    assert_string_equal(e.code, "out_of_range");
    assert_non_null(strstr(e.message, "报销比例"));
    assert_int_equal(strncmp(e.message, "第 2 段：", strlen("第 2 段：")), 0);
    refused("mutual_aid_benefit", "{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [7]}", "invalid_type", "bands[0]");
    refused("mutual_aid_benefit", "{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": 0, \"ratio_pct\": 1}]}",
            "invalid_amount", "bands[0].upto_fen");
    /* how bands relate names no single band */
    refused("mutual_aid_benefit",
            "{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": 300, \"ratio_pct\": 50},"
            " {\"upto_fen\": 200, \"ratio_pct\": 60}]}",
            "invalid_bands", "bands");
    refused("mutual_aid_benefit",
            "{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": null, \"ratio_pct\": 50},"
            " {\"upto_fen\": 200, \"ratio_pct\": 60}]}",
            "invalid_bands", "bands");
    refused("mutual_aid_benefit", "{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": []}", "missing_field", "bands");
    /* a top-level figure keeps its plain name */
    refused("mutual_aid_benefit", "{\"deductible_fen\": -1, \"yearly_cap_fen\": 1, \"bands\": [{\"ratio_pct\": 1}]}",
            "invalid_amount", "deductible_fen");
}

static void test_refund_thresholds(void **state)
{
    (void)state;
    gh_err e;
    assert_int_equal(check("refund",
                           "{\"from\": \"2024-01-01\", \"to\": \"2024-12-31\", \"share\": \"all\", \"mode\": \"automatic\","
                           " \"qualify\": {\"small_scale\": true, \"thresholds\": [{\"industry\": \"*\", \"max_headcount\": 20,"
                           " \"max_revenue_fen\": 1}, {\"industry\": \"C\", \"max_headcount\": 20}]}}",
                           &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "qualify.thresholds[1].max_revenue_fen");
    assert_int_equal(strncmp(e.message, "第 2 条认定标准：", strlen("第 2 条认定标准：")), 0);
    refused("refund",
            "{\"from\": \"2024-01-01\", \"to\": \"2024-12-31\", \"share\": \"all\", \"mode\": \"automatic\","
            " \"qualify\": {\"thresholds\": [{\"industry\": \"ABC\", \"max_headcount\": 20, \"max_revenue_fen\": 1}]}}",
            "too_long", "qualify.thresholds[0].industry");
    refused("refund", "{\"from\": \"2024-01-01\", \"to\": \"2024-12-31\", \"share\": \"all\", \"mode\": \"automatic\","
                      " \"qualify\": {}}",
            "missing_field", "qualify");
    refused("refund", "{\"from\": \"2024-01-01\", \"to\": \"2023-12-31\", \"share\": \"all\", \"mode\": \"automatic\","
                      " \"qualify\": {\"small_scale\": true}}",
            "invalid_date", "to");
}

static void test_flat_kinds_unchanged(void **state)
{
    (void)state;
    refused("fee_split", "{\"grassroots\": 1001, \"remainder_to\": \"city\"}", "invalid_share", "grassroots");
    refused("fee_split", "{\"grassroots\": 600, \"remainder_to\": \"city\"}", "shares_not_whole", "");
    refused("hardship_standard", "{\"dibao_fen\": 80000, \"relative_multiple_pct\": 99}", "out_of_range",
            "relative_multiple_pct");
    refused("retreat_booking", "{\"max_subsidised_per_year\": 0, \"frontline_window_days\": 7, \"cancel_deadline_days\": 3,"
                               " \"confirmation\": \"union\"}",
            "out_of_range", "max_subsidised_per_year");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_unknown_kind_and_shape),
        cmocka_unit_test(test_aid_projects),
        cmocka_unit_test(test_bands),
        cmocka_unit_test(test_refund_thresholds),
        cmocka_unit_test(test_flat_kinds_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_mutual_aid.c — unit tests for the mutual-aid claim calculation
 * (domain/mutual_aid.c): the example of a 60,000-yuan stay with
 * 20,000 paid by basic insurance under two versions of the rules, rounding
 * band by band to the fen, the yearly cap, never a negative amount, refused
 * figures and rules, and properties over many random claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "domain/mutual_aid/mutual_aid.h"

#define YUAN(y) ((int64_t)(y) * 100)

static ma_rules parse(const char *js)
{
    json_error_t je;
    json_t *p = json_loads(js, 0, &je);
    assert_non_null(p);
    ma_rules r;
    gh_err e;
    err_clear(&e);
    int rc = mutual_aid_rules_parse(p, &r, &e);
    if (rc) print_error("rules refused: %s %s\n", e.code, e.message);
    assert_int_equal(rc, 0);
    json_decref(p);
    return r;
}

/* 2024 rules: deductible 1,000 yuan; 50% up to 20,000 above it, 60% up to
 * 50,000, 70% beyond; at most 50,000 a year. */
static const char *RULES_2024 =
    "{\"deductible_fen\": 100000, \"yearly_cap_fen\": 5000000, \"bands\": ["
    "{\"upto_fen\": 2000000, \"ratio_pct\": 50}, {\"upto_fen\": 5000000, \"ratio_pct\": 60},"
    "{\"upto_fen\": null, \"ratio_pct\": 70}]}";
/* 2025: the deductible lowered to 800 yuan, every ratio 10 points higher. */
static const char *RULES_2025 =
    "{\"deductible_fen\": 80000, \"yearly_cap_fen\": 5000000, \"bands\": ["
    "{\"upto_fen\": 2000000, \"ratio_pct\": 60}, {\"upto_fen\": 5000000, \"ratio_pct\": 70},"
    "{\"upto_fen\": null, \"ratio_pct\": 80}]}";

static int64_t pay(const ma_rules *r, ma_figures f, json_t **lines)
{
    int64_t p = -1;
    gh_err e;
    err_clear(&e);
    int rc = mutual_aid_compute(r, &f, &p, lines, &e);
    if (rc) print_error("compute refused: %s %s\n", e.code, e.message);
    assert_int_equal(rc, 0);
    return p;
}

static int64_t line_amount(json_t *lines, const char *prefix)
{
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) {
        const char *label = json_string_value(json_object_get(l, "label"));
        if (strncmp(label, prefix, strlen(prefix)) == 0) return json_integer_value(json_object_get(l, "amount_fen"));
    }
    fail_msg("no line starting with %s", prefix);
    return -1;
}

static void test_example_60000_with_20000_insured(void **state)
{
    ma_rules r = parse(RULES_2024);
    json_t *lines = NULL;
    /* eligible 40,000; above the deductible 39,000:
     * 20,000 × 50% = 10,000 and 19,000 × 60% = 11,400 → 21,400 yuan */
    int64_t p = pay(&r, (ma_figures){YUAN(60000), YUAN(20000), 0, 0, 0}, &lines);
    assert_int_equal(p, YUAN(21400));
    assert_int_equal(line_amount(lines, "＝ 可报销费用"), YUAN(40000));
    assert_int_equal(line_amount(lines, "＝ 起付线以上部分"), YUAN(39000));
    assert_int_equal(line_amount(lines, "第 1 段"), YUAN(10000));
    assert_int_equal(line_amount(lines, "第 2 段"), YUAN(11400));
    assert_int_equal(line_amount(lines, "第 3 段"), 0);
    assert_int_equal(line_amount(lines, "本次互助金"), YUAN(21400));
    json_decref(lines);
    /* the same stay under the 2025 rules: 20,000 × 60% + 19,200 × 70% */
    ma_rules r2 = parse(RULES_2025);
    assert_int_equal(pay(&r2, (ma_figures){YUAN(60000), YUAN(20000), 0, 0, 0}, NULL), YUAN(12000) + YUAN(13440));
}

static void test_other_insurance_and_out_of_scope(void **state)
{
    ma_rules r = parse(RULES_2024);
    /* 60,000 − 20,000 − 5,000 − 3,000 = 32,000 eligible, 31,000 above:
     * 10,000 + 11,000 × 60% = 16,600 */
    assert_int_equal(pay(&r, (ma_figures){YUAN(60000), YUAN(20000), YUAN(5000), YUAN(3000), 0}, NULL), YUAN(16600));
}

static void test_rounding_band_by_band(void **state)
{
    ma_rules r = parse("{\"deductible_fen\": 0, \"yearly_cap_fen\": 100000000, \"bands\": ["
                       "{\"upto_fen\": 1, \"ratio_pct\": 50}, {\"upto_fen\": null, \"ratio_pct\": 50}]}");
    /* 2 fen above: 1 × 50% = 0.5 → 1, 1 × 50% = 0.5 → 1: 2 fen (each band
     * rounds half up before the sum, as the rule states) */
    assert_int_equal(pay(&r, (ma_figures){2, 0, 0, 0, 0}, NULL), 2);
    ma_rules r2 = parse("{\"deductible_fen\": 0, \"yearly_cap_fen\": 100000000, \"bands\": [{\"upto_fen\": null, \"ratio_pct\": 33}]}");
    /* 1.01 yuan × 33% = 33.33 fen → 33; 1.50 yuan × 33% = 49.5 → 50 */
    assert_int_equal(pay(&r2, (ma_figures){101, 0, 0, 0, 0}, NULL), 33);
    assert_int_equal(pay(&r2, (ma_figures){150, 0, 0, 0, 0}, NULL), 50);
}

static void test_cap_and_never_negative(void **state)
{
    ma_rules r = parse(RULES_2024);
    /* 40,000 already granted this year: only 10,000 left under the cap */
    assert_int_equal(pay(&r, (ma_figures){YUAN(60000), YUAN(20000), 0, 0, YUAN(40000)}, NULL), YUAN(10000));
    /* already at (or over) the cap: nothing, never negative */
    assert_int_equal(pay(&r, (ma_figures){YUAN(60000), YUAN(20000), 0, 0, YUAN(50000)}, NULL), 0);
    assert_int_equal(pay(&r, (ma_figures){YUAN(60000), YUAN(20000), 0, 0, YUAN(90000)}, NULL), 0);
    /* below the deductible: nothing */
    assert_int_equal(pay(&r, (ma_figures){YUAN(900), 0, 0, 0, 0}, NULL), 0);
    /* fully insured: nothing */
    assert_int_equal(pay(&r, (ma_figures){YUAN(900), YUAN(900), 0, 0, 0}, NULL), 0);
    /* a big stay hits the cap: 1,000,000 cost */
    assert_int_equal(pay(&r, (ma_figures){YUAN(1000000), YUAN(100000), 0, 0, 0}, NULL), YUAN(50000));
}

static void test_bounded_last_band(void **state)
{
    ma_rules r = parse("{\"deductible_fen\": 0, \"yearly_cap_fen\": 100000000, \"bands\": [{\"upto_fen\": 1000000, \"ratio_pct\": 50}]}");
    json_t *lines = NULL;
    assert_int_equal(pay(&r, (ma_figures){YUAN(30000), 0, 0, 0, 0}, &lines), YUAN(5000));
    assert_int_equal(line_amount(lines, "超出最高一段上限的部分不予支付"), YUAN(20000));
    json_decref(lines);
}

static void refused(const ma_rules *r, ma_figures f, const char *code, const char *field)
{
    int64_t p = 77;
    json_t *lines = NULL;
    gh_err e;
    err_clear(&e);
    assert_int_equal(mutual_aid_compute(r, &f, &p, &lines, &e), ERR_INVALID);
    assert_string_equal(e.code, code);
    if (field) assert_string_equal(e.field, field);
    assert_null(lines);
    assert_int_equal(p, 0);
}

static void test_refused_figures(void **state)
{
    ma_rules r = parse(RULES_2024);
    refused(&r, (ma_figures){YUAN(60000), YUAN(61000), 0, 0, 0}, "insurance_exceeds_cost", "basic_insurance_fen");
    refused(&r, (ma_figures){YUAN(60000), YUAN(40000), YUAN(30000), 0, 0}, "insurance_exceeds_cost", "basic_insurance_fen");
    refused(&r, (ma_figures){YUAN(60000), YUAN(40000), 0, YUAN(30000), 0}, "deductions_exceed_cost", "out_of_scope_fen");
    refused(&r, (ma_figures){0, 0, 0, 0, 0}, "invalid_amount", "total_cost_fen");
    refused(&r, (ma_figures){YUAN(100), -1, 0, 0, 0}, "invalid_amount", NULL);
}

static void rules_refused(const char *js, const char *code)
{
    json_t *p = json_loads(js, 0, NULL);
    assert_non_null(p);
    gh_err e;
    err_clear(&e);
    assert_int_equal(mutual_aid_benefit_validate(p, &e), ERR_INVALID);
    assert_string_equal(e.code, code);
    json_decref(p);
}

static void test_refused_rules(void **state)
{
    rules_refused("{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": []}", "missing_field");
    rules_refused("{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": 5, \"ratio_pct\": 50},"
                  " {\"upto_fen\": 5, \"ratio_pct\": 60}]}", "invalid_bands");
    rules_refused("{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": null, \"ratio_pct\": 50},"
                  " {\"upto_fen\": 5, \"ratio_pct\": 60}]}", "invalid_bands");
    rules_refused("{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": null, \"ratio_pct\": 101}]}",
                  "out_of_range");
    rules_refused("{\"deductible_fen\": -5, \"yearly_cap_fen\": 1, \"bands\": [{\"upto_fen\": null, \"ratio_pct\": 10}]}",
                  "invalid_amount");
    rules_refused("{\"deductible_fen\": 0, \"yearly_cap_fen\": 1, \"ratio\": 3, \"bands\": [{\"upto_fen\": null, \"ratio_pct\": 10}]}",
                  "unknown_field");
}

/* Over many random claims: 0 ≤ payable ≤ what is left under the cap and ≤
 * the eligible amount; a dearer stay (same insurance) never pays less. */
static void test_properties(void **state)
{
    ma_rules r = parse(RULES_2024);
    srand(7);
    for (int i = 0; i < 20000; i++) {
        int64_t cost = 1 + (int64_t)(rand() % 20000000);
        int64_t basic = rand() % (cost + 1);
        int64_t other = rand() % (cost - basic + 1);
        int64_t oos = rand() % (cost - basic - other + 1);
        int64_t already = rand() % 6000000;
        ma_figures f = {cost, basic, other, oos, already};
        int64_t p = pay(&r, f, NULL);
        int64_t left = r.yearly_cap_fen - already > 0 ? r.yearly_cap_fen - already : 0;
        assert_true(p >= 0);
        assert_true(p <= left);
        assert_true(p <= cost - basic - other - oos);
        f.total_cost_fen += 1 + rand() % 100000;
        assert_true(pay(&r, f, NULL) >= p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_60000_with_20000_insured),
        cmocka_unit_test(test_other_insurance_and_out_of_scope),
        cmocka_unit_test(test_rounding_band_by_band),
        cmocka_unit_test(test_cap_and_never_negative),
        cmocka_unit_test(test_bounded_last_band),
        cmocka_unit_test(test_refused_figures),
        cmocka_unit_test(test_refused_rules),
        cmocka_unit_test(test_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

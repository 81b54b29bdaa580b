/* test_fees.c — unit tests for the union-fee rules of domain/fees that need
 * no database: the amount due for a payroll (2%, half up to the fen), the
 * fee_split policy's validation, and how one payment is split among the
 * levels (fees.c is included to reach split_payment; its caches are filled
 * by hand, so no connection is needed): shares rounded down, the fen left
 * over to the stated level, a missing level's share to that level too, and
 * a preparatory fee's grassroots share held by the responsible union. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/fees/fees.c"

static void test_expected(void **state)
{
    (void)state;
    assert_int_equal(fee_expected(0), 0);
    assert_int_equal(fee_expected(100), 2);
    assert_int_equal(fee_expected(1000000), 20000);       /* 10,000元 payroll: 200元 */
    assert_int_equal(fee_expected(25), 1);                /* 0.5 fen rounds up */
    assert_int_equal(fee_expected(24), 0);                /* 0.48 fen rounds down */
    assert_int_equal(fee_expected(75), 2);                /* 1.5 fen rounds up */
    assert_int_equal(fee_expected(12345678), 246914);     /* 246,913.56 fen */
    assert_int_equal(fee_expected(4611686018427387903LL), 92233720368547758LL); /* no overflow */
}

/* fee_split_validate on JSON text: the rc, with e filled. */
static int split_rc(const char *js, gh_err *e)
{
    json_error_t je;
    json_t *p = json_loads(js, 0, &je);
    if (!p) print_error("bad test JSON: %s\n", je.text);
    assert_non_null(p);
    err_clear(e);
    int rc = fee_split_validate(p, e);
    json_decref(p);
    return rc;
}

static void split_refused(const char *js, const char *code, const char *field)
{
    gh_err e;
    if (split_rc(js, &e) != ERR_INVALID) print_error("accepted: %s\n", js);
    assert_int_equal(e.rc, ERR_INVALID);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, field);
}

static void test_split_policy(void **state)
{
    (void)state;
    gh_err e;
    assert_int_equal(split_rc("{\"grassroots\": 600, \"county\": 100, \"city\": 100, \"province\": 150, \"national\": 50,"
                              " \"remainder_to\": \"province\"}", &e), 0);
    /* levels left out take nothing; one level may take everything */
    assert_int_equal(split_rc("{\"grassroots\": 1000, \"remainder_to\": \"grassroots\"}", &e), 0);
    assert_int_equal(split_rc("{\"grassroots\": 600, \"province\": 400, \"remainder_to\": \"city\"}", &e), 0);
    /* per mille, summing to exactly 1000 */
    split_refused("{\"grassroots\": 600, \"province\": 300, \"remainder_to\": \"province\"}", "shares_not_whole", "");
    gh_err w;
    split_rc("{\"grassroots\": 600, \"province\": 500, \"remainder_to\": \"province\"}", &w);
    assert_non_null(strstr(w.message, "1100‰"));
    split_refused("{\"grassroots\": 1001, \"remainder_to\": \"province\"}", "invalid_share", "grassroots");
    split_refused("{\"grassroots\": -1, \"province\": 1001, \"remainder_to\": \"province\"}", "invalid_share", "grassroots");
    split_refused("{\"grassroots\": 60.5, \"province\": 939.5, \"remainder_to\": \"province\"}", "invalid_share", "grassroots");
    split_refused("{\"grassroots\": \"600\", \"province\": 400, \"remainder_to\": \"province\"}", "invalid_share", "grassroots");
    split_refused("{\"grassroots\": 600, \"township\": 400, \"remainder_to\": \"province\"}", "unknown_field", "township");
    /* the fen left over must go somewhere named */
    split_refused("{\"grassroots\": 600, \"province\": 400}", "missing_field", "remainder_to");
    split_refused("{\"grassroots\": 600, \"province\": 400, \"remainder_to\": \"township\"}", "missing_field", "remainder_to");
    split_refused("{\"grassroots\": 600, \"province\": 400, \"remainder_to\": 3}", "missing_field", "remainder_to");
}

/* ---- splitting a payment ---- */

enum { NATIONAL = 1, PROVINCE = 2, CITY = 3, COUNTY = 4, ENT_ORG = 5, UNION = 6 };

/* A context whose caches already hold ENT_ORG's ancestry (levels missing
 * where asked) and the split in force for 2024-03. */
static fee_import_ctx *ctx_with(int has_city, int has_county, const int64_t permille[5], int remainder)
{
    static fee_import_ctx c;
    free(c.sums);
    memset(&c, 0, sizeof c);
    c.anc[0] = (fees_ancestry){ENT_ORG, {NATIONAL, PROVINCE, has_city ? CITY : 0, has_county ? COUNTY : 0, 0}};
    c.nanc = 1;
    c.splits[0] = (split_cache){.org_id = ENT_ORG, .month = "2024-03", .remainder = remainder};
    memcpy(c.splits[0].permille, permille, sizeof c.splits[0].permille);
    c.nsplits = 1;
    return &c;
}

/* What receiver got from the split (all dates, both kinds). */
static int64_t got(const fee_import_ctx *c, int64_t receiver, int prep)
{
    int64_t sum = 0;
    for (int i = 0; i < c->nsums; i++)
        if (c->sums[i].receiver == receiver && c->sums[i].prep == prep) sum += c->sums[i].amount;
    return sum;
}

static int64_t total(const fee_import_ctx *c)
{
    int64_t sum = 0;
    for (int i = 0; i < c->nsums; i++) sum += c->sums[i].amount;
    return sum;
}

/* share_levels order: grassroots, county, city, province, national */
static const int64_t JS_SPLIT[5] = {600, 100, 100, 150, 50};

static void test_split_payment(void **state)
{
    (void)state;
    gh_err e;
    fee_import_ctx *c = ctx_with(1, 1, JS_SPLIT, 3);
    assert_int_equal(split_payment(c, NULL, ENT_ORG, UNION, 0, "2024-03", "2024-03-15", 20000, &e), 0);
    assert_int_equal(got(c, UNION, 0), 12000);
    assert_int_equal(got(c, COUNTY, 0), 2000);
    assert_int_equal(got(c, CITY, 0), 2000);
    assert_int_equal(got(c, PROVINCE, 0), 3000);
    assert_int_equal(got(c, NATIONAL, 0), 1000);
    /* the province collects: every share is booked as received through it */
    for (int i = 0; i < c->nsums; i++) assert_int_equal(c->sums[i].collector, PROVINCE);

    /* 1.01元: shares rounded down (60, 10, 10, 15, 5 fen), the 1 fen left
     * over to the province, as the policy says */
    c = ctx_with(1, 1, JS_SPLIT, 3);
    assert_int_equal(split_payment(c, NULL, ENT_ORG, UNION, 0, "2024-03", "2024-03-15", 101, &e), 0);
    assert_int_equal(got(c, UNION, 0), 60);
    assert_int_equal(got(c, PROVINCE, 0), 16);
    assert_int_equal(total(c), 101);

    /* no county above the enterprise: its share goes to the stated level */
    c = ctx_with(1, 0, JS_SPLIT, 3);
    assert_int_equal(split_payment(c, NULL, ENT_ORG, UNION, 0, "2024-03", "2024-03-15", 20000, &e), 0);
    assert_int_equal(got(c, PROVINCE, 0), 5000);
    assert_int_equal(got(c, COUNTY, 0), 0);
    assert_int_equal(total(c), 20000);

    /* the stated level is missing (the city): the province takes the fen
     * left over, and the city's share */
    c = ctx_with(0, 1, JS_SPLIT, 2);
    assert_int_equal(split_payment(c, NULL, ENT_ORG, UNION, 0, "2024-03", "2024-03-15", 20001, &e), 0);
    assert_int_equal(got(c, CITY, 0), 0);
    assert_int_equal(got(c, UNION, 0), 12000);
    assert_int_equal(got(c, PROVINCE, 0), 3000 + 2000 + 1);
    assert_int_equal(total(c), 20001);

    /* a preparatory fee (no union yet): the grassroots share is held by the
     * enterprise's responsible union, as preparatory-fee income */
    c = ctx_with(1, 1, JS_SPLIT, 3);
    assert_int_equal(split_payment(c, NULL, ENT_ORG, 0, 1, "2024-03", "2024-03-15", 20000, &e), 0);
    assert_int_equal(got(c, ENT_ORG, 1), 12000);
    assert_int_equal(got(c, COUNTY, 0), 2000);
    assert_int_equal(total(c), 20000);

    /* payments on one day add up per receiver; another day is a new sum */
    c = ctx_with(1, 1, JS_SPLIT, 3);
    assert_int_equal(split_payment(c, NULL, ENT_ORG, UNION, 0, "2024-03", "2024-03-15", 20000, &e), 0);
    assert_int_equal(split_payment(c, NULL, ENT_ORG, UNION, 0, "2024-03", "2024-03-15", 10000, &e), 0);
    assert_int_equal(c->nsums, 5);
    assert_int_equal(got(c, UNION, 0), 18000);
    assert_int_equal(split_payment(c, NULL, ENT_ORG, UNION, 0, "2024-03", "2024-03-16", 10000, &e), 0);
    assert_int_equal(c->nsums, 10);

    /* never a fen lost, whatever the amount */
    for (int64_t amount = 1; amount < 3000; amount += 7) {
        c = ctx_with(amount % 2, amount % 3 != 0, JS_SPLIT, (int)(amount % 5));
        assert_int_equal(split_payment(c, NULL, ENT_ORG, UNION, (int)(amount % 2), "2024-03", "2024-03-15", amount, &e), 0);
        assert_int_equal(total(c), amount);
    }
    free(c->sums);
    c->sums = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expected),
        cmocka_unit_test(test_split_policy),
        cmocka_unit_test(test_split_payment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_hardship.c — unit tests for how a hardship file is checked and
 * assessed (domain/hardship; hardship.c is included to reach rec_check) on
 * a throw-away SQLite database holding one union and its 低保 standard:
 * income per head after the rigid costs against 低保 and its multiple, the
 * order deep, accident, relative, the boundaries (strictly below), rounding
 * to the fen, the standard in force today; figures that must add up, causes,
 * the bank account, family members; exclusions flagged, not refused; and a
 * category other than the suggestion only with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/testdb.h"

#include "domain/hardship/hardship.c"

static store *g_db;
static gh_actor g_actor;
static gh_config g_cfg;
static int64_t g_org, g_bare_org, g_policy;

static gh_ctx ctx(void)
{
    gh_ctx x = {store_conn_get(g_db, NULL), &g_actor, &g_cfg};
    return x;
}

static int64_t make_org(gh_ctx *x, const char *name, const char *region)
{
    json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "level", "province", "kind", "regional", "region_code", region);
    json_t *o = NULL;
    gh_err e;
    int64_t id = org_create(x, b, &o, &e) ? 0 : json_integer_value(json_object_get(o, "id"));
    json_decref(o);
    json_decref(b);
    return id;
}

static int64_t add_standard(gh_ctx *x, int64_t org, const char *from, const char *params)
{
    gh_err e;
    int64_t id = 0;
    if (store_exec(x->db,
                   "INSERT INTO policies (kind, org_id, effective_from, params, created_at)"
                   " VALUES ('hardship_standard', $1, $2, $3, '2020-01-01T00:00:00.000Z')",
                   SV_ARGS(SV_I(org), SV_T(from), SV_T(params)), NULL, &e) ||
        store_get_int(x->db, "SELECT MAX(id) FROM policies", NULL, 0, &id, &e))
        return 0;
    return id;
}

static int setup(void **s)
{
    (void)s;
    if (!(g_db = testdb_open("hardship", 1))) return -1;
    actor_system(&g_actor);
    gh_ctx x = ctx();
    g_org = make_org(&x, "测试省总工会", "320000");
    g_bare_org = make_org(&x, "未设标准的省总工会", "640000");
    if (!g_org || !g_bare_org) return -1;
    /* 低保 1,100元 per person a month, relative hardship below 200% of it;
     * a version not yet in force must not count */
    g_policy = add_standard(&x, g_org, "2020-01-01", "{\"dibao_fen\": 110000, \"relative_multiple_pct\": 200}");
    if (!g_policy || !add_standard(&x, g_org, "2999-01-01", "{\"dibao_fen\": 9000000, \"relative_multiple_pct\": 500}"))
        return -1;
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    testdb_close(g_db);
    return 0;
}

/* A valid ID number (GB 11643 check character) for person n. */
static const char *id_for(int n, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    snprintf(out, 19, "32011519860101%03d", n % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (out[i] - '0') * w[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = '\0';
    return out;
}

/* One person on their own: income and costs as given, nothing else. */
static json_t *single(int64_t income, int64_t costs)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:i, s:b}", "ethnicity", "汉族", "health",
                     "chronic", "work_status", "employed", "household_type", "urban", "household_place", "江苏省南京市",
                     "monthly_income_fen", (json_int_t)income, "family_other_income_fen", (json_int_t)0,
                     "family_income_fen", (json_int_t)income, "medical_cost_fen", (json_int_t)costs,
                     "medical_insurance", "employee", "main_cause", "major_illness", "homes_owned", 1,
                     "employs_others", 0);
}

/* The family of four of tests/lib/hardship.js: 3,200元 a month (2,000 own
 * wage, 1,200 the spouse's), 1,200 medical and 800 schooling costs. */
static json_t *family_of_four(void)
{
    char a[19], b[19], c[19];
    json_t *body = single(200000, 120000);
    json_object_set_new(body, "family_income_fen", json_integer(320000));
    json_object_set_new(body, "education_cost_fen", json_integer(80000));
    json_object_set_new(body, "family", json_pack("[{s:s, s:s, s:s, s:s, s:I}, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}]",
        "name", "配偶甲", "relation", "spouse", "id_number", id_for(1, a), "health", "healthy", "income_fen", (json_int_t)120000,
        "name", "子女乙", "relation", "child", "id_number", id_for(2, b), "health", "healthy",
        "name", "子女丙", "relation", "child", "id_number", id_for(3, c), "health", "healthy"));
    return body;
}

/* rec_check as for a preview (need_category 0) or a file; body is consumed.
 * *r filled on success (caller rec_free()s). */
static int check(json_t *body, int need_category, hs_rec *r, gh_err *e)
{
    gh_ctx x = ctx();
    err_clear(e);
    int rc = rec_check(&x, body, g_org, "member-own-hash", need_category, r, e);
    json_decref(body);
    return rc;
}

/* The suggested category for a body ("" for none), with its figures checked
 * against what is expected per head. */
static const char *suggest(json_t *body, int64_t want_adj_head)
{
    static char s[12];
    hs_rec r;
    gh_err e;
    int rc = check(body, 0, &r, &e);
    if (rc) print_error("refused: %s %s %s\n", e.code, e.field, e.message);
    assert_int_equal(rc, 0);
    assert_int_equal(jv_int(r.assess, "adjusted_per_capita_fen", -1), want_adj_head);
    snprintf(s, sizeof s, "%s", r.suggested);
    const char *js = jv_str(r.assess, "suggested_category");
    assert_string_equal(js ? js : "", s);
    rec_free(&r);
    return s;
}

static void test_figures(void **state)
{
    (void)state;
    hs_rec r;
    gh_err e;
    assert_int_equal(check(family_of_four(), 0, &r, &e), 0);
    assert_int_equal(jv_int(r.assess, "household_size", 0), 4);
    assert_int_equal(jv_int(r.assess, "family_income_fen", 0), 320000);
    assert_int_equal(jv_int(r.assess, "deductions_fen", 0), 200000);
    assert_int_equal(jv_int(r.assess, "adjusted_income_fen", 0), 120000);
    assert_int_equal(jv_int(r.assess, "per_capita_fen", 0), 80000);
    assert_int_equal(jv_int(r.assess, "adjusted_per_capita_fen", 0), 30000);
    /* the standard in force today, not the one of 2999 */
    assert_int_equal(jv_int(r.assess, "dibao_fen", 0), 110000);
    assert_int_equal(jv_int(r.assess, "relative_multiple_pct", 0), 200);
    assert_int_equal(jv_int(r.assess, "relative_line_fen", 0), 220000);
    assert_int_equal(jv_int(r.assess, "policy_id", 0), g_policy);
    assert_int_equal(r.policy_id, g_policy);
    assert_string_equal(r.suggested, "deep");
    assert_non_null(strstr(jv_str(r.assess, "explanation"), "4 口之家人均 300.00 元"));
    assert_non_null(strstr(jv_str(r.assess, "explanation"), "建议认定为深度困难"));
    assert_int_equal(json_array_size(json_object_get(r.assess, "exclusions")), 0);
    rec_free(&r);
}

static void test_categories(void **state)
{
    (void)state;
    /* deep: strictly below 低保 per head after costs */
    assert_string_equal(suggest(single(109999, 0), 109999), "deep");
    assert_string_equal(suggest(single(110000, 0), 110000), "relative");
    /* relative: strictly below the multiple (200% = 2,200元) */
    assert_string_equal(suggest(single(219999, 0), 219999), "relative");
    assert_string_equal(suggest(single(220000, 0), 220000), "");
    /* the rigid costs come off first; never below zero */
    assert_string_equal(suggest(single(300000, 190001), 109999), "deep");
    assert_string_equal(suggest(single(100000, 500000), 0), "deep");
    /* a sudden accident, disaster or major illness: after deep, before relative */
    json_t *b = single(150000, 0);
    json_object_set_new(b, "accident", json_true());
    assert_string_equal(suggest(b, 150000), "accident");
    b = single(100000, 0);
    json_object_set_new(b, "accident", json_true());
    assert_string_equal(suggest(b, 100000), "deep");
    b = single(500000, 0);
    json_object_set_new(b, "accident", json_true());
    assert_string_equal(suggest(b, 500000), "accident"); /* whatever the income */
    /* per head rounded half up to the fen */
    char id[19];
    b = single(5, 0);
    json_object_set_new(b, "family_income_fen", json_integer(5));
    json_object_set_new(b, "family", json_pack("[{s:s, s:s, s:s, s:s}]", "name", "子女", "relation", "child", "id_number",
                                               id_for(9, id), "health", "healthy"));
    assert_string_equal(suggest(b, 3), "deep"); /* 2.5 fen → 3 */
}

static void test_no_standard(void **state)
{
    (void)state;
    gh_ctx x = ctx();
    hs_rec r;
    gh_err e;
    json_t *b = single(100000, 0);
    assert_int_equal(rec_check(&x, b, g_bare_org, NULL, 0, &r, &e), ERR_CONFLICT);
    assert_string_equal(e.code, "no_hardship_standard");
    json_decref(b);
    assert_null(r.assess);
}

static void refused(json_t *body, int need_category, const char *code, const char *field)
{
    hs_rec r;
    gh_err e;
    int rc = check(body, need_category, &r, &e);
    if (rc != ERR_INVALID) print_error("not refused as %s (rc %d)\n", code, rc);
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, code);
    assert_string_equal(e.field, field);
    assert_null(r.assess);
    assert_null(r.rec);
}

static void test_refused(void **state)
{
    (void)state;
    /* the total must be own wage + family incomes + other income */
    json_t *b = family_of_four();
    json_object_set_new(b, "family_income_fen", json_integer(300000));
    hs_rec r;
    gh_err e;
    assert_int_equal(check(b, 0, &r, &e), ERR_INVALID);
    assert_string_equal(e.code, "income_mismatch");
    assert_non_null(strstr(e.message, "应为 3200.00 元"));
    /* causes: at most three secondary ones, none the main one */
    b = single(100000, 0);
    json_object_set_new(b, "secondary_causes", json_pack("[s, s, s, s]", "unemployed", "schooling", "disaster", "other"));
    refused(b, 0, "too_many_items", "secondary_causes");
    b = single(100000, 0);
    json_object_set_new(b, "secondary_causes", json_pack("[s]", "major_illness"));
    refused(b, 0, "duplicate_cause", "secondary_causes");
    /* the one bank-account rule */
    b = single(100000, 0);
    json_object_set_new(b, "bank_account", json_string("12ab"));
    refused(b, 0, "invalid_account", "bank_account");
    /* family members: valid, distinct ID numbers, not the member again */
    b = family_of_four();
    json_object_set_new(json_array_get(json_object_get(b, "family"), 0), "id_number", json_string("320115198601010000"));
    refused(b, 0, "invalid_id_number", "family[0].id_number");
    b = family_of_four();
    json_t *fam = json_object_get(b, "family");
    json_object_set(json_array_get(fam, 2), "id_number", json_object_get(json_array_get(fam, 1), "id_number"));
    refused(b, 0, "duplicate_family_member", "family[2].id_number");
    b = family_of_four();
    json_object_set_new(json_array_get(json_object_get(b, "family"), 1), "relation", json_string("cousin"));
    refused(b, 0, "invalid_choice", "family[1].relation");
}

static void test_member_is_not_family(void **state)
{
    (void)state;
    char id[19], own[65];
    id_key(&g_cfg, id_for(1, id), own); /* the spouse's ID number is the member's own */
    gh_ctx x = ctx();
    hs_rec r;
    gh_err e;
    json_t *b = family_of_four();
    assert_int_equal(rec_check(&x, b, g_org, own, 0, &r, &e), ERR_INVALID);
    assert_string_equal(e.code, "family_is_member");
    assert_string_equal(e.field, "family[0].id_number");
    json_decref(b);
}

static void test_exclusions_and_account(void **state)
{
    (void)state;
    json_t *b = single(100000, 0);
    json_object_set_new(b, "homes_owned", json_integer(2));
    json_object_set_new(b, "employs_others", json_true());
    json_object_set_new(b, "bank_account", json_string("6222 0243-0100 0099 887"));
    hs_rec r;
    gh_err e;
    assert_int_equal(check(b, 0, &r, &e), 0); /* flagged for the level above, not refused */
    json_t *ex = json_object_get(r.assess, "exclusions");
    assert_int_equal(json_array_size(ex), 2);
    assert_string_equal(json_string_value(json_array_get(ex, 0)), "multiple_homes");
    assert_string_equal(json_string_value(json_array_get(ex, 1)), "business_owner");
    assert_string_equal(r.exclusions, "multiple_homes,business_owner");
    assert_string_equal(r.suggested, "deep");
    assert_string_equal(jv_str(r.rec, "bank_account"), "6222024301000099887");
    rec_free(&r);
}

static void test_category_choice(void **state)
{
    (void)state;
    hs_rec r;
    gh_err e;
    /* the suggestion itself needs no reason */
    json_t *b = single(100000, 0);
    json_object_set_new(b, "category", json_string("deep"));
    assert_int_equal(check(b, 1, &r, &e), 0);
    assert_string_equal(r.category, "deep");
    rec_free(&r);
    /* another category: a reason of at least four characters */
    b = single(100000, 0);
    json_object_set_new(b, "category", json_string("relative"));
    refused(b, 1, "category_reason_required", "category_reason");
    b = single(100000, 0);
    json_object_set_new(b, "category", json_string("relative"));
    json_object_set_new(b, "category_reason", json_string("不稳定"));
    refused(b, 1, "category_reason_required", "category_reason");
    b = single(100000, 0);
    json_object_set_new(b, "category", json_string("relative"));
    json_object_set_new(b, "category_reason", json_string("收入不稳"));
    assert_int_equal(check(b, 1, &r, &e), 0);
    assert_string_equal(r.category, "relative");
    assert_string_equal(r.suggested, "deep");
    rec_free(&r);
    /* above every line: filing anyway needs the reason too */
    b = single(500000, 0);
    json_object_set_new(b, "category", json_string("relative"));
    refused(b, 1, "category_reason_required", "category_reason");
    /* accident only with the accident ticked, reason or not */
    b = single(100000, 0);
    json_object_set_new(b, "category", json_string("accident"));
    json_object_set_new(b, "category_reason", json_string("家中突发火灾"));
    refused(b, 1, "category_mismatch", "category");
    /* a file needs its category; a preview does not */
    refused(single(100000, 0), 1, "missing_field", "category");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_no_standard),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_member_is_not_family),
        cmocka_unit_test(test_exclusions_and_account),
        cmocka_unit_test(test_category_choice),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

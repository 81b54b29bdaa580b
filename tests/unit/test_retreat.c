/* test_retreat.c — unit tests for the recuperation code that needs no
 * database: the "retreat_booking"
 * policy validator, date arithmetic, the CSV import's cell parsing
 * (lists and the day-by-day itinerary; the .c is included to reach its
 * statics, h2o style), and the refusals the imports and the provider's desk
 * make before they touch the database (no connection is given: reaching it
 * would crash the test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/retreat/retreat_import.c"
#include "domain/retreat/retreat_desk.c"

static int valid(const char *text)
{
    json_error_t je;
    json_t *p = json_loads(text, 0, &je);
    assert_non_null(p);
    gh_err e;
    err_clear(&e);
    int rc = retreat_policy_validate(p, &e);
    json_decref(p);
    return rc;
}

static void test_policy(void **state)
{
    (void)state;
    assert_int_equal(valid("{\"max_subsidised_per_year\":1,\"frontline_window_days\":7,\"cancel_deadline_days\":3,"
                           "\"confirmation\":\"union\"}"), 0);
    assert_int_equal(valid("{\"max_subsidised_per_year\":2,\"frontline_window_days\":0,\"cancel_deadline_days\":0,"
                           "\"confirmation\":\"instant\"}"), 0);
    /* every parameter is required: a version is a complete set of rules */
    assert_int_equal(valid("{\"max_subsidised_per_year\":1}"), ERR_INVALID);
    /* zero subsidised trips would make the quota upsert meaningless */
    assert_int_equal(valid("{\"max_subsidised_per_year\":0,\"frontline_window_days\":7,\"cancel_deadline_days\":3,"
                           "\"confirmation\":\"union\"}"), ERR_INVALID);
    assert_int_equal(valid("{\"max_subsidised_per_year\":1,\"frontline_window_days\":61,\"cancel_deadline_days\":3,"
                           "\"confirmation\":\"union\"}"), ERR_INVALID);
    assert_int_equal(valid("{\"max_subsidised_per_year\":1,\"frontline_window_days\":7,\"cancel_deadline_days\":3,"
                           "\"confirmation\":\"maybe\"}"), ERR_INVALID);
    assert_int_equal(valid("{\"max_subsidised_per_year\":1,\"frontline_window_days\":7,\"cancel_deadline_days\":3,"
                           "\"confirmation\":\"union\",\"extra\":1}"), ERR_INVALID);
    assert_int_equal(valid("{\"max_subsidised_per_year\":\"1\",\"frontline_window_days\":7,\"cancel_deadline_days\":3,"
                           "\"confirmation\":\"union\"}"), ERR_INVALID);
}

static void test_dates(void **state)
{
    (void)state;
    char out[11];
    rt_date_add("2024-02-28", 1, out);
    assert_string_equal(out, "2024-02-29");
    rt_date_add("2024-03-01", -1, out);
    assert_string_equal(out, "2024-02-29");
    rt_date_add("2025-12-30", 3, out);
    assert_string_equal(out, "2026-01-02");
    rt_date_add("2026-01-20", -7, out);
    assert_string_equal(out, "2026-01-13");
}

static void test_csv_lists(void **state)
{
    (void)state;
    json_t *l = split_list(" 红色、研学 ,康养；; 乡村|非遗 ");
    assert_int_equal(json_array_size(l), 5);
    assert_string_equal(json_string_value(json_array_get(l, 0)), "红色");
    assert_string_equal(json_string_value(json_array_get(l, 1)), "研学");
    assert_string_equal(json_string_value(json_array_get(l, 2)), "康养");
    assert_string_equal(json_string_value(json_array_get(l, 3)), "乡村");
    assert_string_equal(json_string_value(json_array_get(l, 4)), "非遗");
    json_decref(l);
    l = split_list("");
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
}

static void test_csv_itinerary(void **state)
{
    (void)state;
    int bad = -1;
    json_t *d = parse_days("第1天 抵达淮安：入住、开营座谈\n第2天：纪念馆现场教学\r\n第3天 返程", &bad);
    assert_int_equal(bad, 0);
    assert_int_equal(json_array_size(d), 3);
    json_t *a = json_array_get(d, 0), *b = json_array_get(d, 1), *c = json_array_get(d, 2);
    assert_int_equal(json_integer_value(json_object_get(a, "day")), 1);
    assert_string_equal(json_string_value(json_object_get(a, "title")), "抵达淮安");
    assert_string_equal(json_string_value(json_object_get(a, "detail")), "入住、开营座谈");
    assert_string_equal(json_string_value(json_object_get(b, "title")), "纪念馆现场教学");
    assert_null(json_object_get(b, "detail"));
    assert_string_equal(json_string_value(json_object_get(c, "title")), "返程");
    json_decref(d);
    /* plain lines without the 第N天 prefix, separated by | */
    d = parse_days("出发: 集合乘车|游览|返程", &bad);
    assert_int_equal(bad, 0);
    assert_int_equal(json_array_size(d), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "title")), "出发");
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "detail")), "集合乘车");
    json_decref(d);
    /* days out of order are reported */
    d = parse_days("第2天 甲|第1天 乙", &bad);
    assert_int_equal(bad, 1);
    json_decref(d);
}

static void test_refused_before_the_database(void **state)
{
    (void)state;
    gh_err e;
    gh_config cfg = {0};
    gh_actor officer = {.role = ROLE_OFFICER, .user_id = 5, .duties = DUTY_MEMBERSHIP | DUTY_HARDSHIP};
    gh_ctx x = {NULL, &officer, &cfg};
    /* imports: the retreat duty first, then an org */
    err_clear(&e);
    assert_int_equal(retreat_import_allowed(&x, 1, NULL, &e), ERR_FORBIDDEN);
    officer.duties |= DUTY_RETREAT;
    err_clear(&e);
    assert_int_equal(retreat_import_allowed(&x, 0, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "org_id");
    /* the desk: provider accounts only */
    json_t *out = NULL;
    retreat_desk_query q = {0};
    err_clear(&e);
    assert_int_equal(retreat_desk_departures(&x, &q, &out, &e), ERR_FORBIDDEN);
    err_clear(&e);
    assert_int_equal(retreat_desk_departure(&x, 1, &out, &e), ERR_FORBIDDEN);
    gh_actor member = {.role = ROLE_MEMBER, .member_id = 9};
    x.actor = &member;
    assert_int_equal(retreat_desk_departures(&x, &q, &out, &e), ERR_FORBIDDEN);
    gh_actor unlinked = {.role = ROLE_PROVIDER};
    x.actor = &unlinked;
    assert_int_equal(retreat_desk_departure(&x, 1, &out, &e), ERR_FORBIDDEN);
    /* a provider's bad filters are refused by name */
    gh_actor desk = {.role = ROLE_PROVIDER, .provider_id = 3};
    x.actor = &desk;
    q.when = "soon";
    err_clear(&e);
    assert_int_equal(retreat_desk_departures(&x, &q, &out, &e), ERR_INVALID);
    assert_string_equal(e.field, "when");
    q.when = "past";
    q.from = "2026-02-30";
    err_clear(&e);
    assert_int_equal(retreat_desk_departures(&x, &q, &out, &e), ERR_INVALID);
    assert_string_equal(e.field, "from");
    q.from = NULL;
    q.to = "明天";
    err_clear(&e);
    assert_int_equal(retreat_desk_departures(&x, &q, &out, &e), ERR_INVALID);
    assert_string_equal(e.field, "to");
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_dates),       cmocka_unit_test(test_csv_lists),     cmocka_unit_test(test_csv_itinerary),
        cmocka_unit_test(test_refused_before_the_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

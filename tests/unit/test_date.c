/* test_date.c — unit tests for base/date.c: the calendar (leap years, the
 * 1900..2200 range), month arithmetic with clamping, whole years between two
 * dates, and RFC 3339 timestamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/date.h"

static int32_t d_ok(const char *s)
{
    int32_t v = 0;
    gh_err e;
    err_clear(&e);
    int rc = date_parse(s, &v, &e);
    if (rc) print_error("date_parse(\"%s\"): %s\n", s, e.message);
    assert_int_equal(rc, 0);
    return v;
}

static void d_bad(const char *s)
{
    int32_t v = 4242;
    gh_err e;
    err_clear(&e);
    int rc = date_parse(s, &v, &e);
    if (rc == 0) print_error("date_parse(\"%s\") accepted\n", s ? s : "(null)");
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, "invalid_date");
    assert_int_equal(v, 4242);
}

static void test_parse(void **state)
{
    assert_int_equal(d_ok("1970-01-01"), 0);
    assert_int_equal(d_ok("1970-01-02"), 1);
    assert_int_equal(d_ok("1969-12-31"), -1);
    assert_int_equal(d_ok("2000-03-01"), 11017);
    assert_int_equal(d_ok("1900-01-01"), -25567);
    assert_int_equal(d_ok("2200-12-31"), 84370);
    d_ok("2000-02-29");
    d_ok("2024-02-29");
    d_ok("2196-02-29");

    d_bad("1900-02-29"); /* 1900 is not a leap year */
    d_bad("2023-02-29");
    d_bad("2100-02-29");
    d_bad("2024-02-30");
    d_bad("2024-04-31");
    d_bad("2024-13-01");
    d_bad("2024-00-10");
    d_bad("2024-01-00");
    d_bad("1899-12-31");
    d_bad("2201-01-01");
    d_bad("2024-1-01");
    d_bad("2024/01/01");
    d_bad(" 2024-01-01");
    d_bad("2024-01-01 ");
    d_bad("2024-01-01T00:00:00Z");
    d_bad("20240101");
    d_bad("");
    d_bad(NULL);
    d_bad("2024-0a-01");
    d_bad("+024-01-01");
}

static void test_format_round_trip(void **state)
{
    char out[11];
    date_format(0, out);
    assert_string_equal(out, "1970-01-01");
    date_format(-1, out);
    assert_string_equal(out, "1969-12-31");
    date_format(19782, out);
    assert_string_equal(out, "2024-02-29");
    date_format(INT32_MAX, out);
    assert_string_equal(out, "0000-00-00");
    date_format(INT32_MIN, out);
    assert_string_equal(out, "0000-00-00");

    /* Every day from 1900 to 2200 survives format -> parse, and ymd agrees
     * with from_ymd. */
    int32_t first = d_ok("1900-01-01"), last = d_ok("2200-12-31");
    int prev_y = 1899, prev_m = 12, prev_d = 31;
    for (int32_t dd = first; dd <= last; dd++) {
        date_format(dd, out);
        int32_t back = -99999;
        assert_int_equal(date_parse(out, &back, NULL), 0);
        assert_int_equal(back, dd);
        int y, m, d;
        date_ymd(dd, &y, &m, &d);
        assert_int_equal(date_from_ymd(y, m, d), dd);
        /* consecutive days step through the calendar */
        if (d == 1) {
            assert_int_equal(prev_d, date_days_in_month(prev_y, prev_m));
            assert_true((m == prev_m + 1 && y == prev_y) || (m == 1 && prev_m == 12 && y == prev_y + 1));
        } else {
            assert_int_equal(d, prev_d + 1);
        }
        prev_y = y; prev_m = m; prev_d = d;
    }
    /* cross-check the platform's UTC conversion */
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    time_t t = (time_t)d_ok("2038-01-19") * 86400 + 3600;
    gmtime_r(&t, &tm);
    assert_int_equal(tm.tm_year + 1900, 2038);
    assert_int_equal(tm.tm_mon + 1, 1);
    assert_int_equal(tm.tm_mday, 19);
}

static void test_leap(void **state)
{
    assert_true(date_is_leap(2000));
    assert_true(date_is_leap(2024));
    assert_false(date_is_leap(1900));
    assert_false(date_is_leap(2100));
    assert_false(date_is_leap(2023));
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2023, 2), 28);
    assert_int_equal(date_days_in_month(2023, 12), 31);
    assert_int_equal(date_days_in_month(2023, 13), 0);
}

static void add_is(const char *from, int months, const char *want)
{
    char out[11];
    date_format(date_add_months(d_ok(from), months), out);
    assert_string_equal(out, want);
}

static void test_add_months(void **state)
{
    add_is("2024-01-31", 1, "2024-02-29");
    add_is("2023-01-31", 1, "2023-02-28");
    add_is("2023-03-31", 1, "2023-04-30");
    add_is("2023-03-31", -1, "2023-02-28");
    add_is("2024-03-31", -1, "2024-02-29");
    add_is("2023-11-15", 2, "2024-01-15");
    add_is("2023-01-15", -1, "2022-12-15");
    add_is("2023-01-15", -13, "2021-12-15");
    add_is("2023-01-15", 0, "2023-01-15");
    add_is("2024-02-29", 12, "2025-02-28");
    add_is("2024-02-29", 48, "2028-02-29");
    add_is("2099-12-31", 2, "2100-02-28");
    add_is("1969-12-31", 1, "1970-01-31");
    add_is("1970-01-31", -1, "1969-12-31");
    add_is("2000-05-31", -1200, "1900-05-31");
}

static int yb(const char *a, const char *b) { return date_years_between(d_ok(a), d_ok(b)); }

static void test_years_between(void **state)
{
    assert_int_equal(yb("1980-05-20", "2024-05-19"), 43);
    assert_int_equal(yb("1980-05-20", "2024-05-20"), 44);
    assert_int_equal(yb("1980-05-20", "2024-05-21"), 44);
    assert_int_equal(yb("2000-02-29", "2001-02-28"), 0);
    assert_int_equal(yb("2000-02-29", "2001-03-01"), 1);
    assert_int_equal(yb("2000-02-29", "2004-02-29"), 4);
    assert_int_equal(yb("2000-02-29", "2004-02-28"), 3);
    assert_int_equal(yb("2024-01-01", "2024-12-31"), 0);
    assert_int_equal(yb("2024-01-01", "2024-01-01"), 0);
    assert_int_equal(yb("1949-12-31", "2024-01-01"), 74);
    assert_int_equal(yb("2024-05-20", "1980-05-20"), -44);
    assert_int_equal(yb("1900-01-01", "2200-12-31"), 300);
}

static void test_month_parse(void **state)
{
    int y = 0, m = 0;
    gh_err e;
    assert_int_equal(date_month_parse("2022-07", &y, &m, &e), 0);
    assert_int_equal(y, 2022);
    assert_int_equal(m, 7);
    const char *bad[] = {"2022-13", "2022-00", "2022-7", "202207", "2022-07-01", "1899-12", "x022-07", "", " 2022-07"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        y = m = -1;
        err_clear(&e);
        assert_int_equal(date_month_parse(bad[i], &y, &m, &e), ERR_INVALID);
        assert_string_equal(e.code, "invalid_month");
        assert_int_equal(y, -1);
    }
    assert_int_equal(date_month_parse(NULL, &y, &m, NULL), ERR_INVALID);
}

static void test_today(void **state)
{
    /* date_today_cn is the UTC clock shifted by 8 hours */
    time_t now = time(NULL);
    int32_t want = (int32_t)((now + 8 * 3600) / 86400);
    int32_t got = date_today_cn();
    assert_true(got == want || got == want + 1); /* midnight race */
    assert_true(got > d_ok("2024-01-01"));
}

static int64_t ts_ok(const char *s)
{
    int64_t v = 0;
    gh_err e;
    err_clear(&e);
    int rc = ts_parse(s, &v, &e);
    if (rc) print_error("ts_parse(\"%s\"): %s\n", s, e.message);
    assert_int_equal(rc, 0);
    return v;
}

static void ts_bad(const char *s)
{
    int64_t v = 31337;
    gh_err e;
    err_clear(&e);
    int rc = ts_parse(s, &v, &e);
    if (rc == 0) print_error("ts_parse(\"%s\") accepted\n", s ? s : "(null)");
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, "invalid_timestamp");
    assert_int_equal(v, 31337);
}

static void test_timestamps(void **state)
{
    char out[32];
    ts_format_ms(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00.000Z");
    ts_format_ms(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59.999Z");
    ts_format_ms(1795971676123LL, out);
    assert_string_equal(out, "2026-11-29T17:01:16.123Z");

    assert_int_equal(ts_ok("2026-11-29T17:01:16.123Z"), 1795971676123LL);
    assert_int_equal(ts_ok("2026-11-29T17:01:16Z"), 1795971676000LL);
    assert_int_equal(ts_ok("2026-11-30T01:01:16+08:00"), 1795971676000LL);
    assert_int_equal(ts_ok("2026-11-29T12:31:16.1-04:30"), 1795971676100LL);
    assert_int_equal(ts_ok("2026-11-29t17:01:16.123456789z"), 1795971676123LL);
    assert_int_equal(ts_ok("2026-11-29 17:01:16.12Z"), 1795971676120LL);
    assert_int_equal(ts_ok("1969-12-31T23:59:59.999Z"), -1);
    assert_int_equal(ts_ok("2024-02-29T00:00:00Z"), 1709164800000LL);

    ts_bad(NULL);
    ts_bad("");
    ts_bad("2026-11-29");
    ts_bad("2026-11-29T17:01:16");       /* no zone */
    ts_bad("2026-11-29T17:01:16.Z");
    ts_bad("2026-11-29T17:01:16.1234567890Z");
    ts_bad("2026-11-29T24:00:00Z");
    ts_bad("2026-11-29T23:60:00Z");
    ts_bad("2026-11-29T23:59:60Z");
    ts_bad("2023-02-29T00:00:00Z");
    ts_bad("2026-11-29T17:01:16+8:00");
    ts_bad("2026-11-29T17:01:16+08");
    ts_bad("2026-11-29T17:01:16+0800");
    ts_bad("2026-11-29T17:01:16+24:00");
    ts_bad("2026-11-29T17:01:16Zjunk");
    ts_bad("2026-11-29X17:01:16Z");

    /* round trip and lexical order */
    char a[32], b[32];
    int64_t now = ts_now_ms();
    ts_format_ms(now, a);
    assert_int_equal(ts_ok(a), now);
    ts_format_ms(now + 1, b);
    assert_true(strcmp(a, b) < 0);
    ts_now(a);
    assert_int_equal(strlen(a), 24);
    assert_true(ts_ok(a) >= now);

    /* clamped, still well-formed */
    ts_format_ms(INT64_MAX, out);
    assert_string_equal(out, "9999-12-31T23:59:59.999Z");
    ts_format_ms(INT64_MIN, out);
    assert_string_equal(out, "0000-01-01T00:00:00.000Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_leap),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_years_between),
        cmocka_unit_test(test_month_parse),
        cmocka_unit_test(test_today),
        cmocka_unit_test(test_timestamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_money.c — unit tests for base/money.c: parsing and formatting fen,
 * int64 limits, ratio rounding, and the property that a split never loses or
 * invents a fen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/money.h"

__extension__ typedef __int128 i128;

static int64_t parse_ok(const char *s)
{
    int64_t v = 12345;
    gh_err e;
    err_clear(&e);
    int rc = money_parse(s, &v, &e);
    if (rc != 0) print_error("money_parse(\"%s\") failed: %s\n", s, e.message);
    assert_int_equal(rc, 0);
    return v;
}

static void parse_bad(const char *s)
{
    int64_t v = 777;
    gh_err e;
    err_clear(&e);
    int rc = money_parse(s, &v, &e);
    if (rc == 0) print_error("money_parse(\"%s\") accepted: %lld\n", s ? s : "(null)", (long long)v);
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, "invalid_amount");
    assert_true(e.message[0] != '\0');
    assert_int_equal(v, 777); /* untouched on failure */
}

static void test_parse_good(void **state)
{
    assert_int_equal(parse_ok("12"), 1200);
    assert_int_equal(parse_ok("12.5"), 1250);
    assert_int_equal(parse_ok("12.50"), 1250);
    assert_int_equal(parse_ok("0.5"), 50);
    assert_int_equal(parse_ok("0.05"), 5);
    assert_int_equal(parse_ok("-3.07"), -307);
    assert_int_equal(parse_ok("+1"), 100);
    assert_int_equal(parse_ok("  42.10\t "), 4210);
    assert_int_equal(parse_ok("1,234.50"), 123450);
    assert_int_equal(parse_ok("1,234,567"), 123456700);
    assert_int_equal(parse_ok("-0.00"), 0);
    assert_int_equal(parse_ok("007"), 700);
    assert_int_equal(parse_ok("92233720368547758.07"), INT64_MAX);
    assert_int_equal(parse_ok("-92233720368547758.08"), INT64_MIN);
    assert_int_equal(parse_ok("-92,233,720,368,547,758.08"), INT64_MIN);
}

static void test_parse_bad(void **state)
{
    parse_bad(NULL);
    parse_bad("");
    parse_bad("   ");
    parse_bad("1.234");     /* three decimals */
    parse_bad("12.");
    parse_bad(".5");
    parse_bad("abc");
    parse_bad("12a");
    parse_bad("1 2");
    parse_bad("--1");
    parse_bad("+-1");
    parse_bad("- 1");
    parse_bad("1e3");
    parse_bad("12,34");     /* bad grouping */
    parse_bad("1234,567");
    parse_bad(",123");
    parse_bad("1,23");
    parse_bad("1,2345");
    parse_bad("1,");
    parse_bad("1,234.5,6");
    parse_bad("0x10");
    parse_bad("92233720368547758.08");   /* INT64_MAX + 1 fen */
    parse_bad("-92233720368547758.09");  /* INT64_MIN - 1 fen */
    parse_bad("92233720368547759");
    parse_bad("99999999999999999999999999999");
    parse_bad("１２");                    /* full-width digits */
}

static void fmt_is(int64_t fen, const char *want)
{
    char out[MONEY_FMT_MAX];
    assert_int_equal(money_format(fen, out, sizeof out), 0);
    assert_string_equal(out, want);
}

static void test_format(void **state)
{
    fmt_is(1250, "12.50");
    fmt_is(-5, "-0.05");
    fmt_is(0, "0.00");
    fmt_is(100, "1.00");
    fmt_is(-100, "-1.00");
    fmt_is(INT64_MAX, "92233720368547758.07");
    fmt_is(INT64_MIN, "-92233720368547758.08");

    char small[5];
    assert_int_equal(money_format(1250, small, sizeof small), ERR_INVALID);
    assert_string_equal(small, "");
    char six[6];
    assert_int_equal(money_format(1250, six, sizeof six), 0);
    assert_string_equal(six, "12.50");
}

static void test_round_trip(void **state)
{
    /* format(parse(x)) == x for canonical text, and parse(format(v)) == v. */
    const int64_t vals[] = {0, 1, -1, 99, 100, 101, -101, 123456789, -987654321,
                            INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char out[MONEY_FMT_MAX];
        assert_int_equal(money_format(vals[i], out, sizeof out), 0);
        assert_int_equal(parse_ok(out), vals[i]);
    }
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17; /* xorshift64, fixed seed */
        int64_t v = (int64_t)x;
        if (i % 2) v >>= (i % 60);
        char out[MONEY_FMT_MAX];
        assert_int_equal(money_format(v, out, sizeof out), 0);
        assert_int_equal(parse_ok(out), v);
    }
}

static void test_add_mul(void **state)
{
    int64_t r = 5;
    assert_int_equal(money_add(1, 2, &r), 0);
    assert_int_equal(r, 3);
    assert_int_equal(money_add(INT64_MAX - 1, 1, &r), 0);
    assert_int_equal(r, INT64_MAX);
    r = 5;
    assert_int_equal(money_add(INT64_MAX, 1, &r), ERR_INVALID);
    assert_int_equal(money_add(INT64_MIN, -1, &r), ERR_INVALID);
    assert_int_equal(r, 5);
    assert_int_equal(money_add(INT64_MIN, INT64_MAX, &r), 0);
    assert_int_equal(r, -1);

    assert_int_equal(money_mul(1250, 3, &r), 0);
    assert_int_equal(r, 3750);
    assert_int_equal(money_mul(-1, INT64_MAX, &r), 0);
    assert_int_equal(r, -INT64_MAX);
    r = 5;
    assert_int_equal(money_mul(INT64_MIN, -1, &r), ERR_INVALID);
    assert_int_equal(money_mul(INT64_MAX / 2 + 1, 2, &r), ERR_INVALID);
    assert_int_equal(money_mul(3037000500LL, 3037000500LL, &r), ERR_INVALID);
    assert_int_equal(r, 5);
}

static int64_t ratio(int64_t fen, int64_t num, int64_t den)
{
    int64_t r = 0;
    assert_int_equal(money_ratio(fen, num, den, &r), 0);
    return r;
}

static void test_ratio(void **state)
{
    assert_int_equal(ratio(1000, 70, 100), 700);     /* 70 % reimbursement */
    assert_int_equal(ratio(1, 1, 2), 1);             /* 0.5 -> 1 */
    assert_int_equal(ratio(-1, 1, 2), -1);           /* -0.5 -> -1 */
    assert_int_equal(ratio(1, -1, 2), -1);
    assert_int_equal(ratio(3, 1, 2), 2);             /* 1.5 -> 2 */
    assert_int_equal(ratio(5, 1, 3), 2);             /* 1.67 -> 2 */
    assert_int_equal(ratio(4, 1, 3), 1);             /* 1.33 -> 1 */
    assert_int_equal(ratio(-4, 1, 3), -1);
    assert_int_equal(ratio(-5, 1, 3), -2);
    assert_int_equal(ratio(12345, 0, 7), 0);
    assert_int_equal(ratio(0, 5, 7), 0);
    /* The product exceeds 64 bits but the result does not. */
    assert_int_equal(ratio(INT64_MAX, INT64_MAX, INT64_MAX), INT64_MAX);
    assert_int_equal(ratio(INT64_MIN, INT64_MAX, INT64_MAX), INT64_MIN);
    assert_int_equal(ratio(INT64_MAX, 3, 4), 6917529027641081855LL); /* ...855.25 */
    assert_int_equal(ratio(INT64_MIN, 1, 2), INT64_MIN / 2);

    int64_t r = 9;
    assert_int_equal(money_ratio(1, 1, 0, &r), ERR_INVALID);
    assert_int_equal(money_ratio(1, 1, -3, &r), ERR_INVALID);
    assert_int_equal(money_ratio(INT64_MAX, 2, 1, &r), ERR_INVALID);
    assert_int_equal(money_ratio(INT64_MIN, -1, 1, &r), ERR_INVALID);
    assert_int_equal(r, 9);
}

static void test_split_basic(void **state)
{
    int64_t parts[3] = {0};
    const int64_t w1[3] = {1, 1, 1};
    assert_int_equal(money_split(100, w1, 3, 0, parts), 0);
    assert_int_equal(parts[0], 34);
    assert_int_equal(parts[1], 33);
    assert_int_equal(parts[2], 33);

    assert_int_equal(money_split(100, w1, 3, 2, parts), 0);
    assert_int_equal(parts[0], 33);
    assert_int_equal(parts[2], 34);

    assert_int_equal(money_split(-100, w1, 3, 1, parts), 0);
    assert_int_equal(parts[0], -33);
    assert_int_equal(parts[1], -34);
    assert_int_equal(parts[2], -33);

    const int64_t w2[3] = {0, 5, 0};
    assert_int_equal(money_split(999, w2, 3, 0, parts), 0);
    assert_int_equal(parts[0], 0);
    assert_int_equal(parts[1], 999);
    assert_int_equal(parts[2], 0);

    const int64_t w3[2] = {INT64_MAX, INT64_MAX};
    int64_t p2[2];
    assert_int_equal(money_split(INT64_MIN, w3, 2, 0, p2), 0);
    assert_int_equal(p2[0], INT64_MIN / 2);
    assert_int_equal(p2[1], INT64_MIN / 2);
    assert_int_equal(money_split(INT64_MAX, w3, 2, 1, p2), 0);
    assert_int_equal(p2[0], INT64_MAX / 2);
    assert_int_equal(p2[1], INT64_MAX / 2 + 1);

    int64_t keep[3] = {7, 7, 7};
    const int64_t zero[3] = {0, 0, 0};
    const int64_t neg[3] = {1, -1, 5};
    assert_int_equal(money_split(100, zero, 3, 0, keep), ERR_INVALID);
    assert_int_equal(money_split(100, neg, 3, 0, keep), ERR_INVALID);
    assert_int_equal(money_split(100, w1, 3, 3, keep), ERR_INVALID);
    assert_int_equal(money_split(100, w1, 0, 0, keep), ERR_INVALID);
    assert_int_equal(keep[0], 7);
    assert_int_equal(keep[2], 7);
}

static uint64_t rng = 88172645463325252u;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_split_property(void **state)
{
    /* For many random totals and weights: the parts sum to total exactly,
     * every part other than the remainder slot is the truncated share, and
     * the remainder slot gets less than n extra fen. */
    int64_t w[40], parts[40];
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = 1 + next_rand() % 40;
        int64_t total;
        switch (iter % 4) {
        case 0: total = (int64_t)(next_rand() % 1000000); break;
        case 1: total = -(int64_t)(next_rand() % 100000000); break;
        case 2: total = (int64_t)next_rand(); break; /* any int64 */
        default: total = (int64_t)(next_rand() % 10); break;
        }
        int64_t wsum = 0;
        for (size_t i = 0; i < n; i++) {
            w[i] = (iter % 3 == 0) ? (int64_t)(next_rand() % 3)
                                   : (int64_t)(next_rand() % 1000000000000LL);
            wsum += w[i];
        }
        if (wsum == 0) w[0] = 1;
        size_t rem = next_rand() % n;
        assert_int_equal(money_split(total, w, n, rem, parts), 0);
        i128 s = 0, sum = 0;
        for (size_t i = 0; i < n; i++) sum += w[i];
        for (size_t i = 0; i < n; i++) {
            s += parts[i];
            i128 share = (i128)total * w[i] / sum;
            if (i != rem) assert_true(parts[i] == share);
            else assert_true(parts[i] - share >= -(i128)n &&
                             parts[i] - share <= (i128)n);
            /* every part has the sign of total (or is zero) */
            if (total >= 0) assert_true(parts[i] >= 0);
            else assert_true(parts[i] <= 0);
        }
        assert_true(s == total);
    }
}

static void cn_is(int64_t fen, const char *want)
{
    char out[64];
    assert_int_equal(money_format_yuan_cn(fen, out, sizeof out), 0);
    assert_string_equal(out, want);
}

static void test_yuan_cn(void **state)
{
    cn_is(0, "0.00元");
    cn_is(5, "0.05元");
    cn_is(123450, "1,234.50元");
    cn_is(99999999, "100.00万元");        /* 999,999.99元 = 99.9999..万 */
    cn_is(999999, "9,999.99元");
    cn_is(1000000, "1.00万元");
    cn_is(12345000, "12.35万元");         /* 12.345万 rounds half up */
    cn_is(12344999, "12.34万元");
    cn_is(-12345000, "-12.35万元");
    cn_is(-123450, "-1,234.50元");
    cn_is(9999995000LL, "1.00亿元");      /* 9999.995万 rounds into 亿 */
    cn_is(9999994999LL, "9999.99万元");
    cn_is(10000000000LL, "1.00亿元");
    cn_is(125000000000LL, "12.50亿元");
    cn_is(INT64_MAX, "922337203.69亿元");
    cn_is(INT64_MIN, "-922337203.69亿元");
    char small[8];
    assert_int_equal(money_format_yuan_cn(123450, small, sizeof small), ERR_INVALID);
    assert_string_equal(small, "");
}

static void count_is(int64_t n, const char *want)
{
    char out[40];
    assert_int_equal(money_format_count_cn(n, out, sizeof out), 0);
    if (strcmp(out, want)) print_error("money_format_count_cn(%lld) = %s, want %s\n", (long long)n, out, want);
    assert_string_equal(out, want);
}

static void short_is(int64_t fen, const char *want)
{
    char out[48];
    assert_int_equal(money_format_yuan_short_cn(fen, out, sizeof out), 0);
    if (strcmp(out, want)) print_error("money_format_yuan_short_cn(%lld) = %s, want %s\n", (long long)fen, out, want);
    assert_string_equal(out, want);
}

static void test_count_cn(void **state)
{
    (void)state;
    count_is(0, "0");
    count_is(-3, "0");
    count_is(58, "58");
    count_is(1234, "1,234");
    count_is(9999, "9,999");
    count_is(10000, "1万");
    count_is(188000, "18.8万");
    count_is(187950, "18.8万"); /* half up */
    count_is(187949, "18.8万");
    count_is(187940, "18.8万");
    count_is(1880000, "188万");
    count_is(123456789, "12,345.7万");
}

static void test_yuan_short_cn(void **state)
{
    (void)state;
    short_is(0, "0元");
    short_is(360000, "3,600元");
    short_is(49, "0元");
    short_is(50, "1元");
    short_is(999949, "9,999元");
    short_is(999950, "1万元"); /* rounds into the next unit */
    short_is(9840000, "9.8万元");
    short_is(3899000000LL, "3,899万元"); /* 自2014年以来全省投入疗休养补助3,899万元 */
    short_is(3899049999LL, "3,899万元");
    short_is(9999950000LL, "1亿元");
    short_is(12345678900LL, "1.23亿元");
    short_is(10500000000LL, "1.05亿元");
    short_is(12000000000LL, "1.2亿元");
    short_is(-100, "0元");                /* totals below zero show as zero */
    short_is(INT64_MAX, "922,337,203.69亿元");
    count_is(INT64_MAX, "922,337,203,685,477.6万");
    char small[6];
    assert_int_equal(money_format_yuan_short_cn(360000, small, sizeof small), ERR_INVALID);
    assert_string_equal(small, "");
    assert_int_equal(money_format_count_cn(188000, small, sizeof small), ERR_INVALID);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_add_mul),
        cmocka_unit_test(test_ratio),
        cmocka_unit_test(test_split_basic),
        cmocka_unit_test(test_split_property),
        cmocka_unit_test(test_yuan_cn),
        cmocka_unit_test(test_count_cn),
        cmocka_unit_test(test_yuan_short_cn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

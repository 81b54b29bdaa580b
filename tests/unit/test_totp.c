/* test_totp.c — one-time passwords against the published test vectors:
 * HOTP values of RFC 4226 appendix D, the SHA-1 TOTP values of RFC 6238
 * appendix B (eight digits, 30-second steps, the 20-byte ASCII secret
 * "12345678901234567890"), the window of ±1 step, and base32 against the
 * examples of RFC 4648 section 10. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/totp.h"

static const unsigned char SECRET[] = "12345678901234567890";
#define SECRET_LEN 20

static void test_rfc4226_hotp(void **state)
{
    (void)state;
    static const char *const want[] = {"755224", "287082", "359152", "969429", "338314",
                                       "254676", "287922", "162583", "399871", "520489"};
    for (uint64_t c = 0; c < 10; c++) {
        char got[10];
        hotp_text(SECRET, SECRET_LEN, c, 6, got);
        assert_string_equal(got, want[c]);
    }
}

static void test_rfc6238_totp_sha1(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        int64_t step;
        const char *code;
    } v[] = {
        {59, 0x1, "94287082"},
        {1111111109, 0x23523EC, "07081804"},
        {1111111111, 0x23523ED, "14050471"},
        {1234567890, 0x273EF07, "89005924"},
        {2000000000, 0x3F940AA, "69279037"},
        {20000000000LL, 0x27BC86AA, "65353130"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        int64_t s = totp_step(v[i].t, 30);
        assert_int_equal(s, v[i].step);
        char got[10];
        hotp_text(SECRET, SECRET_LEN, (uint64_t)s, 8, got);
        assert_string_equal(got, v[i].code);
        int64_t m = -1;
        assert_int_equal(totp_match(SECRET, SECRET_LEN, v[i].code, 8, s, 1, &m), 1);
        assert_int_equal(m, s);
    }
}

static void test_window(void **state)
{
    (void)state;
    int64_t now = totp_step(1234567890, 30);
    char prev[10], next[10], far[10], six[10];
    hotp_text(SECRET, SECRET_LEN, (uint64_t)(now - 1), 6, prev);
    hotp_text(SECRET, SECRET_LEN, (uint64_t)(now + 1), 6, next);
    hotp_text(SECRET, SECRET_LEN, (uint64_t)(now + 2), 6, far);
    hotp_text(SECRET, SECRET_LEN, (uint64_t)now, 6, six);
    int64_t m = 0;
    assert_int_equal(totp_match(SECRET, SECRET_LEN, prev, 6, now, 1, &m), 1);
    assert_int_equal(m, now - 1);
    assert_int_equal(totp_match(SECRET, SECRET_LEN, next, 6, now, 1, &m), 1);
    assert_int_equal(m, now + 1);
    /* two steps away is refused (unless it happens to equal a nearer code) */
    if (strcmp(far, prev) && strcmp(far, six) && strcmp(far, next))
        assert_int_equal(totp_match(SECRET, SECRET_LEN, far, 6, now, 1, &m), 0);
    /* wrong shape */
    assert_int_equal(totp_match(SECRET, SECRET_LEN, "12345", 6, now, 1, &m), 0);
    assert_int_equal(totp_match(SECRET, SECRET_LEN, "12a456", 6, now, 1, &m), 0);
    assert_int_equal(totp_match(SECRET, SECRET_LEN, NULL, 6, now, 1, &m), 0);
    /* the 6-digit code is the last six digits of the 8-digit one */
    char eight[10];
    hotp_text(SECRET, SECRET_LEN, (uint64_t)now, 8, eight);
    assert_string_equal(six, eight + 2);
    /* floor before 1970 */
    assert_int_equal(totp_step(-1, 30), -1);
    assert_int_equal(totp_step(29, 30), 0);
    assert_int_equal(totp_step(30, 30), 1);
}

static void test_base32(void **state)
{
    (void)state;
    static const struct {
        const char *plain, *enc;
    } v[] = {
        {"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"},
        {"foobar", "MZXW6YTBOI"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[32];
        size_t n = base32_encode((const unsigned char *)v[i].plain, strlen(v[i].plain), out, sizeof out);
        assert_int_equal(n, strlen(v[i].enc));
        assert_string_equal(out, v[i].enc);
        unsigned char back[32];
        int m = base32_decode(v[i].enc, back, sizeof back);
        assert_int_equal(m, (int)strlen(v[i].plain));
        assert_memory_equal(back, v[i].plain, (size_t)m);
    }
    /* padding, lower case, spaces and hyphens as people type them */
    unsigned char b[32];
    assert_int_equal(base32_decode("mzxw 6ytb-oi======", b, sizeof b), 6);
    assert_memory_equal(b, "foobar", 6);
    assert_int_equal(base32_decode("MZXW1", b, sizeof b), -1);
    assert_int_equal(base32_decode("MY=A", b, sizeof b), -1);
    assert_int_equal(base32_decode("MZXW6YTBOI", b, 3), -1);
    /* the RFC 6238 secret round-trips through the 32-character form apps show */
    char s32[40];
    assert_int_equal(base32_encode(SECRET, SECRET_LEN, s32, sizeof s32), 32);
    assert_string_equal(s32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4226_hotp),
        cmocka_unit_test(test_rfc6238_totp_sha1),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_base32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

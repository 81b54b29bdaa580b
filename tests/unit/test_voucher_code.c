/* test_voucher_code.c — unit tests for the voucher codes of domain/voucher.c:
 * fresh codes carry a valid check symbol and use the whole alphabet; every
 * single mistyped symbol is caught (Luhn mod 32 guarantees it); typing styles
 * (case, spaces, hyphens, O for 0, I/L for 1) are forgiven; the shown form
 * groups by four. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/crypto.h"
#include "domain/voucher/voucher.h"

static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int setup(void **state)
{
    (void)state;
    return crypto_init();
}

static void test_fresh_codes(void **state)
{
    (void)state;
    int seen[32] = {0};
    char prev[VOUCHER_CODE_LEN + 1] = "";
    for (int t = 0; t < 2000; t++) {
        char c[VOUCHER_CODE_LEN + 1], back[VOUCHER_CODE_LEN + 1];
        voucher_code_new(c);
        assert_int_equal(strlen(c), VOUCHER_CODE_LEN);
        assert_int_equal(voucher_code_parse(c, back, NULL), 0);
        assert_string_equal(back, c);
        assert_string_not_equal(c, prev);
        memcpy(prev, c, sizeof prev);
        for (int i = 0; i < VOUCHER_CODE_LEN - 1; i++) seen[strchr(ALPHABET, c[i]) - ALPHABET]++;
    }
    /* 2000 × 23 symbols: each of the 32 should appear about 1437 times */
    for (int i = 0; i < 32; i++) assert_in_range(seen[i], 1200, 1700);
}

static void test_single_errors_caught(void **state)
{
    (void)state;
    for (int t = 0; t < 50; t++) {
        char c[VOUCHER_CODE_LEN + 1], back[VOUCHER_CODE_LEN + 1];
        voucher_code_new(c);
        for (int pos = 0; pos < VOUCHER_CODE_LEN; pos++) {
            for (int s = 0; s < 32; s++) {
                if (ALPHABET[s] == c[pos]) continue;
                char bad[VOUCHER_CODE_LEN + 1];
                memcpy(bad, c, sizeof bad);
                bad[pos] = ALPHABET[s];
                gh_err e;
                err_clear(&e);
                assert_int_equal(voucher_code_parse(bad, back, &e), ERR_INVALID);
                assert_string_equal(e.code, "invalid_voucher_code");
            }
        }
    }
}

static void test_typing_styles(void **state)
{
    (void)state;
    char c[VOUCHER_CODE_LEN + 1], shown[VOUCHER_CODE_SHOWN], back[VOUCHER_CODE_LEN + 1];
    voucher_code_new(c);
    voucher_code_format(c, shown);
    assert_int_equal(strlen(shown), 29);
    for (int i = 4; i < 29; i += 5) assert_int_equal(shown[i], '-');
    assert_int_equal(voucher_code_parse(shown, back, NULL), 0);
    assert_string_equal(back, c);
    /* lower case, spaces, O for 0, I and L for 1 */
    char loose[80];
    size_t o = 0;
    for (int i = 0; c[i]; i++) {
        char ch = c[i];
        if (ch == '0') ch = 'o';
        else if (ch == '1') ch = (i % 2) ? 'I' : 'l';
        else if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        loose[o++] = ch;
        if (i % 3 == 2) loose[o++] = ' ';
    }
    loose[o] = '\0';
    assert_int_equal(voucher_code_parse(loose, back, NULL), 0);
    assert_string_equal(back, c);
    /* wrong length, foreign characters */
    assert_int_equal(voucher_code_parse("", back, NULL), ERR_INVALID);
    assert_int_equal(voucher_code_parse(NULL, back, NULL), ERR_INVALID);
    char longer[40];
    snprintf(longer, sizeof longer, "%s0", c);
    assert_int_equal(voucher_code_parse(longer, back, NULL), ERR_INVALID);
    char u[VOUCHER_CODE_LEN + 1];
    memcpy(u, c, sizeof u);
    u[3] = 'U'; /* not in the alphabet */
    assert_int_equal(voucher_code_parse(u, back, NULL), ERR_INVALID);
    /* all zeros is well-formed (the check symbol of zeros is 0) */
    assert_int_equal(voucher_code_parse("000000000000000000000000", back, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_codes),
        cmocka_unit_test(test_single_errors_caught),
        cmocka_unit_test(test_typing_styles),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

/* test_valid.c — unit tests for base/valid.c. The known-good ID numbers and
 * credit codes below were checked with an independent calculation (a Python
 * one-liner over the GB 11643 / GB 32100 weights) before being written here;
 * the brute-force tests additionally show that exactly one check character
 * is accepted for every body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/date.h"
#include "base/valid.h"

static int32_t day(const char *s)
{
    int32_t d = 0;
    assert_int_equal(date_parse(s, &d, NULL), 0);
    return d;
}

static void id_ok(const char *s, const char *want)
{
    char out[19] = "unchanged";
    gh_err e;
    err_clear(&e);
    int rc = valid_id_number(s, out, &e);
    if (rc) print_error("valid_id_number(\"%s\"): %s\n", s, e.message);
    assert_int_equal(rc, 0);
    assert_string_equal(out, want);
}

/* Fails with the id code and a message containing `part`. */
static void id_bad_at(const char *s, int32_t today, const char *part)
{
    char out[19] = "unchanged";
    gh_err e;
    err_clear(&e);
    int rc = valid_id_number_asof(s, today, out, &e);
    if (rc == 0) print_error("valid_id_number(\"%s\") accepted\n", s ? s : "(null)");
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, "invalid_id_number");
    assert_string_equal(e.field, "id_number");
    if (!strstr(e.message, part)) print_error("message \"%s\" lacks \"%s\"\n", e.message, part);
    assert_non_null(strstr(e.message, part));
    assert_string_equal(out, "unchanged");
    /* the number itself never appears in the message */
    if (s && strlen(s) >= 6) assert_null(strstr(e.message, s));
}

static void id_bad(const char *s, const char *part) { id_bad_at(s, date_today_cn(), part); }

static void test_id_good(void **state)
{
    id_ok("11010519491231002X", "11010519491231002X"); /* GB 11643 example */
    id_ok("11010519491231002x", "11010519491231002X");
}

static void test_id_good_set(void **state)
{
    id_ok("320102198001011238", "320102198001011238");
    id_ok("440301199003074415", "440301199003074415");
    id_ok("510107200002290029", "510107200002290029"); /* born on a leap day */
    id_ok("650102199912310010", "650102199912310010");
    id_ok("810000198506150004", "810000198506150004"); /* HK residence permit */
}

static void test_id_bad(void **state)
{
    id_bad(NULL, "请填写");
    id_bad("", "请填写");
    id_bad("11010519491231002", "长度");          /* 17 characters */
    id_bad("11010519491231002X1", "长度");
    id_bad("110105491231002", "长度");            /* old 15-digit form */
    id_bad("11010519491231002Y", "数字");
    id_bad("1101051949123100XX", "数字");
    id_bad("11010519491231 02X", "数字");
    id_bad("ABCDEF19491231002X", "数字");
    id_bad("１１010519491231002", "长度");        /* full-width digits: bytes */
    id_bad("320102198001011234", "校验码");       /* wrong check digit (8 is right) */
    id_bad("110105194912310021", "校验码");       /* X is right */
    id_bad("320102198002301234", "出生日期");     /* Feb 30 */
    id_bad("320102190002291234", "出生日期");     /* 1900 not a leap year */
    id_bad("320102198013011234", "出生日期");     /* month 13 */
    id_bad("320102198001001234", "出生日期");     /* day 0 */
    id_bad("320102189912311234", "1900");         /* before 1900 */
    id_bad("001234198001011234", "地区码");
    id_bad("991234198001011234", "地区码");
    id_bad("161234198001011234", "地区码");
    id_bad("440524188001010014", "1900");         /* check digit right, born 1880 */
    /* future birth date: valid otherwise. Body 11010520300101001, check
     * digit computed below, must fail as "晚于今天" before 2030 and pass
     * after. */
    const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    char fut[19] = "11010520300101001?";
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (fut[i] - '0') * w[i];
    fut[17] = "10X98765432"[sum % 11];
    id_bad_at(fut, day("2029-12-31"), "晚于今天");
    char out[19];
    assert_int_equal(valid_id_number_asof(fut, day("2030-01-01"), out, NULL), 0);
    /* born today is fine, tomorrow is not (China date) */
    char tod[19] = "11010520260315002?";
    sum = 0;
    for (int i = 0; i < 17; i++) sum += (tod[i] - '0') * w[i];
    tod[17] = "10X98765432"[sum % 11];
    assert_int_equal(valid_id_number_asof(tod, day("2026-03-15"), out, NULL), 0);
    id_bad_at(tod, day("2026-03-14"), "晚于今天");
}

static void test_id_check_unique(void **state)
{
    /* For several bodies exactly one of the eleven check characters passes. */
    const char *bodies[] = {"11010519491231002", "32010219800101123", "51010720000229002",
                            "65010219991231001", "44030119900307441", "37020219751108561"};
    const char cand[] = "0123456789X";
    for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++) {
        int good = 0;
        for (int c = 0; c < 11; c++) {
            char id[19];
            memcpy(id, bodies[b], 17);
            id[17] = cand[c];
            id[18] = '\0';
            char out[19];
            if (valid_id_number_asof(id, day("2100-01-01"), out, NULL) == 0) good++;
        }
        assert_int_equal(good, 1);
    }
}

static void test_id_birth_gender(void **state)
{
    int32_t d = 0;
    assert_int_equal(valid_id_birth("11010519491231002X", &d), 0);
    assert_int_equal(d, day("1949-12-31"));
    assert_int_equal(valid_id_birth("510107200002290029", &d), 0);
    assert_int_equal(d, day("2000-02-29"));
    assert_int_equal(valid_id_birth("510107200002300029", &d), ERR_INVALID);
    assert_int_equal(valid_id_birth("5101072000", &d), ERR_INVALID);
    assert_int_equal(valid_id_birth(NULL, &d), ERR_INVALID);

    assert_int_equal(valid_id_gender("11010519491231002X"), 2); /* 2: even -> female */
    assert_int_equal(valid_id_gender("440301199003074415"), 1); /* 1: odd -> male */
    assert_int_equal(valid_id_gender("320102198001011238"), 1);
    assert_int_equal(valid_id_gender("650102199912310010"), 1);
    assert_int_equal(valid_id_gender("810000198506150004"), 2);
    assert_int_equal(valid_id_gender("1101051949123100AX"), ERR_INVALID);
    assert_int_equal(valid_id_gender(NULL), ERR_INVALID);
}

static void uscc_ok(const char *s, const char *want)
{
    char out[19] = "unchanged";
    gh_err e;
    err_clear(&e);
    int rc = valid_uscc(s, out, &e);
    if (rc) print_error("valid_uscc(\"%s\"): %s\n", s, e.message);
    assert_int_equal(rc, 0);
    assert_string_equal(out, want);
}

static void uscc_bad(const char *s, const char *part)
{
    char out[19] = "unchanged";
    gh_err e;
    err_clear(&e);
    int rc = valid_uscc(s, out, &e);
    if (rc == 0) print_error("valid_uscc(\"%s\") accepted\n", s ? s : "(null)");
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, "invalid_credit_code");
    assert_string_equal(e.field, "uscc");
    if (!strstr(e.message, part)) print_error("message \"%s\" lacks \"%s\"\n", e.message, part);
    assert_non_null(strstr(e.message, part));
    assert_string_equal(out, "unchanged");
}

static void test_uscc(void **state)
{
    uscc_ok("91350100M000100Y43", "91350100M000100Y43");
    uscc_ok("91350100m000100y43", "91350100M000100Y43");
    uscc_ok("91320102MA1N2B3C4W", "91320102MA1N2B3C4W");
    uscc_ok("52110000500021676T", "52110000500021676T");
    uscc_ok("12100000400000122T", "12100000400000122T");
    uscc_ok("91330106MA27XLQ0XL", "91330106MA27XLQ0XL");
    uscc_ok("11100000000013127D", "11100000000013127D");
    uscc_ok("Y1110000MA00000K0F", "Y1110000MA00000K0F");

    uscc_bad(NULL, "请填写");
    uscc_bad("", "请填写");
    uscc_bad("91350100M000100Y4", "长度");
    uscc_bad("91350100M000100Y433", "长度");
    uscc_bad("91350100M000100Y44", "校验码");
    uscc_bad("91110000600037479C", "校验码");      /* check should be 6 */
    uscc_bad("91350100I000100Y43", "无效字符");
    uscc_bad("91350100O000100Y43", "无效字符");
    uscc_bad("91350100Z000100Y43", "无效字符");
    uscc_bad("91350100S000100Y43", "无效字符");
    uscc_bad("91350100V000100Y43", "无效字符");
    uscc_bad("91350100-000100Y43", "无效字符");
    uscc_bad("9135A100M000100Y43", "第 3–8 位");
    uscc_bad("91350100M000100Y4\xe4", "无效字符");

    /* Exactly one of the 31 characters completes each body. */
    const char *bodies[] = {"91350100M000100Y4", "91320102MA1N2B3C4", "12100000400000122",
                            "Y1110000MA00000K0", "91440300MA5DC6QX6"};
    const char *alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++) {
        int good = 0;
        for (int c = 0; c < 31; c++) {
            char code[19], out[19];
            memcpy(code, bodies[b], 17);
            code[17] = alpha[c];
            code[18] = '\0';
            if (valid_uscc(code, out, NULL) == 0) good++;
        }
        assert_int_equal(good, 1);
    }
}

static void mobile_ok(const char *s, const char *want)
{
    char out[12] = "unchanged";
    gh_err e;
    err_clear(&e);
    int rc = valid_mobile(s, out, &e);
    if (rc) print_error("valid_mobile(\"%s\"): %s\n", s, e.message);
    assert_int_equal(rc, 0);
    assert_string_equal(out, want);
}

static void mobile_bad(const char *s)
{
    char out[12] = "unchanged";
    gh_err e;
    err_clear(&e);
    int rc = valid_mobile(s, out, &e);
    if (rc == 0) print_error("valid_mobile(\"%s\") accepted\n", s ? s : "(null)");
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, "invalid_mobile");
    assert_string_equal(e.field, "mobile");
    assert_string_equal(out, "unchanged");
}

static void test_mobile(void **state)
{
    mobile_ok("13800138000", "13800138000");
    mobile_ok("19912345678", "19912345678");
    mobile_ok("+8613800138000", "13800138000");
    mobile_ok("8613800138000", "13800138000");
    mobile_ok("+86 138 0013 8000", "13800138000");
    mobile_ok("138-0013-8000", "13800138000");
    mobile_ok("  13800138000 ", "13800138000");

    mobile_bad(NULL);
    mobile_bad("");
    mobile_bad("1380013800");      /* 10 digits */
    mobile_bad("138001380001");    /* 12 digits */
    mobile_bad("12800138000");     /* 12x is not mobile */
    mobile_bad("10800138000");
    mobile_bad("23800138000");
    mobile_bad("+1 415 555 0100");
    mobile_bad("+85291234567");
    mobile_bad("+86 12800138000");
    mobile_bad("138.0013.8000");
    mobile_bad("1380013800a");
    mobile_bad("010-12345678");
    mobile_bad("0086 13800138000");
    mobile_bad("86 86 13800138000");
}

static void test_bank_account(void **state)
{
    gh_err e;
    char out[VALID_ACCOUNT_MAX + 1];
    assert_int_equal(valid_bank_account("6222021234567890123", "account_number", out, &e), 0);
    assert_string_equal(out, "6222021234567890123");
    assert_int_equal(valid_bank_account("6222 0212-3456 7890 123", "bank_account", out, &e), 0);
    assert_string_equal(out, "6222021234567890123");
    assert_int_equal(valid_bank_account("12345678", "x", out, NULL), 0);  /* 8 digits: the shortest */
    assert_string_equal(out, "12345678");
    assert_int_equal(valid_bank_account("123456789012345678901234567890", "x", out, NULL), 0); /* 30 */
    assert_string_equal(out, "123456789012345678901234567890");
    assert_int_equal(valid_bank_account("1234-5678-9012-3456-7890-1234-5678-90", "x", out, NULL), 0);
    /* refused: the field is the caller's, the message the same everywhere */
    const char *bad[] = {"1234567", "1234 567", "1234567890123456789012345678901", "12ab5678", "６２２２０２１２",
                         "12345678.", "        ", "", "--------", NULL};
    for (size_t i = 0; bad[i]; i++) {
        err_clear(&e);
        memset(out, 'x', sizeof out);
        if (valid_bank_account(bad[i], "bank_account", out, &e) != ERR_INVALID) print_error("accepted: %s\n", bad[i]);
        assert_int_equal(e.rc, ERR_INVALID);
        assert_string_equal(e.code, "invalid_account");
        assert_string_equal(e.field, "bank_account");
        assert_string_equal(e.message, "银行账号应为 8 到 30 位数字");
        assert_string_equal(out, "");
    }
    assert_int_equal(valid_bank_account(NULL, "account_number", out, NULL), ERR_INVALID);
    /* a long run of digits never writes past out */
    char longer[200];
    memset(longer, '9', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(valid_bank_account(longer, "x", out, NULL), ERR_INVALID);
}

static void test_region(void **state)
{
    gh_err e;
    assert_int_equal(valid_region_code("110105", &e), 0);
    assert_int_equal(valid_region_code("320000", &e), 0);
    assert_int_equal(valid_region_code("820000", &e), 0);
    assert_int_equal(valid_region_code("910000", &e), 0);
    const char *bad[] = {"16", "1101051", "11010a", "000000", "160101", "240101", "380101",
                         "470101", "550101", "660101", "720101", "840101", "900101", "920101", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_clear(&e);
        assert_int_equal(valid_region_code(bad[i], &e), ERR_INVALID);
        assert_string_equal(e.code, "invalid_region_code");
        assert_string_equal(e.field, "region_code");
    }
    assert_int_equal(valid_region_code(NULL, NULL), ERR_INVALID);
    /* every accepted province */
    const int prov[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
                        44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91};
    int count = 0;
    for (int p = 0; p < 100; p++) {
        char s[7] = {(char)('0' + p / 10), (char)('0' + p % 10), '0', '1', '0', '2', 0};
        int ok = valid_region_code(s, NULL) == 0;
        int want = 0;
        for (size_t k = 0; k < sizeof prov / sizeof prov[0]; k++) want |= prov[k] == p;
        assert_int_equal(ok, want);
        count += ok;
    }
    assert_int_equal(count, 36);
}

static void test_utf8(void **state)
{
    const char *good[] = {"", "abc", "张三", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf",
                          "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",
                          "😀 emoji", "欧阳·娜娜"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(valid_utf8(good[i], strlen(good[i])), 1);
    const char *bad[] = {"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xc2", "\xc2\x41", "\xe0\x80\x80",
                         "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xe4\xb8", "\xf0\x80\x80\x80",
                         "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe",
                         "\xd5\xc5\xc8\xfd" /* 张三 in GBK */, "ok\xe4\xb8"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(valid_utf8(bad[i], strlen(bad[i])), 0);
    assert_int_equal(valid_utf8("a\0b", 3), 1);
    assert_int_equal(valid_utf8("\xe4\xb8\xad", 2), 0); /* length bounds the check */

    assert_int_equal(utf8_chars(""), 0);
    assert_int_equal(utf8_chars("abc"), 3);
    assert_int_equal(utf8_chars("张三"), 2);
    assert_int_equal(utf8_chars("欧阳娜娜 A😀"), 7);
    assert_int_equal(utf8_chars(NULL), 0);
}

static void test_masks(void **state)
{
    char id[19], mob[12], buf[64];
    mask_id_number("32010219800101123X", id);
    assert_string_equal(id, "3201**********123X");
    mask_id_number("320102800101123", id);            /* 15 digits */
    assert_string_equal(id, "3201*******1123");
    mask_id_number("12345678", id);
    assert_string_equal(id, "********");
    mask_id_number("3201021980010112345", id);         /* 19: all masked */
    assert_string_equal(id, "******************");
    mask_id_number("张三李四王五赵六钱七", id);         /* non-ASCII: all masked */
    assert_string_equal(id, "**********");
    mask_id_number(NULL, id);
    assert_string_equal(id, "");

    mask_mobile("13800138000", mob);
    assert_string_equal(mob, "138****8000");
    mask_mobile("1380013800", mob);
    assert_string_equal(mob, "**********");
    mask_mobile("138001380001234567", mob);
    assert_string_equal(mob, "***********");
    mask_mobile(NULL, mob);
    assert_string_equal(mob, "");

    mask_name("张", buf, sizeof buf);
    assert_string_equal(buf, "张");
    mask_name("张三", buf, sizeof buf);
    assert_string_equal(buf, "张*");
    mask_name("张小明", buf, sizeof buf);
    assert_string_equal(buf, "张*明");
    mask_name("欧阳小明", buf, sizeof buf);
    assert_string_equal(buf, "欧**明");
    mask_name("买买提·吐尔逊", buf, sizeof buf);
    assert_string_equal(buf, "买*****逊");
    mask_name("Li", buf, sizeof buf);
    assert_string_equal(buf, "L*");
    mask_name("", buf, sizeof buf);
    assert_string_equal(buf, "");
    mask_name(NULL, buf, sizeof buf);
    assert_string_equal(buf, "");
    /* a too-small buffer never ends in half a character */
    char small[5];
    mask_name("张小明", small, sizeof small);
    assert_string_equal(small, "张*");
    char tiny[3];
    mask_name("张小明", tiny, sizeof tiny);
    assert_string_equal(tiny, "");
    mask_name("张小明", buf, 0); /* n == 0 writes nothing */
    mask_name("\xe5\xbc", buf, sizeof buf); /* malformed: bytes treated one at a time */
    assert_int_equal(strlen(buf), 2);
    assert_int_equal(buf[1], '*');

    mask_account("6222021234567890123", buf, sizeof buf);
    assert_string_equal(buf, "6222***********0123");
    mask_account("6222 0212 3456 7890 123", buf, sizeof buf);
    assert_string_equal(buf, "6222***********0123");
    mask_account("12345678", buf, sizeof buf);
    assert_string_equal(buf, "****5678");
    mask_account("123456789", buf, sizeof buf);
    assert_string_equal(buf, "1234*6789");
    mask_account("1234", buf, sizeof buf);
    assert_string_equal(buf, "****");
    mask_account(NULL, buf, sizeof buf);
    assert_string_equal(buf, "");
    char acc[10];
    mask_account("6222021234567890123", acc, sizeof acc);
    assert_string_equal(acc, "6222*****");

    mask_tail("13800138000", 4, buf, sizeof buf);
    assert_string_equal(buf, "*******8000");
    mask_tail("张小明", 1, buf, sizeof buf);
    assert_string_equal(buf, "**明");
    mask_tail("abc", 5, buf, sizeof buf);
    assert_string_equal(buf, "abc");
    mask_tail("abc", 0, buf, sizeof buf);
    assert_string_equal(buf, "***");
    mask_tail(NULL, 2, buf, sizeof buf);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_good),
        cmocka_unit_test(test_id_good_set),
        cmocka_unit_test(test_id_bad),
        cmocka_unit_test(test_id_check_unique),
        cmocka_unit_test(test_id_birth_gender),
        cmocka_unit_test(test_uscc),
        cmocka_unit_test(test_mobile),
        cmocka_unit_test(test_bank_account),
        cmocka_unit_test(test_region),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_masks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

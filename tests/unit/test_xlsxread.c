/* test_xlsxread.c — unit tests for base/xlsxread.c over workbooks written by
 * libxlsxwriter (a different producer from the hand-built zips in
 * tests/lib/xlsx.js): shared strings, numbers, dates by number format, rows
 * and cells Excel leaves out, quoting, and files that are not workbooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "base/xlsxread.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)n + 1);
    assert_non_null(d);
    assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return d;
}

/* Write a workbook with fill(), read it back as CSV. */
static char *roundtrip(void (*fill)(lxw_workbook *, lxw_worksheet *), gh_err *e, int *rc)
{
    char path[] = "/tmp/gh-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "缴费明细");
    fill(wb, ws);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len;
    char *data = slurp(path, &len);
    unlink(path);
    assert_true(xlsx_is_workbook(data, len));
    char *csv = NULL;
    size_t clen = 0;
    *rc = xlsx_to_csv(data, len, &csv, &clen, e);
    free(data);
    if (*rc == 0) assert_int_equal(strlen(csv), clen);
    return csv;
}

static void fill_basic(lxw_workbook *wb, lxw_worksheet *ws)
{
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy/m/d");
    lxw_format *cn_date = workbook_add_format(wb);
    format_set_num_format(cn_date, "yyyy\"年\"m\"月\"d\"日\"");
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    worksheet_write_string(ws, 0, 0, "统一社会信用代码", NULL);
    worksheet_write_string(ws, 0, 1, "金额", NULL);
    worksheet_write_string(ws, 0, 2, "缴费日期", NULL);
    worksheet_write_string(ws, 0, 3, "备注", NULL);
    worksheet_write_string(ws, 1, 0, "91320100MA1XXXXX0Y", NULL);
    worksheet_write_number(ws, 1, 1, 600.01, money);
    lxw_datetime d1 = {2024, 3, 15, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 2, &d1, date);
    worksheet_write_string(ws, 1, 3, "含逗号, 和\"引号\"", NULL);
    /* row 3 (index 2) left out entirely; row 4 has a gap in column B */
    worksheet_write_string(ws, 3, 0, "  前后空格  ", NULL);
    lxw_datetime d2 = {2023, 12, 31, 8, 30, 0};
    worksheet_write_datetime(ws, 3, 2, &d2, cn_date);
    worksheet_write_number(ws, 4, 1, 1234567, NULL);
    worksheet_write_boolean(ws, 4, 3, 1, NULL);
    worksheet_write_number(ws, 5, 1, 0.3, NULL);
    worksheet_write_number(ws, 5, 2, 45000, NULL); /* a plain number, not a date */
    worksheet_write_number(ws, 5, 3, -0.000125, NULL);
    /* a month column: year and month but no day */
    lxw_format *month = workbook_add_format(wb);
    format_set_num_format(month, "yyyy\"年\"m\"月\"");
    lxw_format *stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "yyyy-mm-dd hh:mm");
    lxw_format *clock = workbook_add_format(wb);
    format_set_num_format(clock, "[h]:mm:ss");
    lxw_datetime d3 = {2022, 7, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 6, 0, &d3, month);
    worksheet_write_datetime(ws, 6, 1, &d2, stamp);
    worksheet_write_number(ws, 6, 2, 0.5, clock);
}

static void test_basic(void **state)
{
    (void)state;
    gh_err e;
    int rc;
    char *csv = roundtrip(fill_basic, &e, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(csv, "统一社会信用代码,金额,缴费日期,备注\r\n"
                             "91320100MA1XXXXX0Y,600.01,2024-03-15,\"含逗号, 和\"\"引号\"\"\"\r\n"
                             "\r\n"
                             "  前后空格  ,,2023-12-31\r\n"
                             ",1234567,,是\r\n"
                             ",0.3,45000,-0.000125\r\n"
                             "2022-07,2023-12-31 08:30:00,0.5\r\n");
    free(csv);
}

/* Dates before and after Excel's phantom 1900-02-29. */
static void fill_old_dates(lxw_workbook *wb, lxw_worksheet *ws)
{
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format_index(date, 14);
    lxw_datetime a = {1900, 1, 1, 0, 0, 0}, b = {1900, 3, 1, 0, 0, 0}, c = {1970, 1, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 0, 0, &a, date);
    worksheet_write_datetime(ws, 0, 1, &b, date);
    worksheet_write_datetime(ws, 0, 2, &c, date);
}

static void test_old_dates(void **state)
{
    (void)state;
    gh_err e;
    int rc;
    char *csv = roundtrip(fill_old_dates, &e, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(csv, "1900-01-01,1900-03-01,1970-01-01\r\n");
    free(csv);
}

static void test_not_a_workbook(void **state)
{
    (void)state;
    gh_err e;
    char *csv = (char *)"x";
    size_t n = 99;
    const char *text = "姓名,手机号\r\n";
    assert_false(xlsx_is_workbook(text, strlen(text)));
    /* a zip header with nothing after it */
    assert_int_equal(xlsx_to_csv("PK\x03\x04garbage", 11, &csv, &n, &e), ERR_INVALID);
    assert_string_equal(e.code, "invalid_xlsx");
    assert_null(csv);
    assert_int_equal(n, 0);
}

/* A real zip (made with libzip) that is not a workbook: no worksheet. */
static void test_zip_without_sheet(void **state)
{
    (void)state;
    char path[] = "/tmp/gh-zip-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    zip_source_t *src = zip_source_buffer(z, "hello", 5, 0);
    assert_non_null(src);
    assert_true(zip_file_add(z, "readme.txt", src, ZIP_FL_ENC_UTF_8) >= 0);
    assert_int_equal(zip_close(z), 0);
    size_t len;
    char *data = slurp(path, &len);
    unlink(path);
    assert_true(xlsx_is_workbook(data, len));
    gh_err e;
    char *csv;
    size_t n;
    assert_int_equal(xlsx_to_csv(data, len, &csv, &n, &e), ERR_INVALID);
    assert_string_equal(e.code, "invalid_xlsx");
    assert_null(csv);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_old_dates),
        cmocka_unit_test(test_not_a_workbook),
        cmocka_unit_test(test_zip_without_sheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

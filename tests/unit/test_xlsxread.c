/* test_xlsxread.c — unit tests for base/xlsxread.c over workbooks written by
 * libxlsxwriter (a different producer from the hand-built zips in
 * tests/lib/xlsx.js): shared strings, numbers, dates by number format, rows
 * and cells Excel leaves out, quoting, and files that are not workbooks; and
 * the limits that keep a hostile archive from exhausting memory (zip bombs,
 * archives that lie about sizes, shared strings repeated into a huge CSV,
 * DOCTYPEs, too many entries). */
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

/* A zip (libzip, deflated) of n parts. */
static char *make_zip(int n, const char *const *names, const char *const *datas, const size_t *lens, size_t *len)
{
    char path[] = "/tmp/gh-zip-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    for (int i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, datas[i], lens[i], 0);
        assert_non_null(src);
        zip_int64_t k = zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8);
        assert_true(k >= 0);
        assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)k, ZIP_CM_DEFLATE, 9), 0);
    }
    assert_int_equal(zip_close(z), 0);
    char *data = slurp(path, len);
    unlink(path);
    return data;
}

/* A sheet of `pad` spaces between two rows: valid XML that inflates to
 * whatever size is asked from a few KiB. */
static char *padded_sheet(size_t pad, size_t *len)
{
    const char *head = "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>姓名</t></is></c></row>";
    const char *tail = "<row r=\"2\"><c t=\"inlineStr\"><is><t>张三</t></is></c></row></sheetData></worksheet>";
    size_t hl = strlen(head), tl = strlen(tail);
    char *x = malloc(hl + pad + tl);
    assert_non_null(x);
    memcpy(x, head, hl);
    memset(x + hl, ' ', pad);
    memcpy(x + hl + pad, tail, tl);
    *len = hl + pad + tl;
    return x;
}

static int read_csv(const char *data, size_t len, gh_err *e)
{
    char *csv = NULL;
    size_t n = 0;
    int rc = xlsx_to_csv(data, len, &csv, &n, e);
    if (rc == 0) free(csv);
    else assert_null(csv);
    return rc;
}

static void test_zip_bomb(void **state)
{
    (void)state;
    size_t slen;
    char *sheet = padded_sheet((size_t)8 << 20, &slen); /* 8 MiB of spaces: ~1000:1 */
    const char *names[] = {"xl/worksheets/sheet1.xml"};
    const char *datas[] = {sheet};
    size_t len;
    char *zipped = make_zip(1, names, datas, &slen, &len);
    free(sheet);
    assert_true(len < ((size_t)8 << 20) / 100);
    gh_err e;
    assert_int_equal(xlsx_check(zipped, len, &e), ERR_TOO_LARGE);
    assert_string_equal(e.code, "zip_bomb");
    assert_int_equal(read_csv(zipped, len, &e), ERR_TOO_LARGE);
    assert_string_equal(e.code, "zip_bomb");
    /* The archive lies: it declares 1000 bytes for the sheet, in the local
     * header and in the central directory. What is inflated is counted. */
    for (size_t i = 0; i + 30 < len; i++) {
        uint32_t sig = (uint32_t)(unsigned char)zipped[i] | (uint32_t)(unsigned char)zipped[i + 1] << 8 |
                       (uint32_t)(unsigned char)zipped[i + 2] << 16 | (uint32_t)(unsigned char)zipped[i + 3] << 24;
        size_t at = sig == 0x04034b50 ? 22 : sig == 0x02014b50 ? 24 : 0;
        if (!at) continue;
        zipped[i + at] = (char)0xE8; /* 1000 */
        zipped[i + at + 1] = 0x03;
        zipped[i + at + 2] = 0;
        zipped[i + at + 3] = 0;
    }
    assert_int_equal(xlsx_check(zipped, len, &e), 0); /* the declared sizes are harmless */
    assert_int_equal(read_csv(zipped, len, &e), ERR_TOO_LARGE);
    assert_string_equal(e.code, "zip_bomb");
    free(zipped);
}

static void test_part_too_large(void **state)
{
    (void)state;
    xlsx_set_limits((size_t)2 << 20, 100000);
    size_t slen;
    char *sheet = padded_sheet((size_t)3 << 20, &slen);
    const char *names[] = {"xl/worksheets/sheet1.xml"};
    const char *datas[] = {sheet};
    size_t len;
    char *zipped = make_zip(1, names, datas, &slen, &len);
    gh_err e;
    assert_int_equal(xlsx_check(zipped, len, &e), ERR_TOO_LARGE);
    assert_string_equal(e.code, "file_too_large");
    assert_int_equal(read_csv(zipped, len, &e), ERR_TOO_LARGE);
    assert_string_equal(e.code, "file_too_large");
    assert_non_null(strstr(e.message, "过大"));
    free(zipped);
    free(sheet);
    /* Within the limit the same shape reads. */
    sheet = padded_sheet((size_t)1 << 20, &slen);
    datas[0] = sheet;
    zipped = make_zip(1, names, datas, &slen, &len);
    char *csv = NULL;
    size_t n = 0;
    assert_int_equal(xlsx_to_csv(zipped, len, &csv, &n, &e), 0);
    assert_string_equal(csv, "姓名\r\n张三\r\n");
    free(csv);
    free(zipped);
    free(sheet);
    xlsx_set_limits(0, 0);
}

/* One shared string of 60 KB in 200 cells: a small sheet, a 12 MB CSV. */
static void test_shared_strings_amplified(void **state)
{
    (void)state;
    xlsx_set_limits((size_t)2 << 20, 0);
    size_t big = 60000;
    char *sst = malloc(big + 200);
    assert_non_null(sst);
    int k = snprintf(sst, 200, "<sst><si><t>");
    memset(sst + k, 'x', big);
    memcpy(sst + k + big, "</t></si></sst>", sizeof "</t></si></sst>");
    size_t sst_len = strlen(sst);
    size_t cap = 200 * 64 + 200;
    char *sheet = malloc(cap);
    assert_non_null(sheet);
    size_t sl = (size_t)snprintf(sheet, cap, "<worksheet><sheetData>");
    for (int r = 1; r <= 200; r++) sl += (size_t)snprintf(sheet + sl, cap - sl, "<row r=\"%d\"><c t=\"s\"><v>0</v></c></row>", r);
    sl += (size_t)snprintf(sheet + sl, cap - sl, "</sheetData></worksheet>");
    const char *names[] = {"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};
    const char *datas[] = {sst, sheet};
    size_t lens[] = {sst_len, sl};
    size_t len;
    char *zipped = make_zip(2, names, datas, lens, &len);
    gh_err e;
    assert_int_equal(xlsx_check(zipped, len, &e), 0); /* nothing is large before it is expanded */
    assert_int_equal(read_csv(zipped, len, &e), ERR_TOO_LARGE);
    assert_string_equal(e.code, "file_too_large");
    free(zipped);
    free(sheet);
    free(sst);
    xlsx_set_limits(0, 0);
}

static void test_doctype_and_entries(void **state)
{
    (void)state;
    const char *lol = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                      "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>";
    const char *names[] = {"xl/worksheets/sheet1.xml"};
    const char *datas[] = {lol};
    size_t lens[] = {strlen(lol)};
    size_t len;
    char *zipped = make_zip(1, names, datas, lens, &len);
    gh_err e;
    assert_int_equal(read_csv(zipped, len, &e), ERR_INVALID);
    assert_string_equal(e.code, "invalid_xlsx");
    free(zipped);
    /* More entries than any workbook has: refused before libzip reads them. */
    enum { N = 10001 };
    static char namebuf[N][16];
    static const char *many[N], *empty[N];
    static size_t zero[N];
    for (int i = 0; i < N; i++) {
        snprintf(namebuf[i], sizeof namebuf[i], "f%d", i);
        many[i] = namebuf[i];
        empty[i] = "";
    }
    zipped = make_zip(N, many, empty, zero, &len);
    assert_int_equal(read_csv(zipped, len, &e), ERR_INVALID);
    assert_string_equal(e.code, "invalid_xlsx");
    assert_non_null(strstr(e.message, "过多"));
    free(zipped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_old_dates),
        cmocka_unit_test(test_not_a_workbook),
        cmocka_unit_test(test_zip_without_sheet),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_part_too_large),
        cmocka_unit_test(test_shared_strings_amplified),
        cmocka_unit_test(test_doctype_and_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

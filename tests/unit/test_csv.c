/* test_csv.c — unit tests for base/csv.c: RFC 4180 syntax as Excel writes
 * it, line numbers in errors, UTF-8/GBK detection (the GBK bytes are made
 * with iconv here from UTF-8 literals), files larger than the read buffer so
 * characters straddle buffer boundaries, and header mapping with aliases.
 *
 * Most tests render the whole input as "line:field|field;" so one string
 * comparison shows everything the reader returned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <iconv.h>

#include "base/buf.h"
#include "base/csv.h"

/* Every record as "line:f1|f2;"; on error appends "ERR:<code>:<message>". */
static char *render(csv_reader *r)
{
    buf b = {0};
    gh_err e;
    int rc;
    err_clear(&e);
    while ((rc = csv_next(r, &e)) == 1) {
        buf_printf(&b, "%ld:", csv_line(r));
        for (size_t i = 0; i < csv_nfields(r); i++) {
            if (i) buf_putc(&b, '|');
            buf_puts(&b, csv_field(r, i));
        }
        buf_putc(&b, ';');
    }
    if (rc < 0) buf_printf(&b, "ERR:%s:%s", e.code, e.message);
    return buf_take(&b);
}

static void check_mem(const char *in, size_t n, const char *want)
{
    csv_reader *r = NULL;
    gh_err e;
    err_clear(&e);
    int rc = csv_open_mem(in, n, &r, &e);
    if (rc) print_error("open: %s %s\n", e.code, e.message);
    assert_int_equal(rc, 0);
    char *got = render(r);
    if (strcmp(got, want) != 0) print_error("got:  %s\nwant: %s\n", got, want);
    assert_string_equal(got, want);
    free(got);
    csv_close(r);
}

static void check(const char *in, const char *want) { check_mem(in, strlen(in), want); }

static void test_basic(void **state)
{
    check("", "");
    check("a", "1:a;");
    check("a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3;");
    check("a,b,c\n1,2,3", "1:a|b|c;2:1|2|3;");                 /* no final newline */
    check("a,b\r\n1,2\r\n", "1:a|b;2:1|2;");                     /* CRLF */
    check("a,b\r1,2\r", "1:a|b;2:1|2;");                         /* old Mac CR */
    check("a,,c\n,,x\n", "1:a||c;2:||x;");                       /* empty fields */
    check("a,b,\n", "1:a|b|;");                                  /* trailing empty field */
    check("  a , b\t,c  \n", "1:a|b|c;");                        /* trim unquoted */
    check("姓名,身份证号\n张三,11010519491231002X\n", "1:姓名|身份证号;2:张三|11010519491231002X;");
}

static void test_quotes(void **state)
{
    check("\"a,b\",c\n", "1:a,b|c;");
    check("\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x;");
    check("\"\"\"\"\n", "1:\";");
    check("\"\",x\n", "1:|x;");
    check("\"  keep  \",x\n", "1:  keep  |x;");                 /* no trim inside quotes */
    check("  \"q\"  ,x\n", "1:q|x;");                            /* spaces outside quotes */
    check("\"line1\nline2\",b\nnext,row\n", "1:line1\nline2|b;3:next|row;");
    check("\"a\r\nb\",c\r\nd,e\r\n", "1:a\r\nb|c;3:d|e;");
    check("h\n\"x\n\n\ny\",z\nlast\n", "1:h;2:x\n\n\ny|z;6:last;");
    check("\"unicode 张三, 李四\"\n", "1:unicode 张三, 李四;");
    check("\"end\"", "1:end;");
    check("a,\"\"", "1:a|;");
}

static void test_blank_lines(void **state)
{
    check("\n\na,b\n\n\nc,d\n\n", "3:a|b;6:c|d;");
    check("a\r\n\r\nb\r\n", "1:a;3:b;");
    check("h1,h2\n,\n,,,\n  ,  \nx,y\n", "1:h1|h2;5:x|y;");     /* Excel's empty rows */
    check("h\n\"\"\nx\n", "1:h;3:x;");
    check("\n\n\n", "");
}

static void check_err(const char *in, const char *code, const char *msg_part)
{
    csv_reader *r = NULL;
    gh_err e;
    err_clear(&e);
    assert_int_equal(csv_open_mem(in, strlen(in), &r, &e), 0);
    int rc;
    while ((rc = csv_next(r, &e)) == 1) {}
    assert_int_equal(rc, ERR_INVALID);
    assert_string_equal(e.code, code);
    if (!strstr(e.message, msg_part)) print_error("message \"%s\" lacks \"%s\"\n", e.message, msg_part);
    assert_non_null(strstr(e.message, msg_part));
    /* sticky, also when the caller does not pass e */
    assert_int_equal(csv_next(r, NULL), ERR_INVALID);
    gh_err e2;
    err_clear(&e2);
    assert_int_equal(csv_next(r, &e2), ERR_INVALID);
    assert_string_equal(e2.message, e.message);
    assert_int_equal(csv_nfields(r), 0);
    csv_close(r);
}

static void test_errors(void **state)
{
    check_err("a,b\nc,d\n\"open,x\ny\n", "malformed_csv", "第 3 行：引号未闭合");
    check_err("a\n\n\n\n\n\n\n\n\n\n\n\"x", "malformed_csv", "第 12 行：引号未闭合");
    check_err("a,b\nab\"c,d\n", "malformed_csv", "第 2 行：未加引号的字段中出现了引号");
    check_err("a,b\n\"ab\"c,d\n", "malformed_csv", "第 2 行：引号结束后还有多余的字符");
    check_err("\"multi\nline\" x\n", "malformed_csv", "第 2 行：引号结束后");
    check_err("x\r\ny\r\n\"a\r\nb\"\"\r\n", "malformed_csv", "第 3 行：引号未闭合");

    /* field and record limits */
    size_t big = CSV_FIELD_MAX + 10;
    char *s = malloc(big + 16);
    memcpy(s, "h\nx,", 4);
    memset(s + 4, 'a', big);
    s[4 + big] = '\0';
    check_err(s, "field_too_long", "第 2 行");
    s[4] = '"';
    s[4 + big - 1] = '"';
    check_err(s, "field_too_long", "第 2 行");
    free(s);
    /* exactly the limit is fine */
    s = malloc(CSV_FIELD_MAX + 2);
    memset(s, 'b', CSV_FIELD_MAX);
    s[CSV_FIELD_MAX] = '\0';
    csv_reader *r;
    assert_int_equal(csv_open_mem(s, CSV_FIELD_MAX, &r, NULL), 0);
    assert_int_equal(csv_next(r, NULL), 1);
    assert_int_equal(strlen(csv_field(r, 0)), CSV_FIELD_MAX);
    csv_close(r);
    free(s);
    /* too many fields */
    s = malloc(CSV_FIELDS_MAX + 10);
    memset(s, ',', CSV_FIELDS_MAX + 5);
    s[0] = 'x';
    s[CSV_FIELDS_MAX + 5] = '\0';
    check_err(s, "record_too_long", "第 1 行");
    free(s);
}

/* UTF-8 -> GB18030 with iconv, as Excel would save it. */
static char *to_gbk(const char *utf8, size_t *outn)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t n = strlen(utf8);
    size_t cap = n * 2 + 8;
    char *out = malloc(cap);
    char *in = (char *)(uintptr_t)utf8, *o = out;
    size_t inleft = n, outleft = cap;
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    *outn = cap - outleft;
    return out;
}

static void test_gbk(void **state)
{
    const char *text = "姓名,身份证号\n张三,11010519491231002X\n\"李,四\",\"引\"\"号\"\n";
    size_t n;
    char *g = to_gbk(text, &n);
    assert_memory_not_equal(g, text, 4); /* really not UTF-8 */
    csv_reader *r = NULL;
    gh_err e;
    assert_int_equal(csv_open_mem(g, n, &r, &e), 0);
    assert_int_equal(csv_is_gbk(r), 1);
    assert_int_equal(csv_size(r), n);
    char *got = render(r);
    assert_string_equal(got, "1:姓名|身份证号;2:张三|11010519491231002X;3:李,四|引\"号;");
    free(got);
    assert_int_equal(csv_offset(r), n);
    csv_close(r);

    /* A UTF-8 file is not mistaken for GBK. */
    assert_int_equal(csv_open_mem(text, strlen(text), &r, &e), 0);
    assert_int_equal(csv_is_gbk(r), 0);
    csv_close(r);

    /* GB18030's own BOM is dropped. */
    size_t n2 = n + 4;
    char *gb = malloc(n2);
    memcpy(gb, "\x84\x31\x95\x33", 4);
    memcpy(gb + 4, g, n);
    check_mem(gb, n2, "1:姓名|身份证号;2:张三|11010519491231002X;3:李,四|引\"号;");
    free(gb);
    free(g);
}

static void open_fails(const char *in, size_t n, const char *code, const char *msg_part)
{
    csv_reader *r = (csv_reader *)0x1;
    gh_err e;
    err_clear(&e);
    int rc = csv_open_mem(in, n, &r, &e);
    assert_int_equal(rc, ERR_INVALID);
    assert_null(r);
    assert_string_equal(e.code, code);
    if (!strstr(e.message, msg_part)) print_error("message \"%s\" lacks \"%s\"\n", e.message, msg_part);
    assert_non_null(strstr(e.message, msg_part));
}

static void test_bad_encoding(void **state)
{
    /* 0xFF is neither UTF-8 nor GB18030 */
    const char bad[] = "a,b\nc,d\n\xff\xfe,x\n";
    open_fails(bad, sizeof bad - 1, "invalid_encoding", "第 3 行");
    /* 0x80 alone is not GB18030 either */
    const char bad2[] = "name\n\xe5\xbc\xa0\n\x80\n";
    open_fails(bad2, sizeof bad2 - 1, "invalid_encoding", "第 3 行");
    /* mostly UTF-8, broken far down: the UTF-8 failure line is reported */
    const char bad3[] = "姓名\n张三\n李四\n王五\n\xff\n";
    open_fails(bad3, sizeof bad3 - 1, "invalid_encoding", "第 5 行");
    /* a GBK file truncated inside a character */
    const char bad4[] = "\xd5\xc5\xc8\xfd\n\xd5";
    open_fails(bad4, sizeof bad4 - 1, "invalid_encoding", "第 2 行");
    /* BOM says UTF-8, body is GBK */
    const char bad5[] = "\xef\xbb\xbfname\n\xd5\xc5\xc8\xfd\n";
    open_fails(bad5, sizeof bad5 - 1, "invalid_encoding", "第 2 行");
    /* NUL bytes: UTF-16 */
    const char u16[] = "\xff\xfen\0a\0m\0e\0\n\0";
    open_fails(u16, sizeof u16 - 1, "invalid_encoding", "第 1 行");
    const char nul[] = "a\nb\0c\n";
    open_fails(nul, sizeof nul - 1, "invalid_encoding", "UTF-16");
    const char gnul[] = "\xd5\xc5\n\xc8\xfd\0\n";
    open_fails(gnul, sizeof gnul - 1, "invalid_encoding", "第 2 行");
}

static void test_bom(void **state)
{
    check("\xef\xbb\xbf姓名,id\n张三,1\n", "1:姓名|id;2:张三|1;");
    check("\xef\xbb\xbf", "");
    check("\xef\xbb\xbf\"q\",x", "1:q|x;");
    csv_reader *r;
    const char in[] = "\xef\xbb\xbf" "a\n";
    assert_int_equal(csv_open_mem(in, sizeof in - 1, &r, NULL), 0);
    assert_int_equal(csv_size(r), sizeof in - 1);
    assert_int_equal(csv_next(r, NULL), 1);
    assert_string_equal(csv_field(r, 0), "a");
    assert_string_equal(csv_field(r, 1), "");   /* out of range */
    assert_string_equal(csv_field(r, 999), "");
    assert_int_equal(csv_next(r, NULL), 0);
    assert_int_equal(csv_next(r, NULL), 0);     /* stays at the end */
    assert_int_equal(csv_offset(r), sizeof in - 1);
    csv_close(r);
    csv_close(NULL);
}

static void test_header_map(void **state)
{
    const char in[] = "序号, 姓名 ,\"身份证号\",手机,备注,姓名\n1,张三,11010519491231002X,13800138000,,重复\n";
    csv_reader *r;
    assert_int_equal(csv_open_mem(in, sizeof in - 1, &r, NULL), 0);
    const char *const names[] = {"姓名|name", "id_number|身份证号|证件号码", "mobile|手机号|手机",
                                 "单位", "备注", " 序号 | no "};
    int idx[6];
    gh_err e;
    assert_int_equal(csv_header_map(r, names, 6, idx, &e), 0);
    assert_int_equal(idx[0], 1); /* the first of two 姓名 columns */
    assert_int_equal(idx[1], 2);
    assert_int_equal(idx[2], 3);
    assert_int_equal(idx[3], -1);
    assert_int_equal(idx[4], 4);
    assert_int_equal(idx[5], 0);
    assert_int_equal(csv_next(r, &e), 1);
    assert_int_equal(csv_line(r), 2);
    assert_string_equal(csv_field(r, (size_t)idx[1]), "11010519491231002X");
    assert_int_equal(csv_next(r, &e), 0);
    csv_close(r);

    /* aliases on English headers, and an empty file */
    const char en[] = "name,id_number\n";
    assert_int_equal(csv_open_mem(en, sizeof en - 1, &r, NULL), 0);
    assert_int_equal(csv_header_map(r, names, 2, idx, NULL), 0);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);
    csv_close(r);

    assert_int_equal(csv_open_mem("\n\n", 2, &r, NULL), 0);
    err_clear(&e);
    idx[0] = 5;
    assert_int_equal(csv_header_map(r, names, 2, idx, &e), ERR_INVALID);
    assert_string_equal(e.code, "empty_csv");
    assert_int_equal(idx[0], -1);
    csv_close(r);

    /* a malformed header reports the parse error */
    assert_int_equal(csv_open_mem("\"abc", 4, &r, NULL), 0);
    err_clear(&e);
    assert_int_equal(csv_header_map(r, names, 2, idx, &e), ERR_INVALID);
    assert_string_equal(e.code, "malformed_csv");
    csv_close(r);
}

/* Write n bytes to a fresh temporary file; returns its path (caller frees
 * and unlinks). */
static char *write_tmp(const char *data, size_t n)
{
    char *path = strdup("/tmp/test_csv_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Large inputs (several read buffers) in both encodings, with the ASCII
 * prefix shifted by one byte each round so multi-byte characters land on
 * every possible offset at a buffer boundary. */
static void test_large_files(void **state)
{
    for (int shift = 0; shift < 4; shift++) {
        buf b = {0};
        buf_puts(&b, "序号,姓名,备注\n");
        const int rows = 12000;
        for (int i = 0; i < rows; i++) {
            buf_printf(&b, "%.*s%d,张三丰%d,\"多行\n备注，含逗号, 和\"\"引号\"\"\"\n", shift, "xxx", i, i);
            if (i % 1000 == 0) buf_puts(&b, "\r\n,,,\r\n");
        }
        for (int gbk = 0; gbk < 2; gbk++) {
            size_t n = b.len;
            char *data = gbk ? to_gbk(b.data, &n) : b.data;
            char *path = write_tmp(data, n);
            csv_reader *r = NULL;
            gh_err e;
            err_clear(&e);
            int rc = csv_open_file(path, &r, &e);
            if (rc) print_error("open: %s\n", e.message);
            assert_int_equal(rc, 0);
            assert_int_equal(csv_is_gbk(r), gbk);
            assert_int_equal(csv_size(r), n);
            int idx[2];
            const char *const names[] = {"姓名", "备注"};
            assert_int_equal(csv_header_map(r, names, 2, idx, &e), 0);
            assert_int_equal(idx[0], 1);
            int count = 0;
            long expect_line = 2;
            size_t last_off = 0;
            while ((rc = csv_next(r, &e)) == 1) {
                char want[64];
                snprintf(want, sizeof want, "张三丰%d", count);
                assert_string_equal(csv_field(r, 1), want);
                assert_string_equal(csv_field(r, 2), "多行\n备注，含逗号, 和\"引号\"");
                assert_int_equal(csv_line(r), expect_line);
                expect_line += 2;
                if (count % 1000 == 0) expect_line += 2;
                assert_true(csv_offset(r) >= last_off);
                last_off = csv_offset(r);
                count++;
            }
            if (rc < 0) print_error("next: %s\n", e.message);
            assert_int_equal(rc, 0);
            assert_int_equal(count, rows);
            assert_int_equal(csv_offset(r), n);
            csv_close(r);
            unlink(path);
            free(path);
            if (gbk) free(data);
        }
        buf_free(&b);
    }
}

static void test_file_errors(void **state)
{
    csv_reader *r = (csv_reader *)0x1;
    gh_err e;
    err_clear(&e);
    assert_int_equal(csv_open_file("/nonexistent/nothing.csv", &r, &e), ERR_NOT_FOUND);
    assert_null(r);
    assert_string_equal(e.code, "file_not_found");
    err_clear(&e);
    assert_int_equal(csv_open_file("/tmp", &r, &e), ERR_INTERNAL);
    assert_string_equal(e.code, "io_error");

    /* an undecodable byte beyond the first read buffer */
    size_t n = 200000;
    char *data = malloc(n);
    for (size_t i = 0; i < n; i++) data[i] = (i % 10 == 9) ? '\n' : 'a';
    data[150005] = '\xff';
    char *path = write_tmp(data, n);
    err_clear(&e);
    assert_int_equal(csv_open_file(path, &r, &e), ERR_INVALID);
    assert_string_equal(e.code, "invalid_encoding");
    assert_non_null(strstr(e.message, "第 15001 行"));
    unlink(path);
    free(path);
    free(data);

    /* empty file */
    path = write_tmp("", 0);
    assert_int_equal(csv_open_file(path, &r, &e), 0);
    assert_int_equal(csv_size(r), 0);
    assert_int_equal(csv_next(r, &e), 0);
    csv_close(r);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_gbk),
        cmocka_unit_test(test_bad_encoding),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_header_map),
        cmocka_unit_test(test_large_files),
        cmocka_unit_test(test_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz_csv.c — libFuzzer harness for base/csv.c over arbitrary bytes, as an
 * upload would deliver them. Besides crashes and leaks it checks the reader's
 * promises: every field is NUL-terminated valid UTF-8 within the limits, line
 * numbers never go backwards, progress never passes the size.
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c17
 *        -D_GNU_SOURCE -I. tests/fuzz/fuzz_csv.c base/csv.c base/err.c base/buf.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Deliberately independent of base/valid.c so the harness checks csv.c
 * against a second implementation. */
static int utf8_ok(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        size_t n;
        unsigned cp;
        if (c < 0x80) { s++; continue; }
        else if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
        else return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[k] & 0x3F);
        }
        static const unsigned min[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        s += n + 1;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_reader *r = NULL;
    gh_err e;
    if (csv_open_mem((const char *)data, size, &r, &e) != 0) {
        if (r) abort(); /* no reader on failure */
        return 0;
    }
    static const char *const names[] = {"姓名|name", "身份证号|id_number", "金额"};
    int idx[3];
    int rc = csv_header_map(r, names, 3, idx, &e);
    if (rc == 0) {
        for (size_t i = 0; i < 3; i++)
            if (idx[i] < -1 || (idx[i] >= 0 && (size_t)idx[i] >= csv_nfields(r))) abort();
    } else if (strcmp(e.code, "empty_csv") == 0) {
        rc = 0; /* nothing to read, and csv_next agrees */
    }
    long last_line = 0;
    while (rc >= 0 && (rc = csv_next(r, &e)) == 1) {
        size_t nf = csv_nfields(r);
        if (nf == 0 || nf > CSV_FIELDS_MAX) abort();
        int any = 0;
        for (size_t i = 0; i < nf; i++) {
            const char *f = csv_field(r, i);
            size_t len = strlen(f);
            if (len > CSV_FIELD_MAX) abort();
            if (!utf8_ok((const unsigned char *)f)) abort();
            any |= len > 0;
        }
        if (!any) abort(); /* all-empty records are skipped */
        if (csv_field(r, nf)[0] != '\0') abort();
        if (csv_line(r) < 1 || csv_line(r) < last_line) abort();
        last_line = csv_line(r);
        if (csv_offset(r) > csv_size(r)) abort();
    }
    if (rc == 0 && csv_offset(r) != csv_size(r)) abort();
    if (rc < 0 && csv_next(r, NULL) != rc) abort(); /* sticky */
    csv_close(r);
    return 0;
}

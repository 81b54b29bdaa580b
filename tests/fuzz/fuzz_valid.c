/* fuzz_valid.c — libFuzzer harness for the text parsers in base/: the
 * validators and masks (valid.c), dates and timestamps (date.c) and amounts
 * (money.c). Checks round trips and that normalised output validates again.
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c17
 *        -D_GNU_SOURCE -I. tests/fuzz/fuzz_valid.c base/valid.c base/date.c
 *        base/money.c base/err.c base/buf.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/valid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_mask_out(const char *out, size_t cap)
{
    if (strnlen(out, cap) >= cap) abort();
    if (!valid_utf8(out, strlen(out))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    gh_err e;

    char id[19];
    if (valid_id_number_asof(s, 80000, id, &e) == 0) {
        char again[19];
        if (strlen(id) != 18 || valid_id_number_asof(id, 80000, again, NULL) != 0) abort();
        int32_t b;
        if (valid_id_birth(id, &b) != 0 || b > 80000) abort();
        int g = valid_id_gender(id);
        if (g != 1 && g != 2) abort();
    }
    char uscc[19];
    if (valid_uscc(s, uscc, &e) == 0) {
        char again[19];
        if (valid_uscc(uscc, again, NULL) != 0 || strcmp(uscc, again) != 0) abort();
    }
    char mob[12];
    if (valid_mobile(s, mob, &e) == 0) {
        char again[12];
        if (strlen(mob) != 11 || valid_mobile(mob, again, NULL) != 0) abort();
    }
    (void)valid_region_code(s, &e);
    int u = valid_utf8(s, size);
    (void)utf8_chars(s);

    char m19[19], m12[12], out[64];
    mask_id_number(s, m19);
    mask_mobile(s, m12);
    if (strnlen(m19, 19) > 18 || strnlen(m12, 12) > 11) abort();
    mask_name(s, out, sizeof out);
    if (u) check_mask_out(out, sizeof out);
    mask_account(s, out, sizeof out);
    if (u) check_mask_out(out, sizeof out);
    mask_tail(s, size % 7, out, sizeof out);
    if (u) check_mask_out(out, sizeof out);
    mask_name(s, out, size % 9); /* small buffers */

    int64_t fen;
    if (money_parse(s, &fen, &e) == 0) {
        char txt[MONEY_FMT_MAX];
        int64_t back;
        if (money_format(fen, txt, sizeof txt) != 0) abort();
        if (money_parse(txt, &back, NULL) != 0 || back != fen) abort();
        if (money_format_yuan_cn(fen, out, sizeof out) != 0) abort();
    }
    int32_t d;
    if (date_parse(s, &d, &e) == 0) {
        char txt[11];
        date_format(d, txt);
        if (strcmp(txt, s) != 0) abort();
    }
    int64_t ms;
    if (ts_parse(s, &ms, &e) == 0) {
        char txt[32];
        int64_t back;
        ts_format_ms(ms, txt);
        if (ts_parse(txt, &back, NULL) != 0) abort();
    }
    int y, m;
    (void)date_month_parse(s, &y, &m, &e);
    free(s);
    return 0;
}

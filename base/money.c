/* money.c — parsing, formatting and overflow-safe arithmetic on fen; see
 * money.h. Magnitudes are handled as uint64_t so INT64_MIN (whose magnitude
 * has no int64 representation) needs no special cases, and products that
 * could exceed 64 bits are formed in __int128. */
#include "base/money.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>

__extension__ typedef __int128 i128;

#define MAG_OF(v) ((v) < 0 ? (uint64_t)0 - (uint64_t)(v) : (uint64_t)(v))

static int is_space(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int bad_amount(gh_err *e, const char *msg)
{
    return err_set(e, ERR_INVALID, "invalid_amount", NULL, "%s", msg);
}

int money_parse(const char *s, int64_t *fen, gh_err *e)
{
    if (!s) return bad_amount(e, "金额不能为空");
    const char *p = s;
    while (is_space(*p)) p++;
    if (!*p) return bad_amount(e, "金额不能为空");

    int neg = 0;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    /* The largest magnitude allowed: INT64_MIN's magnitude is one more than
     * INT64_MAX's. */
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

    uint64_t yuan = 0;
    int ndig = 0, group = -1; /* group: digits since the last ',' (-1: none) */
    int too_big = 0;
    for (;; p++) {
        if (is_digit(*p)) {
            /* Keep scanning after overflow so "junk" still reports as junk,
             * but stop accumulating before uint64 itself wraps. */
            if (yuan > limit / 100) too_big = 1;
            else yuan = yuan * 10 + (uint64_t)(*p - '0');
            ndig++;
            if (group >= 0 && ++group > 3) return bad_amount(e, "金额的千位分隔符位置不正确");
        } else if (*p == ',') {
            if (group < 0) {
                if (ndig < 1 || ndig > 3) return bad_amount(e, "金额的千位分隔符位置不正确");
            } else if (group != 3) {
                return bad_amount(e, "金额的千位分隔符位置不正确");
            }
            group = 0;
        } else {
            break;
        }
    }
    if (ndig == 0) return bad_amount(e, "金额格式不正确");
    if (group >= 0 && group != 3) return bad_amount(e, "金额的千位分隔符位置不正确");

    uint64_t frac = 0;
    if (*p == '.') {
        p++;
        if (!is_digit(*p)) return bad_amount(e, "金额格式不正确");
        frac = (uint64_t)(*p++ - '0') * 10;
        if (is_digit(*p)) frac += (uint64_t)(*p++ - '0');
        if (is_digit(*p)) return bad_amount(e, "金额最多保留两位小数");
    }
    while (is_space(*p)) p++;
    if (*p) return bad_amount(e, "金额格式不正确");

    if (too_big || yuan > limit / 100 || yuan * 100 > limit - frac)
        return bad_amount(e, "金额超出允许范围");
    uint64_t mag = yuan * 100 + frac;
    if (!neg) *fen = (int64_t)mag;
    else if (mag == (uint64_t)INT64_MAX + 1) *fen = INT64_MIN;
    else *fen = -(int64_t)mag;
    return 0;
}

int money_format(int64_t fen, char *out, size_t n)
{
    if (!out || n == 0) return ERR_INVALID;
    uint64_t mag = MAG_OF(fen);
    int w = snprintf(out, n, "%s%" PRIu64 ".%02u", fen < 0 ? "-" : "",
                     mag / 100, (unsigned)(mag % 100));
    if (w < 0 || (size_t)w >= n) {
        out[0] = '\0';
        return ERR_INVALID;
    }
    return 0;
}

int money_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) return ERR_INVALID;
    *out = r;
    return 0;
}

int money_mul(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) return ERR_INVALID;
    *out = r;
    return 0;
}

int money_ratio(int64_t fen, int64_t num, int64_t den, int64_t *out)
{
    if (den <= 0) return ERR_INVALID;
    /* |fen * num| <= 2^126 fits a signed 128-bit integer. */
    i128 prod = (i128)fen * num;
    i128 q = prod / den, r = prod % den;
    i128 ar = r < 0 ? -r : r;
    if (ar * 2 >= den) q += prod < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN) return ERR_INVALID;
    *out = (int64_t)q;
    return 0;
}

int money_split(int64_t total, const int64_t *weights, size_t n,
                size_t remainder_to, int64_t *parts)
{
    if (!weights || !parts || n == 0 || remainder_to >= n) return ERR_INVALID;
    /* Validate everything before writing so parts is untouched on failure.
     * The sum of n int64 weights fits 128 bits for any realistic n. */
    i128 sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0) return ERR_INVALID;
        sum += weights[i];
    }
    if (sum <= 0) return ERR_INVALID;

    /* Split the magnitude and re-apply the sign: every part then truncates
     * toward zero and the leftover has the sign of total, so a negative
     * split (a reversal) mirrors the positive one exactly. */
    uint64_t mag = MAG_OF(total);
    int neg = total < 0;
    i128 used = 0;
    for (size_t i = 0; i < n; i++) {
        i128 p = (i128)mag * weights[i] / sum; /* 0 <= p <= mag */
        i128 sp = neg ? -p : p;
        parts[i] = (int64_t)sp;
        used += sp;
    }
    /* |parts[remainder_to] + leftover| <= |total|, so this cannot overflow. */
    parts[remainder_to] = (int64_t)((i128)parts[remainder_to] + ((i128)total - used));
#ifndef NDEBUG
    i128 check = 0;
    for (size_t i = 0; i < n; i++) check += parts[i];
    assert(check == total); /* not a fen lost or made: callers post these parts to the ledger */
#endif
    return 0;
}

/* Decimal digits of v with ',' every three digits, into out (>= 27 bytes). */
static void group_digits(uint64_t v, char *out, size_t n)
{
    char rev[32];
    size_t k = 0;
    int d = 0;
    do {
        if (d && d % 3 == 0) rev[k++] = ',';
        rev[k++] = (char)('0' + v % 10);
        v /= 10;
        d++;
    } while (v);
    size_t i = 0;
    for (; i < k && i + 1 < n; i++) out[i] = rev[k - 1 - i];
    out[i] = '\0';
}

int money_format_yuan_cn(int64_t fen, char *out, size_t n)
{
    if (!out || n == 0) return ERR_INVALID;
    uint64_t mag = MAG_OF(fen);
    const char *sign = fen < 0 ? "-" : "";
    int w;
    if (mag < 1000000) { /* below 1万元 (10^6 fen): exact */
        char ip[32];
        group_digits(mag / 100, ip, sizeof ip);
        w = snprintf(out, n, "%s%s.%02u元", sign, ip, (unsigned)(mag % 100));
    } else {
        /* Hundredths of 万元 = units of 10^4 fen; round half away from zero
         * on the magnitude. */
        uint64_t wan = mag / 10000 + (mag % 10000 >= 5000);
        if (wan < 1000000) {
            w = snprintf(out, n, "%s%" PRIu64 ".%02u万元", sign, wan / 100,
                         (unsigned)(wan % 100));
        } else { /* hundredths of 亿元 = units of 10^8 fen */
            uint64_t yi = mag / 100000000 + (mag % 100000000 >= 50000000);
            w = snprintf(out, n, "%s%" PRIu64 ".%02u亿元", sign, yi / 100,
                         (unsigned)(yi % 100));
        }
    }
    if (w < 0 || (size_t)w >= n) {
        out[0] = '\0';
        return ERR_INVALID;
    }
    return 0;
}

/* q units of 10^-decimals (decimals 1 or 2) with the unit: "3,899万元",
 * "18.8万", "1.2亿元"; trailing zeros of the fraction dropped. */
static int short_fixed(uint64_t q, int decimals, const char *unit, char *out, size_t n)
{
    uint64_t pow = decimals == 1 ? 10 : 100;
    unsigned f = (unsigned)(q % pow);
    char whole[32], frac[8] = "";
    group_digits(q / pow, whole, sizeof whole);
    if (f && decimals == 2 && f % 10 == 0) f /= 10, decimals = 1;
    if (f) snprintf(frac, sizeof frac, decimals == 1 ? ".%u" : ".%02u", f);
    int w = snprintf(out, n, "%s%s%s", whole, frac, unit);
    if (w < 0 || (size_t)w >= n) {
        out[0] = '\0';
        return ERR_INVALID;
    }
    return 0;
}

int money_format_count_cn(int64_t count, char *out, size_t n)
{
    if (!out || n == 0) return ERR_INVALID;
    uint64_t v = count < 0 ? 0 : (uint64_t)count;
    if (v < 10000) return short_fixed(v * 10, 1, "", out, n);
    return short_fixed((v + 500) / 1000, 1, "万", out, n); /* tenths of 万 */
}

int money_format_yuan_short_cn(int64_t fen, char *out, size_t n)
{
    if (!out || n == 0) return ERR_INVALID;
    uint64_t mag = fen < 0 ? 0 : (uint64_t)fen;
    if ((mag + 50) / 100 < 10000) return short_fixed((mag + 50) / 100 * 10, 1, "元", out, n);
    uint64_t wan10 = (mag + 50000) / 100000; /* tenths of 万元 (10^5 fen) */
    if (wan10 < 100000) return short_fixed(wan10, 1, "万元", out, n);
    return short_fixed((mag + 50000000) / 100000000, 2, "亿元", out, n); /* hundredths of 亿元 */
}

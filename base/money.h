/* money.h — amounts of money as int64_t fen (分), never floating point.
 *
 * Every amount in gonghui (ledger transfers, vouchers, refunds, subsidies) is
 * a count of fen in an int64_t. This module turns user text into fen and
 * back, and does the arithmetic that must not silently overflow or lose a fen
 * (proportional shares, ratio reimbursements). */
#ifndef GH_MONEY_H
#define GH_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Longest text money_format() writes, NUL included ("-92233720368547758.08"). */
#define MONEY_FMT_MAX 24

/* Parse a yuan amount such as "12", "12.5", "-3.07", "+1", " 1,234.50 ".
 * At most two decimals; thousands separators must group by three
 * ("1,234" yes, "12,34" no); surrounding ASCII spaces/tabs are ignored.
 * On failure returns ERR_INVALID with code "invalid_amount" (field NULL, the
 * caller knows its field) and leaves *fen untouched. */
int money_parse(const char *s, int64_t *fen, gh_err *e);

/* Write fen as yuan with two decimals: "12.50", "-0.05", "0.00".
 * Returns 0, or ERR_INVALID when n is too small (out then holds ""). */
int money_format(int64_t fen, char *out, size_t n);

/* *out = a + b / a * b; ERR_INVALID on int64 overflow (out untouched). */
int money_add(int64_t a, int64_t b, int64_t *out);
int money_mul(int64_t a, int64_t b, int64_t *out);

/* *out = fen * num / den rounded half away from zero (0.5 fen -> 1 fen,
 * -0.5 fen -> -1 fen). Exact: the product is formed in 128 bits.
 * ERR_INVALID when den <= 0 or the result does not fit in int64. */
int money_ratio(int64_t fen, int64_t num, int64_t den, int64_t *out);

/* Split total into n parts in proportion to weights[0..n-1]. Each part is
 * total * w / sum(w) truncated toward zero (floor for total >= 0); the fen
 * left over go to parts[remainder_to], so the parts always sum to total.
 * Weights must be >= 0 with a positive sum, n > 0, remainder_to < n;
 * otherwise ERR_INVALID and parts is untouched. */
int money_split(int64_t total, const int64_t *weights, size_t n,
                size_t remainder_to, int64_t *parts);

/* A figure for people, as Chinese reports write it:
 *   |amount| < 1万元  -> "1,234.50元" (exact, thousands separators)
 *   |amount| < 1亿元  -> "12.35万元"   (two decimals, half away from zero)
 *   otherwise         -> "12.50亿元"
 * The unit is chosen after rounding, so 99,999,999.99元 is "1.00亿元", not
 * "10000.00万元". Returns 0 or ERR_INVALID when n is too small. */
int money_format_yuan_cn(int64_t fen, char *out, size_t n);

/* Headline figures, rounded half up as a report's sentence says them
 * ("服务职工18.8万人次", "投入补助3,899万元"); trailing zeros of the fraction
 * dropped, the unit chosen after rounding. Below zero counts as zero (these
 * are totals; a negative one is a bug upstream, not a figure to print).
 * Both return 0, or ERR_INVALID when n is too small (out then holds "").
 *   count: below 1万 exact        1234 -> "1,234"
 *          otherwise 万, 1 decimal 188000 -> "18.8万", 123456789 -> "12,345.7万"
 *   money: below 1万元 whole 元    360000 -> "3,600元", 999950 -> "1万元"
 *          below 1亿元 万元, 1 decimal   9840000 -> "9.8万元"
 *          otherwise 亿元, 2 decimals   12345678900 -> "1.23亿元" */
int money_format_count_cn(int64_t count, char *out, size_t n);
int money_format_yuan_short_cn(int64_t fen, char *out, size_t n);

#endif

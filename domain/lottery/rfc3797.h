/* rfc3797.h — the publicly verifiable random selection of RFC 3797
 * ("Publicly Verifiable Nominations Committee (NomCom) Random Selection",
 * sections 4 and 6), used for voucher lotteries (消费券抽取). No database:
 * the same code serves the draw in domain/lottery.c and the stand-alone
 * `gonghui lottery verify`, so a published result can be recomputed by
 * anyone from the public entrant list and the public source values.
 *
 * The method, exactly as the RFC gives it:
 *   1. each declared source of randomness (e.g. the winning numbers of a
 *      named 福利彩票 draw) is a list of non-negative decimal numbers; each is
 *      written without leading zeros (a single "0" for a zero integer part)
 *      and terminated by a period — or, with a fraction, as "I.F" without
 *      trailing zeros; the values of one source are sorted ascending,
 *      concatenated and followed by "/";
 *   2. the sources are concatenated in their declared order: the key string
 *      ("9319./2.5.8.10.12./9.18.26.34.41.45./");
 *   3. pick j (counting from 0) takes MD5(index ‖ key ‖ index), where index
 *      is j as two bytes, big-endian;
 *   4. the 128-bit digest, read as an unsigned big-endian integer, modulo
 *      the number of entrants still in the pool gives r; the (r+1)-th
 *      remaining entrant (in entry-number order) is selected and removed.
 *
 * Extension (named in every published result and supported by the
 * verifier): the RFC fixes the index at two bytes, which limits a pool to
 * 65,535 entrants. A pool larger than that writes the index as FOUR bytes,
 * big-endian, for every pick of that draw. Pools of up to 65,535 keep the
 * RFC's two bytes, so small draws are byte-for-byte the RFC method.
 *
 * Second rounds continue the sequence: picks start, start+1, … of the same
 * key over the pool left after the first start picks — the same winners, in
 * the same order, as one draw of start + count picks. */
#ifndef GH_RFC3797_H
#define GH_RFC3797_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* Limits: values per source, sources per key, digits per value, pool size. */
#define RFC3797_MAX_VALUES 64
#define RFC3797_MAX_SOURCES 16
#define RFC3797_MAX_DIGITS 40
#define RFC3797_MAX_POOL 20000000u
/* Largest pool drawn with the RFC's two-byte index. */
#define RFC3797_RFC_POOL_MAX 65535u

/* Append the canonical form of one source ("2 5 12 8 10" → "2.5.8.10.12./")
 * to key. Values are separated by spaces, tabs or commas. ERR_INVALID with
 * code "invalid_source_value" (field NULL) for anything that is not a
 * non-negative decimal number, an empty source, or too many values. */
int rfc3797_source(const char *values, buf *key, gh_err *e);

/* The key string of sources[0..n) in this order. */
int rfc3797_key(const char *const *sources, int n, buf *key, gh_err *e);

/* The key string from the command-line form: sources separated by "/",
 * values by spaces ("9319/2 5 12 8 10/9 18 26 34 41 45"); a trailing "/" is
 * allowed. */
int rfc3797_key_text(const char *text, buf *key, gh_err *e);

/* Bytes of the index for a pool of this size: 2 (the RFC) or 4. */
int rfc3797_index_bytes(uint64_t pool);

/* MD5(index ‖ key ‖ index), the index written in index_bytes (2 or 4)
 * big-endian bytes. */
void rfc3797_md5(const char *key, size_t keylen, uint32_t index, int index_bytes, unsigned char out[16]);

/* The digest as an unsigned 128-bit big-endian integer, modulo m (m > 0). */
uint32_t rfc3797_mod(const unsigned char md5[16], uint32_t m);

/* One step of a draw, as published. */
typedef struct rfc3797_pick {
    uint32_t index;     /* the counter hashed, from 0 */
    uint32_t remaining; /* entrants in the pool before this pick */
    uint32_t remainder; /* digest mod remaining */
    uint32_t entry;     /* entry number selected, 1..pool */
    unsigned char md5[16];
} rfc3797_pick;

/* Picks start .. start+count-1 from a pool of entrants numbered 1..pool
 * (start + count <= pool), into picks[0..count). Finds the r-th remaining
 * entrant in O(log pool) with a Fenwick tree (binary lifting), so a million
 * entrants and a hundred thousand picks take well under a second.
 * ERR_INVALID "invalid_pool" when the numbers do not fit, ERR_NOMEM. */
int rfc3797_draw(const char *key, size_t keylen, uint32_t pool, uint32_t start, uint32_t count,
                 rfc3797_pick *picks, gh_err *e);

/* The same result by the RFC's plain loop (remove from a list: quadratic).
 * The reference the fast draw is tested and benchmarked against. */
int rfc3797_draw_plain(const char *key, size_t keylen, uint32_t pool, uint32_t start, uint32_t count,
                       rfc3797_pick *picks, gh_err *e);

/* Upper-case hex of a digest, as the RFC prints it (33 bytes). */
void rfc3797_hex(const unsigned char md5[16], char out[33]);

/* Bits of entropy the sources should carry for this selection (RFC 3797
 * section 3.3: log2 of the number of ways to choose count of pool). */
double rfc3797_entropy_bits(uint32_t pool, uint32_t count);

#endif

/* rfc3797.c — RFC 3797 random selection; the method and the extension are
 * described in rfc3797.h. */
#include "domain/lottery/rfc3797.h"

#include <assert.h>
#include <math.h>
#include <nettle/md5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the key string ---- */

typedef struct value {
    const char *ip; /* integer part, leading zeros dropped ("" for zero) */
    size_t ilen;
    const char *fp; /* fraction, trailing zeros dropped */
    size_t flen;
} value;

static int is_sep(char c) { return c == ' ' || c == '\t' || c == ','; }

/* Numeric order without converting: a longer integer part is larger; equal
 * lengths compare digit by digit; then fractions (trailing zeros already
 * dropped) compare as strings, which is their numeric order. */
static int value_cmp(const void *pa, const void *pb)
{
    const value *a = pa, *b = pb;
    if (a->ilen != b->ilen) return a->ilen < b->ilen ? -1 : 1;
    int c = memcmp(a->ip, b->ip, a->ilen);
    if (c) return c;
    size_t n = a->flen < b->flen ? a->flen : b->flen;
    c = memcmp(a->fp, b->fp, n);
    if (c) return c;
    return a->flen == b->flen ? 0 : (a->flen < b->flen ? -1 : 1);
}

int rfc3797_source(const char *values, buf *key, gh_err *e)
{
    value v[RFC3797_MAX_VALUES];
    int n = 0;
    const char *p = values ? values : "";
    for (;;) {
        while (is_sep(*p)) p++;
        if (!*p) break;
        const char *start = p;
        while (*p && !is_sep(*p)) p++;
        size_t len = (size_t)(p - start);
        if (n == RFC3797_MAX_VALUES)
            return err_set(e, ERR_INVALID, "invalid_source_value", NULL, "每个随机源最多 %d 个数", RFC3797_MAX_VALUES);
        if (len > RFC3797_MAX_DIGITS)
            return err_set(e, ERR_INVALID, "invalid_source_value", NULL, "数值“%.*s…”过长", 12, start);
        /* digits, optionally one '.' and more digits ("12", "1.25", "7.") */
        size_t i = 0, dot = len;
        for (; i < len; i++) {
            char c = start[i];
            if (c == '.' && dot == len && i > 0) dot = i;
            else if (c < '0' || c > '9')
                return err_set(e, ERR_INVALID, "invalid_source_value", NULL,
                               "“%.*s”不是非负的十进制数（多个数之间用空格分隔）", (int)len, start);
        }
        value *x = &v[n++];
        x->ip = start;
        x->ilen = dot;
        while (x->ilen && *x->ip == '0') x->ip++, x->ilen--;
        x->fp = dot < len ? start + dot + 1 : start + len;
        x->flen = dot < len ? len - dot - 1 : 0;
        while (x->flen && x->fp[x->flen - 1] == '0') x->flen--;
    }
    if (n == 0) return err_set(e, ERR_INVALID, "invalid_source_value", NULL, "随机源的数值不能为空");
    qsort(v, (size_t)n, sizeof *v, value_cmp);
    for (int i = 0; i < n; i++) {
        if (v[i].ilen) buf_append(key, v[i].ip, v[i].ilen);
        else buf_putc(key, '0');
        buf_putc(key, '.');
        if (v[i].flen) buf_append(key, v[i].fp, v[i].flen);
    }
    buf_putc(key, '/');
    return key->oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL) : 0;
}

int rfc3797_key(const char *const *sources, int n, buf *key, gh_err *e)
{
    if (n <= 0 || n > RFC3797_MAX_SOURCES)
        return err_set(e, ERR_INVALID, "invalid_source_value", NULL, "随机源应有 1 到 %d 个", RFC3797_MAX_SOURCES);
    for (int i = 0; i < n; i++) {
        int rc = rfc3797_source(sources[i], key, e);
        if (rc) {
            if (e && rc == ERR_INVALID) {
                buf msg = {0};
                buf_printf(&msg, "第 %d 个随机源：%s", i + 1, e->message);
                if (!msg.oom && msg.len < sizeof e->message) memcpy(e->message, buf_str(&msg), msg.len + 1);
                buf_free(&msg);
            }
            return rc;
        }
    }
    return 0;
}

int rfc3797_key_text(const char *text, buf *key, gh_err *e)
{
    char *copy = strdup(text ? text : "");
    if (!copy) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    const char *parts[RFC3797_MAX_SOURCES + 1];
    int n = 0, rc = 0;
    char *p = copy;
    size_t len = strlen(copy);
    while (len && (copy[len - 1] == '/' || is_sep(copy[len - 1]) || copy[len - 1] == '\n')) copy[--len] = '\0';
    for (;;) {
        char *slash = strchr(p, '/');
        if (slash) *slash = '\0';
        if (n == RFC3797_MAX_SOURCES) {
            rc = err_set(e, ERR_INVALID, "invalid_source_value", NULL, "随机源最多 %d 个", RFC3797_MAX_SOURCES);
            break;
        }
        parts[n++] = p;
        if (!slash) break;
        p = slash + 1;
    }
    if (rc == 0) rc = rfc3797_key(parts, n, key, e);
    free(copy);
    return rc;
}

/* ---- one step ---- */

int rfc3797_index_bytes(uint64_t pool) { return pool <= RFC3797_RFC_POOL_MAX ? 2 : 4; }

void rfc3797_md5(const char *key, size_t keylen, uint32_t index, int index_bytes, unsigned char out[16])
{
    unsigned char ix[4];
    size_t n;
    if (index_bytes == 4) {
        ix[0] = (unsigned char)(index >> 24);
        ix[1] = (unsigned char)(index >> 16);
        ix[2] = (unsigned char)(index >> 8);
        ix[3] = (unsigned char)index;
        n = 4;
    } else {
        ix[0] = (unsigned char)(index >> 8);
        ix[1] = (unsigned char)index;
        n = 2;
    }
    struct md5_ctx c;
    md5_init(&c);
    md5_update(&c, n, ix);
    md5_update(&c, keylen, (const uint8_t *)key);
    md5_update(&c, n, ix);
    md5_digest(&c, MD5_DIGEST_SIZE, out);
}

uint32_t rfc3797_mod(const unsigned char md5[16], uint32_t m)
{
    /* Horner's rule over the bytes: (r·256 + b) < 2^40 never overflows. */
    uint64_t r = 0;
    for (int i = 0; i < 16; i++) r = ((r << 8) | md5[i]) % m;
    return (uint32_t)r;
}

void rfc3797_hex(const unsigned char md5[16], char out[33])
{
    static const char hx[] = "0123456789ABCDEF";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hx[md5[i] >> 4];
        out[2 * i + 1] = hx[md5[i] & 15];
    }
    out[32] = '\0';
}

double rfc3797_entropy_bits(uint32_t pool, uint32_t count)
{
    if (count > pool) return 0;
    /* log2 C(pool, count) through the log-gamma function */
    double bits = (lgamma((double)pool + 1) - lgamma((double)count + 1) - lgamma((double)(pool - count) + 1)) / log(2.0);
    return bits > 0 ? bits : 0; /* rounding gives -0.0 for count = pool */
}

static int check_sizes(uint32_t pool, uint32_t start, uint32_t count, gh_err *e)
{
    if (pool == 0 || pool > RFC3797_MAX_POOL)
        return err_set(e, ERR_INVALID, "invalid_pool", NULL, "报名人数应在 1 到 %u 之间", RFC3797_MAX_POOL);
    if (start > pool || count > pool - start)
        return err_set(e, ERR_INVALID, "invalid_pool", NULL, "抽取人数超过报名人数");
    return 0;
}

static void step(const char *key, size_t keylen, uint32_t index, int ib, uint32_t remaining, rfc3797_pick *p)
{
    p->index = index;
    p->remaining = remaining;
    rfc3797_md5(key, keylen, index, ib, p->md5);
    p->remainder = rfc3797_mod(p->md5, remaining);
}

/* ---- the draw: a Fenwick tree over "still in the pool" flags ---- */

int rfc3797_draw(const char *key, size_t keylen, uint32_t pool, uint32_t start, uint32_t count,
                 rfc3797_pick *picks, gh_err *e)
{
    int rc = check_sizes(pool, start, count, e);
    if (rc) return rc;
    /* tree[i] counts the entrants in (i - lowbit(i), i]; all present at
     * first, so tree[i] = lowbit(i). */
    uint32_t *tree = malloc(((size_t)pool + 1) * sizeof *tree);
    if (!tree) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    tree[0] = 0;
    for (uint32_t i = 1; i <= pool; i++) tree[i] = i & (~i + 1);
    uint32_t top = 1;
    while (top <= pool / 2) top <<= 1;
    int ib = rfc3797_index_bytes(pool);
    for (uint32_t j = 0; j < start + count; j++) {
        rfc3797_pick tmp, *p = j >= start ? &picks[j - start] : &tmp;
        step(key, keylen, j, ib, pool - j, p);
        /* Binary lifting: the largest position whose prefix count is at
         * most remainder, plus one, is the (remainder+1)-th entrant. */
        uint32_t pos = 0, want = p->remainder + 1;
        for (uint32_t s = top; s; s >>= 1) {
            uint32_t nx = pos + s;
            if (nx <= pool && tree[nx] < want) {
                pos = nx;
                want -= tree[nx];
            }
        }
        /* remainder < entrants left, so that entrant exists and is still in */
        assert(pos < pool && want == 1);
        p->entry = pos + 1;
        for (uint32_t i = pos + 1; i <= pool; i += i & (~i + 1)) tree[i]--;
    }
    free(tree);
    return 0;
}

int rfc3797_draw_plain(const char *key, size_t keylen, uint32_t pool, uint32_t start, uint32_t count,
                       rfc3797_pick *picks, gh_err *e)
{
    int rc = check_sizes(pool, start, count, e);
    if (rc) return rc;
    uint32_t *list = malloc((size_t)pool * sizeof *list);
    if (!list) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    for (uint32_t i = 0; i < pool; i++) list[i] = i + 1;
    int ib = rfc3797_index_bytes(pool);
    for (uint32_t j = 0; j < start + count; j++) {
        rfc3797_pick tmp, *p = j >= start ? &picks[j - start] : &tmp;
        uint32_t remaining = pool - j;
        step(key, keylen, j, ib, remaining, p);
        p->entry = list[p->remainder];
        memmove(&list[p->remainder], &list[p->remainder + 1], (size_t)(remaining - p->remainder - 1) * sizeof *list);
    }
    free(list);
    return 0;
}

/* test_rfc3797.c — unit tests for domain/rfc3797.c: the fully worked example
 * of RFC 3797 section 6 (key string, every digest the RFC prints, the
 * remainders and the ten winners), the canonical form of source values, the
 * four-byte index beyond 65,535 entrants, and the fast draw (Fenwick tree)
 * against the RFC's plain remove-from-a-list loop on random pools —
 * including second rounds that continue the sequence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nettle/md5.h>

#include "domain/lottery/rfc3797.h"

#define RFC_KEY "9319./2.5.8.10.12./9.18.26.34.41.45./"

/* The digests of section 6 for indexes 0, 1, 2, … as the RFC prints them. */
static const char *const rfc_digests[] = {
    "990DD0A5692A029A98B5E01AA28F3459", "3691E55CB63FCC37914430B2F70B5EC6", "FE814EDF564C190AC1D25753979990FA",
    "1863CCACEB568C31D7DDBDF1D4E91387", "F4AB33DF4889F0AF29C513905BE1D758", "13EAEB529F61ACFB9A29D0BA3A60DE4A",
    "992DB77C382CA2BDB9727001F3CDCCD9", "63AB4258ECA922976811C7F55C383CE7", "DFBC5AC97CED01B3A6E348E3CC63F40D",
    "31CB111C4A4EBE9287CEAE16FE51B909", "07FA46C122F164C215BBC72793B189A3", "AC52F8D75CCBE2E61AFEB3387637D501",
    "53306F73E14FC0B2FBF434218D25948E", "B5D1403501A81F9A47318BE7893B347C", "85B10B356AA06663EF1B1B407765100A",
    "3269E6CE559ABD57E2BA6AAB495EB9BD",
};

static char *key_of(const char *text)
{
    buf b = {0};
    gh_err e;
    err_clear(&e);
    int rc = rfc3797_key_text(text, &b, &e);
    if (rc) print_error("rfc3797_key_text(\"%s\"): %s %s\n", text, e.code, e.message);
    assert_int_equal(rc, 0);
    return buf_take(&b);
}

static void test_rfc_key(void **state)
{
    (void)state;
    /* the sources as the RFC declares them, in their declared order */
    const char *src[] = {"9319", "2 5 12 8 10", "9 18 26 34 41 45"};
    buf b = {0};
    assert_int_equal(rfc3797_key(src, 3, &b, NULL), 0);
    assert_string_equal(buf_str(&b), RFC_KEY);
    buf_free(&b);
    char *k = key_of("9319/2 5 12 8 10/9 18 26 34 41 45");
    assert_string_equal(k, RFC_KEY);
    free(k);
    k = key_of("9319/2,5,12,8,10/ 9 18 26 34 41 45 /");
    assert_string_equal(k, RFC_KEY);
    free(k);
}

static void test_rfc_digests(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < sizeof rfc_digests / sizeof *rfc_digests; i++) {
        unsigned char d[16];
        char hex[33];
        rfc3797_md5(RFC_KEY, strlen(RFC_KEY), i, 2, d);
        rfc3797_hex(d, hex);
        assert_string_equal(hex, rfc_digests[i]);
    }
}

static void test_rfc_selection(void **state)
{
    (void)state;
    /* 25 entrants (John, Mary, … Kasczynski); the RFC selects ten:
     * Lee(17) Doc(7) Mary(2) Charity(16) Kasczynski(25) Envy(23) Sneazy(8)
     * Anger(24) Chastity(19) Pandora(13); the eleventh would be Sloth(22). */
    static const uint32_t want[] = {17, 7, 2, 16, 25, 23, 8, 24, 19, 13, 22};
    static const uint32_t rem4[] = {16, 6, 1, 13};
    rfc3797_pick p[11], q[11];
    assert_int_equal(rfc3797_draw(RFC_KEY, strlen(RFC_KEY), 25, 0, 11, p, NULL), 0);
    assert_int_equal(rfc3797_draw_plain(RFC_KEY, strlen(RFC_KEY), 25, 0, 11, q, NULL), 0);
    for (int i = 0; i < 11; i++) {
        char hex[33];
        rfc3797_hex(p[i].md5, hex);
        assert_string_equal(hex, rfc_digests[i]);
        assert_int_equal(p[i].index, i);
        assert_int_equal(p[i].remaining, 25 - i);
        assert_int_equal(p[i].entry, want[i]);
        assert_int_equal(q[i].entry, want[i]);
        assert_int_equal(q[i].remainder, p[i].remainder);
        if (i < 4) assert_int_equal(p[i].remainder, rem4[i]);
    }
    /* "Approximately 21.6 bits of entropy needed." */
    double bits = rfc3797_entropy_bits(25, 10);
    assert_true(bits > 21.5 && bits < 21.7);
    assert_int_equal(rfc3797_index_bytes(25), 2);
}

static void test_canonical_values(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"007", "7./"},
        {"0", "0./"},
        {"000", "0./"},
        {"1.250", "1.25/"},
        {"1.0", "1./"},
        {"0.5 0.25", "0.250.5/"},
        {"10 9 100 9", "9.9.10.100./"},
        {"12.5 12 12.05", "12.12.0512.5/"},
        {"3/1 2", "3./1.2./"},
        {"7.", "7./"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        /* values with a fraction carry no terminating period, so they run
         * into the next value; order is numeric, not as strings */
        char *k = key_of(cases[i].in);
        assert_string_equal(k, cases[i].out);
        free(k);
    }
    static const char *const bad[] = {"", "/", "1 -2", "1e5", "1.2.3", "abc", "１２", ".5", "1//2", NULL};
    for (int i = 0; bad[i]; i++) {
        buf b = {0};
        gh_err e;
        err_clear(&e);
        int rc = rfc3797_key_text(bad[i], &b, &e);
        if (rc == 0) print_error("accepted \"%s\" as %s\n", bad[i], buf_str(&b));
        assert_int_equal(rc, ERR_INVALID);
        assert_string_equal(e.code, "invalid_source_value");
        buf_free(&b);
    }
}

static void test_mod(void **state)
{
    (void)state;
    __extension__ typedef unsigned __int128 u128;
    unsigned char d[16];
    uint64_t s = 88172645463325252ull;
    for (int t = 0; t < 2000; t++) {
        u128 v = 0;
        for (int i = 0; i < 16; i++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            d[i] = (unsigned char)s;
            v = (v << 8) | d[i];
        }
        uint32_t m = (uint32_t)(s % 4000000000u) + 1;
        assert_int_equal(rfc3797_mod(d, m), (uint32_t)(v % m));
    }
}

static void test_four_byte_index(void **state)
{
    (void)state;
    assert_int_equal(rfc3797_index_bytes(65535), 2);
    assert_int_equal(rfc3797_index_bytes(65536), 4);
    const char *key = "1.2.3./";
    rfc3797_pick p[3];
    assert_int_equal(rfc3797_draw(key, strlen(key), 70000, 0, 3, p, NULL), 0);
    for (uint32_t j = 0; j < 3; j++) {
        /* MD5 over index (4 bytes, big-endian) ‖ key ‖ index */
        unsigned char msg[64], d[16];
        size_t n = 0;
        for (int k = 3; k >= 0; k--) msg[n++] = (unsigned char)(j >> (8 * k));
        memcpy(msg + n, key, strlen(key));
        n += strlen(key);
        for (int k = 3; k >= 0; k--) msg[n++] = (unsigned char)(j >> (8 * k));
        struct md5_ctx c;
        md5_init(&c);
        md5_update(&c, n, msg);
        md5_digest(&c, 16, d);
        assert_memory_equal(p[j].md5, d, 16);
        assert_int_equal(p[j].remaining, 70000 - j);
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static void compare(const char *key, uint32_t pool, uint32_t count)
{
    rfc3797_pick *a = calloc(count ? count : 1, sizeof *a), *b = calloc(count ? count : 1, sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(rfc3797_draw(key, strlen(key), pool, 0, count, a, NULL), 0);
    assert_int_equal(rfc3797_draw_plain(key, strlen(key), pool, 0, count, b, NULL), 0);
    unsigned char *seen = calloc(pool + 1, 1);
    assert_non_null(seen);
    for (uint32_t i = 0; i < count; i++) {
        if (a[i].entry != b[i].entry)
            print_error("pool %u count %u key %s: pick %u is %u (fast) vs %u (plain)\n", pool, count, key, i,
                        a[i].entry, b[i].entry);
        assert_int_equal(a[i].entry, b[i].entry);
        assert_int_equal(a[i].remainder, b[i].remainder);
        assert_true(a[i].entry >= 1 && a[i].entry <= pool);
        assert_false(seen[a[i].entry]); /* nobody is picked twice */
        seen[a[i].entry] = 1;
    }
    /* a second round continues the sequence: the same picks as one draw */
    if (count >= 2) {
        uint32_t first = count / 3 + 1;
        rfc3797_pick *c = calloc(count, sizeof *c);
        assert_non_null(c);
        assert_int_equal(rfc3797_draw(key, strlen(key), pool, first, count - first, c, NULL), 0);
        for (uint32_t i = first; i < count; i++) {
            assert_int_equal(c[i - first].entry, a[i].entry);
            assert_int_equal(c[i - first].index, i);
        }
        assert_int_equal(rfc3797_draw_plain(key, strlen(key), pool, first, count - first, c, NULL), 0);
        for (uint32_t i = first; i < count; i++) assert_int_equal(c[i - first].entry, a[i].entry);
        free(c);
    }
    free(seen);
    free(a);
    free(b);
}

static void test_fast_equals_plain(void **state)
{
    (void)state;
    /* edges: one entrant, everyone picked, powers of two, the 2/4-byte
     * boundary */
    compare(RFC_KEY, 1, 1);
    compare(RFC_KEY, 2, 2);
    compare(RFC_KEY, 25, 25);
    compare(RFC_KEY, 64, 64);
    compare(RFC_KEY, 65, 30);
    compare(RFC_KEY, 65535, 300);
    compare(RFC_KEY, 65536, 300);
    compare(RFC_KEY, 70001, 7000);
    for (int t = 0; t < 60; t++) {
        char key[96];
        snprintf(key, sizeof key, "%u./%u.%u.%u./", next32() % 100000, next32() % 50, next32() % 50 + 50,
                 next32() % 50 + 100);
        uint32_t pool = 1 + next32() % (t < 54 ? 3000 : 120000);
        uint32_t count = next32() % (pool + 1);
        if (t >= 54 && count > 2000) count = 2000;
        compare(key, pool, count);
    }
}

static void test_bad_sizes(void **state)
{
    (void)state;
    rfc3797_pick p[4];
    gh_err e;
    err_clear(&e);
    assert_int_equal(rfc3797_draw(RFC_KEY, strlen(RFC_KEY), 3, 0, 4, p, &e), ERR_INVALID);
    assert_string_equal(e.code, "invalid_pool");
    assert_int_equal(rfc3797_draw(RFC_KEY, strlen(RFC_KEY), 0, 0, 0, p, &e), ERR_INVALID);
    assert_int_equal(rfc3797_draw(RFC_KEY, strlen(RFC_KEY), 3, 2, 2, p, &e), ERR_INVALID);
    assert_int_equal(rfc3797_draw_plain(RFC_KEY, strlen(RFC_KEY), RFC3797_MAX_POOL + 1, 0, 1, p, &e), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_key),
        cmocka_unit_test(test_rfc_digests),
        cmocka_unit_test(test_rfc_selection),
        cmocka_unit_test(test_canonical_values),
        cmocka_unit_test(test_mod),
        cmocka_unit_test(test_four_byte_index),
        cmocka_unit_test(test_fast_equals_plain),
        cmocka_unit_test(test_bad_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_photo.c — unit tests for photo_sniff (domain/core/photo.c): the
 * type comes from the bytes (JPEG, PNG, WebP in its three flavours), the
 * size from the image's own header; anything else, any header cut short at
 * any length, and giant sides are refused without reading past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/core/photo.h"

/* SOI, an APP0 segment, then SOF2 (progressive) with height and width. */
static const unsigned char JPEG[] = {
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
    0x00, 0x00, 0xFF, 0xFF, 0xC2, 0x00, 0x11, 0x08, 0x02, 0xD0, 0x05, 0x00, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11,
    0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9};
static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0,    0,   3,   0x20, 0,  0,    2,    0x58, 8, 2, 0, 0, 0};
static const unsigned char WEBP_LOSSY[] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ',
                                           0,   0,   0,   0,   0, 0, 0, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01};
static const unsigned char WEBP_LOSSLESS[] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V',
                                              'P', '8', 'L', 5,   0, 0, 0, 0x2F, 0x3F, 0xC0, 0x77, 0x00};
static const unsigned char WEBP_EXTENDED[] = {'R', 'I', 'F', 'F', 0, 0,    0,    0,    'W',  'E',  'B',  'P', 'V', 'P', '8',
                                              'X', 10,  0,   0,   0, 0,    0,    0,    0,    0x1F, 0x03, 0x00, 0xDF, 0x01, 0x00};

static void sniff_ok(const unsigned char *p, size_t n, const char *mime, int w, int h)
{
    photo_info pi;
    gh_err e;
    err_clear(&e);
    assert_int_equal(photo_sniff(p, n, &pi, &e), 0);
    assert_string_equal(pi.mime, mime);
    assert_int_equal(pi.width, w);
    assert_int_equal(pi.height, h);
}

static void test_types_and_sizes(void **state)
{
    (void)state;
    sniff_ok(JPEG, sizeof JPEG, "image/jpeg", 1280, 720);
    sniff_ok(PNG, sizeof PNG, "image/png", 800, 600);
    sniff_ok(WEBP_LOSSY, sizeof WEBP_LOSSY, "image/webp", 640, 480);
    sniff_ok(WEBP_LOSSLESS, sizeof WEBP_LOSSLESS, "image/webp", 64, 480);
    sniff_ok(WEBP_EXTENDED, sizeof WEBP_EXTENDED, "image/webp", 800, 480);
}

/* Every prefix of every image is refused (or, for a JPEG, accepted only
 * once its frame header is whole), and never read past its end: each
 * prefix is copied into a buffer of exactly its length for ASan to watch. */
static void test_every_prefix(void **state)
{
    (void)state;
    const struct {
        const unsigned char *p;
        size_t n, whole;
    } imgs[] = {
        {JPEG, sizeof JPEG, 40},
        {PNG, sizeof PNG, 24},
        {WEBP_LOSSY, sizeof WEBP_LOSSY, 30},
        {WEBP_LOSSLESS, sizeof WEBP_LOSSLESS, 25},
        {WEBP_EXTENDED, sizeof WEBP_EXTENDED, 30},
    };
    for (size_t k = 0; k < sizeof imgs / sizeof imgs[0]; k++)
        for (size_t n = 0; n < imgs[k].n; n++) {
            unsigned char *b = malloc(n ? n : 1);
            memcpy(b, imgs[k].p, n);
            photo_info pi;
            gh_err e;
            err_clear(&e);
            int rc = photo_sniff(b, n, &pi, &e);
            if (n < imgs[k].whole) {
                assert_int_equal(rc, ERR_INVALID);
                assert_string_equal(e.code, "photo_type");
            }
            free(b);
        }
}

static void test_not_images(void **state)
{
    (void)state;
    const char *const others[] = {"GIF89a\x01\x00\x01\x00", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                                  "%PDF-1.7\n", "BM\x3a\x00\x00\x00", "RIFF\0\0\0\0WAVEfmt ", "", NULL};
    for (int i = 0; others[i]; i++) {
        photo_info pi;
        gh_err e;
        err_clear(&e);
        assert_int_equal(photo_sniff(others[i], strlen(others[i]) + 1, &pi, &e), ERR_INVALID);
        assert_string_equal(e.code, "photo_type");
    }
    /* a JPEG whose scan starts before any frame header */
    static const unsigned char scan_first[] = {0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0, 0, 0, 0, 0, 0};
    photo_info pi;
    gh_err e;
    err_clear(&e);
    assert_int_equal(photo_sniff(scan_first, sizeof scan_first, &pi, &e), ERR_INVALID);
}

static void test_giant_sides(void **state)
{
    (void)state;
    unsigned char big[sizeof PNG];
    memcpy(big, PNG, sizeof PNG);
    big[16] = 0x7F; /* width 2^31 - … */
    photo_info pi;
    gh_err e;
    err_clear(&e);
    assert_int_equal(photo_sniff(big, sizeof big, &pi, &e), ERR_INVALID);
    assert_string_equal(e.code, "photo_dimensions");
    big[16] = 0;
    big[18] = 0x2E; /* 12000 = 0x2EE0 wide: allowed; 12001: not */
    big[19] = 0xE0;
    err_clear(&e);
    assert_int_equal(photo_sniff(big, sizeof big, &pi, &e), 0);
    big[19] = 0xE1;
    err_clear(&e);
    assert_int_equal(photo_sniff(big, sizeof big, &pi, &e), ERR_INVALID);
    big[19] = 0;
    big[18] = 0;
    err_clear(&e);
    assert_int_equal(photo_sniff(big, sizeof big, &pi, &e), ERR_INVALID); /* width 0 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_and_sizes),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_not_images),
        cmocka_unit_test(test_giant_sides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

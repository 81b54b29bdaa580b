/* test_log.c — log lines stay valid UTF-8 JSON whatever they carry: a
 * request path holds the client's bytes after percent-decoding (%FF, a cut
 * %E5%B7, an encoded surrogate), and the access log writes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/log.h"
#include "base/valid.h"

/* The escaped text of s, checked to parse as a JSON string whose value is
 * valid UTF-8, compared with want. */
static void escapes_to(const char *s, const char *want)
{
    char *got = log_json_escape(s);
    assert_non_null(got);
    assert_string_equal(got, want);
    size_t n = strlen(got);
    char *doc = malloc(n + 3);
    assert_non_null(doc);
    doc[0] = '"';
    memcpy(doc + 1, got, n);
    doc[n + 1] = '"';
    doc[n + 2] = '\0';
    json_error_t je;
    json_t *v = json_loads(doc, JSON_DECODE_ANY, &je);
    assert_non_null(v);
    assert_true(json_is_string(v));
    assert_true(valid_utf8(json_string_value(v), json_string_length(v)));
    json_decref(v);
    free(doc);
    free(got);
}

static void test_text_passes(void **state)
{
    (void)state;
    escapes_to("/api/v1/orgs", "/api/v1/orgs");
    escapes_to("/工会/\xf0\x9f\x98\x80", "/工会/\xf0\x9f\x98\x80");
    escapes_to("a\"b\\c\n\t", "a\\\"b\\\\c\\n\\t");
    escapes_to("\x01\x7f", "\\u0001\\u007f");
}

static void test_invalid_bytes_are_escaped(void **state)
{
    (void)state;
    escapes_to("/a\xff", "/a\\\\xFF");                      /* %FF */
    escapes_to("/\xe5\xb7", "/\\\\xE5\\\\xB7");                /* a cut 工 at the end */
    escapes_to("/\xe5\xb7/x", "/\\\\xE5\\\\xB7/x");            /* … and in the middle */
    escapes_to("\xed\xa0\x80", "\\\\xED\\\\xA0\\\\x80");         /* a surrogate */
    escapes_to("\xc0\xaf", "\\\\xC0\\\\xAF");                  /* an overlong '/' */
    escapes_to("\xf4\x90\x80\x80", "\\\\xF4\\\\x90\\\\x80\\\\x80"); /* past U+10FFFF */
    escapes_to("\x80工", "\\\\x80工");                       /* a stray continuation byte */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_passes),
        cmocka_unit_test(test_invalid_bytes_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_jsonw.c — the fast JSON writer must write exactly what jansson's
 * json_dumps(JSON_COMPACT) writes, for every kind of value the API uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/jsonw.h"

static void same_as_jansson(json_t *v)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t len = 0;
    char *got = jsonw_dump(v, &len);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    free(want);
    free(got);
    json_decref(v);
}

static void test_scalars(void **state)
{
    (void)state;
    same_as_jansson(json_integer(0));
    same_as_jansson(json_integer(-1));
    same_as_jansson(json_integer(INT64_MAX));
    same_as_jansson(json_integer(INT64_MIN));
    same_as_jansson(json_true());
    same_as_jansson(json_false());
    same_as_jansson(json_null());
    same_as_jansson(json_real(1.5));
    same_as_jansson(json_real(2.0));
}

static void test_strings(void **state)
{
    (void)state;
    same_as_jansson(json_string(""));
    same_as_jansson(json_string("南京市总工会"));
    same_as_jansson(json_string("quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f"));
    same_as_jansson(json_string("\x01\x1f\x7f end"));
    same_as_jansson(json_string("emoji 😀 and U+2028 \xe2\x80\xa8"));
    same_as_jansson(json_stringn("a\0b", 3));
}

static void test_nested(void **state)
{
    (void)state;
    same_as_jansson(json_pack("{s:[i, s, {s:n, s:b}], s:{}, s:[]}", "items", 1, "张三", "k", "v", 1, "empty",
                              "list"));
    json_t *big = json_array();
    for (int i = 0; i < 500; i++)
        json_array_append_new(big, json_pack("{s:i, s:s, s:o}", "id", i, "name", "工会\"组织\"", "x", json_null()));
    same_as_jansson(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_nested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

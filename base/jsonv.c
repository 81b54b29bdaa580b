/* jsonv.c — declarative JSON object checks; see jsonv.h. */
#include "base/jsonv.h"

#include <string.h>

#include "base/date.h"
#include "base/valid.h"

const char *const *jv_choices(const jv_field *f)
{
    return f->choices ? f->choices : f->choices_fn ? f->choices_fn() : NULL;
}

int jv_choice_index(const char *const *choices, const char *s)
{
    if (!choices || !s) return -1;
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], s) == 0) return i;
    return -1;
}

static const jv_field *find(const jv_field *spec, const char *key)
{
    for (; spec->name; spec++)
        if (strcmp(spec->name, key) == 0) return spec;
    return NULL;
}

static int check_string(const jv_field *f, const char *s, size_t n, gh_err *e)
{
    if (!valid_utf8(s, n) || memchr(s, '\0', n))
        return err_set(e, ERR_INVALID, "invalid_characters", f->name, "“%s”包含无效字符", f->label);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f) {
            if ((f->flags & JV_MULTILINE) && (ch == '\n' || ch == '\r' || ch == '\t')) continue;
            return err_set(e, ERR_INVALID, "invalid_characters", f->name,
                           "“%s”不能包含控制字符或换行", f->label);
        }
    }
    int64_t max = f->max > 0 ? f->max : 200;
    if ((int64_t)utf8_chars(s) > max)
        return err_set(e, ERR_INVALID, "too_long", f->name, "“%s”不能超过 %lld 个字", f->label,
                       (long long)max);
    if ((f->flags & JV_REQUIRED) && n == 0)
        return err_set(e, ERR_INVALID, "missing_field", f->name, "“%s”不能为空", f->label);
    return 0;
}

static int check_value(const jv_field *f, const json_t *v, gh_err *e)
{
    switch (f->type) {
    case JV_STRING:
        if (!json_is_string(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name, "“%s”应为文本", f->label);
        return check_string(f, json_string_value(v), json_string_length(v), e);
    case JV_INT: {
        if (!json_is_integer(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name, "“%s”应为整数", f->label);
        json_int_t x = json_integer_value(v);
        if (f->min < f->max && (x < f->min || x > f->max))
            return err_set(e, ERR_INVALID, "out_of_range", f->name, "“%s”应在 %lld 到 %lld 之间",
                           f->label, (long long)f->min, (long long)f->max);
        return 0;
    }
    case JV_MONEY: {
        if (!json_is_integer(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name,
                           "“%s”应为以分为单位的整数金额", f->label);
        json_int_t x = json_integer_value(v);
        int64_t max = f->max > 0 ? f->max : 10000000000000LL;
        if (x < f->min || x > max)
            return err_set(e, ERR_INVALID, "invalid_amount", f->name, "“%s”金额超出允许范围",
                           f->label);
        return 0;
    }
    case JV_BOOL:
        if (!json_is_boolean(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name, "“%s”应为是/否（true/false）",
                           f->label);
        return 0;
    case JV_DATE: {
        if (!json_is_string(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name, "“%s”应为日期（YYYY-MM-DD）",
                           f->label);
        int32_t d;
        if (date_parse(json_string_value(v), &d, NULL))
            return err_set(e, ERR_INVALID, "invalid_date", f->name,
                           "“%s”不是有效日期（格式 YYYY-MM-DD）", f->label);
        return 0;
    }
    case JV_ENUM:
        if (!json_is_string(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name, "“%s”应为文本", f->label);
        if (jv_choice_index(jv_choices(f), json_string_value(v)) < 0)
            return err_set(e, ERR_INVALID, "invalid_choice", f->name, "“%s”的取值无效", f->label);
        return 0;
    case JV_ENUMS: {
        if (!json_is_array(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name, "“%s”应为列表", f->label);
        size_t i, j;
        json_t *it, *jt;
        json_array_foreach(v, i, it) {
            if (!json_is_string(it) || jv_choice_index(jv_choices(f), json_string_value(it)) < 0)
                return err_set(e, ERR_INVALID, "invalid_choice", f->name, "“%s”的取值无效",
                               f->label);
            json_array_foreach(v, j, jt) {
                if (j >= i) break;
                if (json_equal(it, jt))
                    return err_set(e, ERR_INVALID, "duplicate_item", f->name, "“%s”有重复的值",
                                   f->label);
            }
        }
        return 0;
    }
    case JV_ARRAY: {
        if (!json_is_array(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name, "“%s”应为列表", f->label);
        int64_t max = f->max > 0 ? f->max : 1000;
        if ((int64_t)json_array_size(v) > max)
            return err_set(e, ERR_INVALID, "too_many_items", f->name, "“%s”最多 %lld 项",
                           f->label, (long long)max);
        return 0;
    }
    case JV_OBJECT:
        if (!json_is_object(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->name, "“%s”应为对象", f->label);
        return 0;
    }
    return err_set(e, ERR_INTERNAL, NULL, f->name, NULL);
}

static int check(const json_t *obj, const jv_field *spec, int partial, gh_err *e)
{
    if (!json_is_object(obj))
        return err_set(e, ERR_INVALID, "invalid_body", NULL, "请求内容应为 JSON 对象");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        const jv_field *f = find(spec, key);
        if (!f)
            return err_set(e, ERR_INVALID, "unknown_field", key, "不支持的字段“%s”", key);
        if (json_is_null(v)) {
            if (f->flags & JV_NULLABLE) continue;
            if (partial || (f->flags & JV_REQUIRED))
                return err_set(e, ERR_INVALID, "missing_field", f->name, "“%s”不能为空", f->label);
            continue;
        }
        int rc = check_value(f, v, e);
        if (rc) return rc;
    }
    if (partial) return 0;
    for (const jv_field *f = spec; f->name; f++) {
        if (!(f->flags & JV_REQUIRED)) continue;
        json_t *x = json_object_get(obj, f->name);
        if (!x || json_is_null(x))
            return err_set(e, ERR_INVALID, "missing_field", f->name, "“%s”为必填项", f->label);
    }
    return 0;
}

int jv_check(const json_t *obj, const jv_field *spec, gh_err *e) { return check(obj, spec, 0, e); }

int jv_check_partial(const json_t *obj, const jv_field *spec, gh_err *e)
{
    return check(obj, spec, 1, e);
}

const char *jv_str(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t jv_int(const json_t *obj, const char *key, int64_t def)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

int jv_bool(const json_t *obj, const char *key, int def)
{
    json_t *v = json_object_get(obj, key);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

int jv_has(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v);
}

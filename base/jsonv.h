/* jsonv.h — declarative checks for JSON request objects.
 *
 * A request body is checked against a table of fields before any business
 * rule runs: unknown fields, wrong types, missing required fields, strings
 * that are too long or hold control characters, numbers out of range, and
 * values outside a fixed set are refused with a stable code, the field name
 * and a Chinese message built from the field's label:
 *   static const jv_field org_fields[] = {
 *       {"name", JV_STRING, JV_REQUIRED, "名称", .max = 100},
 *       {"level", JV_ENUM, JV_REQUIRED, "层级", .choices = org_levels},
 *       {0}};
 *   rc = jv_check(body, org_fields, e);
 * The same tables serve the HTTP API and the CSV imports (rows are turned
 * into JSON objects), so both refuse the same things in the same words. */
#ifndef GH_JSONV_H
#define GH_JSONV_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"

enum {
    JV_STRING = 1, /* max = most characters (code points); 0 means 200 */
    JV_INT,        /* min..max when min < max */
    JV_BOOL,
    JV_MONEY,      /* integer fen, 0..max (max 0 means 10^13 fen) */
    JV_DATE,       /* "YYYY-MM-DD" */
    JV_ENUM,       /* a string from choices */
    JV_ARRAY,      /* max = most items (0 means 1000) */
    JV_OBJECT,
    JV_ENUMS,      /* an array of distinct strings from choices */
};

enum {
    JV_REQUIRED = 1,  /* must be present and not null */
    JV_NULLABLE = 2,  /* null is accepted (means "clear") */
    JV_MULTILINE = 4, /* strings may contain line breaks and tabs */
};

typedef struct jv_field {
    const char *name;
    int type;
    int flags;
    const char *label;
    int64_t min, max;
    const char *const *choices; /* NULL-terminated */
    /* choices known only at run time (e.g. from the module list); used
     * when choices is NULL */
    const char *const *(*choices_fn)(void);
} jv_field;

/* Check obj (must be a JSON object) against spec, which ends with {0}. */
int jv_check(const json_t *obj, const jv_field *spec, gh_err *e);

/* Check only the fields present (for PATCH): required flags are ignored but
 * null is still refused for non-nullable fields. */
int jv_check_partial(const json_t *obj, const jv_field *spec, gh_err *e);

/* Typed getters for fields that jv_check accepted. A missing or null field
 * gives NULL / def. */
const char *jv_str(const json_t *obj, const char *key);
int64_t jv_int(const json_t *obj, const char *key, int64_t def);
int jv_bool(const json_t *obj, const char *key, int def);
int jv_has(const json_t *obj, const char *key);

/* Index of s in a NULL-terminated list, or -1. */
int jv_choice_index(const char *const *choices, const char *s);
/* The choices of a field (choices, or what choices_fn returns). */
const char *const *jv_choices(const jv_field *f);

#endif

/* fields.c — the shared request-body schemas of fields.h. */
#include "domain/core/fields.h"

const jv_field core_reason_fields[] = {
    {"reason", JV_STRING, JV_REQUIRED, "原因", .max = 200},
    {0},
};

const jv_field core_note_fields[] = {
    {"note", JV_STRING, JV_NULLABLE, "意见", .max = 200},
    {0},
};

const jv_field core_no_fields[] = {{0}};

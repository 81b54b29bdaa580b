/* fields.h — request-body schemas that many capabilities share: the reason
 * for a refusal or a correction, an optional reviewer's note, and "no
 * fields at all". Capability-specific schemas live with their capability. */
#ifndef GH_FIELDS_H
#define GH_FIELDS_H

#include "base/jsonv.h"

/* {"reason": "…"} required, up to 200 characters. */
extern const jv_field core_reason_fields[];
/* {"note": "…"} optional (null allowed), up to 200 characters. */
extern const jv_field core_note_fields[];
/* {} and nothing else. */
extern const jv_field core_no_fields[];

#endif

/* jsonw.h — a fast compact JSON writer for jansson values.
 *
 * Every API response passes through here. jansson's own json_dumps checks
 * and re-encodes each character through several calls; since jansson only
 * ever holds valid UTF-8 strings, the writer copies runs of ordinary bytes
 * as they are and escapes only what JSON requires (quote, backslash,
 * control characters). Output matches json_dumps(v, JSON_COMPACT) for the
 * values the API produces (objects keep insertion order). */
#ifndef GH_JSONW_H
#define GH_JSONW_H

#include <jansson.h>

#include "base/buf.h"

/* Append v to b. 0 or ERR_NOMEM. */
int jsonw_append(buf *b, const json_t *v);

/* v as a malloc'd NUL-terminated string (*len without the NUL), or NULL. */
char *jsonw_dump(const json_t *v, size_t *len);

#endif

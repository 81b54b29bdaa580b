/* buf.h — a growable byte buffer that is always NUL-terminated.
 *
 * Used for building SQL, JSON fragments, CSV output and log lines without
 * fixed-size arrays. A zero-initialised struct buf is an empty buffer; the
 * owner calls buf_free() once. Append functions return 0 or ERR_NOMEM and,
 * once an allocation failed, the buffer stays in the failed state (b->oom) so
 * callers may append many times and check once. */
#ifndef GH_BUF_H
#define GH_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* NUL-terminated, or NULL while empty */
    size_t len;
    size_t cap;
    int oom;
} buf;

int buf_reserve(buf *b, size_t extra);
int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Append s length-prefixed ("5:hello", "-1:" for NULL): the unambiguous
 * serialisation the hash chains (audit log, ledger) hash, where no choice
 * of values can make two different records read alike. */
int buf_field(buf *b, const char *s);

/* The contents as a C string; never NULL (an empty buffer gives ""). */
const char *buf_str(const buf *b);
/* Forget the contents but keep the memory. */
void buf_reset(buf *b);
/* Hand the malloc'd string to the caller (who frees it) and empty b. */
char *buf_take(buf *b);
void buf_free(buf *b);

#endif

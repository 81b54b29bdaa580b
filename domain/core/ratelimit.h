/* ratelimit.h — rate limits kept in the database, so several server
 * processes behind one proxy count together:
 *   - fixed windows (ratelimit_hit): at most `limit` hits per window;
 *   - growing delays after failures (ratelimit_backoff_*): a key may fail a
 *     few times freely, then each further failure imposes a delay that
 *     doubles, up to a ceiling; a key quiet for long enough starts over.
 *     Log-in uses these per client address and per log-in name. */
#ifndef GH_RATELIMIT_H
#define GH_RATELIMIT_H

#include <stdint.h>

#include "store/store.h"

/* Count one hit for key in the current window of window_s seconds; when the
 * count exceeds limit, ERR_RATE ("rate_limited"). Commits on its own when
 * called outside a transaction. */
int ratelimit_hit(store_conn *db, const char *key, int limit, int window_s, gh_err *e);

typedef struct ratelimit_backoff {
    int free;          /* failures without any delay */
    int64_t base_ms;   /* the delay after failure number free; each further failure doubles it */
    int64_t max_ms;    /* the longest delay */
    int64_t forget_ms; /* a key whose last failure is this old starts over */
} ratelimit_backoff;

/* The delay imposed after n failures in a row (0 while n < b->free). */
int64_t ratelimit_backoff_delay(const ratelimit_backoff *b, int64_t n);

/* Milliseconds key must still wait before its next attempt (0: now). */
int ratelimit_backoff_wait(store_conn *db, const char *key, int64_t now_ms, int64_t *wait_ms, gh_err *e);

/* Count one failure for key at now_ms; *wait_ms (may be NULL) receives the
 * delay it now imposes. Keys forgotten long ago are swept at the same time. */
int ratelimit_backoff_fail(store_conn *db, const char *key, const ratelimit_backoff *b, int64_t now_ms,
                           int64_t *wait_ms, gh_err *e);

/* Forget key's failures (after a success). */
int ratelimit_backoff_clear(store_conn *db, const char *key, gh_err *e);

#endif

/* ratelimit.h — fixed-window rate limits kept in the database, so several
 * server processes behind one proxy count together. */
#ifndef GH_RATELIMIT_H
#define GH_RATELIMIT_H

#include "store/store.h"

/* Count one hit for key in the current window of window_s seconds; when the
 * count exceeds limit, ERR_RATE ("rate_limited"). Commits on its own when
 * called outside a transaction. */
int ratelimit_hit(store_conn *db, const char *key, int limit, int window_s, gh_err *e);

#endif

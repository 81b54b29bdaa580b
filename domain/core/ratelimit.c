/* ratelimit.c — database-held fixed-window counters; see ratelimit.h. */
#include "domain/core/ratelimit.h"

#include "base/date.h"

int ratelimit_hit(store_conn *db, const char *key, int limit, int window_s, gh_err *e)
{
    int64_t window = ts_now_ms() / 1000 / window_s;
    int64_t count = 0;
    /* One statement: insert or bump, restarting the count in a new window. */
    store_res r;
    int rc = store_query(db, &r,
        "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)"
        " ON CONFLICT (key) DO UPDATE SET"
        " count = CASE WHEN rate_limits.window_start = $2 THEN rate_limits.count + 1 ELSE 1 END,"
        " window_start = $2 RETURNING count",
        SV_ARGS(SV_T(key), SV_I(window)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        count = store_int(&r, 0);
        rc = 0;
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (count > limit)
        return err_set(e, ERR_RATE, "rate_limited", NULL, "操作过于频繁，请 %d 分钟后再试",
                       window_s >= 60 ? window_s / 60 : 1);
    return 0;
}

/* ratelimit.c — database-held fixed-window counters and failure back-off;
 * see ratelimit.h. */
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

int64_t ratelimit_backoff_delay(const ratelimit_backoff *b, int64_t n)
{
    if (n < b->free) return 0;
    int64_t d = b->base_ms;
    for (int64_t i = b->free; i < n && d < b->max_ms; i++) d *= 2;
    return d < b->max_ms ? d : b->max_ms;
}

int ratelimit_backoff_wait(store_conn *db, const char *key, int64_t now_ms, int64_t *wait_ms, gh_err *e)
{
    *wait_ms = 0;
    int64_t until = 0;
    int rc = store_get_int(db, "SELECT until_ms FROM rate_backoff WHERE key = $1", SV_ARGS(SV_T(key)), &until, e);
    if (rc == ERR_NOT_FOUND) return 0;
    if (rc) return rc;
    if (until > now_ms) *wait_ms = until - now_ms;
    return 0;
}

int ratelimit_backoff_fail(store_conn *db, const char *key, const ratelimit_backoff *b, int64_t now_ms,
                           int64_t *wait_ms, gh_err *e)
{
    if (wait_ms) *wait_ms = 0;
    int64_t forget_before = now_ms - b->forget_ms;
    /* Sweep what nobody remembers any more (an address that tried once a
     * week ago), so random log-ins cannot grow the table without bound. */
    int rc = store_exec(db, "DELETE FROM rate_backoff WHERE last_ms < $1 AND until_ms < $2",
                        SV_ARGS(SV_I(forget_before), SV_I(now_ms)), NULL, e);
    if (rc) return rc;
    int64_t n = 0;
    store_res r;
    rc = store_query(db, &r,
        "INSERT INTO rate_backoff (key, failures, last_ms, until_ms) VALUES ($1, 1, $2, 0)"
        " ON CONFLICT (key) DO UPDATE SET"
        " failures = CASE WHEN rate_backoff.last_ms < $3 THEN 1 ELSE rate_backoff.failures + 1 END,"
        " last_ms = $2 RETURNING failures",
        SV_ARGS(SV_T(key), SV_I(now_ms), SV_I(forget_before)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        n = store_int(&r, 0);
        rc = 0;
    }
    store_done(&r);
    if (rc < 0) return rc;
    int64_t d = ratelimit_backoff_delay(b, n);
    if (d <= 0) return 0;
    /* Two servers counting at once agree on the later end. */
    rc = store_exec(db, "UPDATE rate_backoff SET until_ms = $2 WHERE key = $1 AND until_ms < $2",
                    SV_ARGS(SV_T(key), SV_I(now_ms + d)), NULL, e);
    if (rc == 0 && wait_ms) *wait_ms = d;
    return rc;
}

int ratelimit_backoff_clear(store_conn *db, const char *key, gh_err *e)
{
    return store_exec(db, "DELETE FROM rate_backoff WHERE key = $1", SV_ARGS(SV_T(key)), NULL, e);
}

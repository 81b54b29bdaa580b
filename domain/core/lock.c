/* lock.c — database-held named locks; see lock.h. */
#include "domain/core/lock.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

int lock_acquire(store_conn *db, const char *name, const char *owner, int ttl_s, gh_err *e)
{
    char ts[32];
    ts_now(ts);
    int64_t now = ts_now_ms();
    store_res r;
    /* One statement decides: insert, or take over an expired (or one's own)
     * lock; a live lock of someone else leaves the row alone and returns
     * nothing. */
    int rc = store_query(db, &r,
        "INSERT INTO locks (name, owner, acquired_at, expires_ms) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (name) DO UPDATE SET owner = $2, acquired_at = $3, expires_ms = $4"
        " WHERE locks.expires_ms < $5 OR locks.owner = $2 RETURNING owner",
        SV_ARGS(SV_T(name), SV_T(owner), SV_T(ts), SV_I(now + (int64_t)ttl_s * 1000), SV_I(now)), e);
    if (rc) return rc;
    int got = (rc = store_next(&r, e)) > 0;
    store_done(&r);
    if (rc < 0) return rc;
    if (got) return 0;
    char since[32] = "";
    rc = store_query(db, &r, "SELECT acquired_at FROM locks WHERE name = $1", SV_ARGS(SV_T(name)), e);
    if (rc == 0) {
        if (store_next(&r, NULL) > 0 && store_text(&r, 0)) snprintf(since, sizeof since, "%s", store_text(&r, 0));
        store_done(&r);
    }
    return err_set(e, ERR_LOCKED, "run_in_progress", NULL, "同一任务正在运行（自 %s 起），请等它结束后再试",
                   since[0] ? since : "不久前");
}

int lock_take_over(store_conn *db, const char *name, const char *owner, int ttl_s, gh_err *e)
{
    char ts[32];
    ts_now(ts);
    return store_exec(db,
        "INSERT INTO locks (name, owner, acquired_at, expires_ms) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (name) DO UPDATE SET owner = $2, acquired_at = $3, expires_ms = $4",
        SV_ARGS(SV_T(name), SV_T(owner), SV_T(ts), SV_I(ts_now_ms() + (int64_t)ttl_s * 1000)), NULL, e);
}

int lock_release(store_conn *db, const char *name, const char *owner, gh_err *e)
{
    return store_exec(db, "DELETE FROM locks WHERE name = $1 AND owner = $2", SV_ARGS(SV_T(name), SV_T(owner)),
                      NULL, e);
}

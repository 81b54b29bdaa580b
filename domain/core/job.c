/* job.c — background jobs; see job.h. */
#include "domain/core/job.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/log.h"
#include "domain/core/list.h"
#include "domain/org/org.h"

#define MAX_LIVE 64
#define RESERVED (-1) /* a slot taken for a job whose row is being written */

/* A job of this process: its id (RESERVED before the row exists), who
 * started it, its progress. The slots in use are the jobs running here, so
 * they are also what the limits count. */
typedef struct live {
    int64_t id, actor;
    atomic_llong done, total;
} live;

static live g_live[MAX_LIVE];
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_running;
static int g_max_jobs = 4, g_max_per_user = 2;

void job_set_limits(int per_server, int per_user)
{
    pthread_mutex_lock(&g_mu);
    g_max_jobs = per_server > 0 ? (per_server < MAX_LIVE ? per_server : MAX_LIVE) : 4;
    g_max_per_user = per_user > 0 ? per_user : 2;
    pthread_mutex_unlock(&g_mu);
}

int job_max(void)
{
    pthread_mutex_lock(&g_mu);
    int n = g_max_jobs;
    pthread_mutex_unlock(&g_mu);
    return n;
}

int job_has_room(void)
{
    pthread_mutex_lock(&g_mu);
    int used = 0;
    for (int i = 0; i < MAX_LIVE; i++) used += g_live[i].id != 0;
    int room = used < g_max_jobs;
    pthread_mutex_unlock(&g_mu);
    return room;
}

/* Take a slot for a new job of actor, within the limits; NULL and 429
 * otherwise. */
static live *live_reserve(int64_t actor, gh_err *e)
{
    pthread_mutex_lock(&g_mu);
    int used = 0, mine = 0;
    live *free_slot = NULL;
    for (int i = 0; i < MAX_LIVE; i++) {
        if (g_live[i].id == 0) {
            if (!free_slot) free_slot = &g_live[i];
            continue;
        }
        used++;
        if (actor && g_live[i].actor == actor) mine++;
    }
    live *l = NULL;
    if (used >= g_max_jobs || !free_slot)
        err_set(e, ERR_RATE, "too_many_jobs", NULL, "服务器上同时运行的后台任务已达上限（%d 个），请稍后再试", g_max_jobs);
    else if (actor && mine >= g_max_per_user)
        err_set(e, ERR_RATE, "too_many_jobs", NULL, "您已有 %d 个后台任务正在运行，请等其完成后再试", mine);
    else {
        l = free_slot;
        l->id = RESERVED;
        l->actor = actor;
        atomic_store(&l->done, 0);
        atomic_store(&l->total, 0);
    }
    pthread_mutex_unlock(&g_mu);
    return l;
}

static void live_set(live *l, int64_t id)
{
    pthread_mutex_lock(&g_mu);
    l->id = id;
    pthread_mutex_unlock(&g_mu);
}

typedef struct job_run {
    store *db;
    gh_actor actor;
    const gh_config *cfg;
    int64_t id;
    job_fn fn;
    void *arg;
    void (*free_arg)(void *);
} job_run;

static live *live_slot(int64_t id)
{
    pthread_mutex_lock(&g_mu);
    live *found = NULL;
    for (int i = 0; i < MAX_LIVE && !found && id > 0; i++)
        if (g_live[i].id == id) found = &g_live[i];
    pthread_mutex_unlock(&g_mu);
    return found;
}

static void live_release(int64_t id)
{
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < MAX_LIVE; i++)
        if (g_live[i].id == id) g_live[i].id = 0;
    pthread_mutex_unlock(&g_mu);
}

void job_progress(int64_t job_id, int64_t done, int64_t total)
{
    live *l = live_slot(job_id);
    if (!l) return;
    atomic_store(&l->done, done);
    atomic_store(&l->total, total);
}

static void *job_thread(void *p)
{
    job_run *j = p;
    gh_err e;
    err_clear(&e);
    store_conn *c = store_conn_get(j->db, &e);
    json_t *result = NULL;
    int rc = c ? 0 : (e.rc ? e.rc : ERR_STORE);
    if (c) {
        char ts[32];
        ts_now(ts);
        store_exec(c, "UPDATE jobs SET status = 'running', updated_at = $2 WHERE id = $1",
                   SV_ARGS(SV_I(j->id), SV_T(ts)), NULL, NULL);
        gh_ctx x = {c, &j->actor, j->cfg};
        rc = j->fn(&x, j->id, j->arg, &result, &e);
    }
    if (c) {
        char ts[32], *res = result ? json_dumps(result, JSON_COMPACT) : NULL;
        ts_now(ts);
        live *l = live_slot(j->id);
        int64_t done = l ? atomic_load(&l->done) : 0, total = l ? atomic_load(&l->total) : 0;
        json_t *err = rc ? json_pack("{s:s, s:s}", "code", e.code, "message", e.message) : NULL;
        if (err && e.field[0]) json_object_set_new(err, "field", json_string(e.field));
        char *errs = err ? json_dumps(err, JSON_COMPACT) : NULL;
        gh_err ue;
        if (store_exec(c,
                "UPDATE jobs SET status = $2, done_count = $3, total_count = $4, result = $5, error = $6,"
                " updated_at = $7 WHERE id = $1",
                SV_ARGS(SV_I(j->id), SV_T(rc ? "failed" : "done"), SV_I(done), SV_I(total), SV_T(res),
                        SV_T(errs), SV_T(ts)),
                NULL, &ue) != 0)
            log_error("job %lld: could not record its end: %s", (long long)j->id, ue.message);
        free(res);
        free(errs);
        json_decref(err);
    }
    if (rc) log_warn("job %lld failed: %s %s", (long long)j->id, e.code, e.message);
    json_decref(result);
    /* the job's memory goes before its slot, so the limits bound memory */
    if (j->free_arg) j->free_arg(j->arg);
    live_release(j->id);
    free(j);
    atomic_fetch_sub(&g_running, 1);
    return NULL;
}

int job_start(gh_ctx *x, const char *kind, int64_t org_id, job_fn fn, void *arg, void (*free_arg)(void *),
              int64_t *job_id, gh_err *e)
{
    /* The limits first: a refused job leaves no row. */
    live *slot = live_reserve(x->actor->user_id, e);
    if (!slot) {
        if (free_arg) free_arg(arg);
        return e->rc;
    }
    char ts[32];
    ts_now(ts);
    store_res r;
    int rc = store_query(x->db, &r,
        "INSERT INTO jobs (kind, org_id, actor_id, status, created_at, updated_at)"
        " VALUES ($1, $2, $3, 'queued', $4, $4) RETURNING id",
        SV_ARGS(SV_T(kind), SV_IZ(org_id), SV_IZ(x->actor->user_id), SV_T(ts)), e);
    if (rc == 0) {
        if ((rc = store_next(&r, e)) > 0) {
            *job_id = store_int(&r, 0);
            rc = 0;
        } else if (rc == 0) {
            rc = err_set(e, ERR_STORE, NULL, NULL, NULL);
        }
        store_done(&r);
    }
    if (rc) {
        live_set(slot, 0);
        if (free_arg) free_arg(arg);
        return rc;
    }
    job_run *j = calloc(1, sizeof *j);
    if (!j) {
        live_set(slot, 0);
        if (free_arg) free_arg(arg);
        store_exec(x->db, "UPDATE jobs SET status = 'failed', error = '{\"code\":\"out_of_memory\"}' WHERE id = $1",
                   SV_ARGS(SV_I(*job_id)), NULL, NULL);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    live_set(slot, *job_id);
    j->db = store_of(x->db);
    j->actor = *x->actor;
    j->cfg = x->cfg;
    j->id = *job_id;
    j->fn = fn;
    j->arg = arg;
    j->free_arg = free_arg;
    pthread_t t;
    atomic_fetch_add(&g_running, 1);
    if (pthread_create(&t, NULL, job_thread, j) != 0) {
        atomic_fetch_sub(&g_running, 1);
        live_release(*job_id);
        if (free_arg) free_arg(arg);
        free(j);
        store_exec(x->db, "UPDATE jobs SET status = 'failed', error = '{\"code\":\"job_start_failed\"}' WHERE id = $1",
                   SV_ARGS(SV_I(*job_id)), NULL, NULL);
        return err_set(e, ERR_UNAVAILABLE, "job_start_failed", NULL, "无法启动后台任务");
    }
    pthread_detach(t);
    return 0;
}

int job_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT j.id, j.kind, j.org_id, j.actor_id, j.status, j.done_count, j.total_count, j.result, j.error,"
        " j.created_at, j.updated_at, o.path FROM jobs j LEFT JOIN orgs o ON o.id = j.org_id WHERE j.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        int mine = a->user_id && store_int(&r, 3) == a->user_id;
        int visible = mine || a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM ||
                      (actor_is_staff(a) && store_text(&r, 11) && actor_in_scope(a, store_text(&r, 11)));
        if (!visible) {
            rc = err_set(e, ERR_NOT_FOUND, "job_not_found", "id", "任务不存在");
        } else {
            json_t *o = json_object();
            const char *status = store_text(&r, 4);
            int64_t done = store_int(&r, 5), total = store_int(&r, 6);
            live *l = live_slot(id);
            if (l) {
                done = atomic_load(&l->done);
                total = atomic_load(&l->total);
            }
            int64_t updated = 0;
            ts_parse(store_text(&r, 10), &updated, NULL);
            if (!l && (strcmp(status, "running") == 0 || strcmp(status, "queued") == 0) &&
                ts_now_ms() - updated > 3600 * 1000)
                status = "failed"; /* its process is gone */
            json_object_set_new(o, "id", json_integer(store_int(&r, 0)));
            json_object_set_new(o, "kind", list_col_str(&r, 1));
            json_object_set_new(o, "org_id", list_col_int(&r, 2));
            json_object_set_new(o, "status", json_string(status));
            json_object_set_new(o, "done", json_integer(done));
            json_object_set_new(o, "total", json_integer(total));
            const char *res = store_text(&r, 7), *err = store_text(&r, 8);
            json_t *rj = res ? json_loads(res, 0, NULL) : NULL;
            json_t *ej = err ? json_loads(err, 0, NULL) : NULL;
            json_object_set_new(o, "result", rj ? rj : json_null());
            json_object_set_new(o, "error", ej ? ej : json_null());
            json_object_set_new(o, "created_at", list_col_str(&r, 9));
            json_object_set_new(o, "updated_at", list_col_str(&r, 10));
            *out = o;
            rc = 0;
        }
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "job_not_found", "id", "任务不存在");
    }
    store_done(&r);
    return rc;
}

void job_wait_all(int seconds)
{
    for (int i = 0; i < seconds * 10 && atomic_load(&g_running) > 0; i++) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

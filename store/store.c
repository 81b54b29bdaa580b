/* store.c — the backend-neutral half of the storage layer: URL dispatch,
 * per-thread connections, nested transactions with retry, and the migration
 * runner. The backends (sqlite.c, pg.c) only speak their own database. */
#include "store/store_impl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/log.h"

static void conn_unlink(store *s, store_conn *c)
{
    pthread_mutex_lock(&s->mu);
    if (c->prev) c->prev->next = c->next;
    else if (s->conns == c) s->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    c->next = c->prev = NULL;
    pthread_mutex_unlock(&s->mu);
}

/* Runs when a thread that used the store ends. */
static void conn_destructor(void *p)
{
    store_conn *c = p;
    if (!c) return;
    store *s = c->s;
    conn_unlink(s, c);
    s->ops->disconnect(c);
}

int store_open(const char *url, store **out, gh_err *e)
{
    *out = NULL;
    if (!url || !*url)
        return err_set(e, ERR_INVALID, "invalid_db_url", "db", "数据库地址为空");
    const store_ops *ops = NULL;
    const char *target = NULL;
    if (strncmp(url, "sqlite:", 7) == 0) {
        ops = &store_sqlite_ops;
        target = url + 7;
        /* sqlite:///abs/path and sqlite://rel are accepted as well. */
        if (strncmp(target, "//", 2) == 0) target += 2;
        if (!*target)
            return err_set(e, ERR_INVALID, "invalid_db_url", "db",
                           "SQLite 数据库地址缺少文件路径，例如 sqlite:var/gonghui.db");
    } else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0 ||
               strcmp(url, "postgres:") == 0) {
        ops = &store_pg_ops;
        target = strcmp(url, "postgres:") == 0 ? "" : url; /* "" = PG* environment */
    } else {
        return err_set(e, ERR_INVALID, "invalid_db_url", "db",
                       "不支持的数据库地址：%s（应以 sqlite: 或 postgres:// 开头）", url);
    }
    store *s = calloc(1, sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    s->ops = ops;
    s->url = strdup(url);
    s->target = strdup(target);
    pthread_mutex_init(&s->mu, NULL);
    if (!s->url || !s->target || pthread_key_create(&s->key, conn_destructor)) {
        free(s->url);
        free(s->target);
        free(s);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    /* Connect once now so a wrong URL fails at start, not at first request. */
    if (!store_conn_get(s, e)) {
        store_close(s);
        return e ? e->rc : ERR_STORE;
    }
    *out = s;
    return 0;
}

void store_close(store *s)
{
    if (!s) return;
    store_conn *mine = pthread_getspecific(s->key);
    if (mine) pthread_setspecific(s->key, NULL);
    for (;;) {
        pthread_mutex_lock(&s->mu);
        store_conn *c = s->conns;
        if (c) {
            s->conns = c->next;
            if (s->conns) s->conns->prev = NULL;
        }
        pthread_mutex_unlock(&s->mu);
        if (!c) break;
        s->ops->disconnect(c);
    }
    pthread_key_delete(s->key);
    pthread_mutex_destroy(&s->mu);
    free(s->url);
    free(s->target);
    free(s);
}

const char *store_backend(const store *s) { return s->ops->name; }

store *store_of(store_conn *c) { return c->s; }

store_conn *store_conn_get(store *s, gh_err *e)
{
    store_conn *c = pthread_getspecific(s->key);
    if (c) return c;
    if (s->ops->connect(s, &c, e)) return NULL;
    c->s = s;
    pthread_mutex_lock(&s->mu);
    c->next = s->conns;
    if (s->conns) s->conns->prev = c;
    s->conns = c;
    pthread_mutex_unlock(&s->mu);
    pthread_setspecific(s->key, c);
    return c;
}

int store_query(store_conn *c, store_res *r, const char *sql,
                const store_val *args, int nargs, gh_err *e)
{
    memset(r, 0, sizeof *r);
    r->c = c;
    int rc = c->s->ops->query(c, r, sql, args, nargs, e);
    if (rc == 0) r->state = 1;
    return rc;
}

int store_next(store_res *r, gh_err *e)
{
    if (r->state != 1) return 0;
    int rc = r->c->s->ops->next(r, e);
    if (rc <= 0) r->state = 2;
    return rc;
}

int64_t store_int(store_res *r, int col) { return r->c->s->ops->col_int(r, col); }
const char *store_text(store_res *r, int col) { return r->c->s->ops->col_text(r, col); }
int store_isnull(store_res *r, int col) { return r->c->s->ops->col_isnull(r, col); }

int store_ncols(store_res *r) { return r->c->s->ops->ncols(r); }
const char *store_colname(store_res *r, int col) { return r->c->s->ops->colname(r, col); }
int store_coltype(store_res *r, int col) { return r->c->s->ops->coltype(r, col); }

int store_backup(store *s, const char *dest, store_progress_fn progress, void *pctx, gh_err *e)
{
    if (!s->ops->backup)
        return err_set(e, ERR_UNSUPPORTED, "backup_unsupported", "db",
                       "PostgreSQL 数据库请用 pg_dump 备份（见运维手册）");
    store_conn *c = store_conn_get(s, e);
    if (!c) return e ? e->rc : ERR_STORE;
    return s->ops->backup(c, dest, progress, pctx, e);
}

int store_after_copy(store_conn *c, const char *table, gh_err *e)
{
    return c->s->ops->after_copy ? c->s->ops->after_copy(c, table, e) : 0;
}

void store_done(store_res *r)
{
    if (!r || !r->c || r->state == 0) return;
    r->c->s->ops->done(r);
    r->state = 0;
}

int store_exec(store_conn *c, const char *sql, const store_val *args, int nargs,
               int64_t *changes, gh_err *e)
{
    store_res r;
    int rc = store_query(c, &r, sql, args, nargs, e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0) {}
    if (rc == 0 && changes) *changes = c->s->ops->changes(c, &r);
    store_done(&r);
    return rc;
}

int store_get_int(store_conn *c, const char *sql, const store_val *args,
                  int nargs, int64_t *out, gh_err *e)
{
    store_res r;
    int rc = store_query(c, &r, sql, args, nargs, e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        *out = store_int(&r, 0);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, NULL, NULL, NULL);
    }
    store_done(&r);
    return rc;
}

int store_one(store_conn *c, const char *sql, const store_val *args, int nargs, store_row_fn fn, void *ctx,
              gh_err *e)
{
    store_res r;
    int rc = store_query(c, &r, sql, args, nargs, e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) rc = fn(&r, ctx, e);
    else if (rc == 0) rc = ERR_NOT_FOUND;
    store_done(&r);
    return rc;
}

int store_each(store_conn *c, const char *sql, const store_val *args, int nargs, store_row_fn fn, void *ctx,
               gh_err *e)
{
    store_res r;
    int rc = store_query(c, &r, sql, args, nargs, e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0)
        if ((rc = fn(&r, ctx, e)) != 0) break;
    store_done(&r);
    return rc;
}

int store_begin(store_conn *c, int mode, gh_err *e)
{
    if (c->tx_depth > 0) {
        c->tx_depth++;
        return 0;
    }
    int rc = c->s->ops->begin(c, mode, e);
    if (rc) return rc;
    c->tx_depth = 1;
    c->tx_failed = 0;
    return 0;
}

int store_commit(store_conn *c, gh_err *e)
{
    if (c->tx_depth <= 0)
        return err_set(e, ERR_INTERNAL, "no_transaction", NULL, "没有进行中的事务");
    if (c->tx_depth > 1) {
        c->tx_depth--;
        return c->tx_failed ? err_set(e, ERR_STORE, "transaction_failed", NULL,
                                      "事务已失败") : 0;
    }
    c->tx_depth = 0;
    if (c->tx_failed) {
        c->s->ops->rollback(c);
        return err_set(e, ERR_STORE, "transaction_failed", NULL, "事务已失败，已回滚");
    }
    int rc = c->s->ops->commit(c, e);
    if (rc) c->s->ops->rollback(c);
    return rc;
}

void store_rollback(store_conn *c)
{
    if (c->tx_depth <= 0) return;
    if (c->tx_depth > 1) {
        c->tx_depth--;
        c->tx_failed = 1;
        return;
    }
    c->tx_depth = 0;
    c->tx_failed = 0;
    c->s->ops->rollback(c);
}

int store_in_tx(const store_conn *c) { return c->tx_depth > 0; }

int store_tx(store_conn *c, int mode, store_tx_fn fn, void *ctx, gh_err *e)
{
    const int outer = c->tx_depth == 0;
    const int tries = outer ? 5 : 1;
    int rc = 0;
    for (int attempt = 0; attempt < tries; attempt++) {
        rc = store_begin(c, mode, e);
        if (rc == 0) {
            rc = fn(c, ctx, e);
            if (rc == 0) rc = store_commit(c, e);
            else store_rollback(c);
        }
        if (rc != ERR_RETRY || !outer) break;
        /* Back off a little, more each time, with jitter so two clashing
         * transactions do not clash again in lockstep. */
        struct timespec ts = {0, (long)(1000000L * (1 << attempt) + (rand() % 1000) * 1000L)};
        nanosleep(&ts, NULL);
        err_clear(e);
    }
    return rc;
}

void store_bulk(store_conn *c, int on)
{
    if (c->s->ops->bulk) c->s->ops->bulk(c, on);
}

char *store_like_pattern(const char *term)
{
    buf b = {0};
    buf_putc(&b, '%');
    for (const char *p = term; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') buf_putc(&b, '\\');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '%');
    if (b.oom) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b);
}

void store_prefix_bound(const char *prefix, char *out, size_t n)
{
    size_t len = strlen(prefix);
    if (len + 1 > n) len = n - 1;
    memcpy(out, prefix, len);
    out[len] = '\0';
    /* Paths end in '/', and '/' + 1 is '0': every descendant path sorts
     * below the prefix with its last byte raised by one. */
    if (len > 0) out[len - 1] = (char)(out[len - 1] + 1);
}

char *store_subst(const char *sql, const char *const *pairs)
{
    buf b = {0};
    const char *p = sql;
    while (*p) {
        if (p[0] == '{' && p[1] == '{') {
            const char *end = strstr(p + 2, "}}");
            if (end) {
                size_t tl = (size_t)(end - (p + 2));
                const char *val = NULL;
                for (int i = 0; pairs[i]; i += 2)
                    if (strlen(pairs[i]) == tl && memcmp(pairs[i], p + 2, tl) == 0) val = pairs[i + 1];
                if (val) {
                    buf_puts(&b, val);
                    p = end + 2;
                    continue;
                }
            }
        }
        buf_putc(&b, *p++);
    }
    if (b.oom) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b);
}

int store_schema_version(store_conn *c, int *version, gh_err *e)
{
    int64_t v = 0;
    *version = 0;
    int rc = store_get_int(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                           SV_NONE, &v, e);
    if (rc) return rc;
    *version = (int)v;
    return 0;
}

int store_migrate(store *s, int *applied, gh_err *e) { return store_migrate_to(s, INT_MAX, applied, e); }

int store_migrate_to(store *s, int upto, int *applied, gh_err *e)
{
    if (applied) *applied = 0;
    store_conn *c = store_conn_get(s, e);
    if (!c) return e ? e->rc : ERR_STORE;
    int rc = 0, locked = 0;
    if (s->ops->migrate_lock) {
        rc = s->ops->migrate_lock(c, 1, e);
        if (rc) return rc;
        locked = 1;
    }
    rc = s->ops->script(c,
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)", e);
    if (rc) goto done;
    for (int i = 0; i < store_nmigrations; i++) {
        const store_migration *m = &store_migrations[i];
        if (m->version > upto) break;
        rc = store_begin(c, STORE_WRITE, e);
        if (rc) goto done;
        int64_t have = 0;
        /* Checked inside the write transaction: a second process that waited
         * for the lock sees the first one's work and skips. */
        rc = store_get_int(c, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
                           SV_ARGS(SV_I(m->version)), &have, e);
        if (rc == 0 && have == 0) {
            char *sql = s->ops->dialect(m->sql);
            if (!sql) rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
            else rc = s->ops->script(c, sql, e);
            free(sql);
            if (rc == 0) {
                char ts[32];
                ts_now(ts);
                rc = store_exec(c, "INSERT INTO schema_migrations (version, name, applied_at) "
                                   "VALUES ($1, $2, $3)",
                                SV_ARGS(SV_I(m->version), SV_T(m->name), SV_T(ts)), NULL, e);
            }
            if (rc == 0) {
                rc = store_commit(c, e);
                if (rc == 0) {
                    if (applied) (*applied)++;
                    log_info("migration %04d_%s applied", m->version, m->name);
                }
            } else {
                store_rollback(c);
                log_error("migration %04d_%s failed: %s", m->version, m->name,
                          e ? e->message : "");
            }
        } else if (rc == 0) {
            rc = store_commit(c, e);
        } else {
            store_rollback(c);
        }
        if (rc) goto done;
    }
done:
    if (locked) s->ops->migrate_lock(c, 0, NULL);
    return rc;
}

/* pg.c — the PostgreSQL backend of store.h, on libpq.
 *
 * One PGconn per thread. Every query is prepared once per connection under a
 * generated name and run with PQexecPrepared; parameter types come from the
 * store_val types (int8 or text) so PostgreSQL never has to guess. Results
 * are fetched whole (callers page their lists), which keeps nested queries
 * on one connection legal, as they are with SQLite.
 *
 * A dropped connection is re-established on the next statement outside a
 * transaction (prepared statements are then prepared again). Serialization
 * failures and deadlocks come back as ERR_RETRY, which store_tx turns into a
 * retry of the whole transaction. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/sqlcache.h"
#include "store/store_impl.h"

#define OID_INT8 20
#define OID_TEXT 25

typedef struct pq_stmt {
    sqlcache_entry key; /* first: the cache stores these */
    char name[24];
} pq_stmt;

typedef struct pg_conn {
    store_conn base;
    PGconn *pg;
    sqlcache cache;
    unsigned next_id;
    int64_t changes;
} pg_conn;

static void stmt_free(sqlcache_entry *k)
{
    free(k->sql);
    free(k);
}

static void cache_clear(pg_conn *c) { sqlcache_clear(&c->cache, stmt_free); }

static int map_pg_error(pg_conn *c, PGresult *res, const char *sql, gh_err *e)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg);
    if (!state) state = "";
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
        return err_set(e, ERR_RETRY, "database_busy", NULL, "数据库繁忙，请稍后重试");
    if (strcmp(state, "23505") == 0)
        return err_set(e, ERR_CONFLICT, "duplicate", NULL, "记录已存在（唯一性约束）");
    if (strcmp(state, "23503") == 0)
        return err_set(e, ERR_CONFLICT, "referenced", NULL, "关联的记录不存在或仍被其他记录引用");
    if (strncmp(state, "23", 2) == 0)
        return err_set(e, ERR_INVALID, "constraint_violation", NULL, "数据不满足约束条件");
    if (strcmp(state, "57014") == 0)
        return err_set(e, ERR_UNAVAILABLE, "query_timeout", NULL, "数据库查询超时");
    if (strcmp(state, "55P03") == 0)
        return err_set(e, ERR_LOCKED, "lock_not_available", NULL, "记录正被其他操作锁定");
    if (strncmp(state, "08", 2) == 0 || PQstatus(c->pg) == CONNECTION_BAD) {
        log_error("postgres connection lost: %s", msg);
        return err_set(e, ERR_UNAVAILABLE, "database_unavailable", NULL, "数据库连接中断，请重试");
    }
    log_error("postgres error %s: %s [%s]", state, msg, sql ? sql : "");
    if (strncmp(state, "42", 2) == 0)
        return err_set(e, ERR_INTERNAL, "bad_query", NULL, "系统内部错误（查询无效）");
    return err_set(e, ERR_STORE, "storage_error", NULL, "数据存储出错");
}

static int session_setup(pg_conn *c, gh_err *e)
{
    const char *timeout = getenv("GONGHUI_PG_STATEMENT_TIMEOUT");
    char sql[160];
    snprintf(sql, sizeof sql,
             "SET TIME ZONE 'UTC'; SET statement_timeout = '%s'; "
             "SET client_min_messages = warning",
             timeout && *timeout ? timeout : "30s");
    PGresult *res = PQexec(c->pg, sql);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) rc = map_pg_error(c, res, sql, e);
    PQclear(res);
    return rc;
}

static int pg_connect(store *s, store_conn **out, gh_err *e)
{
    pg_conn *c = calloc(1, sizeof *c);
    if (!c || sqlcache_init(&c->cache) != 0) {
        free(c);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    c->pg = PQconnectdb(s->target);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        err_set(e, ERR_UNAVAILABLE, "db_open_failed", "db", "无法连接 PostgreSQL：%s",
                c->pg ? PQerrorMessage(c->pg) : "内存不足");
        PQfinish(c->pg);
        sqlcache_free(&c->cache, stmt_free);
        free(c);
        return ERR_UNAVAILABLE;
    }
    int rc = session_setup(c, e);
    if (rc) {
        PQfinish(c->pg);
        sqlcache_free(&c->cache, stmt_free);
        free(c);
        return rc;
    }
    *out = &c->base;
    return 0;
}

static void pg_disconnect(store_conn *bc)
{
    pg_conn *c = (pg_conn *)bc;
    sqlcache_free(&c->cache, stmt_free);
    PQfinish(c->pg);
    free(c);
}

/* Outside a transaction a dead connection is replaced transparently. */
static int ensure_alive(pg_conn *c, gh_err *e)
{
    if (PQstatus(c->pg) == CONNECTION_OK) return 0;
    if (c->base.tx_depth > 0)
        return err_set(e, ERR_UNAVAILABLE, "database_unavailable", NULL, "数据库连接中断，请重试");
    PQreset(c->pg);
    cache_clear(c);
    if (PQstatus(c->pg) != CONNECTION_OK)
        return err_set(e, ERR_UNAVAILABLE, "database_unavailable", NULL, "数据库连接中断：%s",
                       PQerrorMessage(c->pg));
    log_warn("postgres connection re-established");
    return session_setup(c, e);
}

static int pg_script(store_conn *bc, const char *sql, gh_err *e)
{
    pg_conn *c = (pg_conn *)bc;
    int rc = ensure_alive(c, e);
    if (rc) return rc;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) rc = map_pg_error(c, res, sql, e);
    PQclear(res);
    return rc;
}

static int prepared(pg_conn *c, const char *sql, const store_val *args, int nargs,
                    pq_stmt **out, int *owned, gh_err *e)
{
    *owned = 0;
    uint64_t h = sqlcache_hash(sql);
    pq_stmt *st = (pq_stmt *)sqlcache_find(&c->cache, sql, h);
    if (st) {
        *out = st;
        return 0;
    }
    st = calloc(1, sizeof *st);
    if (!st || !(st->key.sql = strdup(sql))) {
        free(st);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    st->key.hash = h;
    snprintf(st->name, sizeof st->name, "g%u", ++c->next_id);
    Oid types[64];
    int n = nargs < 64 ? nargs : 64;
    for (int i = 0; i < n; i++)
        types[i] = args[i].type == SV_INT ? OID_INT8 : args[i].type == SV_TEXT && args[i].s ? OID_TEXT : 0;
    PGresult *res = PQprepare(c->pg, st->name, sql, n, types);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) rc = map_pg_error(c, res, sql, e);
    PQclear(res);
    if (rc) {
        stmt_free(&st->key);
        return rc;
    }
    /* If the table cannot grow, the caller frees the entry after one use;
     * the statement stays prepared on the server, unused: harmless. */
    *owned = sqlcache_put(&c->cache, &st->key) != 0;
    *out = st;
    return 0;
}

static int pg_query(store_conn *bc, store_res *r, const char *sql,
                    const store_val *args, int nargs, gh_err *e)
{
    pg_conn *c = (pg_conn *)bc;
    if (nargs > 64) return err_set(e, ERR_INTERNAL, "bad_query", NULL, "查询参数过多");
    char nums[64][24];
    const char *vals[64];
    for (int i = 0; i < nargs; i++) {
        if (args[i].type == SV_INT) {
            snprintf(nums[i], sizeof nums[i], "%lld", (long long)args[i].i);
            vals[i] = nums[i];
        } else if (args[i].type == SV_TEXT) {
            vals[i] = args[i].s;
        } else {
            vals[i] = NULL;
        }
    }
    /* A connection that died since its last use (a restarted server, an
     * idle timeout, pg_terminate_backend) is replaced and the statement run
     * once more — only outside a transaction, where nothing was lost. */
    for (int attempt = 0;; attempt++) {
        int rc = ensure_alive(c, e);
        if (rc) return rc;
        pq_stmt *st = NULL;
        int owned = 0;
        rc = prepared(c, sql, args, nargs, &st, &owned, e);
        PGresult *res = NULL;
        if (rc == 0) {
            res = PQexecPrepared(c->pg, st->name, nargs, vals, NULL, NULL, 0);
            if (owned) stmt_free(&st->key);
            ExecStatusType s = PQresultStatus(res);
            if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
                rc = map_pg_error(c, res, sql, e);
                PQclear(res);
                res = NULL;
            }
        }
        if (rc) {
            if (attempt == 0 && c->base.tx_depth == 0 && PQstatus(c->pg) == CONNECTION_BAD) {
                log_warn("postgres connection lost; reconnecting and retrying once");
                err_clear(e);
                continue;
            }
            return rc;
        }
        const char *ct = PQcmdTuples(res);
        c->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
        r->h = res;
        r->row = -1;
        r->nrows = PQntuples(res);
        return 0;
    }
}

static int pg_next(store_res *r, gh_err *e)
{
    (void)e;
    if (r->row + 1 >= r->nrows) return 0;
    r->row++;
    return 1;
}

static int pg_isnull(store_res *r, int col)
{
    return PQgetisnull(r->h, r->row, col);
}

static int64_t pg_int(store_res *r, int col)
{
    if (PQgetisnull(r->h, r->row, col)) return 0;
    const char *v = PQgetvalue(r->h, r->row, col);
    /* Booleans arrive as t/f in text format. */
    if (v[0] == 't' && v[1] == '\0') return 1;
    if (v[0] == 'f' && v[1] == '\0') return 0;
    return strtoll(v, NULL, 10);
}

static const char *pg_text(store_res *r, int col)
{
    if (PQgetisnull(r->h, r->row, col)) return NULL;
    return PQgetvalue(r->h, r->row, col);
}

static int pg_ncols(store_res *r) { return PQnfields(r->h); }

static const char *pg_colname(store_res *r, int col) { return PQfname(r->h, col); }

static int pg_coltype(store_res *r, int col)
{
    if (PQgetisnull(r->h, r->row, col)) return SV_NULL;
    Oid t = PQftype(r->h, col);
    return t == 20 || t == 21 || t == 23 ? SV_INT : SV_TEXT; /* int8, int2, int4 */
}

static int pg_after_copy(store_conn *bc, const char *table, gh_err *e)
{
    /* Identity columns keep their own sequence: move it past the copied ids. */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)"
             " WHERE pg_get_serial_sequence('%s', 'id') IS NOT NULL",
             table, table, table);
    return pg_script(bc, sql, e);
}

static int pg_count_tables(store_conn *c, int64_t *n, gh_err *e)
{
    return store_get_int(c,
                         "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                         " AND table_type = 'BASE TABLE'",
                         SV_NONE, n, e);
}

static void pg_done(store_res *r)
{
    PQclear(r->h);
    r->h = NULL;
}

static int64_t pg_changes(store_conn *bc, store_res *r)
{
    (void)r;
    return ((pg_conn *)bc)->changes;
}

static int pg_begin(store_conn *c, int mode, gh_err *e)
{
    const char *sql = mode == STORE_READ ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                      : mode == STORE_SERIAL ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                             : "BEGIN ISOLATION LEVEL READ COMMITTED";
    return pg_script(c, sql, e);
}

static int pg_commit(store_conn *c, gh_err *e) { return pg_script(c, "COMMIT", e); }

static void pg_rollback(store_conn *bc)
{
    pg_conn *c = (pg_conn *)bc;
    if (PQstatus(c->pg) != CONNECTION_OK) return;
    PGresult *res = PQexec(c->pg, "ROLLBACK");
    PQclear(res);
}

static char *pg_dialect(const char *sql)
{
    static const char *const pairs[] = {
        "PK", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        "BIGINT", "BIGINT",
        "TEXT_C", "TEXT COLLATE \"C\"",
        /* statements for one backend only: the other reads a comment */
        "IF_SQLITE", "/*", "END_SQLITE", "*/",
        "IF_PG", "", "END_PG", "",
        NULL,
    };
    return store_subst(sql, pairs);
}

static int pg_migrate_lock(store_conn *bc, int lock, gh_err *e)
{
    /* A fixed key shared by every gonghui process on this database. */
    return pg_script(bc, lock ? "SELECT pg_advisory_lock(4242000001)"
                              : "SELECT pg_advisory_unlock(4242000001)", e);
}

const store_ops store_pg_ops = {
    .name = "postgres",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .script = pg_script,
    .query = pg_query,
    .next = pg_next,
    .col_int = pg_int,
    .col_text = pg_text,
    .col_isnull = pg_isnull,
    .done = pg_done,
    .ncols = pg_ncols,
    .colname = pg_colname,
    .coltype = pg_coltype,
    .backup = NULL,
    .after_copy = pg_after_copy,
    .count_tables = pg_count_tables,
    .changes = pg_changes,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .dialect = pg_dialect,
    .migrate_lock = pg_migrate_lock,
};

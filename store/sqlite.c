/* sqlite.c — the embedded SQLite backend of store.h.
 *
 * One sqlite3 handle per thread (opened SQLITE_OPEN_NOMUTEX: the handle is
 * never shared), WAL journal so readers never wait for the writer, foreign
 * keys on, a busy timeout so writers queue rather than fail, and a cache of
 * prepared statements keyed by SQL text so a hot query is prepared once per
 * connection. Writes take the write lock at BEGIN (BEGIN IMMEDIATE) so two
 * writers never deadlock upgrading a read lock. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "store/sqlcache.h"
#include "store/store_impl.h"

typedef struct stmt_entry {
    sqlcache_entry key; /* first: the cache stores these */
    sqlite3_stmt *st;
    int nparam;
    int *map;   /* map[i] = k: the statement's parameter i is $k */
    int in_use; /* a cursor is open on it */
    int temp;   /* not in the cache: finalize when done */
} stmt_entry;

typedef struct sqlite_conn {
    store_conn base;
    sqlite3 *db;
    sqlcache cache;
} sqlite_conn;

static int map_sqlite_error(sqlite3 *db, int code, const char *sql, gh_err *e)
{
    int prim = code & 0xff;
    const char *msg = sqlite3_errmsg(db);
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        return err_set(e, ERR_RETRY, "database_busy", NULL, "数据库繁忙，请稍后重试");
    if (prim == SQLITE_CONSTRAINT) {
        log_debug("sqlite constraint: %s [%s]", msg, sql ? sql : "");
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
            return err_set(e, ERR_CONFLICT, "duplicate", NULL, "记录已存在（唯一性约束）");
        if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
            return err_set(e, ERR_CONFLICT, "referenced", NULL,
                           "关联的记录不存在或仍被其他记录引用");
        return err_set(e, ERR_INVALID, "constraint_violation", NULL, "数据不满足约束条件");
    }
    if (prim == SQLITE_FULL)
        return err_set(e, ERR_STORE, "disk_full", NULL, "磁盘空间不足");
    log_error("sqlite error %d: %s [%s]", code, msg, sql ? sql : "");
    return err_set(e, ERR_STORE, "storage_error", NULL, "数据存储出错");
}

static void entry_free(stmt_entry *en)
{
    if (!en) return;
    sqlite3_finalize(en->st);
    free(en->map);
    free(en->key.sql);
    free(en);
}

static void cached_free(sqlcache_entry *k) { entry_free((stmt_entry *)k); }

static int mkdir_parent(const char *path)
{
    char *dup = strdup(path);
    if (!dup) return -1;
    for (char *p = dup + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dup, 0750) != 0 && errno != EEXIST) {
            free(dup);
            return -1;
        }
        *p = '/';
    }
    free(dup);
    return 0;
}

/* Process-wide settings, before SQLite initialises itself: without memory
 * statistics SQLite takes no global mutex on every allocation, which the
 * server's threads would otherwise queue on. */
static void sq_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

static int sq_connect(store *s, store_conn **out, gh_err *e)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sq_global_init);
    sqlite_conn *c = calloc(1, sizeof *c);
    if (!c || sqlcache_init(&c->cache) != 0) {
        free(c);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    const char *path = s->target;
    if (strcmp(path, ":memory:") != 0) mkdir_parent(path);
    int rc = sqlite3_open_v2(path, &c->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_STORE, "db_open_failed", "db", "无法打开数据库 %s：%s", path,
                c->db ? sqlite3_errmsg(c->db) : "内存不足");
        sqlite3_close(c->db);
        sqlcache_free(&c->cache, cached_free);
        free(c);
        return ERR_STORE;
    }
    sqlite3_busy_timeout(c->db, 10000);
    sqlite3_extended_result_codes(c->db, 1);
    /* synchronous=FULL: a committed payment survives a power cut, not only a
     * crash; money and quotas are worth the extra fsync per commit. */
    char *msg = NULL;
    rc = sqlite3_exec(c->db,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                      "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_STORE, "db_open_failed", "db", "无法设置数据库 %s：%s", path,
                msg ? msg : "");
        sqlite3_free(msg);
        sqlite3_close(c->db);
        sqlcache_free(&c->cache, cached_free);
        free(c);
        return ERR_STORE;
    }
    *out = &c->base;
    return 0;
}

static void sq_disconnect(store_conn *bc)
{
    sqlite_conn *c = (sqlite_conn *)bc;
    sqlcache_free(&c->cache, cached_free);
    sqlite3_close(c->db);
    free(c);
}

static int sq_script(store_conn *bc, const char *sql, gh_err *e)
{
    sqlite_conn *c = (sqlite_conn *)bc;
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("sqlite script failed: %s", msg ? msg : "");
        sqlite3_free(msg);
        return map_sqlite_error(c->db, rc, sql, e);
    }
    return 0;
}

static int prepare(sqlite_conn *c, const char *sql, uint64_t h, stmt_entry **out, gh_err *e)
{
    stmt_entry *en = calloc(1, sizeof *en);
    if (!en) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    en->key.hash = h;
    en->key.sql = strdup(sql);
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &en->st, NULL);
    if (rc != SQLITE_OK || !en->key.sql) {
        int r = en->key.sql ? map_sqlite_error(c->db, rc, sql, e) : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        if (r == ERR_STORE) r = err_set(e, ERR_INTERNAL, "bad_query", NULL, "系统内部错误（查询无效）");
        entry_free(en);
        return r;
    }
    en->nparam = sqlite3_bind_parameter_count(en->st);
    en->map = calloc((size_t)en->nparam + 1, sizeof *en->map);
    if (!en->map) {
        entry_free(en);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    /* SQLite numbers "$N" parameters in order of first appearance, not by N;
     * remember which $N each slot is. */
    for (int i = 1; i <= en->nparam; i++) {
        const char *name = sqlite3_bind_parameter_name(en->st, i);
        en->map[i] = (name && name[0] == '$') ? atoi(name + 1) : 0;
        if (en->map[i] <= 0) {
            log_error("query parameter %d is not $N: %s", i, sql);
            entry_free(en);
            return err_set(e, ERR_INTERNAL, "bad_query", NULL, "系统内部错误（查询参数）");
        }
    }
    *out = en;
    return 0;
}

static int lookup(sqlite_conn *c, const char *sql, stmt_entry **out, gh_err *e)
{
    uint64_t h = sqlcache_hash(sql);
    stmt_entry *en = (stmt_entry *)sqlcache_find(&c->cache, sql, h);
    if (en && !en->in_use) {
        *out = en;
        return 0;
    }
    int rc = prepare(c, sql, h, out, e);
    if (rc) return rc;
    /* The same query nested inside itself gets a one-off statement; so does
     * one the table has no room for. */
    if (en || sqlcache_put(&c->cache, &(*out)->key) != 0) (*out)->temp = 1;
    return 0;
}

static int sq_query(store_conn *bc, store_res *r, const char *sql,
                    const store_val *args, int nargs, gh_err *e)
{
    sqlite_conn *c = (sqlite_conn *)bc;
    stmt_entry *en = NULL;
    int rc = lookup(c, sql, &en, e);
    if (rc) return rc;
    for (int i = 1; i <= en->nparam; i++) {
        int k = en->map[i];
        int brc;
        if (k > nargs) {
            log_error("query needs $%d but got %d arguments: %s", k, nargs, sql);
            rc = err_set(e, ERR_INTERNAL, "bad_query", NULL, "系统内部错误（查询参数）");
            goto fail;
        }
        const store_val *v = &args[k - 1];
        if (v->type == SV_INT) brc = sqlite3_bind_int64(en->st, i, v->i);
        else if (v->type == SV_TEXT && v->s) brc = sqlite3_bind_text(en->st, i, v->s, -1, SQLITE_TRANSIENT);
        else brc = sqlite3_bind_null(en->st, i);
        if (brc != SQLITE_OK) {
            rc = map_sqlite_error(c->db, brc, sql, e);
            goto fail;
        }
    }
    en->in_use = 1;
    r->h = en;
    return 0;
fail:
    sqlite3_clear_bindings(en->st);
    if (en->temp) entry_free(en);
    return rc;
}

static int sq_next(store_res *r, gh_err *e)
{
    stmt_entry *en = r->h;
    int rc = sqlite3_step(en->st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    sqlite_conn *c = (sqlite_conn *)r->c;
    return map_sqlite_error(c->db, sqlite3_extended_errcode(c->db), en->key.sql, e);
}

static int64_t sq_int(store_res *r, int col)
{
    return sqlite3_column_int64(((stmt_entry *)r->h)->st, col);
}

static const char *sq_text(store_res *r, int col)
{
    sqlite3_stmt *st = ((stmt_entry *)r->h)->st;
    if (sqlite3_column_type(st, col) == SQLITE_NULL) return NULL;
    return (const char *)sqlite3_column_text(st, col);
}

static int sq_isnull(store_res *r, int col)
{
    return sqlite3_column_type(((stmt_entry *)r->h)->st, col) == SQLITE_NULL;
}

static void sq_done(store_res *r)
{
    stmt_entry *en = r->h;
    if (!en) return;
    sqlite3_reset(en->st);
    sqlite3_clear_bindings(en->st);
    en->in_use = 0;
    if (en->temp) entry_free(en);
    r->h = NULL;
}

static int sq_ncols(store_res *r) { return sqlite3_column_count(((stmt_entry *)r->h)->st); }

static const char *sq_colname(store_res *r, int col)
{
    return sqlite3_column_name(((stmt_entry *)r->h)->st, col);
}

static int sq_coltype(store_res *r, int col)
{
    switch (sqlite3_column_type(((stmt_entry *)r->h)->st, col)) {
    case SQLITE_INTEGER: return SV_INT;
    case SQLITE_NULL: return SV_NULL;
    default: return SV_TEXT;
    }
}

static int sq_backup(store_conn *bc, const char *dest, store_progress_fn progress, void *pctx, gh_err *e)
{
    sqlite_conn *c = (sqlite_conn *)bc;
    sqlite3 *to = NULL;
    if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE, NULL) !=
        SQLITE_OK) {
        err_set(e, ERR_INVALID, "backup_target", "to", "无法创建备份文件 %s：%s", dest,
                to ? sqlite3_errmsg(to) : "内存不足");
        sqlite3_close(to);
        return ERR_INVALID;
    }
    int64_t existing = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(to, "SELECT COUNT(*) FROM sqlite_master", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        existing = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (existing) {
        sqlite3_close(to);
        return err_set(e, ERR_CONFLICT, "backup_target", "to", "备份文件 %s 已存在且不是空库，不会覆盖", dest);
    }
    sqlite3_backup *b = sqlite3_backup_init(to, "main", c->db, "main");
    if (!b) {
        err_set(e, ERR_STORE, "backup_failed", NULL, "备份失败：%s", sqlite3_errmsg(to));
        sqlite3_close(to);
        return ERR_STORE;
    }
    int rc;
    /* A few hundred pages at a time: writers of the live database are held
     * up only for one step, and the copy restarts by itself if they write. */
    do {
        rc = sqlite3_backup_step(b, 256);
        if (progress) {
            int total = sqlite3_backup_pagecount(b);
            progress(pctx, total - sqlite3_backup_remaining(b), total);
        }
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    int result = 0;
    if (rc != SQLITE_DONE) result = err_set(e, ERR_STORE, "backup_failed", NULL, "备份失败：%s", sqlite3_errmsg(to));
    else if (sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        result = err_set(e, ERR_STORE, "backup_failed", NULL, "备份文件收尾失败：%s", sqlite3_errmsg(to));
    sqlite3_close(to);
    return result;
}

static int sq_count_tables(store_conn *c, int64_t *n, gh_err *e)
{
    return store_get_int(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                         SV_NONE, n, e);
}

static int64_t sq_changes(store_conn *bc, store_res *r)
{
    (void)r;
    return sqlite3_changes64(((sqlite_conn *)bc)->db);
}

static int run_simple(store_conn *bc, const char *sql, gh_err *e)
{
    store_res r;
    memset(&r, 0, sizeof r);
    r.c = bc;
    int rc = sq_query(bc, &r, sql, NULL, 0, e);
    if (rc) return rc;
    rc = sq_next(&r, e);
    sq_done(&r);
    return rc < 0 ? rc : 0;
}

static int sq_begin(store_conn *c, int mode, gh_err *e)
{
    return run_simple(c, mode == STORE_READ ? "BEGIN" : "BEGIN IMMEDIATE", e);
}

static int sq_commit(store_conn *c, gh_err *e) { return run_simple(c, "COMMIT", e); }

static void sq_rollback(store_conn *bc)
{
    sqlite_conn *c = (sqlite_conn *)bc;
    /* After some errors SQLite has already rolled back by itself. */
    if (!sqlite3_get_autocommit(c->db)) run_simple(bc, "ROLLBACK", NULL);
}

static void sq_bulk(store_conn *bc, int on)
{
    /* 512 MiB of page cache while a bulk load runs (random keys touch every
     * index page), 64 MiB otherwise: each server thread has its own cache. */
    sqlite3_exec(((sqlite_conn *)bc)->db, on ? "PRAGMA cache_size=-524288" : "PRAGMA cache_size=-65536", NULL,
                 NULL, NULL);
}

static char *sq_dialect(const char *sql)
{
    static const char *const pairs[] = {
        "PK", "INTEGER PRIMARY KEY",
        "BIGINT", "INTEGER",
        "TEXT_C", "TEXT",
        /* statements for one backend only: the other reads a comment */
        "IF_SQLITE", "", "END_SQLITE", "",
        "IF_PG", "/*", "END_PG", "*/",
        NULL,
    };
    return store_subst(sql, pairs);
}

const store_ops store_sqlite_ops = {
    .name = "sqlite",
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .script = sq_script,
    .query = sq_query,
    .next = sq_next,
    .col_int = sq_int,
    .col_text = sq_text,
    .col_isnull = sq_isnull,
    .done = sq_done,
    .ncols = sq_ncols,
    .colname = sq_colname,
    .coltype = sq_coltype,
    .backup = sq_backup,
    .after_copy = NULL,
    .count_tables = sq_count_tables,
    .changes = sq_changes,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .dialect = sq_dialect,
    .bulk = sq_bulk,
    .migrate_lock = NULL,
};

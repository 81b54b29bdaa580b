/* store.h — the storage interface every domain module talks to.
 *
 * A `store` is an opened database named by a URL:
 *   sqlite:PATH            embedded SQLite (the default, sqlite:var/gonghui.db)
 *   postgres://user@host/db (or postgresql://…) PostgreSQL through libpq
 * Each thread works through its own `store_conn` (store_conn_get creates it
 * on first use and keeps it for the thread's life), so a server thread keeps
 * its prepared statements warm and never shares a connection.
 *
 * SQL is written once, portably: parameters are $1, $2 … in both backends,
 * RETURNING and ON CONFLICT work in both. Values travel as store_val (integer,
 * text or NULL); timestamps and dates are text written by the application
 * (see base/date.h), booleans are integers 0/1, money is integer fen.
 * Nothing backend-specific leaks out of store/: domain code never sees a
 * sqlite3 or PGconn handle.
 *
 * Results are read with a cursor that lives on the caller's stack:
 *     store_res r;
 *     int rc = store_query(c, &r, "SELECT id, name FROM orgs WHERE id=$1",
 *                          SV_ARGS(SV_I(id)), e);
 *     if (rc) return rc;
 *     while ((rc = store_next(&r, e)) > 0) { store_int(&r, 0); store_text(&r, 1); }
 *     store_done(&r);
 * store_done must be called on every cursor store_query opened successfully;
 * it accepts a cursor that failed to open too. */
#ifndef GH_STORE_H
#define GH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct store store;
typedef struct store_conn store_conn;

enum { SV_NULL = 0, SV_INT = 1, SV_TEXT = 2 };

typedef struct store_val {
    int type;
    int64_t i;
    const char *s; /* SV_TEXT: NUL-terminated UTF-8; NULL means SQL NULL */
} store_val;

#define SV_I(x) ((store_val){.type = SV_INT, .i = (int64_t)(x)})
#define SV_T(x) ((store_val){.type = SV_TEXT, .s = (x)})
#define SV_NULLV ((store_val){.type = SV_NULL})
/* An integer that is NULL when zero (optional foreign keys). */
#define SV_IZ(x) ((x) ? SV_I(x) : SV_NULLV)
/* Expands to "array, count" for the args/nargs parameter pair. */
#define SV_ARGS(...) ((const store_val[]){__VA_ARGS__}), \
    ((int)(sizeof((const store_val[]){__VA_ARGS__}) / sizeof(store_val)))
#define SV_NONE NULL, 0

typedef struct store_res {
    store_conn *c;
    void *h;   /* backend statement or result */
    int row;   /* PostgreSQL: current row */
    int nrows; /* PostgreSQL: rows in the result */
    int state; /* 0 closed, 1 open, 2 finished */
} store_res;

/* Transaction modes. */
enum {
    STORE_READ = 0,   /* consistent snapshot for several reads */
    STORE_WRITE = 1,  /* writes; SQLite takes the write lock at BEGIN */
    STORE_SERIAL = 2, /* SERIALIZABLE on PostgreSQL; as WRITE on SQLite */
};

/* Open the database named by url. Does not create tables (store_migrate
 * does). On success *out is set; the caller frees with store_close. */
int store_open(const char *url, store **out, gh_err *e);

/* Close every connection and free s. Accepts NULL. No thread may use s
 * afterwards. */
void store_close(store *s);

/* "sqlite" or "postgres". */
const char *store_backend(const store *s);

/* The calling thread's connection to s, opened on first use. The connection
 * belongs to the thread and is closed when the thread ends or by
 * store_close. Returns NULL and fills e when the database cannot be reached. */
store_conn *store_conn_get(store *s, gh_err *e);

/* The store a connection belongs to. */
store *store_of(store_conn *c);

/* Apply every migration not yet applied, in order, each in its own
 * transaction. Safe to run from two processes at once. *applied (may be NULL)
 * receives how many were applied now. */
int store_migrate(store *s, int *applied, gh_err *e);

/* The same, applying only the migrations up to version upto: to bring a
 * database (a copy, a test) to an earlier schema and try the next
 * migration on it. */
int store_migrate_to(store *s, int upto, int *applied, gh_err *e);

/* The highest migration version applied, or 0. */
int store_schema_version(store_conn *c, int *version, gh_err *e);

/* Run a statement and discard any rows. *changes (may be NULL) receives the
 * number of rows inserted, updated or deleted. */
int store_exec(store_conn *c, const char *sql, const store_val *args, int nargs,
               int64_t *changes, gh_err *e);

/* Open a cursor over the rows of a query. */
int store_query(store_conn *c, store_res *r, const char *sql,
                const store_val *args, int nargs, gh_err *e);

/* Advance: 1 when a row is available, 0 at the end, negative on error. */
int store_next(store_res *r, gh_err *e);

/* Column values of the current row (columns count from 0). store_text
 * returns NULL for SQL NULL; the string stays valid until the next
 * store_next or store_done. store_int returns 0 for NULL. */
int64_t store_int(store_res *r, int col);
const char *store_text(store_res *r, int col);
int store_isnull(store_res *r, int col);

/* Shape of the current row: number of columns, a column's name, and the
 * kind of a value (SV_INT, SV_TEXT or SV_NULL) — for generic copying. */
int store_ncols(store_res *r);
const char *store_colname(store_res *r, int col);
int store_coltype(store_res *r, int col);

/* Close the cursor (reset the statement for reuse). Accepts a cursor that
 * was never opened or already closed. */
void store_done(store_res *r);

/* Run a query expected to return at most one row with one integer column.
 * ERR_NOT_FOUND when there is no row. */
int store_get_int(store_conn *c, const char *sql, const store_val *args,
                  int nargs, int64_t *out, gh_err *e);

/* What store_one and store_each call for a row, while the cursor is open
 * (text columns are valid only during the call). A non-zero return stops
 * the walk and is passed on. */
typedef int (*store_row_fn)(store_res *r, void *ctx, gh_err *e);

/* A query expected to give at most one row: fn reads it. ERR_NOT_FOUND
 * (e left untouched, so the caller names what is missing) when there is
 * none; the cursor is closed on every path. */
int store_one(store_conn *c, const char *sql, const store_val *args, int nargs, store_row_fn fn, void *ctx,
              gh_err *e);

/* fn for every row, in order; 0 at the end, fn's first non-zero, or a
 * negative error. The cursor is closed on every path. */
int store_each(store_conn *c, const char *sql, const store_val *args, int nargs, store_row_fn fn, void *ctx,
               gh_err *e);

/* Transactions. store_begin/commit/rollback nest: only the outermost level
 * talks to the database, inner levels join it; a rollback at any level marks
 * the whole transaction failed so the outer commit rolls back too. */
int store_begin(store_conn *c, int mode, gh_err *e);
int store_commit(store_conn *c, gh_err *e);
void store_rollback(store_conn *c);
int store_in_tx(const store_conn *c);

/* Run fn inside a transaction of the given mode: commit when fn returns 0,
 * roll back otherwise. When the backend reports a transient conflict
 * (serialization failure, deadlock, busy database; ERR_RETRY) and this is the
 * outermost transaction, the whole of fn is run again, up to a few times, so
 * fn must be safe to repeat: it may only change the database and memory it
 * allocates afresh on each call. */
typedef int (*store_tx_fn)(store_conn *c, void *ctx, gh_err *e);
int store_tx(store_conn *c, int mode, store_tx_fn fn, void *ctx, gh_err *e);

/* Tell the backend a bulk load runs on this connection (on = 1) or ended
 * (on = 0): SQLite then keeps far more pages in memory; PostgreSQL needs
 * nothing. Best effort, never fails. */
void store_bulk(store_conn *c, int on);

/* Online backup of the whole database into dest (a new SQLite file), page
 * by page while the server keeps running. progress (may be NULL) gets the
 * pages left and in all. PostgreSQL: ERR_UNSUPPORTED (use pg_dump). */
typedef void (*store_progress_fn)(void *ctx, int64_t done, int64_t total);
int store_backup(store *s, const char *dest, store_progress_fn progress, void *pctx, gh_err *e);

/* After rows were copied in with their ids (migrate-data): make the
 * backend's id generator continue above the highest id of table. */
int store_after_copy(store_conn *c, const char *table, gh_err *e);

/* Copy every table of the schema from one database to another, empty one
 * (both already migrated), in batches, with progress per table; then compare
 * row counts. Defined in store/copy.c. */
typedef void (*store_copy_progress_fn)(void *ctx, const char *table, int64_t done, int64_t total);
int store_copy(store *from, store *to, store_copy_progress_fn progress, void *pctx, gh_err *e);

/* Escape a user's search term for LIKE … ESCAPE '\' and wrap it in %…%.
 * The caller frees the result. */
char *store_like_pattern(const char *term);

/* Upper bound for a path-prefix range query: rows whose path starts with
 * prefix satisfy  path >= prefix AND path < bound. Writes into out. */
void store_prefix_bound(const char *prefix, char *out, size_t n);

#endif

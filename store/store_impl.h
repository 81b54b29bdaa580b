/* store_impl.h — what the backends share with store.c; never included
 * outside store/. Each backend fills a struct store_ops and embeds
 * struct store_conn at the start of its own connection struct. */
#ifndef GH_STORE_IMPL_H
#define GH_STORE_IMPL_H

#include <pthread.h>

#include "store/store.h"

typedef struct store_ops {
    const char *name;
    int (*connect)(store *s, store_conn **out, gh_err *e);
    void (*disconnect)(store_conn *c);
    /* Run a script of one or more statements without parameters. */
    int (*script)(store_conn *c, const char *sql, gh_err *e);
    int (*query)(store_conn *c, store_res *r, const char *sql,
                 const store_val *args, int nargs, gh_err *e);
    int (*next)(store_res *r, gh_err *e);
    int64_t (*col_int)(store_res *r, int col);
    const char *(*col_text)(store_res *r, int col);
    int (*col_isnull)(store_res *r, int col);
    void (*done)(store_res *r);
    int (*ncols)(store_res *r);
    const char *(*colname)(store_res *r, int col);
    int (*coltype)(store_res *r, int col);
    /* Online backup to a SQLite file; may be NULL (unsupported). */
    int (*backup)(store_conn *c, const char *dest, store_progress_fn progress, void *pctx, gh_err *e);
    /* How many tables the schema has (for the copy's completeness check). */
    int (*count_tables)(store_conn *c, int64_t *n, gh_err *e);
    /* Fix id generators after rows were inserted with explicit ids; may be NULL. */
    int (*after_copy)(store_conn *c, const char *table, gh_err *e);
    /* Rows changed by the last statement run through exec. */
    int64_t (*changes)(store_conn *c, store_res *r);
    int (*begin)(store_conn *c, int mode, gh_err *e);
    int (*commit)(store_conn *c, gh_err *e);
    void (*rollback)(store_conn *c);
    /* Replace the dialect tokens of a migration ({{PK}} …); caller frees.
     * {{IF_SQLITE}} … {{END_SQLITE}} and {{IF_PG}} … {{END_PG}} enclose
     * statements for one backend (a block comment on the other one; use
     * only -- comments inside them). */
    char *(*dialect)(const char *sql);
    /* Bulk-load tuning on (1) or off (0); may be NULL. */
    void (*bulk)(store_conn *c, int on);
    /* Serialise migrations between processes (advisory lock); may be NULL. */
    int (*migrate_lock)(store_conn *c, int lock, gh_err *e);
} store_ops;

struct store {
    const store_ops *ops;
    char *url;       /* as given */
    char *target;    /* backend-specific: file path or conninfo */
    pthread_key_t key;
    pthread_mutex_t mu;
    store_conn *conns; /* every open connection, for store_close */
};

struct store_conn {
    store *s;
    store_conn *next, *prev;
    int tx_depth;
    int tx_failed;
};

extern const store_ops store_sqlite_ops;
extern const store_ops store_pg_ops;

/* Migrations compiled into the binary (store/migrations.c). */
typedef struct store_migration {
    int version;
    const char *name;
    const char *sql;
} store_migration;
extern const store_migration store_migrations[];
extern const int store_nmigrations;

/* Replace {{TOKEN}} occurrences by the value from a NULL-terminated list of
 * token/value pairs. Caller frees. */
char *store_subst(const char *sql, const char *const *pairs);

#endif

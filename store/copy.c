/* copy.c — copy a whole gonghui database into another, empty one: the way a
 * deployment moves from SQLite to PostgreSQL (gonghui migrate-data).
 *
 * Both databases must already carry the same schema (the caller migrates
 * both). Tables go in an order that satisfies their foreign keys (orgs by
 * depth, so parents precede children whatever their ids), each in batches
 * read by keyset (WHERE key > last) and written one transaction per batch,
 * rows keeping their ids; then the destination's id generators are moved
 * past the copied ids and every table's row count is compared. The source
 * should be quiet (servers stopped): the count check catches a source that
 * changed underneath. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/store_impl.h"

#define BATCH 5000

typedef struct copy_table {
    const char *name;
    const char *key;   /* keyset column, unique */
    const char *group; /* copied group by group (orgs by depth), or NULL */
    int int_key;       /* the key is an integer */
    int seeded;        /* a migration seeds one row (partition 0's hash-chain head, seq 0) */
    int batch;         /* rows per batch when not BATCH (large rows: photos) */
} copy_table;

/* Every table of the schema, parents before children. A new migration that
 * adds a table adds it here too (store_copy refuses to run when the schema
 * has a table this list lacks). */
static const copy_table tables[] = {
    {"orgs", "id", "depth", 1},
    {"users", "id", NULL, 1},
    {"sessions", "id", NULL, 1},
    {"login_known", "id", NULL, 1},
    {"user_totp", "user_id", NULL, 1},
    {"user_recovery_codes", "id", NULL, 1},
    {"login_challenges", "id", NULL, 1},
    {"audit_log", "id", NULL, 1},
    {"audit_heads", "part", NULL, 1, 1},
    {"members", "id", NULL, 1},
    {"member_history", "id", NULL, 1},
    {"join_requests", "id", NULL, 1},
    {"jobs", "id", NULL, 1},
    {"rate_limits", "key", NULL, 0},
    {"rate_backoff", "key", NULL, 0},
    {"locks", "name", NULL, 0},
    {"ledger_accounts", "id", NULL, 1},
    {"ledger_transfers", "id", NULL, 1},
    {"ledger_heads", "part", NULL, 1, 1},
    {"ledger_balances", "account_id", NULL, 1},
    {"policies", "id", NULL, 1},
    {"enterprises", "id", NULL, 1},
    {"fee_imports", "id", NULL, 1},
    {"fee_payments", "id", NULL, 1},
    {"refund_runs", "id", NULL, 1},
    {"refund_lines", "id", NULL, 1},
    {"refund_applications", "id", NULL, 1},
    {"settings", "key", NULL, 0},
    {"providers", "id", NULL, 1},
    {"provider_history", "id", NULL, 1},
    {"retreat_agreements", "id", NULL, 1},
    {"retreat_routes", "id", NULL, 1},
    {"retreat_route_providers", "id", NULL, 1},
    {"retreat_route_themes", "id", NULL, 1},
    {"retreat_route_orgs", "id", NULL, 1},
    {"retreat_collections", "id", NULL, 1},
    {"retreat_collection_routes", "id", NULL, 1},
    {"retreat_departures", "id", NULL, 1},
    {"retreat_bookings", "id", NULL, 1},
    {"retreat_quota", "id", NULL, 1},
    {"lottery_campaigns", "id", NULL, 1},
    {"lottery_sources", "id", NULL, 1},
    {"lottery_campaign_providers", "id", NULL, 1},
    {"lottery_entries", "id", NULL, 1},
    {"lottery_draws", "id", NULL, 1},
    {"lottery_rounds", "id", NULL, 1},
    {"lottery_picks", "id", NULL, 1},
    {"vouchers", "id", NULL, 1},
    {"hardship_files", "id", NULL, 1},
    {"hardship_people", "id_hash", NULL, 0},
    {"hardship_history", "id", NULL, 1},
    {"aid_grants", "id", NULL, 1},
    {"aid_usage", "id", NULL, 1},
    {"aid_pairings", "id", NULL, 1},
    {"aid_visits", "id", NULL, 1},
    {"mutual_aid_plans", "id", NULL, 1},
    {"mutual_aid_groups", "id", NULL, 1},
    {"mutual_aid_enrolments", "id", NULL, 1},
    {"mutual_aid_claims", "id", NULL, 1},
    {"notices", "id", NULL, 1},
    {"notice_reads", "id", NULL, 1},
    {"sms_outbox", "id", NULL, 1},
    {"photos", "id", NULL, 1, 0, 20}, /* up to ~7 MB a row: a few at a time */
    {"member_password_resets", "id", NULL, 1},
};

static int count_rows(store_conn *c, const char *table, int64_t *n, gh_err *e)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    return store_get_int(c, sql, SV_NONE, n, e);
}

/* Copy the rows of one group (or the whole table when group is NULL). */
static int copy_rows(store_conn *src, store_conn *dst, const copy_table *t, int64_t group_value, int64_t *done,
                     int64_t total, store_copy_progress_fn progress, void *pctx, gh_err *e)
{
    int64_t last_int = -1;
    const int batch = t->batch ? t->batch : BATCH;
    char *last_text = strdup("");
    buf ins = {0};
    int rc = 0;
    if (!last_text) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    for (;;) {
        char sql[256];
        if (t->group)
            snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE %s = $1 AND %s > $2 ORDER BY %s LIMIT %d", t->name,
                     t->group, t->key, t->key, batch);
        else
            snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE %s > $1 ORDER BY %s LIMIT %d", t->name, t->key,
                     t->key, batch);
        store_val keyv = t->int_key ? SV_I(last_int) : SV_T(last_text);
        store_val args[2] = {t->group ? SV_I(group_value) : keyv, keyv};
        store_res r;
        rc = store_query(src, &r, sql, args, t->group ? 2 : 1, e);
        if (rc) break;
        int ncols = store_ncols(&r), keycol = -1, n = 0;
        if (ins.len == 0) {
            buf_printf(&ins, "INSERT INTO %s (", t->name);
            for (int i = 0; i < ncols; i++) buf_printf(&ins, "%s%s", i ? ", " : "", store_colname(&r, i));
            buf_puts(&ins, ") VALUES (");
            for (int i = 0; i < ncols; i++) buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
            buf_puts(&ins, ")");
        }
        for (int i = 0; i < ncols; i++)
            if (strcmp(store_colname(&r, i), t->key) == 0) keycol = i;
        if (keycol < 0 || ncols > 60) {
            store_done(&r);
            rc = err_set(e, ERR_INTERNAL, "copy_table", NULL, "表 %s 的结构不符", t->name);
            break;
        }
        rc = store_begin(dst, STORE_WRITE, e);
        if (rc) {
            store_done(&r);
            break;
        }
        while ((rc = store_next(&r, e)) > 0) {
            store_val v[64];
            for (int i = 0; i < ncols; i++) {
                int ty = store_coltype(&r, i);
                v[i] = ty == SV_INT ? SV_I(store_int(&r, i)) : ty == SV_NULL ? SV_NULLV : SV_T(store_text(&r, i));
            }
            rc = store_exec(dst, buf_str(&ins), v, ncols, NULL, e);
            if (rc) break;
            if (t->int_key) {
                last_int = store_int(&r, keycol);
            } else {
                free(last_text);
                last_text = strdup(store_text(&r, keycol));
                if (!last_text) {
                    rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                    break;
                }
            }
            n++;
        }
        store_done(&r);
        if (rc < 0) {
            store_rollback(dst);
            break;
        }
        rc = store_commit(dst, e);
        if (rc) break;
        *done += n;
        if (progress) progress(pctx, t->name, *done, total);
        if (n < batch) break;
    }
    free(last_text);
    buf_free(&ins);
    return rc;
}

int store_copy(store *from, store *to, store_copy_progress_fn progress, void *pctx, gh_err *e)
{
    store_conn *src = store_conn_get(from, e), *dst = src ? store_conn_get(to, e) : NULL;
    if (!src || !dst) return e ? e->rc : ERR_STORE;
    /* Every table but schema_migrations must be in the list above: a table
     * added by a migration and forgotten here would be silently left behind. */
    int64_t ntables = 0;
    int rc = from->ops->count_tables(src, &ntables, e);
    if (rc) return rc;
    if (ntables != (int64_t)(sizeof tables / sizeof *tables) + 1)
        return err_set(e, ERR_INTERNAL, "copy_tables_incomplete", NULL,
                       "迁移程序知道 %zu 张表，数据库有 %lld 张：请更新 store/copy.c 的表清单",
                       sizeof tables / sizeof *tables + 1, (long long)ntables);
    /* The target must be empty but for the seed row of the audit chain,
     * which is replaced only once the whole target has been found empty. */
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        int64_t n = 0;
        if (tables[i].seeded) {
            char sql[128];
            snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE seq <> 0", tables[i].name);
            rc = store_get_int(dst, sql, SV_NONE, &n, e);
        } else {
            rc = count_rows(dst, tables[i].name, &n, e);
        }
        if (rc) return rc;
        if (n) return err_set(e, ERR_CONFLICT, "target_not_empty", "to", "目标数据库的表 %s 已有 %lld 行，只能迁移到空库",
                              tables[i].name, (long long)n);
    }
    for (size_t i = 0; i < sizeof tables / sizeof *tables && rc == 0; i++) {
        if (!tables[i].seeded) continue;
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM %s", tables[i].name);
        rc = store_exec(dst, sql, SV_NONE, NULL, e);
    }
    if (rc) return rc;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        const copy_table *t = &tables[i];
        int64_t total = 0, done = 0;
        rc = count_rows(src, t->name, &total, e);
        if (rc) return rc;
        if (t->group) {
            int64_t maxg = 0;
            char sql[128];
            snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(%s), -1) FROM %s", t->group, t->name);
            rc = store_get_int(src, sql, SV_NONE, &maxg, e);
            for (int64_t g = 0; rc == 0 && g <= maxg; g++)
                rc = copy_rows(src, dst, t, g, &done, total, progress, pctx, e);
        } else {
            rc = copy_rows(src, dst, t, 0, &done, total, progress, pctx, e);
        }
        if (rc == 0 && strcmp(t->key, "id") == 0) rc = store_after_copy(dst, t->name, e);
        if (rc) return rc;
    }
    /* Verify: the same number of rows everywhere. */
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        int64_t a = 0, b = 0;
        rc = count_rows(src, tables[i].name, &a, e);
        if (rc == 0) rc = count_rows(dst, tables[i].name, &b, e);
        if (rc) return rc;
        if (a != b)
            return err_set(e, ERR_CONFLICT, "copy_mismatch", NULL, "表 %s 行数不一致：源 %lld 行，目标 %lld 行（迁移期间源库有写入？）",
                           tables[i].name, (long long)a, (long long)b);
    }
    return 0;
}

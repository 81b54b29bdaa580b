/* list.c — paged lists; see list.h. */
#include "domain/core/list.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void list_page_init(list_page *p, int page, int per_page)
{
    if (page < 1) page = 1;
    if (per_page < 1) per_page = LIST_DEFAULT_PER_PAGE;
    if (per_page > LIST_MAX_PER_PAGE) per_page = LIST_MAX_PER_PAGE;
    /* Keep offsets within what both backends accept. */
    if (page > 10000000) page = 10000000;
    p->page = page;
    p->per_page = per_page;
    p->limit = per_page;
    p->offset = (int64_t)(page - 1) * per_page;
    p->count_cap = LIST_COUNT_CAP;
}

json_t *list_result(json_t *items, int64_t total, const list_page *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "total", json_integer(total));
    json_object_set_new(o, "page", json_integer(p->page));
    json_object_set_new(o, "per_page", json_integer(p->per_page));
    return o;
}

int list_run(store_conn *db, const char *cols, const char *from_where, const char *order,
             const store_val *args, int nargs, const list_page *pg, list_row_fn fn, void *ctx,
             json_t **out, gh_err *e)
{
    *out = NULL;
    if (nargs > 60) return err_set(e, ERR_INTERNAL, NULL, NULL, NULL);
    store_val all[64];
    if (nargs) memcpy(all, args, sizeof *args * (size_t)nargs);
    all[nargs] = SV_I(pg->limit);
    all[nargs + 1] = SV_I(pg->offset);
    buf sql = {0};
    buf_printf(&sql, "SELECT %s FROM %s ORDER BY %s LIMIT $%d OFFSET $%d", cols, from_where, order,
               nargs + 1, nargs + 2);
    if (sql.oom) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    store_res r;
    int rc = store_query(db, &r, buf_str(&sql), all, nargs + 2, e);
    buf_free(&sql);
    if (rc) return rc;
    json_t *items = json_array();
    int64_t n = 0;
    while ((rc = store_next(&r, e)) > 0) {
        json_t *o = fn(&r, ctx);
        if (!o) {
            rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
            break;
        }
        json_array_append_new(items, o);
        n++;
    }
    store_done(&r);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    int64_t total;
    int exact = 1;
    if ((n > 0 || pg->offset == 0) && n < pg->limit) {
        total = pg->offset + n;
    } else {
        /* Counting a million rows for a page of twenty is most of a list's
         * cost: count up to LIST_COUNT_CAP (or just past the requested
         * page) and say when the figure is a floor. */
        int64_t cap = pg->count_cap > 0 ? pg->count_cap : LIST_COUNT_CAP;
        if (pg->offset + pg->limit > cap) cap = pg->offset + pg->limit;
        buf cq = {0};
        buf_printf(&cq, "SELECT COUNT(*) FROM (SELECT 1 FROM %s LIMIT %lld) capped", from_where,
                   (long long)cap + 1);
        rc = cq.oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL)
                    : store_get_int(db, buf_str(&cq), args, nargs, &total, e);
        buf_free(&cq);
        if (rc) {
            json_decref(items);
            return rc;
        }
        if (total > cap) {
            total = cap;
            exact = 0;
        }
    }
    *out = list_result(items, total, pg);
    if (!exact) json_object_set_new(*out, "total_exact", json_false());
    return 0;
}

json_t *list_col_str(store_res *r, int col)
{
    const char *s = store_text(r, col);
    return s ? json_string(s) : json_null();
}

json_t *list_col_int(store_res *r, int col)
{
    return store_isnull(r, col) ? json_null() : json_integer(store_int(r, col));
}

json_t *list_col_bool(store_res *r, int col)
{
    return store_isnull(r, col) ? json_null() : json_boolean(store_int(r, col) != 0);
}

static void sqlw_append(sqlw *w, const char *frag, const store_val *vals, int n)
{
    int used = 0;
    for (const char *p = frag; *p; p++) {
        if (*p != '?') {
            buf_putc(&w->sql, *p);
            continue;
        }
        if (used >= n || w->n >= SQLW_MAX_ARGS) {
            w->failed = 1;
            return;
        }
        w->args[w->n++] = vals[used++];
        buf_printf(&w->sql, "$%d", w->n);
    }
    if (used != n) w->failed = 1;
}

void sqlw_init(sqlw *w, const char *base, const store_val *vals, int n)
{
    memset(w, 0, sizeof *w);
    sqlw_append(w, base, vals, n);
}

void sqlw_and(sqlw *w, const char *cond, const store_val *vals, int n)
{
    buf_puts(&w->sql, " AND (");
    sqlw_append(w, cond, vals, n);
    buf_putc(&w->sql, ')');
}

void sqlw_free(sqlw *w) { buf_free(&w->sql); }

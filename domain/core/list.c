/* list.c — paged lists; see list.h. */
#include "domain/core/list.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/jsonv.h"
#include "domain/org/org.h"

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

int scope_range_of(gh_ctx *x, int64_t org_id, scope_range *r, gh_err *e)
{
    snprintf(r->lo, sizeof r->lo, "%s", x->actor->scope);
    if (org_id) {
        int rc = org_scope_path(x, org_id, r->lo, e);
        if (rc) return rc;
    }
    store_prefix_bound(r->lo, r->hi, sizeof r->hi);
    return 0;
}

void list_select(buf *b, const list_col *cols)
{
    for (const list_col *c = cols; c->key; c++) buf_printf(b, "%s%s", c == cols ? "" : ", ", c->sql);
}

int list_ncols(const list_col *cols)
{
    int n = 0;
    while (cols[n].key) n++;
    return n;
}

json_t *list_row(store_res *r, const list_col *cols, int first)
{
    json_t *o = json_object();
    for (int i = 0; o && cols[i].key; i++) {
        int col = first + i;
        json_t *v;
        switch (cols[i].type) {
        case COL_INT: v = json_integer(store_int(r, col)); break;
        case COL_INT_NULL: v = list_col_int(r, col); break;
        case COL_BOOL: v = list_col_bool(r, col); break;
        default: v = list_col_str(r, col); break;
        }
        json_object_set_new(o, cols[i].key, v);
    }
    return o;
}

static json_t *cols_row(store_res *r, void *ctx) { return list_row(r, ctx, 0); }

int list_run_cols(store_conn *db, const list_col *cols, const char *from_where, const char *order,
                  const store_val *args, int nargs, const list_page *pg, json_t **out, gh_err *e)
{
    buf sel = {0};
    list_select(&sel, cols);
    int rc = sel.oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL)
                     : list_run(db, buf_str(&sel), from_where, order, args, nargs, pg, cols_row, (void *)cols, out, e);
    buf_free(&sel);
    return rc;
}

int list_filters(sqlw *w, const list_filter *f, const void *q, char **like, gh_err *e)
{
    const unsigned char *base = q;
    *like = NULL;
    for (const list_filter *p = f; p->type; p++) { /* check all before adding any */
        const char *s;
        memcpy(&s, base + p->off, sizeof s);
        if (p->type == FILTER_CHOICE && s && *s && jv_choice_index(p->choices, s) < 0)
            return err_set(e, ERR_INVALID, "invalid_query", p->name, "%s取值无效", p->label);
    }
    for (const list_filter *p = f; p->type; p++) {
        if (p->type == FILTER_ID) {
            int64_t v;
            memcpy(&v, base + p->off, sizeof v);
            if (v) sqlw_and(w, p->cond, SV_ARGS(SV_I(v)));
        } else if (p->type == FILTER_FLAG) {
            int v;
            memcpy(&v, base + p->off, sizeof v);
            if (v >= 0) sqlw_and(w, p->cond, SV_ARGS(SV_I(v != 0)));
        } else {
            const char *s;
            memcpy(&s, base + p->off, sizeof s);
            if (!s || !*s) continue;
            if (p->type == FILTER_LIKE) {
                assert(!*like); /* one LIKE filter per list */
                if (!(*like = store_like_pattern(s))) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                s = *like;
            }
            sqlw_and(w, p->cond, SV_ARGS(SV_T(s)));
        }
    }
    return 0;
}

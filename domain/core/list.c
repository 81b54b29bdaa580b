/* list.c — paged lists; see list.h. */
#include "domain/core/list.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/jsonv.h"
#include "base/xlsx.h"
#include "domain/core/audit.h"
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
    int n = 0;
    for (const list_col *c = cols; c->key; c++)
        if (c->sql) buf_printf(b, "%s%s", n++ ? ", " : "", c->sql);
}

int list_ncols(const list_col *cols)
{
    int n = 0;
    for (const list_col *c = cols; c->key; c++) n += c->sql != NULL;
    return n;
}

/* The object a key goes in: "debit.code" is "code" of the object "debit". */
static json_t *slot(json_t *o, const char *key, const char **leaf)
{
    const char *dot = strchr(key, '.');
    *leaf = dot ? dot + 1 : key;
    if (!dot) return o;
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)(dot - key), key);
    json_t *in = json_object_get(o, name);
    if (!in) json_object_set_new(o, name, in = json_object());
    return in;
}

json_t *list_row(store_res *r, const list_spec *s, void *arg)
{
    json_t *o = json_object();
    int col = 0;
    for (const list_col *c = s->cols; o && c->key; c++) {
        if (!c->sql) continue;
        json_t *v;
        switch (c->type) {
        case COL_INT: case COL_FEN: v = json_integer(store_int(r, col)); break;
        case COL_INT_NULL: case COL_FEN_NULL: v = list_col_int(r, col); break;
        case COL_BOOL: v = list_col_bool(r, col); break;
        default: v = list_col_str(r, col); break;
        }
        const char *leaf = c->key;
        json_t *in = slot(o, c->key, &leaf);
        json_object_set_new(in, leaf, v);
        col++;
    }
    if (o && s->post) s->post(o, arg);
    return o;
}

typedef struct spec_arg {
    const list_spec *s;
    void *arg;
} spec_arg;

static json_t *spec_row(store_res *r, void *ctx)
{
    const spec_arg *sa = ctx;
    return list_row(r, sa->s, sa->arg);
}

/* SELECT list of a spec (or NULL, out of memory). */
static char *select_of(const list_col *cols)
{
    buf b = {0};
    list_select(&b, cols);
    if (!b.oom) return buf_take(&b);
    buf_free(&b);
    return NULL;
}

int list_run_cols(store_conn *db, const list_col *cols, const char *from_where, const char *order,
                  const store_val *args, int nargs, const list_page *pg, json_t **out, gh_err *e)
{
    list_spec s = {cols};
    spec_arg sa = {&s, NULL};
    char *sel = select_of(cols);
    int rc = !sel ? err_set(e, ERR_NOMEM, NULL, NULL, NULL)
                  : list_run(db, sel, from_where, order, args, nargs, pg, spec_row, &sa, out, e);
    free(sel);
    return rc;
}

int list_export_cols(store_conn *db, const list_spec *s, void *arg, const char *from_where, const char *order,
                     const store_val *args, int nargs, int64_t cap, char **data, size_t *len, int64_t *rows,
                     int *cut, gh_err *e)
{
    *data = NULL;
    *len = 0;
    *rows = 0;
    *cut = 0;
    if (nargs > 60) return err_set(e, ERR_INTERNAL, NULL, NULL, NULL);
    xlsx_col xc[64];
    int nx = 0;
    for (const list_col *c = s->cols; c->key; c++) {
        if (!c->label) continue;
        if (nx == 64) return err_set(e, ERR_INTERNAL, NULL, NULL, NULL);
        int t = c->type == COL_FEN || c->type == COL_FEN_NULL ? XLSX_MONEY : XLSX_TEXT;
        xc[nx++] = (xlsx_col){c->key, c->label, t, 0};
    }
    char *sel = select_of(s->cols);
    if (!sel) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    buf sql = {0};
    buf_printf(&sql, "SELECT %s FROM %s ORDER BY %s LIMIT $%d", sel, from_where, order, nargs + 1);
    free(sel);
    if (sql.oom) {
        buf_free(&sql);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    store_val all[64];
    if (nargs) memcpy(all, args, sizeof *args * (size_t)nargs);
    all[nargs] = SV_I(cap + 1); /* one more tells a cut export */
    xlsx_stream *xs = NULL;
    store_res r;
    int rc = xlsx_stream_open(s->title ? s->title : "导出", NULL, xc, nx, &xs, e);
    if (rc == 0) rc = store_query(db, &r, buf_str(&sql), all, nargs + 1, e);
    buf_free(&sql);
    if (rc) {
        xlsx_stream_free(xs);
        return rc;
    }
    spec_arg sa = {s, arg};
    while ((rc = store_next(&r, e)) > 0) {
        if (*rows == cap) {
            *cut = 1;
            break;
        }
        json_t *o = spec_row(&r, &sa);
        if (!o) {
            rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
            break;
        }
        for (const list_col *c = s->cols; c->key; c++) { /* nested values under their dotted keys */
            const char *leaf = c->key;
            if (!c->label || !strchr(c->key, '.')) continue;
            json_t *in = slot(o, c->key, &leaf);
            json_object_set(o, c->key, json_object_get(in, leaf));
        }
        for (const list_col *c = s->cols; c->key; c++) { /* codes as words */
            const char *v = c->words ? json_string_value(json_object_get(o, c->key)) : NULL;
            for (int i = 0; v && c->words[i] && c->words[i + 1]; i += 2)
                if (strcmp(c->words[i], v) == 0) {
                    json_object_set_new(o, c->key, json_string(c->words[i + 1]));
                    break;
                }
        }
        xlsx_stream_row(xs, o);
        json_decref(o);
        ++*rows;
    }
    store_done(&r);
    if (rc < 0) {
        xlsx_stream_free(xs);
        return rc;
    }
    if (*cut) {
        char note[160];
        snprintf(note, sizeof note, "仅导出了前 %lld 行，符合条件的记录更多；请缩小筛选范围后分批导出。", (long long)cap);
        xlsx_stream_note(xs, note);
    }
    return xlsx_stream_close(xs, data, len, e);
}

/* The export asked of x: every row into x->export, audited when the spec
 * says the list holds personal data. */
static int export_query(gh_ctx *x, const list_spec *s, sqlw *w, const char *order, void *arg, gh_err *e)
{
    list_export *ex = x->export;
    if (!s->title) return err_set(e, ERR_INVALID, "export_unsupported", "format", "该列表不提供导出");
    int rc = list_export_cols(x->db, s, arg, buf_str(&w->sql), order, w->args, w->n, LIST_EXPORT_MAX, &ex->data,
                              &ex->len, &ex->rows, &ex->cut, e);
    if (rc) return rc;
    snprintf(ex->name, sizeof ex->name, "%s.xlsx", s->title);
    if (!s->audit) return 0;
    char type[32];
    snprintf(type, sizeof type, "%.*s", (int)strcspn(s->audit, "."), s->audit);
    json_t *d = json_pack("{s:s, s:O?, s:I, s:b}", "list", s->title, "filter", ex->filter, "rows", (json_int_t)ex->rows,
                          "truncated", ex->cut);
    rc = audit_record(x, s->audit, type, 0, x->actor->org_id, "ok", d, e);
    json_decref(d);
    if (rc) {
        free(ex->data);
        ex->data = NULL;
    }
    return rc;
}

int list_query(gh_ctx *x, const list_spec *s, const void *q, sqlw *w, const char *order, const list_page *pg,
               void *arg, json_t **out, gh_err *e)
{
    *out = NULL;
    char *like = NULL;
    int rc = s->filters ? list_filters(w, s->filters, q, &like, e) : 0;
    if (rc) ;
    else if (w->failed || w->sql.oom) rc = err_set(e, ERR_INTERNAL, NULL, NULL, NULL);
    else if (x->export) rc = export_query(x, s, w, order, arg, e);
    else {
        spec_arg sa = {s, arg};
        char *sel = select_of(s->cols);
        rc = !sel ? err_set(e, ERR_NOMEM, NULL, NULL, NULL)
                  : list_run(x->db, sel, buf_str(&w->sql), order, w->args, w->n, pg, spec_row, &sa, out, e);
        free(sel);
    }
    free(like);
    sqlw_free(w);
    return rc;
}

typedef struct one_ctx {
    spec_arg sa;
    json_t **out;
    char *xbuf;
} one_ctx;

static int one_row(store_res *r, void *p, gh_err *e)
{
    one_ctx *c = p;
    if (c->out && !(*c->out = spec_row(r, &c->sa))) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    const char *x = c->xbuf ? store_text(r, list_ncols(c->sa.s->cols)) : NULL;
    if (c->xbuf) snprintf(c->xbuf, GH_PATH_MAX, "%s", x ? x : "");
    return 0;
}

int list_one(store_conn *db, const list_spec *s, void *arg, const char *extra, const char *from_where,
             const store_val *args, int nargs, json_t **out, char *xbuf, gh_err *e)
{
    buf sql = {0};
    buf_puts(&sql, "SELECT ");
    list_select(&sql, s->cols);
    if (extra) buf_printf(&sql, ", %s", extra);
    buf_printf(&sql, " FROM %s", from_where);
    one_ctx c = {{s, arg}, out, extra ? xbuf : NULL};
    int rc = sql.oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL) : store_one(db, buf_str(&sql), args, nargs, one_row, &c, e);
    buf_free(&sql);
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
        if (!p->cond) continue; /* checked only */
        store_val v;
        if (p->type == FILTER_ID) {
            int64_t n;
            memcpy(&n, base + p->off, sizeof n);
            if (!n) continue;
            v = SV_I(n);
        } else if (p->type == FILTER_FLAG) {
            int n;
            memcpy(&n, base + p->off, sizeof n);
            if (n < 0) continue;
            v = SV_I(n != 0);
        } else {
            const char *s;
            memcpy(&s, base + p->off, sizeof s);
            if (!s || !*s) continue;
            if (p->type == FILTER_LIKE) {
                assert(!*like); /* one LIKE filter per list */
                if (!(*like = store_like_pattern(s))) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                s = *like;
            }
            v = SV_T(s);
        }
        /* the same value for each '?' ("a LIKE ? OR b LIKE ?") */
        store_val vs[4] = {v, v, v, v};
        int n = 0;
        for (const char *c = p->cond; *c; c++) n += *c == '?';
        sqlw_and(w, p->cond, vs, n);
    }
    return 0;
}

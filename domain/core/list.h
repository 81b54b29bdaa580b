/* list.h — paged lists in the shape every list endpoint returns (docs/openapi.yaml):
 * {"items": […], "total": N}.
 *
 * list_run executes two statements built from one FROM … WHERE … fragment,
 * so the count and the page can never disagree about the filter:
 *   SELECT <cols> FROM <from_where> ORDER BY <order> LIMIT $n+1 OFFSET $n+2
 *   SELECT COUNT(*) FROM (SELECT 1 FROM <from_where> LIMIT cap+1)
 *                               (skipped when the page itself shows the total;
 *                                capped at LIST_COUNT_CAP, or just past the page
 *                                asked for: beyond it "total_exact": false)
 * The fragment's parameters are $1..$n (args); the limit and offset are added
 * after them. row_fn turns each row into a JSON object. */
#ifndef GH_LIST_H
#define GH_LIST_H

#include <jansson.h>

#include "base/buf.h"
#include "domain/core/ctx.h"
#include "store/store.h"

#define LIST_DEFAULT_PER_PAGE 20
#define LIST_MAX_PER_PAGE 100
/* Lists count matching rows up to this many (then "total_exact": false). */
#define LIST_COUNT_CAP 10000

typedef struct list_page {
    int page, per_page;
    int64_t limit, offset;
    int64_t count_cap; /* count at most this many (LIST_COUNT_CAP by default) */
} list_page;

/* page < 1 → 1; per_page < 1 → 20; per_page > 100 → 100. */
void list_page_init(list_page *p, int page, int per_page);

typedef json_t *(*list_row_fn)(store_res *r, void *ctx);

int list_run(store_conn *db, const char *cols, const char *from_where, const char *order,
             const store_val *args, int nargs, const list_page *pg, list_row_fn fn, void *ctx,
             json_t **out, gh_err *e);

/* A FROM … WHERE fragment built from only the conditions a request uses, so
 * the query planner sees plain predicates it can serve from an index (a
 * "($n = '' OR col = $n)" form hides them). Placeholders are written '?' and
 * numbered $1, $2 … in order of appearance. */
#define SQLW_MAX_ARGS 32
typedef struct sqlw {
    buf sql;
    store_val args[SQLW_MAX_ARGS];
    int n;
    int failed;
} sqlw;

/* Start with a fragment such as "members m JOIN orgs o ON … WHERE o.path >= ?
 * AND o.path < ?" and its values. */
void sqlw_init(sqlw *w, const char *base, const store_val *vals, int n);
/* Append " AND (cond)" with its values. */
void sqlw_and(sqlw *w, const char *cond, const store_val *vals, int n);
#define SQLW_AND(w, cond, ...) sqlw_and((w), (cond), SV_ARGS(__VA_ARGS__))
void sqlw_free(sqlw *w);

/* {"items": items (stolen), "total": total, "page": …, "per_page": …} */
json_t *list_result(json_t *items, int64_t total, const list_page *p);

/* JSON helpers for row_fn implementations: NULL columns become null. */
json_t *list_col_str(store_res *r, int col);
json_t *list_col_int(store_res *r, int col);
json_t *list_col_bool(store_res *r, int col);

/* ---- filter tables: the optional filters of a list, checked and turned
 * into conditions from one table (the query struct's fields by offset).
 * An empty or absent value adds nothing. */
enum {
    FILTER_TEXT = 1, /* const char *: cond with the text ('?' up to 4 times, each the value) */
    FILTER_CHOICE,   /* const char * from choices, else invalid_query */
    FILTER_LIKE,     /* const char *: cond with a LIKE pattern of the text */
    FILTER_ID,       /* int64_t: cond when nonzero */
    FILTER_FLAG,     /* int: cond with 0/1 when not -1 */
};
typedef struct list_filter {
    int type;
    size_t off;       /* offsetof(query struct, field) */
    const char *cond; /* one '?' placeholder; NULL: the choice is only checked */
    const char *name, *label; /* the query parameter and its Chinese name, for errors */
    const char *const *choices;
} list_filter;
/* Check every filter of q, then add the conditions to w. *like receives an
 * allocated LIKE pattern to free after the query (or NULL). */
int list_filters(sqlw *w, const list_filter *f, const void *q, char **like, gh_err *e);

/* ---- column tables: one list of (JSON key, SQL expression, type, header)
 * gives the SELECT list, the JSON row and the Excel columns, so no code maps
 * columns by index.
 *   static const list_col run_cols[] = {
 *       {"id", "r.id", COL_INT, "编号"}, {"org_name", "o.name", COL_STR, "工会"}, …, {0}};
 *   static const list_spec run_spec = {run_cols, run_filters, .title = "返还批次"};
 *   list_query(x, &run_spec, q, &w, "r.id DESC", &pg, NULL, out, e);
 * A column without sql is not selected: the spec's post hook sets it. A
 * column without a label is left out of the export. A dotted key
 * ("debit.code") is a member of a nested object. */
enum {
    COL_INT = 1,  /* integer; SQL NULL reads as 0 */
    COL_INT_NULL, /* integer or null */
    COL_STR,      /* text or null */
    COL_BOOL,     /* 0/1 as false/true, or null */
    COL_FEN,      /* integer fen (NULL reads as 0); yuan in the export */
    COL_FEN_NULL, /* integer fen or null */
};
typedef struct list_col {
    const char *key, *sql;
    int type;
    const char *label; /* the export's column header; NULL: not exported */
    /* The export's words for coded values: {"active", "在会", …, NULL}; a
     * workbook is read by people, who should not meet the codes. */
    const char *const *words;
} list_col;

/* After each row's columns, before it is shown or exported: derived fields,
 * masking. arg is the list call's. */
typedef void (*list_post_fn)(json_t *row, void *arg);

typedef struct list_spec {
    const list_col *cols;
    const list_filter *filters; /* or NULL: checked and added by list_query */
    list_post_fn post;  /* or NULL */
    const char *title;  /* export sheet and file name ("会员名单"); NULL: no export */
    const char *audit;  /* personal data: each export is audited as this action ("member.export") */
} list_spec;

/* Append "expr, expr, …" to b. */
void list_select(buf *b, const list_col *cols);
/* The number of selected columns of a table. */
int list_ncols(const list_col *cols);
/* The JSON object of the current row (the columns first in the SELECT
 * list), after the spec's post hook. */
json_t *list_row(store_res *r, const list_spec *s, void *arg);
/* list_run with the SELECT list and rows from a column table. */
int list_run_cols(store_conn *db, const list_col *cols, const char *from_where, const char *order,
                  const store_val *args, int nargs, const list_page *pg, json_t **out, gh_err *e);

/* Excel export of a list: every row of FROM <from_where> ORDER BY <order>
 * (no paging) up to cap rows, each made by list_row and the post hook like
 * the JSON list's, written as it is read (libxlsxwriter's constant-memory
 * mode). Headers are the columns' labels; a cut export ends with a line
 * saying so. *data (malloc'd) and *len; *rows the rows written, *cut 1 when
 * more matched. */
#define LIST_EXPORT_MAX 200000
int list_export_cols(store_conn *db, const list_spec *s, void *arg, const char *from_where, const char *order,
                     const store_val *args, int nargs, int64_t cap, char **data, size_t *len, int64_t *rows,
                     int *cut, gh_err *e);

/* An export asked of a list call (gh_ctx.export): list_query then writes
 * the workbook here instead of a page. */
typedef struct list_export {
    const json_t *filter; /* in: the request's filters, recorded in the audit */
    char *data;           /* out: the workbook (malloc'd) */
    size_t len;
    char name[96];        /* out: file name, "会员名单.xlsx" */
    int64_t rows;
    int cut;
} list_export;

/* A list read through its spec: the spec's filters of q (the query
 * struct) added to w, then a page as {"items", "total"} in *out, or, when
 * x->export is set, every matching row as a workbook there (audited when
 * s->audit; *out is then NULL). Frees w. */
int list_query(gh_ctx *x, const list_spec *s, const void *q, sqlw *w, const char *order, const list_page *pg,
               void *arg, json_t **out, gh_err *e);

/* One row read through its spec (a single-row loader): SELECT <cols>[,
 * extra] FROM <from_where>; *out (if out) the JSON row, extra's text copied
 * to xbuf (GH_PATH_MAX bytes, if given). ERR_NOT_FOUND with e untouched
 * when there is no row. */
int list_one(store_conn *db, const list_spec *s, void *arg, const char *extra, const char *from_where,
             const store_val *args, int nargs, json_t **out, char *xbuf, gh_err *e);

/* The org-path range [lo, hi) a list or figure covers: the subtree of org_id
 * when it is given (it must lie in the actor's scope: ERR_NOT_FOUND like any
 * object out of scope), else the actor's whole scope. Rows are in range when
 * their org's path p satisfies lo <= p < hi, which an index on orgs.path
 * answers. */
typedef struct scope_range {
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
} scope_range;
int scope_range_of(gh_ctx *x, int64_t org_id, scope_range *r, gh_err *e);

#endif

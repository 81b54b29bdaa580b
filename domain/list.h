/* list.h — paged lists in the shape of DESIGN.md §5: {"items": […], "total": N}.
 *
 * list_run executes two statements built from one FROM … WHERE … fragment,
 * so the count and the page can never disagree about the filter:
 *   SELECT <cols> FROM <from_where> ORDER BY <order> LIMIT $n+1 OFFSET $n+2
 *   SELECT COUNT(*) FROM <from_where>          (skipped when the page itself
 *                                               shows the total)
 * The fragment's parameters are $1..$n (args); the limit and offset are added
 * after them. row_fn turns each row into a JSON object. */
#ifndef GH_LIST_H
#define GH_LIST_H

#include <jansson.h>

#include "store/store.h"

#define LIST_DEFAULT_PER_PAGE 20
#define LIST_MAX_PER_PAGE 100

typedef struct list_page {
    int page, per_page;
    int64_t limit, offset;
} list_page;

/* page < 1 → 1; per_page < 1 → 20; per_page > 100 → 100. */
void list_page_init(list_page *p, int page, int per_page);

typedef json_t *(*list_row_fn)(store_res *r, void *ctx);

int list_run(store_conn *db, const char *cols, const char *from_where, const char *order,
             const store_val *args, int nargs, const list_page *pg, list_row_fn fn, void *ctx,
             json_t **out, gh_err *e);

/* {"items": items (stolen), "total": total, "page": …, "per_page": …} */
json_t *list_result(json_t *items, int64_t total, const list_page *p);

/* JSON helpers for row_fn implementations: NULL columns become null. */
json_t *list_col_str(store_res *r, int col);
json_t *list_col_int(store_res *r, int col);
json_t *list_col_bool(store_res *r, int col);

#endif

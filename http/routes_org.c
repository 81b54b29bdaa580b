/* routes_org.c — /api/v1/orgs: the organisation tree, and the public
 * directory used by forms such as the join application. */
#include "domain/org/org.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(org_list, org_query)
HTTP_QUERY_THUNK(org_directory, org_query)

/* The children of {id}: the list, filtered to one parent. */
static int children(gh_ctx *x, int64_t id, const void *q, json_t **out, gh_err *e)
{
    org_query c = *(const org_query *)q;
    c.parent_id = id;
    return org_list(x, &c, out, e);
}

static int remove_org(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    (void)out; /* 204: nothing to answer */
    return org_delete(x, id, e);
}

static const http_qparam list_q[] = {
    Q_PAGE(org_query),
    Q_INT(org_query, parent_id, "parent_id", 0, "上级组织"),
    Q_INT(org_query, under_id, "under_id", 0, "所属组织"),
    Q_STR(org_query, q, "q", "名称"),
    Q_STR(org_query, level, "level", "层级"),
    Q_STR(org_query, kind, "kind", "类型"),
    Q_STR(org_query, region_code, "region_code", "行政区划代码"),
    {0},
};

/* The public directory: name, level, region or parent. */
static const http_qparam directory_q[] = {
    Q_PAGE(org_query),
    Q_INT(org_query, parent_id, "parent_id", 0, "上级组织"),
    Q_STR(org_query, q, "q", "名称"),
    Q_STR(org_query, level, "level", "层级"),
    Q_STR(org_query, region_code, "region_code", "行政区划代码"),
    {0},
};

static const http_qparam page_q[] = {
    Q_PAGE(org_query),
    {0},
};

const http_route routes_org[] = {
    {HTTP_GET, "/api/v1/orgs", .flags = R_XLSX, ON_QUERY(org_list, org_query), .query = list_q},
    {HTTP_POST, "/api/v1/orgs", .flags = R_JSON, ON_BODY(org_create), .status = 201},
    {HTTP_GET, "/api/v1/orgs/{id}", ON_ID(org_get)},
    {HTTP_PATCH, "/api/v1/orgs/{id}", .flags = R_JSON, ON_ID_BODY(org_update)},
    {HTTP_DELETE, "/api/v1/orgs/{id}", ON_ID(remove_org), .status = 204},
    {HTTP_GET, "/api/v1/orgs/{id}/children", .call = {.shape = CALL_ID_QUERY, .id_query = children, .qsize = sizeof(org_query)},
     .query = page_q},
    {HTTP_POST, "/api/v1/orgs/{id}/move", .flags = R_JSON, ON_ID_BODY(org_move_body), .body = org_move_fields},
    {HTTP_GET, "/api/v1/directory/orgs", .flags = R_PUBLIC, ON_QUERY(org_directory, org_query), .query = directory_q},
    {0},
};

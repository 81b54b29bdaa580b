/* org.c — the union organisation tree; rules in org.h. */
#include "domain/org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/jsonv.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/core/list.h"

const char *const org_levels[] = {"national", "province", "city", "county", "grassroots", NULL};
const char *const org_kinds[] = {"regional", "industry", "enterprise", NULL};

static const jv_field org_create_fields[] = {
    {"name", JV_STRING, JV_REQUIRED, "名称", .max = 100},
    {"short_name", JV_STRING, JV_NULLABLE, "简称", .max = 40},
    {"level", JV_ENUM, JV_REQUIRED, "层级", .choices = org_levels},
    {"kind", JV_ENUM, JV_REQUIRED, "类型", .choices = org_kinds},
    {"region_code", JV_STRING, JV_REQUIRED, "行政区划代码", .max = 6},
    {"parent_id", JV_INT, JV_NULLABLE, "上级组织", .min = 1, .max = INT64_MAX},
    {"address", JV_STRING, JV_NULLABLE, "地址", .max = 200},
    {"contact_name", JV_STRING, JV_NULLABLE, "联系人", .max = 50},
    {"contact_phone", JV_STRING, JV_NULLABLE, "联系电话", .max = 30},
    {0},
};

static const jv_field org_update_fields[] = {
    {"name", JV_STRING, 0, "名称", .max = 100},
    {"short_name", JV_STRING, JV_NULLABLE, "简称", .max = 40},
    {"region_code", JV_STRING, 0, "行政区划代码", .max = 6},
    {"address", JV_STRING, JV_NULLABLE, "地址", .max = 200},
    {"contact_name", JV_STRING, JV_NULLABLE, "联系人", .max = 50},
    {"contact_phone", JV_STRING, JV_NULLABLE, "联系电话", .max = 30},
    {0},
};

/* the export's words for the codes (as the pages show them) */
static const char *const words_levels[] = {"national", "全国总工会", "province", "省级", "city", "市级", "county", "县(区)级", "grassroots", "基层工会", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_kinds[] = {"regional", "地方工会", "industry", "产业工会联合会", "enterprise", "企业工会", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_org_status[] = {"active", "正常", "dissolved", "已撤销", NULL};

static const list_col org_cols[] = {
    {"id", "o.id", COL_INT, "编号"},
    {"parent_id", "o.parent_id", COL_INT_NULL, "上级编号"},
    {"path", "o.path", COL_STR},
    {"depth", "o.depth", COL_INT},
    {"level", "o.level", COL_STR, "层级", words_levels},
    {"kind", "o.kind", COL_STR, "类型", words_kinds},
    {"name", "o.name", COL_STR, "名称"},
    {"short_name", "o.short_name", COL_STR, "简称"},
    {"region_code", "o.region_code", COL_STR, "行政区划代码"},
    {"address", "o.address", COL_STR, "地址"},
    {"contact_name", "o.contact_name", COL_STR, "联系人"},
    {"contact_phone", "o.contact_phone", COL_STR, "联系电话"},
    {"status", "o.status", COL_STR, "状态", words_org_status},
    {"created_at", "o.created_at", COL_STR},
    {"updated_at", "o.updated_at", COL_STR},
    {"child_count", "(SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id)", COL_INT, "下级组织数"},
    {0},
};

static const list_filter org_filters[] = {
    {FILTER_LIKE, offsetof(org_query, q), "o.name LIKE ? ESCAPE '\\'", "q", "名称"},
    {FILTER_ID, offsetof(org_query, parent_id), "o.parent_id = ?", "parent_id", "上级组织"},
    {FILTER_CHOICE, offsetof(org_query, level), "o.level = ?", "level", "层级", org_levels},
    {FILTER_CHOICE, offsetof(org_query, kind), "o.kind = ?", "kind", "类型", org_kinds},
    {FILTER_TEXT, offsetof(org_query, region_code), "o.region_code = ?", "region_code", "行政区划代码"},
    {0},
};

static const list_spec org_spec = {org_cols, org_filters, .title = "工会组织"};

static int level_rank(const char *level) { return jv_choice_index(org_levels, level); }

int org_path(store_conn *db, int64_t id, char path[GH_PATH_MAX], gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r, "SELECT path FROM orgs WHERE id = $1", SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        snprintf(path, GH_PATH_MAX, "%s", store_text(&r, 0));
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "org_not_found", NULL, "工会组织不存在");
    }
    store_done(&r);
    return rc;
}

int org_scope_path(gh_ctx *x, int64_t id, char path[GH_PATH_MAX], gh_err *e)
{
    int rc = org_path(x->db, id, path, e);
    if (rc) return rc;
    /* Out of scope looks exactly like absent: no probing other subtrees. */
    if (!actor_in_scope(x->actor, path))
        return err_set(e, ERR_NOT_FOUND, "org_not_found", NULL, "工会组织不存在");
    return 0;
}

/* Fetch one org as JSON; with an actor, only inside its scope (outside
 * looks exactly like absent). One query: the path comes with the row. */
static int load(store_conn *db, int64_t id, const gh_actor *scope_of, json_t **out, gh_err *e)
{
    json_t *o = NULL;
    int rc = list_one(db, &org_spec, NULL, NULL, "orgs o WHERE o.id = $1", SV_ARGS(SV_I(id)), &o, NULL, e);
    if (rc == 0 && scope_of && !actor_in_scope(scope_of, json_string_value(json_object_get(o, "path")))) {
        json_decref(o);
        rc = ERR_NOT_FOUND;
    }
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "org_not_found", NULL, "工会组织不存在");
    if (rc == 0) *out = o;
    return rc;
}

static int can_read(const gh_actor *a)
{
    return actor_is_staff(a);
}

int org_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role == ROLE_MEMBER || a->role == ROLE_ENTERPRISE) {
        /* Members and enterprises see the union they belong to. */
        if (id != a->org_id) return err_set(e, ERR_NOT_FOUND, "org_not_found", NULL, "工会组织不存在");
        return load(x->db, id, NULL, out, e);
    }
    if (!can_read(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看工会组织的权限");
    return load(x->db, id, a, out, e);
}

int org_list(gh_ctx *x, const org_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!can_read(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看工会组织的权限");
    scope_range sr;
    int rc = scope_range_of(x, q->under_id, &sr, e);
    char pp[GH_PATH_MAX];
    if (rc == 0 && q->parent_id) rc = org_scope_path(x, q->parent_id, pp, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, "orgs o WHERE o.path >= ? AND o.path < ?", SV_ARGS(SV_T(sr.lo), SV_T(sr.hi)));
    return list_query(x, &org_spec, q, &w, "o.path", &pg, NULL, out, e);
}

static const list_col dir_cols[] = {
    {"id", "o.id", COL_INT, "编号"},
    {"parent_id", "o.parent_id", COL_INT_NULL},
    {"name", "o.name", COL_STR, "名称"},
    {"level", "o.level", COL_STR, "层级", words_levels},
    {"kind", "o.kind", COL_STR, "类型", words_kinds},
    {"region_code", "o.region_code", COL_STR, "行政区划代码"},
    {"child_count", "(SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id AND c.status = 'active')", COL_INT},
    {"parent_name", "(SELECT p.name FROM orgs p WHERE p.id = o.parent_id)", COL_STR, "上级组织"},
    {0},
};

static const list_spec dir_spec = {dir_cols, org_filters};

int org_directory(gh_ctx *x, const org_query *q, json_t **out, gh_err *e)
{
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, "orgs o WHERE o.status = 'active'", SV_NONE);
    /* with no filter at all, the top of the tree */
    if (!q->parent_id && !(q->q && *q->q) && !(q->level && *q->level) && !(q->region_code && *q->region_code) &&
        !(q->kind && *q->kind))
        sqlw_and(&w, "o.parent_id IS NULL", SV_NONE);
    return list_query(x, &dir_spec, q, &w, "o.depth, o.id", &pg, NULL, out, e);
}

/* Is a child of this level and kind allowed below this parent? */
static int placement_ok(const char *plevel, const char *pkind, const char *level, const char *kind,
                        gh_err *e)
{
    int pr = level_rank(plevel), cr = level_rank(level);
    if (cr > pr) return 0;
    if (cr == pr && cr == 4) return 0; /* grassroots sub-union */
    if (cr == pr && strcmp(kind, "industry") == 0 && strcmp(pkind, "regional") == 0) return 0;
    return err_set(e, ERR_INVALID, "invalid_placement", "level",
                   "下级组织的层级须低于上级组织（基层工会下可设分会；产业工会联合会可与所属地方总工会同级）");
}

static int check_common(const json_t *body, gh_err *e)
{
    const char *rc_code = jv_str(body, "region_code");
    if (rc_code && valid_region_code(rc_code, e)) return ERR_INVALID;
    const char *phone = jv_str(body, "contact_phone");
    if (phone && *phone) {
        for (const char *p = phone; *p; p++)
            if (!strchr("0123456789-+() ", *p))
                return err_set(e, ERR_INVALID, "invalid_phone", "contact_phone",
                               "联系电话只能包含数字、空格和 - + ( )");
    }
    const char *name = jv_str(body, "name");
    if (name) {
        const char *p = name;
        while (*p == ' ') p++;
        if (!*p) return err_set(e, ERR_INVALID, "missing_field", "name", "“名称”不能为空");
    }
    return 0;
}

typedef struct create_ctx {
    gh_ctx *x;
    const json_t *body;
    int64_t id;
} create_ctx;

static int create_tx(store_conn *db, void *p, gh_err *e)
{
    create_ctx *c = p;
    const json_t *b = c->body;
    const gh_actor *a = c->x->actor;
    const char *level = jv_str(b, "level"), *kind = jv_str(b, "kind");
    int64_t parent = jv_int(b, "parent_id", 0);
    char ppath[GH_PATH_MAX] = "";
    int depth = 0;
    int rc;
    if (parent) {
        store_res r;
        rc = store_query(db, &r, "SELECT path, depth, level, kind, status FROM orgs WHERE id = $1",
                         SV_ARGS(SV_I(parent)), e);
        if (rc) return rc;
        rc = store_next(&r, e);
        if (rc > 0) {
            snprintf(ppath, sizeof ppath, "%s", store_text(&r, 0));
            depth = (int)store_int(&r, 1) + 1;
            if (!actor_in_scope(a, ppath)) {
                rc = err_set(e, ERR_NOT_FOUND, "parent_not_found", "parent_id", "上级组织不存在");
            } else if (strcmp(store_text(&r, 4), "active") != 0) {
                rc = err_set(e, ERR_CONFLICT, "parent_dissolved", "parent_id", "上级组织已撤销");
            } else {
                rc = placement_ok(store_text(&r, 2), store_text(&r, 3), level, kind, e);
            }
        } else if (rc == 0) {
            rc = err_set(e, ERR_NOT_FOUND, "parent_not_found", "parent_id", "上级组织不存在");
        }
        store_done(&r);
        if (rc) return rc;
    } else {
        if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
            return err_set(e, ERR_INVALID, "missing_field", "parent_id", "“上级组织”为必填项");
        if (level_rank(level) > 1)
            return err_set(e, ERR_INVALID, "invalid_placement", "parent_id",
                           "只有全国或省级总工会可以没有上级组织");
    }
    if (strlen(ppath) + 24 >= GH_PATH_MAX)
        return err_set(e, ERR_INVALID, "tree_too_deep", "parent_id", "组织层级过深");
    char ts[32];
    ts_now(ts);
    /* The path needs the new id: insert with a unique placeholder, then set it. */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "tmp:%lld:%u", (long long)ts_now_ms(), (unsigned)rand());
    store_res r;
    rc = store_query(db, &r,
        "INSERT INTO orgs (parent_id, path, depth, level, kind, name, short_name, region_code,"
        " address, contact_name, contact_phone, status, created_at, updated_at)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'active',$12,$12) RETURNING id",
        SV_ARGS(SV_IZ(parent), SV_T(tmp), SV_I(depth), SV_T(level), SV_T(kind),
                SV_T(jv_str(b, "name")), SV_T(jv_str(b, "short_name")),
                SV_T(jv_str(b, "region_code")), SV_T(jv_str(b, "address")),
                SV_T(jv_str(b, "contact_name")), SV_T(jv_str(b, "contact_phone")), SV_T(ts)),
        e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) c->id = store_int(&r, 0);
    store_done(&r);
    if (rc <= 0) return rc < 0 ? rc : err_set(e, ERR_STORE, NULL, NULL, NULL);
    char path[GH_PATH_MAX];
    int pl = snprintf(path, sizeof path, "%s%lld/", parent ? ppath : "/", (long long)c->id);
    if (pl < 0 || (size_t)pl >= sizeof path)
        return err_set(e, ERR_INVALID, "tree_too_deep", "parent_id", "组织层级过深");
    rc = store_exec(db, "UPDATE orgs SET path = $1 WHERE id = $2",
                    SV_ARGS(SV_T(path), SV_I(c->id)), NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s, s:s, s:s}", "name", jv_str(b, "name"), "level", level, "kind", kind);
    rc = audit_record(c->x, "org.create", "org", c->id, c->id, "ok", d, e);
    json_decref(d);
    return rc;
}

int org_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_ORG))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有维护工会组织的权限");
    int rc = jv_check(body, org_create_fields, e);
    if (rc == 0) rc = check_common(body, e);
    if (rc) return rc;
    create_ctx c = {x, body, 0};
    rc = store_tx(x->db, STORE_WRITE, create_tx, &c, e);
    if (rc) return rc;
    return load(x->db, c.id, NULL, out, e);
}

typedef struct update_ctx {
    gh_ctx *x;
    int64_t id;
    const json_t *body;
} update_ctx;

static int update_tx(store_conn *db, void *p, gh_err *e)
{
    update_ctx *c = p;
    char path[GH_PATH_MAX], ts[32];
    int rc = org_scope_path(c->x, c->id, path, e);
    if (rc) return rc;
    ts_now(ts);
    const json_t *b = c->body;
    /* COALESCE keeps fields the body leaves out; the has-flags let a client
     * clear an optional field with null. */
    rc = store_exec(db,
        "UPDATE orgs SET"
        " name = COALESCE($2, name),"
        " short_name = CASE WHEN $3 = 1 THEN $4 ELSE short_name END,"
        " region_code = COALESCE($5, region_code),"
        " address = CASE WHEN $6 = 1 THEN $7 ELSE address END,"
        " contact_name = CASE WHEN $8 = 1 THEN $9 ELSE contact_name END,"
        " contact_phone = CASE WHEN $10 = 1 THEN $11 ELSE contact_phone END,"
        " updated_at = $12 WHERE id = $1",
        SV_ARGS(SV_I(c->id), SV_T(jv_str(b, "name")), SV_I(json_object_get(b, "short_name") != NULL),
                SV_T(jv_str(b, "short_name")), SV_T(jv_str(b, "region_code")),
                SV_I(json_object_get(b, "address") != NULL), SV_T(jv_str(b, "address")),
                SV_I(json_object_get(b, "contact_name") != NULL), SV_T(jv_str(b, "contact_name")),
                SV_I(json_object_get(b, "contact_phone") != NULL), SV_T(jv_str(b, "contact_phone")),
                SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    return audit_record(c->x, "org.update", "org", c->id, c->id, "ok", b, e);
}

int org_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_ORG))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有维护工会组织的权限");
    int rc = jv_check_partial(body, org_update_fields, e);
    if (rc == 0) rc = check_common(body, e);
    if (rc) return rc;
    update_ctx c = {x, id, body};
    rc = store_tx(x->db, STORE_WRITE, update_tx, &c, e);
    if (rc) return rc;
    return load(x->db, id, NULL, out, e);
}

typedef struct move_ctx {
    gh_ctx *x;
    int64_t id, parent;
} move_ctx;

static int move_tx(store_conn *db, void *p, gh_err *e)
{
    move_ctx *c = p;
    const gh_actor *a = c->x->actor;
    char old[GH_PATH_MAX], np[GH_PATH_MAX], hi[GH_PATH_MAX], nw[GH_PATH_MAX];
    char level[16] = "", kind[16] = "", plevel[16] = "", pkind[16] = "";
    int64_t old_parent = 0;
    int rc = org_scope_path(c->x, c->id, old, e);
    if (rc) return rc;
    /* One's own org (or an ancestor of it) is not one's to move. */
    if (strlen(old) <= strlen(a->scope))
        return err_set(e, ERR_FORBIDDEN, "forbidden", "id", "不能移动本级或上级组织");
    rc = org_scope_path(c->x, c->parent, np, e);
    if (rc) return err_set(e, rc, "parent_not_found", "parent_id", "目标上级组织不存在");
    if (strncmp(np, old, strlen(old)) == 0)
        return err_set(e, ERR_INVALID, "move_into_self", "parent_id", "不能把组织移动到它自己或它的下级之下");
    store_res r;
    rc = store_query(db, &r,
        "SELECT o.level, o.kind, o.parent_id, p.level, p.kind, p.status FROM orgs o, orgs p"
        " WHERE o.id = $1 AND p.id = $2",
        SV_ARGS(SV_I(c->id), SV_I(c->parent)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        snprintf(level, sizeof level, "%s", store_text(&r, 0));
        snprintf(kind, sizeof kind, "%s", store_text(&r, 1));
        old_parent = store_int(&r, 2);
        snprintf(plevel, sizeof plevel, "%s", store_text(&r, 3));
        snprintf(pkind, sizeof pkind, "%s", store_text(&r, 4));
        rc = strcmp(store_text(&r, 5), "active") == 0
                 ? 0 : err_set(e, ERR_CONFLICT, "parent_dissolved", "parent_id", "目标上级组织已撤销");
    }
    store_done(&r);
    if (rc) return rc < 0 ? rc : 0;
    if (old_parent == c->parent) return 0;
    rc = placement_ok(plevel, pkind, level, kind, e);
    if (rc) return rc;
    int nl = snprintf(nw, sizeof nw, "%s%lld/", np, (long long)c->id);
    store_prefix_bound(old, hi, sizeof hi);
    int64_t longest = 0;
    rc = store_get_int(db, "SELECT MAX(LENGTH(path)) FROM orgs WHERE path >= $1 AND path < $2",
                       SV_ARGS(SV_T(old), SV_T(hi)), &longest, e);
    if (rc) return rc;
    if (nl < 0 || (size_t)nl >= sizeof nw || longest - (int64_t)strlen(old) + nl >= GH_PATH_MAX - 1)
        return err_set(e, ERR_INVALID, "tree_too_deep", "parent_id", "移动后组织层级过深");
    int64_t old_depth = 0, new_depth = 0;
    rc = store_get_int(db, "SELECT depth FROM orgs WHERE id = $1", SV_ARGS(SV_I(c->id)), &old_depth, e);
    if (rc) return rc;
    rc = store_get_int(db, "SELECT depth + 1 FROM orgs WHERE id = $1", SV_ARGS(SV_I(c->parent)),
                       &new_depth, e);
    if (rc) return rc;
    char ts[32];
    ts_now(ts);
    /* Rewrite the path prefix of the whole subtree in one statement. */
    rc = store_exec(db,
        "UPDATE orgs SET path = $3 || substr(path, CAST($4 AS INTEGER)), depth = depth + $5, updated_at = $6"
        " WHERE path >= $1 AND path < $2",
        SV_ARGS(SV_T(old), SV_T(hi), SV_T(nw), SV_I((int64_t)strlen(old) + 1),
                SV_I(new_depth - old_depth), SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    rc = store_exec(db, "UPDATE orgs SET parent_id = $2 WHERE id = $1",
                    SV_ARGS(SV_I(c->id), SV_I(c->parent)), NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I, s:I}", "from_parent_id", (json_int_t)old_parent, "to_parent_id",
                          (json_int_t)c->parent);
    rc = audit_record(c->x, "org.move", "org", c->id, c->id, "ok", d, e);
    json_decref(d);
    return rc;
}

int org_move(gh_ctx *x, int64_t id, int64_t new_parent, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_ORG))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有维护工会组织的权限");
    if (new_parent <= 0)
        return err_set(e, ERR_INVALID, "missing_field", "parent_id", "“上级组织”为必填项");
    move_ctx c = {x, id, new_parent};
    int rc = store_tx(x->db, STORE_WRITE, move_tx, &c, e);
    if (rc) return rc;
    return load(x->db, id, NULL, out, e);
}

typedef struct delete_ctx {
    gh_ctx *x;
    int64_t id;
} delete_ctx;

static int delete_tx(store_conn *db, void *p, gh_err *e)
{
    delete_ctx *c = p;
    char path[GH_PATH_MAX];
    int rc = org_scope_path(c->x, c->id, path, e);
    if (rc) return rc;
    if (strlen(path) <= strlen(c->x->actor->scope))
        return err_set(e, ERR_FORBIDDEN, "forbidden", "id", "不能删除本级或上级组织");
    int64_t kids = 0;
    rc = store_get_int(db, "SELECT COUNT(*) FROM orgs WHERE parent_id = $1", SV_ARGS(SV_I(c->id)),
                       &kids, e);
    if (rc) return rc;
    if (kids > 0)
        return err_set(e, ERR_CONFLICT, "org_has_children", "id", "该组织下还有 %lld 个下级组织，不能删除",
                       (long long)kids);
    json_t *before = NULL;
    rc = load(db, c->id, NULL, &before, e);
    if (rc) return rc;
    /* Filed under the parent, which outlives the deleted org, so auditors of
     * that subtree still find the entry. */
    int64_t parent = json_integer_value(json_object_get(before, "parent_id"));
    rc = audit_record(c->x, "org.delete", "org", c->id, parent, "ok", before, e);
    json_decref(before);
    if (rc) return rc;
    rc = store_exec(db, "DELETE FROM orgs WHERE id = $1", SV_ARGS(SV_I(c->id)), NULL, e);
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "org_in_use", "id", "该组织仍有会员或业务记录，不能删除");
    return rc;
}

int org_delete(gh_ctx *x, int64_t id, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_ORG))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有维护工会组织的权限");
    delete_ctx c = {x, id};
    return store_tx(x->db, STORE_WRITE, delete_tx, &c, e);
}

const jv_field org_move_fields[] = {
    {"parent_id", JV_INT, JV_REQUIRED, "目标上级组织", .min = 1, .max = INT64_MAX},
    {0},
};

int org_move_body(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    int rc = jv_check(body, org_move_fields, e);
    if (rc) return rc;
    return org_move(x, id, jv_int(body, "parent_id", 0), out, e);
}

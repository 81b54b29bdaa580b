/* provider.c — service providers of the recuperation programme; rules in
 * provider.h. */
#include "domain/provider/provider.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/core/list.h"
#include "domain/core/photo.h"
#include "domain/org/org.h"
#include "domain/retreat/retreat.h"

const char *const provider_kinds[] = {"guesthouse", "rural_cluster", "themed_town", "red_site", "retreat_base", NULL};
const char *const provider_statuses[] = {"applied", "admitted", "suspended", NULL};

static const char *const kind_names[] = {"旅游民宿", "乡村旅游产业集聚区", "特色小镇", "红色旅游景区", "疗休养基地", NULL};
static const char *const status_names[] = {"申请中", "已准入", "已暂停", NULL};

static const jv_field provider_fields[] = {
    {"org_id", JV_INT, 0, "管理工会", .min = 1, .max = INT64_MAX},
    {"kind", JV_ENUM, JV_REQUIRED, "机构类型", .choices = provider_kinds},
    {"name", JV_STRING, JV_REQUIRED, "机构名称", .max = 60},
    {"region_code", JV_STRING, JV_REQUIRED, "行政区划代码", .max = 6},
    {"address", JV_STRING, JV_NULLABLE, "地址", .max = 120},
    {"contact_name", JV_STRING, JV_NULLABLE, "联系人", .max = 30},
    {"contact_phone", JV_STRING, JV_NULLABLE, "联系电话", .max = 20},
    {"partner_department", JV_STRING, JV_NULLABLE, "合作部门", .max = 60},
    {0},
};

static const jv_field provider_update_fields[] = {
    {"kind", JV_ENUM, 0, "机构类型", .choices = provider_kinds},
    {"name", JV_STRING, 0, "机构名称", .max = 60},
    {"region_code", JV_STRING, 0, "行政区划代码", .max = 6},
    {"address", JV_STRING, JV_NULLABLE, "地址", .max = 120},
    {"contact_name", JV_STRING, JV_NULLABLE, "联系人", .max = 30},
    {"contact_phone", JV_STRING, JV_NULLABLE, "联系电话", .max = 20},
    {"partner_department", JV_STRING, JV_NULLABLE, "合作部门", .max = 60},
    {0},
};

const char *provider_kind_parse(const char *s)
{
    if (!s) return NULL;
    for (int i = 0; provider_kinds[i]; i++)
        if (strcmp(s, provider_kinds[i]) == 0 || strcmp(s, kind_names[i]) == 0) return provider_kinds[i];
    /* Common short forms in spreadsheets. */
    if (strcmp(s, "民宿") == 0) return "guesthouse";
    if (strcmp(s, "乡村旅游集聚区") == 0) return "rural_cluster";
    if (strcmp(s, "红色景区") == 0) return "red_site";
    if (strcmp(s, "疗养基地") == 0) return "retreat_base";
    return NULL;
}

/* A landline ("025-83300000", "0512-65200000", "400-800-1234") or a mobile. */
static int phone_ok(const char *s, gh_err *e)
{
    size_t n = strlen(s), digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i])) digits++;
        else if (s[i] != '-' || i == 0 || i + 1 == n) digits = 0, i = n;
    }
    if (digits < 7 || digits > 15)
        return err_set(e, ERR_INVALID, "invalid_phone", "contact_phone", "联系电话格式不正确（如 025-83300000 或手机号）");
    return 0;
}

static int blank(const char *s)
{
    if (!s) return 1;
    while (*s == ' ') s++;
    return *s == '\0';
}

/* Field checks beyond the table: region code, phone, non-blank name. */
static int check_fields(const json_t *b, gh_err *e)
{
    const char *v;
    if ((v = jv_str(b, "name")) && blank(v))
        return err_set(e, ERR_INVALID, "missing_field", "name", "“机构名称”不能为空");
    if ((v = jv_str(b, "region_code")) && valid_region_code(v, e)) return ERR_INVALID;
    if ((v = jv_str(b, "contact_phone")) && *v && phone_ok(v, e)) return ERR_INVALID;
    return 0;
}

/* ---- reading ---- */

/* A provider as the API shows it. */
/* the export's words for the codes (as the pages show them) */
static const char *const words_provider_kinds[] = {"guesthouse", "旅游民宿", "rural_cluster", "乡村旅游产业集聚区", "themed_town", "特色小镇", "red_site", "红色旅游景区", "retreat_base", "疗休养基地", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_provider_status[] = {"applied", "申请中", "admitted", "已准入", "suspended", "已暂停", NULL};

static const list_col provider_cols[] = {
    {"id", "p.id", COL_INT, "编号"},
    {"org_id", "p.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "管理工会"},
    {"kind", "p.kind", COL_STR, "机构类型", words_provider_kinds},
    {"name", "p.name", COL_STR, "机构名称"},
    {"region_code", "p.region_code", COL_STR, "行政区划代码"},
    {"address", "p.address", COL_STR, "地址"},
    {"contact_name", "p.contact_name", COL_STR, "联系人"},
    {"contact_phone", "p.contact_phone", COL_STR, "联系电话"},
    {"partner_department", "p.partner_department", COL_STR, "合作部门"},
    {"status", "p.status", COL_STR, "准入状态", words_provider_status},
    {"created_at", "p.created_at", COL_STR},
    {"updated_at", "p.updated_at", COL_STR},
    {"listed_routes",
     "(SELECT COUNT(*) FROM retreat_route_providers rp JOIN retreat_routes r ON r.id = rp.route_id"
     " WHERE rp.provider_id = p.id AND r.listed = 1)",
     COL_INT, "上架线路数"},
    {0},
};

static const list_filter provider_filters[] = {
    {FILTER_LIKE, offsetof(provider_query, q), "p.name LIKE ? ESCAPE '\\'", "q", "名称"},
    {FILTER_CHOICE, offsetof(provider_query, kind), "p.kind = ?", "kind", "机构类型", provider_kinds},
    {FILTER_CHOICE, offsetof(provider_query, status), "p.status = ?", "status", "准入状态", provider_statuses},
    {0},
};

static const list_spec provider_spec = {provider_cols, provider_filters, .title = "服务机构"};

/* Load one provider with its managing org's path; no scope check. */
static int load(store_conn *db, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e)
{
    int rc = list_one(db, &provider_spec, NULL, "o.path", "providers p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1",
                      SV_ARGS(SV_I(id)), out, path, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "provider_not_found", "id", "服务机构不存在");
    return rc;
}

/* Readable: staff in scope, any staff for admitted ones, the provider's own
 * account. write=1 additionally needs the retreat duty and scope. */
static int scoped(gh_ctx *x, int64_t id, int write, json_t **out, char path[GH_PATH_MAX], gh_err *e)
{
    const gh_actor *a = x->actor;
    json_t *o = NULL;
    char p[GH_PATH_MAX];
    if (write && !actor_has_duty(a, DUTY_RETREAT))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    if (!write && !actor_is_staff(a) && !(a->role == ROLE_PROVIDER && a->provider_id == id))
        return err_set(e, ERR_NOT_FOUND, "provider_not_found", "id", "服务机构不存在");
    int rc = load(x->db, id, &o, p, e);
    if (rc) return rc;
    int ok = actor_in_scope(a, p) || (a->role == ROLE_PROVIDER && a->provider_id == id) ||
             (!write && strcmp(json_string_value(json_object_get(o, "status")), "admitted") == 0);
    if (!ok) {
        json_decref(o);
        return err_set(e, ERR_NOT_FOUND, "provider_not_found", "id", "服务机构不存在");
    }
    if (path) snprintf(path, GH_PATH_MAX, "%s", p);
    if (out) *out = o;
    else json_decref(o);
    return 0;
}

static void photo_base(int64_t id, char out[80]) { snprintf(out, 80, "/api/v1/providers/%lld/photos", (long long)id); }

int provider_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    json_t *o = NULL, *photos = NULL;
    char base[80];
    photo_base(id, base);
    int rc = scoped(x, id, 0, &o, NULL, e);
    if (rc == 0) rc = photo_list(x->db, "provider", id, base, &photos, e);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "photos", photos);
    *out = o;
    return 0;
}

/* ---- photos ---- */

typedef struct photo_ctx {
    gh_ctx *x;
    int64_t id, org_id, photo_id;
    const void *data;
    size_t len;
    json_t *out;
} photo_ctx;

static int photo_add_tx(store_conn *db, void *p, gh_err *e)
{
    photo_ctx *c = p;
    char base[80];
    photo_base(c->id, base);
    json_decref(c->out); /* a retried transaction starts over */
    c->out = NULL;
    int rc = photo_add(c->x, db, "provider", c->id, base, c->data, c->len, &c->out, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:O, s:O, s:O}", "photo_id", json_object_get(c->out, "id"), "mime",
                          json_object_get(c->out, "mime"), "bytes", json_object_get(c->out, "bytes"));
    rc = audit_record(c->x, "provider.photo_add", "provider", c->id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

static int photo_delete_tx(store_conn *db, void *p, gh_err *e)
{
    photo_ctx *c = p;
    int rc = photo_delete(db, "provider", c->id, c->photo_id, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I}", "photo_id", (json_int_t)c->photo_id);
    rc = audit_record(c->x, "provider.photo_delete", "provider", c->id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

/* The managing org of a provider the actor may change (retreat duty, scope). */
static int photo_scope(gh_ctx *x, int64_t id, photo_ctx *c, gh_err *e)
{
    json_t *cur = NULL;
    int rc = scoped(x, id, 1, &cur, NULL, e);
    if (rc) return rc;
    c->x = x;
    c->id = id;
    c->org_id = json_integer_value(json_object_get(cur, "org_id"));
    json_decref(cur);
    return 0;
}

int provider_photo_add(gh_ctx *x, int64_t id, const void *data, size_t len, json_t **out, gh_err *e)
{
    photo_ctx c = {0};
    int rc = photo_scope(x, id, &c, e);
    if (rc) return rc;
    c.data = data;
    c.len = len;
    rc = store_tx(x->db, STORE_WRITE, photo_add_tx, &c, e);
    if (rc) {
        json_decref(c.out);
        return rc;
    }
    retreat_catalog_touch();
    *out = c.out;
    return 0;
}

int provider_photo_delete(gh_ctx *x, int64_t id, int64_t photo_id, gh_err *e)
{
    photo_ctx c = {0};
    int rc = photo_scope(x, id, &c, e);
    if (rc) return rc;
    c.photo_id = photo_id;
    rc = store_tx(x->db, STORE_WRITE, photo_delete_tx, &c, e);
    if (rc == 0) retreat_catalog_touch();
    return rc;
}

int provider_photo_get(gh_ctx *x, int64_t id, int64_t photo_id, photo_blob *b, int *public_, gh_err *e)
{
    json_t *o = NULL;
    int rc = load(x->db, id, &o, NULL, e);
    if (rc) return rc;
    *public_ = strcmp(json_string_value(json_object_get(o, "status")), "admitted") == 0;
    json_decref(o);
    /* Not shown to the public yet: whoever may read the provider. */
    if (!*public_ && (rc = scoped(x, id, 0, NULL, NULL, e))) return rc;
    return photo_fetch(x->db, "provider", id, photo_id, b, e);
}

int provider_list(gh_ctx *x, const provider_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看服务机构的权限");
    size_t rl = q->region ? strlen(q->region) : 0;
    if (rl && ((rl != 2 && rl != 4 && rl != 6) || strspn(q->region, "0123456789") != rl))
        return err_set(e, ERR_INVALID, "invalid_query", "region", "地区应为 2、4 或 6 位行政区划代码");
    scope_range sr;
    int rc = scope_range_of(x, q->org_id, &sr, e);
    if (rc) return rc;
    sqlw w;
    if (q->admitted)
        sqlw_init(&w, "providers p JOIN orgs o ON o.id = p.org_id WHERE p.status = 'admitted'", SV_NONE);
    else
        sqlw_init(&w, "providers p JOIN orgs o ON o.id = p.org_id WHERE o.path >= ? AND o.path < ?",
                  SV_ARGS(SV_T(sr.lo), SV_T(sr.hi)));
    /* A prefix compared as such: providers.region_code is plain TEXT, whose
     * order under a linguistic collation need not be byte order. */
    if (rl) SQLW_AND(&w, "substr(p.region_code, 1, CAST(? AS INTEGER)) = ?", SV_I((int64_t)rl), SV_T(q->region));
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    return list_query(x, &provider_spec, q, &w, "p.id DESC", &pg, NULL, out, e);
}

static const list_col history_cols[] = {
    {"id", "h.id", COL_INT},
    {"from_status", "h.from_status", COL_STR},
    {"to_status", "h.to_status", COL_STR},
    {"reason", "h.reason", COL_STR},
    {"actor_name", "u.display_name", COL_STR},
    {"created_at", "h.created_at", COL_STR},
    {0},
};

int provider_history(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    if (!actor_is_staff(x->actor) && x->actor->role != ROLE_PROVIDER)
        return err_set(e, ERR_NOT_FOUND, "provider_not_found", "id", "服务机构不存在");
    int rc = scoped(x, id, 0, NULL, NULL, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, 1, 100);
    return list_run_cols(x->db, history_cols, "provider_history h LEFT JOIN users u ON u.id = h.actor_id WHERE h.provider_id = $1",
                         "h.id", SV_ARGS(SV_I(id)), &pg, out, e);
}

/* ---- writing ---- */

/* Insert a checked provider and its first history row (applied, and
 * admitted too when admit is set). Inside the caller's transaction. */
static int insert_provider(gh_ctx *x, const json_t *b, int64_t org_id, int admit, int64_t *id, gh_err *e)
{
    char ts[32];
    ts_now(ts);
    store_res r;
    int rc = store_query(x->db, &r,
        "INSERT INTO providers (org_id, kind, name, region_code, address, contact_name, contact_phone,"
        " partner_department, status, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10) RETURNING id",
        SV_ARGS(SV_I(org_id), SV_T(jv_str(b, "kind")), SV_T(jv_str(b, "name")), SV_T(jv_str(b, "region_code")),
                SV_T(jv_str(b, "address")), SV_T(jv_str(b, "contact_name")), SV_T(jv_str(b, "contact_phone")),
                SV_T(jv_str(b, "partner_department")), SV_T(admit ? "admitted" : "applied"), SV_T(ts)),
        e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) *id = store_int(&r, 0);
    store_done(&r);
    if (rc < 0) return rc;
    rc = store_exec(x->db,
        "INSERT INTO provider_history (provider_id, from_status, to_status, reason, actor_id, created_at)"
        " VALUES ($1, NULL, 'applied', $2, $3, $4)",
        SV_ARGS(SV_I(*id), SV_T(admit ? "批量导入" : "登记"), SV_IZ(x->actor->user_id), SV_T(ts)), NULL, e);
    if (rc == 0 && admit)
        rc = store_exec(x->db,
            "INSERT INTO provider_history (provider_id, from_status, to_status, reason, actor_id, created_at)"
            " VALUES ($1, 'applied', 'admitted', '批量导入时已准入', $2, $3)",
            SV_ARGS(SV_I(*id), SV_IZ(x->actor->user_id), SV_T(ts)), NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s, s:s, s:s}", "name", jv_str(b, "name"), "kind", jv_str(b, "kind"), "status",
                          admit ? "admitted" : "applied");
    rc = audit_record(x, "provider.create", "provider", *id, org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

typedef struct create_ctx {
    gh_ctx *x;
    const json_t *body;
    int64_t org_id, id;
} create_ctx;

static int create_tx(store_conn *db, void *p, gh_err *e)
{
    (void)db;
    create_ctx *c = p;
    return insert_provider(c->x, c->body, c->org_id, 0, &c->id, e);
}

int provider_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    int rc = jv_check(body, provider_fields, e);
    if (rc == 0) rc = check_fields(body, e);
    if (rc) return rc;
    create_ctx c = {x, body, jv_int(body, "org_id", x->actor->org_id), 0};
    if (!c.org_id) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请选择管理该机构的工会");
    char path[GH_PATH_MAX];
    rc = org_scope_path(x, c.org_id, path, e);
    if (rc) return rc;
    rc = store_tx(x->db, STORE_WRITE, create_tx, &c, e);
    if (rc) return rc;
    return provider_get(x, c.id, out, e);
}

typedef struct update_ctx {
    gh_ctx *x;
    int64_t id, org_id;
    const json_t *body;
} update_ctx;

static int update_tx(store_conn *db, void *p, gh_err *e)
{
    update_ctx *c = p;
    const json_t *b = c->body;
    char ts[32];
    ts_now(ts);
    int rc = store_exec(db,
        "UPDATE providers SET kind = COALESCE($2, kind), name = COALESCE($3, name),"
        " region_code = COALESCE($4, region_code),"
        " address = CASE WHEN $5 = 1 THEN $6 ELSE address END,"
        " contact_name = CASE WHEN $7 = 1 THEN $8 ELSE contact_name END,"
        " contact_phone = CASE WHEN $9 = 1 THEN $10 ELSE contact_phone END,"
        " partner_department = CASE WHEN $11 = 1 THEN $12 ELSE partner_department END,"
        " updated_at = $13 WHERE id = $1",
        SV_ARGS(SV_I(c->id), SV_T(jv_str(b, "kind")), SV_T(jv_str(b, "name")), SV_T(jv_str(b, "region_code")),
                SV_I(json_object_get(b, "address") != NULL), SV_T(jv_str(b, "address")),
                SV_I(json_object_get(b, "contact_name") != NULL), SV_T(jv_str(b, "contact_name")),
                SV_I(json_object_get(b, "contact_phone") != NULL), SV_T(jv_str(b, "contact_phone")),
                SV_I(json_object_get(b, "partner_department") != NULL), SV_T(jv_str(b, "partner_department")),
                SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    return audit_record(c->x, "provider.update", "provider", c->id, c->org_id, "ok", b, e);
}

int provider_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    int rc = jv_check_partial(body, provider_update_fields, e);
    if (rc == 0) rc = check_fields(body, e);
    if (rc) return rc;
    json_t *cur = NULL;
    rc = scoped(x, id, 1, &cur, NULL, e);
    if (rc) return rc;
    update_ctx c = {x, id, json_integer_value(json_object_get(cur, "org_id")), body};
    json_decref(cur);
    rc = store_tx(x->db, STORE_WRITE, update_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    return provider_get(x, id, out, e);
}

typedef struct status_ctx {
    gh_ctx *x;
    int64_t id, org_id;
    const char *to, *reason;
} status_ctx;

static int status_tx(store_conn *db, void *p, gh_err *e)
{
    status_ctx *c = p;
    char from[16] = "", ts[32];
    ts_now(ts);
    store_res r;
    int rc = store_query(db, &r, "SELECT status FROM providers WHERE id = $1", SV_ARGS(SV_I(c->id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) snprintf(from, sizeof from, "%s", store_text(&r, 0));
    store_done(&r);
    if (rc < 0) return rc;
    if (strcmp(from, c->to) == 0)
        return err_set(e, ERR_CONFLICT, "same_status", "status", "服务机构已经是“%s”状态",
                       status_names[jv_choice_index(provider_statuses, c->to)]);
    if (strcmp(c->to, "applied") == 0)
        return err_set(e, ERR_INVALID, "invalid_transition", "status", "只能准入或暂停，不能改回申请中");
    /* Conditional on the status read, so two officers deciding at once
     * cannot both write a history row from the same state. */
    int64_t n = 0;
    rc = store_exec(db, "UPDATE providers SET status = $2, updated_at = $3 WHERE id = $1 AND status = $4",
                    SV_ARGS(SV_I(c->id), SV_T(c->to), SV_T(ts), SV_T(from)), &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_RETRY, "provider_race", NULL, "服务机构状态刚被修改，请重试");
    rc = store_exec(db,
        "INSERT INTO provider_history (provider_id, from_status, to_status, reason, actor_id, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        SV_ARGS(SV_I(c->id), SV_T(from), SV_T(c->to), SV_T(c->reason), SV_IZ(c->x->actor->user_id), SV_T(ts)), NULL, e);
    if (rc == 0) rc = retreat_relist(db, c->id, 0, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s, s:s, s:s?}", "from", from, "to", c->to, "reason", c->reason);
    rc = audit_record(c->x, "provider.status", "provider", c->id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int provider_set_status(gh_ctx *x, int64_t id, const char *status, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    if (!status || jv_choice_index(provider_statuses, status) < 0)
        return err_set(e, ERR_INVALID, "invalid_choice", "status", "准入状态取值无效");
    if (strcmp(status, "suspended") == 0 && blank(reason))
        return err_set(e, ERR_INVALID, "missing_field", "reason", "暂停服务机构须填写原因");
    json_t *cur = NULL;
    int rc = scoped(x, id, 1, &cur, NULL, e);
    if (rc) return rc;
    status_ctx c = {x, id, json_integer_value(json_object_get(cur, "org_id")), status, reason && *reason ? reason : NULL};
    json_decref(cur);
    rc = store_tx(x->db, STORE_WRITE, status_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    return provider_get(x, id, out, e);
}

/* ---- import ---- */

static const char *const cols[] = {
    "名称|机构名称|name", "类型|机构类型|kind", "行政区划代码|区划代码|region_code", "地址|address",
    "联系人|contact_name", "联系电话|contact_phone", "合作部门|partner_department", "状态|准入状态|status",
    "管理工会编号|组织编号|org_id",
};
enum { C_NAME, C_KIND, C_REGION, C_ADDR, C_CONTACT, C_PHONE, C_DEPT, C_STATUS, C_ORG, C_N };
static const char *const fields[C_N] = {"name", "kind", "region_code", "address", "contact_name", "contact_phone",
                                        "partner_department", "status", "org_id"};

typedef struct file_ctx {
    int64_t org_id;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    json_t *names; /* names seen in the file, to refuse duplicates */
} pimport_ctx;

static int provider_row_check(const json_t *b, void *arg, gh_err *e)
{
    (void)arg;
    int rc = jv_check(b, provider_fields, e);
    return rc ? rc : check_fields(b, e);
}

static int import_row(importer *im, void *p, gh_err *e)
{
    pimport_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    json_t *b = json_object();
    const char *bad = NULL, *why = NULL;
    int admit = 0;
    int64_t org = c->org_id;
    for (int k = 0; k < C_N; k++) {
        const char *v = import_field(im, k);
        if (!*v) continue;
        if (k == C_KIND) {
            const char *kind = provider_kind_parse(v);
            if (!kind) bad = "kind", why = "机构类型应为：旅游民宿、乡村旅游产业集聚区、特色小镇、红色旅游景区、疗休养基地";
            else json_object_set_new(b, "kind", json_string(kind));
        } else if (k == C_STATUS) {
            if (strcmp(v, "已准入") == 0 || strcmp(v, "准入") == 0 || strcmp(v, "admitted") == 0) admit = 1;
            else if (strcmp(v, "申请中") != 0 && strcmp(v, "applied") != 0)
                bad = "status", why = "状态应为“申请中”或“已准入”";
        } else if (k == C_ORG) {
            char *end;
            long long n = strtoll(v, &end, 10);
            if (*end || n <= 0) bad = "org_id", why = "应为组织编号（正整数）";
            else org = n;
        } else {
            json_t *s = json_string(v);
            if (!s) bad = fields[k], why = "包含无效字符";
            else json_object_set_new(b, fields[k], s);
        }
        /* each unreadable cell is reported; the row is checked without it */
        if (bad) import_error(im, bad, why), bad = NULL;
    }
    gh_err re;
    err_clear(&re);
    int bad_row = import_check_each(im, b, provider_row_check, NULL, NULL, e);
    if (bad_row) {
        json_decref(b);
        return bad_row < 0 ? bad_row : 0;
    }
    /* The managing union must lie in the import's subtree. */
    char path[GH_PATH_MAX] = "";
    if (org != c->org_id) {
        int rc = org_path(x->db, org, path, &re);
        if (rc == ERR_NOT_FOUND || (rc == 0 && (strcmp(path, c->lo) < 0 || strcmp(path, c->hi) >= 0))) {
            import_error(im, "org_id", "管理工会不存在或不在本次导入的组织范围内");
            json_decref(b);
            return 0;
        }
        if (rc) {
            json_decref(b);
            *e = re;
            return rc;
        }
    }
    const char *name = jv_str(b, "name");
    if (json_object_get(c->names, name)) {
        import_error(im, "name", "与文件中前面的行机构名称重复");
        json_decref(b);
        return 0;
    }
    json_object_set_new(c->names, name, json_true());
    int64_t exists = 0;
    int rc = store_get_int(x->db, "SELECT COUNT(*) FROM providers WHERE name = $1", SV_ARGS(SV_T(name)), &exists, e);
    if (rc == 0 && exists) import_error(im, "name", "同名服务机构已登记");
    if (rc == 0 && !exists && import_writing(im)) {
        int64_t id;
        rc = insert_provider(x, b, org, admit, &id, e);
        if (rc == 0) import_count(im);
    }
    json_decref(b);
    return rc;
}

static int import_finish(importer *im, void *p, gh_err *e)
{
    pimport_ctx *c = p;
    json_t *d = json_pack("{s:I}", "imported", (json_int_t)import_written(im));
    int rc = audit_record(import_ctx(im), "provider.import", "org", c->org_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int provider_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                    import_progress_fn progress, void *pctx, json_t **out, gh_err *e)
{
    pimport_ctx c = {.org_id = org_id};
    int rc = retreat_import_allowed(x, org_id, c.lo, e);
    if (rc) return rc;
    store_prefix_bound(c.lo, c.hi, sizeof c.hi);
    static const int required[] = {C_NAME, C_KIND, C_REGION};
    const import_spec spec = {cols, fields, C_N, required, 3, import_row, import_finish};
    c.names = json_object();
    rc = import_run(x, &spec, data, len, path, dry_run, &c, progress, pctx, out, e);
    json_decref(c.names);
    if (rc == 0 && !dry_run && json_integer_value(json_object_get(*out, "imported"))) retreat_catalog_touch();
    return rc;
}

const jv_field provider_status_fields[] = {
    {"status", JV_STRING, JV_REQUIRED, "状态", .max = 20},
    {"reason", JV_STRING, 0, "原因", .max = 200},
    {0},
};

int provider_set_status_body(gh_ctx *x, int64_t id, const json_t *b, json_t **out, gh_err *e)
{
    int rc = jv_check(b, provider_status_fields, e);
    if (rc) return rc;
    return provider_set_status(x, id, jv_str(b, "status"), jv_str(b, "reason"), out, e);
}

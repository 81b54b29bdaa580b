/* policy.c — versioned policy parameters; see policy.h. */
#include "domain/policy.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "domain/audit.h"
#include "domain/aid.h"
#include "domain/fees.h"
#include "domain/hardship.h"
#include "domain/mutual_aid.h"
#include "domain/list.h"
#include "domain/org.h"
#include "domain/retreat.h"

typedef int (*policy_validator)(const json_t *params, gh_err *e);

/* Every kind of policy, the duty that may set it, and its validator. */
static const struct {
    const char *kind, *label;
    unsigned duty;
    policy_validator validate;
} kinds[] = {
    {"fee_split", "工会经费分成比例", DUTY_FINANCE, fee_split_validate},
    {"refund", "小微企业经费返还政策", DUTY_FINANCE, refund_policy_validate},
    {"retreat_booking", "疗休养预订规则", DUTY_RETREAT, retreat_policy_validate},
    {"hardship_standard", "低保标准与相对困难倍数", DUTY_HARDSHIP, hardship_standard_validate},
    {"aid_rules", "帮扶救助标准", DUTY_HARDSHIP, aid_rules_validate},
    {"mutual_aid_benefit", "职工医疗互助待遇标准", DUTY_HARDSHIP, mutual_aid_benefit_validate},
    {NULL, NULL, 0, NULL},
};

static int kind_index(const char *kind)
{
    for (int i = 0; kinds[i].kind; i++)
        if (kind && strcmp(kinds[i].kind, kind) == 0) return i;
    return -1;
}

int policy_find(store_conn *db, const char *kind, int64_t org_id, const char *date, json_t **params,
                int64_t *policy_id, gh_err *e)
{
    *params = NULL;
    char path[GH_PATH_MAX];
    int rc = org_path(db, org_id, path, e);
    if (rc) return rc;
    store_res r;
    /* The nearest org on the path wins, then the latest version in force. */
    rc = store_query(db, &r,
        "SELECT p.id, p.params FROM policies p JOIN orgs o ON o.id = p.org_id"
        " WHERE p.kind = $1 AND p.effective_from <= $2 AND substr($3, 1, length(o.path)) = o.path"
        " ORDER BY o.depth DESC, p.effective_from DESC LIMIT 1",
        SV_ARGS(SV_T(kind), SV_T(date), SV_T(path)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        if (policy_id) *policy_id = store_int(&r, 0);
        json_error_t je;
        *params = json_loads(store_text(&r, 1), 0, &je);
        rc = *params ? 0 : err_set(e, ERR_INTERNAL, "policy_corrupt", NULL, "政策参数无法解析");
    } else if (rc == 0) {
        int k = kind_index(kind);
        rc = err_set(e, ERR_NOT_FOUND, "no_policy", NULL, "%s在 %s 没有适用的版本，请先设置",
                     k >= 0 ? kinds[k].label : kind, date);
    }
    store_done(&r);
    return rc;
}

static json_t *policy_row(store_res *r, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "kind", list_col_str(r, 1));
    json_object_set_new(o, "org_id", json_integer(store_int(r, 2)));
    json_object_set_new(o, "org_name", list_col_str(r, 3));
    json_object_set_new(o, "effective_from", list_col_str(r, 4));
    const char *p = store_text(r, 5);
    json_t *pj = p ? json_loads(p, 0, NULL) : NULL;
    json_object_set_new(o, "params", pj ? pj : json_null());
    json_object_set_new(o, "note", list_col_str(r, 6));
    json_object_set_new(o, "created_at", list_col_str(r, 7));
    return o;
}

typedef struct set_ctx {
    gh_ctx *x;
    const char *kind, *from, *note;
    int64_t org_id;
    char *params;
    int64_t id;
} set_ctx;

static int set_tx(store_conn *db, void *p, gh_err *e)
{
    set_ctx *c = p;
    char ts[32];
    ts_now(ts);
    store_res r;
    int rc = store_query(db, &r,
        "INSERT INTO policies (kind, org_id, effective_from, params, note, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        SV_ARGS(SV_T(c->kind), SV_I(c->org_id), SV_T(c->from), SV_T(c->params), SV_T(c->note),
                SV_IZ(c->x->actor->user_id), SV_T(ts)),
        e);
    if (rc == 0) {
        if ((rc = store_next(&r, e)) > 0) c->id = store_int(&r, 0);
        store_done(&r);
    }
    /* (SQLite reports the unique key when the row is stepped.) */
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "policy_exists", "effective_from",
                       "该组织在 %s 已有一个版本；政策版本不能修改，请用新的生效日期发布新版本", c->from);
    if (rc < 0) return rc;
    json_t *d = json_pack("{s:s, s:s}", "kind", c->kind, "effective_from", c->from);
    rc = audit_record(c->x, "policy.set", "policy", c->id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int policy_set(gh_ctx *x, const char *kind, int64_t org_id, const char *effective_from, const json_t *params,
               const char *note, json_t **out, gh_err *e)
{
    int k = kind_index(kind);
    if (k < 0) return err_set(e, ERR_INVALID, "invalid_choice", "kind", "政策类型无效");
    if (!actor_has_duty(x->actor, kinds[k].duty))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有设置该政策的职责");
    int32_t d;
    if (!effective_from || date_parse(effective_from, &d, NULL))
        return err_set(e, ERR_INVALID, "invalid_date", "effective_from", "生效日期格式应为 YYYY-MM-DD");
    if (!json_is_object(params)) return err_set(e, ERR_INVALID, "invalid_type", "params", "政策参数应为对象");
    char path[GH_PATH_MAX];
    int rc = org_scope_path(x, org_id, path, e);
    if (rc) return rc;
    rc = kinds[k].validate(params, e);
    if (rc) return rc;
    set_ctx c = {x, kind, effective_from, note, org_id, json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS), 0};
    if (!c.params) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    rc = store_tx(x->db, STORE_WRITE, set_tx, &c, e);
    free(c.params);
    if (rc) return rc;
    store_res r;
    rc = store_query(x->db, &r,
        "SELECT p.id, p.kind, p.org_id, o.name, p.effective_from, p.params, p.note, p.created_at"
        " FROM policies p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1", SV_ARGS(SV_I(c.id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        *out = policy_row(&r, NULL);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_STORE, NULL, NULL, NULL);
    }
    store_done(&r);
    return rc;
}

int policy_list(gh_ctx *x, const char *kind, int64_t org_id, json_t **out, gh_err *e)
{
    if (!actor_is_staff(x->actor)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看政策的权限");
    char path[GH_PATH_MAX];
    int rc;
    if (org_id) rc = org_scope_path(x, org_id, path, e);
    else rc = x->actor->org_id ? org_path(x->db, x->actor->org_id, path, e) : (snprintf(path, sizeof path, "/"), 0);
    if (rc) return rc;
    char hi[GH_PATH_MAX];
    store_prefix_bound(path, hi, sizeof hi);
    list_page pg;
    list_page_init(&pg, 1, 100);
    /* The org's own and its ancestors' policies (what applies to it) and
     * those of orgs below it. */
    return list_run(x->db,
        "p.id, p.kind, p.org_id, o.name, p.effective_from, p.params, p.note, p.created_at",
        "policies p JOIN orgs o ON o.id = p.org_id WHERE ($1 = '' OR p.kind = $1)"
        " AND (substr($2, 1, length(o.path)) = o.path OR (o.path >= $2 AND o.path < $3))",
        "p.kind, o.depth, p.effective_from", SV_ARGS(SV_T(kind ? kind : ""), SV_T(path), SV_T(hi)), &pg, policy_row,
        NULL, out, e);
}

/* policy.c — versioned policy parameters; see policy.h. */
#include "domain/core/policy.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/jsonv.h"
#include "domain/core/audit.h"
#include "domain/core/list.h"
#include "domain/core/module.h"
#include "domain/org/org.h"

/* The kinds of policy, their validators and the duty that may set each come
 * from the module descriptors (module_policy_kind). */

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
        const gh_policy_kind *k = module_policy_kind(kind);
        rc = err_set(e, ERR_NOT_FOUND, "no_policy", NULL, "%s在 %s 没有适用的版本，请先设置",
                     k ? k->label : kind, date);
    }
    store_done(&r);
    return rc;
}

/* ---- checking ---- */

/* The JSON value at a dotted path below root (borrowed), or NULL. */
static json_t *at_path(json_t *root, const char *path)
{
    char seg[64];
    json_t *v = root;
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof seg) return NULL;
        memcpy(seg, path, n);
        seg[n] = '\0';
        v = json_object_get(v, seg);
        path += n + (path[n] == '.');
    }
    return v;
}

/* params with the collection at path replaced by one holding only item
 * (under key for an object, the one element of an array; no item: an empty
 * collection of the kind key says); NULL on OOM. */
static json_t *with_only(const json_t *params, const char *path, const char *key, json_t *item)
{
    json_t *copy = json_deep_copy(params);
    const char *dot = strrchr(path, '.');
    json_t *parent = copy;
    if (dot) {
        char head[64];
        size_t n = (size_t)(dot - path);
        if (n >= sizeof head) {
            json_decref(copy);
            return NULL;
        }
        memcpy(head, path, n);
        head[n] = '\0';
        parent = at_path(copy, head);
    }
    json_t *one = key ? json_object() : json_array();
    if (!copy || !parent || !one) {
        json_decref(copy);
        json_decref(one);
        return NULL;
    }
    if (item && key) json_object_set(one, key, item);
    else if (item) json_array_append(one, item);
    json_object_set_new(parent, dot ? dot + 1 : path, one);
    return copy;
}

/* 1 when the kind's validator refuses p the way e says (same code, field). */
static int refused_alike(const gh_policy_kind *k, json_t *p, const gh_err *e)
{
    if (!p) return 0;
    gh_err again;
    err_clear(&again);
    int rc = k->validate(p, &again);
    json_decref(p);
    return rc == e->rc && strcmp(again.code, e->code) == 0 && strcmp(again.field, e->field) == 0;
}

/* After the validator refused params with e: when the refusal comes from one
 * item of the kind's collection, rewrite e->field as the item's path (and
 * name an array item in the message). The validators check the items one by
 * one, in order, each on its own, so the first item that is refused again
 * with the same code and field when it stands alone is the one at fault.
 * Not an item's doing: a refusal that stays with no items at all (a figure
 * outside the collection), and one about how items relate (bands out of
 * order), which no single item reproduces; both keep the validator's field. */
static void locate(const gh_policy_kind *k, const json_t *params, gh_err *e)
{
    const char *path = k->items;
    json_t *coll = path ? at_path((json_t *)params, path) : NULL;
    if (!coll || (json_is_object(coll) ? json_object_size(coll) : json_array_size(coll)) < 1) return;
    const char *key = json_is_object(coll) ? "" : NULL;
    if (refused_alike(k, with_only(params, path, key, NULL), e)) return;
    const char *last = strrchr(path, '.');
    last = last ? last + 1 : path;
    size_t i = 0;
    json_t *item = NULL;
    void *it = json_is_object(coll) ? json_object_iter(coll) : NULL;
    for (;;) {
        if (json_is_object(coll)) {
            if (!it) return;
            key = json_object_iter_key(it);
            item = json_object_iter_value(it);
        } else {
            if (i >= json_array_size(coll)) return;
            item = json_array_get(coll, i);
        }
        if (refused_alike(k, with_only(params, path, key, item), e)) break;
        if (json_is_object(coll)) it = json_object_iter_next(coll, it);
        else i++;
    }
    char where[64];
    if (key) snprintf(where, sizeof where, "%s.%s", path, key);
    else snprintf(where, sizeof where, "%s[%zu]", path, i);
    char field[sizeof e->field];
    /* The validator may name the item itself (an unknown aid project) or the
     * collection (an item that is not an object). */
    if (!e->field[0] || (key && strcmp(e->field, key) == 0) || strcmp(e->field, last) == 0)
        snprintf(field, sizeof field, "%s", where);
    else if ((size_t)snprintf(field, sizeof field, "%s.%s", where, e->field) >= sizeof field)
        return;
    snprintf(e->field, sizeof e->field, "%s", field);
    if (!key && k->item_label) {
        char label[64];
        snprintf(label, sizeof label, "第 %zu %s：", i + 1, k->item_label);
        size_t ll = strlen(label), ml = strlen(e->message);
        /* Only when it fits whole: a cut could split a UTF-8 character. */
        if (ll + ml < sizeof e->message) {
            memmove(e->message + ll, e->message, ml + 1);
            memcpy(e->message, label, ll);
        }
    }
}

int policy_check(const char *kind, const json_t *params, gh_err *e)
{
    const gh_policy_kind *k = module_policy_kind(kind);
    if (!k) return err_set(e, ERR_INVALID, "invalid_choice", "kind", "政策类型无效");
    if (!json_is_object(params)) return err_set(e, ERR_INVALID, "invalid_type", "params", "政策参数应为对象");
    gh_err local;
    gh_err *ee = e ? e : &local;
    err_clear(ee);
    int rc = k->validate(params, ee);
    if (rc == ERR_INVALID) locate(k, params, ee);
    return rc;
}

/* ---- rows ---- */

/* Every version with its status on a day ($1 = $2 = that day), for the list,
 * the version in force and the answer to a new version. The derived table
 * lets the filters use the status; the probe for a later version in force
 * runs on the (kind, org_id, effective_from) key. */
#define POLICY_FROM                                                                                        \
    "(SELECT p.id, p.kind, p.org_id, p.effective_from, p.params, p.note, p.created_by, p.created_at,"      \
    " CASE WHEN p.effective_from > ? THEN 'scheduled'"                                                     \
    " WHEN EXISTS (SELECT 1 FROM policies q WHERE q.kind = p.kind AND q.org_id = p.org_id"                 \
    " AND q.effective_from > p.effective_from AND q.effective_from <= ?) THEN 'superseded'"                \
    " ELSE 'in_force' END AS status FROM policies p) p"                                                    \
    " JOIN orgs o ON o.id = p.org_id LEFT JOIN users u ON u.id = p.created_by"
static const list_col policy_cols[] = {
    {"id", "p.id", COL_INT},
    {"kind", "p.kind", COL_STR},
    {"org_id", "p.org_id", COL_INT},
    {"org_name", "o.name", COL_STR},
    {"effective_from", "p.effective_from", COL_STR},
    {"params", "p.params", COL_STR},
    {"note", "p.note", COL_STR},
    {"created_at", "p.created_at", COL_STR},
    {"created_by_name", "u.display_name", COL_STR},
    {"status", "p.status", COL_STR},
    {"in_scope", "o.path", COL_STR},
    {0},
};

/* params as JSON; in_scope: the org's path (read in its place) in the
 * actor's (arg) scope */
static void policy_post(json_t *o, void *actor)
{
    const char *p = json_string_value(json_object_get(o, "params"));
    json_t *pj = p ? json_loads(p, 0, NULL) : NULL;
    json_object_set_new(o, "params", pj ? pj : json_null());
    const char *path = json_string_value(json_object_get(o, "in_scope"));
    json_object_set_new(o, "in_scope", json_boolean(actor && path && actor_in_scope(actor, path)));
}

static const list_spec policy_spec = {policy_cols, NULL, policy_post};

/* One version by id with its status on day (a list item); ERR_STORE when it
 * is gone (callers just wrote or found it). */
static int policy_get(gh_ctx *x, int64_t id, const char *day, json_t **out, gh_err *e)
{
    sqlw w;
    sqlw_init(&w, POLICY_FROM " WHERE p.id = ?", SV_ARGS(SV_T(day), SV_T(day), SV_I(id)));
    int rc = w.failed || w.sql.oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL)
                                   : list_one(x->db, &policy_spec, (void *)x->actor, NULL, buf_str(&w.sql), w.args, w.n,
                                              out, NULL, e);
    sqlw_free(&w);
    return rc == ERR_NOT_FOUND ? err_set(e, ERR_STORE, NULL, NULL, NULL) : rc;
}

/* ---- setting ---- */

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

/* What policy_set refuses before it writes: the kind, the duty, the date,
 * the org's scope and the params. */
static int set_checks(gh_ctx *x, const char *kind, int64_t org_id, const char *effective_from, const json_t *params,
                      gh_err *e)
{
    const gh_policy_kind *k = module_policy_kind(kind);
    if (!k) return err_set(e, ERR_INVALID, "invalid_choice", "kind", "政策类型无效");
    if (!actor_has_duty(x->actor, k->duty))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有设置该政策的职责");
    int32_t d;
    if (!effective_from || date_parse(effective_from, &d, NULL))
        return err_set(e, ERR_INVALID, "invalid_date", "effective_from", "生效日期格式应为 YYYY-MM-DD");
    if (!json_is_object(params)) return err_set(e, ERR_INVALID, "invalid_type", "params", "政策参数应为对象");
    char path[GH_PATH_MAX];
    int rc = org_scope_path(x, org_id, path, e);
    if (rc) return rc;
    return policy_check(kind, params, e);
}

int policy_set(gh_ctx *x, const char *kind, int64_t org_id, const char *effective_from, const json_t *params,
               const char *note, json_t **out, gh_err *e)
{
    int rc = set_checks(x, kind, org_id, effective_from, params, e);
    if (rc) return rc;
    set_ctx c = {x, kind, effective_from, note, org_id, json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS), 0};
    if (!c.params) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    rc = store_tx(x->db, STORE_WRITE, set_tx, &c, e);
    free(c.params);
    if (rc) return rc;
    char today[11];
    date_format(date_today_cn(), today);
    return policy_get(x, c.id, today, out, e);
}

int policy_preview(gh_ctx *x, const char *kind, int64_t org_id, const char *effective_from, const json_t *params,
                   json_t **out, gh_err *e)
{
    *out = NULL;
    int rc = set_checks(x, kind, org_id, effective_from, params, e);
    if (rc) return rc;
    int64_t n = 0;
    rc = store_get_int(x->db, "SELECT COUNT(*) FROM policies WHERE kind = $1 AND org_id = $2 AND effective_from = $3",
                       SV_ARGS(SV_T(kind), SV_I(org_id), SV_T(effective_from)), &n, e);
    if (rc) return rc;
    if (n)
        return err_set(e, ERR_CONFLICT, "policy_exists", "effective_from",
                       "该组织在 %s 已有一个版本；政策版本不能修改，请用新的生效日期发布新版本", effective_from);
    /* What the org would follow on that day without the new version. */
    json_t *replaces = NULL, *p = NULL;
    int64_t id = 0;
    gh_err nf;
    rc = policy_find(x->db, kind, org_id, effective_from, &p, &id, &nf);
    json_decref(p);
    if (rc == 0) rc = policy_get(x, id, effective_from, &replaces, e);
    else if (rc == ERR_NOT_FOUND) rc = 0;
    else if (e) *e = nf;
    if (rc) return rc;
    if (replaces)
        json_object_set_new(replaces, "inherited",
                            json_boolean(json_integer_value(json_object_get(replaces, "org_id")) != org_id));
    *out = json_pack("{s:s, s:I, s:s, s:O, s:o}", "kind", kind, "org_id", (json_int_t)org_id, "effective_from",
                     effective_from, "params", params, "replaces", replaces ? replaces : json_null());
    return *out ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

/* ---- reading ---- */

static int day_or_today(const char *on, char day[11], gh_err *e)
{
    int32_t d;
    if (!on || !*on) {
        date_format(date_today_cn(), day);
        return 0;
    }
    if (date_parse(on, &d, NULL)) return err_set(e, ERR_INVALID, "invalid_query", "on", "日期格式应为 YYYY-MM-DD");
    date_format(d, day);
    return 0;
}

int policy_list(gh_ctx *x, const policy_query *q, json_t **out, gh_err *e)
{
    static const char *const statuses[] = {"all", "current", "in_force", "scheduled", "superseded", NULL};
    if (!actor_is_staff(x->actor)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看政策的权限");
    int st = q->status && *q->status ? jv_choice_index(statuses, q->status) : 0;
    if (st < 0)
        return err_set(e, ERR_INVALID, "invalid_choice", "status",
                       "状态应为 all、current、in_force、scheduled 或 superseded");
    char day[11];
    int rc = day_or_today(q->on, day, e);
    if (rc) return rc;
    char path[GH_PATH_MAX];
    if (q->org_id) rc = org_scope_path(x, q->org_id, path, e);
    else rc = x->actor->org_id ? org_path(x->db, x->actor->org_id, path, e) : (snprintf(path, sizeof path, "/"), 0);
    if (rc) return rc;
    char hi[GH_PATH_MAX];
    store_prefix_bound(path, hi, sizeof hi);
    /* The org's own and its ancestors' versions (what applies to it) and
     * those of orgs below it. */
    sqlw w;
    sqlw_init(&w, POLICY_FROM " WHERE (substr(?, 1, length(o.path)) = o.path OR (o.path >= ? AND o.path < ?))",
              SV_ARGS(SV_T(day), SV_T(day), SV_T(path), SV_T(path), SV_T(hi)));
    if (q->kind && *q->kind) SQLW_AND(&w, "p.kind = ?", SV_T(q->kind));
    if (st == 1) sqlw_and(&w, "p.status <> 'superseded'", NULL, 0);
    else if (st > 1) SQLW_AND(&w, "p.status = ?", SV_T(statuses[st]));
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    return list_query(x, &policy_spec, NULL, &w, "p.kind, o.depth, o.path, p.effective_from, p.id", &pg, (void *)x->actor,
                      out, e);
}

int policy_effective(gh_ctx *x, const char *kind, int64_t org_id, const char *on, json_t **out, gh_err *e)
{
    if (!actor_is_staff(x->actor)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看政策的权限");
    if (!module_policy_kind(kind)) return err_set(e, ERR_INVALID, "invalid_choice", "kind", "政策类型无效");
    char day[11];
    int rc = day_or_today(on, day, e);
    if (rc) return rc;
    if (!org_id) org_id = x->actor->org_id;
    if (!org_id) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请指定组织");
    char path[GH_PATH_MAX];
    rc = org_scope_path(x, org_id, path, e);
    if (rc) return rc;
    json_t *params = NULL;
    int64_t id = 0;
    rc = policy_find(x->db, kind, org_id, day, &params, &id, e);
    json_decref(params);
    if (rc) return rc;
    rc = policy_get(x, id, day, out, e);
    if (rc) return rc;
    json_object_set_new(*out, "inherited", json_boolean(json_integer_value(json_object_get(*out, "org_id")) != org_id));
    json_object_set_new(*out, "for_org_id", json_integer(org_id));
    json_object_set_new(*out, "on", json_string(day));
    return 0;
}

int policy_kinds(gh_ctx *x, json_t **out, gh_err *e)
{
    if (!actor_is_staff(x->actor)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看政策的权限");
    json_t *items = json_array();
    for (const gh_module *const *m = gh_modules; *m; m++)
        for (const gh_policy_kind *k = (*m)->policy_kinds; k && k->kind; k++) {
            int can = actor_has_duty(x->actor, k->duty);
            if (x->actor->role == ROLE_OFFICER && !can) continue;
            const gh_duty *d = module_duty(k->duty);
            json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b}", "kind", k->kind, "label", k->label, "duty",
                                                   d ? d->name : "", "can_set", can));
        }
    *out = json_pack("{s:o}", "items", items);
    return *out ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

const jv_field policy_request_fields[] = {
    {"kind", JV_STRING, JV_REQUIRED, "政策类型", .max = 40},
    {"org_id", JV_INT, JV_REQUIRED, "发布组织", .min = 1, .max = INT64_MAX},
    {"effective_from", JV_DATE, JV_REQUIRED, "生效日期"},
    {"params", JV_OBJECT, JV_REQUIRED, "政策参数"},
    {"note", JV_STRING, 0, "说明", .max = 200},
    {0},
};

int policy_set_body(gh_ctx *x, const json_t *b, json_t **out, gh_err *e)
{
    int rc = jv_check(b, policy_request_fields, e);
    if (rc) return rc;
    return policy_set(x, jv_str(b, "kind"), jv_int(b, "org_id", 0), jv_str(b, "effective_from"),
                      json_object_get(b, "params"), jv_str(b, "note"), out, e);
}

int policy_preview_body(gh_ctx *x, const json_t *b, json_t **out, gh_err *e)
{
    int rc = jv_check(b, policy_request_fields, e);
    if (rc) return rc;
    return policy_preview(x, jv_str(b, "kind"), jv_int(b, "org_id", 0), jv_str(b, "effective_from"),
                          json_object_get(b, "params"), out, e);
}

int policy_effective_q(gh_ctx *x, const policy_effective_query *q, json_t **out, gh_err *e)
{
    if (!q->kind || !*q->kind) return err_set(e, ERR_INVALID, "missing_field", "kind", "请指定政策类型");
    return policy_effective(x, q->kind, q->org_id, q->on, out, e);
}

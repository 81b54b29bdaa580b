/* user.c — staff accounts; rules in user.h. */
#include "domain/auth/user.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "domain/core/audit.h"
#include "domain/auth/auth.h"
#include "domain/auth/auth_internal.h"
#include "domain/core/list.h"
#include "domain/core/module.h"
#include "domain/enterprise/enterprise.h"
#include "domain/org/org.h"

static const char *const staff_roles[] = {"officer", "auditor", "admin", "provider", "bank",
                                          "enterprise", NULL};
static const char *const statuses[] = {"active", "disabled", NULL};

json_t *user_duties_json(unsigned duties)
{
    json_t *a = json_array();
    for (unsigned b = 0; b < 32; b++) {
        const gh_duty *d = (duties & (1u << b)) ? module_duty(1u << b) : NULL;
        if (d) json_array_append_new(a, json_string(d->name));
    }
    return a;
}

int user_duties_parse(const json_t *arr, unsigned *out, gh_err *e)
{
    *out = 0;
    size_t i;
    json_t *v;
    if (!arr) return 0;
    json_array_foreach(arr, i, v) {
        unsigned bit = module_duty_bit(json_string_value(v));
        if (!bit) return err_set(e, ERR_INVALID, "invalid_choice", "duties", "职责取值无效");
        *out |= bit;
    }
    return 0;
}

static const jv_field create_fields[] = {
    {"login", JV_STRING, JV_REQUIRED, "用户名", .max = 32},
    {"display_name", JV_STRING, JV_REQUIRED, "姓名", .max = 50},
    {"role", JV_ENUM, JV_REQUIRED, "角色", .choices = staff_roles},
    {"duties", JV_ENUMS, 0, "职责", .choices_fn = module_duty_names},
    {"org_id", JV_INT, JV_NULLABLE, "所属组织", .min = 1, .max = INT64_MAX},
    {"provider_id", JV_INT, JV_NULLABLE, "服务机构", .min = 1, .max = INT64_MAX},
    {"enterprise_id", JV_INT, JV_NULLABLE, "企业", .min = 1, .max = INT64_MAX},
    {"password", JV_STRING, JV_REQUIRED, "初始密码", .max = 128},
    {0},
};

static const jv_field update_fields[] = {
    {"display_name", JV_STRING, 0, "姓名", .max = 50},
    {"duties", JV_ENUMS, 0, "职责", .choices_fn = module_duty_names},
    {"status", JV_ENUM, 0, "状态", .choices = statuses},
    {0},
};

/* the export's words for the codes (as the pages show them) */
static const char *const words_roles[] = {"member", "会员", "officer", "工会工作人员", "provider", "服务机构", "bank", "合作银行", "auditor", "审计员", "admin", "系统管理员", "enterprise", "企业", "system", "系统", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_user_status[] = {"active", "正常", "disabled", "已停用", NULL};

static const list_col user_cols[] = {
    {"id", "u.id", COL_INT, "编号"},
    {"login", "u.login", COL_STR, "登录名"},
    {"display_name", "u.display_name", COL_STR, "姓名"},
    {"role", "u.role", COL_STR, "角色", words_roles},
    {"duties", "u.duties", COL_INT},
    {"org_id", "u.org_id", COL_INT_NULL},
    {"org_name", "o.name", COL_STR, "所属组织"},
    {"status", "u.status", COL_STR, "状态", words_user_status},
    {"locked", "COALESCE((SELECT b.until_ms FROM rate_backoff b WHERE b.key = 'login:u' || CAST(u.id AS TEXT)), 0)", COL_INT,
     "已锁定"},
    {"last_login_at", "u.last_login_at", COL_STR, "最近登录"},
    {"created_at", "u.created_at", COL_STR, "创建时间"},
    {"member_id", "u.member_id", COL_INT_NULL},
    {"provider_id", "u.provider_id", COL_INT_NULL},
    {"enterprise_id", "u.enterprise_id", COL_INT_NULL},
    {"totp", "(SELECT COUNT(*) FROM user_totp t WHERE t.user_id = u.id AND t.confirmed = 1)", COL_BOOL, "两步验证"},
    {0},
};

/* A member's mobile log-in is not shown; duties as names; locked as now. */
static void user_post(json_t *o, void *arg)
{
    (void)arg;
    const char *login = json_string_value(json_object_get(o, "login"));
    int role = role_parse(json_string_value(json_object_get(o, "role")));
    if (login && strncmp(login, "mobile:", 7) == 0) json_object_set_new(o, "login", json_string(""));
    unsigned duties = (unsigned)json_integer_value(json_object_get(o, "duties"));
    json_object_set_new(o, "duties", user_duties_json(role == ROLE_OFFICER ? duties : 0));
    json_object_set_new(o, "locked", json_boolean(json_integer_value(json_object_get(o, "locked")) > ts_now_ms()));
}

static const list_filter user_filters[] = {
    {FILTER_LIKE, offsetof(user_query, q), "u.login LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\'", "q", "搜索"},
    {FILTER_CHOICE, offsetof(user_query, role), "u.role = ?", "role", "角色", staff_roles},
    {0},
};

static const list_spec user_spec = {user_cols, user_filters, user_post, "账号"};

static int blank(const char *s)
{
    while (*s == ' ') s++;
    return *s == '\0';
}

static int can_manage(const gh_actor *a) { return actor_has_duty(a, DUTY_ORG); }

/* Load a user in scope: admins see all, officers the accounts of their
 * subtree. Fills role and org path. */
static int load_scoped(gh_ctx *x, int64_t id, json_t **out, char role[16], gh_err *e)
{
    const gh_actor *a = x->actor;
    char path[GH_PATH_MAX];
    json_t *o = NULL;
    int rc = list_one(x->db, &user_spec, NULL, "o.path", "users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = $1",
                      SV_ARGS(SV_I(id)), &o, path, e);
    if (rc == 0 && !(a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM ||
                     (actor_is_staff(a) && *path && actor_in_scope(a, path))))
        rc = ERR_NOT_FOUND;
    if (rc == ERR_NOT_FOUND) rc = err_set(e, ERR_NOT_FOUND, "user_not_found", "id", "用户不存在");
    if (rc == 0 && role) snprintf(role, 16, "%s", json_string_value(json_object_get(o, "role")));
    if (rc == 0 && out) *out = o;
    else json_decref(o);
    return rc;
}

static int login_ok(const char *login, gh_err *e)
{
    size_t n = strlen(login);
    if (n < 3 || n > 32 || !islower((unsigned char)login[0]))
        return err_set(e, ERR_INVALID, "invalid_login", "login",
                       "用户名为 3 到 32 位，以小写字母开头，只含小写字母、数字和 . _ -");
    for (const char *p = login; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && !strchr("._-", *p))
            return err_set(e, ERR_INVALID, "invalid_login", "login",
                           "用户名为 3 到 32 位，以小写字母开头，只含小写字母、数字和 . _ -");
    return 0;
}

typedef struct create_ctx {
    gh_ctx *x;
    const json_t *body;
    unsigned duties;
    const char *hash;
    int64_t id;
} create_ctx;

static int create_tx(store_conn *db, void *p, gh_err *e)
{
    create_ctx *c = p;
    const json_t *b = c->body;
    char ts[32];
    ts_now(ts);
    int64_t exists = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM users WHERE login = $1",
                           SV_ARGS(SV_T(jv_str(b, "login"))), &exists, e);
    if (rc) return rc;
    if (exists) return err_set(e, ERR_CONFLICT, "login_taken", "login", "用户名“%s”已被使用", jv_str(b, "login"));
    store_res r;
    rc = store_query(db, &r,
        "INSERT INTO users (login, display_name, role, duties, org_id, provider_id, enterprise_id,"
        " password_hash, password_changed_at, created_at, updated_at)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,$9) RETURNING id",
        SV_ARGS(SV_T(jv_str(b, "login")), SV_T(jv_str(b, "display_name")), SV_T(jv_str(b, "role")),
                SV_I(c->duties), SV_IZ(jv_int(b, "org_id", 0)), SV_IZ(jv_int(b, "provider_id", 0)),
                SV_IZ(jv_int(b, "enterprise_id", 0)), SV_T(c->hash), SV_T(ts)),
        e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) c->id = store_int(&r, 0);
    store_done(&r);
    if (rc < 0) return rc;
    json_t *d = json_pack("{s:s, s:s, s:o}", "login", jv_str(b, "login"), "role", jv_str(b, "role"),
                          "duties", user_duties_json(c->duties));
    rc = audit_record(c->x, "user.create", "user", c->id, jv_int(b, "org_id", 0), "ok", d, e);
    json_decref(d);
    return rc;
}

int user_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!can_manage(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有管理账号的权限");
    int rc = jv_check(body, create_fields, e);
    if (rc) return rc;
    const char *login = jv_str(body, "login"), *role = jv_str(body, "role");
    if (blank(jv_str(body, "display_name")))
        return err_set(e, ERR_INVALID, "missing_field", "display_name", "“姓名”不能为空");
    rc = login_ok(login, e);
    if (rc) return rc;
    int admin = a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM;
    int ent = strcmp(role, "enterprise") == 0;
    if (!admin && strcmp(role, "officer") != 0 && strcmp(role, "auditor") != 0 && !ent)
        return err_set(e, ERR_FORBIDDEN, "forbidden", "role", "只能创建工作人员、审计员或企业账号");
    unsigned duties = 0;
    rc = user_duties_parse(json_object_get(body, "duties"), &duties, e);
    if (rc) return rc;
    if (strcmp(role, "officer") != 0) duties = 0;
    if (!admin && (duties & ~a->duties))
        return err_set(e, ERR_FORBIDDEN, "duty_escalation", "duties", "不能授予自己没有的职责");
    int64_t org = jv_int(body, "org_id", 0);
    if (strcmp(role, "officer") == 0 || strcmp(role, "auditor") == 0) {
        if (!org) return err_set(e, ERR_INVALID, "missing_field", "org_id", "工作人员须指定所属组织");
    }
    if (org) {
        char path[GH_PATH_MAX];
        rc = org_scope_path(x, org, path, e);
        if (rc) return rc;
    }
    if (strcmp(role, "provider") == 0 && !jv_int(body, "provider_id", 0))
        return err_set(e, ERR_INVALID, "missing_field", "provider_id", "服务机构账号须指定服务机构");
    if (ent && !jv_int(body, "enterprise_id", 0))
        return err_set(e, ERR_INVALID, "missing_field", "enterprise_id", "企业账号须指定企业");
    /* An enterprise account for an enterprise the creator may see: finance
     * staff of its union or above (an admin sees every one). */
    if (ent && (rc = enterprise_scoped(x, jv_int(body, "enterprise_id", 0), NULL, NULL, e)) != 0) {
        if (e && rc == ERR_NOT_FOUND) snprintf(e->field, sizeof e->field, "enterprise_id");
        return rc;
    }
    rc = auth_password_ok(jv_str(body, "password"), login, e);
    if (rc) return rc;
    char hash[128];
    rc = crypto_password_hash(jv_str(body, "password"), hash, e);
    if (rc) return rc;
    create_ctx c = {x, body, duties, hash, 0};
    rc = store_tx(x->db, STORE_WRITE, create_tx, &c, e);
    if (rc) return rc;
    return load_scoped(x, c.id, out, NULL, e);
}

int user_list(gh_ctx *x, const user_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看账号的权限");
    scope_range sr;
    int rc = scope_range_of(x, q->org_id, &sr, e);
    if (rc) return rc;
    sqlw w;
    sqlw_init(&w, "users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.role <> 'member'", SV_NONE);
    if ((a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM) || q->org_id)
        SQLW_AND(&w, "o.path >= ? AND o.path < ?", SV_T(sr.lo), SV_T(sr.hi));
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    return list_query(x, &user_spec, q, &w, "u.id", &pg, NULL, out, e);
}

int user_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    if (!actor_is_staff(x->actor)) {
        if (x->actor->user_id != id) return err_set(e, ERR_NOT_FOUND, "user_not_found", "id", "用户不存在");
        gh_actor self = *x->actor;
        self.role = ROLE_SYSTEM; /* one may always read one's own account */
        gh_ctx cx = *x;
        cx.actor = &self;
        return load_scoped(&cx, id, out, NULL, e);
    }
    return load_scoped(x, id, out, NULL, e);
}

typedef struct update_ctx {
    gh_ctx *x;
    int64_t id;
    const json_t *body;
    unsigned duties;
    int set_duties;
} update_ctx;

static int update_tx(store_conn *db, void *p, gh_err *e)
{
    update_ctx *c = p;
    const json_t *b = c->body;
    char ts[32];
    ts_now(ts);
    int rc = store_exec(db,
        "UPDATE users SET display_name = COALESCE($2, display_name),"
        " duties = CASE WHEN $3 = 1 THEN $4 ELSE duties END,"
        " status = COALESCE($5, status), updated_at = $6 WHERE id = $1",
        SV_ARGS(SV_I(c->id), SV_T(jv_str(b, "display_name")), SV_I(c->set_duties), SV_I(c->duties),
                SV_T(jv_str(b, "status")), SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    const char *st = jv_str(b, "status");
    if (st && strcmp(st, "disabled") == 0) {
        rc = store_exec(db, "UPDATE sessions SET revoked = 1 WHERE user_id = $1", SV_ARGS(SV_I(c->id)), NULL, e);
        if (rc) return rc;
    }
    int64_t org = 0;
    store_get_int(db, "SELECT COALESCE(org_id, 0) FROM users WHERE id = $1", SV_ARGS(SV_I(c->id)), &org, NULL);
    return audit_record(c->x, "user.update", "user", c->id, org, "ok", b, e);
}

int user_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!can_manage(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有管理账号的权限");
    int rc = jv_check_partial(body, update_fields, e);
    if (rc) return rc;
    if (jv_str(body, "display_name") && blank(jv_str(body, "display_name")))
        return err_set(e, ERR_INVALID, "missing_field", "display_name", "“姓名”不能为空");
    char role[16];
    rc = load_scoped(x, id, NULL, role, e);
    if (rc) return rc;
    if (id == a->user_id && (jv_has(body, "duties") || jv_has(body, "status")))
        return err_set(e, ERR_FORBIDDEN, "self_change", NULL, "不能修改自己的职责或状态");
    int admin = a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM;
    if (!admin && strcmp(role, "officer") != 0 && strcmp(role, "auditor") != 0)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只能管理工作人员或审计员账号");
    update_ctx c = {x, id, body, 0, 0};
    if (jv_has(body, "duties")) {
        rc = user_duties_parse(json_object_get(body, "duties"), &c.duties, e);
        if (rc) return rc;
        if (!admin && (c.duties & ~a->duties))
            return err_set(e, ERR_FORBIDDEN, "duty_escalation", "duties", "不能授予自己没有的职责");
        c.set_duties = 1;
    }
    rc = store_tx(x->db, STORE_WRITE, update_tx, &c, e);
    if (rc) return rc;
    return load_scoped(x, id, out, NULL, e);
}

typedef struct reset_ctx {
    gh_ctx *x;
    int64_t id;
    const char *hash;
} reset_ctx;

static int reset_tx(store_conn *db, void *p, gh_err *e)
{
    reset_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int rc = store_exec(db,
        "UPDATE users SET password_hash = $2, password_changed_at = $3, failed_count = 0,"
        " locked_until_ms = 0, updated_at = $3 WHERE id = $1",
        SV_ARGS(SV_I(c->id), SV_T(c->hash), SV_T(ts)), NULL, e);
    if (rc) return rc;
    rc = store_exec(db, "UPDATE sessions SET revoked = 1 WHERE user_id = $1", SV_ARGS(SV_I(c->id)), NULL, e);
    if (rc) return rc;
    /* A new password unlocks: the failures counted against it are forgotten. */
    rc = auth_throttle_forget(db, c->id, e);
    if (rc) return rc;
    int64_t org = 0;
    store_get_int(db, "SELECT COALESCE(org_id, 0) FROM users WHERE id = $1", SV_ARGS(SV_I(c->id)), &org, NULL);
    return audit_record(c->x, "user.password_reset", "user", c->id, org, "ok", NULL, e);
}

int user_reset_password(gh_ctx *x, int64_t id, const char *password, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!can_manage(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有管理账号的权限");
    char role[16];
    json_t *u = NULL;
    int rc = load_scoped(x, id, &u, role, e);
    if (rc) return rc;
    char login[64];
    snprintf(login, sizeof login, "%s", json_string_value(json_object_get(u, "login")));
    json_decref(u);
    if (id == a->user_id)
        return err_set(e, ERR_FORBIDDEN, "self_change", NULL, "请通过“修改密码”修改自己的密码");
    rc = auth_password_ok(password ? password : "", login, e);
    if (rc) return rc;
    char hash[128];
    rc = crypto_password_hash(password, hash, e);
    if (rc) return rc;
    reset_ctx c = {x, id, hash};
    return store_tx(x->db, STORE_WRITE, reset_tx, &c, e);
}

const jv_field user_reset_fields[] = {
    {"password", JV_STRING, JV_REQUIRED, "新密码", .max = 128},
    {0},
};

int user_reset_password_body(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    int rc = jv_check(body, user_reset_fields, e);
    if (rc) return rc;
    (void)out;
    return user_reset_password(x, id, jv_str(body, "password"), e);
}

typedef struct totp_reset_ctx {
    gh_ctx *x;
    int64_t id;
    const char *reason;
} totp_reset_ctx;

static int totp_reset_tx(store_conn *db, void *p, gh_err *e)
{
    totp_reset_ctx *c = p;
    int64_t had = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM user_totp WHERE user_id = $1", SV_ARGS(SV_I(c->id)), &had, e);
    if (rc) return rc;
    if (!had) return err_set(e, ERR_CONFLICT, "totp_not_enabled", NULL, "该账号没有开启两步验证");
    rc = auth_totp_remove(db, c->id, e);
    if (rc == 0) rc = auth_throttle_forget(db, c->id, e);
    if (rc) return rc;
    int64_t org = 0;
    store_get_int(db, "SELECT COALESCE(org_id, 0) FROM users WHERE id = $1", SV_ARGS(SV_I(c->id)), &org, NULL);
    json_t *d = json_pack("{s:s}", "reason", c->reason);
    rc = audit_record(c->x, "user.totp_reset", "user", c->id, org, "ok", d, e);
    json_decref(d);
    return rc;
}

int user_reset_totp(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!can_manage(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有管理账号的权限");
    if (!reason || !*reason) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写重置的原因");
    char role[16];
    int rc = load_scoped(x, id, NULL, role, e);
    if (rc) return rc;
    if (id == a->user_id)
        return err_set(e, ERR_FORBIDDEN, "self_change", NULL, "不能重置自己的两步验证，请在“账号安全”中用验证码关闭");
    int admin = a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM;
    if (!admin && strcmp(role, "officer") != 0 && strcmp(role, "auditor") != 0)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只能管理工作人员或审计员账号");
    totp_reset_ctx c = {x, id, reason};
    rc = store_tx(x->db, STORE_WRITE, totp_reset_tx, &c, e);
    if (rc) return rc;
    return load_scoped(x, id, out, NULL, e);
}

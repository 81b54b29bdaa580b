/* joinreq.c — online join applications; rules in joinreq.h. */
#include "domain/member/joinreq.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/core/notice.h"
#include "domain/auth/auth.h"
#include "domain/core/list.h"
#include "domain/member/member.h"
#include "domain/org/org.h"
#include "domain/core/ratelimit.h"

/* Tracking codes: ten characters from an alphabet without the ones people
 * confuse (0/O, 1/I/L, U/V), shown as two groups of five ("K7M2Q-9XHPT"),
 * read back whatever the case and with or without the hyphen and spaces.
 * 29^10 ≈ 2^48 codes; lookups are rate-limited. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTWXYZ";

void join_code_new(char shown[JOIN_CODE_BUF], char plain[JOIN_CODE_LEN + 1])
{
    const size_t n = sizeof code_alphabet - 1;
    for (int i = 0; i < JOIN_CODE_LEN; i++) {
        unsigned char b;
        do crypto_random(&b, 1); /* rejection sampling: no bias */
        while (b >= 256 - 256 % n);
        plain[i] = code_alphabet[b % n];
    }
    plain[JOIN_CODE_LEN] = '\0';
    snprintf(shown, JOIN_CODE_BUF, "%.5s-%.5s", plain, plain + 5);
}

int join_code_normal(const char *typed, char plain[JOIN_CODE_BUF])
{
    size_t n = 0;
    for (const char *p = typed; *p; p++) {
        if (*p == '-' || *p == ' ') continue;
        if (n + 1 >= JOIN_CODE_BUF) return -1;
        plain[n++] = (char)toupper((unsigned char)*p);
    }
    plain[n] = '\0';
    return n ? 0 : -1;
}

static const jv_field submit_fields[] = {
    {"name", JV_STRING, JV_REQUIRED, "姓名", .max = 50},
    {"id_number", JV_STRING, JV_REQUIRED, "身份证号", .max = 18},
    {"mobile", JV_STRING, JV_REQUIRED, "手机号", .max = 20},
    {"employment_form", JV_ENUM, JV_REQUIRED, "就业形态", .choices = member_forms},
    {"employer", JV_STRING, 0, "工作单位或平台", .max = 100},
    {"city", JV_STRING, 0, "所在城市", .max = 50},
    {"org_id", JV_INT, JV_REQUIRED, "申请加入的工会", .min = 1, .max = INT64_MAX},
    {"password", JV_STRING, JV_REQUIRED, "登录密码", .max = 128},
    {0},
};

static const jv_field approve_fields[] = {
    {"card_no", JV_STRING, JV_NULLABLE, "会员证号", .max = 32},
    {0},
};

typedef struct submit_ctx {
    gh_ctx *x;
    member_rec rec;
    const json_t *body;
    char pw_hash[128];
    char track_hash[65];
    int64_t id;
} submit_ctx;

static int submit_tx(store_conn *db, void *p, gh_err *e)
{
    submit_ctx *c = p;
    int64_t n = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM members WHERE id_hash = $1 AND status = 'active'",
                           SV_ARGS(SV_T(c->rec.id_hash)), &n, e);
    if (rc) return rc;
    if (n) return err_set(e, ERR_CONFLICT, "already_member", "id_number", "您已经是工会会员，无需重复申请");
    rc = store_get_int(db, "SELECT COUNT(*) FROM join_requests WHERE id_hash = $1 AND status = 'pending'",
                       SV_ARGS(SV_T(c->rec.id_hash)), &n, e);
    if (rc) return rc;
    if (n)
        return err_set(e, ERR_CONFLICT, "duplicate_request", "id_number", "您已有一份入会申请正在审核中，请勿重复提交");
    char *id_sealed = NULL, *m_sealed = NULL, ts[32];
    rc = crypto_seal(c->x->cfg->data_key, c->rec.id18, &id_sealed, e);
    if (rc == 0) rc = crypto_seal(c->x->cfg->data_key, c->rec.mobile, &m_sealed, e);
    ts_now(ts);
    store_res q;
    if (rc == 0)
        rc = store_query(db, &q,
            "INSERT INTO join_requests (org_id, name, gender, birth_year, id_hash, id_sealed, id_mask,"
            " mobile_hash, mobile_sealed, mobile_mask, employment_form, employer, city, password_hash,"
            " track_hash, status, client, created_at)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,'pending',$16,$17) RETURNING id",
            SV_ARGS(SV_I(c->rec.org_id), SV_T(c->rec.name), SV_T(c->rec.gender), SV_I(c->rec.birth_year),
                    SV_T(c->rec.id_hash), SV_T(id_sealed), SV_T(c->rec.id_mask), SV_T(c->rec.mobile_hash),
                    SV_T(m_sealed), SV_T(c->rec.mobile_mask), SV_T(c->rec.form),
                    SV_T(c->rec.employer[0] ? c->rec.employer : NULL), SV_T(jv_str(c->body, "city")),
                    SV_T(c->pw_hash), SV_T(c->track_hash), SV_T(c->x->actor->client), SV_T(ts)),
            e);
    free(id_sealed);
    free(m_sealed);
    if (rc) return rc;
    if ((rc = store_next(&q, e)) > 0) c->id = store_int(&q, 0);
    store_done(&q);
    if (rc < 0) return rc;
    json_t *d = json_pack("{s:s, s:s}", "name", c->rec.name, "id_number", c->rec.id_mask);
    rc = audit_record(c->x, "join.submit", "join_request", c->id, c->rec.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int join_submit(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    int rc = jv_check(body, submit_fields, e);
    if (rc) return rc;
    submit_ctx c = {.x = x, .body = body};
    /* Reuse the member checks: same fields, same words. */
    json_t *m = json_pack("{s:O, s:O, s:O, s:O, s:O}", "name", json_object_get(body, "name"), "id_number",
                          json_object_get(body, "id_number"), "mobile", json_object_get(body, "mobile"),
                          "employment_form", json_object_get(body, "employment_form"), "org_id",
                          json_object_get(body, "org_id"));
    if (jv_str(body, "employer")) json_object_set(m, "employer", json_object_get(body, "employer"));
    rc = member_rec_from_json(x->cfg, m, &c.rec, e);
    json_decref(m);
    if (rc) return rc;
    rc = auth_password_ok(jv_str(body, "password"), NULL, e);
    if (rc) return rc;
    char path[GH_PATH_MAX];
    rc = member_org_check(x->db, c.rec.org_id, c.rec.form, path, e);
    if (rc) return rc;
    /* Public form: a few applications per address per hour, shared by every
     * server process. */
    char key[120];
    snprintf(key, sizeof key, "join:%s", x->actor->client);
    rc = ratelimit_hit(x->db, key, 20, 3600, e);
    if (rc) return rc;
    rc = crypto_password_hash(jv_str(body, "password"), c.pw_hash, e);
    if (rc) return rc;
    char code[JOIN_CODE_BUF], plain[JOIN_CODE_LEN + 1];
    join_code_new(code, plain);
    crypto_sha256_hex(plain, strlen(plain), c.track_hash);
    rc = store_tx(x->db, STORE_WRITE, submit_tx, &c, e);
    if (rc) return rc;
    json_t *org = NULL;
    gh_actor sys;
    actor_system(&sys);
    gh_ctx sx = *x;
    sx.actor = &sys;
    org_get(&sx, c.rec.org_id, &org, NULL);
    *out = json_pack("{s:s, s:s, s:s, s:s}", "tracking_code", code, "status",
                     "pending", "org_name", org ? json_string_value(json_object_get(org, "name")) : "",
                     "message", "申请已提交，请保存查询码，用于查询审核进度");
    json_decref(org);
    return 0;
}

/* The status of the request whose track_hash, or whose person's keys, match. */
static int status_where(gh_ctx *x, const char *where, const store_val *args, int nargs, json_t **out, gh_err *e)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT j.status, j.reason, o.name, j.created_at, j.decided_at, j.name FROM join_requests j"
             " JOIN orgs o ON o.id = j.org_id WHERE %s ORDER BY j.id DESC LIMIT 1", where);
    store_res q;
    int rc = store_query(x->db, &q, sql, args, nargs, e);
    if (rc) return rc;
    if ((rc = store_next(&q, e)) > 0) {
        char masked[160];
        mask_name(store_text(&q, 5), masked, sizeof masked);
        *out = json_pack("{s:s, s:s?, s:s, s:s, s:s?, s:s}", "status", store_text(&q, 0), "reason",
                         store_text(&q, 1), "org_name", store_text(&q, 2), "submitted_at", store_text(&q, 3),
                         "decided_at", store_text(&q, 4), "name", masked);
        rc = 0;
    } else if (rc == 0) {
        rc = ERR_NOT_FOUND;
    }
    store_done(&q);
    return rc;
}

int join_status(gh_ctx *x, const char *code, json_t **out, gh_err *e)
{
    char plain[JOIN_CODE_BUF];
    if (!code || !*code || strlen(code) > 64 || join_code_normal(code, plain))
        return err_set(e, ERR_NOT_FOUND, "request_not_found", "code", "查询码无效");
    char h[65], legacy[65];
    crypto_sha256_hex(plain, strlen(plain), h);
    /* codes given out before the short ones were hashed as typed */
    crypto_sha256_hex(code, strlen(code), legacy);
    int rc = status_where(x, "j.track_hash IN ($1, $2)", SV_ARGS(SV_T(h), SV_T(legacy)), out, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "request_not_found", "code", "未找到该查询码对应的申请");
    return rc;
}

/* An applicant who lost the code asks with their ID number and mobile: the
 * newest request of that person. Rate-limited per address, like the form. */
static int status_by_person(gh_ctx *x, const char *id_number, const char *mobile, json_t **out, gh_err *e)
{
    char key[120];
    snprintf(key, sizeof key, "join-status:%s", x->actor->client);
    int rc = ratelimit_hit(x->db, key, 30, 3600, e);
    if (rc) return rc;
    char idh[65], mh[65];
    if ((rc = member_key_hashes(x->cfg, id_number, mobile, idh, mh, e))) return rc;
    rc = status_where(x, "j.id_hash = $1 AND j.mobile_hash = $2", SV_ARGS(SV_T(idh), SV_T(mh)), out, e);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, "request_not_found", NULL, "没有找到与该身份证号和手机号对应的入会申请");
    return rc;
}

/* the export's words for the codes (as the pages show them) */
static const char *const words_employment_forms[] = {"employee", "职工", "courier", "快递员", "food_delivery", "外卖送餐员", "ride_hailing", "网约车司机", "truck_driver", "货车司机", "domestic", "家政服务员", "other_new", "其他新就业形态", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_join_status[] = {"pending", "待审核", "approved", "已通过", "rejected", "未通过", NULL};

static const list_col join_cols[] = {
    {"id", "j.id", COL_INT, "编号"},
    {"org_id", "j.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "申请加入的工会"},
    {"name", "j.name", COL_STR, "姓名"},
    {"gender", "j.gender", COL_STR, "性别"},
    {"birth_year", "j.birth_year", COL_INT, "出生年份"},
    {"id_number_masked", "j.id_mask", COL_STR, "身份证号"},
    {"mobile_masked", "j.mobile_mask", COL_STR, "手机号"},
    {"employment_form", "j.employment_form", COL_STR, "就业形态", words_employment_forms},
    {"employer", "j.employer", COL_STR, "工作单位"},
    {"city", "j.city", COL_STR, "所在城市"},
    {"status", "j.status", COL_STR, "状态", words_join_status},
    {"reason", "j.reason", COL_STR, "不予批准理由"},
    {"member_id", "j.member_id", COL_INT_NULL, "会员编号"},
    {"created_at", "j.created_at", COL_STR, "申请时间"},
    {"decided_at", "j.decided_at", COL_STR, "办理时间"},
    {0},
};

static const list_spec join_spec = {join_cols, .title = "入会申请", .audit = "join.export"};

int join_list(gh_ctx *x, const join_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看入会申请的权限");
    scope_range sr;
    int src = scope_range_of(x, q->org_id, &sr, e);
    if (src) return src;
    const char *st = q->status && *q->status ? q->status : "pending";
    if (strcmp(st, "all") && strcmp(st, "pending") && strcmp(st, "approved") && strcmp(st, "rejected"))
        return err_set(e, ERR_INVALID, "invalid_query", "status", "状态应为 pending、approved、rejected 或 all");
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, "join_requests j JOIN orgs o ON o.id = j.org_id WHERE o.path >= ? AND o.path < ?",
              SV_ARGS(SV_T(sr.lo), SV_T(sr.hi)));
    if (strcmp(st, "all")) SQLW_AND(&w, "j.status = ?", SV_T(st));
    return list_query(x, &join_spec, q, &w, "j.id", &pg, NULL, out, e);
}

/* Load a request in scope. */
static int scoped(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    char path[GH_PATH_MAX];
    json_t *o = NULL;
    int rc = actor_is_staff(x->actor)
                 ? list_one(x->db, &join_spec, NULL, "o.path", "join_requests j JOIN orgs o ON o.id = j.org_id WHERE j.id = $1",
                            SV_ARGS(SV_I(id)), &o, path, e)
                 : ERR_NOT_FOUND;
    if (rc == 0 && !actor_in_scope(x->actor, path)) rc = ERR_NOT_FOUND;
    if (rc == ERR_NOT_FOUND) rc = err_set(e, ERR_NOT_FOUND, "request_not_found", "id", "入会申请不存在");
    if (rc == 0 && out) *out = o;
    else json_decref(o);
    return rc;
}

int join_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return scoped(x, id, out, e); }

typedef struct decide_ctx {
    gh_ctx *x;
    int64_t id;
    const char *card_no;
    const char *reason;
    int64_t member_id;
} decide_ctx;

static int approve_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *c = p;
    member_rec rec;
    memset(&rec, 0, sizeof rec);
    char id_sealed[512] = "", m_sealed[512] = "", pw[160] = "", status[16] = "";
    store_res q;
    int rc = store_query(db, &q,
        "SELECT status, org_id, name, gender, birth_year, id_hash, id_sealed, id_mask, mobile_hash,"
        " mobile_sealed, mobile_mask, employment_form, employer, password_hash FROM join_requests WHERE id = $1",
        SV_ARGS(SV_I(c->id)), e);
    if (rc) return rc;
    if ((rc = store_next(&q, e)) > 0) {
        snprintf(status, sizeof status, "%s", store_text(&q, 0));
        rec.org_id = store_int(&q, 1);
        snprintf(rec.name, sizeof rec.name, "%s", store_text(&q, 2));
        snprintf(rec.gender, sizeof rec.gender, "%s", store_text(&q, 3));
        rec.birth_year = (int)store_int(&q, 4);
        snprintf(id_sealed, sizeof id_sealed, "%s", store_text(&q, 6));
        snprintf(m_sealed, sizeof m_sealed, "%s", store_text(&q, 9));
        snprintf(rec.form, sizeof rec.form, "%s", store_text(&q, 11));
        snprintf(rec.employer, sizeof rec.employer, "%s", store_text(&q, 12) ? store_text(&q, 12) : "");
        snprintf(pw, sizeof pw, "%s", store_text(&q, 13));
        rc = 0;
    }
    store_done(&q);
    if (rc < 0) return rc;
    if (strcmp(status, "pending") != 0)
        return err_set(e, ERR_CONFLICT, "request_decided", "id", "该申请已处理，不能重复审批");
    char *id18 = NULL, *mobile = NULL;
    rc = crypto_open(c->x->cfg->data_key, id_sealed, &id18, e);
    if (rc == 0) rc = crypto_open(c->x->cfg->data_key, m_sealed, &mobile, e);
    if (rc == 0) {
        /* Rebuild through the same checks as any new member. */
        json_t *b = json_pack("{s:s, s:s, s:s, s:I, s:s}", "name", rec.name, "id_number", id18, "mobile", mobile,
                              "org_id", (json_int_t)rec.org_id, "employment_form", rec.form);
        if (rec.employer[0]) json_object_set_new(b, "employer", json_string(rec.employer));
        if (c->card_no && *c->card_no) json_object_set_new(b, "card_no", json_string(c->card_no));
        rc = member_rec_from_json(c->x->cfg, b, &rec, e);
        json_decref(b);
    }
    free(id18);
    free(mobile);
    if (rc) return rc;
    rc = member_insert(c->x, &rec, "joined", &c->member_id, e);
    if (rc == 0) rc = member_create_account(c->x, c->member_id, &rec, pw, e);
    if (rc) return rc;
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    rc = store_exec(db,
        "UPDATE join_requests SET status = 'approved', member_id = $2, decided_by = $3, decided_at = $4,"
        " password_hash = '' WHERE id = $1 AND status = 'pending'",
        SV_ARGS(SV_I(c->id), SV_I(c->member_id), SV_IZ(c->x->actor->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    /* Someone decided it between our read and this write (a concurrent
     * reject on another server): our member and account roll back. */
    if (changed != 1) return err_set(e, ERR_CONFLICT, "request_decided", "id", "该申请已处理，不能重复审批");
    char body[300];
    snprintf(body, sizeof body, "欢迎加入工会！您已成为会员，可用手机号和申请时设置的密码登录，查看会员服务。");
    notice_msg m = {.member_id = c->member_id, .kind = "join_approved", .title = "入会申请已通过", .body = body,
                    .link = "/m/", .ref_type = "join_request", .ref_id = c->id, .sms = 1};
    rc = notice_send(db, c->x->cfg, &m, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I}", "member_id", (json_int_t)c->member_id);
    rc = audit_record(c->x, "join.approve", "join_request", c->id, rec.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int join_approve(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_MEMBERSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有会员管理职责");
    int rc = body ? jv_check(body, approve_fields, e) : 0;
    if (rc) return rc;
    rc = scoped(x, id, NULL, e);
    if (rc) return rc;
    decide_ctx c = {x, id, body ? jv_str(body, "card_no") : NULL, NULL, 0};
    rc = store_tx(x->db, STORE_WRITE, approve_tx, &c, e);
    if (rc) return rc;
    return scoped(x, id, out, e);
}

static int reject_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int64_t changed = 0, org = 0;
    int rc = store_exec(db,
        "UPDATE join_requests SET status = 'rejected', reason = $2, decided_by = $3, decided_at = $4,"
        " password_hash = '' WHERE id = $1 AND status = 'pending'",
        SV_ARGS(SV_I(c->id), SV_T(c->reason), SV_IZ(c->x->actor->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (!changed) return err_set(e, ERR_CONFLICT, "request_decided", "id", "该申请已处理，不能重复审批");
    rc = store_get_int(db, "SELECT org_id FROM join_requests WHERE id = $1", SV_ARGS(SV_I(c->id)), &org, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s}", "reason", c->reason);
    rc = audit_record(c->x, "join.reject", "join_request", c->id, org, "ok", d, e);
    json_decref(d);
    return rc;
}

int join_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_MEMBERSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有会员管理职责");
    if (!reason || utf8_chars(reason) < 2)
        return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写不予通过的原因");
    int rc = scoped(x, id, NULL, e);
    if (rc) return rc;
    decide_ctx c = {x, id, NULL, reason, 0};
    rc = store_tx(x->db, STORE_WRITE, reject_tx, &c, e);
    if (rc) return rc;
    return scoped(x, id, out, e);
}

const jv_field join_status_fields[] = {
    {"code", JV_STRING, 0, "查询码", .max = 64},
    {"id_number", JV_STRING, 0, "身份证号", .max = 18},
    {"mobile", JV_STRING, 0, "手机号", .max = 20},
    {0},
};

int join_status_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    int rc = jv_check(body, join_status_fields, e);
    if (rc) return rc;
    const char *code = jv_str(body, "code");
    if (code && *code) return join_status(x, code, out, e);
    if (jv_str(body, "id_number") || jv_str(body, "mobile"))
        return status_by_person(x, jv_str(body, "id_number"), jv_str(body, "mobile"), out, e);
    return err_set(e, ERR_INVALID, "missing_field", "code", "请输入查询码，或身份证号和手机号");
}

/* member_reset.c — a member resets a forgotten password without asking the
 * union (忘记密码): the ID number and mobile on record, then a 6-digit code
 * sent to that mobile by text message. Rules in member.h. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/valid.h"
#include "domain/auth/auth.h"
#include "domain/core/audit.h"
#include "domain/core/notice.h"
#include "domain/core/ratelimit.h"
#include "domain/member/member.h"

#define CODE_TTL_MS (10 * 60 * 1000)
#define CODE_TRIES 5

/* The answer to step 1 whoever asks: it says nothing about whether the ID
 * number and mobile belong to a member with an account. */
#define SENT_MESSAGE "如果身份证号和手机号与工会登记的一致，验证码已通过短信发到该手机，10 分钟内有效。"
/* One refusal for a wrong, expired or used code and for a person who is
 * not a member with an account. */
#define BAD_CODE(e) err_set(e, ERR_INVALID, "reset_code_invalid", "code", "验证码不正确或已失效，请重新获取")

const jv_field member_reset_fields[] = {
    {"id_number", JV_STRING, JV_REQUIRED, "身份证号", .max = 18},
    {"mobile", JV_STRING, JV_REQUIRED, "手机号", .max = 20},
    {0},
};

const jv_field member_reset_confirm_fields[] = {
    {"id_number", JV_STRING, JV_REQUIRED, "身份证号", .max = 18},
    {"mobile", JV_STRING, JV_REQUIRED, "手机号", .max = 20},
    {"code", JV_STRING, JV_REQUIRED, "验证码", .max = 16},
    {"new_password", JV_STRING, JV_REQUIRED, "新密码", .max = 128},
    {0},
};

/* The code's keyed hash, bound to its row (the same code in another row
 * hashes differently). */
static void code_hash(const gh_config *cfg, int64_t reset_id, const char *code, char out[65])
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "reset:%lld:%s", (long long)reset_id, code);
    crypto_keyed_hex(cfg->hash_key, tmp, out);
}

/* The member with this ID number and mobile who has an active member
 * account: *member_id, *user_id and *org_id, or all 0. */
static int find_account(gh_ctx *x, const char *id_hash, const char *mobile_hash, int64_t *member_id,
                        int64_t *user_id, int64_t *org_id, gh_err *e)
{
    *member_id = *user_id = *org_id = 0;
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT m.id, u.id, m.org_id FROM members m JOIN users u ON u.member_id = m.id AND u.role = 'member'"
        " WHERE m.id_hash = $1 AND m.mobile_hash = $2 AND m.status = 'active' AND u.status = 'active'",
        SV_ARGS(SV_T(id_hash), SV_T(mobile_hash)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        *member_id = store_int(&r, 0);
        *user_id = store_int(&r, 1);
        *org_id = store_int(&r, 2);
        rc = 0;
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

/* Both steps are limited per address and per person (whether or not the
 * person exists, so the limits tell nothing either). */
static int limits(gh_ctx *x, const char *step, const char *id_hash, int per_client, int per_person, gh_err *e)
{
    char key[160];
    snprintf(key, sizeof key, "reset-%s:ip:%s", step, x->actor->client);
    int rc = ratelimit_hit(x->db, key, per_client, 3600, e);
    if (rc) return rc;
    snprintf(key, sizeof key, "reset-%s:id:%.24s", step, id_hash);
    return ratelimit_hit(x->db, key, per_person, 3600, e);
}

/* An audit entry by the person themself (there is no session). */
static int audit_self(gh_ctx *x, const char *action, int64_t member_id, int64_t org_id, const char *outcome,
                      gh_err *e)
{
    gh_actor self = *x->actor;
    if (member_id) {
        self.role = ROLE_MEMBER;
        self.member_id = member_id;
    }
    gh_ctx cx = *x;
    cx.actor = &self;
    return audit_record(&cx, action, "member", member_id, org_id, outcome, NULL, e);
}

typedef struct request_ctx {
    gh_ctx *x;
    int64_t member_id, user_id, org_id;
    char code[8];
} request_ctx;

static int request_tx(store_conn *db, void *p, gh_err *e)
{
    request_ctx *c = p;
    char ts[32];
    ts_now(ts);
    /* A new code replaces any open one. */
    int rc = store_exec(db,
        "UPDATE member_password_resets SET status = 'replaced' WHERE member_id = $1 AND status = 'open'",
        SV_ARGS(SV_I(c->member_id)), NULL, e);
    if (rc) return rc;
    store_res r;
    rc = store_query(db, &r,
        "INSERT INTO member_password_resets (member_id, user_id, code_hash, expires_ms, client, created_at)"
        " VALUES ($1, $2, '', $3, $4, $5) RETURNING id",
        SV_ARGS(SV_I(c->member_id), SV_I(c->user_id), SV_I(ts_now_ms() + CODE_TTL_MS), SV_T(c->x->actor->client),
                SV_T(ts)),
        e);
    if (rc) return rc;
    int64_t id = 0;
    if ((rc = store_next(&r, e)) > 0) id = store_int(&r, 0);
    store_done(&r);
    if (rc < 0) return rc;
    char h[65];
    code_hash(c->x->cfg, id, c->code, h);
    rc = store_exec(db, "UPDATE member_password_resets SET code_hash = $2 WHERE id = $1", SV_ARGS(SV_I(id), SV_T(h)),
                    NULL, e);
    if (rc) return rc;
    char text[300];
    snprintf(text, sizeof text,
             "【工会服务平台】您正在找回登录密码，验证码 %s，10 分钟内有效。如非本人操作，请忽略本短信，"
             "不要把验证码告诉任何人。",
             c->code);
    rc = notice_sms(db, c->x->cfg, c->member_id, text, e);
    if (rc) return rc;
    return audit_self(c->x, "member.password_reset_request", c->member_id, c->org_id, "ok", e);
}

int member_reset_request(gh_ctx *x, const json_t *b, json_t **out, gh_err *e)
{
    int rc = jv_check(b, member_reset_fields, e);
    if (rc) return rc;
    char idh[65], mh[65];
    rc = member_key_hashes(x->cfg, jv_str(b, "id_number"), jv_str(b, "mobile"), idh, mh, e);
    if (rc == 0) rc = limits(x, "code", idh, 10, 3, e);
    if (rc) return rc;
    request_ctx c = {.x = x};
    rc = find_account(x, idh, mh, &c.member_id, &c.user_id, &c.org_id, e);
    if (rc) return rc;
    if (c.member_id) {
        snprintf(c.code, sizeof c.code, "%06u", (unsigned)crypto_uniform(1000000));
        rc = store_tx(x->db, STORE_WRITE, request_tx, &c, e);
    } else {
        /* Nobody to send to: recorded, and answered the same way. */
        rc = audit_self(x, "member.password_reset_request", 0, 0, "failed", e);
    }
    if (rc) return rc;
    *out = json_pack("{s:s, s:i}", "message", SENT_MESSAGE, "expires_in_s", CODE_TTL_MS / 1000);
    return 0;
}

typedef struct confirm_ctx {
    gh_ctx *x;
    int64_t reset_id, member_id, user_id, org_id;
    const char *hash;
} confirm_ctx;

static int confirm_tx(store_conn *db, void *p, gh_err *e)
{
    confirm_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int64_t n = 0;
    /* Used once: a second request with the same code finds it gone. */
    int rc = store_exec(db,
        "UPDATE member_password_resets SET status = 'used', used_at = $2 WHERE id = $1 AND status = 'open'",
        SV_ARGS(SV_I(c->reset_id), SV_T(ts)), &n, e);
    if (rc) return rc;
    if (n != 1) return BAD_CODE(e);
    rc = store_exec(db,
        "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3, failed_count = 0,"
        " locked_until_ms = 0 WHERE id = $1",
        SV_ARGS(SV_I(c->user_id), SV_T(c->hash), SV_T(ts)), NULL, e);
    if (rc) return rc;
    /* Whoever held a session of this account (perhaps the reason for the
     * reset) loses it. */
    rc = store_exec(db, "UPDATE sessions SET revoked = 1 WHERE user_id = $1", SV_ARGS(SV_I(c->user_id)), NULL, e);
    if (rc) return rc;
    return audit_self(c->x, "member.password_reset", c->member_id, c->org_id, "ok", e);
}

/* A wrong code costs the open code one of its tries. */
static int wrong_code(gh_ctx *x, int64_t reset_id, int64_t member_id, int64_t org_id, gh_err *e)
{
    int rc = store_exec(x->db,
        "UPDATE member_password_resets SET attempts = attempts + 1,"
        " status = CASE WHEN attempts + 1 >= $2 THEN 'spent' ELSE status END WHERE id = $1",
        SV_ARGS(SV_I(reset_id), SV_I(CODE_TRIES)), NULL, e);
    if (rc == 0) rc = audit_self(x, "member.password_reset", member_id, org_id, "failed", e);
    return rc ? rc : BAD_CODE(e);
}

int member_reset_confirm(gh_ctx *x, const json_t *b, json_t **out, gh_err *e)
{
    int rc = jv_check(b, member_reset_confirm_fields, e);
    if (rc) return rc;
    char idh[65], mh[65], mobile[16];
    rc = member_key_hashes(x->cfg, jv_str(b, "id_number"), jv_str(b, "mobile"), idh, mh, e);
    if (rc == 0) rc = valid_mobile(jv_str(b, "mobile"), mobile, e);
    if (rc) return rc;
    const char *code = jv_str(b, "code");
    int digits = strlen(code) == 6;
    for (const char *p = code; *p; p++) digits = digits && *p >= '0' && *p <= '9';
    if (!digits) return err_set(e, ERR_INVALID, "invalid_code", "code", "验证码是短信里的 6 位数字");
    /* The password's own rule first: it says nothing about the person. */
    rc = auth_password_ok(jv_str(b, "new_password"), mobile, e);
    if (rc) {
        snprintf(e->field, sizeof e->field, "new_password");
        return rc;
    }
    rc = limits(x, "confirm", idh, 20, 10, e);
    if (rc) return rc;
    confirm_ctx c = {.x = x};
    rc = find_account(x, idh, mh, &c.member_id, &c.user_id, &c.org_id, e);
    if (rc) return rc;
    if (!c.member_id) return BAD_CODE(e);
    store_res r;
    char stored[65] = "";
    rc = store_query(x->db, &r,
        "SELECT id, code_hash FROM member_password_resets WHERE member_id = $1 AND status = 'open'"
        " AND expires_ms > $2 AND attempts < $3 ORDER BY id DESC LIMIT 1",
        SV_ARGS(SV_I(c.member_id), SV_I(ts_now_ms()), SV_I(CODE_TRIES)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        c.reset_id = store_int(&r, 0);
        snprintf(stored, sizeof stored, "%s", store_text(&r, 1));
        rc = 0;
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (!c.reset_id) return BAD_CODE(e);
    char h[65];
    code_hash(x->cfg, c.reset_id, code, h);
    if (strcmp(h, stored) != 0) return wrong_code(x, c.reset_id, c.member_id, c.org_id, e);
    char hash[128];
    rc = crypto_password_hash(jv_str(b, "new_password"), hash, e);
    if (rc) return rc;
    c.hash = hash;
    rc = store_tx(x->db, STORE_WRITE, confirm_tx, &c, e);
    if (rc) return rc;
    *out = json_pack("{s:s}", "message", "密码已重置，其他设备上的登录已失效。请用手机号和新密码登录。");
    return 0;
}

/* auth_totp.c — the second factor: TOTP enrolment by QR code, recovery
 * codes, checking a code at log-in, and the admin's requirement per duty;
 * see auth.h and auth_internal.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/qr.h"
#include "base/totp.h"
#include "domain/auth/auth.h"
#include "domain/auth/auth_internal.h"
#include "domain/core/audit.h"
#include "domain/core/ratelimit.h"
#include "domain/core/settings.h"

#define SECRET_BYTES 20 /* 160 bits, the size RFC 4226 recommends */
#define ISSUER "工会服务平台"
#define POLICY_KEY "second_factor_required"
/* Recovery codes: ten characters from an alphabet without look-alikes
 * (no 0/o, 1/l/i), about 49 bits each, shown as xxxxx-xxxxx. */
static const char recovery_alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
#define RECOVERY_LEN 10

static const ratelimit_backoff BACKOFF_CODE = {5, 30 * 1000, 3600 * 1000, 86400 * 1000};

/* ---- checking a code ---- */

/* Digits only, or recovery-code characters in lower case; spaces and
 * hyphens dropped. 0, or -1 when it cannot be either kind of code. */
static int normalise(const char *code, char *out, size_t outsz)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)code; *p; p++) {
        if (*p == ' ' || *p == '-') continue;
        if (!isalnum(*p) || n + 1 >= outsz) return -1;
        out[n++] = (char)tolower(*p);
    }
    out[n] = '\0';
    return n ? 0 : -1;
}

static void recovery_hash(const gh_config *cfg, int64_t uid, const char *norm, char out[65])
{
    char in[64];
    snprintf(in, sizeof in, "recovery:%lld:%s", (long long)uid, norm);
    crypto_keyed_hex(cfg->hash_key, in, out);
}

/* The secret of uid (confirmed or pending) as bytes; *n = 0 when none. */
static int load_secret(gh_ctx *x, int64_t uid, int confirmed, unsigned char key[64], int *n, int64_t *last_step,
                       gh_err *e)
{
    *n = 0;
    store_res r;
    int rc = store_query(x->db, &r, "SELECT secret_sealed, last_step FROM user_totp WHERE user_id = $1 AND confirmed = $2",
                         SV_ARGS(SV_I(uid), SV_I(confirmed)), e);
    if (rc) return rc;
    char *b32 = NULL;
    if ((rc = store_next(&r, e)) > 0) {
        if (last_step) *last_step = store_int(&r, 1);
        rc = crypto_open(x->cfg->data_key, store_text(&r, 0), &b32, e);
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (b32) {
        int m = base32_decode(b32, key, 64);
        memset(b32, 0, strlen(b32));
        free(b32);
        if (m <= 0) return err_set(e, ERR_INTERNAL, "totp_secret_bad", NULL, "两步验证密钥已损坏");
        *n = m;
    }
    return 0;
}

/* Match a TOTP code against uid's secret and, when it matches, take its
 * step: the UPDATE succeeds only for a step newer than any accepted, so a
 * code (or an earlier one) is never accepted twice, even by two servers. */
static int check_totp(gh_ctx *x, int64_t uid, int confirmed, const char *digits, int *ok, int64_t *step_out,
                      gh_err *e)
{
    *ok = 0;
    unsigned char key[64];
    int n = 0;
    int rc = load_secret(x, uid, confirmed, key, &n, NULL, e);
    if (rc || !n) return rc;
    int64_t step = totp_step(ts_now_ms() / 1000, AUTH_TOTP_PERIOD), matched = 0;
    int hit = totp_match(key, (size_t)n, digits, AUTH_TOTP_DIGITS, step, AUTH_TOTP_WINDOW, &matched);
    memset(key, 0, sizeof key);
    if (!hit) return 0;
    int64_t changed = 0;
    rc = store_exec(x->db,
        "UPDATE user_totp SET last_step = $3 WHERE user_id = $1 AND confirmed = $2 AND last_step < $3",
        SV_ARGS(SV_I(uid), SV_I(confirmed), SV_I(matched)), &changed, e);
    if (rc) return rc;
    *ok = changed == 1;
    if (step_out) *step_out = matched;
    return 0;
}

int auth_factor_check(gh_ctx *x, int64_t uid, const char *code, int *ok, const char **factor, gh_err *e)
{
    *ok = 0;
    *factor = NULL;
    char norm[40];
    if (!code || normalise(code, norm, sizeof norm) != 0) return 0;
    size_t len = strlen(norm);
    int digits = strspn(norm, "0123456789") == len;
    if (digits && len == AUTH_TOTP_DIGITS) {
        int rc = check_totp(x, uid, 1, norm, ok, NULL, e);
        if (rc == 0 && *ok) *factor = "totp";
        return rc;
    }
    if (len != RECOVERY_LEN || strspn(norm, recovery_alphabet) != len) return 0;
    char h[65], ts[32];
    recovery_hash(x->cfg, uid, norm, h);
    ts_now(ts);
    int64_t changed = 0;
    int rc = store_exec(x->db,
        "UPDATE user_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL"
        " AND EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = $1 AND t.confirmed = 1)",
        SV_ARGS(SV_I(uid), SV_T(h), SV_T(ts)), &changed, e);
    if (rc) return rc;
    *ok = changed == 1;
    if (*ok) *factor = "recovery_code";
    return 0;
}

int auth_totp_on(store_conn *db, int64_t uid, int *on, gh_err *e)
{
    int64_t n = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM user_totp WHERE user_id = $1 AND confirmed = 1",
                           SV_ARGS(SV_I(uid)), &n, e);
    *on = rc == 0 && n > 0;
    return rc;
}

int auth_totp_remove(store_conn *db, int64_t uid, gh_err *e)
{
    int rc = store_exec(db, "DELETE FROM user_recovery_codes WHERE user_id = $1", SV_ARGS(SV_I(uid)), NULL, e);
    if (rc == 0) rc = store_exec(db, "DELETE FROM user_totp WHERE user_id = $1", SV_ARGS(SV_I(uid)), NULL, e);
    if (rc == 0) rc = store_exec(db, "DELETE FROM login_challenges WHERE user_id = $1", SV_ARGS(SV_I(uid)), NULL, e);
    return rc;
}

/* ---- the requirement ---- */

static const char *const policy_names[] = {"admin", "auditor", "finance", "hardship", NULL};

const jv_field auth_policy_fields[] = {
    {"admin", JV_BOOL, JV_REQUIRED, "管理员须开启"},
    {"auditor", JV_BOOL, JV_REQUIRED, "审计员须开启"},
    {"finance", JV_BOOL, JV_REQUIRED, "财务职责须开启"},
    {"hardship", JV_BOOL, JV_REQUIRED, "困难帮扶职责须开启"},
    {0},
};

/* The setting as {admin, auditor, finance, hardship}: all false when unset. */
static int policy_load(store_conn *db, json_t **out, gh_err *e)
{
    char *v = NULL;
    int rc = settings_get(db, POLICY_KEY, &v, e);
    if (rc) return rc;
    json_t *saved = v ? json_loads(v, 0, NULL) : NULL;
    free(v);
    json_t *o = json_object();
    for (int i = 0; policy_names[i]; i++)
        json_object_set_new(o, policy_names[i], json_boolean(json_is_true(json_object_get(saved, policy_names[i]))));
    json_decref(saved);
    *out = o;
    return 0;
}

int auth_totp_required(store_conn *db, int role, unsigned duties, int *req, gh_err *e)
{
    *req = 0;
    if (role != ROLE_ADMIN && role != ROLE_AUDITOR && role != ROLE_OFFICER) return 0;
    json_t *p = NULL;
    int rc = policy_load(db, &p, e);
    if (rc) return rc;
    int on = 0;
    if (role == ROLE_ADMIN) on = json_is_true(json_object_get(p, "admin"));
    else if (role == ROLE_AUDITOR) on = json_is_true(json_object_get(p, "auditor"));
    else on = ((duties & DUTY_FINANCE) && json_is_true(json_object_get(p, "finance"))) ||
              ((duties & DUTY_HARDSHIP) && json_is_true(json_object_get(p, "hardship")));
    json_decref(p);
    *req = on;
    return 0;
}

int auth_second_factor_policy(gh_ctx *x, json_t **out, gh_err *e)
{
    int r = x->actor->role;
    if (r != ROLE_ADMIN && r != ROLE_AUDITOR && r != ROLE_SYSTEM)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有管理员和审计员可以查看两步验证要求");
    return policy_load(x->db, out, e);
}

typedef struct policy_ctx {
    gh_ctx *x;
    const char *text;
    const json_t *body;
} policy_ctx;

static int policy_tx(store_conn *db, void *p, gh_err *e)
{
    policy_ctx *c = p;
    int rc = settings_put(db, POLICY_KEY, c->text, e);
    if (rc) return rc;
    return audit_record(c->x, "settings.second_factor", "settings", 0, 0, "ok", c->body, e);
}

int auth_second_factor_policy_set(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (x->actor->role != ROLE_ADMIN && x->actor->role != ROLE_SYSTEM)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有管理员可以设置两步验证要求");
    int rc = jv_check(body, auth_policy_fields, e);
    if (rc) return rc;
    json_t *o = json_object();
    for (int i = 0; policy_names[i]; i++)
        json_object_set_new(o, policy_names[i], json_boolean(jv_bool(body, policy_names[i], 0)));
    char *text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
    if (!text) {
        json_decref(o);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    policy_ctx c = {x, text, o};
    rc = store_tx(x->db, STORE_WRITE, policy_tx, &c, e);
    free(text);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

/* ---- enrolment ---- */

static int need_user(const gh_actor *a, gh_err *e)
{
    if (!a->user_id) return err_set(e, ERR_UNAUTH, "unauthenticated", NULL, "请先登录");
    return 0;
}

int auth_totp_status(gh_ctx *x, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc = need_user(a, e);
    if (rc) return rc;
    int enabled = 0, pending = 0, req = 0;
    char at[40] = "";
    store_res r;
    rc = store_query(x->db, &r, "SELECT confirmed, confirmed_at FROM user_totp WHERE user_id = $1",
                     SV_ARGS(SV_I(a->user_id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        enabled = store_int(&r, 0) != 0;
        pending = !enabled;
        if (!store_isnull(&r, 1)) snprintf(at, sizeof at, "%s", store_text(&r, 1));
    }
    store_done(&r);
    if (rc < 0) return rc;
    int64_t left = 0;
    rc = store_get_int(x->db, "SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
                       SV_ARGS(SV_I(a->user_id)), &left, e);
    if (rc == 0) rc = auth_totp_required(x->db, a->role, a->duties, &req, e);
    if (rc) return rc;
    *out = json_pack("{s:b, s:b, s:b, s:o, s:I}", "enabled", enabled, "pending", pending, "required", req,
                     "enabled_at", enabled && at[0] ? json_string(at) : json_null(), "recovery_codes_left",
                     (json_int_t)(enabled ? left : 0));
    return 0;
}

/* Percent-encoding for the otpauth:// URI (everything but unreserved). */
static void uri_escape(buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~", *p)) buf_putc(b, (char)*p);
        else buf_printf(b, "%%%02X", *p);
    }
}

/* The name the authenticator app shows under the issuer: the log-in name,
 * or for a member the masked mobile. */
static int account_label(gh_ctx *x, char out[80], gh_err *e)
{
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT u.login, m.mobile_mask FROM users u LEFT JOIN members m ON m.id = u.member_id WHERE u.id = $1",
        SV_ARGS(SV_I(x->actor->user_id)), e);
    if (rc) return rc;
    snprintf(out, 80, "%s", x->actor->login);
    if ((rc = store_next(&r, e)) > 0) {
        const char *login = store_text(&r, 0);
        if (strncmp(login, "mobile:", 7) != 0) snprintf(out, 80, "%s", login);
        else if (store_text(&r, 1)) snprintf(out, 80, "%s", store_text(&r, 1));
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

int auth_totp_begin(gh_ctx *x, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc = need_user(a, e);
    if (rc) return rc;
    int on = 0;
    rc = auth_totp_on(x->db, a->user_id, &on, e);
    if (rc) return rc;
    if (on) return err_set(e, ERR_CONFLICT, "totp_enabled", NULL, "两步验证已开启；如需更换手机，请先关闭再重新绑定");
    char label[80];
    rc = account_label(x, label, e);
    if (rc) return rc;
    unsigned char key[SECRET_BYTES];
    crypto_random(key, sizeof key);
    char b32[64];
    base32_encode(key, sizeof key, b32, sizeof b32);
    memset(key, 0, sizeof key);
    char *sealed = NULL, ts[32];
    rc = crypto_seal(x->cfg->data_key, b32, &sealed, e);
    if (rc) return rc;
    ts_now(ts);
    /* A pending enrolment is simply replaced; one in force is never touched. */
    int64_t changed = 0;
    rc = store_exec(x->db,
        "INSERT INTO user_totp (user_id, secret_sealed, confirmed, last_step, created_at) VALUES ($1, $2, 0, 0, $3)"
        " ON CONFLICT (user_id) DO UPDATE SET secret_sealed = $2, last_step = 0, created_at = $3"
        " WHERE user_totp.confirmed = 0",
        SV_ARGS(SV_I(a->user_id), SV_T(sealed), SV_T(ts)), &changed, e);
    free(sealed);
    if (rc == 0 && changed != 1)
        rc = err_set(e, ERR_CONFLICT, "totp_enabled", NULL, "两步验证已开启；如需更换手机，请先关闭再重新绑定");
    if (rc) return rc;
    buf u = {0};
    buf_puts(&u, "otpauth://totp/");
    uri_escape(&u, ISSUER);
    buf_putc(&u, ':');
    uri_escape(&u, label);
    buf_printf(&u, "?secret=%s&issuer=", b32);
    uri_escape(&u, ISSUER);
    buf_printf(&u, "&algorithm=SHA1&digits=%d&period=%d", AUTH_TOTP_DIGITS, AUTH_TOTP_PERIOD);
    char *svg = NULL;
    size_t svg_len = 0;
    rc = qr_svg(buf_str(&u), 4, &svg, &svg_len, e);
    if (rc == 0) {
        /* Shown grouped by four, as apps accept it typed either way. */
        char shown[80];
        size_t n = 0;
        for (size_t i = 0; b32[i] && n + 2 < sizeof shown; i++) {
            if (i && i % 4 == 0) shown[n++] = ' ';
            shown[n++] = b32[i];
        }
        shown[n] = '\0';
        *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "secret", b32, "secret_grouped", shown, "uri",
                         buf_str(&u), "qr_svg", svg, "account", label, "algorithm", "SHA1", "digits",
                         AUTH_TOTP_DIGITS, "period", AUTH_TOTP_PERIOD);
        if (!*out) rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    memset(b32, 0, sizeof b32);
    free(svg);
    buf_free(&u);
    return rc;
}

const jv_field auth_code_fields[] = {
    {"code", JV_STRING, JV_REQUIRED, "验证码", .max = 32},
    {0},
};

typedef struct confirm_ctx {
    gh_ctx *x;
    char codes[AUTH_RECOVERY_CODES][RECOVERY_LEN + 2];
} confirm_ctx;

static int confirm_tx(store_conn *db, void *p, gh_err *e)
{
    confirm_ctx *c = p;
    const gh_actor *a = c->x->actor;
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    int rc = store_exec(db, "UPDATE user_totp SET confirmed = 1, confirmed_at = $2 WHERE user_id = $1 AND confirmed = 0",
                        SV_ARGS(SV_I(a->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (changed != 1) return err_set(e, ERR_CONFLICT, "totp_enabled", NULL, "两步验证已开启");
    rc = store_exec(db, "DELETE FROM user_recovery_codes WHERE user_id = $1", SV_ARGS(SV_I(a->user_id)), NULL, e);
    for (int i = 0; i < AUTH_RECOVERY_CODES && rc == 0; i++) {
        char h[65];
        recovery_hash(c->x->cfg, a->user_id, c->codes[i], h);
        rc = store_exec(db, "INSERT INTO user_recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
                        SV_ARGS(SV_I(a->user_id), SV_T(h), SV_T(ts)), NULL, e);
    }
    /* A session that could only enrol is a full session from now on. */
    if (rc == 0)
        rc = store_exec(db, "UPDATE sessions SET must_enrol = 0 WHERE user_id = $1 AND must_enrol = 1",
                        SV_ARGS(SV_I(a->user_id)), NULL, e);
    if (rc) return rc;
    return audit_record(c->x, "user.totp_enable", "user", a->user_id, a->org_id, "ok", NULL, e);
}

int auth_totp_confirm(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc = need_user(a, e);
    if (rc == 0) rc = jv_check(body, auth_code_fields, e);
    if (rc) return rc;
    char norm[40];
    const char *code = jv_str(body, "code");
    unsigned char probe[64];
    int n = 0;
    rc = load_secret(x, a->user_id, 0, probe, &n, NULL, e);
    memset(probe, 0, sizeof probe);
    if (rc) return rc;
    if (!n) return err_set(e, ERR_CONFLICT, "totp_not_pending", NULL, "请先开始绑定（生成二维码），再输入验证码");
    int ok = 0;
    if (normalise(code, norm, sizeof norm) == 0 && strlen(norm) == AUTH_TOTP_DIGITS)
        rc = check_totp(x, a->user_id, 0, norm, &ok, NULL, e);
    if (rc) return rc;
    if (!ok)
        return err_set(e, ERR_INVALID, "invalid_code", "code",
                       "验证码不正确：请输入验证器应用中当前显示的 6 位数字，并核对手机时间是否准确");
    confirm_ctx c = {.x = x};
    for (int i = 0; i < AUTH_RECOVERY_CODES; i++) {
        for (int k = 0; k < RECOVERY_LEN; k++)
            c.codes[i][k] = recovery_alphabet[crypto_uniform((uint32_t)(sizeof recovery_alphabet - 1))];
        c.codes[i][RECOVERY_LEN] = '\0';
    }
    rc = store_tx(x->db, STORE_WRITE, confirm_tx, &c, e);
    if (rc == 0) {
        json_t *list = json_array();
        for (int i = 0; i < AUTH_RECOVERY_CODES; i++) {
            char shown[RECOVERY_LEN + 2];
            snprintf(shown, sizeof shown, "%.5s-%s", c.codes[i], c.codes[i] + 5);
            json_array_append_new(list, json_string(shown));
        }
        *out = json_pack("{s:b, s:o}", "enabled", 1, "recovery_codes", list);
    }
    memset(&c, 0, sizeof c);
    return rc;
}

typedef struct disable_ctx {
    gh_ctx *x;
    const char *factor;
} disable_ctx;

static int disable_tx(store_conn *db, void *p, gh_err *e)
{
    disable_ctx *c = p;
    const gh_actor *a = c->x->actor;
    int rc = auth_totp_remove(db, a->user_id, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s}", "factor", c->factor);
    rc = audit_record(c->x, "user.totp_disable", "user", a->user_id, a->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int auth_totp_disable(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc = need_user(a, e);
    if (rc == 0) rc = jv_check(body, auth_code_fields, e);
    if (rc) return rc;
    int on = 0, req = 0;
    rc = auth_totp_on(x->db, a->user_id, &on, e);
    if (rc == 0) rc = auth_totp_required(x->db, a->role, a->duties, &req, e);
    if (rc) return rc;
    if (!on) return err_set(e, ERR_CONFLICT, "totp_not_enabled", NULL, "两步验证尚未开启");
    if (req)
        return err_set(e, ERR_FORBIDDEN, "second_factor_mandatory", NULL,
                       "按管理员要求，您的账号必须使用两步验证，不能关闭；更换手机请联系管理员重置");
    /* Whoever holds a session must still prove the factor, and may guess no
     * faster than at log-in. */
    char code_key[48];
    snprintf(code_key, sizeof code_key, "code:u%lld", (long long)a->user_id);
    int64_t now = ts_now_ms(), wait = 0;
    rc = ratelimit_backoff_wait(x->db, code_key, now, &wait, e);
    if (rc) return rc;
    if (wait > 0)
        return err_set(e, ERR_RATE, "too_many_attempts", NULL, "验证码错误次数过多，请 %lld 秒后再试",
                       (long long)((wait + 999) / 1000));
    int ok = 0;
    const char *factor = NULL;
    rc = auth_factor_check(x, a->user_id, jv_str(body, "code"), &ok, &factor, e);
    if (rc) return rc;
    if (!ok) {
        gh_err ignore;
        ratelimit_backoff_fail(x->db, code_key, &BACKOFF_CODE, now, NULL, &ignore);
        audit_record(x, "user.totp_disable", "user", a->user_id, a->org_id, "failed", NULL, &ignore);
        return err_set(e, ERR_INVALID, "invalid_code", "code", "验证码不正确");
    }
    disable_ctx c = {x, factor};
    rc = store_tx(x->db, STORE_WRITE, disable_tx, &c, e);
    if (rc) return rc;
    return auth_totp_status(x, out, e);
}

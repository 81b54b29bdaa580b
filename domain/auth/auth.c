/* auth.c — log-in, sessions, passwords; see auth.h. */
#include "domain/auth/auth.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/core/module.h"
#include "domain/core/ratelimit.h"
#include "domain/auth/auth_internal.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/auth/user.h"

/* Sessions are touched at most this often, so reading a page does not write
 * to the database on every request. */
#define TOUCH_EVERY_MS 60000

void auth_mobile_login(const gh_config *cfg, const char *mobile11, char out[80])
{
    char h[65];
    crypto_keyed_hex(cfg->hash_key, mobile11, h);
    snprintf(out, 80, "mobile:%s", h);
}

/* users.login key for what a person typed: a mobile number for members,
 * otherwise a user name (case-insensitive). */
static void login_key(const gh_config *cfg, const char *typed, char out[80])
{
    char m[12];
    if (valid_mobile(typed, m, NULL) == 0) {
        auth_mobile_login(cfg, m, out);
        return;
    }
    size_t i = 0;
    for (; typed[i] && i < 79; i++) out[i] = (char)tolower((unsigned char)typed[i]);
    out[i] = '\0';
}

static int fill_actor(store_res *r, gh_actor *a)
{
    /* columns: user id, role, duties, org_id, member_id, provider_id,
     * enterprise_id, login, org path */
    a->user_id = store_int(r, 0);
    a->role = role_parse(store_text(r, 1));
    if (a->role < 0) return ERR_UNAUTH;
    a->duties = (unsigned)store_int(r, 2);
    a->org_id = store_int(r, 3);
    a->member_id = store_int(r, 4);
    a->provider_id = store_int(r, 5);
    a->enterprise_id = store_int(r, 6);
    /* A member's users.login is a keyed hash of the mobile; logs and audit
     * entries name the member record instead. */
    if (a->role == ROLE_MEMBER) snprintf(a->login, sizeof a->login, "member:%lld", (long long)a->member_id);
    else snprintf(a->login, sizeof a->login, "%s", store_text(r, 7));
    const char *path = store_text(r, 8);
    a->scope[0] = '\0';
    if (a->role == ROLE_ADMIN) snprintf(a->scope, sizeof a->scope, "/");
    else if ((a->role == ROLE_OFFICER || a->role == ROLE_AUDITOR) && path)
        snprintf(a->scope, sizeof a->scope, "%s", path);
    if (a->role != ROLE_OFFICER) a->duties = a->role == ROLE_ADMIN ? module_all_duties() : 0;
    return 0;
}

#define ACTOR_COLS \
    "u.id, u.role, u.duties, u.org_id, u.member_id, u.provider_id, u.enterprise_id, u.login, o.path"

int auth_actor_for_login(store_conn *db, const char *login, gh_actor *a, gh_err *e)
{
    memset(a, 0, sizeof *a);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT " ACTOR_COLS " FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.login = $1",
        SV_ARGS(SV_T(login)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) rc = fill_actor(&r, a) == 0 ? 0 : err_set(e, ERR_INVALID, "bad_role", NULL, "账号角色无效");
    else if (rc == 0) rc = err_set(e, ERR_NOT_FOUND, "user_not_found", "login", "账号 %s 不存在", login);
    store_done(&r);
    snprintf(a->client, sizeof a->client, "local");
    return rc;
}

int auth_resolve(gh_ctx *x, const char *token, gh_actor *a, char csrf[64], gh_err *e)
{
    if (strlen(token) > 128) return err_set(e, ERR_UNAUTH, "session_invalid", NULL, "登录已失效，请重新登录");
    char h[65];
    crypto_sha256_hex(token, strlen(token), h);
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT " ACTOR_COLS ", s.id, s.csrf, s.last_seen_ms, u.status, s.must_enrol"
        " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN orgs o ON o.id = u.org_id"
        " WHERE s.token_hash = $1 AND s.revoked = 0",
        SV_ARGS(SV_T(h)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    int64_t sid = 0, seen = 0;
    if (rc > 0) {
        rc = fill_actor(&r, a);
        sid = store_int(&r, 9);
        snprintf(csrf, 64, "%s", store_text(&r, 10));
        seen = store_int(&r, 11);
        if (strcmp(store_text(&r, 12), "active") != 0) rc = ERR_UNAUTH;
        a->must_enrol = store_int(&r, 13) != 0;
    } else if (rc == 0) {
        rc = ERR_UNAUTH;
    }
    store_done(&r);
    if (rc < 0) {
        memset(a->scope, 0, sizeof a->scope);
        a->role = ROLE_ANON;
        a->user_id = 0;
        if (rc == ERR_UNAUTH) return err_set(e, ERR_UNAUTH, "session_invalid", NULL, "登录已失效，请重新登录");
        return rc;
    }
    int64_t now = ts_now_ms();
    int idle = x->cfg->session_idle_s > 0 ? x->cfg->session_idle_s : 1800;
    if (now - seen > (int64_t)idle * 1000) {
        a->role = ROLE_ANON;
        a->user_id = 0;
        a->scope[0] = '\0';
        return err_set(e, ERR_UNAUTH, "session_expired", NULL, "长时间未操作，登录已过期，请重新登录");
    }
    a->session_id = sid;
    int64_t touch = (int64_t)idle * 100; /* a tenth of the idle time … */
    if (touch > TOUCH_EVERY_MS) touch = TOUCH_EVERY_MS; /* … at most a minute */
    if (now - seen > touch) {
        /* Best effort: a busy database must not fail the request itself. */
        gh_err ignore;
        store_exec(x->db, "UPDATE sessions SET last_seen_ms = $1 WHERE id = $2 AND last_seen_ms < $1",
                   SV_ARGS(SV_I(now), SV_I(sid)), NULL, &ignore);
    }
    return 0;
}

static int user_json(store_conn *db, int64_t uid, json_t **out, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT u.id, u.login, u.display_name, u.role, u.duties, u.org_id, o.name, o.level,"
        " u.member_id, u.provider_id, u.enterprise_id, u.password_changed_at, m.mobile_mask"
        " FROM users u LEFT JOIN orgs o ON o.id = u.org_id LEFT JOIN members m ON m.id = u.member_id"
        " WHERE u.id = $1",
        SV_ARGS(SV_I(uid)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        const char *login = store_text(&r, 1);
        int role = role_parse(store_text(&r, 3));
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(store_int(&r, 0)));
        /* A member logs in with a mobile, kept only as a keyed hash: show
         * the masked number instead. */
        int by_mobile = strncmp(login, "mobile:", 7) == 0;
        json_object_set_new(o, "login", json_string(!by_mobile ? login : store_text(&r, 12) ? store_text(&r, 12) : ""));
        json_object_set_new(o, "display_name", json_string(store_text(&r, 2)));
        json_object_set_new(o, "role", json_string(store_text(&r, 3)));
        json_object_set_new(o, "duties",
                            user_duties_json(role == ROLE_ADMIN ? module_all_duties()
                                        : role == ROLE_OFFICER ? (unsigned)store_int(&r, 4) : 0));
        if (!store_isnull(&r, 5)) {
            json_object_set_new(o, "org", json_pack("{s:I, s:s, s:s}", "id", (json_int_t)store_int(&r, 5),
                                                    "name", store_text(&r, 6), "level", store_text(&r, 7)));
        } else {
            json_object_set_new(o, "org", json_null());
        }
        json_object_set_new(o, "member_id", store_isnull(&r, 8) ? json_null() : json_integer(store_int(&r, 8)));
        json_object_set_new(o, "provider_id", store_isnull(&r, 9) ? json_null() : json_integer(store_int(&r, 9)));
        json_object_set_new(o, "enterprise_id",
                            store_isnull(&r, 10) ? json_null() : json_integer(store_int(&r, 10)));
        json_object_set_new(o, "password_changed_at", json_string(store_text(&r, 11)));
        *out = o;
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "user_not_found", NULL, "用户不存在");
    }
    store_done(&r);
    return rc;
}

static int create_session(gh_ctx *x, int64_t uid, const char *user_agent, int must_enrol, char **token,
                          char csrf[64], gh_err *e)
{
    char tok[64], h[65], ts[32];
    crypto_token(tok, sizeof tok, 32);
    crypto_token(csrf, 64, 24);
    crypto_sha256_hex(tok, strlen(tok), h);
    ts_now(ts);
    char ua[200] = "";
    if (user_agent) {
        /* Keep it printable and short; it is only shown to the user. */
        size_t i = 0;
        for (; user_agent[i] && i < sizeof ua - 1; i++)
            ua[i] = (user_agent[i] >= 0x20 && user_agent[i] < 0x7f) ? user_agent[i] : '?';
        ua[i] = '\0';
    }
    int rc = store_exec(x->db,
        "INSERT INTO sessions (user_id, token_hash, csrf, created_at, last_seen_ms, client, user_agent, must_enrol)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        SV_ARGS(SV_I(uid), SV_T(h), SV_T(csrf), SV_T(ts), SV_I(ts_now_ms()), SV_T(x->actor->client),
                SV_T(ua), SV_I(must_enrol ? 1 : 0)),
        NULL, e);
    if (rc) return rc;
    *token = strdup(tok);
    return *token ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

/* ---- log-in ---- */

/* Growing delays (docs/operations.md, 登录规则): an account (a log-in name,
 * known or not) and a second-factor subject may fail five times freely, an
 * address twenty; then each failure imposes 30 s, doubling, at most an hour.
 * A counter quiet for a day starts over. */
static const ratelimit_backoff BACKOFF_ACCOUNT = {5, 30 * 1000, 3600 * 1000, 86400 * 1000};
static const ratelimit_backoff BACKOFF_ADDRESS = {20, 30 * 1000, 3600 * 1000, 86400 * 1000};
static const ratelimit_backoff BACKOFF_CODE = {5, 30 * 1000, 3600 * 1000, 86400 * 1000};
/* An address counts as the account's own for this long after a log-in. */
#define KNOWN_FOR_MS (90LL * 86400 * 1000)
#define CHALLENGE_MS (5 * 60 * 1000)
#define CHALLENGE_TRIES 5

/* What log-in needs to know of the account a log-in name names. */
typedef struct account {
    int64_t uid, org_id, member_id;
    unsigned duties;
    int totp;
    char hash[160], status[16], role[16];
    char login[80];   /* users.login */
    /* "u<id>", or for a log-in that names nobody "h" + a keyed hash of the
     * name: the throttling and audit key, alike in form for both. */
    char subject[40];
} account;

static int account_row(store_res *r, void *p, gh_err *e)
{
    (void)e;
    account *a = p;
    a->uid = store_int(r, 0);
    snprintf(a->hash, sizeof a->hash, "%s", store_text(r, 1));
    snprintf(a->status, sizeof a->status, "%s", store_text(r, 2));
    snprintf(a->role, sizeof a->role, "%s", store_text(r, 3));
    a->org_id = store_int(r, 4);
    a->duties = (unsigned)store_int(r, 5);
    a->member_id = store_int(r, 6);
    a->totp = store_int(r, 7) > 0;
    snprintf(a->login, sizeof a->login, "%s", store_text(r, 8));
    return 0;
}

#define ACCOUNT_SQL                                                                                          \
    "SELECT u.id, u.password_hash, u.status, u.role, COALESCE(u.org_id, 0), u.duties, COALESCE(u.member_id, 0)," \
    " (SELECT COUNT(*) FROM user_totp t WHERE t.user_id = u.id AND t.confirmed = 1), u.login FROM users u"

/* "h" + 32 hex digits of a keyed hash of a users.login key that names
 * nobody. */
static void subject_of_key(const gh_config *cfg, const char *key, char out[40])
{
    char h[65], in[96];
    snprintf(in, sizeof in, "login:%s", key);
    crypto_keyed_hex(cfg->hash_key, in, h);
    snprintf(out, 40, "h%.32s", h);
}

/* The account of a typed log-in name; a->uid 0 when there is none. */
static int account_by_login(gh_ctx *x, const char *typed, account *a, gh_err *e)
{
    memset(a, 0, sizeof *a);
    char key[80];
    login_key(x->cfg, typed, key);
    int rc = store_one(x->db, ACCOUNT_SQL " WHERE u.login = $1", SV_ARGS(SV_T(key)), account_row, a, e);
    if (rc == ERR_NOT_FOUND) rc = 0;
    if (rc) return rc;
    if (a->uid) snprintf(a->subject, sizeof a->subject, "u%lld", (long long)a->uid);
    else subject_of_key(x->cfg, key, a->subject);
    return 0;
}

void auth_unknown_login_name(const gh_config *cfg, const char *typed, char out[48])
{
    char key[80], subject[40];
    login_key(cfg, typed, key);
    subject_of_key(cfg, key, subject);
    snprintf(out, 48, "unknown:%s", subject + 1);
}

static int account_by_id(gh_ctx *x, int64_t uid, account *a, gh_err *e)
{
    memset(a, 0, sizeof *a);
    int rc = store_one(x->db, ACCOUNT_SQL " WHERE u.id = $1", SV_ARGS(SV_I(uid)), account_row, a, e);
    if (rc == ERR_NOT_FOUND) a->uid = 0, rc = 0;
    snprintf(a->subject, sizeof a->subject, "u%lld", (long long)uid);
    return rc;
}

/* Audit entries about a log-in carry the user as actor even though nobody is
 * logged in yet. typed: what was typed (NULL: the account's own name). A
 * log-in that names nobody is recorded only by its keyed hash, never as
 * typed: people type passwords into the name field. */
static void audit_login(gh_ctx *x, const account *acc, const char *typed, const char *action,
                        const char *outcome, const char *reason, const char *factor)
{
    gh_actor a = *x->actor;
    a.user_id = acc->uid;
    a.role = acc->uid ? role_parse(acc->role) : ROLE_ANON;
    if (a.role < 0) a.role = ROLE_ANON;
    char m[12], masked[12];
    if (!acc->uid) {
        snprintf(a.login, sizeof a.login, "unknown:%s", acc->subject + 1);
    } else if (typed && valid_mobile(typed, m, NULL) == 0) {
        /* A mobile number typed as log-in is not written to the log in clear. */
        mask_mobile(m, masked);
        snprintf(a.login, sizeof a.login, "%s", masked);
    } else if (typed) {
        snprintf(a.login, sizeof a.login, "%.63s", typed);
    } else if (acc->member_id && strncmp(acc->login, "mobile:", 7) == 0) {
        snprintf(a.login, sizeof a.login, "member:%lld", (long long)acc->member_id);
    } else {
        snprintf(a.login, sizeof a.login, "%.63s", acc->login);
    }
    gh_ctx cx = *x;
    cx.actor = &a;
    json_t *d = json_object();
    if (reason) json_object_set_new(d, "reason", json_string(reason));
    if (factor) json_object_set_new(d, "factor", json_string(factor));
    gh_err ignore;
    audit_record(&cx, action, "user", acc->uid, acc->org_id, outcome, json_object_size(d) ? d : NULL, &ignore);
    json_decref(d);
}

/* A real hash of a throw-away password, verified when the log-in is unknown
 * so that case costs the same time as a wrong password. */
static char g_dummy_hash[128];
static void make_dummy(void)
{
    char pw[32];
    crypto_token(pw, sizeof pw, 16);
    if (crypto_password_hash(pw, g_dummy_hash, NULL) != 0) g_dummy_hash[0] = '\0';
}

/* 429 with the wait, the same words for every account. */
static int throttled(auth_login_res *res, int64_t wait_ms, gh_err *e)
{
    int s = (int)((wait_ms + 999) / 1000);
    if (s < 1) s = 1;
    res->retry_after_s = s;
    char when[32];
    if (s >= 120) snprintf(when, sizeof when, "%d 分钟", (s + 59) / 60);
    else snprintf(when, sizeof when, "%d 秒", s);
    return err_set(e, ERR_RATE, "too_many_attempts", NULL,
                   "登录失败次数过多，请 %s后再试；已开启两步验证的账号可同时输入验证码立即登录", when);
}

/* Has uid logged in from client recently? The query runs for an unknown
 * log-in too (uid 0), so both cases do the same work. */
static int known_address(gh_ctx *x, int64_t uid, int64_t now, int *known, gh_err *e)
{
    *known = 0;
    int64_t n = 0;
    int rc = store_get_int(x->db,
        "SELECT COUNT(*) FROM login_known WHERE user_id = $1 AND client = $2 AND last_ok_ms > $3",
        SV_ARGS(SV_I(uid), SV_T(x->actor->client), SV_I(now - KNOWN_FOR_MS)), &n, e);
    if (rc) return rc;
    *known = uid && x->actor->client[0] && n > 0;
    return 0;
}

/* The session of a completed log-in: counters of this account cleared, the
 * address remembered, the answer built. */
static int finish(gh_ctx *x, const account *acc, const char *typed, const char *account_key,
                  const char *code_key, int bearer, const char *factor, const char *user_agent,
                  auth_login_res *res, gh_err *e)
{
    int must = 0;
    int rc = acc->totp ? 0 : auth_totp_required(x->db, role_parse(acc->role), acc->duties, &must, e);
    char ts[32], csrf[64];
    ts_now(ts);
    int64_t now = ts_now_ms();
    if (rc == 0)
        rc = store_exec(x->db, "UPDATE users SET failed_count = 0, last_login_at = $2 WHERE id = $1",
                        SV_ARGS(SV_I(acc->uid), SV_T(ts)), NULL, e);
    char *token = NULL;
    if (rc == 0) rc = create_session(x, acc->uid, user_agent, must, &token, csrf, e);
    if (rc) return rc;
    /* Best effort from here: the session exists. */
    gh_err ignore;
    ratelimit_backoff_clear(x->db, account_key, &ignore);
    ratelimit_backoff_clear(x->db, code_key, &ignore);
    if (x->actor->client[0]) {
        store_exec(x->db,
            "INSERT INTO login_known (user_id, client, last_ok_ms) VALUES ($1, $2, $3)"
            " ON CONFLICT (user_id, client) DO UPDATE SET last_ok_ms = $3",
            SV_ARGS(SV_I(acc->uid), SV_T(x->actor->client), SV_I(now)), NULL, &ignore);
        store_exec(x->db, "DELETE FROM login_known WHERE last_ok_ms < $1", SV_ARGS(SV_I(now - KNOWN_FOR_MS)), NULL,
                   &ignore);
    }
    audit_login(x, acc, typed, "session.login", "ok", must ? "must_enrol_totp" : NULL, factor);
    json_t *u = NULL;
    rc = user_json(x->db, acc->uid, &u, e);
    if (rc) {
        free(token);
        return rc;
    }
    int idle = x->cfg->session_idle_s > 0 ? x->cfg->session_idle_s : 1800;
    res->out = json_pack("{s:o, s:s, s:i, s:b}", "user", u, "csrf_token", csrf, "idle_timeout_s", idle,
                         "must_enrol_totp", must);
    res->token = token;
    res->bearer = bearer;
    return 0;
}

/* The password was right and the account has TOTP: a challenge instead of
 * a session. */
static int challenge(gh_ctx *x, const account *acc, const char *typed, const char *account_key, int bearer,
                     auth_login_res *res, gh_err *e)
{
    char tok[64], h[65];
    crypto_token(tok, sizeof tok, 32);
    crypto_sha256_hex(tok, strlen(tok), h);
    int64_t now = ts_now_ms();
    int rc = store_exec(x->db, "DELETE FROM login_challenges WHERE expires_ms < $1", SV_ARGS(SV_I(now)), NULL, e);
    if (rc == 0)
        rc = store_exec(x->db,
            "INSERT INTO login_challenges (token_hash, user_id, bearer, subject, account_key, expires_ms, client)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            SV_ARGS(SV_T(h), SV_I(acc->uid), SV_I(bearer), SV_T(acc->subject), SV_T(account_key),
                    SV_I(now + CHALLENGE_MS), SV_T(x->actor->client)),
            NULL, e);
    if (rc) return rc;
    audit_login(x, acc, typed, "session.challenge", "ok", NULL, NULL);
    res->out = json_pack("{s:s, s:s, s:i}", "second_factor", "totp", "challenge", tok, "expires_in",
                         CHALLENGE_MS / 1000);
    res->bearer = bearer;
    return res->out ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

/* A password hashed with older parameters is hashed again, best effort. */
static void rehash(gh_ctx *x, const account *acc, const char *password)
{
    if (!crypto_password_needs_rehash(acc->hash)) return;
    char nh[128];
    if (crypto_password_hash(password, nh, NULL) == 0)
        store_exec(x->db, "UPDATE users SET password_hash = $2 WHERE id = $1", SV_ARGS(SV_I(acc->uid), SV_T(nh)),
                   NULL, NULL);
}

int auth_login(gh_ctx *x, const auth_login_req *q, auth_login_res *res, gh_err *e)
{
    memset(res, 0, sizeof *res);
    res->bearer = q->bearer;
    const char *login = q->login, *password = q->password;
    if (!login || !*login || !password || !*password)
        return err_set(e, ERR_INVALID, "missing_field", !login || !*login ? "login" : "password",
                       "请输入用户名（或手机号）和密码");
    if (strlen(login) > 64 || strlen(password) > 128)
        return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    account acc;
    int rc = account_by_login(x, login, &acc, e);
    if (rc) return rc;
    int64_t now = ts_now_ms();
    int known = 0;
    rc = known_address(x, acc.uid, now, &known, e);
    if (rc) return rc;
    /* Counters: the address (unless it is one the account logged in from),
     * the account as seen from here, and second-factor attempts. */
    char ip_key[96], account_key[160], code_key[64];
    snprintf(ip_key, sizeof ip_key, "ip:%s", x->actor->client);
    if (known) snprintf(account_key, sizeof account_key, "pair:%s:%s", acc.subject, x->actor->client);
    else snprintf(account_key, sizeof account_key, "login:%s", acc.subject);
    snprintf(code_key, sizeof code_key, "code:%s", acc.subject);
    int64_t wait = 0;
    if (!known) {
        rc = ratelimit_backoff_wait(x->db, ip_key, now, &wait, e);
        if (rc) return rc;
        if (wait > 0) return throttled(res, wait, e);
    }
    rc = ratelimit_backoff_wait(x->db, account_key, now, &wait, e);
    if (rc) return rc;
    int with_code = 0;
    if (wait > 0) {
        /* Throttled: only a second factor sent along gets the attempt
         * checked (its own, stricter counter applies). */
        if (!q->code || !*q->code) return throttled(res, wait, e);
        int64_t cw = 0;
        rc = ratelimit_backoff_wait(x->db, code_key, now, &cw, e);
        if (rc) return rc;
        if (cw > 0) return throttled(res, cw, e);
        with_code = 1;
    }
    /* argon2id runs outside any transaction: it takes a tenth of a second
     * and must not hold the database's write lock. An unknown log-in does
     * the same work against a throw-away hash. */
    const char *hash = acc.hash;
    if (!acc.uid) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, make_dummy);
        hash = g_dummy_hash;
    }
    int pw_ok = crypto_password_verify(hash, password) == 0;
    int active = acc.uid && strcmp(acc.status, "active") == 0;
    const char *why = !acc.uid ? "unknown_login" : !active ? "disabled" : pw_ok ? NULL : "wrong_password";
    gh_err ignore;
    if (with_code) {
        int ok = 0;
        const char *factor = NULL;
        if (!why && acc.totp) rc = auth_factor_check(x, acc.uid, q->code, &ok, &factor, e);
        if (rc) return rc;
        if (!ok) {
            ratelimit_backoff_fail(x->db, code_key, &BACKOFF_CODE, now, NULL, &ignore);
            if (!known) ratelimit_backoff_fail(x->db, ip_key, &BACKOFF_ADDRESS, now, NULL, &ignore);
            audit_login(x, &acc, login, "session.login", why && strcmp(why, "disabled") == 0 ? "denied" : "failed",
                        why ? why : acc.totp ? "wrong_code" : "no_second_factor", NULL);
            return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名、密码或验证码错误");
        }
        rehash(x, &acc, password);
        return finish(x, &acc, login, account_key, code_key, q->bearer, factor, q->user_agent, res, e);
    }
    if (why) {
        ratelimit_backoff_fail(x->db, account_key, &BACKOFF_ACCOUNT, now, NULL, &ignore);
        if (!known) ratelimit_backoff_fail(x->db, ip_key, &BACKOFF_ADDRESS, now, NULL, &ignore);
        audit_login(x, &acc, login, "session.login", strcmp(why, "disabled") == 0 ? "denied" : "failed", why, NULL);
        return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    }
    rehash(x, &acc, password);
    if (acc.totp) return challenge(x, &acc, login, account_key, q->bearer, res, e);
    return finish(x, &acc, login, account_key, code_key, q->bearer, "password", q->user_agent, res, e);
}

static int challenge_expired(gh_err *e)
{
    return err_set(e, ERR_UNAUTH, "challenge_expired", NULL, "验证已过期或尝试次数过多，请重新输入密码登录");
}

typedef struct challenge_row {
    int64_t id, uid, expires;
    int bearer, tries, used;
    char subject[40], account_key[160];
} challenge_row;

static int challenge_read(store_res *r, void *p, gh_err *e)
{
    (void)e;
    challenge_row *c = p;
    c->id = store_int(r, 0);
    c->uid = store_int(r, 1);
    c->bearer = (int)store_int(r, 2);
    snprintf(c->subject, sizeof c->subject, "%s", store_text(r, 3));
    snprintf(c->account_key, sizeof c->account_key, "%s", store_text(r, 4));
    c->tries = (int)store_int(r, 5);
    c->used = (int)store_int(r, 6);
    c->expires = store_int(r, 7);
    return 0;
}

int auth_second_factor(gh_ctx *x, const char *token, const char *code, const char *user_agent,
                       auth_login_res *res, gh_err *e)
{
    memset(res, 0, sizeof *res);
    if (!token || !*token || strlen(token) > 128) return challenge_expired(e);
    if (!code || !*code) return err_set(e, ERR_INVALID, "missing_field", "code", "请输入验证码");
    char h[65];
    crypto_sha256_hex(token, strlen(token), h);
    challenge_row c = {0};
    int rc = store_one(x->db,
        "SELECT id, user_id, bearer, subject, account_key, tries, used, expires_ms FROM login_challenges"
        " WHERE token_hash = $1",
        SV_ARGS(SV_T(h)), challenge_read, &c, e);
    if (rc == ERR_NOT_FOUND) return challenge_expired(e);
    if (rc) return rc;
    int64_t now = ts_now_ms();
    if (c.used || c.expires <= now || c.tries >= CHALLENGE_TRIES) return challenge_expired(e);
    char code_key[64];
    snprintf(code_key, sizeof code_key, "code:%s", c.subject);
    int64_t wait = 0;
    rc = ratelimit_backoff_wait(x->db, code_key, now, &wait, e);
    if (rc) return rc;
    if (wait > 0) return throttled(res, wait, e);
    /* Count the try first, so parallel guesses cannot exceed five. */
    int64_t n = 0;
    rc = store_exec(x->db, "UPDATE login_challenges SET tries = tries + 1 WHERE id = $1 AND tries < $2 AND used = 0",
                    SV_ARGS(SV_I(c.id), SV_I(CHALLENGE_TRIES)), &n, e);
    if (rc) return rc;
    if (n != 1) return challenge_expired(e);
    account acc;
    rc = account_by_id(x, c.uid, &acc, e);
    if (rc) return rc;
    if (!acc.uid || strcmp(acc.status, "active") != 0) return challenge_expired(e);
    int ok = 0;
    const char *factor = NULL;
    rc = auth_factor_check(x, acc.uid, code, &ok, &factor, e);
    if (rc) return rc;
    if (!ok) {
        gh_err ignore;
        ratelimit_backoff_fail(x->db, code_key, &BACKOFF_CODE, now, NULL, &ignore);
        audit_login(x, &acc, NULL, "session.login", "failed", "wrong_code", NULL);
        int left = CHALLENGE_TRIES - c.tries - 1;
        if (left <= 0) return challenge_expired(e);
        return err_set(e, ERR_UNAUTH, "invalid_code", "code", "验证码不正确，还可以再试 %d 次", left);
    }
    rc = store_exec(x->db, "UPDATE login_challenges SET used = 1 WHERE id = $1 AND used = 0", SV_ARGS(SV_I(c.id)), &n,
                    e);
    if (rc) return rc;
    if (n != 1) return challenge_expired(e);
    return finish(x, &acc, NULL, c.account_key, code_key, c.bearer, factor, user_agent, res, e);
}

int auth_enrol_refuse(gh_err *e)
{
    return err_set(e, ERR_FORBIDDEN, "second_factor_required", NULL,
                   "按管理员要求，您的账号须先开启两步验证（账号安全），完成后才能使用其他功能");
}

int auth_throttle_forget(store_conn *db, int64_t uid, gh_err *e)
{
    char login_key_s[48], code_key_s[48], pair_lo[48], pair_hi[48];
    snprintf(login_key_s, sizeof login_key_s, "login:u%lld", (long long)uid);
    snprintf(code_key_s, sizeof code_key_s, "code:u%lld", (long long)uid);
    snprintf(pair_lo, sizeof pair_lo, "pair:u%lld:", (long long)uid);
    snprintf(pair_hi, sizeof pair_hi, "pair:u%lld;", (long long)uid); /* ';' follows ':' */
    return store_exec(db, "DELETE FROM rate_backoff WHERE key IN ($1, $2) OR (key >= $3 AND key < $4)",
                      SV_ARGS(SV_T(login_key_s), SV_T(code_key_s), SV_T(pair_lo), SV_T(pair_hi)), NULL, e);
}

int auth_logout(gh_ctx *x, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!a->session_id) return err_set(e, ERR_UNAUTH, "unauthenticated", NULL, "尚未登录");
    int rc = store_exec(x->db, "UPDATE sessions SET revoked = 1 WHERE id = $1",
                        SV_ARGS(SV_I(a->session_id)), NULL, e);
    if (rc) return rc;
    return audit_record(x, "session.logout", "user", a->user_id, a->org_id, "ok", NULL, e);
}

int auth_me(gh_ctx *x, const char *csrf, json_t **out, gh_err *e)
{
    json_t *u = NULL;
    int rc = user_json(x->db, x->actor->user_id, &u, e);
    if (rc) return rc;
    int idle = x->cfg->session_idle_s > 0 ? x->cfg->session_idle_s : 1800;
    *out = json_pack("{s:o, s:s, s:i, s:b}", "user", u, "csrf_token", csrf ? csrf : "", "idle_timeout_s", idle,
                     "must_enrol_totp", x->actor->must_enrol);
    return 0;
}

/* Words people build passwords from, letters only, lower case: a password
 * whose letters are one of these (whatever digits and symbols surround
 * them) is among the first an attacker tries. Our own short list of the
 * usual suspects, English and pinyin. */
static const char *const common_words[] = {
    "password", "passwd", "pass", "qwerty", "qwertyuiop", "asdf", "asdfgh", "zxcvbn", "iloveyou", "admin",
    "administrator", "root", "user", "guest", "test", "welcome", "letmein", "login", "master", "monkey", "dragon",
    "sunshine", "princess", "football", "baseball", "superman", "trustno", "hello", "abc", "abcd", "abcde",
    "abcdef", "qaz", "qazwsx", "woaini", "aini", "wodemima", "mima", "mimamima", "zhangsan", "lisi", "wangwu",
    "iloveu", "changeme", "secret", "default", "system", NULL,
};

/* Rows of the keyboard and of the number pad: a run of six or more of
 * them, either way, is a pattern, not a secret. */
static const char *const keyboard_rows[] = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc",
                                            "qazwsxedc", NULL};

static int has_run_from(const char *lower, const char *row)
{
    size_t rl = strlen(row);
    char piece[7], back[7];
    for (size_t k = 0; k + 6 <= rl; k++) {
        for (int m = 0; m < 6; m++) {
            piece[m] = row[k + m];
            back[m] = row[k + 5 - m];
        }
        piece[6] = back[6] = '\0';
        if (strstr(lower, piece) || strstr(lower, back)) return 1;
    }
    return 0;
}

/* 1 when pw is guessable whatever its length: few distinct characters, one
 * steady run (abcdefgh, 87654321), a keyboard walk, only digits (a date or
 * a phone number), or a common word dressed up with digits and symbols. */
static int guessable(const char *pw)
{
    char lower[129], letters[129];
    size_t n = 0, nl = 0, digits = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p && n < 128; p++) {
        unsigned char c = (unsigned char)tolower(*p);
        lower[n++] = (char)c;
        if (isalpha(c)) letters[nl++] = (char)c;
        if (isdigit(c)) digits++;
    }
    lower[n] = letters[nl] = '\0';
    int distinct = 0;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) seen = lower[k] == lower[i];
        distinct += !seen;
    }
    if (distinct < 4) return 1;
    if (digits == n && n < 12) return 1;
    /* the longest steady run (+1, -1 or 0 per character) */
    size_t run = 1, best = 1;
    for (size_t i = 1; i < n; i++) {
        int d = lower[i] - lower[i - 1];
        int d0 = i >= 2 ? lower[i - 1] - lower[i - 2] : d;
        run = (d >= -1 && d <= 1 && d == d0) ? run + 1 : (d >= -1 && d <= 1 ? 2 : 1);
        if (run > best) best = run;
    }
    if (best >= 6 || best * 10 >= n * 8) return 1;
    for (int r = 0; keyboard_rows[r]; r++)
        if (has_run_from(lower, keyboard_rows[r])) return 1;
    if (nl >= 3)
        for (int w = 0; common_words[w]; w++)
            if (strcmp(letters, common_words[w]) == 0) return 1;
    return 0;
}

/* One rule for every account, staff and members alike (NIST SP 800-63B's
 * advice rather than character classes): 8 to 128 characters, no control
 * characters, not guessable, not containing the login. */
int auth_password_ok(const char *pw, const char *login, gh_err *e)
{
    size_t n = strlen(pw);
    if (n < 8) return err_set(e, ERR_INVALID, "weak_password", "password", "密码至少 8 位");
    if (n > 128) return err_set(e, ERR_INVALID, "weak_password", "password", "密码不能超过 128 位");
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return err_set(e, ERR_INVALID, "weak_password", "password", "密码不能包含控制字符");
    if (guessable(pw))
        return err_set(e, ERR_INVALID, "weak_password", "password",
                       "密码太容易被猜到（常见密码、连续或重复的字符、键盘序列、纯数字），请换一个");
    if (login && *login && strlen(login) >= 3 && strcasestr(pw, login))
        return err_set(e, ERR_INVALID, "weak_password", "password", "密码不能包含用户名");
    return 0;
}

typedef struct pw_ctx {
    gh_ctx *x;
    const char *hash;
} pw_ctx;

static int change_pw_tx(store_conn *db, void *p, gh_err *e)
{
    pw_ctx *c = p;
    const gh_actor *a = c->x->actor;
    char ts[32];
    ts_now(ts);
    int rc = store_exec(db,
        "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1",
        SV_ARGS(SV_I(a->user_id), SV_T(c->hash), SV_T(ts)), NULL, e);
    if (rc) return rc;
    /* Log out everywhere else: whoever else had a session loses it. */
    rc = store_exec(db, "UPDATE sessions SET revoked = 1 WHERE user_id = $1 AND id <> $2",
                    SV_ARGS(SV_I(a->user_id), SV_I(a->session_id)), NULL, e);
    if (rc) return rc;
    return audit_record(c->x, "user.password_change", "user", a->user_id, a->org_id, "ok", NULL, e);
}

int auth_change_password(gh_ctx *x, const char *old_pw, const char *new_pw, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!a->user_id) return err_set(e, ERR_UNAUTH, "unauthenticated", NULL, "请先登录");
    if (!old_pw || !new_pw)
        return err_set(e, ERR_INVALID, "missing_field", !old_pw ? "old_password" : "new_password",
                       "请输入原密码和新密码");
    char hash[160] = "";
    store_res r;
    int rc = store_query(x->db, &r, "SELECT password_hash FROM users WHERE id = $1",
                         SV_ARGS(SV_I(a->user_id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) snprintf(hash, sizeof hash, "%s", store_text(&r, 0));
    store_done(&r);
    if (rc < 0) return rc;
    if (crypto_password_verify(hash, old_pw) != 0) {
        gh_err ignore;
        audit_record(x, "user.password_change", "user", a->user_id, a->org_id, "failed", NULL, &ignore);
        return err_set(e, ERR_INVALID, "wrong_password", "old_password", "原密码不正确");
    }
    const char *login = strncmp(a->login, "mobile:", 7) == 0 ? "" : a->login;
    rc = auth_password_ok(new_pw, login, e);
    if (rc) {
        if (e) snprintf(e->field, sizeof e->field, "new_password");
        return rc;
    }
    if (strcmp(old_pw, new_pw) == 0)
        return err_set(e, ERR_INVALID, "same_password", "new_password", "新密码不能与原密码相同");
    char nh[128];
    rc = crypto_password_hash(new_pw, nh, e);
    if (rc) return rc;
    pw_ctx c = {x, nh};
    return store_tx(x->db, STORE_WRITE, change_pw_tx, &c, e);
}

static const char *const login_modes[] = {"cookie", "bearer", NULL};

const jv_field auth_login_fields[] = {
    {"login", JV_STRING, JV_REQUIRED, "用户名", .max = 64},
    {"password", JV_STRING, JV_REQUIRED, "密码", .max = 128},
    {"code", JV_STRING, 0, "验证码", .max = 32},
    {"mode", JV_ENUM, 0, "登录方式", .choices = login_modes},
    {0},
};

const jv_field auth_second_factor_fields[] = {
    {"challenge", JV_STRING, JV_REQUIRED, "登录验证", .max = 128},
    {"code", JV_STRING, JV_REQUIRED, "验证码", .max = 32},
    {0},
};

const jv_field auth_password_fields[] = {
    {"old_password", JV_STRING, JV_REQUIRED, "原密码", .max = 128},
    {"new_password", JV_STRING, JV_REQUIRED, "新密码", .max = 128},
    {0},
};

int auth_change_password_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    int rc = jv_check(body, auth_password_fields, e);
    if (rc) return rc;
    (void)out;
    return auth_change_password(x, jv_str(body, "old_password"), jv_str(body, "new_password"), e);
}

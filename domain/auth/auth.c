/* auth.c — log-in, sessions, passwords; see auth.h. */
#include "domain/auth/auth.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/core/module.h"
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
        "SELECT " ACTOR_COLS ", s.id, s.csrf, s.last_seen_ms, u.status"
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

static int create_session(gh_ctx *x, int64_t uid, const char *user_agent, char **token,
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
        "INSERT INTO sessions (user_id, token_hash, csrf, created_at, last_seen_ms, client, user_agent)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        SV_ARGS(SV_I(uid), SV_T(h), SV_T(csrf), SV_T(ts), SV_I(ts_now_ms()), SV_T(x->actor->client),
                SV_T(ua)),
        NULL, e);
    if (rc) return rc;
    *token = strdup(tok);
    return *token ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

/* Audit entries about a log-in carry the user as actor even though nobody is
 * logged in yet. */
static void audit_login(gh_ctx *x, int64_t uid, int64_t org_id, const char *role, const char *typed,
                        const char *outcome, const char *reason)
{
    gh_actor a = *x->actor;
    a.user_id = uid;
    a.role = role ? role_parse(role) : ROLE_ANON;
    if (a.role < 0) a.role = ROLE_ANON;
    /* A mobile number typed as log-in is not written to the log in clear. */
    char m[12], masked[12];
    if (valid_mobile(typed, m, NULL) == 0) {
        mask_mobile(m, masked);
        snprintf(a.login, sizeof a.login, "%s", masked);
    } else {
        snprintf(a.login, sizeof a.login, "%.63s", typed);
    }
    gh_ctx cx = *x;
    cx.actor = &a;
    json_t *d = reason ? json_pack("{s:s}", "reason", reason) : NULL;
    gh_err ignore;
    audit_record(&cx, "session.login", "user", uid, org_id, outcome, d, &ignore);
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

int auth_login(gh_ctx *x, const char *login, const char *password, const char *user_agent,
               char **token, json_t **out, gh_err *e)
{
    *token = NULL;
    *out = NULL;
    if (!login || !*login || !password || !*password)
        return err_set(e, ERR_INVALID, "missing_field", !login || !*login ? "login" : "password",
                       "请输入用户名（或手机号）和密码");
    if (strlen(login) > 64 || strlen(password) > 128)
        return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    char key[80];
    login_key(x->cfg, login, key);
    store_res r;
    int64_t uid = 0, org_id = 0, locked_until = 0;
    char hash[160] = "", status[16] = "", role[16] = "";
    int rc = store_query(x->db, &r,
        "SELECT id, password_hash, locked_until_ms, status, role, org_id FROM users WHERE login = $1",
        SV_ARGS(SV_T(key)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        uid = store_int(&r, 0);
        snprintf(hash, sizeof hash, "%s", store_text(&r, 1));
        locked_until = store_int(&r, 2);
        snprintf(status, sizeof status, "%s", store_text(&r, 3));
        snprintf(role, sizeof role, "%s", store_text(&r, 4));
        org_id = store_int(&r, 5);
    }
    store_done(&r);
    if (rc < 0) return rc;
    int64_t now = ts_now_ms();
    if (!uid) {
        /* Same work and same answer as a wrong password: no probing for
         * which log-ins exist. */
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, make_dummy);
        crypto_password_verify(g_dummy_hash, password);
        audit_login(x, 0, 0, NULL, login, "failed", "unknown_login");
        return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    }
    if (locked_until > now) {
        audit_login(x, uid, org_id, role, login, "denied", "locked");
        long mins = (long)((locked_until - now + 59999) / 60000);
        return err_set(e, ERR_LOCKED, "account_locked", NULL,
                       "密码连续输错 %d 次，账号已锁定，请 %ld 分钟后再试", AUTH_MAX_FAILURES, mins);
    }
    if (strcmp(status, "active") != 0) {
        audit_login(x, uid, org_id, role, login, "denied", "disabled");
        return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    }
    /* argon2id runs outside any transaction: it takes a tenth of a second
     * and must not hold the database's write lock. */
    if (crypto_password_verify(hash, password) != 0) {
        rc = store_exec(x->db,
            "UPDATE users SET"
            " locked_until_ms = CASE WHEN failed_count + 1 >= $2 THEN $3 ELSE locked_until_ms END,"
            " failed_count = CASE WHEN failed_count + 1 >= $2 THEN 0 ELSE failed_count + 1 END"
            " WHERE id = $1",
            SV_ARGS(SV_I(uid), SV_I(AUTH_MAX_FAILURES), SV_I(now + AUTH_LOCK_MS)), NULL, e);
        if (rc) return rc;
        audit_login(x, uid, org_id, role, login, "failed", "wrong_password");
        return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    }
    char ts[32], csrf[64];
    ts_now(ts);
    rc = store_exec(x->db, "UPDATE users SET failed_count = 0, last_login_at = $2 WHERE id = $1",
                    SV_ARGS(SV_I(uid), SV_T(ts)), NULL, e);
    if (rc == 0 && crypto_password_needs_rehash(hash)) {
        char nh[128];
        if (crypto_password_hash(password, nh, NULL) == 0)
            store_exec(x->db, "UPDATE users SET password_hash = $2 WHERE id = $1",
                       SV_ARGS(SV_I(uid), SV_T(nh)), NULL, NULL);
    }
    if (rc == 0) rc = create_session(x, uid, user_agent, token, csrf, e);
    if (rc) return rc;
    audit_login(x, uid, org_id, role, login, "ok", NULL);
    json_t *u = NULL;
    rc = user_json(x->db, uid, &u, e);
    if (rc) {
        free(*token);
        *token = NULL;
        return rc;
    }
    int idle = x->cfg->session_idle_s > 0 ? x->cfg->session_idle_s : 1800;
    *out = json_pack("{s:o, s:s, s:i}", "user", u, "csrf_token", csrf, "idle_timeout_s", idle);
    return 0;
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
    *out = json_pack("{s:o, s:s, s:i}", "user", u, "csrf_token", csrf ? csrf : "", "idle_timeout_s", idle);
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
    {"mode", JV_ENUM, 0, "登录方式", .choices = login_modes},
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

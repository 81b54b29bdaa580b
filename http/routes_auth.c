/* routes_auth.c — /api/v1/session: log-in, who am I, log-out, password. */
#include <stdlib.h>
#include <string.h>

#include "base/jsonv.h"
#include "domain/auth/auth.h"
#include "http/routes.h"

static const char *const modes[] = {"cookie", "bearer", NULL};

static const jv_field login_fields[] = {
    {"login", JV_STRING, JV_REQUIRED, "用户名", .max = 64},
    {"password", JV_STRING, JV_REQUIRED, "密码", .max = 128},
    {"mode", JV_ENUM, 0, "登录方式", .choices = modes},
    {0},
};

static int h_login(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, login_fields, e);
    if (rc) return rc;
    char *token = NULL;
    json_t *out = NULL;
    rc = auth_login(http_ctx(r), jv_str(b, "login"), jv_str(b, "password"), http_header(r, "User-Agent"),
                    &token, &out, e);
    if (rc) return rc;
    const char *mode = jv_str(b, "mode");
    if (mode && strcmp(mode, "bearer") == 0) {
        /* API clients keep the token themselves; no cookie. */
        json_object_set_new(out, "token", json_string(token));
    } else {
        http_set_session_cookie(r, token);
    }
    free(token);
    return http_json(r, 201, out);
}

static int h_me(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = auth_me(http_ctx(r), http_session_csrf(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_logout(http_req *r, gh_err *e)
{
    int rc = auth_logout(http_ctx(r), e);
    if (rc) return rc;
    http_clear_session_cookie(r);
    return http_no_content(r);
}

static const jv_field pw_fields[] = {
    {"old_password", JV_STRING, JV_REQUIRED, "原密码", .max = 128},
    {"new_password", JV_STRING, JV_REQUIRED, "新密码", .max = 128},
    {0},
};

static int h_password(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, pw_fields, e);
    if (rc) return rc;
    rc = auth_change_password(http_ctx(r), jv_str(b, "old_password"), jv_str(b, "new_password"), e);
    if (rc) return rc;
    return http_no_content(r);
}

const http_route routes_auth[] = {
    {HTTP_POST, "/api/v1/session", h_login, R_PUBLIC | R_JSON | R_NOCSRF},
    {HTTP_GET, "/api/v1/session", h_me, 0},
    {HTTP_DELETE, "/api/v1/session", h_logout, 0},
    {HTTP_POST, "/api/v1/session/password", h_password, R_JSON},
    {0},
};

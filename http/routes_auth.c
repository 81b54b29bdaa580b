/* routes_auth.c — /api/v1/session (log-in, who am I, log-out, password)
 * and /api/v1/users (staff accounts). Log-in and log-out set the session
 * cookie, so they are written out; the rest is declared. */
#include <stdlib.h>
#include <string.h>

#include "domain/auth/auth.h"
#include "domain/auth/user.h"
#include "http/routes.h"

static int h_login(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, auth_login_fields, e);
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

/* The same for pages that anyone may open: 200 with "user": null when
 * nobody is logged in (an expired session included), so a public page
 * learns it without an error. */
static int h_state(http_req *r, gh_err *e)
{
    if (http_ctx(r)->actor->role == ROLE_ANON)
        return http_json(r, 200, json_pack("{s:n, s:s}", "user", "csrf_token", ""));
    return h_me(r, e);
}

static int h_logout(http_req *r, gh_err *e)
{
    int rc = auth_logout(http_ctx(r), e);
    if (rc) return rc;
    http_clear_session_cookie(r);
    return http_no_content(r);
}

HTTP_QUERY_THUNK(user_list, user_query)

static const http_qparam users_q[] = {
    Q_PAGE(user_query),
    Q_INT(user_query, org_id, "org_id", 0, "组织"),
    Q_STR(user_query, q, "q", "用户名或姓名"),
    Q_STR(user_query, role, "role", "角色"),
    {0},
};

const http_route routes_auth[] = {
    {HTTP_POST, "/api/v1/session", h_login, R_PUBLIC | R_JSON | R_NOCSRF, .body = auth_login_fields},
    {HTTP_GET, "/api/v1/session", h_me},
    {HTTP_GET, "/api/v1/session/state", h_state, R_PUBLIC},
    {HTTP_DELETE, "/api/v1/session", h_logout},
    {HTTP_POST, "/api/v1/session/password", .flags = R_JSON, ON_BODY(auth_change_password_body),
     .body = auth_password_fields, .status = 204},
    {HTTP_GET, "/api/v1/users", .flags = R_XLSX, ON_QUERY(user_list, user_query), .query = users_q},
    {HTTP_POST, "/api/v1/users", .flags = R_JSON, ON_BODY(user_create), .status = 201},
    {HTTP_GET, "/api/v1/users/{id}", ON_ID(user_get)},
    {HTTP_PATCH, "/api/v1/users/{id}", .flags = R_JSON, ON_ID_BODY(user_update)},
    {HTTP_POST, "/api/v1/users/{id}/password", .flags = R_JSON, ON_ID_BODY(user_reset_password_body),
     .body = user_reset_fields, .status = 204},
    {0},
};

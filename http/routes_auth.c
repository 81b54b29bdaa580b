/* routes_auth.c — /api/v1/session (log-in in one or two steps, who am I,
 * log-out, password, the second factor), the second-factor requirement and
 * /api/v1/users (staff accounts). The log-in steps and log-out set the
 * session cookie, so they are written out; the rest is declared. Routes a
 * session that must enrol a second factor may use carry R_ENROL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth/auth.h"
#include "domain/auth/user.h"
#include "domain/core/fields.h"
#include "http/routes.h"

/* Hand over the outcome of either log-in step: 201 with the session (a
 * cookie, or the token in the body for bearer clients), 202 with a
 * second-factor challenge, or the error with Retry-After when throttled. */
static int login_reply(http_req *r, int rc, auth_login_res *res, gh_err *e)
{
    if (rc) {
        if (rc == ERR_RATE && res->retry_after_s > 0) {
            char v[16];
            snprintf(v, sizeof v, "%d", res->retry_after_s);
            http_add_header(r, "Retry-After", v);
        }
        free(res->token);
        json_decref(res->out);
        return rc;
    }
    if (!res->token) return http_json(r, 202, res->out);
    if (res->bearer) json_object_set_new(res->out, "token", json_string(res->token)); /* API clients keep it */
    else http_set_session_cookie(r, res->token);
    free(res->token);
    return http_json(r, 201, res->out);
}

static int h_login(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, auth_login_fields, e);
    if (rc) return rc;
    const char *mode = jv_str(b, "mode");
    auth_login_req q = {
        .login = jv_str(b, "login"),
        .password = jv_str(b, "password"),
        .code = jv_str(b, "code"),
        .user_agent = http_header(r, "User-Agent"),
        .bearer = mode && strcmp(mode, "bearer") == 0,
    };
    auth_login_res res;
    rc = auth_login(http_ctx(r), &q, &res, e);
    return login_reply(r, rc, &res, e);
}

static int h_second_factor(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, auth_second_factor_fields, e);
    if (rc) return rc;
    auth_login_res res;
    rc = auth_second_factor(http_ctx(r), jv_str(b, "challenge"), jv_str(b, "code"), http_header(r, "User-Agent"),
                            &res, e);
    return login_reply(r, rc, &res, e);
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
    {HTTP_POST, "/api/v1/session/second-factor", h_second_factor, R_PUBLIC | R_JSON | R_NOCSRF,
     .body = auth_second_factor_fields},
    {HTTP_GET, "/api/v1/session", h_me, R_ENROL},
    {HTTP_GET, "/api/v1/session/state", h_state, R_PUBLIC | R_ENROL},
    {HTTP_DELETE, "/api/v1/session", h_logout, R_ENROL},
    {HTTP_POST, "/api/v1/session/password", .flags = R_JSON | R_ENROL, ON_BODY(auth_change_password_body),
     .body = auth_password_fields, .status = 204},
    {HTTP_GET, "/api/v1/session/totp", .flags = R_ENROL, ON_PLAIN(auth_totp_status)},
    {HTTP_POST, "/api/v1/session/totp", .flags = R_JSON | R_JSON_OPT | R_ENROL, ON_PLAIN(auth_totp_begin),
     .body = core_no_fields, .status = 201},
    {HTTP_POST, "/api/v1/session/totp/confirm", .flags = R_JSON | R_ENROL, ON_BODY(auth_totp_confirm),
     .body = auth_code_fields},
    {HTTP_POST, "/api/v1/session/totp/disable", .flags = R_JSON, ON_BODY(auth_totp_disable), .body = auth_code_fields},
    {HTTP_GET, "/api/v1/settings/second-factor", ON_PLAIN(auth_second_factor_policy)},
    {HTTP_PUT, "/api/v1/settings/second-factor", .flags = R_JSON, ON_BODY(auth_second_factor_policy_set),
     .body = auth_policy_fields},
        {HTTP_GET, "/api/v1/users", .flags = R_XLSX, ON_QUERY(user_list, user_query), .query = users_q},
    {HTTP_POST, "/api/v1/users", .flags = R_JSON, ON_BODY(user_create), .status = 201},
    {HTTP_GET, "/api/v1/users/{id}", ON_ID(user_get)},
    {HTTP_PATCH, "/api/v1/users/{id}", .flags = R_JSON, ON_ID_BODY(user_update)},
    {HTTP_POST, "/api/v1/users/{id}/password", .flags = R_JSON, ON_ID_BODY(user_reset_password_body),
     .body = user_reset_fields, .status = 204},
    {HTTP_POST, "/api/v1/users/{id}/totp/reset", .flags = R_JSON, ON_ID_STR(user_reset_totp, "reason"),
     .body = core_reason_fields},
    {0},
};

/* routes_member.c — members (/api/v1/members, /api/v1/me/member,
 * /api/v1/member-activation, /api/v1/member-password-reset) and online joining (/api/v1/join-requests).
 * Every route is declared; rules live in domain/member. */
#include "domain/core/fields.h"
#include "domain/member/joinreq.h"
#include "domain/member/member.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(member_list, member_query)
HTTP_QUERY_THUNK(member_stats_q, member_stats_query)
HTTP_QUERY_THUNK(join_list, join_query)

static const http_qparam list_q[] = {
    Q_PAGE(member_query),
    Q_INT(member_query, org_id, "org_id", 0, "组织"),
    Q_FLAG(member_query, frontline, "frontline", -1, "一线职工"),
    Q_STR(member_query, q, "q", "姓名、身份证号或手机号"),
    Q_STR(member_query, employment_form, "employment_form", "就业形态"),
    Q_STR(member_query, status, "status", "状态"),
    {0},
};

static const http_qparam stats_q[] = {
    Q_INT(member_stats_query, org_id, "org_id", 0, "组织"),
    {0},
};

static const http_qparam join_q[] = {
    Q_PAGE(join_query),
    Q_INT(join_query, org_id, "org_id", 0, "组织"),
    Q_STR(join_query, status, "status", "状态"),
    {0},
};

static const http_import member_upload = {member_import, member_import_allowed, "member_import", "member_import_check"};

#define PUBLIC_FORM (R_PUBLIC | R_JSON | R_NOCSRF)

const http_route routes_member[] = {
    {HTTP_GET, "/api/v1/members", .flags = R_XLSX, ON_QUERY(member_list, member_query), .query = list_q},
    {HTTP_POST, "/api/v1/members", .flags = R_JSON, ON_BODY(member_create), .status = 201},
    {HTTP_GET, "/api/v1/members/stats", ON_QUERY(member_stats_q, member_stats_query), .query = stats_q},
    {HTTP_POST, "/api/v1/members/import", .flags = R_UPLOAD, .import = &member_upload},
    {HTTP_GET, "/api/v1/members/{id}", ON_ID(member_get)},
    {HTTP_PATCH, "/api/v1/members/{id}", .flags = R_JSON, ON_ID_BODY(member_update)},
    {HTTP_POST, "/api/v1/members/{id}/transfer", .flags = R_JSON, ON_ID_BODY(member_transfer_body),
     .body = member_transfer_fields},
    {HTTP_GET, "/api/v1/members/{id}/history", ON_ID(member_history)},
    {HTTP_POST, "/api/v1/members/{id}/reveal", .flags = R_JSON, ON_ID_BODY(member_reveal_body), .body = member_reveal_fields},
    {HTTP_GET, "/api/v1/me/member", ON_PLAIN(member_me)},
    {HTTP_POST, "/api/v1/member-activation", .flags = PUBLIC_FORM, ON_BODY(member_activate_body),
     .body = member_activate_fields, .status = 201},
    {HTTP_POST, "/api/v1/member-password-reset", .flags = PUBLIC_FORM, ON_BODY(member_reset_request),
     .body = member_reset_fields, .status = 202},
    {HTTP_POST, "/api/v1/member-password-reset/confirm", .flags = PUBLIC_FORM, ON_BODY(member_reset_confirm),
     .body = member_reset_confirm_fields},
    {HTTP_POST, "/api/v1/join-requests", .flags = PUBLIC_FORM, ON_BODY(join_submit), .status = 201},
    /* POST rather than GET: the code is a secret and must not end up in a URL */
    {HTTP_POST, "/api/v1/join-requests/status", .flags = PUBLIC_FORM, ON_BODY(join_status_body), .body = join_status_fields},
    {HTTP_GET, "/api/v1/join-requests", .flags = R_XLSX, ON_QUERY(join_list, join_query), .query = join_q},
    {HTTP_GET, "/api/v1/join-requests/{id}", ON_ID(join_get)},
    {HTTP_POST, "/api/v1/join-requests/{id}/approve", .flags = R_JSON | R_JSON_OPT, ON_ID_BODY(join_approve)},
    {HTTP_POST, "/api/v1/join-requests/{id}/reject", .flags = R_JSON, ON_ID_STR(join_reject, "reason"),
     .body = core_reason_fields},
    {0},
};

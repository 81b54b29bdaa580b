/* routes_core.c — the platform's shared services over HTTP: health, the
 * console menu, background jobs (/api/v1/jobs), the audit log
 * (/api/v1/audit, read only: no route changes or removes an entry) and its
 * signed checkpoints (/api/v1/audit/checkpoints), policy
 * parameters (/api/v1/policies) and the ledger (/api/v1/ledger). */
#include <stdlib.h>
#include <string.h>

#include "domain/core/audit.h"
#include "domain/core/checkpoint.h"
#include "domain/core/fields.h"
#include "domain/core/importer.h"
#include "domain/core/job.h"
#include "domain/core/ledger.h"
#include "domain/core/module.h"
#include "domain/core/notice.h"
#include "domain/core/policy.h"
#include "http/routes.h"

static int h_health(http_req *r, gh_err *e)
{
    (void)e;
    return http_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "version", GH_VERSION));
}

/* The console's side menu for whoever asks: the module descriptors'
 * entries they may see (an empty list for members and visitors), and the
 * entries their role has but whose duty they lack ("locked", with the duty
 * in words), so the console can say "需要××职责" instead of showing them. */
static int menu_get(gh_ctx *x, json_t **out, gh_err *e)
{
    json_t *items = module_menu(x->actor), *locked = module_menu_locked(x->actor);
    if (!items || !locked) {
        json_decref(items);
        json_decref(locked);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    *out = json_pack("{s:o, s:o}", "items", items, "locked", locked); /* steals both, even on failure */
    return *out ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

HTTP_QUERY_THUNK(audit_search, audit_query)
HTTP_QUERY_THUNK(notice_list, notice_query)

static const http_qparam notices_q[] = {
    Q_PAGE(notice_query),
    Q_FLAG(notice_query, unread, "unread", 0, "只看未读"),
    {0},
};
HTTP_QUERY_THUNK(policy_list, policy_query)
HTTP_QUERY_THUNK(policy_effective_q, policy_effective_query)
HTTP_QUERY_THUNK(ledger_accounts_list, ledger_query)
HTTP_QUERY_THUNK(ledger_transfers_list, ledger_query)

/* The accounts list takes no filter but the org (the rest are transfers'). */
static const http_qparam accounts_q[] = {
    Q_PAGE(ledger_query),
    Q_INT(ledger_query, org_id, "org_id", 0, "组织"),
    {0},
};

static const http_qparam audit_q[] = {
    Q_PAGE(audit_query),
    Q_INT(audit_query, actor_id, "actor_id", 0, "操作人编号"),
    Q_INT(audit_query, object_id, "object_id", 0, "对象编号"),
    Q_STR(audit_query, actor, "actor", "操作人"),
    Q_STR(audit_query, action, "action", "操作"),
    Q_STR(audit_query, object_type, "object_type", "对象类型"),
    Q_STR(audit_query, from, "from", "起始时间"),
    Q_STR(audit_query, to, "to", "截止时间"),
    Q_STR(audit_query, outcome, "outcome", "结果"),
    {0},
};

/* Without per_page a policy list answers 100 versions, as it always has. */
static const http_qparam policy_q[] = {
    Q_PAGE_DEF(policy_query, 100),
    Q_INT(policy_query, org_id, "org_id", 0, "组织"),
    Q_STR(policy_query, kind, "kind", "政策类型"),
    Q_STR(policy_query, status, "status", "状态"),
    Q_STR(policy_query, on, "on", "日期"),
    {0},
};

static const http_qparam effective_q[] = {
    Q_STR(policy_effective_query, kind, "kind", "政策类型"),
    Q_INT(policy_effective_query, org_id, "org_id", 0, "组织"),
    Q_STR(policy_effective_query, on, "on", "日期"),
    {0},
};

static const http_qparam ledger_q[] = {
    Q_PAGE(ledger_query),
    Q_INT(ledger_query, org_id, "org_id", 0, "组织"),
    Q_INT(ledger_query, account_id, "account_id", 0, "科目"),
    Q_INT(ledger_query, ref_id, "ref_id", 0, "业务编号"),
    Q_STR(ledger_query, ref_type, "ref_type", "业务类型"),
    Q_STR(ledger_query, from, "from", "起始日期"),
    Q_STR(ledger_query, to, "to", "截止日期"),
    {0},
};

/* The trial balance as JSON or, with format=xlsx, as a workbook. */
static int h_trial(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int xlsx = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc == 0) rc = http_query_format(r, &xlsx, e);
    if (rc) return rc;
    if (xlsx) {
        char *data = NULL;
        size_t len = 0;
        rc = ledger_trial_balance_xlsx(http_ctx(r), org, http_query(r, "from"), http_query(r, "to"), &data, &len, e);
        return rc ? rc : http_xlsx(r, data, len, "试算平衡表.xlsx");
    }
    json_t *out = NULL;
    rc = ledger_trial_balance(http_ctx(r), org, http_query(r, "from"), http_query(r, "to"), &out, e);
    return reply_result(r, rc, 200, out);
}

/* The rows of an import job that had errors, as a workbook to correct and
 * upload again (format=xlsx, the only format). */
static int h_job_errors(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    const char *fmt = http_query(r, "format");
    if (fmt && *fmt && strcmp(fmt, "xlsx") != 0) return err_set(e, ERR_INVALID, "invalid_query", "format", "格式应为 xlsx");
    char *data = NULL;
    size_t len = 0;
    rc = import_errors_xlsx(http_ctx(r), id, &data, &len, e);
    return rc ? rc : http_xlsx(r, data, len, "导入错误-需修改的行.xlsx");
}

/* Documents the query of the hand-written handler above. */
typedef struct job_errors_doc {
    const char *format;
} job_errors_doc;
static const http_qparam job_errors_q[] = {
    Q_STR(job_errors_doc, format, "format", "格式（xlsx）"),
    {0},
};

const http_route routes_core[] = {
    {HTTP_GET, "/healthz", h_health, R_PUBLIC},
    {HTTP_GET, "/api/v1/menu", ON_PLAIN(menu_get)},
    {HTTP_GET, "/api/v1/jobs/{id}", ON_ID(job_get)},
    {HTTP_GET, "/api/v1/jobs/{id}/errors", h_job_errors, .query = job_errors_q},
    {HTTP_GET, "/api/v1/me/notices", ON_QUERY(notice_list, notice_query), .query = notices_q},
    {HTTP_GET, "/api/v1/me/notices/unread", ON_PLAIN(notice_unread)},
    {HTTP_POST, "/api/v1/me/notices/read-all", .flags = R_JSON | R_JSON_OPT, ON_PLAIN(notice_read_all),
     .body = core_no_fields},
    {HTTP_POST, "/api/v1/me/notices/{id}/read", .flags = R_JSON | R_JSON_OPT, ON_ID(notice_read), .body = core_no_fields},
    {HTTP_GET, "/api/v1/audit", .flags = R_XLSX, ON_QUERY(audit_search, audit_query), .query = audit_q},
    {HTTP_POST, "/api/v1/audit/checkpoints", .flags = R_JSON | R_JSON_OPT, ON_PLAIN(checkpoint_create),
     .body = core_no_fields, .status = 201},
    {HTTP_GET, "/api/v1/audit/checkpoints/public-key", ON_PLAIN(checkpoint_public_key)},
    {HTTP_GET, "/api/v1/policies", ON_QUERY(policy_list, policy_query), .query = policy_q},
    {HTTP_POST, "/api/v1/policies", .flags = R_JSON, ON_BODY(policy_set_body), .body = policy_request_fields,
     .status = 201},
    {HTTP_POST, "/api/v1/policies/check", .flags = R_JSON, ON_BODY(policy_preview_body), .body = policy_request_fields},
    {HTTP_GET, "/api/v1/policies/effective", ON_QUERY(policy_effective_q, policy_effective_query), .query = effective_q},
    {HTTP_GET, "/api/v1/policies/kinds", ON_PLAIN(policy_kinds)},
    {HTTP_GET, "/api/v1/ledger/accounts", ON_QUERY(ledger_accounts_list, ledger_query), .query = accounts_q},
    {HTTP_GET, "/api/v1/ledger/transfers", .flags = R_XLSX, ON_QUERY(ledger_transfers_list, ledger_query), .query = ledger_q},
    {HTTP_POST, "/api/v1/ledger/transfers", .flags = R_JSON, ON_BODY(ledger_manual_post), .status = 201},
    {HTTP_GET, "/api/v1/ledger/transfers/{id}", ON_ID(ledger_transfer_get)},
    {HTTP_POST, "/api/v1/ledger/transfers/{id}/reverse", .flags = R_JSON, ON_ID_STR(ledger_reverse_api, "reason"),
     .body = core_reason_fields, .status = 201},
    {HTTP_GET, "/api/v1/ledger/trial-balance", h_trial},
    {HTTP_GET, "/api/v1/ledger/check", ON_PLAIN(ledger_check_run)},
    {0},
};

/* refund_bank.c — the bank payment file of an approved refund run, the
 * bank's result file (each line paid once), and refunds by application. */
#include "domain/refund/refund.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/csv.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/money.h"
#include "base/u64set.h"
#include "base/valid.h"
#include "base/xlsx.h"
#include "domain/core/audit.h"
#include "domain/core/importer.h"
#include "domain/core/ledger.h"
#include "domain/core/list.h"
#include "domain/core/lock.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"
#include "domain/enterprise/enterprise.h"
#include "domain/fees/fees.h"
#include "domain/refund/refund_internal.h"

/* ---- the bank ---- */

/* The run's status into st (a closed run takes no bank file or result). */
static int run_status(store_conn *db, int64_t run_id, char st[16], gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r, "SELECT status FROM refund_runs WHERE id = $1", SV_ARGS(SV_I(run_id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) snprintf(st, 16, "%s", store_text(&r, 0));
    store_done(&r);
    if (rc < 0) return rc;
    return rc == 0 ? err_set(e, ERR_NOT_FOUND, "run_not_found", "id", "返还批次不存在") : 0;
}

typedef struct bank_ctx {
    gh_ctx *x;
    int64_t run_id, org_id;
    json_t *rows;
    int64_t missing;
} bank_ctx;

static int bank_file_tx(store_conn *db, void *p, gh_err *e)
{
    bank_ctx *c = p;
    char status[16];
    int rc = run_status(db, c->run_id, status, e);
    if (rc) return rc;
    if (strcmp(status, "closed") == 0)
        return err_set(e, ERR_CONFLICT, "run_closed", NULL, "批次已完成，全部返还款已付清，不再生成银行付款文件");
    if (strcmp(status, "approved") != 0)
        return err_set(e, ERR_CONFLICT, "run_not_approved", NULL, "批次尚未审批，不能生成银行付款文件");
    store_res r;
    rc = store_query(db, &r,
        "SELECT l.id, l.attempts, l.amount_fen, en.name, en.uscc, en.account_name, en.account_sealed, en.bank_name"
        " FROM refund_lines l JOIN enterprises en ON en.id = l.enterprise_id"
        " WHERE l.run_id = $1 AND l.status IN ('approved', 'failed') ORDER BY l.id",
        SV_ARGS(SV_I(c->run_id)), e);
    if (rc) return rc;
    json_t *ids = json_array();
    while ((rc = store_next(&r, e)) > 0) {
        const char *sealed = store_text(&r, 6);
        if (!sealed) {
            c->missing++;
            continue;
        }
        char *acct = NULL;
        if (crypto_open(c->x->cfg->data_key, sealed, &acct, e) != 0) {
            rc = ERR_INTERNAL;
            break;
        }
        char ref[40];
        snprintf(ref, sizeof ref, "RF%08lld-%lld", (long long)store_int(&r, 0), (long long)store_int(&r, 1) + 1);
        json_array_append_new(c->rows, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s?, s:s}", "account", acct, "account_name",
                                                 store_text(&r, 5) ? store_text(&r, 5) : store_text(&r, 3),
                                                 "amount_fen", (json_int_t)store_int(&r, 2), "ref", ref, "enterprise",
                                                 store_text(&r, 3), "bank", store_text(&r, 7), "uscc", store_text(&r, 4)));
        json_array_append_new(ids, json_pack("{s:I, s:s}", "id", (json_int_t)store_int(&r, 0), "ref", ref));
        free(acct);
    }
    store_done(&r);
    char ts[32];
    ts_now(ts);
    size_t i;
    json_t *it;
    json_array_foreach(ids, i, it) {
        if (rc < 0) break;
        rc = store_exec(db,
            "UPDATE refund_lines SET status = 'exported', attempts = attempts + 1, bank_ref = $2, fail_reason = NULL,"
            " updated_at = $3 WHERE id = $1",
            SV_ARGS(SV_I(json_integer_value(json_object_get(it, "id"))), SV_T(json_string_value(json_object_get(it, "ref"))),
                    SV_T(ts)),
            NULL, e);
    }
    json_decref(ids);
    if (rc < 0) return rc;
    if (json_array_size(c->rows) == 0)
        return err_set(e, ERR_CONFLICT, "nothing_to_pay", NULL, "没有待付款的返还记录%s",
                       c->missing ? "（有企业缺少银行账号，请先补全）" : "");
    json_t *d = json_pack("{s:I, s:I}", "lines", (json_int_t)json_array_size(c->rows), "missing_account",
                          (json_int_t)c->missing);
    rc = audit_record(c->x, "refund.bank_file", "refund_run", c->run_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int refund_bank_file(gh_ctx *x, int64_t run_id, const char *format, char **data, size_t *len, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    int xlsx = format && strcmp(format, "xlsx") == 0;
    if (format && !xlsx && strcmp(format, "csv") != 0)
        return err_set(e, ERR_INVALID, "invalid_query", "format", "格式应为 csv 或 xlsx");
    json_t *run = NULL;
    int rc = refund_run_load(x, run_id, &run, NULL, e);
    if (rc) return rc;
    bank_ctx c = {x, run_id, json_integer_value(json_object_get(run, "org_id")), NULL, 0};
    json_decref(run);
    c.rows = json_array();
    rc = store_tx(x->db, STORE_WRITE, bank_file_tx, &c, e);
    if (rc == 0 && xlsx) {
        static const xlsx_col cols[] = {{"account", "收款账号", XLSX_TEXT, 24}, {"account_name", "收款户名", XLSX_TEXT, 30},
                                        {"amount_fen", "金额（元）", XLSX_MONEY, 14}, {"ref", "参考号", XLSX_TEXT, 18},
                                        {"bank", "开户银行", XLSX_TEXT, 20}, {"uscc", "统一社会信用代码", XLSX_TEXT, 22}};
        rc = xlsx_build("付款明细", "小微企业工会经费返还付款文件", cols, 6, c.rows, data, len, e);
    } else if (rc == 0) {
        buf b = {0};
        buf_puts(&b, "\xEF\xBB\xBF收款账号,收款户名,金额,参考号,开户银行,统一社会信用代码\r\n");
        size_t i;
        json_t *it;
        json_array_foreach(c.rows, i, it) {
            char amt[32];
            money_format(json_integer_value(json_object_get(it, "amount_fen")), amt, sizeof amt);
            /* account numbers as text for Excel: a leading tab keeps all digits */
            buf_printf(&b, "\"\t%s\",\"%s\",%s,%s,\"%s\",%s\r\n", json_string_value(json_object_get(it, "account")),
                       json_string_value(json_object_get(it, "account_name")), amt,
                       json_string_value(json_object_get(it, "ref")),
                       json_string_value(json_object_get(it, "bank")) ? json_string_value(json_object_get(it, "bank")) : "",
                       json_string_value(json_object_get(it, "uscc")));
        }
        *len = b.len;
        *data = buf_take(&b);
    }
    json_decref(c.rows);
    return rc;
}

/* The bank's result file. */
static const char *const res_cols[] = {"参考号|ref", "结果|状态|result", "原因|失败原因|reason", "日期|付款日期|date"};
static const char *const res_fields[] = {"ref", "result", "reason", "date"};

typedef struct result_ctx {
    int64_t run_id, org_id;
    int64_t paid, failed, already;
    int64_t bank, payable;
    u64set seen;
} result_ctx;

static int result_row(importer *im, void *p, gh_err *e)
{
    result_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    const char *ref = import_field(im, 0), *res = import_field(im, 1);
    int ok;
    if (!strcmp(res, "成功") || !strcmp(res, "success") || !strcmp(res, "S")) ok = 1;
    else if (!strcmp(res, "失败") || !strcmp(res, "failed") || !strcmp(res, "F")) ok = 0;
    else return import_error(im, "result", "结果应为“成功”或“失败”"), 0;
    char date[11] = "";
    if (*import_field(im, 3) && csv_cell_date(import_field(im, 3), date))
        return import_error(im, "date", "日期格式应为 2023-03-01"), 0;
    char today[11];
    date_format(date_today_cn(), today);
    if (!date[0]) snprintf(date, sizeof date, "%s", today);
    if (strcmp(date, today) > 0) return import_error(im, "date", "付款日期不能晚于今天"), 0;
    int dup = u64set_add(&c->seen, u64set_hash(ref));
    if (dup < 0) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    if (dup) return import_error(im, "ref", "参考号在文件中重复"), 0;
    store_res r;
    int64_t line = 0, amount = 0;
    char status[16] = "", cur_ref[40] = "", exported[11] = "";
    int rc = store_query(x->db, &r,
        "SELECT id, status, amount_fen, COALESCE(bank_ref, ''), substr(updated_at, 1, 10) FROM refund_lines"
        " WHERE run_id = $1 AND id = $2",
        SV_ARGS(SV_I(c->run_id), SV_I(strtoll(ref + (ref[0] == 'R' && ref[1] == 'F' ? 2 : 0), NULL, 10))), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        line = store_int(&r, 0);
        snprintf(status, sizeof status, "%s", store_text(&r, 1));
        amount = store_int(&r, 2);
        snprintf(cur_ref, sizeof cur_ref, "%s", store_text(&r, 3));
        snprintf(exported, sizeof exported, "%s", store_text(&r, 4));
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (!line) return import_error(im, "ref", "参考号不属于本批次"), 0;
    if (strcmp(status, "paid") == 0) {
        /* Paid before: the line stays paid, nothing is paid twice. */
        c->already++;
        return 0;
    }
    if (strcmp(status, "exported") != 0 || strcmp(cur_ref, ref) != 0)
        return import_error(im, "ref", "该参考号不是最近一次导出的付款（可能是过期的文件）"), 0;
    /* a bank cannot pay before it received the file (UTC day of export;
     * a day's grace for the time zone) */
    int32_t ed = 0, pd = 0;
    if (ok && date_parse(exported, &ed, NULL) == 0 && date_parse(date, &pd, NULL) == 0 && pd < ed - 1)
        return import_error(im, "date", "付款日期早于付款文件生成的日期"), 0;
    if (!import_writing(im)) return 0;
    char ts[32];
    ts_now(ts);
    if (ok) {
        char key[48];
        snprintf(key, sizeof key, "refund-paid:%lld", (long long)line);
        ledger_leg leg = {.debit_account = c->payable, .credit_account = c->bank, .amount_fen = amount, .idem_key = key,
                          .ref_type = "refund_line", .ref_id = line, .memo = "小微企业工会经费返还（银行付款）",
                          .value_date = date};
        rc = ledger_post(x, key, &leg, 1, NULL, NULL, e);
        if (rc == 0)
            rc = store_exec(x->db, "UPDATE refund_lines SET status = 'paid', paid_on = $2, updated_at = $3 WHERE id = $1",
                            SV_ARGS(SV_I(line), SV_T(date), SV_T(ts)), NULL, e);
        c->paid++;
    } else {
        rc = store_exec(x->db, "UPDATE refund_lines SET status = 'failed', fail_reason = $2, updated_at = $3 WHERE id = $1",
                        SV_ARGS(SV_I(line), SV_T(*import_field(im, 2) ? import_field(im, 2) : "银行未说明原因"), SV_T(ts)),
                        NULL, e);
        c->failed++;
    }
    if (rc == 0) import_count(im);
    return rc;
}

static int result_finish(importer *im, void *p, gh_err *e)
{
    result_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    int64_t open = 0;
    char ts[32];
    ts_now(ts);
    int rc = store_get_int(x->db, "SELECT COUNT(*) FROM refund_lines WHERE run_id = $1 AND status <> 'paid' AND status <> 'cancelled'",
                           SV_ARGS(SV_I(c->run_id)), &open, e);
    if (rc == 0 && open == 0)
        rc = store_exec(x->db, "UPDATE refund_runs SET status = 'closed', updated_at = $2 WHERE id = $1",
                        SV_ARGS(SV_I(c->run_id), SV_T(ts)), NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I, s:I, s:I}", "paid", (json_int_t)c->paid, "failed", (json_int_t)c->failed,
                          "already_paid", (json_int_t)c->already);
    rc = audit_record(x, "refund.bank_result", "refund_run", c->run_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int refund_bank_result(gh_ctx *x, int64_t run_id, const char *data, size_t len, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    json_t *run = NULL;
    int rc = refund_run_load(x, run_id, &run, NULL, e);
    if (rc) return rc;
    result_ctx c = {.run_id = run_id, .org_id = json_integer_value(json_object_get(run, "org_id"))};
    const char *st = json_string_value(json_object_get(run, "status"));
    if (st && strcmp(st, "closed") == 0) rc = err_set(e, ERR_CONFLICT, "run_closed", NULL, "批次已完成，全部返还款已付清，无需再导入银行回单");
    else if (st && strcmp(st, "approved") != 0) rc = err_set(e, ERR_CONFLICT, "run_not_approved", NULL, "批次尚未审批，没有可对账的付款");
    json_decref(run);
    if (rc) return rc;
    int64_t payer = 0;
    rc = refund_payer(x->db, c.org_id, &payer, e);
    if (rc == 0) rc = ledger_account(x->db, payer, "bank", &c.bank, e);
    if (rc == 0) rc = ledger_account(x->db, payer, "refund_payable", &c.payable, e);
    if (rc) return rc;
    static const int required[] = {0, 1};
    const import_spec spec = {res_cols, res_fields, 4, required, 2, result_row, result_finish};
    rc = import_run(x, &spec, data, len, NULL, 0, &c, NULL, NULL, out, e);
    u64set_free(&c.seen);
    if (rc == 0 && json_integer_value(json_object_get(*out, "error_count")))
        c.paid = c.failed = c.already = 0; /* all or nothing: nothing was written */
    if (rc == 0) {
        json_object_set_new(*out, "paid", json_integer(c.paid));
        json_object_set_new(*out, "failed", json_integer(c.failed));
        json_object_set_new(*out, "already_paid", json_integer(c.already));
    }
    return rc;
}

int refund_apply(gh_ctx *x, int64_t enterprise_id, const char *period, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role == ROLE_ENTERPRISE) {
        if (enterprise_id != a->enterprise_id) return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", "id", "企业不存在");
    } else if (!actor_has_duty(a, DUTY_FINANCE)) {
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    }
    char from[8], to[8], canon[8];
    int rc = refund_period_parse(period, from, to, e);
    if (rc == 0) rc = enterprise_scoped(x, enterprise_id, NULL, NULL, e);
    if (rc) {
        if (e && rc == ERR_NOT_FOUND) snprintf(e->field, sizeof e->field, "enterprise_id");
        return rc;
    }
    /* "2023h1" and "2023H1" are the same period */
    snprintf(canon, sizeof canon, "%.4sH%c", period, period[5]);
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    rc = store_exec(x->db,
        "INSERT INTO refund_applications (enterprise_id, period, created_by, created_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (enterprise_id, period) DO NOTHING",
        SV_ARGS(SV_I(enterprise_id), SV_T(canon), SV_IZ(a->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (changed) {
        gh_err ignore;
        audit_record(x, "refund.apply", "enterprise", enterprise_id, 0, "ok", NULL, &ignore);
    }
    *out = json_pack("{s:I, s:s, s:b}", "enterprise_id", (json_int_t)enterprise_id, "period", canon, "new", changed > 0);
    return 0;
}

const jv_field refund_apply_fields[] = {
    {"enterprise_id", JV_INT, JV_REQUIRED, "企业", .min = 1, .max = INT64_MAX},
    {"period", JV_STRING, JV_REQUIRED, "期间", .max = 6},
    {0},
};

int refund_apply_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    int rc = jv_check(body, refund_apply_fields, e);
    if (rc) return rc;
    return refund_apply(x, jv_int(body, "enterprise_id", 0), jv_str(body, "period"), out, e);
}

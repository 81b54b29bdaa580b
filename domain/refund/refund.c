/* refund.c — refund runs to small and micro enterprises (小微企业工会经费返还):
 * the policy, the kill-safe computation in batches, and maker/checker
 * approval. Bank files are in refund_bank.c, figures in refund_stats.c. */
#include "domain/refund/refund.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/money.h"
#include "base/u64set.h"
#include "base/valid.h"
#include "base/xlsx.h"
#include "domain/core/audit.h"
#include "domain/core/notice.h"
#include "domain/core/importer.h"
#include "domain/core/ledger.h"
#include "domain/core/list.h"
#include "domain/core/lock.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"
#include "domain/enterprise/enterprise.h"
#include "domain/fees/fees.h"
#include "domain/refund/refund_internal.h"

int refund_policy_validate(const json_t *p, gh_err *e)
{
    static const char *const shares[] = {"all", "upper", NULL};
    static const char *const modes[] = {"automatic", "application", NULL};
    static const jv_field fields[] = {
        {"from", JV_DATE, JV_REQUIRED, "政策起始日期"},
        {"to", JV_DATE, JV_REQUIRED, "政策截止日期"},
        {"share", JV_ENUM, JV_REQUIRED, "返还部分", .choices = shares},
        {"mode", JV_ENUM, JV_REQUIRED, "返还方式", .choices = modes},
        {"prep_fee_on_founding", JV_BOOL, 0, "建会后返还筹备金"},
        {"qualify", JV_OBJECT, JV_REQUIRED, "小微企业认定条件"},
        {0},
    };
    int rc = jv_check(p, fields, e);
    if (rc) return rc;
    if (strcmp(jv_str(p, "from"), jv_str(p, "to")) > 0)
        return err_set(e, ERR_INVALID, "invalid_date", "to", "截止日期不能早于起始日期");
    static const jv_field qfields[] = {
        {"small_scale", JV_BOOL, 0, "小规模纳税人即认定"},
        {"thresholds", JV_ARRAY, 0, "行业标准", .max = 50},
        {0},
    };
    const json_t *q = json_object_get(p, "qualify");
    rc = jv_check(q, qfields, e);
    if (rc) return rc;
    size_t i;
    json_t *t;
    static const jv_field tfields[] = {
        {"industry", JV_STRING, JV_REQUIRED, "行业门类", .max = 2},
        {"max_headcount", JV_INT, JV_REQUIRED, "从业人数上限", .min = 1, .max = 1000000},
        {"max_revenue_fen", JV_MONEY, JV_REQUIRED, "营业收入上限"},
        {0},
    };
    json_array_foreach(json_object_get(q, "thresholds"), i, t) {
        rc = jv_check(t, tfields, e);
        if (rc) return rc;
    }
    if (!jv_bool(q, "small_scale", 0) && json_array_size(json_object_get(q, "thresholds")) == 0)
        return err_set(e, ERR_INVALID, "missing_field", "qualify", "至少要有一项小微企业认定条件");
    return 0;
}

int refund_period_parse(const char *period, char from[8], char to[8], gh_err *e)
{
    int y;
    char half;
    char tail;
    if (!period || sscanf(period, "%4d%c%c", &y, &half, &tail) < 2 || strlen(period) != 6 || y < 2000 ||
        y > 2100 || (half != 'H' && half != 'h') || (period[5] != '1' && period[5] != '2'))
        return err_set(e, ERR_INVALID, "invalid_period", "period", "期间格式应为 2022H1 或 2022H2");
    int h2 = period[5] == '2';
    (void)tail;
    snprintf(from, 8, "%04d-%02d", y, h2 ? 7 : 1);
    snprintf(to, 8, "%04d-%02d", y, h2 ? 12 : 6);
    return 0;
}

/* ---- refunds ---- */

/* the export's words for the codes (as the pages show them) */
static const char *const words_run_status[] = {"computing", "计算中", "computed", "待审批", "approved", "已审批", "closed", "已完成", "rejected", "已退回", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_line_status[] = {"due", "待审批", "approved", "待付款", "exported", "付款中", "paid", "已付款", "failed", "付款失败", "cancelled", "已取消", NULL};

static const list_col run_cols[] = {
    {"id", "r.id", COL_INT, "批次编号"},
    {"org_id", "r.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "工会"},
    {"period", "r.period", COL_STR, "返还期间"},
    {"period_from", "r.period_from", COL_STR, "起始月份"},
    {"period_to", "r.period_to", COL_STR, "截止月份"},
    {"status", "r.status", COL_STR, "状态", words_run_status},
    {"lines", "r.lines", COL_INT, "笔数"},
    {"amount_fen", "r.amount_fen", COL_FEN, "返还金额（元）"},
    {"prepared_by", "r.prepared_by", COL_INT_NULL},
    {"prepared_by_name", "pu.display_name", COL_STR, "经办人"},
    {"approved_by", "r.approved_by", COL_INT_NULL},
    {"approved_by_name", "au.display_name", COL_STR, "审批人"},
    {"approved_at", "r.approved_at", COL_STR, "审批时间"},
    {"reason", "r.reason", COL_STR, "退回理由"},
    {"created_at", "r.created_at", COL_STR, "创建时间"},
    {"updated_at", "r.updated_at", COL_STR},
    {"last_enterprise_id", "r.last_enterprise_id", COL_INT},
    {0},
};
#define RUN_FROM \
    "refund_runs r JOIN orgs o ON o.id = r.org_id LEFT JOIN users pu ON pu.id = r.prepared_by" \
    " LEFT JOIN users au ON au.id = r.approved_by"

static const list_spec run_spec = {run_cols, .title = "经费返还批次"};

int refund_run_load(gh_ctx *x, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e)
{
    const gh_actor *a = x->actor;
    char p[GH_PATH_MAX];
    json_t *o = NULL;
    int rc = list_one(x->db, &run_spec, NULL, "o.path", RUN_FROM " WHERE r.id = $1", SV_ARGS(SV_I(id)), &o, p, e);
    if (rc == 0 && a->role != ROLE_SYSTEM &&
        !((actor_has_duty(a, DUTY_FINANCE) || a->role == ROLE_AUDITOR) && actor_in_scope(a, p)))
        rc = ERR_NOT_FOUND;
    if (rc == ERR_NOT_FOUND) rc = err_set(e, ERR_NOT_FOUND, "run_not_found", "id", "返还批次不存在");
    if (rc == 0 && path) snprintf(path, GH_PATH_MAX, "%s", p);
    if (rc == 0 && out) *out = o;
    else json_decref(o);
    return rc;
}

int refund_run_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return refund_run_load(x, id, out, NULL, e); }

int refund_runs_list(gh_ctx *x, const refund_run_query *q, json_t **out, gh_err *e)
{
    int64_t org_id = q->org_id;
    int page = q->page, per_page = q->per_page;
    const gh_actor *a = x->actor;
    if (!actor_has_duty(a, DUTY_FINANCE) && a->role != ROLE_AUDITOR)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    scope_range sr;
    int src = scope_range_of(x, org_id, &sr, e);
    if (src) return src;
    list_page pg;
    list_page_init(&pg, page, per_page);
    sqlw w;
    sqlw_init(&w, RUN_FROM " WHERE o.path >= ? AND o.path < ?", SV_ARGS(SV_T(sr.lo), SV_T(sr.hi)));
    return list_query(x, &run_spec, q, &w, "r.id DESC", &pg, NULL, out, e);
}

/* Whose books a refund of org_id's enterprises goes through: the province
 * above (the collector of the fees), or the org itself at the top. */
int refund_payer(store_conn *db, int64_t org_id, int64_t *payer, gh_err *e)
{
    fees_ancestry a;
    int rc = fees_ancestry_load(db, org_id, &a, e);
    if (rc) return rc;
    *payer = a.by_level[1] ? a.by_level[1] : a.by_level[0] ? a.by_level[0] : org_id;
    return 0;
}

/* The refund policy in force, read into numbers. */
typedef struct refund_rules {
    int64_t policy_id;
    char from_month[8], to_month[8];
    int upper_only, by_application, prep_on_founding, small_scale_qualifies;
    json_t *thresholds; /* borrowed from params */
    json_t *params;
    int64_t grassroots_permille;
} refund_rules;

static int rules_load(store_conn *db, int64_t org_id, const char *period_to, refund_rules *rr, gh_err *e)
{
    memset(rr, 0, sizeof *rr);
    char date[11];
    snprintf(date, sizeof date, "%s-28", period_to);
    int rc = policy_find(db, "refund", org_id, date, &rr->params, &rr->policy_id, e);
    if (rc) return rc;
    snprintf(rr->from_month, sizeof rr->from_month, "%.7s", jv_str(rr->params, "from"));
    snprintf(rr->to_month, sizeof rr->to_month, "%.7s", jv_str(rr->params, "to"));
    rr->upper_only = strcmp(jv_str(rr->params, "share"), "upper") == 0;
    rr->by_application = strcmp(jv_str(rr->params, "mode"), "application") == 0;
    rr->prep_on_founding = jv_bool(rr->params, "prep_fee_on_founding", 0);
    json_t *q = json_object_get(rr->params, "qualify");
    rr->small_scale_qualifies = jv_bool(q, "small_scale", 0);
    rr->thresholds = json_object_get(q, "thresholds");
    if (rr->upper_only) {
        json_t *split = NULL;
        rc = policy_find(db, "fee_split", org_id, date, &split, NULL, e);
        if (rc) {
            json_decref(rr->params);
            return rc;
        }
        rr->grassroots_permille = jv_int(split, "grassroots", 0);
        json_decref(split);
    }
    return 0;
}

static int qualifies(const refund_rules *rr, int small_scale, const char *industry, int64_t headcount,
                     int64_t revenue, int headcount_known, int revenue_known)
{
    if (rr->small_scale_qualifies && small_scale) return 1;
    size_t i;
    json_t *t;
    json_array_foreach(rr->thresholds, i, t) {
        const char *ind = jv_str(t, "industry");
        int match = strcmp(ind, "*") == 0 || (industry && strcmp(ind, industry) == 0);
        if (match && headcount_known && revenue_known && headcount <= jv_int(t, "max_headcount", 0) &&
            revenue <= jv_int(t, "max_revenue_fen", 0))
            return 1;
    }
    return 0;
}

typedef struct ent_due {
    int64_t id, fee, prep, fee_refunded, prep_refunded, founded; /* founded: union founded by period end */
    int eligible, applied;
} ent_due;

#define RUN_BATCH 500

/* One batch: the next enterprises of the run's subtree after the last one
 * done; their lines, their ledger postings and the run's progress commit
 * together, so a kill between batches loses nothing and repeats nothing. */
typedef struct batch_ctx {
    gh_ctx *x;
    int64_t run_id, org_id;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    char period[8], pfrom[8], pto[8];
    const refund_rules *rr;
    int64_t refund_expense, refund_payable;
    int done; /* no enterprise left */
    int64_t lines_added, amount_added;
} batch_ctx;

static int batch_tx(store_conn *db, void *p, gh_err *e)
{
    batch_ctx *c = p;
    const refund_rules *rr = c->rr;
    c->lines_added = c->amount_added = 0;
    int64_t last = 0;
    int rc = store_get_int(db, "SELECT last_enterprise_id FROM refund_runs WHERE id = $1 AND status = 'computing'",
                           SV_ARGS(SV_I(c->run_id)), &last, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_CONFLICT, "run_not_computing", NULL, "该批次不在计算中");
    if (rc) return rc;
    ent_due *d = calloc(RUN_BATCH, sizeof *d);
    if (!d) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    int n = 0;
    char end_date[11];
    snprintf(end_date, sizeof end_date, "%s-31", c->pto);
    store_res r;
    rc = store_query(db, &r,
        "SELECT en.id, en.small_scale, en.industry, en.headcount, en.annual_revenue_fen,"
        " CASE WHEN en.union_org_id IS NOT NULL AND en.union_founded_on <= $4 THEN 1 ELSE 0 END"
        " FROM enterprises en JOIN orgs o ON o.id = en.org_id"
        " WHERE o.path >= $1 AND o.path < $2 AND en.id > $3 ORDER BY en.id LIMIT 500",
        SV_ARGS(SV_T(c->lo), SV_T(c->hi), SV_I(last), SV_T(end_date)), e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0 && n < RUN_BATCH) {
        ent_due *x = &d[n++];
        x->id = store_int(&r, 0);
        x->eligible = qualifies(rr, (int)store_int(&r, 1), store_text(&r, 2), store_int(&r, 3), store_int(&r, 4),
                                !store_isnull(&r, 3), !store_isnull(&r, 4));
        x->founded = store_int(&r, 5);
    }
    store_done(&r);
    if (rc < 0) goto done;
    if (n == 0) {
        c->done = 1;
        rc = 0;
        goto done;
    }
    int64_t first = d[0].id, lastid = d[n - 1].id;
    /* Sums for the whole id range at once, then matched to the batch. */
    char to_month[8];
    snprintf(to_month, sizeof to_month, "%s", strcmp(c->pto, rr->to_month) < 0 ? c->pto : rr->to_month);
    rc = store_query(db, &r,
        "SELECT enterprise_id, kind, SUM(amount_fen) FROM fee_payments WHERE enterprise_id >= $1 AND enterprise_id <= $2"
        " AND month >= $3 AND month <= $4 GROUP BY enterprise_id, kind",
        SV_ARGS(SV_I(first), SV_I(lastid), SV_T(rr->from_month), SV_T(to_month)), e);
    if (rc) goto done;
    int k = 0;
    while ((rc = store_next(&r, e)) > 0) {
        int64_t id = store_int(&r, 0);
        while (k < n && d[k].id < id) k++;
        if (k < n && d[k].id == id) {
            if (strcmp(store_text(&r, 1), "fee") == 0) d[k].fee = store_int(&r, 2);
            else d[k].prep = store_int(&r, 2);
        }
    }
    store_done(&r);
    if (rc < 0) goto done;
    rc = store_query(db, &r,
        "SELECT enterprise_id, SUM(fee_fen), SUM(prep_fen) FROM refund_lines WHERE enterprise_id >= $1"
        " AND enterprise_id <= $2 AND status <> 'cancelled' GROUP BY enterprise_id",
        SV_ARGS(SV_I(first), SV_I(lastid)), e);
    if (rc) goto done;
    k = 0;
    while ((rc = store_next(&r, e)) > 0) {
        int64_t id = store_int(&r, 0);
        while (k < n && d[k].id < id) k++;
        if (k < n && d[k].id == id) {
            d[k].fee_refunded = store_int(&r, 1);
            d[k].prep_refunded = store_int(&r, 2);
        }
    }
    store_done(&r);
    if (rc < 0) goto done;
    if (rr->by_application) {
        rc = store_query(db, &r,
            "SELECT enterprise_id FROM refund_applications WHERE period = $1 AND enterprise_id >= $2 AND enterprise_id <= $3",
            SV_ARGS(SV_T(c->period), SV_I(first), SV_I(lastid)), e);
        if (rc) goto done;
        while ((rc = store_next(&r, e)) > 0)
            for (int i = 0; i < n; i++)
                if (d[i].id == store_int(&r, 0)) d[i].applied = 1;
        store_done(&r);
        if (rc < 0) goto done;
    }
    char ts[32];
    ts_now(ts);
    for (int i = 0; i < n; i++) {
        ent_due *x = &d[i];
        if (!x->eligible || (rr->by_application && !x->applied)) continue;
        int64_t fee_due = x->fee;
        if (rr->upper_only) money_ratio(x->fee, 1000 - rr->grassroots_permille, 1000, &fee_due);
        fee_due -= x->fee_refunded;
        int64_t prep_due = (rr->prep_on_founding && x->founded) ? x->prep - x->prep_refunded : 0;
        if (fee_due < 0) fee_due = 0;
        if (prep_due < 0) prep_due = 0;
        int64_t amount = fee_due + prep_due;
        if (amount <= 0) continue;
        int64_t line_id = 0;
        rc = store_query(db, &r,
            "INSERT INTO refund_lines (run_id, enterprise_id, org_id, period, fee_fen, prep_fen, amount_fen, status,"
            " created_at, updated_at, months_from, months_to)"
            " SELECT $1, id, org_id, $2, $3, $4, $5, 'due', $6, $6, $8, $9 FROM enterprises WHERE id = $7"
            " ON CONFLICT (enterprise_id, period) WHERE status <> 'cancelled' DO NOTHING RETURNING id",
            SV_ARGS(SV_I(c->run_id), SV_T(c->period), SV_I(fee_due), SV_I(prep_due), SV_I(amount), SV_T(ts), SV_I(x->id),
                    SV_T(rr->from_month), SV_T(to_month)),
            e);
        if (rc) goto done;
        if ((rc = store_next(&r, e)) > 0) line_id = store_int(&r, 0);
        store_done(&r);
        if (rc < 0) goto done;
        if (!line_id) continue; /* this period already has its line */
        char key[80], batch[64];
        snprintf(key, sizeof key, "refund-due:%lld:%s:%lld", (long long)x->id, c->period, (long long)line_id);
        snprintf(batch, sizeof batch, "refund-run:%lld:%lld", (long long)c->run_id, (long long)first);
        assert(amount > 0 && fee_due >= 0 && prep_due >= 0); /* ledger amounts are positive */
        ledger_leg leg = {.debit_account = c->refund_expense, .credit_account = c->refund_payable, .amount_fen = amount,
                          .idem_key = key, .ref_type = "refund_line", .ref_id = line_id, .memo = "小微企业工会经费返还（应付）"};
        rc = ledger_post(c->x, batch, &leg, 1, NULL, NULL, e);
        if (rc) goto done;
        c->lines_added++;
        c->amount_added += amount;
    }
    rc = store_exec(db,
        "UPDATE refund_runs SET last_enterprise_id = $2, lines = lines + $3, amount_fen = amount_fen + $4, updated_at = $5"
        " WHERE id = $1",
        SV_ARGS(SV_I(c->run_id), SV_I(lastid), SV_I(c->lines_added), SV_I(c->amount_added), SV_T(ts)), NULL, e);
done:
    free(d);
    return rc;
}

int refund_run(gh_ctx *x, int64_t org_id, const char *period, int take_over, fees_progress_fn progress, void *pctx,
               json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    batch_ctx c = {.x = x, .org_id = org_id};
    int rc = refund_period_parse(period, c.pfrom, c.pto, e);
    if (rc) return rc;
    snprintf(c.period, sizeof c.period, "%.4s%c%c", period, 'H', period[5]);
    rc = org_scope_path(x, org_id, c.lo, e);
    if (rc) return rc;
    store_prefix_bound(c.lo, c.hi, sizeof c.hi);
    refund_rules rr;
    rc = rules_load(x->db, org_id, c.pto, &rr, e);
    if (rc) return rc;
    c.rr = &rr;
    /* The money came in to the province that collected it (see the split),
     * so refunds are owed and paid from the province's books. */
    int64_t payer = 0;
    rc = refund_payer(x->db, org_id, &payer, e);
    if (rc == 0) rc = ledger_account(x->db, payer, "refund_expense", &c.refund_expense, e);
    if (rc == 0) rc = ledger_account(x->db, payer, "refund_payable", &c.refund_payable, e);
    if (rc) goto done;
    /* One run per org and period, anywhere: a lock in the database. */
    char lock[64], owner[48];
    snprintf(lock, sizeof lock, "refund:%lld:%s", (long long)org_id, c.period);
    crypto_token(owner, sizeof owner, 18);
    rc = take_over ? lock_take_over(x->db, lock, owner, 120, e) : lock_acquire(x->db, lock, owner, 120, e);
    if (rc) goto done;
    char ts[32];
    ts_now(ts);
    rc = store_exec(x->db,
        "INSERT INTO refund_runs (org_id, period, period_from, period_to, policy_id, status, prepared_by, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, 'computing', $6, $7, $7)"
        " ON CONFLICT (org_id, period) WHERE status <> 'rejected' DO NOTHING",
        SV_ARGS(SV_I(org_id), SV_T(c.period), SV_T(c.pfrom), SV_T(c.pto), SV_I(rr.policy_id),
                SV_IZ(x->actor->user_id), SV_T(ts)),
        NULL, e);
    if (rc == 0)
        rc = store_get_int(x->db, "SELECT id FROM refund_runs WHERE org_id = $1 AND period = $2 AND status <> 'rejected'",
                           SV_ARGS(SV_I(org_id), SV_T(c.period)), &c.run_id, e);
    int64_t total = 0, done_n = 0;
    if (rc == 0)
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM enterprises en JOIN orgs o ON o.id = en.org_id WHERE o.path >= $1 AND o.path < $2",
                           SV_ARGS(SV_T(c.lo), SV_T(c.hi)), &total, e);
    while (rc == 0 && !c.done) {
        int64_t status_ok = 0;
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM refund_runs WHERE id = $1 AND status = 'computing'",
                           SV_ARGS(SV_I(c.run_id)), &status_ok, e);
        if (rc || !status_ok) break; /* computed already: nothing new */
        rc = store_tx(x->db, STORE_WRITE, batch_tx, &c, e);
        if (rc) break;
        lock_acquire(x->db, lock, owner, 120, NULL); /* still ours: renew */
        done_n += RUN_BATCH;
        if (progress) progress(pctx, done_n < total ? done_n : total, total);
    }
    if (rc == 0 && c.done) {
        ts_now(ts);
        rc = store_exec(x->db, "UPDATE refund_runs SET status = 'computed', updated_at = $2 WHERE id = $1 AND status = 'computing'",
                        SV_ARGS(SV_I(c.run_id), SV_T(ts)), NULL, e);
        if (rc == 0) {
            int64_t lines = 0;
            store_get_int(x->db, "SELECT lines FROM refund_runs WHERE id = $1", SV_ARGS(SV_I(c.run_id)), &lines, NULL);
            json_t *d = json_pack("{s:s, s:I}", "period", c.period, "lines", (json_int_t)lines);
            rc = audit_record(x, "refund.compute", "refund_run", c.run_id, org_id, "ok", d, e);
            json_decref(d);
            /* another finance officer of the org approves it (maker/checker) */
            char body[300], link[48];
            snprintf(body, sizeof body, "%s经费返还批次已计算完成，共 %lld 户，等待另一位财务人员审核批准。", c.period,
                     (long long)lines);
            snprintf(link, sizeof link, "#/refunds/%lld", (long long)c.run_id);
            notice_msg m = {.org_id = org_id, .duty = DUTY_FINANCE, .kind = "refund_awaiting_approval",
                            .title = "经费返还批次待审核", .body = body, .link = link, .ref_type = "refund_run",
                            .ref_id = c.run_id};
            if (rc == 0) rc = notice_send(x->db, x->cfg, &m, e);
        }
    }
    lock_release(x->db, lock, owner, NULL);
    if (rc == 0) rc = refund_run_load(x, c.run_id, out, NULL, e);
done:
    json_decref(rr.params);
    return rc;
}

static const list_col line_cols[] = {
    {"id", "l.id", COL_INT, "编号"},
    {"run_id", "l.run_id", COL_INT, "批次编号"},
    {"enterprise_id", "l.enterprise_id", COL_INT},
    {"enterprise_name", "en.name", COL_STR, "企业名称"},
    {"uscc", "en.uscc", COL_STR, "统一社会信用代码"},
    {"period", "l.period", COL_STR, "返还期间"},
    {"fee_fen", "l.fee_fen", COL_FEN, "缴纳经费（元）"},
    {"months_from", "l.months_from", COL_STR, "计算起始月"},
    {"months_to", "l.months_to", COL_STR, "计算截止月"},
    {"prep_fen", "l.prep_fen", COL_FEN, "筹备金（元）"},
    {"amount_fen", "l.amount_fen", COL_FEN, "返还金额（元）"},
    {"status", "l.status", COL_STR, "状态", words_line_status},
    {"attempts", "l.attempts", COL_INT, "付款次数"},
    {"bank_ref", "l.bank_ref", COL_STR, "银行流水号"},
    {"fail_reason", "l.fail_reason", COL_STR, "失败原因"},
    {"paid_on", "l.paid_on", COL_STR, "付款日期"},
    {"account_masked", "en.account_mask", COL_STR, "收款账号"},
    {0},
};

static const char *const line_statuses[] = {"due", "approved", "exported", "paid", "failed", "cancelled", NULL};

static const list_filter line_filters[] = {
    {FILTER_CHOICE, offsetof(refund_line_query, status), "l.status = ?", "status", "状态", line_statuses},
    {0},
};

static const list_spec line_spec = {line_cols, line_filters, .title = "经费返还明细"};

static int lines_list(gh_ctx *x, int64_t run_id, int64_t enterprise_id, const refund_line_query *q, json_t **out,
                      gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc;
    if (a->role == ROLE_ENTERPRISE) {
        if (run_id || (enterprise_id && enterprise_id != a->enterprise_id))
            return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", NULL, "企业不存在");
        enterprise_id = a->enterprise_id;
    } else if (run_id) {
        if ((rc = refund_run_load(x, run_id, NULL, NULL, e))) return rc;
    } else if (enterprise_id) {
        if ((rc = enterprise_scoped(x, enterprise_id, NULL, NULL, e))) return rc;
    } else {
        return err_set(e, ERR_INVALID, "missing_field", "run_id", "请指定返还批次或企业");
    }
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, "refund_lines l JOIN enterprises en ON en.id = l.enterprise_id WHERE 1 = 1", SV_NONE);
    if (run_id) SQLW_AND(&w, "l.run_id = ?", SV_I(run_id));
    if (enterprise_id) SQLW_AND(&w, "l.enterprise_id = ?", SV_I(enterprise_id));
    return list_query(x, &line_spec, q, &w, "l.id", &pg, NULL, out, e);
}

int refund_run_lines(gh_ctx *x, int64_t run_id, const refund_line_query *q, json_t **out, gh_err *e)
{
    return lines_list(x, run_id, 0, q, out, e);
}

int refund_enterprise_lines(gh_ctx *x, int64_t enterprise_id, const refund_line_query *q, json_t **out, gh_err *e)
{
    return lines_list(x, 0, enterprise_id, q, out, e);
}

typedef struct decide_ctx {
    gh_ctx *x;
    int64_t run_id, org_id;
    const char *reason;
} decide_ctx;

static int approve_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    int rc = store_exec(db,
        "UPDATE refund_runs SET status = 'approved', approved_by = $2, approved_at = $3, updated_at = $3"
        " WHERE id = $1 AND status = 'computed'",
        SV_ARGS(SV_I(c->run_id), SV_IZ(c->x->actor->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (!changed) return err_set(e, ERR_CONFLICT, "run_not_computed", NULL, "只有已计算完成、尚未审批的批次可以审批");
    rc = store_exec(db, "UPDATE refund_lines SET status = 'approved', updated_at = $2 WHERE run_id = $1 AND status = 'due'",
                    SV_ARGS(SV_I(c->run_id), SV_T(ts)), NULL, e);
    if (rc) return rc;
    return audit_record(c->x, "refund.approve", "refund_run", c->run_id, c->org_id, "ok", NULL, e);
}

int refund_approve(gh_ctx *x, int64_t run_id, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    json_t *run = NULL;
    int rc = refund_run_load(x, run_id, &run, NULL, e);
    if (rc) return rc;
    int64_t prepared = json_integer_value(json_object_get(run, "prepared_by"));
    decide_ctx c = {x, run_id, json_integer_value(json_object_get(run, "org_id")), NULL};
    json_decref(run);
    /* Maker/checker: the one who prepared a run cannot approve it. */
    if (!x->actor->user_id || prepared == x->actor->user_id) {
        gh_err ignore;
        audit_record(x, "refund.approve", "refund_run", run_id, c.org_id, "denied", NULL, &ignore);
        return err_set(e, ERR_FORBIDDEN, "maker_checker", NULL, "不能审批自己发起的返还批次，须由另一名工作人员审批");
    }
    rc = store_tx(x->db, STORE_WRITE, approve_tx, &c, e);
    if (rc) return rc;
    return refund_run_load(x, run_id, out, NULL, e);
}

static int reject_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    int rc = store_exec(db,
        "UPDATE refund_runs SET status = 'rejected', reason = $2, approved_by = $3, approved_at = $4, updated_at = $4"
        " WHERE id = $1 AND status = 'computed'",
        SV_ARGS(SV_I(c->run_id), SV_T(c->reason), SV_IZ(c->x->actor->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (!changed) return err_set(e, ERR_CONFLICT, "run_not_computed", NULL, "只有已计算完成、尚未审批的批次可以退回");
    /* Every line's liability is reversed; the lines are cancelled, so the
     * enterprises are refunded by a later run instead. */
    store_res r;
    rc = store_query(db, &r,
        "SELECT t.id, l.id FROM refund_lines l JOIN ledger_transfers t ON t.ref_type = 'refund_line' AND t.ref_id = l.id"
        " AND t.reverses_id IS NULL WHERE l.run_id = $1 AND l.status = 'due'",
        SV_ARGS(SV_I(c->run_id)), e);
    if (rc) return rc;
    int64_t (*pairs)[2] = NULL;
    size_t n = 0, cap = 0;
    while ((rc = store_next(&r, e)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            void *np = realloc(pairs, cap * sizeof *pairs);
            if (!np) {
                rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                break;
            }
            pairs = np;
        }
        pairs[n][0] = store_int(&r, 0);
        pairs[n][1] = store_int(&r, 1);
        n++;
    }
    store_done(&r);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "refund-cancel:%lld", (long long)pairs[i][1]);
        rc = ledger_reverse(c->x, pairs[i][0], key, "返还批次被退回", NULL, e);
    }
    free(pairs);
    if (rc < 0) return rc;
    rc = store_exec(db, "UPDATE refund_lines SET status = 'cancelled', updated_at = $2 WHERE run_id = $1 AND status = 'due'",
                    SV_ARGS(SV_I(c->run_id), SV_T(ts)), NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s}", "reason", c->reason);
    rc = audit_record(c->x, "refund.reject", "refund_run", c->run_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int refund_reject(gh_ctx *x, int64_t run_id, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写退回原因");
    json_t *run = NULL;
    int rc = refund_run_load(x, run_id, &run, NULL, e);
    if (rc) return rc;
    int64_t prepared = json_integer_value(json_object_get(run, "prepared_by"));
    decide_ctx c = {x, run_id, json_integer_value(json_object_get(run, "org_id")), reason};
    json_decref(run);
    if (!x->actor->user_id || prepared == x->actor->user_id)
        return err_set(e, ERR_FORBIDDEN, "maker_checker", NULL, "不能审批自己发起的返还批次，须由另一名工作人员审批");
    rc = store_tx(x->db, STORE_WRITE, reject_tx, &c, e);
    if (rc) return rc;
    return refund_run_load(x, run_id, out, NULL, e);
}

const jv_field refund_run_fields[] = {
    {"org_id", JV_INT, JV_REQUIRED, "组织", .min = 1, .max = INT64_MAX},
    {"period", JV_STRING, JV_REQUIRED, "期间", .max = 6},
    {0},
};

int refund_run_request(gh_ctx *x, const json_t *body, int64_t *org_id, char period[8], gh_err *e)
{
    int rc = jv_check(body, refund_run_fields, e);
    if (rc) return rc;
    char from[8], to[8];
    if ((rc = refund_period_parse(jv_str(body, "period"), from, to, e))) return rc;
    *org_id = jv_int(body, "org_id", 0);
    if ((rc = enterprise_org_allowed(x, *org_id, e))) return rc;
    snprintf(period, 8, "%s", jv_str(body, "period"));
    return 0;
}

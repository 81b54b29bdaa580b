/* ledger.c — the double-entry ledger; rules in ledger.h. */
#include "domain/core/ledger.h"
#include "domain/core/module.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/xlsx.h"
#include "domain/core/audit.h"
#include "domain/core/chain.h"
#include "domain/core/list.h"
#include "domain/org/org.h"

const ledger_chart_entry ledger_chart[] = {
    {"bank", "银行存款", "asset", "debit", "102", "银行存款"},
    {"fee_clearing", "待分配工会经费", "asset", "debit", "13501", "其他应收款—待分配工会经费"},
    {"fee_income", "工会经费收入", "income", "credit", "402", "拨缴经费收入"},
    {"prep_fee_income", "建会筹备金收入", "income", "credit", "40201", "拨缴经费收入—建会筹备金"},
    {"refund_expense", "经费返还支出", "expense", "debit", "50610", "补助下级支出—小微企业经费返还"},
    {"refund_payable", "应付返还款", "liability", "credit", "22503", "其他应付款—应付经费返还款"},
    {"retreat_subsidy_expense", "疗休养补助支出", "expense", "debit", "50105", "职工活动支出—职工疗休养"},
    {"voucher_subsidy_expense", "消费券补助支出", "expense", "debit", "50106", "职工活动支出—消费券补助"},
    {"provider_payable", "应付服务机构款", "liability", "credit", "22504", "其他应付款—应付服务机构款"},
    {"aid_expense", "帮扶救助支出", "expense", "debit", "50204", "维权支出—困难职工帮扶费"},
    {"aid_payable", "应付救助款", "liability", "credit", "22505", "其他应付款—应付救助款"},
    {"mutual_aid_income", "医疗互助会费收入", "income", "credit", "40801", "其他收入—职工医疗互助会费"},
    {"mutual_aid_expense", "医疗互助支出", "expense", "debit", "50207", "维权支出—职工医疗互助"},
    {"mutual_aid_payable", "应付互助金", "liability", "credit", "22506", "其他应付款—应付医疗互助金"},
    {"loan_receivable", "创业贷款应收", "asset", "debit", "12101", "借出款—创业贷款"},
    {"interest_subsidy_expense", "贷款贴息支出", "expense", "debit", "50306", "业务支出—创业贷款贴息"},
    {"fund_balance", "经费结余", "equity", "credit", "331", "结余"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const ledger_chart_entry *ledger_chart_find(const char *code)
{
    for (int i = 0; code && ledger_chart[i].code; i++)
        if (strcmp(ledger_chart[i].code, code) == 0) return &ledger_chart[i];
    return NULL;
}

/* "CASE a.code WHEN 'bank' THEN '102' … END": lists and the trial balance
 * are ordered by the union chart, as accountants read them. Built once. */
static char chart_order[1024];
static pthread_once_t chart_order_once = PTHREAD_ONCE_INIT;

static void chart_order_build(void)
{
    size_t n = (size_t)snprintf(chart_order, sizeof chart_order, "CASE a.code");
    for (int i = 0; ledger_chart[i].code && n < sizeof chart_order; i++)
        n += (size_t)snprintf(chart_order + n, sizeof chart_order - n, " WHEN '%s' THEN '%s'", ledger_chart[i].code,
                              ledger_chart[i].chart_code);
    if (n < sizeof chart_order) snprintf(chart_order + n, sizeof chart_order - n, " ELSE a.code END");
    assert(n < sizeof chart_order - 20);
}

static const char *chart_order_sql(void)
{
    pthread_once(&chart_order_once, chart_order_build);
    return chart_order;
}

/* chart_code and chart_name of an internal code onto o. */
static void put_chart(json_t *o, const char *code)
{
    const ledger_chart_entry *c = ledger_chart_find(code);
    json_object_set_new(o, "chart_code", c ? json_string(c->chart_code) : json_null());
    json_object_set_new(o, "chart_name", c ? json_string(c->chart_name) : json_null());
}


int ledger_account(store_conn *db, int64_t org_id, const char *code, int64_t *account_id, gh_err *e)
{
    const ledger_chart_entry *c = ledger_chart_find(code);
    if (!c) return err_set(e, ERR_INVALID, "unknown_account", "code", "会计科目“%s”不存在", code);
    int rc = store_get_int(db, "SELECT id FROM ledger_accounts WHERE org_id = $1 AND code = $2",
                           SV_ARGS(SV_I(org_id), SV_T(code)), account_id, e);
    if (rc != ERR_NOT_FOUND) return rc;
    char ts[32];
    ts_now(ts);
    rc = store_exec(db,
        "INSERT INTO ledger_accounts (org_id, code, name, kind, normal_side, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, code) DO NOTHING",
        SV_ARGS(SV_I(org_id), SV_T(code), SV_T(c->name), SV_T(c->kind), SV_T(c->normal_side), SV_T(ts)), NULL, e);
    if (rc) return rc;
    return store_get_int(db, "SELECT id FROM ledger_accounts WHERE org_id = $1 AND code = $2",
                         SV_ARGS(SV_I(org_id), SV_T(code)), account_id, e);
}

/* ---- the transfer row and its hash ---- */

typedef struct xfer {
    int64_t part, seq; /* partition (the province of org_id) and place in it */
    int located;       /* org_id and part are known */
    const char *idem_key, *batch_key;
    int64_t debit, credit, amount;
    const char *status;
    const char *ref_type;
    int64_t ref_id, reverses_id, pending_id;
    const char *memo;
    int64_t org_id, actor_id;
    const char *value_date, *created_at, *prev_hash;
} xfer;

#define field buf_field

/* The transfer's canonical text, hashed into its link. */
static void xfer_text(buf *b0, const xfer *t)
{
    buf b = *b0;
    buf_printf(&b, "%lld|", (long long)t->seq);
    field(&b, t->idem_key);
    field(&b, t->batch_key);
    buf_printf(&b, "|%lld|%lld|%lld|", (long long)t->debit, (long long)t->credit, (long long)t->amount);
    field(&b, t->status);
    field(&b, t->ref_type);
    buf_printf(&b, "|%lld|%lld|%lld|", (long long)t->ref_id, (long long)t->reverses_id, (long long)t->pending_id);
    field(&b, t->memo);
    buf_printf(&b, "|%lld|%lld|", (long long)t->org_id, (long long)t->actor_id);
    field(&b, t->value_date);
    field(&b, t->created_at);
    field(&b, t->prev_hash);
    *b0 = b;
}

/* Balance-cache deltas for one new row. */
static int bump_balances(store_conn *db, const xfer *t, int64_t held, gh_err *e)
{
    /* posted: +amount on both sides; pending: +amount held; a resolution
     * releases what its pending transfer held. */
    int64_t dp = 0, dh = 0;
    if (strcmp(t->status, "posted") == 0) dp = t->amount;
    else if (strcmp(t->status, "pending") == 0) dh = t->amount;
    if (t->pending_id) dh = -held;
    const char *sql =
        "INSERT INTO ledger_balances (account_id, debit_fen, credit_fen, pending_debit_fen, pending_credit_fen)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO UPDATE SET"
        " debit_fen = ledger_balances.debit_fen + $2, credit_fen = ledger_balances.credit_fen + $3,"
        " pending_debit_fen = ledger_balances.pending_debit_fen + $4,"
        " pending_credit_fen = ledger_balances.pending_credit_fen + $5";
    int rc = store_exec(db, sql, SV_ARGS(SV_I(t->debit), SV_I(dp), SV_I(0), SV_I(dh), SV_I(0)), NULL, e);
    if (rc == 0) rc = store_exec(db, sql, SV_ARGS(SV_I(t->credit), SV_I(0), SV_I(dp), SV_I(0), SV_I(dh)), NULL, e);
    return rc;
}

/* The org of a transfer is its debit account's; its partition follows. */
static int locate(store_conn *db, xfer *t, gh_err *e)
{
    if (t->located) return 0;
    int rc = store_get_int(db, "SELECT org_id FROM ledger_accounts WHERE id = $1", SV_ARGS(SV_I(t->debit)), &t->org_id, e);
    if (rc) return rc == ERR_NOT_FOUND ? err_set(e, ERR_INVALID, "unknown_account", NULL, "借方科目不存在") : rc;
    rc = chain_partition(db, t->org_id, &t->part, NULL, 0, NULL, e);
    if (rc == 0) t->located = 1;
    return rc;
}

/* Insert one transfer at the tip of its partition's chain. */
static int insert_xfer(gh_ctx *x, xfer *t, int64_t held, int64_t *id, gh_err *e)
{
    store_conn *db = x->db;
    store_res r;
    const unsigned char *key = x->cfg->chain_key;
    char hash[65], ts[32], today[11];
    chain_pos pos;
    int rc = locate(db, t, e);
    if (rc == 0) rc = chain_next(db, &chain_ledger, key, t->part, &pos, e);
    if (rc) return rc;
    t->seq = pos.seq;
    const char *prev = pos.prev;
    ts_now(ts);
    if (!t->value_date) {
        date_format(date_today_cn(), today);
        t->value_date = today;
    }
    t->created_at = ts;
    t->prev_hash = prev;
    t->actor_id = x->actor->user_id;
    buf b = {0};
    xfer_text(&b, t);
    chain_link(key, t->part, buf_str(&b), b.len, hash);
    buf_free(&b);
    rc = store_query(db, &r,
        "INSERT INTO ledger_transfers (part, seq, idem_key, batch_key, debit_account_id, credit_account_id, amount_fen,"
        " status, ref_type, ref_id, reverses_id, pending_id, memo, org_id, actor_id, value_date, created_at,"
        " prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) RETURNING id",
        SV_ARGS(SV_I(t->part), SV_I(t->seq), SV_T(t->idem_key), SV_T(t->batch_key), SV_I(t->debit), SV_I(t->credit),
                SV_I(t->amount), SV_T(t->status), SV_T(t->ref_type), SV_IZ(t->ref_id), SV_IZ(t->reverses_id),
                SV_IZ(t->pending_id), SV_T(t->memo), SV_I(t->org_id), SV_IZ(t->actor_id), SV_T(t->value_date),
                SV_T(ts), SV_T(prev), SV_T(hash)),
        e);
    if (rc == 0) {
        if ((rc = store_next(&r, e)) > 0) {
            *id = store_int(&r, 0);
            rc = 0;
        } else if (rc == 0) {
            rc = err_set(e, ERR_STORE, NULL, NULL, NULL);
        }
        store_done(&r);
    }
    if (rc == ERR_CONFLICT) {
        /* Another transaction posted the same key (or resolved/reversed the
         * same transfer) first: run again and find it. (PostgreSQL reports
         * the unique key at execution, SQLite when the row is stepped.) */
        return err_set(e, ERR_RETRY, "ledger_race", NULL, "记账冲突，请重试");
    }
    if (rc) return rc;
    rc = chain_set_head(db, &chain_ledger, key, &pos, hash, e);
    if (rc == 0) rc = bump_balances(db, t, held, e);
    return rc;
}

/* An earlier transfer with this key: 1 and *id when its content is the
 * same, ERR_CONFLICT when different, 0 when there is none. */
static int find_idem(store_conn *db, const xfer *t, int64_t *id, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT id, debit_account_id, credit_account_id, amount_fen, status, ref_type, COALESCE(ref_id, 0),"
        " COALESCE(reverses_id, 0), COALESCE(pending_id, 0) FROM ledger_transfers WHERE idem_key = $1",
        SV_ARGS(SV_T(t->idem_key)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        int same = store_int(&r, 1) == t->debit && store_int(&r, 2) == t->credit && store_int(&r, 3) == t->amount &&
                   strcmp(store_text(&r, 4), t->status) == 0 && strcmp(store_text(&r, 5), t->ref_type) == 0 &&
                   store_int(&r, 6) == t->ref_id && store_int(&r, 7) == t->reverses_id &&
                   store_int(&r, 8) == t->pending_id;
        *id = store_int(&r, 0);
        rc = same ? 1
                  : err_set(e, ERR_CONFLICT, "idempotency_mismatch", "idem_key",
                            "幂等键“%s”已用于内容不同的另一笔记账", t->idem_key);
    }
    store_done(&r);
    return rc;
}

static int check_leg(const ledger_leg *l, gh_err *e)
{
    if (l->amount_fen <= 0) return err_set(e, ERR_INVALID, "invalid_amount", "amount_fen", "记账金额必须大于 0");
    if (!l->idem_key || !*l->idem_key || strlen(l->idem_key) > 200)
        return err_set(e, ERR_INVALID, "missing_field", "idem_key", "记账必须有幂等键（不超过 200 字符）");
    if (!l->ref_type || !*l->ref_type) return err_set(e, ERR_INVALID, "missing_field", "ref_type", "记账必须注明业务类型");
    if (l->debit_account == l->credit_account)
        return err_set(e, ERR_INVALID, "same_account", NULL, "借贷方不能是同一科目");
    if (l->debit_account <= 0 || l->credit_account <= 0)
        return err_set(e, ERR_INVALID, "unknown_account", NULL, "科目不存在");
    return 0;
}

typedef struct post_ctx {
    gh_ctx *x;
    const char *batch;
    const ledger_leg *legs;
    int n;
    int64_t *ids;
    int replayed;
} post_ctx;

static int post_tx(store_conn *db, void *p, gh_err *e)
{
    post_ctx *c = p;
    c->replayed = 0;
    xfer *ts = calloc((size_t)c->n, sizeof *ts);
    int64_t *parts = calloc((size_t)c->n, sizeof *parts);
    int rc = ts && parts ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    for (int i = 0; rc == 0 && i < c->n; i++) {
        const ledger_leg *l = &c->legs[i];
        ts[i] = (xfer){.idem_key = l->idem_key, .batch_key = c->batch, .debit = l->debit_account,
                       .credit = l->credit_account, .amount = l->amount_fen, .status = l->pending ? "pending" : "posted",
                       .ref_type = l->ref_type, .ref_id = l->ref_id, .memo = l->memo, .value_date = l->value_date};
        /* A batch over several provinces takes their heads in ascending
         * order before it writes, so two such batches cannot deadlock. */
        if (c->n > 1) rc = locate(db, &ts[i], e);
        parts[i] = ts[i].part;
    }
    if (rc == 0) rc = chain_lock(db, &chain_ledger, parts, c->n, e);
    for (int i = 0; rc == 0 && i < c->n; i++) {
        int64_t id = 0;
        rc = find_idem(db, &ts[i], &id, e);
        if (rc == 1) {
            c->replayed++;
            rc = 0;
        } else if (rc == 0) {
            rc = insert_xfer(c->x, &ts[i], 0, &id, e);
        }
        if (rc == 0 && c->ids) c->ids[i] = id;
    }
    free(ts);
    free(parts);
    return rc;
}

int ledger_post(gh_ctx *x, const char *batch_key, const ledger_leg *legs, int n, int64_t *ids, int *replayed,
                gh_err *e)
{
    if (n <= 0) return err_set(e, ERR_INVALID, "empty_batch", NULL, "没有要记账的分录");
    if (!batch_key || !*batch_key) return err_set(e, ERR_INVALID, "missing_field", "batch_key", "记账批次不能为空");
    for (int i = 0; i < n; i++) {
        int rc = check_leg(&legs[i], e);
        if (rc) return rc;
    }
    post_ctx c = {x, batch_key, legs, n, ids, 0};
    int rc = store_tx(x->db, STORE_WRITE, post_tx, &c, e);
    if (rc == 0 && replayed) *replayed = c.replayed;
    return rc;
}

/* ---- resolving and reversing ---- */

typedef struct orig {
    int64_t id, debit, credit, amount, reverses_id, pending_id;
    char status[16], ref_type[40];
    int64_t ref_id;
} orig;

static int load_orig(store_conn *db, int64_t id, orig *o, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT id, debit_account_id, credit_account_id, amount_fen, status, ref_type, COALESCE(ref_id, 0),"
        " COALESCE(reverses_id, 0), COALESCE(pending_id, 0) FROM ledger_transfers WHERE id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        o->id = store_int(&r, 0);
        o->debit = store_int(&r, 1);
        o->credit = store_int(&r, 2);
        o->amount = store_int(&r, 3);
        snprintf(o->status, sizeof o->status, "%s", store_text(&r, 4));
        snprintf(o->ref_type, sizeof o->ref_type, "%s", store_text(&r, 5));
        o->ref_id = store_int(&r, 6);
        o->reverses_id = store_int(&r, 7);
        o->pending_id = store_int(&r, 8);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "transfer_not_found", "id", "记账记录不存在");
    }
    store_done(&r);
    return rc;
}

typedef struct resolve_ctx {
    gh_ctx *x;
    int64_t pending_id, amount;
    const char *idem_key;
    int voiding;
    int64_t id;
} resolve_ctx;

static int resolve_tx(store_conn *db, void *p, gh_err *e)
{
    resolve_ctx *c = p;
    orig o;
    int rc = load_orig(db, c->pending_id, &o, e);
    if (rc) return rc;
    int64_t amount = c->voiding ? o.amount : c->amount;
    xfer t = {.idem_key = c->idem_key, .batch_key = c->idem_key, .debit = o.debit, .credit = o.credit,
              .amount = amount, .status = c->voiding ? "voided" : "posted", .ref_type = o.ref_type,
              .ref_id = o.ref_id, .pending_id = o.id};
    rc = find_idem(db, &t, &c->id, e);
    if (rc < 0) return rc;
    if (rc == 1) return 0;
    if (strcmp(o.status, "pending") != 0)
        return err_set(e, ERR_CONFLICT, "not_pending", "id", "该记账不是待定（预留）状态");
    int64_t done = 0;
    rc = store_get_int(db, "SELECT COUNT(*) FROM ledger_transfers WHERE pending_id = $1", SV_ARGS(SV_I(o.id)), &done, e);
    if (rc) return rc;
    if (done) return err_set(e, ERR_CONFLICT, "pending_resolved", "id", "该预留已经入账或撤销，不能重复处理");
    if (amount <= 0 || amount > o.amount)
        return err_set(e, ERR_INVALID, "invalid_amount", "amount_fen", "入账金额须大于 0 且不超过预留金额");
    return insert_xfer(c->x, &t, o.amount, &c->id, e);
}

int ledger_post_pending(gh_ctx *x, int64_t pending_id, int64_t amount_fen, const char *idem_key, int64_t *id,
                        gh_err *e)
{
    if (!idem_key || !*idem_key) return err_set(e, ERR_INVALID, "missing_field", "idem_key", "记账必须有幂等键");
    resolve_ctx c = {x, pending_id, amount_fen, idem_key, 0, 0};
    int rc = store_tx(x->db, STORE_WRITE, resolve_tx, &c, e);
    if (rc == 0 && id) *id = c.id;
    return rc;
}

int ledger_void_pending(gh_ctx *x, int64_t pending_id, const char *idem_key, int64_t *id, gh_err *e)
{
    if (!idem_key || !*idem_key) return err_set(e, ERR_INVALID, "missing_field", "idem_key", "记账必须有幂等键");
    resolve_ctx c = {x, pending_id, 0, idem_key, 1, 0};
    int rc = store_tx(x->db, STORE_WRITE, resolve_tx, &c, e);
    if (rc == 0 && id) *id = c.id;
    return rc;
}

typedef struct reverse_ctx {
    gh_ctx *x;
    int64_t of;
    const char *idem_key, *memo;
    int64_t id;
} reverse_ctx;

static int reverse_tx(store_conn *db, void *p, gh_err *e)
{
    reverse_ctx *c = p;
    orig o;
    int rc = load_orig(db, c->of, &o, e);
    if (rc) return rc;
    xfer t = {.idem_key = c->idem_key, .batch_key = c->idem_key, .debit = o.credit, .credit = o.debit,
              .amount = o.amount, .status = "posted", .ref_type = o.ref_type, .ref_id = o.ref_id,
              .reverses_id = o.id, .memo = c->memo};
    rc = find_idem(db, &t, &c->id, e);
    if (rc < 0) return rc;
    if (rc == 1) return 0;
    if (strcmp(o.status, "posted") != 0)
        return err_set(e, ERR_CONFLICT, "not_posted", "id", "只有已入账的记录可以冲销（预留请撤销）");
    int64_t n = 0;
    rc = store_get_int(db, "SELECT COUNT(*) FROM ledger_transfers WHERE reverses_id = $1", SV_ARGS(SV_I(o.id)), &n, e);
    if (rc) return rc;
    if (n) return err_set(e, ERR_CONFLICT, "already_reversed", "id", "该记录已经冲销过，不能重复冲销");
    return insert_xfer(c->x, &t, 0, &c->id, e);
}

int ledger_reverse(gh_ctx *x, int64_t transfer_id, const char *idem_key, const char *memo, int64_t *id, gh_err *e)
{
    if (!idem_key || !*idem_key) return err_set(e, ERR_INVALID, "missing_field", "idem_key", "记账必须有幂等键");
    reverse_ctx c = {x, transfer_id, idem_key, memo, 0};
    int rc = store_tx(x->db, STORE_WRITE, reverse_tx, &c, e);
    if (rc == 0 && id) *id = c.id;
    return rc;
}

/* ---- reading ---- */

static int can_read(const gh_actor *a)
{
    return a->role == ROLE_AUDITOR || actor_has_duty(a, DUTY_FINANCE);
}

/* the export's words for the codes (as the pages show them) */
static const char *const words_transfer_status[] = {"posted", "已入账", "pending", "预留", "voided", "已撤销", NULL};

static const list_col xfer_cols[] = {
    {"id", "t.id", COL_INT, "编号"},
    {"seq", "t.seq", COL_INT, "序号"},
    {"batch_key", "t.batch_key", COL_STR},
    {"debit.account_id", "t.debit_account_id", COL_INT},
    {"debit.code", "da.code", COL_STR},
    {"debit.name", "da.name", COL_STR},
    {"debit.chart_code", NULL, COL_STR, "借方科目编号"},
    {"debit.chart_name", NULL, COL_STR, "借方科目"},
    {"debit.org_name", "dorg.name", COL_STR, "借方组织"},
    {"credit.account_id", "t.credit_account_id", COL_INT},
    {"credit.code", "ca.code", COL_STR},
    {"credit.name", "ca.name", COL_STR},
    {"credit.chart_code", NULL, COL_STR, "贷方科目编号"},
    {"credit.chart_name", NULL, COL_STR, "贷方科目"},
    {"credit.org_name", "corg.name", COL_STR, "贷方组织"},
    {"amount_fen", "t.amount_fen", COL_FEN, "金额（元）"},
    {"status", "t.status", COL_STR, "状态", words_transfer_status},
    {"ref_type", "t.ref_type", COL_STR, "业务类型"},
    {"ref_id", "t.ref_id", COL_INT_NULL, "业务编号"},
    {"reverses_id", "t.reverses_id", COL_INT_NULL},
    {"pending_id", "t.pending_id", COL_INT_NULL},
    {"memo", "t.memo", COL_STR, "摘要"},
    {"value_date", "t.value_date", COL_STR, "记账日期"},
    {"created_at", "t.created_at", COL_STR},
    {"org_id", "t.org_id", COL_INT},
    {"idem_key", "t.idem_key", COL_STR},
    {"partition", "t.part", COL_INT, "分区"},
    {0},
};
#define XFER_FROM \
    "ledger_transfers t JOIN ledger_accounts da ON da.id = t.debit_account_id JOIN orgs dorg ON dorg.id = da.org_id" \
    " JOIN ledger_accounts ca ON ca.id = t.credit_account_id JOIN orgs corg ON corg.id = ca.org_id"

static const list_filter xfer_filters[] = {
    {FILTER_ID, offsetof(ledger_query, account_id), "t.debit_account_id = ? OR t.credit_account_id = ?", "account_id", "科目"},
    {FILTER_TEXT, offsetof(ledger_query, ref_type), "t.ref_type = ?", "ref_type", "业务类型"},
    {FILTER_ID, offsetof(ledger_query, ref_id), "t.ref_id = ?", "ref_id", "业务编号"},
    {FILTER_TEXT, offsetof(ledger_query, from), "t.value_date >= ?", "from", "起始日期"},
    {FILTER_TEXT, offsetof(ledger_query, to), "t.value_date <= ?", "to", "截止日期"},
    {0},
};

/* Each side in the union's chart (工会会计制度), as the accounts are. */
static void xfer_post(json_t *o, void *arg)
{
    (void)arg;
    static const char *const sides[] = {"debit", "credit"};
    for (int i = 0; i < 2; i++) {
        json_t *s = json_object_get(o, sides[i]);
        if (s) put_chart(s, json_string_value(json_object_get(s, "code")));
    }
}

static const list_spec xfer_spec = {xfer_cols, xfer_filters, xfer_post, "账簿转账"};

static int ledger_scope(gh_ctx *x, int64_t org_id, char lo[GH_PATH_MAX], char hi[GH_PATH_MAX], gh_err *e)
{
    if (!can_read(x->actor)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看账簿的权限（需财务职责）");
    scope_range r;
    int rc = scope_range_of(x, org_id, &r, e);
    if (rc) return rc;
    memcpy(lo, r.lo, GH_PATH_MAX);
    memcpy(hi, r.hi, GH_PATH_MAX);
    return 0;
}

int ledger_transfers_list(gh_ctx *x, const ledger_query *q, json_t **out, gh_err *e)
{
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    int rc = ledger_scope(x, q->org_id, lo, hi, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    /* A transfer is in scope when either side's org is. */
    sqlw w;
    sqlw_init(&w, XFER_FROM " WHERE ((dorg.path >= ? AND dorg.path < ?) OR (corg.path >= ? AND corg.path < ?))",
              SV_ARGS(SV_T(lo), SV_T(hi), SV_T(lo), SV_T(hi)));
    return list_query(x, &xfer_spec, q, &w, "t.id DESC", &pg, NULL, out, e);
}

int ledger_transfer_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    int rc = ledger_scope(x, 0, lo, hi, e);
    if (rc) return rc;
    rc = list_one(x->db, &xfer_spec, NULL, NULL,
                  XFER_FROM " WHERE t.id = $1 AND ((dorg.path >= $2 AND dorg.path < $3) OR (corg.path >= $2 AND corg.path < $3))",
                  SV_ARGS(SV_I(id), SV_T(lo), SV_T(hi)), out, NULL, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "transfer_not_found", "id", "记账记录不存在");
    return rc;
}

static json_t *account_row(store_res *r, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    int64_t d = store_int(r, 6), c = store_int(r, 7);
    int debit_normal = strcmp(store_text(r, 5), "debit") == 0;
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "org_id", json_integer(store_int(r, 1)));
    json_object_set_new(o, "org_name", list_col_str(r, 2));
    json_object_set_new(o, "code", list_col_str(r, 3));
    json_object_set_new(o, "name", list_col_str(r, 4));
    put_chart(o, store_text(r, 3));
    json_object_set_new(o, "normal_side", list_col_str(r, 5));
    json_object_set_new(o, "kind", list_col_str(r, 8));
    json_object_set_new(o, "debit_fen", json_integer(d));
    json_object_set_new(o, "credit_fen", json_integer(c));
    /* shown on its normal side, as accountants read it */
    json_object_set_new(o, "balance_fen", json_integer(debit_normal ? d - c : c - d));
    json_object_set_new(o, "pending_debit_fen", json_integer(store_int(r, 9)));
    json_object_set_new(o, "pending_credit_fen", json_integer(store_int(r, 10)));
    return o;
}

int ledger_accounts_list(gh_ctx *x, const ledger_query *q, json_t **out, gh_err *e)
{
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    int rc = ledger_scope(x, q->org_id, lo, hi, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    char order[1100];
    snprintf(order, sizeof order, "o.path, %s", chart_order_sql());
    return list_run(x->db,
        "a.id, a.org_id, o.name, a.code, a.name, a.normal_side, COALESCE(b.debit_fen, 0), COALESCE(b.credit_fen, 0),"
        " a.kind, COALESCE(b.pending_debit_fen, 0), COALESCE(b.pending_credit_fen, 0)",
        "ledger_accounts a JOIN orgs o ON o.id = a.org_id LEFT JOIN ledger_balances b ON b.account_id = a.id"
        " WHERE o.path >= $1 AND o.path < $2",
        order, SV_ARGS(SV_T(lo), SV_T(hi)), &pg, account_row, NULL, out, e);
}

int ledger_get_balance(store_conn *db, int64_t account_id, ledger_balance *b, gh_err *e)
{
    memset(b, 0, sizeof *b);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT debit_fen, credit_fen, pending_debit_fen, pending_credit_fen FROM ledger_balances WHERE account_id = $1",
        SV_ARGS(SV_I(account_id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        b->debit_fen = store_int(&r, 0);
        b->credit_fen = store_int(&r, 1);
        b->pending_debit_fen = store_int(&r, 2);
        b->pending_credit_fen = store_int(&r, 3);
        rc = 0;
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

/* ---- manual entries ---- */

static const jv_field manual_fields[] = {
    {"debit_account_id", JV_INT, JV_REQUIRED, "借方科目", .min = 1, .max = INT64_MAX},
    {"credit_account_id", JV_INT, JV_REQUIRED, "贷方科目", .min = 1, .max = INT64_MAX},
    {"amount_fen", JV_MONEY, JV_REQUIRED, "金额", .min = 1},
    {"memo", JV_STRING, JV_REQUIRED, "摘要", .max = 200},
    {"value_date", JV_DATE, 0, "记账日期"},
    {"client_key", JV_STRING, 0, "请求编号", .max = 64},
    {0},
};

typedef struct manual_ctx {
    gh_ctx *x;
    const json_t *b;
    char key[96];
    int64_t id, org;
} manual_ctx;

static int manual_tx(store_conn *db, void *p, gh_err *e)
{
    manual_ctx *c = p;
    const json_t *b = c->b;
    ledger_leg leg = {.debit_account = jv_int(b, "debit_account_id", 0), .credit_account = jv_int(b, "credit_account_id", 0),
                      .amount_fen = jv_int(b, "amount_fen", 0), .idem_key = c->key, .ref_type = "manual",
                      .memo = jv_str(b, "memo"), .value_date = jv_str(b, "value_date")};
    int replayed = 0;
    int rc = ledger_post(c->x, c->key, &leg, 1, &c->id, &replayed, e);
    if (rc || replayed) return rc;
    (void)db;
    json_t *d = json_pack("{s:I, s:s}", "amount_fen", (json_int_t)leg.amount_fen, "memo", leg.memo);
    rc = audit_record(c->x, "ledger.manual", "ledger_transfer", c->id, c->org, "ok", d, e);
    json_decref(d);
    return rc;
}

int ledger_manual_post(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "手工记账需要财务职责");
    int rc = jv_check(body, manual_fields, e);
    if (rc) return rc;
    const char *memo = jv_str(body, "memo");
    while (*memo == ' ') memo++;
    if (!*memo) return err_set(e, ERR_INVALID, "missing_field", "memo", "“摘要”不能为空");
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    rc = ledger_scope(x, 0, lo, hi, e);
    if (rc) return rc;
    manual_ctx c = {.x = x, .b = body};
    /* both accounts must belong to orgs in the officer's scope */
    for (int side = 0; side < 2; side++) {
        int64_t acct = jv_int(body, side ? "credit_account_id" : "debit_account_id", 0), org = 0;
        rc = store_get_int(x->db,
            "SELECT a.org_id FROM ledger_accounts a JOIN orgs o ON o.id = a.org_id WHERE a.id = $1 AND o.path >= $2 AND o.path < $3",
            SV_ARGS(SV_I(acct), SV_T(lo), SV_T(hi)), &org, e);
        if (rc == ERR_NOT_FOUND)
            return err_set(e, ERR_NOT_FOUND, "account_not_found", side ? "credit_account_id" : "debit_account_id", "科目不存在");
        if (rc) return rc;
        if (!side) c.org = org;
    }
    const char *ck = jv_str(body, "client_key");
    if (ck) {
        snprintf(c.key, sizeof c.key, "manual:%lld:%s", (long long)x->actor->user_id, ck);
    } else {
        char tok[40];
        crypto_token(tok, sizeof tok, 16);
        snprintf(c.key, sizeof c.key, "manual:%s", tok);
    }
    rc = store_tx(x->db, STORE_WRITE, manual_tx, &c, e);
    if (rc) return rc;
    return ledger_transfer_get(x, c.id, out, e);
}

/* ---- manual reversal ---- */

typedef struct api_rev {
    gh_ctx *x;
    int64_t id;
    const char *reason;
    int64_t new_id;
} api_rev;

static int api_rev_tx(store_conn *db, void *p, gh_err *e)
{
    api_rev *c = p;
    char key[64];
    /* One manual reversal per transfer: the key makes a double click safe. */
    snprintf(key, sizeof key, "manual-reversal:%lld", (long long)c->id);
    int rc = ledger_reverse(c->x, c->id, key, c->reason, &c->new_id, e);
    if (rc) return rc;
    int64_t org = 0;
    store_get_int(db, "SELECT org_id FROM ledger_transfers WHERE id = $1", SV_ARGS(SV_I(c->id)), &org, NULL);
    json_t *d = json_pack("{s:I, s:s}", "reversal_id", (json_int_t)c->new_id, "reason", c->reason);
    rc = audit_record(c->x, "ledger.reverse", "ledger_transfer", c->id, org, "ok", d, e);
    json_decref(d);
    return rc;
}

int ledger_reverse_api(gh_ctx *x, int64_t transfer_id, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "冲销需要财务职责");
    if (!reason || strlen(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写冲销原因");
    json_t *t = NULL;
    int rc = ledger_transfer_get(x, transfer_id, &t, e);
    if (rc) return rc;
    /* Postings made by a business process (a refund paid, a fee split) are
     * corrected through that process, so the record and the money agree. */
    char ref[40];
    const char *rt = json_string_value(json_object_get(t, "ref_type"));
    snprintf(ref, sizeof ref, "%s", rt ? rt : "");
    json_decref(t);
    if (strcmp(ref, "manual") != 0)
        return err_set(e, ERR_CONFLICT, "business_posting", "id",
                       "该记账由业务流程产生（%s），请在相应业务中更正，不能手工冲销", ref);
    api_rev c = {x, transfer_id, reason, 0};
    rc = store_tx(x->db, STORE_WRITE, api_rev_tx, &c, e);
    if (rc) return rc;
    return ledger_transfer_get(x, c.new_id, out, e);
}

/* ---- trial balance ---- */

int ledger_trial_balance(gh_ctx *x, int64_t org_id, const char *from, const char *to, json_t **out, gh_err *e)
{
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    int rc = ledger_scope(x, org_id, lo, hi, e);
    if (rc) return rc;
    int32_t d;
    if (!from || date_parse(from, &d, NULL)) return err_set(e, ERR_INVALID, "invalid_date", "from", "请给出开始日期（YYYY-MM-DD）");
    if (!to || date_parse(to, &d, NULL)) return err_set(e, ERR_INVALID, "invalid_date", "to", "请给出结束日期（YYYY-MM-DD）");
    if (strcmp(from, to) > 0) return err_set(e, ERR_INVALID, "invalid_date", "to", "结束日期不能早于开始日期");
    store_res r;
    char sql[2400];
    snprintf(sql, sizeof sql,
        "SELECT a.id, o.name, a.code, a.name, a.kind, a.normal_side,"
        " COALESCE((SELECT SUM(amount_fen) FROM ledger_transfers t WHERE t.debit_account_id = a.id AND t.status = 'posted' AND t.value_date < $3), 0),"
        " COALESCE((SELECT SUM(amount_fen) FROM ledger_transfers t WHERE t.credit_account_id = a.id AND t.status = 'posted' AND t.value_date < $3), 0),"
        " COALESCE((SELECT SUM(amount_fen) FROM ledger_transfers t WHERE t.debit_account_id = a.id AND t.status = 'posted' AND t.value_date >= $3 AND t.value_date <= $4), 0),"
        " COALESCE((SELECT SUM(amount_fen) FROM ledger_transfers t WHERE t.credit_account_id = a.id AND t.status = 'posted' AND t.value_date >= $3 AND t.value_date <= $4), 0)"
        " FROM ledger_accounts a JOIN orgs o ON o.id = a.org_id WHERE o.path >= $1 AND o.path < $2 ORDER BY o.path, %s",
        chart_order_sql());
    rc = store_query(x->db, &r, sql,
        SV_ARGS(SV_T(lo), SV_T(hi), SV_T(from), SV_T(to)), e);
    if (rc) return rc;
    json_t *rows = json_array();
    int64_t tod = 0, toc = 0, tpd = 0, tpc = 0, tcd = 0, tcc = 0;
    while ((rc = store_next(&r, e)) > 0) {
        int64_t od = store_int(&r, 6), oc = store_int(&r, 7), pd = store_int(&r, 8), pc = store_int(&r, 9);
        /* Opening and closing balances are shown on the side they fall. */
        int64_t open = od - oc, close = open + pd - pc;
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "account_id", (json_int_t)store_int(&r, 0), "org_name",
                              store_text(&r, 1), "code", store_text(&r, 2), "name", store_text(&r, 3), "kind",
                              store_text(&r, 4), "normal_side", store_text(&r, 5));
        put_chart(o, store_text(&r, 2));
        json_object_set_new(o, "opening_debit_fen", json_integer(open > 0 ? open : 0));
        json_object_set_new(o, "opening_credit_fen", json_integer(open < 0 ? -open : 0));
        json_object_set_new(o, "period_debit_fen", json_integer(pd));
        json_object_set_new(o, "period_credit_fen", json_integer(pc));
        json_object_set_new(o, "closing_debit_fen", json_integer(close > 0 ? close : 0));
        json_object_set_new(o, "closing_credit_fen", json_integer(close < 0 ? -close : 0));
        tod += open > 0 ? open : 0;
        toc += open < 0 ? -open : 0;
        tpd += pd;
        tpc += pc;
        tcd += close > 0 ? close : 0;
        tcc += close < 0 ? -close : 0;
        json_array_append_new(rows, o);
    }
    store_done(&r);
    if (rc < 0) {
        json_decref(rows);
        return rc;
    }
    json_t *totals = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "opening_debit_fen", (json_int_t)tod,
                               "opening_credit_fen", (json_int_t)toc, "period_debit_fen", (json_int_t)tpd,
                               "period_credit_fen", (json_int_t)tpc, "closing_debit_fen", (json_int_t)tcd,
                               "closing_credit_fen", (json_int_t)tcc);
    /* Within a subtree, money that came from or went to orgs outside it
     * shows as a difference; over the whole tree debits equal credits. */
    *out = json_pack("{s:s, s:s, s:o, s:o, s:b}", "from", from, "to", to, "rows", rows, "totals", totals, "balanced",
                     tpd == tpc && tod == toc && tcd == tcc);
    return 0;
}

int ledger_trial_balance_xlsx(gh_ctx *x, int64_t org_id, const char *from, const char *to, char **data,
                              size_t *len, gh_err *e)
{
    json_t *tb = NULL;
    int rc = ledger_trial_balance(x, org_id, from, to, &tb, e);
    if (rc) return rc;
    static const xlsx_col cols[] = {
        {"org_name", "组织", XLSX_TEXT, 28}, {"chart_code", "科目编号", XLSX_TEXT, 10}, {"chart_name", "科目名称", XLSX_TEXT, 30},
        {"opening_debit_fen", "期初借方（元）", XLSX_MONEY, 16}, {"opening_credit_fen", "期初贷方（元）", XLSX_MONEY, 16},
        {"period_debit_fen", "本期借方（元）", XLSX_MONEY, 16}, {"period_credit_fen", "本期贷方（元）", XLSX_MONEY, 16},
        {"closing_debit_fen", "期末借方（元）", XLSX_MONEY, 16}, {"closing_credit_fen", "期末贷方（元）", XLSX_MONEY, 16},
    };
    json_t *rows = json_deep_copy(json_object_get(tb, "rows"));
    json_t *total = json_deep_copy(json_object_get(tb, "totals"));
    json_object_set_new(total, "org_name", json_string("合计"));
    json_array_append_new(rows, total);
    char title[96];
    snprintf(title, sizeof title, "试算平衡表 %s 至 %s", from, to);
    rc = xlsx_build("试算平衡表", title, cols, (int)(sizeof cols / sizeof *cols), rows, data, len, e);
    json_decref(rows);
    json_decref(tb);
    return rc;
}

/* ---- the check ---- */

static void report(json_t *rep, const char *name, int ok, const char *detail)
{
    json_array_append_new(rep, json_pack("{s:s, s:b, s:s}", "check", name, "ok", ok, "detail", detail ? detail : ""));
}

typedef struct check_ctx {
    const unsigned char *key;
    const chain_targets *targets;
    json_t **out;
} check_ctx;

static int check_tx(store_conn *db, void *p, gh_err *e)
{
    check_ctx *cx = p;
    json_t **out = cx->out;
    json_t *rep = json_array();
    int bad = 0, rc;
    char msg[1024];
    int64_t n = 0;

    /* 1. cached balances equal the sums of the transfers */
    rc = store_get_int(db,
        "SELECT COUNT(*) FROM ledger_accounts a LEFT JOIN ledger_balances b ON b.account_id = a.id"
        " LEFT JOIN (SELECT debit_account_id AS acc, SUM(amount_fen) AS s FROM ledger_transfers WHERE status = 'posted' GROUP BY debit_account_id) d ON d.acc = a.id"
        " LEFT JOIN (SELECT credit_account_id AS acc, SUM(amount_fen) AS s FROM ledger_transfers WHERE status = 'posted' GROUP BY credit_account_id) c ON c.acc = a.id"
        " LEFT JOIN (SELECT debit_account_id AS acc, SUM(amount_fen) AS s FROM ledger_transfers p WHERE status = 'pending'"
        "            AND NOT EXISTS (SELECT 1 FROM ledger_transfers q WHERE q.pending_id = p.id) GROUP BY debit_account_id) pd ON pd.acc = a.id"
        " LEFT JOIN (SELECT credit_account_id AS acc, SUM(amount_fen) AS s FROM ledger_transfers p WHERE status = 'pending'"
        "            AND NOT EXISTS (SELECT 1 FROM ledger_transfers q WHERE q.pending_id = p.id) GROUP BY credit_account_id) pc ON pc.acc = a.id"
        " WHERE COALESCE(b.debit_fen, 0) <> COALESCE(d.s, 0) OR COALESCE(b.credit_fen, 0) <> COALESCE(c.s, 0)"
        " OR COALESCE(b.pending_debit_fen, 0) <> COALESCE(pd.s, 0) OR COALESCE(b.pending_credit_fen, 0) <> COALESCE(pc.s, 0)",
        SV_NONE, &n, e);
    if (rc) goto done;
    snprintf(msg, sizeof msg, n ? "%lld 个科目的余额缓存与明细不符" : "全部科目余额与明细一致", (long long)n);
    report(rep, "cached_balances", n == 0, msg);
    bad += n != 0;

    /* 2. total debits equal total credits */
    int64_t td = 0, tc = 0;
    rc = store_get_int(db, "SELECT COALESCE(SUM(debit_fen), 0) FROM ledger_balances", SV_NONE, &td, e);
    if (rc == 0) rc = store_get_int(db, "SELECT COALESCE(SUM(credit_fen), 0) FROM ledger_balances", SV_NONE, &tc, e);
    if (rc) goto done;
    snprintf(msg, sizeof msg, "借方合计 %lld 分，贷方合计 %lld 分", (long long)td, (long long)tc);
    report(rep, "debits_equal_credits", td == tc, msg);
    bad += td != tc;

    /* 3. each batch was written whole: consecutive sequence numbers */
    rc = store_get_int(db,
        "SELECT COUNT(*) FROM (SELECT batch_key FROM ledger_transfers GROUP BY part, batch_key"
        " HAVING MAX(seq) - MIN(seq) + 1 <> COUNT(*)) broken",
        SV_NONE, &n, e);
    if (rc) goto done;
    snprintf(msg, sizeof msg, n ? "%lld 个批次不完整或被插入了其他记录" : "每个批次完整、连续", (long long)n);
    report(rep, "batches_whole", n == 0, msg);
    bad += n != 0;

    /* 4. reversals mirror what they reverse */
    rc = store_get_int(db,
        "SELECT COUNT(*) FROM ledger_transfers r LEFT JOIN ledger_transfers o ON o.id = r.reverses_id"
        " WHERE r.reverses_id IS NOT NULL AND (o.id IS NULL OR o.status <> 'posted' OR r.status <> 'posted'"
        " OR r.debit_account_id <> o.credit_account_id OR r.credit_account_id <> o.debit_account_id"
        " OR r.amount_fen <> o.amount_fen)",
        SV_NONE, &n, e);
    if (rc) goto done;
    snprintf(msg, sizeof msg, n ? "%lld 笔冲销与原记录不对应" : "冲销均与原记录对应", (long long)n);
    report(rep, "reversals_mirror", n == 0, msg);
    bad += n != 0;

    /* 5. pending resolutions are valid */
    rc = store_get_int(db,
        "SELECT COUNT(*) FROM ledger_transfers r LEFT JOIN ledger_transfers p ON p.id = r.pending_id"
        " WHERE r.pending_id IS NOT NULL AND (p.id IS NULL OR p.status <> 'pending' OR r.status = 'pending'"
        " OR r.debit_account_id <> p.debit_account_id OR r.credit_account_id <> p.credit_account_id"
        " OR r.amount_fen > p.amount_fen OR (r.status = 'voided' AND r.amount_fen <> p.amount_fen))",
        SV_NONE, &n, e);
    if (rc) goto done;
    int64_t stray = 0;
    rc = store_get_int(db, "SELECT COUNT(*) FROM ledger_transfers WHERE status = 'voided' AND pending_id IS NULL",
                       SV_NONE, &stray, e);
    if (rc) goto done;
    snprintf(msg, sizeof msg, n + stray ? "%lld 笔预留处理记录无效" : "预留的入账、撤销均有效", (long long)(n + stray));
    report(rep, "pending_resolutions", n + stray == 0, msg);
    bad += n + stray != 0;

    /* 6. references point at existing business records */
    {
        int64_t orphans = 0, unknown = 0;
        buf known = {0};
        buf_puts(&known, "'__none__'");
        /* the business tables behind each reference type, from the modules */
        for (const gh_module *const *m = gh_modules; *m; m++)
        for (const gh_ref_type *rt = (*m)->ref_types; rt && rt->ref_type; rt++) {
            buf_printf(&known, ", '%s'", rt->ref_type);
            if (!rt->table) continue;
            char sql[320];
            snprintf(sql, sizeof sql,
                     "SELECT COUNT(*) FROM ledger_transfers t WHERE t.ref_type = '%s'"
                     " AND (t.ref_id IS NULL OR NOT EXISTS (SELECT 1 FROM %s r WHERE r.id = t.ref_id))",
                     rt->ref_type, rt->table);
            int64_t k = 0;
            gh_err te;
            /* A module's table may not exist yet in an older schema. */
            if (store_get_int(db, sql, SV_NONE, &k, &te) == 0) orphans += k;
        }
        buf sql = {0};
        buf_printf(&sql, "SELECT COUNT(*) FROM ledger_transfers WHERE ref_type NOT IN (%s)", buf_str(&known));
        rc = store_get_int(db, buf_str(&sql), SV_NONE, &unknown, e);
        buf_free(&sql);
        buf_free(&known);
        if (rc) goto done;
        snprintf(msg, sizeof msg, orphans + unknown ? "%lld 笔记账指向不存在的业务记录，%lld 笔业务类型未知" : "业务记录引用完整",
                 (long long)orphans, (long long)unknown);
        report(rep, "references", orphans + unknown == 0, msg);
        bad += orphans + unknown != 0;
    }

    /* 7. the hash chain of every partition, and the root over them */
    {
        store_res r;
        chain_report cr;
        chain_check cc;
        rc = chain_check_begin(db, &chain_ledger, cx->key, cx->targets, &cc, &cr, e);
        if (rc) {
            chain_report_free(&cr);
            goto done;
        }
        rc = store_query(db, &r,
            "SELECT part, seq, idem_key, batch_key, debit_account_id, credit_account_id, amount_fen, status, ref_type,"
            " COALESCE(ref_id, 0), COALESCE(reverses_id, 0), COALESCE(pending_id, 0), memo, org_id,"
            " COALESCE(actor_id, 0), value_date, created_at, prev_hash, hash FROM ledger_transfers ORDER BY part, seq",
            SV_NONE, e);
        if (rc == 0) rc = 1;
        buf text = {0};
        while (rc > 0 && (rc = store_next(&r, e)) > 0) {
            xfer t = {.part = store_int(&r, 0), .seq = store_int(&r, 1), .idem_key = store_text(&r, 2),
                      .batch_key = store_text(&r, 3), .debit = store_int(&r, 4), .credit = store_int(&r, 5),
                      .amount = store_int(&r, 6), .status = store_text(&r, 7), .ref_type = store_text(&r, 8),
                      .ref_id = store_int(&r, 9), .reverses_id = store_int(&r, 10), .pending_id = store_int(&r, 11),
                      .memo = store_text(&r, 12), .org_id = store_int(&r, 13), .actor_id = store_int(&r, 14),
                      .value_date = store_text(&r, 15), .created_at = store_text(&r, 16), .prev_hash = store_text(&r, 17)};
            buf_reset(&text);
            xfer_text(&text, &t);
            chain_check_row(&cc, t.part, t.seq, t.prev_hash, buf_str(&text), text.len, store_text(&r, 18));
        }
        buf_free(&text);
        store_done(&r);
        gh_err ce;
        int crc = chain_check_end(db, &cc, &ce);
        if (rc < 0) {
            chain_report_free(&cr);
            goto done;
        }
        rc = 0;
        if (crc == 0) {
            int w = snprintf(msg, sizeof msg, "%lld 笔记账的哈希链完整（%d 个分区）", (long long)cr.rows, cr.partitions);
            if (cr.targets && w > 0 && (size_t)w < sizeof msg)
                w += snprintf(msg + w, sizeof msg - (size_t)w, "，与检查点的 %d 个条目一致", cr.targets);
            if (cr.unverified && w > 0 && (size_t)w < sizeof msg)
                snprintf(msg + w, sizeof msg - (size_t)w, "；没有密钥文件，%lld 笔带密钥的记录未重算摘要",
                         (long long)cr.unverified);
        } else {
            /* every broken partition, by name */
            buf b = {0};
            size_t i;
            json_t *pt;
            json_array_foreach(cr.parts, i, pt) {
                size_t j;
                json_t *q;
                json_array_foreach(json_object_get(pt, "problems"), j, q)
                    buf_printf(&b, "%s%s", b.len ? "；" : "", json_string_value(json_object_get(q, "problem")));
            }
            buf_printf(&b, "（哈希链中断：记录被改动、删除、调换或插入）");
            snprintf(msg, sizeof msg, "%s", buf_str(&b));
            buf_free(&b);
        }
        report(rep, "hash_chain", crc == 0, msg);
        bad += crc != 0;
        snprintf(msg, sizeof msg, "%d 个分区，根摘要 %s%s", cr.partitions, cr.root,
                 crc == 0 ? "" : "（有分区未通过校验，根摘要不可信）");
        json_t *item = json_pack("{s:s, s:b, s:s, s:s, s:O}", "check", "chain_root", "ok", crc == 0, "detail", msg,
                                 "root", cr.root, "partitions", cr.parts);
        json_array_append_new(rep, item);
        bad += crc != 0;
        chain_report_free(&cr);
    }
    *out = rep; /* the report goes out with a breach too */
    rep = NULL;
    rc = bad ? err_set(e, ERR_CONFLICT, "ledger_breach", NULL, "账簿校验发现 %d 项问题", bad) : 0;
done:
    json_decref(rep);
    return rc;
}

int ledger_check(store_conn *db, const unsigned char *key, const chain_targets *targets, json_t **out, gh_err *e)
{
    *out = NULL;
    check_ctx cx = {key, targets, out};
    /* One snapshot, so that writers going on meanwhile cannot make the
     * balances and the transfers disagree for the moment between reads. */
    int rc = store_tx(db, STORE_READ, check_tx, &cx, e);
    if (rc && rc != ERR_CONFLICT && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int ledger_check_run(gh_ctx *x, json_t **out, gh_err *e)
{
    if (x->actor->role != ROLE_ADMIN && x->actor->role != ROLE_AUDITOR)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有管理员和审计员可以运行账簿校验");
    json_t *rep = NULL;
    int rc = ledger_check(x->db, x->cfg->chain_key, NULL, &rep, e);
    if (rc && rc != ERR_CONFLICT) return rc;
    *out = json_pack("{s:b, s:o}", "ok", rc == 0, "checks", rep);
    return *out ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

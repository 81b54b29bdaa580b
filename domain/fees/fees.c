/* fees.c — union fee payments (工会经费) imported from the tax department's
 * collection files, checked against 2% of payroll, and split among the
 * levels of unions through the ledger. */
#include "domain/fees/fees.h"

#include <assert.h>
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


static const char *const levels[] = {"national", "province", "city", "county", "grassroots", NULL};
/* Order of shares in a split: grassroots first, as the policy lists them. */
static const char *const share_levels[] = {"grassroots", "county", "city", "province", "national", NULL};

/* ---- policies ---- */

int fee_split_validate(const json_t *p, gh_err *e)
{
    int64_t sum = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)p, key, v) {
        if (strcmp(key, "remainder_to") == 0) continue;
        if (jv_choice_index(share_levels, key) < 0)
            return err_set(e, ERR_INVALID, "unknown_field", key, "分成比例中没有“%s”这一级", key);
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000)
            return err_set(e, ERR_INVALID, "invalid_share", key, "分成比例应为 0 到 1000 之间的整数（千分比）");
        sum += json_integer_value(v);
    }
    if (sum != 1000)
        return err_set(e, ERR_INVALID, "shares_not_whole", NULL, "各级分成比例之和应为 1000‰，现为 %lld‰", (long long)sum);
    const char *rem = jv_str(p, "remainder_to");
    if (!rem || jv_choice_index(share_levels, rem) < 0)
        return err_set(e, ERR_INVALID, "missing_field", "remainder_to", "须指定尾差（不足一分的余数）归哪一级");
    return 0;
}

int64_t fee_expected(int64_t payroll_fen)
{
    int64_t v = 0;
    money_ratio(payroll_fen, 2, 100, &v); /* half away from zero; payroll is never negative */
    return v;
}


int fees_ancestry_load(store_conn *db, int64_t org_id, fees_ancestry *a, gh_err *e)
{
    memset(a, 0, sizeof *a);
    a->org_id = org_id;
    char path[GH_PATH_MAX];
    int rc = org_path(db, org_id, path, e);
    if (rc) return rc;
    store_res r;
    rc = store_query(db, &r,
        "SELECT id, level, kind FROM orgs WHERE substr($1, 1, length(path)) = path ORDER BY depth",
        SV_ARGS(SV_T(path)), e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0) {
        int lv = jv_choice_index(levels, store_text(&r, 1));
        /* the regional union of a level takes its share, not an industry
         * federation sitting beside it */
        if (lv >= 0 && (strcmp(store_text(&r, 2), "industry") != 0 || !a->by_level[lv])) {
            if (!a->by_level[lv] || strcmp(store_text(&r, 2), "regional") == 0) a->by_level[lv] = store_int(&r, 0);
        }
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

/* ---- payments ---- */

static const char *const pay_cols[] = {
    "统一社会信用代码|信用代码|uscc", "所属期|费款所属期|月份|month", "工资总额|计费工资总额|payroll",
    "缴纳金额|实缴金额|金额|amount", "缴款日期|入库日期|paid_on", "类型|费种|kind",
};
enum { P_USCC, P_MONTH, P_PAYROLL, P_AMOUNT, P_PAID, P_KIND, P_N };
static const char *const pay_fields[P_N] = {"uscc", "month", "payroll_fen", "amount_fen", "paid_on", "kind"};

/* Money received per (paying province, receiving org, account, payment
 * date) in one import: the ledger books receipts on the day they came. */
typedef struct share_sum {
    int64_t collector, receiver;
    int prep; /* 0 fee_income, 1 prep_fee_income */
    char date[11];
    int64_t amount;
} share_sum;

typedef struct split_cache {
    int64_t org_id;
    char month[8];
    int64_t permille[5]; /* share_levels order */
    int remainder;       /* index into share_levels */
} split_cache;

typedef struct fee_import_ctx {
    int64_t org_id, import_id;
    char root[GH_PATH_MAX], hi[GH_PATH_MAX];
    u64set seen;
    fees_ancestry anc[256];
    int nanc;
    split_cache splits[256];
    int nsplits;
    share_sum *sums;
    int nsums, capsums;
    int64_t imported_fen, flagged, skipped;
    json_t *flags;
    const char *file_name;
    char sha[65];
} fee_import_ctx;

static int ancestry_for(fee_import_ctx *c, store_conn *db, int64_t org_id, fees_ancestry **out, gh_err *e)
{
    for (int i = 0; i < c->nanc; i++)
        if (c->anc[i].org_id == org_id) return *out = &c->anc[i], 0;
    fees_ancestry a;
    int rc = fees_ancestry_load(db, org_id, &a, e);
    if (rc) return rc;
    if (c->nanc < 256) {
        c->anc[c->nanc] = a;
        *out = &c->anc[c->nanc++];
        return 0;
    }
    c->anc[0] = a; /* a province's worth of orgs rarely exceeds the cache */
    *out = &c->anc[0];
    return 0;
}

static int split_for(fee_import_ctx *c, store_conn *db, int64_t org_id, const char *month, split_cache **out, gh_err *e)
{
    for (int i = 0; i < c->nsplits; i++)
        if (c->splits[i].org_id == org_id && strcmp(c->splits[i].month, month) == 0) return *out = &c->splits[i], 0;
    char date[11];
    snprintf(date, sizeof date, "%s-01", month);
    json_t *p = NULL;
    int rc = policy_find(db, "fee_split", org_id, date, &p, NULL, e);
    if (rc) return rc;
    split_cache s = {.org_id = org_id};
    snprintf(s.month, sizeof s.month, "%s", month);
    for (int i = 0; share_levels[i]; i++) s.permille[i] = jv_int(p, share_levels[i], 0);
    s.remainder = jv_choice_index(share_levels, jv_str(p, "remainder_to"));
    json_decref(p);
    int slot = c->nsplits < 256 ? c->nsplits++ : 0;
    c->splits[slot] = s;
    *out = &c->splits[slot];
    return 0;
}

static int add_share(fee_import_ctx *c, int64_t collector, int64_t receiver, int prep, const char *date,
                     int64_t amount)
{
    if (amount == 0) return 0;
    for (int i = 0; i < c->nsums; i++) {
        share_sum *s = &c->sums[i];
        if (s->collector == collector && s->receiver == receiver && s->prep == prep && strcmp(s->date, date) == 0) {
            s->amount += amount;
            return 0;
        }
    }
    if (c->nsums == c->capsums) {
        int ncap = c->capsums ? c->capsums * 2 : 64;
        share_sum *ns = realloc(c->sums, sizeof *ns * (size_t)ncap);
        if (!ns) return -1;
        c->sums = ns;
        c->capsums = ncap;
    }
    share_sum *s = &c->sums[c->nsums++];
    *s = (share_sum){collector, receiver, prep, "", amount};
    snprintf(s->date, sizeof s->date, "%s", date);
    return 0;
}

/* Split one payment among the levels without losing a fen: each share is
 * rounded down and the fen left over go to the policy's stated level.
 * A level the enterprise's path lacks gives its share to that level too;
 * a preparatory fee's grassroots share is held by the responsible union. */
static int split_payment(fee_import_ctx *c, store_conn *db, int64_t ent_org, int64_t union_org, int prep,
                         const char *month, const char *paid_on, int64_t amount, gh_err *e)
{
    fees_ancestry *a;
    split_cache *s;
    int rc = ancestry_for(c, db, ent_org, &a, e);
    if (rc == 0) rc = split_for(c, db, ent_org, month, &s, e);
    if (rc) return rc;
    /* share_levels order: grassroots, county, city, province, national */
    int64_t who[5] = {prep ? ent_org : union_org, a->by_level[3], a->by_level[2], a->by_level[1], a->by_level[0]};
    int64_t collector = a->by_level[1] ? a->by_level[1] : a->by_level[0] ? a->by_level[0] : ent_org;
    int64_t weights[5];
    memcpy(weights, s->permille, sizeof weights);
    int rem = s->remainder;
    if (!who[rem]) rem = 3; /* the stated level is missing: the province takes the fen */
    if (!who[rem]) who[rem] = collector;
    for (int i = 0; i < 5; i++) {
        if (!who[i] && i != rem) {
            weights[rem] += weights[i];
            weights[i] = 0;
        }
    }
    assert(who[rem] != 0); /* the fen left over always have a receiver */
    int64_t parts[5];
    if (money_split(amount, weights, 5, (size_t)rem, parts) != 0)
        return err_set(e, ERR_INTERNAL, "split_failed", NULL, "分成计算失败");
    for (int i = 0; i < 5; i++) {
        if (!parts[i]) continue;
        if (add_share(c, collector, who[i], prep && i == 0, paid_on, parts[i]) != 0)
            return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    return 0;
}

static int pay_row(importer *im, void *p, gh_err *e)
{
    fee_import_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    char uscc[19], month[8], paid[11];
    int64_t payroll = 0, amount = 0;
    gh_err ve;
    /* every unreadable cell of the row is reported before the row is refused */
    if (valid_uscc(import_field(im, P_USCC), uscc, &ve)) import_error(im, "uscc", ve.message);
    if (csv_cell_month(import_field(im, P_MONTH), month)) import_error(im, "month", "所属期应为 2022-07 这样的年月");
    if (money_parse(import_field(im, P_PAYROLL), &payroll, NULL) || payroll < 0)
        import_error(im, "payroll_fen", "工资总额应为不小于 0 的金额（元，最多两位小数）");
    if (money_parse(import_field(im, P_AMOUNT), &amount, NULL) || amount <= 0)
        import_error(im, "amount_fen", "缴纳金额应为大于 0 的金额（元，最多两位小数）");
    if (csv_cell_date(import_field(im, P_PAID), paid)) import_error(im, "paid_on", "缴款日期格式应为 2022-08-15");
    const char *k = import_field(im, P_KIND);
    int prep = 0;
    if (!*k || !strcmp(k, "工会经费") || !strcmp(k, "fee")) prep = 0;
    else if (!strcmp(k, "建会筹备金") || !strcmp(k, "筹备金") || !strcmp(k, "prep_fee")) prep = 1;
    else import_error(im, "kind", "类型应为“工会经费”或“建会筹备金”");
    if (import_line_errors(im)) return 0;
    /* the enterprise, in the import's subtree */
    store_res r;
    int64_t ent = 0, ent_org = 0, union_org = 0;
    char path[GH_PATH_MAX] = "";
    int rc = store_query(x->db, &r,
        "SELECT en.id, en.org_id, COALESCE(en.union_org_id, 0), o.path FROM enterprises en JOIN orgs o ON o.id = en.org_id"
        " WHERE en.uscc = $1",
        SV_ARGS(SV_T(uscc)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        ent = store_int(&r, 0);
        ent_org = store_int(&r, 1);
        union_org = store_int(&r, 2);
        snprintf(path, sizeof path, "%s", store_text(&r, 3));
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (!ent || strcmp(path, c->root) < 0 || strcmp(path, c->hi) >= 0)
        return import_error(im, "uscc", "未登记的企业（请先导入企业名录）"), 0;
    if (!prep && !union_org) return import_error(im, "kind", "该企业尚未建会，应缴建会筹备金"), 0;
    char key[64];
    snprintf(key, sizeof key, "%lld|%s|%d", (long long)ent, month, prep);
    int dup = u64set_add(&c->seen, u64set_hash(key));
    if (dup < 0) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    if (dup) return import_error(im, "month", "与文件中前面的行重复（同一企业同一所属期同一类型）"), 0;
    /* already imported: the same figures are skipped, other figures refused */
    rc = store_query(x->db, &r,
        "SELECT amount_fen, payroll_fen FROM fee_payments WHERE enterprise_id = $1 AND month = $2 AND kind = $3",
        SV_ARGS(SV_I(ent), SV_T(month), SV_T(prep ? "prep_fee" : "fee")), e);
    if (rc) return rc;
    int existing = 0, same = 0;
    if ((rc = store_next(&r, e)) > 0) {
        existing = 1;
        same = store_int(&r, 0) == amount && store_int(&r, 1) == payroll;
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (existing && !same) return import_error(im, "amount_fen", "与已导入的同期记录金额不一致（如需更正请联系管理员冲销）"), 0;
    if (existing) {
        c->skipped++;
        return 0;
    }
    /* The split must be known for the month, dry run or not. */
    split_cache *sc;
    gh_err pe;
    rc = split_for(c, x->db, ent_org, month, &sc, &pe);
    if (rc == ERR_NOT_FOUND) return import_error(im, "month", pe.message), 0;
    if (rc) return *e = pe, rc;
    int64_t expected = fee_expected(payroll);
    char reason[160] = "";
    if (amount != expected) {
        char a[32], b[32];
        money_format(expected, a, sizeof a);
        money_format(amount, b, sizeof b);
        snprintf(reason, sizeof reason, "按工资总额 2%% 应缴 %s 元，实缴 %s 元", a, b);
        c->flagged++;
        if (json_array_size(c->flags) < IMPORT_MAX_REPORTED)
            json_array_append_new(c->flags, json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)import_line(im),
                                                      "uscc", uscc, "month", month, "reason", reason));
    }
    if (!import_writing(im)) return 0;
    char ts[32];
    ts_now(ts);
    rc = store_exec(x->db,
        "INSERT INTO fee_payments (enterprise_id, org_id, month, kind, payroll_fen, amount_fen, paid_on, flagged,"
        " flag_reason, import_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
        SV_ARGS(SV_I(ent), SV_I(ent_org), SV_T(month), SV_T(prep ? "prep_fee" : "fee"), SV_I(payroll), SV_I(amount),
                SV_T(paid), SV_I(reason[0] != 0), SV_T(reason[0] ? reason : NULL), SV_I(c->import_id), SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    rc = split_payment(c, x->db, ent_org, union_org, prep, month, paid, amount, e);
    if (rc) return rc;
    c->imported_fen += amount;
    import_count(im);
    return 0;
}

static int pay_finish(importer *im, void *p, gh_err *e)
{
    fee_import_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    int rc = store_exec(x->db,
        "UPDATE fee_imports SET rows_total = $2, rows_imported = $3, rows_flagged = $4, rows_skipped = $5, amount_fen = $6"
        " WHERE id = $1",
        SV_ARGS(SV_I(c->import_id), SV_I(import_rows(im)), SV_I(import_written(im)), SV_I(c->flagged),
                SV_I(c->skipped), SV_I(c->imported_fen)),
        NULL, e);
    if (rc) return rc;
    if (c->nsums) {
        ledger_leg *legs = calloc((size_t)c->nsums, sizeof *legs);
        char (*keys)[96] = calloc((size_t)c->nsums, sizeof *keys);
        if (!legs || !keys) {
            free(legs);
            free(keys);
            return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        }
        for (int i = 0; i < c->nsums && rc == 0; i++) {
            share_sum *s = &c->sums[i];
            rc = ledger_account(x->db, s->collector, "bank", &legs[i].debit_account, e);
            if (rc == 0) rc = ledger_account(x->db, s->receiver, s->prep ? "prep_fee_income" : "fee_income",
                                             &legs[i].credit_account, e);
            snprintf(keys[i], sizeof keys[i], "fee-import:%lld:%lld:%lld:%d:%s", (long long)c->import_id,
                     (long long)s->collector, (long long)s->receiver, s->prep, s->date);
            legs[i].amount_fen = s->amount;
            legs[i].idem_key = keys[i];
            legs[i].ref_type = "fee_import";
            legs[i].ref_id = c->import_id;
            legs[i].memo = s->prep ? "建会筹备金分成" : "工会经费分成";
            legs[i].value_date = s->date;
            if (rc == 0 && legs[i].debit_account == legs[i].credit_account) rc = ERR_INTERNAL;
        }
        if (rc == 0) {
            char batch[48];
            snprintf(batch, sizeof batch, "fee-import:%lld", (long long)c->import_id);
            rc = ledger_post(x, batch, legs, c->nsums, NULL, NULL, e);
        }
        free(legs);
        free(keys);
        if (rc) return rc;
    }
    json_t *d = json_pack("{s:I, s:I, s:I, s:s}", "rows", (json_int_t)import_written(im), "amount_fen",
                          (json_int_t)c->imported_fen, "flagged", (json_int_t)c->flagged, "sha256", c->sha);
    rc = audit_record(x, "fee.import", "fee_import", c->import_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int fee_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, const char *file_name,
               int dry_run, import_progress_fn progress, void *pctx, json_t **out, gh_err *e)
{
    int rc0 = enterprise_org_allowed(x, org_id, e);
    if (rc0) return rc0;
    fee_import_ctx *c = calloc(1, sizeof *c);
    if (!c) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    c->org_id = org_id;
    c->file_name = file_name;
    int rc = org_scope_path(x, org_id, c->root, e);
    if (rc) {
        free(c);
        return rc;
    }
    store_prefix_bound(c->root, c->hi, sizeof c->hi);
    c->flags = json_array();
    if (data) crypto_sha256_hex(data, len, c->sha);
    else snprintf(c->sha, sizeof c->sha, "file");
    static const int required[] = {P_USCC, P_MONTH, P_PAYROLL, P_AMOUNT, P_PAID};
    const import_spec spec = {pay_cols, pay_fields, P_N, required, 5, pay_row, pay_finish};
    if (!dry_run) {
        /* The import row first, so payments can name it; it rolls back with
         * them when any row is bad. */
        rc = store_begin(x->db, STORE_WRITE, e);
        if (rc == 0) {
            char ts[32];
            ts_now(ts);
            store_res r;
            rc = store_query(x->db, &r,
                "INSERT INTO fee_imports (org_id, file_name, file_sha256, rows_total, rows_imported, rows_flagged,"
                " rows_skipped, amount_fen, actor_id, created_at) VALUES ($1, $2, $3, 0, 0, 0, 0, 0, $4, $5) RETURNING id",
                SV_ARGS(SV_I(org_id), SV_T(file_name), SV_T(c->sha), SV_IZ(x->actor->user_id), SV_T(ts)), e);
            if (rc == 0) {
                if (store_next(&r, e) > 0) c->import_id = store_int(&r, 0);
                store_done(&r);
            }
        }
    }
    if (rc == 0) rc = import_run(x, &spec, data, len, path, dry_run, c, progress, pctx, out, e);
    if (!dry_run && store_in_tx(x->db)) {
        /* import_run committed its nested level; the outer one decides */
        int ok = rc == 0 && json_integer_value(json_object_get(*out, "error_count")) == 0;
        if (ok) rc = store_commit(x->db, e);
        else store_rollback(x->db);
    }
    if (rc == 0) {
        json_object_set_new(*out, "flagged_count", json_integer(c->flagged));
        json_object_set_new(*out, "flagged", c->flags);
        json_object_set_new(*out, "skipped_existing", json_integer(c->skipped));
        json_object_set_new(*out, "amount_fen", json_integer(c->imported_fen));
        if (!dry_run && c->import_id && json_integer_value(json_object_get(*out, "error_count")) == 0)
            json_object_set_new(*out, "import_id", json_integer(c->import_id));
        c->flags = NULL;
    }
    json_decref(c->flags);
    u64set_free(&c->seen);
    free(c->sums);
    free(c);
    return rc;
}

/* the export's words for the codes (as the pages show them) */
static const char *const words_payment_kinds[] = {"fee", "工会经费", "prep_fee", "建会筹备金", NULL};

static const list_col payment_cols[] = {
    {"id", "p.id", COL_INT, "编号"},
    {"enterprise_id", "p.enterprise_id", COL_INT},
    {"enterprise_name", "en.name", COL_STR, "企业名称"},
    {"uscc", "en.uscc", COL_STR, "统一社会信用代码"},
    {"month", "p.month", COL_STR, "所属月份"},
    {"kind", "p.kind", COL_STR, "缴费类型", words_payment_kinds},
    {"payroll_fen", "p.payroll_fen", COL_FEN, "工资总额（元）"},
    {"amount_fen", "p.amount_fen", COL_FEN, "缴费金额（元）"},
    {"paid_on", "p.paid_on", COL_STR, "缴费日期"},
    {"flagged", "p.flagged", COL_BOOL, "存疑"},
    {"flag_reason", "p.flag_reason", COL_STR, "存疑原因"},
    {"import_id", "p.import_id", COL_INT_NULL},
    {0},
};

static const list_filter payment_filters[] = {
    {FILTER_TEXT, offsetof(payment_query, from), "p.month >= ?", "from", "起始月份"},
    {FILTER_TEXT, offsetof(payment_query, to), "p.month <= ?", "to", "截止月份"},
    {FILTER_FLAG, offsetof(payment_query, flagged), "p.flagged = ?", "flagged", "存疑"},
    {0},
};

static const list_spec payment_spec = {payment_cols, payment_filters, .title = "工会经费缴费记录"};

int fee_payments_list(gh_ctx *x, const payment_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    char lo[GH_PATH_MAX] = "", hi[GH_PATH_MAX] = "";
    int64_t ent = q->enterprise_id;
    if (a->role == ROLE_ENTERPRISE) {
        if (ent && ent != a->enterprise_id) return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", "enterprise_id", "企业不存在");
        ent = a->enterprise_id;
        snprintf(lo, sizeof lo, "/");
    } else {
        if (!enterprise_fin_reader(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看缴费记录的权限（需财务职责）");
        snprintf(lo, sizeof lo, "%s", a->scope);
        if (q->org_id) {
            int rc = org_scope_path(x, q->org_id, lo, e);
            if (rc) return rc;
        }
        if (ent) {
            int rc = enterprise_scoped(x, ent, NULL, NULL, e);
            if (rc) return rc;
        }
    }
    char m[8];
    if (q->from && *q->from && csv_cell_month(q->from, m))
        return err_set(e, ERR_INVALID, "invalid_query", "from", "起始月份格式应为 2023-01");
    if (q->to && *q->to && csv_cell_month(q->to, m))
        return err_set(e, ERR_INVALID, "invalid_query", "to", "截止月份格式应为 2023-12");
    store_prefix_bound(lo, hi, sizeof hi);
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, "fee_payments p JOIN enterprises en ON en.id = p.enterprise_id JOIN orgs o ON o.id = p.org_id"
                  " WHERE o.path >= ? AND o.path < ?", SV_ARGS(SV_T(lo), SV_T(hi)));
    if (ent) SQLW_AND(&w, "p.enterprise_id = ?", SV_I(ent));
    return list_query(x, &payment_spec, q, &w, "p.month DESC, p.id DESC", &pg, NULL, out, e);
}

int fee_import_upload(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                      import_progress_fn progress, void *pctx, json_t **out, gh_err *e)
{
    return fee_import(x, org_id, data, len, path, "上传文件", dry_run, progress, pctx, out, e);
}

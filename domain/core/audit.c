/* audit.c — the hash-chained audit log; see audit.h. */
#include "domain/core/audit.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "domain/core/chain.h"
#include "domain/core/list.h"

typedef struct audit_row {
    int64_t part, seq;
    const char *ts;
    int64_t actor_id;
    const char *actor_login, *actor_role, *client, *action, *object_type;
    int64_t object_id, org_id;
    const char *org_path, *outcome, *detail, *prev_hash;
} audit_row;

#define field buf_field

/* The row's canonical text, hashed into its link. */
static void row_text(buf *b0, const audit_row *r)
{
    buf b = *b0;
    buf_printf(&b, "%lld|", (long long)r->seq);
    field(&b, r->ts);
    buf_printf(&b, "|%lld|", (long long)r->actor_id);
    field(&b, r->actor_login);
    field(&b, r->actor_role);
    field(&b, r->client);
    field(&b, r->action);
    field(&b, r->object_type);
    buf_printf(&b, "|%lld|%lld|", (long long)r->object_id, (long long)r->org_id);
    field(&b, r->org_path);
    field(&b, r->outcome);
    field(&b, r->detail);
    field(&b, r->prev_hash);
    *b0 = b;
}

typedef struct rec_ctx {
    gh_ctx *x;
    const char *action, *object_type, *outcome;
    int64_t object_id, org_id;
    const char *detail;
} rec_ctx;

static int record_tx(store_conn *db, void *p, gh_err *e)
{
    rec_ctx *c = p;
    const gh_actor *a = c->x->actor;
    const unsigned char *key = c->x->cfg->chain_key;
    char path[GH_PATH_MAX] = "", hash[65], ts[32];
    int64_t part = 0;
    int have_path = 0;
    chain_pos pos;
    /* The org's path (kept on the row for scoped searches) and its
     * partition come in one query; then the partition's head is claimed. */
    int rc = chain_partition(db, c->org_id, &part, path, sizeof path, &have_path, e);
    if (rc == 0) rc = chain_next(db, &chain_audit, key, part, &pos, e);
    if (rc) return rc;
    int64_t seq = pos.seq;
    const char *prev = pos.prev;
    ts_now(ts);
    audit_row row = {
        .part = part, .seq = seq, .ts = ts, .actor_id = a->user_id,
        .actor_login = a->login[0] ? a->login : NULL, .actor_role = role_name(a->role),
        .client = a->client[0] ? a->client : NULL, .action = c->action,
        .object_type = c->object_type, .object_id = c->object_id, .org_id = c->org_id,
        .org_path = have_path ? path : NULL, .outcome = c->outcome, .detail = c->detail,
        .prev_hash = prev,
    };
    buf b = {0};
    row_text(&b, &row);
    chain_link(key, part, buf_str(&b), b.len, hash);
    buf_free(&b);
    rc = store_exec(db,
                    "INSERT INTO audit_log (part, seq, ts, actor_id, actor_login, actor_role, client, action,"
                    " object_type, object_id, org_id, org_path, outcome, detail, prev_hash, hash)"
                    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
                    SV_ARGS(SV_I(part), SV_I(seq), SV_T(ts), SV_IZ(a->user_id), SV_T(row.actor_login),
                            SV_T(row.actor_role), SV_T(row.client), SV_T(c->action),
                            SV_T(c->object_type), SV_IZ(c->object_id), SV_IZ(c->org_id),
                            SV_T(row.org_path), SV_T(c->outcome), SV_T(c->detail), SV_T(prev),
                            SV_T(hash)),
                    NULL, e);
    if (rc) return rc;
    return chain_set_head(db, &chain_audit, key, &pos, hash, e);
}

int audit_record(gh_ctx *x, const char *action, const char *object_type, int64_t object_id,
                 int64_t org_id, const char *outcome, const json_t *detail, gh_err *e)
{
    char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
    rec_ctx c = {x, action, object_type, outcome, object_id, org_id, d};
    gh_err local;
    int rc = store_tx(x->db, STORE_WRITE, record_tx, &c, e ? e : &local);
    free(d);
    return rc;
}

/* the export's words for the codes (as the pages show them) */
static const char *const words_outcomes[] = {"ok", "成功", "failed", "失败", "denied", "拒绝", NULL};

/* the export's words: roles as the pages name them; the command line's
 * "local" in words */
static const char *const words_roles[] = {"member", "会员", "officer", "工会工作人员", "provider", "服务机构", "bank",
                                          "合作银行", "auditor", "审计员", "admin", "系统管理员", "enterprise", "企业",
                                          "system", "系统", "anonymous", "访客", NULL};
static const char *const words_client[] = {"local", "本机命令行", NULL};

static const list_col audit_cols[] = {
    {"id", "id", COL_INT},
    {"seq", "seq", COL_INT, "序号"},
    {"partition", "part", COL_INT, "分区"},
    {"ts", "ts", COL_STR, "时间"},
    {"actor_id", "actor_id", COL_INT_NULL, "操作人编号"},
    {"actor_login", "actor_login", COL_STR, "操作人"},
    {"actor_name", "(SELECT u.display_name FROM users u WHERE u.id = actor_id)", COL_STR, "操作人姓名"},
    {"actor_role", "actor_role", COL_STR, "角色", words_roles},
    {"client", "client", COL_STR, "来源", words_client},
    {"action", "action", COL_STR, "操作"},
    {"object_type", "object_type", COL_STR, "对象类型"},
    {"object_id", "object_id", COL_INT_NULL, "对象编号"},
    {"org_id", "org_id", COL_INT_NULL, "组织编号"},
    {"outcome", "outcome", COL_STR, "结果", words_outcomes},
    {"detail", "detail", COL_STR},
    {0},
};

static void audit_post(json_t *o, void *arg)
{
    (void)arg;
    const char *d = json_string_value(json_object_get(o, "detail"));
    json_t *dj = d ? json_loads(d, 0, NULL) : NULL;
    json_object_set_new(o, "detail", dj ? dj : json_null());
}

static const list_filter audit_filters[] = {
    {FILTER_TEXT, offsetof(audit_query, actor), "actor_login = ?", "actor", "操作人"},
    {FILTER_ID, offsetof(audit_query, actor_id), "actor_id = ?", "actor_id", "操作人编号"},
    {FILTER_TEXT, offsetof(audit_query, object_type), "object_type = ?", "object_type", "对象类型"},
    {FILTER_ID, offsetof(audit_query, object_id), "object_id = ?", "object_id", "对象编号"},
    {FILTER_TEXT, offsetof(audit_query, outcome), "outcome = ?", "outcome", "结果"},
    {0},
};

static const list_spec audit_spec = {audit_cols, audit_filters, audit_post, "审计日志"};

/* One end of the time range as the stored timestamps spell it (UTC, RFC
 * 3339): a date (YYYY-MM-DD, the whole of that day for the end) or a
 * timestamp. Anything else is refused here: copied into the fixed buffer it
 * would be cut, maybe inside a character, text PostgreSQL refuses. */
static int audit_bound(const char *s, int end, const char *field, char out[32], gh_err *e)
{
    out[0] = '\0';
    if (!s || !*s) return 0;
    int32_t day;
    int64_t ms;
    if (strlen(s) == 10 && date_parse(s, &day, NULL) == 0) {
        if (end) snprintf(out, 32, "%sT23:59:59.999Z", s);
        else snprintf(out, 32, "%s", s);
        return 0;
    }
    if (ts_parse(s, &ms, NULL) != 0)
        return err_set(e, ERR_INVALID, "invalid_query", field, "%s应为日期（YYYY-MM-DD）或 RFC 3339 时间",
                       end ? "结束时间" : "开始时间");
    ts_format_ms(ms, out);
    return 0;
}

int audit_search(gh_ctx *x, const audit_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_AUDITOR && a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有审计员和管理员可以查看审计日志");
    char bound[GH_PATH_MAX];
    store_prefix_bound(a->scope, bound, sizeof bound);
    int all = a->role != ROLE_AUDITOR;
    char *like = NULL;
    if (q->action && *q->action) {
        /* action is a prefix filter ("member." finds every member action) */
        buf b = {0};
        for (const char *p = q->action; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\') buf_putc(&b, '\\');
            buf_putc(&b, *p);
        }
        buf_putc(&b, '%');
        like = buf_take(&b);
    }
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    char from[32] = "", to[32] = "";
    int rc = audit_bound(q->from, 0, "from", from, e);
    if (rc == 0) rc = audit_bound(q->to, 1, "to", to, e);
    if (rc) {
        free(like);
        return rc;
    }
    sqlw w;
    sqlw_init(&w, "audit_log WHERE 1 = 1", SV_NONE);
    if (!all) SQLW_AND(&w, "org_path >= ? AND org_path < ?", SV_T(a->scope), SV_T(bound));
    if (like) SQLW_AND(&w, "action LIKE ? ESCAPE '\\'", SV_T(like));
    if (*from) SQLW_AND(&w, "ts >= ?", SV_T(from));
    if (*to) SQLW_AND(&w, "ts <= ?", SV_T(to));
    rc = list_query(x, &audit_spec, q, &w, "id DESC", &pg, NULL, out, e);
    free(like);
    return rc;
}

typedef struct verify_ctx {
    const unsigned char *key;
    const chain_targets *targets;
    chain_report *rep;
} verify_ctx;

static int verify_tx(store_conn *db, void *p, gh_err *e)
{
    verify_ctx *v = p;
    chain_report *rep = v->rep;
    chain_report_free(rep);
    chain_check c;
    int rc = chain_check_begin(db, &chain_audit, v->key, v->targets, &c, rep, e);
    if (rc) return rc;
    store_res r;
    rc = store_query(db, &r,
        "SELECT part, seq, ts, actor_id, actor_login, actor_role, client, action, object_type,"
        " object_id, org_id, org_path, outcome, detail, prev_hash, hash FROM audit_log ORDER BY part, seq",
        SV_NONE, e);
    if (rc) {
        chain_check_end(db, &c, NULL);
        return rc;
    }
    buf b = {0};
    while ((rc = store_next(&r, e)) > 0) {
        audit_row row = {
            .part = store_int(&r, 0), .seq = store_int(&r, 1), .ts = store_text(&r, 2),
            .actor_id = store_int(&r, 3), .actor_login = store_text(&r, 4), .actor_role = store_text(&r, 5),
            .client = store_text(&r, 6), .action = store_text(&r, 7), .object_type = store_text(&r, 8),
            .object_id = store_int(&r, 9), .org_id = store_int(&r, 10), .org_path = store_text(&r, 11),
            .outcome = store_text(&r, 12), .detail = store_text(&r, 13), .prev_hash = store_text(&r, 14),
        };
        buf_reset(&b);
        row_text(&b, &row);
        chain_check_row(&c, row.part, row.seq, row.prev_hash, buf_str(&b), b.len, store_text(&r, 15));
    }
    buf_free(&b);
    store_done(&r);
    if (rc < 0) {
        chain_check_end(db, &c, NULL);
        return rc;
    }
    return chain_check_end(db, &c, e);
}

int audit_verify(store_conn *db, const unsigned char *key, const chain_targets *targets, chain_report *rep, gh_err *e)
{
    memset(rep, 0, sizeof *rep);
    verify_ctx v = {key, targets, rep};
    /* One snapshot: rows and heads as of one moment, while writers go on. */
    int rc = store_tx(db, STORE_READ, verify_tx, &v, e);
    if (rc == ERR_CONFLICT || rc == 0) return rc;
    chain_report_free(rep);
    return rc;
}

/* notice.c — the message centre; rules in notice.h. */
#include "domain/core/notice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/date.h"
#include "base/log.h"
#include "domain/core/list.h"
#include "domain/core/module.h"

/* The development hook of docs/operations.md: with GONGHUI_SMS_ECHO=1 in the
 * server's environment, the text of every queued message is also written to
 * the log (never the mobile number), so a developer or a test can read a
 * one-time code without an SMS gateway. Never set it in production. */
static int sms_echo(void)
{
    const char *v = getenv("GONGHUI_SMS_ECHO");
    return v && strcmp(v, "1") == 0;
}

/* Queue text for member_id's mobile as the members table holds it (sealed
 * with the same key); nothing when the member has no mobile. */
static int sms_queue(store_conn *db, const gh_config *cfg, int64_t notice_id, int64_t member_id, const char *text,
                     gh_err *e)
{
    char ts[32];
    ts_now(ts);
    char *sealed = NULL;
    int rc = crypto_seal(cfg->data_key, text, &sealed, e);
    if (rc) return rc;
    rc = store_exec(db,
        "INSERT INTO sms_outbox (notice_id, mobile_sealed, text_sealed, created_at)"
        " SELECT $1, mobile_sealed, $2, $3 FROM members WHERE id = $4 AND mobile_sealed IS NOT NULL",
        SV_ARGS(SV_IZ(notice_id), SV_T(sealed), SV_T(ts), SV_I(member_id)), NULL, e);
    free(sealed);
    if (rc == 0 && sms_echo())
        log_info("sms echo (GONGHUI_SMS_ECHO=1, development only) to member %lld: %s", (long long)member_id, text);
    return rc;
}

int notice_send(store_conn *db, const gh_config *cfg, const notice_msg *m, gh_err *e)
{
    char ts[32];
    ts_now(ts);
    store_res r;
    int rc = store_query(db, &r,
        "INSERT INTO notices (member_id, org_id, duty, kind, title, body, link, ref_type, ref_id, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id",
        SV_ARGS(SV_IZ(m->member_id), SV_IZ(m->org_id), SV_I(m->duty), SV_T(m->kind), SV_T(m->title), SV_T(m->body),
                SV_T(m->link), SV_T(m->ref_type), SV_IZ(m->ref_id), SV_T(ts)),
        e);
    if (rc) return rc;
    int64_t id = 0;
    if ((rc = store_next(&r, e)) > 0) id = store_int(&r, 0);
    store_done(&r);
    if (rc < 0) return rc;
    if (!id || !m->sms || !m->member_id || !cfg) return 0; /* noticed before, or no text message */
    /* The text message waits, sealed, for the gateway. */
    char text[600];
    snprintf(text, sizeof text, "【工会服务平台】%s：%s", m->title, m->body);
    return sms_queue(db, cfg, id, m->member_id, text, e);
}

int notice_sms(store_conn *db, const gh_config *cfg, int64_t member_id, const char *text, gh_err *e)
{
    return sms_queue(db, cfg, 0, member_id, text, e);
}

/* Whose notices: a member's own, or those of the officer's org for their
 * duties. Other roles have none. */
static int recipient_where(const gh_actor *a, char *where, size_t n, store_val *args)
{
    if (a->role == ROLE_MEMBER && a->member_id) {
        snprintf(where, n, "n.member_id = $2");
        args[1] = SV_I(a->member_id);
        return 1;
    }
    if (a->role == ROLE_OFFICER && a->org_id) {
        snprintf(where, n, "n.org_id = $2 AND (n.duty = 0 OR (n.duty & $3) <> 0)");
        args[1] = SV_I(a->org_id);
        args[2] = SV_I(a->duties);
        return 2;
    }
    return 0;
}

static const list_col notice_cols[] = {
    {"id", "n.id", COL_INT},
    {"kind", "n.kind", COL_STR},
    {"title", "n.title", COL_STR},
    {"body", "n.body", COL_STR},
    {"link", "n.link", COL_STR},
    {"created_at", "n.created_at", COL_STR},
    {"read", "(SELECT COUNT(*) FROM notice_reads r WHERE r.notice_id = n.id AND r.user_id = $1)", COL_BOOL},
    {0},
};

#define UNREAD " AND NOT EXISTS (SELECT 1 FROM notice_reads r WHERE r.notice_id = n.id AND r.user_id = $1)"

static int unread_count(gh_ctx *x, int64_t *n, gh_err *e)
{
    store_val args[3] = {SV_I(x->actor->user_id)};
    char where[160], sql[400];
    int k = recipient_where(x->actor, where, sizeof where, args);
    *n = 0;
    if (!k) return 0;
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM notices n WHERE %s" UNREAD, where);
    return store_get_int(x->db, sql, args, k + 1, n, e);
}

/* Each module's reminders for this reader, first. */
static int remind_all(gh_ctx *x, gh_err *e)
{
    for (const gh_module *const *m = gh_modules; *m; m++)
        if ((*m)->remind) {
            int rc = (*m)->remind(x, e);
            if (rc) return rc;
        }
    return 0;
}

int notice_list(gh_ctx *x, const notice_query *q, json_t **out, gh_err *e)
{
    if (!x->actor->user_id) return err_set(e, ERR_UNAUTH, "unauthenticated", NULL, "请先登录");
    int rrc = remind_all(x, e);
    if (rrc) return rrc;
    store_val args[3] = {SV_I(x->actor->user_id)};
    char where[160], from[400];
    int k = recipient_where(x->actor, where, sizeof where, args);
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    if (!k) snprintf(from, sizeof from, "notices n WHERE 1 = 0 AND $1 = $1");
    else snprintf(from, sizeof from, "notices n WHERE %s%s", where, q->unread ? UNREAD : "");
    int rc = list_run_cols(x->db, notice_cols, from, "n.id DESC", args, k + 1, &pg, out, e);
    int64_t unread = 0;
    if (rc == 0) rc = unread_count(x, &unread, e);
    if (rc) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    json_object_set_new(*out, "unread", json_integer(unread));
    return 0;
}

int notice_unread(gh_ctx *x, json_t **out, gh_err *e)
{
    int64_t n = 0;
    int rc = remind_all(x, e);
    if (rc == 0) rc = unread_count(x, &n, e);
    if (rc) return rc;
    *out = json_pack("{s:I}", "unread", (json_int_t)n);
    return 0;
}

/* Mark id (0: every unread notice) read for the actor. Parameters: $1 the
 * user, $2 (and $3) the recipient, then the time, then the id. */
static int mark(gh_ctx *x, int64_t id, gh_err *e)
{
    store_val args[5] = {SV_I(x->actor->user_id)};
    char where[160], sql[600], ts[32];
    int k = recipient_where(x->actor, where, sizeof where, args);
    if (!k) return err_set(e, ERR_NOT_FOUND, "notice_not_found", "id", "消息不存在");
    ts_now(ts);
    int t = k + 1; /* index of the time */
    args[t] = SV_T(ts);
    args[t + 1] = SV_I(id);
    snprintf(sql, sizeof sql,
             "INSERT INTO notice_reads (notice_id, user_id, read_at) SELECT n.id, $1, $%d FROM notices n"
             " WHERE %s AND ($%d = 0 OR n.id = $%d)" UNREAD " ON CONFLICT DO NOTHING",
             t + 1, where, t + 2, t + 2);
    int rc = store_exec(x->db, sql, args, t + 2, NULL, e);
    if (rc || !id) return rc;
    /* one notice: 404 unless it is the actor's (read before or now) */
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM notices n WHERE %s AND n.id = $%d", where, t + 2);
    int64_t mine = 0;
    rc = store_get_int(x->db, sql, args, t + 2, &mine, e);
    if (rc == 0 && !mine) return err_set(e, ERR_NOT_FOUND, "notice_not_found", "id", "消息不存在");
    return rc;
}

int notice_read(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    int rc = mark(x, id, e);
    return rc ? rc : notice_unread(x, out, e);
}

int notice_read_all(gh_ctx *x, json_t **out, gh_err *e)
{
    int rc = mark(x, 0, e);
    return rc ? rc : notice_unread(x, out, e);
}

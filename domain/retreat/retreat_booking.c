/* retreat_booking.c — members' bookings of recuperation trips: booking under
 * the seat quota and the yearly subsidised-trip quota, the waiting list,
 * confirmation by the member's union, cancellation, and completion of a
 * departure with the subsidies posted to the ledger. Rules in retreat.h.
 *
 * Every quota is taken by one conditional statement inside the booking's
 * transaction — the seat by UPDATE … SET seats_left = seats_left - 1 WHERE
 * seats_left > 0, the yearly trip by an upsert that only increments below
 * the limit — and checked by its changed-row count, never by a read before
 * the write. The seat is always taken before the member's yearly trip, and
 * the waiting list is filled in the same order, so concurrent bookings and
 * cancellations lock rows in one order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "domain/core/audit.h"
#include "domain/core/notice.h"
#include "domain/core/ledger.h"
#include "domain/core/list.h"
#include "domain/org/org.h"
#include "domain/retreat/retreat.h"
#include "domain/retreat/retreat_internal.h"

/* ---- the member ---- */

typedef struct rt_member {
    int64_t id, org_id;
    char name[160], status[16], path[GH_PATH_MAX], join_date[11];
    int frontline, model_worker;
} rt_member;

static int member_load(store_conn *db, int64_t id, rt_member *m, gh_err *e)
{
    memset(m, 0, sizeof *m);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT m.id, m.name, m.status, m.org_id, o.path, m.join_date, m.frontline, m.model_worker"
        " FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        m->id = store_int(&r, 0);
        snprintf(m->name, sizeof m->name, "%s", store_text(&r, 1));
        snprintf(m->status, sizeof m->status, "%s", store_text(&r, 2));
        m->org_id = store_int(&r, 3);
        snprintf(m->path, sizeof m->path, "%s", store_text(&r, 4));
        snprintf(m->join_date, sizeof m->join_date, "%s", store_text(&r, 5));
        m->frontline = store_int(&r, 6) != 0;
        m->model_worker = !store_isnull(&r, 7);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "member_not_found", "member_id", "会员不存在");
    }
    store_done(&r);
    return rc;
}

/* The route's rules for this member, on date. Each failure is reported to
 * fn (code, message); returns how many failed, or negative on error. */
typedef void (*reason_fn)(void *ctx, int rc, const char *code, const char *msg);

static int member_reasons(store_conn *db, const rt_route *rt, const rt_member *m, const char *date, reason_fn fn,
                          void *ctx, gh_err *e)
{
    int n = 0;
    char msg[320];
    if (strcmp(m->status, "active") != 0) {
        fn(ctx, ERR_CONFLICT, "member_not_active", "会籍不在正常状态，不能预订疗休养");
        n++;
    }
    int ok = rt_org_eligible(db, rt, m->path, date, e);
    if (ok < 0) return ok;
    if (!ok) {
        snprintf(msg, sizeof msg, "该线路不对您所在的工会开放（主办：%s）", rt->org_name);
        fn(ctx, ERR_FORBIDDEN, "not_eligible_org", msg);
        n++;
    }
    if (rt->min_years > 0) {
        int32_t j = 0, t = 0;
        date_parse(m->join_date, &j, NULL);
        date_parse(date, &t, NULL);
        int years = date_years_between(j, t);
        if (years < rt->min_years) {
            snprintf(msg, sizeof msg, "该线路要求入会满 %d 年（您入会已满 %d 年）", rt->min_years, years < 0 ? 0 : years);
            fn(ctx, ERR_FORBIDDEN, "membership_too_short", msg);
            n++;
        }
    }
    if (rt->frontline_only && !m->frontline) {
        fn(ctx, ERR_FORBIDDEN, "frontline_only", "该线路仅限一线职工预订");
        n++;
    }
    return n;
}

typedef struct first_reason {
    gh_err *e;
    int rc;
} first_reason;

static void keep_first(void *p, int rc, const char *code, const char *msg)
{
    first_reason *f = p;
    if (f->rc) return;
    f->rc = err_set(f->e, rc, code, NULL, "%s", msg);
}

static void add_reason(void *p, int rc, const char *code, const char *msg)
{
    (void)rc;
    json_array_append_new(p, json_pack("{s:s, s:s}", "code", code, "message", msg));
}

/* ---- quotas ---- */

/* Take one of the member's subsidised trips of year: 1 taken, 0 none left. */
static int quota_take(store_conn *db, int64_t member_id, int year, int max, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "INSERT INTO retreat_quota (member_id, year, used) VALUES ($1, $2, 1)"
        " ON CONFLICT (member_id, year) DO UPDATE SET used = retreat_quota.used + 1 WHERE retreat_quota.used < $3"
        " RETURNING used",
        SV_ARGS(SV_I(member_id), SV_I(year), SV_I(max)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    store_done(&r);
    return rc;
}

static int quota_give_back(store_conn *db, int64_t member_id, int year, gh_err *e)
{
    return store_exec(db, "UPDATE retreat_quota SET used = used - 1 WHERE member_id = $1 AND year = $2 AND used > 0",
                      SV_ARGS(SV_I(member_id), SV_I(year)), NULL, e);
}

int rt_quota_release(store_conn *db, int64_t booking_id, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r, "SELECT member_id, trip_year, quota_taken FROM retreat_bookings WHERE id = $1",
                         SV_ARGS(SV_I(booking_id)), e);
    if (rc) return rc;
    int64_t member = 0, year = 0, taken = 0;
    if ((rc = store_next(&r, e)) > 0) {
        member = store_int(&r, 0);
        year = store_int(&r, 1);
        taken = store_int(&r, 2);
    }
    store_done(&r);
    if (rc < 0 || !taken) return rc < 0 ? rc : 0;
    rc = quota_give_back(db, member, (int)year, e);
    if (rc == 0)
        rc = store_exec(db, "UPDATE retreat_bookings SET quota_taken = 0 WHERE id = $1", SV_ARGS(SV_I(booking_id)), NULL, e);
    return rc;
}

static int quota_used(store_conn *db, int64_t member_id, int year, int64_t *used, gh_err *e)
{
    int rc = store_get_int(db, "SELECT used FROM retreat_quota WHERE member_id = $1 AND year = $2",
                           SV_ARGS(SV_I(member_id), SV_I(year)), used, e);
    if (rc == ERR_NOT_FOUND) {
        *used = 0;
        return 0;
    }
    return rc;
}

static int seat_take(store_conn *db, int64_t dep, int64_t *n, gh_err *e)
{
    char ts[32];
    ts_now(ts);
    return store_exec(db,
        "UPDATE retreat_departures SET seats_left = seats_left - 1, updated_at = $2"
        " WHERE id = $1 AND status = 'open' AND seats_left > 0",
        SV_ARGS(SV_I(dep), SV_T(ts)), n, e);
}

static int seat_release(store_conn *db, int64_t dep, gh_err *e)
{
    char ts[32];
    ts_now(ts);
    return store_exec(db,
        "UPDATE retreat_departures SET seats_left = seats_left + 1, updated_at = $2 WHERE id = $1 AND seats_left < seats",
        SV_ARGS(SV_I(dep), SV_T(ts)), NULL, e);
}

static int year_of(const char *date) { return atoi(date); }


/* The member's notice of what happened to their booking (in the caller's
 * transaction): the route and the departure date in the words. */
static int notify_booking(gh_ctx *x, store_conn *db, int64_t booking, const char *kind, const char *title,
                          const char *what, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT b.member_id, rt.title, d.depart_date FROM retreat_bookings b JOIN retreat_departures d"
        " ON d.id = b.departure_id JOIN retreat_routes rt ON rt.id = b.route_id WHERE b.id = $1",
        SV_ARGS(SV_I(booking)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        char body[512];
        snprintf(body, sizeof body, "%s出发的“%s”%s", store_text(&r, 2), store_text(&r, 1), what);
        notice_msg m = {.member_id = store_int(&r, 0), .kind = kind, .title = title, .body = body,
                        .link = "/m/retreat.html", .ref_type = "retreat_booking", .ref_id = booking, .sms = 1};
        store_done(&r);
        return notice_send(db, x->cfg, &m, e);
    }
    store_done(&r);
    return rc;
}

/* ---- the waiting list ---- */

int rt_fill_waitlist(gh_ctx *x, int64_t dep_id, int *promoted, gh_err *e)
{
    store_conn *db = x->db;
    char today[11], ts[32];
    rt_today(today);
    if (promoted) *promoted = 0;
    rt_departure d;
    rt_route rt;
    int rc = rt_departure_load(db, dep_id, &d, e);
    if (rc == 0) rc = rt_route_load(db, d.route_id, &rt, e);
    if (rc) return rc;
    if (strcmp(d.status, "open") != 0 || strcmp(d.depart_date, today) <= 0) return 0;
    rt_rules rules;
    rc = rt_rules_for(db, rt.org_id, today, &rules, e);
    if (rc) return rc;
    int instant = rt.confirm_mode[0] ? strcmp(rt.confirm_mode, "instant") == 0 : rules.instant;
    char eve[11];
    rt_date_add(d.depart_date, -1, eve);
    for (;;) {
        store_res r;
        rc = store_query(db, &r,
            "SELECT b.id, b.member_id, b.subsidy_fen, b.trip_year, m.status FROM retreat_bookings b"
            " JOIN members m ON m.id = b.member_id WHERE b.departure_id = $1 AND b.status = 'waitlisted'"
            " ORDER BY b.id LIMIT 1",
            SV_ARGS(SV_I(dep_id)), e);
        if (rc) return rc;
        int64_t bid = 0, member = 0, subsidy = 0, year = 0;
        int active = 0;
        if ((rc = store_next(&r, e)) > 0) {
            bid = store_int(&r, 0);
            member = store_int(&r, 1);
            subsidy = store_int(&r, 2);
            year = store_int(&r, 3);
            active = strcmp(store_text(&r, 4), "active") == 0;
        }
        store_done(&r);
        if (rc <= 0) return rc;
        int64_t n = 0;
        rc = seat_take(db, dep_id, &n, e);
        if (rc || n == 0) return rc;
        const char *why = NULL;
        int taken = 0;
        if (!active) {
            why = "会籍已不在正常状态，候补自动取消";
        } else if (subsidy > 0) {
            rc = quota_take(db, member, (int)year, rules.max_per_year, e);
            if (rc < 0) return rc;
            taken = rc;
            if (!taken) why = "本年度享受补助的疗休养次数已用完，候补自动取消";
        }
        ts_now(ts);
        if (why) {
            rc = seat_release(db, dep_id, e);
            if (rc == 0)
                rc = store_exec(db,
                    "UPDATE retreat_bookings SET status = 'cancelled', reason = $2, cancelled_at = $3, updated_at = $3"
                    " WHERE id = $1 AND status = 'waitlisted'",
                    SV_ARGS(SV_I(bid), SV_T(why), SV_T(ts)), NULL, e);
            if (rc) return rc;
            continue;
        }
        /* Claimed only if still waiting: a concurrent filler (another
         * cancellation on PostgreSQL) may have taken this one first.
         * promoted_at is the member's notice (shown on their bookings page
         * until read). A seat that comes after the cancellation deadline
         * would leave the member no way to decline it themself: they may
         * then cancel until the eve of departure, as they could while
         * waiting. */
        rc = store_exec(db,
            "UPDATE retreat_bookings SET status = $2, quota_taken = $3, updated_at = $4, promoted_at = $4,"
            " promotion_seen_at = NULL, cancel_by = CASE WHEN cancel_by < $5 THEN $6 ELSE cancel_by END,"
            " decided_at = CASE WHEN $2 = 'confirmed' THEN $4 ELSE decided_at END WHERE id = $1 AND status = 'waitlisted'",
            SV_ARGS(SV_I(bid), SV_T(instant ? "confirmed" : "pending"), SV_I(taken), SV_T(ts), SV_T(today), SV_T(eve)),
            &n, e);
        if (rc) return rc;
        if (n == 0) {
            rc = seat_release(db, dep_id, e);
            if (rc == 0 && taken) rc = quota_give_back(db, member, (int)year, e);
            if (rc) return rc;
            continue;
        }
        rc = notify_booking(x, db, bid, "booking_promoted", instant ? "候补成功，预订已确认" : "候补成功，等待工会确认",
                            instant ? "已由候补递补成功，预订已确认。" : "已由候补递补成功，等待所在工会确认。", e);
        if (rc) return rc;
        json_t *dj = json_pack("{s:I, s:s}", "departure_id", (json_int_t)dep_id, "status", instant ? "confirmed" : "pending");
        rc = audit_record(x, "retreat.booking.promote", "retreat_booking", bid, rt.org_id, "ok", dj, e);
        json_decref(dj);
        if (rc) return rc;
        if (promoted) (*promoted)++;
    }
}

/* ---- reading ---- */

/* the export's words for the codes (as the pages show them) */
static const char *const words_booking_status[] = {"waitlisted", "候补中", "pending", "待工会确认", "confirmed", "已确认", "completed", "已出行", "cancelled", "已取消", "rejected", "未通过", "no_show", "未出行", NULL};

static const list_col booking_cols[] = {
    {"id", "b.id", COL_INT, "编号"},
    {"status", "b.status", COL_STR, "状态", words_booking_status},
    {"departure_id", "b.departure_id", COL_INT},
    {"depart_date", "d.depart_date", COL_STR, "出发日期"},
    {"days", "r.days", COL_INT},
    {"return_date", NULL, COL_STR, "返回日期"},
    {"route_id", "b.route_id", COL_INT},
    {"route_title", "r.title", COL_STR, "线路"},
    {"destination", "r.destination", COL_STR, "目的地"},
    {"price_fen", "b.price_fen", COL_FEN, "价格（元）"},
    {"subsidy_fen", "b.subsidy_fen", COL_FEN, "补助（元）"},
    {"member_price_fen", NULL, COL_FEN, "个人负担（元）"},
    {"member_id", "b.member_id", COL_INT},
    {"member_name", "m.name", COL_STR, "姓名"},
    {"mobile_masked", "m.mobile_mask", COL_STR, "手机号"},
    {"org_id", "b.org_id", COL_INT},
    {"org_name", "mo.name", COL_STR, "所属工会"},
    {"route_org_id", "b.route_org_id", COL_INT},
    {"route_org_name", "ro.name", COL_STR, "组织工会"},
    {"frontline", "b.frontline", COL_BOOL, "一线职工"},
    {"model_worker", "b.model_worker", COL_BOOL, "劳模"},
    {"reason", "b.reason", COL_STR, "原因"},
    {"created_at", "b.created_at", COL_STR, "预订时间"},
    {"decided_at", "b.decided_at", COL_STR},
    {"cancelled_at", "b.cancelled_at", COL_STR},
    {"completed_at", "b.completed_at", COL_STR},
    {"transfer_id", "b.transfer_id", COL_INT_NULL},
    {"cancel_by", "b.cancel_by", COL_STR},
    {"departure_status", "d.status", COL_STR},
    {"waitlist_position",
     "(SELECT COUNT(*) FROM retreat_bookings w WHERE w.departure_id = b.departure_id"
     " AND w.status = 'waitlisted' AND w.id <= b.id)",
     COL_INT, "候补顺位"},
    {"subsidised_trip", "b.quota_taken", COL_BOOL},
    {"seats_left", "d.seats_left", COL_INT},
    {"can_cancel", NULL, COL_BOOL},
    {"promoted_at", "b.promoted_at", COL_STR},
    {"promotion_seen_at", "b.promotion_seen_at", COL_STR},
    {"promotion_unread", NULL, COL_BOOL},
    {0},
};
#define BOOKING_FROM \
    "retreat_bookings b JOIN retreat_departures d ON d.id = b.departure_id JOIN retreat_routes r ON r.id = b.route_id" \
    " JOIN members m ON m.id = b.member_id JOIN orgs mo ON mo.id = b.org_id JOIN orgs ro ON ro.id = b.route_org_id"

typedef struct row_ctx {
    char today[11];
} row_ctx;

#define JS(o, k) json_string_value(json_object_get(o, k))
#define JI(o, k) json_integer_value(json_object_get(o, k))

/* Dates, the member's share, and what the member may still do. */
static void booking_post(json_t *o, void *p)
{
    row_ctx *c = p;
    const char *status = JS(o, "status"), *dd = JS(o, "depart_date");
    char ret[11];
    rt_date_add(dd, (int)JI(o, "days") - 1, ret);
    json_object_set_new(o, "return_date", json_string(ret));
    json_object_set_new(o, "member_price_fen", json_integer(JI(o, "price_fen") - JI(o, "subsidy_fen")));
    int live = !strcmp(status, "waitlisted") || !strcmp(status, "pending") || !strcmp(status, "confirmed");
    if (strcmp(status, "waitlisted")) json_object_del(o, "waitlist_position");
    /* What a member may still do themself: cancel before the deadline (a
     * waiting-list place any time before departure). */
    int can = live && strcmp(dd, c->today) > 0 && (!strcmp(status, "waitlisted") || strcmp(JS(o, "cancel_by"), c->today) >= 0);
    json_object_set_new(o, "can_cancel", json_boolean(can));
    /* The waiting-list promotion: when, and whether the member still has
     * to be told (a live booking whose notice they have not read). */
    int unread = live && JS(o, "promoted_at") && !JS(o, "promotion_seen_at") && strcmp(dd, c->today) >= 0;
    json_object_set_new(o, "promotion_unread", json_boolean(unread));
    json_object_del(o, "days");
    json_object_del(o, "promotion_seen_at");
}

static const list_filter booking_filters[] = {
    {FILTER_CHOICE, offsetof(retreat_booking_query, status), "b.status = ?", "status", "预订状态", retreat_booking_statuses},
    {FILTER_ID, offsetof(retreat_booking_query, route_id), "b.route_id = ?", "route_id", "线路"},
    {FILTER_ID, offsetof(retreat_booking_query, departure_id), "b.departure_id = ?", "departure_id", "出发批次"},
    {0},
};

static const list_spec booking_spec = {booking_cols, booking_filters, booking_post, "疗休养预订", "retreat.export"};

typedef struct booking_auth {
    int64_t org_id, route_org_id, member_id;
    char org_path[GH_PATH_MAX], route_org_path[GH_PATH_MAX];
} booking_auth;

static int booking_auth_load(store_conn *db, int64_t id, booking_auth *ba, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT b.org_id, mo.path, b.route_org_id, ro.path, b.member_id FROM retreat_bookings b"
        " JOIN orgs mo ON mo.id = b.org_id JOIN orgs ro ON ro.id = b.route_org_id WHERE b.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        ba->org_id = store_int(&r, 0);
        snprintf(ba->org_path, sizeof ba->org_path, "%s", store_text(&r, 1));
        ba->route_org_id = store_int(&r, 2);
        snprintf(ba->route_org_path, sizeof ba->route_org_path, "%s", store_text(&r, 3));
        ba->member_id = store_int(&r, 4);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "booking_not_found", "id", "预订记录不存在");
    }
    store_done(&r);
    return rc;
}

/* May the actor see the booking? The member; staff whose scope holds the
 * member's union or the offering union. */
static int booking_visible(const gh_actor *a, const booking_auth *ba)
{
    if (a->role == ROLE_MEMBER) return a->member_id == ba->member_id;
    return actor_is_staff(a) && (actor_in_scope(a, ba->org_path) || actor_in_scope(a, ba->route_org_path));
}

static int booking_json(store_conn *db, int64_t id, json_t **out, gh_err *e)
{
    row_ctx c;
    rt_today(c.today);
    int rc = list_one(db, &booking_spec, &c, NULL, BOOKING_FROM " WHERE b.id = $1", SV_ARGS(SV_I(id)), out, NULL, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "booking_not_found", "id", "预订记录不存在");
    return rc;
}

int retreat_booking_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    booking_auth ba;
    int rc = booking_auth_load(x->db, id, &ba, e);
    if (rc) return rc;
    if (!booking_visible(x->actor, &ba)) return err_set(e, ERR_NOT_FOUND, "booking_not_found", "id", "预订记录不存在");
    return booking_json(x->db, id, out, e);
}

int retreat_booking_list(gh_ctx *x, const retreat_booking_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    row_ctx rcx;
    rt_today(rcx.today);
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    if (a->role == ROLE_MEMBER) {
        sqlw_init(&w, BOOKING_FROM " WHERE b.member_id = ?", SV_ARGS(SV_I(a->member_id)));
    } else if (actor_is_staff(a)) {
        store_prefix_bound(a->scope, hi, sizeof hi);
        sqlw_init(&w, BOOKING_FROM " WHERE ((mo.path >= ? AND mo.path < ?) OR (ro.path >= ? AND ro.path < ?))",
                  SV_ARGS(SV_T(a->scope), SV_T(hi), SV_T(a->scope), SV_T(hi)));
        if (q->org_id) {
            int rc = org_scope_path(x, q->org_id, lo, e);
            if (rc) {
                sqlw_free(&w);
                return rc;
            }
            store_prefix_bound(lo, hi, sizeof hi);
            SQLW_AND(&w, "mo.path >= ? AND mo.path < ?", SV_T(lo), SV_T(hi));
        }
    } else {
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看疗休养预订的权限");
    }
    return list_query(x, &booking_spec, q, &w, q->departure_id ? "b.id" : "b.id DESC", &pg, &rcx, out, e);
}

/* ---- booking ---- */

static const jv_field book_fields[] = {
    {"departure_id", JV_INT, JV_REQUIRED, "出发批次", .min = 1, .max = INT64_MAX},
    {"member_id", JV_INT, 0, "会员", .min = 1, .max = INT64_MAX},
    {"waitlist", JV_BOOL, 0, "名额已满时加入候补"},
    {0},
};

typedef struct book_ctx {
    gh_ctx *x;
    int64_t departure_id, member_id;
    int waitlist;
    int64_t id;
} book_ctx;

static int book_tx(store_conn *db, void *p, gh_err *e)
{
    book_ctx *c = p;
    gh_ctx *x = c->x;
    char today[11], ts[32];
    rt_today(today);
    ts_now(ts);
    int system = x->actor->role == ROLE_SYSTEM;
    rt_departure d;
    rt_route rt;
    rt_member m;
    int rc = rt_departure_load(db, c->departure_id, &d, e);
    if (rc == 0) rc = rt_route_load(db, d.route_id, &rt, e);
    if (rc) return rc;
    rc = member_load(db, c->member_id, &m, e);
    if (rc) return rc;
    if (!rt.listed)
        return err_set(e, ERR_CONFLICT, "route_not_open", "departure_id", "该线路未在展示中（未发布、已下架或服务机构暂停），不能预订");
    if (strcmp(d.status, "open") != 0)
        return err_set(e, ERR_CONFLICT, "departure_closed", "departure_id", "该批次已%s，不能预订",
                       !strcmp(d.status, "closed") ? "截止报名" : !strcmp(d.status, "cancelled") ? "取消" : "结束");
    /* The command line may back-fill trips that already happened. */
    if (strcmp(d.depart_date, today) <= 0 && !system)
        return err_set(e, ERR_CONFLICT, "departure_past", "departure_id", "该批次已于 %s 出发，不能再预订", d.depart_date);
    first_reason fr = {e, 0};
    rc = member_reasons(db, &rt, &m, today, keep_first, &fr, e);
    if (rc < 0) return rc;
    if (fr.rc) return fr.rc;
    rt_rules rules;
    rc = rt_rules_for(db, rt.org_id, today, &rules, e);
    if (rc) return rc;
    if (d.opens_on[0] && strcmp(today, d.opens_on) < 0 && !system) {
        char early[11];
        rt_date_add(d.opens_on, -rules.window_days, early);
        int priority = m.frontline || m.model_worker;
        if (!priority || rules.window_days == 0 || strcmp(today, early) < 0) {
            if (rules.window_days > 0)
                return err_set(e, ERR_CONFLICT, "booking_not_open", "departure_id",
                               "该批次 %s 开放预订（一线职工、劳模 %s 起优先预订）", d.opens_on, early);
            return err_set(e, ERR_CONFLICT, "booking_not_open", "departure_id", "该批次 %s 开放预订", d.opens_on);
        }
    }
    int64_t dup = 0;
    rc = store_get_int(db,
        "SELECT COUNT(*) FROM retreat_bookings WHERE departure_id = $1 AND member_id = $2"
        " AND status IN ('waitlisted', 'pending', 'confirmed')",
        SV_ARGS(SV_I(d.id), SV_I(m.id)), &dup, e);
    if (rc) return rc;
    if (dup) return err_set(e, ERR_CONFLICT, "already_booked", "departure_id", "您已预订（或在候补）该批次，不能重复预订");
    int year = year_of(d.depart_date);
    int subsidised = rt.subsidy_fen > 0;
    int64_t n = 0;
    rc = seat_take(db, d.id, &n, e);
    if (rc) return rc;
    const char *status;
    int taken = 0;
    if (n == 1) {
        if (subsidised) {
            rc = quota_take(db, m.id, year, rules.max_per_year, e);
            if (rc < 0) return rc;
            if (rc == 0)
                return err_set(e, ERR_CONFLICT, "subsidy_limit_reached", "departure_id",
                               "%d 年您已享受 %d 次工会补助的疗休养，达到每人每年上限", year, rules.max_per_year);
            taken = 1;
        }
        int instant = rt.confirm_mode[0] ? strcmp(rt.confirm_mode, "instant") == 0 : rules.instant;
        status = instant ? "confirmed" : "pending";
    } else {
        if (!c->waitlist)
            return err_set(e, ERR_CONFLICT, "departure_full", "departure_id", "该批次名额已满（共 %d 个），可选择加入候补名单",
                           d.seats);
        if (subsidised) {
            int64_t used = 0;
            rc = quota_used(db, m.id, year, &used, e);
            if (rc) return rc;
            if (used >= rules.max_per_year)
                return err_set(e, ERR_CONFLICT, "subsidy_limit_reached", "departure_id",
                               "%d 年您已享受 %d 次工会补助的疗休养，达到每人每年上限", year, rules.max_per_year);
        }
        status = "waitlisted";
    }
    char cancel_by[11];
    rt_date_add(d.depart_date, -rules.cancel_days, cancel_by);
    store_res r;
    rc = store_query(db, &r,
        "INSERT INTO retreat_bookings (departure_id, route_id, route_org_id, member_id, org_id, status, price_fen,"
        " subsidy_fen, frontline, model_worker, trip_year, cancel_by, quota_taken, policy_id, booked_by, decided_at,"
        " created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17) RETURNING id",
        SV_ARGS(SV_I(d.id), SV_I(rt.id), SV_I(rt.org_id), SV_I(m.id), SV_I(m.org_id), SV_T(status), SV_I(rt.price_fen),
                SV_I(rt.subsidy_fen), SV_I(m.frontline), SV_I(m.model_worker), SV_I(year), SV_T(cancel_by), SV_I(taken),
                SV_IZ(rules.policy_id), SV_IZ(x->actor->user_id), SV_T(!strcmp(status, "confirmed") ? ts : NULL),
                SV_T(ts)),
        e);
    if (rc == 0) {
        if ((rc = store_next(&r, e)) > 0) c->id = store_int(&r, 0), rc = 0;
        store_done(&r);
    }
    /* (PostgreSQL reports the unique index at the insert, SQLite at the step.) */
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "already_booked", "departure_id", "您已预订（或在候补）该批次，不能重复预订");
    if (rc) return rc;
    json_t *dj = json_pack("{s:I, s:I, s:s, s:I}", "departure_id", (json_int_t)d.id, "member_id", (json_int_t)m.id,
                           "status", status, "subsidy_fen", (json_int_t)rt.subsidy_fen);
    rc = audit_record(x, "retreat.book", "retreat_booking", c->id, m.org_id, "ok", dj, e);
    json_decref(dj);
    return rc;
}

int retreat_book(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc = jv_check(body, book_fields, e);
    if (rc) return rc;
    book_ctx c = {x, jv_int(body, "departure_id", 0), 0, jv_bool(body, "waitlist", 0), 0};
    if (a->role == ROLE_MEMBER) {
        if (jv_has(body, "member_id") && jv_int(body, "member_id", 0) != a->member_id)
            return err_set(e, ERR_FORBIDDEN, "forbidden", "member_id", "会员只能为自己预订");
        c.member_id = a->member_id;
    } else if (actor_has_duty(a, DUTY_RETREAT)) {
        /* A union may book on behalf of its member (代报名). */
        c.member_id = jv_int(body, "member_id", 0);
        if (!c.member_id) return err_set(e, ERR_INVALID, "missing_field", "member_id", "请选择为哪位会员预订");
        rt_member m;
        rc = member_load(x->db, c.member_id, &m, e);
        if (rc == 0 && !actor_in_scope(a, m.path)) rc = err_set(e, ERR_NOT_FOUND, "member_not_found", "member_id", "会员不存在");
        if (rc) return rc;
    } else {
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有会员本人或负责疗休养的工会工作人员可以预订");
    }
    if (!c.member_id) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "当前账号没有关联会员档案");
    rc = store_tx(x->db, STORE_WRITE, book_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    return booking_json(x->db, c.id, out, e);
}

int retreat_eligibility(gh_ctx *x, int64_t route_id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_MEMBER || !a->member_id)
        return err_set(e, ERR_FORBIDDEN, "not_member", NULL, "请以会员身份登录后查看能否预订");
    rt_route rt;
    rt_member m;
    int rc = rt_route_load(x->db, route_id, &rt, e);
    if (rc == 0 && !rt.listed) rc = err_set(e, ERR_NOT_FOUND, "route_not_found", "id", "疗休养线路不存在或已下架");
    if (rc == 0) rc = member_load(x->db, a->member_id, &m, e);
    if (rc) return rc;
    char today[11];
    rt_today(today);
    json_t *reasons = json_array();
    rc = member_reasons(x->db, &rt, &m, today, add_reason, reasons, e);
    rt_rules rules;
    if (rc >= 0) rc = rt_rules_for(x->db, rt.org_id, today, &rules, e);
    int64_t used = 0;
    if (rc >= 0) rc = quota_used(x->db, m.id, year_of(today), &used, e);
    if (rc < 0) {
        json_decref(reasons);
        return rc;
    }
    json_t *mine = json_array();
    store_res r;
    rc = store_query(x->db, &r,
        "SELECT b.id, b.departure_id, b.status, (SELECT COUNT(*) FROM retreat_bookings w WHERE w.departure_id = b.departure_id"
        " AND w.status = 'waitlisted' AND w.id <= b.id) FROM retreat_bookings b WHERE b.member_id = $1 AND b.route_id = $2"
        " AND b.status IN ('waitlisted', 'pending', 'confirmed') ORDER BY b.id",
        SV_ARGS(SV_I(m.id), SV_I(rt.id)), e);
    if (rc == 0) {
        while ((rc = store_next(&r, e)) > 0) {
            json_t *b = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)store_int(&r, 0), "departure_id",
                                  (json_int_t)store_int(&r, 1), "status", store_text(&r, 2));
            if (!strcmp(store_text(&r, 2), "waitlisted"))
                json_object_set_new(b, "waitlist_position", json_integer(store_int(&r, 3)));
            json_array_append_new(mine, b);
        }
        store_done(&r);
    }
    if (rc < 0) {
        json_decref(reasons);
        json_decref(mine);
        return rc;
    }
    *out = json_pack("{s:I, s:b, s:o, s:b, s:b, s:I, s:i, s:b, s:o}", "route_id", (json_int_t)rt.id, "eligible",
                     json_array_size(reasons) == 0, "reasons", reasons, "frontline", m.frontline, "priority",
                     m.frontline || m.model_worker, "subsidised_used", (json_int_t)used, "max_subsidised_per_year",
                     rules.max_per_year, "subsidised", rt.subsidy_fen > 0, "bookings", mine);
    return 0;
}

/* ---- decisions ---- */

typedef struct decide_ctx {
    gh_ctx *x;
    int64_t id;
    const char *reason;
    int action; /* 0 cancel, 1 confirm, 2 reject */
    int by_member;
    int promoted;
} decide_ctx;

static int decide_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *c = p;
    char today[11], ts[32];
    rt_today(today);
    ts_now(ts);
    c->promoted = 0;
    store_res r;
    int rc = store_query(db, &r,
        "SELECT b.status, b.departure_id, b.cancel_by, d.depart_date, b.org_id FROM retreat_bookings b"
        " JOIN retreat_departures d ON d.id = b.departure_id WHERE b.id = $1",
        SV_ARGS(SV_I(c->id)), e);
    if (rc) return rc;
    char status[16] = "", cancel_by[11] = "", dd[11] = "";
    int64_t dep = 0, org = 0;
    if ((rc = store_next(&r, e)) > 0) {
        snprintf(status, sizeof status, "%s", store_text(&r, 0));
        dep = store_int(&r, 1);
        snprintf(cancel_by, sizeof cancel_by, "%s", store_text(&r, 2));
        snprintf(dd, sizeof dd, "%s", store_text(&r, 3));
        org = store_int(&r, 4);
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (rc == 0) return err_set(e, ERR_NOT_FOUND, "booking_not_found", "id", "预订记录不存在");
    int live = !strcmp(status, "waitlisted") || !strcmp(status, "pending") || !strcmp(status, "confirmed");
    const char *to, *action;
    if (c->action == 0) {
        if (!live) return err_set(e, ERR_CONFLICT, "booking_not_live", "id", "该预订已结束（当前状态不能取消）");
        if (strcmp(dd, today) <= 0) return err_set(e, ERR_CONFLICT, "departure_past", "id", "批次已出发，不能取消");
        if (c->by_member && strcmp(status, "waitlisted") != 0 && strcmp(today, cancel_by) > 0)
            return err_set(e, ERR_CONFLICT, "cancel_deadline_passed", "id",
                           "已过取消截止日期（%s），如确需取消请联系所在工会", cancel_by);
        to = "cancelled";
        action = "retreat.booking.cancel";
    } else {
        if (strcmp(status, "pending") != 0)
            return err_set(e, ERR_CONFLICT, "booking_not_pending", "id", "只有待确认的预订可以%s", c->action == 1 ? "确认" : "拒绝");
        to = c->action == 1 ? "confirmed" : "rejected";
        action = c->action == 1 ? "retreat.booking.confirm" : "retreat.booking.reject";
    }
    int64_t n = 0;
    rc = store_exec(db,
        "UPDATE retreat_bookings SET status = $2, reason = COALESCE($3, reason), updated_at = $4,"
        " decided_by = CASE WHEN $5 = 1 THEN $6 ELSE decided_by END, decided_at = CASE WHEN $5 = 1 THEN $4 ELSE decided_at END,"
        " cancelled_at = CASE WHEN $5 = 0 THEN $4 ELSE cancelled_at END WHERE id = $1 AND status = $7",
        SV_ARGS(SV_I(c->id), SV_T(to), SV_T(c->reason), SV_T(ts), SV_I(c->action != 0), SV_IZ(c->x->actor->user_id),
                SV_T(status)),
        &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_RETRY, "booking_race", NULL, "预订状态刚被修改，请重试");
    /* A seat given up goes to the waiting list; the yearly trip comes back. */
    if (c->action != 1 && strcmp(status, "waitlisted") != 0) {
        rc = rt_quota_release(db, c->id, e);
        if (rc == 0) rc = seat_release(db, dep, e);
        if (rc == 0) rc = rt_fill_waitlist(c->x, dep, &c->promoted, e);
        if (rc) return rc;
    }
    if (c->action == 1)
        rc = notify_booking(c->x, db, c->id, "booking_confirmed", "疗休养预订已确认", "预订已由工会确认，请按时出行。", e);
    else if (c->action == 2) {
        char why[300];
        snprintf(why, sizeof why, "预订未获工会确认。原因：%s", c->reason ? c->reason : "");
        rc = notify_booking(c->x, db, c->id, "booking_rejected", "疗休养预订未获确认", why, e);
    }
    if (rc) return rc;
    json_t *dj = json_pack("{s:s, s:s, s:s?, s:i}", "from", status, "to", to, "reason", c->reason, "promoted", c->promoted);
    rc = audit_record(c->x, action, "retreat_booking", c->id, org, "ok", dj, e);
    json_decref(dj);
    return rc;
}

static int decide(gh_ctx *x, int64_t id, int action, const char *reason, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    booking_auth ba;
    int rc = booking_auth_load(x->db, id, &ba, e);
    if (rc) return rc;
    if (!booking_visible(a, &ba)) return err_set(e, ERR_NOT_FOUND, "booking_not_found", "id", "预订记录不存在");
    decide_ctx c = {x, id, reason && *reason ? reason : NULL, action, a->role == ROLE_MEMBER, 0};
    if (!c.by_member) {
        /* Decisions belong to the member's union (or a union above it). */
        if (!actor_has_duty(a, DUTY_RETREAT) || !actor_in_scope(a, ba.org_path))
            return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有会员所在工会（或上级工会）负责疗休养的工作人员可以处理该预订");
    } else if (action != 0) {
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "会员不能确认或拒绝预订");
    }
    rc = store_tx(x->db, STORE_WRITE, decide_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    rc = booking_json(x->db, id, out, e);
    if (rc == 0) json_object_set_new(*out, "promoted", json_integer(c.promoted));
    return rc;
}

int retreat_booking_cancel(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (x->actor->role != ROLE_MEMBER && (!reason || !*reason))
        return err_set(e, ERR_INVALID, "missing_field", "reason", "工作人员取消预订须填写原因");
    return decide(x, id, 0, reason, out, e);
}

int retreat_booking_confirm(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return decide(x, id, 1, NULL, out, e); }

int retreat_booking_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (!reason || !*reason) return err_set(e, ERR_INVALID, "missing_field", "reason", "拒绝预订须填写原因");
    return decide(x, id, 2, reason, out, e);
}

/* ---- the member's notice of a promotion ---- */

typedef struct seen_ctx {
    gh_ctx *x;
    int64_t id, org_id;
} seen_ctx;

static int seen_tx(store_conn *db, void *p, gh_err *e)
{
    seen_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int64_t n = 0;
    int rc = store_exec(db,
        "UPDATE retreat_bookings SET promotion_seen_at = $2 WHERE id = $1 AND promoted_at IS NOT NULL"
        " AND promotion_seen_at IS NULL",
        SV_ARGS(SV_I(c->id), SV_T(ts)), &n, e);
    if (rc || n == 0) return rc; /* already read: nothing to record */
    return audit_record(c->x, "retreat.booking.notice_read", "retreat_booking", c->id, c->org_id, "ok", NULL, e);
}

int retreat_booking_notice_read(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    booking_auth ba;
    int rc = booking_auth_load(x->db, id, &ba, e);
    if (rc) return rc;
    if (!booking_visible(a, &ba)) return err_set(e, ERR_NOT_FOUND, "booking_not_found", "id", "预订记录不存在");
    if (a->role != ROLE_MEMBER)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "递补通知只能由会员本人标记为已读");
    int64_t promoted = 0;
    rc = store_get_int(x->db, "SELECT COUNT(*) FROM retreat_bookings WHERE id = $1 AND promoted_at IS NOT NULL",
                       SV_ARGS(SV_I(id)), &promoted, e);
    if (rc) return rc;
    if (!promoted) return err_set(e, ERR_CONFLICT, "no_notice", "id", "该预订不是由候补递补的，没有递补通知");
    seen_ctx c = {x, id, ba.org_id};
    rc = store_tx(x->db, STORE_WRITE, seen_tx, &c, e);
    if (rc) return rc;
    return booking_json(x->db, id, out, e);
}

/* ---- completion ---- */

typedef struct complete_ctx {
    gh_ctx *x;
    rt_departure d;
    rt_route rt;
    const json_t *no_show;
    char return_date[11];
    int64_t completed, no_shows, subsidy;
} complete_ctx;

static int complete_tx(store_conn *db, void *p, gh_err *e)
{
    complete_ctx *c = p;
    gh_ctx *x = c->x;
    char ts[32];
    ts_now(ts);
    c->completed = c->no_shows = c->subsidy = 0;
    int64_t n = 0;
    int rc = store_exec(db,
        "UPDATE retreat_departures SET status = 'completed', completed_at = $2, updated_at = $2"
        " WHERE id = $1 AND status IN ('open', 'closed')",
        SV_ARGS(SV_I(c->d.id), SV_T(ts)), &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_CONFLICT, "departure_finished", "id", "该批次已结束或已取消");
    int64_t pending = 0;
    rc = store_get_int(db, "SELECT COUNT(*) FROM retreat_bookings WHERE departure_id = $1 AND status = 'pending'",
                       SV_ARGS(SV_I(c->d.id)), &pending, e);
    if (rc) return rc;
    if (pending)
        return err_set(e, ERR_CONFLICT, "bookings_pending", "id", "还有 %lld 个预订待会员所在工会确认，请先确认或拒绝",
                       (long long)pending);
    size_t i;
    json_t *it;
    json_array_foreach(c->no_show, i, it) {
        int64_t bid = json_integer_value(it);
        rc = store_exec(db,
            "UPDATE retreat_bookings SET status = 'no_show', updated_at = $3 WHERE id = $1 AND departure_id = $2"
            " AND status = 'confirmed'",
            SV_ARGS(SV_I(bid), SV_I(c->d.id), SV_T(ts)), &n, e);
        if (rc == 0 && n != 1)
            rc = err_set(e, ERR_INVALID, "invalid_no_show", "no_show", "预订 %lld 不是该批次已确认的预订", (long long)bid);
        if (rc == 0) rc = rt_quota_release(db, bid, e);
        if (rc) return rc;
        c->no_shows++;
    }
    rc = store_exec(db,
        "UPDATE retreat_bookings SET status = 'cancelled', reason = '批次已结束，候补未能递补', cancelled_at = $2,"
        " updated_at = $2 WHERE departure_id = $1 AND status = 'waitlisted'",
        SV_ARGS(SV_I(c->d.id), SV_T(ts)), NULL, e);
    if (rc) return rc;
    /* The travellers, and a ledger leg for each subsidy. */
    store_res r;
    rc = store_query(db, &r,
        "SELECT id, subsidy_fen FROM retreat_bookings WHERE departure_id = $1 AND status = 'confirmed' ORDER BY id",
        SV_ARGS(SV_I(c->d.id)), e);
    if (rc) return rc;
    int cap = 64, nb = 0;
    int64_t *ids = malloc(sizeof *ids * (size_t)cap), *amt = malloc(sizeof *amt * (size_t)cap);
    while (ids && amt && (rc = store_next(&r, e)) > 0) {
        if (nb == cap) {
            cap *= 2;
            int64_t *ni = realloc(ids, sizeof *ids * (size_t)cap);
            if (ni) ids = ni;
            int64_t *na = ni ? realloc(amt, sizeof *amt * (size_t)cap) : NULL;
            if (na) amt = na;
            if (!ni || !na) {
                rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                break;
            }
        }
        ids[nb] = store_int(&r, 0);
        amt[nb++] = store_int(&r, 1);
    }
    store_done(&r);
    if (!ids || !amt) rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    ledger_leg *legs = NULL;
    int64_t *tids = NULL;
    char *keys = NULL;
    if (rc < 0) goto done;
    rc = store_exec(db,
        "UPDATE retreat_bookings SET status = 'completed', completed_at = $2, updated_at = $2"
        " WHERE departure_id = $1 AND status = 'confirmed'",
        SV_ARGS(SV_I(c->d.id), SV_T(ts)), NULL, e);
    if (rc) goto done;
    int64_t expense = 0, payable = 0;
    rc = ledger_account(db, c->rt.org_id, "retreat_subsidy_expense", &expense, e);
    if (rc == 0) rc = ledger_account(db, c->rt.org_id, "provider_payable", &payable, e);
    if (rc) goto done;
    legs = calloc((size_t)nb + 1, sizeof *legs);
    tids = calloc((size_t)nb + 1, sizeof *tids);
    keys = calloc((size_t)nb + 1, 40);
    if (!legs || !tids || !keys) {
        rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        goto done;
    }
    int nl = 0;
    char memo[300];
    snprintf(memo, sizeof memo, "疗休养补助：%s（%s 出发）", c->rt.title, c->d.depart_date);
    for (int k = 0; k < nb; k++) {
        c->completed++;
        c->subsidy += amt[k];
        if (amt[k] <= 0) continue;
        char *key = keys + (size_t)nl * 40;
        snprintf(key, 40, "retreat_booking:%lld", (long long)ids[k]);
        legs[nl] = (ledger_leg){.debit_account = expense, .credit_account = payable, .amount_fen = amt[k],
                                .idem_key = key, .ref_type = "retreat_booking", .ref_id = ids[k], .memo = memo,
                                .value_date = c->return_date};
        nl++;
    }
    if (nl) {
        char batch[64];
        snprintf(batch, sizeof batch, "retreat_departure:%lld", (long long)c->d.id);
        rc = ledger_post(x, batch, legs, nl, tids, NULL, e);
        for (int k = 0; k < nl && rc == 0; k++)
            rc = store_exec(db, "UPDATE retreat_bookings SET transfer_id = $2 WHERE id = $1",
                            SV_ARGS(SV_I(legs[k].ref_id), SV_I(tids[k])), NULL, e);
        if (rc) goto done;
    }
    json_t *dj = json_pack("{s:I, s:I, s:I}", "completed", (json_int_t)c->completed, "no_show", (json_int_t)c->no_shows,
                           "subsidy_fen", (json_int_t)c->subsidy);
    rc = audit_record(x, "retreat.departure.complete", "retreat_departure", c->d.id, c->rt.org_id, "ok", dj, e);
    json_decref(dj);
done:
    free(ids);
    free(amt);
    free(legs);
    free(tids);
    free(keys);
    return rc < 0 ? rc : 0;
}

int retreat_departure_complete(gh_ctx *x, int64_t id, const json_t *no_show, json_t **out, gh_err *e)
{
    complete_ctx c = {.x = x, .no_show = no_show};
    int rc = rt_departure_scoped(x, id, &c.d, &c.rt, e);
    if (rc) return rc;
    if (no_show && !json_is_array(no_show)) return err_set(e, ERR_INVALID, "invalid_type", "no_show", "“未出行”应为预订编号列表");
    size_t i;
    json_t *it;
    json_array_foreach(no_show, i, it) if (!json_is_integer(it) || json_integer_value(it) <= 0)
        return err_set(e, ERR_INVALID, "invalid_type", "no_show", "“未出行”应为预订编号列表");
    char today[11];
    rt_today(today);
    rt_date_add(c.d.depart_date, c.rt.days - 1, c.return_date);
    if (strcmp(c.return_date, today) > 0)
        return err_set(e, ERR_CONFLICT, "trip_not_over", "id", "该批次 %s 才返程，行程结束后才能确认完成并结算补助", c.return_date);
    rc = store_tx(x->db, STORE_WRITE, complete_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    *out = json_pack("{s:I, s:s, s:I, s:I, s:I}", "departure_id", (json_int_t)id, "status", "completed", "completed",
                     (json_int_t)c.completed, "no_show", (json_int_t)c.no_shows, "subsidy_fen", (json_int_t)c.subsidy);
    return 0;
}

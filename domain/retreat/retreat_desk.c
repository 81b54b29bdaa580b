/* retreat_desk.c — the provider's side of recuperation trips (接待名单): a
 * provider account (role provider, like a voucher till) sees the departures
 * of the routes its provider serves and, for each, the passenger list the
 * guest-house needs to prepare rooms and meals: names masked as everywhere
 * outside the unions ("张*明"), mobile tails, booking status and the
 * travellers' unions. Only seat holders are passengers (waiting, pending
 * the union, confirmed; afterwards travelled or no-show); the waiting list
 * and cancellations are counts.
 *
 * Nothing of other providers' routes: their departures answer 404, as if
 * absent. A suspended provider still sees its departures — bookings made
 * before the suspension still travel. Every read of a passenger list is
 * audited: personal data leaves the unions for a provider. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/core/list.h"
#include "domain/retreat/retreat.h"
#include "domain/retreat/retreat_internal.h"

/* A trip is at most 30 days long: a departure of 29 days ago may still be
 * under way, so "upcoming" reaches back that far. */
#define DESK_UNDER_WAY_DAYS 29

#define DESK_COUNT(st) \
    "(SELECT COUNT(*) FROM retreat_bookings b WHERE b.departure_id = d.id AND b.status = '" st "')"

/* the export's words for the codes (as the pages show them) */
static const char *const words_departure_status[] = {"open", "报名中", "closed", "已截止", "cancelled", "已取消", "completed", "已结束", NULL};

static const list_col desk_cols[] = {
    {"id", "d.id", COL_INT, "批次编号"},
    {"route_id", "d.route_id", COL_INT},
    {"route_title", "r.title", COL_STR, "线路"},
    {"destination", "r.destination", COL_STR, "目的地"},
    {"days", "r.days", COL_INT, "天数"},
    {"depart_date", "d.depart_date", COL_STR, "出发日期"},
    {"return_date", NULL, COL_STR, "返回日期"},
    {"status", "d.status", COL_STR, "状态", words_departure_status},
    {"seats", "d.seats", COL_INT, "名额"},
    {"seats_left", "d.seats_left", COL_INT, "剩余名额"},
    {"org_id", "d.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "组织工会"},
    {"org_contact_name", "o.contact_name", COL_STR, "联系人"},
    {"org_contact_phone", "o.contact_phone", COL_STR, "联系电话"},
    {"pending", DESK_COUNT("pending"), COL_INT, "待确认"},
    {"confirmed", DESK_COUNT("confirmed"), COL_INT, "已确认"},
    {"waitlisted", DESK_COUNT("waitlisted"), COL_INT, "候补"},
    {"completed", DESK_COUNT("completed"), COL_INT, "已完成"},
    {"no_show", DESK_COUNT("no_show"), COL_INT, "未出行"},
    {"cancelled", DESK_COUNT("cancelled"), COL_INT, "已取消"},
    {"passengers", NULL, COL_INT, "出行人数"},
    {0},
};
#define DESK_FROM                                                                                           \
    "retreat_departures d JOIN retreat_routes r ON r.id = d.route_id JOIN orgs o ON o.id = d.org_id"        \
    " WHERE EXISTS (SELECT 1 FROM retreat_route_providers rp WHERE rp.route_id = d.route_id AND rp.provider_id = ?)"

#define JI(o, k) json_integer_value(json_object_get(o, k))

static void desk_post(json_t *o, void *arg)
{
    (void)arg;
    char ret[11];
    rt_date_add(json_string_value(json_object_get(o, "depart_date")), (int)JI(o, "days") - 1, ret);
    json_object_set_new(o, "return_date", json_string(ret));
    json_object_set_new(o, "passengers", json_integer(JI(o, "pending") + JI(o, "confirmed") + JI(o, "completed") + JI(o, "no_show")));
}

static const list_spec desk_spec = {desk_cols, NULL, desk_post, "接待安排"};

static int desk_actor(const gh_actor *a, gh_err *e)
{
    if (a->role != ROLE_PROVIDER || !a->provider_id)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有服务机构账号可以查看接待名单");
    return 0;
}

static int date_arg(const char *s, const char *field, gh_err *e)
{
    int32_t d;
    if (s && *s && date_parse(s, &d, NULL))
        return err_set(e, ERR_INVALID, "invalid_query", field, "日期格式应为 YYYY-MM-DD");
    return 0;
}

int retreat_desk_departures(gh_ctx *x, const retreat_desk_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc = desk_actor(a, e);
    if (rc) return rc;
    const char *when = q->when && *q->when ? q->when : "upcoming";
    int upcoming = strcmp(when, "upcoming") == 0, past = strcmp(when, "past") == 0;
    if (!upcoming && !past && strcmp(when, "all") != 0)
        return err_set(e, ERR_INVALID, "invalid_query", "when", "when 只能是 upcoming（近期和未来）、past（已结束）或 all");
    if ((rc = date_arg(q->from, "from", e)) || (rc = date_arg(q->to, "to", e))) return rc;
    char since[11];
    date_format(date_today_cn() - DESK_UNDER_WAY_DAYS, since);
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, DESK_FROM, SV_ARGS(SV_I(a->provider_id)));
    if (upcoming) SQLW_AND(&w, "d.depart_date >= ? AND d.status <> 'completed'", SV_T(since));
    if (past) SQLW_AND(&w, "d.depart_date < ? OR d.status = 'completed'", SV_T(since));
    if (q->from && *q->from) SQLW_AND(&w, "d.depart_date >= ?", SV_T(q->from));
    if (q->to && *q->to) SQLW_AND(&w, "d.depart_date <= ?", SV_T(q->to));
    /* What comes next first; the past newest first. */
    return list_query(x, &desk_spec, NULL, &w, upcoming ? "d.depart_date, d.id" : "d.depart_date DESC, d.id DESC", &pg, NULL,
                      out, e);
}

static int passengers(store_conn *db, int64_t dep, json_t **out, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT b.id, b.status, m.name, m.mobile_tail, mo.name, b.created_at FROM retreat_bookings b"
        " JOIN members m ON m.id = b.member_id JOIN orgs mo ON mo.id = b.org_id"
        " WHERE b.departure_id = $1 AND b.status IN ('pending', 'confirmed', 'completed', 'no_show') ORDER BY b.id",
        SV_ARGS(SV_I(dep)), e);
    if (rc) return rc;
    json_t *arr = json_array();
    while ((rc = store_next(&r, e)) > 0) {
        char nm[64];
        mask_name(store_text(&r, 2), nm, sizeof nm);
        json_t *o = json_object();
        json_object_set_new(o, "booking_id", json_integer(store_int(&r, 0)));
        json_object_set_new(o, "status", json_string(store_text(&r, 1)));
        json_object_set_new(o, "name_masked", json_string(nm));
        json_object_set_new(o, "mobile_tail", list_col_str(&r, 3));
        json_object_set_new(o, "org_name", list_col_str(&r, 4));
        json_object_set_new(o, "booked_at", list_col_str(&r, 5));
        json_array_append_new(arr, o);
    }
    store_done(&r);
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

int retreat_desk_departure(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc = desk_actor(a, e);
    if (rc) return rc;
    sqlw w;
    sqlw_init(&w, DESK_FROM, SV_ARGS(SV_I(a->provider_id)));
    SQLW_AND(&w, "d.id = ?", SV_I(id));
    json_t *o = NULL;
    rc = w.failed || w.sql.oom ? err_set(e, ERR_INTERNAL, NULL, NULL, NULL)
                               : list_one(x->db, &desk_spec, NULL, NULL, buf_str(&w.sql), w.args, w.n, &o, NULL, e);
    sqlw_free(&w);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "departure_not_found", "id", "出发批次不存在");
    if (rc) return rc;
    json_t *list = NULL;
    rc = passengers(x->db, id, &list, e);
    if (rc == 0) {
        json_object_set_new(o, "items", list);
        json_t *dj = json_pack("{s:I, s:I}", "provider_id", (json_int_t)a->provider_id, "passengers",
                               (json_int_t)json_array_size(list));
        /* No list without its audit entry. */
        rc = audit_record(x, "retreat.departure.passengers", "retreat_departure", id,
                          json_integer_value(json_object_get(o, "org_id")), "ok", dj, e);
        json_decref(dj);
    }
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

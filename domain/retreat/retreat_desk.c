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

#define DESK_COLS \
    "d.id, d.route_id, r.title, r.destination, r.days, d.depart_date, d.status, d.seats, d.seats_left, d.org_id," \
    " o.name, o.contact_name, o.contact_phone, " DESK_COUNT("pending") ", " DESK_COUNT("confirmed") ", "         \
    DESK_COUNT("waitlisted") ", " DESK_COUNT("completed") ", " DESK_COUNT("no_show") ", " DESK_COUNT("cancelled")
#define DESK_FROM                                                                                           \
    "retreat_departures d JOIN retreat_routes r ON r.id = d.route_id JOIN orgs o ON o.id = d.org_id"        \
    " WHERE EXISTS (SELECT 1 FROM retreat_route_providers rp WHERE rp.route_id = d.route_id AND rp.provider_id = ?)"

static json_t *departure_row(store_res *r, void *ctx)
{
    (void)ctx;
    const char *dd = store_text(r, 5);
    char ret[11];
    rt_date_add(dd, (int)store_int(r, 4) - 1, ret);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "route_id", json_integer(store_int(r, 1)));
    json_object_set_new(o, "route_title", list_col_str(r, 2));
    json_object_set_new(o, "destination", list_col_str(r, 3));
    json_object_set_new(o, "days", json_integer(store_int(r, 4)));
    json_object_set_new(o, "depart_date", json_string(dd));
    json_object_set_new(o, "return_date", json_string(ret));
    json_object_set_new(o, "status", list_col_str(r, 6));
    json_object_set_new(o, "seats", json_integer(store_int(r, 7)));
    json_object_set_new(o, "seats_left", json_integer(store_int(r, 8)));
    json_object_set_new(o, "org_id", json_integer(store_int(r, 9)));
    json_object_set_new(o, "org_name", list_col_str(r, 10));
    json_object_set_new(o, "org_contact_name", list_col_str(r, 11));
    json_object_set_new(o, "org_contact_phone", list_col_str(r, 12));
    int64_t pending = store_int(r, 13), confirmed = store_int(r, 14), completed = store_int(r, 16),
            no_show = store_int(r, 17);
    json_object_set_new(o, "pending", json_integer(pending));
    json_object_set_new(o, "confirmed", json_integer(confirmed));
    json_object_set_new(o, "waitlisted", json_integer(store_int(r, 15)));
    json_object_set_new(o, "completed", json_integer(completed));
    json_object_set_new(o, "no_show", json_integer(no_show));
    json_object_set_new(o, "cancelled", json_integer(store_int(r, 18)));
    json_object_set_new(o, "passengers", json_integer(pending + confirmed + completed + no_show));
    return o;
}

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
    rc = w.failed || w.sql.oom ? err_set(e, ERR_INTERNAL, NULL, NULL, NULL)
                               : list_run(x->db, DESK_COLS, buf_str(&w.sql),
                                          upcoming ? "d.depart_date, d.id" : "d.depart_date DESC, d.id DESC", w.args,
                                          w.n, &pg, departure_row, NULL, out, e);
    sqlw_free(&w);
    return rc;
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
    sqlw_init(&w, "SELECT " DESK_COLS " FROM " DESK_FROM, SV_ARGS(SV_I(a->provider_id)));
    SQLW_AND(&w, "d.id = ?", SV_I(id));
    store_res r;
    rc = w.failed || w.sql.oom ? err_set(e, ERR_INTERNAL, NULL, NULL, NULL)
                               : store_query(x->db, &r, buf_str(&w.sql), w.args, w.n, e);
    sqlw_free(&w);
    if (rc) return rc;
    json_t *o = NULL;
    if ((rc = store_next(&r, e)) > 0) o = departure_row(&r, NULL);
    store_done(&r);
    if (rc < 0) return rc;
    if (!o) return err_set(e, ERR_NOT_FOUND, "departure_not_found", "id", "出发批次不存在");
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

/* retreat_stats.c — figures of the recuperation programme: subsidy paid,
 * trips (人次) and members served, the share of frontline workers and model
 * workers, by year, route and provider, for an org's subtree (the offering
 * unions, who pay) and a period of departure dates; the sentence a
 * federation puts in its report ("自2014年以来全省投入疗休养补助3,899万元，
 * 服务一线职工18.8万人次"), stated from the completed bookings; and the
 * Excel export. Only completed trips count: they are the ones whose
 * subsidy went through the ledger. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/xlsx.h"
#include "domain/core/list.h"
#include "domain/org/org.h"
#include "domain/retreat/retreat.h"
#include "domain/retreat/retreat_internal.h"

/* Completed trips that departed in [$3, $4], counted for the subtree
 * [$1, $2) in one of two views: the trips its unions offered (and paid the
 * subsidy of), or the trips its members took, whoever offered them. vo is
 * the org the view counts by. */
#define DONE_JOIN_BY(col) \
    "retreat_bookings b JOIN retreat_departures d ON d.id = b.departure_id JOIN orgs vo ON vo.id = b." col
#define DONE_WHERE \
    " WHERE b.status = 'completed' AND vo.path >= $1 AND vo.path < $2 AND d.depart_date >= $3 AND d.depart_date <= $4"

static const char *done_join(int members_view)
{
    return members_view ? DONE_JOIN_BY("org_id") : DONE_JOIN_BY("route_org_id");
}

typedef struct totals {
    int64_t subsidy, trips, members, frontline, model;
    char first[11], last[11];
} totals;

static int load_totals(store_conn *db, int members_view, const char *lo, const char *hi, const char *from,
                       const char *to, totals *t, gh_err *e)
{
    memset(t, 0, sizeof *t);
    store_res r;
    char sql[640];
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(SUM(b.subsidy_fen), 0), COUNT(*), COUNT(DISTINCT b.member_id), COALESCE(SUM(b.frontline), 0),"
             " COALESCE(SUM(b.model_worker), 0), MIN(d.depart_date), MAX(d.depart_date) FROM %s" DONE_WHERE,
             done_join(members_view));
    int rc = store_query(db, &r, sql, SV_ARGS(SV_T(lo), SV_T(hi), SV_T(from), SV_T(to)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        t->subsidy = store_int(&r, 0);
        t->trips = store_int(&r, 1);
        t->members = store_int(&r, 2);
        t->frontline = store_int(&r, 3);
        t->model = store_int(&r, 4);
        snprintf(t->first, sizeof t->first, "%s", store_text(&r, 5) ? store_text(&r, 5) : "");
        snprintf(t->last, sizeof t->last, "%s", store_text(&r, 6) ? store_text(&r, 6) : "");
        rc = 0;
    }
    store_done(&r);
    return rc;
}

/* 1234 of 2000 → "61.7%" */
static void share(int64_t part, int64_t whole, char *out, size_t len)
{
    if (whole <= 0) {
        snprintf(out, len, "0%%");
        return;
    }
    int64_t t = (part * 1000 + whole / 2) / whole;
    snprintf(out, len, "%lld.%lld%%", (long long)(t / 10), (long long)(t % 10));
}

static void sentence(const char *who, int members_view, const char *from, const char *to, const totals *t, char *out,
                     size_t len)
{
    if (!t->trips) {
        snprintf(out, len, members_view ? "%s的会员尚无已完成的疗休养" : "%s尚无已完成的疗休养记录", who);
        return;
    }
    char money[48], trips[32], members[32], front[32], pct[48], when[64];
    money_format_yuan_short_cn(t->subsidy, money, sizeof money);
    money_format_count_cn(t->trips, trips, sizeof trips);
    money_format_count_cn(t->members, members, sizeof members);
    money_format_count_cn(t->frontline, front, sizeof front);
    share(t->frontline, t->trips, pct, sizeof pct);
    if (from && *from && to && *to) snprintf(when, sizeof when, "%s至%s，", from, to);
    else if (from && *from) snprintf(when, sizeof when, "%s以来，", from);
    else snprintf(when, sizeof when, "自%.4s年以来，", t->first);
    if (members_view)
        snprintf(out, len, "%s%s的会员参加疗休养%s人次（%s人），其中一线职工%s人次，占%s，享受补助%s", when, who, trips,
                 members, front, pct, money);
    else
        snprintf(out, len, "%s%s投入疗休养补助%s，服务职工%s人次（%s人），其中一线职工%s人次，占%s", when, who, money,
                 trips, members, front, pct);
}

static int who_of(gh_ctx *x, int64_t org_id, char lo[GH_PATH_MAX], char *who, size_t len, gh_err *e)
{
    const gh_actor *a = x->actor;
    int64_t id = org_id ? org_id : a->org_id;
    int rc = org_id ? org_scope_path(x, org_id, lo, e) : (snprintf(lo, GH_PATH_MAX, "%s", a->scope), 0);
    if (rc) return rc;
    if (!id || strcmp(lo, "/") == 0) {
        snprintf(who, len, "全平台各级工会");
        return 0;
    }
    store_res r;
    rc = store_query(x->db, &r, "SELECT name FROM orgs WHERE id = $1", SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) snprintf(who, len, "%s及下属工会", store_text(&r, 0)), rc = 0;
    store_done(&r);
    return rc;
}

static int check_range(const char **from, const char **to, gh_err *e)
{
    int32_t d;
    if (*from && **from && date_parse(*from, &d, NULL))
        return err_set(e, ERR_INVALID, "invalid_query", "from", "开始日期格式应为 YYYY-MM-DD");
    if (*to && **to && date_parse(*to, &d, NULL))
        return err_set(e, ERR_INVALID, "invalid_query", "to", "结束日期格式应为 YYYY-MM-DD");
    if (*from && **from && *to && **to && strcmp(*from, *to) > 0)
        return err_set(e, ERR_INVALID, "invalid_query", "to", "结束日期不能早于开始日期");
    return 0;
}

int retreat_stats(gh_ctx *x, int64_t org_id, const char *from, const char *to, const char *view, json_t **out,
                  gh_err *e)
{
    const gh_actor *a = x->actor;
    int mv = view && strcmp(view, "members") == 0;
    if (view && *view && !mv && strcmp(view, "offered") != 0)
        return err_set(e, ERR_INVALID, "invalid_query", "view", "统计口径应为 offered（本会组织）或 members（本会会员参加）");
    if (!actor_has_duty(a, DUTY_RETREAT) && !actor_has_duty(a, DUTY_FINANCE) && a->role != ROLE_AUDITOR)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养或经费财务职责");
    int rc = check_range(&from, &to, e);
    if (rc) return rc;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX], who[240];
    rc = who_of(x, org_id, lo, who, sizeof who, e);
    if (rc) return rc;
    store_prefix_bound(lo, hi, sizeof hi);
    const char *f = from && *from ? from : "0000-01-01", *t = to && *to ? to : "9999-12-31";
    totals tt;
    rc = load_totals(x->db, mv, lo, hi, f, t, &tt, e);
    if (rc) return rc;
    char sql[1200];
    json_t *o = json_object(), *years = json_array(), *routes = json_array(), *provs = json_array();
    json_object_set_new(o, "by_year", years);
    json_object_set_new(o, "by_route", routes);
    json_object_set_new(o, "by_provider", provs);
    store_res r;
    snprintf(sql, sizeof sql,
             "SELECT substr(d.depart_date, 1, 4), COALESCE(SUM(b.subsidy_fen), 0), COUNT(*), COUNT(DISTINCT b.member_id),"
             " COALESCE(SUM(b.frontline), 0) FROM %s" DONE_WHERE " GROUP BY substr(d.depart_date, 1, 4) ORDER BY 1",
             done_join(mv));
    rc = store_query(x->db, &r, sql, SV_ARGS(SV_T(lo), SV_T(hi), SV_T(f), SV_T(t)), e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(years, json_pack("{s:s, s:I, s:I, s:I, s:I}", "year", store_text(&r, 0), "subsidy_fen",
                                               (json_int_t)store_int(&r, 1), "trips", (json_int_t)store_int(&r, 2),
                                               "members", (json_int_t)store_int(&r, 3), "frontline_trips",
                                               (json_int_t)store_int(&r, 4)));
    store_done(&r);
    if (rc < 0) goto done;
    snprintf(sql, sizeof sql,
             "SELECT b.route_id, rt.title, COALESCE(SUM(b.subsidy_fen), 0), COUNT(*), COUNT(DISTINCT b.member_id),"
             " COALESCE(SUM(b.frontline), 0), (SELECT p.name FROM retreat_route_providers rp JOIN providers p"
             " ON p.id = rp.provider_id WHERE rp.route_id = b.route_id AND rp.position = 0)"
             " FROM %s JOIN retreat_routes rt ON rt.id = b.route_id" DONE_WHERE
             " GROUP BY b.route_id, rt.title ORDER BY 3 DESC, 1 LIMIT 500",
             done_join(mv));
    rc = store_query(x->db, &r, sql, SV_ARGS(SV_T(lo), SV_T(hi), SV_T(f), SV_T(t)), e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0) {
        char pct[48];
        share(store_int(&r, 5), store_int(&r, 3), pct, sizeof pct);
        json_array_append_new(routes, json_pack("{s:I, s:s, s:o, s:I, s:I, s:I, s:I, s:s}", "route_id",
                                                (json_int_t)store_int(&r, 0), "title", store_text(&r, 1), "provider_name",
                                                list_col_str(&r, 6), "subsidy_fen", (json_int_t)store_int(&r, 2), "trips",
                                                (json_int_t)store_int(&r, 3), "members", (json_int_t)store_int(&r, 4),
                                                "frontline_trips", (json_int_t)store_int(&r, 5), "frontline_share", pct));
    }
    store_done(&r);
    if (rc < 0) goto done;
    snprintf(sql, sizeof sql,
             "SELECT p.id, p.name, p.kind, COALESCE(SUM(b.subsidy_fen), 0), COUNT(*), COUNT(DISTINCT b.member_id),"
             " COALESCE(SUM(b.frontline), 0) FROM %s"
             " JOIN retreat_route_providers rp ON rp.route_id = b.route_id AND rp.position = 0"
             " JOIN providers p ON p.id = rp.provider_id" DONE_WHERE " GROUP BY p.id, p.name, p.kind ORDER BY 4 DESC, 1 LIMIT 500",
             done_join(mv));
    rc = store_query(x->db, &r, sql, SV_ARGS(SV_T(lo), SV_T(hi), SV_T(f), SV_T(t)), e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0) {
        char pct[48];
        share(store_int(&r, 6), store_int(&r, 4), pct, sizeof pct);
        json_array_append_new(provs, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "provider_id",
                                               (json_int_t)store_int(&r, 0), "name", store_text(&r, 1), "kind",
                                               store_text(&r, 2), "subsidy_fen", (json_int_t)store_int(&r, 3), "trips",
                                               (json_int_t)store_int(&r, 4), "members", (json_int_t)store_int(&r, 5),
                                               "frontline_trips", (json_int_t)store_int(&r, 6), "frontline_share", pct));
    }
    store_done(&r);
    if (rc < 0) goto done;
    /* Work in hand: bookings for departures still ahead. */
    char today[11];
    rt_today(today);
    int64_t upcoming = 0, pending = 0;
    rc = store_get_int(x->db,
        "SELECT COUNT(*) FROM retreat_bookings b JOIN retreat_departures d ON d.id = b.departure_id"
        " JOIN orgs ro ON ro.id = b.route_org_id WHERE b.status IN ('pending', 'confirmed') AND ro.path >= $1"
        " AND ro.path < $2 AND d.depart_date > $3",
        SV_ARGS(SV_T(lo), SV_T(hi), SV_T(today)), &upcoming, e);
    if (rc == 0)
        rc = store_get_int(x->db,
            "SELECT COUNT(*) FROM retreat_bookings b JOIN orgs mo ON mo.id = b.org_id WHERE b.status = 'pending'"
            " AND mo.path >= $1 AND mo.path < $2",
            SV_ARGS(SV_T(lo), SV_T(hi)), &pending, e);
    if (rc) goto done;
    char text[512], pct[48], mpct[48];
    sentence(who, mv, from, to, &tt, text, sizeof text);
    share(tt.frontline, tt.trips, pct, sizeof pct);
    share(tt.model, tt.trips, mpct, sizeof mpct);
    json_object_set_new(o, "totals",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:s?, s:s?}", "subsidy_fen", (json_int_t)tt.subsidy,
                                  "trips", (json_int_t)tt.trips, "members", (json_int_t)tt.members, "frontline_trips",
                                  (json_int_t)tt.frontline, "model_worker_trips", (json_int_t)tt.model, "frontline_share",
                                  pct, "model_worker_share", mpct, "first_departure", tt.first[0] ? tt.first : NULL,
                                  "last_departure", tt.last[0] ? tt.last : NULL));
    json_object_set_new(o, "upcoming_bookings", json_integer(upcoming));
    json_object_set_new(o, "pending_confirmation", json_integer(pending));
    json_object_set_new(o, "sentence", json_string(text));
    json_object_set_new(o, "org_name", json_string(who));
    json_object_set_new(o, "view", json_string(mv ? "members" : "offered"));
    *out = o;
    o = NULL;
done:
    json_decref(o);
    return rc;
}

int retreat_stats_xlsx(gh_ctx *x, int64_t org_id, const char *from, const char *to, const char *view, char **data,
                       size_t *len, gh_err *e)
{
    json_t *st = NULL;
    int rc = retreat_stats(x, org_id, from, to, view, &st, e);
    if (rc) return rc;
    static const xlsx_col cols[] = {
        {"title", "线路", XLSX_TEXT, 34},           {"provider_name", "主要服务机构", XLSX_TEXT, 26},
        {"trips", "服务人次", XLSX_INT, 10},        {"members", "服务人数", XLSX_INT, 10},
        {"frontline_trips", "一线职工人次", XLSX_INT, 12}, {"frontline_share", "一线职工占比", XLSX_TEXT, 12},
        {"subsidy_fen", "补助金额（元）", XLSX_MONEY, 16},
    };
    rc = xlsx_build("疗休养统计", json_string_value(json_object_get(st, "sentence")), cols, 7,
                    json_object_get(st, "by_route"), data, len, e);
    json_decref(st);
    return rc;
}

int retreat_headline(gh_ctx *x, int64_t org_id, json_t **out, gh_err *e)
{
    store_res r;
    int rc = org_id ? store_query(x->db, &r, "SELECT id, name, path FROM orgs WHERE id = $1", SV_ARGS(SV_I(org_id)), e)
                    : store_query(x->db, &r,
                          "SELECT id, name, path FROM orgs WHERE level = 'province' AND kind = 'regional'"
                          " AND status = 'active' ORDER BY path LIMIT 64",
                          SV_NONE, e);
    if (rc) return rc;
    struct hl_org {
        int64_t id;
        char name[200], path[GH_PATH_MAX];
    } *orgs = calloc(64, sizeof *orgs);
    int n = 0;
    if (!orgs) {
        store_done(&r);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    while ((rc = store_next(&r, e)) > 0 && n < 64) {
        orgs[n].id = store_int(&r, 0);
        snprintf(orgs[n].name, sizeof orgs[n].name, "%s", store_text(&r, 1));
        snprintf(orgs[n].path, sizeof orgs[n].path, "%s", store_text(&r, 2));
        n++;
    }
    store_done(&r);
    if (rc < 0 || (org_id && n == 0)) {
        free(orgs);
        return rc < 0 ? rc : err_set(e, ERR_NOT_FOUND, "org_not_found", "org_id", "组织不存在");
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        char hi[GH_PATH_MAX], text[512], who[240];
        store_prefix_bound(orgs[i].path, hi, sizeof hi);
        totals t;
        rc = load_totals(x->db, 0, orgs[i].path, hi, "0000-01-01", "9999-12-31", &t, e);
        if (rc) {
            json_decref(items);
            free(orgs);
            return rc;
        }
        if (!t.trips && !org_id) continue;
        snprintf(who, sizeof who, "%s及下属工会", orgs[i].name);
        sentence(who, 0, NULL, NULL, &t, text, sizeof text);
        json_array_append_new(items, json_pack("{s:I, s:s, s:s?, s:I, s:I, s:I, s:I, s:s}", "org_id", (json_int_t)orgs[i].id,
                                               "org_name", orgs[i].name, "since", t.first[0] ? t.first : NULL,
                                               "subsidy_fen", (json_int_t)t.subsidy, "trips", (json_int_t)t.trips,
                                               "members", (json_int_t)t.members, "frontline_trips",
                                               (json_int_t)t.frontline, "sentence", text));
    }
    free(orgs);
    *out = json_pack("{s:o}", "items", items);
    return 0;
}

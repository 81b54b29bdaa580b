/* retreat.c — recuperation routes, departures, collections and cross-region
 * agreements, and the booking rules in force; see retreat.h. Bookings are
 * in retreat_booking.c, the public catalogue in retreat_catalog.c, figures
 * in retreat_stats.c, the CSV import in retreat_import.c. */
#include "domain/retreat/retreat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/core/list.h"
#include "domain/core/photo.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"
#include "domain/retreat/retreat_internal.h"

const char *const retreat_route_statuses[] = {"draft", "published", "withdrawn", NULL};
const char *const retreat_booking_statuses[] = {"waitlisted", "pending", "confirmed", "completed",
                                                "cancelled", "rejected", "no_show", NULL};
static const char *const confirm_modes[] = {"instant", "union", NULL};

/* ---- dates ---- */

void rt_today(char out[11]) { date_format(date_today_cn(), out); }

void rt_date_add(const char *date, int n, char out[11])
{
    int32_t d = 0;
    date_parse(date, &d, NULL);
    date_format(d + n, out);
}

/* ---- rules ---- */

static const jv_field policy_fields[] = {
    {"max_subsidised_per_year", JV_INT, JV_REQUIRED, "每人每年享受补助次数", .min = 1, .max = 10},
    {"frontline_window_days", JV_INT, JV_REQUIRED, "一线职工优先预订天数", .min = 0, .max = 60},
    {"cancel_deadline_days", JV_INT, JV_REQUIRED, "出发前几天截止取消", .min = 0, .max = 60},
    {"confirmation", JV_ENUM, JV_REQUIRED, "确认方式", .choices = confirm_modes},
    {0},
};

int retreat_policy_validate(const json_t *params, gh_err *e) { return jv_check(params, policy_fields, e); }

int rt_rules_for(store_conn *db, int64_t org_id, const char *date, rt_rules *r, gh_err *e)
{
    *r = (rt_rules){1, 0, 3, 0, 0};
    json_t *p = NULL;
    gh_err pe;
    int rc = policy_find(db, "retreat_booking", org_id, date, &p, &r->policy_id, &pe);
    if (rc == ERR_NOT_FOUND) return 0;
    if (rc) {
        if (e) *e = pe;
        return rc;
    }
    r->max_per_year = (int)jv_int(p, "max_subsidised_per_year", 1);
    r->window_days = (int)jv_int(p, "frontline_window_days", 0);
    r->cancel_days = (int)jv_int(p, "cancel_deadline_days", 3);
    const char *c = jv_str(p, "confirmation");
    r->instant = c && strcmp(c, "instant") == 0;
    json_decref(p);
    return 0;
}

/* ---- loaders ---- */

int rt_route_load(store_conn *db, int64_t id, rt_route *rt, gh_err *e)
{
    memset(rt, 0, sizeof *rt);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT r.id, r.org_id, o.path, o.name, r.title, r.status, r.confirm_mode, r.listed, r.days,"
        " r.min_member_years, r.frontline_only, r.price_fen, r.subsidy_fen"
        " FROM retreat_routes r JOIN orgs o ON o.id = r.org_id WHERE r.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        rt->id = store_int(&r, 0);
        rt->org_id = store_int(&r, 1);
        snprintf(rt->org_path, sizeof rt->org_path, "%s", store_text(&r, 2));
        snprintf(rt->org_name, sizeof rt->org_name, "%s", store_text(&r, 3));
        snprintf(rt->title, sizeof rt->title, "%s", store_text(&r, 4));
        snprintf(rt->status, sizeof rt->status, "%s", store_text(&r, 5));
        snprintf(rt->confirm_mode, sizeof rt->confirm_mode, "%s", store_text(&r, 6) ? store_text(&r, 6) : "");
        rt->listed = (int)store_int(&r, 7);
        rt->days = (int)store_int(&r, 8);
        rt->min_years = (int)store_int(&r, 9);
        rt->frontline_only = (int)store_int(&r, 10);
        rt->price_fen = store_int(&r, 11);
        rt->subsidy_fen = store_int(&r, 12);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "route_not_found", "id", "疗休养线路不存在");
    }
    store_done(&r);
    return rc;
}

int rt_departure_load(store_conn *db, int64_t id, rt_departure *d, gh_err *e)
{
    memset(d, 0, sizeof *d);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT id, route_id, org_id, depart_date, opens_on, status, seats, seats_left"
        " FROM retreat_departures WHERE id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        d->id = store_int(&r, 0);
        d->route_id = store_int(&r, 1);
        d->org_id = store_int(&r, 2);
        snprintf(d->depart_date, sizeof d->depart_date, "%s", store_text(&r, 3));
        snprintf(d->opens_on, sizeof d->opens_on, "%s", store_text(&r, 4) ? store_text(&r, 4) : "");
        snprintf(d->status, sizeof d->status, "%s", store_text(&r, 5));
        d->seats = (int)store_int(&r, 6);
        d->seats_left = (int)store_int(&r, 7);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "departure_not_found", "departure_id", "出发批次不存在");
    }
    store_done(&r);
    return rc;
}

/* A cooperation agreement in force on date between an ancestor-or-self of
 * path a and an ancestor-or-self of path b (either way round). 1 and *id
 * when there is one, 0 when not. */
static int agreement_covering(store_conn *db, const char *a, const char *b, const char *date, int64_t *id, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT g.id FROM retreat_agreements g JOIN orgs x ON x.id = g.org_id JOIN orgs y ON y.id = g.partner_org_id"
        " WHERE g.valid_from <= $3 AND (g.valid_to IS NULL OR g.valid_to >= $3) AND"
        " ((substr($1, 1, length(x.path)) = x.path AND substr($2, 1, length(y.path)) = y.path) OR"
        "  (substr($1, 1, length(y.path)) = y.path AND substr($2, 1, length(x.path)) = x.path))"
        " ORDER BY g.id LIMIT 1",
        SV_ARGS(SV_T(a), SV_T(b), SV_T(date)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) *id = store_int(&r, 0);
    store_done(&r);
    return rc;
}

int rt_org_eligible(store_conn *db, const rt_route *rt, const char *member_path, const char *date, gh_err *e)
{
    int64_t n = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM retreat_route_orgs WHERE route_id = $1", SV_ARGS(SV_I(rt->id)),
                           &n, e);
    if (rc) return rc;
    if (n == 0) return strncmp(member_path, rt->org_path, strlen(rt->org_path)) == 0;
    store_res r;
    rc = store_query(db, &r,
        "SELECT ro.agreement_id, g.valid_from, g.valid_to FROM retreat_route_orgs ro JOIN orgs o ON o.id = ro.org_id"
        " LEFT JOIN retreat_agreements g ON g.id = ro.agreement_id"
        " WHERE ro.route_id = $1 AND substr($2, 1, length(o.path)) = o.path",
        SV_ARGS(SV_I(rt->id), SV_T(member_path)), e);
    if (rc) return rc;
    int ok = 0;
    while ((rc = store_next(&r, e)) > 0) {
        if (store_isnull(&r, 0)) ok = 1;
        else if (strcmp(store_text(&r, 1), date) <= 0 && (store_isnull(&r, 2) || strcmp(store_text(&r, 2), date) >= 0))
            ok = 1;
    }
    store_done(&r);
    return rc < 0 ? rc : ok;
}

/* ---- route input ---- */

static const jv_field route_fields[] = {
    {"org_id", JV_INT, 0, "主办工会", .min = 1, .max = INT64_MAX},
    {"code", JV_STRING, JV_NULLABLE, "线路编号", .max = 32},
    {"title", JV_STRING, JV_REQUIRED, "线路名称", .max = 60},
    {"summary", JV_STRING, JV_NULLABLE | JV_MULTILINE, "线路简介", .max = 500},
    {"destination", JV_STRING, JV_REQUIRED, "目的地", .max = 40},
    {"region_code", JV_STRING, JV_REQUIRED, "行政区划代码", .max = 6},
    {"days", JV_INT, JV_REQUIRED, "天数", .min = 1, .max = 30},
    {"price_fen", JV_MONEY, JV_REQUIRED, "全价", .max = 100000000},
    {"subsidy_fen", JV_MONEY, JV_REQUIRED, "工会补助", .max = 100000000},
    {"itinerary", JV_ARRAY, JV_REQUIRED, "行程安排", .max = 30},
    {"inclusions", JV_ARRAY, 0, "费用包含", .max = 20},
    {"themes", JV_ARRAY, 0, "主题", .max = 8},
    {"provider_ids", JV_ARRAY, JV_REQUIRED, "服务机构", .max = 5},
    {"eligible_org_ids", JV_ARRAY, 0, "可预订的工会", .max = 50},
    {"min_member_years", JV_INT, 0, "入会年限要求", .min = 0, .max = 50},
    {"frontline_only", JV_BOOL, 0, "仅限一线职工"},
    {"confirm_mode", JV_ENUM, JV_NULLABLE, "确认方式", .choices = confirm_modes},
    {0},
};

/* The fields a PATCH may carry: every input field but the offering union. */
static const char *const patchable[] = {"code", "title", "summary", "destination", "region_code", "days", "price_fen",
                                        "subsidy_fen", "itinerary", "inclusions", "themes", "provider_ids",
                                        "eligible_org_ids", "min_member_years", "frontline_only", "confirm_mode", NULL};

static const jv_field day_fields[] = {
    {"day", JV_INT, JV_REQUIRED, "第几天", .min = 1, .max = 30},
    {"title", JV_STRING, JV_REQUIRED, "当日安排", .max = 40},
    {"detail", JV_STRING, JV_NULLABLE | JV_MULTILINE, "详细说明", .max = 500},
    {0},
};

static int blank(const char *s)
{
    if (!s) return 1;
    while (*s == ' ') s++;
    return *s == '\0';
}

static int check_itinerary(const json_t *arr, int days, char **out, gh_err *e)
{
    json_t *sorted = json_array();
    for (int d = 1; d <= days; d++) {
        size_t i;
        json_t *it, *found = NULL;
        json_array_foreach(arr, i, it) {
            if (!json_is_object(it)) {
                json_decref(sorted);
                return err_set(e, ERR_INVALID, "invalid_type", "itinerary", "行程第 %zu 项应为对象 {day, title, detail}", i + 1);
            }
            gh_err ie;
            if (jv_check(it, day_fields, &ie)) {
                json_decref(sorted);
                return err_set(e, ERR_INVALID, ie.code, "itinerary", "行程第 %zu 项：%s", i + 1, ie.message);
            }
            if (blank(jv_str(it, "title"))) {
                json_decref(sorted);
                return err_set(e, ERR_INVALID, "missing_field", "itinerary", "行程第 %zu 项：当日安排不能为空", i + 1);
            }
            int64_t day = jv_int(it, "day", 0);
            if (day > days) {
                json_decref(sorted);
                return err_set(e, ERR_INVALID, "itinerary_day", "itinerary", "行程第 %zu 项是第 %lld 天，超出线路天数（%d 天）",
                               i + 1, (long long)day, days);
            }
            if (day != d) continue;
            if (found) {
                json_decref(sorted);
                return err_set(e, ERR_INVALID, "itinerary_day", "itinerary", "行程中第 %d 天出现了两次", d);
            }
            found = it;
        }
        if (!found) {
            json_decref(sorted);
            return err_set(e, ERR_INVALID, "itinerary_incomplete", "itinerary", "行程缺少第 %d 天的安排（线路共 %d 天，须逐日填写）", d,
                           days);
        }
        json_t *o = json_pack("{s:i, s:s}", "day", d, "title", jv_str(found, "title"));
        if (jv_str(found, "detail") && *jv_str(found, "detail"))
            json_object_set_new(o, "detail", json_string(jv_str(found, "detail")));
        json_array_append_new(sorted, o);
    }
    *out = json_dumps(sorted, JSON_COMPACT);
    json_decref(sorted);
    return *out ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

/* A list of short distinct strings. */
static int check_strings(const json_t *arr, const char *field, const char *label, int maxchars, int no_sep,
                         json_t **norm, gh_err *e)
{
    *norm = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        const char *s = json_string_value(it);
        if (!s) return json_decref(*norm), err_set(e, ERR_INVALID, "invalid_type", field, "“%s”第 %zu 项应为文本", label, i + 1);
        while (*s == ' ') s++;
        size_t n = strlen(s);
        while (n && s[n - 1] == ' ') n--;
        char item[256];
        if (!n || n >= sizeof item)
            return json_decref(*norm), err_set(e, ERR_INVALID, "invalid_item", field, "“%s”第 %zu 项为空或过长", label, i + 1);
        memcpy(item, s, n);
        item[n] = '\0';
        if ((int)utf8_chars(item) > maxchars)
            return json_decref(*norm),
                   err_set(e, ERR_INVALID, "too_long", field, "“%s”每项不能超过 %d 个字", label, maxchars);
        for (const char *p = item; *p; p++)
            if ((unsigned char)*p < 0x20 || (no_sep && strchr(",;|/", *p)))
                return json_decref(*norm), err_set(e, ERR_INVALID, "invalid_characters", field, "“%s”包含不允许的字符", label);
        size_t j;
        json_t *seen;
        json_array_foreach(*norm, j, seen)
            if (strcmp(json_string_value(seen), item) == 0)
                return json_decref(*norm), err_set(e, ERR_INVALID, "duplicate_item", field, "“%s”有重复的值", label);
        json_array_append_new(*norm, json_string(item));
    }
    return 0;
}

static int check_ids(const json_t *arr, const char *field, const char *label, int64_t *ids, int max, int *n,
                     gh_err *e)
{
    *n = 0;
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        if (!json_is_integer(it) || json_integer_value(it) <= 0)
            return err_set(e, ERR_INVALID, "invalid_type", field, "“%s”应为编号列表", label);
        int64_t id = json_integer_value(it);
        for (int k = 0; k < *n; k++)
            if (ids[k] == id) return err_set(e, ERR_INVALID, "duplicate_item", field, "“%s”有重复的编号 %lld", label, (long long)id);
        if (*n >= max) return err_set(e, ERR_INVALID, "too_many_items", field, "“%s”最多 %d 项", label, max);
        ids[(*n)++] = id;
    }
    return 0;
}

static int code_ok(const char *s, gh_err *e)
{
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return err_set(e, ERR_INVALID, "invalid_code", "code", "线路编号只能包含字母、数字、- 和 _");
    return 0;
}

void rt_route_in_free(rt_route_in *in)
{
    free(in->itinerary);
    free(in->inclusions);
    in->itinerary = in->inclusions = NULL;
}

int rt_route_check(gh_ctx *x, const json_t *b, rt_route_in *in, gh_err *e)
{
    memset(in, 0, sizeof *in);
    in->b = b;
    const gh_actor *a = x->actor;
    if (!actor_has_duty(a, DUTY_RETREAT)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    int rc = jv_check(b, route_fields, e);
    if (rc) return rc;
    if (blank(jv_str(b, "title"))) return err_set(e, ERR_INVALID, "missing_field", "title", "“线路名称”不能为空");
    if (blank(jv_str(b, "destination"))) return err_set(e, ERR_INVALID, "missing_field", "destination", "“目的地”不能为空");
    if (jv_str(b, "code") && *jv_str(b, "code") && code_ok(jv_str(b, "code"), e)) return ERR_INVALID;
    if (valid_region_code(jv_str(b, "region_code"), e)) return ERR_INVALID;
    if (jv_int(b, "subsidy_fen", 0) > jv_int(b, "price_fen", 0))
        return err_set(e, ERR_INVALID, "subsidy_exceeds_price", "subsidy_fen", "工会补助不能高于线路全价");
    in->org_id = jv_int(b, "org_id", a->org_id);
    if (!in->org_id) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请选择主办工会");
    rc = org_scope_path(x, in->org_id, in->org_path, e);
    if (rc) {
        if (e && rc == ERR_NOT_FOUND) snprintf(e->field, sizeof e->field, "org_id");
        return rc;
    }
    json_t *norm = NULL;
    rc = check_strings(json_object_get(b, "themes"), "themes", "主题", 10, 1, &norm, e);
    if (rc) return rc;
    size_t i;
    json_t *it;
    json_array_foreach(norm, i, it) snprintf(in->themes[in->nthemes++], sizeof in->themes[0], "%s", json_string_value(it));
    json_decref(norm);
    rc = check_strings(json_object_get(b, "inclusions"), "inclusions", "费用包含", 60, 0, &norm, e);
    if (rc) return rc;
    in->inclusions = json_dumps(norm, JSON_COMPACT);
    json_decref(norm);
    if (!in->inclusions) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    rc = check_itinerary(json_object_get(b, "itinerary"), (int)jv_int(b, "days", 1), &in->itinerary, e);
    if (rc == 0) rc = check_ids(json_object_get(b, "provider_ids"), "provider_ids", "服务机构", in->providers, 5, &in->nprov, e);
    if (rc == 0 && in->nprov == 0)
        rc = err_set(e, ERR_INVALID, "missing_field", "provider_ids", "请至少选择一个服务机构");
    if (rc == 0)
        rc = check_ids(json_object_get(b, "eligible_org_ids"), "eligible_org_ids", "可预订的工会", in->orgs, 50, &in->norgs, e);
    if (rc) goto done;
    /* Providers: any admitted one (public facts), or one this officer manages. */
    for (int k = 0; k < in->nprov; k++) {
        store_res r;
        rc = store_query(x->db, &r,
                         "SELECT p.name, p.status, o.path FROM providers p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1",
                         SV_ARGS(SV_I(in->providers[k])), e);
        if (rc) goto done;
        int found = store_next(&r, e);
        int ok = found > 0 && (strcmp(store_text(&r, 1), "admitted") == 0 || actor_in_scope(a, store_text(&r, 2)));
        store_done(&r);
        if (found < 0) {
            rc = found;
            goto done;
        }
        if (!ok) {
            rc = err_set(e, ERR_INVALID, "provider_not_found", "provider_ids", "服务机构（编号 %lld）不存在或未准入",
                         (long long)in->providers[k]);
            goto done;
        }
    }
    /* Eligible orgs: in the officer's scope, or covered by an agreement in
     * force between the offering union's side and theirs. */
    char today[11];
    rt_today(today);
    for (int k = 0; k < in->norgs; k++) {
        store_res r;
        rc = store_query(x->db, &r, "SELECT path, name, status FROM orgs WHERE id = $1", SV_ARGS(SV_I(in->orgs[k])), e);
        if (rc) goto done;
        char path[GH_PATH_MAX] = "", name[200] = "";
        int found = store_next(&r, e), active = 0;
        if (found > 0) {
            snprintf(path, sizeof path, "%s", store_text(&r, 0));
            snprintf(name, sizeof name, "%s", store_text(&r, 1));
            active = strcmp(store_text(&r, 2), "active") == 0;
        }
        store_done(&r);
        if (found < 0) {
            rc = found;
            goto done;
        }
        if (!found || !active) {
            rc = err_set(e, ERR_INVALID, "org_not_found", "eligible_org_ids", "可预订的工会（编号 %lld）不存在或已撤销",
                         (long long)in->orgs[k]);
            goto done;
        }
        in->agreements[k] = 0;
        if (actor_in_scope(a, path)) continue;
        int64_t g = 0;
        rc = agreement_covering(x->db, in->org_path, path, today, &g, e);
        if (rc < 0) goto done;
        if (rc == 0) {
            rc = err_set(e, ERR_INVALID, "org_not_covered", "eligible_org_ids",
                         "“%s”不在您的管辖范围内，且与主办工会之间没有有效的跨区域合作协议", name);
            goto done;
        }
        in->agreements[k] = g;
    }
    rc = 0;
done:
    if (rc) rt_route_in_free(in); /* the caller frees it after a success */
    return rc;
}

int retreat_relist(store_conn *db, int64_t provider_id, int64_t route_id, gh_err *e)
{
    static const char *const listed =
        "UPDATE retreat_routes SET listed = CASE WHEN status = 'published'"
        " AND EXISTS (SELECT 1 FROM retreat_route_providers rp WHERE rp.route_id = retreat_routes.id)"
        " AND NOT EXISTS (SELECT 1 FROM retreat_route_providers rp JOIN providers p ON p.id = rp.provider_id"
        "   WHERE rp.route_id = retreat_routes.id AND p.status <> 'admitted') THEN 1 ELSE 0 END";
    char sql[800];
    if (provider_id) {
        snprintf(sql, sizeof sql, "%s WHERE id IN (SELECT route_id FROM retreat_route_providers WHERE provider_id = $1)",
                 listed);
        return store_exec(db, sql, SV_ARGS(SV_I(provider_id)), NULL, e);
    }
    snprintf(sql, sizeof sql, "%s WHERE id = $1", listed);
    return store_exec(db, sql, SV_ARGS(SV_I(route_id)), NULL, e);
}

int rt_route_write(gh_ctx *x, const rt_route_in *in, const char *status, int64_t *id, gh_err *e)
{
    const json_t *b = in->b;
    char ts[32];
    ts_now(ts);
    const char *code = jv_str(b, "code");
    if (code && !*code) code = NULL;
    int creating = *id == 0;
    int rc;
    if (creating) {
        store_res r;
        rc = store_query(x->db, &r,
            "INSERT INTO retreat_routes (org_id, code, title, summary, destination, region_code, days, price_fen,"
            " subsidy_fen, itinerary, inclusions, min_member_years, frontline_only, confirm_mode, status, listed,"
            " created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,0,$16,$16) RETURNING id",
            SV_ARGS(SV_I(in->org_id), SV_T(code), SV_T(jv_str(b, "title")), SV_T(jv_str(b, "summary")),
                    SV_T(jv_str(b, "destination")), SV_T(jv_str(b, "region_code")), SV_I(jv_int(b, "days", 1)),
                    SV_I(jv_int(b, "price_fen", 0)), SV_I(jv_int(b, "subsidy_fen", 0)), SV_T(in->itinerary),
                    SV_T(in->inclusions), SV_I(jv_int(b, "min_member_years", 0)), SV_I(jv_bool(b, "frontline_only", 0)),
                    SV_T(jv_str(b, "confirm_mode")), SV_T(status ? status : "draft"), SV_T(ts)),
            e);
        if (rc == 0) {
            if ((rc = store_next(&r, e)) > 0) *id = store_int(&r, 0), rc = 0;
            store_done(&r);
        }
    } else {
        rc = store_exec(x->db,
            "UPDATE retreat_routes SET code = $2, title = $3, summary = $4, destination = $5, region_code = $6, days = $7,"
            " price_fen = $8, subsidy_fen = $9, itinerary = $10, inclusions = $11, min_member_years = $12,"
            " frontline_only = $13, confirm_mode = $14, status = COALESCE($15, status), updated_at = $16 WHERE id = $1",
            SV_ARGS(SV_I(*id), SV_T(code), SV_T(jv_str(b, "title")), SV_T(jv_str(b, "summary")),
                    SV_T(jv_str(b, "destination")), SV_T(jv_str(b, "region_code")), SV_I(jv_int(b, "days", 1)),
                    SV_I(jv_int(b, "price_fen", 0)), SV_I(jv_int(b, "subsidy_fen", 0)), SV_T(in->itinerary),
                    SV_T(in->inclusions), SV_I(jv_int(b, "min_member_years", 0)), SV_I(jv_bool(b, "frontline_only", 0)),
                    SV_T(jv_str(b, "confirm_mode")), SV_T(status), SV_T(ts)),
            NULL, e);
        if (rc == 0) rc = store_exec(x->db, "DELETE FROM retreat_route_providers WHERE route_id = $1", SV_ARGS(SV_I(*id)), NULL, e);
        if (rc == 0) rc = store_exec(x->db, "DELETE FROM retreat_route_themes WHERE route_id = $1", SV_ARGS(SV_I(*id)), NULL, e);
        if (rc == 0) rc = store_exec(x->db, "DELETE FROM retreat_route_orgs WHERE route_id = $1", SV_ARGS(SV_I(*id)), NULL, e);
    }
    if (rc == ERR_CONFLICT) return err_set(e, ERR_CONFLICT, "duplicate_code", "code", "线路编号“%s”已被使用", code ? code : "");
    if (rc) return rc;
    for (int k = 0; k < in->nprov && rc == 0; k++)
        rc = store_exec(x->db, "INSERT INTO retreat_route_providers (route_id, provider_id, position) VALUES ($1, $2, $3)",
                        SV_ARGS(SV_I(*id), SV_I(in->providers[k]), SV_I(k)), NULL, e);
    for (int k = 0; k < in->nthemes && rc == 0; k++)
        rc = store_exec(x->db, "INSERT INTO retreat_route_themes (route_id, theme) VALUES ($1, $2)",
                        SV_ARGS(SV_I(*id), SV_T(in->themes[k])), NULL, e);
    for (int k = 0; k < in->norgs && rc == 0; k++)
        rc = store_exec(x->db, "INSERT INTO retreat_route_orgs (route_id, org_id, agreement_id) VALUES ($1, $2, $3)",
                        SV_ARGS(SV_I(*id), SV_I(in->orgs[k]), SV_IZ(in->agreements[k])), NULL, e);
    if (rc == 0) rc = retreat_relist(x->db, 0, *id, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s, s:I, s:I}", "title", jv_str(b, "title"), "price_fen", (json_int_t)jv_int(b, "price_fen", 0),
                          "subsidy_fen", (json_int_t)jv_int(b, "subsidy_fen", 0));
    if (status) json_object_set_new(d, "status", json_string(status));
    rc = audit_record(x, creating ? "retreat.route.create" : "retreat.route.update", "retreat_route", *id, in->org_id, "ok",
                      d, e);
    json_decref(d);
    return rc;
}

/* ---- route JSON ---- */

static json_t *loads_or(const char *s, json_t *def)
{
    json_t *v = s ? json_loads(s, 0, NULL) : NULL;
    if (v) {
        json_decref(def);
        return v;
    }
    return def;
}

static json_t *departure_row(store_res *r, int days, int window, int staff)
{
    json_t *o = json_object();
    char ret[11], early[11];
    const char *dd = store_text(r, 1);
    rt_date_add(dd, days - 1, ret);
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "depart_date", json_string(dd));
    json_object_set_new(o, "return_date", json_string(ret));
    json_object_set_new(o, "seats", json_integer(store_int(r, 3)));
    json_object_set_new(o, "seats_left", json_integer(store_int(r, 4)));
    json_object_set_new(o, "opens_on", list_col_str(r, 2));
    if (store_text(r, 2) && window > 0) {
        rt_date_add(store_text(r, 2), -window, early);
        json_object_set_new(o, "frontline_opens_on", json_string(early));
    } else {
        json_object_set_new(o, "frontline_opens_on", list_col_str(r, 2));
    }
    json_object_set_new(o, "status", list_col_str(r, 5));
    json_object_set_new(o, "note", list_col_str(r, 6));
    if (staff) {
        json_object_set_new(o, "pending", json_integer(store_int(r, 7)));
        json_object_set_new(o, "confirmed", json_integer(store_int(r, 8)));
        json_object_set_new(o, "waitlisted", json_integer(store_int(r, 9)));
        json_object_set_new(o, "completed", json_integer(store_int(r, 10)));
        json_object_set_new(o, "completed_at", list_col_str(r, 11));
    }
    return o;
}

int rt_route_json(store_conn *db, int64_t id, int staff, json_t **out, gh_err *e)
{
    *out = NULL;
    store_res r;
    int rc = store_query(db, &r,
        "SELECT r.id, r.code, r.title, r.summary, r.destination, r.region_code, r.days, r.price_fen, r.subsidy_fen,"
        " r.itinerary, r.inclusions, r.min_member_years, r.frontline_only, r.confirm_mode, r.status, r.listed,"
        " r.org_id, o.name, r.created_at, r.updated_at FROM retreat_routes r JOIN orgs o ON o.id = r.org_id WHERE r.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc <= 0) {
        store_done(&r);
        return rc < 0 ? rc : err_set(e, ERR_NOT_FOUND, "route_not_found", "id", "疗休养线路不存在");
    }
    if (!staff && store_int(&r, 15) != 1) {
        store_done(&r);
        return err_set(e, ERR_NOT_FOUND, "route_not_found", "id", "疗休养线路不存在或已下架");
    }
    json_t *o = json_object();
    int days = (int)store_int(&r, 6);
    int64_t price = store_int(&r, 7), subsidy = store_int(&r, 8), org_id = store_int(&r, 16);
    json_object_set_new(o, "id", json_integer(store_int(&r, 0)));
    json_object_set_new(o, "title", list_col_str(&r, 2));
    json_object_set_new(o, "summary", list_col_str(&r, 3));
    json_object_set_new(o, "destination", list_col_str(&r, 4));
    json_object_set_new(o, "region_code", list_col_str(&r, 5));
    json_object_set_new(o, "days", json_integer(days));
    json_object_set_new(o, "price_fen", json_integer(price));
    json_object_set_new(o, "subsidy_fen", json_integer(subsidy));
    json_object_set_new(o, "member_price_fen", json_integer(price - subsidy));
    json_object_set_new(o, "itinerary", loads_or(store_text(&r, 9), json_array()));
    json_object_set_new(o, "inclusions", loads_or(store_text(&r, 10), json_array()));
    json_object_set_new(o, "org_id", json_integer(org_id));
    json_object_set_new(o, "org_name", list_col_str(&r, 17));
    json_t *elig = json_pack("{s:i, s:b}", "min_member_years", (int)store_int(&r, 11), "frontline_only",
                             (int)store_int(&r, 12));
    char mode[8];
    snprintf(mode, sizeof mode, "%s", store_text(&r, 13) ? store_text(&r, 13) : "");
    if (staff) {
        json_object_set_new(o, "code", list_col_str(&r, 1));
        json_object_set_new(o, "confirm_mode", list_col_str(&r, 13));
        json_object_set_new(o, "status", list_col_str(&r, 14));
        json_object_set_new(o, "listed", json_boolean(store_int(&r, 15)));
        json_object_set_new(o, "created_at", list_col_str(&r, 18));
        json_object_set_new(o, "updated_at", list_col_str(&r, 19));
    }
    store_done(&r);
    json_object_set_new(o, "eligibility", elig);

    /* The rules of the offering union today: effective confirmation,
     * cancellation deadline, frontline window. */
    char today[11];
    rt_today(today);
    rt_rules rules;
    rc = rt_rules_for(db, org_id, today, &rules, e);
    if (rc) goto done;
    int instant = mode[0] ? strcmp(mode, "instant") == 0 : rules.instant;
    json_object_set_new(o, "rules", json_pack("{s:s, s:i, s:i, s:i}", "confirmation", instant ? "instant" : "union",
                                              "cancel_deadline_days", rules.cancel_days, "frontline_window_days",
                                              rules.window_days, "max_subsidised_per_year", rules.max_per_year));

    json_t *themes = json_array();
    json_object_set_new(o, "themes", themes);
    if ((rc = store_query(db, &r, "SELECT theme FROM retreat_route_themes WHERE route_id = $1 ORDER BY theme",
                          SV_ARGS(SV_I(id)), e)))
        goto done;
    while ((rc = store_next(&r, e)) > 0) json_array_append_new(themes, json_string(store_text(&r, 0)));
    store_done(&r);
    if (rc < 0) goto done;

    json_t *provs = json_array();
    json_object_set_new(o, "providers", provs);
    if ((rc = store_query(db, &r,
            "SELECT p.id, p.name, p.kind, p.region_code, p.address, p.partner_department, p.status"
            " FROM retreat_route_providers rp JOIN providers p ON p.id = rp.provider_id WHERE rp.route_id = $1"
            " ORDER BY rp.position", SV_ARGS(SV_I(id)), e)))
        goto done;
    while ((rc = store_next(&r, e)) > 0) {
        json_t *p = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)store_int(&r, 0), "name", store_text(&r, 1),
                              "kind", store_text(&r, 2), "region_code", store_text(&r, 3), "address", list_col_str(&r, 4),
                              "partner_department", list_col_str(&r, 5));
        if (staff) json_object_set_new(p, "status", list_col_str(&r, 6));
        json_array_append_new(provs, p);
    }
    store_done(&r);
    if (rc < 0) goto done;

    /* Photos: the route's own, then each provider's. */
    char base[80];
    json_t *photos = NULL;
    rt_photo_base(id, base);
    if ((rc = photo_list(db, "route", id, base, &photos, e))) goto done;
    json_object_set_new(o, "photos", photos);
    size_t pi;
    json_t *pv;
    json_array_foreach(provs, pi, pv)
    {
        int64_t pid = json_integer_value(json_object_get(pv, "id"));
        snprintf(base, sizeof base, "/api/v1/providers/%lld/photos", (long long)pid);
        if ((rc = photo_list(db, "provider", pid, base, &photos, e))) goto done;
        json_object_set_new(pv, "photos", photos);
    }

    json_t *orgs = json_array();
    json_object_set_new(elig, "orgs", orgs);
    int cross = 0;
    if ((rc = store_query(db, &r,
            "SELECT ro.org_id, o.name, ro.agreement_id, g.title FROM retreat_route_orgs ro JOIN orgs o ON o.id = ro.org_id"
            " LEFT JOIN retreat_agreements g ON g.id = ro.agreement_id WHERE ro.route_id = $1 ORDER BY o.path",
            SV_ARGS(SV_I(id)), e)))
        goto done;
    while ((rc = store_next(&r, e)) > 0) {
        json_t *g = json_pack("{s:I, s:s}", "id", (json_int_t)store_int(&r, 0), "name", store_text(&r, 1));
        if (!store_isnull(&r, 2)) {
            cross = 1;
            json_object_set_new(g, "agreement_id", json_integer(store_int(&r, 2)));
            json_object_set_new(g, "agreement_title", list_col_str(&r, 3));
        }
        json_array_append_new(orgs, g);
    }
    store_done(&r);
    if (rc < 0) goto done;
    if (json_array_size(orgs) == 0)
        json_array_append_new(orgs, json_pack("{s:I, s:O}", "id", (json_int_t)org_id, "name", json_object_get(o, "org_name")));
    json_object_set_new(elig, "cross_region", json_boolean(cross));

    json_t *cols = json_array();
    json_object_set_new(o, "collections", cols);
    if ((rc = store_query(db, &r,
            "SELECT c.id, c.title FROM retreat_collection_routes cr JOIN retreat_collections c ON c.id = cr.collection_id"
            " WHERE cr.route_id = $1 AND (c.published = 1 OR $2 = 1) ORDER BY c.id",
            SV_ARGS(SV_I(id), SV_I(staff)), e)))
        goto done;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(cols, json_pack("{s:I, s:s}", "id", (json_int_t)store_int(&r, 0), "title", store_text(&r, 1)));
    store_done(&r);
    if (rc < 0) goto done;

    json_t *deps = json_array();
    json_object_set_new(o, "departures", deps);
    if (staff)
        rc = store_query(db, &r,
            "SELECT d.id, d.depart_date, d.opens_on, d.seats, d.seats_left, d.status, d.note,"
            " (SELECT COUNT(*) FROM retreat_bookings b WHERE b.departure_id = d.id AND b.status = 'pending'),"
            " (SELECT COUNT(*) FROM retreat_bookings b WHERE b.departure_id = d.id AND b.status = 'confirmed'),"
            " (SELECT COUNT(*) FROM retreat_bookings b WHERE b.departure_id = d.id AND b.status = 'waitlisted'),"
            " (SELECT COUNT(*) FROM retreat_bookings b WHERE b.departure_id = d.id AND b.status = 'completed'),"
            " d.completed_at FROM retreat_departures d WHERE d.route_id = $1 ORDER BY d.depart_date DESC, d.id DESC LIMIT 200",
            SV_ARGS(SV_I(id)), e);
    else
        rc = store_query(db, &r,
            "SELECT d.id, d.depart_date, d.opens_on, d.seats, d.seats_left, d.status, d.note FROM retreat_departures d"
            " WHERE d.route_id = $1 AND d.depart_date > $2 AND d.status IN ('open', 'closed')"
            " ORDER BY d.depart_date, d.id LIMIT 60",
            SV_ARGS(SV_I(id), SV_T(today)), e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0) json_array_append_new(deps, departure_row(&r, days, rules.window_days, staff));
    store_done(&r);
    if (rc < 0) goto done;
    *out = o;
    o = NULL;
done:
    json_decref(o);
    return rc;
}

/* ---- routes (staff) ---- */

/* Load a route for an officer: in scope (the offering union); write needs
 * the retreat duty. */
static int route_scoped(gh_ctx *x, int64_t id, int write, rt_route *rt, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (write ? !actor_has_duty(a, DUTY_RETREAT) : !actor_is_staff(a))
        return err_set(e, write ? ERR_FORBIDDEN : ERR_NOT_FOUND, write ? "forbidden" : "route_not_found", NULL,
                       write ? "需要疗休养工作职责" : "疗休养线路不存在");
    int rc = rt_route_load(x->db, id, rt, e);
    if (rc) return rc;
    if (!actor_in_scope(a, rt->org_path)) return err_set(e, ERR_NOT_FOUND, "route_not_found", "id", "疗休养线路不存在");
    return 0;
}

int retreat_route_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    rt_route rt;
    int rc = route_scoped(x, id, 0, &rt, e);
    if (rc == 0) rc = rt_route_json(x->db, id, 1, out, e);
    return rc;
}

/* ---- photos ---- */

void rt_photo_base(int64_t route_id, char out[80])
{
    snprintf(out, 80, "/api/v1/retreat/routes/%lld/photos", (long long)route_id);
}

typedef struct photo_ctx {
    gh_ctx *x;
    rt_route rt;
    int64_t photo_id;
    const void *data;
    size_t len;
    json_t *out;
} photo_ctx;

static int photo_add_tx(store_conn *db, void *p, gh_err *e)
{
    photo_ctx *c = p;
    char base[80];
    rt_photo_base(c->rt.id, base);
    json_decref(c->out); /* a retried transaction starts over */
    c->out = NULL;
    int rc = photo_add(c->x, db, "route", c->rt.id, base, c->data, c->len, &c->out, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:O, s:O, s:O}", "photo_id", json_object_get(c->out, "id"), "mime",
                          json_object_get(c->out, "mime"), "bytes", json_object_get(c->out, "bytes"));
    rc = audit_record(c->x, "retreat.route_photo_add", "retreat_route", c->rt.id, c->rt.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

static int photo_delete_tx(store_conn *db, void *p, gh_err *e)
{
    photo_ctx *c = p;
    int rc = photo_delete(db, "route", c->rt.id, c->photo_id, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I}", "photo_id", (json_int_t)c->photo_id);
    rc = audit_record(c->x, "retreat.route_photo_delete", "retreat_route", c->rt.id, c->rt.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int retreat_route_photo_add(gh_ctx *x, int64_t id, const void *data, size_t len, json_t **out, gh_err *e)
{
    photo_ctx c = {.x = x, .data = data, .len = len};
    int rc = route_scoped(x, id, 1, &c.rt, e);
    if (rc == 0) rc = store_tx(x->db, STORE_WRITE, photo_add_tx, &c, e);
    if (rc) {
        json_decref(c.out);
        return rc;
    }
    retreat_catalog_touch();
    *out = c.out;
    return 0;
}

int retreat_route_photo_delete(gh_ctx *x, int64_t id, int64_t photo_id, gh_err *e)
{
    photo_ctx c = {.x = x, .photo_id = photo_id};
    int rc = route_scoped(x, id, 1, &c.rt, e);
    if (rc == 0) rc = store_tx(x->db, STORE_WRITE, photo_delete_tx, &c, e);
    if (rc == 0) retreat_catalog_touch();
    return rc;
}

int retreat_route_photo_get(gh_ctx *x, int64_t id, int64_t photo_id, photo_blob *b, int *public_, gh_err *e)
{
    rt_route rt;
    int rc = rt_route_load(x->db, id, &rt, e);
    if (rc) return rc;
    /* In the catalogue: anyone; otherwise staff in scope, like the route. */
    *public_ = rt.listed == 1;
    if (!*public_ && (rc = route_scoped(x, id, 0, &rt, e))) return rc;
    return photo_fetch(x->db, "route", id, photo_id, b, e);
}

/* the export's words for the codes (as the pages show them) */
static const char *const words_route_status[] = {"draft", "草稿", "published", "已发布", "withdrawn", "已下架", NULL};

static const list_col route_cols[] = {
    {"id", "r.id", COL_INT, "编号"},
    {"code", "r.code", COL_STR, "线路代码"},
    {"title", "r.title", COL_STR, "线路名称"},
    {"destination", "r.destination", COL_STR, "目的地"},
    {"region_code", "r.region_code", COL_STR, "行政区划代码"},
    {"org_id", "r.org_id", COL_INT},
    {"days", "r.days", COL_INT, "天数"},
    {"price_fen", "r.price_fen", COL_FEN, "价格（元）"},
    {"subsidy_fen", "r.subsidy_fen", COL_FEN, "补助（元）"},
    {"member_price_fen", NULL, COL_FEN, "个人负担（元）"},
    {"status", "r.status", COL_STR, "状态", words_route_status},
    {"listed", "r.listed", COL_BOOL, "已上架"},
    {"org_name", "o.name", COL_STR, "组织工会"},
    {"departures", "(SELECT COUNT(*) FROM retreat_departures d WHERE d.route_id = r.id)", COL_INT, "出发批次数"},
    {"pending", "(SELECT COUNT(*) FROM retreat_bookings b WHERE b.route_id = r.id AND b.status = 'pending')", COL_INT,
     "待审核预订"},
    {"updated_at", "r.updated_at", COL_STR},
    {0},
};

static void route_post(json_t *o, void *arg)
{
    (void)arg;
    json_int_t price = json_integer_value(json_object_get(o, "price_fen"));
    json_object_set_new(o, "member_price_fen", json_integer(price - json_integer_value(json_object_get(o, "subsidy_fen"))));
}

static const list_filter route_filters[] = {
    {FILTER_CHOICE, offsetof(retreat_route_query, status), "r.status = ?", "status", "线路状态", retreat_route_statuses},
    {0},
};

static const list_spec route_spec = {route_cols, route_filters, route_post, "疗休养线路"};

int retreat_route_list(gh_ctx *x, const retreat_route_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看疗休养线路的权限");
    scope_range sr;
    int rc = scope_range_of(x, q->org_id, &sr, e);
    if (rc) return rc;
    sqlw w;
    sqlw_init(&w, "retreat_routes r JOIN orgs o ON o.id = r.org_id WHERE o.path >= ? AND o.path < ?",
              SV_ARGS(SV_T(sr.lo), SV_T(sr.hi)));
    char *like = NULL;
    if (q->q && *q->q) {
        if (!(like = store_like_pattern(q->q))) {
            sqlw_free(&w);
            return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        }
        SQLW_AND(&w, "r.title LIKE ? ESCAPE '\\' OR r.destination LIKE ? ESCAPE '\\' OR r.code = ?", SV_T(like),
                 SV_T(like), SV_T(q->q));
    }
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    rc = list_query(x, &route_spec, q, &w, "r.id DESC", &pg, NULL, out, e);
    free(like);
    return rc;
}

typedef struct route_ctx {
    gh_ctx *x;
    rt_route_in in;
    const char *status;
    int64_t id;
} route_ctx;

static int route_tx(store_conn *db, void *p, gh_err *e)
{
    (void)db;
    route_ctx *c = p;
    if (c->in.b == NULL) return err_set(e, ERR_INTERNAL, NULL, NULL, NULL);
    int64_t id = c->id;
    int rc = rt_route_write(c->x, &c->in, c->status, &id, e);
    if (rc == 0) c->id = id;
    return rc;
}

int retreat_route_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    route_ctx c = {.x = x};
    int rc = rt_route_check(x, body, &c.in, e);
    if (rc) return rc;
    /* store_tx may run route_tx again: the insert starts from id 0 each time. */
    rc = store_tx(x->db, STORE_WRITE, route_tx, &c, e);
    rt_route_in_free(&c.in);
    if (rc) return rc;
    retreat_catalog_touch();
    return rt_route_json(x->db, c.id, 1, out, e);
}

/* The input form of a stored route, so a PATCH can be checked as a whole. */
static int route_input(store_conn *db, int64_t id, json_t **out, gh_err *e)
{
    json_t *cur = NULL;
    int rc = rt_route_json(db, id, 1, &cur, e);
    if (rc) return rc;
    json_t *b = json_object();
    static const char *const copy[] = {"org_id", "code", "title", "summary", "destination", "region_code", "days",
                                       "price_fen", "subsidy_fen", "itinerary", "inclusions", "themes", "confirm_mode", NULL};
    for (int i = 0; copy[i]; i++) {
        json_t *v = json_object_get(cur, copy[i]);
        if (v && !json_is_null(v)) json_object_set(b, copy[i], v);
    }
    json_t *elig = json_object_get(cur, "eligibility");
    json_object_set(b, "min_member_years", json_object_get(elig, "min_member_years"));
    json_object_set(b, "frontline_only", json_object_get(elig, "frontline_only"));
    json_t *ids = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(cur, "providers"), i, it) json_array_append(ids, json_object_get(it, "id"));
    json_object_set_new(b, "provider_ids", ids);
    /* Only explicitly listed orgs (the default "own subtree" has none). */
    ids = json_array();
    int64_t n = 0;
    store_get_int(db, "SELECT COUNT(*) FROM retreat_route_orgs WHERE route_id = $1", SV_ARGS(SV_I(id)), &n, NULL);
    if (n)
        json_array_foreach(json_object_get(elig, "orgs"), i, it) json_array_append(ids, json_object_get(it, "id"));
    json_object_set_new(b, "eligible_org_ids", ids);
    json_decref(cur);
    *out = b;
    return 0;
}

int retreat_route_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    if (!json_is_object(body)) return err_set(e, ERR_INVALID, "invalid_body", NULL, "请求内容应为 JSON 对象");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        if (jv_choice_index(patchable, key) < 0)
            return err_set(e, ERR_INVALID, "unknown_field", key,
                           strcmp(key, "org_id") == 0 ? "主办工会不能修改" : "不支持的字段“%s”", key);
    }
    rt_route rt;
    int rc = route_scoped(x, id, 1, &rt, e);
    if (rc) return rc;
    json_t *merged = NULL;
    rc = route_input(x->db, id, &merged, e);
    if (rc) return rc;
    json_object_foreach((json_t *)body, key, v) {
        if (json_is_null(v)) json_object_del(merged, key);
        else json_object_set(merged, key, v);
    }
    route_ctx c = {.x = x, .id = id};
    rc = rt_route_check(x, merged, &c.in, e);
    if (rc == 0) {
        rc = store_tx(x->db, STORE_WRITE, route_tx, &c, e);
        rt_route_in_free(&c.in);
    }
    json_decref(merged);
    if (rc) return rc;
    retreat_catalog_touch();
    return rt_route_json(x->db, id, 1, out, e);
}

typedef struct status_ctx {
    gh_ctx *x;
    int64_t id, org_id;
    const char *to;
} status_ctx;

static int status_tx(store_conn *db, void *p, gh_err *e)
{
    status_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int rc = store_exec(db, "UPDATE retreat_routes SET status = $2, updated_at = $3 WHERE id = $1",
                        SV_ARGS(SV_I(c->id), SV_T(c->to), SV_T(ts)), NULL, e);
    if (rc == 0) rc = retreat_relist(db, 0, c->id, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s}", "status", c->to);
    rc = audit_record(c->x, "retreat.route.status", "retreat_route", c->id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int retreat_route_set_status(gh_ctx *x, int64_t id, const char *status, json_t **out, gh_err *e)
{
    if (!status || jv_choice_index(retreat_route_statuses, status) < 0)
        return err_set(e, ERR_INVALID, "invalid_choice", "status", "线路状态取值无效");
    rt_route rt;
    int rc = route_scoped(x, id, 1, &rt, e);
    if (rc) return rc;
    if (strcmp(rt.status, status) == 0) return err_set(e, ERR_CONFLICT, "same_status", "status", "线路已经是该状态");
    if (strcmp(status, "draft") == 0)
        return err_set(e, ERR_INVALID, "invalid_transition", "status", "已发布或下架的线路不能改回草稿");
    status_ctx c = {x, id, rt.org_id, status};
    rc = store_tx(x->db, STORE_WRITE, status_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    return rt_route_json(x->db, id, 1, out, e);
}

/* ---- departures ---- */

static const jv_field departure_fields[] = {
    {"depart_date", JV_DATE, JV_REQUIRED, "出发日期"},
    {"seats", JV_INT, JV_REQUIRED, "名额", .min = 1, .max = 10000},
    {"opens_on", JV_DATE, JV_NULLABLE, "开放预订日期"},
    {"note", JV_STRING, JV_NULLABLE, "备注", .max = 200},
    {0},
};

static const char *const departure_open_states[] = {"open", "closed", NULL};

static const jv_field departure_update_fields[] = {
    {"seats", JV_INT, 0, "名额", .min = 1, .max = 10000},
    {"opens_on", JV_DATE, JV_NULLABLE, "开放预订日期"},
    {"note", JV_STRING, JV_NULLABLE, "备注", .max = 200},
    {"status", JV_ENUM, 0, "批次状态", .choices = departure_open_states},
    {0},
};

static json_t *departure_json(store_conn *db, int64_t id, gh_err *e)
{
    rt_departure d;
    rt_route rt;
    if (rt_departure_load(db, id, &d, e) || rt_route_load(db, d.route_id, &rt, e)) return NULL;
    char ret[11];
    rt_date_add(d.depart_date, rt.days - 1, ret);
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:i, s:s?, s:s}", "id", (json_int_t)d.id, "route_id",
                     (json_int_t)d.route_id, "route_title", rt.title, "depart_date", d.depart_date, "return_date", ret,
                     "seats", d.seats, "seats_left", d.seats_left, "opens_on", d.opens_on[0] ? d.opens_on : NULL,
                     "status", d.status);
}

typedef struct dep_ctx {
    gh_ctx *x;
    rt_route rt;
    rt_departure d;
    const json_t *body;
    const char *reason;
    int64_t id;
    json_t *result;
} dep_ctx;

static int dep_create_tx(store_conn *db, void *p, gh_err *e)
{
    dep_ctx *c = p;
    const json_t *b = c->body;
    char ts[32];
    ts_now(ts);
    int seats = (int)jv_int(b, "seats", 1);
    store_res r;
    int rc = store_query(db, &r,
        "INSERT INTO retreat_departures (route_id, org_id, depart_date, opens_on, seats, seats_left, status, note,"
        " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, 'open', $6, $7, $7) RETURNING id",
        SV_ARGS(SV_I(c->rt.id), SV_I(c->rt.org_id), SV_T(jv_str(b, "depart_date")), SV_T(jv_str(b, "opens_on")),
                SV_I(seats), SV_T(jv_str(b, "note")), SV_T(ts)),
        e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) c->id = store_int(&r, 0);
    store_done(&r);
    if (rc < 0) return rc;
    json_t *d = json_pack("{s:I, s:s, s:i}", "route_id", (json_int_t)c->rt.id, "depart_date", jv_str(b, "depart_date"),
                          "seats", seats);
    rc = audit_record(c->x, "retreat.departure.create", "retreat_departure", c->id, c->rt.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int retreat_departure_create(gh_ctx *x, int64_t route_id, const json_t *body, json_t **out, gh_err *e)
{
    dep_ctx c = {.x = x, .body = body};
    int rc = route_scoped(x, route_id, 1, &c.rt, e);
    if (rc == 0) rc = jv_check(body, departure_fields, e);
    if (rc) return rc;
    char today[11];
    rt_today(today);
    const char *dd = jv_str(body, "depart_date"), *opens = jv_str(body, "opens_on");
    /* The command line may record past departures (back-filling history);
     * everyone else plans ahead. */
    if (strcmp(dd, today) <= 0 && x->actor->role != ROLE_SYSTEM)
        return err_set(e, ERR_INVALID, "departure_past", "depart_date", "出发日期须晚于今天");
    if (opens && strcmp(opens, dd) >= 0)
        return err_set(e, ERR_INVALID, "invalid_date", "opens_on", "开放预订日期须早于出发日期");
    if (strcmp(c.rt.status, "withdrawn") == 0)
        return err_set(e, ERR_CONFLICT, "route_withdrawn", "id", "线路已下架，不能新增出发批次");
    rc = store_tx(x->db, STORE_WRITE, dep_create_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    *out = departure_json(x->db, c.id, e);
    return *out ? 0 : ERR_STORE;
}

/* The departure and its route for an officer of the offering union. */
int rt_departure_scoped(gh_ctx *x, int64_t id, rt_departure *d, rt_route *rt, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    int rc = rt_departure_load(x->db, id, d, e);
    if (rc == 0) rc = rt_route_load(x->db, d->route_id, rt, e);
    if (rc) return rc;
    if (!actor_in_scope(x->actor, rt->org_path))
        return err_set(e, ERR_NOT_FOUND, "departure_not_found", "id", "出发批次不存在");
    return 0;
}

static int dep_update_tx(store_conn *db, void *p, gh_err *e)
{
    dep_ctx *c = p;
    const json_t *b = c->body;
    char ts[32];
    ts_now(ts);
    rt_departure d;
    int rc = rt_departure_load(db, c->d.id, &d, e);
    if (rc) return rc;
    if (strcmp(d.status, "open") != 0 && strcmp(d.status, "closed") != 0)
        return err_set(e, ERR_CONFLICT, "departure_finished", "id", "该批次已取消或已结束，不能修改");
    if (jv_has(b, "seats")) {
        int seats = (int)jv_int(b, "seats", d.seats);
        int64_t n = 0;
        /* One conditional statement: never below the seats already taken,
         * even if a booking lands between our read and this write. */
        rc = store_exec(db,
            "UPDATE retreat_departures SET seats_left = seats_left + ($2 - seats), seats = $2, updated_at = $3"
            " WHERE id = $1 AND seats - seats_left <= $2",
            SV_ARGS(SV_I(d.id), SV_I(seats), SV_T(ts)), &n, e);
        if (rc) return rc;
        if (n != 1)
            return err_set(e, ERR_CONFLICT, "seats_below_taken", "seats", "已有 %d 个名额被预订，名额不能少于此数",
                           d.seats - d.seats_left);
    }
    const char *opens = jv_str(b, "opens_on");
    if (opens && strcmp(opens, d.depart_date) >= 0)
        return err_set(e, ERR_INVALID, "invalid_date", "opens_on", "开放预订日期须早于出发日期");
    rc = store_exec(db,
        "UPDATE retreat_departures SET opens_on = CASE WHEN $2 = 1 THEN $3 ELSE opens_on END,"
        " note = CASE WHEN $4 = 1 THEN $5 ELSE note END, status = COALESCE($6, status), updated_at = $7 WHERE id = $1",
        SV_ARGS(SV_I(d.id), SV_I(json_object_get(b, "opens_on") != NULL), SV_T(opens),
                SV_I(json_object_get(b, "note") != NULL), SV_T(jv_str(b, "note")), SV_T(jv_str(b, "status")), SV_T(ts)),
        NULL, e);
    /* More seats (or reopened): the waiting list moves up. */
    if (rc == 0) rc = rt_fill_waitlist(c->x, d.id, NULL, e);
    if (rc) return rc;
    return audit_record(c->x, "retreat.departure.update", "retreat_departure", d.id, c->rt.org_id, "ok", b, e);
}

int retreat_departure_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    dep_ctx c = {.x = x, .body = body};
    int rc = rt_departure_scoped(x, id, &c.d, &c.rt, e);
    if (rc == 0) rc = jv_check_partial(body, departure_update_fields, e);
    if (rc) return rc;
    rc = store_tx(x->db, STORE_WRITE, dep_update_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    *out = departure_json(x->db, id, e);
    return *out ? 0 : ERR_STORE;
}

static int dep_cancel_tx(store_conn *db, void *p, gh_err *e)
{
    dep_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int64_t n = 0;
    int rc = store_exec(db,
        "UPDATE retreat_departures SET status = 'cancelled', note = $2, updated_at = $3"
        " WHERE id = $1 AND status IN ('open', 'closed')",
        SV_ARGS(SV_I(c->d.id), SV_T(c->reason), SV_T(ts)), &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_CONFLICT, "departure_finished", "id", "该批次已取消或已结束");
    /* Every live booking ends and gives back its subsidised trip (one live
     * booking per member and departure, so at most one per quota row). */
    rc = store_exec(db,
        "UPDATE retreat_quota SET used = used - 1 WHERE used > 0 AND EXISTS (SELECT 1 FROM retreat_bookings b"
        " WHERE b.member_id = retreat_quota.member_id AND b.trip_year = retreat_quota.year AND b.departure_id = $1"
        " AND b.quota_taken = 1 AND b.status IN ('pending', 'confirmed'))",
        SV_ARGS(SV_I(c->d.id)), NULL, e);
    int64_t ended = 0;
    if (rc == 0)
        rc = store_exec(db,
            "UPDATE retreat_bookings SET status = 'cancelled', reason = $2, quota_taken = 0, cancelled_at = $3,"
            " updated_at = $3 WHERE departure_id = $1 AND status IN ('waitlisted', 'pending', 'confirmed')",
            SV_ARGS(SV_I(c->d.id), SV_T(c->reason), SV_T(ts)), &ended, e);
    if (rc == 0)
        rc = store_exec(db, "UPDATE retreat_departures SET seats_left = seats WHERE id = $1", SV_ARGS(SV_I(c->d.id)), NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s, s:I}", "reason", c->reason, "bookings_cancelled", (json_int_t)ended);
    rc = audit_record(c->x, "retreat.departure.cancel", "retreat_departure", c->d.id, c->rt.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int retreat_departure_cancel(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (blank(reason)) return err_set(e, ERR_INVALID, "missing_field", "reason", "取消出发批次须填写原因");
    dep_ctx c = {.x = x, .reason = reason};
    int rc = rt_departure_scoped(x, id, &c.d, &c.rt, e);
    if (rc) return rc;
    rc = store_tx(x->db, STORE_WRITE, dep_cancel_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    *out = departure_json(x->db, id, e);
    return *out ? 0 : ERR_STORE;
}

/* ---- collections ---- */

static const jv_field collection_fields[] = {
    {"org_id", JV_INT, 0, "发布工会", .min = 1, .max = INT64_MAX},
    {"title", JV_STRING, JV_REQUIRED, "专题名称", .max = 40},
    {"description", JV_STRING, JV_NULLABLE | JV_MULTILINE, "专题介绍", .max = 500},
    {"route_ids", JV_ARRAY, 0, "线路", .max = 100},
    {"published", JV_BOOL, 0, "公开展示"},
    {0},
};

typedef struct coll_ctx {
    gh_ctx *x;
    const json_t *body;
    int64_t id, org_id;
    int64_t routes[100];
    int nroutes;
} coll_ctx;

static int coll_tx(store_conn *db, void *p, gh_err *e)
{
    coll_ctx *c = p;
    const json_t *b = c->body;
    char ts[32];
    ts_now(ts);
    int rc;
    int creating = c->id == 0;
    int64_t id = c->id;
    if (creating) {
        store_res r;
        rc = store_query(db, &r,
            "INSERT INTO retreat_collections (org_id, title, description, published, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            SV_ARGS(SV_I(c->org_id), SV_T(jv_str(b, "title")), SV_T(jv_str(b, "description")),
                    SV_I(jv_bool(b, "published", 1)), SV_T(ts)),
            e);
        if (rc) return rc;
        if ((rc = store_next(&r, e)) > 0) id = store_int(&r, 0);
        store_done(&r);
        if (rc < 0) return rc;
    } else {
        rc = store_exec(db,
            "UPDATE retreat_collections SET title = COALESCE($2, title),"
            " description = CASE WHEN $3 = 1 THEN $4 ELSE description END,"
            " published = CASE WHEN $5 >= 0 THEN $5 ELSE published END, updated_at = $6 WHERE id = $1",
            SV_ARGS(SV_I(id), SV_T(jv_str(b, "title")), SV_I(json_object_get(b, "description") != NULL),
                    SV_T(jv_str(b, "description")), SV_I(jv_has(b, "published") ? jv_bool(b, "published", 1) : -1),
                    SV_T(ts)),
            NULL, e);
        if (rc) return rc;
    }
    if (creating || jv_has(b, "route_ids")) {
        rc = store_exec(db, "DELETE FROM retreat_collection_routes WHERE collection_id = $1", SV_ARGS(SV_I(id)), NULL, e);
        for (int k = 0; k < c->nroutes && rc == 0; k++)
            rc = store_exec(db, "INSERT INTO retreat_collection_routes (collection_id, route_id, position) VALUES ($1, $2, $3)",
                            SV_ARGS(SV_I(id), SV_I(c->routes[k]), SV_I(k)), NULL, e);
        if (rc) return rc;
    }
    json_t *d = json_pack("{s:s?, s:i}", "title", jv_str(b, "title"), "routes", c->nroutes);
    rc = audit_record(c->x, creating ? "retreat.collection.create" : "retreat.collection.update", "retreat_collection", id,
                      c->org_id, "ok", d, e);
    json_decref(d);
    if (rc == 0) c->id = id;
    return rc;
}

static int coll_routes(gh_ctx *x, const json_t *b, coll_ctx *c, gh_err *e)
{
    int rc = check_ids(json_object_get(b, "route_ids"), "route_ids", "线路", c->routes, 100, &c->nroutes, e);
    for (int k = 0; k < c->nroutes && rc == 0; k++) {
        rt_route rt;
        rc = rt_route_load(x->db, c->routes[k], &rt, e);
        if (rc == 0 && !rt.listed && !actor_in_scope(x->actor, rt.org_path)) rc = ERR_NOT_FOUND;
        if (rc == ERR_NOT_FOUND)
            rc = err_set(e, ERR_INVALID, "route_not_found", "route_ids", "线路（编号 %lld）不存在", (long long)c->routes[k]);
    }
    return rc;
}

static int collection_json(store_conn *db, int64_t id, json_t **out, gh_err *e);

int retreat_collection_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    int rc = jv_check(body, collection_fields, e);
    if (rc) return rc;
    if (blank(jv_str(body, "title"))) return err_set(e, ERR_INVALID, "missing_field", "title", "“专题名称”不能为空");
    coll_ctx c = {.x = x, .body = body, .org_id = jv_int(body, "org_id", x->actor->org_id)};
    char path[GH_PATH_MAX];
    if (!c.org_id) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请选择发布专题的工会");
    rc = org_scope_path(x, c.org_id, path, e);
    if (rc == 0) rc = coll_routes(x, body, &c, e);
    if (rc == 0) rc = store_tx(x->db, STORE_WRITE, coll_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    return collection_json(x->db, c.id, out, e);
}

int retreat_collection_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    int rc = jv_check_partial(body, collection_fields, e);
    if (rc) return rc;
    if (json_object_get(body, "org_id")) return err_set(e, ERR_INVALID, "unknown_field", "org_id", "发布工会不能修改");
    if (jv_str(body, "title") && blank(jv_str(body, "title")))
        return err_set(e, ERR_INVALID, "missing_field", "title", "“专题名称”不能为空");
    coll_ctx c = {.x = x, .body = body, .id = id};
    store_res r;
    rc = store_query(x->db, &r, "SELECT c.org_id, o.path FROM retreat_collections c JOIN orgs o ON o.id = c.org_id WHERE c.id = $1",
                     SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    int found = store_next(&r, e), ok = 0;
    if (found > 0) {
        c.org_id = store_int(&r, 0);
        ok = actor_in_scope(x->actor, store_text(&r, 1));
    }
    store_done(&r);
    if (found < 0) return found;
    if (!ok) return err_set(e, ERR_NOT_FOUND, "collection_not_found", "id", "专题不存在");
    rc = coll_routes(x, body, &c, e);
    if (rc == 0) rc = store_tx(x->db, STORE_WRITE, coll_tx, &c, e);
    if (rc) return rc;
    retreat_catalog_touch();
    return collection_json(x->db, id, out, e);
}

static int collection_json(store_conn *db, int64_t id, json_t **out, gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT c.id, c.org_id, o.name, c.title, c.description, c.published, c.updated_at FROM retreat_collections c"
        " JOIN orgs o ON o.id = c.org_id WHERE c.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc <= 0) {
        store_done(&r);
        return rc < 0 ? rc : err_set(e, ERR_NOT_FOUND, "collection_not_found", "id", "专题不存在");
    }
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:b, s:s}", "id", (json_int_t)store_int(&r, 0), "org_id",
                          (json_int_t)store_int(&r, 1), "org_name", store_text(&r, 2), "title", store_text(&r, 3),
                          "description", list_col_str(&r, 4), "published", (int)store_int(&r, 5), "updated_at",
                          store_text(&r, 6));
    store_done(&r);
    json_t *routes = json_array();
    json_object_set_new(o, "routes", routes);
    rc = store_query(db, &r,
        "SELECT r.id, r.title, r.listed FROM retreat_collection_routes cr JOIN retreat_routes r ON r.id = cr.route_id"
        " WHERE cr.collection_id = $1 ORDER BY cr.position",
        SV_ARGS(SV_I(id)), e);
    if (rc == 0) {
        while ((rc = store_next(&r, e)) > 0)
            json_array_append_new(routes, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)store_int(&r, 0), "title",
                                                    store_text(&r, 1), "listed", (int)store_int(&r, 2)));
        store_done(&r);
    }
    if (rc < 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

int retreat_collection_list(gh_ctx *x, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看专题的权限");
    char hi[GH_PATH_MAX];
    store_prefix_bound(a->scope, hi, sizeof hi);
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT c.id FROM retreat_collections c JOIN orgs o ON o.id = c.org_id WHERE o.path >= $1 AND o.path < $2"
        " ORDER BY c.id LIMIT 200",
        SV_ARGS(SV_T(a->scope), SV_T(hi)), e);
    if (rc) return rc;
    int64_t ids[200];
    int n = 0;
    while ((rc = store_next(&r, e)) > 0 && n < 200) ids[n++] = store_int(&r, 0);
    store_done(&r);
    if (rc < 0) return rc;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *c = NULL;
        rc = collection_json(x->db, ids[i], &c, e);
        if (rc) {
            json_decref(items);
            return rc;
        }
        json_array_append_new(items, c);
    }
    *out = json_pack("{s:o, s:i}", "items", items, "total", n);
    return 0;
}

/* ---- agreements ---- */

static const jv_field agreement_fields[] = {
    {"org_id", JV_INT, 0, "本方工会", .min = 1, .max = INT64_MAX},
    {"partner_org_id", JV_INT, JV_REQUIRED, "合作方工会", .min = 1, .max = INT64_MAX},
    {"title", JV_STRING, JV_REQUIRED, "协议名称", .max = 80},
    {"valid_from", JV_DATE, JV_REQUIRED, "生效日期"},
    {"valid_to", JV_DATE, JV_NULLABLE, "截止日期"},
    {0},
};

typedef struct agr_ctx {
    gh_ctx *x;
    const json_t *body;
    int64_t org_id, id;
} agr_ctx;

static int agr_tx(store_conn *db, void *p, gh_err *e)
{
    agr_ctx *c = p;
    const json_t *b = c->body;
    char ts[32];
    ts_now(ts);
    store_res r;
    int rc = store_query(db, &r,
        "INSERT INTO retreat_agreements (org_id, partner_org_id, title, valid_from, valid_to, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        SV_ARGS(SV_I(c->org_id), SV_I(jv_int(b, "partner_org_id", 0)), SV_T(jv_str(b, "title")),
                SV_T(jv_str(b, "valid_from")), SV_T(jv_str(b, "valid_to")), SV_IZ(c->x->actor->user_id), SV_T(ts)),
        e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) c->id = store_int(&r, 0);
    store_done(&r);
    if (rc < 0) return rc;
    return audit_record(c->x, "retreat.agreement.create", "retreat_agreement", c->id, c->org_id, "ok", b, e);
}

static const list_col agreement_cols[] = {
    {"id", "g.id", COL_INT},
    {"org_id", "g.org_id", COL_INT},
    {"org_name", "x.name", COL_STR},
    {"partner_org_id", "g.partner_org_id", COL_INT},
    {"partner_org_name", "y.name", COL_STR},
    {"title", "g.title", COL_STR},
    {"valid_from", "g.valid_from", COL_STR},
    {"valid_to", "g.valid_to", COL_STR},
    {"created_at", "g.created_at", COL_STR},
    {0},
};
static const list_spec agreement_spec = {agreement_cols};
#define AGR_FROM "retreat_agreements g JOIN orgs x ON x.id = g.org_id JOIN orgs y ON y.id = g.partner_org_id"

int retreat_agreement_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责");
    int rc = jv_check(body, agreement_fields, e);
    if (rc) return rc;
    if (blank(jv_str(body, "title"))) return err_set(e, ERR_INVALID, "missing_field", "title", "“协议名称”不能为空");
    const char *to = jv_str(body, "valid_to");
    if (to && strcmp(to, jv_str(body, "valid_from")) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", "valid_to", "截止日期不能早于生效日期");
    agr_ctx c = {x, body, jv_int(body, "org_id", x->actor->org_id), 0};
    if (!c.org_id) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请选择本方工会");
    char mine[GH_PATH_MAX], theirs[GH_PATH_MAX];
    rc = org_scope_path(x, c.org_id, mine, e);
    if (rc) return rc;
    rc = org_path(x->db, jv_int(body, "partner_org_id", 0), theirs, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_INVALID, "org_not_found", "partner_org_id", "合作方工会不存在");
    if (rc) return rc;
    /* Cooperation is between separate trees: neither may contain the other. */
    if (strncmp(theirs, mine, strlen(mine)) == 0 || strncmp(mine, theirs, strlen(theirs)) == 0)
        return err_set(e, ERR_INVALID, "same_tree", "partner_org_id", "合作方不能是本方工会的上级或下级组织");
    rc = store_tx(x->db, STORE_WRITE, agr_tx, &c, e);
    if (rc) return rc;
    rc = list_one(x->db, &agreement_spec, NULL, NULL, AGR_FROM " WHERE g.id = $1", SV_ARGS(SV_I(c.id)), out, NULL, e);
    return rc == ERR_NOT_FOUND ? err_set(e, ERR_STORE, NULL, NULL, NULL) : rc;
}

int retreat_agreement_list(gh_ctx *x, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看合作协议的权限");
    char hi[GH_PATH_MAX];
    store_prefix_bound(a->scope, hi, sizeof hi);
    list_page pg;
    list_page_init(&pg, 1, 100);
    /* Either party inside the scope, or above it (an agreement of one's
     * province covers one's own routes too). */
    return list_run_cols(x->db, agreement_cols,
                         AGR_FROM " WHERE (x.path >= $1 AND x.path < $2) OR (y.path >= $1 AND y.path < $2)"
                         " OR substr($1, 1, length(x.path)) = x.path OR substr($1, 1, length(y.path)) = y.path",
                         "g.id DESC", SV_ARGS(SV_T(a->scope), SV_T(hi)), &pg, out, e);
}

const jv_field retreat_reason_fields[] = {
    {"reason", JV_STRING, 0, "原因", .max = 200},
    {0},
};

const jv_field retreat_route_status_fields[] = {
    {"status", JV_STRING, JV_REQUIRED, "状态", .max = 20},
    {0},
};

const jv_field retreat_complete_fields[] = {
    {"no_show", JV_ARRAY, 0, "未出行的预订", .max = 10000},
    {0},
};

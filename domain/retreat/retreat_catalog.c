/* retreat_catalog.c — the public recuperation catalogue (no log-in): the
 * route list with filters, a route's page, the filter facets and the
 * headline figures, as finished JSON text.
 *
 * When a campaign opens, a large share of a province's members open the
 * same few pages within minutes. Each answer is built with a fixed number
 * of statements (the page, its count, one query for the page's themes) and
 * then kept for RETREAT_CATALOG_TTL_MS in a small in-process cache keyed by
 * the normalised request, so a burst of identical requests costs one
 * build. Every write of the retreat capability bumps a generation counter
 * (retreat_catalog_touch), which invalidates the whole cache of this
 * process at once; other processes catch up within the TTL. The cache is
 * an optimisation only: nothing is decided from it (a booking always takes
 * its seat in the database). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/jsonv.h"
#include "base/jsonw.h"
#include "base/valid.h"
#include "domain/core/list.h"
#include "domain/provider/provider.h"
#include "domain/retreat/retreat.h"
#include "domain/retreat/retreat_internal.h"

/* ---- the cache ---- */

#define CACHE_SLOTS 256

typedef struct cache_slot {
    char *key;
    char *body;
    size_t len;
    int64_t at_ms;
    uint64_t gen;
} cache_slot;

static cache_slot slots[CACHE_SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint_fast64_t generation = 1;

void retreat_catalog_touch(void) { atomic_fetch_add(&generation, 1); }

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static size_t slot_of(const char *key)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) h = (h ^ *p) * 16777619u;
    return h % CACHE_SLOTS;
}

/* A copy of the cached answer for key, if fresh. */
static int cache_get(const char *key, char **body, size_t *len)
{
    uint64_t g = atomic_load(&generation);
    int64_t now = mono_ms();
    int hit = 0;
    pthread_mutex_lock(&cache_mu);
    cache_slot *s = &slots[slot_of(key)];
    if (s->key && s->gen == g && now - s->at_ms < RETREAT_CATALOG_TTL_MS && strcmp(s->key, key) == 0) {
        *body = malloc(s->len + 1);
        if (*body) {
            memcpy(*body, s->body, s->len + 1);
            *len = s->len;
            hit = 1;
        }
    }
    pthread_mutex_unlock(&cache_mu);
    return hit;
}

/* Keep a copy of an answer built under generation g (read before the
 * build began: a write during the build leaves the entry already stale). */
static void cache_put(const char *key, const char *body, size_t len, uint64_t g, int64_t at)
{
    char *k = strdup(key), *b = malloc(len + 1);
    if (!k || !b) {
        free(k);
        free(b);
        return;
    }
    memcpy(b, body, len + 1);
    pthread_mutex_lock(&cache_mu);
    cache_slot *s = &slots[slot_of(key)];
    char *ok = s->key, *ob = s->body;
    *s = (cache_slot){k, b, len, at, g};
    pthread_mutex_unlock(&cache_mu);
    free(ok);
    free(ob);
}

typedef int (*build_fn)(gh_ctx *x, const void *arg, json_t **out, gh_err *e);

/* The cached answer for key, or build it, keep it, and hand it out. */
static int cached(gh_ctx *x, const char *key, build_fn fn, const void *arg, char **json, size_t *len, gh_err *e)
{
    if (cache_get(key, json, len)) return 0;
    uint64_t g = atomic_load(&generation);
    int64_t at = mono_ms();
    json_t *o = NULL;
    int rc = fn(x, arg, &o, e);
    if (rc) return rc;
    *json = jsonw_dump(o, len);
    json_decref(o);
    if (!*json) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    cache_put(key, *json, *len, g, at);
    return 0;
}

/* ---- the list ---- */

static const char *const sorts[] = {"newest", "price_asc", "price_desc", "days", NULL};
static const char *const sort_sql[] = {"r.id DESC", "r.price_fen - r.subsidy_fen, r.id DESC",
                                       "r.price_fen - r.subsidy_fen DESC, r.id DESC", "r.days, r.id DESC"};

static int region_ok(const char *s)
{
    size_t n = strlen(s);
    return (n == 2 || n == 4 || n == 6) && strspn(s, "0123456789") == n;
}

static int check_query(const retreat_catalog_query *q, gh_err *e)
{
    if (q->theme && utf8_chars(q->theme) > 10)
        return err_set(e, ERR_INVALID, "invalid_query", "theme", "主题不能超过 10 个字");
    if (q->region && *q->region && !region_ok(q->region))
        return err_set(e, ERR_INVALID, "invalid_query", "region", "地区应为 2、4 或 6 位行政区划代码");
    if (q->q && utf8_chars(q->q) > 30) return err_set(e, ERR_INVALID, "invalid_query", "q", "搜索词不能超过 30 个字");
    if (q->provider_kind && *q->provider_kind && jv_choice_index(provider_kinds, q->provider_kind) < 0)
        return err_set(e, ERR_INVALID, "invalid_query", "provider_kind", "机构类型取值无效");
    if (q->sort && *q->sort && jv_choice_index(sorts, q->sort) < 0)
        return err_set(e, ERR_INVALID, "invalid_query", "sort", "排序方式应为 newest、price_asc、price_desc 或 days");
    if (q->min_days < 0 || q->min_days > 30 || q->max_days < 0 || q->max_days > 30)
        return err_set(e, ERR_INVALID, "invalid_query", q->min_days < 0 || q->min_days > 30 ? "min_days" : "max_days",
                       "天数应为 1 到 30");
    if (q->min_price_fen < -1 || q->max_price_fen < -1 || q->min_price_fen > 100000000 || q->max_price_fen > 100000000)
        return err_set(e, ERR_INVALID, "invalid_query", q->min_price_fen < -1 || q->min_price_fen > 100000000 ? "min_price_fen" : "max_price_fen",
                       "价格应为 0 到 100000000 分");
    if (q->collection_id < 0) return err_set(e, ERR_INVALID, "invalid_query", "collection_id", "专题编号无效");
    return 0;
}

static json_t *card_row(store_res *r, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    int64_t price = store_int(r, 6), subsidy = store_int(r, 7);
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "title", list_col_str(r, 1));
    json_object_set_new(o, "summary", list_col_str(r, 2));
    json_object_set_new(o, "destination", list_col_str(r, 3));
    json_object_set_new(o, "region_code", list_col_str(r, 4));
    json_object_set_new(o, "days", json_integer(store_int(r, 5)));
    json_object_set_new(o, "price_fen", json_integer(price));
    json_object_set_new(o, "subsidy_fen", json_integer(subsidy));
    json_object_set_new(o, "member_price_fen", json_integer(price - subsidy));
    json_object_set_new(o, "org_id", json_integer(store_int(r, 8)));
    json_object_set_new(o, "org_name", list_col_str(r, 9));
    json_object_set_new(o, "min_member_years", json_integer(store_int(r, 10)));
    json_object_set_new(o, "frontline_only", json_boolean(store_int(r, 11)));
    json_object_set_new(o, "next_departure", json_null());
    json_object_set_new(o, "seats_left", json_integer(0));
    json_object_set_new(o, "departures", json_integer(0));
    json_object_set_new(o, "seats_left_all", json_integer(0));
    json_object_set_new(o, "provider_name", json_null());
    json_object_set_new(o, "provider_kind", json_null());
    json_object_set_new(o, "themes", json_array());
    json_object_set_new(o, "photo", json_null());
    return o;
}

/* The card of route id on this page, or NULL. */
static json_t *card_of(json_t *items, int64_t id)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) if (json_integer_value(json_object_get(it, "id")) == id) return it;
    return NULL;
}

/* What the cards show beyond the route's own row — its themes, its main
 * provider, and its open departures ahead (next date, seats left, count) —
 * in one statement each for the whole page. Computing these per route
 * inside the page query would run them for every matching route before the
 * sort, not just for the twenty shown. */
static int attach_page(store_conn *db, json_t *items, const char *today, gh_err *e)
{
    size_t n = json_array_size(items);
    if (!n) return 0;
    if (n > LIST_MAX_PER_PAGE) n = LIST_MAX_PER_PAGE;
    store_val args[LIST_MAX_PER_PAGE + 1];
    buf in = {0};
    for (size_t i = 0; i < n; i++) {
        args[i] = SV_I(json_integer_value(json_object_get(json_array_get(items, i), "id")));
        buf_printf(&in, "%s$%zu", i ? ", " : "", i + 1);
    }
    args[n] = SV_T(today);
    /* (today is the parameter after the ids) */
    static const char *const parts[4][2] = {
        {"SELECT route_id, theme FROM retreat_route_themes WHERE route_id IN (", ") ORDER BY route_id, theme"},
        {"SELECT rp.route_id, p.name, p.kind FROM retreat_route_providers rp JOIN providers p ON p.id = rp.provider_id"
         " WHERE rp.position = 0 AND rp.route_id IN (", ")"},
        /* the next departure's own seats (not a sum over all dates, which
         * would promise seats the next trip does not have), the seats of
         * every open departure, and how many there are */
        {"SELECT d.route_id, d.depart_date, d.seats_left,"
         " (SELECT COUNT(*) FROM retreat_departures c WHERE c.route_id = d.route_id AND c.status = 'open'"
         "  AND c.depart_date > d2.today),"
         " (SELECT SUM(c.seats_left) FROM retreat_departures c WHERE c.route_id = d.route_id AND c.status = 'open'"
         "  AND c.depart_date > d2.today)"
         " FROM retreat_departures d JOIN (SELECT CAST($", " AS TEXT) AS today) d2 ON 1 = 1"
         " WHERE d.status = 'open' AND d.depart_date > d2.today AND d.id = (SELECT m.id FROM retreat_departures m"
         "  WHERE m.route_id = d.route_id AND m.status = 'open' AND m.depart_date > d2.today"
         "  ORDER BY m.depart_date, m.id LIMIT 1) AND d.route_id IN ("},
        /* the cover: the route's first photo, else its main provider's */
        {"SELECT x.route_id, x.owner_type, x.owner_id, x.id, x.width, x.height FROM ("
         "SELECT p.owner_id AS route_id, 0 AS k, p.owner_type, p.owner_id, p.id, p.width, p.height, p.position"
         " FROM photos p WHERE p.owner_type = 'route' AND p.owner_id IN (",
         ") UNION ALL SELECT rp.route_id, 1, p.owner_type, p.owner_id, p.id, p.width, p.height, p.position"
         " FROM retreat_route_providers rp JOIN photos p ON p.owner_type = 'provider' AND p.owner_id = rp.provider_id"
         " WHERE rp.position = 0 AND rp.route_id IN ("},
    };
    int rc = in.oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL) : 0;
    for (int k = 0; k < 4 && rc == 0; k++) {
        buf sql = {0};
        buf_puts(&sql, parts[k][0]);
        if (k == 3) {
            buf_puts(&sql, buf_str(&in));
            buf_puts(&sql, parts[k][1]);
            buf_puts(&sql, buf_str(&in));
            buf_puts(&sql, ")) x ORDER BY x.route_id, x.k, x.position, x.id");
        } else if (k == 2) {
            buf_printf(&sql, "%zu", n + 1);
            buf_puts(&sql, parts[k][1]);
            buf_puts(&sql, buf_str(&in));
            buf_puts(&sql, ")");
        } else {
            buf_puts(&sql, buf_str(&in));
            buf_puts(&sql, parts[k][1]);
        }
        store_res r;
        rc = sql.oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL)
                     : store_query(db, &r, buf_str(&sql), args, (int)n + (k == 2), e);
        buf_free(&sql);
        if (rc) break;
        while ((rc = store_next(&r, e)) > 0) {
            json_t *it = card_of(items, store_int(&r, 0));
            if (!it) continue;
            if (k == 0) {
                json_array_append_new(json_object_get(it, "themes"), json_string(store_text(&r, 1)));
            } else if (k == 1) {
                json_object_set_new(it, "provider_name", list_col_str(&r, 1));
                json_object_set_new(it, "provider_kind", list_col_str(&r, 2));
            } else if (k == 3) {
                if (!json_is_null(json_object_get(it, "photo"))) continue; /* the first one is the cover */
                const char *owner = store_text(&r, 1);
                char url[120];
                snprintf(url, sizeof url, "/api/v1/%s/%lld/photos/%lld",
                         strcmp(owner, "route") == 0 ? "retreat/routes" : "providers", (long long)store_int(&r, 2),
                         (long long)store_int(&r, 3));
                json_object_set_new(it, "photo", json_pack("{s:s, s:I, s:I}", "url", url, "width",
                                                           (json_int_t)store_int(&r, 4), "height",
                                                           (json_int_t)store_int(&r, 5)));
            } else {
                json_object_set_new(it, "next_departure", list_col_str(&r, 1));
                json_object_set_new(it, "seats_left", json_integer(store_int(&r, 2)));
                json_object_set_new(it, "departures", json_integer(store_int(&r, 3)));
                json_object_set_new(it, "seats_left_all", json_integer(store_int(&r, 4)));
            }
        }
        store_done(&r);
        if (rc > 0) rc = 0;
    }
    buf_free(&in);
    return rc < 0 ? rc : 0;
}

static int build_list(gh_ctx *x, const void *arg, json_t **out, gh_err *e)
{
    const retreat_catalog_query *q = arg;
    char today[11];
    rt_today(today);
    sqlw w;
    sqlw_init(&w, "retreat_routes r JOIN orgs o ON o.id = r.org_id WHERE r.listed = 1", SV_NONE);
    if (q->theme && *q->theme)
        SQLW_AND(&w, "r.id IN (SELECT t.route_id FROM retreat_route_themes t WHERE t.theme = ?)", SV_T(q->theme));
    char rhi[8];
    if (q->region && *q->region) {
        /* Digits only: the next prefix of the same length bounds the range. */
        snprintf(rhi, sizeof rhi, "%s", q->region);
        rhi[strlen(rhi) - 1]++;
        SQLW_AND(&w, "r.region_code >= ? AND r.region_code < ?", SV_T(q->region), SV_T(rhi));
    }
    char *like = NULL;
    if (q->q && *q->q) {
        like = store_like_pattern(q->q);
        SQLW_AND(&w, "r.title LIKE ? ESCAPE '\\' OR r.destination LIKE ? ESCAPE '\\'", SV_T(like), SV_T(like));
    }
    if (q->provider_kind && *q->provider_kind)
        SQLW_AND(&w,
                 "r.id IN (SELECT rp.route_id FROM retreat_route_providers rp JOIN providers p ON p.id = rp.provider_id"
                 " WHERE p.kind = ?)",
                 SV_T(q->provider_kind));
    if (q->collection_id)
        SQLW_AND(&w,
                 "r.id IN (SELECT cr.route_id FROM retreat_collection_routes cr JOIN retreat_collections c"
                 " ON c.id = cr.collection_id WHERE cr.collection_id = ? AND c.published = 1)",
                 SV_I(q->collection_id));
    if (q->min_days) SQLW_AND(&w, "r.days >= ?", SV_I(q->min_days));
    if (q->max_days) SQLW_AND(&w, "r.days <= ?", SV_I(q->max_days));
    if (q->min_price_fen >= 0) SQLW_AND(&w, "r.price_fen - r.subsidy_fen >= ?", SV_I(q->min_price_fen));
    if (q->max_price_fen >= 0) SQLW_AND(&w, "r.price_fen - r.subsidy_fen <= ?", SV_I(q->max_price_fen));
    if (q->has_seats)
        SQLW_AND(&w,
                 "EXISTS (SELECT 1 FROM retreat_departures d WHERE d.route_id = r.id AND d.status = 'open'"
                 " AND d.depart_date > ? AND d.seats_left > 0)",
                 SV_T(today));
    const char *cols = "r.id, r.title, substr(r.summary, 1, 80), r.destination, r.region_code, r.days, r.price_fen,"
                       " r.subsidy_fen, r.org_id, o.name, r.min_member_years, r.frontline_only";
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    int s = q->sort && *q->sort ? jv_choice_index(sorts, q->sort) : 0;
    int rc = w.failed || w.sql.oom
                 ? err_set(e, ERR_INTERNAL, NULL, NULL, NULL)
                 : list_run(x->db, cols, buf_str(&w.sql), sort_sql[s < 0 ? 0 : s], w.args, w.n, &pg, card_row, NULL,
                            out, e);
    sqlw_free(&w);
    free(like);
    if (rc == 0) {
        rc = attach_page(x->db, json_object_get(*out, "items"), today, e);
        if (rc) {
            json_decref(*out);
            *out = NULL;
        }
    }
    return rc;
}

int retreat_catalog_list(gh_ctx *x, const retreat_catalog_query *q, char **json, size_t *len, gh_err *e)
{
    int rc = check_query(q, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    buf key = {0};
    /* Free text is length-prefixed so no two queries share a key. */
    const char *th = q->theme ? q->theme : "", *qq = q->q ? q->q : "";
    buf_printf(&key, "L|%zu:%s|%s|%zu:%s|%s|%s|%lld|%lld-%lld|%lld-%lld|%d|%d|%d", strlen(th), th,
               q->region ? q->region : "", strlen(qq), qq, q->provider_kind ? q->provider_kind : "",
               q->sort ? q->sort : "", (long long)q->collection_id, (long long)q->min_days, (long long)q->max_days,
               (long long)q->min_price_fen, (long long)q->max_price_fen, q->has_seats != 0, pg.page, pg.per_page);
    rc = key.oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL) : cached(x, buf_str(&key), build_list, q, json, len, e);
    buf_free(&key);
    return rc;
}

/* ---- one route ---- */

static int build_route(gh_ctx *x, const void *arg, json_t **out, gh_err *e)
{
    return rt_route_json(x->db, *(const int64_t *)arg, 0, out, e);
}

int retreat_catalog_route(gh_ctx *x, int64_t id, char **json, size_t *len, gh_err *e)
{
    char key[40];
    snprintf(key, sizeof key, "R|%lld", (long long)id);
    return cached(x, key, build_route, &id, json, len, e);
}

/* ---- facets ---- */

static const struct {
    const char *code, *name;
} provinces[] = {
    {"11", "北京市"}, {"12", "天津市"}, {"13", "河北省"}, {"14", "山西省"}, {"15", "内蒙古自治区"},
    {"21", "辽宁省"}, {"22", "吉林省"}, {"23", "黑龙江省"}, {"31", "上海市"}, {"32", "江苏省"},
    {"33", "浙江省"}, {"34", "安徽省"}, {"35", "福建省"}, {"36", "江西省"}, {"37", "山东省"},
    {"41", "河南省"}, {"42", "湖北省"}, {"43", "湖南省"}, {"44", "广东省"}, {"45", "广西壮族自治区"},
    {"46", "海南省"}, {"50", "重庆市"}, {"51", "四川省"}, {"52", "贵州省"}, {"53", "云南省"},
    {"54", "西藏自治区"}, {"61", "陕西省"}, {"62", "甘肃省"}, {"63", "青海省"}, {"64", "宁夏回族自治区"},
    {"65", "新疆维吾尔自治区"}, {"71", "台湾省"}, {"81", "香港特别行政区"}, {"82", "澳门特别行政区"},
};

static const char *province_name(const char *code)
{
    for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
        if (strncmp(provinces[i].code, code, 2) == 0) return provinces[i].name;
    return code;
}

static int build_facets(gh_ctx *x, const void *arg, json_t **out, gh_err *e)
{
    (void)arg;
    store_res r;
    json_t *o = json_pack("{s:[], s:[], s:[], s:[]}", "themes", "provinces", "collections", "provider_kinds");
    int rc = store_query(x->db, &r,
        "SELECT t.theme, COUNT(*) FROM retreat_route_themes t JOIN retreat_routes r ON r.id = t.route_id"
        " WHERE r.listed = 1 GROUP BY t.theme ORDER BY COUNT(*) DESC, t.theme LIMIT 40",
        SV_NONE, e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(json_object_get(o, "themes"),
                              json_pack("{s:s, s:I}", "name", store_text(&r, 0), "count", (json_int_t)store_int(&r, 1)));
    store_done(&r);
    if (rc < 0) goto done;
    rc = store_query(x->db, &r,
        "SELECT substr(region_code, 1, 2), COUNT(*) FROM retreat_routes WHERE listed = 1 GROUP BY substr(region_code, 1, 2)"
        " ORDER BY 1",
        SV_NONE, e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0) {
        char code[3];
        snprintf(code, sizeof code, "%s", store_text(&r, 0));
        json_array_append_new(json_object_get(o, "provinces"),
                              json_pack("{s:s, s:s, s:I}", "code", code, "name", province_name(code), "count",
                                        (json_int_t)store_int(&r, 1)));
    }
    store_done(&r);
    if (rc < 0) goto done;
    rc = store_query(x->db, &r,
        "SELECT c.id, c.title, c.description, o.name, COUNT(r.id) FROM retreat_collections c"
        " JOIN orgs o ON o.id = c.org_id JOIN retreat_collection_routes cr ON cr.collection_id = c.id"
        " JOIN retreat_routes r ON r.id = cr.route_id AND r.listed = 1 WHERE c.published = 1"
        " GROUP BY c.id, c.title, c.description, o.name ORDER BY c.id",
        SV_NONE, e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(json_object_get(o, "collections"),
                              json_pack("{s:I, s:s, s:o, s:s, s:I}", "id", (json_int_t)store_int(&r, 0), "title",
                                        store_text(&r, 1), "description", list_col_str(&r, 2), "org_name",
                                        store_text(&r, 3), "count", (json_int_t)store_int(&r, 4)));
    store_done(&r);
    if (rc < 0) goto done;
    rc = store_query(x->db, &r,
        "SELECT p.kind, COUNT(DISTINCT r.id) FROM retreat_routes r JOIN retreat_route_providers rp ON rp.route_id = r.id"
        " JOIN providers p ON p.id = rp.provider_id WHERE r.listed = 1 GROUP BY p.kind ORDER BY p.kind",
        SV_NONE, e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(json_object_get(o, "provider_kinds"),
                              json_pack("{s:s, s:I}", "kind", store_text(&r, 0), "count", (json_int_t)store_int(&r, 1)));
    store_done(&r);
    if (rc < 0) goto done;
    *out = o;
    o = NULL;
done:
    json_decref(o);
    return rc;
}

int retreat_catalog_facets(gh_ctx *x, char **json, size_t *len, gh_err *e)
{
    return cached(x, "F", build_facets, NULL, json, len, e);
}

static int build_headline(gh_ctx *x, const void *arg, json_t **out, gh_err *e)
{
    return retreat_headline(x, *(const int64_t *)arg, out, e);
}

int retreat_catalog_headline(gh_ctx *x, int64_t org_id, char **json, size_t *len, gh_err *e)
{
    char key[40];
    snprintf(key, sizeof key, "H|%lld", (long long)org_id);
    return cached(x, key, build_headline, &org_id, json, len, e);
}

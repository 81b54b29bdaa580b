/* retreat_import.c — the initial load of recuperation routes from a CSV as
 * Excel writes it (UTF-8, BOM or GBK): one row per route, checked by the
 * same rules as the API (rt_route_check), all rows or none. Lists inside a
 * cell are separated by 、 ， ; ； or | (themes, inclusions, providers,
 * eligible orgs); the itinerary is one cell with a day per line or per "|",
 * each "第1天 标题：说明" (the "第N天" prefix optional, days in order).
 * Providers are named by number or by their exact registered name. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/jsonv.h"
#include "base/money.h"
#include "domain/core/audit.h"
#include "domain/org/org.h"
#include "domain/retreat/retreat.h"
#include "domain/retreat/retreat_internal.h"

static const char *const cols[] = {
    "线路编号|编号|code", "线路名称|名称|title", "简介|线路简介|summary", "目的地|destination",
    "行政区划代码|区划代码|region_code", "天数|days", "全价|全价（元）|价格|price", "工会补助|补助|补助（元）|subsidy",
    "主题|themes", "服务机构|providers", "行程|行程安排|itinerary", "费用包含|包含|inclusions",
    "可预订工会编号|可预订工会|eligible_org_ids", "入会年限|入会年限要求|min_member_years", "仅限一线职工|frontline_only",
    "确认方式|confirm_mode", "状态|status", "主办工会编号|org_id",
};
enum { C_CODE, C_TITLE, C_SUMMARY, C_DEST, C_REGION, C_DAYS, C_PRICE, C_SUBSIDY, C_THEMES, C_PROVIDERS, C_ITIN,
       C_INCL, C_ORGS, C_YEARS, C_FRONT, C_CONFIRM, C_STATUS, C_ORG, C_N };
static const char *const fields[C_N] = {"code", "title", "summary", "destination", "region_code", "days", "price_fen",
                                        "subsidy_fen", "themes", "provider_ids", "itinerary", "inclusions",
                                        "eligible_org_ids", "min_member_years", "frontline_only", "confirm_mode",
                                        "status", "org_id"};

/* Split s at any of the list separators into trimmed, non-empty parts. */
static json_t *split_list(const char *s)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";", "|", "\n", NULL};
    json_t *out = json_array();
    buf cur = {0};
    for (const char *p = s;; ) {
        size_t sl = 0;
        for (int i = 0; seps[i] && *p; i++)
            if (strncmp(p, seps[i], strlen(seps[i])) == 0) sl = strlen(seps[i]);
        if (!*p || sl) {
            const char *t = buf_str(&cur);
            while (*t == ' ' || *t == '\r') t++;
            size_t n = strlen(t);
            while (n && (t[n - 1] == ' ' || t[n - 1] == '\r')) n--;
            if (n) json_array_append_new(out, json_stringn(t, n));
            buf_reset(&cur);
            if (!*p) break;
            p += sl;
            continue;
        }
        buf_putc(&cur, *p++);
    }
    buf_free(&cur);
    return out;
}

/* "第1天 抵达淮安：参观周恩来纪念馆" → {day, title, detail}. */
static json_t *parse_days(const char *s, int *bad)
{
    json_t *out = json_array();
    buf cur = {0};
    int day = 0;
    *bad = 0;
    for (const char *p = s;; p++) {
        if (*p && *p != '|' && *p != '\n') {
            buf_putc(&cur, *p);
            continue;
        }
        const char *t = buf_str(&cur);
        while (*t == ' ' || *t == '\r') t++;
        if (*t) {
            day++;
            if (strncmp(t, "第", 3) == 0) {
                char *end;
                long n = strtol(t + 3, &end, 10);
                if (end != t + 3 && strncmp(end, "天", 3) == 0) {
                    if (n != day) *bad = 1;
                    t = end + 3;
                    while (*t == ' ' || strncmp(t, "：", 3) == 0 || *t == ':') t += *t == ' ' || *t == ':' ? 1 : 3;
                }
            }
            const char *colon = strstr(t, "：");
            size_t cl = 3;
            const char *ascii = strchr(t, ':');
            if (!colon || (ascii && ascii < colon)) colon = ascii, cl = 1;
            json_t *o = json_pack("{s:i}", "day", day);
            size_t tl = colon ? (size_t)(colon - t) : strlen(t);
            while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\r')) tl--;
            json_object_set_new(o, "title", json_stringn(t, tl));
            if (colon) {
                const char *d = colon + cl;
                while (*d == ' ') d++;
                size_t dl = strlen(d);
                while (dl && (d[dl - 1] == ' ' || d[dl - 1] == '\r')) dl--;
                if (dl) json_object_set_new(o, "detail", json_stringn(d, dl));
            }
            json_array_append_new(out, o);
        }
        buf_reset(&cur);
        if (!*p) break;
    }
    buf_free(&cur);
    return out;
}

static int yes_no(const char *s, int *out)
{
    if (!strcmp(s, "是") || !strcmp(s, "Y") || !strcmp(s, "y") || !strcmp(s, "1") || !strcmp(s, "true")) return *out = 1, 0;
    if (!*s || !strcmp(s, "否") || !strcmp(s, "N") || !strcmp(s, "n") || !strcmp(s, "0") || !strcmp(s, "false"))
        return *out = 0, 0;
    return -1;
}

typedef struct file_ctx {
    int64_t org_id;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    json_t *codes;
} rimport_ctx;

/* A provider by number or exact name: 1 found, 0 not, -2 ambiguous. */
static int provider_ref(store_conn *db, const char *s, int64_t *id, gh_err *e)
{
    char *end;
    long long n = strtoll(s, &end, 10);
    if (*s && !*end && n > 0) {
        *id = n;
        return 1;
    }
    store_res r;
    int rc = store_query(db, &r, "SELECT id FROM providers WHERE name = $1 ORDER BY id LIMIT 2", SV_ARGS(SV_T(s)), e);
    if (rc) return rc;
    int found = 0;
    while ((rc = store_next(&r, e)) > 0) {
        if (!found) *id = store_int(&r, 0);
        found++;
    }
    store_done(&r);
    if (rc < 0) return rc;
    return found > 1 ? -2 : found;
}

static int route_row_check(const json_t *b, void *arg, gh_err *e)
{
    rt_route_in in;
    int rc = rt_route_check(arg, b, &in, e);
    if (rc == 0) rt_route_in_free(&in);
    return rc;
}

static int import_row(importer *im, void *p, gh_err *e)
{
    rimport_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    json_t *b = json_object();
    const char *bad = NULL;
    char why[200] = "";
    const char *status = NULL;
    for (int k = 0; k < C_N; k++) {
        const char *v = import_field(im, k);
        if (!*v) continue;
        switch (k) {
        case C_DAYS:
        case C_YEARS:
        case C_ORG: {
            char *end;
            long long n = strtoll(v, &end, 10);
            if (*end || n < 0) bad = fields[k], snprintf(why, sizeof why, "应为非负整数");
            else json_object_set_new(b, fields[k], json_integer(n));
            break;
        }
        case C_PRICE:
        case C_SUBSIDY: {
            int64_t fen;
            if (money_parse(v, &fen, NULL) || fen < 0) bad = fields[k], snprintf(why, sizeof why, "应为金额（元，最多两位小数）");
            else json_object_set_new(b, fields[k], json_integer(fen));
            break;
        }
        case C_THEMES:
        case C_INCL:
            json_object_set_new(b, fields[k], split_list(v));
            break;
        case C_ORGS: {
            json_t *parts = split_list(v), *ids = json_array(), *it;
            size_t i;
            json_array_foreach(parts, i, it) {
                char *end;
                long long n = strtoll(json_string_value(it), &end, 10);
                if (*end || n <= 0) bad = fields[k], snprintf(why, sizeof why, "应为组织编号，多个用“、”分隔");
                else json_array_append_new(ids, json_integer(n));
            }
            json_decref(parts);
            json_object_set_new(b, fields[k], ids);
            break;
        }
        case C_PROVIDERS: {
            json_t *parts = split_list(v), *ids = json_array(), *it;
            size_t i;
            json_array_foreach(parts, i, it) {
                int64_t id = 0;
                int f = provider_ref(x->db, json_string_value(it), &id, e);
                if (f < 0 && f != -2) {
                    json_decref(parts);
                    json_decref(ids);
                    json_decref(b);
                    return f;
                }
                if (f == 1) {
                    json_array_append_new(ids, json_integer(id));
                } else if (!bad) {
                    bad = fields[k];
                    snprintf(why, sizeof why, f == -2 ? "服务机构“%s”有重名，请填写机构编号" : "服务机构“%s”未登记",
                             json_string_value(it));
                }
            }
            json_decref(parts);
            json_object_set_new(b, fields[k], ids);
            break;
        }
        case C_ITIN: {
            int order = 0;
            json_object_set_new(b, fields[k], parse_days(v, &order));
            if (order) bad = fields[k], snprintf(why, sizeof why, "行程须按第1天、第2天……的顺序逐日填写");
            break;
        }
        case C_FRONT: {
            int yn;
            if (yes_no(v, &yn)) bad = fields[k], snprintf(why, sizeof why, "应填“是”或“否”");
            else json_object_set_new(b, fields[k], json_boolean(yn));
            break;
        }
        case C_CONFIRM:
            if (!strcmp(v, "即时确认") || !strcmp(v, "instant")) json_object_set_new(b, fields[k], json_string("instant"));
            else if (!strcmp(v, "工会确认") || !strcmp(v, "union")) json_object_set_new(b, fields[k], json_string("union"));
            else bad = fields[k], snprintf(why, sizeof why, "应为“即时确认”或“工会确认”（空表示按政策）");
            break;
        case C_STATUS:
            if (!strcmp(v, "发布") || !strcmp(v, "已发布") || !strcmp(v, "published")) status = "published";
            else if (strcmp(v, "草稿") != 0 && strcmp(v, "draft") != 0)
                bad = fields[k], snprintf(why, sizeof why, "应为“发布”或“草稿”");
            break;
        default: {
            json_t *s = json_string(v);
            if (!s) bad = fields[k], snprintf(why, sizeof why, "包含无效字符");
            else json_object_set_new(b, fields[k], s);
        }
        }
        /* each bad cell is reported; the row is checked without it */
        if (bad) {
            import_error(im, bad, why);
            json_object_del(b, bad);
            bad = NULL;
        }
    }
    if (!json_object_get(b, "org_id")) json_object_set_new(b, "org_id", json_integer(c->org_id));
    if (!json_object_get(b, "provider_ids")) json_object_set_new(b, "provider_ids", json_array());
    int bad_row = import_check_each(im, b, route_row_check, x, NULL, e);
    if (bad_row) {
        json_decref(b);
        return bad_row < 0 ? bad_row : 0;
    }
    rt_route_in in;
    gh_err re;
    err_clear(&re);
    if (rt_route_check(x, b, &in, &re)) {
        if (re.rc != ERR_INVALID && re.rc != ERR_NOT_FOUND && re.rc != ERR_FORBIDDEN) {
            *e = re;
            json_decref(b);
            return re.rc;
        }
        import_error(im, re.field, re.message);
        json_decref(b);
        return 0;
    }
    int rc = 0;
    if (strcmp(in.org_path, c->lo) < 0 || strcmp(in.org_path, c->hi) >= 0) {
        import_error(im, "org_id", "主办工会不在本次导入的组织范围内");
        goto done;
    }
    const char *code = jv_str(b, "code");
    if (code && *code) {
        int64_t n = 0;
        if (json_object_get(c->codes, code)) {
            import_error(im, "code", "与文件中前面的行线路编号重复");
            goto done;
        }
        json_object_set_new(c->codes, code, json_true());
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM retreat_routes WHERE code = $1", SV_ARGS(SV_T(code)), &n, e);
        if (rc) goto done;
        if (n) {
            import_error(im, "code", "该线路编号已存在");
            goto done;
        }
    }
    if (import_writing(im)) {
        int64_t id = 0;
        rc = rt_route_write(x, &in, status, &id, e);
        if (rc == 0) import_count(im);
    }
done:
    rt_route_in_free(&in);
    json_decref(b);
    return rc;
}

static int import_finish(importer *im, void *p, gh_err *e)
{
    rimport_ctx *c = p;
    json_t *d = json_pack("{s:I}", "imported", (json_int_t)import_written(im));
    int rc = audit_record(import_ctx(im), "retreat.route.import", "org", c->org_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int retreat_import_allowed(gh_ctx *x, int64_t org_id, char *path, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养工作职责才能导入服务机构或线路");
    if (org_id <= 0) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请指定导入到哪个工会（org_id）");
    char tmp[GH_PATH_MAX];
    return org_scope_path(x, org_id, path ? path : tmp, e);
}

int retreat_may_import(gh_ctx *x, int64_t org_id, gh_err *e) { return retreat_import_allowed(x, org_id, NULL, e); }

int retreat_route_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                         import_progress_fn progress, void *pctx, json_t **out, gh_err *e)
{
    rimport_ctx c = {.org_id = org_id};
    int rc = retreat_import_allowed(x, org_id, c.lo, e);
    if (rc) return rc;
    store_prefix_bound(c.lo, c.hi, sizeof c.hi);
    static const int required[] = {C_TITLE, C_DEST, C_REGION, C_DAYS, C_PRICE, C_SUBSIDY, C_PROVIDERS, C_ITIN};
    const import_spec spec = {cols, fields, C_N, required, 8, import_row, import_finish};
    c.codes = json_object();
    rc = import_run(x, &spec, data, len, path, dry_run, &c, progress, pctx, out, e);
    json_decref(c.codes);
    if (rc == 0 && !dry_run && json_integer_value(json_object_get(*out, "imported"))) retreat_catalog_touch();
    return rc;
}

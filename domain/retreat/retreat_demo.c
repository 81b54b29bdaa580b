/* retreat_demo.c — the recuperation part of the demo data set (called from
 * demo.c inside its one transaction): providers in Jiangsu and Ningxia (one
 * still applying, one suspended), the two provinces' booking rules and their
 * cooperation agreement, routes with departures, two curated collections,
 * three years of completed trips (their subsidies in the ledger, so the
 * figures have something to state), and current bookings waiting for the
 * unions, with one waiting-list place promoted after a cancellation (that
 * member gets a log-in to see the notice) and a front-desk log-in for the
 * Huai'an provider to see its passenger lists. Everything goes through the
 * domain functions, as the operator at the command line (who alone may
 * record trips that already happened). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "domain/core/demo.h"
#include "domain/member/member.h"
#include "domain/core/policy.h"
#include "domain/provider/provider.h"
#include "domain/retreat/retreat.h"
#include "domain/auth/user.h"

typedef struct demo_env {
    gh_ctx *x;
    int64_t (*org)(void *ctx, const char *key);
    void *octx;
    gh_err *e;
} demo_env;

static int64_t id_of(json_t *o) { return o ? json_integer_value(json_object_get(o, "id")) : 0; }

static int provider(demo_env *d, const char *org, const char *kind, const char *name, const char *region,
                    const char *address, const char *contact, const char *phone, const char *dept, const char *status,
                    const char *reason, int64_t *id)
{
    json_t *b = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)d->org(d->octx, org), "kind",
                          kind, "name", name, "region_code", region, "address", address, "contact_name", contact,
                          "contact_phone", phone, "partner_department", dept);
    json_t *o = NULL;
    int rc = provider_create(d->x, b, &o, d->e);
    json_decref(b);
    *id = id_of(o);
    json_decref(o);
    o = NULL;
    if (rc == 0 && strcmp(status, "applied") != 0)
        rc = provider_set_status(d->x, *id, "admitted", "经工会与文化和旅游部门联合评定，准入疗休养服务目录", &o, d->e);
    json_decref(o);
    o = NULL;
    if (rc == 0 && strcmp(status, "suspended") == 0) rc = provider_set_status(d->x, *id, "suspended", reason, &o, d->e);
    json_decref(o);
    return rc;
}

typedef struct demo_route {
    const char *org, *code, *title, *summary, *destination, *region;
    int days;
    int64_t price, subsidy;
    const char *themes[3];
    int provider; /* index into the providers made */
    const char *days_text[5];
    int min_years, frontline_only;
    int cross; /* 1: also open to the other province (agreement) */
    int publish;
} demo_route;

static const char *const incl[] = {"往返交通", "住宿（标准间）", "一日三餐", "景区门票", "疗休养期间保险", "随团讲解"};

static int route(demo_env *d, const demo_route *r, const int64_t *prov, int64_t *id)
{
    json_t *it = json_array(), *th = json_array(), *in = json_array();
    for (int i = 0; i < r->days; i++) {
        const char *t = r->days_text[i];
        const char *colon = strstr(t, "：");
        json_t *day = json_pack("{s:i, s:s%}", "day", i + 1, "title", t, colon ? (size_t)(colon - t) : strlen(t));
        if (colon) json_object_set_new(day, "detail", json_string(colon + strlen("：")));
        json_array_append_new(it, day);
    }
    for (int i = 0; i < 3 && r->themes[i]; i++) json_array_append_new(th, json_string(r->themes[i]));
    for (int i = 0; i < 6; i++)
        if (i != 5 || r->days >= 4) json_array_append_new(in, json_string(incl[i]));
    json_t *b = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:o, s:o, s:o, s:[I], s:i, s:b}", "org_id",
                          (json_int_t)d->org(d->octx, r->org), "code", r->code, "title", r->title, "summary", r->summary,
                          "destination", r->destination, "region_code", r->region, "days", r->days, "price_fen",
                          (json_int_t)r->price, "subsidy_fen", (json_int_t)r->subsidy, "itinerary", it, "inclusions", in,
                          "themes", th, "provider_ids", (json_int_t)prov[r->provider], "min_member_years", r->min_years,
                          "frontline_only", r->frontline_only);
    if (r->cross) {
        const char *own = strncmp(r->org, "nx", 2) == 0 ? "nx" : "js", *other = strcmp(own, "nx") == 0 ? "js" : "nx";
        json_object_set_new(b, "eligible_org_ids", json_pack("[I, I]", (json_int_t)d->org(d->octx, own),
                                                             (json_int_t)d->org(d->octx, other)));
    }
    json_t *o = NULL;
    int rc = retreat_route_create(d->x, b, &o, d->e);
    json_decref(b);
    *id = id_of(o);
    json_decref(o);
    o = NULL;
    if (rc == 0 && r->publish) rc = retreat_route_set_status(d->x, *id, "published", &o, d->e);
    json_decref(o);
    return rc;
}

static int departure(demo_env *d, int64_t route, int32_t date, int seats, int32_t opens, int64_t *id)
{
    char dd[11], od[11];
    date_format(date, dd);
    json_t *b = json_pack("{s:s, s:i}", "depart_date", dd, "seats", seats);
    if (opens) {
        date_format(opens, od);
        json_object_set_new(b, "opens_on", json_string(od));
    }
    json_t *o = NULL;
    int rc = retreat_departure_create(d->x, route, b, &o, d->e);
    json_decref(b);
    *id = id_of(o);
    json_decref(o);
    return rc;
}

/* Book for a member (as their union would); *id the booking, *status its state. */
static int book(demo_env *d, int64_t dep, int64_t member, int waitlist, int64_t *id)
{
    json_t *b = json_pack("{s:I, s:I, s:b}", "departure_id", (json_int_t)dep, "member_id", (json_int_t)member, "waitlist",
                          waitlist);
    json_t *o = NULL;
    int rc = retreat_book(d->x, b, &o, d->e);
    json_decref(b);
    if (id) *id = id_of(o);
    int pending = o && strcmp(json_string_value(json_object_get(o, "status")), "pending") == 0;
    json_decref(o);
    return rc ? rc : pending;
}

static int confirm(demo_env *d, int64_t booking)
{
    json_t *o = NULL;
    int rc = retreat_booking_confirm(d->x, booking, &o, d->e);
    json_decref(o);
    return rc;
}

/* Members of an org's subtree (by path prefix) who had joined before date
 * (frontline workers only when asked). The demo books only members who may
 * book: a refused booking would roll back the whole demo transaction. */
static int members_of(demo_env *d, const char *org, const char *before, int frontline, int64_t *ids, int max, int *n)
{
    char path[GH_PATH_MAX] = "", hi[GH_PATH_MAX];
    store_res r;
    int rc = store_query(d->x->db, &r, "SELECT path FROM orgs WHERE id = $1", SV_ARGS(SV_I(d->org(d->octx, org))), d->e);
    if (rc) return rc;
    if (store_next(&r, d->e) > 0) snprintf(path, sizeof path, "%s", store_text(&r, 0));
    store_done(&r);
    store_prefix_bound(path, hi, sizeof hi);
    rc = store_query(d->x->db, &r,
        "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path >= $1 AND o.path < $2"
        " AND m.join_date < $3 AND m.status = 'active' AND m.frontline >= $4 ORDER BY m.id",
        SV_ARGS(SV_T(path), SV_T(hi), SV_T(before), SV_I(frontline)), d->e);
    if (rc) return rc;
    *n = 0;
    while ((rc = store_next(&r, d->e)) > 0 && *n < max) ids[(*n)++] = store_int(&r, 0);
    store_done(&r);
    return rc < 0 ? rc : 0;
}

/* Confirm what waits for the union, then close the trip (the last
 * traveller a no-show when asked). */
static int complete(demo_env *d, int64_t dep, const int64_t *bookings, const int *pending, int n, int no_show)
{
    for (int i = 0; i < n; i++) {
        int rc = pending[i] ? confirm(d, bookings[i]) : 0;
        if (rc) return rc;
    }
    json_t *ns = json_array(), *o = NULL;
    if (no_show && n > 3) json_array_append_new(ns, json_integer(bookings[n - 1]));
    int rc = retreat_departure_complete(d->x, dep, ns, &o, d->e);
    json_decref(ns);
    json_decref(o);
    return rc;
}

/* A log-in (login = mobile, the demo password) for a member, unless they
 * have one; *mobile receives it ("" when the member has none). */
static int member_login(demo_env *d, int64_t member, char mobile[16])
{
    mobile[0] = '\0';
    int64_t has = 0;
    int rc = store_get_int(d->x->db, "SELECT COUNT(*) FROM users WHERE member_id = $1", SV_ARGS(SV_I(member)), &has, d->e);
    if (rc || has) return rc;
    member_rec mr;
    memset(&mr, 0, sizeof mr);
    char *sealed = NULL, *plain = NULL, hash[128];
    store_res r;
    rc = store_query(d->x->db, &r, "SELECT name, org_id, mobile_sealed FROM members WHERE id = $1", SV_ARGS(SV_I(member)),
                     d->e);
    if (rc) return rc;
    if (store_next(&r, d->e) > 0) {
        snprintf(mr.name, sizeof mr.name, "%s", store_text(&r, 0));
        mr.org_id = store_int(&r, 1);
        sealed = store_text(&r, 2) ? strdup(store_text(&r, 2)) : NULL;
    }
    store_done(&r);
    if (sealed) rc = crypto_open(d->x->cfg->data_key, sealed, &plain, d->e);
    free(sealed);
    if (rc == 0 && plain) {
        snprintf(mr.mobile, sizeof mr.mobile, "%s", plain);
        rc = crypto_password_hash(DEMO_PASSWORD, hash, d->e);
        if (rc == 0) rc = member_create_account(d->x, member, &mr, hash, d->e);
        if (rc == 0) snprintf(mobile, 16, "%s", plain);
    }
    free(plain);
    return rc;
}

static int64_t env_org(void *ctx, const char *key)
{
    const gh_demo_env *env = ctx;
    return env->org(env, key);
}

int retreat_demo(gh_ctx *x, const gh_demo_env *env, gh_err *e)
{
    FILE *out = env->out;
    demo_env d = {x, env_org, (void *)env, e};
    int rc = 0;
    int64_t prov[10] = {0};
    static const struct {
        const char *org, *kind, *name, *region, *address, *contact, *phone, *dept, *status, *reason;
    } pv[] = {
        {"js", "red_site", "淮安周恩来故里红色旅游景区", "320803", "淮安市淮安区桐元路1号", "陈立新", "0517-85912345", "江苏省文化和旅游厅", "admitted", NULL},
        {"js", "red_site", "盐城新四军纪念馆红色教育基地", "320902", "盐城市亭湖区建军东路159号", "孙海燕", "0515-88362021", "江苏省文化和旅游厅", "admitted", NULL},
        {"js", "rural_cluster", "溧阳天目湖乡村旅游产业集聚区", "320481", "溧阳市天目湖镇", "周建国", "0519-87981234", "常州市文化广电和旅游局", "admitted", NULL},
        {"sz", "guesthouse", "苏州吴中东山太湖人家民宿", "320506", "苏州市吴中区东山镇陆巷村", "陆晓梅", "0512-66281234", "苏州市文化广电和旅游局", "admitted", NULL},
        {"js", "themed_town", "宜兴丁蜀紫砂特色小镇", "320282", "宜兴市丁蜀镇蜀山古南街", "吴静", "0510-87161234", "无锡市文化广电和旅游局", "admitted", NULL},
        {"nj", "retreat_base", "南京钟山职工疗休养基地", "320102", "南京市玄武区环陵路8号", "钱志远", "025-84431234", "南京市文化和旅游局", "admitted", NULL},
        {"nx", "retreat_base", "中卫沙坡头职工疗休养基地", "640502", "中卫市沙坡头区迎水桥镇", "马海涛", "0955-7689123", "宁夏回族自治区文化和旅游厅", "admitted", NULL},
        {"nx", "red_site", "固原六盘山红军长征景区", "640424", "固原市泾源县六盘山镇", "田志军", "0954-5031234", "宁夏回族自治区文化和旅游厅", "admitted", NULL},
        {"nx", "guesthouse", "灵武白芨滩沙漠民宿", "640181", "灵武市白芨滩国家级自然保护区", "杨秀兰", "0951-4061234", "银川市文化旅游广电局", "applied", NULL},
        {"js", "guesthouse", "扬州瘦西湖畔运河人家民宿", "321002", "扬州市广陵区瘦西湖路", "张雨桐", "0514-87341234", "扬州市文化广电和旅游局", "suspended",
         "消防安全检查发现问题，整改期间暂停接待疗休养团组"},
    };
    for (int i = 0; i < 10 && rc == 0; i++)
        rc = provider(&d, pv[i].org, pv[i].kind, pv[i].name, pv[i].region, pv[i].address, pv[i].contact, pv[i].phone,
                      pv[i].dept, pv[i].status, pv[i].reason, &prov[i]);
    if (rc) return rc;

    int32_t today = date_today_cn();
    int ty, tm, td;
    date_ymd(today, &ty, &tm, &td);
    char since[11];
    date_format(date_from_ymd(ty - 4, 1, 1), since);
    /* The two provinces' rules and their cooperation agreement. */
    json_t *o = NULL;
    json_t *jsr = json_pack("{s:i, s:i, s:i, s:s}", "max_subsidised_per_year", 1, "frontline_window_days", 7,
                            "cancel_deadline_days", 3, "confirmation", "union");
    json_t *nxr = json_pack("{s:i, s:i, s:i, s:s}", "max_subsidised_per_year", 1, "frontline_window_days", 3,
                            "cancel_deadline_days", 5, "confirmation", "instant");
    rc = policy_set(x, "retreat_booking", env->org(env, "js"), since, jsr, "江苏省职工疗休养预订规则：每人每年一次补助，一线职工提前7天优先预订", &o, e);
    json_decref(o), o = NULL;
    if (rc == 0)
        rc = policy_set(x, "retreat_booking", env->org(env, "nx"), since, nxr, "宁夏职工疗休养预订规则：报名即确认，出发前5天截止取消", &o, e);
    json_decref(o), o = NULL;
    json_decref(jsr);
    json_decref(nxr);
    if (rc) return rc;
    json_t *ag = json_pack("{s:I, s:I, s:s, s:s}", "org_id", (json_int_t)env->org(env, "js"), "partner_org_id",
                           (json_int_t)env->org(env, "nx"), "title", "苏宁两省区职工疗休养跨区域合作协议", "valid_from", since);
    rc = retreat_agreement_create(x, ag, &o, e);
    json_decref(ag);
    json_decref(o), o = NULL;
    if (rc) return rc;

    static const demo_route routes[] = {
        {"js", "JS-HA-01", "淮安·周恩来故里红色教育四日", "走进周恩来故居与纪念馆，重温革命先辈的初心使命；参观河下古镇，品淮扬菜。",
         "淮安", "320803", 4, 268000, 160000, {"红色", "研学"}, 0,
         {"抵达淮安：入住，晚间开营座谈", "周恩来纪念馆：瞻仰纪念馆、故居，现场教学", "河下古镇：古镇文化考察，淮扬美食体验", "返程：总结交流后返程"}, 0, 0, 1, 1},
        {"js", "JS-YC-01", "盐城·铁军精神红色研学三日", "新四军纪念馆现场教学，黄海湿地生态考察，专为一线职工安排。",
         "盐城", "320902", 3, 188000, 120000, {"红色", "研学"}, 1,
         {"新四军纪念馆：铁军精神现场教学", "黄海湿地：世界自然遗产生态考察", "返程：交流分享后返程"}, 0, 1, 0, 1},
        {"js", "JS-TMH-01", "天目湖·山水康养五日", "天目湖湖畔康养，南山竹海森林步道，茶园采风，适合舒缓身心。",
         "溧阳天目湖", "320481", 5, 328000, 200000, {"康养", "乡村"}, 2,
         {"抵达溧阳：入住湖畔酒店", "天目湖：湖上游船、环湖慢行", "南山竹海：森林康养步道", "御水温泉：温泉理疗与健康讲座", "返程：茶园采风后返程"}, 0, 0, 0, 1},
        {"sz", "SZ-DS-01", "苏州东山·太湖民宿慢生活三日", "入住太湖边的民宿，陆巷古村漫步，体验碧螺春采制。",
         "苏州东山", "320506", 3, 198000, 120000, {"乡村", "休闲"}, 3,
         {"抵达东山：入住太湖人家民宿", "陆巷古村：古村漫步，碧螺春采制体验", "返程：太湖日出后返程"}, 0, 0, 0, 1},
        {"js", "JS-YX-01", "宜兴·紫砂非遗研学三日", "走进紫砂非遗工作室，跟随工艺美术师学做紫砂壶，入会满三年的会员可报名。",
         "宜兴丁蜀", "320282", 3, 168000, 100000, {"研学", "非遗"}, 4,
         {"抵达丁蜀：蜀山古南街参观", "紫砂工作室：非遗大师授课，动手制壶", "返程：陶瓷博物馆参观后返程"}, 3, 0, 0, 1},
        {"nj", "NJ-ZS-01", "南京钟山·劳模工匠康养五日", "钟山脚下的疗休养基地，健康体检、中医理疗与劳模工匠交流会，入会满五年的会员可报名。",
         "南京钟山", "320102", 5, 360000, 260000, {"康养"}, 5,
         {"报到入住：基地健康体检", "中医理疗：康复理疗与健康讲座", "钟山风景区：森林徒步", "劳模工匠交流会", "返程：体检报告解读后返程"}, 5, 0, 0, 1},
        {"nx", "NX-SPT-01", "沙坡头·大漠星空康养五日", "黄河与沙漠交汇处的疗休养基地，沙漠徒步、黄河漂流、星空观测（苏宁合作线路）。",
         "中卫沙坡头", "640502", 5, 388000, 240000, {"康养", "研学"}, 6,
         {"抵达中卫：入住基地", "沙坡头：沙漠徒步、黄河羊皮筏子", "腾格里沙漠：星空观测营地", "康养理疗：中医药康养体验", "返程：枸杞园采风后返程"}, 0, 0, 1, 1},
        {"nx", "NX-LPS-01", "六盘山·长征精神红色教育三日", "六盘山红军长征纪念馆现场教学，重走长征路，感悟长征精神。",
         "固原六盘山", "640424", 3, 158000, 100000, {"红色"}, 7,
         {"抵达固原：开营仪式", "六盘山纪念馆：现场教学、重走长征路", "返程：交流分享后返程"}, 0, 0, 0, 1},
        {"js", "JS-YZ-01", "扬州·运河文化慢游两日", "瘦西湖畔民宿入住，大运河文化带慢游（服务机构整改中，暂不展示）。",
         "扬州", "321002", 2, 128000, 80000, {"休闲"}, 9,
         {"瘦西湖：园林漫步，入住运河人家民宿", "运河三湾：运河文化考察后返程"}, 0, 0, 0, 1},
        {"js", "JS-LYG-01", "连云港·花果山海滨康养四日", "海滨康养线路（筹备中）。",
         "连云港", "320706", 4, 238000, 140000, {"康养", "海滨"}, 0,
         {"抵达连云港：入住海滨酒店", "花果山：景区游览", "连岛：海滨康养", "返程"}, 0, 0, 0, 0},
    };
    int64_t rid[10] = {0};
    for (int i = 0; i < 10 && rc == 0; i++) rc = route(&d, &routes[i], prov, &rid[i]);
    if (rc) return rc;
    json_t *c1 = json_pack("{s:I, s:s, s:s, s:[I, I, I]}", "org_id", (json_int_t)env->org(env, "js"), "title", "红色疗休养精品线路",
                           "description", "传承红色基因，弘扬革命精神：精选红色教育与研学线路，一线职工优先。", "route_ids",
                           (json_int_t)rid[0], (json_int_t)rid[1], (json_int_t)rid[7]);
    json_t *c2 = json_pack("{s:I, s:s, s:s, s:[I, I, I]}", "org_id", (json_int_t)env->org(env, "js"), "title", "乡村康养推荐线路",
                           "description", "走进乡村旅游集聚区与特色民宿，在山水之间舒缓身心。", "route_ids", (json_int_t)rid[2],
                           (json_int_t)rid[3], (json_int_t)rid[6]);
    rc = retreat_collection_create(x, c1, &o, e);
    json_decref(o), o = NULL;
    if (rc == 0) rc = retreat_collection_create(x, c2, &o, e);
    json_decref(o), o = NULL;
    json_decref(c1);
    json_decref(c2);
    if (rc) return rc;

    /* Three years of trips that happened: Jiangsu members split between
     * Huai'an and Tianmu Lake (one subsidised trip a year each), Suzhou
     * members to Dongshan, Ningxia members to Shapotou. */
    int trips = 0;
    for (int y = ty - 3; y < ty && rc == 0; y++) {
        struct {
            int route, month, day;
            const char *org;
            int part; /* -1 all; 0/1 even/odd members */
        } plan[] = {{0, 4, 16, "nj", 0}, {2, 5, 20, "nj", 1}, {3, 10, 14, "sz", -1}, {6, 6, 18, "nx", -1}};
        for (size_t k = 0; k < sizeof plan / sizeof plan[0] && rc == 0; k++) {
            int32_t when = date_from_ymd(y, plan[k].month, plan[k].day);
            char wd[11];
            date_format(when, wd);
            int64_t dep = 0, ms[64], bk[64];
            int n = 0, nb = 0, pend[64];
            rc = departure(&d, rid[plan[k].route], when, 40, 0, &dep);
            if (rc == 0) rc = members_of(&d, plan[k].org, wd, 0, ms, 64, &n);
            for (int i = 0; i < n && rc == 0; i++) {
                /* by member number, so a member lands in one plan a year */
                if (plan[k].part >= 0 && (ms[i] + y) % 2 != plan[k].part) continue;
                if ((ms[i] * 7 + y) % 5 == 0) continue; /* not everyone goes every year */
                int64_t b = 0;
                int st = book(&d, dep, ms[i], 0, &b);
                if (st < 0) rc = st;
                else pend[nb] = st, bk[nb++] = b;
            }
            if (rc == 0) rc = complete(&d, dep, bk, pend, nb, (int)k == 0);
            trips += nb;
        }
    }
    if (rc) return rc;

    /* What is open now: upcoming departures, one with a frontline window,
     * one nearly full; bookings waiting for the unions. */
    int64_t dep[10][2] = {{0}};
    for (int i = 0; i < 8 && rc == 0; i++) {
        rc = departure(&d, rid[i], today + 21 + i * 3, i == 1 ? 2 : 30, 0, &dep[i][0]);
        if (rc == 0) rc = departure(&d, rid[i], today + 56 + i * 2, 40, i == 0 ? today + 10 : 0, &dep[i][1]);
    }
    int64_t ms[64], bid = 0;
    int n = 0;
    char td_s[11];
    date_format(today, td_s);
    /* Zijin software members for Huai'an (pending with Nanjing), Huajian
     * frontline members fill Yancheng's two seats, one more waits. */
    if (rc == 0) rc = members_of(&d, "zijin", td_s, 0, ms, 64, &n);
    for (int i = 0; i < n && i < 4 && rc == 0; i++) {
        int st = book(&d, dep[0][0], ms[i], 0, &bid);
        if (st < 0) rc = st;
        else if (i == 0 && st == 1) rc = confirm(&d, bid);
    }
    /* Yancheng is for frontline workers: two seats taken, two waiting;
     * then one traveller cannot go and Huajian's union cancels for them,
     * so the first in line moves up and finds the notice on their page. */
    int64_t yc[4] = {0};
    int nyc = 0;
    if (rc == 0) rc = members_of(&d, "huajian", td_s, 1, ms, 64, &n);
    for (int i = 0; i < n && i < 4 && rc == 0; i++) {
        int st = book(&d, dep[1][0], ms[i], 1, &yc[nyc]);
        if (st < 0) rc = st;
        else nyc++;
    }
    char promoted_login[16] = "", promoted_name[160] = "";
    if (rc == 0 && nyc >= 3) {
        json_t *o2 = NULL;
        rc = retreat_booking_cancel(x, yc[1], "会员临时承担重点工程抢工任务，由所在工会代为取消", &o2, e);
        json_decref(o2);
        int64_t who = 0;
        if (rc == 0)
            rc = store_get_int(x->db, "SELECT member_id FROM retreat_bookings WHERE id = $1", SV_ARGS(SV_I(yc[2])), &who, e);
        if (rc == 0) rc = member_login(&d, who, promoted_login);
        store_res r;
        if (rc == 0 && promoted_login[0] &&
            (rc = store_query(x->db, &r, "SELECT name FROM members WHERE id = $1", SV_ARGS(SV_I(who)), e)) == 0) {
            if (store_next(&r, e) > 0) snprintf(promoted_name, sizeof promoted_name, "%s", store_text(&r, 0));
            store_done(&r);
        }
    }
    if (rc == 0) rc = members_of(&d, "nx", td_s, 0, ms, 64, &n);
    for (int i = 0; i < n && i < 3 && rc == 0; i++) {
        int st = book(&d, dep[6][0], ms[n - 1 - i], 0, NULL);
        if (st < 0) rc = st;
    }
    if (rc) return rc;
    /* The Huai'an red-heritage site's front desk sees its passenger lists. */
    json_t *ub = json_pack("{s:s, s:s, s:s, s:I, s:s}", "login", "huaian_desk", "display_name", "周恩来故里景区接待前台", "role",
                           "provider", "provider_id", (json_int_t)prov[0], "password", DEMO_PASSWORD);
    rc = user_create(x, ub, &o, e);
    json_decref(ub);
    json_decref(o), o = NULL;
    if (rc) return rc;
    fprintf(out, "已写入疗休养演示数据：服务机构 10 家、线路 10 条（含跨区域合作线路）、近三年完成出行 %d 人次\n", trips);
    fprintf(out, "服务机构接待账号：huaian_desk（淮安周恩来故里红色旅游景区，可查看接待名单，密码同上）\n");
    if (promoted_login[0])
        fprintf(out, "疗休养候补递补会员账号：%s（%s，密码同上，可在“我的疗休养”看到递补通知）\n", promoted_login, promoted_name);
    return 0;
}

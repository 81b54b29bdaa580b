/* lottery_demo.c — demo voucher lotteries: one open for sign-up, one drawn
 * with vouchers, so every lottery page has something to show. */
#include "domain/core/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "domain/auth/auth.h"
#include "domain/auth/user.h"
#include "domain/core/module.h"
#include "domain/org/org.h"
#include "domain/lottery/lottery.h"
#include "domain/voucher/voucher.h"
#include "domain/member/member.h"
#include "domain/provider/provider.h"

/* Voucher lotteries: a Nanjing campaign whose sign-up closed last week
 * (backdated: a demo cannot wait for its window), drawn by RFC 3797 from a
 * 双色球 and a 排列5 result, with vouchers redeemed at two providers, one
 * declined and re-drawn in a second round; and a Jiangsu campaign for
 * frontline workers open for sign-up now. A winner and a provider's till get
 * log-ins. */
int lottery_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e)
{
    FILE *out = d->out;
    (void)out;
    int64_t nj = d->org(d, "nj"), js = d->org(d, "js");
    static const struct {
        const char *name, *kind, *region, *address;
    } pv[] = {
        {"南京汤山颐尚温泉疗休养基地", "retreat_base", "320115", "南京市江宁区汤山街道温泉路8号"},
        {"溧水石山下村乡村民宿", "guesthouse", "320117", "南京市溧水区白马镇石山下村"},
        {"高淳慢城桠溪特色小镇", "themed_town", "320118", "南京市高淳区桠溪街道"},
    };
    int64_t prov[3] = {0};
    json_t *o = NULL;
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++) {
        json_t *b = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)nj, "kind", pv[i].kind, "name",
                              pv[i].name, "region_code", pv[i].region, "address", pv[i].address, "contact_name", "吴经理",
                              "contact_phone", "025-52120000", "partner_department", "南京市文化和旅游局");
        rc = provider_create(x, b, &o, e);
        json_decref(b);
        if (rc == 0) prov[i] = json_integer_value(json_object_get(o, "id"));
        json_decref(o), o = NULL;
        if (rc == 0) rc = provider_set_status(x, prov[i], "admitted", "经市总工会与文旅局联合评定准入", &o, e);
        json_decref(o), o = NULL;
    }
    if (rc) return rc;
    char now[32], d_from[11], d_to[11], drawn_day[11], later[11], opens[32], closes[32];
    ts_now(now);
    int32_t t = date_today_cn();
    date_format(t - 10, d_from);
    date_format(t + 80, d_to);
    date_format(t - 11, drawn_day); /* the sources' day: the day after the close */
    char soon[11];
    date_format(t + 2, soon); /* after the close day, whenever the demo runs */
    /* 1. Nanjing: created open now, entered by Nanjing members, then moved
     * into the past so it can be frozen and drawn. */
    ts_format_ms(ts_now_ms() + 3600000, closes);
    json_t *b = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:i, s:s}, {s:s, s:s, s:i}],"
                          " s:[I, I]}",
                          "title", "2026年南京市职工疗休养消费券（第一期）", "description",
                          "面值200元，可在汤山温泉疗休养基地、溧水石山下村乡村民宿消费时抵扣。\n每名会员限报一次，公开抽取，结果可由任何人复核。",
                          "org_id", (json_int_t)nj, "face_value_fen", (json_int_t)20000, "voucher_count", (json_int_t)6,
                          "valid_from", d_from, "valid_to", d_to, "signup_opens_at", now, "signup_closes_at", closes,
                          "sources", "name", "中国福利彩票双色球第2026128期开奖号码", "draw_date", soon, "value_count", 7,
                          "note", "6 个红球号码和 1 个蓝球号码", "name", "中国体育彩票排列5第26308期开奖号码", "draw_date", soon,
                          "value_count", 5, "provider_ids", (json_int_t)prov[0], (json_int_t)prov[1]);
    rc = lottery_create(x, b, &o, e);
    json_decref(b);
    int64_t camp = rc == 0 ? json_integer_value(json_object_get(o, "id")) : 0;
    json_decref(o), o = NULL;
    if (rc) return rc;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    rc = org_path(x->db, nj, lo, e);
    if (rc) return rc;
    store_prefix_bound(lo, hi, sizeof hi);
    int64_t mids[24];
    int nm = 0;
    store_res r;
    rc = store_query(x->db, &r,
                     "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path >= $1 AND o.path < $2"
                     " AND m.status = 'active' ORDER BY m.id LIMIT 24",
                     SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) return rc;
    while (store_next(&r, e) > 0) mids[nm++] = store_int(&r, 0);
    store_done(&r);
    for (int i = 0; i < nm && rc == 0; i++) {
        gh_actor m = {.role = ROLE_MEMBER, .member_id = mids[i]};
        snprintf(m.login, sizeof m.login, "member:%lld", (long long)mids[i]);
        snprintf(m.client, sizeof m.client, "demo");
        gh_ctx mx = {x->db, &m, x->cfg};
        rc = lottery_enter(&mx, camp, &o, e);
        json_decref(o), o = NULL;
    }
    if (rc) return rc;
    ts_format_ms(ts_now_ms() - 20LL * 86400000, opens);
    ts_format_ms(ts_now_ms() - 12LL * 86400000 - 3600000, closes);
    rc = store_exec(x->db, "UPDATE lottery_campaigns SET signup_opens_at = $2, signup_closes_at = $3 WHERE id = $1",
                    SV_ARGS(SV_I(camp), SV_T(opens), SV_T(closes)), NULL, e);
    if (rc == 0)
        rc = store_exec(x->db, "UPDATE lottery_entries SET created_at = $2 WHERE campaign_id = $1", SV_ARGS(SV_I(camp), SV_T(opens)),
                        NULL, e);
    if (rc == 0)
        rc = store_exec(x->db, "UPDATE lottery_sources SET draw_date = $2 WHERE campaign_id = $1",
                        SV_ARGS(SV_I(camp), SV_T(drawn_day)), NULL, e);
    if (rc) return rc;
    gh_actor nja;
    gh_ctx njx;
    rc = demo_act_as(x, "nj_officer", &nja, &njx, e);
    json_t *vals = json_pack("[s, s]", "03 07 12 19 26 31 09", "5 8 2 6 0");
    if (rc == 0) rc = lottery_draw(&njx, camp, vals, &o, e);
    json_decref(vals);
    json_decref(o), o = NULL;
    if (rc) return rc;
    /* the tills: one login per provider of the campaign */
    static const char *const tills[] = {"tangshan_till", "shishanxia_till"};
    int64_t till_user[2] = {0};
    for (int i = 0; i < 2 && rc == 0; i++) {
        json_t *ub = json_pack("{s:s, s:s, s:s, s:I, s:s}", "login", tills[i], "display_name", i ? "石山下村民宿前台" : "汤山温泉收银台",
                               "role", "provider", "provider_id", (json_int_t)prov[i], "password", DEMO_PASSWORD);
        rc = user_create(x, ub, &o, e);
        if (rc == 0) till_user[i] = json_integer_value(json_object_get(o, "id"));
        json_decref(ub);
        json_decref(o), o = NULL;
    }
    if (rc) return rc;
    /* three winners use their vouchers, one declines, a second round
     * replaces the declined one */
    store_res w;
    int64_t winners[8];
    int nw = 0;
    rc = store_query(x->db, &w, "SELECT member_id FROM vouchers WHERE campaign_id = $1 ORDER BY id", SV_ARGS(SV_I(camp)), e);
    if (rc) return rc;
    while (store_next(&w, e) > 0 && nw < 8) winners[nw++] = store_int(&w, 0);
    store_done(&w);
    for (int i = 0; i < nw && i < 4 && rc == 0; i++) {
        gh_actor m = {.role = ROLE_MEMBER, .member_id = winners[i]};
        snprintf(m.client, sizeof m.client, "demo");
        gh_ctx mx = {x->db, &m, x->cfg};
        rc = voucher_mine(&mx, &o, e);
        json_t *v = rc == 0 ? json_array_get(json_object_get(o, "items"), 0) : NULL;
        if (rc == 0 && v && i < 3) {
            gh_actor p = {.role = ROLE_PROVIDER, .provider_id = prov[i == 2], .user_id = till_user[i == 2]};
            snprintf(p.login, sizeof p.login, "%s", tills[i == 2]);
            snprintf(p.client, sizeof p.client, "demo");
            gh_ctx px = {x->db, &p, x->cfg};
            json_t *res = NULL;
            rc = voucher_redeem(&px, json_string_value(json_object_get(v, "code")), &res, e);
            json_decref(res);
        } else if (rc == 0 && v) {
            json_t *res = NULL;
            rc = voucher_decline(&mx, json_integer_value(json_object_get(v, "id")), &res, e);
            json_decref(res);
        }
        json_decref(o), o = NULL;
    }
    if (rc == 0) rc = lottery_next_round(&njx, camp, 1, &o, e);
    json_decref(o), o = NULL;
    if (rc) return rc;
    /* the rest of the story in the past too: published before sign-up,
     * frozen at the close, drawn the day after the lottery, round two last
     * week (only the demo moves clocks) */
    char created[32], frozen[32], drawn[32], round2[32];
    ts_format_ms(ts_now_ms() - 22LL * 86400000, created);
    ts_format_ms(ts_now_ms() - 12LL * 86400000 - 3540000, frozen);
    ts_format_ms(ts_now_ms() - 10LL * 86400000, drawn);
    ts_format_ms(ts_now_ms() - 7LL * 86400000, round2);
    rc = store_exec(x->db, "UPDATE lottery_campaigns SET created_at = $2, frozen_at = $3 WHERE id = $1",
                    SV_ARGS(SV_I(camp), SV_T(created), SV_T(frozen)), NULL, e);
    if (rc == 0)
        rc = store_exec(x->db, "UPDATE lottery_draws SET created_at = $2 WHERE campaign_id = $1", SV_ARGS(SV_I(camp), SV_T(drawn)),
                        NULL, e);
    if (rc == 0)
        rc = store_exec(x->db,
                        "UPDATE lottery_rounds SET created_at = CASE WHEN round = 1 THEN $2 ELSE $3 END WHERE campaign_id = $1",
                        SV_ARGS(SV_I(camp), SV_T(drawn), SV_T(round2)), NULL, e);
    if (rc) return rc;
    /* a winner who has not used the voucher yet may log in to see it */
    int64_t shown = nw > 4 ? winners[4] : 0, has = 0;
    if (shown) rc = store_get_int(x->db, "SELECT COUNT(*) FROM users WHERE member_id = $1", SV_ARGS(SV_I(shown)), &has, e);
    if (rc == 0 && shown && !has) {
        member_rec mr;
        memset(&mr, 0, sizeof mr);
        char *sealed = NULL, *mobile = NULL, hash[128];
        rc = store_query(x->db, &r, "SELECT name, org_id, mobile_sealed FROM members WHERE id = $1", SV_ARGS(SV_I(shown)), e);
        if (rc == 0) {
            if (store_next(&r, e) > 0) {
                snprintf(mr.name, sizeof mr.name, "%s", store_text(&r, 0));
                mr.org_id = store_int(&r, 1);
                sealed = store_text(&r, 2) ? strdup(store_text(&r, 2)) : NULL;
            }
            store_done(&r);
        }
        if (rc == 0 && sealed) rc = crypto_open(x->cfg->data_key, sealed, &mobile, e);
        free(sealed);
        if (rc == 0 && mobile) {
            snprintf(mr.mobile, sizeof mr.mobile, "%s", mobile);
            rc = crypto_password_hash(DEMO_PASSWORD, hash, e);
            if (rc == 0) rc = member_create_account(x, shown, &mr, hash, e);
            if (rc == 0) fprintf(out, "消费券中签会员账号：%s（%s，密码同上，可在“我的消费券”出示二维码）\n", mr.mobile, mr.name);
        }
        free(mobile);
        if (rc) return rc;
    }
    /* 2. Jiangsu: frontline workers, sign-up open for three weeks */
    ts_format_ms(ts_now_ms() - 2LL * 86400000, opens);
    ts_format_ms(ts_now_ms() + 21LL * 86400000, closes);
    char src_day[11];
    date_format(t + 23, src_day);
    date_format(t + 25, d_from);
    date_format(t + 25 + 180, d_to);
    date_format(t + 24, later);
    b = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:b, s:s, s:s, s:[{s:s, s:s, s:i, s:s}, {s:s, s:s, s:i}], s:[I, I, I]}",
                  "title", "2026年江苏省一线职工疗休养消费券", "description",
                  "面向全省一线职工（含新就业形态劳动者），面值300元。报名截止后公布报名名单，按公告的彩票开奖号码公开抽取。",
                  "org_id", (json_int_t)js, "face_value_fen", (json_int_t)30000, "voucher_count", (json_int_t)2000, "valid_from",
                  d_from, "valid_to", d_to, "frontline_only", 1, "signup_opens_at", opens, "signup_closes_at", closes, "sources",
                  "name", "中国福利彩票双色球开奖号码（报名截止后第一期）", "draw_date", src_day, "value_count", 7, "note",
                  "以中国福利彩票发行管理中心公布的开奖公告为准", "name", "中国体育彩票超级大乐透开奖号码（报名截止后第一期）",
                  "draw_date", later, "value_count", 7, "provider_ids", (json_int_t)prov[0], (json_int_t)prov[1],
                  (json_int_t)prov[2]);
    rc = lottery_create(x, b, &o, e);
    json_decref(b);
    json_decref(o), o = NULL;
    if (rc == 0)
        fprintf(out, "已写入消费券抽取活动 2 个（南京已抽取并部分核销，江苏省正在报名）；服务机构核销账号：%s、%s（密码同上）\n", tills[0],
                tills[1]);
    return rc;
}

/* refund_stats.c — refund figures by year and region, the sentence the
 * federation reports, and their Excel export. */
#include "domain/refund/refund.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/money.h"
#include "base/u64set.h"
#include "base/valid.h"
#include "base/xlsx.h"
#include "domain/core/audit.h"
#include "domain/core/importer.h"
#include "domain/core/ledger.h"
#include "domain/core/list.h"
#include "domain/core/lock.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"
#include "domain/refund/refund_internal.h"

/* ---- figures ---- */

int refund_stats(gh_ctx *x, int64_t org_id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_has_duty(a, DUTY_FINANCE) && a->role != ROLE_AUDITOR)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    scope_range sr;
    int src = scope_range_of(x, org_id, &sr, e);
    if (src) return src;
    const char *lo = sr.lo, *hi = sr.hi;
    store_res r;
    /* Per year and city (by the region code of the enterprise), then
     * running totals per year. */
    int rc = store_query(x->db, &r,
        "SELECT substr(l.paid_on, 1, 4), substr(en.region_code, 1, 4), COUNT(DISTINCT l.enterprise_id), SUM(l.amount_fen)"
        " FROM refund_lines l JOIN enterprises en ON en.id = l.enterprise_id JOIN orgs o ON o.id = l.org_id"
        " WHERE l.status = 'paid' AND o.path >= $1 AND o.path < $2 GROUP BY 1, 2 ORDER BY 1, 2",
        SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) return rc;
    json_t *rows = json_array();
    while ((rc = store_next(&r, e)) > 0) {
        char city[7];
        snprintf(city, sizeof city, "%s00", store_text(&r, 1));
        json_array_append_new(rows, json_pack("{s:s, s:s, s:I, s:I}", "year", store_text(&r, 0), "city_code", city,
                                              "enterprises", (json_int_t)store_int(&r, 2), "amount_fen",
                                              (json_int_t)store_int(&r, 3)));
    }
    store_done(&r);
    if (rc < 0) goto done;
    size_t i;
    json_t *it;
    json_array_foreach(rows, i, it) {
        store_res q;
        if (store_query(x->db, &q, "SELECT name FROM orgs WHERE region_code = $1 AND level = 'city' ORDER BY id LIMIT 1",
                        SV_ARGS(SV_T(json_string_value(json_object_get(it, "city_code")))), e) == 0) {
            if (store_next(&q, e) > 0) json_object_set_new(it, "city_name", json_string(store_text(&q, 0)));
            store_done(&q);
        }
    }
    json_t *years = json_array();
    rc = store_query(x->db, &r,
        "SELECT y.year,"
        " (SELECT COUNT(DISTINCT l.enterprise_id) FROM refund_lines l JOIN orgs o ON o.id = l.org_id"
        "   WHERE l.status = 'paid' AND substr(l.paid_on, 1, 4) <= y.year AND o.path >= $1 AND o.path < $2),"
        " (SELECT SUM(l.amount_fen) FROM refund_lines l JOIN orgs o ON o.id = l.org_id"
        "   WHERE l.status = 'paid' AND substr(l.paid_on, 1, 4) <= y.year AND o.path >= $1 AND o.path < $2)"
        " FROM (SELECT DISTINCT substr(paid_on, 1, 4) AS year FROM refund_lines WHERE status = 'paid') y ORDER BY 1",
        SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) {
        json_decref(years);
        goto done;
    }
    char sentence[256] = "尚无已付款的返还记录";
    while ((rc = store_next(&r, e)) > 0) {
        int64_t n = store_int(&r, 1), amt = store_int(&r, 2);
        if (!n) continue;
        char ns[32], as[48];
        money_format_count_cn(n, ns, sizeof ns);
        money_format_yuan_cn(amt, as, sizeof as);
        char today[11];
        date_format(date_today_cn(), today);
        if (strncmp(store_text(&r, 0), today, 4) >= 0)
            snprintf(sentence, sizeof sentence, "截至%.4s年%d月，累计为%s户小微企业返还工会经费%s", today,
                     atoi(today + 5), ns, as);
        else
            snprintf(sentence, sizeof sentence, "截至%s年底，累计为%s户小微企业返还工会经费%s", store_text(&r, 0), ns, as);
        json_array_append_new(years, json_pack("{s:s, s:I, s:I, s:s}", "year", store_text(&r, 0), "enterprises",
                                               (json_int_t)n, "amount_fen", (json_int_t)amt, "sentence", sentence));
    }
    store_done(&r);
    if (rc < 0) {
        json_decref(years);
        goto done;
    }
    *out = json_pack("{s:o, s:o, s:s}", "by_year_region", rows, "cumulative", years, "sentence", sentence);
    rows = NULL;
done:
    json_decref(rows);
    return rc;
}

int refund_stats_xlsx(gh_ctx *x, int64_t org_id, char **data, size_t *len, gh_err *e)
{
    json_t *st = NULL;
    int rc = refund_stats(x, org_id, &st, e);
    if (rc) return rc;
    static const xlsx_col cols[] = {{"year", "年度", XLSX_TEXT, 8}, {"city_name", "地区", XLSX_TEXT, 16},
                                    {"city_code", "区划代码", XLSX_TEXT, 10}, {"enterprises", "返还企业（户）", XLSX_INT, 14},
                                    {"amount_fen", "返还金额（元）", XLSX_MONEY, 18}};
    rc = xlsx_build("经费返还统计", json_string_value(json_object_get(st, "sentence")), cols, 5,
                    json_object_get(st, "by_year_region"), data, len, e);
    json_decref(st);
    return rc;
}

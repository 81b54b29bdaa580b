/* cli/retreat.c — the initial load of the recuperation programme from CSV:
 * `gonghui import providers FILE --org ID [--dry-run]` (疗休养服务机构) and
 * `gonghui import retreat-routes FILE --org ID [--dry-run]` (疗休养线路).
 * The same checks as the web API; all rows or none; every bad row listed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/provider/provider.h"
#include "domain/retreat/retreat.h"
#include "domain/core/settings.h"

static const char providers_help[] =
    "用法: gonghui import providers 文件.csv --org 组织编号 [--dry-run] [--db URL]\n"
    "  表头：名称,类型,行政区划代码,地址,联系人,联系电话,合作部门,状态,管理工会编号\n"
    "  类型：旅游民宿、乡村旅游产业集聚区、特色小镇、红色旅游景区、疗休养基地；状态：申请中 或 已准入\n";
static const char routes_help[] =
    "用法: gonghui import retreat-routes 文件.csv --org 组织编号 [--dry-run] [--db URL]\n"
    "  表头：线路编号,线路名称,简介,目的地,行政区划代码,天数,全价,工会补助,主题,服务机构,行程,费用包含,\n"
    "        可预订工会编号,入会年限,仅限一线职工,确认方式,状态,主办工会编号\n"
    "  金额以元为单位；多项用“、”分隔；行程每天一行（或用 | 分隔），如“第1天 抵达淮安：参观纪念馆”\n";

int cli_import_retreat(cli_opts *o, const char *what)
{
    int routes = strcmp(what, "retreat-routes") == 0;
    const char *org = cli_opt(o, "org");
    if (o->nargs < 3 || !org || !*org) {
        fputs(routes ? routes_help : providers_help, stderr);
        return 2;
    }
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    gh_config cfg;
    json_t *out = NULL;
    int rc = cli_open(o, &db, &cfg, &e);
    if (rc == 0) rc = store_migrate(db, NULL, &e);
    if (rc == 0) rc = settings_check_keys(store_conn_get(db, &e), &cfg, &e);
    if (rc == 0) {
        gh_actor a;
        actor_system(&a);
        gh_ctx x = {store_conn_get(db, &e), &a, &cfg};
        int64_t org_id = strtoll(org, NULL, 10);
        rc = routes ? retreat_route_import(&x, org_id, NULL, 0, o->args[2], o->dry_run, NULL, NULL, &out, &e)
                    : provider_import(&x, org_id, NULL, 0, o->args[2], o->dry_run, NULL, NULL, &out, &e);
    }
    if (rc) {
        cli_fail(&e);
        store_close(db);
        return 1;
    }
    size_t i;
    json_t *err;
    json_array_foreach(json_object_get(out, "errors"), i, err) {
        const char *field = json_string_value(json_object_get(err, "field"));
        printf("第 %lld 行%s%s%s：%s\n", (long long)json_integer_value(json_object_get(err, "line")), field ? "（" : "",
               field ? field : "", field ? "）" : "", json_string_value(json_object_get(err, "reason")));
    }
    int64_t rows = json_integer_value(json_object_get(out, "rows"));
    int64_t nerr = json_integer_value(json_object_get(out, "error_count"));
    if (nerr) printf("共 %lld 行，其中 %lld 行有错误；未写入任何数据\n", (long long)rows, (long long)nerr);
    else if (o->dry_run) printf("试导入通过：共 %lld 行，全部可以导入（未写入数据）\n", (long long)rows);
    else printf("导入完成：%lld %s\n", (long long)json_integer_value(json_object_get(out, "imported")),
                routes ? "条线路" : "家服务机构");
    json_decref(out);
    store_close(db);
    return nerr ? 1 : 0;
}

static int import_providers(cli_opts *o) { return cli_import_retreat(o, "providers"); }
static int import_routes(cli_opts *o) { return cli_import_retreat(o, "retreat-routes"); }

const cli_verb cli_provider[] = {
    {"import", "providers", import_providers, "  import providers FILE 导入疗休养服务机构（--org 组织编号 [--dry-run]）\n"},
    {0},
};

const cli_verb cli_retreat[] = {
    {"import", "retreat-routes", import_routes, "  import retreat-routes FILE  导入疗休养线路（--org 组织编号 [--dry-run]）\n"},
    {0},
};

/* cli/member.c — `gonghui import members FILE --org ID [--dry-run]`: the
 * same import as the web page, from a file on disk, with progress on
 * standard error and the row-by-row report on standard output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/member/member.h"
#include "domain/core/settings.h"

static void progress(void *ctx, int64_t rows, int64_t done_bytes, int64_t total_bytes)
{
    (void)ctx;
    double pct = total_bytes > 0 ? 100.0 * (double)done_bytes / (double)total_bytes : 100.0;
    fprintf(stderr, "\r已处理 %lld 行（%.0f%%）", (long long)rows, pct);
    fflush(stderr);
}

int cli_import(cli_opts *o)
{
    if (o->nargs < 3 || strcmp(o->args[1], "members") != 0 || !cli_opt(o, "org")) {
        fprintf(stderr, "用法: gonghui import members 文件.csv --org 组织编号 [--dry-run] [--db URL]\n"
                        "  CSV 第一行为表头：姓名,身份证号,手机号,就业形态,工作单位,一线职工,劳模称号,工匠,入会日期,会员证号,组织编号\n"
                        "  （姓名、身份证号、就业形态必填；UTF-8 或 GBK 编码均可）\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    gh_config cfg;
    int rc = cli_open(o, &db, &cfg, &e);
    if (rc == 0) rc = store_migrate(db, NULL, &e);
    if (rc == 0) rc = settings_check_keys(store_conn_get(db, &e), &cfg, &e);
    json_t *out = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (rc == 0) {
        gh_actor a;
        actor_system(&a);
        gh_ctx x = {store_conn_get(db, &e), &a, &cfg};
        rc = member_import(&x, strtoll(cli_opt(o, "org"), NULL, 10), NULL, 0, o->args[2], o->dry_run, progress,
                           NULL, &out, &e);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "\n");
    if (rc) {
        cli_fail(&e);
        store_close(db);
        return 1;
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int64_t rows = json_integer_value(json_object_get(out, "rows"));
    int64_t nerr = json_integer_value(json_object_get(out, "error_count"));
    size_t i;
    json_t *err;
    json_array_foreach(json_object_get(out, "errors"), i, err) {
        const char *field = json_string_value(json_object_get(err, "field"));
        printf("第 %lld 行%s%s%s：%s\n", (long long)json_integer_value(json_object_get(err, "line")),
               field ? "（" : "", field ? field : "", field ? "）" : "",
               json_string_value(json_object_get(err, "reason")));
    }
    if (json_is_true(json_object_get(out, "errors_truncated")))
        printf("……错误过多，只列出前 %zu 条\n", json_array_size(json_object_get(out, "errors")));
    if (nerr) {
        printf("共 %lld 行，其中 %lld 行有错误；%s\n", (long long)rows, (long long)nerr,
               o->dry_run ? "（试导入，未写入任何数据）" : "未写入任何数据，请改正后重新导入");
    } else if (o->dry_run) {
        printf("试导入通过：共 %lld 行，全部可以导入（未写入数据）\n", (long long)rows);
    } else {
        printf("导入完成：%lld 行，用时 %.2f 秒（每秒 %.0f 行）\n",
               (long long)json_integer_value(json_object_get(out, "imported")), secs,
               secs > 0 ? (double)rows / secs : 0.0);
    }
    json_decref(out);
    store_close(db);
    return nerr ? 1 : 0;
}

const cli_verb cli_member[] = {
    {"import", "members", cli_import, "  import members FILE   从 CSV 导入会员（--org 组织编号 [--dry-run]）\n"},
    {0},
};

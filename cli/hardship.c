/* cli/hardship.c — `gonghui hardship purge [--yes]`: closed hardship files
 * are kept read-only for ten years; this command first lists the files whose
 * ten years are over and erases their sealed content only when --yes is
 * given (one transaction, each purge in the audit log). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/hardship/hardship.h"
#include "domain/core/settings.h"

int cli_hardship_cmd(cli_opts *o)
{
    if (o->nargs < 2 || strcmp(o->args[1], "purge") != 0) {
        fprintf(stderr, "用法: gonghui hardship purge [--yes] [--db URL]\n"
                        "  列出撤档已满十年的困难职工档案；加 --yes 才清除其加密内容（保留统计所需的档案外壳）。\n");
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
        rc = hardship_purge(&x, o->yes, &out, &e);
    }
    if (rc == 0) {
        int64_t n = json_integer_value(json_object_get(out, "count"));
        const char *cutoff = json_string_value(json_object_get(out, "closed_before"));
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(out, "items"), i, it)
            printf("档案 %lld  %s  撤档于 %s（%s）\n", (long long)json_integer_value(json_object_get(it, "id")),
                   json_string_value(json_object_get(it, "org_name")), json_string_value(json_object_get(it, "closed_on")),
                   json_string_value(json_object_get(it, "close_reason")) ? json_string_value(json_object_get(it, "close_reason")) : "");
        if (n == 0) printf("没有撤档已满十年（%s 之前撤档）的档案，无需清除\n", cutoff);
        else if (o->yes) printf("已清除 %lld 份撤档满十年（%s 之前撤档）的档案内容\n", (long long)n, cutoff);
        else printf("以上 %lld 份档案撤档已满十年（%s 之前撤档），将被清除；确认后加 --yes 再运行一次\n", (long long)n, cutoff);
    } else {
        cli_fail(&e);
    }
    json_decref(out);
    store_close(db);
    return rc ? 1 : 0;
}

const cli_verb cli_hardship[] = {
    {"hardship", NULL, cli_hardship_cmd, "  hardship purge        列出撤档满十年的困难职工档案，加 --yes 清除其内容\n"},
    {0},
};

/* cli/core.c — the platform's own commands: `gonghui migrate`, `demo-data`,
 * `audit verify`, and the table of core commands (backup and migrate-data
 * are in cli/data.c, ledger check and policy set in cli/money.c). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/core/audit.h"
#include "domain/core/chain.h"
#include "domain/core/demo.h"
#include "domain/core/settings.h"

static int cmd_migrate(cli_opts *o)
{
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    int rc = cli_open_nokeys(o, &db, &e);
    int applied = 0;
    /* --to N: stop after version N (trying a migration on a copy, tests) */
    const char *to = cli_opt(o, "to");
    int upto = to && *to ? atoi(to) : INT_MAX;
    if (rc == 0 && upto <= 0) rc = err_set(&e, ERR_INVALID, "invalid_option", "to", "--to 应为迁移版本号（正整数）");
    if (rc == 0) rc = store_migrate_to(db, upto, &applied, &e);
    if (rc == 0) {
        int v = 0;
        store_schema_version(store_conn_get(db, &e), &v, &e);
        printf("数据库结构已是最新（版本 %d，本次升级 %d 步）\n", v, applied);
    } else {
        cli_fail(&e);
    }
    store_close(db);
    return rc ? 1 : 0;
}

static int cmd_demo(cli_opts *o)
{
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    gh_config cfg;
    int rc = cli_open(o, &db, &cfg, &e);
    if (rc == 0) rc = store_migrate(db, NULL, &e);
    if (rc == 0) rc = settings_check_keys(store_conn_get(db, &e), &cfg, &e);
    if (rc == 0) {
        gh_actor a;
        actor_system(&a);
        gh_ctx x = {store_conn_get(db, &e), &a, &cfg};
        rc = demo_load(&x, stdout, &e);
    }
    if (rc) cli_fail(&e);
    store_close(db);
    return rc ? 1 : 0;
}

static int cmd_audit(cli_opts *o)
{
    if (o->nargs < 2 || strcmp(o->args[1], "verify") != 0) {
        fprintf(stderr, "用法: gonghui audit verify [--db URL]\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    int rc = cli_open_nokeys(o, &db, &e);
    chain_report rep = {0};
    if (rc == 0) rc = audit_verify(store_conn_get(db, &e), &rep, &e);
    if (rc == 0 || rc == ERR_CONFLICT) cli_chain_report(rep.parts, rep.root, "条", rc == 0 ? stdout : stderr);
    if (rc == 0) printf("审计日志完整：共 %lld 条，哈希链无误\n", (long long)rep.rows);
    else cli_fail(&e);
    chain_report_free(&rep);
    store_close(db);
    return rc ? 1 : 0;
}

const cli_verb cli_core[] = {
    {"migrate", NULL, cmd_migrate, "  migrate [--to N]      建表或升级数据库结构（--to：只升级到版本 N）\n"},
    {"demo-data", NULL, cmd_demo, "  demo-data             写入演示数据（数据库为空时）\n"},
    {"audit", NULL, cmd_audit, "  audit verify          校验审计日志哈希链\n"},
    {"backup", NULL, cli_backup, "  backup --to FILE      SQLite 在线备份（服务不停）\n"},
    {"migrate-data", NULL, cli_migrate_data,
     "  migrate-data --from URL --to URL  把全部数据复制到空库（如 SQLite → PostgreSQL）\n"},
    {"ledger", NULL, cli_ledger, "  ledger check          校验复式账簿的全部不变式\n"},
    {"policy", NULL, cli_policy, "  policy set            发布政策参数（--kind --org --from --params）\n"},
    {0},
};

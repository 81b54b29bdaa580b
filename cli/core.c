/* cli/core.c — the platform's own commands: `gonghui migrate`, `demo-data`,
 * `audit verify`, `checkpoint`, and the table of core commands (backup and migrate-data
 * are in cli/data.c, ledger check and policy set in cli/money.c). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "cli/cli.h"
#include "domain/core/audit.h"
#include "domain/core/chain.h"
#include "domain/core/checkpoint.h"
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
    int v = 0;
    if (rc == 0) rc = store_schema_version(store_conn_get(db, &e), &v, &e);
    /* With the key file at hand (never created here), seal the chains of a
     * database just upgraded to keyed links, as serve would at start. */
    int sealed = 0;
    gh_config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (rc == 0 && v >= 18 && crypto_read_keys(o->key_file, cfg.data_key, cfg.hash_key, NULL) == 0) {
        chain_derive_keys(&cfg);
        store_conn *c = store_conn_get(db, &e);
        int a = 0, l = 0;
        rc = settings_check_keys(c, &cfg, &e);
        if (rc == ERR_CONFLICT) { /* another key file: the schema is done, sealing is not ours to do */
            fprintf(stderr, "注意：密钥文件 %s 与数据库不匹配，未封存哈希链（serve 用正确的密钥文件启动时会封存）\n", o->key_file);
            rc = 0;
        } else {
            if (rc == 0) rc = chain_seal(c, &chain_audit, cfg.chain_key, &a, &e);
            if (rc == 0) rc = chain_seal(c, &chain_ledger, cfg.chain_key, &l, &e);
            sealed = a + l;
        }
    }
    if (rc == 0) {
        printf("数据库结构已是最新（版本 %d，本次升级 %d 步）\n", v, applied);
        if (sealed) printf("已为 %d 个哈希链分区记下密钥起点：此后的记录带密钥\n", sealed);
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
        fprintf(stderr, "用法: gonghui audit verify [--checkpoints 文件] [--public-key 公钥] [--db URL] [--key-file 文件]\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    cli_verify v;
    int rc = cli_verify_open(o, &v, &e);
    chain_report rep = {0};
    int cpbad = 0;
    if (rc == 0) {
        cpbad = cli_verify_print_checkpoints(&v, stdout);
        rc = audit_verify(store_conn_get(v.db, &e), cli_verify_key(&v), &v.audit, &rep, &e);
    }
    if (rc == 0 || rc == ERR_CONFLICT) cli_chain_report(rep.parts, rep.root, "条", rc == 0 ? stdout : stderr);
    if (rc == 0 && cpbad)
        rc = err_set(&e, ERR_CONFLICT, "checkpoint_bad_signature", NULL, "检查点文件有 %d 行签名无效或格式不对",
                     v.cp_bad);
    if (rc == 0) {
        printf("审计日志完整：共 %lld 条，哈希链无误", (long long)rep.rows);
        if (rep.targets) printf("，与检查点一致（核对了 %d 个检查点条目）", rep.targets);
        if (rep.unverified) printf("；%lld 条带密钥的记录未重算（没有密钥文件）", (long long)rep.unverified);
        printf("\n");
    } else {
        cli_fail(&e);
    }
    chain_report_free(&rep);
    cli_verify_close(&v);
    return rc ? 1 : 0;
}

static int cmd_checkpoint(cli_opts *o)
{
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    gh_config cfg;
    if (cli_opt(o, "public-key")) {
        /* the auditor's copy of the public key: from the key file alone */
        memset(&cfg, 0, sizeof cfg);
        int rc = crypto_read_keys(o->key_file, cfg.data_key, cfg.hash_key, &e);
        if (rc) {
            cli_fail(&e);
            return 1;
        }
        chain_derive_keys(&cfg);
        char pk[65];
        checkpoint_public_hex(&cfg, pk);
        printf("%s\n", pk);
        return 0;
    }
    int rc = cli_open(o, &db, &cfg, &e);
    if (rc == 0) rc = store_migrate(db, NULL, &e);
    store_conn *c = rc == 0 ? store_conn_get(db, &e) : NULL;
    if (rc == 0) rc = settings_check_keys(c, &cfg, &e);
    if (rc == 0) rc = chain_seal(c, &chain_audit, cfg.chain_key, NULL, &e);
    if (rc == 0) rc = chain_seal(c, &chain_ledger, cfg.chain_key, NULL, &e);
    char *line = NULL;
    if (rc == 0) rc = checkpoint_make(c, &cfg, &line, NULL, &e);
    if (rc == 0) rc = checkpoint_append(cfg.checkpoint_file, line, &e);
    if (rc == 0) {
        gh_actor a;
        actor_system(&a);
        gh_ctx x = {c, &a, &cfg};
        json_t *d = json_pack("{s:s}", "file", cfg.checkpoint_file);
        rc = audit_record(&x, "audit.checkpoint", NULL, 0, 0, "ok", d, &e);
        json_decref(d);
    }
    if (rc == 0) {
        printf("%s\n", line);
        fprintf(stderr, "已追加到 %s\n", cfg.checkpoint_file);
    } else {
        cli_fail(&e);
    }
    free(line);
    store_close(db);
    return rc ? 1 : 0;
}

const cli_verb cli_core[] = {
    {"migrate", NULL, cmd_migrate, "  migrate [--to N]      建表或升级数据库结构（--to：只升级到版本 N）\n"},
    {"demo-data", NULL, cmd_demo, "  demo-data             写入演示数据（数据库为空时）\n"},
    {"audit", NULL, cmd_audit,
     "  audit verify          校验审计日志哈希链（--checkpoints 文件：与签名检查点比对；--public-key：只有公钥时）\n"},
    {"checkpoint", NULL, cmd_checkpoint,
     "  checkpoint            签一个检查点（各分区序号与链头、根摘要），追加到检查点文件并打印；\n"
     "                        --public-key 打印审计人员核对签名用的公钥\n"},
    {"backup", NULL, cli_backup, "  backup --to FILE      SQLite 在线备份（服务不停）\n"},
    {"migrate-data", NULL, cli_migrate_data,
     "  migrate-data --from URL --to URL  把全部数据复制到空库（如 SQLite → PostgreSQL）\n"},
    {"ledger", NULL, cli_ledger, "  ledger check          校验复式账簿的全部不变式\n"},
    {"policy", NULL, cli_policy, "  policy set            发布政策参数（--kind --org --from --params）\n"},
    {0},
};

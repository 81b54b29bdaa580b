/* main.c — the gonghui command line: parse arguments and environment, open
 * the store, then either serve HTTP or run one operator command. Business
 * rules live in domain/; this file only wires things together. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/log.h"
#include "cli/cli.h"
#include "domain/core/audit.h"
#include "domain/core/demo.h"
#include "domain/core/job.h"
#include "domain/core/settings.h"
#include "http/http.h"
#include "store/store.h"

static const char usage[] =
    "gonghui " GH_VERSION " — 工会服务平台\n"
    "\n"
    "用法: gonghui <命令> [选项]\n"
    "\n"
    "命令:\n"
    "  serve                 启动 HTTP 服务（API 与网页）\n"
    "  migrate [--to N]      建表或升级数据库结构（--to：只升级到版本 N）\n"
    "  demo-data             写入演示数据（数据库为空时）\n"
    "  audit verify          校验审计日志哈希链\n"
    "  backup --to FILE      SQLite 在线备份（服务不停）\n"
    "  migrate-data --from URL --to URL  把全部数据复制到空库（如 SQLite → PostgreSQL）\n"
    "  user create           创建账号（管理员等），密码从标准输入读取\n"
    "  import members FILE   从 CSV 导入会员（--org 组织编号 [--dry-run]）\n"
    "  import enterprises FILE  导入企业名录（--org 组织编号 [--dry-run]）\n"
    "  import fees FILE      导入税务代收的工会经费（--org 组织编号 [--dry-run]）\n"
    "  import providers FILE 导入疗休养服务机构（--org 组织编号 [--dry-run]）\n"
    "  import retreat-routes FILE  导入疗休养线路（--org 组织编号 [--dry-run]）\n"
    "  refund run            计算小微企业经费返还（--period 2022H2 --org 组织编号）\n"
    "  ledger check          校验复式账簿的全部不变式\n"
    "  policy set            发布政策参数（--kind --org --from --params）\n"
    "  hardship purge        列出撤档满十年的困难职工档案，加 --yes 清除其内容\n"
    "  lottery verify        按公布的名单和随机源复核消费券抽取结果（--entrants --sources --count，不需数据库）\n"
    "  routes                列出全部 HTTP 接口（方法 路径 是否需登录）\n"
    "  version               显示版本\n"
    "\n"
    "通用选项:\n"
    "  --db URL              数据库地址（环境变量 GONGHUI_DB）\n"
    "                        sqlite:var/gonghui.db（默认）或 postgres://用户@主机/库\n"
    "  --key-file PATH       敏感数据密钥文件（GONGHUI_KEY_FILE，默认 var/gonghui.key）\n"
    "  --log-level LEVEL     debug|info|warn|error|off（GONGHUI_LOG_LEVEL，默认 info）\n"
    "\n"
    "serve 选项:\n"
    "  --listen HOST:PORT    监听地址（GONGHUI_LISTEN，默认 127.0.0.1:8080；端口 0 表示任选空闲端口）\n"
    "  --ui-dir DIR          网页文件目录（GONGHUI_UI_DIR，默认 ui）\n"
    "  --threads N           工作线程数（GONGHUI_THREADS，默认 CPU 核数×2）\n"
    "  --max-body BYTES      JSON 请求体上限（默认 1048576）\n"
    "  --max-upload BYTES    文件上传上限（默认 268435456）\n"
    "  --session-idle SEC    会话空闲超时（GONGHUI_SESSION_IDLE，默认 1800）\n"
    "  --trust-proxy         信任反向代理的 X-Forwarded-For（GONGHUI_TRUST_PROXY=1）\n"
    "  --secure-cookies      Cookie 加 Secure（HTTPS 部署时，GONGHUI_SECURE_COOKIES=1）\n"
    "  --no-access-log       不写访问日志\n"
    "  --no-migrate          启动时不自动升级数据库结构\n"
    "\n"
    "English: gonghui is a trade-union service platform. Run `gonghui serve` to start the\n"
    "server; every command takes --db (SQLite by default, PostgreSQL by URL).\n";

static int env_int(const char *name, int def)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : def;
}

static const char *env_str(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && *v ? v : def;
}

int cli_init(cli_opts *o, int argc, char **argv, gh_err *e)
{
    memset(o, 0, sizeof *o);
    o->db = env_str("GONGHUI_DB", "sqlite:var/gonghui.db");
    o->key_file = env_str("GONGHUI_KEY_FILE", "var/gonghui.key");
    o->listen = env_str("GONGHUI_LISTEN", "127.0.0.1:8080");
    o->ui_dir = env_str("GONGHUI_UI_DIR", "ui");
    o->threads = env_int("GONGHUI_THREADS", 0);
    o->max_body = 1 << 20;
    o->max_upload = 256u << 20;
    o->session_idle = env_int("GONGHUI_SESSION_IDLE", 1800);
    o->trust_proxy = env_int("GONGHUI_TRUST_PROXY", 0);
    o->secure_cookies = env_int("GONGHUI_SECURE_COOKIES", 0);
    o->access_log = 1;
    o->migrate = 1;
    int level = log_level_parse(env_str("GONGHUI_LOG_LEVEL", "info"));
    o->log_level = level < 0 ? LOG_INFO : level;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VALUE()                                                                               \
    do {                                                                                      \
        if (!v) return err_set(e, ERR_INVALID, "missing_value", a, "选项 %s 需要一个值", a); \
        i++;                                                                                  \
    } while (0)
        if (strcmp(a, "--db") == 0) { VALUE(); o->db = v; }
        else if (strcmp(a, "--key-file") == 0) { VALUE(); o->key_file = v; }
        else if (strcmp(a, "--listen") == 0) { VALUE(); o->listen = v; }
        else if (strcmp(a, "--ui-dir") == 0) { VALUE(); o->ui_dir = v; }
        else if (strcmp(a, "--threads") == 0) { VALUE(); o->threads = atoi(v); }
        else if (strcmp(a, "--max-body") == 0) { VALUE(); o->max_body = strtoull(v, NULL, 10); }
        else if (strcmp(a, "--max-upload") == 0) { VALUE(); o->max_upload = strtoull(v, NULL, 10); }
        else if (strcmp(a, "--session-idle") == 0) { VALUE(); o->session_idle = atoi(v); }
        else if (strcmp(a, "--log-level") == 0) {
            VALUE();
            o->log_level = log_level_parse(v);
            if (o->log_level < 0) return err_set(e, ERR_INVALID, "invalid_option", a, "日志级别无效：%s", v);
        }
        else if (strcmp(a, "--trust-proxy") == 0) o->trust_proxy = 1;
        else if (strcmp(a, "--secure-cookies") == 0) o->secure_cookies = 1;
        else if (strcmp(a, "--no-access-log") == 0) o->access_log = 0;
        else if (strcmp(a, "--no-migrate") == 0) o->migrate = 0;
        else if (strcmp(a, "--dry-run") == 0) o->dry_run = 1;
        else if (strcmp(a, "--yes") == 0) o->yes = 1;
        else if (strncmp(a, "--", 2) == 0) {
            /* Command-specific options with a value are collected for the
             * command to read with cli_opt. */
            if (o->nextra >= CLI_MAX_EXTRA) return err_set(e, ERR_INVALID, "too_many_options", a, "选项过多");
            o->extra_name[o->nextra] = a + 2;
            if (v && strncmp(v, "--", 2) != 0) {
                o->extra_value[o->nextra] = v;
                i++;
            } else {
                o->extra_value[o->nextra] = "";
            }
            o->nextra++;
        } else {
            if (o->nargs >= CLI_MAX_ARGS) return err_set(e, ERR_INVALID, "too_many_args", a, "参数过多");
            o->args[o->nargs++] = a;
        }
#undef VALUE
    }
    if (o->threads < 0 || o->threads > 256)
        return err_set(e, ERR_INVALID, "invalid_option", "threads", "线程数应在 1 到 256 之间");
    if (o->session_idle < 1) o->session_idle = 1;
    return 0;
}

const char *cli_opt(const cli_opts *o, const char *name)
{
    for (int i = 0; i < o->nextra; i++)
        if (strcmp(o->extra_name[i], name) == 0) return o->extra_value[i];
    return NULL;
}

int cli_open(const cli_opts *o, store **db, gh_config *cfg, gh_err *e)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->session_idle_s = o->session_idle;
    cfg->secure_cookies = o->secure_cookies;
    int rc = crypto_load_keys(o->key_file, cfg->data_key, cfg->hash_key, e);
    if (rc) return rc;
    return store_open(o->db, db, e);
}

int cli_open_nokeys(const cli_opts *o, store **db, gh_err *e) { return store_open(o->db, db, e); }

void cli_fail(const gh_err *e)
{
    fprintf(stderr, "错误 [%s]%s%s%s：%s\n", e->code, e->field[0] ? "（" : "", e->field,
            e->field[0] ? "）" : "", e->message);
}

void cli_chain_report(const json_t *parts, const char *root, const char *unit, FILE *out)
{
    size_t i;
    const json_t *p;
    int n = 0, bad = 0;
    json_array_foreach(parts, i, p) {
        const char *problem = json_string_value(json_object_get(p, "problem"));
        n++;
        if (problem) {
            bad++;
            fprintf(out, "分区 %lld（%s）未通过：%s\n", (long long)json_integer_value(json_object_get(p, "partition")),
                    json_string_value(json_object_get(p, "name")), problem);
        } else {
            fprintf(out, "分区 %lld（%s）：%lld %s，链头 %.16s…\n",
                    (long long)json_integer_value(json_object_get(p, "partition")),
                    json_string_value(json_object_get(p, "name")),
                    (long long)json_integer_value(json_object_get(p, "rows")), unit,
                    json_string_value(json_object_get(p, "head")));
        }
    }
    fprintf(out, "根摘要（%d 个分区%s）：%s\n", n, bad ? "，有分区未通过，不可信" : "", root);
}

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

static int cmd_serve(cli_opts *o)
{
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    gh_config cfg;
    int rc = cli_open(o, &db, &cfg, &e);
    if (rc == 0 && o->migrate) rc = store_migrate(db, NULL, &e);
    if (rc == 0) rc = settings_check_keys(store_conn_get(db, &e), &cfg, &e);
    if (rc) {
        cli_fail(&e);
        store_close(db);
        return 1;
    }
    /* Block the stop signals in every thread; this one waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    log_set_access(o->access_log);
    log_buffered();
    http_options ho = {
        .listen = o->listen, .ui_dir = o->ui_dir, .threads = o->threads,
        .max_body = o->max_body, .max_upload = o->max_upload, .timeout_s = 30,
        .trust_proxy = o->trust_proxy,
    };
    http_server *srv = NULL;
    int port = 0;
    rc = http_start(&ho, db, &cfg, &srv, &port, &e);
    if (rc) {
        cli_fail(&e);
        store_close(db);
        return 1;
    }
    char host[64];
    snprintf(host, sizeof host, "%s", o->listen);
    char *colon = strrchr(host, ':');
    if (colon) *colon = '\0';
    printf("gonghui %s 已启动: http://%s:%d/ (数据库 %s)\n", GH_VERSION,
           host[0] && strcmp(host, "0.0.0.0") != 0 ? host : "127.0.0.1", port, store_backend(db));
    printf("listening on http://%s:%d\n", host[0] ? host : "0.0.0.0", port);
    fflush(stdout);
    log_info("listening on %s:%d", host, port);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: stopping, waiting for requests in flight", sig);
    http_stop(srv, 20);
    job_wait_all(120);
    store_close(db);
    log_info("stopped");
    log_flush();
    return 0;
}

int main(int argc, char **argv)
{
    if (crypto_init() != 0) {
        fprintf(stderr, "libsodium 初始化失败\n");
        return 1;
    }
    cli_opts o;
    gh_err e;
    err_clear(&e);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("gonghui %s\n", GH_VERSION);
        return 0;
    }
    if (cli_init(&o, argc - 1, argv + 1, &e) != 0) {
        cli_fail(&e);
        return 2;
    }
    log_set_level(o.log_level);
    const char *cmd = o.nargs ? o.args[0] : "";
    if (strcmp(cmd, "serve") == 0) return cmd_serve(&o);
    if (strcmp(cmd, "migrate") == 0) return cmd_migrate(&o);
    if (strcmp(cmd, "demo-data") == 0) return cmd_demo(&o);
    if (strcmp(cmd, "audit") == 0) return cmd_audit(&o);
    if (strcmp(cmd, "user") == 0) return cli_user(&o);
    if (strcmp(cmd, "import") == 0) return cli_import(&o);
    if (strcmp(cmd, "routes") == 0) return cli_routes();
    if (strcmp(cmd, "backup") == 0) return cli_backup(&o);
    if (strcmp(cmd, "migrate-data") == 0) return cli_migrate_data(&o);
    if (strcmp(cmd, "ledger") == 0) return cli_ledger(&o);
    if (strcmp(cmd, "refund") == 0) return cli_refund(&o);
    if (strcmp(cmd, "policy") == 0) return cli_policy(&o);
    if (strcmp(cmd, "hardship") == 0) return cli_hardship(&o);
    if (strcmp(cmd, "lottery") == 0) return cli_lottery(&o);
    fprintf(stderr, "未知命令：%s（gonghui --help 查看用法）\n", cmd);
    return 2;
}

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
#include "base/xlsxread.h"
#include "cli/cli.h"
#include "domain/core/audit.h"
#include "domain/core/chain.h"
#include "domain/core/checkpoint.h"
#include "domain/core/demo.h"
#include "domain/core/module.h"
#include "domain/core/job.h"
#include "domain/core/settings.h"
#include "http/http.h"
#include "store/store.h"

static const char usage_head[] =
    "gonghui " GH_VERSION " — 工会服务平台\n"
    "\n"
    "用法: gonghui <命令> [选项]\n"
    "\n"
    "命令:\n"
    "  serve                 启动 HTTP 服务（API 与网页）\n";

static const char usage_tail[] =
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
    "  --max-conns N         同时连接数上限（默认 4000）\n"
    "  --max-conns-per-ip N  同一地址的连接数上限（默认 64；--trust-proxy 时默认不限，由 nginx 限制；0 不限）\n"
    "  --header-timeout SEC  请求头须在此时间内收齐（默认 10）\n"
    "  --min-rate BYTES      请求体的最低平均速率，字节/秒（默认 1024；0 不限）\n"
    "  --max-jobs N          同时运行的后台任务（导入、返还计算）上限（默认 4，超过时答 429）\n"
    "  --max-jobs-per-user N 每个用户同时运行的后台任务上限（默认 2）\n"
    "  --xlsx-max-part BYTES Excel 文件中工作表等每个部分解压后的上限（默认 67108864，约 20 万行会员）\n"
    "  --secure-cookies      Cookie 加 Secure（HTTPS 部署时，GONGHUI_SECURE_COOKIES=1）\n"
    "  --no-access-log       不写访问日志\n"
    "  --no-migrate          启动时不自动升级数据库结构\n"
    "  --checkpoints FILE    签名检查点追加到此文件（GONGHUI_CHECKPOINTS，默认密钥文件旁的 checkpoints.jsonl）\n"
    "  --checkpoint-interval SEC  每隔多少秒签一个检查点（链有变化时；GONGHUI_CHECKPOINT_INTERVAL，默认 600；\n"
    "                        0 只在启动和停止时签）\n"
    "\n"
    "English: gonghui is a trade-union service platform. Run `gonghui serve` to start the\n"
    "server; every command takes --db (SQLite by default, PostgreSQL by URL).\n";

static const cli_verb *const cli_tables[] = {
#define GH_MODULE(name) cli_##name,
#include "domain/modules.def"
#undef GH_MODULE
    NULL,
};

/* The help text: serve, then every module's commands, then the options. */
static void print_usage(void)
{
    fputs(usage_head, stdout);
    for (const cli_verb *const *t = cli_tables; *t; t++)
        for (const cli_verb *v = *t; v->word; v++) fputs(v->usage, stdout);
    fputs(usage_tail, stdout);
}

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
    chain_derive_keys(cfg);
    cfg->checkpoint_file = cli_checkpoint_file(o);
    return store_open(o->db, db, e);
}

const char *cli_checkpoint_file(const cli_opts *o)
{
    static char path[1024];
    const char *given = cli_opt(o, "checkpoints");
    if (!given || !*given) given = getenv("GONGHUI_CHECKPOINTS");
    if (given && *given) return given;
    /* beside the key file: var/checkpoints.jsonl by default */
    const char *slash = strrchr(o->key_file, '/');
    if (slash) snprintf(path, sizeof path, "%.*s/checkpoints.jsonl", (int)(slash - o->key_file), o->key_file);
    else snprintf(path, sizeof path, "checkpoints.jsonl");
    return path;
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
        long long part = (long long)json_integer_value(json_object_get(p, "partition"));
        const char *name = json_string_value(json_object_get(p, "name"));
        n++;
        if (problem) {
            bad++;
            fprintf(out, "分区 %lld（%s）未通过：%s\n", part, name, problem);
            size_t j;
            const json_t *q;
            json_array_foreach(json_object_get(p, "problems"), j, q) {
                long long count = (long long)json_integer_value(json_object_get(q, "count"));
                if (j == 0) {
                    if (count > 1) fprintf(out, "  （同样的问题共 %lld 处）\n", count);
                    continue;
                }
                fprintf(out, "分区 %lld（%s）另有问题：%s%s\n", part, name,
                        json_string_value(json_object_get(q, "problem")), count > 1 ? "（多处）" : "");
            }
        } else {
            fprintf(out, "分区 %lld（%s）：%lld %s，链头 %.16s…\n", part, name,
                    (long long)json_integer_value(json_object_get(p, "rows")), unit,
                    json_string_value(json_object_get(p, "head")));
        }
    }
    fprintf(out, "根摘要（%d 个分区%s）：%s\n", n, bad ? "，有分区未通过，不可信" : "", root);
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
    /* the first start after keying seals the chains as they are */
    if (rc == 0) rc = chain_seal(store_conn_get(db, &e), &chain_audit, cfg.chain_key, NULL, &e);
    if (rc == 0) rc = chain_seal(store_conn_get(db, &e), &chain_ledger, cfg.chain_key, NULL, &e);
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
    const char *mj = cli_opt(o, "max-jobs"), *mju = cli_opt(o, "max-jobs-per-user");
    job_set_limits(mj ? atoi(mj) : 4, mju ? atoi(mju) : 2);
    const char *xp = cli_opt(o, "xlsx-max-part");
    if (xp) xlsx_set_limits(strtoull(xp, NULL, 10), 0);
    const char *mc = cli_opt(o, "max-conns"), *mip = cli_opt(o, "max-conns-per-ip");
    const char *ht = cli_opt(o, "header-timeout"), *mr = cli_opt(o, "min-rate");
    http_options ho = {
        .listen = o->listen, .ui_dir = o->ui_dir, .threads = o->threads,
        .max_body = o->max_body, .max_upload = o->max_upload, .timeout_s = 30,
        .trust_proxy = o->trust_proxy,
        .max_conns = mc ? atoi(mc) : 4000,
        .max_conns_per_ip = mip ? atoi(mip) : -1,
        .header_timeout_s = ht ? atoi(ht) : 10,
        .min_rate = mr ? strtoull(mr, NULL, 10) : 1024,
    };
    http_server *srv = NULL;
    int port = 0;
    const char *ci = cli_opt(o, "checkpoint-interval");
    if (!ci) ci = getenv("GONGHUI_CHECKPOINT_INTERVAL");
    int interval = ci && *ci ? atoi(ci) : 600;
    rc = checkpoint_start(db, &cfg, interval < 0 ? 0 : interval, &e);
    if (rc == 0) rc = http_start(&ho, db, &cfg, &srv, &port, &e);
    if (rc) {
        checkpoint_stop();
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
    checkpoint_stop(); /* a last checkpoint of what the requests left */
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
    if (module_check(&e) != 0) { /* a clash between module descriptors is a build fault */
        cli_fail(&e);
        return 1;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_usage();
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
    if (strcmp(cmd, "routes") == 0) return cli_routes(&o);
    /* the modules' commands: the word, and the next word where a command
     * names one ("import members") */
    const char *sub = o.nargs > 1 ? o.args[1] : "";
    int word_known = 0;
    for (const cli_verb *const *t = cli_tables; *t; t++)
        for (const cli_verb *v = *t; v->word; v++)
            if (strcmp(v->word, cmd) == 0) {
                word_known = 1;
                if (!v->sub || strcmp(v->sub, sub) == 0) return v->run(&o);
            }
    if (word_known) { /* a known command with an unknown second word */
        fprintf(stderr, "用法:\n");
        for (const cli_verb *const *t = cli_tables; *t; t++)
            for (const cli_verb *v = *t; v->word; v++)
                if (strcmp(v->word, cmd) == 0) fputs(v->usage, stderr);
        return 2;
    }
    fprintf(stderr, "未知命令：%s（gonghui --help 查看用法）\n", cmd);
    return 2;
}

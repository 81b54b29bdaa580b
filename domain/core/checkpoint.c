/* checkpoint.c — signed checkpoints of the hash chains; see checkpoint.h. */
#include "domain/core/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/log.h"
#include "domain/core/audit.h"

static const chain_kind *const kinds[] = {&chain_audit, &chain_ledger};
#define NKINDS 2

static int is_hex64(const char *s)
{
    if (!s || strlen(s) != 64) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    return 1;
}

/* The text the signature covers, from the checkpoint's fields; ERR_INVALID
 * (why says what) when a field is missing or malformed. *roots_ok: each
 * root matches its partitions. */
static int signed_text(const json_t *cp, buf *b, const char **why, int *roots_ok)
{
    const char *ts = json_string_value(json_object_get(cp, "ts"));
    const char *key = json_string_value(json_object_get(cp, "key"));
    if (json_integer_value(json_object_get(cp, "v")) != 1 || !ts || strlen(ts) >= 32 || !is_hex64(key)) {
        *why = "缺少 v、ts 或 key";
        return ERR_INVALID;
    }
    buf_printf(b, "gonghui checkpoint v1\nts %s\nkey %s\n", ts, key);
    *roots_ok = 1;
    for (int k = 0; k < NKINDS; k++) {
        const json_t *o = json_object_get(cp, kinds[k]->code);
        const char *root = json_string_value(json_object_get(o, "root"));
        const json_t *parts = json_object_get(o, "parts");
        if (!is_hex64(root) || !json_is_array(parts)) {
            *why = "缺少某条链的根摘要或分区列表";
            return ERR_INVALID;
        }
        buf_printf(b, "%s root %s\n", kinds[k]->code, root);
        size_t n = json_array_size(parts), i;
        chain_head *h = calloc(n ? n : 1, sizeof *h);
        if (!h) return ERR_NOMEM;
        const json_t *p;
        int bad = 0;
        json_array_foreach(parts, i, p) {
            const char *hash = json_string_value(json_array_get(p, 2));
            if (json_array_size(p) != 4 || !json_is_integer(json_array_get(p, 0)) ||
                !json_is_integer(json_array_get(p, 1)) || !json_is_integer(json_array_get(p, 3)) || !is_hex64(hash) ||
                (i > 0 && json_integer_value(json_array_get(p, 0)) <= h[i - 1].part)) {
                bad = 1;
                break;
            }
            h[i].part = json_integer_value(json_array_get(p, 0));
            h[i].seq = json_integer_value(json_array_get(p, 1));
            snprintf(h[i].hash, sizeof h[i].hash, "%s", hash);
            h[i].keyed_from = json_integer_value(json_array_get(p, 3));
            buf_printf(b, "%s %lld %lld %s %lld\n", kinds[k]->code, (long long)h[i].part, (long long)h[i].seq, hash,
                       (long long)h[i].keyed_from);
        }
        char want[65];
        if (!bad) chain_root(h, (int)n, want);
        free(h);
        if (bad) {
            *why = "分区列表格式不对";
            return ERR_INVALID;
        }
        if (strcmp(want, root) != 0) *roots_ok = 0;
    }
    return 0;
}

void checkpoint_public_hex(const gh_config *cfg, char out[65]) { crypto_hex(cfg->sign_pk, 32, out); }

int checkpoint_parse_public(const char *hex, unsigned char pk[32], gh_err *e)
{
    if (!hex || crypto_unhex(hex, pk, 32) != 0)
        return err_set(e, ERR_INVALID, "invalid_public_key", "public-key", "公钥应为 64 位十六进制数字");
    return 0;
}

/* ---- taking one ---- */

typedef struct make_ctx {
    const gh_config *cfg;
    json_t *kinds[NKINDS];
    char roots[NKINDS][65];
    buf refused;
} make_ctx;

static int make_tx(store_conn *db, void *p, gh_err *e)
{
    make_ctx *m = p;
    buf_reset(&m->refused);
    for (int k = 0; k < NKINDS; k++) {
        json_decref(m->kinds[k]);
        m->kinds[k] = json_array();
        chain_head *h = NULL;
        int n = 0;
        int rc = chain_heads(db, kinds[k], &h, &n, e);
        if (rc) return rc;
        for (int i = 0; i < n && rc >= 0; i++) {
            char why[160];
            rc = chain_head_check(db, kinds[k], m->cfg->chain_key, &h[i], why, sizeof why, e);
            if (rc == 0)
                buf_printf(&m->refused, "%s%s分区 %lld 的链头%s", m->refused.len ? "；" : "", kinds[k]->label,
                           (long long)h[i].part, why);
            json_array_append_new(m->kinds[k], json_pack("[I, I, s, I]", (json_int_t)h[i].part, (json_int_t)h[i].seq,
                                                         h[i].hash, (json_int_t)h[i].keyed_from));
        }
        if (rc >= 0) chain_root(h, n, m->roots[k]);
        free(h);
        if (rc < 0) return rc;
    }
    return 0;
}

int checkpoint_make(store_conn *db, const gh_config *cfg, char **line, json_t **cpout, gh_err *e)
{
    *line = NULL;
    if (cpout) *cpout = NULL;
    make_ctx m = {.cfg = cfg};
    int rc = store_tx(db, STORE_READ, make_tx, &m, e);
    json_t *cp = NULL;
    if (rc == 0 && m.refused.len)
        rc = err_set(e, ERR_CONFLICT, "checkpoint_refused", NULL,
                     "不签检查点：%s（先运行 gonghui audit verify / ledger check 查明）", buf_str(&m.refused));
    if (rc == 0) {
        char ts[32], pk[65];
        ts_now(ts);
        checkpoint_public_hex(cfg, pk);
        cp = json_pack("{s:i, s:s, s:s}", "v", 1, "ts", ts, "key", pk);
        for (int k = 0; k < NKINDS; k++) {
            json_object_set_new(cp, kinds[k]->code,
                                json_pack("{s:s, s:O}", "root", m.roots[k], "parts", m.kinds[k]));
        }
        buf b = {0};
        const char *why = NULL;
        int roots_ok = 0;
        rc = signed_text(cp, &b, &why, &roots_ok);
        if (rc == 0) {
            char sig[129];
            crypto_sign_hex(cfg->sign_sk, buf_str(&b), b.len, sig);
            json_object_set_new(cp, "sig", json_string(sig));
            *line = json_dumps(cp, JSON_COMPACT);
            if (!*line) rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        } else {
            rc = err_set(e, ERR_INTERNAL, "checkpoint_internal", NULL, "检查点格式错误：%s", why ? why : "");
        }
        buf_free(&b);
    }
    for (int k = 0; k < NKINDS; k++) json_decref(m.kinds[k]);
    buf_free(&m.refused);
    if (rc == 0 && cpout) *cpout = cp;
    else json_decref(cp);
    return rc;
}

int checkpoint_append(const char *path, const char *line, gh_err *e)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return err_set(e, ERR_INTERNAL, "checkpoint_file", "checkpoints", "无法打开检查点文件 %s：%s", path,
                       strerror(errno));
    /* several processes may append to one file: one whole line at a time */
    flock(fd, LOCK_EX);
    size_t len = strlen(line);
    char *all = malloc(len + 1);
    if (!all) {
        close(fd);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    memcpy(all, line, len);
    all[len] = '\n';
    size_t done = 0;
    int rc = 0;
    while (done < len + 1) {
        ssize_t w = write(fd, all + done, len + 1 - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            rc = err_set(e, ERR_INTERNAL, "checkpoint_file", "checkpoints", "写检查点文件 %s 失败：%s", path,
                         strerror(errno));
            break;
        }
        done += (size_t)w;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = err_set(e, ERR_INTERNAL, "checkpoint_file", "checkpoints", "检查点文件 %s 未能落盘：%s", path,
                     strerror(errno));
    free(all);
    flock(fd, LOCK_UN);
    close(fd);
    return rc;
}

/* ---- through the API ---- */

static int may_checkpoint(const gh_actor *a, gh_err *e)
{
    if (a->role != ROLE_ADMIN && a->role != ROLE_AUDITOR && a->role != ROLE_SYSTEM)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有管理员和审计员可以签检查点");
    return 0;
}

int checkpoint_create(gh_ctx *x, json_t **out, gh_err *e)
{
    int rc = may_checkpoint(x->actor, e);
    if (rc) return rc;
    if (!x->cfg->checkpoint_file)
        return err_set(e, ERR_UNAVAILABLE, "checkpoint_file_unset", NULL, "本服务没有配置检查点文件");
    char *line = NULL;
    json_t *cp = NULL;
    rc = checkpoint_make(x->db, x->cfg, &line, &cp, e);
    if (rc == 0) rc = checkpoint_append(x->cfg->checkpoint_file, line, e);
    if (rc == 0) {
        json_t *d = json_pack("{s:s, s:s, s:s}", "ts", json_string_value(json_object_get(cp, "ts")), "audit_root",
                              json_string_value(json_object_get(json_object_get(cp, "audit"), "root")), "ledger_root",
                              json_string_value(json_object_get(json_object_get(cp, "ledger"), "root")));
        rc = audit_record(x, "audit.checkpoint", NULL, 0, 0, "ok", d, e);
        json_decref(d);
    }
    if (rc == 0) {
        char pk[65];
        checkpoint_public_hex(x->cfg, pk);
        *out = json_pack("{s:O, s:s, s:s, s:s}", "checkpoint", cp, "line", line, "file", x->cfg->checkpoint_file,
                         "public_key", pk);
        if (!*out) rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    } else if (e->code[0] && strcmp(e->code, "checkpoint_refused") == 0) {
        log_error("checkpoint refused: %s", e->message);
    }
    json_decref(cp);
    free(line);
    return rc;
}

int checkpoint_public_key(gh_ctx *x, json_t **out, gh_err *e)
{
    int rc = may_checkpoint(x->actor, e);
    if (rc) return rc;
    char pk[65];
    checkpoint_public_hex(x->cfg, pk);
    *out = json_pack("{s:s, s:s}", "public_key", pk, "algorithm", "Ed25519");
    return *out ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

/* ---- reading a file for verification ---- */

static void line_problem(json_t *problems, int line, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void line_problem(json_t *problems, int line, const char *code, const char *fmt, ...)
{
    char text[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    json_array_append_new(problems, json_pack("{s:i, s:s, s:s}", "line", line, "code", code, "problem", text));
}

int checkpoint_load(const char *path, const unsigned char pk[32], chain_targets *audit, chain_targets *ledger,
                    int *lines, int *valid, json_t *problems, gh_err *e)
{
    *lines = *valid = 0;
    FILE *f = fopen(path, "re");
    if (!f)
        return err_set(e, ERR_NOT_FOUND, "checkpoint_file", "checkpoints", "无法读取检查点文件 %s：%s", path,
                       strerror(errno));
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, rc = 0;
    char want[65];
    crypto_hex(pk, 32, want);
    chain_targets *dest[NKINDS] = {audit, ledger};
    buf b = {0};
    while (rc == 0 && (len = getline(&text, &cap, f)) >= 0) {
        lineno++;
        if (text[len - 1] != '\n' && feof(f)) {
            /* a last line without its newline: copied while the server was
             * writing it; what it holds is in the next copy */
            line_problem(problems, lineno, "checkpoint_incomplete", "检查点文件第 %d 行不完整（复制时正在写入），已跳过",
                         lineno);
            break;
        }
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' ')) text[--len] = '\0';
        if (len == 0) continue;
        (*lines)++;
        json_error_t je;
        json_t *cp = json_loadb(text, (size_t)len, 0, &je);
        const char *why = NULL;
        int roots_ok = 0;
        buf_reset(&b);
        if (!json_is_object(cp)) {
            line_problem(problems, lineno, "checkpoint_malformed", "检查点文件第 %d 行不是检查点（不是 JSON 对象）", lineno);
        } else if (signed_text(cp, &b, &why, &roots_ok) != 0) {
            line_problem(problems, lineno, "checkpoint_malformed", "检查点文件第 %d 行格式不对：%s", lineno,
                         why ? why : "");
        } else if (crypto_sign_check(pk, buf_str(&b), b.len, json_string_value(json_object_get(cp, "sig"))) != 0) {
            const char *ts = json_string_value(json_object_get(cp, "ts"));
            int other = strcmp(json_string_value(json_object_get(cp, "key")), want) != 0;
            line_problem(problems, lineno, "checkpoint_bad_signature",
                         "检查点文件第 %d 行（%s）签名无效：%s", lineno, ts,
                         other ? "签名用的不是平台的公钥（伪造的检查点）" : "内容在签名之后被改动过（伪造的检查点）");
        } else if (!roots_ok) {
            line_problem(problems, lineno, "checkpoint_malformed", "检查点文件第 %d 行的根摘要与分区列表不符", lineno);
        } else {
            (*valid)++;
            const char *ts = json_string_value(json_object_get(cp, "ts"));
            for (int k = 0; k < NKINDS && rc == 0; k++) {
                if (!dest[k]) continue;
                size_t i;
                const json_t *p;
                json_array_foreach(json_object_get(json_object_get(cp, kinds[k]->code), "parts"), i, p) {
                    chain_target t = {.part = json_integer_value(json_array_get(p, 0)),
                                      .seq = json_integer_value(json_array_get(p, 1)),
                                      .keyed_from = json_integer_value(json_array_get(p, 3)),
                                      .line = lineno};
                    snprintf(t.hash, sizeof t.hash, "%s", json_string_value(json_array_get(p, 2)));
                    snprintf(t.ts, sizeof t.ts, "%s", ts);
                    if (chain_targets_add(dest[k], &t) != 0) {
                        rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                        break;
                    }
                }
            }
        }
        json_decref(cp);
    }
    buf_free(&b);
    free(text);
    fclose(f);
    for (int k = 0; k < NKINDS; k++)
        if (dest[k]) chain_targets_sort(dest[k]);
    return rc;
}

/* ---- the background writer ---- */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    int running, stop, interval_s;
    store *s;
    const gh_config *cfg;
    char last[65]; /* what the last line pinned (both chains), to skip idle periods */
} g = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void write_one(void)
{
    gh_err e;
    err_clear(&e);
    store_conn *db = store_conn_get(g.s, &e);
    char *line = NULL;
    json_t *cp = NULL;
    int rc = db ? checkpoint_make(db, g.cfg, &line, &cp, &e) : ERR_STORE;
    if (rc == 0) {
        json_t *both = json_pack("[O, O]", json_object_get(cp, "audit"), json_object_get(cp, "ledger"));
        char *pinned = both ? json_dumps(both, JSON_COMPACT) : NULL;
        json_decref(both);
        char h[65] = "";
        if (pinned) crypto_sha256_hex(pinned, strlen(pinned), h);
        free(pinned);
        if (strcmp(h, g.last) != 0) {
            rc = checkpoint_append(g.cfg->checkpoint_file, line, &e);
            if (rc == 0) {
                snprintf(g.last, sizeof g.last, "%s", h);
                log_info("checkpoint written to %s: audit root %.16s, ledger root %.16s", g.cfg->checkpoint_file,
                         json_string_value(json_object_get(json_object_get(cp, "audit"), "root")),
                         json_string_value(json_object_get(json_object_get(cp, "ledger"), "root")));
            }
        }
    }
    if (rc) log_error("checkpoint not written: [%s] %s", e.code, e.message);
    json_decref(cp);
    free(line);
}

static void *writer(void *arg)
{
    (void)arg;
    write_one();
    pthread_mutex_lock(&g.mu);
    while (!g.stop) {
        if (g.interval_s > 0) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += g.interval_s;
            while (!g.stop && pthread_cond_timedwait(&g.cv, &g.mu, &until) == 0) {
            }
        } else {
            pthread_cond_wait(&g.cv, &g.mu);
        }
        pthread_mutex_unlock(&g.mu);
        write_one(); /* on each interval, and once more when stopping */
        pthread_mutex_lock(&g.mu);
    }
    pthread_mutex_unlock(&g.mu);
    return NULL;
}

int checkpoint_start(store *s, const gh_config *cfg, int interval_s, gh_err *e)
{
    if (!cfg->checkpoint_file) return 0;
    g.s = s;
    g.cfg = cfg;
    g.interval_s = interval_s;
    g.stop = 0;
    g.last[0] = '\0';
    if (pthread_create(&g.th, NULL, writer, NULL) != 0)
        return err_set(e, ERR_INTERNAL, "thread_failed", NULL, "无法启动检查点线程");
    g.running = 1;
    return 0;
}

void checkpoint_stop(void)
{
    if (!g.running) return;
    pthread_mutex_lock(&g.mu);
    g.stop = 1;
    pthread_cond_signal(&g.cv);
    pthread_mutex_unlock(&g.mu);
    pthread_join(g.th, NULL);
    g.running = 0;
}

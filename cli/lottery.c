/* cli/lottery.c — `gonghui lottery verify`: recompute a voucher lottery's
 * winners from public facts alone — the published entrant list and the
 * published values of the declared randomness sources — without any
 * database or key, so a member, a journalist or an auditor can check a
 * result on their own machine.
 *
 *   gonghui lottery verify --entrants FILE --sources "9319/2 5 12 8 10/9 18 26 34 41 45" --count K
 *
 * FILE is the published list: one entrant per line in entry-number order,
 * the entry number first; blank lines and lines starting with '#' are
 * skipped. Standard output: the key string, then the winners in draw order,
 * one line each (the entrant's line from FILE, entry number first) — the
 * same text as the published result file, so `diff` compares them. Notes
 * (method, timing, the file's SHA-256) go to standard error. --steps also
 * prints every step (index, MD5, remaining, remainder) to standard error;
 * --plain uses the RFC's plain quadratic loop instead of the Fenwick tree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "cli/cli.h"
#include "domain/lottery/rfc3797.h"

typedef struct entrant_file {
    char *data;
    size_t len;
    size_t *line; /* start of entrant i's line (i from 0) */
    size_t *llen; /* its length without the line break */
    uint32_t n;
} entrant_file;

static int read_all(const char *path, char **data, size_t *len, gh_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, ERR_NOT_FOUND, "file_not_found", "entrants", "无法打开文件 %s：%s", path, strerror(errno));
    buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.oom) {
        buf_free(&b);
        return err_set(e, ERR_INTERNAL, "read_failed", "entrants", "读取文件 %s 失败", path);
    }
    *len = b.len;
    *data = buf_take(&b);
    if (!*data) *data = strdup("");
    return *data ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
}

/* Index the lines; check that entry numbers run 1, 2, 3 … without gaps. */
static int parse_entrants(entrant_file *f, gh_err *e)
{
    size_t cap = 1024, lineno = 0;
    f->line = malloc(cap * sizeof *f->line);
    f->llen = malloc(cap * sizeof *f->llen);
    if (!f->line || !f->llen) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    size_t p = 0;
    if (f->len >= 3 && memcmp(f->data, "\xEF\xBB\xBF", 3) == 0) p = 3; /* a BOM from Excel or Notepad */
    while (p < f->len) {
        size_t start = p;
        while (p < f->len && f->data[p] != '\n') p++;
        size_t end = p;
        if (p < f->len) p++;
        if (end > start && f->data[end - 1] == '\r') end--;
        lineno++;
        size_t s = start;
        while (s < end && (f->data[s] == ' ' || f->data[s] == '\t')) s++;
        if (s == end || f->data[s] == '#') continue;
        uint64_t no = 0;
        size_t d = s;
        while (d < end && f->data[d] >= '0' && f->data[d] <= '9' && no <= RFC3797_MAX_POOL) no = no * 10 + (uint64_t)(f->data[d++] - '0');
        int sep_ok = d == end || f->data[d] == ' ' || f->data[d] == '\t' || f->data[d] == ',';
        if (d == s || !sep_ok)
            return err_set(e, ERR_INVALID, "invalid_entrant_line", "entrants", "第 %zu 行：每行应以报名编号开头", lineno);
        if (no != (uint64_t)f->n + 1)
            return err_set(e, ERR_INVALID, "invalid_entrant_line", "entrants",
                           "第 %zu 行：报名编号应为 %u（名单须按编号从 1 起连续排列）", lineno, f->n + 1);
        if (f->n == RFC3797_MAX_POOL)
            return err_set(e, ERR_INVALID, "invalid_pool", "entrants", "报名人数超过 %u", RFC3797_MAX_POOL);
        if (f->n == cap) {
            cap *= 2;
            size_t *a = realloc(f->line, cap * sizeof *a);
            if (a) f->line = a;
            size_t *b = a ? realloc(f->llen, cap * sizeof *b) : NULL;
            if (b) f->llen = b;
            if (!a || !b) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        }
        f->line[f->n] = s;
        f->llen[f->n] = end - s;
        f->n++;
    }
    if (f->n == 0) return err_set(e, ERR_INVALID, "invalid_pool", "entrants", "名单中没有报名人");
    return 0;
}

static int usage(void)
{
    fprintf(stderr,
            "用法: gonghui lottery verify --entrants 名单文件 --sources \"随机源1/随机源2/…\" --count 抽取人数 [--steps] [--plain]\n"
            "  名单文件：公布的报名名单，每行一人，按报名编号顺序，行首为编号（# 开头的行为说明）\n"
            "  --sources：按公布的顺序，各随机源之间用 / 分隔，同一随机源的各个数之间用空格分隔，\n"
            "             例如 \"9319/2 5 12 8 10/9 18 26 34 41 45\"\n"
            "  --count：抽取人数（含后续轮次时填各轮合计，结果前若干行即为第一轮）\n"
            "输出：第一行为密钥串，其后按抽取顺序每行一名中签人（以报名编号开头）。\n");
    return 2;
}

static int verify(cli_opts *o)
{
    const char *path = cli_opt(o, "entrants"), *sources = cli_opt(o, "sources"), *count_s = cli_opt(o, "count");
    if (!path || !*path || !sources || !count_s || !*count_s) return usage();
    gh_err e;
    err_clear(&e);
    char *end = NULL;
    errno = 0;
    unsigned long long count = strtoull(count_s, &end, 10);
    if (errno || *end || count_s[0] == '-' || count == 0) {
        fprintf(stderr, "错误：--count 应为正整数\n");
        return 2;
    }
    entrant_file f = {0};
    buf key = {0};
    rfc3797_pick *picks = NULL;
    int rc = read_all(path, &f.data, &f.len, &e);
    if (rc == 0) rc = parse_entrants(&f, &e);
    if (rc == 0) rc = rfc3797_key_text(sources, &key, &e);
    if (rc == 0 && count > f.n)
        rc = err_set(&e, ERR_INVALID, "invalid_count", "count", "抽取人数 %llu 超过名单人数 %u", count, f.n);
    if (rc == 0 && !(picks = calloc((size_t)count, sizeof *picks))) rc = err_set(&e, ERR_NOMEM, NULL, NULL, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int plain = cli_opt(o, "plain") != NULL;
    if (rc == 0)
        rc = (plain ? rfc3797_draw_plain : rfc3797_draw)(buf_str(&key), key.len, f.n, 0, (uint32_t)count, picks, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc) {
        cli_fail(&e);
    } else {
        char sha[65];
        crypto_sha256_hex(f.data, f.len, sha);
        int ib = rfc3797_index_bytes(f.n);
        fprintf(stderr, "名单：%u 人，SHA-256 %s\n", f.n, sha);
        if (ib == 2) fprintf(stderr, "方法：RFC 3797（序号 2 字节）\n");
        else fprintf(stderr, "方法：RFC 3797 扩展：报名超过 65535 人，序号写作 4 字节大端\n");
        fprintf(stderr, "抽取 %llu 人，用时 %.6f 秒（%s）\n", count,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                plain ? "RFC 原始逐个删除算法" : "树状数组");
        printf("%s\n", buf_str(&key));
        for (size_t i = 0; i < count; i++) {
            const rfc3797_pick *p = &picks[i];
            fwrite(f.data + f.line[p->entry - 1], 1, f.llen[p->entry - 1], stdout);
            putchar('\n');
        }
        if (cli_opt(o, "steps")) {
            fprintf(stderr, "序号  MD5                               剩余人数  余数  中签编号\n");
            for (size_t i = 0; i < count; i++) {
                char hex[33];
                rfc3797_hex(picks[i].md5, hex);
                fprintf(stderr, "%5u %s %8u %8u %8u\n", picks[i].index, hex, picks[i].remaining, picks[i].remainder,
                        picks[i].entry);
            }
        }
        if (fflush(stdout) != 0) rc = ERR_INTERNAL;
    }
    free(picks);
    buf_free(&key);
    free(f.data);
    free(f.line);
    free(f.llen);
    return rc == 0 ? 0 : 1;
}

int cli_lottery_cmd(cli_opts *o)
{
    if (o->nargs >= 2 && strcmp(o->args[1], "verify") == 0) return verify(o);
    return usage();
}

const cli_verb cli_lottery[] = {
    {"lottery", NULL, cli_lottery_cmd,
     "  lottery verify        按公布的名单和随机源复核消费券抽取结果（--entrants --sources --count，不需数据库）\n"},
    {0},
};

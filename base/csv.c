/* csv.c — streaming CSV reader with UTF-8/GBK detection; see csv.h.
 *
 * Three layers, each pulling from the one below:
 *   raw     the input bytes: the caller's memory, or a fixed buffer refilled
 *           from the FILE* (raw[raw_pos..raw_len) is unread, raw_base is the
 *           input offset of raw[0]);
 *   decoded UTF-8 bytes: raw itself for UTF-8 input, or the output of iconv
 *           (GB18030 -> UTF-8) in dec[] for GBK input;
 *   parser  a byte-at-a-time state machine building one record in rec, with
 *           the start offset of each field in off[].
 * Physical lines are counted where bytes are consumed (rd), with the same
 * rule as the encoding scan: CR ends a line, LF ends one unless it follows CR. */
#include "base/csv.h"
#include "base/date.h"

#include "base/buf.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RAW_CAP (64 * 1024)
#define DEC_CAP (256 * 1024) /* > 3x RAW_CAP: GBK's 2 bytes become 3 */
#define CSV_EOF 256          /* rd()/pk() value at the end of input */

struct csv_reader {
    FILE *fp; /* owned; NULL for memory input */
    size_t size;
    size_t bom; /* bytes of UTF-8 BOM skipped at the start */

    const unsigned char *raw;
    unsigned char *rawbuf; /* file input only */
    size_t raw_len, raw_pos, raw_base;

    int gbk;
    iconv_t cd;
    unsigned char *dec;
    size_t dec_len, dec_pos;

    long line;   /* physical line of the next unread byte */
    int prev_cr; /* the last byte consumed was CR */
    long rec_line;
    int done;
    int failed; /* sticky error: rc, with the detail in err */
    gh_err err;

    buf rec;
    size_t *off;
    size_t nf, off_cap;
};

/* ---- raw input --------------------------------------------------------- */

/* Position the raw layer at the first byte after the BOM. */
static int raw_rewind(csv_reader *r, gh_err *e)
{
    if (r->fp) {
        if (fseek(r->fp, (long)r->bom, SEEK_SET) != 0)
            return err_set(e, ERR_INTERNAL, "io_error", NULL, "读取文件失败");
        clearerr(r->fp);
        r->raw_base = r->bom;
        r->raw_len = r->raw_pos = 0;
    } else {
        r->raw_base = 0;
        r->raw_pos = r->bom;
    }
    r->line = 1;
    r->prev_cr = 0;
    return 0;
}

/* Read more input, keeping the unread tail raw[raw_pos..raw_len) (GBK may
 * leave half a character there). Returns bytes added, 0 at the end of input,
 * or a negative error. */
static long raw_more(csv_reader *r, gh_err *e)
{
    if (!r->fp) return 0;
    size_t keep = r->raw_len - r->raw_pos;
    if (keep) memmove(r->rawbuf, r->rawbuf + r->raw_pos, keep);
    r->raw_base += r->raw_pos;
    r->raw_pos = 0;
    r->raw_len = keep;
    size_t got = fread(r->rawbuf + keep, 1, RAW_CAP - keep, r->fp);
    if (got == 0 && ferror(r->fp)) return err_set(e, ERR_INTERNAL, "io_error", NULL, "读取文件失败");
    r->raw_len += got;
    return (long)got;
}

static void count_lines(const unsigned char *p, size_t n, long *line, int *prev_cr)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r') (*line)++;
        else if (p[i] == '\n' && !*prev_cr) (*line)++;
        *prev_cr = p[i] == '\r';
    }
}

/* ---- encoding detection ------------------------------------------------ */

/* Incremental UTF-8 validation, so a file can be checked chunk by chunk:
 * need continuation bytes are still expected, the next within [lo, hi]. */
typedef struct {
    int need;
    unsigned char lo, hi;
} u8state;

/* Check p[0..n). Returns the index of the first bad byte, or n. */
static size_t u8_feed(u8state *s, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (s->need) {
            if (c < s->lo || c > s->hi) return i;
            s->need--;
            s->lo = 0x80;
            s->hi = 0xBF;
            continue;
        }
        if (c < 0x80) {
            if (c == 0) return i;
            continue;
        }
        s->lo = 0x80;
        s->hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) s->need = 1;
        else if (c == 0xE0) { s->need = 2; s->lo = 0xA0; }
        else if (c == 0xED) { s->need = 2; s->hi = 0x9F; }
        else if (c >= 0xE1 && c <= 0xEF) s->need = 2;
        else if (c == 0xF0) { s->need = 3; s->lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) s->need = 3;
        else if (c == 0xF4) { s->need = 3; s->hi = 0x8F; }
        else return i;
    }
    return n;
}

/* Scan all input as UTF-8. Returns 1 valid, 0 invalid (*bad_line, *nul set),
 * negative on I/O error. */
static int scan_utf8(csv_reader *r, long *bad_line, int *nul, gh_err *e)
{
    int rc = raw_rewind(r, e);
    if (rc) return rc;
    u8state st = {0, 0x80, 0xBF};
    for (;;) {
        if (r->raw_pos == r->raw_len) {
            long got = raw_more(r, e);
            if (got < 0) return (int)got;
            if (got == 0) break;
        }
        const unsigned char *p = r->raw + r->raw_pos;
        size_t n = r->raw_len - r->raw_pos;
        size_t ok = u8_feed(&st, p, n);
        count_lines(p, ok, &r->line, &r->prev_cr);
        if (ok < n) {
            *bad_line = r->line;
            *nul = p[ok] == 0;
            return 0;
        }
        r->raw_pos = r->raw_len;
    }
    if (st.need) { /* the input ends inside a character */
        *bad_line = r->line;
        *nul = 0;
        return 0;
    }
    return 1;
}

/* Scan all input as GB18030. Same returns as scan_utf8. */
static int scan_gbk(csv_reader *r, long *bad_line, int *nul, gh_err *e)
{
    int rc = raw_rewind(r, e);
    if (rc) return rc;
    iconv(r->cd, NULL, NULL, NULL, NULL);
    *nul = 0;
    for (;;) {
        if (r->raw_pos == r->raw_len || r->fp) {
            /* Files: top up every round so a character split across reads
             * is completed; memory input has everything already. */
            long got = raw_more(r, e);
            if (got < 0) return (int)got;
            if (got == 0 && r->raw_pos == r->raw_len) return 1;
        }
        const unsigned char *p = r->raw + r->raw_pos;
        size_t n = r->raw_len - r->raw_pos;
        /* NUL decodes "fine" but is never a trail byte in GB18030, so any
         * 0x00 is a real NUL. */
        const unsigned char *z = memchr(p, 0, n);
        size_t limit = z ? (size_t)(z - p) : n;
        char *in = (char *)(uintptr_t)p;
        size_t inleft = limit;
        int stop = 0;
        while (inleft > 0 && !stop) {
            char *outp = (char *)r->dec;
            size_t outleft = DEC_CAP;
            size_t x = iconv(r->cd, &in, &inleft, &outp, &outleft);
            if (x == (size_t)-1 && errno != E2BIG) stop = errno;
        }
        size_t used = (size_t)((const unsigned char *)in - p);
        count_lines(p, used, &r->line, &r->prev_cr);
        r->raw_pos += used;
        if (stop == EILSEQ || (z && (stop == 0 || stop == EINVAL))) {
            *bad_line = r->line;
            *nul = stop == 0 && z != NULL;
            return 0;
        }
        if (stop == EINVAL) {
            /* Incomplete character at the end of what we have: fine if more
             * input follows, an error at the very end. */
            long got = raw_more(r, e);
            if (got < 0) return (int)got;
            if (got == 0) {
                *bad_line = r->line;
                return 0;
            }
        } else if (stop) {
            return err_set(e, ERR_INTERNAL, "io_error", NULL, "字符编码转换失败");
        }
        if (!r->fp && r->raw_pos == r->raw_len) return 1;
    }
}

/* ---- opening ----------------------------------------------------------- */

static int reader_new(csv_reader **out, gh_err *e)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    r->cd = (iconv_t)-1;
    r->line = 1;
    *out = r;
    return 0;
}

static int has_bom(const unsigned char *p, size_t n)
{
    return n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
}

static int refill(csv_reader *r, gh_err *e);

/* Decide the encoding of the whole input and position the reader at its
 * first record. */
static int setup(csv_reader *r, gh_err *e)
{
    long bad8 = 0, badg = 0;
    int nul = 0;
    int rc = scan_utf8(r, &bad8, &nul, e);
    if (rc < 0) return rc;
    if (rc == 0) {
        if (nul)
            return err_set(e, ERR_INVALID, "invalid_encoding", NULL,
                           "第 %ld 行：文件中含有空字符，可能是 UTF-16（“Unicode 文本”）格式，"
                           "请在 Excel 中另存为“CSV UTF-8”", bad8);
        if (r->bom)
            return err_set(e, ERR_INVALID, "invalid_encoding", NULL,
                           "第 %ld 行：文件标明为 UTF-8 编码，但含有无效的 UTF-8 字符", bad8);
        r->cd = iconv_open("UTF-8", "GB18030");
        if (r->cd == (iconv_t)-1)
            return err_set(e, ERR_INTERNAL, "io_error", NULL, "系统不支持 GBK 编码转换");
        r->dec = malloc(DEC_CAP);
        if (!r->dec) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        rc = scan_gbk(r, &badg, &nul, e);
        if (rc < 0) return rc;
        if (rc == 0) {
            if (nul)
                return err_set(e, ERR_INVALID, "invalid_encoding", NULL,
                               "第 %ld 行：文件中含有空字符，可能是 UTF-16（“Unicode 文本”）格式，"
                               "请在 Excel 中另存为“CSV UTF-8”", badg);
            /* Report where decoding got further: that encoding is the
             * likelier intent, and its failure the likelier real problem. */
            return err_set(e, ERR_INVALID, "invalid_encoding", NULL,
                           "第 %ld 行：无法识别文件的字符编码（既不是 UTF-8 也不是 GBK），"
                           "请在 Excel 中另存为“CSV UTF-8”", bad8 > badg ? bad8 : badg);
        }
        r->gbk = 1;
        iconv(r->cd, NULL, NULL, NULL, NULL);
    }
    rc = raw_rewind(r, e);
    if (rc) return rc;
    r->dec_len = r->dec_pos = 0;
    r->done = 0;
    if (r->gbk) {
        /* GB18030 has its own byte order mark (84 31 95 33); it decodes to
         * U+FEFF, which would otherwise stick to the first header title. */
        rc = refill(r, e);
        if (rc < 0) return rc;
        if (r->dec_len >= 3 && has_bom(r->dec, r->dec_len)) r->dec_pos = 3;
    }
    return 0;
}

int csv_open_mem(const char *data, size_t n, csv_reader **out, gh_err *e)
{
    *out = NULL;
    if (!data && n) return err_set(e, ERR_INVALID, NULL, NULL, "没有数据");
    csv_reader *r = NULL;
    int rc = reader_new(&r, e);
    if (rc) return rc;
    r->raw = (const unsigned char *)(data ? data : "");
    r->raw_len = r->size = n;
    r->bom = has_bom(r->raw, n) ? 3 : 0;
    rc = setup(r, e);
    if (rc) {
        csv_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

int csv_open_file(const char *path, csv_reader **out, gh_err *e)
{
    *out = NULL;
    csv_reader *r = NULL;
    int rc = reader_new(&r, e);
    if (rc) return rc;
    r->fp = fopen(path, "rb");
    if (!r->fp) {
        rc = errno == ENOENT
                 ? err_set(e, ERR_NOT_FOUND, "file_not_found", NULL, "文件不存在：%s", path)
                 : err_set(e, ERR_INTERNAL, "io_error", NULL, "无法打开文件：%s", path);
        goto done;
    }
    struct stat st;
    if (fstat(fileno(r->fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = err_set(e, ERR_INTERNAL, "io_error", NULL, "不是普通文件：%s", path);
        goto done;
    }
    r->size = (size_t)st.st_size;
    r->rawbuf = malloc(RAW_CAP);
    if (!r->rawbuf) {
        rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        goto done;
    }
    r->raw = r->rawbuf;
    long got = raw_more(r, e);
    if (got < 0) {
        rc = (int)got;
        goto done;
    }
    r->bom = has_bom(r->raw, r->raw_len) ? 3 : 0;
    rc = setup(r, e);
done:
    if (rc) {
        csv_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

void csv_close(csv_reader *r)
{
    if (!r) return;
    if (r->fp) fclose(r->fp);
    if (r->cd != (iconv_t)-1) iconv_close(r->cd);
    free(r->rawbuf);
    free(r->dec);
    free(r->off);
    buf_free(&r->rec);
    free(r);
}

/* ---- decoded byte stream ----------------------------------------------- */

/* Make at least one decoded byte available: 1, 0 at the end, or negative. */
static int refill(csv_reader *r, gh_err *e)
{
    if (!r->gbk) {
        if (r->raw_pos < r->raw_len) return 1;
        long got = raw_more(r, e);
        return got < 0 ? (int)got : got > 0;
    }
    for (;;) {
        if (r->dec_pos < r->dec_len) return 1;
        if (r->raw_pos < r->raw_len) {
            char *in = (char *)(uintptr_t)(r->raw + r->raw_pos);
            size_t inleft = r->raw_len - r->raw_pos;
            char *outp = (char *)r->dec;
            size_t outleft = DEC_CAP;
            size_t x = iconv(r->cd, &in, &inleft, &outp, &outleft);
            int err = x == (size_t)-1 ? errno : 0;
            r->raw_pos = r->raw_len - inleft;
            r->dec_pos = 0;
            r->dec_len = DEC_CAP - outleft;
            if (r->dec_len) return 1;
            if (err == EILSEQ || (err == EINVAL && !r->fp))
                return err_set(e, ERR_INVALID, "invalid_encoding", NULL,
                               "第 %ld 行：无法识别的 GBK 字符", r->line);
            if (err != EINVAL && err != 0)
                return err_set(e, ERR_INTERNAL, "io_error", NULL, "字符编码转换失败");
            if (err == 0 && r->raw_pos < r->raw_len) continue;
        }
        /* nothing decodable left in raw: read more (keeping a split
         * character) */
        size_t before = r->raw_len - r->raw_pos;
        long got = raw_more(r, e);
        if (got < 0) return (int)got;
        if (got == 0) {
            if (before)
                return err_set(e, ERR_INVALID, "invalid_encoding", NULL,
                               "第 %ld 行：文件在一个字符中间结束", r->line);
            return 0;
        }
    }
}

/* Consume one byte: 0..255, CSV_EOF, or a negative error. */
static int rd(csv_reader *r, gh_err *e)
{
    int c;
    if (r->gbk && r->dec_pos < r->dec_len) c = r->dec[r->dec_pos++];
    else if (!r->gbk && r->raw_pos < r->raw_len) c = r->raw[r->raw_pos++];
    else {
        int rc = refill(r, e);
        if (rc < 0) return rc;
        if (rc == 0) return CSV_EOF;
        c = r->gbk ? r->dec[r->dec_pos++] : r->raw[r->raw_pos++];
    }
    if (c == '\r') r->line++;
    else if (c == '\n' && !r->prev_cr) r->line++;
    r->prev_cr = c == '\r';
    return c;
}

/* Look at the next byte without consuming it. */
static int pk(csv_reader *r, gh_err *e)
{
    int rc = refill(r, e);
    if (rc < 0) return rc;
    if (rc == 0) return CSV_EOF;
    return r->gbk ? r->dec[r->dec_pos] : r->raw[r->raw_pos];
}

/* ---- the parser -------------------------------------------------------- */

static int push_byte(csv_reader *r, int c, size_t *flen, long fline, gh_err *e)
{
    if (++*flen > CSV_FIELD_MAX)
        return err_set(e, ERR_INVALID, "field_too_long", NULL,
                       "第 %ld 行：字段长度超过 %d KiB", fline, CSV_FIELD_MAX / 1024);
    if (r->rec.len >= CSV_RECORD_MAX)
        return err_set(e, ERR_INVALID, "record_too_long", NULL,
                       "第 %ld 行：一条记录超过 %d MiB", r->rec_line, CSV_RECORD_MAX / (1024 * 1024));
    if (r->rec.len + 1 < r->rec.cap) { /* fast path; NULs are added per field */
        r->rec.data[r->rec.len++] = (char)c;
        return 0;
    }
    return buf_putc(&r->rec, (char)c) ? err_set(e, ERR_NOMEM, NULL, NULL, NULL) : 0;
}

static int start_field(csv_reader *r, gh_err *e)
{
    if (r->nf >= CSV_FIELDS_MAX)
        return err_set(e, ERR_INVALID, "record_too_long", NULL,
                       "第 %ld 行：一条记录超过 %d 列", r->rec_line, CSV_FIELDS_MAX);
    if (r->nf == r->off_cap) {
        size_t cap = r->off_cap ? r->off_cap * 2 : 32;
        size_t *p = realloc(r->off, cap * sizeof *p);
        if (!p) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        r->off = p;
        r->off_cap = cap;
    }
    r->off[r->nf++] = r->rec.len;
    return 0;
}

static int end_field(csv_reader *r, gh_err *e)
{
    return buf_putc(&r->rec, '\0') ? err_set(e, ERR_NOMEM, NULL, NULL, NULL) : 0;
}

#define IS_EOL(c) ((c) == '\r' || (c) == '\n' || (c) == CSV_EOF)
#define CHECK(expr) do { int rc_ = (expr); if (rc_ < 0) return rc_; } while (0)

/* Read one physical record (possibly all-empty). 1, 0 at the end, or < 0. */
static int read_record(csv_reader *r, gh_err *e)
{
    buf_reset(&r->rec);
    r->nf = 0;
    int c = rd(r, e);
    while (c == '\r' || c == '\n') c = rd(r, e);
    CHECK(c);
    if (c == CSV_EOF) return 0;
    r->rec_line = r->line;

    for (;;) {
        CHECK(start_field(r, e));
        size_t flen = 0;
        long fline = r->line;
        while (c == ' ' || c == '\t') c = rd(r, e);
        CHECK(c);
        if (c == '"') {
            long qline = r->line;
            for (;;) {
                c = rd(r, e);
                CHECK(c);
                if (c == CSV_EOF)
                    return err_set(e, ERR_INVALID, "malformed_csv", NULL,
                                   "第 %ld 行：引号未闭合", qline);
                if (c == '"') {
                    int n = pk(r, e);
                    CHECK(n);
                    if (n != '"') break;
                    rd(r, e);
                }
                CHECK(push_byte(r, c, &flen, fline, e));
            }
            c = rd(r, e);
            while (c == ' ' || c == '\t') c = rd(r, e);
            CHECK(c);
            if (c != ',' && !IS_EOL(c))
                return err_set(e, ERR_INVALID, "malformed_csv", NULL,
                               "第 %ld 行：引号结束后还有多余的字符（字段中的引号应写成两个双引号）",
                               r->line);
        } else {
            size_t keep = r->rec.len; /* end of the field without trailing spaces */
            while (c != ',' && !IS_EOL(c)) {
                if (c == '"')
                    return err_set(e, ERR_INVALID, "malformed_csv", NULL,
                                   "第 %ld 行：未加引号的字段中出现了引号（含引号的字段应整体用双引号括起，"
                                   "其中的引号写成两个）", r->line);
                CHECK(push_byte(r, c, &flen, fline, e));
                if (c != ' ' && c != '\t') keep = r->rec.len;
                c = rd(r, e);
                CHECK(c);
            }
            r->rec.len = keep;
        }
        CHECK(end_field(r, e));
        if (c == ',') {
            c = rd(r, e);
            CHECK(c);
            continue;
        }
        if (c == '\r') {
            int n = pk(r, e);
            CHECK(n);
            if (n == '\n') rd(r, e);
        }
        return 1;
    }
}

int csv_next(csv_reader *r, gh_err *e)
{
    if (!r) return err_set(e, ERR_INVALID, NULL, NULL, "没有打开的 CSV 文件");
    if (r->failed) {
        if (e) *e = r->err;
        return r->failed;
    }
    if (r->done) return 0;
    for (;;) {
        /* The detail goes to r->err first so that later calls (and callers
         * passing e == NULL now, reading it later) repeat the same error. */
        err_clear(&r->err);
        int rc = read_record(r, &r->err);
        if (rc < 0) {
            r->nf = 0;
            r->failed = rc;
            if (e) *e = r->err;
            return rc;
        }
        if (rc == 0) {
            r->done = 1;
            r->nf = 0;
            return 0;
        }
        for (size_t i = 0; i < r->nf; i++)
            if (r->rec.data[r->off[i]]) return 1;
        /* every field empty: a blank line or an Excel ",,,," row */
    }
}

size_t csv_nfields(const csv_reader *r) { return r ? r->nf : 0; }

const char *csv_field(const csv_reader *r, size_t i)
{
    if (!r || i >= r->nf) return "";
    return r->rec.data + r->off[i];
}

long csv_line(const csv_reader *r) { return r ? r->rec_line : 0; }

size_t csv_offset(const csv_reader *r) { return r ? r->raw_base + r->raw_pos : 0; }

size_t csv_size(const csv_reader *r) { return r ? r->size : 0; }

int csv_is_gbk(const csv_reader *r) { return r ? r->gbk : 0; }

/* s[0..n) without leading and trailing spaces/tabs. */
static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
}

int csv_header_map(csv_reader *r, const char *const *names, size_t n, int *idx, gh_err *e)
{
    for (size_t i = 0; i < n; i++) idx[i] = -1;
    int rc = csv_next(r, e);
    if (rc < 0) return rc;
    if (rc == 0) return err_set(e, ERR_INVALID, "empty_csv", NULL, "文件为空，缺少表头行");
    size_t nf = csv_nfields(r);
    for (size_t i = 0; i < n; i++) {
        if (!names[i]) continue;
        for (size_t col = 0; col < nf && idx[i] < 0; col++) {
            const char *h = csv_field(r, col);
            size_t hn = strlen(h);
            trim(&h, &hn);
            const char *a = names[i];
            for (;;) {
                const char *bar = strchr(a, '|');
                size_t an = bar ? (size_t)(bar - a) : strlen(a);
                const char *t = a;
                trim(&t, &an);
                if (an && an == hn && memcmp(t, h, an) == 0) {
                    idx[i] = (int)col;
                    break;
                }
                if (!bar) break;
                a = bar + 1;
            }
        }
    }
    return 0;
}

/* ---- cells as spreadsheets write them ---- */

/* Excel writes dates as 2023/5/8, 2023-05-08 or 20230508. */
int csv_cell_date(const char *s, char out[11])
{
    int y, m, d;
    char tail;
    if (strlen(s) == 8 && sscanf(s, "%4d%2d%2d%c", &y, &m, &d, &tail) == 3) {
    } else if (sscanf(s, "%d%*[-/.]%d%*[-/.]%d%c", &y, &m, &d, &tail) != 3) {
        return -1;
    }
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    int32_t days;
    return date_parse(out, &days, NULL) ? -1 : 0;
}

/* "2022-07", "2022/7", "202207" → "2022-07". */
int csv_cell_month(const char *s, char out[8])
{
    int y, m;
    char tail;
    if (strlen(s) == 6 && sscanf(s, "%4d%2d%c", &y, &m, &tail) == 2) {
    } else if (sscanf(s, "%d%*[-/.]%d%c", &y, &m, &tail) != 2) {
        return -1;
    }
    if (y < 2000 || y > 2100 || m < 1 || m > 12) return -1;
    snprintf(out, 8, "%04d-%02d", y, m);
    return 0;
}

int csv_cell_yes(const char *s, int *out)
{
    if (!strcmp(s, "是") || !strcmp(s, "Y") || !strcmp(s, "y") || !strcmp(s, "1") || !strcmp(s, "true")) return *out = 1, 0;
    if (!*s || !strcmp(s, "否") || !strcmp(s, "N") || !strcmp(s, "n") || !strcmp(s, "0") || !strcmp(s, "false")) return *out = 0, 0;
    return -1;
}


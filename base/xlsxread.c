/* xlsxread.c — read the first worksheet of an .xlsx workbook as CSV text,
 * so every import that takes a CSV takes Excel files too; see xlsxread.h.
 *
 * An .xlsx is a zip (libzip) of XML parts (expat): xl/workbook.xml names the
 * sheets, xl/_rels/workbook.xml.rels says which part each is,
 * xl/sharedStrings.xml holds the text cells, and the sheet part holds rows of
 * cells <c r="B3" t="s|str|inlineStr|b|n"><v>…</v></c>.
 *
 * Memory stays bounded whatever the archive claims or holds: every part is
 * inflated in 64 KiB pieces straight into expat, never whole; a part may not
 * inflate past xlsx_max_part bytes (64 MiB) nor, once past 1 MiB, to more
 * than xlsx_max_ratio (100) times its compressed size, checked on the sizes
 * the archive declares before anything is inflated and again on the bytes
 * actually inflated (a zip may lie about sizes); the CSV written may not
 * pass xlsx_max_part either (shared strings repeated cell after cell); an
 * archive with more than 10000 entries is refused before libzip reads its
 * directory; and a part with a DOCTYPE (entity expansion) is not a workbook. */
#include "base/xlsxread.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"
#include "base/date.h"

/* Limits (xlsxread.h); tests lower them. */
static size_t g_max_part = (size_t)64 << 20;
static unsigned g_max_ratio = 100;
#define RATIO_FLOOR ((size_t)1 << 20) /* smaller parts may compress as well as they like */
#define MAX_ENTRIES 10000
#define CHUNK (64 * 1024)

void xlsx_set_limits(size_t max_part, unsigned max_ratio)
{
    g_max_part = max_part ? max_part : (size_t)64 << 20;
    g_max_ratio = max_ratio ? max_ratio : 100;
}

static int too_large(gh_err *e)
{
    return err_set(e, ERR_TOO_LARGE, "file_too_large", NULL,
                   "Excel 文件解压后过大（工作表等每个部分不能超过 %zu MB），请另存为 CSV 或拆分后再导入", g_max_part >> 20);
}

static int bomb(gh_err *e)
{
    return err_set(e, ERR_TOO_LARGE, "zip_bomb", NULL, "Excel 文件的压缩比异常（超过 %u 倍），疑似压缩炸弹，已拒绝", g_max_ratio);
}

/* A part of `size` bytes inflated from `comp` bytes: within the limits? */
static int sizes_ok(uint64_t size, uint64_t comp, gh_err *e)
{
    if (size > RATIO_FLOOR && size / g_max_ratio > comp) return bomb(e);
    if (size > g_max_part) return too_large(e);
    return 0;
}

/* The declared sizes of a part: 1 when the archive has no such part. */
static int check_part(zip_t *z, const char *name, gh_err *e)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0) return 1;
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
        return err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "无法读取 Excel 文件（文件已损坏，或不是 .xlsx 格式）");
    return sizes_ok(st.size, st.comp_size, e);
}

/* Each handler context starts with this: the parser, so a handler can stop
 * it (the CSV grew too large, a DOCTYPE). */
typedef struct parse_base {
    XML_Parser parser;
    int too_large;
} parse_base;

static void XMLCALL no_doctype(void *p, const char *name, const char *sysid, const char *pubid, int internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)internal;
    XML_StopParser(((parse_base *)p)->parser, XML_FALSE);
}

/* Stream the part through expat: 1 when the archive has no such part, 0 when
 * it parsed, or an error (the limits above, or invalid_xlsx with msg). */
static int parse_part(zip_t *z, const char *name, XML_StartElementHandler st, XML_EndElementHandler en,
                      XML_CharacterDataHandler tx, parse_base *ctx, const char *msg, gh_err *e)
{
    int rc = check_part(z, name, e);
    if (rc) return rc;
    zip_stat_t zs;
    zip_stat_init(&zs);
    zip_stat(z, name, 0, &zs);
    zip_file_t *f = zip_fopen(z, name, 0);
    XML_Parser p = f ? XML_ParserCreate("UTF-8") : NULL;
    char *chunk = p ? malloc(CHUNK) : NULL;
    if (!chunk) {
        if (p) XML_ParserFree(p);
        if (f) zip_fclose(f);
        return f ? err_set(e, ERR_NOMEM, "out_of_memory", NULL, NULL)
                 : err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "%s", msg);
    }
    ctx->parser = p;
    XML_SetUserData(p, ctx);
    XML_SetElementHandler(p, st, en);
    XML_SetCharacterDataHandler(p, tx);
    XML_SetStartDoctypeDeclHandler(p, no_doctype);
    uint64_t inflated = 0;
    for (;;) {
        zip_int64_t n = zip_fread(f, chunk, CHUNK);
        if (n < 0) {
            rc = err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "%s", msg);
            break;
        }
        inflated += (uint64_t)n;
        if ((rc = sizes_ok(inflated, zs.comp_size, e))) break;
        if (XML_Parse(p, chunk, (int)n, n == 0) != XML_STATUS_OK) {
            rc = ctx->too_large ? too_large(e) : err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "%s", msg);
            break;
        }
        if (n == 0) break;
    }
    free(chunk);
    XML_ParserFree(p);
    zip_fclose(f);
    return rc;
}

/* ---- shared strings ---- */

/* The strings, one after another (each NUL-terminated) in one buffer: far
 * less memory than one allocation each when there are millions. */
typedef struct sst {
    parse_base base;
    buf pool;
    size_t *off;
    size_t n, cap;
    size_t si_start; /* where the current <si>'s text began in pool */
    int in_si, in_t, in_rph; /* phonetic runs are not part of the text */
    int oom;
} sst;

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static void XMLCALL sst_start(void *p, const char *name, const char **attr)
{
    (void)attr;
    sst *s = p;
    name = local(name);
    if (!strcmp(name, "si")) {
        s->in_si = 1;
        s->si_start = s->pool.len;
    } else if (!strcmp(name, "t") && s->in_si && !s->in_rph) {
        s->in_t = 1;
    } else if (!strcmp(name, "rPh")) {
        s->in_rph = 1;
    }
}

static void XMLCALL sst_end(void *p, const char *name)
{
    sst *s = p;
    name = local(name);
    if (!strcmp(name, "t")) {
        s->in_t = 0;
    } else if (!strcmp(name, "rPh")) {
        s->in_rph = 0;
    } else if (!strcmp(name, "si")) {
        s->in_si = 0;
        if (s->n == s->cap) {
            size_t ncap = s->cap ? s->cap * 2 : 256;
            size_t *no = realloc(s->off, ncap * sizeof *no);
            if (!no) {
                s->oom = 1;
                XML_StopParser(s->base.parser, XML_FALSE);
                return;
            }
            s->off = no;
            s->cap = ncap;
        }
        buf_putc(&s->pool, '\0');
        if (s->pool.oom) {
            s->oom = 1;
            XML_StopParser(s->base.parser, XML_FALSE);
            return;
        }
        s->off[s->n++] = s->si_start;
    }
}

static void XMLCALL sst_text(void *p, const char *t, int len)
{
    sst *s = p;
    if (s->in_t) buf_append(&s->pool, t, (size_t)len);
}

static const char *sst_get(const sst *s, size_t k) { return s->pool.data + s->off[k]; }

/* ---- styles: which cell formats are dates ----
 * Excel keeps a date as a day number; only the cell's number format says it
 * is a date.  A cell's s="k" picks <cellXfs>'s k-th <xf numFmtId=…>; ids
 * 14–17 and 22 are the built-in date formats (27–36 and 50–58 in
 * Chinese-locale workbooks), and a custom <numFmt formatCode=…> is a date
 * when its code has y/m/d outside quotes and brackets (times of day alone
 * and durations stay numbers). */

#define MAX_FMT 512
#define MAX_XF 4096

typedef struct styles {
    parse_base base;
    unsigned char fmt_kind[MAX_FMT]; /* custom numFmtId → F_* */
    unsigned char xf_kind[MAX_XF];
    int nxf, in_cellxfs;
} styles;

/* What a number format shows of a day number: F_DATE for any date; F_MONTH
 * when it shows a year and month but no day ("yyyy年m月", "mmm-yy"), written
 * 'YYYY-MM' like the month columns of the imports; F_TIME when it shows the
 * time of day. */
enum { F_DATE = 1, F_MONTH = 2, F_TIME = 4 };

static unsigned char code_kind(const char *code)
{
    int quoted = 0, bracket = 0, y = 0, m = 0, d = 0, hs = 0;
    for (; *code; code++) {
        char c = *code;
        if (c == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (c == '[') bracket = 1;
        else if (c == ']') bracket = 0;
        else if (c == '\\' && code[1]) code++;
        else if (bracket) continue;
        else if (c == 'y' || c == 'Y') y = 1;
        else if (c == 'm' || c == 'M') m = 1;
        else if (c == 'd' || c == 'D') d = 1;
        else if (c == 'h' || c == 'H' || c == 's' || c == 'S') hs = 1;
    }
    if (!y && !d && !(m && !hs)) return 0; /* "0.00" is a number, "mm:ss" a duration */
    return (unsigned char)(F_DATE | (y && m && !d ? F_MONTH : 0) | (hs ? F_TIME : 0));
}

static unsigned char builtin_kind(long id)
{
    if (id == 17) return F_DATE | F_MONTH;                                   /* mmm-yy */
    if ((id >= 14 && id <= 16) || id == 22) return F_DATE | (id == 22 ? F_TIME : 0); /* m/d/yy … */
    if (id >= 18 && id <= 21) return 0;                                       /* times alone */
    if (id >= 45 && id <= 47) return 0;                                       /* mm:ss, durations */
    if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return F_DATE;     /* zh-CN dates */
    return 0;
}

static void XMLCALL st_start(void *p, const char *name, const char **attr)
{
    styles *s = p;
    name = local(name);
    if (!strcmp(name, "cellXfs")) {
        s->in_cellxfs = 1;
    } else if (!strcmp(name, "numFmt")) {
        long id = -1;
        const char *code = "";
        for (int i = 0; attr[i]; i += 2) {
            if (!strcmp(attr[i], "numFmtId")) id = strtol(attr[i + 1], NULL, 10);
            else if (!strcmp(attr[i], "formatCode")) code = attr[i + 1];
        }
        if (id >= 0 && id < MAX_FMT) s->fmt_kind[id] = code_kind(code);
    } else if (!strcmp(name, "xf") && s->in_cellxfs) {
        long id = 0;
        for (int i = 0; attr[i]; i += 2)
            if (!strcmp(attr[i], "numFmtId")) id = strtol(attr[i + 1], NULL, 10);
        if (s->nxf < MAX_XF)
            s->xf_kind[s->nxf] = id >= 164 && id < MAX_FMT ? s->fmt_kind[id] : builtin_kind(id);
        s->nxf++;
    }
}

static void XMLCALL st_end(void *p, const char *name)
{
    styles *s = p;
    if (!strcmp(local(name), "cellXfs")) s->in_cellxfs = 0;
}

/* ---- the sheet ---- */

typedef struct sheet {
    parse_base base;
    const sst *strings;
    const styles *styles;
    unsigned char kind; /* F_* of the current cell's number format */
    buf *csv;
    buf val;
    char type[12];
    int col;      /* column of the current cell, from r="B3" */
    int next_col; /* columns written in this row so far */
    long row;     /* rows written so far: gaps become blank lines, so
                   * error line numbers are the Excel row numbers */
    int row_open, in_v, in_is_t, in_cell;
    int bad;
} sheet;

static int col_of(const char *ref)
{
    int c = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++) c = c * 26 + (*ref - 'A' + 1);
    return c - 1;
}

static void csv_field_out(buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void sh_open(void *p, const char *name, const char **attr)
{
    sheet *s = p;
    name = local(name);
    if (!strcmp(name, "row")) {
        s->row_open = 1;
        s->next_col = 0;
        for (int i = 0; attr[i]; i += 2) {
            if (strcmp(attr[i], "r") != 0) continue;
            long r = strtol(attr[i + 1], NULL, 10);
            if (r <= s->row || r > 1048576) s->bad = 1;
            while (!s->bad && s->row < r - 1) {
                buf_puts(s->csv, "\r\n");
                s->row++;
            }
        }
    } else if (!strcmp(name, "c")) {
        s->in_cell = 1;
        s->col = s->next_col;
        snprintf(s->type, sizeof s->type, "n");
        s->kind = 0;
        buf_reset(&s->val);
        for (int i = 0; attr[i]; i += 2) {
            if (!strcmp(attr[i], "r")) {
                s->col = col_of(attr[i + 1]);
            } else if (!strcmp(attr[i], "t")) {
                snprintf(s->type, sizeof s->type, "%s", attr[i + 1]);
            } else if (!strcmp(attr[i], "s")) {
                long k = strtol(attr[i + 1], NULL, 10);
                s->kind = k >= 0 && k < MAX_XF && k < s->styles->nxf ? s->styles->xf_kind[k] : 0;
            }
        }
        if (s->col < s->next_col || s->col > 16384) s->bad = 1;
    } else if (!strcmp(name, "v") && s->in_cell) {
        s->in_v = 1;
    } else if (!strcmp(name, "t") && s->in_cell) {
        s->in_is_t = 1;
    }
}

static void sh_close(void *p, const char *name)
{
    sheet *s = p;
    name = local(name);
    if (!strcmp(name, "v")) {
        s->in_v = 0;
    } else if (!strcmp(name, "t")) {
        s->in_is_t = 0;
    } else if (!strcmp(name, "c") && s->in_cell && !s->bad) {
        s->in_cell = 0;
        while (s->next_col < s->col) {
            if (s->next_col) buf_putc(s->csv, ',');
            s->next_col++;
        }
        if (s->next_col) buf_putc(s->csv, ',');
        s->next_col++;
        const char *v = buf_str(&s->val);
        if (!strcmp(s->type, "s")) {
            char *end;
            long k = strtol(v, &end, 10);
            if (*end || k < 0 || (size_t)k >= s->strings->n) s->bad = 1;
            else csv_field_out(s->csv, sst_get(s->strings, (size_t)k));
        } else if (!strcmp(s->type, "b")) {
            csv_field_out(s->csv, strcmp(v, "1") == 0 ? "是" : "否");
        } else if (!strcmp(s->type, "n") && *v && s->kind) {
            /* day 1 is 1900-01-01 and Excel counts a 1900-02-29 that never
             * was, so from day 61 on the count starts at 1899-12-30 */
            double d = strtod(v, NULL);
            if (d < 1 || d > 2958465) {
                s->bad = 1;
            } else {
                long serial = (long)d;
                int32_t days = (int32_t)(serial - (serial >= 61 ? 25569 : 25568));
                char out[40];
                date_format(days, out);
                int secs = (int)((d - (double)serial) * 86400.0 + 0.5);
                if (s->kind & F_MONTH) out[7] = '\0';
                else if ((s->kind & F_TIME) && secs >= 0 && secs < 86400)
                    snprintf(out + 10, sizeof out - 10, " %02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
                csv_field_out(s->csv, out);
            }
        } else if (!strcmp(s->type, "n") && *v) {
            /* Excel keeps numbers as doubles: write them the shortest way
             * that reads back the same (600.01, not 600.0099999999999). */
            double d = strtod(v, NULL), a = d < 0 ? -d : d;
            char num[64];
            if (a == 0 || (a >= 1e-9 && a < 1e15)) {
                /* plain decimals (45000, not 4.5e+04): amounts and codes */
                for (int dec = 0; dec <= 20; dec++) {
                    snprintf(num, sizeof num, "%.*f", dec, d);
                    if (strtod(num, NULL) == d) break;
                }
            } else {
                snprintf(num, sizeof num, "%.17g", d);
            }
            csv_field_out(s->csv, num);
        } else {
            csv_field_out(s->csv, v);
        }
    } else if (!strcmp(name, "row")) {
        s->row_open = 0;
        s->row++;
        buf_puts(s->csv, "\r\n");
    }
}

/* The CSV may not grow past the part limit: shared strings repeated cell
 * after cell would make it far larger than the sheet. */
static void csv_cap(sheet *s)
{
    if (s->csv->len > g_max_part && !s->base.too_large) {
        s->base.too_large = 1;
        XML_StopParser(s->base.parser, XML_FALSE);
    }
}

static void XMLCALL sh_start(void *p, const char *name, const char **attr)
{
    sh_open(p, name, attr);
    csv_cap(p);
}

static void XMLCALL sh_end(void *p, const char *name)
{
    sh_close(p, name);
    csv_cap(p);
}

static void XMLCALL sh_text(void *p, const char *t, int len)
{
    sheet *s = p;
    if (s->in_v || s->in_is_t) buf_append(&s->val, t, (size_t)len);
}

/* The part of the first sheet: from the workbook's first <sheet r:id=…> and
 * its relationship; xl/worksheets/sheet1.xml when anything is missing. */
typedef struct first_sheet {
    parse_base base;
    char rid[64];
    char target[256];
    int found;
} first_sheet;

static void XMLCALL wb_start(void *p, const char *name, const char **attr)
{
    first_sheet *f = p;
    if (strcmp(local(name), "sheet") != 0 || f->rid[0]) return;
    for (int i = 0; attr[i]; i += 2)
        if (!strcmp(local(attr[i]), "id")) snprintf(f->rid, sizeof f->rid, "%s", attr[i + 1]);
}

static void XMLCALL rel_start(void *p, const char *name, const char **attr)
{
    first_sheet *f = p;
    if (strcmp(local(name), "Relationship") != 0 || f->found) return;
    const char *id = NULL, *target = NULL;
    for (int i = 0; attr[i]; i += 2) {
        if (!strcmp(attr[i], "Id")) id = attr[i + 1];
        else if (!strcmp(attr[i], "Target")) target = attr[i + 1];
    }
    if (id && target && !strcmp(id, f->rid)) {
        if (target[0] == '/') snprintf(f->target, sizeof f->target, "%s", target + 1);
        else snprintf(f->target, sizeof f->target, "xl/%s", target);
        f->found = 1;
    }
}

static void XMLCALL no_end(void *p, const char *name)
{
    (void)p;
    (void)name;
}

static void XMLCALL no_text(void *p, const char *t, int len)
{
    (void)p;
    (void)t;
    (void)len;
}

int xlsx_is_workbook(const char *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

/* The number of entries the end-of-central-directory record declares, or -1
 * when there is none (or a ZIP64 one, which no workbook needs): libzip would
 * allocate for each entry before anything else is looked at. */
static long zip_entries(const unsigned char *d, size_t len)
{
    if (len < 22) return -1;
    size_t lo = len > 22 + 65535 ? len - 22 - 65535 : 0;
    for (size_t i = len - 22 + 1; i-- > lo;) {
        if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 5 && d[i + 3] == 6) {
            long n = d[i + 10] | (long)d[i + 11] << 8;
            return n == 0xFFFF ? -1 : n;
        }
    }
    return -1;
}

static int open_zip(const char *data, size_t len, zip_t **out, gh_err *e)
{
    long n = zip_entries((const unsigned char *)data, len);
    if (n > MAX_ENTRIES)
        return err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "Excel 文件包含的部分过多（%ld 个），不是正常的工作簿", n);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!z) {
        if (src) zip_source_free(src);
        return err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "无法读取 Excel 文件（文件已损坏，或不是 .xlsx 格式）");
    }
    if (zip_get_num_entries(z, 0) > MAX_ENTRIES) {
        zip_close(z);
        return err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "Excel 文件包含的部分过多，不是正常的工作簿");
    }
    *out = z;
    return 0;
}

/* The first sheet's part name into fs->target (workbook.xml and its
 * relationships; xl/worksheets/sheet1.xml when anything is missing). */
static int find_first_sheet(zip_t *z, first_sheet *fs, gh_err *e)
{
    int rc = parse_part(z, "xl/workbook.xml", wb_start, no_end, no_text, &fs->base, "Excel 文件的工作簿目录无法解析", e);
    if (rc < 0 && e->rc == ERR_TOO_LARGE) return rc;
    if (fs->rid[0]) {
        rc = parse_part(z, "xl/_rels/workbook.xml.rels", rel_start, no_end, no_text, &fs->base,
                        "Excel 文件的关系表无法解析", e);
        if (rc < 0 && e->rc == ERR_TOO_LARGE) return rc;
    }
    if (!fs->found) snprintf(fs->target, sizeof fs->target, "xl/worksheets/sheet1.xml");
    err_clear(e);
    return 0;
}

int xlsx_check(const char *data, size_t len, gh_err *e)
{
    zip_t *z = NULL;
    int rc = open_zip(data, len, &z, e);
    if (rc) return rc;
    first_sheet fs = {0};
    rc = find_first_sheet(z, &fs, e);
    const char *parts[] = {"xl/sharedStrings.xml", "xl/styles.xml", fs.target};
    for (int i = 0; rc == 0 && i < 3; i++)
        if (check_part(z, parts[i], e) < 0) rc = e->rc;
    zip_close(z);
    return rc;
}

int xlsx_to_csv(const char *data, size_t len, char **csv, size_t *csv_len, gh_err *e)
{
    *csv = NULL;
    *csv_len = 0;
    zip_t *z = NULL;
    int rc = open_zip(data, len, &z, e);
    if (rc) return rc;
    buf out = {0};
    sst strings = {0};
    first_sheet fs = {0};
    styles *sty = calloc(1, sizeof *sty);
    if (!sty) rc = err_set(e, ERR_NOMEM, "out_of_memory", NULL, NULL);
    if (rc == 0) rc = find_first_sheet(z, &fs, e);
    if (rc == 0) {
        rc = parse_part(z, "xl/sharedStrings.xml", sst_start, sst_end, sst_text, &strings.base,
                        "Excel 文件的共享字符串表无法解析", e);
        if (rc == 0 && strings.oom) rc = err_set(e, ERR_NOMEM, "out_of_memory", NULL, NULL);
        if (rc > 0) rc = 0; /* no shared strings */
    }
    if (rc == 0) {
        rc = parse_part(z, "xl/styles.xml", st_start, st_end, no_text, &sty->base, "Excel 文件的样式表无法解析", e);
        if (rc > 0) rc = 0;
    }
    if (rc == 0) {
        sheet sh = {.strings = &strings, .styles = sty, .csv = &out};
        rc = parse_part(z, fs.target, sh_start, sh_end, sh_text, &sh.base, "Excel 工作表无法解析", e);
        if (rc > 0) rc = err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "Excel 文件中找不到第一个工作表");
        else if (rc == 0 && (sh.bad || out.oom)) rc = err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "Excel 工作表无法解析");
        buf_free(&sh.val);
    }
    free(sty);
    free(strings.off);
    buf_free(&strings.pool);
    zip_close(z);
    if (rc) {
        buf_free(&out);
        return rc;
    }
    *csv_len = out.len;
    *csv = buf_take(&out);
    if (!*csv) {
        *csv = calloc(1, 1);
        if (!*csv) return err_set(e, ERR_NOMEM, "out_of_memory", NULL, NULL);
    }
    return 0;
}

/* xlsxread.c — read the first worksheet of an .xlsx workbook as CSV text,
 * so every import that takes a CSV takes Excel files too; see xlsxread.h.
 *
 * An .xlsx is a zip (libzip) of XML parts (expat): xl/workbook.xml names the
 * sheets, xl/_rels/workbook.xml.rels says which part each is,
 * xl/sharedStrings.xml holds the text cells, and the sheet part holds rows of
 * cells <c r="B3" t="s|str|inlineStr|b|n"><v>…</v></c>. */
#include "base/xlsxread.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"
#include "base/date.h"

#define MAX_PART (256u << 20)

static int read_part(zip_t *z, const char *name, buf *out)
{
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > MAX_PART) return -1;
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) return -1;
    if (buf_reserve(out, (size_t)st.size) != 0) {
        zip_fclose(f);
        return -1;
    }
    zip_int64_t n = zip_fread(f, out->data, st.size);
    zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) return -1;
    out->len = (size_t)n;
    out->data[out->len] = '\0';
    return 0;
}

/* ---- shared strings ---- */

typedef struct sst {
    char **s;
    size_t n, cap;
    buf cur;
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
        buf_reset(&s->cur);
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
            char **ns = realloc(s->s, ncap * sizeof *ns);
            if (!ns) {
                s->oom = 1;
                return;
            }
            s->s = ns;
            s->cap = ncap;
        }
        s->s[s->n] = strdup(buf_str(&s->cur));
        if (!s->s[s->n]) s->oom = 1;
        else s->n++;
    }
}

static void XMLCALL sst_text(void *p, const char *t, int len)
{
    sst *s = p;
    if (s->in_t) buf_append(&s->cur, t, (size_t)len);
}

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

static void XMLCALL sh_start(void *p, const char *name, const char **attr)
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

static void XMLCALL sh_end(void *p, const char *name)
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
            else csv_field_out(s->csv, s->strings->s[k]);
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

static void XMLCALL sh_text(void *p, const char *t, int len)
{
    sheet *s = p;
    if (s->in_v || s->in_is_t) buf_append(&s->val, t, (size_t)len);
}

static int parse(const buf *xml, XML_StartElementHandler st, XML_EndElementHandler en, XML_CharacterDataHandler tx,
                 void *ctx)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) return -1;
    XML_SetUserData(p, ctx);
    XML_SetElementHandler(p, st, en);
    XML_SetCharacterDataHandler(p, tx);
    int ok = XML_Parse(p, buf_str(xml), (int)xml->len, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok ? 0 : -1;
}

/* The part of the first sheet: from the workbook's first <sheet r:id=…> and
 * its relationship; xl/worksheets/sheet1.xml when anything is missing. */
typedef struct first_sheet {
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

int xlsx_to_csv(const char *data, size_t len, char **csv, size_t *csv_len, gh_err *e)
{
    *csv = NULL;
    *csv_len = 0;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!z) {
        if (src) zip_source_free(src);
        return err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "无法读取 Excel 文件（文件已损坏，或不是 .xlsx 格式）");
    }
    buf part = {0}, out = {0};
    sst strings = {0};
    first_sheet fs = {{0}, {0}, 0};
    int rc = 0;
    if (read_part(z, "xl/workbook.xml", &part) == 0) parse(&part, wb_start, no_end, no_text, &fs);
    buf_reset(&part);
    if (fs.rid[0] && read_part(z, "xl/_rels/workbook.xml.rels", &part) == 0) parse(&part, rel_start, no_end, no_text, &fs);
    if (!fs.found) snprintf(fs.target, sizeof fs.target, "xl/worksheets/sheet1.xml");
    buf_reset(&part);
    if (read_part(z, "xl/sharedStrings.xml", &part) == 0 &&
        (parse(&part, sst_start, sst_end, sst_text, &strings) != 0 || strings.oom))
        rc = err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "Excel 文件的共享字符串表无法解析");
    buf_reset(&part);
    styles *sty = calloc(1, sizeof *sty);
    if (!sty) rc = err_set(e, ERR_INTERNAL, "out_of_memory", NULL, NULL);
    if (rc == 0 && read_part(z, "xl/styles.xml", &part) == 0 && parse(&part, st_start, st_end, no_text, sty) != 0)
        rc = err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "Excel 文件的样式表无法解析");
    buf_reset(&part);
    if (rc == 0 && read_part(z, fs.target, &part) != 0)
        rc = err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "Excel 文件中找不到第一个工作表");
    if (rc == 0) {
        sheet sh = {.strings = &strings, .styles = sty, .csv = &out};
        if (parse(&part, sh_start, sh_end, sh_text, &sh) != 0 || sh.bad || out.oom)
            rc = err_set(e, ERR_INVALID, "invalid_xlsx", NULL, "Excel 工作表无法解析");
        buf_free(&sh.val);
    }
    free(sty);
    for (size_t i = 0; i < strings.n; i++) free(strings.s[i]);
    free(strings.s);
    buf_free(&strings.cur);
    buf_free(&part);
    zip_close(z);
    if (rc) {
        buf_free(&out);
        return rc;
    }
    *csv_len = out.len;
    *csv = buf_take(&out);
    return 0;
}

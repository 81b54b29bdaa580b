/* xlsx.c — one-sheet Excel exports; see xlsx.h. libxlsxwriter 1.1 writes
 * only to files, so the workbook goes through a private temporary file that
 * is read back and removed. Constant-memory mode writes each row to disk as
 * it is finished, so a long export holds one row at a time. */
#include "base/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct xlsx_stream {
    char path[32];
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *money;
    const xlsx_col *cols;
    int ncols;
    lxw_row_t r;
};

void xlsx_stream_free(xlsx_stream *s)
{
    if (!s) return;
    if (s->wb) lxw_workbook_free(s->wb);
    unlink(s->path);
    free(s);
}

int xlsx_stream_open(const char *sheet, const char *title, const xlsx_col *cols, int ncols, xlsx_stream **out,
                     gh_err *e)
{
    *out = NULL;
    xlsx_stream *s = calloc(1, sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    snprintf(s->path, sizeof s->path, "/tmp/gonghui-xlsx-XXXXXX");
    int fd = mkstemp(s->path);
    if (fd < 0) {
        free(s);
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建导出文件");
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    if (!(s->wb = workbook_new_opt(s->path, &opt))) {
        xlsx_stream_free(s);
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建 Excel 文件");
    }
    s->ws = workbook_add_worksheet(s->wb, sheet);
    s->cols = cols;
    s->ncols = ncols;
    lxw_format *bold = workbook_add_format(s->wb);
    format_set_bold(bold);
    lxw_format *head = workbook_add_format(s->wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xF2F2F2);
    format_set_border(head, LXW_BORDER_THIN);
    s->money = workbook_add_format(s->wb);
    format_set_num_format(s->money, "#,##0.00");
    if (title) worksheet_write_string(s->ws, s->r++, 0, title, bold);
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width > 0 ? cols[c].width : 14, NULL);
        worksheet_write_string(s->ws, s->r, (lxw_col_t)c, cols[c].title, head);
    }
    worksheet_freeze_panes(s->ws, s->r + 1, 0);
    s->r++;
    *out = s;
    return 0;
}

void xlsx_stream_row(xlsx_stream *s, const json_t *row)
{
    for (int c = 0; c < s->ncols; c++) {
        json_t *v = json_object_get(row, s->cols[c].key);
        lxw_col_t col = (lxw_col_t)c;
        if (!v || json_is_null(v)) continue;
        if (s->cols[c].type == XLSX_MONEY && json_is_integer(v))
            worksheet_write_number(s->ws, s->r, col, (double)json_integer_value(v) / 100.0, s->money);
        else if (json_is_integer(v))
            worksheet_write_number(s->ws, s->r, col, (double)json_integer_value(v), NULL);
        else if (json_is_string(v))
            worksheet_write_string(s->ws, s->r, col, json_string_value(v), NULL);
        else if (json_is_boolean(v))
            worksheet_write_string(s->ws, s->r, col, json_is_true(v) ? "是" : "否", NULL);
    }
    s->r++;
}

void xlsx_stream_note(xlsx_stream *s, const char *text) { worksheet_write_string(s->ws, s->r++, 0, text, NULL); }

int xlsx_stream_close(xlsx_stream *s, char **data, size_t *len, gh_err *e)
{
    *data = NULL;
    *len = 0;
    lxw_error err = workbook_close(s->wb);
    s->wb = NULL;
    FILE *f = err == LXW_NO_ERROR ? fopen(s->path, "rb") : NULL;
    xlsx_stream_free(s);
    if (err != LXW_NO_ERROR) return err_set(e, ERR_INTERNAL, "export_failed", NULL, "生成 Excel 失败：%s", lxw_strerror(err));
    if (!f) return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法读取导出文件");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n > 0 ? malloc((size_t)n) : NULL;
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "读取导出文件失败");
    }
    fclose(f);
    *data = buf;
    *len = (size_t)n;
    return 0;
}

int xlsx_build(const char *sheet, const char *title, const xlsx_col *cols, int ncols, const json_t *rows,
               char **data, size_t *len, gh_err *e)
{
    *data = NULL;
    *len = 0;
    xlsx_stream *s;
    int rc = xlsx_stream_open(sheet, title, cols, ncols, &s, e);
    if (rc) return rc;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) xlsx_stream_row(s, row);
    return xlsx_stream_close(s, data, len, e);
}

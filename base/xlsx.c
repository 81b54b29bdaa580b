/* xlsx.c — one-sheet Excel exports; see xlsx.h. libxlsxwriter 1.1 writes
 * only to files, so the workbook goes through a private temporary file that
 * is read back and removed. */
#include "base/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

int xlsx_build(const char *sheet, const char *title, const xlsx_col *cols, int ncols, const json_t *rows,
               char **data, size_t *len, gh_err *e)
{
    *data = NULL;
    *len = 0;
    char path[] = "/tmp/gonghui-xlsx-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建导出文件");
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建 Excel 文件");
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xF2F2F2);
    format_set_border(head, LXW_BORDER_THIN);
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    lxw_row_t r = 0;
    if (title) worksheet_write_string(ws, r++, 0, title, bold);
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width > 0 ? cols[c].width : 14, NULL);
        worksheet_write_string(ws, r, (lxw_col_t)c, cols[c].title, head);
    }
    worksheet_freeze_panes(ws, r + 1, 0);
    r++;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        for (int c = 0; c < ncols; c++) {
            json_t *v = json_object_get(row, cols[c].key);
            if (!v || json_is_null(v)) continue;
            if (cols[c].type == XLSX_MONEY && json_is_integer(v))
                worksheet_write_number(ws, r, (lxw_col_t)c, (double)json_integer_value(v) / 100.0, money);
            else if (json_is_integer(v))
                worksheet_write_number(ws, r, (lxw_col_t)c, (double)json_integer_value(v), NULL);
            else if (json_is_string(v))
                worksheet_write_string(ws, r, (lxw_col_t)c, json_string_value(v), NULL);
            else if (json_is_boolean(v))
                worksheet_write_string(ws, r, (lxw_col_t)c, json_is_true(v) ? "是" : "否", NULL);
        }
        r++;
    }
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        unlink(path);
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "生成 Excel 失败：%s", lxw_strerror(err));
    }
    FILE *f = fopen(path, "rb");
    unlink(path);
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

/* importer.c — the shared CSV import loop; see importer.h. */
#include "domain/core/importer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/xlsxread.h"

struct importer {
    gh_ctx *x;
    csv_reader *csv;
    char *conv; /* the CSV text of an .xlsx input, read by csv */
    int idx[64];
    int dry_run;
    int64_t rows, written, nerr;
    json_t *errors;
};

const char *import_field(importer *im, int col)
{
    return im->idx[col] < 0 ? "" : csv_field(im->csv, (size_t)im->idx[col]);
}

int import_has(importer *im, int col) { return im->idx[col] >= 0; }
long import_line(importer *im) { return csv_line(im->csv); }
int import_writing(importer *im) { return !im->dry_run && im->nerr == 0; }
void import_count(importer *im) { im->written++; }
int64_t import_errors(importer *im) { return im->nerr; }
int64_t import_rows(importer *im) { return im->rows; }
int64_t import_written(importer *im) { return im->written; }
gh_ctx *import_ctx(importer *im) { return im->x; }

void import_error(importer *im, const char *field, const char *reason)
{
    im->nerr++;
    if (json_array_size(im->errors) >= IMPORT_MAX_REPORTED) return;
    json_array_append_new(im->errors, json_pack("{s:I, s:s?, s:s}", "line", (json_int_t)csv_line(im->csv), "field",
                                                field && *field ? field : NULL, "reason", reason));
}

/* An .xlsx (memory or file) is converted to CSV text first; CSV streams. */
static int open_input(importer *im, const char *data, size_t len, const char *path, gh_err *e)
{
    char *file = NULL;
    if (path) {
        FILE *f = fopen(path, "rb");
        char magic[4];
        size_t got = f ? fread(magic, 1, sizeof magic, f) : 0;
        if (!f || !xlsx_is_workbook(magic, got)) {
            if (f) fclose(f);
            return csv_open_file(path, &im->csv, e);
        }
        long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
        file = size > 0 ? malloc((size_t)size) : NULL;
        int ok = file && fseek(f, 0, SEEK_SET) == 0 && fread(file, 1, (size_t)size, f) == (size_t)size;
        fclose(f);
        if (!ok) {
            free(file);
            return err_set(e, ERR_INTERNAL, "io_error", NULL, "读取文件失败：%s", path);
        }
        data = file;
        len = (size_t)size;
    } else if (!xlsx_is_workbook(data, len)) {
        return csv_open_mem(data, len, &im->csv, e);
    }
    size_t clen = 0;
    int rc = xlsx_to_csv(data, len, &im->conv, &clen, e);
    free(file);
    return rc ? rc : csv_open_mem(im->conv, clen, &im->csv, e);
}

int import_check_upload(const char *data, size_t len, gh_err *e)
{
    if (!xlsx_is_workbook(data, len)) return 0;
    int rc = xlsx_check(data, len, e);
    /* Only the sizes are judged here; a workbook that cannot be read fails
     * its job with invalid_xlsx, as it always has. */
    if (rc && rc != ERR_TOO_LARGE) {
        err_clear(e);
        rc = 0;
    }
    return rc;
}

static void close_input(importer *im)
{
    csv_close(im->csv);
    im->csv = NULL;
    free(im->conv);
    im->conv = NULL;
}

int import_run(gh_ctx *x, const import_spec *spec, const char *data, size_t len, const char *path, int dry_run,
               void *ctx, import_progress_fn progress, void *pctx, json_t **out, gh_err *e)
{
    if (spec->ncols > 64) return err_set(e, ERR_INTERNAL, NULL, NULL, NULL);
    importer im = {.x = x, .dry_run = dry_run};
    int rc = open_input(&im, data, len, path, e);
    if (rc) {
        close_input(&im);
        return rc;
    }
    rc = csv_header_map(im.csv, spec->columns, (size_t)spec->ncols, im.idx, e);
    if (rc) {
        close_input(&im);
        return rc;
    }
    for (int i = 0; i < spec->nrequired; i++) {
        int c = spec->required[i];
        if (im.idx[c] >= 0) continue;
        const char *names = spec->columns[c];
        close_input(&im);
        return err_set(e, ERR_INVALID, "missing_column", spec->fields[c], "CSV 缺少“%.*s”列（第一行应为表头）",
                       (int)strcspn(names, "|"), names);
    }
    im.errors = json_array();
    int in_tx = 0;
    store_bulk(x->db, 1);
    if (!dry_run) {
        rc = store_begin(x->db, STORE_WRITE, e);
        if (rc) goto done;
        in_tx = 1;
    }
    for (;;) {
        gh_err ce;
        int n = csv_next(im.csv, &ce);
        if (n < 0) {
            /* A broken file (encoding, quotes) is one error for the whole import. */
            import_error(&im, NULL, ce.message);
            break;
        }
        if (n == 0) break;
        im.rows++;
        rc = spec->row(&im, ctx, e);
        if (rc < 0) goto done;
        if (progress && im.rows % 5000 == 0)
            progress(pctx, im.rows, (int64_t)csv_offset(im.csv), (int64_t)csv_size(im.csv));
    }
    if (progress) progress(pctx, im.rows, (int64_t)csv_size(im.csv), (int64_t)csv_size(im.csv));
    if (im.rows == 0 && im.nerr == 0) import_error(&im, NULL, "文件中没有数据行");
    if (in_tx) {
        if (im.nerr == 0 && spec->finish) rc = spec->finish(&im, ctx, e);
        if (rc == 0 && im.nerr == 0) {
            rc = store_commit(x->db, e);
        } else {
            store_rollback(x->db);
            im.written = 0;
        }
        in_tx = 0;
    }
done:
    if (in_tx) {
        store_rollback(x->db);
        im.written = 0;
    }
    store_bulk(x->db, 0);
    close_input(&im);
    if (rc) {
        json_decref(im.errors);
        return rc;
    }
    *out = json_pack("{s:b, s:I, s:I, s:I, s:I, s:o, s:b}", "dry_run", dry_run, "rows", (json_int_t)im.rows,
                     "imported", (json_int_t)im.written, "error_count", (json_int_t)im.nerr, "valid_rows",
                     (json_int_t)(im.rows - im.nerr > 0 ? im.rows - im.nerr : 0), "errors", im.errors,
                     "errors_truncated", im.nerr > IMPORT_MAX_REPORTED);
    return 0;
}

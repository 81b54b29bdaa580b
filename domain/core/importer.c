/* importer.c — the shared CSV import loop; see importer.h. */
#include "domain/core/importer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/xlsx.h"
#include "base/xlsxread.h"
#include "domain/core/job.h"

struct importer {
    gh_ctx *x;
    csv_reader *csv;
    char *conv; /* the CSV text of an .xlsx input, read by csv */
    int idx[64];
    int dry_run;
    int64_t rows, written, nerr, nmsg;
    long line_errs_at; /* the line whose errors line_errs counts */
    int line_errs;
    int in_row;        /* inside spec->row: the record is the row at fault */
    json_t *errors;
    json_t *header;    /* the file's header cells */
    json_t *bad_rows;  /* [{line, cells: [...], reasons: [...]}] for the error workbook */
};

/* The record at fault, as the file had it, with the reasons: a workbook of
 * these rows can be corrected and imported again. */
static void keep_bad_row(importer *im, long line, const char *field, const char *reason)
{
    if (!im->in_row || !im->bad_rows) return;
    json_t *last = json_array_get(im->bad_rows, json_array_size(im->bad_rows) - 1);
    if (!last || json_integer_value(json_object_get(last, "line")) != line) {
        if (json_array_size(im->bad_rows) >= IMPORT_MAX_REPORTED) return;
        json_t *cells = json_array();
        for (size_t i = 0; i < csv_nfields(im->csv); i++) json_array_append_new(cells, json_string(csv_field(im->csv, i)));
        last = json_pack("{s:I, s:o, s:[]}", "line", (json_int_t)line, "cells", cells, "reasons");
        if (!last) return;
        json_array_append_new(im->bad_rows, last);
    }
    (void)field;
    json_array_append_new(json_object_get(last, "reasons"), json_string(reason));
}

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

/* Already reported for this line and field (a cell that could not be read
 * and then is missing for the row's check)? */
static int reported(importer *im, long line, const char *field)
{
    for (size_t i = json_array_size(im->errors); i-- > 0;) {
        json_t *it = json_array_get(im->errors, i);
        if (json_integer_value(json_object_get(it, "line")) != line) return 0;
        const char *f = json_string_value(json_object_get(it, "field"));
        if (f && field && strcmp(f, field) == 0) return 1;
    }
    return 0;
}

void import_error(importer *im, const char *field, const char *reason)
{
    long line = csv_line(im->csv);
    if (field && *field && reported(im, line, field)) return;
    if (im->line_errs_at != line) im->line_errs_at = line, im->line_errs = 0;
    im->line_errs++;
    /* rows with errors, as before: the first error of a line counts it */
    if (im->line_errs == 1) im->nerr++;
    im->nmsg++;
    keep_bad_row(im, line, field, reason);
    if (json_array_size(im->errors) >= IMPORT_MAX_REPORTED) return;
    json_array_append_new(im->errors, json_pack("{s:I, s:s?, s:s}", "line", (json_int_t)line, "field",
                                                field && *field ? field : NULL, "reason", reason));
}

int import_line_errors(importer *im) { return im->line_errs_at == csv_line(im->csv) ? im->line_errs : 0; }

int import_check_each(importer *im, json_t *row, int (*check)(const json_t *row, void *arg, gh_err *e), void *arg,
                      const json_t *standins, gh_err *fail)
{
    int bad = import_line_errors(im);
    for (int pass = 0; pass < 64; pass++) {
        gh_err re;
        err_clear(&re);
        int rc = check(row, arg, &re);
        if (rc == 0) break;
        if (rc != ERR_INVALID && rc != ERR_NOT_FOUND && rc != ERR_CONFLICT && rc != ERR_FORBIDDEN) {
            if (fail) *fail = re;
            return rc;
        }
        int before = import_line_errors(im);
        import_error(im, re.field, re.message);
        bad = 1;
        /* the next pass without the field at fault; an error naming no
         * field, or one named again (a required field now missing), ends it */
        if (!re.field[0] || import_line_errors(im) == before || !json_object_get(row, re.field)) break;
        /* a required field gets a stand-in that passes, so the fields after
         * it are checked too (the row is refused all the same) */
        json_t *st = json_object_get(standins, re.field);
        if (st && !json_equal(st, json_object_get(row, re.field))) json_object_set(row, re.field, st);
        else json_object_del(row, re.field);
    }
    return bad ? 1 : 0;
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
    importer im = {.x = x, .dry_run = dry_run, .line_errs_at = -1};
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
    im.bad_rows = json_array();
    im.header = json_array();
    for (size_t i = 0; im.header && i < csv_nfields(im.csv); i++) json_array_append_new(im.header, json_string(csv_field(im.csv, i)));
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
        im.in_row = 1;
        rc = spec->row(&im, ctx, e);
        im.in_row = 0;
        if (rc < 0) goto done;
        if (progress && im.rows % 200 == 0)
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
        json_decref(im.bad_rows);
        json_decref(im.header);
        return rc;
    }
    *out = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:o, s:b}", "dry_run", dry_run, "rows", (json_int_t)im.rows,
                     "imported", (json_int_t)im.written, "error_count", (json_int_t)im.nerr, "message_count",
                     (json_int_t)im.nmsg, "valid_rows", (json_int_t)(im.rows - im.nerr > 0 ? im.rows - im.nerr : 0),
                     "errors", im.errors, "errors_truncated", im.nmsg > IMPORT_MAX_REPORTED);
    /* the rows at fault, for GET /api/v1/jobs/{id}/errors?format=xlsx */
    if (*out && json_array_size(im.bad_rows)) {
        json_object_set_new(*out, "header", im.header);
        json_object_set_new(*out, "bad_rows", im.bad_rows);
    } else {
        json_decref(im.header);
        json_decref(im.bad_rows);
    }
    return 0;
}

int import_errors_xlsx(gh_ctx *x, int64_t job_id, char **data, size_t *len, gh_err *e)
{
    json_t *job = NULL;
    int rc = job_get(x, job_id, &job, e); /* the same access as the job itself */
    if (rc) return rc;
    json_t *res = json_object_get(job, "result"), *header = json_object_get(res, "header"),
           *bad = json_object_get(res, "bad_rows");
    if (!json_array_size(bad) || !json_is_array(header)) {
        json_decref(job);
        return err_set(e, ERR_NOT_FOUND, "no_errors", NULL, "该导入没有需要修改的行");
    }
    /* the file's own columns, then 错误说明: corrected, the workbook imports
     * again as it is (the extra column is not read) */
    size_t nh = json_array_size(header);
    int ncols = (int)nh + 2;
    xlsx_col *cols = calloc((size_t)ncols, sizeof *cols);
    char (*keys)[24] = calloc((size_t)ncols, sizeof *keys);
    json_t *rows = json_array();
    if (!cols || !keys || !rows) {
        rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        goto done;
    }
    for (size_t i = 0; i < nh; i++) {
        snprintf(keys[i], sizeof keys[i], "c%zu", i);
        cols[i] = (xlsx_col){keys[i], json_string_value(json_array_get(header, i)), XLSX_TEXT, 18};
    }
    cols[nh] = (xlsx_col){"__reasons", "错误说明", XLSX_TEXT, 48};
    cols[nh + 1] = (xlsx_col){"__line", "原文件行号", XLSX_INT, 10};
    size_t i;
    json_t *b;
    json_array_foreach(bad, i, b) {
        json_t *o = json_object(), *cells = json_object_get(b, "cells");
        for (size_t k = 0; k < nh; k++) {
            json_t *c = json_array_get(cells, k);
            json_object_set_new(o, keys[k], json_string(c ? json_string_value(c) : ""));
        }
        char why[2000] = "";
        size_t n = 0, j;
        json_t *r;
        json_array_foreach(json_object_get(b, "reasons"), j, r) if (n < sizeof why)
            n += (size_t)snprintf(why + n, sizeof why - n, "%s%s", n ? "；" : "", json_string_value(r));
        json_object_set_new(o, "__reasons", json_string(why));
        json_object_set_new(o, "__line", json_integer(json_integer_value(json_object_get(b, "line"))));
        json_array_append_new(rows, o);
    }
    rc = xlsx_build("需修改的行", NULL, cols, ncols, rows, data, len, e);
done:
    json_decref(rows);
    free(cols);
    free(keys);
    json_decref(job);
    return rc;
}

/* importer.h — the shape every CSV import shares: read a file as Excel
 * writes it (UTF-8, BOM, GBK), map the header by column names, visit each
 * record, collect every error of every bad row as {line, field, reason}
 * (result: error_count rows with errors, message_count errors), and write all rows
 * or none in one transaction — only when no row was bad and it is not a dry
 * run. The caller supplies the per-row work and a finish step that runs
 * inside the transaction (audit entry, ledger postings). */
#ifndef GH_IMPORTER_H
#define GH_IMPORTER_H

#include <jansson.h>

#include "domain/core/ctx.h"

typedef struct importer importer;

/* Progress: rows read so far, bytes read and the file's size. */
typedef void (*import_progress_fn)(void *ctx, int64_t rows, int64_t done_bytes, int64_t total_bytes);

typedef struct import_spec {
    const char *const *columns; /* each "中文名|alias|english" */
    const char *const *fields;  /* the field name reported for each column */
    int ncols;
    const int *required;        /* column indexes that must be present */
    int nrequired;
    /* Called for every record. Report bad rows with import_error; write
     * only when import_writing(). Return negative only for failures that
     * must stop the whole import (storage errors). */
    int (*row)(importer *im, void *ctx, gh_err *e);
    /* Called once inside the transaction after the last row, only when
     * writing and no row was bad. May be NULL. */
    int (*finish)(importer *im, void *ctx, gh_err *e);
} import_spec;

/* Run an import from memory (data, len) or a file (path). *out gets
 * {dry_run, rows, imported, error_count, errors[], errors_truncated}. */
int import_run(gh_ctx *x, const import_spec *spec, const char *data, size_t len, const char *path, int dry_run,
               void *ctx, import_progress_fn progress, void *pctx, json_t **out, gh_err *e);

/* What is judged of an upload before a job is started for it: an .xlsx
 * whose parts would inflate past the limits (ERR_TOO_LARGE file_too_large or
 * zip_bomb, from the sizes the archive declares). 0 for anything else: a
 * broken workbook or a CSV is judged by the import's job. */
int import_check_upload(const char *data, size_t len, gh_err *e);

/* For the row callback. */
const char *import_field(importer *im, int col); /* "" when the column is absent */
int import_has(importer *im, int col);          /* the column exists in the file */
long import_line(importer *im);
/* A bad cell or row: reported once per line and field (a cell that could
 * not be read and is then missing for the row's check is one error).
 * error_count counts rows with errors; every message is listed. */
void import_error(importer *im, const char *field, const char *reason);
/* Errors reported for the current line so far. */
int import_line_errors(importer *im);
/* Every error of a row, not only the first: check(row) (a validator that
 * stops at the first bad field, such as jv_check) is run again with each
 * field it named dropped, reporting each. 1 when the row (cells read
 * before included) has an error, 0 when it is good, negative with *fail
 * set when check fails for another reason (storage). standins (or NULL):
 * {field: value} put in place of a bad required field instead of dropping
 * it, so the fields the check looks at after it are reported too. */
int import_check_each(importer *im, json_t *row, int (*check)(const json_t *row, void *arg, gh_err *e), void *arg,
                      const json_t *standins, gh_err *fail);
int import_writing(importer *im);   /* real run and no bad row so far */
void import_count(importer *im);     /* one more row written */
int64_t import_errors(importer *im);
int64_t import_rows(importer *im);    /* records read so far */
int64_t import_written(importer *im); /* rows counted with import_count */
gh_ctx *import_ctx(importer *im);

/* The rows of an import job that had errors, as a workbook to correct and
 * import again: the file's own columns (its header as the first row), then
 * 错误说明 (every reason of the row) and 原文件行号. The job's reader only;
 * ERR_NOT_FOUND "no_errors" when no row was at fault. */
int import_errors_xlsx(gh_ctx *x, int64_t job_id, char **data, size_t *len, gh_err *e);

#define IMPORT_MAX_REPORTED 1000

#endif

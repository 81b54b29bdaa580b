/* xlsx.h — Excel workbooks (.xlsx) for exports, on libxlsxwriter.
 *
 * One sheet from column descriptions and a JSON array of row objects: a
 * bold title line, a header row (frozen), then the rows. Money columns take
 * integer fen from the JSON and show yuan with two decimals (the value in
 * the cell is yuan as a number, so Excel can sum it). */
#ifndef GH_XLSX_H
#define GH_XLSX_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"

enum { XLSX_TEXT = 0, XLSX_INT = 1, XLSX_MONEY = 2 };

typedef struct xlsx_col {
    const char *key;   /* field of each row object */
    const char *title; /* header (Chinese) */
    int type;
    double width;      /* in characters; 0 = 14 */
} xlsx_col;

/* Build the workbook in memory: *data (malloc'd, caller frees), *len. */
int xlsx_build(const char *sheet, const char *title, const xlsx_col *cols, int ncols, const json_t *rows,
               char **data, size_t *len, gh_err *e);

/* The same sheet written row by row (constant memory: each row goes to
 * disk when the next begins). open, row…, note…, then close (which frees s
 * and hands back the bytes) or free (abandon). */
typedef struct xlsx_stream xlsx_stream;
int xlsx_stream_open(const char *sheet, const char *title, const xlsx_col *cols, int ncols, xlsx_stream **out,
                     gh_err *e);
void xlsx_stream_row(xlsx_stream *s, const json_t *row);
/* A line of text in the first column, after the rows. */
void xlsx_stream_note(xlsx_stream *s, const char *text);
int xlsx_stream_close(xlsx_stream *s, char **data, size_t *len, gh_err *e);
void xlsx_stream_free(xlsx_stream *s);

#endif

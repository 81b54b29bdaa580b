/* xlsxread.h — Excel (.xlsx) workbooks as CSV text.
 *
 * Officers keep their lists in Excel; every import takes the first worksheet
 * of an .xlsx exactly as it would take the same sheet saved as CSV.  Text
 * cells come out as they are, numbers in the shortest form that reads back
 * the same (600.01), booleans as 是/否, and cells whose number format is a
 * date as 'YYYY-MM-DD' (with ' HH:MM:SS' when there is a time of day).  Rows
 * Excel left out become blank lines, so a line number in an import error is
 * the row number the officer sees in Excel. */
#ifndef GH_BASE_XLSXREAD_H
#define GH_BASE_XLSXREAD_H

#include <stddef.h>

#include "base/err.h"

/* 1 when data starts like a zip archive (every .xlsx does; no CSV does). */
int xlsx_is_workbook(const char *data, size_t len);

/* The first worksheet as UTF-8 CSV (CRLF lines, RFC 4180 quoting) in a
 * malloc'd, NUL-terminated *csv of *csv_len bytes.  Errors: invalid_xlsx
 * (not a readable workbook, or a sheet that cannot be parsed). */
int xlsx_to_csv(const char *data, size_t len, char **csv, size_t *csv_len, gh_err *e);

#endif

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
 * malloc'd, NUL-terminated *csv of *csv_len bytes.  Errors: ERR_INVALID
 * invalid_xlsx (not a readable workbook, or a sheet that cannot be parsed);
 * ERR_TOO_LARGE file_too_large (a part inflates past the part limit, or the
 * CSV would) and zip_bomb (a part over 1 MiB inflates to more than the ratio
 * limit times its compressed size). Parts are streamed: memory use is the
 * shared strings and the CSV, never a whole inflated part. */
int xlsx_to_csv(const char *data, size_t len, char **csv, size_t *csv_len, gh_err *e);

/* The same limits on the sizes the archive declares, without inflating the
 * sheet: for refusing a bomb when it is uploaded (a lying archive is still
 * caught by xlsx_to_csv). 0, or the errors of xlsx_to_csv. */
int xlsx_check(const char *data, size_t len, gh_err *e);

/* The limits: bytes one part may inflate to (and the CSV may reach), 64 MiB
 * by default; inflated-to-compressed ratio, 100 by default (0: default). */
void xlsx_set_limits(size_t max_part, unsigned max_ratio);

#endif

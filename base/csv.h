/* csv.h — a streaming reader for CSV files as Excel writes them, for bulk
 * imports (members, enterprises, union fee payments) of up to millions of rows.
 *
 * Encoding: a file is either UTF-8 (with or without a BOM, which is skipped)
 * or GBK/GB18030 (what Excel's plain "CSV" produces on Chinese Windows). The
 * decision is made once for the whole input when it is opened: valid UTF-8
 * is UTF-8; otherwise it must decode as GB18030 and is converted to UTF-8 on
 * the fly. A file that starts with a UTF-8 BOM is taken at its word and must
 * be valid UTF-8 throughout. NUL bytes are rejected in both (they mean a
 * UTF-16 "Unicode text" file, and would cut C strings short). Failures are
 * ERR_INVALID "invalid_encoding" naming the line.
 *
 * Syntax (RFC 4180): ',' separates fields; fields may be quoted with '"', a
 * doubled quote inside quotes is one quote, quoted fields may hold commas and
 * line breaks (the record then spans physical lines); lines end in CRLF, LF
 * or a lone CR; the last line needs no line end. Spaces and tabs around
 * unquoted fields and around quoted ones (outside the quotes) are trimmed;
 * nothing inside quotes is. Records whose fields are all empty (blank lines,
 * or the ",,,," rows Excel leaves after formatted cells) are skipped.
 * Errors are ERR_INVALID with code "malformed_csv" (unterminated quote, a
 * quote inside an unquoted field, text after a closing quote),
 * "field_too_long" (> CSV_FIELD_MAX bytes) or "record_too_long"
 * (> CSV_RECORD_MAX bytes or > CSV_FIELDS_MAX fields); the message names the
 * physical line ("第 12 行：引号未闭合"). Errors are sticky: once csv_next
 * failed it keeps returning the same error.
 *
 * Memory use is bounded by the record limits plus fixed buffers, whatever the
 * file size. */
#ifndef GH_CSV_H
#define GH_CSV_H

#include <stddef.h>

#include "base/err.h"

#define CSV_FIELD_MAX (64 * 1024)
#define CSV_RECORD_MAX (1024 * 1024)
#define CSV_FIELDS_MAX 16384

typedef struct csv_reader csv_reader;

/* Open a file and decide its encoding (reads it once, twice for GBK).
 * Errors: ERR_NOT_FOUND "file_not_found", ERR_INTERNAL "io_error",
 * ERR_INVALID "invalid_encoding", ERR_NOMEM. On success *out is a reader the
 * caller frees with csv_close(). */
int csv_open_file(const char *path, csv_reader **out, gh_err *e);

/* The same over memory (an uploaded body). data is NOT copied: it must stay
 * valid and unchanged until csv_close(). */
int csv_open_mem(const char *data, size_t n, csv_reader **out, gh_err *e);

/* Free the reader (and close its file). Accepts NULL. */
void csv_close(csv_reader *r);

/* Read the next record: 1 when one was read, 0 at the end, negative on error
 * (see above). */
int csv_next(csv_reader *r, gh_err *e);

/* For the record csv_next() last returned. csv_field() gives a NUL-terminated
 * UTF-8 string valid until the next csv_next()/csv_close(), or "" when i is
 * out of range. */
size_t csv_nfields(const csv_reader *r);
const char *csv_field(const csv_reader *r, size_t i);
/* Physical line (1-based; the header is line 1) where the record started. */
long csv_line(const csv_reader *r);

/* Progress: input bytes consumed so far (a little ahead of the parser for
 * GBK input, which is converted in blocks) and the total input size. */
size_t csv_offset(const csv_reader *r);
size_t csv_size(const csv_reader *r);

/* 1 if the input was detected as GBK/GB18030, 0 for UTF-8. */
int csv_is_gbk(const csv_reader *r);

/* Read the first record as the header and locate columns. names[i] lists the
 * accepted titles for column i separated by '|' ("身份证号|id_number"); a
 * title matches a header cell exactly after both are trimmed of spaces. idx[i]
 * becomes the (lowest) matching column index or -1 (also on failure); deciding which missing
 * columns are errors is the caller's business. Returns 0, a csv_next() error,
 * or ERR_INVALID "empty_csv" when there is no header. */
int csv_header_map(csv_reader *r, const char *const *names, size_t n, int *idx, gh_err *e);

/* Cells as Excel writes them. Each returns 0 and the canonical form, or -1.
 * A date: 2023/5/8, 2023-05-08 or 20230508 → "2023-05-08" (a real date).
 * A month: "2022-07", "2022/7", "202207" → "2022-07" (years 2000–2100).
 * Yes or no: 是/否, Y/N, 1/0, true/false; empty is no. */
int csv_cell_date(const char *s, char out[11]);
int csv_cell_month(const char *s, char out[8]);
int csv_cell_yes(const char *s, int *out);

#endif

/* fuzz_xlsx.c — libFuzzer harness for base/xlsxread.c over arbitrary bytes,
 * as an upload would deliver them (seeded with a workbook written by
 * tests/lib/xlsx.js). Besides crashes and leaks it checks the promises that
 * the CSV handed back is exactly csv_len bytes and NUL-terminated, and that
 * a failure hands back nothing and names its error; and that a workbook the
 * upload check refuses as too large (xlsx_check) is never read either. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xlsxread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *csv = (char *)1;
    size_t n = 1;
    gh_err e;
    int big = xlsx_check((const char *)data, size, &e) == ERR_TOO_LARGE;
    int rc = xlsx_to_csv((const char *)data, size, &csv, &n, &e);
    if (big && rc == 0) abort();
    if (rc) {
        if (csv || n || !e.code[0]) abort();
        return 0;
    }
    if (!csv || strlen(csv) != n) abort();
    free(csv);
    return 0;
}

/* date.h — business dates and timestamps.
 *
 * Two kinds of time, kept apart on purpose:
 *   - business dates (birthdays, joining dates, payment months, policy
 *     effective dates) are calendar days in China time (UTC+8), written
 *     'YYYY-MM-DD' and held as int32_t days since 1970-01-01 (negative before);
 *   - timestamps (created_at, audit entries) are UTC instants, held as int64_t
 *     Unix milliseconds and written as RFC 3339 "2026-11-29T17:01:16.123Z",
 *     a fixed-width form that sorts lexically in text columns.
 * China has no daylight saving time, so "today in China" is simply the UTC
 * clock shifted by eight hours. */
#ifndef GH_DATE_H
#define GH_DATE_H

#include <stdint.h>

#include "base/err.h"

/* Years accepted by date_parse() and date_month_parse(). */
#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2200

/* Strict 'YYYY-MM-DD' (exactly ten characters, no spaces), a real calendar
 * date with year DATE_YEAR_MIN..DATE_YEAR_MAX. On failure ERR_INVALID with
 * code "invalid_date" (field NULL) and *days untouched. */
int date_parse(const char *s, int32_t *days, gh_err *e);

/* 'YYYY-MM-DD'. Days whose year falls outside 0000..9999 (never produced by
 * date_parse) are written as "0000-00-00". */
void date_format(int32_t days, char out[11]);

/* Proleptic Gregorian conversions; date_from_ymd does not validate. */
void date_ymd(int32_t days, int *y, int *m, int *d);
int32_t date_from_ymd(int y, int m, int d);

/* 1 for leap years; number of days in month m (1..12) of year y. */
int date_is_leap(int y);
int date_days_in_month(int y, int m);

/* Today's date in China (UTC+8) from the real-time clock. */
int32_t date_today_cn(void);

/* Shift by whole months, clamping the day to the end of the target month:
 * 2024-01-31 + 1 = 2024-02-29, 2023-01-31 + 1 = 2023-02-28. */
int32_t date_add_months(int32_t days, int months);

/* Whole years completed from `from` to `to` (age, membership length). Someone
 * born on 29 February completes a year on 1 March in common years. Negative
 * when to < from (-(years from to to from)). */
int date_years_between(int32_t from, int32_t to);

/* Parse 'YYYY-MM' (year DATE_YEAR_MIN..DATE_YEAR_MAX). Code "invalid_month". */
int date_month_parse(const char *s, int *y, int *m, gh_err *e);

/* Current UTC time, RFC 3339 with milliseconds: "2026-11-29T17:01:16.123Z". */
void ts_now(char out[32]);
/* Current Unix time in milliseconds. */
int64_t ts_now_ms(void);
/* Same format as ts_now(). Instants outside years 0000..9999 are clamped. */
void ts_format_ms(int64_t ms, char out[32]);

/* Parse an RFC 3339 timestamp: "YYYY-MM-DDTHH:MM:SS", an optional fraction
 * (1-9 digits, truncated to milliseconds), then "Z" or "+HH:MM"/"-HH:MM".
 * 't'/'z' in lower case and a space instead of 'T' are accepted (RFC 3339
 * 5.6 note). Leap seconds (:60) are rejected. Code "invalid_timestamp". */
int ts_parse(const char *s, int64_t *ms, gh_err *e);

#endif

/* date.c — calendar arithmetic and RFC 3339 timestamps; see date.h.
 *
 * Conversions go through a day count with the year starting on 1 March, so
 * the leap day is the last day of the counting year and the month lengths
 * before it follow a fixed pattern. Everything is computed in int64_t with
 * floor division so dates before 1970 behave like those after. Output is
 * written digit by digit rather than with snprintf: widths are fixed and it
 * keeps -Wformat-truncation quiet for arbitrary int inputs. */
#include "base/date.h"

#include <string.h>
#include <time.h>

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

int date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return len[m - 1] + (m == 2 && date_is_leap(y));
}

/* Days from 0000-03-01 (proleptic Gregorian) to y-m-d. */
static int64_t day_number(int64_t y, int64_t m, int64_t d)
{
    /* March is month 0 of the shifted year; January and February belong to
     * the previous one. (153 * mm + 2) / 5 gives the days before month mm
     * for the 31,30,31,30,31 pattern that repeats from March to January. */
    if (m < 3) y--;
    int64_t mm = (m + 9) % 12;
    return 365 * y + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400)
           + (153 * mm + 2) / 5 + d - 1;
}

static int64_t epoch_day_number(void) { return day_number(1970, 1, 1); }

static int64_t days_of(int64_t y, int64_t m, int64_t d)
{
    return day_number(y, m, d) - epoch_day_number();
}

int32_t date_from_ymd(int y, int m, int d)
{
    return (int32_t)days_of(y, m, d);
}

static void ymd_of(int64_t days, int64_t *py, int *pm, int *pd)
{
    /* Estimate the year from the mean Gregorian year (146097 days per 400
     * years), then correct by at most a step or two. */
    int64_t y = 1970 + floor_div(days * 400, 146097);
    while (days_of(y, 1, 1) > days) y--;
    while (days_of(y + 1, 1, 1) <= days) y++;
    int64_t doy = days - days_of(y, 1, 1);
    int m = 1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (;;) {
        int len = date_days_in_month(leap ? 2000 : 2001, m);
        if (doy < len) break;
        doy -= len;
        m++;
    }
    *py = y;
    *pm = m;
    *pd = (int)doy + 1;
}

void date_ymd(int32_t days, int *y, int *m, int *d)
{
    int64_t yy;
    ymd_of(days, &yy, m, d);
    *y = (int)yy;
}

/* Write v as exactly `width` decimal digits (v >= 0). */
static char *put_digits(char *p, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

void date_format(int32_t days, char out[11])
{
    int64_t y;
    int m, d;
    ymd_of(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        memcpy(out, "0000-00-00", 11);
        return;
    }
    char *p = put_digits(out, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p = '\0';
}

static int64_t realtime_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return (int64_t)time(NULL) * 1000;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int32_t date_today_cn(void)
{
    return (int32_t)floor_div(realtime_ms() + 8 * 3600 * 1000LL, 86400000LL);
}

int32_t date_add_months(int32_t days, int months)
{
    int64_t y;
    int m, d;
    ymd_of(days, &y, &m, &d);
    int64_t idx = y * 12 + (m - 1) + months;
    int64_t ny = floor_div(idx, 12);
    int nm = (int)(idx - ny * 12) + 1;
    int len = date_days_in_month((int)(ny % 400 + 400), nm); /* leapness repeats every 400 years */
    if (d > len) d = len;
    return (int32_t)days_of(ny, nm, d);
}

int date_years_between(int32_t from, int32_t to)
{
    if (to < from) return -date_years_between(to, from);
    int fy, fm, fd, ty, tm, td;
    date_ymd(from, &fy, &fm, &fd);
    date_ymd(to, &ty, &tm, &td);
    int years = ty - fy;
    if (tm < fm || (tm == fm && td < fd)) years--;
    return years;
}

/* n ASCII digits at s as a number, or -1 if any is not a digit. */
static int read_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int date_parse(const char *s, int32_t *days, gh_err *e)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return err_set(e, ERR_INVALID, "invalid_date", NULL, "日期格式应为 YYYY-MM-DD");
    int y = read_digits(s, 4), m = read_digits(s + 5, 2), d = read_digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return err_set(e, ERR_INVALID, "invalid_date", NULL, "日期格式应为 YYYY-MM-DD");
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
        return err_set(e, ERR_INVALID, "invalid_date", NULL, "日期年份应在 %d 至 %d 之间",
                       DATE_YEAR_MIN, DATE_YEAR_MAX);
    if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
        return err_set(e, ERR_INVALID, "invalid_date", NULL, "日期不存在（请检查月份和天数）");
    *days = date_from_ymd(y, m, d);
    return 0;
}

int date_month_parse(const char *s, int *y, int *m, gh_err *e)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return err_set(e, ERR_INVALID, "invalid_month", NULL, "月份格式应为 YYYY-MM");
    int yy = read_digits(s, 4), mm = read_digits(s + 5, 2);
    if (yy < 0 || mm < 0)
        return err_set(e, ERR_INVALID, "invalid_month", NULL, "月份格式应为 YYYY-MM");
    if (yy < DATE_YEAR_MIN || yy > DATE_YEAR_MAX || mm < 1 || mm > 12)
        return err_set(e, ERR_INVALID, "invalid_month", NULL, "月份不存在");
    *y = yy;
    *m = mm;
    return 0;
}

int64_t ts_now_ms(void) { return realtime_ms(); }

void ts_format_ms(int64_t ms, char out[32])
{
    const int64_t lo = days_of(0, 1, 1) * 86400000LL;
    const int64_t hi = days_of(10000, 1, 1) * 86400000LL - 1;
    if (ms < lo) ms = lo;
    if (ms > hi) ms = hi;
    int64_t day = floor_div(ms, 86400000LL);
    int64_t rem = ms - day * 86400000LL;
    int64_t y;
    int m, d;
    ymd_of(day, &y, &m, &d);
    char *p = put_digits(out, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p++ = 'T';
    p = put_digits(p, rem / 3600000, 2);
    *p++ = ':';
    p = put_digits(p, rem / 60000 % 60, 2);
    *p++ = ':';
    p = put_digits(p, rem / 1000 % 60, 2);
    *p++ = '.';
    p = put_digits(p, rem % 1000, 3);
    *p++ = 'Z';
    *p = '\0';
}

void ts_now(char out[32]) { ts_format_ms(realtime_ms(), out); }

int ts_parse(const char *s, int64_t *ms, gh_err *e)
{
#define BAD_TS() err_set(e, ERR_INVALID, "invalid_timestamp", NULL, \
                         "时间格式应为 RFC 3339，例如 2026-01-31T08:00:00Z")
    if (!s || strlen(s) < 20) return BAD_TS();
    if (s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':') return BAD_TS();
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return BAD_TS();
    int y = read_digits(s, 4), mo = read_digits(s + 5, 2), d = read_digits(s + 8, 2);
    int h = read_digits(s + 11, 2), mi = read_digits(s + 14, 2), se = read_digits(s + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > date_days_in_month(y, mo)) return BAD_TS();
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return BAD_TS();

    const char *p = s + 19;
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        int nd = 0;
        while (*p >= '0' && *p <= '9') {
            if (nd < 3) frac = frac * 10 + (*p - '0');
            nd++;
            p++;
        }
        if (nd == 0 || nd > 9) return BAD_TS();
        for (int i = nd; i < 3; i++) frac *= 10;
    }
    int64_t off = 0; /* seconds east of UTC */
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh = read_digits(p + 1, 2);
        if (oh < 0 || p[3] != ':') return BAD_TS();
        int om = read_digits(p + 4, 2);
        if (oh > 23 || om < 0 || om > 59) return BAD_TS();
        off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return BAD_TS();
    }
    if (*p) return BAD_TS();
    int64_t secs = days_of(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    *ms = secs * 1000 + frac;
    return 0;
#undef BAD_TS
}

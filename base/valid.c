/* valid.c — Chinese identifier validators, UTF-8 checks and masks; see
 * valid.h for the rules and the province list. */
#include "base/valid.h"

#include "base/date.h"

#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int valid_province(const char *p)
{
    if (!p || !is_digit(p[0]) || !is_digit(p[1])) return 0;
    int v = (p[0] - '0') * 10 + (p[1] - '0');
    return (v >= 11 && v <= 15) || (v >= 21 && v <= 23) || (v >= 31 && v <= 37) ||
           (v >= 41 && v <= 46) || (v >= 50 && v <= 54) || (v >= 61 && v <= 65) ||
           v == 71 || v == 81 || v == 82 || v == 83 || v == 91;
}

/* ---- 居民身份证号码 ---------------------------------------------------- */

static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char id_check_chars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

#define ID_ERR(msg) err_set(e, ERR_INVALID, "invalid_id_number", "id_number", "%s", msg)

int valid_id_number_asof(const char *s, int32_t today, char out[19], gh_err *e)
{
    if (!s || !*s) return ID_ERR("请填写身份证号码");
    size_t len = strnlen(s, 19);
    if (len != 18) return ID_ERR("身份证号码长度应为 18 位");
    char id[19];
    for (int i = 0; i < 17; i++) {
        if (!is_digit(s[i])) return ID_ERR("身份证号码前 17 位应为数字，最后一位为数字或 X");
        id[i] = s[i];
    }
    char last = s[17] == 'x' ? 'X' : s[17];
    if (!is_digit(last) && last != 'X')
        return ID_ERR("身份证号码前 17 位应为数字，最后一位为数字或 X");
    id[17] = last;
    id[18] = '\0';

    if (!valid_province(id)) return ID_ERR("身份证号码的地区码（前 6 位）不正确");

    int y = digits_value(id + 6, 4), m = digits_value(id + 10, 2), d = digits_value(id + 12, 2);
    if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
        return ID_ERR("身份证号码中的出生日期（第 7–14 位）不是有效日期");
    if (y < 1900) return ID_ERR("身份证号码中的出生日期（第 7–14 位）早于 1900 年");
    if (date_from_ymd(y, m, d) > today)
        return ID_ERR("身份证号码中的出生日期（第 7–14 位）晚于今天");

    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (id[i] - '0') * id_weights[i];
    if (id_check_chars[sum % 11] != last)
        return ID_ERR("身份证号码校验码（最后一位）不正确，请核对号码");

    memcpy(out, id, 19);
    return 0;
}

#undef ID_ERR

int valid_id_number(const char *s, char out[19], gh_err *e)
{
    return valid_id_number_asof(s, date_today_cn(), out, e);
}

int valid_id_birth(const char *id18, int32_t *days)
{
    if (!id18 || strnlen(id18, 19) != 18) return ERR_INVALID;
    for (int i = 6; i < 14; i++)
        if (!is_digit(id18[i])) return ERR_INVALID;
    int y = digits_value(id18 + 6, 4), m = digits_value(id18 + 10, 2), d = digits_value(id18 + 12, 2);
    if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m)) return ERR_INVALID;
    *days = date_from_ymd(y, m, d);
    return 0;
}

int valid_id_gender(const char *id18)
{
    if (!id18 || strnlen(id18, 19) != 18 || !is_digit(id18[16])) return ERR_INVALID;
    return (id18[16] - '0') % 2 ? 1 : 2;
}

/* ---- 统一社会信用代码 -------------------------------------------------- */

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY"; /* 31 chars */
static const int uscc_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int uscc_value(char c)
{
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (!c) return -1;
    const char *p = memchr(uscc_alphabet, c, sizeof uscc_alphabet - 1);
    return p ? (int)(p - uscc_alphabet) : -1;
}

#define USCC_ERR(msg) err_set(e, ERR_INVALID, "invalid_credit_code", "uscc", "%s", msg)

int valid_uscc(const char *s, char out[19], gh_err *e)
{
    if (!s || !*s) return USCC_ERR("请填写统一社会信用代码");
    if (strnlen(s, 19) != 18) return USCC_ERR("统一社会信用代码长度应为 18 位");
    char code[19];
    int val[18];
    for (int i = 0; i < 18; i++) {
        val[i] = uscc_value(s[i]);
        if (val[i] < 0)
            return USCC_ERR("统一社会信用代码含有无效字符（只用数字和除 I、O、Z、S、V 以外的大写字母）");
        code[i] = uscc_alphabet[val[i]];
    }
    code[18] = '\0';
    for (int i = 2; i < 8; i++)
        if (!is_digit(code[i]))
            return USCC_ERR("统一社会信用代码第 3–8 位（登记管理机关行政区划码）应为数字");
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += val[i] * uscc_weights[i];
    int check = 31 - sum % 31;
    if (check == 31) check = 0;
    if (val[17] != check) return USCC_ERR("统一社会信用代码校验码（最后一位）不正确，请核对");
    memcpy(out, code, 19);
    return 0;
}

#undef USCC_ERR

/* ---- phone numbers and region codes ------------------------------------ */

int valid_mobile(const char *s, char out[12], gh_err *e)
{
    const char *msg = "手机号码应为 11 位数字，以 13–19 开头";
    if (!s || !*s) return err_set(e, ERR_INVALID, "invalid_mobile", "mobile", "请填写手机号码");
    const char *p = s;
    while (*p == ' ') p++;
    int plus = 0;
    if (*p == '+') {
        plus = 1;
        p++;
    }
    char dig[14];
    int nd = 0;
    for (; *p; p++) {
        if (is_digit(*p)) {
            if (nd >= 13) return err_set(e, ERR_INVALID, "invalid_mobile", "mobile", "%s", msg);
            dig[nd++] = *p;
        } else if (*p != ' ' && *p != '-') {
            return err_set(e, ERR_INVALID, "invalid_mobile", "mobile", "%s", msg);
        }
    }
    const char *d = dig;
    if (nd == 13 && dig[0] == '8' && dig[1] == '6') {
        d += 2;
        nd = 11;
    } else if (plus) {
        /* "+" followed by anything but 86 is a foreign number */
        return err_set(e, ERR_INVALID, "invalid_mobile", "mobile", "只支持中国大陆手机号码（+86）");
    }
    if (nd != 11 || d[0] != '1' || d[1] < '3')
        return err_set(e, ERR_INVALID, "invalid_mobile", "mobile", "%s", msg);
    memcpy(out, d, 11);
    out[11] = '\0';
    return 0;
}

int valid_region_code(const char *s, gh_err *e)
{
    if (!s || strnlen(s, 7) != 6)
        return err_set(e, ERR_INVALID, "invalid_region_code", "region_code", "行政区划代码应为 6 位数字");
    for (int i = 0; i < 6; i++)
        if (!is_digit(s[i]))
            return err_set(e, ERR_INVALID, "invalid_region_code", "region_code", "行政区划代码应为 6 位数字");
    if (!valid_province(s))
        return err_set(e, ERR_INVALID, "invalid_region_code", "region_code", "行政区划代码的省级部分（前 2 位）不正确");
    return 0;
}

int valid_bank_account(const char *s, const char *field, char out[VALID_ACCOUNT_MAX + 1], gh_err *e)
{
    size_t n = 0;
    int ok = 1;
    for (const char *p = s ? s : ""; *p && ok; p++) {
        if (*p == ' ' || *p == '-') continue;
        ok = is_digit(*p) && n < VALID_ACCOUNT_MAX;
        if (ok) out[n++] = *p;
    }
    if (!ok || n < 8) n = 0;
    out[n] = '\0';
    return n ? 0 : err_set(e, ERR_INVALID, "invalid_account", field, "银行账号应为 8 到 30 位数字");
}

/* ---- UTF-8 ------------------------------------------------------------- */

int valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* need: continuation bytes; lo/hi: allowed range of the first one,
         * narrowed to exclude overlongs (E0, F0), surrogates (ED) and code
         * points above U+10FFFF (F4). */
        int need;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c == 0xE0) { need = 2; lo = 0xA0; }
        else if (c == 0xED) { need = 2; hi = 0x9F; }
        else if (c >= 0xE1 && c <= 0xEF) need = 2;
        else if (c == 0xF0) { need = 3; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) need = 3;
        else if (c == 0xF4) { need = 3; hi = 0x8F; }
        else return 0;
        if (n - i - 1 < (size_t)need) return 0;
        if (p[i + 1] < lo || p[i + 1] > hi) return 0;
        for (int k = 2; k <= need; k++)
            if ((p[i + k] & 0xC0) != 0x80) return 0;
        i += 1 + (size_t)need;
    }
    return 1;
}

size_t utf8_chars(const char *s)
{
    if (!s) return 0;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

/* ---- masks ------------------------------------------------------------- */

/* Length in bytes of the character at p: the lead byte's claim, but never
 * past a NUL or a byte that is not a continuation byte, so malformed input
 * advances one byte at a time. */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    size_t want = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t k = 1; k < want; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80) return 1;
    return want;
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p += char_len(p)) n++;
    return n;
}

/* A bounded writer that only ever appends whole characters. */
typedef struct {
    char *out;
    size_t n, len;
    int full;
} mask_wr;

static void wr_init(mask_wr *w, char *out, size_t n)
{
    w->out = out;
    w->n = n;
    w->len = 0;
    w->full = !out || n == 0;
    if (!w->full) out[0] = '\0';
}

static void wr_put(mask_wr *w, const char *p, size_t k)
{
    if (w->full) return;
    if (w->len + k + 1 > w->n) {
        w->full = 1;
        return;
    }
    memcpy(w->out + w->len, p, k);
    w->len += k;
    w->out[w->len] = '\0';
}

static void wr_stars(mask_wr *w, size_t k)
{
    while (k-- && !w->full) wr_put(w, "*", 1);
}

static int all_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 0;
    return 1;
}

/* Keep `head` and `tail` characters of an ASCII string of length len (which
 * the caller checked is longer than head + tail), stars between. */
static void mask_middle(mask_wr *w, const char *s, size_t len, size_t head, size_t tail)
{
    wr_put(w, s, head);
    wr_stars(w, len - head - tail);
    wr_put(w, s + len - tail, tail);
}

void mask_id_number(const char *id18, char out[19])
{
    mask_wr w;
    wr_init(&w, out, 19);
    if (!id18) return;
    size_t len = strlen(id18);
    if (len >= 9 && len <= 18 && all_ascii(id18)) mask_middle(&w, id18, len, 4, 4);
    else wr_stars(&w, count_chars(id18) < 18 ? count_chars(id18) : 18);
}

void mask_mobile(const char *m11, char out[12])
{
    mask_wr w;
    wr_init(&w, out, 12);
    if (!m11) return;
    size_t len = strlen(m11);
    if (len == 11 && all_ascii(m11)) mask_middle(&w, m11, len, 3, 4);
    else wr_stars(&w, count_chars(m11) < 11 ? count_chars(m11) : 11);
}

void mask_name(const char *name, char *out, size_t n)
{
    mask_wr w;
    wr_init(&w, out, n);
    if (!name || !*name) return;
    size_t nc = count_chars(name);
    size_t first = char_len(name);
    if (nc == 1) {
        wr_put(&w, name, first);
        return;
    }
    wr_put(&w, name, first);
    if (nc == 2) {
        wr_stars(&w, 1);
        return;
    }
    wr_stars(&w, nc - 2);
    const char *p = name, *lastp = name;
    for (; *p; p += char_len(p)) lastp = p;
    wr_put(&w, lastp, char_len(lastp));
}

void mask_account(const char *acct, char *out, size_t n)
{
    mask_wr w;
    wr_init(&w, out, n);
    if (!acct) return;
    /* Banks print account numbers in groups; the groups are presentation. */
    size_t nc = 0;
    for (const char *p = acct; *p; p += char_len(p))
        if (*p != ' ' && *p != '-') nc++;
    size_t head = nc > 8 ? 4 : 0, tail = nc > 4 ? 4 : 0;
    size_t i = 0;
    for (const char *p = acct; *p; p += char_len(p)) {
        if (*p == ' ' || *p == '-') continue;
        if (i < head || i >= nc - tail) wr_put(&w, p, char_len(p));
        else wr_stars(&w, 1);
        i++;
    }
}

void mask_tail(const char *s, size_t keep, char *out, size_t n)
{
    mask_wr w;
    wr_init(&w, out, n);
    if (!s) return;
    size_t nc = count_chars(s);
    size_t masked = nc > keep ? nc - keep : 0;
    size_t i = 0;
    for (const char *p = s; *p; p += char_len(p), i++) {
        if (i < masked) wr_stars(&w, 1);
        else wr_put(&w, p, char_len(p));
    }
}

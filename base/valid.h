/* valid.h — validators for Chinese identifiers, UTF-8 checks, and the masks
 * used wherever personal data is shown in a list.
 *
 * Validators take user text, return 0 or ERR_INVALID, write a normalised
 * copy into `out` (upper-case check characters, bare 11-digit phone numbers)
 * and never echo the input back into the error message: messages end up in
 * logs, and ID numbers and phone numbers are personal data.
 *
 * Province codes accepted (first two digits of a region code, GB/T 2260 plus
 * the codes used on residence permits): 11-15, 21-23, 31-37, 41-46, 50-54,
 * 61-65, 71 (台湾), 81 (香港), 82 (澳门), 83 (台湾居民居住证), 91 (境外).
 * Only the province part is checked; county codes change too often to list. */
#ifndef GH_VALID_H
#define GH_VALID_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* 1 if the two digits p[0], p[1] form an accepted province code. */
int valid_province(const char *p);

/* 居民身份证号码 (GB 11643-1999). Exactly 18 characters: 17 digits and a
 * digit or X (x accepted), a known province, a real birth date YYYYMMDD with
 * year >= 1900 and not after today in China, and a correct check digit.
 * out gets the number with an upper-case X. Code "invalid_id_number", field
 * "id_number", message naming the part that failed (长度, 字符, 地区码,
 * 出生日期, 校验码). */
int valid_id_number(const char *s, char out[19], gh_err *e);
/* The same, with "today" given (days since 1970-01-01), for tests and for
 * checks against a reference date. */
int valid_id_number_asof(const char *s, int32_t today, char out[19], gh_err *e);

/* Birth date of a validated 18-character ID number, as days since
 * 1970-01-01. 0 or ERR_INVALID. */
int valid_id_birth(const char *id18, int32_t *days);
/* 1 male, 2 female (the 17th digit odd = male); ERR_INVALID if not a digit. */
int valid_id_gender(const char *id18);

/* 统一社会信用代码 (GB 32100-2015): 18 characters from
 * "0123456789ABCDEFGHJKLMNPQRTUWXY" (lower case accepted; I O Z S V never
 * occur), characters 3-8 digits (the region code), last character the check
 * character. out gets the upper-case code. Code "invalid_credit_code",
 * field "uscc". */
int valid_uscc(const char *s, char out[19], gh_err *e);

/* Mainland mobile number: 11 digits, 1[3-9]xxxxxxxxx. Accepts a "+86" or
 * "86" prefix and spaces or hyphens between digits ("+86 138-0013-8000");
 * out gets the bare 11 digits. Code "invalid_mobile", field "mobile". */
int valid_mobile(const char *s, char out[12], gh_err *e);

/* Six-digit administrative region code with an accepted province part.
 * Code "invalid_region_code", field "region_code". */
int valid_region_code(const char *s, gh_err *e);

/* Bank account number (银行账号): 8 to 30 digits (VALID_ACCOUNT_MAX); spaces
 * and hyphens between them are dropped ("6222 0212-3456"). out gets the bare
 * digits. Code "invalid_account", field as given (each form names it: an
 * enterprise's "account_number", a hardship file's "bank_account"), message
 * "银行账号应为 8 到 30 位数字". The one rule for every account number. */
#define VALID_ACCOUNT_MAX 30
int valid_bank_account(const char *s, const char *field, char out[VALID_ACCOUNT_MAX + 1], gh_err *e);

/* 1 if s[0..n) is well-formed UTF-8: no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF; else 0. NUL bytes are allowed
 * (they are valid UTF-8); callers holding C strings never see them. */
int valid_utf8(const char *s, size_t n);

/* Number of code points in a NUL-terminated UTF-8 string (counts the bytes
 * that are not continuation bytes, so malformed input gives an estimate). */
size_t utf8_chars(const char *s);

/* Masks. All accept NULL input (giving ""), always NUL-terminate out when it
 * has room for anything, and never cut a UTF-8 character in half. When the
 * input does not have the expected shape they mask everything rather than
 * risk showing too much. */

/* "320102198001011238" -> "3201**********1238": first 4 and last 4 kept
 * (also for 9..17 characters, e.g. 15-digit IDs); shorter or longer input is
 * all '*' (at most 18). */
void mask_id_number(const char *id18, char out[19]);
/* "13800138000" -> "138****8000"; other lengths: all '*' (at most 11). */
void mask_mobile(const char *m11, char out[12]);
/* "张" -> "张", "张三" -> "张*", "张小明" -> "张*明", "欧阳小明" -> "欧**明". */
void mask_name(const char *name, char *out, size_t n);
/* Bank account: spaces and hyphens dropped, first 4 and last 4 kept, the rest
 * '*': "6222021234567890123" -> "6222***********0123". 5..8 characters: only
 * the last 4 kept; 4 or fewer: all '*'. */
void mask_account(const char *acct, char *out, size_t n);
/* All but the last `keep` characters (code points) replaced by '*', one '*'
 * per character. */
void mask_tail(const char *s, size_t keep, char *out, size_t n);

#endif

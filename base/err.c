/* err.c — error recording and the mapping of error codes to HTTP statuses. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy_str(char *dst, size_t n, const char *src)
{
    if (!src) src = "";
    size_t len = strlen(src);
    if (len >= n) {
        /* Cut at a UTF-8 boundary so a Chinese message never ends in half a
         * character. */
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80) len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

int err_set(gh_err *e, int rc, const char *code, const char *field,
            const char *fmt, ...)
{
    if (!e) return rc;
    e->rc = rc;
    copy_str(e->code, sizeof e->code, code ? code : err_default_code(rc));
    copy_str(e->field, sizeof e->field, field);
    if (fmt) {
        char tmp[sizeof e->message * 2];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(tmp, sizeof tmp, fmt, ap);
        va_end(ap);
        copy_str(e->message, sizeof e->message, tmp);
    } else {
        copy_str(e->message, sizeof e->message, err_default_message(rc));
    }
    return rc;
}

void err_clear(gh_err *e)
{
    if (!e) return;
    e->rc = 0;
    e->code[0] = e->field[0] = e->message[0] = '\0';
}

int err_http_status(int rc)
{
    switch (rc) {
    case ERR_OK: return 200;
    case ERR_INVALID: return 400;
    case ERR_NOT_FOUND: return 404;
    case ERR_CONFLICT: return 409;
    case ERR_UNAUTH: return 401;
    case ERR_FORBIDDEN: return 403;
    case ERR_TOO_LARGE: return 413;
    case ERR_LOCKED: return 423;
    case ERR_RATE: return 429;
    case ERR_UNSUPPORTED: return 415;
    case ERR_GONE: return 410;
    case ERR_RETRY: return 503;
    case ERR_UNAVAILABLE: return 503;
    default: return 500;
    }
}

const char *err_default_code(int rc)
{
    switch (rc) {
    case ERR_OK: return "ok";
    case ERR_INVALID: return "invalid_input";
    case ERR_NOT_FOUND: return "not_found";
    case ERR_CONFLICT: return "conflict";
    case ERR_UNAUTH: return "unauthenticated";
    case ERR_FORBIDDEN: return "forbidden";
    case ERR_TOO_LARGE: return "body_too_large";
    case ERR_LOCKED: return "locked";
    case ERR_RATE: return "rate_limited";
    case ERR_UNSUPPORTED: return "unsupported_media_type";
    case ERR_GONE: return "gone";
    case ERR_RETRY: return "retry_later";
    case ERR_STORE: return "storage_error";
    case ERR_NOMEM: return "out_of_memory";
    case ERR_UNAVAILABLE: return "unavailable";
    default: return "internal_error";
    }
}

const char *err_default_message(int rc)
{
    switch (rc) {
    case ERR_OK: return "成功";
    case ERR_INVALID: return "输入有误";
    case ERR_NOT_FOUND: return "记录不存在";
    case ERR_CONFLICT: return "与现有记录冲突";
    case ERR_UNAUTH: return "请先登录";
    case ERR_FORBIDDEN: return "没有权限执行此操作";
    case ERR_TOO_LARGE: return "请求内容过大";
    case ERR_LOCKED: return "已被锁定，请稍后再试";
    case ERR_RATE: return "请求过于频繁，请稍后再试";
    case ERR_UNSUPPORTED: return "不支持的内容类型";
    case ERR_GONE: return "已失效";
    case ERR_RETRY: return "系统繁忙，请稍后重试";
    case ERR_STORE: return "数据存储出错";
    case ERR_NOMEM: return "系统内存不足";
    case ERR_UNAVAILABLE: return "服务暂不可用";
    default: return "系统内部错误";
    }
}

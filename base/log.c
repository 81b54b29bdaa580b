/* log.c — JSON-lines logging; see log.h. */
#include "base/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/valid.h"

static int g_level = LOG_INFO;
static int g_access = 1;
static int g_buffered;

void log_set_level(int level) { g_level = level; }
void log_set_access(int on) { g_access = on; }

int log_level_parse(const char *s)
{
    static const char *names[] = {"debug", "info", "warn", "error", "off"};
    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

static void *flusher(void *arg)
{
    (void)arg;
    for (;;) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
        fflush(stderr);
    }
    return NULL;
}

void log_buffered(void)
{
    if (g_buffered) return;
    static char area[1 << 16];
    setvbuf(stderr, area, _IOFBF, sizeof area);
    pthread_t t;
    if (pthread_create(&t, NULL, flusher, NULL) == 0) {
        pthread_detach(t);
        g_buffered = 1;
    } else {
        setvbuf(stderr, NULL, _IONBF, 0);
    }
}

void log_flush(void) { fflush(stderr); }

/* The length of the well-formed UTF-8 sequence at p (1–4), or 0 when the
 * byte there does not start one (a stray continuation byte, an overlong
 * form, a surrogate, a sequence cut short, a code point past U+10FFFF). */
static int utf8_seq(const unsigned char *p)
{
    int n = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
                                                              : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
    for (int k = 1; k < n; k++)
        if (!p[k]) return 0; /* cut short by the end of the string */
    return n && valid_utf8((const char *)p, (size_t)n) ? n : 0;
}

/* Append s as the body of a JSON string (without quotes). The line must stay
 * valid UTF-8 JSON whatever s holds (a request path is the client's bytes
 * after percent-decoding): a byte that is not part of a well-formed UTF-8
 * sequence is written as the four characters \xHH (JSON "\\xHH"), and
 * control characters (DEL too) as \u00HH. */
static void json_escape(buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        switch (*p) {
        case '"': buf_puts(b, "\\\""); p++; continue;
        case '\\': buf_puts(b, "\\\\"); p++; continue;
        case '\n': buf_puts(b, "\\n"); p++; continue;
        case '\r': buf_puts(b, "\\r"); p++; continue;
        case '\t': buf_puts(b, "\\t"); p++; continue;
        default: break;
        }
        if (*p < 0x20 || *p == 0x7F) {
            buf_printf(b, "\\u%04x", *p);
            p++;
            continue;
        }
        int n = utf8_seq(p);
        if (n == 0) {
            buf_printf(b, "\\\\x%02X", *p);
            p++;
            continue;
        }
        buf_append(b, (const char *)p, (size_t)n);
        p += n;
    }
}

/* For the unit tests: the escaped text of s (caller frees). */
char *log_json_escape(const char *s)
{
    buf b = {0};
    json_escape(&b, s);
    return buf_take(&b);
}

static const char *level_name(int level)
{
    switch (level) {
    case LOG_DEBUG: return "debug";
    case LOG_INFO: return "info";
    case LOG_WARN: return "warn";
    default: return "error";
    }
}

void log_msg(int level, const char *fmt, ...)
{
    if (level < g_level) return;
    char ts[32], msg[1024];
    ts_now(ts);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    buf b = {0};
    buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts, level_name(level));
    json_escape(&b, msg);
    buf_puts(&b, "\"}\n");
    fputs(buf_str(&b), stderr);
    buf_free(&b);
}

void log_access(const char *method, const char *path, int status, double ms,
                const char *client, int64_t user_id, const char *error_code)
{
    if (!g_access || g_level > LOG_INFO) return;
    char ts[32];
    ts_now(ts);
    buf b = {0};
    buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"access\",\"method\":\"", ts);
    json_escape(&b, method);
    buf_puts(&b, "\",\"path\":\"");
    json_escape(&b, path);
    buf_printf(&b, "\",\"status\":%d,\"ms\":%.3f,\"client\":\"", status, ms);
    json_escape(&b, client ? client : "");
    buf_puts(&b, "\"");
    if (user_id) buf_printf(&b, ",\"user\":%lld", (long long)user_id);
    if (error_code && *error_code) {
        buf_puts(&b, ",\"error\":\"");
        json_escape(&b, error_code);
        buf_puts(&b, "\"");
    }
    buf_puts(&b, "}\n");
    fputs(buf_str(&b), stderr);
    buf_free(&b);
}

/* log.h — diagnostic and access logging to standard error.
 *
 * Lines are single-line JSON objects so a log shipper can parse them:
 *   {"ts":"2026-11-29T17:01:16.123Z","level":"info","msg":"…"}
 *   {"ts":…,"level":"access","method":"GET","path":"/healthz","status":200,"ms":0.21,…}
 * The server switches to buffered output (log_buffered) flushed by a
 * background thread several times a second, so logging a request costs no
 * system call on the request's path. */
#ifndef GH_LOG_H
#define GH_LOG_H

#include <stdint.h>

enum { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3, LOG_OFF = 4 };

void log_set_level(int level);
/* Parse "debug" | "info" | "warn" | "error" | "off"; -1 if unknown. */
int log_level_parse(const char *s);
void log_set_access(int on);
/* Buffer standard error and flush it from a background thread. */
void log_buffered(void);
void log_flush(void);

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* s escaped as the body of a JSON string, as every log line writes it: bytes
 * that are not well-formed UTF-8 become the text \xHH, so a line stays valid
 * UTF-8 JSON whatever a client put in its path. Caller frees. */
char *log_json_escape(const char *s);

void log_access(const char *method, const char *path, int status, double ms,
                const char *client, int64_t user_id, const char *error_code);

#endif

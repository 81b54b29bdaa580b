/* fuzz_request.c — libFuzzer harness for what parses untrusted requests
 * before any handler runs: the router (paths with parameters) and the JSON
 * body checks of base/jsonv. Input: a path, a newline, a JSON body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonv.h"
#include "http/internal.h"

static int noop(http_req *r, gh_err *e) { (void)r; (void)e; return 0; }

static const http_route table[] = {
    {HTTP_GET, "/api/v1/orgs", noop, 0},
    {HTTP_GET | HTTP_PATCH, "/api/v1/orgs/{id}", noop, 0},
    {HTTP_POST, "/api/v1/orgs/{id}/move", noop, 0},
    {HTTP_GET, "/api/v1/a/{x}/b/{y}/c/{z}", noop, 0},
    {0},
};
static const http_route *const tables[] = {table, NULL};

static const char *const levels[] = {"a", "b", "c", NULL};
static const jv_field spec[] = {
    {"name", JV_STRING, JV_REQUIRED, "名称", .max = 10},
    {"n", JV_INT, 0, "数", .min = -5, .max = 5},
    {"m", JV_MONEY, JV_NULLABLE, "金额"},
    {"d", JV_DATE, 0, "日期"},
    {"e", JV_ENUM, 0, "枚举", .choices = levels},
    {"es", JV_ENUMS, 0, "多选", .choices = levels},
    {"b", JV_BOOL, 0, "开关"},
    {"t", JV_STRING, JV_MULTILINE, "说明", .max = 50},
    {0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t plen = nl ? (size_t)(nl - data) : size;
    char *path = malloc(plen + 1);
    memcpy(path, data, plen);
    path[plen] = '\0';
    router *rt = NULL;
    if (router_new(tables, &rt, NULL) == 0) {
        router_match m;
        int allowed = 0;
        if (router_match_path(rt, HTTP_GET, path, &m, &allowed) == 0) {
            (void)router_param(&m, "id");
            (void)router_param(&m, "z");
        }
        router_free(rt);
    }
    free(path);
    if (nl) {
        json_error_t je;
        json_t *j = json_loadb((const char *)nl + 1, size - plen - 1, JSON_REJECT_DUPLICATES, &je);
        if (j) {
            gh_err e;
            jv_check(j, spec, &e);
            jv_check_partial(j, spec, &e);
            json_decref(j);
        }
    }
    return 0;
}

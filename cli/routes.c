/* cli/routes.c — `gonghui routes`: every route the server answers, one per
 * line ("GET /api/v1/orgs/{id} auth"), so docs/openapi.yaml can be checked
 * against the router by a test. `gonghui routes --json` adds what each route
 * declares: its success status, body fields and query parameters, so the
 * test can hold the documented request schemas to the same tables. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "http/http.h"

static const struct {
    int bit;
    const char *name;
} methods[] = {{HTTP_GET, "GET"}, {HTTP_POST, "POST"}, {HTTP_PUT, "PUT"}, {HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"}};

static const char *field_type(int t)
{
    switch (t) {
    case JV_STRING: case JV_DATE: case JV_ENUM: return "string";
    case JV_INT: case JV_MONEY: return "integer";
    case JV_BOOL: return "boolean";
    case JV_ARRAY: case JV_ENUMS: return "array";
    case JV_OBJECT: return "object";
    default: return "unknown";
    }
}

static json_t *route_json(const http_route *r, const char *method)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "method", method, "path", r->pattern, "access",
                          (r->flags & R_PUBLIC) ? "public" : "auth", "declared", r->fn == NULL);
    if (r->fn == NULL) json_object_set_new(o, "status", json_integer(r->import ? 202 : r->status ? r->status : 200));
    if (r->body) {
        json_t *fields = json_array();
        for (const jv_field *f = r->body; f->name; f++)
            json_array_append_new(fields, json_pack("{s:s, s:s, s:b}", "name", f->name, "type", field_type(f->type),
                                                    "required", (f->flags & JV_REQUIRED) != 0));
        json_object_set_new(o, "body", fields);
    }
    if (r->query) {
        json_t *q = json_array();
        for (const http_qparam *p = r->query; p->name; p++) {
            if (p->type == QP_PAGE) {
                json_array_append_new(q, json_pack("{s:s, s:s}", "name", "page", "type", "integer"));
                json_array_append_new(q, json_pack("{s:s, s:s}", "name", "per_page", "type", "integer"));
            } else {
                json_array_append_new(q, json_pack("{s:s, s:s}", "name", p->name, "type",
                                                   p->type == QP_STR ? "string" : "integer"));
            }
        }
        if (r->flags & R_XLSX) json_array_append_new(q, json_pack("{s:s, s:s}", "name", "format", "type", "string"));
        json_object_set_new(o, "query", q);
    }
    return o;
}

int cli_routes(cli_opts *o)
{
    int as_json = cli_opt(o, "json") != NULL;
    json_t *all = as_json ? json_array() : NULL;
    for (int t = 0; http_all_routes[t]; t++)
        for (const http_route *r = http_all_routes[t]; r->pattern; r++)
            for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
                if (!(r->method & methods[m].bit)) continue;
                if (as_json) json_array_append_new(all, route_json(r, methods[m].name));
                else printf("%s %s %s\n", methods[m].name, r->pattern, (r->flags & R_PUBLIC) ? "public" : "auth");
            }
    if (as_json) {
        char *s = json_dumps(all, JSON_INDENT(1));
        if (s) puts(s);
        free(s);
        json_decref(all);
    }
    return 0;
}

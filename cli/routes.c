/* cli/routes.c — `gonghui routes`: every route the server answers, one per
 * line ("GET /api/v1/orgs/{id} auth"), so docs/openapi.yaml can be checked
 * against the router by a test. */
#include <stdio.h>

#include "cli/cli.h"
#include "http/internal.h"

int cli_routes(void)
{
    static const struct {
        int bit;
        const char *name;
    } methods[] = {{HTTP_GET, "GET"}, {HTTP_POST, "POST"}, {HTTP_PUT, "PUT"}, {HTTP_PATCH, "PATCH"},
                   {HTTP_DELETE, "DELETE"}};
    for (int t = 0; http_all_routes[t]; t++)
        for (const http_route *r = http_all_routes[t]; r->pattern; r++)
            for (size_t m = 0; m < sizeof methods / sizeof *methods; m++)
                if (r->method & methods[m].bit)
                    printf("%s %s %s\n", methods[m].name, r->pattern, (r->flags & R_PUBLIC) ? "public" : "auth");
    return 0;
}

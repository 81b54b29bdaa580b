/* routes.c — every module's route table, in the order of
 * domain/modules.def. */
#include "http/internal.h"
#include "http/routes.h"

const http_route *const http_all_routes[] = {
#define GH_MODULE(name) routes_##name,
#include "domain/modules.def"
#undef GH_MODULE
    NULL,
};

int routes_build(router **out, gh_err *e) { return router_new(http_all_routes, out, e); }

/* org_module.c — the org module descriptor: the organisation tree. */
#include "domain/core/module.h"

#include "domain/org/org.h"

static const gh_duty duties[] = {
    {DUTY_ORG, "org", "组织管理"},
    {0},
};

static const gh_menu_sub also0[] = {
    {"/orgs/{id}", NULL, NULL},
    {0},
};

static const gh_menu_item menu[] = {
    {"基础管理", "组织架构", "/orgs", "tree", "org/orgs", also0, MENU_STAFF, 0, 100},
    {0},
};

const gh_module org_module = {
    .name = "org",
    .label = "工会组织",
    .duties = duties,
    .menu = menu,
};

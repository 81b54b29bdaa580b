/* enterprise_module.c — the enterprise module descriptor: the enterprise directory. */
#include "domain/core/module.h"

#include "domain/enterprise/enterprise.h"

static const gh_menu_sub also0[] = {
    {"/enterprises/{id}", "企业详情", "enterprise/enterprise-detail"},
    {"/enterprises/import", "导入企业", "enterprise/enterprise-import"},
    {0},
};

static const gh_menu_item menu[] = {
    {"经费与账务", "企业名录", "/enterprises", "building", "enterprise/enterprises", also0, MENU_STAFF, DUTY_FINANCE, 300},
    {0},
};

const gh_module enterprise_module = {
    .name = "enterprise",
    .label = "企业名录",
    .menu = menu,
};

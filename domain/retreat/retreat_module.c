/* retreat_module.c — the retreat module descriptor: recuperation trips. */
#include "domain/core/module.h"

#include "domain/retreat/retreat.h"

static const gh_duty duties[] = {
    {DUTY_RETREAT, "retreat", "疗休养"},
    {0},
};

static const gh_policy_kind policy_kinds[] = {
    {"retreat_booking", "疗休养预订规则", DUTY_RETREAT, retreat_policy_validate, NULL, NULL},
    {0},
};

static const gh_ref_type ref_types[] = {
    {"retreat_booking", "retreat_bookings"},
    {0},
};

static const gh_menu_sub also0[] = {
    {"/retreat/routes/{id}", "线路详情", "retreat/retreat-route-admin"},
    {"/retreat/routes/import", "导入线路", "retreat/retreat-route-import"},
    {0},
};

static const gh_menu_sub also2[] = {
    {"/retreat/providers/import", "导入服务机构", "retreat/retreat-provider-import"},
    {0},
};

static const gh_menu_sub also5[] = {
    {"/desk/{id}", "接待名单", NULL},
    {0},
};

static const gh_menu_item menu[] = {
    {"职工疗休养", "线路管理", "/retreat/routes", "file", "retreat/retreat-routes", also0, MENU_STAFF, DUTY_RETREAT, 400},
    {"职工疗休养", "预订审核", "/retreat/bookings", "check", "retreat/retreat-bookings", NULL, MENU_STAFF, DUTY_RETREAT, 410},
    {"职工疗休养", "服务机构", "/retreat/providers", "org", "retreat/retreat-providers", also2, MENU_STAFF, DUTY_RETREAT, 420},
    {"职工疗休养", "专题与规则", "/retreat/settings", "edit", "retreat/retreat-settings", NULL, MENU_STAFF, DUTY_RETREAT, 430},
    {"职工疗休养", "疗休养统计", "/retreat/stats", "chart", "retreat/retreat-stats", NULL, MENU_OFFICER | MENU_ADMIN | MENU_AUDITOR, DUTY_RETREAT | DUTY_FINANCE, 440},
    {"职工疗休养", "疗休养接待", "/desk", "users", "retreat/retreat-desk", also5, MENU_PROVIDER, 0, 450},
    {0},
};

const gh_module retreat_module = {
    .name = "retreat",
    .label = "职工疗休养",
    .duties = duties,
    .policy_kinds = policy_kinds,
    .ref_types = ref_types,
    .menu = menu,
    .demo = retreat_demo,
};

/* core_module.c — the core module descriptor: the audit log, the ledger, policies, jobs and the home page. */
#include "domain/core/module.h"

#include "domain/core/ledger.h"
#include "domain/core/demo.h"

static const gh_duty duties[] = {
    {DUTY_FINANCE, "finance", "经费财务"},
    {DUTY_EMPLOYMENT, "employment", "就业服务"},
    {DUTY_RIGHTS, "rights", "维权服务"},
    {0},
};

static const gh_ref_type ref_types[] = {
    {"manual", NULL},
    {0},
};

static const gh_menu_sub also3[] = {
    {"/ledger/transfers/{id}", "记账记录", "core/ledger-transfer"},
    {0},
};

static const gh_menu_item menu[] = {
    {"基础管理", "政策参数", "/policies", "sliders", "core/policies", NULL, MENU_STAFF, DUTY_FINANCE | DUTY_HARDSHIP | DUTY_RETREAT, 120},
    {"基础管理", "审计日志", "/audit", "audit", "core/audit", NULL, MENU_AUDITOR | MENU_ADMIN, 0, 130},
    {"经费与账务", "账簿", "/ledger", "book", "core/ledger", also3, MENU_STAFF, DUTY_FINANCE, 340},
    {0},
};

const gh_module core_module = {
    .name = "core",
    .label = "平台公共服务",
    .duties = duties,
    .ref_types = ref_types,
    .menu = menu,
    .demo = policy_demo,
};

/* fees_module.c — the fees module descriptor: union fee payments and their split. */
#include "domain/core/module.h"

#include "domain/fees/fees.h"
#include "domain/core/demo.h"

static const gh_policy_kind policy_kinds[] = {
    {"fee_split", "工会经费分成比例", DUTY_FINANCE, fee_split_validate, NULL, NULL},
    {0},
};

static const gh_ref_type ref_types[] = {
    {"fee_import", "fee_imports"},
    {0},
};

static const gh_menu_sub also0[] = {
    {"/fee-payments/import", "导入缴费", "fees/fee-import"},
    {0},
};

static const gh_menu_item menu[] = {
    {"经费与账务", "经费缴纳", "/fee-payments", "coins", "fees/fee-payments", also0, MENU_STAFF, DUTY_FINANCE, 310},
    {0},
};

const gh_module fees_module = {
    .name = "fees",
    .label = "工会经费",
    .policy_kinds = policy_kinds,
    .ref_types = ref_types,
    .menu = menu,
    .demo = fees_demo,
};

/* refund_module.c — the refund module descriptor: refunds of union fees to small and micro enterprises. */
#include "domain/core/module.h"

#include "domain/refund/refund.h"

static const gh_policy_kind policy_kinds[] = {
    {"refund", "小微企业经费返还政策", DUTY_FINANCE, refund_policy_validate, "qualify.thresholds", "条认定标准"},
    {0},
};

static const gh_ref_type ref_types[] = {
    {"refund_line", "refund_lines"},
    {0},
};

static const gh_menu_sub also0[] = {
    {"/refunds/{id}", "返还批次", "refund/refund-run"},
    {0},
};

static const gh_menu_item menu[] = {
    {"经费与账务", "经费返还", "/refunds", "refund", "refund/refunds", also0, MENU_STAFF, DUTY_FINANCE, 320},
    {"经费与账务", "返还统计", "/refund-stats", "chart", "refund/refund-stats", NULL, MENU_STAFF, DUTY_FINANCE, 330},
    {0},
};

const gh_module refund_module = {
    .name = "refund",
    .label = "经费返还",
    .policy_kinds = policy_kinds,
    .ref_types = ref_types,
    .menu = menu,
};

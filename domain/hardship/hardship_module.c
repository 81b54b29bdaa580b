/* hardship_module.c — the hardship module descriptor: archives of workers in hardship. */
#include "domain/core/module.h"

#include "domain/hardship/hardship.h"
#include "domain/core/demo.h"

static const gh_duty duties[] = {
    {DUTY_HARDSHIP, "hardship", "困难帮扶"},
    {0},
};

static const gh_policy_kind policy_kinds[] = {
    {"hardship_standard", "低保标准与相对困难倍数", DUTY_HARDSHIP, hardship_standard_validate, NULL, NULL},
    {0},
};

static const gh_menu_sub also0[] = {
    {"/hardship/{id}", "困难职工档案", "hardship/hardship-detail"},
    {0},
};

static const gh_menu_item menu[] = {
    {"困难帮扶", "困难职工档案", "/hardship", "file", "hardship/hardship", also0, MENU_OFFICER | MENU_ADMIN, DUTY_HARDSHIP, 600},
    {"困难帮扶", "年度复核", "/hardship-reviews", "refresh", "hardship/hardship-reviews", NULL, MENU_OFFICER | MENU_ADMIN, DUTY_HARDSHIP, 610},
    {0},
};

const gh_module hardship_module = {
    .name = "hardship",
    .label = "困难职工档案",
    .duties = duties,
    .policy_kinds = policy_kinds,
    .menu = menu,
    .demo = hardship_demo,
    .remind = hardship_remind,
};

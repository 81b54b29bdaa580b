/* lottery_module.c — the lottery module descriptor: voucher lotteries that anyone can verify. */
#include "domain/core/module.h"

#include "domain/lottery/lottery.h"
#include "domain/core/demo.h"

static const gh_menu_sub also0[] = {
    {"/lottery/{id}", "抽取活动", "lottery/lottery-admin"},
    {0},
};

static const gh_menu_item menu[] = {
    {"消费券", "消费券抽取", "/lottery", "card", "lottery/lottery-campaigns", also0, MENU_STAFF, DUTY_RETREAT | DUTY_FINANCE, 500},
    {"消费券", "消费券统计", "/lottery-stats", "chart", "lottery/lottery-stats", NULL, MENU_STAFF, DUTY_RETREAT | DUTY_FINANCE, 510},
    {0},
};

const gh_module lottery_module = {
    .name = "lottery",
    .label = "消费券抽取",
    .menu = menu,
    .demo = lottery_demo,
};

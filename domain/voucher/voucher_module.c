/* voucher_module.c — the voucher module descriptor: vouchers redeemed once at providers. */
#include "domain/core/module.h"

#include "domain/voucher/voucher.h"

static const gh_ref_type ref_types[] = {
    {"voucher", "vouchers"},
    {0},
};

static const gh_menu_item menu[] = {
    {"消费券", "消费券核销", "/redeem", "check", "voucher/voucher-redeem", NULL, MENU_PROVIDER, 0, 520},
    {0},
};

const gh_module voucher_module = {
    .name = "voucher",
    .label = "消费券",
    .ref_types = ref_types,
    .menu = menu,
};

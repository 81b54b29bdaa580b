/* aid_module.c — the aid module descriptor: aid: education, critical illness, pairing and holiday aid. */
#include "domain/core/module.h"

#include "domain/aid/aid.h"
#include "domain/hardship/hardship.h"

static const gh_policy_kind policy_kinds[] = {
    {"aid_rules", "帮扶救助标准", DUTY_HARDSHIP, aid_rules_validate, "kinds", NULL},
    {0},
};

static const gh_ref_type ref_types[] = {
    {"aid_grant", "aid_grants"},
    {0},
};

static const gh_menu_item menu[] = {
    {"困难帮扶", "帮扶救助", "/aid", "inbox", "aid/aid", NULL, MENU_OFFICER | MENU_ADMIN, DUTY_HARDSHIP, 620},
    {0},
};

const gh_module aid_module = {
    .name = "aid",
    .label = "帮扶救助",
    .policy_kinds = policy_kinds,
    .ref_types = ref_types,
    .menu = menu,
};

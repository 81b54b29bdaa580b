/* mutual_aid_module.c — the mutual_aid module descriptor: mutual medical aid plans and claims. */
#include "domain/core/module.h"

#include "domain/mutual_aid/mutual_aid.h"
#include "domain/hardship/hardship.h"

static const gh_policy_kind policy_kinds[] = {
    {"mutual_aid_benefit", "职工医疗互助待遇标准", DUTY_HARDSHIP, mutual_aid_benefit_validate, "bands", "段"},
    {0},
};

static const gh_ref_type ref_types[] = {
    {"mutual_aid_claim", "mutual_aid_claims"},
    {"mutual_aid_enrolment", "mutual_aid_enrolments"},
    {"mutual_aid_group", "mutual_aid_groups"},
    {0},
};

static const gh_menu_item menu[] = {
    {"困难帮扶", "医疗互助", "/mutual-aid", "card", "mutual_aid/mutual-aid", NULL, MENU_OFFICER | MENU_ADMIN, DUTY_HARDSHIP, 630},
    {0},
};

const gh_module mutual_aid_module = {
    .name = "mutual_aid",
    .label = "职工医疗互助",
    .policy_kinds = policy_kinds,
    .ref_types = ref_types,
    .menu = menu,
};

/* auth_module.c — the auth module descriptor: sessions and user accounts. */
#include "domain/core/module.h"

#include "domain/auth/auth.h"

static const gh_menu_item menu[] = {
    {"基础管理", "账号管理", "/users", "users", "auth/users", NULL, MENU_OFFICER | MENU_ADMIN, DUTY_ORG, 110},
    {0},
};

const gh_module auth_module = {
    .name = "auth",
    .label = "账号与登录",
    .menu = menu,
};

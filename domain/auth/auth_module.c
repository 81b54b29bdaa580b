/* auth_module.c — the auth module descriptor: sessions, user accounts and
 * each user's own account security (second factor). */
#include "domain/core/module.h"

#include "domain/auth/auth.h"

static const gh_menu_item menu[] = {
    {"基础管理", "账号管理", "/users", "users", "auth/users", NULL, MENU_OFFICER | MENU_ADMIN, DUTY_ORG, 110},
    {"我的账号", "账号安全", "/security", "shield", "auth/security", NULL, MENU_STAFF | MENU_PROVIDER, 0, 900},
    {0},
};

const gh_module auth_module = {
    .name = "auth",
    .label = "账号与登录",
    .menu = menu,
};

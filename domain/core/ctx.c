/* ctx.c — small helpers about actors; see ctx.h. */
#include "domain/core/ctx.h"
#include "domain/core/module.h"

#include <stdio.h>
#include <string.h>

int actor_in_scope(const gh_actor *a, const char *path)
{
    if (!a->scope[0] || !path) return 0;
    return strncmp(path, a->scope, strlen(a->scope)) == 0;
}

void actor_system(gh_actor *a)
{
    memset(a, 0, sizeof *a);
    a->role = ROLE_SYSTEM;
    a->duties = module_all_duties();
    snprintf(a->scope, sizeof a->scope, "/");
    snprintf(a->login, sizeof a->login, "cli");
    snprintf(a->client, sizeof a->client, "local");
}

int actor_is_staff(const gh_actor *a)
{
    return a->role == ROLE_OFFICER || a->role == ROLE_ADMIN || a->role == ROLE_AUDITOR ||
           a->role == ROLE_SYSTEM;
}

int actor_has_duty(const gh_actor *a, unsigned duty)
{
    if (a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM) return 1;
    return a->role == ROLE_OFFICER && (a->duties & duty) == duty;
}

static const char *const roles[] = {"anonymous", "member", "officer", "provider", "bank",
                                    "auditor", "admin", "enterprise", "system", NULL};

const char *role_name(int role)
{
    return role >= 0 && role <= ROLE_SYSTEM ? roles[role] : "unknown";
}

int role_parse(const char *s)
{
    for (int i = 0; roles[i]; i++)
        if (strcmp(roles[i], s) == 0) return i;
    return -1;
}

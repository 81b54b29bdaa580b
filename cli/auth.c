/* cli/auth.c — `gonghui user create`: the first admin of a new deployment
 * (and any account) from the command line. The password is read from
 * standard input (or GONGHUI_PASSWORD), never from argv where `ps` shows it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/auth/user.h"
#include "domain/core/settings.h"

int cli_user(cli_opts *o)
{
    if (o->nargs < 2 || strcmp(o->args[1], "create") != 0) {
        fprintf(stderr, "用法: gonghui user create --login 用户名 --role admin|officer|auditor --name 姓名\n"
                        "                          [--org 组织编号] [--duties membership,hardship,…]\n"
                        "  密码从标准输入读取（或环境变量 GONGHUI_PASSWORD）\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    const char *login = cli_opt(o, "login"), *role = cli_opt(o, "role"), *name = cli_opt(o, "name");
    const char *org = cli_opt(o, "org"), *duties = cli_opt(o, "duties");
    if (!login || !role || !name) {
        fprintf(stderr, "缺少 --login、--role 或 --name\n");
        return 2;
    }
    char pw[256] = "";
    const char *envpw = getenv("GONGHUI_PASSWORD");
    if (envpw) {
        snprintf(pw, sizeof pw, "%s", envpw);
    } else if (!fgets(pw, sizeof pw, stdin)) {
        fprintf(stderr, "请从标准输入提供密码\n");
        return 2;
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "login", login, "role", role, "display_name", name,
                             "password", pw);
    if (org) json_object_set_new(body, "org_id", json_integer(strtoll(org, NULL, 10)));
    if (duties && *duties) {
        json_t *arr = json_array();
        char *dup = strdup(duties), *save = NULL;
        for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
            json_array_append_new(arr, json_string(t));
        free(dup);
        json_object_set_new(body, "duties", arr);
    }
    store *db = NULL;
    gh_config cfg;
    int rc = cli_open(o, &db, &cfg, &e);
    if (rc == 0) rc = store_migrate(db, NULL, &e);
    if (rc == 0) rc = settings_check_keys(store_conn_get(db, &e), &cfg, &e);
    json_t *out = NULL;
    if (rc == 0) {
        gh_actor a;
        actor_system(&a);
        gh_ctx x = {store_conn_get(db, &e), &a, &cfg};
        rc = user_create(&x, body, &out, &e);
    }
    if (rc == 0) printf("已创建账号 %s（编号 %lld）\n", login, (long long)json_integer_value(json_object_get(out, "id")));
    else cli_fail(&e);
    json_decref(out);
    json_decref(body);
    store_close(db);
    return rc ? 1 : 0;
}

const cli_verb cli_auth[] = {
    {"user", NULL, cli_user, "  user create           创建账号（管理员等），密码从标准输入读取\n"},
    {0},
};

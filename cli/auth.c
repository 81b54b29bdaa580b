/* cli/auth.c — `gonghui user create`: the first admin of a new deployment
 * (and any account) from the command line. The password is read from
 * standard input (or GONGHUI_PASSWORD), never from argv where `ps` shows it.
 * `gonghui user reset-totp`: remove the second factor of an account whose
 * owner lost phone and recovery codes (the only admin included).
 * `gonghui user login-hash`: the audit log's name for attempts at a log-in
 * that names nobody. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/auth/auth.h"
#include "domain/auth/user.h"
#include "domain/core/settings.h"

static int user_reset_totp_cmd(cli_opts *o)
{
    const char *login = cli_opt(o, "login"), *reason = cli_opt(o, "reason");
    if (!login || !*login || !reason || !*reason) {
        fprintf(stderr, "用法: gonghui user reset-totp --login 用户名 --reason 原因\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    gh_config cfg;
    int rc = cli_open(o, &db, &cfg, &e);
    if (rc == 0) rc = store_migrate(db, NULL, &e);
    if (rc == 0) rc = settings_check_keys(store_conn_get(db, &e), &cfg, &e);
    gh_actor who;
    if (rc == 0) rc = auth_actor_for_login(store_conn_get(db, &e), login, &who, &e);
    json_t *out = NULL;
    if (rc == 0) {
        gh_actor a;
        actor_system(&a);
        gh_ctx x = {store_conn_get(db, &e), &a, &cfg};
        rc = user_reset_totp(&x, who.user_id, reason, &out, &e);
    }
    if (rc == 0) printf("已重置 %s 的两步验证；本人可重新绑定\n", login);
    else cli_fail(&e);
    json_decref(out);
    store_close(db);
    return rc ? 1 : 0;
}

static int user_login_hash_cmd(cli_opts *o)
{
    if (o->nargs < 3) {
        fprintf(stderr, "用法: gonghui user login-hash 登录名\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    store *db = NULL;
    gh_config cfg;
    int rc = cli_open(o, &db, &cfg, &e);
    if (rc) {
        cli_fail(&e);
        return 1;
    }
    char name[48];
    auth_unknown_login_name(&cfg, o->args[2], name);
    printf("%s\n", name);
    store_close(db);
    return 0;
}

int cli_user(cli_opts *o)
{
    if (o->nargs >= 2 && strcmp(o->args[1], "reset-totp") == 0) return user_reset_totp_cmd(o);
    if (o->nargs >= 2 && strcmp(o->args[1], "login-hash") == 0) return user_login_hash_cmd(o);
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
    {"user", NULL, cli_user,
     "  user create           创建账号（管理员等），密码从标准输入读取\n"
     "  user reset-totp       重置账号的两步验证（--login 用户名 --reason 原因）\n"
     "  user login-hash NAME  审计日志中不存在的登录名 NAME 记作的 unknown:… 名称\n"},
    {0},
};

/* demo.h — a realistic demo data set, so a newcomer sees a living system:
 * two provinces (江苏, 宁夏) with cities, counties, grassroots unions, an
 * industry federation and a construction company's union with overseas and
 * high-altitude project teams, plus log-ins for each kind of user. Each
 * module adds its own records through the demo loader of its descriptor
 * (domain/core/module.h), which may use the helpers below. */
#ifndef GH_DEMO_H
#define GH_DEMO_H

#include <stdio.h>

#include "domain/core/ctx.h"
#include "domain/core/module.h"

/* Load the demo data set into an empty database (one with no orgs); a
 * database that already holds orgs is left alone. Progress and the demo
 * log-ins go to out. */
int demo_load(gh_ctx *x, FILE *out, gh_err *e);

/* A valid ID number (GB 11643 check digit) for made-up person n. */
void demo_id_number(int n, const char *region, char out[19]);
/* A valid 统一社会信用代码 (GB 32100 check character) for made-up firm n. */
void demo_uscc(int n, const char *region, char out[19]);
/* Common surnames and given names, for made-up people. */
extern const char *const demo_surnames[15];
extern const char *const demo_given[15];
/* *out: x acting as the demo account login (a is filled and must outlive out). */
int demo_act_as(gh_ctx *x, const char *login, gh_actor *a, gh_ctx *out, gh_err *e);

/* Demo policy versions in force from next New Year's Day (the core module's
 * demo loader). */
int policy_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e);

/* The demo's enterprise account (an enterprise of Jiangning, made by the
 * fees module's demo loader). */
#define DEMO_ENTERPRISE_LOGIN "qiye_jiangning"

/* The password of every demo account. */
#define DEMO_PASSWORD "Gonghui@2026"

#endif

/* demo.h — a realistic demo data set, so a newcomer sees a living system:
 * two provinces (江苏, 宁夏) with cities, counties, grassroots unions, an
 * industry federation and a construction company's union with overseas and
 * high-altitude project teams, plus log-ins for each kind of user. Later
 * capabilities add their own demo records here. */
#ifndef GH_DEMO_H
#define GH_DEMO_H

#include <stdio.h>

#include "domain/core/ctx.h"

/* Load the demo data set into an empty database (one with no orgs); a
 * database that already holds orgs is left alone. Progress and the demo
 * log-ins go to out. */
int demo_load(gh_ctx *x, FILE *out, gh_err *e);

/* The password of every demo account. */
#define DEMO_PASSWORD "Gonghui@2026"

#endif

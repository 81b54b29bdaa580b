/* retreat_internal.h — what the retreat_*.c files share and nobody else
 * needs: loaders for routes and departures with their org paths, the
 * booking rules in force, and date helpers. */
#ifndef GH_RETREAT_INTERNAL_H
#define GH_RETREAT_INTERNAL_H

#include <jansson.h>

#include "domain/core/ctx.h"

/* The "retreat_booking" rules for one offering union on one date. */
typedef struct rt_rules {
    int max_per_year;      /* subsidised trips per member per calendar year */
    int window_days;       /* frontline workers may book this many days before general opening */
    int cancel_days;       /* members may cancel until this many days before departure */
    int instant;           /* 1: bookings are confirmed at once */
    int64_t policy_id;     /* 0: the built-in defaults */
} rt_rules;

/* Rules in force for org_id on date (YYYY-MM-DD); defaults when no policy
 * version applies. */
int rt_rules_for(store_conn *db, int64_t org_id, const char *date, rt_rules *r, gh_err *e);

typedef struct rt_route {
    int64_t id, org_id;
    char org_path[GH_PATH_MAX];
    char org_name[200];
    char title[200];
    char status[16];
    char confirm_mode[8]; /* "" = as the policy says */
    int listed, days, min_years, frontline_only;
    int64_t price_fen, subsidy_fen;
} rt_route;

int rt_route_load(store_conn *db, int64_t id, rt_route *r, gh_err *e);

/* Where a route's photos are served: "/api/v1/retreat/routes/{id}/photos". */
void rt_photo_base(int64_t route_id, char out[80]);

typedef struct rt_departure {
    int64_t id, route_id, org_id;
    char depart_date[11], opens_on[11], status[16];
    int seats, seats_left;
} rt_departure;

int rt_departure_load(store_conn *db, int64_t id, rt_departure *d, gh_err *e);

/* Today in China as YYYY-MM-DD. */
void rt_today(char out[11]);
/* date + n days (YYYY-MM-DD in, out). */
void rt_date_add(const char *date, int n, char out[11]);

/* Is the member's org (path) among the route's eligible orgs on date?
 * 1 yes, 0 no, negative on error. */
int rt_org_eligible(store_conn *db, const rt_route *rt, const char *member_path, const char *date, gh_err *e);

/* Give free seats of a departure to the members on its waiting list, first
 * come first served, while seats are left (each one taken with the same
 * conditional UPDATE as a booking); members who may no longer travel
 * (membership ended, yearly subsidised trips used up) lose their place.
 * Does nothing unless the departure is open and ahead. *promoted (may be
 * NULL) receives how many moved up. Inside the caller's transaction. */
int rt_fill_waitlist(gh_ctx *x, int64_t departure_id, int *promoted, gh_err *e);

/* The departure and its route, for an officer of the offering union with
 * the retreat duty (ERR_NOT_FOUND outside the scope). */
int rt_departure_scoped(gh_ctx *x, int64_t id, rt_departure *d, rt_route *rt, gh_err *e);

/* Release a booking's subsidised-trip quota (if it holds one). */
int rt_quota_release(store_conn *db, int64_t booking_id, gh_err *e);

/* A route's input, checked (rt_route_check) and ready to write. */
typedef struct rt_route_in {
    const json_t *b; /* the checked body (borrowed) */
    int64_t org_id;
    char org_path[GH_PATH_MAX];
    char *itinerary, *inclusions; /* normalised JSON text (malloc'd) */
    int64_t providers[5];
    int nprov;
    char themes[8][48];
    int nthemes;
    int64_t orgs[50], agreements[50];
    int norgs;
} rt_route_in;

/* Check a complete route body for the actor (scope, duty, providers,
 * eligible orgs and their agreements). */
int rt_route_check(gh_ctx *x, const json_t *b, rt_route_in *in, gh_err *e);
void rt_route_in_free(rt_route_in *in);
/* Insert (id 0; *id receives the new id) or overwrite route *id, with its
 * providers, themes and eligible orgs, and its listed flag; audited.
 * Inside the caller's transaction. status NULL keeps it (insert: draft). */
int rt_route_write(gh_ctx *x, const rt_route_in *in, const char *status, int64_t *id, gh_err *e);

/* Route as JSON: staff = 0 the public page (upcoming departures only),
 * 1 everything with booking counts. */
int rt_route_json(store_conn *db, int64_t id, int staff, json_t **out, gh_err *e);

#endif

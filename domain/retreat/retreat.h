/* retreat.h — recuperation trips (职工疗休养): routes, departures, the public
 * catalogue, member bookings under quotas, and the figures.
 *
 * Routes (线路) are offered by a union (org_id, which pays the subsidy) with
 * one or more admitted providers. A route stores price_fen and subsidy_fen;
 * member_price_fen is always price − subsidy, derived where it is read and
 * refused as input. Eligibility: the orgs whose members may book (default:
 * the offering union's subtree; orgs outside the officer's scope only under
 * a cross-region cooperation agreement in force), a minimum membership
 * length in whole years, frontline workers only or not.
 *
 * Departures (出发批次) carry seats and seats_left. A booking takes a seat
 * with one conditional UPDATE inside its transaction, so the quota holds on
 * SQLite and on PostgreSQL with several servers, whatever the concurrency.
 * The rules come from the versioned policy kind "retreat_booking" of the
 * offering union (retreat_policy_validate): subsidised trips per member per
 * calendar year, a frontline-only window before general opening, the
 * cancellation deadline, and whether bookings are instant or confirmed by
 * the member's union. Without any version in force the defaults are 1 trip,
 * no window, 3 days, confirmation by the union.
 *
 * A cancelled or rejected seat passes to the first member on that
 * departure's waiting list in the same transaction. When a departure is
 * completed each traveller's subsidy is posted to the ledger (ref_type
 * "retreat_booking": debit the offering union's retreat_subsidy_expense,
 * credit its provider_payable), idempotently.
 *
 * The public catalogue (no log-in) is served from a short-lived in-process
 * cache of the finished JSON (RETREAT_CATALOG_TTL_MS): a campaign start is
 * many identical reads. Writes through this process clear it at once;
 * other server processes see a change within the TTL. Seat counts shown in
 * the catalogue may therefore lag by that much; a booking always decides
 * on the database's count. */
#ifndef GH_RETREAT_H
#define GH_RETREAT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"
#include "domain/core/module.h"
#include "domain/core/importer.h"
#include "domain/core/photo.h"

#define RETREAT_CATALOG_TTL_MS 2000

extern const char *const retreat_route_statuses[];   /* draft, published, withdrawn */
extern const char *const retreat_booking_statuses[]; /* waitlisted, pending, confirmed, completed, … */

/* The "retreat_booking" policy parameters: max_subsidised_per_year (1..10),
 * frontline_window_days (0..60), cancel_deadline_days (0..60), confirmation
 * ("union" | "instant"); all required. */
int retreat_policy_validate(const json_t *params, gh_err *e);

/* ---- routes (officers with the retreat duty, offering org in scope) ---- */

/* body: org_id, code, title, summary, destination, region_code, days,
 * price_fen, subsidy_fen, itinerary [{day, title, detail}], inclusions [..],
 * themes [..], provider_ids [..], eligible_org_ids [..], min_member_years,
 * frontline_only, confirm_mode ("instant" | "union" | null = policy). */
int retreat_route_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int retreat_route_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* draft → published (complete itinerary needed) → withdrawn → published. */
int retreat_route_set_status(gh_ctx *x, int64_t id, const char *status, json_t **out, gh_err *e);
/* Staff view: every field, departures with booking counts. */
int retreat_route_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

/* A route's photos (domain/core/photo.h: type by the bytes, 5 MiB, 12
 * each), added and removed by officers who may change the route (audited
 * retreat.route_photo_add, retreat.route_photo_delete); the route's JSON
 * lists them as "photos" (and each provider's), the catalogue card shows
 * the first as "photo". retreat_route_photo_get gives the bytes to anyone
 * while the route is in the catalogue (*public_ = 1), else to staff in
 * scope (404 for the others). */
int retreat_route_photo_add(gh_ctx *x, int64_t id, const void *data, size_t len, json_t **out, gh_err *e);
int retreat_route_photo_delete(gh_ctx *x, int64_t id, int64_t photo_id, gh_err *e);
int retreat_route_photo_get(gh_ctx *x, int64_t id, int64_t photo_id, photo_blob *b, int *public_, gh_err *e);

typedef struct retreat_route_query {
    const char *q, *status;
    int64_t org_id;
    int page, per_page;
} retreat_route_query;
int retreat_route_list(gh_ctx *x, const retreat_route_query *q, json_t **out, gh_err *e);

/* Recompute the listed flag of one route (route_id) or of every route of a
 * provider (provider_id); inside the caller's transaction. */
int retreat_relist(store_conn *db, int64_t provider_id, int64_t route_id, gh_err *e);

/* May the actor import providers or routes into org_id? The retreat duty
 * and the org in scope (ERR_NOT_FOUND outside it); *path (may be NULL,
 * GH_PATH_MAX) receives the org's path. Checked again by the imports
 * themselves; the HTTP layer asks before it queues the job. */
int retreat_import_allowed(gh_ctx *x, int64_t org_id, char *path, gh_err *e);
/* The same without the path (checked before an import job is queued). */
int retreat_may_import(gh_ctx *x, int64_t org_id, gh_err *e);

/* CSV or .xlsx import of routes into org_id (offering union): all rows or
 * none. progress (may be NULL) is called as the file is read. */
int retreat_route_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                         import_progress_fn progress, void *pctx, json_t **out, gh_err *e);

/* ---- departures (officers of the offering union) ---- */

/* body: depart_date, seats, opens_on, note. */
int retreat_departure_create(gh_ctx *x, int64_t route_id, const json_t *body, json_t **out, gh_err *e);
/* body: seats (not below the seats taken), opens_on, note, status (open | closed). */
int retreat_departure_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* Cancel the departure and every live booking on it. */
int retreat_departure_cancel(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);
/* After the trip (return date not after today): confirmed bookings become
 * completed (those listed in no_show, an array of booking ids, no_show) and
 * the subsidies are posted to the ledger. */
int retreat_departure_complete(gh_ctx *x, int64_t id, const json_t *no_show, json_t **out, gh_err *e);

/* ---- collections and agreements ---- */

/* body: org_id, title, description, route_ids [..], published. */
int retreat_collection_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int retreat_collection_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* Staff: collections of orgs in scope. */
int retreat_collection_list(gh_ctx *x, json_t **out, gh_err *e);

/* body: org_id (in scope), partner_org_id, title, valid_from, valid_to. */
int retreat_agreement_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* Agreements where either party is in scope or above it. */
int retreat_agreement_list(gh_ctx *x, json_t **out, gh_err *e);

/* ---- the public catalogue (no log-in; answers are JSON text) ---- */

typedef struct retreat_catalog_query {
    const char *theme;
    const char *region;      /* region code prefix: 2, 4 or 6 digits */
    const char *q;           /* title or destination contains */
    const char *provider_kind;
    const char *sort;        /* newest (default), price_asc, price_desc, days */
    int64_t collection_id;
    int64_t min_days, max_days;
    int64_t min_price_fen, max_price_fen; /* on the member price; -1 = none */
    int has_seats;           /* 1: only routes with an open upcoming departure with seats left */
    int page, per_page;
} retreat_catalog_query;

/* The answers are malloc'd JSON text (*json, *len) the caller frees. */
int retreat_catalog_list(gh_ctx *x, const retreat_catalog_query *q, char **json, size_t *len, gh_err *e);
int retreat_catalog_route(gh_ctx *x, int64_t id, char **json, size_t *len, gh_err *e);
/* Themes, regions (provinces and cities) and collections with route counts. */
int retreat_catalog_facets(gh_ctx *x, char **json, size_t *len, gh_err *e);
/* The public headline (retreat_headline) as JSON text, cached. */
int retreat_catalog_headline(gh_ctx *x, int64_t org_id, char **json, size_t *len, gh_err *e);
/* Drop every cached answer (after a write). The cache's memory stays
 * reachable from static slots until the process exits. */
void retreat_catalog_touch(void);

/* ---- bookings ---- */

/* A member books for themself: {departure_id, waitlist}; an officer with
 * the retreat duty books for a member in scope: {departure_id, member_id,
 * waitlist}. Full departure: ERR_CONFLICT "departure_full", or a waiting
 * list place when waitlist is true. */
int retreat_book(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* May the logged-in member book this route now? {eligible, reasons[]} */
int retreat_eligibility(gh_ctx *x, int64_t route_id, json_t **out, gh_err *e);

int retreat_booking_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

typedef struct retreat_booking_query {
    const char *status;
    int64_t org_id, route_id, departure_id;
    int page, per_page;
} retreat_booking_query;
/* A member: their own; staff: bookings of members in scope or on departures
 * offered in scope. */
int retreat_booking_list(gh_ctx *x, const retreat_booking_query *q, json_t **out, gh_err *e);

/* The member (before the deadline) or an officer of the member's union. */
int retreat_booking_cancel(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);
/* The member marks the notice of their waiting-list promotion as read
 * (promoted_at is set when a waiting-list place becomes a booking; the
 * booking shows promotion_unread until then). Idempotent. */
int retreat_booking_notice_read(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* Officers of the member's union (or above), retreat duty. */
int retreat_booking_confirm(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
int retreat_booking_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);

/* ---- the provider's side (接待名单; role provider) ---- */

typedef struct retreat_desk_query {
    const char *when;     /* upcoming (default: not completed, left at most 29 days ago), past, all */
    const char *from, *to; /* departure dates, optional */
    int page, per_page;
} retreat_desk_query;
/* Departures of the routes the actor's provider serves, with counts of
 * passengers by status. Provider accounts only. */
int retreat_desk_departures(gh_ctx *x, const retreat_desk_query *q, json_t **out, gh_err *e);
/* One such departure with its passenger list (masked names, mobile tails,
 * status, union); another provider's departure is ERR_NOT_FOUND. Audited. */
int retreat_desk_departure(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

/* ---- figures ---- */

/* For the subtree of org_id (0: the actor's scope) and departures from..to
 * (dates, optional): subsidy paid, trips (人次), members served, frontline
 * and model-worker shares, by year, by route and by provider, and a
 * sentence stating them. Staff with the retreat or finance duty, auditors.
 * view: "offered" (default) counts the trips the subtree's unions offered
 * and paid for; "members" the trips the subtree's members took, whoever
 * offered them (a city union sees its members' trips on the province's
 * routes). */
int retreat_stats(gh_ctx *x, int64_t org_id, const char *from, const char *to, const char *view, json_t **out,
                  gh_err *e);
int retreat_stats_xlsx(gh_ctx *x, int64_t org_id, const char *from, const char *to, const char *view, char **data,
                       size_t *len, gh_err *e);
/* Public: the sentence and its totals for one org (0: every province). */
int retreat_headline(gh_ctx *x, int64_t org_id, json_t **out, gh_err *e);

/* The demo data set's recuperation records (the module's demo loader). */
int retreat_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e);

/* Request bodies: an optional reason {reason?}, a route's status {status},
 * completing a departure {no_show?: [booking ids]}. */
extern const jv_field retreat_reason_fields[];
extern const jv_field retreat_route_status_fields[];
extern const jv_field retreat_complete_fields[];

#endif

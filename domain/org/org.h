/* org.h — the union organisation tree (工会组织).
 *
 * Levels, from the top: national (全国总工会), province (省总工会), city
 * (市总工会), county (县(区)总工会), grassroots (基层工会). Kinds: regional
 * unions, industry federations (产业工会联合会) and enterprise unions. Each
 * org has a materialised path of ids ('/1/12/305/') so a subtree is one range
 * on an index, and data scope ("an officer sees their org and everything
 * below") is a prefix test on that path.
 *
 * Placement rules (checked on create and move):
 *   - a child's level is below its parent's, except that
 *       * grassroots unions may hold grassroots sub-unions (分会, 项目部工会),
 *       * an industry federation may sit at its regional parent's own level;
 *   - only national or province orgs may be roots;
 *   - an org cannot move below itself. */
#ifndef GH_ORG_H
#define GH_ORG_H

#include <jansson.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"

extern const char *const org_levels[];  /* national, province, city, county, grassroots */
extern const char *const org_kinds[];   /* regional, industry, enterprise */

/* One org as JSON, if it is in the actor's scope (ERR_NOT_FOUND otherwise). */
int org_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

typedef struct org_query {
    const char *q;          /* name contains */
    int64_t parent_id;      /* direct children of */
    int64_t under_id;       /* anywhere below (subtree of) */
    const char *level, *kind, *region_code;
    int page, per_page;
} org_query;
/* Orgs in scope matching q, ordered by path. */
int org_list(gh_ctx *x, const org_query *q, json_t **out, gh_err *e);

/* Create from a JSON body: name, level, kind, region_code, parent_id,
 * short_name, address, contact_name, contact_phone. */
int org_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* Change name, short_name, region_code, address, contact_name, contact_phone. */
int org_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* Move the subtree rooted at id below new_parent. */
int org_move(gh_ctx *x, int64_t id, int64_t new_parent, json_t **out, gh_err *e);
/* The same from a request body {parent_id}. */
extern const jv_field org_move_fields[];
int org_move_body(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* Delete a leaf org that nothing refers to. */
int org_delete(gh_ctx *x, int64_t id, gh_err *e);

/* The path of an org in the actor's scope (ERR_NOT_FOUND otherwise). */
int org_scope_path(gh_ctx *x, int64_t id, char path[GH_PATH_MAX], gh_err *e);
/* The path of any org, without scope check (for the system's own use). */
int org_path(store_conn *db, int64_t id, char path[GH_PATH_MAX], gh_err *e);

/* Public directory for forms (join requests): id, name, level, kind,
 * region_code, parent_id; no contact details; no log-in needed. */
int org_directory(gh_ctx *x, const org_query *q, json_t **out, gh_err *e);

#endif

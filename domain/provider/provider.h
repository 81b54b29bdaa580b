/* provider.h — service providers of the recuperation programme (疗休养服务机构):
 * rural guest-houses (旅游民宿), rural-tourism clusters (乡村旅游产业集聚区),
 * small themed towns (特色小镇), red-heritage sites (红色旅游景区) and
 * recuperation bases (疗休养基地), brought in by a union together with a
 * partner department (culture and tourism).
 *
 * Admission: a provider is registered as applied, then admitted, and may be
 * suspended and re-admitted; every change of status is a history row with
 * the reason and who decided. Only admitted providers' routes appear in the
 * public catalogue: a status change updates the listing of every route of
 * the provider in the same transaction.
 *
 * Scope: org_id is the union that manages the provider. Officers with the
 * retreat duty manage providers of orgs in their scope; any staff member may
 * read admitted providers (they are public facts); a provider account reads
 * its own record. The voucher capability reads this table too; its shape is
 * fixed by migration 0008. */
#ifndef GH_PROVIDER_H
#define GH_PROVIDER_H

#include <jansson.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"
#include "domain/core/importer.h"
#include "domain/core/photo.h"

extern const char *const provider_kinds[];    /* guesthouse, rural_cluster, themed_town, red_site, retreat_base */
extern const char *const provider_statuses[]; /* applied, admitted, suspended */

/* Register (status applied). body: org_id (default the actor's org), kind,
 * name, region_code, address, contact_name, contact_phone,
 * partner_department. */
int provider_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* Change the descriptive fields (not the status, not the org). */
int provider_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* Admit, suspend or re-admit, with a reason (required for suspension). */
int provider_set_status(gh_ctx *x, int64_t id, const char *status, const char *reason, json_t **out, gh_err *e);

int provider_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

typedef struct provider_query {
    const char *q;           /* name contains */
    const char *kind, *status;
    const char *region;      /* region code prefix: 2, 4 or 6 digits */
    int64_t org_id;          /* managed in the subtree of */
    int admitted;            /* 1: every admitted provider, whoever manages it (pickers) */
    int page, per_page;
} provider_query;
int provider_list(gh_ctx *x, const provider_query *q, json_t **out, gh_err *e);

int provider_history(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

/* CSV (Excel's UTF-8 or GBK) or .xlsx import into org_id's subtree: all
 * rows or none. Columns: 名称, 类型, 行政区划代码, 地址, 联系人, 联系电话,
 * 合作部门, 状态, 管理工会编号. A status of 已准入 records the admission in
 * the history. progress (may be NULL) is called as the file is read. */
int provider_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                    import_progress_fn progress, void *pctx, json_t **out, gh_err *e);

/* Photos (domain/core/photo.h: type by the bytes, 5 MiB, 12 each): added
 * and removed by officers who may change the provider (audited
 * provider.photo_add, provider.photo_delete); provider_get lists them as
 * "photos". provider_photo_get gives the bytes to anyone while the provider
 * is admitted (*public_ = 1: its routes are in the public catalogue), else
 * only to those who may read it (404 for the others). */
int provider_photo_add(gh_ctx *x, int64_t id, const void *data, size_t len, json_t **out, gh_err *e);
int provider_photo_delete(gh_ctx *x, int64_t id, int64_t photo_id, gh_err *e);
int provider_photo_get(gh_ctx *x, int64_t id, int64_t photo_id, photo_blob *b, int *public_, gh_err *e);

/* Kind from a Chinese name or code ("红色旅游景区" or "red_site"); NULL when unknown. */
const char *provider_kind_parse(const char *s);

/* A status change from a request body {status, reason?}. */
extern const jv_field provider_status_fields[];
int provider_set_status_body(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);

#endif

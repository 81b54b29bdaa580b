/* endpoint.c — the one generic handler of declared routes (http.h): path id,
 * duty, body schema and typed query parameters are checked in that order,
 * then the domain function is called and its result sent with the route's
 * status. A route that needs more (cookies, files, jobs) has its own fn. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "domain/core/job.h"
#include "domain/core/list.h"
#include "domain/core/module.h"
#include "http/internal.h"

/* Large enough for every query struct of the route tables (checked). */
#define QBUF_SIZE 256

static int fill_query(http_req *r, const http_qparam *qp, unsigned char *q, gh_err *e)
{
    for (; qp && qp->name; qp++) {
        int rc = 0;
        switch (qp->type) {
        case QP_PAGE: {
            int page = 0, per = 0;
            rc = http_query_page(r, &page, &per, e);
            if (rc == 0 && qp->def && !http_query(r, "per_page")) per = (int)qp->def;
            memcpy(q + qp->off, &page, sizeof page);
            memcpy(q + qp->off2, &per, sizeof per);
            break;
        }
        case QP_INT: {
            int64_t v = 0;
            rc = http_query_int(r, qp->name, qp->def, &v, e);
            memcpy(q + qp->off, &v, sizeof v);
            break;
        }
        case QP_FLAG: {
            int64_t v = 0;
            rc = http_query_int(r, qp->name, qp->def, &v, e);
            int f = http_query(r, qp->name) && *http_query(r, qp->name) ? (v < 0 ? -1 : v != 0) : (int)qp->def;
            memcpy(q + qp->off, &f, sizeof f);
            break;
        }
        case QP_STR: {
            const char *s = http_query(r, qp->name);
            memcpy(q + qp->off, &s, sizeof s);
            break;
        }
        default:
            assert(!"unknown query parameter type");
        }
        if (rc) return rc;
    }
    return 0;
}

int http_xlsx(http_req *r, char *data, size_t len, const char *filename)
{
    int rc = http_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, len, filename);
    free(data);
    return rc;
}

int http_query_format(const http_req *r, int *xlsx, gh_err *e)
{
    const char *fmt = http_query(r, "format");
    *xlsx = fmt && strcmp(fmt, "xlsx") == 0;
    if (fmt && *fmt && !*xlsx && strcmp(fmt, "json") != 0)
        return err_set(e, ERR_INVALID, "invalid_query", "format", "格式应为 json 或 xlsx");
    return 0;
}

/* ---- uploads imported by a job ---- */

typedef struct upload_job {
    const http_import *im;
    int64_t org_id, job_id;
    int dry_run;
    char *data;
    size_t len;
} upload_job;

static void upload_free(void *p)
{
    upload_job *u = p;
    free(u->data);
    free(u);
}

/* An import's progress in rows: done is the rows read, total the rows the
 * file holds — estimated from the share of bytes read until the end, where
 * it is exact. */
static void upload_progress(void *ctx, int64_t rows, int64_t done_bytes, int64_t total_bytes)
{
    int64_t total = done_bytes >= total_bytes || done_bytes <= 0 ? rows : (int64_t)((double)rows * total_bytes / done_bytes);
    job_progress(((upload_job *)ctx)->job_id, rows, total < rows ? rows : total);
}

static int upload_run(gh_ctx *x, int64_t job_id, void *p, json_t **result, gh_err *e)
{
    upload_job *u = p;
    u->job_id = job_id;
    return u->im->run(x, u->org_id, u->data, u->len, NULL, u->dry_run, upload_progress, u, result, e);
}

static int start_upload(http_req *r, const http_import *im, gh_err *e)
{
    int64_t org = 0, dry = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc == 0) rc = http_query_int(r, "dry_run", 0, &dry, e);
    if (rc) return rc;
    if (org <= 0) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请指定导入到哪个组织（org_id）");
    gh_ctx *x = http_ctx(r);
    /* duty and scope before anything is queued; the job checks again */
    if ((rc = im->allowed(x, org, e))) return rc;
    size_t len;
    const char *body = http_body_raw(r, &len);
    if (!len) return err_set(e, ERR_INVALID, "empty_file", NULL, "上传的文件是空的");
    /* a bomb is refused now, from the sizes it declares (one that lies is
     * stopped by the job as it inflates) */
    if ((rc = import_check_upload(body, len, e))) return rc;
    upload_job *u = calloc(1, sizeof *u);
    if (!u) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    u->data = http_body_take(r, &u->len); /* the job owns the body: no copy */
    u->im = im;
    u->org_id = org;
    u->dry_run = dry != 0;
    int64_t job = 0;
    rc = job_start(x, dry ? im->check_job : im->job, org, upload_run, u, upload_free, &job, e);
    if (rc) return rc;
    return http_json(r, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)job, "status", "queued"));
}

/* The request's filters, as the audit of an export records them: each
 * declared parameter given, paging left out. */
static json_t *filter_of(http_req *r, const http_qparam *qp)
{
    json_t *f = json_object();
    for (; qp && qp->name; qp++) {
        const char *v = qp->type == QP_PAGE ? NULL : http_query(r, qp->name);
        if (v && *v) json_object_set_new(f, qp->name, json_string(v));
    }
    return f;
}

/* A list route asked for ?format=xlsx: the same call, writing a workbook. */
static int export_list(http_req *r, const http_route *rt, int64_t id, const void *q, gh_err *e)
{
    list_export ex = {0};
    json_t *filter = filter_of(r, rt->query);
    ex.filter = filter;
    gh_ctx x = *http_ctx(r);
    x.export = &ex;
    json_t *out = NULL;
    int rc = rt->call.shape == CALL_ID_QUERY ? rt->call.id_query(&x, id, q, &out, e) : rt->call.query(&x, q, &out, e);
    json_decref(out);
    json_decref(filter);
    if (rc == 0 && !ex.data) rc = err_set(e, ERR_INVALID, "export_unsupported", "format", "该列表不提供导出");
    if (rc) {
        free(ex.data);
        return rc;
    }
    return http_xlsx(r, ex.data, ex.len, ex.name);
}

int http_declared(http_req *r, const http_route *rt, gh_err *e)
{
    if (rt->import) return start_upload(r, rt->import, e);
    const http_call *c = &rt->call;
    gh_ctx *x = http_ctx(r);
    int64_t id = 0;
    int rc = 0;
    if (c->shape == CALL_ID || c->shape == CALL_ID_BODY || c->shape == CALL_ID_STR || c->shape == CALL_ID_QUERY)
        rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    if (rt->duty && !actor_has_duty(x->actor, rt->duty)) {
        const gh_duty *d = module_duty(rt->duty);
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要%s职责", d ? d->label : "相应");
    }
    const json_t *body = http_body(r);
    if (rt->body && (rc = jv_check(body, rt->body, e))) return rc;
    _Alignas(max_align_t) unsigned char q[QBUF_SIZE] = {0};
    assert(c->qsize <= sizeof q);
    if (c->qsize > sizeof q) return err_set(e, ERR_INTERNAL, NULL, NULL, NULL);
    if ((rc = fill_query(r, rt->query, q, e))) return rc;
    int xlsx = 0;
    if ((rt->flags & R_XLSX) && (rc = http_query_format(r, &xlsx, e))) return rc;
    if (xlsx) return export_list(r, rt, id, q, e);
    json_t *out = NULL;
    switch (c->shape) {
    case CALL_PLAIN: rc = c->plain(x, &out, e); break;
    case CALL_ID: rc = c->id(x, id, &out, e); break;
    case CALL_BODY: rc = c->body(x, body, &out, e); break;
    case CALL_ID_BODY: rc = c->id_body(x, id, body, &out, e); break;
    case CALL_ID_STR: rc = c->id_str(x, id, jv_str(body, c->arg), &out, e); break;
    case CALL_QUERY: rc = c->query(x, q, &out, e); break;
    case CALL_ID_QUERY: rc = c->id_query(x, id, q, &out, e); break;
    default: assert(!"route without a handler or a call"); return err_set(e, ERR_INTERNAL, NULL, NULL, NULL);
    }
    if (rc) {
        json_decref(out);
        return rc;
    }
    if (rt->status == 204) {
        json_decref(out);
        return http_no_content(r);
    }
    return http_json(r, rt->status ? rt->status : 200, out);
}

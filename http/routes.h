/* routes.h — the route table of each module (http/routes_<module>.c, one
 * per line of domain/modules.def), and what hand-written handlers share. */
#ifndef GH_ROUTES_H
#define GH_ROUTES_H

#include "domain/core/photo.h"
#include "http/http.h"

#define GH_MODULE(name) extern const http_route routes_##name[];
#include "domain/modules.def"
#undef GH_MODULE

/* Reply with a domain result, or pass the error on. */
static inline int reply_result(http_req *r, int rc, int status, json_t *out)
{
    if (rc) return rc;
    return http_json(r, status, out);
}

/* Photos (http/photos.c): the upload (R_UPLOAD, 201 with the photo), the
 * removal (204) and the bytes with caching headers; {id} is the owner,
 * {photo} the photo. */
typedef int (*photo_add_fn)(gh_ctx *x, int64_t id, const void *data, size_t len, json_t **out, gh_err *e);
typedef int (*photo_delete_fn)(gh_ctx *x, int64_t id, int64_t photo_id, gh_err *e);
typedef int (*photo_get_fn)(gh_ctx *x, int64_t id, int64_t photo_id, photo_blob *b, int *public_, gh_err *e);
int reply_photo_upload(http_req *r, photo_add_fn add, gh_err *e);
int reply_photo_delete(http_req *r, photo_delete_fn del, gh_err *e);
int reply_photo(http_req *r, photo_get_fn get, gh_err *e);

#endif

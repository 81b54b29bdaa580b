/* photos.c — what the photo routes of several modules share: the upload
 * handed to the owner's domain function, and the bytes sent back with
 * caching headers (an ETag from the image's SHA-256, 304 when the browser
 * or a proxy already holds it). */
#include <string.h>

#include "http/routes.h"

int reply_photo_upload(http_req *r, photo_add_fn add, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    size_t len = 0;
    const char *data = http_body_raw(r, &len);
    json_t *out = NULL;
    rc = add(http_ctx(r), id, data, len, &out, e);
    return reply_result(r, rc, 201, out);
}

int reply_photo_delete(http_req *r, photo_delete_fn del, gh_err *e)
{
    int64_t id, photo;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = http_param_id(r, "photo", &photo, e);
    if (rc == 0) rc = del(http_ctx(r), id, photo, e);
    return rc ? rc : http_no_content(r);
}

int reply_photo(http_req *r, photo_get_fn get, gh_err *e)
{
    int64_t id, photo;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = http_param_id(r, "photo", &photo, e);
    if (rc) return rc;
    photo_blob b;
    int public_ = 0;
    rc = get(http_ctx(r), id, photo, &b, &public_, e);
    if (rc) return rc;
    /* A photo's bytes never change (a new upload is a new photo): shared
     * caches may keep a public one for a day, a browser a private one for
     * a few minutes; both revalidate with the ETag. */
    http_add_header(r, "Cache-Control", public_ ? "public, max-age=86400" : "private, max-age=300");
    http_add_header(r, "ETag", b.etag);
    const char *inm = http_header(r, "If-None-Match");
    if (inm && strstr(inm, b.etag))
        rc = http_bytes(r, 304, b.mime, "", 0, NULL);
    else
        rc = http_bytes(r, 200, b.mime, b.data, b.len, NULL);
    photo_blob_free(&b);
    return rc;
}

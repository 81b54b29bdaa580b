/* photo.h — photos of things shown to the public (recuperation providers
 * and routes), kept in the database so that every server behind the proxy
 * serves the same ones and backups carry them (migration 0015).
 *
 * The type is decided by the bytes, never by a file name or a declared
 * content type: JPEG (FF D8 FF), PNG (89 "PNG" 0D 0A 1A 0A) or WebP ("RIFF"
 * size "WEBP"), with the width and height read from the image's own header
 * (an image whose header does not parse is refused). At most
 * PHOTO_MAX_BYTES and PHOTO_MAX_SIDE pixels a side; PHOTO_MAX_PER_OWNER per
 * provider or route. No thumbnail is made (the server links no image
 * library): thumb_data stays NULL and pages scale the original with its
 * width and height.
 *
 * Who may add, remove or see a photo is the owner's capability's rule
 * (provider.h, retreat.h); these functions only store and fetch. */
#ifndef GH_PHOTO_H
#define GH_PHOTO_H

#include <jansson.h>
#include <stddef.h>

#include "domain/core/ctx.h"

#define PHOTO_MAX_BYTES (5 * 1024 * 1024)
#define PHOTO_MAX_SIDE 12000
#define PHOTO_MAX_PER_OWNER 12

typedef struct photo_info {
    const char *mime; /* "image/jpeg", "image/png", "image/webp" */
    int width, height;
} photo_info;

/* What the bytes are: 0 with *pi filled, or ERR_INVALID "photo_type" (not a
 * JPEG, PNG or WebP image, or a header that does not parse) or
 * "photo_dimensions" (too large a side). */
int photo_sniff(const void *data, size_t len, photo_info *pi, gh_err *e);

/* Store a photo of owner (owner_type "provider" or "route") after the
 * checks above and the size cap (ERR_TOO_LARGE "photo_too_large", empty:
 * ERR_INVALID "empty_file") and the count cap (ERR_CONFLICT
 * "too_many_photos"). Runs on db (inside the caller's transaction).
 * url_base is where the owner serves its photos ("/api/v1/providers/3/photos");
 * *out = {id, mime, width, height, bytes, url}. */
int photo_add(gh_ctx *x, store_conn *db, const char *owner_type, int64_t owner_id, const char *url_base,
              const void *data, size_t len, json_t **out, gh_err *e);

/* Remove one photo of owner (ERR_NOT_FOUND "photo_not_found" when it is not
 * the owner's). */
int photo_delete(store_conn *db, const char *owner_type, int64_t owner_id, int64_t photo_id, gh_err *e);

/* The owner's photos, cover first: [{id, mime, width, height, bytes, url}]. */
int photo_list(store_conn *db, const char *owner_type, int64_t owner_id, const char *url_base, json_t **out,
               gh_err *e);

/* One photo's bytes (malloc'd, photo_blob_free) with its type and a strong
 * ETag (quoted); ERR_NOT_FOUND "photo_not_found" when it is not the
 * owner's. */
typedef struct photo_blob {
    char mime[16];
    char etag[48];
    unsigned char *data;
    size_t len;
} photo_blob;
int photo_fetch(store_conn *db, const char *owner_type, int64_t owner_id, int64_t photo_id, photo_blob *b,
                gh_err *e);
void photo_blob_free(photo_blob *b);

#endif
